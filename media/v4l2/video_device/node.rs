// SPDX-License-Identifier: GPL-2.0

//! Registering a node, and its release: where a [`VideoDev`] is freed.

use super::{
    ops::{Vtable, FOPS},
    queue::Queued,
    Driver, VideoDev,
};
use crate::media::{
    bindings,
    compat::{ARef, AlwaysRefCounted, MutPtr},
    copy_cstr,
    kcompat::releases::Counted,
    mc::media_device::MediaDevice,
};
use core::{cell::UnsafeCell, pin::Pin, ptr::NonNull};
use kernel::{
    error::to_result,
    new_condvar, new_spinlock,
    prelude::*,
    str::CStr,
    types::{ForeignOwnable, Opaque},
    ThisModule,
};

/// # Safety
///
/// Called by the V4L2 core, once, after unregistration and the last close.
pub(super) unsafe extern "C" fn release_callback<T: Driver>(vdev: *mut bindings::video_device) {
    // SAFETY: installed only on `VideoDev<T>::vdev` (type invariant).
    let node = unsafe {
        kernel::container_of!(
            vdev.cast::<Opaque<bindings::video_device>>(),
            VideoDev<T>,
            vdev
        )
    }
    .mut_ptr();
    // SAFETY: nothing uses the node anymore (the queue was released at
    // unregistration); allocated as a `KBox` by `register`.
    unsafe { free_node(node) };
}

/// Destroys the node's lock and frees the node.
///
/// # Safety
///
/// `node` came from `into_foreign` in [`register`], its lock was
/// initialized, and nothing (C or Rust) uses the node anymore.
pub(super) unsafe fn free_node<T: Driver>(node: *mut VideoDev<T>) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        bindings::rust_helper_video_lock_destroy((*node).lock.get());
        drop(Pin::<KBox<VideoDev<T>>>::from_foreign(node.cast()));
    }
}

/// Frees a node whose registration failed after device_register(), from
/// the device's release.
///
/// # Safety
///
/// `vdev` is the `video_device` of a `VideoDev<T>` that was never
/// registered, with no other user left.
pub(super) unsafe extern "C" fn free_failed<T: Driver>(vdev: *mut bindings::video_device) {
    // SAFETY: `vdev` is the `vdev` field of a `VideoDev<T>`, which the
    // caller says is unused; `free_node` needs nothing more.
    unsafe {
        free_node(
            kernel::container_of!(
                vdev.cast::<Opaque<bindings::video_device>>(),
                VideoDev<T>,
                vdev
            )
            .mut_ptr(),
        )
    };
}

/// Creates the capture node `name` of type `T` with one sink pad and a vb2
/// queue and registers it on `v4l2_dev`. Returns a reference to the node,
/// which its owner unregisters ([`Node::unregister`]).
///
/// # Safety
///
/// `v4l2_dev` is registered, its media device is `media`, and both live
/// as long as the `v4l2_device`'s reference count (which the node holds).
pub(crate) unsafe fn register<T: Driver>(
    v4l2_dev: *mut bindings::v4l2_device,
    media: &MediaDevice,
    module: &'static ThisModule,
    name: &CStr,
    data: T,
    state: T::State,
) -> Result<ARef<Node>> {
    let published = data.g_fmt(&state);
    // INVARIANT: a pinned `KBox`, made raw by `into_foreign` below and taken
    // back only by `free_node`; the next block sets up its C parts before C
    // sees it. `published` is `state`'s format, `queued` empty.
    let node: Pin<KBox<VideoDev<T>>> = KBox::pin_init(
        pin_init!(VideoDev {
            vdev: Opaque::uninit(),
            pad: Opaque::uninit(),
            lock: Opaque::uninit(),
            queue: Opaque::uninit(),
            pipe: Opaque::uninit(),
            // INVARIANT: the caller's media device, alive as long as the
            // `v4l2_device` whose reference the registration takes.
            media: NonNull::from(media),
            queued <- new_spinlock!(Queued::new(), "vimc_rs::queued"),
            arrived <- new_condvar!("vimc_rs::arrived"),
            published <- new_spinlock!(published, "vimc_rs::published"),
            state: UnsafeCell::new(state),
            stream: UnsafeCell::new(None),
            data,
            _counted: Counted::new(),
        }),
        GFP_KERNEL,
    )?;
    // Handed to C, which keeps pointers into it (it stays pinned) until
    // `free_node` takes it back.
    let raw = node.into_foreign().mut_ptr().cast::<VideoDev<T>>();
    // INVARIANT: `lock` is initialized and becomes `vdev.lock` and
    // `queue.lock`; `queue.drv_priv` is the node, `vdev.release` is
    // `release_callback::<T>`, and `vb2_queue_init` inits the queue.
    // SAFETY: `raw` is ours alone and not yet visible to C; zeroed C
    // objects are what the init functions expect.
    let ret = unsafe {
        let v = (*raw).vdev.get();
        let q = (*raw).queue.get();
        core::ptr::write_bytes(v, 0, 1);
        core::ptr::write_bytes((*raw).pad.get(), 0, 1);
        core::ptr::write_bytes(q, 0, 1);
        core::ptr::write_bytes((*raw).pipe.get(), 0, 1);
        (*(*raw).pad.get()).flags = bindings::MEDIA_PAD_FL_SINK as kernel::ffi::c_ulong;
        bindings::rust_helper_video_lock_init((*raw).lock.get());
        (*q).type_ = bindings::v4l2_buf_type_V4L2_BUF_TYPE_VIDEO_CAPTURE;
        (*q).io_modes = bindings::vb2_io_modes_VB2_MMAP
            | bindings::vb2_io_modes_VB2_DMABUF
            | bindings::vb2_io_modes_VB2_USERPTR;
        (*q).drv_priv = raw.cast();
        (*q).buf_struct_size =
            core::mem::size_of::<bindings::vb2_v4l2_buffer>() as kernel::ffi::c_uint;
        (*q).ops = &Vtable::<T>::QUEUE_OPS;
        (*q).mem_ops = &bindings::vb2_vmalloc_memops;
        (*q).timestamp_flags = bindings::V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC;
        (*q).min_reqbufs_allocation = T::MIN_REQBUFS_ALLOCATION;
        (*q).lock = (*raw).lock.get();
        (*q).dev = (*v4l2_dev).dev;
        copy_cstr(&mut (*v).name, name);
        (*v).entity.function = bindings::MEDIA_ENT_F_IO_V4L;
        (*v).entity.ops = &Vtable::<T>::ENTITY_OPS;
        (*v).release = Some(release_callback::<T>);
        (*v).fops = &FOPS.0;
        (*v).ioctl_ops = &Vtable::<T>::IOCTL_OPS;
        (*v).lock = (*raw).lock.get();
        (*v).queue = q;
        (*v).v4l2_dev = v4l2_dev;
        (*v).vfl_dir = bindings::vfl_devnode_direction_VFL_DIR_RX;
        (*v).device_caps =
            bindings::V4L2_CAP_VIDEO_CAPTURE | bindings::V4L2_CAP_STREAMING | T::EXTRA_CAPS;
        to_result(bindings::vb2_queue_init(q)).and_then(|()| {
            to_result(bindings::media_entity_pads_init(
                &raw mut (*v).entity,
                1,
                (*raw).pad.get(),
            ))
        })
    };
    if let Err(e) = ret {
        // SAFETY: never registered; a failed or unused queue holds nothing.
        unsafe { free_node(raw) };
        return Err(e);
    }
    // SAFETY: `raw` is fully initialized; on success, the core owns it until
    // the release callback.
    let ret = unsafe {
        bindings::__video_register_device(
            (*raw).vdev.get(),
            bindings::vfl_devnode_type_VFL_TYPE_VIDEO,
            -1,
            1,
            module.as_ptr(),
        )
    };
    if let Err(e) = to_result(ret) {
        // SAFETY: a failed registration never calls `release_callback`:
        // still ours. If device_register() ran, its reference is put and
        // `free_failed` frees the node from the device's release (maybe
        // later); else it is freed here.
        unsafe {
            if !bindings::vimc_rs_video_register_failed((*raw).vdev.get(), Some(free_failed::<T>)) {
                free_node(raw);
            }
        }
        return Err(e);
    }
    // SAFETY: derived from a non-null box pointer.
    let vdev = unsafe { NonNull::new_unchecked((*raw).vdev.get()) };
    // 6.12's __video_register_device() ignores a failure to add the node's
    // entity to the media graph (an allocation in it) and returns 0; links
    // to that entity would then hit BUG_ON(!mdev). C vimc does, under
    // fault injection. An entity outside the graph is a failed registration.
    // SAFETY: registered just above; only a field is read.
    if unsafe { (*vdev.as_ptr()).entity.graph_obj.mdev }.is_null() {
        // The failed step already took the entity and interface out again,
        // but the core's release would remove them once more through a NULL
        // or freed `intf_devnode`; it skips that for memory-to-memory nodes.
        // SAFETY: registered and not unregistered; the release callback
        // frees the node once the core lets go.
        unsafe {
            (*vdev.as_ptr()).vfl_dir = bindings::vfl_devnode_direction_VFL_DIR_M2M;
            bindings::vb2_video_unregister_device(vdev.as_ptr());
        }
        return Err(ENOMEM);
    }
    // SAFETY: registered above; the registration's reference holds it.
    Ok(unsafe { Node::get(vdev) })
}

/// A registered video node: ours ([`register`]) or a subdev's. Counted by
/// its `struct device`, the way the core counts a node (each open file
/// holds a reference): an [`ARef<Node>`] keeps the node's memory, which its
/// release frees after the last reference, but not its registration.
///
/// # Invariants
///
/// The `video_device` was registered by `__video_register_device()` and
/// its `struct device` is counted: a `&Node` exists only while a reference
/// is held, so its release has not run.
#[repr(transparent)]
pub(crate) struct Node(Opaque<bindings::video_device>);

// SAFETY: `get_device()` and `put_device()` may be called from any thread;
// the methods take the core's own locks.
unsafe impl Send for Node {}
// SAFETY: as above; `&Node` gives no unsynchronized access.
unsafe impl Sync for Node {}

// SAFETY: the reference count is the node's `struct device` kref; the
// node's memory goes only at its release, after the last one.
unsafe impl AlwaysRefCounted for Node {
    fn inc_ref(&self) {
        // SAFETY: `&self` proves a reference is held (type invariant).
        unsafe { bindings::get_device(&raw mut (*self.0.get()).dev) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives back one reference it held; the last
        // one runs the node's release, which frees it.
        unsafe { bindings::put_device(&raw mut (*obj.as_ref().0.get()).dev) };
    }
}

impl Node {
    /// A counted reference to the registered node `vdev`.
    ///
    /// # Safety
    ///
    /// `vdev` was registered by `__video_register_device()` and the caller
    /// holds a reference to it (its registration, or one of its own) for as
    /// long as this call lasts.
    pub(crate) unsafe fn get(vdev: NonNull<bindings::video_device>) -> ARef<Node> {
        // INVARIANT: registered, and the caller's reference keeps it
        // counted until `ARef::from` took one of ours.
        // SAFETY: `Node` is a transparent `video_device`; the memory is
        // alive while the caller's reference is.
        ARef::from(unsafe { &*vdev.as_ptr().cast::<Node>() })
    }

    /// The node's media entity.
    pub(crate) fn entity(&self) -> *mut bindings::media_entity {
        // SAFETY: the memory is alive (type invariant); only a field
        // address is computed.
        unsafe { &raw mut (*self.0.get()).entity }
    }

    /// Unregisters a node from [`register`]: stops its stream and releases
    /// its queue (waking blocked waiters); open files then fail with
    /// -ENODEV, and the memory goes with the last reference.
    ///
    /// # Safety
    ///
    /// The node came from [`register`] and is not unregistered yet.
    pub(crate) unsafe fn unregister(&self) {
        // SAFETY: guaranteed by the caller; the memory is alive (type
        // invariant).
        unsafe { bindings::vb2_video_unregister_device(self.0.get()) };
    }

    /// Takes the node's entity and interface off its media device now
    /// instead of at its release: for a media device that was never
    /// registered, which nothing else empties (see
    /// `vimc_rs_video_device_detach_media`).
    ///
    /// # Safety
    ///
    /// The node is unregistered.
    pub(crate) unsafe fn detach_media(&self) {
        // SAFETY: the memory is alive and its release cannot run while
        // `&self` holds a reference (type invariant); the helper takes
        // graph_mutex for what it removes; unregistered (the caller).
        unsafe { bindings::vimc_rs_video_device_detach_media(self.0.get()) };
    }
}
