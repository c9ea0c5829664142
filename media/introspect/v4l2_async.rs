// SPDX-License-Identifier: GPL-2.0

//! Read-only views of v4l2-async's global subdev and notifier lists.
//!
//! C source: [`drivers/media/v4l2-core/v4l2-async.c`](srctree/drivers/media/v4l2-core/v4l2-async.c)
//!
//! The lists and their mutex are static in v4l2-async.c; we find them in
//! v4l2-async's symbol table ([`module_symbol`]) and walk
//! them only with that mutex held, as v4l2-async does. The module that
//! uses this layer must link against a v4l2-async export, so that
//! v4l2-async cannot be unloaded under it.

use crate::media::{
    bindings,
    introspect::{
        ksyms::{module_symbol, symbol_of},
        nofault,
    },
};
use core::{
    marker::PhantomData,
    mem::{offset_of, size_of},
};
use kernel::{c_str, prelude::*, str::CStr};

/// The three statics of v4l2-async.
///
/// # Invariants
///
/// The pointers are v4l2-async's `list_lock`, `subdev_list` and
/// `notifier_list`, valid while v4l2-async is loaded (see the module docs).
pub(crate) struct AsyncLists {
    lock: *mut bindings::mutex,
    subdevs: *mut bindings::list_head,
    notifiers: *mut bindings::list_head,
}

// SAFETY: the lists are only touched with v4l2-async's own mutex held.
unsafe impl Send for AsyncLists {}
// SAFETY: as above.
unsafe impl Sync for AsyncLists {}

impl AsyncLists {
    /// Resolves the lists, or says which symbol the kernel lacks.
    pub(crate) fn resolve() -> Result<Self> {
        // Referencing an export of v4l2-async makes it a dependency of this
        // module: it is loaded first and cannot be unloaded under us.
        core::hint::black_box(bindings::v4l2_async_nf_init as usize);
        let get = |name: &CStr| module_symbol(c_str!("v4l2_async"), name);
        // INVARIANT: `module_symbol` checks that each address is that symbol
        // of v4l2_async, which the reference above keeps loaded.
        Ok(Self {
            lock: get(c_str!("list_lock"))? as *mut _,
            subdevs: get(c_str!("subdev_list"))? as *mut _,
            notifiers: get(c_str!("notifier_list"))? as *mut _,
        })
    }

    /// Runs `f` on a view of the lists, with v4l2-async's `list_lock` held.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&Lists<'_>) -> R) -> R {
        // SAFETY: `lock` is v4l2-async's list mutex (type invariant).
        unsafe { bindings::mutex_lock(self.lock) };
        let r = f(&Lists {
            lists: self,
            _locked: PhantomData,
        });
        // SAFETY: locked above.
        unsafe { bindings::mutex_unlock(self.lock) };
        r
    }
}

/// The lists while locked.
pub(crate) struct Lists<'a> {
    lists: &'a AsyncLists,
    _locked: PhantomData<&'a bindings::mutex>,
}

// What the lists hold may be gone: a driver that does not unregister its
// subdev leaves on them memory that was kfree'd or devm-freed,
// or a static of a module unloaded since, unmapped. So the views below read
// every entry with `nofault` (never an oops, KASAN quiet), check each link
// before following it, and stop after `MAX_ENTRIES`. What an entry points
// to (its device, driver, fwnode) is read the same way, and only once the
// entry looks live; nothing is ever called through it (a fwnode's ops
// included: `fwnode_of`), since "live" cannot be proven (`LiveSubdev`).

/// At most this many entries are read from one list: a list that loops
/// through reused memory ends there instead of holding `list_lock` for good.
pub(crate) const MAX_ENTRIES: usize = 4096;

/// Why a walk stopped before it came back to the list's head.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Broken {
    /// The next entry's memory cannot be read (unmapped).
    Unreadable,
    /// The next entry does not link back to the one before it.
    Unlinked,
    /// More than [`MAX_ENTRIES`] entries.
    TooLong,
}

impl Broken {
    /// A one-word name, for dumps.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Broken::Unreadable => "unreadable",
            Broken::Unlinked => "unlinked",
            Broken::TooLong => "too-long",
        }
    }
}

/// One step of a checked walk.
pub(crate) enum Slot<T> {
    /// An entry whose links were checked.
    Entry(T),
    /// The walk could not go on to the entry whose container is at `addr`.
    Broken {
        /// The container's address (computed, not read).
        addr: usize,
        /// Why.
        why: Broken,
    },
}

impl<T> Slot<T> {
    /// The entry mapped by `f`; a broken step stays as it is.
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Slot<U> {
        match self {
            Slot::Entry(e) => Slot::Entry(f(e)),
            Slot::Broken { addr, why } => Slot::Broken { addr, why },
        }
    }
}

fn next_of(e: usize) -> Option<usize> {
    nofault::peek!(e, bindings::list_head, next).map(|p| p as usize)
}

fn prev_of(e: usize) -> Option<usize> {
    nofault::peek!(e, bindings::list_head, prev).map(|p| p as usize)
}

/// A walk of the ring at `head` that yields the address of each entry's
/// `list_head`, each link checked (`next->prev == cur`, or the other way
/// round going back). Where a link is broken it says so, then walks from
/// the head backwards to show the entries behind the break.
struct Walk {
    head: usize,
    cur: usize,
    n: usize,
    /// Going backwards: the entries where the forward walk stopped.
    back: Option<(usize, usize)>,
    done: bool,
}

fn walk(head: usize) -> Walk {
    Walk {
        head,
        cur: head,
        n: 0,
        back: None,
        done: false,
    }
}

impl Iterator for Walk {
    type Item = Slot<usize>;

    fn next(&mut self) -> Option<Slot<usize>> {
        if self.done {
            return None;
        }
        self.n += 1;
        if self.n > MAX_ENTRIES {
            self.done = true;
            return Some(Slot::Broken {
                addr: self.cur,
                why: Broken::TooLong,
            });
        }
        match self.back {
            None => {
                let next = next_of(self.cur)?;
                if next == self.head {
                    self.done = true;
                    return None;
                }
                match prev_of(next) {
                    Some(p) if p == self.cur => {
                        self.cur = next;
                        Some(Slot::Entry(next))
                    }
                    p => {
                        self.back = Some((self.cur, next));
                        self.cur = self.head;
                        Some(Slot::Broken {
                            addr: next,
                            why: if p.is_none() {
                                Broken::Unreadable
                            } else {
                                Broken::Unlinked
                            },
                        })
                    }
                }
            }
            Some((last, bad)) => {
                let prev = prev_of(self.cur)?;
                if prev == self.head || prev == last || prev == bad {
                    self.done = true;
                    return None;
                }
                if next_of(prev) == Some(self.cur) {
                    self.cur = prev;
                    return Some(Slot::Entry(prev));
                }
                self.done = true;
                Some(Slot::Broken {
                    addr: prev,
                    why: if next_of(prev).is_none() {
                        Broken::Unreadable
                    } else {
                        Broken::Unlinked
                    },
                })
            }
        }
    }
}

/// `walk(head)` with each entry mapped from its `list_head` at `offset` in
/// its container to the container.
fn walk_containers(head: usize, offset: usize) -> impl Iterator<Item = Slot<usize>> {
    walk(head).map(move |s| match s {
        // Broken steps name the container too.
        Slot::Broken { addr, why } => Slot::Broken {
            addr: addr.wrapping_sub(offset),
            why,
        },
        s => s.map(|e| e.wrapping_sub(offset)),
    })
}

impl<'a> Lists<'a> {
    /// Every registered async subdev, bound or not.
    pub(crate) fn subdevs(&self) -> impl Iterator<Item = Slot<AsyncSubdev<'a>>> + 'a {
        let off = offset_of!(bindings::v4l2_subdev, async_list);
        // INVARIANT: entries of the subdev list; `'a` is the hold of its
        // lock that `AsyncLists::with` gave this view.
        walk_containers(self.lists.subdevs as usize, off).map(|s| {
            s.map(|sd| AsyncSubdev {
                sd,
                _p: PhantomData,
            })
        })
    }

    /// Every registered notifier.
    pub(crate) fn notifiers(&self) -> impl Iterator<Item = Slot<Notifier<'a>>> + 'a {
        let off = offset_of!(bindings::v4l2_async_notifier, notifier_entry);
        // INVARIANT: entries of the notifier list, under the lock as above;
        // `Notifier` reads them only through `nofault`.
        walk_containers(self.lists.notifiers as usize, off)
            .map(|s| s.map(|n| Notifier { n, _p: PhantomData }))
    }
}

/// The module name inside `sprint_symbol`'s `"... [module]"`, if any.
fn module_of(sym: &[u8]) -> Option<&[u8]> {
    let open = sym.iter().rposition(|&c| c == b'[')?;
    let rest = &sym[open + 1..];
    let end = rest.iter().position(|&c| c == b']' || c == b' ')?;
    Some(&rest[..end])
}

/// Whether `addr` lies in the kernel image or a loaded module (by the
/// symbol tables; `addr` is not read).
fn in_loaded_code(addr: usize, buf: &mut [u8; 1024]) -> bool {
    !symbol_of(addr, buf).starts_with(b"0x")
}

/// The lengths of `v4l2_subdev.name` and `v4l2_device.name`.
pub(crate) const SD_NAME_LEN: usize = 52;
const V4L2_DEV_NAME: usize = 36;

/// A subdev's name, read from the subdev at `sd`.
fn subdev_name(sd: usize, buf: &mut [u8; SD_NAME_LEN]) -> Option<&[u8]> {
    *buf = nofault::peek!(sd, bindings::v4l2_subdev, name)?;
    nofault::cstr_in(buf)
}

/// What a subdev on the list is, as far as can be told without trusting it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubdevState {
    /// Allocated (if the kernel has KASAN to say so), owned by a loaded
    /// module or the kernel, ops in loaded code: what it points to may be
    /// read (without faulting; see [`LiveSubdev`]).
    Live,
    /// KASAN marks its memory freed (or its module's memory gone).
    Freed,
    /// Its owner module is not loaded.
    OwnerGone,
    /// Its ops are in no loaded code.
    OpsGone,
}

impl SubdevState {
    /// A one-word name, for dumps.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SubdevState::Live => "live",
            SubdevState::Freed => "freed",
            SubdevState::OwnerGone => "owner-gone",
            SubdevState::OpsGone => "ops-gone",
        }
    }
}

/// A subdev on the list (links checked, contents not yet).
///
/// # Invariants
///
/// `sd` is the address of an entry of v4l2-async's subdev list, whose lock
/// is held for `'a`. Its memory may be freed or unmapped: everything is read
/// through [`nofault`], and what it points to is read only through the
/// [`LiveSubdev`] that [`AsyncSubdev::live`] gives for a live one.
pub(crate) struct AsyncSubdev<'a> {
    sd: usize,
    _p: PhantomData<&'a ()>,
}

/// A subdev of the list found live by [`AsyncSubdev::live`].
///
/// # Invariants
///
/// The subdev was found [`SubdevState::Live`] with the list lock held,
/// which it still is (`'a`). That is a judgement, not a guarantee: the lock
/// keeps a registered subdev's owner from unregistering it, but a leaked
/// one is no longer anybody's to unregister, and without generic KASAN a
/// subdev freed while its module stays loaded (a devm subdev after its
/// device went) is found live too. So it is still read only through
/// [`nofault`], and nothing it points to is called.
pub(crate) struct LiveSubdev<'s, 'a>(&'s AsyncSubdev<'a>);

impl LiveSubdev<'_, '_> {
    /// Its firmware node, as [`fwnode_of`] reads it.
    pub(crate) fn fwnode<'b>(&self, buf: &'b mut [u8; 1024]) -> Fwnode<'b> {
        match nofault::peek!(self.0.sd, bindings::v4l2_subdev, fwnode) {
            Some(f) => fwnode_of(f as usize, buf),
            None => Fwnode::Unreadable,
        }
    }
}

impl<'a> core::ops::Deref for LiveSubdev<'_, 'a> {
    type Target = AsyncSubdev<'a>;

    fn deref(&self) -> &AsyncSubdev<'a> {
        self.0
    }
}

impl<'a> AsyncSubdev<'a> {
    /// The subdev's address.
    pub(crate) fn addr(&self) -> usize {
        self.sd
    }

    /// Its name, if readable and NUL-terminated.
    pub(crate) fn name<'b>(&self, buf: &'b mut [u8; SD_NAME_LEN]) -> Option<&'b [u8]> {
        subdev_name(self.sd, buf)
    }

    /// Its `owner` and `ops` pointers, as numbers (0 if unreadable).
    pub(crate) fn raw_owner_ops(&self) -> (usize, usize) {
        let owner = nofault::peek!(self.sd, bindings::v4l2_subdev, owner);
        let ops = nofault::peek!(self.sd, bindings::v4l2_subdev, ops);
        (
            owner.map_or(0, |p| p as usize),
            ops.map_or(0, |p| p as usize),
        )
    }

    /// The subdev, if it can be trusted, as the proof that lets its pointers
    /// be followed; else why not.
    pub(crate) fn live(
        &self,
        buf: &mut [u8; 1024],
    ) -> core::result::Result<LiveSubdev<'_, 'a>, SubdevState> {
        match self.state(buf) {
            // INVARIANT: just found live, with the list lock held for `'a`.
            SubdevState::Live => Ok(LiveSubdev(self)),
            s => Err(s),
        }
    }

    /// Whether it can be trusted, decided from KASAN's shadow and from
    /// addresses compared with the symbol tables.
    fn state(&self, buf: &mut [u8; 1024]) -> SubdevState {
        if nofault::poisoned(self.sd, size_of::<bindings::v4l2_subdev>()) {
            return SubdevState::Freed;
        }
        let (owner, ops) = self.raw_owner_ops();
        if owner != 0 && module_of(symbol_of(owner, buf)).is_none() {
            return SubdevState::OwnerGone;
        }
        if !in_loaded_code(ops, buf) {
            return SubdevState::OpsGone;
        }
        SubdevState::Live
    }

    /// The owner module's name (`kernel` when built in).
    pub(crate) fn owner<'b>(&self, buf: &'b mut [u8; 1024]) -> &'b [u8] {
        match self.raw_owner_ops().0 {
            0 => b"kernel",
            p => module_of(symbol_of(p, buf)).unwrap_or(b"?"),
        }
    }

    /// Device and driver names (read without faulting, whatever the state).
    pub(crate) fn device<'b>(
        &self,
        dev_buf: &'b mut [u8; 64],
        drv_buf: &'b mut [u8; 64],
    ) -> (Option<&'b [u8]>, Option<&'b [u8]>) {
        let dev = nofault::peek!(self.sd, bindings::v4l2_subdev, dev).map_or(0, |p| p as usize);
        if dev == 0 {
            return (None, None);
        }
        let name = nofault::peek!(dev, bindings::device, kobj.name)
            .and_then(|p| nofault::read_str(p as usize, dev_buf));
        let drv = nofault::peek!(dev, bindings::device, driver).map_or(0, |p| p as usize);
        let drv_name = (drv != 0)
            .then(|| nofault::peek!(drv, bindings::device_driver, name))
            .flatten()
            .and_then(|p| nofault::read_str(p as usize, drv_buf));
        (name, drv_name)
    }

    /// The notifiers its connections are bound to.
    pub(crate) fn bound_to(&self) -> impl Iterator<Item = Slot<usize>> + 'a {
        let head = self
            .sd
            .wrapping_add(offset_of!(bindings::v4l2_subdev, asc_list));
        let off = offset_of!(bindings::v4l2_async_connection, asc_subdev_entry);
        walk_containers(head, off).map(|s| match s {
            Slot::Entry(asc) => {
                match nofault::peek!(asc, bindings::v4l2_async_connection, notifier) {
                    Some(n) => Slot::Entry(n as usize),
                    None => Slot::Broken {
                        addr: asc,
                        why: Broken::Unreadable,
                    },
                }
            }
            b => b,
        })
    }
}

/// A firmware node named by a list entry, as far as it could be read.
pub(crate) enum Fwnode<'b> {
    /// None (a NULL pointer).
    None,
    /// Its full path as `%pfwf` prints it (`parent/child`), read without
    /// faulting.
    Path(&'b [u8]),
    /// The node at this address (callers print it hashed) is of a kind
    /// whose layout is not known here, or its path could not be read.
    Address(usize),
    /// The pointer to it could not be read.
    Unreadable,
}

/// At most this many nodes of a path are read, root included (`%pfwf`
/// has no bound: a parent loop through reused memory would have none).
pub(crate) const MAX_FWNODE_DEPTH: usize = 16;

/// The firmware node at `f` (a pointer read from a list entry), its path
/// read into `buf`.
///
/// The node may be freed or reused: nothing owns it for us (v4l2-async
/// holds no reference to a subdev's fwnode, and nothing serialises the
/// removal of a leaked subdev's device with the list lock). So its ops are
/// never called: they only choose the layout to read (see
/// `vimc_rs_fwnode_layout`: software nodes, and device tree nodes on
/// kernels with `CONFIG_OF`), and the path is read from that layout with
/// [`nofault`], at most [`MAX_FWNODE_DEPTH`] nodes, within `buf`. A node of
/// another kind (ACPI), or one that does not read back as a path, is
/// [`Fwnode::Address`]. What cannot be told: a freed node whose memory still
/// holds its old path, or garbage laid out like one, reads as a path.
pub(crate) fn fwnode_of(f: usize, buf: &mut [u8; 1024]) -> Fwnode<'_> {
    if f == 0 {
        return Fwnode::None;
    }
    match read_path(f, buf) {
        // An empty path (a device tree's root) would be an empty field.
        Some(n) if n > 0 => Fwnode::Path(&buf[..n]),
        _ => Fwnode::Address(f),
    }
}

/// The layout of firmware nodes whose ops table is at `ops`, if known.
fn layout_of(ops: usize) -> Option<bindings::vimc_rs_fwnode_layout> {
    let mut l = bindings::vimc_rs_fwnode_layout {
        fwnode: 0,
        name: 0,
        parent: 0,
        basename: false,
    };
    // SAFETY: the helper compares `ops` with the addresses of ops tables
    // (it reads nothing through it) and writes only `l`.
    unsafe { bindings::vimc_rs_fwnode_layout(ops as kernel::ffi::c_ulong, &mut l) }.then_some(l)
}

/// Writes the path of the firmware node at `f` to `buf`, root first, `/`
/// between names, as `%pfwf` does for software and device tree nodes;
/// returns its length. `None` if the kind is not known, a read fails, a
/// parent is of another kind (or no node), or the path is deeper than
/// [`MAX_FWNODE_DEPTH`] or longer than `buf`.
fn read_path(f: usize, buf: &mut [u8]) -> Option<usize> {
    // Nodes and their names are in the kernel's linear map (or its image):
    // a pointer elsewhere (vmalloc, ioremap'd registers, whose reads may
    // act) is not followed, garbage or not.
    let mapped = |a: usize| {
        // SAFETY: the helper only computes with the address.
        unsafe { bindings::rust_helper_virt_addr_valid(a as kernel::ffi::c_ulong) }.then_some(a)
    };
    let ops = nofault::peek!(mapped(f)?, bindings::fwnode_handle, ops)? as usize;
    let l = layout_of(ops)?;
    let (fw, name, parent) = (l.fwnode as usize, l.name as usize, l.parent as usize);
    let ops_at = fw + offset_of!(bindings::fwnode_handle, ops);
    // The nodes from `f` up to the root.
    let mut chain = [0usize; MAX_FWNODE_DEPTH];
    let mut depth = 0;
    let mut node = f.wrapping_sub(fw);
    loop {
        *chain.get_mut(depth)? = node;
        depth += 1;
        let p: usize = nofault::read(mapped(node)?.wrapping_add(parent))?;
        if p == 0 {
            break;
        }
        mapped(p)?;
        // Only a parent of the same kind has this layout.
        if nofault::read::<usize>(p.wrapping_add(ops_at))? != ops {
            return None;
        }
        node = p;
    }
    let mut len = 0;
    for (i, &node) in chain[..depth].iter().rev().enumerate() {
        if i > 0 {
            *buf.get_mut(len)? = b'/';
            len += 1;
        }
        let at: usize = mapped(nofault::read(node.wrapping_add(name))?)?;
        let (n, cut) = {
            let s = nofault::read_str(at, buf.get_mut(len..)?)?;
            let cut = if l.basename {
                s.iter().rposition(|&c| c == b'/').map_or(0, |k| k + 1)
            } else {
                0
            };
            (s.len(), cut)
        };
        buf.copy_within(len + cut..len + n, len);
        len += n - cut;
    }
    Some(len)
}

/// A notifier on the list (links checked).
///
/// # Invariants
///
/// As for [`AsyncSubdev`]: read through [`nofault`] only.
pub(crate) struct Notifier<'a> {
    n: usize,
    _p: PhantomData<&'a ()>,
}

/// Who a notifier belongs to.
pub(crate) enum NotifierOwner<'b> {
    /// A `v4l2_device` (a root notifier), by name.
    V4l2Device(Option<&'b [u8]>),
    /// A subdev (a sub-notifier), by name.
    Subdev(Option<&'b [u8]>),
}

/// How a connection matches its subdev.
pub(crate) enum Match<'b> {
    /// A firmware node, as [`fwnode_of`] reads it.
    Fwnode(Fwnode<'b>),
    /// An I2C adapter and address.
    I2c(i32, u16),
    /// Unreadable.
    Unknown,
}

/// A connection of a notifier (links checked; read through [`nofault`]).
pub(crate) struct Connection<'a> {
    asc: usize,
    done: bool,
    _p: PhantomData<&'a ()>,
}

impl<'a> Notifier<'a> {
    /// The notifier's address.
    pub(crate) fn addr(&self) -> usize {
        self.n
    }

    /// Whether KASAN marks its memory freed.
    pub(crate) fn is_freed(&self) -> bool {
        nofault::poisoned(self.n, size_of::<bindings::v4l2_async_notifier>())
    }

    /// Its owner, with the owner's name if readable.
    pub(crate) fn owner<'b>(&self, buf: &'b mut [u8; SD_NAME_LEN]) -> Option<NotifierOwner<'b>> {
        let v = nofault::peek!(self.n, bindings::v4l2_async_notifier, v4l2_dev)? as usize;
        if v != 0 {
            let name: Option<[u8; V4L2_DEV_NAME]> = nofault::peek!(v, bindings::v4l2_device, name);
            return Some(NotifierOwner::V4l2Device(name.and_then(|a| {
                buf[..V4L2_DEV_NAME].copy_from_slice(&a);
                nofault::cstr_in(&buf[..V4L2_DEV_NAME])
            })));
        }
        let sd = nofault::peek!(self.n, bindings::v4l2_async_notifier, sd)? as usize;
        (sd != 0).then(|| NotifierOwner::Subdev(subdev_name(sd, buf)))
    }

    /// Its connections: waiting ones, then done ones.
    pub(crate) fn connections(&self) -> impl Iterator<Item = Slot<Connection<'a>>> + 'a {
        let off = offset_of!(bindings::v4l2_async_connection, asc_entry);
        let list = |head: usize, done: bool| {
            walk_containers(self.n.wrapping_add(head), off).map(move |s| {
                s.map(|asc| Connection {
                    asc,
                    done,
                    _p: PhantomData,
                })
            })
        };
        Iterator::chain(
            list(
                offset_of!(bindings::v4l2_async_notifier, waiting_list),
                false,
            ),
            list(offset_of!(bindings::v4l2_async_notifier, done_list), true),
        )
    }
}

impl<'a> Connection<'a> {
    /// Whether a subdev is bound to it.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// What it matches.
    pub(crate) fn matches<'b>(&self, buf: &'b mut [u8; 1024]) -> Match<'b> {
        use bindings::v4l2_async_connection as Asc;
        let Some(ty) = nofault::peek!(self.asc, Asc, match_.type_) else {
            return Match::Unknown;
        };
        if ty == bindings::v4l2_async_match_type_V4L2_ASYNC_MATCH_TYPE_I2C {
            let adapter = nofault::peek!(self.asc, Asc, match_.__bindgen_anon_1.i2c.adapter_id);
            let addr = nofault::peek!(self.asc, Asc, match_.__bindgen_anon_1.i2c.address);
            match (adapter, addr) {
                (Some(a), Some(b)) => Match::I2c(a, b),
                _ => Match::Unknown,
            }
        } else {
            match nofault::peek!(self.asc, Asc, match_.__bindgen_anon_1.fwnode) {
                Some(f) => Match::Fwnode(fwnode_of(f as usize, buf)),
                None => Match::Unknown,
            }
        }
    }

    /// The bound subdev's name, when done.
    pub(crate) fn subdev_name<'b>(&self, buf: &'b mut [u8; SD_NAME_LEN]) -> Option<&'b [u8]> {
        let sd = nofault::peek!(self.asc, bindings::v4l2_async_connection, sd)? as usize;
        (self.done && sd != 0)
            .then(|| subdev_name(sd, buf))
            .flatten()
    }
}
