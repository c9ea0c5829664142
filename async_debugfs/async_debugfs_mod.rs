// SPDX-License-Identifier: GPL-2.0

//! async_debugfs: shows v4l2-async's subdev and notifier lists in debugfs,
//! on an unpatched kernel (see `media/v4l2_async.rs` for how).
//!
//! Files under `/sys/kernel/debug/async_debugfs/`, one line per entry,
//! space-separated `key=value` fields (values never contain spaces: in names
//! and paths, spaces, backslashes and bytes outside printable ASCII are
//! printed as `\xNN`, e.g. `name=Sensor\x20A`):
//!
//! - `subdevs`: `subdev name=.. sd=0x.. dev=.. driver=.. owner=.. fwnode=..
//!   bound=yes|no notifiers=0x..,0x..` (`stale ...` for stale entries);
//! - `notifiers`: `notifier n=0x.. owner=v4l2_dev:NAME|subdev:NAME` then
//!   per connection `conn n=0x.. match=fwnode:PATH|i2c:ADAPTER-ADDR
//!   state=waiting|done subdev=NAME`;
//! - `stale`: `stale name=.. sd=0x.. owner=0x.. ops=0x..` for subdevs whose
//!   owner module or ops are gone (read without touching their memory);
//! - `info`: the module's name and version.

// Only the parts of the media layer this module uses, so that it does not
// link against (and pin) videobuf2 or the pattern generator.
#[allow(dead_code)]
#[path = "../media"]
mod media {
    pub(crate) mod bindings;
    pub(crate) mod debugfs;
    pub(crate) mod ksyms;
    pub(crate) mod v4l2_async;
    include!("../media/common.rs");
}

use core::fmt::Write;
use kernel::{c_str, prelude::*};
use media::{
    debugfs::{self, SeqWriter},
    v4l2_async::{AsyncLists, Match, NotifierOwner},
};

module! {
    type: AsyncDebugfs,
    name: "async_debugfs",
    author: "vimc-rs developers",
    description: "Dump v4l2-async subdevs and notifiers in debugfs",
    license: "GPL",
}

/// Bytes as one field value: printable ASCII as is, anything else
/// (spaces, `\\`, control and non-ASCII bytes) as `\xNN`, so that a value
/// never contains a space.
struct Bytes<'a>(&'a [u8]);

impl core::fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for &b in self.0 {
            if b.is_ascii_graphic() && b != b'\\' {
                f.write_char(b as char)?;
            } else {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

/// A name as one field value.
fn esc(name: &CStr) -> Bytes<'_> {
    Bytes(name.as_bytes())
}

fn opt<T: core::fmt::Display>(v: Option<T>, w: &mut SeqWriter, key: &str) -> core::fmt::Result {
    match v {
        Some(v) => write!(w, " {key}={v}"),
        None => write!(w, " {key}=none"),
    }
}

fn show_subdevs(lists: &AsyncLists, w: &mut SeqWriter, stale_only: bool) -> Result {
    let mut buf = KBox::new([0u8; 1024], GFP_KERNEL)?;
    lists
        .with(|l| -> core::fmt::Result {
            for sd in l.subdevs() {
                let stale = sd.is_stale(&mut buf);
                if stale {
                    let (owner, ops) = sd.raw_owner_ops();
                    writeln!(
                        w,
                        "stale name={} sd={:#x} owner={owner:#x} ops={ops:#x}",
                        esc(sd.name()),
                        sd.addr()
                    )?;
                    continue;
                }
                if stale_only {
                    continue;
                }
                let (dev, drv) = sd.device();
                write!(w, "subdev name={} sd={:#x}", esc(sd.name()), sd.addr())?;
                opt(dev.map(esc), w, "dev")?;
                opt(drv.map(esc), w, "driver")?;
                write!(w, " owner={}", Bytes(sd.owner(&mut buf)))?;
                opt(sd.fwnode(&mut buf).map(Bytes), w, "fwnode")?;
                let mut bound = sd.bound_to().peekable();
                write!(
                    w,
                    " bound={}",
                    if bound.peek().is_some() { "yes" } else { "no" }
                )?;
                write!(w, " notifiers=")?;
                for (i, n) in bound.enumerate() {
                    write!(w, "{}{n:#x}", if i > 0 { "," } else { "" })?;
                }
                writeln!(w)?;
            }
            Ok(())
        })
        .map_err(|_| EINVAL)
}

fn show_notifiers(lists: &AsyncLists, w: &mut SeqWriter) -> Result {
    let mut buf = KBox::new([0u8; 1024], GFP_KERNEL)?;
    lists
        .with(|l| -> core::fmt::Result {
            for n in l.notifiers() {
                write!(w, "notifier n={:#x}", n.addr())?;
                match n.owner() {
                    Some(NotifierOwner::V4l2Device(name)) => {
                        writeln!(w, " owner=v4l2_dev:{}", esc(name))?
                    }
                    Some(NotifierOwner::Subdev(name)) => {
                        writeln!(w, " owner=subdev:{}", esc(name))?
                    }
                    None => writeln!(w, " owner=none")?,
                }
                for c in n.connections() {
                    write!(w, "conn n={:#x}", n.addr())?;
                    match c.matches(&mut buf) {
                        Match::Fwnode(Some(p)) => write!(w, " match=fwnode:{}", Bytes(p))?,
                        Match::Fwnode(None) => write!(w, " match=fwnode:none")?,
                        Match::I2c(adapter, addr) => write!(w, " match=i2c:{adapter}-{addr:04x}")?,
                    }
                    write!(w, " state={}", if c.is_done() { "done" } else { "waiting" })?;
                    opt(c.subdev_name().map(esc), w, "subdev")?;
                    writeln!(w)?;
                }
            }
            Ok(())
        })
        .map_err(|_| EINVAL)
}

static INFO: debugfs::File<AsyncLists> = debugfs::File {
    show: |_, w| writeln!(w, "module=async_debugfs version=0.3").map_err(|_| EINVAL),
};
static SUBDEVS: debugfs::File<AsyncLists> = debugfs::File {
    show: |l, w| show_subdevs(l, w, false),
};
static STALE: debugfs::File<AsyncLists> = debugfs::File {
    show: |l, w| show_subdevs(l, w, true),
};
static NOTIFIERS: debugfs::File<AsyncLists> = debugfs::File {
    show: show_notifiers,
};

struct AsyncDebugfs {
    _dir: debugfs::Dir<AsyncLists>,
}

impl kernel::Module for AsyncDebugfs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut dir = debugfs::Dir::new(c_str!("async_debugfs"), AsyncLists::resolve()?)?;
        dir.file(c_str!("info"), &INFO)?;
        dir.file(c_str!("subdevs"), &SUBDEVS)?;
        dir.file(c_str!("notifiers"), &NOTIFIERS)?;
        dir.file(c_str!("stale"), &STALE)?;
        Ok(Self { _dir: dir })
    }
}
