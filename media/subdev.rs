// SPDX-License-Identifier: GPL-2.0

//! V4L2 subdevices and their media entities.
//!
//! C header: [`include/media/v4l2-subdev.h`](srctree/include/media/v4l2-subdev.h)
//!
//! Ownership: a [`Subdev`] is one allocation holding the `v4l2_subdev`, its
//! pads and the entity's driver data. The V4L2 core calls its `release`
//! callback once the subdev is unregistered and its `/dev/v4l-subdevN` node
//! (if any) has no user left; that callback drops the entity's data, with
//! everything the entity owns.
//!
//! The memory block itself is freed later, by the top-level object's release
//! ([`SubdevMem`] is kept by [`super::v4l2_device::Root`]): in 6.12,
//! `v4l2_subdev_release()` writes `sd->devnode = NULL` after calling our
//! release, so freeing there is a use-after-free (KASAN caught it in our
//! first unload test). Every subdev node holds a `v4l2_device` reference, so
//! the root's release runs after all subdev releases have returned.

use super::{bindings, copy_cstr};
use core::{ffi::c_void, marker::PhantomData, mem::ManuallyDrop, ptr::NonNull};
use kernel::{error::to_result, prelude::*, str::CStr, types::Opaque, ThisModule};

/// An entity type implemented as a subdev.
pub(crate) trait Driver: Sized + Send + Sync + 'static {
    /// Media entity function (`MEDIA_ENT_F_*`).
    const FUNCTION: u32;
    /// Flags (`MEDIA_PAD_FL_*`) of each pad, in pad order.
    const PADS: &'static [u32];
}

/// A subdev with its pads and driver data `T`.
///
/// # Invariants
///
/// - Allocated as a `KBox<Subdev<T>>` by [`register`] and freed only by
///   dropping its [`SubdevMem`].
/// - `data` is dropped exactly once: by [`release_callback::<T>`], installed
///   as `sd.internal_ops.release`, or by [`register`] when it fails.
/// - `pads` holds `T::PADS.len()` pads, initialized on `sd.entity`.
pub(crate) struct Subdev<T> {
    sd: Opaque<bindings::v4l2_subdev>,
    pads: KVec<Opaque<bindings::media_pad>>,
    data: ManuallyDrop<T>,
}

/// Ownership of the memory of one [`Subdev`], whatever its `T`; dropping it
/// frees the block (not the data, which its release callback dropped).
///
/// # Invariants
///
/// `ptr` is a `KBox<Subdev<T>>` turned raw, `free` is `free::<T>`, and the
/// subdev is released (its `data` dropped) before this is dropped.
pub(crate) struct SubdevMem {
    ptr: *mut c_void,
    free: unsafe fn(*mut c_void),
}

impl Drop for SubdevMem {
    fn drop(&mut self) {
        // SAFETY: by the type invariant.
        unsafe { (self.free)(self.ptr) };
    }
}

/// # Safety
///
/// As the invariant of [`SubdevMem`].
unsafe fn free<T>(p: *mut c_void) {
    // SAFETY: `p` is a `KBox<Subdev<T>>` turned raw (invariant of `SubdevMem`);
    // `data` is `ManuallyDrop`, so this frees only the block and the pads.
    drop(unsafe { KBox::from_raw(p.cast::<Subdev<T>>()) });
}

impl<T> Subdev<T> {
    /// The entity's driver data.
    pub(crate) fn data(&self) -> &T {
        &self.data
    }
}

struct Vtable<T>(PhantomData<T>);

impl<T: Driver> Vtable<T> {
    const OPS: bindings::v4l2_subdev_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let ops: bindings::v4l2_subdev_ops = unsafe { core::mem::zeroed() };
        ops
    };
    const INTERNAL_OPS: bindings::v4l2_subdev_internal_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let mut ops: bindings::v4l2_subdev_internal_ops = unsafe { core::mem::zeroed() };
        ops.release = Some(release_callback::<T>);
        ops
    };
}

/// # Safety
///
/// Called by the V4L2 core, once, when the last reference is gone.
unsafe extern "C" fn release_callback<T>(sd: *mut bindings::v4l2_subdev) {
    // SAFETY: installed only on `Subdev<T>::sd` (type invariant).
    let s = unsafe { kernel::container_of!(sd, Subdev<T>, sd) } as *mut Subdev<T>;
    // SAFETY: the core calls release once, after unregistration, when the
    // node has no user: nothing uses the entity's data anymore.
    unsafe { ManuallyDrop::drop(&mut (*s).data) };
}

/// Creates the subdev `name` of type `T` and registers it on `v4l2_dev`,
/// with a device node. Returns the C subdev for [`unregister`] and its
/// memory, to be dropped only after the subdev was released.
pub(super) fn register<T: Driver>(
    v4l2_dev: *mut bindings::v4l2_device,
    module: &'static ThisModule,
    name: &CStr,
    data: T,
) -> Result<(NonNull<bindings::v4l2_subdev>, SubdevMem)> {
    let mut pads = KVec::with_capacity(T::PADS.len(), GFP_KERNEL)?;
    for _ in T::PADS {
        pads.push(Opaque::<bindings::media_pad>::uninit(), GFP_KERNEL)?;
    }
    let s = KBox::new(
        Subdev {
            sd: Opaque::uninit(),
            pads,
            data: ManuallyDrop::new(data),
        },
        GFP_KERNEL,
    )?;
    let sd = s.sd.get();
    // SAFETY: `s` is ours alone and not yet visible to C; zeroed pads and an
    // initialized subdev are what `media_entity_pads_init` expects.
    let ret = unsafe {
        for (pad, flags) in s.pads.iter().zip(T::PADS) {
            core::ptr::write_bytes(pad.get(), 0, 1);
            (*pad.get()).flags = *flags as _;
        }
        // `v4l2_subdev_init` expects zeroed memory, as from kzalloc.
        core::ptr::write_bytes(sd, 0, 1);
        bindings::v4l2_subdev_init(sd, &Vtable::<T>::OPS);
        (*sd).owner = module.as_ptr();
        (*sd).internal_ops = &Vtable::<T>::INTERNAL_OPS;
        (*sd).flags |= bindings::V4L2_SUBDEV_FL_HAS_DEVNODE;
        (*sd).entity.function = T::FUNCTION;
        copy_cstr(&mut (*sd).name, name);
        bindings::media_entity_pads_init(
            &raw mut (*sd).entity,
            T::PADS.len() as u16,
            s.pads.as_ptr() as *mut bindings::media_pad,
        )
    };
    if let Err(e) = to_result(ret) {
        drop(ManuallyDrop::into_inner(KBox::into_inner(s).data));
        return Err(e);
    }
    let raw = KBox::into_raw(s);
    // SAFETY: `raw` is a fully initialized subdev; on success the release
    // callback owns the allocation.
    let ret = unsafe {
        bindings::__v4l2_device_register_subdev(v4l2_dev, (*raw).sd.get(), module.as_ptr())
    };
    if let Err(e) = to_result(ret) {
        // SAFETY: registration failed, so C holds no pointer and release will
        // never run: the allocation and its data are still ours.
        let s = unsafe { KBox::from_raw(raw) };
        drop(ManuallyDrop::into_inner(KBox::into_inner(s).data));
        return Err(e);
    }
    let mem = SubdevMem {
        ptr: raw.cast(),
        free: free::<T>,
    };
    // SAFETY: derived from a non-null box pointer.
    Ok((unsafe { NonNull::new_unchecked((*raw).sd.get()) }, mem))
}

/// Unregisters a subdev from [`register`]; its memory goes with its release.
///
/// # Safety
///
/// `sd` came from [`register`] and was not unregistered yet.
pub(super) unsafe fn unregister(sd: NonNull<bindings::v4l2_subdev>) {
    // SAFETY: guaranteed by the caller.
    unsafe { bindings::v4l2_device_unregister_subdev(sd.as_ptr()) };
}
