// SPDX-License-Identifier: GPL-2.0

//! Sensor entity: a subdev with one source pad, any table format.

use crate::{
    formats::{self, sensor, MbusFormat},
    media::{
        subdev::{self, State, Which},
        v4l2_device::Registration,
        FrameSizes,
    },
    VimcShared,
};
use kernel::prelude::*;

pub(crate) struct Sensor;

/// The frame size range every vimc pad accepts.
pub(crate) const FRAME_SIZES: FrameSizes = FrameSizes {
    width: (formats::MIN_WIDTH, formats::MAX_WIDTH),
    height: (formats::MIN_HEIGHT, formats::MAX_HEIGHT),
};

impl subdev::Driver for Sensor {
    const FUNCTION: u32 = subdev::function::CAM_SENSOR;
    const PADS: &'static [u32] = &[subdev::pad::SOURCE];

    fn init_state(&self, state: &mut State<'_>) -> Result {
        state.set_format(0, &sensor::DEFAULT)
    }

    fn enum_mbus_code(&self, _pad: u32, index: u32) -> Result<u32> {
        sensor::enum_mbus_code(index).ok_or(EINVAL)
    }

    fn enum_frame_size(&self, _pad: u32, index: u32, code: u32) -> Result<FrameSizes> {
        if index != 0 || !sensor::frame_size_code_ok(code) {
            return Err(EINVAL);
        }
        Ok(FRAME_SIZES)
    }

    fn set_fmt(
        &self,
        state: &mut State<'_>,
        _which: Which,
        pad: u32,
        fmt: &mut MbusFormat,
    ) -> Result {
        sensor::adjust(fmt);
        state.set_format(pad, fmt)
    }
}

/// Adds a sensor called `name`.
pub(crate) fn add(reg: &mut Registration<VimcShared>, name: &'static CStr) -> Result<usize> {
    reg.add_subdev(name, Sensor)
}
