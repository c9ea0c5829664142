// SPDX-License-Identifier: GPL-2.0

//! Frame processing of the debayer and the scaler, byte for byte what C
//! vimc produces, without its per-pixel table lookups.

/// One of the three colours of a Bayer cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// Red.
    Red = 0,
    /// Green.
    Green = 1,
    /// Blue.
    Blue = 2,
}

/// The colour of each position of a 2x2 Bayer cell: `[row % 2][col % 2]`.
pub type BayerOrder = [[Color; 2]; 2];

use Color::{Blue as B, Green as G, Red as R};

/// The Bayer order of a debayer sink code, as in C vimc's table.
pub fn bayer_order(code: u32) -> Option<BayerOrder> {
    use crate::formats::mbus::*;
    Some(match code {
        SBGGR8_1X8 | SBGGR10_1X10 | SBGGR12_1X12 => [[B, G], [G, R]],
        SGBRG8_1X8 | SGBRG10_1X10 | SGBRG12_1X12 => [[G, B], [R, G]],
        SGRBG8_1X8 | SGRBG10_1X10 | SGRBG12_1X12 => [[G, R], [B, G]],
        SRGGB8_1X8 | SRGGB10_1X10 | SRGGB12_1X12 => [[R, G], [G, B]],
        _ => return None,
    })
}

/// How the debayer works on one stream.
#[derive(Clone, Copy, Debug)]
pub struct Debayer {
    /// Frame width in pixels.
    pub width: usize,
    /// Frame height in lines.
    pub height: usize,
    /// Bytes per sink pixel (1 or 2, little endian).
    pub bpp: usize,
    /// Bayer order of the sink.
    pub order: BayerOrder,
}

/// Scratch memory [`Debayer::process`] needs: `2 * width` sums.
pub fn debayer_scratch_len(width: usize) -> usize {
    2 * width
}

/// The window `[start, end)` around `i` with `seek` on each side, cut to
/// `[0, len)`.
fn window(i: usize, seek: usize, len: usize) -> (usize, usize) {
    (i.saturating_sub(seek), (i + seek + 1).min(len))
}

/// Most samples of one colour in a window (25 x 25, the control's maximum).
const MAX_SAMPLES: usize = 625;

/// `RECIP[d]` = floor(2^38 / d) + 1: for x < 2^26 and 2 <= d <= 625,
/// (x * RECIP[d]) >> 38 == x / d, since the error, below x / 2^38 <= 2^-12,
/// is less than 1/d. Sums stay below 625 * 65535 < 2^26.
const RECIP: [u64; MAX_SAMPLES + 1] = {
    let mut t = [0u64; MAX_SAMPLES + 1];
    let mut d = 2;
    while d <= MAX_SAMPLES {
        t[d] = (1u64 << 38) / d as u64 + 1;
        d += 1;
    }
    t
};

/// `x / d` without a division instruction per pixel; 0 for `d == 0`, as
/// C vimc leaves a colour with no sample at 0.
fn div(x: u32, d: u32) -> u32 {
    match d {
        0 => 0,
        1 => x,
        d if (d as usize) <= MAX_SAMPLES => ((x as u64 * RECIP[d as usize]) >> 38) as u32,
        d => x / d,
    }
}

/// How many of `[start, end)` are even and how many odd.
fn parity_counts(start: usize, end: usize) -> [u32; 2] {
    let n = [(end - start).div_ceil(2) as u32, (end - start) as u32 / 2];
    if start % 2 == 0 {
        n
    } else {
        [n[1], n[0]]
    }
}

impl Debayer {
    /// Bytes of one sink frame.
    pub fn sink_len(&self) -> usize {
        self.width * self.height * self.bpp
    }

    /// Bytes of one RGB24 source frame.
    pub fn source_len(&self) -> usize {
        self.width * self.height * 3
    }

    fn val(&self, sink: &[u8], row: usize, col: usize) -> u32 {
        let i = (row * self.width + col) * self.bpp;
        if self.bpp == 2 {
            u32::from(sink[i]) | (u32::from(sink[i + 1]) << 8)
        } else {
            u32::from(sink[i])
        }
    }

    /// Turns the Bayer frame `sink` into RGB24 in `out`: each colour of a
    /// pixel is the mean of that colour's samples in the `win` x `win`
    /// window around it (cut at the frame's edges), truncated to 8 bits as C
    /// vimc does. `scratch` holds [`debayer_scratch_len`] values.
    ///
    /// Column sums of the window's rows slide down the frame and a row sum
    /// slides along each line, so the cost does not grow with `win`.
    pub fn process(&self, sink: &[u8], out: &mut [u8], win: u32, scratch: &mut [u32]) {
        let (w, h) = (self.width, self.height);
        if w == 0
            || h == 0
            || sink.len() < self.sink_len()
            || out.len() < self.source_len()
            || scratch.len() < debayer_scratch_len(w)
        {
            return;
        }
        let seek = (win / 2) as usize;
        // colsum[p * w + c]: sum of column c over the window's rows of parity p.
        let colsum = &mut scratch[..2 * w];
        colsum.fill(0);
        let (mut r0, mut r1) = (0, 0);
        for lin in 0..h {
            let (n0, n1) = window(lin, seek, h);
            for r in r1..n1 {
                for c in 0..w {
                    colsum[(r % 2) * w + c] += self.val(sink, r, c);
                }
            }
            for r in r0..n0 {
                for c in 0..w {
                    colsum[(r % 2) * w + c] -= self.val(sink, r, c);
                }
            }
            (r0, r1) = (n0, n1);
            // Rows of each parity in the window.
            let rows = [(r1 - r0).div_ceil(2) as u32, (r1 - r0) as u32 / 2];
            let rows = if r0 % 2 == 0 {
                rows
            } else {
                [rows[1], rows[0]]
            };

            // s[rp][cp]: window sum of the samples at (row parity, col parity).
            let mut s = [[0u32; 2]; 2];
            let (mut c0, mut c1) = (0, 0);
            let line = &mut out[lin * w * 3..(lin + 1) * w * 3];
            for col in 0..w {
                let (m0, m1) = window(col, seek, w);
                for c in c1..m1 {
                    s[0][c % 2] += colsum[c];
                    s[1][c % 2] += colsum[w + c];
                }
                for c in c0..m0 {
                    s[0][c % 2] -= colsum[c];
                    s[1][c % 2] -= colsum[w + c];
                }
                (c0, c1) = (m0, m1);
                let cols = [(c1 - c0).div_ceil(2) as u32, (c1 - c0) as u32 / 2];
                let cols = if c0 % 2 == 0 {
                    cols
                } else {
                    [cols[1], cols[0]]
                };

                let mut sum = [0u32; 3];
                let mut n = [0u32; 3];
                for (rp, &nrows) in rows.iter().enumerate() {
                    for (cp, &ncols) in cols.iter().enumerate() {
                        let color = self.order[rp][cp] as usize;
                        sum[color] += s[rp][cp];
                        n[color] += nrows * ncols;
                    }
                }
                for i in 0..3 {
                    line[col * 3 + i] = div(sum[i], n[i]) as u8;
                }
            }
        }
    }
}

/// How the scaler works on one stream: the sink crop `(left, top, width,
/// height)` of a `sink_width` wide sink is scaled to `width` x `height`.
#[derive(Clone, Copy, Debug)]
pub struct Scaler {
    /// Sink width in pixels.
    pub sink_width: usize,
    /// Sink height in lines.
    pub sink_height: usize,
    /// Sink crop: left, top, width, height.
    pub crop: (usize, usize, usize, usize),
    /// Source width.
    pub width: usize,
    /// Source height.
    pub height: usize,
    /// Bytes per pixel on both pads.
    pub bpp: usize,
}

impl Scaler {
    /// Bytes of one sink frame.
    pub fn sink_len(&self) -> usize {
        self.sink_width * self.sink_height * self.bpp
    }

    /// Bytes of one source frame.
    pub fn source_len(&self) -> usize {
        self.width * self.height * self.bpp
    }

    /// Whether the crop lies inside the sink and the sizes are usable.
    pub fn is_valid(&self) -> bool {
        let (l, t, cw, ch) = self.crop;
        self.width > 0
            && self.height > 0
            && self.bpp > 0
            && l + cw <= self.sink_width
            && t + ch <= self.sink_height
    }

    /// Nearest-neighbour scaling of the crop of `sink` into `out`, with C
    /// vimc's integer arithmetic.
    pub fn process(&self, sink: &[u8], out: &mut [u8]) {
        if !self.is_valid() || sink.len() < self.sink_len() || out.len() < self.source_len() {
            return;
        }
        let (left, top, cw, ch) = self.crop;
        let bpp = self.bpp;
        let row_len = self.width * bpp;
        for (y, dst) in out[..self.source_len()]
            .chunks_exact_mut(row_len)
            .enumerate()
        {
            let sy = y * ch / self.height + top;
            let src = &sink[sy * self.sink_width * bpp..(sy + 1) * self.sink_width * bpp];
            for (x, px) in dst.chunks_exact_mut(bpp).enumerate() {
                let sx = (x * cw / self.width + left) * bpp;
                px.copy_from_slice(&src[sx..sx + bpp]);
            }
        }
    }
}
