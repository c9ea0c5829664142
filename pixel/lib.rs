// SPDX-License-Identifier: GPL-2.0

//! The pure (no kernel, no std) code of vimc-rs, built on the host so it
//! gets fast unit tests. The kernel modules compile the same files through
//! `#[path]`.

#![no_std]

pub mod formats;
pub mod frames;
pub mod graph;
pub mod v4l2;
