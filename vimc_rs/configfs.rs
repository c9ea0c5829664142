// SPDX-License-Identifier: GPL-2.0

//! Media devices that users build at runtime, in configfs:
//!
//! ```text
//! /sys/kernel/config/vimc_rs/
//!   cam0/                      mkdir: a device (platform device vimc_rs.N)
//!     enabled                  1: register it all, 0: unregister it
//!     sensor:Sensor A/         an entity, KIND:NAME
//!       name                   its name (NAME, or one with a slash)
//!       width, height          its initial format (C vimc's: 640, 480),
//!       code                   a subdev's bus code (0x3014), or
//!       pixelformat            a capture node's (RGB3)
//!     link:a/                  a data link: source, sink ("NAME:PAD"), flags
//!     ancillary:a/             an ancillary link: primary, ancillary (names)
//! ```
//!
//! A device's configuration lives in one mutex, which every mkdir, rmdir,
//! attribute write and `enabled` takes: `enabled=1` builds a
//! [`Topology`] from it (a snapshot), checks it and registers it.

use crate::{
    device::{media_info, VimcShared},
    entity::{InitialFormat, Kind},
    kinds,
    media::{
        bindings,
        compat::{cstr_bytes, fmt, kvec_remove},
        kcompat::{
            configfs::{self, configfs_attrs, AttributeOperations, Group, GroupOperations},
            platform,
        },
        v4l2::{device as v4l2_device, graph::Graph},
    },
    topology::{Topology, ENABLED, IMMUTABLE},
};
use core::{
    fmt::Write,
    sync::atomic::{AtomicI32, Ordering},
};
use kernel::{
    c_str, new_mutex,
    page::PAGE_SIZE,
    prelude::*,
    str::CString,
    sync::{Arc, ArcBorrow, Mutex},
};

/// The name of the configfs devices' platform devices and of the driver
/// that holds them (`vimc_rs.N`, bus info `platform:vimc_rs.N`).
pub(crate) const DRIVER: &CStr = c_str!("vimc_rs");

/// Longest entity name: `media_entity_desc.name` holds 32 bytes with the NUL.
const NAME_MAX: usize = 31;

/// The top directory's data: makes devices.
#[pin_data]
pub(crate) struct Root {
    /// The instance number of the next device's platform device.
    next_id: AtomicI32,
    /// What each device's entities share.
    device_data: VimcShared,
}

impl Root {
    fn new(device_data: VimcShared) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            // vimc.0 is C vimc's device; ours are vimc_rs.N from 1.
            next_id: AtomicI32::new(1),
            device_data,
        })
    }
}

/// The registration of `/sys/kernel/config/vimc_rs`.
pub(crate) type Subsystem = configfs::Subsystem<Root>;

/// The subsystem, for the module to keep; its devices' entities share
/// `device_data`.
pub(crate) fn subsystem(device_data: VimcShared) -> impl PinInit<Subsystem, Error> {
    let item_type = configfs_attrs! {
        container: configfs::Subsystem<Root>,
        data: Root,
        child: DeviceDir,
        attributes: [],
    };
    configfs::Subsystem::new(c_str!("vimc_rs"), item_type, Root::new(device_data))
}

#[vtable]
impl GroupOperations for Root {
    type Child = DeviceDir;

    fn make_group(&self, name: &CStr) -> Result<impl PinInit<Group<DeviceDir>, Error>> {
        let item_type = configfs_attrs! {
            container: configfs::Group<DeviceDir>,
            data: DeviceDir,
            child: NodeDir,
            attributes: [
                enabled: 0,
            ],
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::pin_init(
            pin_init!(Shared {
                state <- new_mutex!(State {
                    entries: KVec::new(),
                    live: None,
                }),
                id,
                device_data: self.device_data,
            }),
            GFP_KERNEL,
        )?;
        Ok(configfs::new_group(
            name.try_into()?,
            item_type,
            try_pin_init!(DeviceDir { shared }),
            || Ok(()),
        ))
    }
}

/// What one directory inside a device directory describes.
enum What {
    Entity {
        name: CString,
        kind: &'static Kind,
        format: Option<InitialFormat>,
    },
    Link {
        source: Option<(CString, u16)>,
        sink: Option<(CString, u16)>,
        flags: u32,
    },
    Ancillary {
        primary: Option<CString>,
        ancillary: Option<CString>,
    },
}

struct Entry {
    /// The directory's name.
    dir: CString,
    what: What,
}

/// A registered device, torn down on drop.
struct Live {
    // Field order is drop order: the graph, then its v4l2_device, then the
    // platform device both hang on.
    _graph: Graph<VimcShared>,
    _device: v4l2_device::Device<VimcShared>,
    _pdev: platform::DeviceRegistration,
}

struct State {
    /// In creation order (which gives the entities' ids).
    entries: KVec<Entry>,
    live: Option<Live>,
}

/// A device's configuration, shared by its directory and theirs inside.
#[pin_data]
pub(crate) struct Shared {
    #[pin]
    state: Mutex<State>,
    /// The platform device's instance number.
    id: i32,
    /// What its entities share, once it is enabled.
    device_data: VimcShared,
}

/// A device directory's data.
#[pin_data]
pub(crate) struct DeviceDir {
    shared: Arc<Shared>,
}

/// `NAME:PAD` (the name may hold colons and spaces; the pad follows the
/// last colon).
fn parse_end(s: &[u8]) -> Result<(CString, u16)> {
    let colon = s.iter().rposition(|&c| c == b':').ok_or(EINVAL)?;
    let pad = core::str::from_utf8(&s[colon + 1..]).map_err(|_| EINVAL)?;
    let pad: u16 = pad.parse().map_err(|_| EINVAL)?;
    Ok((to_cstring(&s[..colon])?, pad))
}

/// A name as written, without its trailing newline; -EINVAL if empty or
/// holding a NUL, -ENAMETOOLONG past [`NAME_MAX`].
fn to_cstring(s: &[u8]) -> Result<CString> {
    if s.is_empty() || s.contains(&0) {
        return Err(EINVAL);
    }
    if s.len() > NAME_MAX {
        return Err(Error::from_errno(-(bindings::ENAMETOOLONG as i32)));
    }
    let s = core::str::from_utf8(s).map_err(|_| EINVAL)?;
    CString::try_from_fmt(fmt!("{}", s))
}

fn trim(page: &[u8]) -> &[u8] {
    page.strip_suffix(b"\n").unwrap_or(page)
}

/// An attribute's page, filled from the start; what does not fit is cut.
struct Page<'a> {
    page: &'a mut [u8; PAGE_SIZE],
    len: usize,
}

impl<'a> Page<'a> {
    fn new(page: &'a mut [u8; PAGE_SIZE]) -> Self {
        Self { page, len: 0 }
    }

    fn put(&mut self, bytes: &[u8]) -> &mut Self {
        let n = bytes.len().min(PAGE_SIZE - self.len);
        self.page[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        self.len += n;
        self
    }
}

impl core::fmt::Write for Page<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.put(s.as_bytes());
        Ok(())
    }
}

impl State {
    /// What the directory called `dir` describes.
    fn what_mut(&mut self, dir: &CStr) -> Result<&mut What> {
        self.entries
            .iter_mut()
            .find(|e| cstr_bytes(&e.dir) == cstr_bytes(dir))
            .map(|e| &mut e.what)
            .ok_or(ENOENT)
    }

    fn entity(&self, name: &CStr) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            matches!(&e.what, What::Entity { name: n, .. } if cstr_bytes(n) == cstr_bytes(name))
        })
    }

    /// The topology the entries describe; -EINVAL (with a log line) if a
    /// link is incomplete or names a missing entity.
    fn topology(&self, dev: &CStr) -> Result<Topology> {
        let mut t = Topology::new();
        for e in self.entries.iter() {
            if let What::Entity { name, kind, format } = &e.what {
                t.entity_with(name, kind, *format)?;
            }
        }
        for e in self.entries.iter() {
            let ret = match &e.what {
                What::Entity { .. } => Ok(()),
                What::Link {
                    source: Some(so),
                    sink: Some(si),
                    flags,
                } => t.link(&so.0, so.1, &si.0, si.1, *flags),
                What::Ancillary {
                    primary: Some(p),
                    ancillary: Some(a),
                } => t.ancillary(p, a),
                _ => Err(EINVAL),
            };
            if ret.is_err() {
                pr_err!(
                    "{}: {}: incomplete, or names an entity that is not there\n",
                    dev,
                    &*e.dir
                );
                return Err(EINVAL);
            }
        }
        Ok(t)
    }
}

impl Shared {
    /// Takes the entry of directory `dir` out of the configuration.
    fn remove(&self, dir: &CStr) {
        let mut state = self.state.lock();
        if let Some(i) = state
            .entries
            .iter()
            .position(|e| cstr_bytes(&e.dir) == cstr_bytes(dir))
        {
            drop(kvec_remove(&mut state.entries, i));
        }
    }

    /// Adds `entry`. -EBUSY while registered, -EEXIST for an entity name
    /// taken.
    fn add(&self, entry: Entry) -> Result {
        let mut state = self.state.lock();
        if state.live.is_some() {
            return Err(EBUSY);
        }
        if let What::Entity { name, .. } = &entry.what {
            if state.entity(name).is_some() {
                return Err(EEXIST);
            }
        }
        state.entries.push(entry, GFP_KERNEL)?;
        Ok(())
    }

    /// Registers the device the configuration describes.
    fn enable(&self, state: &mut State) -> Result {
        let name = CString::try_from_fmt(fmt!("vimc_rs.{}", self.id))?;
        let topology = state.topology(&name)?;
        // Bound at once by the module's HoldingDriver of that name.
        let pdev = platform::DeviceRegistration::new(DRIVER, self.id)?;
        if !pdev.is_bound() {
            pr_err!("{}: no driver bound it\n", &*name);
            return Err(ENODEV);
        }
        // No bus info: the cores derive platform:vimc_rs.N from the device.
        let device = v4l2_device::Device::new(
            &pdev.device(),
            &media_info(None),
            self.device_data,
            &crate::media::THIS_MODULE,
        )?;
        let graph = topology.register(&device)?;
        state.live = Some(Live {
            _graph: graph,
            _device: device,
            _pdev: pdev,
        });
        Ok(())
    }
}

#[vtable]
impl AttributeOperations<0> for DeviceDir {
    type Data = DeviceDir;

    fn show(data: &DeviceDir, page: &mut [u8; PAGE_SIZE]) -> Result<usize> {
        let on = data.shared.state.lock().live.is_some();
        Ok(Page::new(page).put(if on { b"1\n" } else { b"0\n" }).len)
    }

    fn store(data: &DeviceDir, page: &[u8]) -> Result {
        let on = match trim(page) {
            b"1" | b"y" | b"Y" => true,
            b"0" | b"n" | b"N" => false,
            _ => return Err(EINVAL),
        };
        let mut state = data.shared.state.lock();
        match (on, state.live.is_some()) {
            (true, false) => data.shared.enable(&mut state),
            (false, true) => {
                state.live = None;
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

#[vtable]
impl GroupOperations for DeviceDir {
    type Child = NodeDir;

    fn make_group(&self, name: &CStr) -> Result<impl PinInit<Group<NodeDir>, Error>> {
        let bytes = cstr_bytes(name);
        let colon = bytes.iter().position(|&c| c == b':').ok_or(EINVAL)?;
        let (prefix, rest) = (&bytes[..colon], &bytes[colon + 1..]);
        let what = match prefix {
            b"link" => What::Link {
                source: None,
                sink: None,
                flags: 0,
            },
            b"ancillary" => What::Ancillary {
                primary: None,
                ancillary: None,
            },
            _ => {
                let kind = kinds::by_name(prefix).ok_or(EINVAL)?;
                What::Entity {
                    name: to_cstring(rest)?,
                    kind,
                    format: kind.format,
                }
            }
        };
        let item_type = match what {
            What::Entity { format: None, .. } => configfs_attrs! {
                container: configfs::Group<NodeDir>,
                data: NodeDir,
                attributes: [
                    name: 10,
                ],
            },
            What::Entity { kind, .. } if kind.node => configfs_attrs! {
                container: configfs::Group<NodeDir>,
                data: NodeDir,
                attributes: [
                    name: 10,
                    width: 6,
                    height: 7,
                    pixelformat: 9,
                ],
            },
            What::Entity { .. } => configfs_attrs! {
                container: configfs::Group<NodeDir>,
                data: NodeDir,
                attributes: [
                    name: 10,
                    width: 6,
                    height: 7,
                    code: 8,
                ],
            },
            What::Link { .. } => configfs_attrs! {
                container: configfs::Group<NodeDir>,
                data: NodeDir,
                attributes: [
                    source: 1,
                    sink: 2,
                    flags: 3,
                ],
            },
            What::Ancillary { .. } => configfs_attrs! {
                container: configfs::Group<NodeDir>,
                data: NodeDir,
                attributes: [
                    primary: 4,
                    ancillary: 5,
                ],
            },
        };
        let entry = Entry {
            dir: name.try_into()?,
            what,
        };
        // Allocated here: `new_group`'s `data` must not fail.
        let (dir, node_dir) = (CString::try_from(name)?, CString::try_from(name)?);
        let node = try_pin_init!(NodeDir {
            shared: self.shared.clone(),
            dir: node_dir,
        });
        let shared = self.shared.clone();
        // The entry joins the configuration as the group's last step; if
        // the mkdir fails after `make_group`, configfs calls `drop_item`.
        Ok(configfs::new_group(dir, item_type, node, move || {
            shared.add(entry)
        }))
    }

    fn drop_item(&self, child: ArcBorrow<'_, Group<NodeDir>>) {
        self.shared.remove(configfs::name(&child));
    }
}

/// An entity's or link's directory's data.
#[pin_data]
pub(crate) struct NodeDir {
    shared: Arc<Shared>,
    dir: CString,
}

impl NodeDir {
    fn with<R>(&self, f: impl FnOnce(&mut What, bool) -> Result<R>) -> Result<R> {
        let mut state = self.shared.state.lock();
        let live = state.live.is_some();
        f(state.what_mut(&self.dir)?, live)
    }
}

/// An entity's `name`: the one its directory gives at mkdir, or any other
/// (one a directory cannot have: `RGB/YUV Capture`); -EEXIST if another
/// entity has it.
#[vtable]
impl AttributeOperations<10> for NodeDir {
    type Data = NodeDir;

    fn show(data: &NodeDir, page: &mut [u8; PAGE_SIZE]) -> Result<usize> {
        data.with(|what, _| match what {
            What::Entity { name, .. } => Ok(Page::new(page).put(cstr_bytes(name)).put(b"\n").len),
            _ => Err(EINVAL),
        })
    }

    fn store(data: &NodeDir, page: &[u8]) -> Result {
        let new = to_cstring(trim(page))?;
        let mut state = data.shared.state.lock();
        if state.live.is_some() {
            return Err(EBUSY);
        }
        if state
            .entity(&new)
            .is_some_and(|e| cstr_bytes(&e.dir) != cstr_bytes(&data.dir))
        {
            return Err(EEXIST);
        }
        match state.what_mut(&data.dir)? {
            What::Entity { name, .. } => {
                *name = new;
                Ok(())
            }
            _ => Err(EINVAL),
        }
    }
}

/// Shows one end of a link.
fn show_end(page: &mut [u8; PAGE_SIZE], end: &Option<(CString, u16)>) -> usize {
    let mut p = Page::new(page);
    if let Some((name, pad)) = end {
        let _ = writeln!(p.put(cstr_bytes(name)), ":{}", pad);
    }
    p.len
}

/// Shows a name.
fn show_name(page: &mut [u8; PAGE_SIZE], name: &Option<CString>) -> usize {
    let mut p = Page::new(page);
    if let Some(n) = name {
        p.put(cstr_bytes(n)).put(b"\n");
    }
    p.len
}

/// Link flags as written: `enabled`, `immutable`, both (comma-separated)
/// or none (empty or `0`).
fn parse_flags(s: &[u8]) -> Result<u32> {
    let mut flags = 0;
    if s.is_empty() || s == b"0" {
        return Ok(0);
    }
    for word in s.split(|&c| c == b',') {
        flags |= match word {
            b"enabled" => ENABLED,
            b"immutable" => IMMUTABLE,
            _ => return Err(EINVAL),
        };
    }
    Ok(flags)
}

/// Shows a number.
fn show_u32(page: &mut [u8; PAGE_SIZE], v: &u32) -> usize {
    let mut p = Page::new(page);
    let _ = writeln!(p, "{}", v);
    p.len
}

/// Shows a bus code, as `v4l2-ctl --list-subdev-mbus-codes` does.
fn show_code(page: &mut [u8; PAGE_SIZE], v: &u32) -> usize {
    let mut p = Page::new(page);
    let _ = writeln!(p, "0x{:04x}", v);
    p.len
}

/// Shows a pixel format by its four characters.
fn show_fourcc(page: &mut [u8; PAGE_SIZE], v: &u32) -> usize {
    Page::new(page).put(&v.to_le_bytes()).put(b"\n").len
}

/// A number, decimal or `0x` hexadecimal.
fn parse_u32(s: &[u8]) -> Result<u32> {
    let s = core::str::from_utf8(s).map_err(|_| EINVAL)?;
    match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => s.parse(),
    }
    .map_err(|_| EINVAL)
}

/// A pixel format by its four characters (`RGB3`).
fn parse_fourcc(s: &[u8]) -> Result<u32> {
    let chars: [u8; 4] = s.try_into().map_err(|_| EINVAL)?;
    Ok(u32::from_le_bytes(chars))
}

/// One of a directory's settings, as its attribute file sees it: the
/// setting is `$place` in the entry that matches `$pat`; a new value must
/// leave `$check` true.
macro_rules! node_attr {
    ($id:literal, $pat:pat => $place:expr, $show:expr, $parse:expr $(, check $check:expr)?) => {
        #[vtable]
        impl AttributeOperations<$id> for NodeDir {
            type Data = NodeDir;

            fn show(data: &NodeDir, page: &mut [u8; PAGE_SIZE]) -> Result<usize> {
                data.with(|what, _| match what {
                    #[allow(unused_variables)]
                    $pat => Ok(($show)(page, &$place)),
                    _ => Err(EINVAL),
                })
            }

            fn store(data: &NodeDir, page: &[u8]) -> Result {
                let value = ($parse)(trim(page))?;
                data.with(|what, live| match what {
                    _ if live => Err(EBUSY),
                    $pat => {
                        let _old = core::mem::replace(&mut $place, value);
                        $(if !$check {
                            $place = _old;
                            return Err(EINVAL);
                        })?
                        Ok(())
                    }
                    _ => Err(EINVAL),
                })
            }
        }
    };
}

node_attr!(1, What::Link { source, .. } => *source, show_end, |s| parse_end(s).map(Some));
node_attr!(2, What::Link { sink, .. } => *sink, show_end, |s| parse_end(s).map(Some));
node_attr!(
    3,
    What::Link { flags, .. } => *flags,
    |page: &mut [u8; PAGE_SIZE], f: &u32| {
        let words: &[u8] = match *f & (ENABLED | IMMUTABLE) {
            0 => b"0\n",
            ENABLED => b"enabled\n",
            IMMUTABLE => b"immutable\n",
            _ => b"enabled,immutable\n",
        };
        Page::new(page).put(words).len
    },
    parse_flags
);
node_attr!(4, What::Ancillary { primary, .. } => *primary, show_name, |s| to_cstring(s).map(Some));
node_attr!(5, What::Ancillary { ancillary, .. } => *ancillary, show_name, |s| to_cstring(s).map(Some));
// An entity's initial format: any size or code its kind takes.
node_attr!(6, What::Entity { format: Some(f), kind, .. } => f.width, show_u32, parse_u32,
    check f.fits(kind));
node_attr!(7, What::Entity { format: Some(f), kind, .. } => f.height, show_u32, parse_u32,
    check f.fits(kind));
node_attr!(8, What::Entity { format: Some(f), kind, .. } => f.code, show_code, parse_u32,
    check f.fits(kind));
node_attr!(9, What::Entity { format: Some(f), kind, .. } => f.code, show_fourcc, parse_fourcc,
    check f.fits(kind));
