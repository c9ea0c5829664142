// SPDX-License-Identifier: GPL-2.0

//! vimc's own control ids and the control values entities keep.

use core::sync::atomic::{AtomicI32, Ordering};

/// The vimc control class (`VIMC_CID_VIMC_CLASS`).
pub(crate) const CID_VIMC_CLASS: u32 = 0x00f0_0001;
const CID_VIMC_BASE: u32 = 0x00f0_f000;
/// Sensor test pattern (a v4l2-tpg pattern index).
pub(crate) const CID_TEST_PATTERN: u32 = CID_VIMC_BASE;
/// Debayer mean window size.
pub(crate) const CID_MEAN_WIN_SIZE: u32 = CID_VIMC_BASE + 1;
/// Sensor on-screen text mode.
pub(crate) const CID_OSD_TEXT_MODE: u32 = CID_VIMC_BASE + 2;

/// Current values of an entity's controls, set by `s_ctrl` under the
/// control handler's lock; atomics, so that frame processing can read them
/// without it.
pub(crate) struct Values<const N: usize> {
    ids: [u32; N],
    vals: [AtomicI32; N],
}

impl<const N: usize> Values<N> {
    /// Values for `ids`, starting at `defaults`.
    pub(crate) fn new(ids: [u32; N], defaults: [i32; N]) -> Self {
        Self {
            ids,
            vals: defaults.map(AtomicI32::new),
        }
    }

    /// Stores `val` for `id`; fails for an id we do not have.
    pub(crate) fn set(&self, id: u32, val: i32) -> kernel::error::Result {
        let i = self
            .ids
            .iter()
            .position(|&x| x == id)
            .ok_or(kernel::error::code::EINVAL)?;
        self.vals[i].store(val, Ordering::Relaxed);
        Ok(())
    }
}
