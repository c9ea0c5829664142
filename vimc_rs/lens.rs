// SPDX-License-Identifier: GPL-2.0

//! Lens entity: a pad-less subdev linked to its sensor by an ancillary link.

use crate::{
    controls::Values,
    kinds::Format,
    media::{
        async_graph::Bound,
        ctrls::{cid, Def},
        subdev,
        v4l2_device::Graph,
    },
    VimcShared,
};
use kernel::{prelude::*, sync::Arc};

pub(crate) struct Lens {
    ctrls: Arc<Values>,
}

/// Largest focus position, as C vimc.
const MAX_FOCUS_POS: i64 = 1023;

const CONTROLS: &[Def] = &[Def::Std {
    id: cid::FOCUS_ABSOLUTE,
    range: (0, MAX_FOCUS_POS, 1, 0),
}];

#[vtable]
impl subdev::Driver for Lens {
    const FUNCTION: u32 = subdev::function::LENS;
    const PADS: &'static [u32] = &[];
    const CONTROLS: &'static [Def] = CONTROLS;

    fn s_ctrl(&self, id: u32, val: i32) -> Result {
        self.ctrls.set(id, val)
    }
}

/// Adds a lens called `name`.
pub(crate) fn add(
    reg: &mut Graph<'_, VimcShared>,
    name: &CStr,
    _format: Option<&Format>,
    _bound: &[Bound<'_>],
) -> Result<usize> {
    let ctrls = Values::new(CONTROLS)?;
    reg.add_subdev(name, Lens { ctrls })
}
