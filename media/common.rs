// SPDX-License-Identifier: GPL-2.0

// Items of the layer's root module, shared by every subset of the layer a
// module compiles (`include!`d, so they sit at the root).

/// A callback's result as the C int it returns: 0 or a negative errno.
pub(crate) fn to_c_int(r: kernel::error::Result) -> kernel::ffi::c_int {
    kernel::error::from_result(|| r.map(|()| 0))
}

/// Copies `src` into the fixed-size C string `dst`, truncating and always
/// NUL-terminating, like the kernel's `strscpy`.
pub(crate) fn copy_cstr(dst: &mut [u8], src: &kernel::str::CStr) {
    let bytes = compat::cstr_bytes(src);
    let n = bytes.len().min(dst.len().saturating_sub(1));
    dst[..n].copy_from_slice(&bytes[..n]);
    for b in &mut dst[n..] {
        *b = 0;
    }
}

/// An address as the kernel's `%p` shows it: hashed, so that it tells
/// objects apart within a boot without giving away where they are.
pub(crate) struct HashedPtr(pub(crate) usize);

impl core::fmt::Display for HashedPtr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut buf = [0u8; 24];
        // SAFETY: `buf` is writable for its length; only the value of the
        // address is used, never what it points to.
        let n = unsafe {
            bindings::vimc_rs_hashed_ptr(
                buf.as_mut_ptr().cast(),
                buf.len() as kernel::ffi::c_ulong,
                self.0 as kernel::ffi::c_ulong,
            )
        };
        let s = core::str::from_utf8(&buf[..(n as usize).min(buf.len())])
            .map_err(|_| core::fmt::Error)?;
        f.write_str(s)
    }
}

/// The `struct module` of the module this layer is compiled into (the one
/// the build defines for `module!`), as C's `THIS_MODULE`: the `owner` of
/// static ops tables, and what owner checks compare with.
pub(crate) const THIS_MODULE_PTR: *mut bindings::module =
    core::ptr::addr_of!(bindings::__this_module).cast_mut();

/// The module this layer is compiled into, for the APIs that take an owner
/// (the kernel crate names it differently on 6.12 and 7.x).
// SAFETY: `__this_module` is the module's own `struct module`, which lives
// as long as the module's code and data.
pub(crate) static THIS_MODULE: kernel::ThisModule =
    unsafe { kernel::ThisModule::from_ptr(THIS_MODULE_PTR) };

/// What the kernel crate moved or changed between 6.12 and 7.x, under one
/// name. `CStr` is the kernel's own type on 6.12 and `core::ffi::CStr` on 7.x.
#[allow(unused_imports)]
pub(crate) mod compat {
    #[cfg(not(kernel_7))]
    pub(crate) use kernel::fmt;
    #[cfg(kernel_7)]
    pub(crate) use kernel::prelude::fmt;
    #[cfg(kernel_7)]
    pub(crate) use kernel::sync::aref::{ARef, AlwaysRefCounted};
    #[cfg(not(kernel_7))]
    pub(crate) use kernel::types::{ARef, AlwaysRefCounted};
    use kernel::{ffi::c_char, str::CStr};

    /// A pointer as `*mut`: `kernel::container_of!` and `into_foreign()`
    /// give `*const` on 6.12.
    pub(crate) trait MutPtr<T> {
        fn mut_ptr(self) -> *mut T;
    }
    impl<T> MutPtr<T> for *const T {
        fn mut_ptr(self) -> *mut T {
            self.cast_mut()
        }
    }
    impl<T> MutPtr<T> for *mut T {
        fn mut_ptr(self) -> *mut T {
            self
        }
    }

    /// `$b`, a `KBox<T>`, as a `KBox<$u>`, `$u` a trait object `T`
    /// implements (`dyn Trait`): a coercion on 7.x, where `KBox` is
    /// `CoercePointee`; 6.12's `KBox` cannot unsize, so there the pointer is
    /// unsized on its way out and back.
    #[allow(unused_macros)]
    macro_rules! kbox_unsize {
        ($b:expr => $u:ty) => {{
            #[cfg(kernel_7)]
            let unsized_box: ::kernel::alloc::KBox<$u> = $b;
            #[cfg(not(kernel_7))]
            let unsized_box = {
                let sized_box = $b;
                let raw = ::kernel::alloc::KBox::into_raw(sized_box);
                let raw: *mut $u = raw;
                // SAFETY: `raw` is what `KBox::into_raw` just gave up, only
                // unsized (same address, `T`'s vtable for the trait): the
                // same allocation from the same allocator, owned by
                // nothing else, and `KBox<$u>` frees it with `T`'s size
                // and alignment read from that vtable.
                unsafe { ::kernel::alloc::KBox::<$u>::from_raw(raw) }
            };
            unsized_box
        }};
    }
    pub(crate) use kbox_unsize;

    /// Removes and returns `v[i]`, keeping the order of the rest (6.12's
    /// `KVec` has no `remove`); `None` past the end.
    #[allow(dead_code)]
    pub(crate) fn kvec_remove<T>(v: &mut kernel::alloc::KVec<T>, i: usize) -> Option<T> {
        if i >= v.len() {
            return None;
        }
        #[cfg(kernel_7)]
        return v.remove(i).ok();
        #[cfg(not(kernel_7))]
        {
            v[i..].rotate_left(1);
            let last = v.len() - 1;
            // SAFETY: `last` is in bounds; the element there is moved out
            // and the length cut to exclude it, so it is dropped once, by
            // the caller.
            unsafe {
                let x = core::ptr::read(v.as_ptr().add(last));
                v.set_len(last);
                Some(x)
            }
        }
    }

    /// The string's bytes without the NUL.
    pub(crate) fn cstr_bytes(s: &CStr) -> &[u8] {
        #[cfg(kernel_7)]
        return s.to_bytes();
        #[cfg(not(kernel_7))]
        return s.as_bytes();
    }

    /// The string as a C pointer, in constant contexts too.
    pub(crate) const fn cstr_ptr(s: &CStr) -> *const c_char {
        // `as_char_ptr()` is not `const` on 7.x; this is what it does.
        #[cfg(kernel_7)]
        #[allow(clippy::disallowed_methods)]
        return s.as_ptr().cast();
        #[cfg(not(kernel_7))]
        return s.as_char_ptr();
    }
}
