// SPDX-License-Identifier: GPL-2.0

//! The media graph as a value, and the draft configfs edits: entities and
//! links by name, every rule checked here (names and formats as they are
//! edited, links once before registering), and C vimc's graph as one such
//! value.

use crate::media::compat::fmt;
use crate::{
    capture, debayer,
    device::VimcShared,
    entity::{InitialFormat, Kind},
    graph::{self, End, GraphError, LinkDesc, PadDir, Side},
    lens,
    media::{
        compat::{cstr_bytes, kvec_remove},
        v4l2::{
            async_graph::Bound,
            device as v4l2_device,
            graph::{Build, Builder, Graph},
            subdev,
        },
    },
    scaler, sensor,
};
use kernel::{c_str, prelude::*, str::CString};

/// `MEDIA_LNK_FL_ENABLED`.
pub(crate) const ENABLED: u32 = 1;
/// `MEDIA_LNK_FL_IMMUTABLE`.
pub(crate) const IMMUTABLE: u32 = 2;

/// One entity of a topology.
struct Entity {
    /// What its editor calls it.
    key: CString,
    /// Entity name, as `media-ctl -p` shows it.
    name: CString,
    kind: &'static Kind,
    /// Its initial format, if its kind has one.
    format: Option<InitialFormat>,
}

/// One end of a link: an entity by name, and a pad.
pub(crate) type LinkEnd = (CString, u16);

/// A data link, between entities by name; an end is `None` until set.
pub(crate) struct Link {
    key: CString,
    pub(crate) source: Option<LinkEnd>,
    pub(crate) sink: Option<LinkEnd>,
    /// `MEDIA_LNK_FL_*`: [`ENABLED`], [`IMMUTABLE`].
    pub(crate) flags: u32,
}

/// An ancillary link, from `primary` to `ancillary` (entity names).
pub(crate) struct Ancillary {
    key: CString,
    pub(crate) primary: Option<CString>,
    pub(crate) ancillary: Option<CString>,
}

/// A media graph to build, and the draft that configfs edits: entities in
/// creation order (which gives their ids), data links and ancillary links
/// in creation order, each found by a key its editor gives (a configfs
/// directory's name). Links name their entities and may be incomplete
/// until [`Topology::validate`] (which building runs too) resolves and
/// checks them, before anything is registered.
///
/// # Invariants
///
/// Keys are unique; entity names are unique; an entity has an initial
/// format exactly if its kind has one, and one its kind takes.
pub(crate) struct Topology {
    entities: KVec<Entity>,
    links: KVec<Link>,
    ancillary: KVec<Ancillary>,
}

/// A topology's links by entity index, as [`Topology::resolve`] finds them.
struct Resolved {
    links: KVec<LinkDesc>,
    /// (primary, ancillary).
    ancillary: KVec<(usize, usize)>,
}

/// A link's or an ancillary link's end, by the link's index: source
/// (primary) or sink (ancillary).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum EndOf {
    Link(usize, Side),
    Ancillary(usize, Side),
}

/// What is wrong with a topology.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Problem {
    /// An end is not set.
    NoEnd(EndOf),
    /// An end names no entity of the topology.
    NoEntity(EndOf),
    /// A data link breaks a rule of [`graph::validate`]; the link, if the
    /// rule is about one.
    Graph(GraphError, Option<LinkDesc>),
    /// Ancillary link `.0` from entity `.1` to `.2`: the ancillary entity
    /// is the primary one, or has pads.
    Ancillary(usize, usize, usize),
    /// No memory to check.
    Error(Error),
}

impl From<kernel::alloc::AllocError> for Problem {
    fn from(_: kernel::alloc::AllocError) -> Self {
        Problem::Error(ENOMEM)
    }
}

/// The link a graph rule blames, by index.
fn link_of(e: GraphError) -> Option<usize> {
    match e {
        GraphError::Empty | GraphError::Scratch => None,
        GraphError::NoEntity { link, .. }
        | GraphError::NoPad { link, .. }
        | GraphError::WrongDirection { link, .. }
        | GraphError::SelfLink { link }
        | GraphError::Cycle { link }
        | GraphError::SinkTaken { link, .. }
        | GraphError::Duplicate { link, .. } => Some(link),
    }
}

fn same(a: &CStr, b: &CStr) -> bool {
    cstr_bytes(a) == cstr_bytes(b)
}

/// An item of a topology that its editor finds by key: an entity, a data
/// link or an ancillary link.
pub(crate) trait Item: store::Store {
    /// What its editor calls it.
    fn key(&self) -> &CStr;
}

mod store {
    use super::Topology;
    use kernel::prelude::*;

    /// Where a topology keeps its items of a type. Sealed: nameable only in
    /// this module, so that nothing else reaches the vectors (and their
    /// invariants) through [`super::Item`].
    pub(crate) trait Store: Sized {
        /// The topology's items of this type.
        fn all(t: &Topology) -> &KVec<Self>;
        /// The same, to edit.
        fn all_mut(t: &mut Topology) -> &mut KVec<Self>;
    }
}
use store::Store;

macro_rules! item {
    ($ty:ty, $field:ident) => {
        impl Item for $ty {
            fn key(&self) -> &CStr {
                &self.key
            }
        }
        impl Store for $ty {
            fn all(t: &Topology) -> &KVec<Self> {
                &t.$field
            }
            fn all_mut(t: &mut Topology) -> &mut KVec<Self> {
                &mut t.$field
            }
        }
    };
}
item!(Entity, entities);
item!(Link, links);
item!(Ancillary, ancillary);

impl Topology {
    /// An empty topology.
    pub(crate) fn new() -> Self {
        // INVARIANT: no entities, no links.
        Self {
            entities: KVec::new(),
            links: KVec::new(),
            ancillary: KVec::new(),
        }
    }

    /// Where the item of type `T` found by `key` is.
    fn position<T: Item>(&self, key: &CStr) -> Option<usize> {
        T::all(self).iter().position(|x| same(x.key(), key))
    }

    /// The item of type `T` found by `key`; -ENOENT if there is none.
    pub(crate) fn at<T: Item>(&self, key: &CStr) -> Result<&T> {
        let i = self.position::<T>(key).ok_or(ENOENT)?;
        Ok(&T::all(self)[i])
    }

    /// The same, to edit.
    pub(crate) fn at_mut<T: Item>(&mut self, key: &CStr) -> Result<&mut T> {
        let i = self.position::<T>(key).ok_or(ENOENT)?;
        Ok(&mut T::all_mut(self)[i])
    }

    /// Whether an item of any type has `key`.
    fn has_key(&self, key: &CStr) -> bool {
        self.position::<Entity>(key).is_some()
            || self.position::<Link>(key).is_some()
            || self.position::<Ancillary>(key).is_some()
    }

    /// Adds `item`; -EEXIST (and nothing changes) if its key is taken.
    fn push<T: Item>(&mut self, item: T) -> Result {
        if self.has_key(item.key()) {
            return Err(EEXIST);
        }
        // INVARIANT: the key is new.
        T::all_mut(self).push(item, GFP_KERNEL)?;
        Ok(())
    }

    fn index(&self, name: &CStr) -> Option<usize> {
        self.entities.iter().position(|e| same(&e.name, name))
    }

    /// Adds an entity of `kind` called `name`, found by `key`, with its
    /// kind's initial format; -EEXIST if the name or the key is taken.
    pub(crate) fn add_entity(&mut self, key: &CStr, name: &CStr, kind: &'static Kind) -> Result {
        if self.index(name).is_some() {
            return Err(EEXIST);
        }
        // INVARIANT: the name is new; the kind's format fits it (its
        // descriptor says so, checked by the kinds' KUnit suite).
        self.push(Entity {
            key: CString::try_from(key)?,
            name: CString::try_from(name)?,
            kind,
            format: kind.format,
        })
    }

    /// Adds an entity of `kind` called and found by `name`.
    pub(crate) fn entity(&mut self, name: &CStr, kind: &'static Kind) -> Result {
        self.add_entity(name, name, kind)
    }

    /// The name of the entity found by `key`.
    pub(crate) fn entity_name(&self, key: &CStr) -> Result<&CStr> {
        Ok(&self.at::<Entity>(key)?.name)
    }

    /// Renames the entity found by `key`; -EEXIST if another has `name`.
    pub(crate) fn rename(&mut self, key: &CStr, name: &CStr) -> Result {
        if self
            .index(name)
            .is_some_and(|i| !same(&self.entities[i].key, key))
        {
            return Err(EEXIST);
        }
        let name = CString::try_from(name)?;
        // INVARIANT: no other entity has the name.
        self.at_mut::<Entity>(key)?.name = name;
        Ok(())
    }

    /// The initial format of the entity found by `key`; -EINVAL for a kind
    /// without formats.
    pub(crate) fn format(&self, key: &CStr) -> Result<InitialFormat> {
        self.at::<Entity>(key)?.format.ok_or(EINVAL)
    }

    /// Sets the initial format of the entity found by `key`; -EINVAL (and
    /// nothing changes) for a format its kind does not take.
    pub(crate) fn set_format(&mut self, key: &CStr, format: InitialFormat) -> Result {
        let e = self.at_mut::<Entity>(key)?;
        if e.format.is_none() || !format.fits(e.kind) {
            return Err(EINVAL);
        }
        // INVARIANT: the kind has formats and takes this one.
        e.format = Some(format);
        Ok(())
    }

    /// Adds a data link found by `key`, without ends or flags; -EEXIST if
    /// the key is taken.
    pub(crate) fn add_link(&mut self, key: &CStr) -> Result {
        self.push_link(key, None, None, 0)
    }

    /// Adds a data link from pad `source_pad` of `source` to pad `sink_pad`
    /// of `sink`, found by `key`.
    pub(crate) fn link(
        &mut self,
        key: &CStr,
        (source, source_pad): (&CStr, u16),
        (sink, sink_pad): (&CStr, u16),
        flags: u32,
    ) -> Result {
        let source = Some((CString::try_from(source)?, source_pad));
        let sink = Some((CString::try_from(sink)?, sink_pad));
        self.push_link(key, source, sink, flags)
    }

    fn push_link(
        &mut self,
        key: &CStr,
        source: Option<LinkEnd>,
        sink: Option<LinkEnd>,
        flags: u32,
    ) -> Result {
        self.push(Link {
            key: CString::try_from(key)?,
            source,
            sink,
            flags,
        })
    }

    /// Adds an ancillary link found by `key`, without ends; -EEXIST if the
    /// key is taken.
    pub(crate) fn add_ancillary(&mut self, key: &CStr) -> Result {
        self.push_ancillary(key, None, None)
    }

    /// Adds an ancillary link from `primary` to `ancillary`, found by `key`.
    pub(crate) fn ancillary(&mut self, key: &CStr, primary: &CStr, ancillary: &CStr) -> Result {
        let (primary, ancillary) = (CString::try_from(primary)?, CString::try_from(ancillary)?);
        self.push_ancillary(key, Some(primary), Some(ancillary))
    }

    fn push_ancillary(
        &mut self,
        key: &CStr,
        primary: Option<CString>,
        ancillary: Option<CString>,
    ) -> Result {
        self.push(Ancillary {
            key: CString::try_from(key)?,
            primary,
            ancillary,
        })
    }

    /// Takes whatever `key` finds out of the topology.
    pub(crate) fn remove(&mut self, key: &CStr) {
        fn take<T: Item>(t: &mut Topology, key: &CStr) -> bool {
            let Some(i) = t.position::<T>(key) else {
                return false;
            };
            drop(kvec_remove(T::all_mut(t), i));
            true
        }
        let _ =
            take::<Entity>(self, key) || take::<Link>(self, key) || take::<Ancillary>(self, key);
    }

    fn name(&self, entity: usize) -> &CStr {
        self.entities.get(entity).map_or(c_str!("?"), |e| &e.name)
    }

    /// Checks the graph before anything of it is registered: every link
    /// complete and naming entities there are, the rules of
    /// [`graph::validate`] for data links, and ancillary links from an
    /// entity to another that has no pads (a lens). -EINVAL with one log
    /// line, `who` (the device) first, naming what is wrong.
    pub(crate) fn validate(&self, who: &CStr) -> Result {
        self.checked(who).map(|_| ())
    }

    /// [`Self::resolve`], logging what is wrong.
    fn checked(&self, who: &CStr) -> Result<Resolved> {
        self.resolve().map_err(|p| self.report(who, p))
    }

    /// An end's entity, by index.
    fn end(&self, which: EndOf, name: Option<&CStr>) -> Result<usize, Problem> {
        let name = name.ok_or(Problem::NoEnd(which))?;
        self.index(name).ok_or(Problem::NoEntity(which))
    }

    /// The links by entity index, checked; what is wrong if not.
    fn resolve(&self) -> Result<Resolved, Problem> {
        let mut links = KVec::with_capacity(self.links.len(), GFP_KERNEL)?;
        for (i, l) in self.links.iter().enumerate() {
            let end = |side, end: &Option<LinkEnd>| -> Result<End, Problem> {
                let which = EndOf::Link(i, side);
                let entity = self.end(which, end.as_ref().map(|e| &*e.0))?;
                Ok(End {
                    entity,
                    pad: end.as_ref().map_or(0, |e| e.1),
                })
            };
            let desc = LinkDesc {
                source: end(Side::Source, &l.source)?,
                sink: end(Side::Sink, &l.sink)?,
                enabled: l.flags & ENABLED != 0,
            };
            links.push(desc, GFP_KERNEL)?;
        }
        // Every end resolves before any rule is checked.
        let mut ancillary = KVec::with_capacity(self.ancillary.len(), GFP_KERNEL)?;
        for (i, a) in self.ancillary.iter().enumerate() {
            let primary = self.end(EndOf::Ancillary(i, Side::Source), a.primary.as_deref())?;
            let anc = self.end(EndOf::Ancillary(i, Side::Sink), a.ancillary.as_deref())?;
            ancillary.push((primary, anc), GFP_KERNEL)?;
        }
        let mut seen = KVec::from_elem(false, self.entities.len(), GFP_KERNEL)?;
        let pad = |end: End| {
            let flags = *self
                .entities
                .get(end.entity)?
                .kind
                .pads
                .get(usize::from(end.pad))?;
            Some(if flags & subdev::pad::SINK != 0 {
                PadDir::Sink
            } else {
                PadDir::Source
            })
        };
        graph::validate(self.entities.len(), pad, &links, &mut seen)
            .map_err(|e| Problem::Graph(e, link_of(e).and_then(|i| links.get(i).copied())))?;
        for (i, &(primary, anc)) in ancillary.iter().enumerate() {
            if primary == anc || !self.entities[anc].kind.pads.is_empty() {
                return Err(Problem::Ancillary(i, primary, anc));
            }
        }
        Ok(Resolved { links, ancillary })
    }

    /// Logs what `p` says is wrong, `who` first, naming the link by its
    /// key and its ends; the error for it.
    fn report(&self, who: &CStr, p: Problem) -> Error {
        let side = |side| match side {
            Side::Source => "source",
            Side::Sink => "sink",
        };
        let (key, which, name) = match p {
            Problem::Error(e) => return e,
            Problem::NoEnd(EndOf::Link(i, s)) | Problem::NoEntity(EndOf::Link(i, s)) => {
                let l = &self.links[i];
                let end = if s == Side::Source {
                    &l.source
                } else {
                    &l.sink
                };
                (&l.key, side(s), end.as_ref().map(|e| &*e.0))
            }
            Problem::NoEnd(EndOf::Ancillary(i, s)) | Problem::NoEntity(EndOf::Ancillary(i, s)) => {
                let a = &self.ancillary[i];
                let (which, end) = match s {
                    Side::Source => ("primary", &a.primary),
                    Side::Sink => ("ancillary", &a.ancillary),
                };
                (&a.key, which, end.as_deref())
            }
            Problem::Graph(e, desc) => {
                self.report_graph(who, e, desc);
                return EINVAL;
            }
            Problem::Ancillary(i, primary, anc) => {
                pr_err!(
                    "{}: {}: ancillary link \"{}\" -> \"{}\": the ancillary entity must be another one, without pads\n",
                    who,
                    &*self.ancillary[i].key,
                    self.name(primary),
                    self.name(anc)
                );
                return EINVAL;
            }
        };
        match name {
            None => pr_err!("{}: {}: no {} set\n", who, &**key, which),
            Some(n) => pr_err!("{}: {}: {} \"{}\": no such entity\n", who, &**key, which, n),
        }
        EINVAL
    }

    /// Logs a broken graph rule, naming the link by its key and ends.
    fn report_graph(&self, who: &CStr, e: GraphError, desc: Option<LinkDesc>) {
        let what = match e {
            GraphError::Empty => {
                pr_err!("{}: the graph has no entities\n", who);
                return;
            }
            GraphError::Scratch => {
                pr_err!("{}: graph check without scratch space\n", who);
                return;
            }
            GraphError::NoEntity {
                side: Side::Source, ..
            } => "no such source entity",
            GraphError::NoEntity {
                side: Side::Sink, ..
            } => "no such sink entity",
            GraphError::NoPad {
                side: Side::Source, ..
            } => "the source has no such pad",
            GraphError::NoPad {
                side: Side::Sink, ..
            } => "the sink has no such pad",
            GraphError::WrongDirection {
                side: Side::Source, ..
            } => "not a source pad",
            GraphError::WrongDirection {
                side: Side::Sink, ..
            } => "not a sink pad",
            GraphError::SelfLink { .. } => "an entity linked to itself",
            GraphError::Cycle { .. } => "it closes a cycle",
            GraphError::SinkTaken { .. } => "another enabled link enters that sink pad",
            GraphError::Duplicate { .. } => "those pads are already linked",
        };
        let (Some(l), Some(link)) = (desc, link_of(e).and_then(|i| self.links.get(i))) else {
            return;
        };
        pr_err!(
            "{}: {}: \"{}\":{} -> \"{}\":{}: {}\n",
            who,
            &*link.key,
            self.name(l.source.entity),
            l.source.pad,
            self.name(l.sink.entity),
            l.sink.pad,
            what
        );
    }

    /// Checks the graph (logging as `who`), creates it on `device`
    /// (entities first, then links) and registers its nodes: a graph
    /// without async subdevs.
    pub(crate) fn register(
        &self,
        who: &CStr,
        device: &v4l2_device::Device<VimcShared>,
    ) -> Result<Graph<VimcShared>> {
        let mut graph = Builder::on(device)?;
        self.build(who, &mut Build::new(&mut graph), &[])?;
        graph.register()
    }

    /// Checks the graph (logging as `who`) and adds it to `reg` with the
    /// `bound` sensors, entities first, then links.
    pub(crate) fn build(
        &self,
        who: &CStr,
        reg: &mut Build<'_, VimcShared>,
        bound: &[Bound<'_>],
    ) -> Result {
        let resolved = self.checked(who)?;
        for (i, e) in self.entities.iter().enumerate() {
            let index = (e.kind.add)(reg, &e.name, e.format.as_ref(), bound)?;
            // Links refer to entities by their position here.
            if index != i {
                return Err(EINVAL);
            }
        }
        for (l, desc) in self.links.iter().zip(resolved.links.iter()) {
            reg.link(
                desc.source.entity,
                desc.source.pad,
                desc.sink.entity,
                desc.sink.pad,
                l.flags,
            )?;
        }
        for &(primary, ancillary) in resolved.ancillary.iter() {
            reg.ancillary_link(primary, ancillary)?;
        }
        Ok(())
    }

    /// C vimc's graph, entity for entity and link for link in its order.
    pub(crate) fn c_vimc() -> Result<Self> {
        let mut t = Self::new();
        for &(name, kind) in C_VIMC_ENTITIES {
            t.entity(name, kind)?;
        }
        for (i, &(source, source_pad, sink, sink_pad, flags)) in C_VIMC_LINKS.iter().enumerate() {
            let key = CString::try_from_fmt(fmt!("link:{}", i))?;
            t.link(&key, (source, source_pad), (sink, sink_pad), flags)?;
        }
        for (i, &(primary, ancillary)) in C_VIMC_ANCILLARY.iter().enumerate() {
            let key = CString::try_from_fmt(fmt!("ancillary:{}", i))?;
            t.ancillary(&key, primary, ancillary)?;
        }
        Ok(t)
    }
}

/// C vimc's entities, in its creation order.
const C_VIMC_ENTITIES: &[(&CStr, &Kind)] = &[
    (c_str!("Sensor A"), &sensor::KIND),
    (c_str!("Sensor B"), &sensor::KIND),
    (c_str!("Debayer A"), &debayer::KIND),
    (c_str!("Debayer B"), &debayer::KIND),
    (c_str!("Raw Capture 0"), &capture::KIND),
    (c_str!("Raw Capture 1"), &capture::KIND),
    // A sensor, as in C vimc (which has no input entity yet).
    (c_str!("RGB/YUV Input"), &sensor::KIND),
    (c_str!("Scaler"), &scaler::KIND),
    (c_str!("RGB/YUV Capture"), &capture::KIND),
    (c_str!("Lens A"), &lens::KIND),
    (c_str!("Lens B"), &lens::KIND),
];

/// C vimc's data links: source, source pad, sink, sink pad, flags.
const C_VIMC_LINKS: &[(&CStr, u16, &CStr, u16, u32)] = &[
    (
        c_str!("Sensor A"),
        0,
        c_str!("Debayer A"),
        0,
        ENABLED | IMMUTABLE,
    ),
    (
        c_str!("Sensor A"),
        0,
        c_str!("Raw Capture 0"),
        0,
        ENABLED | IMMUTABLE,
    ),
    (
        c_str!("Sensor B"),
        0,
        c_str!("Debayer B"),
        0,
        ENABLED | IMMUTABLE,
    ),
    (
        c_str!("Sensor B"),
        0,
        c_str!("Raw Capture 1"),
        0,
        ENABLED | IMMUTABLE,
    ),
    (c_str!("Debayer A"), 1, c_str!("Scaler"), 0, ENABLED),
    (c_str!("Debayer B"), 1, c_str!("Scaler"), 0, 0),
    (c_str!("RGB/YUV Input"), 0, c_str!("Scaler"), 0, 0),
    (
        c_str!("Scaler"),
        1,
        c_str!("RGB/YUV Capture"),
        0,
        ENABLED | IMMUTABLE,
    ),
];

/// C vimc's ancillary links: primary, ancillary.
const C_VIMC_ANCILLARY: &[(&CStr, &CStr)] = &[
    (c_str!("Sensor A"), c_str!("Lens A")),
    (c_str!("Sensor B"), c_str!("Lens B")),
];

/// The sensors, which are devices of their own: (device id, entity name,
/// software node name).
pub(crate) const SENSORS: &[(i32, &CStr, &CStr)] = &[
    (0, c_str!("Sensor A"), c_str!("vimc-sensor-a")),
    (1, c_str!("Sensor B"), c_str!("vimc-sensor-b")),
    (2, c_str!("RGB/YUV Input"), c_str!("vimc-rgb-yuv-input")),
];

#[cfg(vimc_rs_kunit)]
#[kernel::prelude::kunit_tests(vimc_rs_topology)]
mod tests {
    use super::*;

    // The checks go through `resolve`, which logs nothing: a test kernel
    // loads the module many times.

    /// What is wrong with `t`, if anything.
    fn problem(t: &Topology) -> Option<Problem> {
        t.resolve().err()
    }

    /// The rule a graph breaks, and the index of the link it blames.
    fn rule(t: &Topology) -> Option<(GraphError, Option<usize>)> {
        match problem(t) {
            Some(Problem::Graph(e, _)) => Some((e, link_of(e))),
            _ => None,
        }
    }

    /// Whether `t` is C vimc's graph, whole and valid.
    fn whole_c_vimc(t: &Topology) -> bool {
        t.entities.len() == 11
            && t.links.len() == 8
            && t.ancillary.len() == 2
            && problem(t).is_none()
    }

    fn same_kind(a: &Kind, b: &Kind) -> bool {
        a.name == b.name
    }

    /// C vimc's graph, with link `i`'s flags set to `flags`.
    fn c_vimc_with_flags(i: usize, flags: u32) -> Result<Topology> {
        let mut t = Topology::c_vimc()?;
        t.links[i].flags = flags;
        Ok(t)
    }

    /// C vimc's graph plus one disabled link (its ninth, index 8).
    fn c_vimc_plus(source: &CStr, source_pad: u16, sink: &CStr, sink_pad: u16) -> Result<Topology> {
        let mut t = Topology::c_vimc()?;
        t.link(c_str!("extra"), (source, source_pad), (sink, sink_pad), 0)?;
        Ok(t)
    }

    #[test]
    fn c_vimc_is_valid() -> Result {
        assert!(whole_c_vimc(&Topology::c_vimc()?));
        Ok(())
    }

    /// The order gives the entity ids: C vimc's, and its sensors are
    /// sensors.
    #[test]
    fn c_vimc_order_and_sensors() -> Result {
        let t = Topology::c_vimc()?;
        for (i, &(name, kind)) in C_VIMC_ENTITIES.iter().enumerate() {
            assert_eq!(t.index(name), Some(i));
            assert!(same_kind(t.entities[i].kind, kind));
            assert!(t.entities[i].format == kind.format);
        }
        for &(_, name, _) in SENSORS {
            let i = t.index(name).ok_or(ENOENT)?;
            assert!(same_kind(t.entities[i].kind, &sensor::KIND));
        }
        Ok(())
    }

    /// Debayer B's and the input's links into the scaler are disabled in C
    /// vimc: enabling one besides Debayer A's gives the sink two.
    #[test]
    fn one_enabled_link_per_sink() -> Result {
        for i in [5, 6] {
            assert!(matches!(
                rule(&c_vimc_with_flags(i, ENABLED)?),
                Some((GraphError::SinkTaken { other: 4, .. }, Some(l))) if l == i
            ));
        }
        // Moving the enabled link is fine.
        let mut t = c_vimc_with_flags(4, 0)?;
        t.links[6].flags = ENABLED;
        assert!(problem(&t).is_none());
        Ok(())
    }

    #[test]
    fn pads_must_exist_and_point_the_right_way() -> Result {
        let (deb, scaler, cap) = (
            c_str!("Debayer A"),
            c_str!("Scaler"),
            c_str!("Raw Capture 0"),
        );
        // Sensors have one pad, a source.
        assert_eq!(
            rule(&c_vimc_plus(c_str!("Sensor A"), 1, scaler, 0)?),
            Some((
                GraphError::NoPad {
                    link: 8,
                    side: Side::Source
                },
                Some(8)
            ))
        );
        // A sink pad as source, a source pad as sink.
        assert_eq!(
            rule(&c_vimc_plus(deb, 0, scaler, 0)?),
            Some((
                GraphError::WrongDirection {
                    link: 8,
                    side: Side::Source
                },
                Some(8)
            ))
        );
        assert_eq!(
            rule(&c_vimc_plus(deb, 1, scaler, 1)?),
            Some((
                GraphError::WrongDirection {
                    link: 8,
                    side: Side::Sink
                },
                Some(8)
            ))
        );
        // The lens has no pads at all.
        assert_eq!(
            rule(&c_vimc_plus(c_str!("Lens A"), 0, cap, 0)?),
            Some((
                GraphError::NoPad {
                    link: 8,
                    side: Side::Source
                },
                Some(8)
            ))
        );
        // The same two pads twice.
        assert_eq!(
            rule(&c_vimc_plus(c_str!("Debayer B"), 1, scaler, 0)?),
            Some((GraphError::Duplicate { link: 8, other: 5 }, Some(8)))
        );
        Ok(())
    }

    #[test]
    fn no_cycles_no_self_links() -> Result {
        let (deb, scaler) = (c_str!("Debayer A"), c_str!("Scaler"));
        assert_eq!(
            rule(&c_vimc_plus(scaler, 1, deb, 0)?),
            Some((GraphError::Cycle { link: 8 }, Some(8)))
        );
        assert_eq!(
            rule(&c_vimc_plus(scaler, 1, scaler, 0)?),
            Some((GraphError::SelfLink { link: 8 }, Some(8)))
        );
        Ok(())
    }

    /// Names and keys are unique, and refused additions leave nothing.
    #[test]
    fn names_and_keys_are_unique() -> Result {
        let mut t = Topology::c_vimc()?;
        let scaler = c_str!("Scaler");
        assert_eq!(t.entity(scaler, &scaler::KIND), Err(EEXIST));
        assert_eq!(
            t.add_entity(c_str!("new key"), scaler, &debayer::KIND),
            Err(EEXIST)
        );
        assert_eq!(
            t.add_entity(scaler, c_str!("new name"), &debayer::KIND),
            Err(EEXIST)
        );
        assert_eq!(t.add_link(scaler), Err(EEXIST));
        assert_eq!(t.add_ancillary(c_str!("link:0")), Err(EEXIST));
        assert_eq!(t.rename(scaler, c_str!("Debayer A")), Err(EEXIST));
        // Its own name again is no clash.
        t.rename(scaler, scaler)?;
        assert_eq!(t.rename(c_str!("nobody"), c_str!("x")), Err(ENOENT));
        assert!(whole_c_vimc(&t));
        Ok(())
    }

    /// Links name entities: they resolve when checked, after any edit.
    #[test]
    fn links_resolve_when_checked() -> Result {
        let (a, nobody, deb) = (c_str!("Sensor A"), c_str!("Sensor C"), c_str!("Debayer A"));
        let key = c_str!("l");
        let mut t = Topology::c_vimc()?;
        t.link(key, (a, 0), (nobody, 0), 0)?;
        assert_eq!(
            problem(&t),
            Some(Problem::NoEntity(EndOf::Link(8, Side::Sink)))
        );
        t.remove(key);
        assert!(problem(&t).is_none());
        // Incomplete links.
        t.add_link(key)?;
        assert_eq!(
            problem(&t),
            Some(Problem::NoEnd(EndOf::Link(8, Side::Source)))
        );
        t.at_mut::<Link>(key)?.source = Some((CString::try_from(a)?, 0));
        assert_eq!(
            problem(&t),
            Some(Problem::NoEnd(EndOf::Link(8, Side::Sink)))
        );
        t.remove(key);
        t.add_ancillary(key)?;
        t.at_mut::<Ancillary>(key)?.primary = Some(CString::try_from(a)?);
        assert_eq!(
            problem(&t),
            Some(Problem::NoEnd(EndOf::Ancillary(2, Side::Sink)))
        );
        t.remove(key);
        assert!(problem(&t).is_none());
        // A renamed entity is no longer found by its old name (C vimc's
        // first link is Sensor A's into Debayer A)...
        t.rename(deb, c_str!("Debayer X"))?;
        assert_eq!(
            problem(&t),
            Some(Problem::NoEntity(EndOf::Link(0, Side::Sink)))
        );
        // ...and once links name it again, the graph is whole.
        for l in t.links.iter_mut() {
            for (name, _) in [&mut l.source, &mut l.sink].into_iter().flatten() {
                if cstr_bytes(name) == cstr_bytes(deb) {
                    *name = CString::try_from(c_str!("Debayer X"))?;
                }
            }
        }
        assert!(problem(&t).is_none());
        // Removing an entity leaves its links dangling.
        t.remove(c_str!("Lens B"));
        assert_eq!(
            problem(&t),
            Some(Problem::NoEntity(EndOf::Ancillary(1, Side::Sink)))
        );
        Ok(())
    }

    /// An ancillary entity is another one, without pads (a lens).
    #[test]
    fn ancillary_links() -> Result {
        let (a, lens) = (c_str!("Sensor A"), c_str!("Lens A"));
        let (ia, il) = (0, 9);
        let mut t = Topology::c_vimc()?;
        t.ancillary(c_str!("x"), lens, a)?;
        assert_eq!(problem(&t), Some(Problem::Ancillary(2, il, ia)));
        let mut t = Topology::c_vimc()?;
        t.ancillary(c_str!("x"), lens, lens)?;
        assert_eq!(problem(&t), Some(Problem::Ancillary(2, il, il)));
        Ok(())
    }

    /// Initial formats: the kind's own kind of code, even sizes within
    /// the limits; none for a lens. A refused one changes nothing.
    #[test]
    fn initial_formats() -> Result {
        let (s, c, l) = (c_str!("s"), c_str!("c"), c_str!("l"));
        let mut t = Topology::new();
        t.entity(s, &sensor::KIND)?;
        t.entity(c, &capture::KIND)?;
        t.entity(l, &lens::KIND)?;
        let sensor = t.format(s)?;
        let capture = t.format(c)?;
        assert!(Some(sensor) == sensor::KIND.format && Some(capture) == capture::KIND.format);
        assert_eq!(t.format(l), Err(EINVAL));
        let odd = InitialFormat {
            width: 641,
            ..sensor
        };
        let huge = InitialFormat {
            height: 1 << 20,
            ..sensor
        };
        for f in [odd, huge, capture] {
            assert_eq!(t.set_format(s, f), Err(EINVAL));
        }
        assert_eq!(t.set_format(c, sensor), Err(EINVAL));
        assert_eq!(t.set_format(l, sensor), Err(EINVAL));
        assert!(t.format(s) == Ok(sensor) && t.format(c) == Ok(capture));
        let small = InitialFormat {
            width: 320,
            height: 240,
            ..sensor
        };
        t.set_format(s, small)?;
        assert!(t.format(s) == Ok(small));
        Ok(())
    }

    #[test]
    fn empty_graph_is_refused() {
        assert_eq!(rule(&Topology::new()), Some((GraphError::Empty, None)));
    }
}
