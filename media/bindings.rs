// SPDX-License-Identifier: GPL-2.0

//! Bindings for the media, V4L2, platform and debugfs headers, generated at
//! build time by `scripts/bindgen.sh` from `bindings_helper.h`. Types that
//! the kernel crate already binds are taken from `kernel::bindings`.

#![allow(
    clippy::all,
    clippy::as_underscore,
    clippy::cast_lossless,
    clippy::ptr_as_ptr,
    clippy::ref_as_ptr,
    clippy::missing_safety_doc,
    clippy::undocumented_unsafe_blocks,
    dead_code,
    improper_ctypes,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    unreachable_pub,
    unsafe_op_in_unsafe_fn
)]

#[allow(unused_imports)]
pub use kernel::bindings::*;
#[allow(unused_imports)]
use kernel::ffi;
// 7.x's bindgen derives this on every struct (the kernel's own cmd line).
#[cfg(kernel_7)]
use pin_init::MaybeZeroable;

include!("bindings_generated.rs");
