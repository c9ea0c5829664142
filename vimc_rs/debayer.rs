// SPDX-License-Identifier: GPL-2.0

//! Debayer entity: a subdev turning Bayer frames (sink pad 0) into RGB
//! (source pad 1). The source format follows the sink's.

use crate::{
    controls::{self, Values},
    device::VimcShared,
    entity::{InitialFormat, Kind},
    formats::{self, debayer, MbusFormat},
    frames,
    media::{
        mc::pipeline::SubdevRef,
        v4l2::{
            async_graph::Bound,
            ctrls::Def,
            graph::Build,
            subdev::{self, State, Which},
            types::FrameSizes,
        },
    },
    stage::{boxed, stage_fn, stage_frame, write_frame, Out, Stage, StageKind},
};
use kernel::{alloc::VVec, c_str, prelude::*, sync::Arc};

pub(crate) struct Debayer {
    ctrls: Arc<Values>,
    /// The sink's initial format (the source's follows it).
    format: MbusFormat,
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

#[vtable]
impl subdev::Driver for Debayer {
    const FUNCTION: u32 = subdev::function::PROC_VIDEO_PIXEL_ENC_CONV;
    const PADS: &'static [u32] = &[subdev::pad::SINK, subdev::pad::SOURCE];
    const CONTROLS: &'static [Def] = CONTROLS;

    const LOCKED_WHILE_STREAMING: bool = true;

    fn s_ctrl(&self, id: u32, val: i32) -> Result {
        self.ctrls.set(id, val)
    }

    fn init_state(&self, state: &mut State<'_>) -> Result {
        state.set_format(SINK, &self.format)?;
        state.set_format(SOURCE, &debayer::source_of(&self.format))
    }

    fn enum_mbus_code(&self, pad: u32, index: u32) -> Result<u32> {
        debayer::codes(pad)
            .get(index as usize)
            .copied()
            .ok_or(EINVAL)
    }

    fn frame_sizes(&self, pad: u32, code: u32) -> Option<FrameSizes> {
        debayer::codes(pad)
            .contains(&code)
            .then_some(formats::FRAME_SIZES)
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
        state.set_format(SOURCE, &debayer::source_of(fmt))
    }
}

impl StageKind for Debayer {
    /// The debayer's part of a starting stream, from its active formats.
    fn stage(&self, sd: &SubdevRef<'_>, last: bool) -> Result<KBox<dyn Stage>> {
        let (sink, src) =
            sd.with_active_state(|st| Ok::<_, Error>((st.format(SINK)?, st.format(SOURCE)?)))?;
        let sink_bpp = formats::by_code(sink.code).ok_or(EINVAL)?.bpp;
        let src_bpp = formats::by_code(src.code).ok_or(EINVAL)?.bpp;
        let cfg = frames::Debayer {
            width: sink.width as usize,
            height: sink.height as usize,
            bpp: sink_bpp as usize,
            order: frames::bayer_order(sink.code).ok_or(EINVAL)?,
        };
        // The source format always follows the sink's size.
        let len = (src.width * src.height * src_bpp) as usize;
        if len < cfg.source_len() {
            return Err(EINVAL);
        }
        boxed(DebayerStage {
            cfg,
            out: stage_frame(len, cfg.width * 3, last)?,
            scratch: VVec::from_elem(0, frames::debayer_scratch_len(cfg.width), GFP_KERNEL)?,
            ctrls: self.ctrls.clone(),
        })
    }
}

/// A streaming debayer: its geometry, output frame (a line if it is the
/// last stage) and mean window control.
pub(crate) struct DebayerStage {
    cfg: frames::Debayer,
    out: VVec<u8>,
    scratch: VVec<u32>,
    ctrls: Arc<Values>,
}

impl Stage for DebayerStage {
    /// Interpolates the sink frame `input` into RGB.
    fn process(&mut self, input: &[u8], to: Out<'_, '_>) -> Result {
        let win = self.ctrls.get(controls::CID_MEAN_WIN_SIZE) as u32;
        let (cfg, scratch) = (&self.cfg, &mut self.scratch[..]);
        write_frame(to, &mut self.out, |out| {
            cfg.process(input, out, win, scratch)
        })
    }

    /// The last frame made.
    fn output(&self) -> &[u8] {
        &self.out
    }
}

/// The debayer kind.
pub(crate) const KIND: Kind = Kind {
    name: b"debayer",
    pads: <Debayer as subdev::Driver>::PADS,
    format: InitialFormat::of(&formats::debayer::SINK_DEFAULT),
    code_ok: |c| formats::debayer::SINK_CODES.contains(&c),
    node: false,
    add,
    stage: Some(stage_fn::<Debayer>),
};

/// Adds a debayer called `name`.
fn add(
    reg: &mut Build<'_, VimcShared>,
    name: &CStr,
    format: Option<&InitialFormat>,
    _bound: &[Bound<'_>],
) -> Result<usize> {
    let ctrls = Values::new(CONTROLS)?;
    let format = format.ok_or(EINVAL)?.mbus();
    reg.add_subdev(name, Debayer { ctrls, format })
}
