// SPDX-License-Identifier: GPL-2.0

//! The registry of entity kinds: each entity file exports its descriptor
//! ([`Kind`]), this lists them.

use crate::{
    capture, debayer, entity::Kind, lens, media::mc::pipeline::SubdevRef, scaler, sensor,
    stage::Stage,
};
use kernel::prelude::*;

/// Every kind.
const KINDS: &[&Kind] = &[
    &sensor::KIND,
    &debayer::KIND,
    &scaler::KIND,
    &capture::KIND,
    &lens::KIND,
];

/// The stage of one subdev upstream of a starting stream, by its kind
/// (`last` if it writes the capture buffer); -EINVAL for a subdev of no
/// streaming kind. (The device hands it to its capture nodes' streamers:
/// [`crate::streamer::Streaming`].)
pub(crate) fn stage_of(sd: &SubdevRef<'_>, last: bool) -> Result<KBox<dyn Stage>> {
    KINDS
        .iter()
        .filter_map(|k| k.stage)
        .find_map(|f| f(sd, last))
        .unwrap_or(Err(EINVAL))
}

/// The kind called `name`; `input` is C vimc's name for its RGB/YUV input,
/// a sensor.
pub(crate) fn by_name(name: &[u8]) -> Option<&'static Kind> {
    if name == b"input" {
        return Some(&sensor::KIND);
    }
    KINDS.iter().copied().find(|k| k.name == name)
}

#[cfg(vimc_rs_kunit)]
#[kernel::prelude::kunit_tests(vimc_rs_kinds)]
mod tests {
    use super::*;
    use crate::media::v4l2::subdev::pad::{SINK, SOURCE};

    #[test]
    fn each_kind_by_its_name() {
        for k in KINDS {
            assert!(by_name(k.name).is_some_and(|found| found.name == k.name));
        }
        // C vimc's name for its RGB/YUV input, a sensor.
        assert!(by_name(b"input").is_some_and(|k| k.name == sensor::KIND.name));
        for bad in [
            &b""[..],
            b"Sensor",
            b"sensor ",
            b"link",
            b"ancillary",
            b"sensor:a",
        ] {
            assert!(by_name(bad).is_none());
        }
    }

    #[test]
    fn names_are_unique() {
        for (i, a) in KINDS.iter().enumerate() {
            for b in &KINDS[i + 1..] {
                assert!(a.name != b.name);
            }
        }
    }

    /// Pads as C vimc's entities have them.
    #[test]
    fn pads_as_c_vimc() {
        assert!(sensor::KIND.pads == [SOURCE]);
        assert!(debayer::KIND.pads == [SINK, SOURCE]);
        assert!(scaler::KIND.pads == [SINK, SOURCE]);
        assert!(capture::KIND.pads == [SINK]);
        assert!(lens::KIND.pads.is_empty());
    }

    /// Each kind's initial format is one it takes; the lens has none.
    #[test]
    fn initial_formats_fit() -> Result {
        for k in KINDS {
            match k.format {
                Some(f) => assert!(f.fits(k)),
                None => assert!(k.pads.is_empty()),
            }
        }
        assert!(lens::KIND.format.is_none());
        // A pixel format is no bus code and the reverse.
        let sensor = sensor::KIND.format.ok_or(EINVAL)?;
        let capture = capture::KIND.format.ok_or(EINVAL)?;
        assert!(!sensor.fits(&capture::KIND));
        assert!(!capture.fits(&sensor::KIND));
        Ok(())
    }

    /// The kinds that stream are C vimc's with a `process_frame`.
    #[test]
    fn streaming_kinds() {
        assert!(sensor::KIND.stage.is_some());
        assert!(debayer::KIND.stage.is_some());
        assert!(scaler::KIND.stage.is_some());
        assert!(capture::KIND.stage.is_none());
        assert!(lens::KIND.stage.is_none());
        assert!(capture::KIND.node && KINDS.iter().filter(|k| k.node).count() == 1);
    }
}
