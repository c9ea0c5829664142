// SPDX-License-Identifier: GPL-2.0

//! Calls on a registered subdev of ours, for the graph and the pipeline.

use super::{
    node::unregister_node,
    state::{mbus_from_c, State},
    Driver, Subdev,
};
use crate::media::{bindings, v4l2::types::MbusFormat};
use core::{any::TypeId, ptr::NonNull};
use kernel::{error::to_result, ffi::c_int, prelude::*};

/// The media entity of a registered subdev.
///
/// # Safety
///
/// `sd` is registered on a `v4l2_device` (ours from `block::register`, or one
/// bound through v4l2-async) and is not unregistered.
pub(crate) unsafe fn entity(sd: NonNull<bindings::v4l2_subdev>) -> *mut bindings::media_entity {
    // SAFETY: guaranteed by the caller; only a field address is computed.
    unsafe { &raw mut (*sd.as_ptr()).entity }
}

/// Unregisters a subdev from [`register`] and its node (see
/// [`unregister_node`]); its memory goes with the last reference.
///
/// # Safety
///
/// `sd` came from [`register`] and was not unregistered yet.
pub(in crate::media) unsafe fn unregister(sd: NonNull<bindings::v4l2_subdev>) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        unregister_node(sd);
        bindings::v4l2_device_unregister_subdev(sd.as_ptr());
    }
}

/// The data of `sd` if it is a [`Subdev<S>`].
///
/// # Safety
///
/// `sd` is a registered subdev of this module, and the returned reference
/// is used only while it stays registered.
pub(in crate::media) unsafe fn data_if<'a, S: Driver>(
    sd: NonNull<bindings::v4l2_subdev>,
) -> Option<&'a S> {
    let sd = sd.as_ptr();
    // SAFETY: every subdev of this module is a `Subdev<_>` (`Block::new` is
    // the only way to make one), which starts with `sd` and `type_id`
    // (`repr(C)`); a registered subdev's data is alive.
    unsafe {
        if (*sd).owner != crate::media::THIS_MODULE_PTR {
            return None;
        }
        let s = sd.cast::<Subdev<S>>();
        ((*s).type_id == TypeId::of::<S>()).then(|| &*(*s).data)
    }
}

/// Runs `f` on the active state of `sd`, locked.
///
/// # Safety
///
/// `sd` is a registered subdev with pad ops (so it has an active state).
pub(in crate::media) unsafe fn with_active_state<R>(
    sd: NonNull<bindings::v4l2_subdev>,
    f: impl FnOnce(&State<'_>) -> R,
) -> R {
    // SAFETY: guaranteed by the caller; the state stays locked until the
    // unlock below.
    unsafe {
        let st = bindings::rust_helper_v4l2_subdev_lock_and_get_active_state(sd.as_ptr());
        // (`State::new`: `sd` is registered, the caller's contract; `st`
        // stays locked until the unlock below, after `f` is done with it.)
        let r = f(&State::new(sd.as_ptr(), st));
        bindings::rust_helper_v4l2_subdev_unlock_state(st);
        r
    }
}

/// The active format of `pad` of any subdev, through its `get_fmt`.
///
/// # Safety
///
/// `sd` is a registered subdev.
pub(in crate::media) unsafe fn active_format(
    sd: *mut bindings::v4l2_subdev,
    pad: u32,
) -> Result<MbusFormat> {
    // SAFETY: all-zero is a valid request, completed below.
    let mut fmt: bindings::v4l2_subdev_format = unsafe { core::mem::zeroed() };
    fmt.which = bindings::v4l2_subdev_format_whence_V4L2_SUBDEV_FORMAT_ACTIVE;
    fmt.pad = pad;
    // SAFETY: guaranteed by the caller.
    to_result(unsafe { bindings::rust_helper_v4l2_subdev_get_active_fmt(sd, &mut fmt) })?;
    Ok(mbus_from_c(&fmt.format))
}

/// Starts or stops a subdev's stream (`v4l2_subdev_call(sd, video,
/// s_stream)`); a subdev without the op is fine.
///
/// # Safety
///
/// `sd` is a subdev of this module whose memory is alive.
pub(in crate::media) unsafe fn s_stream(
    sd: NonNull<bindings::v4l2_subdev>,
    enable: bool,
) -> Result {
    // SAFETY: guaranteed by the caller. Stopping a stopped subdev or
    // starting a started one would warn in the core: check first. (Media
    // pipelines keep two streams from sharing a subdev.)
    unsafe {
        if bindings::v4l2_subdev_is_streaming(sd.as_ptr()) == enable {
            return if enable { Err(EBUSY) } else { Ok(()) };
        }
        match bindings::rust_helper_v4l2_subdev_s_stream(sd.as_ptr(), enable.into()) {
            r if r == -(bindings::ENOIOCTLCMD as c_int) => Ok(()),
            r => to_result(r),
        }
    }
}
