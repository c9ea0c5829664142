// SPDX-License-Identifier: GPL-2.0

//! Debayer and scaler against direct transcriptions of C vimc's loops.

use vimc_pixel::formats::{self, mbus};
use vimc_pixel::frames::*;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as u32
    }
    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// vimc_debayer_calc_rgb_sink() + vimc_debayer_process_rgb_frame() of 6.12.
fn c_debayer(d: &Debayer, sink: &[u8], win: u32) -> Vec<u8> {
    let mut out = vec![0u8; d.source_len()];
    let seek = (win / 2) as usize;
    for lin in 0..d.height {
        for col in 0..d.width {
            let mut rgb = [0u32; 3];
            let mut n = [0u32; 3];
            let mut wlin = lin.saturating_sub(seek);
            while wlin < lin + seek + 1 && wlin < d.height {
                let mut wcol = col.saturating_sub(seek);
                while wcol < col + seek + 1 && wcol < d.width {
                    let color = d.order[wlin % 2][wcol % 2] as usize;
                    let index = (wlin * d.width + wcol) * d.bpp;
                    let mut acc = 0u32;
                    for i in 0..d.bpp {
                        acc += u32::from(sink[index + i]) << (8 * i);
                    }
                    rgb[color] += acc;
                    n[color] += 1;
                    wcol += 1;
                }
                wlin += 1;
            }
            for i in 0..3 {
                if n[i] != 0 {
                    rgb[i] /= n[i];
                }
                out[(lin * d.width + col) * 3 + i] = rgb[i] as u8;
            }
        }
    }
    out
}

/// A sink that is only written, as a capture buffer: lines are made in
/// scratch and put, and every byte must be put exactly once.
struct WriteOnly {
    frame: Vec<u8>,
    written: Vec<u8>,
    line: Vec<u8>,
}

impl WriteOnly {
    fn new(len: usize, line: usize) -> Self {
        Self {
            frame: vec![0x5a; len],
            written: vec![0; len],
            line: vec![0; line],
        }
    }

    /// The frame, once every byte was written exactly once.
    fn frame(self) -> Vec<u8> {
        assert!(
            self.written.iter().all(|&n| n == 1),
            "a byte not written once"
        );
        self.frame
    }
}

impl FrameSink for WriteOnly {
    fn size(&self) -> usize {
        self.frame.len()
    }

    fn put(&mut self, at: usize, data: &[u8]) {
        self.frame[at..at + data.len()].copy_from_slice(data);
        self.written[at..at + data.len()]
            .iter_mut()
            .for_each(|n| *n += 1);
    }

    fn make(&mut self, at: usize, len: usize, f: &mut dyn FnMut(&mut [u8])) {
        let mut line = core::mem::take(&mut self.line);
        // Stale bytes from the line before: the stage must overwrite them.
        line[..len].fill(0xc3);
        f(&mut line[..len]);
        self.put(at, &line[..len]);
        self.line = line;
    }
}

/// The debayer's frame, checked to be the same through a write-only sink.
fn run_debayer(d: &Debayer, sink: &[u8], win: u32) -> Vec<u8> {
    let mut out = vec![0xa5u8; d.source_len()];
    let mut scratch = vec![0u32; debayer_scratch_len(d.width)];
    assert!(d.process(sink, &mut out[..], win, &mut scratch));
    let mut w = WriteOnly::new(d.source_len(), d.width * 3);
    assert!(d.process(sink, &mut w, win, &mut scratch));
    assert_eq!(w.frame(), out, "the write-only sink got another frame");
    out
}

#[test]
fn debayer_equals_c_for_every_order_depth_and_window() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    // Every sink code of C vimc's debayer: four orders at 8, 10 and 12 bits.
    let codes = formats::debayer::SINK_CODES;
    assert_eq!(codes.len(), 12);
    for &code in codes {
        let bpp = formats::by_code(code).unwrap().bpp as usize;
        for &(w, h) in &[
            (16, 16),
            (18, 22),
            (34, 20),
            (17, 9),
            (33, 31),
            (1, 1),
            (2, 3),
            (5, 40),
        ] {
            let d = Debayer {
                width: w,
                height: h,
                bpp,
                order: bayer_order(code).unwrap(),
            };
            let mut sink = rng.bytes(d.sink_len());
            if bpp == 2 {
                // Keep samples within 10/12 bits, as the sensor sends them.
                for px in sink.chunks_exact_mut(2) {
                    px[1] &= 0x0f;
                }
            }
            // Every window of C vimc's control: odd, 1 to 25.
            for win in (1..=25).step_by(2) {
                assert_eq!(
                    run_debayer(&d, &sink, win),
                    c_debayer(&d, &sink, win),
                    "code {code:#x} {w}x{h} win {win}"
                );
            }
        }
    }
}

#[test]
fn debayer_equals_c_with_full_16_bit_samples() {
    // Samples beyond 12 bits do not come from the sensor, but the maths
    // must stay exact for any input.
    let mut rng = Rng(7);
    let d = Debayer {
        width: 30,
        height: 28,
        bpp: 2,
        order: bayer_order(mbus::SGBRG12_1X12).unwrap(),
    };
    let sink = rng.bytes(d.sink_len());
    for win in [1, 3, 11, 25] {
        assert_eq!(
            run_debayer(&d, &sink, win),
            c_debayer(&d, &sink, win),
            "win {win}"
        );
    }
    let flat = vec![0xffu8; d.sink_len()];
    assert_eq!(run_debayer(&d, &flat, 25), c_debayer(&d, &flat, 25));
}

#[test]
fn debayer_window_1_keeps_only_the_own_colour() {
    let d = Debayer {
        width: 16,
        height: 16,
        bpp: 1,
        order: bayer_order(mbus::SRGGB8_1X8).unwrap(),
    };
    let sink: Vec<u8> = (0..256).map(|i| i as u8).collect();
    let out = run_debayer(&d, &sink, 1);
    // (0,0) is red: R = sample, G = B = 0.
    assert_eq!(&out[0..3], &[0, 0, 0]);
    assert_eq!(&out[3..6], &[0, 1, 0]);
    assert_eq!(&out[(17 * 3)..(17 * 3 + 3)], &[0, 0, 17]);
}

#[test]
fn debayer_rejects_short_buffers_without_writing() {
    let d = Debayer {
        width: 16,
        height: 16,
        bpp: 1,
        order: bayer_order(mbus::SBGGR8_1X8).unwrap(),
    };
    let mut out = vec![7u8; d.source_len()];
    let mut scratch = vec![0u32; debayer_scratch_len(16)];
    assert!(!d.process(&[0u8; 10], &mut out[..], 3, &mut scratch));
    assert!(out.iter().all(|&b| b == 7));
    let mut short = vec![7u8; d.source_len() - 1];
    assert!(!d.process(&[0u8; 256], &mut short[..], 3, &mut scratch));
    assert!(short.iter().all(|&b| b == 7));
    assert!(bayer_order(mbus::RGB888_1X24).is_none());
}

/// vimc_scaler_fill_src_frame() of 6.12.
fn c_scale(s: &Scaler, sink: &[u8]) -> Vec<u8> {
    let (l, t, cw, ch) = s.crop;
    let mut out = Vec::new();
    for y in 0..s.height {
        let sy = (y * ch) / s.height + t;
        for x in 0..s.width {
            let sx = (x * cw) / s.width + l;
            let i = sy * s.sink_width * s.bpp + sx * s.bpp;
            out.extend_from_slice(&sink[i..i + s.bpp]);
        }
    }
    out
}

/// The scaler's frame, checked against C vimc's loop and to be the same
/// through a write-only sink.
fn check_scaler(s: &Scaler, sink: &[u8]) {
    let what = format!("{s:?}");
    let mut cols = vec![0u32; s.columns_len()];
    assert!(s.columns(&mut cols), "{what}");
    let mut out = vec![0u8; s.source_len()];
    assert!(s.process(sink, &cols, &mut out[..]), "{what}");
    assert_eq!(out, c_scale(s, sink), "{what}");
    let mut wo = WriteOnly::new(s.source_len(), s.width * s.bpp);
    assert!(s.process(sink, &cols, &mut wo), "{what}");
    assert_eq!(wo.frame(), out, "write-only sink: {what}");
}

#[test]
fn scaler_equals_c_for_crops_and_sizes() {
    let mut rng = Rng(42);
    for &(sw, sh, crop, w, h, bpp) in &[
        (64, 48, (0, 0, 64, 48), 64, 48, 3),
        (64, 48, (3, 5, 33, 17), 64, 48, 3),
        (64, 48, (1, 1, 16, 16), 18, 40, 3),
        (40, 30, (7, 3, 20, 20), 128, 96, 4),
        (40, 30, (0, 0, 40, 30), 16, 16, 3),
        (64, 48, (3, 5, 33, 17), 33, 40, 3),
        (20, 10, (1, 2, 7, 5), 13, 9, 2),
        // The crop ends at the frame's last pixel, which the last source
        // pixel of the last line reads.
        (20, 10, (11, 6, 9, 4), 31, 7, 3),
        (20, 10, (19, 9, 1, 1), 5, 3, 3),
    ] {
        let s = Scaler {
            sink_width: sw,
            sink_height: sh,
            crop,
            width: w,
            height: h,
            bpp,
        };
        check_scaler(&s, &rng.bytes(s.sink_len()));
    }
    // Random odd geometries: up, down and mixed, at every sink edge.
    for _ in 0..300 {
        let (sw, sh) = (1 + rng.below(47), 1 + rng.below(31));
        let (l, t) = (rng.below(sw), rng.below(sh));
        let (cw, ch) = (1 + rng.below(sw - l), 1 + rng.below(sh - t));
        let s = Scaler {
            sink_width: sw,
            sink_height: sh,
            crop: (l, t, cw, ch),
            width: 1 + rng.below(3 * cw),
            height: 1 + rng.below(3 * ch),
            bpp: [1, 2, 3, 3, 3, 4][rng.below(6)],
        };
        check_scaler(&s, &rng.bytes(s.sink_len()));
    }
}

/// A scaler of a 16x16 RGB24 sink.
fn scaler16(crop: (usize, usize, usize, usize), width: usize, height: usize) -> Scaler {
    Scaler {
        sink_width: 16,
        sink_height: 16,
        crop,
        width,
        height,
        bpp: 3,
    }
}

#[test]
fn scaler_refuses_a_wrong_column_table() {
    let s = scaler16((0, 0, 8, 8), 4, 4);
    let mut cols = vec![0u32; 3];
    assert!(!s.columns(&mut cols));
    assert_eq!(cols, [0; 3]);
    let mut out = vec![1u8; s.source_len()];
    assert!(!s.process(&[0u8; 16 * 16 * 3], &cols, &mut out[..]));
    assert!(out.iter().all(|&b| b == 1));
    // A table of another geometry gives other pixels, but reads nothing
    // outside the sink: here, offsets past the end of the frame.
    let cols = [u32::MAX; 4];
    assert!(s.process(&[0u8; 16 * 16 * 3], &cols, &mut out[..]));
}

#[test]
fn scaler_refuses_a_crop_outside_the_sink() {
    let s = scaler16((8, 0, 16, 16), 16, 16);
    assert!(!s.is_valid());
    // An empty crop, here at the bottom edge (C vimc's subdev never has
    // one: the driver keeps crops at least 16x16).
    for crop in [(1, 16, 1, 0), (0, 0, 0, 16), (usize::MAX, 0, 2, 16)] {
        assert!(!Scaler { crop, ..s }.is_valid(), "{crop:?}");
    }
    // Sizes whose products overflow: refused, not a panic.
    for big in [
        Scaler {
            sink_width: 1 << 40,
            sink_height: 1 << 30,
            ..s
        },
        Scaler {
            width: 1 << 40,
            height: 1 << 30,
            ..s
        },
        Scaler {
            height: usize::MAX / 2,
            ..s
        },
    ] {
        assert!(!big.is_valid(), "{big:?}");
        assert!(!big.process(&[0u8; 16 * 16 * 3], &[0; 4], &mut [0u8; 48][..]));
    }
    let huge = Scaler { bpp: 1 << 62, ..s };
    assert!(!huge.columns(&mut [0u32; 16]));
    let mut cols = vec![7u32; s.columns_len()];
    assert!(!s.columns(&mut cols));
    assert!(cols.iter().all(|&c| c == 7));
    let mut out = vec![1u8; s.source_len()];
    assert!(!s.process(&[0u8; 16 * 16 * 3], &cols, &mut out[..]));
    assert!(out.iter().all(|&b| b == 1));
}
