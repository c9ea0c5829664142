// SPDX-License-Identifier: GPL-2.0

//! async_debugfs: shows v4l2-async's subdev and notifier lists in debugfs.

#[allow(dead_code)]
#[path = "../media/mod.rs"]
mod media;

// The media layer's video nodes speak in these types.
#[allow(dead_code, unreachable_pub)]
#[path = "../pixel/formats.rs"]
mod formats;

use core::fmt::Write;
use kernel::{c_str, prelude::*};
use media::debugfs;

module! {
    type: AsyncDebugfs,
    name: "async_debugfs",
    author: "vimc-rs developers",
    description: "Dump v4l2-async subdevs and notifiers in debugfs",
    license: "GPL",
}

static INFO: debugfs::File = debugfs::File {
    show: |w| {
        writeln!(w, "module=async_debugfs version=0.1").map_err(|_| EINVAL)?;
        Ok(())
    },
};

struct AsyncDebugfs {
    _dir: debugfs::Dir,
}

impl kernel::Module for AsyncDebugfs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let dir = debugfs::Dir::new(c_str!("async_debugfs"))?;
        dir.file(c_str!("info"), &INFO)?;
        Ok(Self { _dir: dir })
    }
}
