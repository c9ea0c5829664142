// SPDX-License-Identifier: GPL-2.0

//! Lens entity: a pad-less subdev linked to its sensor by an ancillary link.

use crate::{
    controls::Values,
    device::VimcShared,
    entity::{InitialFormat, Kind},
    media::v4l2::{
        async_graph::Bound,
        ctrls::{cid, Def},
        graph::Build,
        subdev,
    },
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

/// The lens kind.
pub(crate) const KIND: Kind = Kind {
    name: b"lens",
    pads: <Lens as subdev::Driver>::PADS,
    format: None,
    code_ok: |_| false,
    node: false,
    add,
    stage: None,
};

/// Adds a lens called `name`.
fn add(
    reg: &mut Build<'_, VimcShared>,
    name: &CStr,
    _format: Option<&InitialFormat>,
    _bound: &[Bound<'_>],
) -> Result<usize> {
    let ctrls = Values::new(CONTROLS)?;
    reg.add_subdev(name, Lens { ctrls })
}
