// SPDX-License-Identifier: GPL-2.0

//! Scaler entity: a subdev that crops its sink (pad 0) and scales the crop
//! to its source (pad 1).

use crate::{
    device::VimcShared,
    entity::{InitialFormat, Kind},
    formats::{self, scaler, MbusFormat, Rect},
    frames,
    media::{
        mc::pipeline::SubdevRef,
        v4l2::{
            async_graph::Bound,
            graph::Build,
            subdev::{self, target, State, Which},
            types::FrameSizes,
        },
    },
    stage::{boxed, stage_fn, stage_frame, write_frame, Out, Stage, StageKind},
};
use kernel::{alloc::VVec, prelude::*};

pub(crate) struct Scaler {
    /// Both pads' initial format.
    format: MbusFormat,
}

const SINK: u32 = 0;
const SOURCE: u32 = 1;

#[vtable]
impl subdev::Driver for Scaler {
    const FUNCTION: u32 = subdev::function::PROC_VIDEO_SCALER;
    const PADS: &'static [u32] = &[subdev::pad::SINK, subdev::pad::SOURCE];

    const LOCKED_WHILE_STREAMING: bool = true;

    fn init_state(&self, state: &mut State<'_>) -> Result {
        state.set_format(SINK, &self.format)?;
        state.set_format(SOURCE, &self.format)?;
        state.set_crop(SINK, &Rect::of(&self.format))
    }

    fn enum_mbus_code(&self, _pad: u32, index: u32) -> Result<u32> {
        scaler::enum_mbus_code(index).ok_or(EINVAL)
    }

    fn frame_sizes(&self, _pad: u32, code: u32) -> Option<FrameSizes> {
        scaler::code_ok(code).then_some(formats::FRAME_SIZES)
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

impl StageKind for Scaler {
    /// The scaler's part of a starting stream, from its active formats and crop.
    fn stage(&self, sd: &SubdevRef<'_>, last: bool) -> Result<KBox<dyn Stage>> {
        let (sink, src, crop) = sd.with_active_state(|st| {
            Ok::<_, Error>((st.format(SINK)?, st.format(SOURCE)?, st.crop(SINK)?))
        })?;
        // C vimc uses the sink's bytes per pixel on both sides.
        let bpp = formats::by_code(sink.code).ok_or(EINVAL)?.bpp as usize;
        let cfg = frames::Scaler {
            sink_width: sink.width as usize,
            sink_height: sink.height as usize,
            crop: (
                crop.left.max(0) as usize,
                crop.top.max(0) as usize,
                crop.width as usize,
                crop.height as usize,
            ),
            width: src.width as usize,
            height: src.height as usize,
            bpp,
        };
        let mut cols = VVec::from_elem(0, cfg.columns_len(), GFP_KERNEL)?;
        if !cfg.columns(&mut cols) {
            return Err(EINVAL);
        }
        boxed(ScalerStage {
            cfg,
            cols,
            out: stage_frame(cfg.source_len(), cfg.width * cfg.bpp, last)?,
        })
    }
}

/// A streaming scaler: its geometry, the sink column of each source pixel
/// (`frames::Scaler::columns`) and its output frame (a line if it is the
/// last stage).
pub(crate) struct ScalerStage {
    cfg: frames::Scaler,
    cols: VVec<u32>,
    out: VVec<u8>,
}

impl Stage for ScalerStage {
    /// Crops and scales the sink frame `input`.
    fn process(&mut self, input: &[u8], to: Out<'_, '_>) -> Result {
        let (cfg, cols) = (&self.cfg, &self.cols);
        write_frame(to, &mut self.out, |out| cfg.process(input, cols, out))
    }

    /// The last frame made.
    fn output(&self) -> &[u8] {
        &self.out
    }
}

/// The scaler kind.
pub(crate) const KIND: Kind = Kind {
    name: b"scaler",
    pads: <Scaler as subdev::Driver>::PADS,
    format: InitialFormat::of(&formats::scaler::DEFAULT),
    code_ok: formats::scaler::code_ok,
    node: false,
    add,
    stage: Some(stage_fn::<Scaler>),
};

/// Adds a scaler called `name`.
fn add(
    reg: &mut Build<'_, VimcShared>,
    name: &CStr,
    format: Option<&InitialFormat>,
    _bound: &[Bound<'_>],
) -> Result<usize> {
    let format = format.ok_or(EINVAL)?.mbus();
    reg.add_subdev(name, Scaler { format })
}
