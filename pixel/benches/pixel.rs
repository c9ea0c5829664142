// SPDX-License-Identifier: GPL-2.0

//! `cargo bench`: the pure frame code on a 1920x1440 frame, next to a direct
//! transcription of C vimc's debayer loop for scale. Prints ms per frame
//! (best of several runs) and the output's checksum.

use std::hint::black_box;
use std::time::Instant;
use vimc_pixel::formats::mbus;
use vimc_pixel::frames::*;

const W: usize = 1920;
const H: usize = 1440;

fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn sum(b: &[u8]) -> u64 {
    b.iter()
        .fold(0u64, |a, &x| a.wrapping_mul(31).wrapping_add(x as u64))
}

/// vimc_debayer_calc_rgb_sink() as C vimc loops it (per pixel, per window).
fn c_debayer(d: &Debayer, sink: &[u8], out: &mut [u8], win: u32) {
    let seek = (win / 2) as usize;
    for lin in 0..d.height {
        for col in 0..d.width {
            let (mut rgb, mut n) = ([0u32; 3], [0u32; 3]);
            for wl in lin.saturating_sub(seek)..(lin + seek + 1).min(d.height) {
                for wc in col.saturating_sub(seek)..(col + seek + 1).min(d.width) {
                    let c = d.order[wl % 2][wc % 2] as usize;
                    rgb[c] += sink[(wl * d.width + wc) * d.bpp] as u32;
                    n[c] += 1;
                }
            }
            for i in 0..3 {
                out[(lin * d.width + col) * 3 + i] = if n[i] > 0 { rgb[i] / n[i] } else { 0 } as u8;
            }
        }
    }
}

/// A capture buffer as the kernel writes it: each line made in a line of
/// scratch, then copied in (`ToPlane` in vimc_rs/stage.rs).
struct Lines {
    frame: Vec<u8>,
    line: Vec<u8>,
}

impl FrameSink for Lines {
    fn size(&self) -> usize {
        self.frame.len()
    }

    fn put(&mut self, at: usize, data: &[u8]) {
        self.frame[at..at + data.len()].copy_from_slice(data);
    }

    fn make(&mut self, at: usize, len: usize, f: &mut dyn FnMut(&mut [u8])) {
        f(&mut self.line[..len]);
        self.frame[at..at + len].copy_from_slice(&self.line[..len]);
    }
}

fn main() {
    let sink: Vec<u8> = (0..W * H).map(|i| (i * 7 + i / W) as u8).collect();
    let d = Debayer {
        width: W,
        height: H,
        bpp: 1,
        order: bayer_order(mbus::SRGGB8_1X8).unwrap(),
    };
    let mut out = vec![0u8; d.source_len()];
    let mut scratch = vec![0u32; debayer_scratch_len(W)];
    for win in [3, 5] {
        let ms = best_ms(5, || {
            d.process(black_box(&sink), &mut out[..], win, &mut scratch);
        });
        let s = sum(&out);
        let c_ms = best_ms(2, || c_debayer(&d, black_box(&sink), &mut out, win));
        assert_eq!(s, sum(&out), "debayer differs from the C loop");
        let ns = ms * 1e6 / (W * H) as f64;
        let mut lines = Lines {
            frame: vec![0; d.source_len()],
            line: vec![0; W * 3],
        };
        let lines_ms = best_ms(5, || {
            d.process(black_box(&sink), &mut lines, win, &mut scratch);
        });
        assert_eq!(s, sum(&lines.frame), "debayer differs through lines");
        println!("debayer {W}x{H} window {win}: {ms:.2} ms/frame, {ns:.2} ns/pixel, into a buffer by lines {lines_ms:.2} ms (C loop transcribed: {c_ms:.2} ms) sum {s:x}");
    }
    let rgb: Vec<u8> = (0..W * H * 3).map(|i| (i * 13) as u8).collect();
    for (crop, w, h) in [
        ((0, 0, W, H), W, H),
        ((W / 8, H / 8, W / 2, H / 2), W / 4, H / 4),
    ] {
        let s = Scaler {
            sink_width: W,
            sink_height: H,
            crop,
            width: w,
            height: h,
            bpp: 3,
        };
        let mut o = vec![0u8; s.source_len()];
        let mut cols = vec![0u32; s.columns_len()];
        assert!(s.columns(&mut cols));
        // A plain copy of as many bytes as the scaler writes, for scale,
        // taking turns with it so that both meet the same caches and load.
        let (mut ms, mut copy_ms) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..20 {
            ms = ms.min(best_ms(1, || {
                s.process(black_box(&rgb), &cols, &mut o[..]);
            }));
            copy_ms = copy_ms.min(best_ms(1, || {
                o.copy_from_slice(black_box(&rgb[..s.source_len()]))
            }));
        }
        s.process(&rgb, &cols, &mut o[..]);
        println!(
            "scaler {W}x{H} crop {crop:?} -> {w}x{h}: {ms:.2} ms/frame ({:.1}x a copy of its output, {copy_ms:.3} ms) sum {:x}",
            ms / copy_ms,
            sum(&o)
        );
    }
}
