// SPDX-License-Identifier: GPL-2.0

//! Sensor entity: a subdev with one source pad, any table format.

use crate::{
    controls::{self, Values},
    formats::{self, sensor, MbusFormat},
    media::{
        async_graph::Bound,
        ctrls::{cid, Def, Menu, MenuStrings},
        compat::{cstr_bytes, fmt},
        kthread::ktime_get_ns,
        pipeline::SubdevRef,
        platform,
        subdev::AsyncRegistration,
        subdev::{self, LockClass, State, Which},
        tpg::{Tpg, TpgControls, TpgFormat},
        v4l2_device::Registration,
        FrameSizes,
    },
    streamer, VimcShared,
};
use kernel::{alloc::VVec, c_str, prelude::*, sync::Arc};

pub(crate) struct Sensor {
    ctrls: Arc<Values>,
}

/// `Show Information` values.
const OSD_ALL: i32 = 0;
const OSD_COUNTERS: i32 = 1;

/// `Show Information` menu: what the on-screen text shows.
static OSD_MODES: MenuStrings<3> =
    MenuStrings::new([c_str!("All"), c_str!("Counters Only"), c_str!("None")]);

/// The sensor's controls, as C vimc creates them.
const CONTROLS: &[Def] = &[
    controls::CLASS,
    Def::Menu {
        id: controls::CID_TEST_PATTERN,
        name: c_str!("Test Pattern"),
        menu: Menu::TPG_PATTERNS,
    },
    Def::Menu {
        id: controls::CID_OSD_TEXT_MODE,
        name: c_str!("Show Information"),
        menu: OSD_MODES.menu(),
    },
    Def::Std {
        id: cid::VFLIP,
        range: (0, 1, 1, 0),
    },
    Def::Std {
        id: cid::HFLIP,
        range: (0, 1, 1, 0),
    },
    Def::Std {
        id: cid::BRIGHTNESS,
        range: (0, 255, 1, 128),
    },
    Def::Std {
        id: cid::CONTRAST,
        range: (0, 255, 1, 128),
    },
    Def::Std {
        id: cid::HUE,
        range: (-128, 127, 1, 0),
    },
    Def::Std {
        id: cid::SATURATION,
        range: (0, 255, 1, 128),
    },
];

/// The frame size range every vimc pad accepts.
pub(crate) const FRAME_SIZES: FrameSizes = FrameSizes {
    width: (formats::MIN_WIDTH, formats::MAX_WIDTH),
    height: (formats::MIN_HEIGHT, formats::MAX_HEIGHT),
};

impl subdev::Driver for Sensor {
    const FUNCTION: u32 = subdev::function::CAM_SENSOR;
    const PADS: &'static [u32] = &[subdev::pad::SOURCE];
    const CONTROLS: &'static [Def] = CONTROLS;
    const LOCKED_WHILE_STREAMING: bool = true;

    fn lock_class() -> &'static LockClass {
        static CLASS: LockClass = LockClass::new();
        &CLASS
    }

    fn s_ctrl(&self, id: u32, val: i32) -> Result {
        self.ctrls.set(id, val)
    }

    fn init_state(&self, state: &mut State<'_>) -> Result {
        state.set_format(0, &sensor::DEFAULT)
    }

    fn enum_mbus_code(&self, _pad: u32, index: u32) -> Result<u32> {
        sensor::enum_mbus_code(index).ok_or(EINVAL)
    }

    fn frame_sizes(&self, _pad: u32, code: u32) -> Option<FrameSizes> {
        sensor::frame_size_code_ok(code).then_some(FRAME_SIZES)
    }

    fn set_fmt(
        &self,
        state: &mut State<'_>,
        _which: Which,
        pad: u32,
        fmt: &mut MbusFormat,
    ) -> Result {
        sensor::adjust(fmt);
        state.set_format(pad, fmt)
    }
}

impl Sensor {
    /// The sensor's part of a starting stream: a pattern generator set to
    /// the active format, as C vimc's `s_stream(1)` does.
    /// `last`: the stage draws into the capture buffers, not a frame of its own.
    pub(crate) fn stage(&self, sd: &SubdevRef<'_>, last: bool) -> Result<SensorStage> {
        let fmt = sd.with_active_state(|st| st.format(0))?;
        let map = formats::by_code(fmt.code).ok_or(EINVAL)?;
        let bytesperline = fmt.width * map.bpp;
        // C vimc inits the generator at probe for the default size and
        // for lines up to the largest width.
        let mut tpg = Tpg::new(
            sensor::DEFAULT.width,
            sensor::DEFAULT.height,
            formats::MAX_WIDTH,
        )?;
        tpg.set_format(&TpgFormat {
            width: fmt.width,
            height: fmt.height,
            field: fmt.field,
            fourcc: map.pixelformat,
            bytesperline,
            color: fmt.color,
        })?;
        let len = (bytesperline * fmt.height) as usize;
        if tpg.frame_len() > len {
            return Err(EINVAL);
        }
        Ok(SensorStage {
            tpg,
            frame: streamer::stage_frame(len, last)?,
            ctrls: self.ctrls.clone(),
            size: (fmt.width, fmt.height),
            start_ns: ktime_get_ns(),
        })
    }
}

/// A streaming sensor: generator, frame and the controls it follows.
pub(crate) struct SensorStage {
    tpg: Tpg,
    frame: VVec<u8>,
    ctrls: Arc<Values>,
    size: (u32, u32),
    start_ns: u64,
}

impl SensorStage {
    /// Draws the next frame, with the on-screen text the control asks for,
    /// into `out` if given, else into the stage's own frame.
    pub(crate) fn process(&mut self, out: Option<&mut [u8]>) {
        let c = &self.ctrls;
        // Control values only change what the generator draws next; the
        // setters do nothing for unchanged values.
        self.tpg.set_controls(&TpgControls {
            pattern: c.get(controls::CID_TEST_PATTERN) as u32,
            hflip: c.get(cid::HFLIP) != 0,
            vflip: c.get(cid::VFLIP) != 0,
            brightness: c.get(cid::BRIGHTNESS) as u8,
            contrast: c.get(cid::CONTRAST) as u8,
            hue: c.get(cid::HUE) as i16,
            saturation: c.get(cid::SATURATION) as u8,
        });
        let frame = match out {
            Some(o) => o,
            None => &mut self.frame[..],
        };
        if self.tpg.fill(frame).is_err() {
            return;
        }
        let osd = c.get(controls::CID_OSD_TEXT_MODE);
        let mut line = 1;
        if osd == OSD_ALL {
            let order = self.tpg.color_order();
            let _ = self.tpg.text(frame, line * 16, fmt!("{}", order));
            line += 1;
            let _ = self.tpg.text(
                frame,
                line * 16,
                fmt!(
                    "brightness {:3}, contrast {:3}, saturation {:3}, hue {} ",
                    c.get(cid::BRIGHTNESS),
                    c.get(cid::CONTRAST),
                    c.get(cid::SATURATION),
                    c.get(cid::HUE)
                ),
            );
            line += 1;
            let _ = self.tpg.text(
                frame,
                line * 16,
                fmt!("sensor size: {}x{}", self.size.0, self.size.1),
            );
            line += 1;
        }
        if osd == OSD_ALL || osd == OSD_COUNTERS {
            let ms = (ktime_get_ns() - self.start_ns) / 1_000_000;
            let _ = self.tpg.text(
                frame,
                line * 16,
                fmt!(
                    "{:02}:{:02}:{:02}:{:03}",
                    (ms / (60 * 60 * 1000)) % 24,
                    (ms / (60 * 1000)) % 60,
                    (ms / 1000) % 60,
                    ms % 1000
                ),
            );
        }
    }

    /// The last frame drawn.
    pub(crate) fn output(&self) -> &[u8] {
        &self.frame
    }
}

/// Adds the bound sensor called `name`.
pub(crate) fn add(
    reg: &mut Registration<VimcShared>,
    name: &'static CStr,
    bound: &[Bound<'_>],
) -> Result<usize> {
    bound
        .iter()
        .find(|b| cstr_bytes(b.name()) == cstr_bytes(name))
        .ok_or(ENODEV)?
        .add_to::<Sensor, _>(reg)
}

/// The sensor called `name` of the sensor device `dev`, registered with
/// v4l2-async until dropped (the device's remove).
pub(crate) fn register(
    dev: &platform::Device<'_>,
    name: &'static CStr,
) -> Result<AsyncRegistration<Sensor>> {
    let ctrls = Values::new(CONTROLS)?;
    AsyncRegistration::new(dev, &crate::media::THIS_MODULE, name, Sensor { ctrls })
}
