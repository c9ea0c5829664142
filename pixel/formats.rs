// SPDX-License-Identifier: GPL-2.0

//! Format tables and format negotiation of vimc, as pure data and
//! functions: no kernel types, so the host crate tests them too.

pub use super::v4l2::{
    color, field, mbus, pix, Colorimetry, FrameSizes, MbusFormat, PixFormat, Rect,
};

/// Frame size limits of every vimc entity.
pub const MIN_WIDTH: u32 = 16;
/// See [`MIN_WIDTH`].
pub const MAX_WIDTH: u32 = 4096;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u32 = 16;
/// See [`MIN_WIDTH`].
pub const MAX_HEIGHT: u32 = 2160;

/// The frame size range every vimc pad accepts.
pub const FRAME_SIZES: FrameSizes = FrameSizes {
    width: (MIN_WIDTH, MAX_WIDTH),
    height: (MIN_HEIGHT, MAX_HEIGHT),
};

/// A pixel format and the bus codes that carry it.
pub struct PixMap {
    /// Bus codes, in enumeration order.
    pub codes: &'static [u32],
    /// Bytes per pixel in memory.
    pub bpp: u32,
    /// V4L2 pixel format.
    pub pixelformat: u32,
    /// Raw Bayer data.
    pub bayer: bool,
}

macro_rules! bayer_map {
    ($code:ident, $pix:ident, $bpp:expr) => {
        PixMap {
            codes: &[mbus::$code],
            bpp: $bpp,
            pixelformat: pix::$pix,
            bayer: true,
        }
    };
}

/// The table, in the order C vimc enumerates it.
pub static PIX_MAPS: &[PixMap] = &[
    PixMap {
        codes: &[mbus::BGR888_1X24, mbus::BGR888_3X8],
        bpp: 3,
        pixelformat: pix::BGR24,
        bayer: false,
    },
    PixMap {
        codes: &[
            mbus::RGB888_1X24,
            mbus::RGB888_2X12_BE,
            mbus::RGB888_2X12_LE,
            mbus::RGB888_3X8,
            mbus::RGB888_1X7X4_SPWG,
            mbus::RGB888_1X7X4_JEIDA,
            mbus::RGB888_1X32_PADHI,
            mbus::GBR888_1X24,
        ],
        bpp: 3,
        pixelformat: pix::RGB24,
        bayer: false,
    },
    PixMap {
        codes: &[mbus::ARGB8888_1X32],
        bpp: 4,
        pixelformat: pix::ARGB32,
        bayer: false,
    },
    bayer_map!(SBGGR8_1X8, SBGGR8, 1),
    bayer_map!(SGBRG8_1X8, SGBRG8, 1),
    bayer_map!(SGRBG8_1X8, SGRBG8, 1),
    bayer_map!(SRGGB8_1X8, SRGGB8, 1),
    bayer_map!(SBGGR10_1X10, SBGGR10, 2),
    bayer_map!(SGBRG10_1X10, SGBRG10, 2),
    bayer_map!(SGRBG10_1X10, SGRBG10, 2),
    bayer_map!(SRGGB10_1X10, SRGGB10, 2),
    bayer_map!(SBGGR10_ALAW8_1X8, SBGGR10ALAW8, 1),
    bayer_map!(SGBRG10_ALAW8_1X8, SGBRG10ALAW8, 1),
    bayer_map!(SGRBG10_ALAW8_1X8, SGRBG10ALAW8, 1),
    bayer_map!(SRGGB10_ALAW8_1X8, SRGGB10ALAW8, 1),
    bayer_map!(SBGGR10_DPCM8_1X8, SBGGR10DPCM8, 1),
    bayer_map!(SGBRG10_DPCM8_1X8, SGBRG10DPCM8, 1),
    bayer_map!(SGRBG10_DPCM8_1X8, SGRBG10DPCM8, 1),
    bayer_map!(SRGGB10_DPCM8_1X8, SRGGB10DPCM8, 1),
    bayer_map!(SBGGR12_1X12, SBGGR12, 2),
    bayer_map!(SGBRG12_1X12, SGBRG12, 2),
    bayer_map!(SGRBG12_1X12, SGRBG12, 2),
    bayer_map!(SRGGB12_1X12, SRGGB12, 2),
];

/// The `index`th pixel format.
pub fn by_index(index: u32) -> Option<&'static PixMap> {
    PIX_MAPS.get(index as usize)
}

/// The `index`th bus code over the whole table.
pub fn mbus_code_by_index(index: u32) -> Option<u32> {
    PIX_MAPS
        .iter()
        .flat_map(|m| m.codes.iter())
        .nth(index as usize)
        .copied()
}

/// The pixel format a bus code carries.
pub fn by_code(code: u32) -> Option<&'static PixMap> {
    PIX_MAPS.iter().find(|m| m.codes.contains(&code))
}

/// The entry of a pixel format.
pub fn by_pixelformat(pixelformat: u32) -> Option<&'static PixMap> {
    PIX_MAPS.iter().find(|m| m.pixelformat == pixelformat)
}

impl Colorimetry {
    /// vimc's `vimc_colorimetry_clamp()`: unknown values become DEFAULT.
    pub fn clamp(&mut self) {
        use color::*;
        if self.colorspace == COLORSPACE_DEFAULT || self.colorspace > COLORSPACE_DCI_P3 {
            *self = Colorimetry::default();
        }
        if self.ycbcr_enc > YCBCR_ENC_SMPTE240M {
            self.ycbcr_enc = YCBCR_ENC_DEFAULT;
        }
        if self.quantization > QUANTIZATION_LIM_RANGE {
            self.quantization = QUANTIZATION_DEFAULT;
        }
        if self.xfer_func > XFER_FUNC_SMPTE2084 {
            self.xfer_func = XFER_FUNC_DEFAULT;
        }
    }
}

/// Clamps a frame size to the limits and rounds it down to even, as every
/// vimc entity does.
pub fn clamp_size(width: u32, height: u32) -> (u32, u32) {
    (
        width.clamp(MIN_WIDTH, MAX_WIDTH) & !1,
        height.clamp(MIN_HEIGHT, MAX_HEIGHT) & !1,
    )
}

impl PixFormat {
    /// The capture nodes' default: RGB24 640x480 progressive sRGB.
    pub const DEFAULT: PixFormat = PixFormat {
        width: 640,
        height: 480,
        pixelformat: pix::RGB24,
        field: field::NONE,
        bytesperline: 640 * 3,
        sizeimage: 640 * 3 * 480,
        color: Colorimetry {
            colorspace: color::COLORSPACE_SRGB,
            ycbcr_enc: 0,
            quantization: 0,
            xfer_func: 0,
        },
    };

    /// `VIDIOC_TRY_FMT` of a capture node: adjusts `self` to what the node
    /// accepts, never fails.
    pub fn try_capture(&mut self) {
        (self.width, self.height) = clamp_size(self.width, self.height);
        let map = match by_pixelformat(self.pixelformat) {
            Some(m) => m,
            None => {
                self.pixelformat = Self::DEFAULT.pixelformat;
                // The default is in the table.
                by_pixelformat(self.pixelformat).unwrap_or(&PIX_MAPS[1])
            }
        };
        self.bytesperline = self.width * map.bpp;
        self.sizeimage = self.bytesperline * self.height;
        if self.field == field::ANY {
            self.field = Self::DEFAULT.field;
        }
        self.color.clamp();
        if self.color.colorspace == color::COLORSPACE_DEFAULT {
            self.color.colorspace = Self::DEFAULT.color.colorspace;
        }
    }
}

impl PixFormat {
    /// The pixel view of a subdev pad format, as `vimc_get_pix_format()`
    /// builds it for link validation (no line or frame size).
    pub fn of_mbus(f: &MbusFormat) -> Option<PixFormat> {
        Some(PixFormat {
            width: f.width,
            height: f.height,
            pixelformat: by_code(f.code)?.pixelformat,
            field: f.field,
            bytesperline: 0,
            sizeimage: 0,
            color: f.color,
        })
    }

    /// `vimc_vdev_link_validate()`: whether a link from a pad with format
    /// `source` into a capture node with format `sink` may stream.
    pub fn link_ok(source: &PixFormat, sink: &PixFormat) -> bool {
        use color::*;
        if source.width != sink.width
            || source.height != sink.height
            || source.pixelformat != sink.pixelformat
        {
            return false;
        }
        if source.field != sink.field && sink.field != field::NONE {
            return false;
        }
        let (a, b) = (&source.color, &sink.color);
        if a.colorspace == COLORSPACE_DEFAULT || b.colorspace == COLORSPACE_DEFAULT {
            return true;
        }
        // Each other field must match unless either side leaves it DEFAULT (0).
        let differ = |x: u32, y: u32| x != 0 && y != 0 && x != y;
        a.colorspace == b.colorspace
            && !differ(a.ycbcr_enc, b.ycbcr_enc)
            && !differ(a.quantization, b.quantization)
            && !differ(a.xfer_func, b.xfer_func)
    }
}

const SRGB: Colorimetry = Colorimetry {
    colorspace: color::COLORSPACE_SRGB,
    ycbcr_enc: 0,
    quantization: 0,
    xfer_func: 0,
};

impl MbusFormat {
    /// 640x480 progressive sRGB with `code`: every vimc pad's default.
    pub const fn default_with(code: u32) -> Self {
        MbusFormat {
            width: 640,
            height: 480,
            code,
            field: field::NONE,
            color: SRGB,
        }
    }
}

/// The sensor's pad format negotiation.
pub mod sensor {
    use super::*;

    /// Default source format.
    pub const DEFAULT: MbusFormat = MbusFormat::default_with(mbus::RGB888_1X24);

    /// `VIDIOC_SUBDEV_ENUM_MBUS_CODE`: every code of the table.
    pub fn enum_mbus_code(index: u32) -> Option<u32> {
        mbus_code_by_index(index)
    }

    /// Whether `VIDIOC_SUBDEV_ENUM_FRAME_SIZE` accepts `code`.
    pub fn frame_size_code_ok(code: u32) -> bool {
        by_code(code).is_some()
    }

    /// `VIDIOC_SUBDEV_S_FMT`.
    pub fn adjust(f: &mut MbusFormat) {
        if by_code(f.code).is_none() {
            f.code = DEFAULT.code;
        }
        (f.width, f.height) = clamp_size(f.width, f.height);
        if f.field == field::ANY || f.field == field::ALTERNATE {
            f.field = DEFAULT.field;
        }
        f.color.clamp();
    }

    /// C vimc's sensor timing (7.x): a fixed pixel rate and horizontal
    /// blanking, and a vertical blanking that the active format resets to give
    /// 30 fps up to 1920x1080 and 10 fps above; the streamer paces frames by
    /// them.
    pub mod timing {
        pub const PIXEL_RATE: i64 = 160_000_000;
        pub const HBLANK: i64 = 800;
        pub const VBLANK_MIN: i64 = 4;
        pub const VBLANK_MAX: i64 = 65535;
        pub const VBLANK_STEP: u64 = 1;
        /// 30 fps at 640x480.
        pub const VBLANK_DEFAULT: i64 = 3223;
        /// Frames up to this many pixels get 30 fps, larger ones 10.
        pub const PIXELS_THRESHOLD_30FPS: u32 = 1920 * 1080;

        /// The vertical blanking for a `width` x `height` frame
        /// (`vimc_calc_vblank()`).
        pub fn vblank(width: u32, height: u32) -> i64 {
            let hts = width + HBLANK as u32;
            let fps = if width * height <= PIXELS_THRESHOLD_30FPS {
                30
            } else {
                10
            };
            // `hts` is at least HBLANK: never zero. As a `NonZeroU64` the
            // division has no panic path (7.3's objtool does not know
            // `panic_const_div_by_zero` returns never).
            let vts = core::num::NonZeroU64::new(u64::from(fps * hts))
                .map_or(0, |d| PIXEL_RATE as u64 / d);
            if vts > u64::from(height) {
                (vts - u64::from(height)).clamp(VBLANK_MIN as u64, VBLANK_MAX as u64) as i64
            } else {
                VBLANK_MIN
            }
        }

        /// The frame interval in nanoseconds (`vimc_sensor_update_frame_timing()`).
        pub fn interval_ns(width: u32, height: u32, vblank: i32) -> u64 {
            let hts = u64::from(width) + HBLANK as u64;
            let vts = u64::from(height) + vblank as u64;
            hts * vts * 1_000_000_000 / PIXEL_RATE as u64
        }
    }
}

/// The debayer's pad format negotiation: Bayer sink, RGB source.
pub mod debayer {
    use super::*;

    /// Bayer codes the sink accepts, in enumeration order.
    pub const SINK_CODES: &[u32] = &[
        mbus::SBGGR8_1X8,
        mbus::SGBRG8_1X8,
        mbus::SGRBG8_1X8,
        mbus::SRGGB8_1X8,
        mbus::SBGGR10_1X10,
        mbus::SGBRG10_1X10,
        mbus::SGRBG10_1X10,
        mbus::SRGGB10_1X10,
        mbus::SBGGR12_1X12,
        mbus::SGBRG12_1X12,
        mbus::SGRBG12_1X12,
        mbus::SRGGB12_1X12,
    ];
    /// Codes the source enumerates (it always produces RGB888_1X24).
    pub const SOURCE_CODES: &[u32] = &[
        mbus::GBR888_1X24,
        mbus::BGR888_1X24,
        mbus::BGR888_3X8,
        mbus::RGB888_1X24,
        mbus::RGB888_2X12_BE,
        mbus::RGB888_2X12_LE,
        mbus::RGB888_3X8,
        mbus::RGB888_1X7X4_SPWG,
        mbus::RGB888_1X7X4_JEIDA,
        mbus::RGB888_1X32_PADHI,
    ];
    /// The source pad's code.
    pub const SOURCE_CODE: u32 = mbus::RGB888_1X24;
    /// Default sink format.
    pub const SINK_DEFAULT: MbusFormat = MbusFormat::default_with(mbus::SRGGB8_1X8);

    /// The codes of pad `pad` (0 sink, else source).
    pub fn codes(pad: u32) -> &'static [u32] {
        if pad == 0 {
            SINK_CODES
        } else {
            SOURCE_CODES
        }
    }

    /// The source's format for sink format `sink`: the same with
    /// [`SOURCE_CODE`].
    pub fn source_of(sink: &MbusFormat) -> MbusFormat {
        MbusFormat {
            code: SOURCE_CODE,
            ..*sink
        }
    }

    /// `VIDIOC_SUBDEV_S_FMT` on the sink; the source follows it
    /// ([`source_of`]).
    pub fn adjust_sink(f: &mut MbusFormat) {
        if !SINK_CODES.contains(&f.code) {
            f.code = SINK_DEFAULT.code;
        }
        (f.width, f.height) = clamp_size(f.width, f.height);
        if f.field == field::ANY {
            f.field = SINK_DEFAULT.field;
        }
        f.color.clamp();
    }
}

/// The scaler's pad format negotiation: RGB only, sink crop, any size on
/// the source.
pub mod scaler {
    use super::*;

    /// Default format of both pads.
    pub const DEFAULT: MbusFormat = MbusFormat::default_with(mbus::RGB888_1X24);

    /// Whether the scaler handles `code` (any non-Bayer table code).
    pub fn code_ok(code: u32) -> bool {
        by_code(code).is_some_and(|m| !m.bayer)
    }

    /// `VIDIOC_SUBDEV_ENUM_MBUS_CODE`: the table's codes, up to the first
    /// Bayer one (as C vimc, which stops enumerating there).
    pub fn enum_mbus_code(index: u32) -> Option<u32> {
        mbus_code_by_index(index).filter(|&c| code_ok(c))
    }

    /// `VIDIOC_SUBDEV_S_FMT` on pad `pad`, given the pad's current format
    /// `cur`: returns the new format. The sink takes code and colorimetry
    /// from `req`; the source keeps its own and takes only the size.
    pub fn set_fmt(pad: u32, cur: &MbusFormat, req: &MbusFormat) -> MbusFormat {
        let mut f = *cur;
        if pad == 0 {
            f.code = if code_ok(req.code) {
                req.code
            } else {
                DEFAULT.code
            };
            f.color = req.color;
            f.color.clamp();
        }
        (f.width, f.height) = clamp_size(req.width, req.height);
        f
    }

    /// `VIDIOC_SUBDEV_S_SELECTION` of the sink crop.
    pub fn adjust_crop(r: &mut Rect, sink: &MbusFormat) {
        r.fit(MIN_WIDTH, MIN_HEIGHT, &Rect::of(sink));
    }
}
