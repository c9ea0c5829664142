// SPDX-License-Identifier: GPL-2.0

//! Reads of kernel memory that may no longer be what it was: freed, handed
//! to someone else, or unmapped with the module it belonged to.
//!
//! C source: [`mm/maccess.c`](srctree/mm/maccess.c)
//!
//! Every read copies with `copy_from_kernel_nofault()` (a fault is an
//! error, not an oops) with KASAN's reports off for the calling task (the
//! memory may be freed: that is what the caller wants to find out, not a
//! bug), and yields a value only of a type every bit pattern of which is
//! valid ([`Plain`]). Nothing here ever dereferences what it reads: a
//! pointer read this way is a number until the caller has validated it.

use crate::media::bindings;
use kernel::ffi::{c_long, c_ulong};

/// Types for which every bit pattern is a valid value.
///
/// # Safety
///
/// Implementors have no padding, no invalid bit patterns and no drop glue.
pub(crate) unsafe trait Plain: Copy {}

// SAFETY: integers and raw pointers have no invalid bit patterns.
unsafe impl Plain for u8 {}
// SAFETY: as for `u8`.
unsafe impl Plain for i8 {}
// SAFETY: as for `u8`.
unsafe impl Plain for u16 {}
// SAFETY: as for `u8`.
unsafe impl Plain for i32 {}
// SAFETY: as for `u8`.
unsafe impl Plain for u32 {}
// SAFETY: as for `u8`.
unsafe impl Plain for usize {}
// SAFETY: any address is a valid raw pointer value (it is never followed here).
unsafe impl<T> Plain for *mut T {}
// SAFETY: as for `*mut T`.
unsafe impl<T> Plain for *const T {}
// SAFETY: an array of `Plain` values has no padding and no invalid patterns.
unsafe impl<T: Plain, const N: usize> Plain for [T; N] {}

/// The `T` at `addr`, or `None` if it cannot be read (unmapped, not a
/// kernel address).
pub(crate) fn read<T: Plain>(addr: usize) -> Option<T> {
    let mut v = core::mem::MaybeUninit::<T>::uninit();
    // SAFETY: the helper writes at most `size_of::<T>()` bytes to `v` and
    // reads `addr` without faulting; it dereferences nothing else.
    let ret = unsafe {
        bindings::vimc_rs_read_nofault(
            v.as_mut_ptr().cast(),
            addr as c_ulong,
            core::mem::size_of::<T>() as c_ulong,
        )
    };
    // SAFETY: on success every byte of `v` was written, and every bit
    // pattern is a valid `T` (`Plain`).
    (ret == 0).then(|| unsafe { v.assume_init() })
}

/// The field of a `T` at `base` that `field` projects to, at byte `offset`
/// (callers pass `core::mem::offset_of!` of the same field; `field` is
/// never called, it only ties the result's type to the field's).
pub(crate) fn field<T, F: Plain>(base: usize, offset: usize, _field: fn(&T) -> &F) -> Option<F> {
    read(base.wrapping_add(offset))
}

/// The NUL-terminated string at `addr`, at most `buf.len() - 1` bytes of
/// it, without the NUL; `None` if unreadable or not terminated in time.
pub(crate) fn read_str(addr: usize, buf: &mut [u8]) -> Option<&[u8]> {
    if addr == 0 || buf.is_empty() {
        return None;
    }
    // SAFETY: the helper writes at most `buf.len()` bytes and reads `addr`
    // without faulting.
    let n = unsafe {
        bindings::vimc_rs_read_str_nofault(buf.as_mut_ptr(), addr as c_ulong, buf.len() as c_long)
    };
    let n = usize::try_from(n).ok()?;
    // `n` counts the bytes read, NUL included if one was found.
    let s = &buf[..n.min(buf.len())];
    let len = s.iter().position(|&b| b == 0)?;
    Some(&buf[..len])
}

/// A NUL-terminated string inside an array already read.
pub(crate) fn cstr_in(bytes: &[u8]) -> Option<&[u8]> {
    bytes.iter().position(|&b| b == 0).map(|n| &bytes[..n])
}

/// Whether KASAN marks any byte of `[addr, addr + len)` as not allocated
/// (freed, a redzone, or memory whose shadow is gone with its module).
/// Always false on kernels without generic KASAN: there a freed object
/// cannot be told from a live one by its address.
pub(crate) fn poisoned(addr: usize, len: usize) -> bool {
    // SAFETY: the helper only reads KASAN's shadow without faulting.
    unsafe { bindings::vimc_rs_kasan_poisoned(addr as c_ulong, len as c_ulong) }
}

/// `peek!(addr, Type, field.path)`: the field of the `Type` at `addr`, read
/// with [`field`] (`Option` of the field's type). Union fields may be named.
macro_rules! peek {
    ($base:expr, $T:ty, $($f:ident).+) => {
        $crate::media::introspect::nofault::field(
            $base,
            ::core::mem::offset_of!($T, $($f).+),
            #[allow(unused_unsafe)]
            // SAFETY: never called: it only names the field (a union one
            // needs `unsafe` even for that).
            |s: &$T| unsafe { &s.$($f).+ },
        )
    };
}
pub(crate) use peek;
