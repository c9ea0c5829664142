// SPDX-License-Identifier: GPL-2.0

//! Sensor entity: a subdev with one source pad, any table format.

use crate::{
    controls::{self, Values},
    formats::{self, sensor, MbusFormat},
    media::{
        ctrls::{cid, Def, Menu, TPG_PATTERN_MAX},
        subdev::{self, State, Which},
        v4l2_device::Registration,
        FrameSizes,
    },
    VimcShared,
};
use kernel::{c_str, prelude::*};

pub(crate) struct Sensor {
    ctrls: Values,
}

/// `Show Information` menu: what the on-screen text shows.
const OSD_MODES: Menu = crate::menu!("All", "Counters Only", "None");

/// The sensor's controls, as C vimc creates them.
const CONTROLS: &[Def] = &[
    controls::CLASS,
    Def::Menu {
        id: controls::CID_TEST_PATTERN,
        name: c_str!("Test Pattern"),
        max: TPG_PATTERN_MAX,
        menu: Menu::TpgPatterns,
    },
    Def::Menu {
        id: controls::CID_OSD_TEXT_MODE,
        name: c_str!("Show Information"),
        max: 2,
        menu: OSD_MODES,
    },
    Def::Std {
        id: cid::VFLIP,
        range: (0, 1, 1, 0),
    },
    Def::Std {
        id: cid::HFLIP,
        range: (0, 1, 1, 0),
    },
    Def::Std {
        id: cid::BRIGHTNESS,
        range: (0, 255, 1, 128),
    },
    Def::Std {
        id: cid::CONTRAST,
        range: (0, 255, 1, 128),
    },
    Def::Std {
        id: cid::HUE,
        range: (-128, 127, 1, 0),
    },
    Def::Std {
        id: cid::SATURATION,
        range: (0, 255, 1, 128),
    },
];

/// The frame size range every vimc pad accepts.
pub(crate) const FRAME_SIZES: FrameSizes = FrameSizes {
    width: (formats::MIN_WIDTH, formats::MAX_WIDTH),
    height: (formats::MIN_HEIGHT, formats::MAX_HEIGHT),
};

impl subdev::Driver for Sensor {
    const FUNCTION: u32 = subdev::function::CAM_SENSOR;
    const PADS: &'static [u32] = &[subdev::pad::SOURCE];
    const CONTROLS: &'static [Def] = CONTROLS;

    fn s_ctrl(&self, id: u32, val: i32) -> Result {
        self.ctrls.set(id, val)
    }

    fn init_state(&self, state: &mut State<'_>) -> Result {
        state.set_format(0, &sensor::DEFAULT)
    }

    fn enum_mbus_code(&self, _pad: u32, index: u32) -> Result<u32> {
        sensor::enum_mbus_code(index).ok_or(EINVAL)
    }

    fn frame_sizes(&self, _pad: u32, code: u32) -> Option<FrameSizes> {
        sensor::frame_size_code_ok(code).then_some(FRAME_SIZES)
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
    let ctrls = Values::new(CONTROLS)?;
    reg.add_subdev(name, Sensor { ctrls })
}
