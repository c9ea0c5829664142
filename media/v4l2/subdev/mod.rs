// SPDX-License-Identifier: GPL-2.0

//! V4L2 subdevices and their media entities.
//!
//! C header: [`include/media/v4l2-subdev.h`](srctree/include/media/v4l2-subdev.h)
//!
//! Ownership: a subdev (`v4l2_subdev`, pads, controls, state and the
//! entity's driver data) is one refcounted allocation ([`Block`]). Whoever
//! registered it holds one reference (a graph's entity, [`SubdevHold`], or
//! an [`AsyncRegistration`]), and its `/dev/v4l-subdevN` node holds one
//! until the node's release, which comes after its last close. The last
//! reference frees everything. No `internal_ops.release` is used: 6.12's
//! `v4l2_subdev_release()` writes `sd->devnode` after calling it, so the
//! memory cannot go there, and a subdev bound through v4l2-async is
//! "released" once per unbind.

use crate::media::{
    bindings,
    v4l2::{
        ctrls,
        types::{FrameSizes, MbusFormat, Rect},
    },
};
use core::{any::TypeId, mem::ManuallyDrop};
use kernel::{build_error, error::VTABLE_DEFAULT_ERROR, prelude::*, types::Opaque};

mod block;
mod node;
mod ops;
mod registered;
mod state;

pub(in crate::media) use block::register;
pub(crate) use block::{AsyncRegistration, SubdevHold};
pub(crate) use node::{node, resolve_symbols, unregister_node};
pub(crate) use registered::entity;
pub(in crate::media) use registered::{
    active_format, data_if, s_stream, unregister, with_active_state,
};
pub(crate) use state::{State, Which};

/// Entity functions (`MEDIA_ENT_F_*`) of subdevs.
pub(crate) mod function {
    use crate::media::bindings;
    pub(crate) const CAM_SENSOR: u32 = bindings::MEDIA_ENT_F_CAM_SENSOR;
    pub(crate) const PROC_VIDEO_PIXEL_ENC_CONV: u32 =
        bindings::MEDIA_ENT_F_PROC_VIDEO_PIXEL_ENC_CONV;
    pub(crate) const PROC_VIDEO_SCALER: u32 = bindings::MEDIA_ENT_F_PROC_VIDEO_SCALER;
    pub(crate) const LENS: u32 = bindings::MEDIA_ENT_F_LENS;
}

/// Pad flags (`MEDIA_PAD_FL_*`).
pub(crate) mod pad {
    use crate::media::bindings;
    pub(crate) const SINK: u32 = bindings::MEDIA_PAD_FL_SINK;
    pub(crate) const SOURCE: u32 = bindings::MEDIA_PAD_FL_SOURCE;
}

/// Selection targets (`V4L2_SEL_TGT_*`).
pub(crate) mod target {
    use crate::media::bindings;
    pub(crate) const CROP: u32 = bindings::V4L2_SEL_TGT_CROP;
    pub(crate) const CROP_BOUNDS: u32 = bindings::V4L2_SEL_TGT_CROP_BOUNDS;
}

/// An entity type implemented as a subdev. The pad operations are called
/// with the state locked. Each operation a type leaves out is absent from
/// its C ops table (`#[vtable]`), so the core answers for it as for any
/// driver without it; a type with any pad operation has a pad state.
#[vtable]
pub(crate) trait Driver: Sized + Send + Sync + 'static {
    /// Media entity function (`MEDIA_ENT_F_*`).
    const FUNCTION: u32;
    /// Flags (`MEDIA_PAD_FL_*`) of each pad, in pad order.
    const PADS: &'static [u32];
    /// Its controls, in creation order.
    const CONTROLS: &'static [ctrls::Def] = &[];
    /// Whether active formats and selections are refused (-EBUSY) while
    /// the subdev streams.
    const LOCKED_WHILE_STREAMING: bool = false;

    /// A control of [`Self::CONTROLS`] changed (called under the handler's lock).
    fn s_ctrl(&self, _id: u32, _val: i32) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Fills a new state (the active one, and each file's try state).
    fn init_state(&self, _state: &mut State<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_ENUM_MBUS_CODE`.
    fn enum_mbus_code(&self, _pad: u32, _index: u32) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_ENUM_FRAME_SIZE`: the one size range of `code` on
    /// `pad`, or `None` if the pad does not take `code`.
    fn frame_sizes(&self, _pad: u32, _code: u32) -> Option<FrameSizes> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_S_FMT`: adjusts `fmt` and stores it in `state`.
    fn set_fmt(
        &self,
        _state: &mut State<'_>,
        _which: Which,
        _pad: u32,
        _fmt: &mut MbusFormat,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_G_SELECTION`.
    fn get_selection(&self, _state: &State<'_>, _pad: u32, _target: u32) -> Result<Rect> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_S_SELECTION`: adjusts `r` and stores it in `state`.
    fn set_selection(
        &self,
        _state: &mut State<'_>,
        _which: Which,
        _pad: u32,
        _target: u32,
        _r: &mut Rect,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// A subdev with its pads and driver data `T`.
///
/// # Invariants
///
/// - Lives in a [`Block<T>`], which drops `data` and frees `hdl` and the
///   state.
/// - `pads` holds `T::PADS.len()` pads, initialized on `sd.entity`.
/// - If `T::CONTROLS` is not empty, `hdl` is initialized and is
///   `sd.ctrl_handler`.
#[repr(C)]
pub(crate) struct Subdev<T> {
    // `sd` and `type_id` come first, at offsets that do not depend on `T`,
    // so that a pipeline walk can tell our subdev types apart.
    sd: Opaque<bindings::v4l2_subdev>,
    type_id: TypeId,
    hdl: Opaque<bindings::v4l2_ctrl_handler>,
    /// The lockdep class of this subdev's state and control lock: one per
    /// subdev, not per type, since link validation holds the locks of two
    /// linked subdevs, which may be of one type (two scalers in a chain).
    key: Opaque<bindings::lock_class_key>,
    pads: KVec<Opaque<bindings::media_pad>>,
    data: ManuallyDrop<T>,
}

impl<T: Driver> Subdev<T> {
    /// A subdev not set up yet, with its pads allocated. `data` goes into a
    /// `ManuallyDrop` here: allocate the memory for the result first.
    fn bare(data: T) -> Result<Self> {
        let mut pads = KVec::with_capacity(T::PADS.len(), GFP_KERNEL)?;
        for _ in T::PADS {
            pads.push(Opaque::<bindings::media_pad>::uninit(), GFP_KERNEL)?;
        }
        // INVARIANT: not yet: only `Block::new` calls this and puts the value
        // in a `Block`, shown to nobody until `init` has set up the pads on
        // `sd.entity` and, with controls, `hdl` as `sd.ctrl_handler`.
        Ok(Self {
            sd: Opaque::uninit(),
            type_id: TypeId::of::<T>(),
            hdl: Opaque::uninit(),
            key: Opaque::uninit(),
            pads,
            data: ManuallyDrop::new(data),
        })
    }
}

impl<T> Subdev<T> {
    /// The entity's driver data.
    pub(crate) fn data(&self) -> &T {
        &self.data
    }
}

impl<T: Driver> Subdev<T> {
    /// # Safety
    ///
    /// `sd` is the subdev of a live `Subdev<T>` whose data is not dropped.
    unsafe fn data_of<'a>(sd: *mut bindings::v4l2_subdev) -> &'a T {
        // SAFETY: guaranteed by the caller.
        unsafe {
            &(*kernel::container_of!(sd.cast::<Opaque<bindings::v4l2_subdev>>(), Subdev<T>, sd))
                .data
        }
    }
}
