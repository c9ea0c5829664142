// SPDX-License-Identifier: GPL-2.0

//! The pure (no kernel, no std) code of vimc-rs, built on the host so it
//! gets fast unit tests. The kernel modules compile the same files through
//! `#[path]`.

#![no_std]

pub mod formats;
pub mod frames;
pub mod graph;
// The layer's V4L2 value types, pure code too.
#[path = "../media/v4l2/types.rs"]
pub mod v4l2;
