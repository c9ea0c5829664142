// SPDX-License-Identifier: GPL-2.0

//! The rules a media graph must keep before it is registered: pads that
//! exist and point the right way, no link from an entity to itself, no
//! cycle, at most one enabled link into a sink pad. Entities and links are
//! given by index; the caller names them in its messages.

/// Which way data crosses a pad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PadDir {
    /// Data enters the entity.
    Sink,
    /// Data leaves the entity.
    Source,
}

/// One end of a data link: entity index and pad index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    /// Index of the entity.
    pub entity: usize,
    /// Index of the pad in that entity.
    pub pad: u16,
}

/// A data link as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkDesc {
    /// Where data leaves.
    pub source: End,
    /// Where data enters.
    pub sink: End,
    /// Whether the link starts enabled.
    pub enabled: bool,
}

/// Which end of a link a problem is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The source end.
    Source,
    /// The sink end.
    Sink,
}

/// What is wrong with a graph; `link` is an index into the links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// No entities at all.
    Empty,
    /// The link names an entity that is not there.
    NoEntity { link: usize, side: Side },
    /// The link names a pad the entity does not have.
    NoPad { link: usize, side: Side },
    /// The pad exists but points the other way.
    WrongDirection { link: usize, side: Side },
    /// Source and sink are one entity.
    SelfLink { link: usize },
    /// Following links from the sink comes back to the source.
    Cycle { link: usize },
    /// Another enabled link already enters this sink pad.
    SinkTaken { link: usize, other: usize },
    /// The same source pad and sink pad are linked twice.
    Duplicate { link: usize, other: usize },
    /// The caller's scratch space is shorter than the entity count.
    Scratch,
}

fn check_end(
    entities: usize,
    pad: &impl Fn(End) -> Option<PadDir>,
    end: End,
    want: PadDir,
    link: usize,
    side: Side,
) -> Result<(), GraphError> {
    if end.entity >= entities {
        return Err(GraphError::NoEntity { link, side });
    }
    if pad(end).ok_or(GraphError::NoPad { link, side })? != want {
        return Err(GraphError::WrongDirection { link, side });
    }
    Ok(())
}

/// Whether `to` can be reached from `from` over `links`; `seen` marks the
/// entities already searched (each once, so the cost stays linear in links
/// per entity whatever the graph's shape; the depth is at most the entity
/// count).
fn reaches(links: &[LinkDesc], from: usize, to: usize, seen: &mut [bool]) -> bool {
    if from == to {
        return true;
    }
    if core::mem::replace(&mut seen[from], true) {
        return false;
    }
    links
        .iter()
        .filter(|l| l.source.entity == from)
        .any(|l| reaches(links, l.sink.entity, to, seen))
}

/// Checks a graph of `entities` entities, whose pads `pad` tells (the
/// direction of a pad, `None` for a pad the entity does not have), and data
/// links. Returns the first problem in link
/// order, so that the caller can name the link that broke the graph.
/// `seen` is scratch space of at least one entry per entity (this code
/// allocates nothing); a shorter one is [`GraphError::Scratch`].
pub fn validate(
    entities: usize,
    pad: impl Fn(End) -> Option<PadDir>,
    links: &[LinkDesc],
    seen: &mut [bool],
) -> Result<(), GraphError> {
    if entities == 0 {
        return Err(GraphError::Empty);
    }
    if seen.len() < entities {
        return Err(GraphError::Scratch);
    }
    for (i, l) in links.iter().enumerate() {
        check_end(entities, &pad, l.source, PadDir::Source, i, Side::Source)?;
        check_end(entities, &pad, l.sink, PadDir::Sink, i, Side::Sink)?;
        if l.source.entity == l.sink.entity {
            return Err(GraphError::SelfLink { link: i });
        }
        let earlier = &links[..i];
        if let Some(other) = earlier
            .iter()
            .position(|o| o.source == l.source && o.sink == l.sink)
        {
            return Err(GraphError::Duplicate { link: i, other });
        }
        if l.enabled {
            if let Some(other) = earlier.iter().position(|o| o.enabled && o.sink == l.sink) {
                return Err(GraphError::SinkTaken { link: i, other });
            }
        }
        // The earlier links hold no cycle, so this one closes one exactly
        // when its sink already reaches its source.
        seen[..entities].iter_mut().for_each(|s| *s = false);
        if reaches(earlier, l.sink.entity, l.source.entity, seen) {
            return Err(GraphError::Cycle { link: i });
        }
    }
    Ok(())
}
