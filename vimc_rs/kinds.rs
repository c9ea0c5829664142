// SPDX-License-Identifier: GPL-2.0

//! The entity kinds: one file each, and one row here.

use crate::{
    capture, debayer,
    formats::{self, MbusFormat, PixFormat},
    lens,
    media::{
        async_graph::Bound,
        pipeline::SubdevRef,
        subdev::{self, Driver},
        v4l2_device::Graph,
    },
    scaler, sensor,
    stage::{stage_fn, Stage, StageFn},
    VimcShared,
};
use kernel::prelude::*;

/// Creates one entity of a kind with its initial format (`Some` exactly
/// for a kind that has one: [`Kind::format`] is the default) and registers it (or, for a sensor, adds the bound one of that
/// name if there is one); returns its index in the graph.
pub(crate) type AddFn =
    fn(&mut Graph<'_, VimcShared>, &CStr, Option<&Format>, &[Bound<'_>]) -> Result<usize>;

/// An entity's initial format, on every pad (its configfs `width`, `height`
/// and `code` or `pixelformat`): the bus code of a subdev's first pad, a
/// capture node's pixel format.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Format {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) code: u32,
}

impl Format {
    /// A subdev's that starts with `f` on its first pad.
    const fn of(f: &MbusFormat) -> Option<Self> {
        Some(Self {
            width: f.width,
            height: f.height,
            code: f.code,
        })
    }

    /// A capture node's that starts with `f`.
    const fn of_pix(f: &PixFormat) -> Option<Self> {
        Some(Self {
            width: f.width,
            height: f.height,
            code: f.pixelformat,
        })
    }

    /// Whether an entity of `kind` can start with this format: a size
    /// every entity takes as it is (even, within the limits), a code the
    /// kind takes.
    pub(crate) fn fits(&self, kind: &Kind) -> bool {
        formats::clamp_size(self.width, self.height) == (self.width, self.height)
            && (kind.code_ok)(self.code)
    }

    /// The bus format of a subdev pad starting with this one.
    pub(crate) fn mbus(&self) -> MbusFormat {
        MbusFormat {
            width: self.width,
            height: self.height,
            ..MbusFormat::default_with(self.code)
        }
    }

    /// The format of a capture node starting with this one.
    pub(crate) fn pix(&self) -> PixFormat {
        let mut f = PixFormat {
            width: self.width,
            height: self.height,
            pixelformat: self.code,
            ..PixFormat::DEFAULT
        };
        // Line and frame size for the pixel format.
        f.try_capture();
        f
    }
}

/// An entity kind.
pub(crate) struct Kind {
    /// What users call it (configfs directories are `NAME:ENTITY`).
    pub(crate) name: &'static [u8],
    /// Its pads' flags (`MEDIA_PAD_FL_*`), in pad order.
    pub(crate) pads: &'static [u32],
    /// The initial format C vimc gives it; `None` for a kind without
    /// formats (a lens).
    pub(crate) format: Option<Format>,
    /// Whether it takes a code (or pixel format) as its initial one.
    pub(crate) code_ok: fn(u32) -> bool,
    /// A video node: its format's code is a pixel format.
    pub(crate) node: bool,
    /// Its constructor.
    pub(crate) add: AddFn,
    /// Its part in a stream, for a kind whose subdevs stream.
    pub(crate) stage: Option<StageFn>,
}

pub(crate) const SENSOR: Kind = Kind {
    name: b"sensor",
    pads: sensor::Sensor::PADS,
    format: Format::of(&formats::sensor::DEFAULT),
    code_ok: formats::sensor::frame_size_code_ok,
    node: false,
    add: sensor::add,
    stage: Some(stage_fn::<sensor::Sensor>),
};
pub(crate) const DEBAYER: Kind = Kind {
    name: b"debayer",
    pads: debayer::Debayer::PADS,
    format: Format::of(&formats::debayer::SINK_DEFAULT),
    code_ok: |c| formats::debayer::SINK_CODES.contains(&c),
    node: false,
    add: debayer::add,
    stage: Some(stage_fn::<debayer::Debayer>),
};
pub(crate) const SCALER: Kind = Kind {
    name: b"scaler",
    pads: scaler::Scaler::PADS,
    format: Format::of(&formats::scaler::DEFAULT),
    code_ok: formats::scaler::code_ok,
    node: false,
    add: scaler::add,
    stage: Some(stage_fn::<scaler::Scaler>),
};
pub(crate) const CAPTURE: Kind = Kind {
    name: b"capture",
    // Its video node's one pad.
    pads: &[subdev::pad::SINK],
    format: Format::of_pix(&PixFormat::DEFAULT),
    code_ok: |p| formats::by_pixelformat(p).is_some(),
    node: true,
    add: capture::add,
    stage: None,
};
pub(crate) const LENS: Kind = Kind {
    name: b"lens",
    pads: lens::Lens::PADS,
    format: None,
    code_ok: |_| false,
    node: false,
    add: lens::add,
    stage: None,
};

/// Every kind.
const KINDS: &[&Kind] = &[&SENSOR, &DEBAYER, &SCALER, &CAPTURE, &LENS];

/// The stage of one subdev upstream of a starting stream, by its kind;
/// -EINVAL for a subdev of no streaming kind.
pub(crate) fn stage_of(sd: &SubdevRef<'_>) -> Result<KBox<dyn Stage>> {
    KINDS
        .iter()
        .filter_map(|k| k.stage)
        .find_map(|f| f(sd))
        .unwrap_or(Err(EINVAL))
}

/// The kind called `name`; `input` is C vimc's name for its RGB/YUV input,
/// a sensor.
pub(crate) fn by_name(name: &[u8]) -> Option<&'static Kind> {
    if name == b"input" {
        return Some(&SENSOR);
    }
    KINDS.iter().copied().find(|k| k.name == name)
}
