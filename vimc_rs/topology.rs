// SPDX-License-Identifier: GPL-2.0

//! The media graph as data: the entities probe creates, in order, and the
//! links between them, as in C vimc of 6.12.

use crate::{
    kinds::{self, Kind},
    media::{async_graph::Bound, v4l2_device::Registration},
    VimcShared,
};
use kernel::{c_str, prelude::*};

/// One entity of the graph.
pub(crate) struct Entity {
    /// Entity name, as `media-ctl -p` shows it.
    pub(crate) name: &'static CStr,
    /// Its kind.
    pub(crate) kind: &'static Kind,
}

const fn ent(name: &'static CStr, kind: &'static Kind) -> Entity {
    Entity { name, kind }
}

/// Entities in creation order; the index is the entity's id in links.
pub(crate) const ENTITIES: &[Entity] = &[
    ent(c_str!("Sensor A"), &kinds::SENSOR),
    ent(c_str!("Sensor B"), &kinds::SENSOR),
    ent(c_str!("Debayer A"), &kinds::DEBAYER),
    ent(c_str!("Debayer B"), &kinds::DEBAYER),
    ent(c_str!("Raw Capture 0"), &kinds::CAPTURE),
    ent(c_str!("Raw Capture 1"), &kinds::CAPTURE),
    // A sensor, as in C vimc (which has no input entity yet).
    ent(c_str!("RGB/YUV Input"), &kinds::SENSOR),
    ent(c_str!("Scaler"), &kinds::SCALER),
    ent(c_str!("RGB/YUV Capture"), &kinds::CAPTURE),
    ent(c_str!("Lens A"), &kinds::LENS),
    ent(c_str!("Lens B"), &kinds::LENS),
];

const SENSOR_A: usize = 0;
const SENSOR_B: usize = 1;
const DEBAYER_A: usize = 2;
const DEBAYER_B: usize = 3;
const RAW_CAPTURE_0: usize = 4;
const RAW_CAPTURE_1: usize = 5;
const RGB_YUV_INPUT: usize = 6;
const SCALER: usize = 7;
const RGB_YUV_CAPTURE: usize = 8;
const LENS_A: usize = 9;
const LENS_B: usize = 10;

/// `MEDIA_LNK_FL_ENABLED`.
pub(crate) const ENABLED: u32 = 1;
/// `MEDIA_LNK_FL_IMMUTABLE`.
pub(crate) const IMMUTABLE: u32 = 2;

/// A data link: (source entity, source pad, sink entity, sink pad, flags).
pub(crate) type DataLink = (usize, u16, usize, u16, u32);

/// Data links, in creation order.
pub(crate) const DATA_LINKS: &[DataLink] = &[
    (SENSOR_A, 0, DEBAYER_A, 0, ENABLED | IMMUTABLE),
    (SENSOR_A, 0, RAW_CAPTURE_0, 0, ENABLED | IMMUTABLE),
    (SENSOR_B, 0, DEBAYER_B, 0, ENABLED | IMMUTABLE),
    (SENSOR_B, 0, RAW_CAPTURE_1, 0, ENABLED | IMMUTABLE),
    (DEBAYER_A, 1, SCALER, 0, ENABLED),
    (DEBAYER_B, 1, SCALER, 0, 0),
    (RGB_YUV_INPUT, 0, SCALER, 0, 0),
    (SCALER, 1, RGB_YUV_CAPTURE, 0, ENABLED | IMMUTABLE),
];

/// Ancillary links: (primary entity, ancillary entity).
pub(crate) const ANCILLARY_LINKS: &[(usize, usize)] = &[(SENSOR_A, LENS_A), (SENSOR_B, LENS_B)];

/// Creates the whole graph on `reg` with the `bound` sensors, entities
/// first, then links.
pub(crate) fn build(reg: &mut Registration<VimcShared>, bound: &[Bound<'_>]) -> Result {
    for (i, e) in ENTITIES.iter().enumerate() {
        let index = (e.kind.add)(reg, e.name, bound)?;
        // Links refer to entities by table position.
        if index != i {
            return Err(EINVAL);
        }
    }
    for &(src, src_pad, sink, sink_pad, flags) in DATA_LINKS {
        reg.link(src, src_pad, sink, sink_pad, flags)?;
    }
    for &(primary, ancillary) in ANCILLARY_LINKS {
        reg.ancillary_link(primary, ancillary)?;
    }
    Ok(())
}

/// The sensors, which are devices of their own: (device id, entity name,
/// software node name).
pub(crate) const SENSORS: &[(i32, &CStr, &CStr)] = &[
    (0, c_str!("Sensor A"), c_str!("vimc-sensor-a")),
    (1, c_str!("Sensor B"), c_str!("vimc-sensor-b")),
    (2, c_str!("RGB/YUV Input"), c_str!("vimc-rgb-yuv-input")),
];
