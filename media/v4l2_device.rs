// SPDX-License-Identifier: GPL-2.0

//! The driver's top-level object: a `v4l2_device` and its `media_device`.
//!
//! C header: [`include/media/v4l2-device.h`](srctree/include/media/v4l2-device.h)
//!
//! Ownership: [`Root`] lives exactly as long as the `v4l2_device` reference
//! count. Every video or subdev node registered on it holds a reference, so
//! the memory outlives remove() until the last file handle is closed; the
//! `release` callback frees it. [`Registration`] is what remove() drops: it
//! only unregisters.

use super::{
    bindings,
    media_device::{Info, MediaDevice},
    platform, subdev, video_device,
};
use core::{cell::UnsafeCell, ptr::NonNull};
use kernel::{
    error::to_result,
    prelude::*,
    str::CStr,
    types::{ARef, AlwaysRefCounted, Opaque},
    ThisModule,
};

/// A registered `v4l2_device` with its media device and the driver's data.
///
/// # Invariants
///
/// - `v4l2_dev` is registered (or was, and is now unregistered), its
///   reference count is the lifetime of `self`, `v4l2_dev.mdev` points to
///   `mdev`, and `v4l2_dev.release` is [`release_callback::<T>`].
/// - `mdev` is initialized.
/// - `subdev_mem` is touched only by [`Registration`] (while it exists) and
///   by the release callback (after the last reference, so after
///   `Registration` is gone): never concurrently.
/// - `self` was allocated as a `KBox<Root<T>>` and is freed only by
///   [`release_callback::<T>`].
pub(crate) struct Root<T> {
    v4l2_dev: Opaque<bindings::v4l2_device>,
    mdev: MediaDevice,
    subdev_mem: UnsafeCell<KVec<subdev::SubdevMem>>,
    data: T,
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

    pub(super) fn v4l2_dev_ptr(&self) -> *mut bindings::v4l2_device {
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
    let root = unsafe { kernel::container_of!(v4l2_dev, Root<T>, v4l2_dev) } as *mut Root<T>;
    // SAFETY: the last reference is gone: no node, file or thread uses the
    // media device anymore, and it was unregistered by `Registration::drop`.
    unsafe { (*root).mdev.cleanup() };
    // SAFETY: allocated as a `KBox` in `Registration::new` (type invariant).
    // Dropping it also frees the subdevs' memory (`subdev_mem`): every
    // subdev was released before its node dropped its reference to us.
    drop(unsafe { KBox::from_raw(root) });
}

/// An entity registered on a [`Root`].
#[derive(Clone, Copy)]
enum Entity {
    Subdev(NonNull<bindings::v4l2_subdev>),
    Video(NonNull<bindings::video_device>),
}

/// The registration of a [`Root`] and of the entities on it, undone on drop
/// (the platform driver's remove).
///
/// # Invariants
///
/// - `entities` are registered on `root` and unregistered only by `drop`.
/// - `media_registered` tells whether `/dev/mediaN` and the subdev nodes exist.
pub(crate) struct Registration<T> {
    root: ARef<Root<T>>,
    module: &'static ThisModule,
    entities: KVec<Entity>,
    media_registered: bool,
}

// SAFETY: the raw subdev pointers are only unregistered in `drop`, which the
// V4L2 core allows from any thread.
unsafe impl<T: Send + Sync> Send for Registration<T> {}
// SAFETY: `&Registration` gives only `&Root<T>`, which is `Sync`.
unsafe impl<T: Send + Sync> Sync for Registration<T> {}

impl<T: Send + Sync + 'static> Registration<T> {
    /// Creates and registers the `v4l2_device` and initializes the media
    /// device for `dev`. Its nodes appear with [`Self::register_nodes`].
    pub(crate) fn new(
        dev: &platform::Device<'_>,
        info: &Info,
        data: T,
        module: &'static ThisModule,
    ) -> Result<Self> {
        let root = KBox::new(
            Root {
                v4l2_dev: Opaque::uninit(),
                mdev: MediaDevice::uninit(),
                subdev_mem: UnsafeCell::new(KVec::new()),
                data,
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
            (*v).mdev = root.mdev.as_ptr();
            (*v).release = Some(release_callback::<T>);
        }
        // SAFETY: as above.
        if let Err(e) = to_result(unsafe { bindings::v4l2_device_register(dev.as_dev_ptr(), v) }) {
            // SAFETY: initialized above and never registered.
            unsafe { root.mdev.cleanup() };
            return Err(e);
        }
        // From here on the kref owns the memory: leak the box into it.
        let raw = KBox::into_raw(root);
        // SAFETY: `raw` is non-null, and the registration's initial reference is ours.
        let root = unsafe { ARef::from_raw(NonNull::new_unchecked(raw)) };
        Ok(Self {
            root,
            module,
            entities: KVec::new(),
            media_registered: false,
        })
    }

    /// A counted reference to the top-level object.
    pub(crate) fn root(&self) -> &ARef<Root<T>> {
        &self.root
    }

    /// Creates the subdev `name` of type `S` with its data and registers it
    /// on the `v4l2_device`. Returns its index for [`Self::link`].
    pub(crate) fn add_subdev<S: subdev::Driver>(&mut self, name: &CStr, data: S) -> Result<usize> {
        // SAFETY: we are the `Registration` (invariant of `Root`).
        let mem = unsafe { &mut *self.root.subdev_mem.get() };
        // Reserve first so that nothing can fail after the subdev is registered.
        self.entities.reserve(1, GFP_KERNEL)?;
        mem.reserve(1, GFP_KERNEL)?;
        let (sd, sd_mem) = subdev::register(self.root.v4l2_dev_ptr(), self.module, name, data)?;
        self.entities.push(Entity::Subdev(sd), GFP_KERNEL)?;
        mem.push(sd_mem, GFP_KERNEL)?;
        Ok(self.entities.len() - 1)
    }

    /// Creates the capture node `name` of type `V` and registers it on the
    /// `v4l2_device`. Returns its index for [`Self::link`].
    pub(crate) fn add_video<V: video_device::Driver>(
        &mut self,
        name: &CStr,
        data: V,
        state: V::State,
    ) -> Result<usize> {
        self.entities.reserve(1, GFP_KERNEL)?;
        let vdev =
            video_device::register(self.root.v4l2_dev_ptr(), self.module, name, data, state)?;
        self.entities.push(Entity::Video(vdev), GFP_KERNEL)?;
        Ok(self.entities.len() - 1)
    }

    fn entity(&self, index: usize) -> Result<*mut bindings::media_entity> {
        let e = *self.entities.get(index).ok_or(EINVAL)?;
        Ok(match e {
            // SAFETY: every entity in the list is registered (type invariant).
            Entity::Subdev(sd) => unsafe { subdev::entity(sd) },
            // SAFETY: as above.
            Entity::Video(vdev) => unsafe { video_device::entity(vdev) },
        })
    }

    /// Creates a data link from pad `source_pad` of entity `source` to pad
    /// `sink_pad` of entity `sink` (indexes from `add_*`), with
    /// `MEDIA_LNK_FL_*` flags. It goes away with either entity.
    pub(crate) fn link(
        &mut self,
        source: usize,
        source_pad: u16,
        sink: usize,
        sink_pad: u16,
        flags: u32,
    ) -> Result {
        let (src, snk) = (self.entity(source)?, self.entity(sink)?);
        // SAFETY: both entities are registered; the core checks the pad indexes.
        to_result(unsafe { bindings::media_create_pad_link(src, source_pad, snk, sink_pad, flags) })
    }

    /// Creates an ancillary link from entity `primary` to `ancillary`.
    pub(crate) fn ancillary_link(&mut self, primary: usize, ancillary: usize) -> Result {
        let (p, a) = (self.entity(primary)?, self.entity(ancillary)?);
        // SAFETY: both entities are registered.
        kernel::error::from_err_ptr(unsafe { bindings::media_create_ancillary_link(p, a) })?;
        Ok(())
    }

    /// Creates `/dev/mediaN` and the subdev nodes.
    pub(crate) fn register_nodes(&mut self) -> Result {
        let mdev = self.root.media_device();
        // SAFETY: initialized in `new` (invariant of `Root`), not yet registered.
        unsafe { mdev.register(self.module)? };
        // Not `__v4l2_device_register_subdev_nodes()`: see the helper
        // behind `subdev::register_node`.
        for e in &self.entities {
            if let Entity::Subdev(sd) = *e {
                // SAFETY: registered by `add_subdev`, without a node so far.
                if let Err(e) = unsafe { subdev::register_node(sd) } {
                    // SAFETY: registered just above.
                    unsafe { mdev.unregister() };
                    return Err(e);
                }
            }
        }
        self.media_registered = true;
        Ok(())
    }
}

impl<T> Drop for Registration<T> {
    fn drop(&mut self) {
        // Video nodes first: that stops their streams, so no streamer uses a
        // subdev once subdevs go (`pipeline` relies on it). Then the
        // subdevs, in reverse order of creation. Each entity's release
        // callback runs now or when the last user of its node goes.
        // A stream's pipeline spans the pads of other video nodes, and
        // stopping it writes to them: hold every node's memory until all
        // streams are stopped.
        let videos = || {
            self.entities.iter().rev().filter_map(|e| match *e {
                Entity::Video(vdev) => Some(vdev),
                _ => None,
            })
        };
        for vdev in videos() {
            // SAFETY: registered by `add_video` and not unregistered yet, so
            // its memory is alive.
            unsafe { video_device::get(vdev) };
        }
        for vdev in videos() {
            // SAFETY: registered by `add_video` and not unregistered yet.
            unsafe { video_device::unregister(vdev) };
        }
        for vdev in videos() {
            // SAFETY: the reference taken above.
            unsafe { video_device::put(vdev) };
        }
        for e in self.entities.iter().rev() {
            if let Entity::Subdev(sd) = *e {
                // SAFETY: registered by `add_subdev` and not unregistered yet.
                unsafe { subdev::unregister(sd) };
            }
        }
        if self.media_registered {
            // SAFETY: registered by `register_nodes`.
            unsafe { self.root.mdev.unregister() };
        }
        // SAFETY: registered in `new`; its memory stays valid until our
        // reference (`self.root`) is dropped right after.
        unsafe { bindings::v4l2_device_unregister(self.root.v4l2_dev_ptr()) };
    }
}
