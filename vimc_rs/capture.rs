// SPDX-License-Identifier: GPL-2.0

//! Capture entity: a video node with one sink pad.

use crate::{
    device::{VimcShared, BUS_INFO},
    entity::{InitialFormat, Kind},
    formats::{self, MbusFormat, PixFormat},
    media::v4l2::{
        async_graph::Bound,
        graph::Build,
        subdev,
        types::FrameSizes,
        video_device::{self, Caps, StreamStart},
    },
    streamer::{self, Streaming},
};
use kernel::{c_str, prelude::*};

/// The capture kind.
pub(crate) const KIND: Kind = Kind {
    name: b"capture",
    // Its video node's one pad.
    pads: &[subdev::pad::SINK],
    format: InitialFormat::of_pix(&PixFormat::DEFAULT),
    code_ok: |p| formats::by_pixelformat(p).is_some(),
    node: true,
    add,
    stage: None,
};

/// A capture node.
pub(crate) struct Capture {
    /// Its device's way to put a stream together.
    streaming: Streaming,
}

#[vtable]
impl video_device::Driver for Capture {
    type State = PixFormat;
    type Stream = streamer::Stream;
    const EXTRA_CAPS: u32 = video_device::caps::IO_MC;
    const MIN_REQBUFS_ALLOCATION: u32 = 2;

    fn querycap(&self) -> Caps {
        Caps {
            driver: c_str!("vimc"),
            card: c_str!("vimc"),
            bus_info: BUS_INFO,
        }
    }

    fn enum_fmt(&self, index: u32, mbus_code: u32) -> Result<u32> {
        let map = if mbus_code != 0 {
            if index > 0 {
                return Err(EINVAL);
            }
            formats::by_code(mbus_code)
        } else {
            formats::by_index(index)
        };
        map.map(|m| m.pixelformat).ok_or(EINVAL)
    }

    fn g_fmt(&self, state: &PixFormat) -> PixFormat {
        *state
    }

    fn try_fmt(&self, fmt: &mut PixFormat) -> Result {
        fmt.try_capture();
        Ok(())
    }

    fn s_fmt(&self, state: &mut PixFormat, fmt: &mut PixFormat) -> Result {
        fmt.try_capture();
        *state = *fmt;
        Ok(())
    }

    fn frame_sizes(&self, pixelformat: u32) -> Option<FrameSizes> {
        formats::by_pixelformat(pixelformat).map(|_| formats::FRAME_SIZES)
    }

    fn start_streaming(
        &self,
        _state: &PixFormat,
        ctx: StreamStart<'_>,
    ) -> Result<streamer::Stream> {
        streamer::start(ctx, &self.streaming)
    }

    /// `vimc_vdev_link_validate()`: the link must carry the node's size and
    /// pixel format (and compatible field and colorimetry) from a subdev.
    fn link_validate(&self, source: Option<&MbusFormat>, format: &PixFormat) -> Result {
        let source = source.and_then(PixFormat::of_mbus).ok_or(EINVAL)?;
        if PixFormat::link_ok(&source, format) {
            Ok(())
        } else {
            Err(EPIPE)
        }
    }
}

/// Adds a capture node called `name`, starting with `format`.
fn add(
    reg: &mut Build<'_, VimcShared>,
    name: &CStr,
    format: Option<&InitialFormat>,
    _bound: &[Bound<'_>],
) -> Result<usize> {
    let format = format.ok_or(EINVAL)?.pix();
    let streaming = reg.data().streaming;
    reg.add_video(name, Capture { streaming }, format)
}
