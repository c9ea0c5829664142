// SPDX-License-Identifier: GPL-2.0

//! Module parameters, defined in the module's C helpers (the 6.12 `module!`
//! macro has none).

use super::bindings;

/// `vimc_rs.free_run`: stream without pacing.
pub(crate) fn free_run() -> bool {
    // SAFETY: reads a module parameter; no preconditions.
    unsafe { bindings::vimc_rs_free_run() }
}
