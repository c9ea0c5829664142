// SPDX-License-Identifier: GPL-2.0

//! An entity kind's descriptor. Each entity file exports its own (as C
//! vimc's files export `vimc_sensor_type` and the others); `kinds.rs` only
//! lists them, and the topology and configfs read them from there.

use crate::{
    device::VimcShared,
    formats::{self, MbusFormat, PixFormat},
    media::v4l2::{async_graph::Bound, graph::Build},
    stage::StageFn,
};
use kernel::prelude::*;

/// Creates one entity of a kind with its initial format (`Some` exactly
/// for a kind that has one: [`Kind::format`] is the default) and registers
/// it (or, for a sensor, adds the bound one of that name if there is one);
/// returns its index in the graph.
pub(crate) type AddFn =
    fn(&mut Build<'_, VimcShared>, &CStr, Option<&InitialFormat>, &[Bound<'_>]) -> Result<usize>;

/// An entity's initial format, on every pad (its configfs `width`, `height`
/// and `code` or `pixelformat`): the bus code of a subdev's first pad, a
/// capture node's pixel format.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct InitialFormat {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) code: u32,
}

impl InitialFormat {
    /// A subdev's that starts with `f` on its first pad.
    pub(crate) const fn of(f: &MbusFormat) -> Option<Self> {
        Some(Self {
            width: f.width,
            height: f.height,
            code: f.code,
        })
    }

    /// A capture node's that starts with `f`.
    pub(crate) const fn of_pix(f: &PixFormat) -> Option<Self> {
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
    pub(crate) format: Option<InitialFormat>,
    /// Whether it takes a code (or pixel format) as its initial one.
    pub(crate) code_ok: fn(u32) -> bool,
    /// A video node: its format's code is a pixel format.
    pub(crate) node: bool,
    /// Its constructor.
    pub(crate) add: AddFn,
    /// Its part in a stream, for a kind whose subdevs stream.
    pub(crate) stage: Option<StageFn>,
}
