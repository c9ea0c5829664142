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
//! A device's configuration is a [`Topology`] draft in one mutex, which
//! every mkdir, rmdir, attribute write and `enabled` takes. Each directory
//! kind has its own type and attributes, and edits its item of the draft;
//! the draft checks every edit (names, formats), and `enabled=1` validates
//! it (links) and registers it.

use crate::{
    device::{media_info, VimcShared},
    entity::{InitialFormat, Kind},
    kinds,
    media::{
        bindings,
        compat::{cstr_bytes, fmt},
        kcompat::{
            configfs::{
                self, configfs_attrs, AttributeOperations, Group, GroupOperations, ItemType,
            },
            platform,
        },
        v4l2::{device as v4l2_device, graph::Graph},
    },
    topology::{Ancillary, Item, Link, Topology, ENABLED, IMMUTABLE},
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
                    draft: Topology::new(),
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

/// A registered device, torn down on drop.
struct Live {
    // Field order is drop order: the graph, then its v4l2_device, then the
    // platform device both hang on.
    _graph: Graph<VimcShared>,
    _device: v4l2_device::Device<VimcShared>,
    _pdev: platform::DeviceRegistration,
}

struct State {
    /// The configuration: every directory's item, found by the
    /// directory's name.
    draft: Topology,
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

/// `enabled` as written: `1`, `y`, `Y` or `0`, `n`, `N`.
fn parse_enabled(s: &[u8]) -> Result<bool> {
    match s {
        b"1" | b"y" | b"Y" => Ok(true),
        b"0" | b"n" | b"N" => Ok(false),
        _ => Err(EINVAL),
    }
}

/// What a directory made in a device directory is, by its name.
enum DirName {
    /// `KIND:NAME`: an entity of that kind called NAME.
    Entity(&'static Kind, CString),
    /// `link:ID`: a data link.
    Link,
    /// `ancillary:ID`: an ancillary link.
    Ancillary,
}

/// A directory name: `link:ID`, `ancillary:ID` or `KIND:NAME`.
fn parse_dir(name: &[u8]) -> Result<DirName> {
    let colon = name.iter().position(|&c| c == b':').ok_or(EINVAL)?;
    let (prefix, rest) = (&name[..colon], &name[colon + 1..]);
    Ok(match prefix {
        b"link" => DirName::Link,
        b"ancillary" => DirName::Ancillary,
        _ => DirName::Entity(kinds::by_name(prefix).ok_or(EINVAL)?, to_cstring(rest)?),
    })
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

impl Shared {
    /// Edits the configuration; -EBUSY while it is registered.
    fn edit<R>(&self, f: impl FnOnce(&mut Topology) -> Result<R>) -> Result<R> {
        let mut state = self.state.lock();
        if state.live.is_some() {
            return Err(EBUSY);
        }
        f(&mut state.draft)
    }

    /// Reads the configuration.
    fn read<R>(&self, f: impl FnOnce(&Topology) -> Result<R>) -> Result<R> {
        f(&self.state.lock().draft)
    }

    /// Registers the device the configuration describes.
    fn enable(&self, state: &mut State) -> Result {
        let name = CString::try_from_fmt(fmt!("vimc_rs.{}", self.id))?;
        state.draft.validate(&name)?;
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
        let graph = state.draft.register(&name, &device)?;
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
        let on = parse_enabled(trim(page))?;
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
        let what = parse_dir(cstr_bytes(name))?;
        let at = DirAt {
            shared: self.shared.clone(),
            key: CString::try_from(name)?,
        };
        let (item_type, node) = match &what {
            DirName::Entity(kind, _) => {
                (EntityDir::item_type(kind), DirKind::Entity(EntityDir(at)))
            }
            DirName::Link => (LinkDir::item_type(), DirKind::Link(LinkDir(at))),
            DirName::Ancillary => (
                AncillaryDir::item_type(),
                DirKind::Ancillary(AncillaryDir(at)),
            ),
        };
        // Allocated here: `new_group`'s `data` must not fail.
        let (dir, key) = (CString::try_from(name)?, CString::try_from(name)?);
        let shared = self.shared.clone();
        // The item joins the configuration as the group's last step; if the
        // mkdir fails after `make_group`, configfs calls `drop_item`.
        let node = try_pin_init!(NodeDir { kind: node });
        Ok(configfs::new_group(dir, item_type, node, move || {
            shared.edit(|t| match what {
                DirName::Entity(kind, entity) => t.add_entity(&key, &entity, kind),
                DirName::Link => t.add_link(&key),
                DirName::Ancillary => t.add_ancillary(&key),
            })
        }))
    }

    fn drop_item(&self, child: ArcBorrow<'_, Group<NodeDir>>) {
        // Outside `edit`: a directory goes even while the device is enabled
        // (the registered graph is not the configuration).
        self.shared
            .state
            .lock()
            .draft
            .remove(configfs::name(&child));
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

/// Shows link flags as [`parse_flags`] reads them.
fn show_flags(page: &mut [u8; PAGE_SIZE], f: &u32) -> usize {
    let words: &[u8] = match *f & (ENABLED | IMMUTABLE) {
        0 => b"0\n",
        ENABLED => b"enabled\n",
        IMMUTABLE => b"immutable\n",
        _ => b"enabled,immutable\n",
    };
    Page::new(page).put(words).len
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

/// Where a directory's item is: its device's configuration, and its key
/// there (the directory's name).
pub(crate) struct DirAt {
    shared: Arc<Shared>,
    key: CString,
}

impl DirAt {
    /// Shows from the item, of type `T`.
    fn show<T: Item>(&self, f: impl FnOnce(&T) -> usize) -> Result<usize> {
        self.shared.read(|t| Ok(f(t.at::<T>(&self.key)?)))
    }

    /// Edits the item, of type `T`.
    fn store<T: Item>(&self, f: impl FnOnce(&mut T)) -> Result {
        self.shared.edit(|t| {
            f(t.at_mut::<T>(&self.key)?);
            Ok(())
        })
    }
}

/// An entity's directory, `KIND:NAME`: its `name`, and for a kind with
/// formats its initial one: `width`, `height` and `code` (a subdev) or
/// `pixelformat` (a capture node).
pub(crate) struct EntityDir(DirAt);

/// A data link's directory, `link:ID`: `source` and `sink` (`NAME:PAD`),
/// `flags`.
pub(crate) struct LinkDir(DirAt);

/// An ancillary link's directory, `ancillary:ID`: `primary` and
/// `ancillary` (entity names).
pub(crate) struct AncillaryDir(DirAt);

/// A directory in a device directory. configfs gives a group's children one
/// data type, so the three kinds are the variants of its [`DirKind`]; each
/// attribute belongs to one kind, whose item type alone lists it.
#[pin_data]
pub(crate) struct NodeDir {
    kind: DirKind,
}

/// A [`NodeDir`]'s kind, with the kind's own data.
pub(crate) enum DirKind {
    Entity(EntityDir),
    Link(LinkDir),
    Ancillary(AncillaryDir),
}

/// The item type of the directories in a device directory of one kind.
type DirType = &'static ItemType<Group<NodeDir>, NodeDir>;

impl EntityDir {
    fn item_type(kind: &Kind) -> DirType {
        match kind.format {
            None => configfs_attrs! {
                container: configfs::Group<NodeDir>,
                data: NodeDir,
                attributes: [
                    name: 1,
                ],
            },
            Some(_) if kind.node => configfs_attrs! {
                container: configfs::Group<NodeDir>,
                data: NodeDir,
                attributes: [
                    name: 1,
                    width: 2,
                    height: 3,
                    pixelformat: 4,
                ],
            },
            Some(_) => configfs_attrs! {
                container: configfs::Group<NodeDir>,
                data: NodeDir,
                attributes: [
                    name: 1,
                    width: 2,
                    height: 3,
                    code: 5,
                ],
            },
        }
    }

    fn show_name(&self, page: &mut [u8; PAGE_SIZE]) -> Result<usize> {
        let DirAt { shared, key } = &self.0;
        shared.read(|t| {
            Ok(Page::new(page)
                .put(cstr_bytes(t.entity_name(key)?))
                .put(b"\n")
                .len)
        })
    }

    /// Any name another entity does not have, also one a directory cannot
    /// have (`RGB/YUV Capture`).
    fn store_name(&self, s: &[u8]) -> Result {
        let name = to_cstring(s)?;
        let DirAt { shared, key } = &self.0;
        shared.edit(|t| t.rename(key, &name))
    }

    /// Shows from its initial format.
    fn show(&self, f: impl FnOnce(&InitialFormat) -> usize) -> Result<usize> {
        let DirAt { shared, key } = &self.0;
        Ok(f(&shared.read(|t| t.format(key))?))
    }

    /// Edits its initial format; the topology refuses a format the kind
    /// does not take.
    fn store(&self, edit: impl FnOnce(&mut InitialFormat)) -> Result {
        let DirAt { shared, key } = &self.0;
        shared.edit(|t| {
            let mut f = t.format(key)?;
            edit(&mut f);
            t.set_format(key, f)
        })
    }
}

impl LinkDir {
    fn item_type() -> DirType {
        configfs_attrs! {
            container: configfs::Group<NodeDir>,
            data: NodeDir,
            attributes: [
                source: 10,
                sink: 11,
                flags: 12,
            ],
        }
    }

    fn show(&self, f: impl FnOnce(&Link) -> usize) -> Result<usize> {
        self.0.show(f)
    }

    fn store(&self, f: impl FnOnce(&mut Link)) -> Result {
        self.0.store(f)
    }
}

impl AncillaryDir {
    fn item_type() -> DirType {
        configfs_attrs! {
            container: configfs::Group<NodeDir>,
            data: NodeDir,
            attributes: [
                primary: 20,
                ancillary: 21,
            ],
        }
    }

    fn show(&self, f: impl FnOnce(&Ancillary) -> usize) -> Result<usize> {
        self.0.show(f)
    }

    fn store(&self, f: impl FnOnce(&mut Ancillary)) -> Result {
        self.0.store(f)
    }
}

/// Attribute `$id` of the directories of kind `$variant`: `$show` fills
/// the page, `$store` takes what was written without its newline. With a
/// `$field` instead: that field of the item the directory edits, shown by
/// `$show` and parsed by `$parse`.
macro_rules! dir_attr {
    ($id:literal, $variant:ident($dir:ty), $field:ident, $show:expr, $parse:expr) => {
        dir_attr!(
            $id,
            $variant($dir),
            |d, page| d.show(|x| ($show)(page, &x.$field)),
            |d, s| {
                let v = ($parse)(s)?;
                d.store(|x| x.$field = v)
            }
        );
    };
    ($id:literal, $variant:ident($dir:ty), $show:expr, $store:expr) => {
        #[vtable]
        impl AttributeOperations<$id> for NodeDir {
            type Data = NodeDir;

            fn show(data: &NodeDir, page: &mut [u8; PAGE_SIZE]) -> Result<usize> {
                let show: fn(&$dir, &mut [u8; PAGE_SIZE]) -> Result<usize> = $show;
                match &data.kind {
                    DirKind::$variant(dir) => show(dir, page),
                    // No item type of another kind lists this attribute.
                    _ => Err(EINVAL),
                }
            }

            fn store(data: &NodeDir, page: &[u8]) -> Result {
                let store: fn(&$dir, &[u8]) -> Result = $store;
                match &data.kind {
                    DirKind::$variant(dir) => store(dir, trim(page)),
                    _ => Err(EINVAL),
                }
            }
        }
    };
}

dir_attr!(
    1,
    Entity(EntityDir),
    EntityDir::show_name,
    EntityDir::store_name
);
dir_attr!(2, Entity(EntityDir), width, show_u32, parse_u32);
dir_attr!(3, Entity(EntityDir), height, show_u32, parse_u32);
dir_attr!(4, Entity(EntityDir), code, show_fourcc, parse_fourcc);
dir_attr!(5, Entity(EntityDir), code, show_code, parse_u32);
dir_attr!(10, Link(LinkDir), source, show_end, |s| parse_end(s)
    .map(Some));
dir_attr!(11, Link(LinkDir), sink, show_end, |s| parse_end(s)
    .map(Some));
dir_attr!(12, Link(LinkDir), flags, show_flags, parse_flags);
dir_attr!(20, Ancillary(AncillaryDir), primary, show_name, |s| {
    to_cstring(s).map(Some)
});
dir_attr!(21, Ancillary(AncillaryDir), ancillary, show_name, |s| {
    to_cstring(s).map(Some)
});

#[cfg(vimc_rs_kunit)]
#[kernel::prelude::kunit_tests(vimc_rs_configfs)]
mod tests {
    use super::*;
    use crate::media::bindings::ENAMETOOLONG;

    fn too_long() -> Error {
        Error::from_errno(-(ENAMETOOLONG as i32))
    }

    /// What `show` puts on a fresh page.
    fn shown<T: ?Sized>(
        show: fn(&mut [u8; PAGE_SIZE], &T) -> usize,
        v: &T,
        want: &[u8],
    ) -> Result<bool> {
        let mut buf = KVec::from_elem(0u8, PAGE_SIZE, GFP_KERNEL)?;
        let page: &mut [u8; PAGE_SIZE] = buf.as_mut_slice().try_into().map_err(|_| EINVAL)?;
        let n = show(page, v);
        Ok(&page[..n] == want)
    }

    #[test]
    fn names() -> Result {
        assert_eq!(trim(b"Sensor A\n"), b"Sensor A");
        assert_eq!(trim(b"Sensor A"), b"Sensor A");
        assert_eq!(trim(b"a\n\n"), b"a\n");
        assert!(cstr_bytes(&to_cstring(b"RGB/YUV Capture")?) == b"RGB/YUV Capture");
        assert!(to_cstring(&[b'n'; NAME_MAX]).is_ok());
        assert_eq!(to_cstring(&[b'n'; NAME_MAX + 1]).err(), Some(too_long()));
        for bad in [&b""[..], b"a\0b", b"\xff\xfe"] {
            assert_eq!(to_cstring(bad).err(), Some(EINVAL));
        }
        Ok(())
    }

    /// `NAME:PAD`: the pad follows the last colon.
    #[test]
    fn link_ends() -> Result {
        let (name, pad) = parse_end(b"Sensor A:0")?;
        assert!(cstr_bytes(&name) == b"Sensor A" && pad == 0);
        let (name, pad) = parse_end(b"a:b:65535")?;
        assert!(cstr_bytes(&name) == b"a:b" && pad == 65535);
        for bad in [
            &b"Sensor A"[..],
            b"Sensor A:",
            b":0",
            b"a:-1",
            b"a:65536",
            b"a:0x1",
            b"a: 1",
        ] {
            assert_eq!(parse_end(bad).err(), Some(EINVAL));
        }
        Ok(())
    }

    #[test]
    fn flags() -> Result {
        for (s, f) in [
            (&b""[..], 0),
            (b"0", 0),
            (b"enabled", ENABLED),
            (b"immutable", IMMUTABLE),
            (b"enabled,immutable", ENABLED | IMMUTABLE),
            (b"immutable,enabled", ENABLED | IMMUTABLE),
        ] {
            assert_eq!(parse_flags(s), Ok(f));
        }
        for bad in [
            &b"ENABLED"[..],
            b"enabled,",
            b",",
            b"1",
            b"enabled immutable",
        ] {
            assert_eq!(parse_flags(bad), Err(EINVAL));
        }
        // What is shown reads back.
        for (f, s) in [
            (0, &b"0\n"[..]),
            (ENABLED, b"enabled\n"),
            (IMMUTABLE, b"immutable\n"),
            (ENABLED | IMMUTABLE, b"enabled,immutable\n"),
        ] {
            assert!(shown(show_flags, &f, s)?);
            assert_eq!(parse_flags(trim(s)), Ok(f));
        }
        Ok(())
    }

    #[test]
    fn numbers_and_codes() -> Result {
        assert_eq!(parse_u32(b"640"), Ok(640));
        assert_eq!(parse_u32(b"0x3014"), Ok(0x3014));
        assert_eq!(parse_u32(b"4294967295"), Ok(u32::MAX));
        for bad in [
            &b""[..],
            b"-1",
            b"4294967296",
            b"0x",
            b"0X10",
            b" 1",
            b"1 ",
            b"12a",
        ] {
            assert_eq!(parse_u32(bad), Err(EINVAL));
        }
        assert!(shown(show_u32, &640, b"640\n")?);
        assert!(shown(show_code, &0x3014, b"0x3014\n")?);
        assert!(shown(show_code, &0x3, b"0x0003\n")?);
        let rgb3 = u32::from_le_bytes(*b"RGB3");
        assert_eq!(parse_fourcc(b"RGB3"), Ok(rgb3));
        for bad in [&b""[..], b"RGB", b"RGB33"] {
            assert_eq!(parse_fourcc(bad), Err(EINVAL));
        }
        assert!(shown(show_fourcc, &rgb3, b"RGB3\n")?);
        Ok(())
    }

    #[test]
    fn enabled() {
        for s in [&b"1"[..], b"y", b"Y"] {
            assert_eq!(parse_enabled(s), Ok(true));
        }
        for s in [&b"0"[..], b"n", b"N"] {
            assert_eq!(parse_enabled(s), Ok(false));
        }
        for bad in [&b""[..], b"2", b"yes", b"on", b"1\n"] {
            assert_eq!(parse_enabled(bad), Err(EINVAL));
        }
    }

    /// Directory names: `link:ID`, `ancillary:ID`, `KIND:NAME`.
    #[test]
    fn directories() -> Result {
        assert!(matches!(parse_dir(b"link:a")?, DirName::Link));
        assert!(matches!(parse_dir(b"ancillary:x")?, DirName::Ancillary));
        let DirName::Entity(kind, name) = parse_dir(b"sensor:Sensor A")? else {
            return Err(EINVAL);
        };
        assert!(cstr_bytes(&name) == b"Sensor A" && kind.name == crate::sensor::KIND.name);
        // `input` is a sensor; the name may hold colons.
        let DirName::Entity(kind, name) = parse_dir(b"input:a:b")? else {
            return Err(EINVAL);
        };
        assert!(cstr_bytes(&name) == b"a:b" && kind.name == crate::sensor::KIND.name);
        for bad in [&b"sensor"[..], b"sensor:", b"camera:a", b":a", b"Sensor:a"] {
            assert!(parse_dir(bad).is_err());
        }
        Ok(())
    }

    /// A page takes what fits and cuts the rest.
    #[test]
    fn page_cuts() -> Result {
        let mut buf = KVec::from_elem(0u8, PAGE_SIZE, GFP_KERNEL)?;
        let page: &mut [u8; PAGE_SIZE] = buf.as_mut_slice().try_into().map_err(|_| EINVAL)?;
        let mut p = Page::new(page);
        for _ in 0..PAGE_SIZE / 3 + 1 {
            p.put(b"abc");
        }
        assert_eq!(p.len, PAGE_SIZE);
        assert_eq!(p.put(b"more").len, PAGE_SIZE);
        Ok(())
    }
}
