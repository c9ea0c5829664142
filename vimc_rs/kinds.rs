// SPDX-License-Identifier: GPL-2.0

//! The registry of entity kinds: each entity file exports its descriptor
//! ([`Kind`]), this lists them.

use crate::{
    capture, debayer, entity::Kind, lens, media::mc::pipeline::SubdevRef, scaler, sensor,
    stage::Stage,
};
use kernel::prelude::*;

/// Every kind.
const KINDS: &[&Kind] = &[
    &sensor::KIND,
    &debayer::KIND,
    &scaler::KIND,
    &capture::KIND,
    &lens::KIND,
];

/// The stage of one subdev upstream of a starting stream, by its kind;
/// -EINVAL for a subdev of no streaming kind. (The device hands it to its
/// capture nodes' streamers: [`crate::streamer::Streaming`].)
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
        return Some(&sensor::KIND);
    }
    KINDS.iter().copied().find(|k| k.name == name)
}
