// SPDX-License-Identifier: GPL-2.0

//! Walking a started media pipeline upstream from a video node, and starting
//! and stopping its subdevs, as C vimc's streamer does.
//!
//! C header: [`include/media/media-entity.h`](srctree/include/media/media-entity.h)
//!
//! Lifetimes: [`SubdevRef`]s borrow the stream start and cannot outlive it.
//! [`Started`] outlives it (it lives in the driver's stream) and keeps raw
//! subdev pointers: they stay valid because every video node is
//! unregistered, which stops its stream, before any subdev is (see
//! [`super::v4l2_device::Registration`]'s drop), and the graph holds a
//! reference to each subdev's memory until after that.

use super::v4l2::PixFormat;
use super::{bindings, compat::MutPtr, subdev};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::prelude::*;

/// The longest pipeline C vimc walks.
const MAX_PIPELINE: usize = 16;

/// A subdev of this module in a starting pipeline.
pub(crate) struct SubdevRef<'a> {
    sd: NonNull<bindings::v4l2_subdev>,
    _p: PhantomData<&'a ()>,
}

impl<'a> SubdevRef<'a> {
    /// The entity's driver data if the subdev is of type `S`.
    pub(crate) fn data<S: subdev::Driver>(&self) -> Option<&'a S> {
        // SAFETY: a registered subdev of this module (see `upstream`), whose
        // data lives while it is registered, which outlasts `'a`.
        unsafe { subdev::data_if::<S>(self.sd) }
    }

    /// Runs `f` on the subdev's active state, locked.
    pub(crate) fn with_active_state<R>(&self, f: impl FnOnce(&subdev::State<'_>) -> R) -> R {
        // SAFETY: a registered subdev with pad ops (every subdev upstream
        // of a video node has them).
        unsafe { subdev::with_active_state(self.sd, f) }
    }
}

/// # Safety
///
/// `entity` is a registered entity.
unsafe fn is_subdev(entity: *const bindings::media_entity) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe { (*entity).obj_type == bindings::media_entity_type_MEDIA_ENTITY_TYPE_V4L2_SUBDEV }
}

/// `vimc_get_source_entity()`: the entity at the other end of the first
/// enabled link of the first sink pad, if any.
///
/// # Safety
///
/// `entity` is a registered entity; the graph does not change (the
/// pipeline is started).
unsafe fn source_of(entity: *mut bindings::media_entity) -> Option<*mut bindings::media_entity> {
    // SAFETY: guaranteed by the caller; `pads` has `num_pads` entries.
    unsafe {
        let pads = (*entity).pads;
        for i in 0..(*entity).num_pads as usize {
            let pad = pads.add(i);
            if (*pad).flags & bindings::MEDIA_PAD_FL_SOURCE as usize != 0 {
                continue;
            }
            let remote = bindings::media_pad_remote_pad_first(pad);
            return (!remote.is_null()).then(|| (*remote).entity);
        }
    }
    None
}

/// # Safety
///
/// As [`source_of`].
unsafe fn is_source(entity: *mut bindings::media_entity) -> bool {
    // SAFETY: as the function's safety section.
    unsafe {
        (0..(*entity).num_pads as usize)
            .all(|i| (*(*entity).pads.add(i)).flags & bindings::MEDIA_PAD_FL_SINK as usize == 0)
    }
}

/// The subdevs upstream of `entity`, nearest first, ending at one without
/// sink pads. -EPIPE if the chain ends elsewhere, -EINVAL if it is longer
/// than C vimc allows or leaves this module's subdevs.
///
/// # Safety
///
/// `entity` is a registered entity of this module whose media pipeline is
/// started, so links cannot change; the result is used within `'a`, while
/// the entities stay registered.
pub(crate) unsafe fn upstream<'a>(
    entity: *mut bindings::media_entity,
) -> Result<KVec<SubdevRef<'a>>> {
    let mut out = KVec::new();
    let mut ent = entity;
    loop {
        // SAFETY: `ent` is `entity` or a registered subdev found below.
        match unsafe { source_of(ent) } {
            None => {
                // SAFETY: as above.
                return if unsafe { is_source(ent) } {
                    Ok(out)
                } else {
                    Err(EPIPE)
                };
            }
            Some(next) => {
                // SAFETY: an entity of the same graph.
                if out.len() + 1 >= MAX_PIPELINE || !unsafe { is_subdev(next) } {
                    return Err(EINVAL);
                }
                let sd =
                    // SAFETY: a subdev entity is embedded in its `v4l2_subdev`.
                    unsafe { kernel::container_of!(next, bindings::v4l2_subdev, entity) }.mut_ptr();
                // SAFETY: as above; `owner` is a plain field.
                if unsafe { (*sd).owner } != super::THIS_MODULE_PTR {
                    return Err(EINVAL);
                }
                out.push(
                    SubdevRef {
                        // SAFETY: derived from a non-null entity pointer.
                        sd: unsafe { NonNull::new_unchecked(sd.cast()) },
                        _p: PhantomData,
                    },
                    GFP_KERNEL,
                )?;
                ent = next;
            }
        }
    }
}

/// The format on `pad` as a capture node would see it (`vimc_get_pix_format()`
/// for a subdev pad).
///
/// # Safety
///
/// `pad` is a pad of a registered entity.
pub(crate) unsafe fn pad_format(pad: *mut bindings::media_pad) -> Result<PixFormat> {
    // SAFETY: guaranteed by the caller.
    let entity = unsafe { (*pad).entity };
    // SAFETY: as above.
    if !unsafe { is_subdev(entity) } {
        return Err(EINVAL);
    }
    // SAFETY: a subdev entity is embedded in its `v4l2_subdev`; the core's
    // get_fmt wrapper locks the active state.
    let f = unsafe {
        let sd = kernel::container_of!(entity, bindings::v4l2_subdev, entity).mut_ptr();
        subdev::active_format(sd, u32::from((*pad).index))?
    };
    PixFormat::of_mbus(&f).ok_or(EINVAL)
}

/// Subdevs started for one stream, stopped in reverse order on drop.
pub(crate) struct Started {
    sds: KVec<NonNull<bindings::v4l2_subdev>>,
}

// SAFETY: subdev calls may come from any thread.
unsafe impl Send for Started {}

impl Started {
    /// Nothing started yet.
    pub(crate) fn new() -> Self {
        Self { sds: KVec::new() }
    }

    /// Calls the subdev's `s_stream(1)`; it is stopped when `self` drops.
    pub(crate) fn start(&mut self, sd: &SubdevRef<'_>) -> Result {
        self.sds.reserve(1, GFP_KERNEL)?;
        // SAFETY: a registered subdev of this module.
        unsafe { subdev::s_stream(sd.sd, true)? };
        self.sds.push(sd.sd, GFP_KERNEL)?;
        Ok(())
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        for sd in self.sds.iter().rev() {
            // SAFETY: started by `start`; still registered (module docs).
            let _ = unsafe { subdev::s_stream(*sd, false) };
        }
    }
}
