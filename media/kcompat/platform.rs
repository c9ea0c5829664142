// SPDX-License-Identifier: GPL-2.0

//! Platform drivers and devices.
//!
//! C header: [`include/linux/platform_device.h`](srctree/include/linux/platform_device.h)

use crate::media::{bindings, kcompat::swnode::SoftwareNode};
use core::marker::PhantomData;
use kernel::{
    error::{from_err_ptr, to_result},
    prelude::*,
    str::CStr,
    types::{ForeignOwnable, Opaque},
    ThisModule,
};

/// A platform device, borrowed for the duration of a probe.
///
/// # Invariants
///
/// `ptr` points to a valid `platform_device` for the lifetime `'a`.
pub(crate) struct Device<'a> {
    ptr: *mut bindings::platform_device,
    _p: PhantomData<&'a bindings::platform_device>,
}

impl Device<'_> {
    /// The device's instance number (`id` of `name.id`).
    pub(crate) fn id(&self) -> i32 {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { (*self.ptr).id }
    }

    /// The embedded `struct device`.
    pub(crate) fn as_dev_ptr(&self) -> *mut bindings::device {
        // SAFETY: `ptr` is valid by the type invariant; this only computes a field address.
        unsafe { &raw mut (*self.ptr).dev }
    }
}

/// A platform driver.
///
/// What `probe` returns is kept as the device's driver data; dropping it is
/// the driver's `remove`. It must therefore only unregister, never free what
/// userspace may still hold: that is the job of release callbacks.
pub(crate) trait Driver: 'static {
    /// State kept from probe to remove.
    type Data: ForeignOwnable + Send;
    /// Driver name; devices with the same name bind to it.
    const NAME: &'static CStr;
    /// Binds to `dev`.
    fn probe(dev: &Device<'_>) -> Result<Self::Data>;
}

/// A registered platform driver, unregistered on drop: the kernel crate's
/// platform driver on 7.x, the layer's own on 6.12.
pub(crate) use imp::Registration;

/// On 7.x: `kernel::platform`, which keeps `T::Data` as the device's driver
/// data from probe and drops it right after remove.
#[cfg(kernel_7)]
mod imp {
    use super::{Device, Driver};
    use core::marker::PhantomData;
    use kernel::{device::Core, driver, platform, prelude::*, ThisModule};

    /// The kernel crate's platform driver for our [`Driver`] `T`.
    pub(in crate::media) struct Adapter<T>(PhantomData<T>);

    impl<T: Driver> platform::Driver for Adapter<T> {
        type IdInfo = ();
        type Data<'bound> = T::Data;

        fn probe<'bound>(
            dev: &'bound platform::Device<Core<'_>>,
            _id_info: Option<&'bound ()>,
        ) -> impl PinInit<T::Data, Error> + 'bound {
            // INVARIANT: the device being probed, valid during this call,
            // which the local `dev` does not outlive (`T::probe` borrows it).
            let dev = Device {
                // `platform::Device` is a transparent wrapper of the C device.
                ptr: core::ptr::from_ref(dev).cast_mut().cast(),
                _p: PhantomData,
            };
            T::probe(&dev)
        }
    }

    /// A registered platform driver, unregistered on drop.
    pub(crate) struct Registration<T: Driver> {
        _reg: Pin<KBox<driver::Registration<platform::Adapter<Adapter<T>>>>>,
    }

    impl<T: Driver> Registration<T> {
        /// Registers the driver for `module`; bound devices probe right away.
        pub(crate) fn new(module: &'static ThisModule) -> Result<Self> {
            Ok(Self {
                _reg: KBox::pin_init(driver::Registration::new(T::NAME, module), GFP_KERNEL)?,
            })
        }
    }
}

/// On 6.12 (no platform drivers in its kernel crate): our own.
#[cfg(not(kernel_7))]
mod imp {
    use super::{Device, Driver};
    use crate::media::bindings;
    use core::marker::PhantomData;
    use kernel::{
        error::to_result,
        prelude::*,
        types::{ForeignOwnable, Opaque},
        ThisModule,
    };

    /// A registered platform driver, unregistered on drop.
    ///
    /// # Invariants
    ///
    /// `drv` is registered with the driver core from `new` until drop, with
    /// [`probe_callback`] and [`remove_callback`] for `T`.
    pub(crate) struct Registration<T: Driver> {
        drv: Pin<KBox<Opaque<bindings::platform_driver>>>,
        _p: PhantomData<T>,
    }

    // SAFETY: the registration is only a handle to the driver core's list,
    // which has its own locking; it may be dropped from any thread.
    unsafe impl<T: Driver> Send for Registration<T> {}
    // SAFETY: `&Registration` exposes nothing.
    unsafe impl<T: Driver> Sync for Registration<T> {}

    impl<T: Driver> Registration<T> {
        /// Registers the driver for `module`; bound devices probe right away.
        pub(crate) fn new(module: &'static ThisModule) -> Result<Self> {
            let drv = KBox::pin(Opaque::<bindings::platform_driver>::uninit(), GFP_KERNEL)?;
            let p = drv.get();
            // SAFETY: `p` points to memory we own exclusively; an all-zero
            // `platform_driver` is valid, then we fill the fields we use.
            unsafe {
                core::ptr::write_bytes(p, 0, 1);
                (*p).driver.name = T::NAME.as_char_ptr();
                (*p).probe = Some(probe_callback::<T>);
                (*p).__bindgen_anon_1.remove = Some(remove_callback::<T>);
            }
            // SAFETY: `p` is a fully initialized driver that lives in `drv`
            // until `drop` unregisters it.
            to_result(unsafe { bindings::__platform_driver_register(p, module.as_ptr()) })?;
            // INVARIANT: registered just above, with `probe_callback::<T>` and
            // `remove_callback::<T>`; `drop` unregisters it.
            Ok(Self {
                drv,
                _p: PhantomData,
            })
        }
    }

    impl<T: Driver> Drop for Registration<T> {
        fn drop(&mut self) {
            // SAFETY: registered in `new` (type invariant); this runs remove
            // for every bound device before returning.
            unsafe { bindings::platform_driver_unregister(self.drv.get()) };
        }
    }

    /// # Safety
    ///
    /// Called by the driver core with a valid device.
    unsafe extern "C" fn probe_callback<T: Driver>(
        pdev: *mut bindings::platform_device,
    ) -> kernel::ffi::c_int {
        // INVARIANT: the driver core's device, valid during this call, which
        // the local `dev` does not outlive (`T::probe` borrows it).
        let dev = Device {
            ptr: pdev,
            _p: PhantomData,
        };
        match T::probe(&dev) {
            Ok(data) => {
                // SAFETY: the driver core passes a valid device;
                // remove_callback takes this pointer back exactly once.
                unsafe { (*pdev).dev.driver_data = data.into_foreign().cast_mut() };
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by the driver core with a valid device, once after each
    /// successful probe.
    unsafe extern "C" fn remove_callback<T: Driver>(pdev: *mut bindings::platform_device) {
        // SAFETY: only called after a successful probe, which stored the
        // value from `into_foreign`; the driver core calls remove once per
        // probe.
        let data = unsafe { T::Data::from_foreign((*pdev).dev.driver_data) };
        // SAFETY: `pdev` is valid during remove.
        unsafe { (*pdev).dev.driver_data = core::ptr::null_mut() };
        drop(data);
    }
}

/// A driver that binds every platform device of its name and does nothing,
/// and that userspace cannot unbind (`suppress_bind_attrs`: no bind or
/// unbind files): for devices a module creates and tears down itself
/// ([`DeviceRegistration`]), on which the media and V4L2 cores want a
/// bound driver (its name, its owner). Unregistered on drop, which unbinds
/// the devices still there.
///
/// # Invariants
///
/// `drv` is registered from `new` until drop.
pub(crate) struct HoldingDriver {
    drv: Pin<KBox<Opaque<bindings::platform_driver>>>,
}

// SAFETY: a handle to the driver core's list, which has its own locking.
unsafe impl Send for HoldingDriver {}
// SAFETY: `&HoldingDriver` exposes nothing.
unsafe impl Sync for HoldingDriver {}

/// Accepts the device; there is nothing to set up or, without `remove`,
/// to undo.
///
/// # Safety
///
/// None: it touches nothing (the driver core calls it with a valid device).
unsafe extern "C" fn hold_probe(_pdev: *mut bindings::platform_device) -> kernel::ffi::c_int {
    0
}

impl HoldingDriver {
    /// Registers the driver `name` for `module`.
    pub(crate) fn new(name: &'static CStr, module: &'static ThisModule) -> Result<Self> {
        let drv = KBox::pin(Opaque::<bindings::platform_driver>::uninit(), GFP_KERNEL)?;
        let p = drv.get();
        // SAFETY: `p` is ours alone; an all-zero `platform_driver` is
        // valid, then the fields we use are set.
        unsafe {
            core::ptr::write_bytes(p, 0, 1);
            (*p).driver.name = name.as_char_ptr();
            (*p).driver.suppress_bind_attrs = true;
            (*p).probe = Some(hold_probe);
        }
        // SAFETY: `p` is initialized and lives in `drv` until `drop`; on
        // 7.x the module's name (for its sysfs link) lives as long as it.
        to_result(unsafe {
            #[cfg(kernel_7)]
            let ret = bindings::__platform_driver_register(
                p,
                module.as_ptr(),
                (*module.as_ptr()).name.as_ptr().cast(),
            );
            #[cfg(not(kernel_7))]
            let ret = bindings::__platform_driver_register(p, module.as_ptr());
            ret
        })?;
        // INVARIANT: registered.
        Ok(Self { drv })
    }
}

impl Drop for HoldingDriver {
    fn drop(&mut self) {
        // SAFETY: registered (type invariant).
        unsafe { bindings::platform_driver_unregister(self.drv.get()) };
    }
}

/// A platform device we create, unregistered on drop.
///
/// # Invariants
///
/// `pdev` was returned by `platform_device_register_full` and holds the
/// reference that `drop` gives back.
pub(crate) struct DeviceRegistration {
    pdev: *mut bindings::platform_device,
}

// SAFETY: the device is refcounted by the driver core; the handle may be
// dropped from any thread.
unsafe impl Send for DeviceRegistration {}
// SAFETY: `&DeviceRegistration` exposes nothing.
unsafe impl Sync for DeviceRegistration {}

impl DeviceRegistration {
    /// Creates and adds the platform device `name` with instance `id`
    /// (named `name.id` in sysfs).
    pub(crate) fn new(name: &'static CStr, id: i32) -> Result<Self> {
        // SAFETY: no firmware node.
        unsafe { Self::with_fwnode(name, id, core::ptr::null_mut()) }
    }

    /// As [`Self::new`], with `fwnode` (NULL for none) as the device's
    /// firmware node.
    ///
    /// # Safety
    ///
    /// `fwnode` is NULL or stays valid until this is dropped.
    unsafe fn with_fwnode(
        name: &'static CStr,
        id: i32,
        fwnode: *mut bindings::fwnode_handle,
    ) -> Result<Self> {
        // SAFETY: all-zero is a valid `platform_device_info` (no resources,
        // no properties).
        let mut info: bindings::platform_device_info = unsafe { core::mem::zeroed() };
        info.name = name.as_char_ptr();
        info.id = id;
        info.fwnode = fwnode;
        // SAFETY: `info` is valid for the call; the core copies what it keeps.
        let pdev = from_err_ptr(unsafe { bindings::platform_device_register_full(&info) })?;
        // INVARIANT: what `platform_device_register_full` returned (no error:
        // `from_err_ptr`), with the reference that `drop` gives back.
        Ok(Self { pdev })
    }

    /// Whether a driver is bound to the device (a [`HoldingDriver`] of its
    /// name binds it while it is registered).
    pub(crate) fn is_bound(&self) -> bool {
        // SAFETY: `pdev` is registered, so valid (type invariant); the
        // driver core sets `driver` under the device lock, a plain read of
        // a pointer suffices for a yes or no right after registration.
        !unsafe { (*self.pdev).dev.driver }.is_null()
    }

    /// The device, for as long as it is registered: to hang a device of
    /// another bus or class on it (a `v4l2_device`).
    pub(crate) fn device(&self) -> Device<'_> {
        // INVARIANT: `pdev` is registered, and so valid, while `self` lives.
        Device {
            ptr: self.pdev,
            _p: PhantomData,
        }
    }
}

impl Drop for DeviceRegistration {
    fn drop(&mut self) {
        // SAFETY: `pdev` is registered (type invariant); the device memory is
        // freed by the driver core when its last reference goes.
        unsafe { bindings::platform_device_unregister(self.pdev) };
    }
}

/// A platform device described by a software node of its own, as board code
/// would describe it; the device goes first, then the node.
pub(crate) struct DeviceWithNode {
    // Field order is drop order.
    _dev: DeviceRegistration,
    _node: SoftwareNode,
}

impl DeviceWithNode {
    /// Registers the software node `node_name`, then the device `name.id`
    /// with that node as its firmware node.
    pub(crate) fn new(name: &'static CStr, id: i32, node_name: &'static CStr) -> Result<Self> {
        let node = SoftwareNode::new(node_name)?;
        // SAFETY: `node` is dropped after the device (field order).
        let dev = unsafe { DeviceRegistration::with_fwnode(name, id, node.fwnode())? };
        Ok(Self {
            _dev: dev,
            _node: node,
        })
    }
}
