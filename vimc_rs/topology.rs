// SPDX-License-Identifier: GPL-2.0

//! The media graph as a value: entities and links by name, checked as they
//! are added, and C vimc's graph (6.12's) as one such value.

use crate::media::compat::fmt;
use crate::{
    capture, debayer,
    device::VimcShared,
    entity::{InitialFormat, Kind},
    graph::{self, End, GraphError, LinkDesc, PadDir, Side},
    lens,
    media::{
        compat::cstr_bytes,
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
    /// Entity name, as `media-ctl -p` shows it.
    name: CString,
    kind: &'static Kind,
    /// Its initial format, if its kind has one.
    format: Option<InitialFormat>,
}

/// A data link, between entities by their index in the topology.
struct Link {
    source: (usize, u16),
    sink: (usize, u16),
    flags: u32,
}

/// A media graph to build: entities in creation order (which gives their
/// ids), data links and ancillary links in creation order.
///
/// # Invariants
///
/// Entity names are unique; every link names entities of `entities`.
pub(crate) struct Topology {
    entities: KVec<Entity>,
    links: KVec<Link>,
    /// (primary, ancillary).
    ancillary: KVec<(usize, usize)>,
}

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

    fn index(&self, name: &CStr) -> Result<usize> {
        self.entities
            .iter()
            .position(|e| cstr_bytes(&e.name) == cstr_bytes(name))
            .ok_or(ENOENT)
    }

    /// Adds an entity of `kind` called `name`, with its kind's initial
    /// format; -EEXIST if the name is taken.
    pub(crate) fn entity(&mut self, name: &CStr, kind: &'static Kind) -> Result {
        self.entity_with(name, kind, kind.format)
    }

    /// Adds an entity of `kind` called `name` that starts with `format`
    /// (`None` for a kind without formats); -EEXIST if the name is taken,
    /// -EINVAL for a format the kind does not take.
    pub(crate) fn entity_with(
        &mut self,
        name: &CStr,
        kind: &'static Kind,
        format: Option<InitialFormat>,
    ) -> Result {
        if self.index(name).is_ok() {
            return Err(EEXIST);
        }
        if format.is_some() != kind.format.is_some() || format.is_some_and(|f| !f.fits(kind)) {
            return Err(EINVAL);
        }
        let name = CString::try_from_fmt(fmt!("{}", name))?;
        // INVARIANT: the name is new.
        self.entities
            .push(Entity { name, kind, format }, GFP_KERNEL)?;
        Ok(())
    }

    /// Adds a data link from pad `source_pad` of `source` to pad `sink_pad`
    /// of `sink`; -ENOENT if either entity is missing. (Whether the pads
    /// exist, the media core checks when the graph is built.)
    pub(crate) fn link(
        &mut self,
        source: &CStr,
        source_pad: u16,
        sink: &CStr,
        sink_pad: u16,
        flags: u32,
    ) -> Result {
        let link = Link {
            source: (self.index(source)?, source_pad),
            sink: (self.index(sink)?, sink_pad),
            flags,
        };
        // INVARIANT: both ends are entities of the topology.
        self.links.push(link, GFP_KERNEL)?;
        Ok(())
    }

    /// Adds an ancillary link from `primary` to `ancillary`.
    pub(crate) fn ancillary(&mut self, primary: &CStr, ancillary: &CStr) -> Result {
        let pair = (self.index(primary)?, self.index(ancillary)?);
        // INVARIANT: both ends are entities of the topology.
        self.ancillary.push(pair, GFP_KERNEL)?;
        Ok(())
    }

    fn name(&self, entity: usize) -> &CStr {
        self.entities.get(entity).map_or(c_str!("?"), |e| &e.name)
    }

    /// Checks the graph before anything of it is registered: the rules of
    /// [`graph::validate`] for data links, and ancillary links from an
    /// entity to another that has no pads (a lens). -EINVAL with one log
    /// line naming the link if broken.
    pub(crate) fn validate(&self) -> Result {
        let mut links = KVec::with_capacity(self.links.len(), GFP_KERNEL)?;
        for l in self.links.iter() {
            let desc = LinkDesc {
                source: End {
                    entity: l.source.0,
                    pad: l.source.1,
                },
                sink: End {
                    entity: l.sink.0,
                    pad: l.sink.1,
                },
                enabled: l.flags & ENABLED != 0,
            };
            links.push(desc, GFP_KERNEL)?;
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
        if let Err(e) = graph::validate(self.entities.len(), pad, &links, &mut seen) {
            self.report(e);
            return Err(EINVAL);
        }
        for &(primary, ancillary) in self.ancillary.iter() {
            if primary == ancillary || !self.entities[ancillary].kind.pads.is_empty() {
                pr_err!(
                    "ancillary link \"{}\" -> \"{}\": the ancillary entity must be another one, without pads\n",
                    self.name(primary),
                    self.name(ancillary)
                );
                return Err(EINVAL);
            }
        }
        Ok(())
    }

    /// Logs what `e` says is wrong, naming the link by its ends.
    fn report(&self, e: GraphError) {
        let (link, what) = match e {
            GraphError::Empty => {
                pr_err!("the graph has no entities\n");
                return;
            }
            GraphError::Scratch => {
                pr_err!("graph check without scratch space\n");
                return;
            }
            GraphError::NoEntity {
                link,
                side: Side::Source,
            } => (link, "no such source entity"),
            GraphError::NoEntity {
                link,
                side: Side::Sink,
            } => (link, "no such sink entity"),
            GraphError::NoPad {
                link,
                side: Side::Source,
            } => (link, "the source has no such pad"),
            GraphError::NoPad {
                link,
                side: Side::Sink,
            } => (link, "the sink has no such pad"),
            GraphError::WrongDirection {
                link,
                side: Side::Source,
            } => (link, "not a source pad"),
            GraphError::WrongDirection {
                link,
                side: Side::Sink,
            } => (link, "not a sink pad"),
            GraphError::SelfLink { link } => (link, "an entity linked to itself"),
            GraphError::Cycle { link } => (link, "it closes a cycle"),
            GraphError::SinkTaken { link, .. } => {
                (link, "another enabled link enters that sink pad")
            }
            GraphError::Duplicate { link, .. } => (link, "those pads are already linked"),
        };
        let Some(l) = self.links.get(link) else {
            return;
        };
        pr_err!(
            "link \"{}\":{} -> \"{}\":{}: {}\n",
            self.name(l.source.0),
            l.source.1,
            self.name(l.sink.0),
            l.sink.1,
            what
        );
    }

    /// Checks the graph, creates it on `device` (entities first, then
    /// links) and registers its nodes: a graph without async subdevs.
    pub(crate) fn register(
        &self,
        device: &v4l2_device::Device<VimcShared>,
    ) -> Result<Graph<VimcShared>> {
        let mut graph = Builder::on(device)?;
        self.build(&mut Build::new(&mut graph), &[])?;
        graph.register()
    }

    /// Checks the graph and adds it to `reg` with the `bound` sensors,
    /// entities first, then links.
    pub(crate) fn build(&self, reg: &mut Build<'_, VimcShared>, bound: &[Bound<'_>]) -> Result {
        self.validate()?;
        for (i, e) in self.entities.iter().enumerate() {
            let index = (e.kind.add)(reg, &e.name, e.format.as_ref(), bound)?;
            // Links refer to entities by their position here.
            if index != i {
                return Err(EINVAL);
            }
        }
        for l in self.links.iter() {
            reg.link(l.source.0, l.source.1, l.sink.0, l.sink.1, l.flags)?;
        }
        for &(primary, ancillary) in self.ancillary.iter() {
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
        for &(source, source_pad, sink, sink_pad, flags) in C_VIMC_LINKS {
            t.link(source, source_pad, sink, sink_pad, flags)?;
        }
        for &(primary, ancillary) in C_VIMC_ANCILLARY {
            t.ancillary(primary, ancillary)?;
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
