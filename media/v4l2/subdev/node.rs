// SPDX-License-Identifier: GPL-2.0

//! A subdev's `/dev/v4l-subdevN` node, which holds the subdev's memory until its release.

use super::block::SubdevHold;
use crate::media::{
    bindings, compat::MutPtr, introspect::ksyms::module_symbol, kcompat::releases::Counted,
};
use core::{
    ptr::{null_mut, NonNull},
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{
    c_str,
    error::to_result,
    prelude::*,
    types::{ForeignOwnable, Opaque},
};

/// Resolves what subdev nodes need from the core ([`node_fops`]). Call it
/// at module init, so that a kernel without the symbol refuses the module
/// with a message instead of failing its first probe.
pub(crate) fn resolve_symbols() -> Result {
    node_fops().map(|_| ())
}

/// The core's `v4l2_subdev_fops`, which videodev does not export; resolved
/// once from videodev's symbol table, at the latest by [`resolve_symbols`].
/// Our node fops call its functions: pointers the core itself stores and
/// calls indirectly, so they are valid targets under IBT and kCFI.
pub(super) fn node_fops() -> Result<*const bindings::v4l2_file_operations> {
    static FOPS: AtomicPtr<bindings::v4l2_file_operations> = AtomicPtr::new(null_mut());
    let p = FOPS.load(Ordering::Acquire);
    if !p.is_null() {
        return Ok(p);
    }
    let addr = module_symbol(c_str!("videodev"), c_str!("v4l2_subdev_fops"))?;
    FOPS.store(addr as *mut _, Ordering::Release);
    Ok(addr as *const _)
}

/// A subdev's node: the `video_device` the core registers, and the node's
/// reference to the subdev's memory.
///
/// # Invariants
///
/// Made by [`register_node`] as a `KBox` handed to C (`into_foreign`), whose
/// pointer is `vdev`'s (first field, `repr(C)`); taken back
/// (`from_foreign`) only by [`node_release`], which C calls once, or by
/// [`register_node`] when C will not.
#[repr(C)]
pub(super) struct SubdevNode {
    vdev: Opaque<bindings::video_device>,
    _memory: SubdevHold,
    /// Freed by `node_release`, maybe after the module's exit began.
    _counted: Counted,
}

/// Creates the node of the subdev `memory` refers to, which keeps `memory`
/// until its release.
///
/// # Safety
///
/// As [`SubdevHold::register_node`].
pub(super) unsafe fn register_node(memory: SubdevHold) -> Result {
    let fops = node_fops()?;
    let sd = memory.sd();
    // INVARIANT: a `KBox` that `into_foreign` hands to C below, `vdev` its
    // first field (`repr(C)`); taken back by `node_release`, or below when
    // C reports it will not call that (`released`).
    let node = KBox::new(
        SubdevNode {
            vdev: Opaque::uninit(),
            _memory: memory,
            _counted: Counted::new(),
        },
        GFP_KERNEL,
    )?;
    // C holds the node from here (invariant of `SubdevNode`).
    let vdev = node
        .into_foreign()
        .mut_ptr()
        .cast::<bindings::video_device>();
    let mut released = false;
    // SAFETY: `vdev` is ours and not yet visible to C: zeroed memory is
    // what registration expects, as from kzalloc. The subdev is registered
    // without a node (guaranteed by the caller). Once `released` is set,
    // the node's release (`node_release`) frees it.
    let ret = unsafe {
        core::ptr::write_bytes(vdev, 0, 1);
        bindings::vimc_rs_register_subdev_node(
            sd.as_ptr(),
            vdev,
            fops,
            Some(node_release),
            &mut released,
        )
    };
    if !released {
        // SAFETY: from `into_foreign` above, and C will not release it.
        drop(unsafe { KBox::<SubdevNode>::from_foreign(vdev.cast()) });
    }
    to_result(ret)
}

/// # Safety
///
/// The release of a node made by [`register_node`]: called once, when C
/// is done with the node.
pub(super) unsafe extern "C" fn node_release(vdev: *mut bindings::video_device) {
    // SAFETY: `vdev` is the pointer `register_node` handed to C, and this
    // is C's last use of it. `sd->devnode` was cleared by
    // `unregister_node`, not here: this may run at any last close, racing a
    // reader of `sd->devnode`. The memory reference goes last, with the node.
    drop(unsafe { KBox::<SubdevNode>::from_foreign(vdev.cast()) });
}

/// The subdev's node, if it has one.
///
/// # Safety
///
/// `sd` is registered; its node is not being made or unregistered.
pub(crate) unsafe fn node(
    sd: NonNull<bindings::v4l2_subdev>,
) -> Option<NonNull<bindings::video_device>> {
    // SAFETY: guaranteed by the caller; only the field is read.
    NonNull::new(unsafe { (*sd.as_ptr()).devnode })
}

/// Unregisters the node of a subdev, if it has one, and detaches it from
/// the subdev at once (its release comes at its last close). The subdev's
/// unregistration then sees no node, and leaves it alone.
///
/// # Safety
///
/// `sd` is a registered subdev whose node, if any, came from
/// [`register_node`]; the caller serializes this with the subdev's
/// unregistration (a graph's drop; for a bound async subdev, under
/// v4l2-async's list lock).
pub(crate) unsafe fn unregister_node(sd: NonNull<bindings::v4l2_subdev>) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let vdev = (*sd.as_ptr()).devnode;
        if !vdev.is_null() {
            // Waits for an open in progress (see the helper).
            bindings::vimc_rs_unregister_subdev_node(vdev);
            (*sd.as_ptr()).devnode = core::ptr::null_mut();
        }
    }
}
