// SPDX-License-Identifier: GPL-2.0

//! The C ops tables of a [`Driver`] type and their trampolines; a subdev's initialization.

use super::{
    state::{mbus_from_c, mbus_to_c, rect_from_c, rect_to_c, State, Which},
    Driver, Subdev,
};
use crate::media::{bindings, copy_cstr, to_c_int, v4l2::ctrls};
use core::{marker::PhantomData, ptr::null};
use kernel::{error::to_result, ffi::c_int, prelude::*, str::CStr, types::Opaque, ThisModule};

/// The C ops tables of `T`: each callback present exactly when `T` has the
/// operation.
pub(super) struct Vtable<T>(PhantomData<T>);

impl<T: Driver> Vtable<T> {
    /// Whether `T` has pad operations, and so a pad state (which
    /// `init_state` fills and the core's `get_fmt` reads).
    const HAS_PAD_OPS: bool = T::HAS_INIT_STATE
        || T::HAS_ENUM_MBUS_CODE
        || T::HAS_FRAME_SIZES
        || T::HAS_SET_FMT
        || T::HAS_GET_SELECTION
        || T::HAS_SET_SELECTION;

    const PAD_OPS: bindings::v4l2_subdev_pad_ops = bindings::v4l2_subdev_pad_ops {
        enum_mbus_code: if T::HAS_ENUM_MBUS_CODE {
            Some(enum_mbus_code::<T>)
        } else {
            None
        },
        enum_frame_size: if T::HAS_FRAME_SIZES {
            Some(enum_frame_size::<T>)
        } else {
            None
        },
        get_fmt: Some(bindings::v4l2_subdev_get_fmt),
        set_fmt: if T::HAS_SET_FMT {
            Some(set_fmt::<T>)
        } else {
            None
        },
        get_selection: if T::HAS_GET_SELECTION {
            Some(get_selection::<T>)
        } else {
            None
        },
        set_selection: if T::HAS_SET_SELECTION {
            Some(set_selection::<T>)
        } else {
            None
        },
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const CORE_OPS: bindings::v4l2_subdev_core_ops = bindings::v4l2_subdev_core_ops {
        log_status: Some(bindings::v4l2_ctrl_subdev_log_status),
        subscribe_event: Some(bindings::v4l2_ctrl_subdev_subscribe_event),
        unsubscribe_event: Some(bindings::v4l2_event_subdev_unsubscribe),
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const VIDEO_OPS: bindings::v4l2_subdev_video_ops = bindings::v4l2_subdev_video_ops {
        s_stream: Some(s_stream_callback),
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const OPS: bindings::v4l2_subdev_ops = bindings::v4l2_subdev_ops {
        // Entities on a data path start and stop with the stream.
        pad: if Self::HAS_PAD_OPS {
            &Self::PAD_OPS
        } else {
            null()
        },
        video: if Self::HAS_PAD_OPS {
            &Self::VIDEO_OPS
        } else {
            null()
        },
        // Control events and log_status come with controls.
        core: if T::CONTROLS.is_empty() {
            null()
        } else {
            &Self::CORE_OPS
        },
        // SAFETY: all-zero is "no operations" for the other groups.
        ..unsafe { core::mem::zeroed() }
    };
    const CTRL_OPS: bindings::v4l2_ctrl_ops = bindings::v4l2_ctrl_ops {
        s_ctrl: if T::HAS_S_CTRL {
            Some(s_ctrl::<T>)
        } else {
            None
        },
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const INTERNAL_OPS: bindings::v4l2_subdev_internal_ops = bindings::v4l2_subdev_internal_ops {
        init_state: if T::HAS_INIT_STATE {
            Some(init_state::<T>)
        } else {
            None
        },
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
}

/// # Safety
///
/// Called by the control framework for a control of our handler, with the
/// handler's lock held.
pub(super) unsafe extern "C" fn s_ctrl<T: Driver>(ctrl: *mut bindings::v4l2_ctrl) -> c_int {
    // SAFETY: our handler is `Subdev<T>::hdl` (type invariant); the data is
    // alive while the handler is (it is freed first in release).
    let (data, id, val) = unsafe {
        let s = kernel::container_of!(
            (*ctrl)
                .handler
                .cast::<Opaque<bindings::v4l2_ctrl_handler>>(),
            Subdev<T>,
            hdl
        );
        (&*(*s).data, (*ctrl).id, (*ctrl).val)
    };
    to_c_int(data.s_ctrl(id, val))
}

/// # Safety
///
/// Called by the V4L2 core on our subdev with a valid, locked state.
pub(super) unsafe extern "C" fn init_state<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    state: *mut bindings::v4l2_subdev_state,
) -> c_int {
    // SAFETY: the core passes our subdev and its state, locked while
    // this callback runs (the function's safety section).
    let mut state = unsafe { State::new(sd, state) };
    // SAFETY: as the function's safety section.
    to_c_int(unsafe { Subdev::<T>::data_of(sd) }.init_state(&mut state))
}

/// # Safety
///
/// Called by the V4L2 core on our subdev with a valid `code`.
pub(super) unsafe extern "C" fn enum_mbus_code<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    _state: *mut bindings::v4l2_subdev_state,
    code: *mut bindings::v4l2_subdev_mbus_code_enum,
) -> c_int {
    // SAFETY: as the function's safety section.
    let (data, code) = unsafe { (Subdev::<T>::data_of(sd), &mut *code) };
    to_c_int(
        data.enum_mbus_code(code.pad, code.index)
            .map(|c| code.code = c),
    )
}

/// # Safety
///
/// Called by the V4L2 core on our subdev with a valid `fse`.
pub(super) unsafe extern "C" fn enum_frame_size<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    _state: *mut bindings::v4l2_subdev_state,
    fse: *mut bindings::v4l2_subdev_frame_size_enum,
) -> c_int {
    // SAFETY: as the function's safety section.
    let (data, fse) = unsafe { (Subdev::<T>::data_of(sd), &mut *fse) };
    match data.frame_sizes(fse.pad, fse.code) {
        Some(s) if fse.index == 0 => {
            (fse.min_width, fse.max_width) = s.width;
            (fse.min_height, fse.max_height) = s.height;
            0
        }
        _ => EINVAL.to_errno(),
    }
}

/// Whether a call on the `which` state must be refused while streaming.
///
/// # Safety
///
/// `sd` is our registered subdev.
pub(super) unsafe fn busy<T: Driver>(sd: *mut bindings::v4l2_subdev, which: u32) -> bool {
    T::LOCKED_WHILE_STREAMING
        && Which::from_c(which) == Which::Active
        // SAFETY: guaranteed by the caller; without `enable_streams` this
        // reads the flag the core's s_stream wrapper keeps.
        && unsafe { bindings::v4l2_subdev_is_streaming(sd) }
}

/// `s_stream`: the streamer owns all per-stream state, so there is nothing
/// to do here; the core records that the subdev streams.
///
/// # Safety
///
/// Called by the V4L2 core; it touches nothing.
pub(super) unsafe extern "C" fn s_stream_callback(
    _sd: *mut bindings::v4l2_subdev,
    _enable: c_int,
) -> c_int {
    0
}

/// # Safety
///
/// Called by the V4L2 core on our subdev with a valid, locked state and a
/// valid `format`.
pub(super) unsafe extern "C" fn set_fmt<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    state: *mut bindings::v4l2_subdev_state,
    format: *mut bindings::v4l2_subdev_format,
) -> c_int {
    // SAFETY: the core passes our subdev and its state, locked while
    // this callback runs (the function's safety section).
    let mut state = unsafe { State::new(sd, state) };
    // SAFETY: as the function's safety section.
    let (data, format) = unsafe { (Subdev::<T>::data_of(sd), &mut *format) };
    // SAFETY: our subdev.
    if unsafe { busy::<T>(sd, format.which) } {
        return EBUSY.to_errno();
    }
    let mut f = mbus_from_c(&format.format);
    let r = data.set_fmt(&mut state, Which::from_c(format.which), format.pad, &mut f);
    if r.is_ok() {
        mbus_to_c(&f, &mut format.format);
    }
    to_c_int(r)
}

/// # Safety
///
/// As [`set_fmt`], with a valid `sel`.
pub(super) unsafe extern "C" fn get_selection<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    state: *mut bindings::v4l2_subdev_state,
    sel: *mut bindings::v4l2_subdev_selection,
) -> c_int {
    // SAFETY: the core passes our subdev and its state, locked while
    // this callback runs (the function's safety section).
    let state = unsafe { State::new(sd, state) };
    // SAFETY: as the function's safety section.
    let (data, sel) = unsafe { (Subdev::<T>::data_of(sd), &mut *sel) };
    to_c_int(
        data.get_selection(&state, sel.pad, sel.target)
            .map(|r| rect_to_c(&r, &mut sel.r)),
    )
}

/// # Safety
///
/// As [`get_selection`].
pub(super) unsafe extern "C" fn set_selection<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    state: *mut bindings::v4l2_subdev_state,
    sel: *mut bindings::v4l2_subdev_selection,
) -> c_int {
    // SAFETY: the core passes our subdev and its state, locked while
    // this callback runs (the function's safety section).
    let mut state = unsafe { State::new(sd, state) };
    // SAFETY: as the function's safety section.
    let (data, sel) = unsafe { (Subdev::<T>::data_of(sd), &mut *sel) };
    // SAFETY: our subdev.
    if unsafe { busy::<T>(sd, sel.which) } {
        return EBUSY.to_errno();
    }
    let mut r = rect_from_c(&sel.r);
    let ret = data.set_selection(
        &mut state,
        Which::from_c(sel.which),
        sel.pad,
        sel.target,
        &mut r,
    );
    if ret.is_ok() {
        rect_to_c(&r, &mut sel.r);
    }
    to_c_int(ret)
}

/// How far [`init`] got.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum InitProgress {
    Bare,
    Key,
    Controls,
    State,
}

/// Initializes the C parts of `s` (subdev, pads, controls, state); `progress`
/// says how far it got, for [`Block`]'s drop.
///
/// # Safety
///
/// `s` is not visible to C yet and does not move while C uses it.
pub(super) unsafe fn init<T: Driver>(
    s: &Subdev<T>,
    module: &'static ThisModule,
    name: &CStr,
    progress: &mut InitProgress,
) -> Result {
    let sd = s.sd.get();
    let hdl = s.hdl.get();
    // SAFETY: guaranteed by the caller; zeroed memory is what
    // `v4l2_subdev_init` expects, as from kzalloc.
    unsafe {
        for (pad, flags) in s.pads.iter().zip(T::PADS) {
            core::ptr::write_bytes(pad.get(), 0, 1);
            (*pad.get()).flags = *flags as kernel::ffi::c_ulong;
        }
        core::ptr::write_bytes(sd, 0, 1);
        core::ptr::write_bytes(hdl, 0, 1);
        bindings::v4l2_subdev_init(sd, &Vtable::<T>::OPS);
        (*sd).owner = module.as_ptr();
        (*sd).internal_ops = &Vtable::<T>::INTERNAL_OPS;
        // No V4L2_SUBDEV_FL_HAS_DEVNODE: the flag only asks
        // v4l2_device_register_subdev_nodes() for a node, which would hold
        // no reference on the block (an async sensor bound to another
        // driver's notifier would get one). Our nodes come from
        // `register_node` alone.
        (*sd).entity.function = T::FUNCTION;
        (*sd).entity.ops = &ENTITY_OPS.0;
        copy_cstr(&mut (*sd).name, name);
    }
    let key = s.key.get();
    // SAFETY: `key` is ours, in memory that stays put until `Block`'s drop
    // unregisters it (progress `Key`), after the lock that uses it is gone.
    unsafe { bindings::rust_helper_lockdep_register_key(key) };
    // INVARIANT: the key is registered just above.
    *progress = InitProgress::Key;
    // Each step is undone by `Block`'s drop up to the progress reached.
    let mut setup = || -> Result {
        if !T::CONTROLS.is_empty() {
            // INVARIANT: `Block`'s drop may free the handler from here:
            // v4l2_ctrl_handler_free() returns early on this zeroed one, as
            // after a failed init (no buckets).
            *progress = InitProgress::Controls;
            // SAFETY: `hdl` is zeroed memory of ours.
            to_result(unsafe {
                bindings::rust_helper_v4l2_ctrl_handler_init(hdl, T::CONTROLS.len() as u32, key)
            })?;
            // SAFETY: `hdl` is initialized; the ops table is static.
            unsafe { ctrls::add(hdl, &Vtable::<T>::CTRL_OPS, T::CONTROLS)? };
            // INVARIANT: `hdl` is initialized and filled above, and becomes
            // `sd.ctrl_handler` here.
            // SAFETY: `sd` and `hdl` are initialized and ours. One lock for
            // controls and pad state, as in C vimc.
            unsafe {
                (*sd).ctrl_handler = hdl;
                (*sd).flags |= bindings::V4L2_SUBDEV_FL_HAS_EVENTS;
                (*sd).state_lock = (*hdl).lock;
            }
        }
        // INVARIANT: the `T::PADS.len()` pads of `bare`, initialized on
        // `sd.entity` here.
        // SAFETY: the subdev and its zeroed pads are initialized.
        to_result(unsafe {
            bindings::media_entity_pads_init(
                &raw mut (*sd).entity,
                T::PADS.len() as u16,
                s.pads.as_ptr().cast_mut().cast::<bindings::media_pad>(),
            )
        })?;
        if Vtable::<T>::HAS_PAD_OPS {
            // The active state, filled by `init_state`.
            // SAFETY: the subdev, its pads and its ops are initialized.
            to_result(unsafe { bindings::rust_helper_v4l2_subdev_init_finalize(sd, key) })?;
            // INVARIANT: the active state was allocated just above.
            *progress = InitProgress::State;
        }
        Ok(())
    };
    setup()
}

pub(super) struct EntityOps(bindings::media_entity_operations);
// SAFETY: immutable after compilation.
unsafe impl Sync for EntityOps {}

/// Links into a subdev are validated by comparing the pad formats.
pub(super) static ENTITY_OPS: EntityOps = EntityOps(bindings::media_entity_operations {
    link_validate: Some(bindings::v4l2_subdev_link_validate),
    // SAFETY: all-zero is "no callback" for the other operations.
    ..unsafe { core::mem::zeroed() }
});
