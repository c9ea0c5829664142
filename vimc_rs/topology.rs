// SPDX-License-Identifier: GPL-2.0

//! The media graph as data: the entities probe creates, in order.

use crate::{media::v4l2_device::Registration, sensor, VimcShared};
use kernel::{c_str, prelude::*};

/// One entity of the graph.
pub(crate) struct Entity {
    /// Entity name, as `media-ctl -p` shows it.
    pub(crate) name: &'static CStr,
    /// Creates the entity and registers it.
    pub(crate) add: fn(&mut Registration<VimcShared>, &'static CStr) -> Result,
}

/// Entities in creation order; the index is the entity's id in links.
pub(crate) const ENTITIES: &[Entity] = &[Entity {
    name: c_str!("Sensor A"),
    add: sensor::add,
}];
