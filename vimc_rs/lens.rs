// SPDX-License-Identifier: GPL-2.0

//! Lens entity: a pad-less subdev linked to its sensor by an ancillary link.

use crate::{
    media::{subdev, v4l2_device::Registration},
    VimcShared,
};
use kernel::prelude::*;

pub(crate) struct Lens;

impl subdev::Driver for Lens {
    const FUNCTION: u32 = subdev::function::LENS;
    const PADS: &'static [u32] = &[];
    const HAS_PAD_OPS: bool = false;
}

/// Adds a lens called `name`.
pub(crate) fn add(reg: &mut Registration<VimcShared>, name: &'static CStr) -> Result<usize> {
    reg.add_subdev(name, Lens)
}
