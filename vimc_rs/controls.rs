// SPDX-License-Identifier: GPL-2.0

//! vimc's own control ids and the control values entities keep.

use crate::media::v4l2::ctrls::Def;
use core::sync::atomic::{AtomicI32, Ordering};
use kernel::{c_str, prelude::*, sync::Arc};

/// The vimc control class (`VIMC_CID_VIMC_CLASS`).
pub(crate) const CID_VIMC_CLASS: u32 = 0x00f0_0001;
const CID_VIMC_BASE: u32 = 0x00f0_f000;
/// Sensor test pattern (a v4l2-tpg pattern index).
pub(crate) const CID_TEST_PATTERN: u32 = CID_VIMC_BASE;
/// Debayer mean window size.
pub(crate) const CID_MEAN_WIN_SIZE: u32 = CID_VIMC_BASE + 1;
/// Sensor on-screen text mode.
pub(crate) const CID_OSD_TEXT_MODE: u32 = CID_VIMC_BASE + 2;

/// The heading of vimc's controls, first in each entity's table.
pub(crate) const CLASS: Def = Def::Class {
    id: CID_VIMC_CLASS,
    name: c_str!("VIMC Controls"),
};

/// Current values of an entity's controls, set by `s_ctrl` under the
/// control handler's lock; atomics, so that frame processing can read them
/// without it. Shared (`Arc`) by the entity and its running stream, so a
/// stream never depends on the entity's lifetime.
pub(crate) struct Values {
    vals: KVec<(u32, AtomicI32)>,
}

impl Values {
    /// The controls of `defs`, at their defaults.
    pub(crate) fn new(defs: &[Def]) -> Result<Arc<Self>> {
        let mut vals = KVec::with_capacity(defs.len(), GFP_KERNEL)?;
        for (id, def) in defs.iter().filter_map(Def::initial) {
            vals.push((id, AtomicI32::new(def as i32)), GFP_KERNEL)?;
        }
        Ok(Arc::new(Self { vals }, GFP_KERNEL)?)
    }

    fn slot(&self, id: u32) -> Option<&AtomicI32> {
        self.vals.iter().find(|(x, _)| *x == id).map(|(_, v)| v)
    }

    /// The value of `id` (0 for an id we do not have).
    pub(crate) fn get(&self, id: u32) -> i32 {
        self.slot(id).map_or(0, |v| v.load(Ordering::Relaxed))
    }

    /// Stores `val` for `id`; fails for an id we do not have.
    pub(crate) fn set(&self, id: u32, val: i32) -> Result {
        self.slot(id).ok_or(EINVAL)?.store(val, Ordering::Relaxed);
        Ok(())
    }
}
