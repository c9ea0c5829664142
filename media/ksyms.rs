// SPDX-License-Identifier: GPL-2.0

//! Kernel symbol lookups for what is not exported.
//!
//! `kallsyms_lookup_name()` is not exported to modules; a kprobe on it
//! resolves its address, which is the standard way for out-of-tree debug
//! tools. With `CONFIG_KALLSYMS_ALL`, it finds static data too, also in
//! modules (`"module:symbol"`).

use super::bindings;
use kernel::ffi::c_ulong;
use kernel::{prelude::*, str::CStr};

type LookupFn = unsafe extern "C" fn(*const u8) -> c_ulong;

/// `kallsyms_lookup_name`.
///
/// # Invariants
///
/// `lookup` is the address of the kernel's `kallsyms_lookup_name`.
pub(crate) struct Kallsyms {
    lookup: LookupFn,
}

impl Kallsyms {
    /// Finds `kallsyms_lookup_name` through a temporary kprobe.
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: all-zero is an unregistered kprobe with no handlers.
        let mut kp: bindings::kprobe = unsafe { core::mem::zeroed() };
        kp.symbol_name = kernel::c_str!("kallsyms_lookup_name").as_char_ptr();
        // SAFETY: `kp` is a valid kprobe and stays alive until unregistered below.
        kernel::error::to_result(unsafe { bindings::register_kprobe(&mut kp) })?;
        let addr = kp.addr;
        // SAFETY: registered just above.
        unsafe { bindings::unregister_kprobe(&mut kp) };
        if addr.is_null() {
            return Err(ENOENT);
        }
        // SAFETY: the kprobe resolved the address of `kallsyms_lookup_name`,
        // whose C type is `unsigned long (const char *)`.
        let lookup = unsafe { core::mem::transmute::<*mut u8, LookupFn>(addr.cast()) };
        Ok(Self { lookup })
    }

    /// The address of `name`, if the kernel has it.
    pub(crate) fn lookup(&self, name: &CStr) -> Option<usize> {
        // SAFETY: `lookup` is `kallsyms_lookup_name` (type invariant); `name`
        // is a valid C string.
        let addr = unsafe { (self.lookup)(name.as_char_ptr()) };
        (addr != 0).then_some(addr)
    }
}

/// `sprint_symbol()` of `addr`: `"sym+off/size [module]"` if `addr` is in
/// the kernel or a loaded module, else `"0x..."`. Never dereferences `addr`.
pub(crate) fn symbol_of(addr: usize, buf: &mut [u8; 1024]) -> &[u8] {
    // SAFETY: `buf` is larger than KSYM_SYMBOL_LEN; the function only
    // compares `addr` with symbol tables.
    let n = unsafe { bindings::sprint_symbol(buf.as_mut_ptr(), addr as c_ulong) };
    &buf[..(n.max(0) as usize).min(buf.len())]
}
