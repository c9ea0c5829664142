// SPDX-License-Identifier: GPL-2.0

//! The abstraction layer: safe Rust types over the C platform, media, V4L2
//! and debugfs objects. All `unsafe` of the project lives under this
//! directory; drivers built on it are safe Rust.
//!
//! Every module compiles this layer into itself (out-of-tree Kbuild builds
//! one crate per module), so each uses only part of it.

pub(crate) mod async_graph;
pub(crate) mod bindings;
pub(crate) mod configfs;
pub(crate) mod ctrls;
pub(crate) mod debugfs;
pub(crate) mod ksyms;
pub(crate) mod kthread;
pub(crate) mod media_device;
pub(crate) mod module_watch;
pub(crate) mod nofault;
pub(crate) mod params;
pub(crate) mod pipeline;
pub(crate) mod platform;
pub(crate) mod releases;
pub(crate) mod subdev;
pub(crate) mod swnode;
pub(crate) mod tpg;
pub(crate) mod v4l2_async;
pub(crate) mod v4l2_device;
pub(crate) mod video_device;

// The V4L2 value types of the layer's API, pure code shared with the host
// crate in pixel/.
#[allow(dead_code, unreachable_pub)]
#[path = "../pixel/v4l2.rs"]
pub(crate) mod v4l2;

include!("common.rs");
