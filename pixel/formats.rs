// SPDX-License-Identifier: GPL-2.0

//! Format tables and format negotiation of vimc, as pure data and
//! functions: no kernel types, so the host crate tests them too.

/// Media bus codes (`MEDIA_BUS_FMT_*`, uapi/linux/media-bus-format.h).
pub mod mbus {
    #![allow(missing_docs)]
    pub const BGR888_1X24: u32 = 0x1013;
    pub const BGR888_3X8: u32 = 0x101b;
    pub const RGB888_1X24: u32 = 0x100a;
    pub const RGB888_2X12_BE: u32 = 0x100b;
    pub const RGB888_2X12_LE: u32 = 0x100c;
    pub const RGB888_3X8: u32 = 0x101c;
    pub const RGB888_1X7X4_SPWG: u32 = 0x1011;
    pub const RGB888_1X7X4_JEIDA: u32 = 0x1012;
    pub const RGB888_1X32_PADHI: u32 = 0x100f;
    pub const GBR888_1X24: u32 = 0x1014;
    pub const ARGB8888_1X32: u32 = 0x100d;
    pub const SBGGR8_1X8: u32 = 0x3001;
    pub const SGBRG8_1X8: u32 = 0x3013;
    pub const SGRBG8_1X8: u32 = 0x3002;
    pub const SRGGB8_1X8: u32 = 0x3014;
    pub const SBGGR10_1X10: u32 = 0x3007;
    pub const SGBRG10_1X10: u32 = 0x300e;
    pub const SGRBG10_1X10: u32 = 0x300a;
    pub const SRGGB10_1X10: u32 = 0x300f;
    pub const SBGGR10_ALAW8_1X8: u32 = 0x3015;
    pub const SGBRG10_ALAW8_1X8: u32 = 0x3016;
    pub const SGRBG10_ALAW8_1X8: u32 = 0x3017;
    pub const SRGGB10_ALAW8_1X8: u32 = 0x3018;
    pub const SBGGR10_DPCM8_1X8: u32 = 0x300b;
    pub const SGBRG10_DPCM8_1X8: u32 = 0x300c;
    pub const SGRBG10_DPCM8_1X8: u32 = 0x3009;
    pub const SRGGB10_DPCM8_1X8: u32 = 0x300d;
    pub const SBGGR12_1X12: u32 = 0x3008;
    pub const SGBRG12_1X12: u32 = 0x3010;
    pub const SGRBG12_1X12: u32 = 0x3011;
    pub const SRGGB12_1X12: u32 = 0x3012;
}

/// `v4l2_fourcc()`.
pub const fn fourcc(c: &[u8; 4]) -> u32 {
    (c[0] as u32) | ((c[1] as u32) << 8) | ((c[2] as u32) << 16) | ((c[3] as u32) << 24)
}

/// Pixel formats (`V4L2_PIX_FMT_*`, uapi/linux/videodev2.h).
pub mod pix {
    #![allow(missing_docs)]
    use super::fourcc;
    pub const BGR24: u32 = fourcc(b"BGR3");
    pub const RGB24: u32 = fourcc(b"RGB3");
    pub const ARGB32: u32 = fourcc(b"BA24");
    pub const SBGGR8: u32 = fourcc(b"BA81");
    pub const SGBRG8: u32 = fourcc(b"GBRG");
    pub const SGRBG8: u32 = fourcc(b"GRBG");
    pub const SRGGB8: u32 = fourcc(b"RGGB");
    pub const SBGGR10: u32 = fourcc(b"BG10");
    pub const SGBRG10: u32 = fourcc(b"GB10");
    pub const SGRBG10: u32 = fourcc(b"BA10");
    pub const SRGGB10: u32 = fourcc(b"RG10");
    pub const SBGGR10ALAW8: u32 = fourcc(b"aBA8");
    pub const SGBRG10ALAW8: u32 = fourcc(b"aGA8");
    pub const SGRBG10ALAW8: u32 = fourcc(b"agA8");
    pub const SRGGB10ALAW8: u32 = fourcc(b"aRA8");
    pub const SBGGR10DPCM8: u32 = fourcc(b"bBA8");
    pub const SGBRG10DPCM8: u32 = fourcc(b"bGA8");
    pub const SGRBG10DPCM8: u32 = fourcc(b"BD10");
    pub const SRGGB10DPCM8: u32 = fourcc(b"bRA8");
    pub const SBGGR12: u32 = fourcc(b"BG12");
    pub const SGBRG12: u32 = fourcc(b"GB12");
    pub const SGRBG12: u32 = fourcc(b"BA12");
    pub const SRGGB12: u32 = fourcc(b"RG12");
}

/// `enum v4l2_field` values used here.
pub mod field {
    #![allow(missing_docs)]
    pub const ANY: u32 = 0;
    pub const NONE: u32 = 1;
    pub const ALTERNATE: u32 = 7;
}

/// Colorimetry enum values used here (`enum v4l2_colorspace` and friends).
pub mod color {
    #![allow(missing_docs)]
    pub const COLORSPACE_DEFAULT: u32 = 0;
    pub const COLORSPACE_SRGB: u32 = 8;
    pub const COLORSPACE_DCI_P3: u32 = 12;
    pub const YCBCR_ENC_DEFAULT: u32 = 0;
    pub const YCBCR_ENC_SMPTE240M: u32 = 8;
    pub const QUANTIZATION_DEFAULT: u32 = 0;
    pub const QUANTIZATION_LIM_RANGE: u32 = 2;
    pub const XFER_FUNC_DEFAULT: u32 = 0;
    pub const XFER_FUNC_SMPTE2084: u32 = 7;
}

/// Frame size limits of every vimc entity.
pub const MIN_WIDTH: u32 = 16;
/// See [`MIN_WIDTH`].
pub const MAX_WIDTH: u32 = 4096;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u32 = 16;
/// See [`MIN_WIDTH`].
pub const MAX_HEIGHT: u32 = 2160;

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

/// Colorimetry fields of a format, as in both `v4l2_mbus_framefmt` and
/// `v4l2_pix_format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Colorimetry {
    /// `enum v4l2_colorspace`.
    pub colorspace: u32,
    /// `enum v4l2_ycbcr_encoding`.
    pub ycbcr_enc: u32,
    /// `enum v4l2_quantization`.
    pub quantization: u32,
    /// `enum v4l2_xfer_func`.
    pub xfer_func: u32,
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

/// A capture node's format (the fields of `v4l2_pix_format` vimc uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixFormat {
    /// Width in pixels.
    pub width: u32,
    /// Height in lines.
    pub height: u32,
    /// Pixel format.
    pub pixelformat: u32,
    /// `enum v4l2_field`.
    pub field: u32,
    /// Line stride in bytes.
    pub bytesperline: u32,
    /// Frame size in bytes.
    pub sizeimage: u32,
    /// Colorimetry.
    pub color: Colorimetry,
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

/// A media bus format (the fields of `v4l2_mbus_framefmt` vimc uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MbusFormat {
    /// Width in pixels.
    pub width: u32,
    /// Height in lines.
    pub height: u32,
    /// Media bus code.
    pub code: u32,
    /// `enum v4l2_field`.
    pub field: u32,
    /// Colorimetry.
    pub color: Colorimetry,
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

/// A rectangle (`struct v4l2_rect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Rect {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl Rect {
    /// The rectangle at (0,0) of a format's size.
    pub const fn of(f: &MbusFormat) -> Self {
        Rect {
            left: 0,
            top: 0,
            width: f.width,
            height: f.height,
        }
    }

    /// `v4l2_rect_set_min_size()` then `v4l2_rect_map_inside()`.
    pub fn fit(&mut self, min_width: u32, min_height: u32, bounds: &Rect) {
        self.width = self.width.max(min_width).min(bounds.width);
        self.height = self.height.max(min_height).min(bounds.height);
        self.left = self.left.max(bounds.left);
        self.top = self.top.max(bounds.top);
        // C compares these sums as unsigned; left/top are >= 0 here.
        let (l, w) = (i64::from(self.left), i64::from(self.width));
        if l + w > i64::from(bounds.left) + i64::from(bounds.width) {
            self.left = (i64::from(bounds.left) + i64::from(bounds.width) - w) as i32;
        }
        let (t, h) = (i64::from(self.top), i64::from(self.height));
        if t + h > i64::from(bounds.top) + i64::from(bounds.height) {
            self.top = (i64::from(bounds.top) + i64::from(bounds.height) - h) as i32;
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
    /// Default source format.
    pub const SOURCE_DEFAULT: MbusFormat = MbusFormat::default_with(SOURCE_CODE);

    /// The codes of pad `pad` (0 sink, else source).
    pub fn codes(pad: u32) -> &'static [u32] {
        if pad == 0 {
            SINK_CODES
        } else {
            SOURCE_CODES
        }
    }

    /// `VIDIOC_SUBDEV_S_FMT` on the sink; the source follows it with
    /// [`SOURCE_CODE`].
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
    /// Default sink crop.
    pub const CROP_DEFAULT: Rect = Rect::of(&DEFAULT);

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
