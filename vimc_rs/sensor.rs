// SPDX-License-Identifier: GPL-2.0

//! Sensor entity: a subdev with one source pad, any table format.

use crate::{
    controls::{self, Values},
    device::VimcShared,
    entity::{InitialFormat, Kind},
    formats::{self, sensor, MbusFormat},
    media::{
        compat::{cstr_bytes, fmt},
        kcompat::{kthread::ktime_get_ns, platform},
        mc::pipeline::SubdevRef,
        v4l2::{
            async_graph::Bound,
            ctrls::{cid, Def, Menu, MenuStrings},
            graph::Build,
            subdev::{self, AsyncRegistration, State, Which},
            tpg::{Tpg, TpgControls, TpgFormat},
            types::FrameSizes,
            video_device::Plane,
        },
    },
    stage::{boxed, stage_fn, stage_frame, Out, Stage, StageKind},
};
use kernel::{alloc::VVec, c_str, prelude::*, sync::Arc};

#[cfg(vimc_sensor_timing)]
use crate::formats::sensor::timing;

pub(crate) struct Sensor {
    ctrls: Arc<Values>,
    /// Its pad's initial format.
    format: MbusFormat,
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
    // The frame timing controls of the C vimc we run beside, if it has them.
    #[cfg(vimc_sensor_timing)]
    Def::StdReadOnly {
        id: cid::PIXEL_RATE,
        range: (
            timing::PIXEL_RATE,
            timing::PIXEL_RATE,
            1,
            timing::PIXEL_RATE,
        ),
    },
    #[cfg(vimc_sensor_timing)]
    Def::StdReadOnly {
        id: cid::HBLANK,
        range: (timing::HBLANK, timing::HBLANK, 1, timing::HBLANK),
    },
    #[cfg(vimc_sensor_timing)]
    Def::Std {
        id: cid::VBLANK,
        range: (
            timing::VBLANK_MIN,
            timing::VBLANK_MAX,
            timing::VBLANK_STEP,
            timing::VBLANK_DEFAULT,
        ),
    },
];

#[vtable]
impl subdev::Driver for Sensor {
    const FUNCTION: u32 = subdev::function::CAM_SENSOR;
    const PADS: &'static [u32] = &[subdev::pad::SOURCE];
    const CONTROLS: &'static [Def] = CONTROLS;
    const LOCKED_WHILE_STREAMING: bool = true;

    fn s_ctrl(&self, id: u32, val: i32) -> Result {
        self.ctrls.set(id, val)
    }

    fn init_state(&self, state: &mut State<'_>) -> Result {
        state.set_format(0, &self.format)
    }

    fn enum_mbus_code(&self, _pad: u32, index: u32) -> Result<u32> {
        sensor::enum_mbus_code(index).ok_or(EINVAL)
    }

    fn frame_sizes(&self, _pad: u32, code: u32) -> Option<FrameSizes> {
        sensor::frame_size_code_ok(code).then_some(formats::FRAME_SIZES)
    }

    fn set_fmt(
        &self,
        state: &mut State<'_>,
        _which: Which,
        pad: u32,
        fmt: &mut MbusFormat,
    ) -> Result {
        sensor::adjust(fmt);
        state.set_format(pad, fmt)?;
        // As C vimc, without failing the format on a control error.
        #[cfg(vimc_sensor_timing)]
        if _which == Which::Active {
            let vblank = timing::vblank(fmt.width, fmt.height);
            if let Some(mut c) = state.controls() {
                let _ = c.modify_range(
                    cid::VBLANK,
                    (
                        timing::VBLANK_MIN,
                        timing::VBLANK_MAX,
                        timing::VBLANK_STEP,
                        vblank,
                    ),
                );
                let _ = c.set(cid::VBLANK, vblank as i32);
            }
        }
        Ok(())
    }
}

impl StageKind for Sensor {
    /// The sensor's part of a starting stream: a pattern generator set to
    /// the active format, as C vimc's `s_stream(1)` does.
    fn stage(&self, sd: &SubdevRef<'_>, last: bool) -> Result<KBox<dyn Stage>> {
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
        boxed(SensorStage {
            tpg,
            // The generator writes the buffer itself: no line needed.
            frame: stage_frame(len, 0, last)?,
            ctrls: self.ctrls.clone(),
            size: (fmt.width, fmt.height),
            start_ns: ktime_get_ns(),
        })
    }
}

/// A streaming sensor: generator, frame (none if it is the last stage) and
/// the controls it follows.
pub(crate) struct SensorStage {
    tpg: Tpg,
    frame: VVec<u8>,
    ctrls: Arc<Values>,
    size: (u32, u32),
    start_ns: u64,
}

impl SensorStage {
    /// Draws the next frame into `frame`, with the on-screen text the
    /// control asks for.
    fn draw(&mut self, frame: &mut Plane<'_>) -> Result {
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
        self.tpg.fill(frame)?;
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
        Ok(())
    }
}

impl Stage for SensorStage {
    /// Draws the next frame (a source: no input).
    fn process(&mut self, _input: &[u8], to: Out<'_, '_>) -> Result {
        match to {
            Out::Own => {
                // Out of `self` while it is drawn, so that `draw` has the
                // rest of `self`; allocation-free both ways.
                let mut frame = core::mem::replace(&mut self.frame, VVec::new());
                let drawn = self.draw(&mut Plane::from(&mut frame[..]));
                self.frame = frame;
                drawn
            }
            Out::Buffer(plane) => {
                // A `TOP` or `BOTTOM` field fills half the lines: the rest
                // reads as zeros, as the stage's own zeroed frame did (C
                // vimc copies its unzeroed frame there).
                plane.clear_from(self.tpg.filled_len());
                self.draw(plane)
            }
        }
    }

    /// How long the streamer waits after each frame, in jiffies: by the
    /// sensor's timing controls, read each frame as C vimc does.
    #[cfg(vimc_sensor_timing)]
    fn frame_interval(&self) -> Option<u64> {
        let vblank = self.ctrls.get(cid::VBLANK);
        Some(
            crate::media::kcompat::kthread::nsecs_to_jiffies(timing::interval_ns(
                self.size.0,
                self.size.1,
                vblank,
            ))
            .max(1),
        )
    }

    /// The last frame drawn.
    fn output(&self) -> &[u8] {
        &self.frame
    }
}

/// The sensor kind.
pub(crate) const KIND: Kind = Kind {
    name: b"sensor",
    pads: <Sensor as subdev::Driver>::PADS,
    format: InitialFormat::of(&formats::sensor::DEFAULT),
    code_ok: formats::sensor::frame_size_code_ok,
    node: false,
    add,
    stage: Some(stage_fn::<Sensor>),
};

/// Adds the sensor called `name`: the bound one of that name (C vimc's
/// device, whose sensors are devices of their own), else a new one (a
/// configfs device's).
fn add(
    reg: &mut Build<'_, VimcShared>,
    name: &CStr,
    format: Option<&InitialFormat>,
    bound: &[Bound<'_>],
) -> Result<usize> {
    match bound
        .iter()
        .find(|b| cstr_bytes(b.name()) == cstr_bytes(name))
    {
        Some(b) => b.add_to::<Sensor, _>(reg),
        None => {
            let ctrls = Values::new(CONTROLS)?;
            let format = format.ok_or(EINVAL)?.mbus();
            reg.add_subdev(name, Sensor { ctrls, format })
        }
    }
}

/// The sensor called `name` of the sensor device `dev`, registered with
/// v4l2-async until dropped (the device's remove).
pub(crate) fn register(
    dev: &platform::Device<'_>,
    name: &'static CStr,
) -> Result<AsyncRegistration<Sensor>> {
    let sensor = Sensor {
        ctrls: Values::new(CONTROLS)?,
        format: sensor::DEFAULT,
    };
    AsyncRegistration::new(dev, &crate::media::THIS_MODULE, name, sensor)
}
