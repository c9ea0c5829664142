// SPDX-License-Identifier: GPL-2.0

//! The abstraction layer: safe Rust types over the C platform, media, V4L2
//! and debugfs objects. All `unsafe` of the project lives under this
//! directory; drivers built on it are safe Rust.
//!
//! Every module compiles this layer into itself (out-of-tree Kbuild builds
//! one crate per module), so each uses only part of it.

pub(crate) mod bindings;
pub(crate) mod ctrls;
pub(crate) mod debugfs;
pub(crate) mod ksyms;
pub(crate) mod media_device;
pub(crate) mod platform;
pub(crate) mod subdev;
pub(crate) mod v4l2_async;
pub(crate) mod v4l2_device;
pub(crate) mod video_device;

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
