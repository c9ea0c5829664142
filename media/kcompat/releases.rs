// SPDX-License-Identifier: GPL-2.0

//! Objects freed by code of this module, counted, so that the module's exit
//! waits for the last of them. Their release callbacks run when C drops
//! the last reference, which may be after the driver is gone: a kobject's
//! release runs 1 to 4 s late under `DEBUG_KOBJECT_RELEASE`, and a release
//! calling into unloaded module text is a crash (on such a kernel, a video
//! node's release after `rmmod vimc_rs`).

use crate::media::bindings;

/// Part of an object this module frees; make it the object's last field,
/// so that it goes last. Counted from creation to drop.
pub(crate) struct Counted(());

impl Counted {
    pub(crate) fn new() -> Self {
        // SAFETY: a counter in this module's helpers; no precondition.
        unsafe { bindings::vimc_rs_module_object_new() };
        Self(())
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        // SAFETY: pairs with `new`. `Barrier` waits for the count, then for
        // this releaser to leave the module's text (what remains of its
        // release: the box's kfree and returns; see the helper).
        unsafe { bindings::vimc_rs_module_object_gone() };
    }
}

/// Held by a module as its last field: its drop (the end of the module's
/// exit) waits until every [`Counted`] is gone.
pub(crate) struct Barrier(());

impl Barrier {
    pub(crate) fn new() -> Self {
        Self(())
    }
}

impl Drop for Barrier {
    fn drop(&mut self) {
        // SAFETY: sleeps; module exit runs in process context.
        unsafe { bindings::vimc_rs_module_objects_wait() };
    }
}
