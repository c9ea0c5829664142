// SPDX-License-Identifier: GPL-2.0

//! The graph rules, on C vimc's graph and on each way to break one.

use vimc_pixel::graph::{End, GraphError, LinkDesc, PadDir, Side};
use PadDir::{Sink, Source};

fn validate(pads: &[&[PadDir]], links: &[LinkDesc]) -> Result<(), GraphError> {
    let mut seen = vec![false; pads.len()];
    let pad = |e: End| pads[e.entity].get(usize::from(e.pad)).copied();
    vimc_pixel::graph::validate(pads.len(), pad, links, &mut seen)
}

const SENSOR: &[PadDir] = &[Source];
const BRIDGE: &[PadDir] = &[Sink, Source];
const CAPTURE: &[PadDir] = &[Sink];
const LENS: &[PadDir] = &[];

fn link(source: (usize, u16), sink: (usize, u16), enabled: bool) -> LinkDesc {
    LinkDesc {
        source: End {
            entity: source.0,
            pad: source.1,
        },
        sink: End {
            entity: sink.0,
            pad: sink.1,
        },
        enabled,
    }
}

#[test]
fn c_vimc_graph_is_valid() {
    // Sensor A, Sensor B, Debayer A, Debayer B, Raw Capture 0, Raw Capture 1,
    // RGB/YUV Input, Scaler, RGB/YUV Capture, Lens A, Lens B.
    let pads = [
        SENSOR, SENSOR, BRIDGE, BRIDGE, CAPTURE, CAPTURE, SENSOR, BRIDGE, CAPTURE, LENS, LENS,
    ];
    let links = [
        link((0, 0), (2, 0), true),
        link((0, 0), (4, 0), true),
        link((1, 0), (3, 0), true),
        link((1, 0), (5, 0), true),
        link((2, 1), (7, 0), true),
        link((3, 1), (7, 0), false),
        link((6, 0), (7, 0), false),
        link((7, 1), (8, 0), true),
    ];
    assert_eq!(validate(&pads, &links), Ok(()));
}

#[test]
fn chains_and_fan_out_are_valid() {
    // sensor -> debayer -> scaler -> scaler -> capture, and the sensor also
    // into a second capture.
    let pads = [SENSOR, BRIDGE, BRIDGE, BRIDGE, CAPTURE, CAPTURE];
    let links = [
        link((0, 0), (1, 0), true),
        link((1, 1), (2, 0), true),
        link((2, 1), (3, 0), true),
        link((3, 1), (4, 0), true),
        link((0, 0), (5, 0), true),
    ];
    assert_eq!(validate(&pads, &links), Ok(()));
    // No links at all is a valid (if useless) graph.
    assert_eq!(validate(&pads, &[]), Ok(()));
}

#[test]
fn empty_graph() {
    assert_eq!(validate(&[], &[]), Err(GraphError::Empty));
}

#[test]
fn missing_entity_or_pad() {
    let pads = [SENSOR, CAPTURE];
    assert_eq!(
        validate(&pads, &[link((2, 0), (1, 0), true)]),
        Err(GraphError::NoEntity {
            link: 0,
            side: Side::Source
        })
    );
    assert_eq!(
        validate(&pads, &[link((0, 0), (1, 1), true)]),
        Err(GraphError::NoPad {
            link: 0,
            side: Side::Sink
        })
    );
    assert_eq!(
        validate(
            &pads,
            &[link((0, 0), (1, 0), true), link((0, 0), (9, 0), true)]
        ),
        Err(GraphError::NoEntity {
            link: 1,
            side: Side::Sink
        })
    );
}

#[test]
fn wrong_direction() {
    let pads = [SENSOR, BRIDGE];
    // Into the bridge's source pad.
    assert_eq!(
        validate(&pads, &[link((0, 0), (1, 1), true)]),
        Err(GraphError::WrongDirection {
            link: 0,
            side: Side::Sink
        })
    );
    // Out of the bridge's sink pad.
    assert_eq!(
        validate(&pads, &[link((1, 0), (0, 0), true)]),
        Err(GraphError::WrongDirection {
            link: 0,
            side: Side::Source
        })
    );
}

#[test]
fn self_link() {
    assert_eq!(
        validate(&[BRIDGE], &[link((0, 1), (0, 0), false)]),
        Err(GraphError::SelfLink { link: 0 })
    );
}

#[test]
fn cycles_are_found_whatever_their_length_or_flags() {
    let pads = [BRIDGE, BRIDGE, BRIDGE];
    assert_eq!(
        validate(
            &pads,
            &[link((0, 1), (1, 0), true), link((1, 1), (0, 0), false)]
        ),
        Err(GraphError::Cycle { link: 1 })
    );
    assert_eq!(
        validate(
            &pads,
            &[
                link((0, 1), (1, 0), false),
                link((1, 1), (2, 0), true),
                link((2, 1), (0, 0), false)
            ]
        ),
        Err(GraphError::Cycle { link: 2 })
    );
}

#[test]
fn one_enabled_link_per_sink_pad() {
    let pads = [SENSOR, SENSOR, CAPTURE];
    // Two links into one sink, one enabled: as C vimc's scaler input.
    assert_eq!(
        validate(
            &pads,
            &[link((0, 0), (2, 0), true), link((1, 0), (2, 0), false)]
        ),
        Ok(())
    );
    assert_eq!(
        validate(
            &pads,
            &[link((0, 0), (2, 0), true), link((1, 0), (2, 0), true)]
        ),
        Err(GraphError::SinkTaken { link: 1, other: 0 })
    );
}

#[test]
fn duplicate_link() {
    let pads = [SENSOR, CAPTURE];
    assert_eq!(
        validate(
            &pads,
            &[link((0, 0), (1, 0), false), link((0, 0), (1, 0), false)]
        ),
        Err(GraphError::Duplicate { link: 1, other: 0 })
    );
}

#[test]
fn wide_graphs_are_checked_in_bounded_depth() {
    // A long chain of bridges, then a link back to its start.
    const N: usize = 64;
    let pads = [BRIDGE; N];
    let mut links: Vec<LinkDesc> = (0..N - 1).map(|i| link((i, 1), (i + 1, 0), true)).collect();
    assert_eq!(validate(&pads, &links), Ok(()));
    links.push(link((N - 1, 1), (0, 0), false));
    assert_eq!(
        validate(&pads, &links),
        Err(GraphError::Cycle { link: N - 1 })
    );
}

#[test]
fn short_scratch_is_refused() {
    let mut seen = [false; 1];
    assert_eq!(
        vimc_pixel::graph::validate(2, |_| Some(Sink), &[], &mut seen),
        Err(GraphError::Scratch)
    );
}

#[test]
fn diamonds_are_checked_in_linear_time() {
    // 40 layers of two bridges, each feeding both of the next layer: 2^40
    // paths, which a search without a visited set would walk.
    const LAYERS: usize = 40;
    let pads = vec![BRIDGE; 2 * LAYERS];
    let mut links = Vec::new();
    for l in 0..LAYERS - 1 {
        for a in 0..2 {
            for b in 0..2 {
                links.push(link((2 * l + a, 1), (2 * (l + 1) + b, 0), false));
            }
        }
    }
    assert_eq!(validate(&pads, &links), Ok(()));
    links.push(link((2 * LAYERS - 1, 1), (0, 0), false));
    assert_eq!(
        validate(&pads, &links),
        Err(GraphError::Cycle {
            link: links.len() - 1
        })
    );
}
