// SPDX-License-Identifier: GPL-2.0

//! Software nodes: firmware nodes a driver describes itself, as board code
//! does where there is no device tree or ACPI table.
//!
//! C header: [`include/linux/property.h`](srctree/include/linux/property.h)

use crate::media::bindings;
use kernel::{error::to_result, prelude::*, str::CStr, types::Opaque};

/// A registered software node without properties or parent.
///
/// # Invariants
///
/// `node` is registered with the driver core from `new` until drop; its
/// name is `'static`. Whoever took a reference to its fwnode (a device, an
/// async connection) gives it back before the node is dropped.
pub(crate) struct SoftwareNode {
    node: Pin<KBox<Opaque<bindings::software_node>>>,
}

// SAFETY: the node is immutable once registered; the driver core locks its
// own lists.
unsafe impl Send for SoftwareNode {}
// SAFETY: as above.
unsafe impl Sync for SoftwareNode {}

impl SoftwareNode {
    /// Registers the node `name`.
    pub(crate) fn new(name: &'static CStr) -> Result<Self> {
        let node = KBox::pin(Opaque::<bindings::software_node>::uninit(), GFP_KERNEL)?;
        // SAFETY: `node` is ours; all-zero is a node without parent or
        // properties, then it gets its name.
        unsafe {
            core::ptr::write_bytes(node.get(), 0, 1);
            (*node.get()).name = name.as_char_ptr();
        }
        // SAFETY: `node` is initialized and stays pinned until drop.
        to_result(unsafe { bindings::software_node_register(node.get()) })?;
        // INVARIANT: registered just above, its name `'static`. References to
        // its fwnode go back first by their holders' drop order (the fields
        // of `DeviceWithNode`, the module's), not by anything here.
        Ok(Self { node })
    }

    /// Its firmware node handle (no reference taken: valid while `self` is).
    pub(crate) fn fwnode(&self) -> *mut bindings::fwnode_handle {
        // SAFETY: registered (type invariant).
        unsafe { bindings::software_node_fwnode(self.node.get()) }
    }
}

impl Drop for SoftwareNode {
    fn drop(&mut self) {
        // SAFETY: registered in `new` (type invariant).
        unsafe { bindings::software_node_unregister(self.node.get()) };
    }
}

/// A counted reference to a firmware node, given back on drop.
///
/// # Invariants
///
/// `fwnode` is valid and we own one reference to it.
pub(crate) struct FwnodeRef {
    fwnode: *mut bindings::fwnode_handle,
}

impl FwnodeRef {
    /// The node (valid while `self` is).
    pub(crate) fn as_ptr(&self) -> *mut bindings::fwnode_handle {
        self.fwnode
    }
}

impl Drop for FwnodeRef {
    fn drop(&mut self) {
        // SAFETY: we own a reference (type invariant).
        unsafe { bindings::rust_helper_fwnode_handle_put(self.fwnode) };
    }
}

/// The registered software node `name`, with a reference to it.
pub(crate) fn find(name: &CStr) -> Option<FwnodeRef> {
    // SAFETY: `name` is a valid C string; a NULL parent searches all nodes.
    // The node found comes with a reference, which `FwnodeRef` gives back.
    let node =
        unsafe { bindings::software_node_find_by_name(core::ptr::null(), name.as_char_ptr()) };
    if node.is_null() {
        return None;
    }
    // SAFETY: `node` is registered and referenced.
    let fwnode = unsafe { bindings::software_node_fwnode(node) };
    // INVARIANT: the handle of the node found above, whose reference
    // `software_node_find_by_name` took for us.
    Some(FwnodeRef { fwnode })
}
