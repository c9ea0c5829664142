// SPDX-License-Identifier: GPL-2.0

//! Sensor entity: a subdev with one source pad.

use crate::{
    media::{bindings, subdev, v4l2_device::Registration},
    VimcShared,
};
use kernel::prelude::*;

pub(crate) struct Sensor;

impl subdev::Driver for Sensor {
    const FUNCTION: u32 = bindings::MEDIA_ENT_F_CAM_SENSOR;
    const PADS: &'static [u32] = &[bindings::MEDIA_PAD_FL_SOURCE];
}

/// Adds a sensor called `name`.
pub(crate) fn add(reg: &mut Registration<VimcShared>, name: &'static CStr) -> Result {
    reg.add_subdev(name, Sensor)?;
    Ok(())
}
