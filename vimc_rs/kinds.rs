// SPDX-License-Identifier: GPL-2.0

//! The entity kinds: one file each, and one row here.

use crate::{
    capture, debayer, lens,
    media::{
        async_graph::Bound,
        pipeline::SubdevRef,
        subdev::{self, Driver},
        v4l2_device::Registration,
    },
    scaler, sensor,
    stage::{stage_fn, Stage, StageFn},
    VimcShared,
};
use kernel::prelude::*;

/// Creates one entity of a kind and registers it (or, for a sensor, adds
/// the bound one of that name if there is one); returns its index in the
/// graph.
pub(crate) type AddFn = fn(&mut Registration<VimcShared>, &CStr, &[Bound<'_>]) -> Result<usize>;

/// An entity kind.
pub(crate) struct Kind {
    /// What users call it (configfs directories are `NAME:ENTITY`).
    pub(crate) name: &'static [u8],
    /// Its pads' flags (`MEDIA_PAD_FL_*`), in pad order.
    pub(crate) pads: &'static [u32],
    /// Its constructor.
    pub(crate) add: AddFn,
    /// Its part in a stream, for a kind whose subdevs stream.
    pub(crate) stage: Option<StageFn>,
}

pub(crate) const SENSOR: Kind = Kind {
    name: b"sensor",
    pads: sensor::Sensor::PADS,
    add: sensor::add,
    stage: Some(stage_fn::<sensor::Sensor>),
};
pub(crate) const DEBAYER: Kind = Kind {
    name: b"debayer",
    pads: debayer::Debayer::PADS,
    add: debayer::add,
    stage: Some(stage_fn::<debayer::Debayer>),
};
pub(crate) const SCALER: Kind = Kind {
    name: b"scaler",
    pads: scaler::Scaler::PADS,
    add: scaler::add,
    stage: Some(stage_fn::<scaler::Scaler>),
};
pub(crate) const CAPTURE: Kind = Kind {
    name: b"capture",
    // Its video node's one pad.
    pads: &[subdev::pad::SINK],
    add: capture::add,
    stage: None,
};
pub(crate) const LENS: Kind = Kind {
    name: b"lens",
    pads: lens::Lens::PADS,
    add: lens::add,
    stage: None,
};

/// Every kind.
const KINDS: &[&Kind] = &[&SENSOR, &DEBAYER, &SCALER, &CAPTURE, &LENS];

/// The stage of one subdev upstream of a starting stream, by its kind;
/// -EINVAL for a subdev of no streaming kind.
pub(crate) fn stage_of(sd: &SubdevRef<'_>, last: bool) -> Result<KBox<dyn Stage>> {
    KINDS
        .iter()
        .filter_map(|k| k.stage)
        .find_map(|f| f(sd, last))
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
