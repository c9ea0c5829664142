// SPDX-License-Identifier: GPL-2.0

//! The pad state of a subdev (active or try), as callbacks see it.

use crate::media::{
    bindings,
    v4l2::{
        ctrls,
        types::{Colorimetry, MbusFormat, Rect},
    },
};
use core::marker::PhantomData;
use kernel::prelude::*;

/// Which state a format or selection call is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    /// A file handle's try state.
    Try,
    /// The device's active state.
    Active,
}

impl Which {
    pub(super) fn from_c(which: u32) -> Self {
        if which == bindings::v4l2_subdev_format_whence_V4L2_SUBDEV_FORMAT_ACTIVE {
            Which::Active
        } else {
            Which::Try
        }
    }
}

/// The pad formats and crops of a subdev (active or try), locked by the
/// V4L2 core for as long as a callback runs.
///
/// # Invariants
///
/// `ptr` is a valid `v4l2_subdev_state` of our subdev `sd`, locked for `'a`.
pub(crate) struct State<'a> {
    sd: *mut bindings::v4l2_subdev,
    ptr: *mut bindings::v4l2_subdev_state,
    _p: PhantomData<&'a mut bindings::v4l2_subdev_state>,
}

pub(super) fn mbus_from_c(f: &bindings::v4l2_mbus_framefmt) -> MbusFormat {
    MbusFormat {
        width: f.width,
        height: f.height,
        code: f.code,
        field: f.field,
        color: Colorimetry {
            colorspace: f.colorspace,
            // SAFETY: `ycbcr_enc` and `hsv_enc` are two `u16` views of one field.
            ycbcr_enc: unsafe { *f.__bindgen_anon_1.ycbcr_enc.as_ref() }.into(),
            quantization: f.quantization.into(),
            xfer_func: f.xfer_func.into(),
        },
    }
}

pub(super) fn mbus_to_c(f: &MbusFormat, out: &mut bindings::v4l2_mbus_framefmt) {
    out.width = f.width;
    out.height = f.height;
    out.code = f.code;
    out.field = f.field;
    out.colorspace = f.color.colorspace;
    // The C fields are `u16`; the values come from them or are clamped enums.
    // SAFETY: as in `mbus_from_c`.
    unsafe { *out.__bindgen_anon_1.ycbcr_enc.as_mut() = f.color.ycbcr_enc as u16 };
    out.quantization = f.color.quantization as u16;
    out.xfer_func = f.color.xfer_func as u16;
}

pub(super) fn rect_from_c(r: &bindings::v4l2_rect) -> Rect {
    Rect {
        left: r.left,
        top: r.top,
        width: r.width,
        height: r.height,
    }
}

pub(super) fn rect_to_c(r: &Rect, out: &mut bindings::v4l2_rect) {
    (out.left, out.top, out.width, out.height) = (r.left, r.top, r.width, r.height);
}

impl State<'_> {
    /// The state `ptr` of `sd`.
    ///
    /// # Safety
    ///
    /// `sd` is a subdev of ours, initialized by `init` at least up to its
    /// pad state (`init_state` runs before it is registered), and `ptr` a
    /// valid state of it, locked for as long as the result lives.
    pub(super) unsafe fn new(
        sd: *mut bindings::v4l2_subdev,
        ptr: *mut bindings::v4l2_subdev_state,
    ) -> Self {
        // INVARIANT: guaranteed by the caller.
        State {
            sd,
            ptr,
            _p: PhantomData,
        }
    }

    /// The subdev's controls, if this is its active state: its lock is the
    /// control handler's (set at init, as C vimc does), so they can be
    /// changed while the state is held.
    pub(crate) fn controls(&mut self) -> Option<ctrls::Locked<'_>> {
        // SAFETY: `sd` is our subdev (type invariant); its fields are set
        // up before any callback with a state runs.
        let hdl = unsafe {
            let hdl = (*self.sd).ctrl_handler;
            if hdl.is_null()
                || (*self.sd).active_state != self.ptr
                || (*self.ptr).lock != (*hdl).lock
            {
                return None;
            }
            hdl
        };
        // SAFETY: `hdl` is initialized and its lock is this state's, held for
        // as long as `self` (type invariant), which the result borrows.
        Some(unsafe { ctrls::Locked::new(hdl) })
    }

    fn format_ptr(&self, pad: u32) -> Result<*mut bindings::v4l2_mbus_framefmt> {
        // SAFETY: `ptr` is a valid, locked state (type invariant); the
        // function returns NULL for a pad out of range.
        let f = unsafe { bindings::__v4l2_subdev_state_get_format(self.ptr, pad, 0) };
        if f.is_null() {
            Err(EINVAL)
        } else {
            Ok(f)
        }
    }

    fn crop_ptr(&self, pad: u32) -> Result<*mut bindings::v4l2_rect> {
        // SAFETY: as in `format_ptr`.
        let r = unsafe { bindings::__v4l2_subdev_state_get_crop(self.ptr, pad, 0) };
        if r.is_null() {
            Err(EINVAL)
        } else {
            Ok(r)
        }
    }

    /// The format of pad `pad`.
    pub(crate) fn format(&self, pad: u32) -> Result<MbusFormat> {
        // SAFETY: a valid pointer into the locked state.
        Ok(mbus_from_c(unsafe { &*self.format_ptr(pad)? }))
    }

    /// Sets the format of pad `pad`.
    pub(crate) fn set_format(&mut self, pad: u32, f: &MbusFormat) -> Result {
        let out = self.format_ptr(pad)?;
        // SAFETY: a valid pointer into the locked state, which `&mut self`
        // lets only us change; other fields (flags) are cleared as by a
        // struct assignment in C.
        unsafe {
            core::ptr::write_bytes(out, 0, 1);
            mbus_to_c(f, &mut *out);
        }
        Ok(())
    }

    /// The crop rectangle of pad `pad`.
    pub(crate) fn crop(&self, pad: u32) -> Result<Rect> {
        // SAFETY: a valid pointer into the locked state.
        Ok(rect_from_c(unsafe { &*self.crop_ptr(pad)? }))
    }

    /// Sets the crop rectangle of pad `pad`.
    pub(crate) fn set_crop(&mut self, pad: u32, r: &Rect) -> Result {
        let out = self.crop_ptr(pad)?;
        // SAFETY: as in `set_format`.
        rect_to_c(r, unsafe { &mut *out });
        Ok(())
    }
}
