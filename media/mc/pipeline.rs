// SPDX-License-Identifier: GPL-2.0

//! A started media pipeline: walking its entities and pads, and starting
//! and stopping its subdevs.
//!
//! C header: [`include/media/media-entity.h`](srctree/include/media/media-entity.h)
//!
//! Lifetimes: [`EntityRef`]s, [`PadRef`]s and [`SubdevRef`]s borrow the
//! stream start and cannot outlive it.
//! [`Started`] outlives it (it lives in the driver's stream) and keeps raw
//! subdev pointers: they stay valid because every video node is
//! unregistered, which stops its stream, before any subdev is (see
//! [`crate::media::v4l2::graph::Graph`]'s drop), and the graph holds a
//! reference to each subdev's memory until after that.

use crate::media::v4l2::types::MbusFormat;
use crate::media::{bindings, compat::MutPtr, v4l2::subdev};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::prelude::*;

/// A subdev of this module in a starting pipeline.
pub(crate) struct SubdevRef<'a> {
    sd: NonNull<bindings::v4l2_subdev>,
    _p: PhantomData<&'a ()>,
}

impl<'a> SubdevRef<'a> {
    /// The entity's driver data if the subdev is of type `S`.
    pub(crate) fn data<S: subdev::Driver>(&self) -> Option<&'a S> {
        // SAFETY: a registered subdev of this module (see `EntityRef::subdev`), whose
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

/// An entity of a started media pipeline, usable while the pipeline stays
/// started (`'a`): its links cannot change meanwhile.
///
/// # Invariants
///
/// `entity` is registered, in a pipeline that stays started, and so
/// registered, for `'a`.
#[derive(Clone, Copy)]
pub(crate) struct EntityRef<'a> {
    entity: NonNull<bindings::media_entity>,
    _p: PhantomData<&'a ()>,
}

/// A pad of an [`EntityRef`].
///
/// # Invariants
///
/// `pad` is an initialized pad of an entity as [`EntityRef`]'s.
#[derive(Clone, Copy)]
pub(crate) struct PadRef<'a> {
    pad: NonNull<bindings::media_pad>,
    _p: PhantomData<&'a ()>,
}

impl<'a> EntityRef<'a> {
    /// # Safety
    ///
    /// `entity` is a registered entity in a started pipeline, which stays
    /// started and registered for `'a`.
    pub(in crate::media) unsafe fn new(entity: NonNull<bindings::media_entity>) -> Self {
        // INVARIANT: guaranteed by the caller.
        Self {
            entity,
            _p: PhantomData,
        }
    }

    /// Its pads flagged as sinks, in pad order.
    pub(crate) fn sink_pads(self) -> impl Iterator<Item = PadRef<'a>> {
        let e = self.entity.as_ptr();
        // SAFETY: a registered entity (type invariant); `pads` has
        // `num_pads` entries, which do not change while it is registered.
        let n = unsafe { (*e).num_pads } as usize;
        (0..n).filter_map(move |i| {
            // SAFETY: as above, `i < num_pads`.
            let pad = unsafe { (*e).pads.add(i) };
            // SAFETY: an initialized pad; `flags` is fixed at init.
            let sink = unsafe { (*pad).flags } & bindings::MEDIA_PAD_FL_SINK as usize != 0;
            // INVARIANT: pad `i` of `self.entity`, initialized with it.
            sink.then(|| PadRef {
                // SAFETY: derived from a non-null pad array.
                pad: unsafe { NonNull::new_unchecked(pad) },
                _p: PhantomData,
            })
        })
    }

    /// The subdev of this module behind the entity, if it is one.
    pub(crate) fn subdev(self) -> Option<SubdevRef<'a>> {
        // SAFETY: a registered entity (type invariant).
        let sd = unsafe { subdev_of(self.entity.as_ptr()) }?;
        // SAFETY: a registered subdev; `owner` is a plain field, set before
        // registration.
        if unsafe { (*sd.as_ptr()).owner } != crate::media::THIS_MODULE_PTR {
            return None;
        }
        Some(SubdevRef {
            sd,
            _p: PhantomData,
        })
    }
}

impl<'a> PadRef<'a> {
    /// The pad at the other end of this pad's enabled link, if it has one
    /// (`media_pad_remote_pad_first()`).
    pub(crate) fn remote(self) -> Option<PadRef<'a>> {
        // SAFETY: a pad of a registered entity whose links cannot change.
        let remote = unsafe { bindings::media_pad_remote_pad_first(self.pad.as_ptr()) };
        // INVARIANT: the far end of an enabled link of a pad in the started
        // pipeline, so a pad of an entity that pipeline holds too.
        NonNull::new(remote).map(|pad| PadRef {
            pad,
            _p: PhantomData,
        })
    }

    /// The entity the pad belongs to.
    pub(crate) fn entity(self) -> EntityRef<'a> {
        // INVARIANT: the pad's own entity, registered and in the started
        // pipeline for `'a` (invariant of `PadRef`).
        EntityRef {
            // SAFETY: an initialized pad's entity is set and registered with
            // it (the pad of a registered entity).
            entity: unsafe { NonNull::new_unchecked((*self.pad.as_ptr()).entity) },
            _p: PhantomData,
        }
    }
}

/// The active format on `pad` if it is a subdev's pad, `None` if it is
/// another entity's.
///
/// # Safety
///
/// `pad` is a pad of a registered entity.
pub(crate) unsafe fn subdev_pad_format(
    pad: *mut bindings::media_pad,
) -> Result<Option<MbusFormat>> {
    // SAFETY: guaranteed by the caller.
    let Some(sd) = (unsafe { subdev_of((*pad).entity) }) else {
        return Ok(None);
    };
    // SAFETY: a registered subdev and one of its pads; the core's get_fmt
    // wrapper locks the active state.
    unsafe { subdev::active_format(sd.as_ptr(), u32::from((*pad).index)) }.map(Some)
}

/// The `v4l2_subdev` that `entity` is embedded in, if it is a subdev's.
///
/// # Safety
///
/// `entity` is a registered entity.
unsafe fn subdev_of(entity: *mut bindings::media_entity) -> Option<NonNull<bindings::v4l2_subdev>> {
    // SAFETY: guaranteed by the caller.
    if unsafe { (*entity).obj_type } != bindings::media_entity_type_MEDIA_ENTITY_TYPE_V4L2_SUBDEV {
        return None;
    }
    // SAFETY: a subdev entity is embedded in its `v4l2_subdev`.
    NonNull::new(unsafe { kernel::container_of!(entity, bindings::v4l2_subdev, entity) }.mut_ptr())
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
