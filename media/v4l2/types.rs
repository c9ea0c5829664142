// SPDX-License-Identifier: GPL-2.0

//! V4L2 value types and constants: formats, colorimetry, rectangles, bus
//! codes and fourccs, as plain Rust data (the fields of the uapi structs
//! that drivers use). Pure `no_std` code: the media layer exposes these in
//! its API, the host crate tests the format logic built on them, and
//! nothing here knows any driver's policy.

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

/// A capture node's format (the fields of `v4l2_pix_format` drivers use).
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

/// A media bus format (the fields of `v4l2_mbus_framefmt` drivers use).
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

/// A continuous frame size range, for the frame size enumerations
/// (`VIDIOC_ENUM_FRAMESIZES`, `VIDIOC_SUBDEV_ENUM_FRAME_SIZE`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FrameSizes {
    /// Smallest and largest width.
    pub width: (u32, u32),
    /// Smallest and largest height.
    pub height: (u32, u32),
}
