// SPDX-License-Identifier: GPL-2.0

//! The sensor's frame timing against a transcription of C vimc's
//! `vimc_calc_vblank()` and `vimc_sensor_update_frame_timing()` (7.x
//! vimc-sensor.c), in its own integer types.

use vimc_pixel::formats::sensor::timing::*;

/// `vimc_calc_vblank()`: u32 arithmetic, `do_div` on a u64.
fn c_calc_vblank(width: u32, height: u32) -> u32 {
    let hts = width + HBLANK as u32;
    let target_fps: u32 = if width * height <= 1920 * 1080 {
        30
    } else {
        10
    };
    let vts = PIXEL_RATE as u64 / u64::from(target_fps * hts);
    if vts > u64::from(height) {
        ((vts - u64::from(height)) as u32).clamp(VBLANK_MIN as u32, VBLANK_MAX as u32)
    } else {
        VBLANK_MIN as u32
    }
}

/// `vimc_sensor_update_frame_timing()`'s interval before `nsecs_to_jiffies`.
fn c_interval_ns(width: u32, height: u32, vblank: u32) -> u64 {
    let hts = width + HBLANK as u32;
    let vts = height + vblank;
    u64::from(hts) * u64::from(vts) * 1_000_000_000 / PIXEL_RATE as u64
}

#[test]
fn vblank_matches_c_over_every_even_size_step() {
    for width in (16..=4096).step_by(62) {
        for height in (16..=2160).step_by(38) {
            assert_eq!(
                vblank(width, height),
                i64::from(c_calc_vblank(width, height)),
                "{width}x{height}"
            );
        }
    }
}

#[test]
fn vblank_at_the_30fps_threshold_and_limits() {
    // 640x480 gives the control's default: 30 fps.
    assert_eq!(vblank(640, 480), VBLANK_DEFAULT);
    // The last size at 30 fps, and the first above it at 10.
    assert_eq!(vblank(1920, 1080), 880);
    assert_eq!(vblank(1922, 1080), i64::from(c_calc_vblank(1922, 1080)));
    assert_eq!(vblank(4096, 2160), 1107);
    assert_eq!(vblank(16, 16), 6519);
    for (w, h) in [(16, 16), (4096, 2160), (1920, 1080), (2, 65535)] {
        let v = vblank(w, h);
        assert!((VBLANK_MIN..=VBLANK_MAX).contains(&v), "{w}x{h}: {v}");
    }
}

#[test]
fn interval_matches_c() {
    assert_eq!(interval_ns(640, 480, VBLANK_DEFAULT as i32), 33_327_000);
    for (w, h) in [
        (640, 480),
        (1920, 1080),
        (4096, 2160),
        (16, 16),
        (1280, 720),
    ] {
        let v = vblank(w, h);
        assert_eq!(
            interval_ns(w, h, v as i32),
            c_interval_ns(w, h, v as u32),
            "{w}x{h}"
        );
    }
    // The control's limits.
    for v in [VBLANK_MIN, VBLANK_MAX] {
        assert_eq!(
            interval_ns(4096, 2160, v as i32),
            c_interval_ns(4096, 2160, v as u32)
        );
    }
}
