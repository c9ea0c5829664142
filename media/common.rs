// SPDX-License-Identifier: GPL-2.0

// Items of the layer's root module, shared by every subset of the layer a
// module compiles (`include!`d, so they sit at the root).

/// A continuous frame size range, for the frame size enumerations.
pub(crate) struct FrameSizes {
    /// Smallest and largest width.
    pub(crate) width: (u32, u32),
    /// Smallest and largest height.
    pub(crate) height: (u32, u32),
}

/// A callback's result as the C int it returns: 0 or a negative errno.
pub(crate) fn to_c_int(r: kernel::error::Result) -> kernel::ffi::c_int {
    kernel::error::from_result(|| r.map(|()| 0))
}

/// Copies `src` into the fixed-size C string `dst`, truncating and always
/// NUL-terminating, like the kernel's `strscpy`.
pub(crate) fn copy_cstr(dst: &mut [u8], src: &kernel::str::CStr) {
    let bytes = src.as_bytes();
    let n = bytes.len().min(dst.len().saturating_sub(1));
    dst[..n].copy_from_slice(&bytes[..n]);
    for b in &mut dst[n..] {
        *b = 0;
    }
}

// The `struct module` of the module this layer is compiled into, which
// `module!` defines; static ops tables take its address as `THIS_MODULE`.
#[allow(improper_ctypes)]
extern "C" {
    static __this_module: kernel::types::Opaque<bindings::module>;
}
