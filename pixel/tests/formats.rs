// SPDX-License-Identifier: GPL-2.0

//! Format table and negotiation, checked against C vimc's behaviour.

use vimc_pixel::formats::*;
use vimc_pixel::v4l2::fourcc;

#[test]
fn table_matches_c_vimc_order_and_sizes() {
    assert_eq!(PIX_MAPS.len(), 23);
    assert_eq!(PIX_MAPS[0].pixelformat, pix::BGR24);
    assert_eq!(PIX_MAPS[1].codes.len(), 8);
    // 2 + 8 + 1 RGB codes and 20 Bayer codes.
    assert_eq!((0..).map_while(mbus_code_by_index).count(), 31);
    assert_eq!(mbus_code_by_index(0), Some(mbus::BGR888_1X24));
    assert_eq!(mbus_code_by_index(2), Some(mbus::RGB888_1X24));
    assert_eq!(mbus_code_by_index(31), None);
    assert!(PIX_MAPS.iter().skip(3).all(|m| m.bayer));
    assert!(PIX_MAPS.iter().take(3).all(|m| !m.bayer));
}

#[test]
fn fourcc_matches_uapi() {
    // V4L2_PIX_FMT_RGB24 and V4L2_PIX_FMT_SGRBG10DPCM8 from videodev2.h.
    assert_eq!(pix::RGB24, 0x3342_4752);
    assert_eq!(pix::SGRBG10DPCM8, 0x3031_4442);
}

#[test]
fn lookups() {
    assert_eq!(by_code(mbus::GBR888_1X24).unwrap().pixelformat, pix::RGB24);
    assert_eq!(by_pixelformat(pix::SRGGB10).unwrap().bpp, 2);
    assert!(by_code(0xdead).is_none());
    assert!(by_pixelformat(0).is_none());
    assert!(by_index(23).is_none());
}

#[test]
fn capture_try_fmt_clamps_like_c_vimc() {
    let mut f = PixFormat {
        width: 1,
        height: 99999,
        pixelformat: fourcc(b"XXXX"),
        field: field::ANY,
        bytesperline: 0,
        sizeimage: 0,
        color: Colorimetry {
            colorspace: 99,
            ycbcr_enc: 99,
            quantization: 99,
            xfer_func: 99,
        },
    };
    f.try_capture();
    assert_eq!((f.width, f.height), (MIN_WIDTH, MAX_HEIGHT));
    assert_eq!(f.pixelformat, pix::RGB24);
    assert_eq!(f.bytesperline, 16 * 3);
    assert_eq!(f.sizeimage, 16 * 3 * 2160);
    assert_eq!(f.field, field::NONE);
    assert_eq!(
        f.color,
        Colorimetry {
            colorspace: color::COLORSPACE_SRGB,
            ..Default::default()
        }
    );
}

#[test]
fn odd_sizes_round_down_to_even() {
    assert_eq!(clamp_size(641, 479), (640, 478));
    assert_eq!(clamp_size(17, 17), (16, 16));
    assert_eq!(clamp_size(4097, 2161), (4096, 2160));
}

#[test]
fn colorimetry_clamp_keeps_valid_values() {
    let mut c = Colorimetry {
        colorspace: 8,
        ycbcr_enc: 9,
        quantization: 1,
        xfer_func: 8,
    };
    c.clamp();
    assert_eq!(
        c,
        Colorimetry {
            colorspace: 8,
            ycbcr_enc: 0,
            quantization: 1,
            xfer_func: 0
        }
    );
}

#[test]
fn sensor_adjust() {
    let mut f = MbusFormat {
        width: 5000,
        height: 3,
        code: 0,
        field: field::ALTERNATE,
        color: Colorimetry::default(),
    };
    sensor::adjust(&mut f);
    assert_eq!(
        f,
        MbusFormat {
            width: 4096,
            height: 16,
            code: mbus::RGB888_1X24,
            field: field::NONE,
            color: Colorimetry::default()
        }
    );
}

#[test]
fn debayer_sink_only_bayer_without_alaw_or_dpcm() {
    assert_eq!(debayer::SINK_CODES.len(), 12);
    let mut f = debayer::SINK_DEFAULT;
    f.code = mbus::SBGGR10_ALAW8_1X8;
    debayer::adjust_sink(&mut f);
    assert_eq!(f.code, mbus::SRGGB8_1X8);
    assert_eq!(debayer::codes(1)[0], mbus::GBR888_1X24);
}

#[test]
fn scaler_codes_stop_at_bayer() {
    let codes: Vec<u32> = (0..).map_while(scaler::enum_mbus_code).collect();
    assert_eq!(codes.len(), 11);
    assert!(scaler::code_ok(mbus::ARGB8888_1X32));
    assert!(!scaler::code_ok(mbus::SRGGB8_1X8));
}

#[test]
fn scaler_source_keeps_code_takes_size() {
    let req = MbusFormat {
        width: 333,
        height: 201,
        code: mbus::BGR888_1X24,
        field: 0,
        color: Colorimetry::default(),
    };
    let src = scaler::set_fmt(1, &scaler::DEFAULT, &req);
    assert_eq!(
        (src.width, src.height, src.code),
        (332, 200, mbus::RGB888_1X24)
    );
    let sink = scaler::set_fmt(0, &scaler::DEFAULT, &req);
    assert_eq!(sink.code, mbus::BGR888_1X24);
    assert_eq!(sink.color, Colorimetry::default());
}

#[test]
fn crop_fits_inside_sink() {
    let sink = scaler::DEFAULT;
    let mut r = Rect {
        left: -7,
        top: 470,
        width: 3,
        height: 100,
    };
    scaler::adjust_crop(&mut r, &sink);
    assert_eq!(
        r,
        Rect {
            left: 0,
            top: 380,
            width: 16,
            height: 100
        }
    );
    let mut r = Rect {
        left: 1001,
        top: 1,
        width: 9999,
        height: 9999,
    };
    scaler::adjust_crop(&mut r, &sink);
    assert_eq!(
        r,
        Rect {
            left: 0,
            top: 0,
            width: 640,
            height: 480
        }
    );
    let mut r = Rect {
        left: 33,
        top: 17,
        width: 101,
        height: 77,
    };
    scaler::adjust_crop(&mut r, &sink);
    assert_eq!(
        r,
        Rect {
            left: 33,
            top: 17,
            width: 101,
            height: 77
        }
    );
}

#[test]
fn link_validation_like_c_vimc() {
    let sink = PixFormat::DEFAULT;
    let src = PixFormat::of_mbus(&MbusFormat::default_with(mbus::RGB888_1X24)).unwrap();
    assert!(PixFormat::link_ok(&src, &sink));
    let other_size = PixFormat { width: 320, ..src };
    assert!(!PixFormat::link_ok(&other_size, &sink));
    let bgr = PixFormat::of_mbus(&MbusFormat::default_with(mbus::BGR888_1X24)).unwrap();
    assert!(!PixFormat::link_ok(&bgr, &sink));
    // An interlaced source into a progressive sink is fine, not the reverse.
    let alt = PixFormat {
        field: field::ALTERNATE,
        ..src
    };
    assert!(PixFormat::link_ok(&alt, &sink));
    assert!(!PixFormat::link_ok(
        &src,
        &PixFormat {
            field: field::ALTERNATE,
            ..sink
        }
    ));
    // DEFAULT colorspace on either side skips the colorimetry checks.
    let mut c = src;
    c.color = Colorimetry {
        colorspace: 0,
        ycbcr_enc: 3,
        quantization: 1,
        xfer_func: 2,
    };
    assert!(PixFormat::link_ok(&c, &sink));
    let mut d = src;
    d.color.colorspace = color::COLORSPACE_DCI_P3;
    assert!(!PixFormat::link_ok(&d, &sink));
    let mut e = sink;
    e.color.quantization = 1;
    let mut f = src;
    f.color.quantization = 2;
    assert!(!PixFormat::link_ok(&f, &e));
    f.color.quantization = 0;
    assert!(PixFormat::link_ok(&f, &e));
    assert!(PixFormat::of_mbus(&MbusFormat::default_with(0x1234)).is_none());
}
