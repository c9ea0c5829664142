// SPDX-License-Identifier: GPL-2.0

//! Pixel formats between the V4L2 value types and C.

use crate::media::{
    bindings, to_c_int,
    v4l2::types::{Colorimetry, PixFormat},
};
use kernel::{ffi::c_int, prelude::*};

// The pure format code keeps its own copies of the uapi numbers (it uses no
// kernel headers); check them against the headers at compile time.
macro_rules! same_as_uapi {
    ($($c:ident)*) => {
        $(kernel::macros::paste! {
            const _: () =
                assert!(crate::media::v4l2::types::mbus::$c == bindings::[<MEDIA_BUS_FMT_ $c>]);
        })*
    };
}
same_as_uapi!(
    BGR888_1X24 BGR888_3X8 RGB888_1X24 RGB888_2X12_BE
    RGB888_2X12_LE RGB888_3X8 RGB888_1X7X4_SPWG RGB888_1X7X4_JEIDA
    RGB888_1X32_PADHI GBR888_1X24 ARGB8888_1X32 SBGGR8_1X8
    SGBRG8_1X8 SGRBG8_1X8 SRGGB8_1X8 SBGGR10_1X10
    SGBRG10_1X10 SGRBG10_1X10 SRGGB10_1X10 SBGGR10_ALAW8_1X8
    SGBRG10_ALAW8_1X8 SGRBG10_ALAW8_1X8 SRGGB10_ALAW8_1X8 SBGGR10_DPCM8_1X8
    SGBRG10_DPCM8_1X8 SGRBG10_DPCM8_1X8 SRGGB10_DPCM8_1X8 SBGGR12_1X12
    SGBRG12_1X12 SGRBG12_1X12 SRGGB12_1X12
);

const _: () = {
    use crate::media::v4l2::types::{color, field};
    assert!(field::ANY == bindings::v4l2_field_V4L2_FIELD_ANY);
    assert!(field::NONE == bindings::v4l2_field_V4L2_FIELD_NONE);
    assert!(field::ALTERNATE == bindings::v4l2_field_V4L2_FIELD_ALTERNATE);
    assert!(color::COLORSPACE_SRGB == bindings::v4l2_colorspace_V4L2_COLORSPACE_SRGB);
    assert!(color::COLORSPACE_DCI_P3 == bindings::v4l2_colorspace_V4L2_COLORSPACE_DCI_P3);
    assert!(color::YCBCR_ENC_SMPTE240M == bindings::v4l2_ycbcr_encoding_V4L2_YCBCR_ENC_SMPTE240M);
    assert!(
        color::QUANTIZATION_LIM_RANGE == bindings::v4l2_quantization_V4L2_QUANTIZATION_LIM_RANGE
    );
    assert!(color::XFER_FUNC_SMPTE2084 == bindings::v4l2_xfer_func_V4L2_XFER_FUNC_SMPTE2084);
};

pub(super) fn to_c(f: &PixFormat, out: &mut bindings::v4l2_pix_format) {
    out.width = f.width;
    out.height = f.height;
    out.pixelformat = f.pixelformat;
    out.field = f.field;
    out.bytesperline = f.bytesperline;
    out.sizeimage = f.sizeimage;
    out.colorspace = f.color.colorspace;
    // SAFETY: `ycbcr_enc` and `hsv_enc` are two `u32` views of one field.
    unsafe { *out.__bindgen_anon_1.ycbcr_enc.as_mut() = f.color.ycbcr_enc };
    out.quantization = f.color.quantization;
    out.xfer_func = f.color.xfer_func;
}

pub(super) fn from_c(f: &bindings::v4l2_pix_format) -> PixFormat {
    PixFormat {
        width: f.width,
        height: f.height,
        pixelformat: f.pixelformat,
        field: f.field,
        bytesperline: f.bytesperline,
        sizeimage: f.sizeimage,
        color: Colorimetry {
            colorspace: f.colorspace,
            // SAFETY: as in `to_c`.
            ycbcr_enc: unsafe { *f.__bindgen_anon_1.ycbcr_enc.as_ref() },
            quantization: f.quantization,
            xfer_func: f.xfer_func,
        },
    }
}

/// Runs `op` on the `v4l2_pix_format` of `f` as a [`PixFormat`] and writes
/// the result back.
///
/// # Safety
///
/// `f` is a valid `v4l2_format` of a single-planar video type.
pub(super) unsafe fn with_pix(
    f: *mut bindings::v4l2_format,
    op: impl FnOnce(&mut PixFormat) -> Result,
) -> c_int {
    // SAFETY: by the function's safety section, `pix` is the active member.
    let pix = unsafe { (*f).fmt.pix.as_mut() };
    let mut p = from_c(pix);
    let r = op(&mut p);
    to_c(&p, pix);
    to_c_int(r)
}
