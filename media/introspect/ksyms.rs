// SPDX-License-Identifier: GPL-2.0

//! Addresses of symbols that are not exported: static data of the media
//! modules (v4l2-async's lists, videodev's `v4l2_subdev_fops`).
//!
//! Each is read from its module's own symbol table, as the kernel's
//! `module_kallsyms_lookup_name()` does, and checked with `sprint_symbol()`
//! before use. Nothing found this way is ever called: an indirect call to
//! an address from kallsyms or a kprobe would break under IBT (a kprobe
//! reports the entry past ENDBR, and unreferenced functions have theirs
//! sealed) and kCFI. Needs `CONFIG_KALLSYMS_ALL`, and the module loaded
//! (not built in): the caller depends on it by linking against one of its
//! exports, which also keeps the address valid while the caller is loaded.

use crate::media::bindings;
use kernel::ffi::c_ulong;
use kernel::{prelude::*, str::CStr};

/// The address of the data symbol `sym` of the loaded module `module`,
/// verified: `sprint_symbol()` must name it `sym+0x0/... [module]`. Logs
/// what is missing when it is not found.
pub(crate) fn module_symbol(module: &CStr, sym: &CStr) -> Result<usize> {
    // SAFETY: `THIS_MODULE` is our own module, on the module list while
    // our code runs; the names are C strings; the helper only reads.
    let addr = unsafe {
        bindings::vimc_rs_module_symbol(
            crate::media::THIS_MODULE.as_ptr(),
            module.as_char_ptr(),
            sym.as_char_ptr(),
        )
    } as usize;
    let mut buf = [0u8; 1024];
    let found = symbol_of(addr, &mut buf);
    let want = crate::media::compat::cstr_bytes(sym);
    let m = crate::media::compat::cstr_bytes(module);
    let ok = addr != 0
        && found.starts_with(want)
        && found[want.len()..].starts_with(b"+0x0/")
        && found.ends_with(b"]")
        && found[..found.len() - 1].ends_with(m)
        && found[..found.len() - 1 - m.len()].ends_with(b" [");
    if !ok {
        pr_err!(
            "{}:{} not found: the kernel needs CONFIG_KALLSYMS_ALL and {} as a loaded module\n",
            module,
            sym,
            module
        );
        return Err(ENOENT);
    }
    Ok(addr)
}

/// `sprint_symbol()` of `addr`: `"sym+off/size [module]"` if `addr` is in
/// the kernel or a loaded module, else `"0x..."`. Never dereferences `addr`.
/// Safe while the module `addr` is in is being unloaded (6.12's
/// `sprint_symbol()` alone is not: see the helper).
pub(crate) fn symbol_of(addr: usize, buf: &mut [u8; 1024]) -> &[u8] {
    // SAFETY: `buf` is larger than KSYM_SYMBOL_LEN; the function only
    // compares `addr` with symbol tables, and copies a module's name in
    // the RCU read section that keeps the module from being freed.
    let n = unsafe { bindings::vimc_rs_sprint_symbol(buf.as_mut_ptr(), addr as c_ulong) };
    &buf[..(n.max(0) as usize).min(buf.len())]
}
