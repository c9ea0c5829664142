// SPDX-License-Identifier: GPL-2.0

//! Debayer entity: a subdev turning Bayer frames (sink pad 0) into RGB
//! (source pad 1). The source format follows the sink's.

use crate::{
    controls::{self, Values},
    formats::{debayer, MbusFormat},
    media::{
        ctrls::Def,
        subdev::{self, State, Which},
        v4l2_device::Registration,
        FrameSizes,
    },
    sensor::FRAME_SIZES,
    VimcShared,
};
use kernel::{c_str, prelude::*};

pub(crate) struct Debayer {
    ctrls: Values,
}

const CONTROLS: &[Def] = &[
    controls::CLASS,
    Def::Integer {
        id: controls::CID_MEAN_WIN_SIZE,
        name: c_str!("Debayer Mean Window Size"),
        range: (1, 25, 2, 3),
    },
];

const SINK: u32 = 0;
const SOURCE: u32 = 1;

impl subdev::Driver for Debayer {
    const FUNCTION: u32 = subdev::function::PROC_VIDEO_PIXEL_ENC_CONV;
    const PADS: &'static [u32] = &[subdev::pad::SINK, subdev::pad::SOURCE];
    const CONTROLS: &'static [Def] = CONTROLS;

    fn s_ctrl(&self, id: u32, val: i32) -> Result {
        self.ctrls.set(id, val)
    }

    fn init_state(&self, state: &mut State<'_>) -> Result {
        state.set_format(SINK, &debayer::SINK_DEFAULT)?;
        state.set_format(SOURCE, &debayer::SOURCE_DEFAULT)
    }

    fn enum_mbus_code(&self, pad: u32, index: u32) -> Result<u32> {
        debayer::codes(pad)
            .get(index as usize)
            .copied()
            .ok_or(EINVAL)
    }

    fn frame_sizes(&self, pad: u32, code: u32) -> Option<FrameSizes> {
        debayer::codes(pad).contains(&code).then_some(FRAME_SIZES)
    }

    fn set_fmt(
        &self,
        state: &mut State<'_>,
        _which: Which,
        pad: u32,
        fmt: &mut MbusFormat,
    ) -> Result {
        // The source format is the sink's with the RGB code: read only.
        if pad == SOURCE {
            *fmt = state.format(SOURCE)?;
            return Ok(());
        }
        debayer::adjust_sink(fmt);
        state.set_format(SINK, fmt)?;
        let src = MbusFormat {
            code: debayer::SOURCE_CODE,
            ..*fmt
        };
        state.set_format(SOURCE, &src)
    }
}

/// Adds a debayer called `name`.
pub(crate) fn add(reg: &mut Registration<VimcShared>, name: &'static CStr) -> Result<usize> {
    let ctrls = Values::new(CONTROLS)?;
    reg.add_subdev(name, Debayer { ctrls })
}
