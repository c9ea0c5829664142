// SPDX-License-Identifier: GPL-2.0

//! Scaler entity: a subdev that crops its sink (pad 0) and scales the crop
//! to its source (pad 1).

use crate::{
    formats::{scaler, MbusFormat, Rect},
    media::{
        subdev::{self, target, State, Which},
        v4l2_device::Registration,
        FrameSizes,
    },
    sensor::FRAME_SIZES,
    VimcShared,
};
use kernel::prelude::*;

pub(crate) struct Scaler;

const SINK: u32 = 0;
const SOURCE: u32 = 1;

impl subdev::Driver for Scaler {
    const FUNCTION: u32 = subdev::function::PROC_VIDEO_SCALER;
    const PADS: &'static [u32] = &[subdev::pad::SINK, subdev::pad::SOURCE];
    const HAS_SELECTION: bool = true;

    fn init_state(&self, state: &mut State<'_>) -> Result {
        state.set_format(SINK, &scaler::DEFAULT)?;
        state.set_format(SOURCE, &scaler::DEFAULT)?;
        state.set_crop(SINK, &scaler::CROP_DEFAULT)
    }

    fn enum_mbus_code(&self, _pad: u32, index: u32) -> Result<u32> {
        scaler::enum_mbus_code(index).ok_or(EINVAL)
    }

    fn frame_sizes(&self, _pad: u32, code: u32) -> Option<FrameSizes> {
        scaler::code_ok(code).then_some(FRAME_SIZES)
    }

    fn set_fmt(
        &self,
        state: &mut State<'_>,
        _which: Which,
        pad: u32,
        fmt: &mut MbusFormat,
    ) -> Result {
        *fmt = scaler::set_fmt(pad, &state.format(pad)?, fmt);
        state.set_format(pad, fmt)?;
        // A new sink format resets the crop and is copied to the source.
        if pad == SINK {
            state.set_crop(SINK, &Rect::of(fmt))?;
            state.set_format(SOURCE, fmt)?;
        }
        Ok(())
    }

    fn get_selection(&self, state: &State<'_>, pad: u32, tgt: u32) -> Result<Rect> {
        match (pad, tgt) {
            (SINK, target::CROP) => state.crop(SINK),
            (SINK, target::CROP_BOUNDS) => Ok(Rect::of(&state.format(SINK)?)),
            _ => Err(EINVAL),
        }
    }

    fn set_selection(
        &self,
        state: &mut State<'_>,
        _which: Which,
        pad: u32,
        tgt: u32,
        r: &mut Rect,
    ) -> Result {
        if pad != SINK || tgt != target::CROP {
            return Err(EINVAL);
        }
        scaler::adjust_crop(r, &state.format(SINK)?);
        state.set_crop(SINK, r)
    }
}

/// Adds a scaler called `name`.
pub(crate) fn add(reg: &mut Registration<VimcShared>, name: &'static CStr) -> Result<usize> {
    reg.add_subdev(name, Scaler)
}
