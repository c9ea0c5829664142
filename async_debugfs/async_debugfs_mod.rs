// SPDX-License-Identifier: GPL-2.0

//! async_debugfs: shows v4l2-async's subdev and notifier lists in debugfs,
//! on an unpatched kernel (see `media/introspect/v4l2_async.rs` for how).
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
//!   state=waiting|done subdev=NAME` (`notifier n=0x.. stale why=..` for
//!   a freed or unreadable one);
//!   a fwnode is `PATH` (read without faulting from the node's layout,
//!   never through its ops), `none`, `ptr:0x..` (a kind of node whose
//!   layout is not known here, or a path that did not read) or `?`;
//! - `stale`: `stale name=.. sd=0x.. owner=0x.. ops=0x.. why=..` for
//!   subdevs that cannot be trusted: `why=freed` (KASAN says so),
//!   `owner-gone`, `ops-gone` (their module is unloaded), `unreadable`
//!   (unmapped: `owner=? ops=?`), `unlinked` (its links do not point back),
//!   `too-long` (the list did not end within 4096 entries). Every entry is
//!   read without faulting, and nothing it points to is followed;
//! - `info`: the module's name and version.
//!
//! While loaded, it also logs each async subdev that a module leaves
//! registered as the module goes (its name is still readable then), and
//! `stale` names it by that name even once its memory is gone.

// The parts of the layer (media/README.md) this module uses: none of
// mc/ or v4l2/, so that it does not link against (and pin) the media core,
// videobuf2 or the pattern generator.
#[allow(dead_code)]
#[path = "../media"]
mod media {
    pub(crate) mod bindings;
    pub(crate) mod kcompat {
        pub(crate) mod debugfs;
        pub(crate) mod params;
    }
    pub(crate) mod introspect {
        pub(crate) mod ksyms;
        pub(crate) mod module_watch;
        pub(crate) mod nofault;
        pub(crate) mod v4l2_async;
    }
    include!("../media/common.rs");
}

use core::fmt::Write;
use kernel::{
    c_str, new_mutex,
    prelude::*,
    str::CStr,
    sync::{Arc, Mutex},
};
use media::{
    introspect::{
        module_watch::{GoingModule, ModuleWatch, OnGoing},
        v4l2_async::{AsyncLists, Fwnode, Match, NotifierOwner, Slot, MAX_ENTRIES, SD_NAME_LEN},
    },
    kcompat::debugfs::{self, SeqWriter, Show},
    HashedPtr,
};

media::kcompat::params::module_with_params! {
    type: AsyncDebugfs,
    name: "async_debugfs",
    authors: ["vimc-rs developers"],
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

fn opt<T: core::fmt::Display>(v: Option<T>, w: &mut SeqWriter<'_>, key: &str) -> core::fmt::Result {
    match v {
        Some(v) => write!(w, " {key}={v}"),
        None => write!(w, " {key}=none"),
    }
}

/// A firmware node: its path, `none`, `ptr:ID` (a node whose path is not
/// read: of another kind, or unreadable), `?` (the pointer unreadable).
struct FwnodeField<'a>(Fwnode<'a>);

impl core::fmt::Display for FwnodeField<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Fwnode::None => f.write_str("none"),
            Fwnode::Path(p) => write!(f, "{}", Bytes(p)),
            Fwnode::Address(a) => write!(f, "ptr:{}", HashedPtr(a)),
            Fwnode::Unreadable => f.write_str("?"),
        }
    }
}

/// A name that may be unreadable (`?`).
fn name(n: Option<&[u8]>) -> Bytes<'_> {
    Bytes(n.unwrap_or(b"?"))
}

/// Scratch space for one entry, allocated before the lists' lock is taken.
struct Bufs {
    sym: [u8; 1024],
    name: [u8; SD_NAME_LEN],
    dev: [u8; 64],
    drv: [u8; 64],
}

impl Bufs {
    fn new() -> Result<KBox<Self>> {
        let b = Bufs {
            sym: [0; 1024],
            name: [0; SD_NAME_LEN],
            dev: [0; 64],
            drv: [0; 64],
        };
        Ok(KBox::new(b, GFP_KERNEL)?)
    }
}

/// Entries read, at most, for one file under one hold of v4l2-async's list
/// lock. Each walk stops at `MAX_ENTRIES`, but every subdev and notifier
/// has a list of its own: a damaged list (reused memory) of subdevs whose
/// lists look as long would be millions of reads, the lock held all along.
const READ_BUDGET: usize = 4 * MAX_ENTRIES;

/// What is left of [`READ_BUDGET`].
struct Budget(usize);

impl Budget {
    fn new() -> Self {
        Self(READ_BUDGET)
    }

    /// Counts one entry read; false once the budget is spent, after
    /// writing `truncated` (on a line of its own) to `w`.
    fn take(&mut self, w: &mut SeqWriter<'_>) -> Result<bool, core::fmt::Error> {
        if self.0 == 0 {
            writeln!(w, "truncated read={READ_BUDGET}")?;
            return Ok(false);
        }
        self.0 -= 1;
        Ok(true)
    }
}

fn show_subdevs(sh: &Shared, w: &mut SeqWriter<'_>, stale_only: bool) -> Result {
    let mut b = Bufs::new()?;
    let b = &mut *b;
    sh.lists
        .with(|l| -> core::fmt::Result {
            let mut budget = Budget::new();
            for slot in l.subdevs() {
                if !budget.take(w)? {
                    break;
                }
                let sd = match slot {
                    Slot::Entry(sd) => sd,
                    Slot::Broken { addr, why } => {
                        sh.remembered(addr, |n| {
                            writeln!(
                                w,
                                "stale name={} sd={} owner=? ops=? why={}",
                                name(n),
                                HashedPtr(addr),
                                why.as_str()
                            )
                        })?;
                        continue;
                    }
                };
                let sd = match sd.live(&mut b.sym) {
                    Ok(live) => live,
                    Err(state) => {
                        let (owner, ops) = sd.raw_owner_ops();
                        let own = sd.name(&mut b.name);
                        sh.remembered(sd.addr(), |r| {
                            let n = own.or(r);
                            writeln!(
                                w,
                                "stale name={} sd={} owner={} ops={} why={}",
                                name(n),
                                HashedPtr(sd.addr()),
                                HashedPtr(owner),
                                HashedPtr(ops),
                                state.as_str()
                            )
                        })?;
                        continue;
                    }
                };
                if stale_only {
                    continue;
                }
                write!(
                    w,
                    "subdev name={} sd={}",
                    name(sd.name(&mut b.name)),
                    HashedPtr(sd.addr())
                )?;
                let (dev, drv) = sd.device(&mut b.dev, &mut b.drv);
                opt(dev.map(Bytes), w, "dev")?;
                opt(drv.map(Bytes), w, "driver")?;
                write!(w, " owner={}", Bytes(sd.owner(&mut b.sym)))?;
                write!(w, " fwnode={}", FwnodeField(sd.fwnode(&mut b.sym)))?;
                let mut bound = sd.bound_to().peekable();
                write!(
                    w,
                    " bound={}",
                    if bound.peek().is_some() { "yes" } else { "no" }
                )?;
                write!(w, " notifiers=")?;
                for (i, n) in bound.enumerate() {
                    let sep = if i > 0 { "," } else { "" };
                    if budget.0 == 0 {
                        write!(w, "{sep}truncated")?;
                        break;
                    }
                    budget.0 -= 1;
                    match n {
                        Slot::Entry(n) => write!(w, "{sep}{}", HashedPtr(n))?,
                        Slot::Broken { why, .. } => write!(w, "{sep}{}", why.as_str())?,
                    }
                }
                writeln!(w)?;
            }
            Ok(())
        })
        .map_err(|_| EINVAL)
}

fn show_notifiers(sh: &Shared, w: &mut SeqWriter<'_>) -> Result {
    let mut b = Bufs::new()?;
    let b = &mut *b;
    sh.lists
        .with(|l| -> core::fmt::Result {
            let mut budget = Budget::new();
            for slot in l.notifiers() {
                if !budget.take(w)? {
                    break;
                }
                let n = match slot {
                    Slot::Entry(n) => n,
                    Slot::Broken { addr, why } => {
                        writeln!(
                            w,
                            "notifier n={} stale why={}",
                            HashedPtr(addr),
                            why.as_str()
                        )?;
                        continue;
                    }
                };
                write!(w, "notifier n={}", HashedPtr(n.addr()))?;
                if n.is_freed() {
                    writeln!(w, " stale why=freed")?;
                    continue;
                }
                match n.owner(&mut b.name) {
                    Some(NotifierOwner::V4l2Device(o)) => {
                        writeln!(w, " owner=v4l2_dev:{}", name(o))?
                    }
                    Some(NotifierOwner::Subdev(o)) => writeln!(w, " owner=subdev:{}", name(o))?,
                    None => writeln!(w, " owner=none")?,
                }
                for c in n.connections() {
                    if !budget.take(w)? {
                        return Ok(());
                    }
                    let c = match c {
                        Slot::Entry(c) => c,
                        Slot::Broken { why, .. } => {
                            writeln!(
                                w,
                                "conn n={} broken why={}",
                                HashedPtr(n.addr()),
                                why.as_str()
                            )?;
                            continue;
                        }
                    };
                    write!(w, "conn n={}", HashedPtr(n.addr()))?;
                    match c.matches(&mut b.sym) {
                        Match::Fwnode(f) => write!(w, " match=fwnode:{}", FwnodeField(f))?,
                        Match::I2c(adapter, addr) => write!(w, " match=i2c:{adapter}-{addr:04x}")?,
                        Match::Unknown => write!(w, " match=?")?,
                    }
                    write!(w, " state={}", if c.is_done() { "done" } else { "waiting" })?;
                    opt(c.subdev_name(&mut b.name).map(Bytes), w, "subdev")?;
                    writeln!(w)?;
                }
            }
            Ok(())
        })
        .map_err(|_| EINVAL)
}

/// A subdev that was still on v4l2-async's list when its owner module
/// went, as it was named then (its memory may be unreadable now).
struct Leak {
    sd: usize,
    name: [u8; SD_NAME_LEN],
}

/// At most this many leaks are remembered (one per subdev).
const MAX_LEAKS: usize = 64;

/// What the files and the module watch share.
#[pin_data]
struct Shared {
    lists: AsyncLists,
    /// Taken inside `lists`' lock.
    #[pin]
    leaks: Mutex<KVec<Leak>>,
}

impl Shared {
    /// Runs `f` on the name remembered for the subdev at `sd`, if a
    /// module left it.
    fn remembered(
        &self,
        sd: usize,
        f: impl FnOnce(Option<&[u8]>) -> core::fmt::Result,
    ) -> core::fmt::Result {
        let leaks = self.leaks.lock();
        f(leaks
            .iter()
            .find(|l| l.sd == sd)
            .and_then(|l| media::introspect::nofault::cstr_in(&l.name)))
    }
}

/// Names each async subdev a module leaves registered, as it goes.
struct LeakWatch(Arc<Shared>);

impl OnGoing for LeakWatch {
    fn going(&self, m: &GoingModule<'_>) {
        self.0.lists.with(|l| {
            // A damaged list could hold thousands of entries that look
            // like this module's: log the first MAX_LEAKS, count the rest.
            let mut found = 0;
            for slot in l.subdevs() {
                let Slot::Entry(sd) = slot else { continue };
                if sd.raw_owner_ops().0 != m.addr() {
                    continue;
                }
                found += 1;
                if found > MAX_LEAKS {
                    continue;
                }
                let mut leak = Leak {
                    sd: sd.addr(),
                    name: [0; SD_NAME_LEN],
                };
                let name = sd.name(&mut leak.name).map(|n| n.len()).unwrap_or(0);
                pr_warn!(
                    "{} exited with its async subdev {} (sd={}) still registered: a v4l2_async_unregister_subdev() is missing\n",
                    m.name(),
                    // 7.x's pr_* take only kernel::fmt::Display types; Arguments is one.
                    format_args!("{}", Bytes(&leak.name[..name])),
                    format_args!("{}", HashedPtr(leak.sd))
                );
                let mut leaks = self.0.leaks.lock();
                if leaks.len() < MAX_LEAKS {
                    // On allocation failure the leak is only logged.
                    let _ = leaks.push(leak, GFP_KERNEL);
                }
            }
            if found > MAX_LEAKS {
                pr_warn!(
                    "{} exited with {} more async subdevs still registered\n",
                    m.name(),
                    found - MAX_LEAKS
                );
            }
        });
    }
}

struct InfoFile;
impl Show<Arc<Shared>> for InfoFile {
    const NAME: &'static CStr = c_str!("info");
    fn show(_: &Arc<Shared>, w: &mut SeqWriter<'_>) -> Result {
        writeln!(w, "module=async_debugfs version=0.6").map_err(|_| EINVAL)
    }
}

struct SubdevsFile;
impl Show<Arc<Shared>> for SubdevsFile {
    const NAME: &'static CStr = c_str!("subdevs");
    fn show(sh: &Arc<Shared>, w: &mut SeqWriter<'_>) -> Result {
        show_subdevs(sh, w, false)
    }
}

struct NotifiersFile;
impl Show<Arc<Shared>> for NotifiersFile {
    const NAME: &'static CStr = c_str!("notifiers");
    fn show(sh: &Arc<Shared>, w: &mut SeqWriter<'_>) -> Result {
        show_notifiers(sh, w)
    }
}

struct StaleFile;
impl Show<Arc<Shared>> for StaleFile {
    const NAME: &'static CStr = c_str!("stale");
    fn show(sh: &Arc<Shared>, w: &mut SeqWriter<'_>) -> Result {
        show_subdevs(sh, w, true)
    }
}

/// The files, in creation order.
type Files = (InfoFile, SubdevsFile, NotifiersFile, StaleFile);

// Field order is drop order: the watch stops before the files go; both
// hold the shared data.
struct AsyncDebugfs {
    _watch: ModuleWatch<LeakWatch>,
    _dir: debugfs::Dir<Arc<Shared>, Files>,
}

impl kernel::Module for AsyncDebugfs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let lists = AsyncLists::resolve()?;
        let shared = Arc::pin_init(
            pin_init!(Shared {
                lists,
                leaks <- new_mutex!(KVec::new()),
            }),
            GFP_KERNEL,
        )?;
        let dir = debugfs::Dir::new(c_str!("async_debugfs"), shared.clone())?;
        Ok(Self {
            _watch: ModuleWatch::new(LeakWatch(shared))?,
            _dir: dir,
        })
    }
}
