// SPDX-License-Identifier: GPL-2.0

//! The driver's top-level object: a `v4l2_device` and its `media_device`.
//!
//! C header: [`include/media/v4l2-device.h`](srctree/include/media/v4l2-device.h)
//!
//! Ownership: [`Root`] lives exactly as long as the `v4l2_device` reference
//! count. Every video or subdev node registered on it holds a reference, so
//! the memory outlives remove() until the last file handle is closed; the
//! `release` callback frees it. Its graph ([`crate::media::v4l2::graph`]) is
//! what remove() drops: it only unregisters.

use crate::media::{
    bindings,
    compat::{ARef, AlwaysRefCounted, MutPtr},
    kcompat::{platform, releases::Counted},
    mc::media_device::{Info, MediaDevice},
};
use core::{ptr::NonNull, sync::atomic::AtomicBool};
use kernel::{error::to_result, prelude::*, types::Opaque, ThisModule};

/// A registered `v4l2_device` with its media device and the driver's data.
///
/// # Invariants
///
/// - `v4l2_dev` is registered (or was, and is now unregistered), its
///   reference count is the lifetime of `self`, and `v4l2_dev.release` is
///   [`release_callback::<T>`]; `v4l2_dev.mdev` is null until the first
///   `graph::Builder::on`, and points to `mdev` from then on.
/// - `mdev` is initialized.
/// - `graph` is set from `graph::Builder::on` until its `graph::Graph`'s drop
///   has unregistered everything: at most one graph is on this device.
/// - `self` was allocated as a `KBox<Root<T>>` and is freed only by
///   [`release_callback::<T>`].
pub(crate) struct Root<T> {
    v4l2_dev: Opaque<bindings::v4l2_device>,
    pub(super) mdev: MediaDevice,
    pub(super) graph: AtomicBool,
    data: T,
    /// Freed by `release_callback`, maybe after the module's exit began.
    _counted: Counted,
}

// SAFETY: the C objects are protected by their own locks; `T` is shared
// between threads only if it allows it.
unsafe impl<T: Send + Sync> Send for Root<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for Root<T> {}

impl<T> Root<T> {
    /// The driver data.
    pub(crate) fn data(&self) -> &T {
        &self.data
    }

    /// The media device.
    pub(crate) fn media_device(&self) -> &MediaDevice {
        &self.mdev
    }

    pub(in crate::media) fn v4l2_dev_ptr(&self) -> *mut bindings::v4l2_device {
        self.v4l2_dev.get()
    }
}

// SAFETY: the reference count is the `v4l2_device` kref, and the object is
// freed by the release callback only when it reaches zero.
unsafe impl<T> AlwaysRefCounted for Root<T> {
    fn inc_ref(&self) {
        // SAFETY: `v4l2_dev` is registered (type invariant), so its kref is
        // initialized, and `&self` proves it is not zero.
        unsafe { bindings::rust_helper_v4l2_device_get(self.v4l2_dev.get()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller owns one reference; dropping the last one calls
        // `release_callback`, which frees `obj`.
        unsafe { bindings::v4l2_device_put((*obj.as_ptr()).v4l2_dev.get()) };
    }
}

/// # Safety
///
/// Called by the V4L2 core, once, when the last reference is gone.
unsafe extern "C" fn release_callback<T>(v4l2_dev: *mut bindings::v4l2_device) {
    // SAFETY: only installed on `Root<T>::v4l2_dev` (type invariant), so the
    // container is a `Root<T>`.
    let root = unsafe {
        kernel::container_of!(
            v4l2_dev.cast::<Opaque<bindings::v4l2_device>>(),
            Root<T>,
            v4l2_dev
        )
    }
    .mut_ptr();
    // SAFETY: the last reference is gone: no node, file or thread uses the
    // media device anymore, and it was unregistered by `Graph::drop`.
    unsafe { (*root).mdev.cleanup() };
    // SAFETY: allocated as a `KBox` in `Device::new` (type invariant).
    drop(unsafe { KBox::from_raw(root) });
}

/// A `v4l2_device` whose graph comes and goes (`graph::Builder::on`), as
/// async subdevs bind and unbind. Unregistered on drop.
///
/// # Invariants
///
/// `root`'s `v4l2_device` is registered until drop.
pub(crate) struct Device<T> {
    pub(super) root: ARef<Root<T>>,
    pub(super) module: &'static ThisModule,
}

impl<T> Drop for Device<T> {
    fn drop(&mut self) {
        // SAFETY: registered (type invariant); its memory stays valid until
        // our reference (`self.root`) is dropped right after.
        unsafe { bindings::v4l2_device_unregister(self.root.v4l2_dev_ptr()) };
    }
}

impl<T: Send + Sync + 'static> Device<T> {
    /// Creates and registers the `v4l2_device` for `dev` and initializes
    /// its media device, not attached yet (see `graph::Builder::on`).
    pub(crate) fn new(
        dev: &platform::Device<'_>,
        info: &Info,
        data: T,
        module: &'static ThisModule,
    ) -> Result<Self> {
        // INVARIANT: not yet: `root` is ours until `KBox::into_raw` below, by
        // when the `v4l2_device` is registered with `release_callback::<T>`
        // and `mdev` initialized; `v4l2_dev.mdev` is set by `Builder::on`.
        let root = KBox::new(
            Root {
                v4l2_dev: Opaque::uninit(),
                mdev: MediaDevice::uninit(),
                graph: AtomicBool::new(false),
                data,
                _counted: Counted::new(),
            },
            GFP_KERNEL,
        )?;
        let v = root.v4l2_dev.get();
        // SAFETY: `root` is ours alone and not yet visible to C; an all-zero
        // `v4l2_device` is what `v4l2_device_register` expects; `dev` is the
        // probing device, which outlives the registration.
        unsafe {
            core::ptr::write_bytes(v, 0, 1);
            root.mdev.init(dev.as_dev_ptr(), info);
            (*v).release = Some(release_callback::<T>);
        }
        // SAFETY: as above.
        if let Err(e) = to_result(unsafe { bindings::v4l2_device_register(dev.as_dev_ptr(), v) }) {
            // SAFETY: initialized above and never registered.
            unsafe { root.mdev.cleanup() };
            return Err(e);
        }
        // From here on the kref owns the memory: leak the box into it.
        // INVARIANT: registered above; only `release_callback::<T>` frees it.
        let raw = KBox::into_raw(root);
        // SAFETY: `raw` is non-null, and the registration's initial reference is ours.
        let root = unsafe { ARef::from_raw(NonNull::new_unchecked(raw)) };
        // INVARIANT: registered above; `drop` unregisters it.
        Ok(Self { root, module })
    }

    /// A counted reference to the top-level object.
    pub(crate) fn root(&self) -> &ARef<Root<T>> {
        &self.root
    }
}
