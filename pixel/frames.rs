// SPDX-License-Identifier: GPL-2.0

//! Frame processing of the debayer and the scaler, byte for byte what C
//! vimc produces, without its per-pixel table lookups.

use core::num::NonZeroUsize;

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

/// Where a stage writes its frame: memory of its own, or memory it may only
/// write (a capture buffer, which userspace may write meanwhile, so no
/// slice over it may exist). Writes go line by line.
pub trait FrameSink {
    /// Bytes the sink holds.
    fn size(&self) -> usize;

    /// Writes `data` at byte `at`. A write past [`Self::size`] writes
    /// nothing (and the sink may remember it failed).
    fn put(&mut self, at: usize, data: &[u8]);

    /// Lets `f` make the `len` bytes at `at`: in place where the sink is
    /// memory of our own, else in a line of scratch that is then put.
    fn make(&mut self, at: usize, len: usize, f: &mut dyn FnMut(&mut [u8]));
}

/// A frame of our own: written in place.
impl FrameSink for [u8] {
    fn size(&self) -> usize {
        self.len()
    }

    fn put(&mut self, at: usize, data: &[u8]) {
        if let Some(to) = self.get_mut(at..at.saturating_add(data.len())) {
            to.copy_from_slice(data);
        }
    }

    fn make(&mut self, at: usize, len: usize, f: &mut dyn FnMut(&mut [u8])) {
        if let Some(to) = self.get_mut(at..at.saturating_add(len)) {
            f(to);
        }
    }
}

/// A borrowed sink, so that a slice can be passed as `&mut dyn FrameSink`.
impl<S: FrameSink + ?Sized> FrameSink for &mut S {
    fn size(&self) -> usize {
        (**self).size()
    }

    fn put(&mut self, at: usize, data: &[u8]) {
        (**self).put(at, data)
    }

    fn make(&mut self, at: usize, len: usize, f: &mut dyn FnMut(&mut [u8])) {
        (**self).make(at, len, f)
    }
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

/// `RECIP[d]` = floor(2^38 / d) + 1 and `RECIP[0]` = 0: for x < 2^26 and
/// 1 <= d <= 625, (x * RECIP[d]) >> 38 == x / d, since the error, below
/// x / 2^38 < 2^-12, is less than 1/d. Sums stay below 625 * 65535 < 2^26.
/// A colour without samples has a zero sum and gives 0, as in C vimc.
const RECIP: [u64; MAX_SAMPLES + 1] = {
    let mut t = [0u64; MAX_SAMPLES + 1];
    let mut d = 1;
    while d <= MAX_SAMPLES {
        t[d] = (1u64 << 38) / d as u64 + 1;
        d += 1;
    }
    t
};

/// Multipliers that divide the sums of R, G and B by their sample counts.
type Divisors = [u64; 3];

/// `x / d` through a [`RECIP`] multiplier, truncated to 8 bits as C vimc.
#[inline(always)]
fn scale(x: u32, m: u64) -> u8 {
    // No overflow: x < 2^26 and m <= 2^38 + 1 ([`RECIP`]).
    (u64::from(x).wrapping_mul(m) >> 38) as u8
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

/// Where each colour's samples sit in a 2x2 cell, as indexes `2 * row
/// parity + column parity`: the red cell, the blue cell and the two green.
#[derive(Clone, Copy)]
struct Cells {
    r: usize,
    b: usize,
    g: [usize; 2],
}

impl Cells {
    fn of(order: &BayerOrder) -> Cells {
        let mut cells = Cells {
            r: 0,
            b: 0,
            g: [0; 2],
        };
        let mut greens = 0;
        for i in 0..4 {
            match order[i / 2][i % 2] {
                R => cells.r = i,
                B => cells.b = i,
                G => {
                    cells.g[greens & 1] = i;
                    greens += 1;
                }
            }
        }
        cells
    }

    /// The multipliers for a window with `rows[p]` rows and `cols[p]`
    /// columns of parity `p`.
    fn divisors(&self, rows: [u32; 2], cols: [u32; 2]) -> Divisors {
        let n = |i: usize| rows[i / 2] * cols[i % 2];
        let m = |count: u32| RECIP.get(count as usize).copied().unwrap_or(0);
        [m(n(self.r)), m(n(self.g[0]) + n(self.g[1])), m(n(self.b))]
    }

    /// One output pixel from the window sums of the four cells.
    #[inline(always)]
    fn pixel(&self, s: &[u32; 4], d: &Divisors, px: &mut [u8]) {
        if let [r, g, b] = px {
            *r = scale(s[self.r], d[0]);
            *g = scale(s[self.g[0]].wrapping_add(s[self.g[1]]), d[1]);
            *b = scale(s[self.b], d[2]);
        }
    }
}

/// A sample of `BPP` little-endian bytes.
#[inline(always)]
fn sample<const BPP: usize>(px: &[u8; BPP]) -> u32 {
    px.iter().rev().fold(0, |v, &b| (v << 8) | u32::from(b))
}

/// Adds (or subtracts) the samples of `row` to (from) the column sums.
#[inline(always)]
fn slide_row<const BPP: usize>(sums: &mut [u32], row: &[u8], add: bool) {
    let op = |s: &mut u32, v: u32| {
        *s = if add {
            s.wrapping_add(v)
        } else {
            s.wrapping_sub(v)
        }
    };
    if BPP == 1 {
        for (s, &b) in sums.iter_mut().zip(row) {
            op(s, u32::from(b));
        }
        return;
    }
    // BPP is 2 from here (the blocks assume it).
    // Blocks of 8 samples, then the rest one by one; not `chunks_exact`:
    // its length is a division by a stored chunk size, whose
    // division-by-zero path objtool rejects (it falls through).
    let blocks = (sums.len() / 8).min(row.len() / 16);
    let (mut head, tail) = sums.split_at_mut(blocks * 8);
    let (mut rhead, mut rtail) = row.split_at(blocks * 16);
    while let Some((sb, sr)) = head.split_first_chunk_mut::<8>() {
        let Some((rb, rr)) = rhead.split_first_chunk::<16>() else {
            break;
        };
        for (j, s) in sb.iter_mut().enumerate() {
            op(s, u32::from(rb[2 * j]) | (u32::from(rb[2 * j + 1]) << 8));
        }
        (head, rhead) = (sr, rr);
    }
    for s in tail.iter_mut() {
        let Some((px, r)) = rtail.split_first_chunk::<BPP>() else {
            break;
        };
        op(s, sample::<BPP>(px));
        rtail = r;
    }
}

/// The pixels of the full windows of a line, two columns at a time (an
/// even, then an odd one comes in): `s` holds the window sums of the four
/// cells for columns `[0, 2 * seek)`, `ins` the column sums from column `2 *
/// seek` on, `outs` from column 0, `out` the pixels from column `seek`. The
/// cell of red is `CR`, of blue `CB`, of green `CG0` and `CG1`.
#[inline(always)]
fn full_windows<const CR: usize, const CG0: usize, const CG1: usize, const CB: usize>(
    s: &mut [u32; 4],
    ins: [&[u32]; 2],
    outs: [&[u32]; 2],
    d: &[Divisors; 2],
    out: &mut [u8],
) {
    let mut t = *s;
    #[inline(always)]
    fn step<
        const P: usize,
        const CR: usize,
        const CG0: usize,
        const CG1: usize,
        const CB: usize,
    >(
        t: &mut [u32; 4],
        ins: (u32, u32),
        outs: (u32, u32),
        d: &Divisors,
        px: &mut [u8; 3],
    ) {
        t[P] = t[P].wrapping_add(ins.0);
        t[2 + P] = t[2 + P].wrapping_add(ins.1);
        *px = [
            scale(t[CR], d[0]),
            scale(t[CG0].wrapping_add(t[CG1]), d[1]),
            scale(t[CB], d[2]),
        ];
        t[P] = t[P].wrapping_sub(outs.0);
        t[2 + P] = t[2 + P].wrapping_sub(outs.1);
    }
    // Not `chunks_exact` (see `slide_row`).
    let mut cols = ins[0].iter().zip(ins[1]).zip(outs[0].iter().zip(outs[1]));
    let mut out = out;
    loop {
        let (Some(((&a0, &a1), (&b0, &b1))), Some((px, rest))) =
            (cols.next(), out.split_first_chunk_mut::<3>())
        else {
            break;
        };
        step::<0, CR, CG0, CG1, CB>(&mut t, (a0, a1), (b0, b1), &d[0], px);
        let (Some(((&a0, &a1), (&b0, &b1))), Some((px, rest))) =
            (cols.next(), rest.split_first_chunk_mut::<3>())
        else {
            break;
        };
        step::<1, CR, CG0, CG1, CB>(&mut t, (a0, a1), (b0, b1), &d[1], px);
        out = rest;
    }
    *s = t;
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

    /// Turns the Bayer frame `sink` into RGB24 in `out`, line by line: each colour of a
    /// pixel is the mean of that colour's samples in the `win` x `win`
    /// window around it (cut at the frame's edges), truncated to 8 bits as C
    /// vimc does. `scratch` holds [`debayer_scratch_len`] values.
    ///
    /// Column sums of the window's rows slide down the frame and the four
    /// cells' window sums slide along each line, so a pixel costs a few
    /// additions and three multiplications whatever the window. Returns
    /// false, writing nothing, if a frame or `scratch` is too small.
    pub fn process<S: FrameSink + ?Sized>(
        &self,
        sink: &[u8],
        out: &mut S,
        win: u32,
        scratch: &mut [u32],
    ) -> bool {
        if self.width == 0
            || self.height == 0
            || sink.len() < self.sink_len()
            || out.size() < self.source_len()
            || scratch.len() < debayer_scratch_len(self.width)
        {
            return false;
        }
        match self.bpp {
            1 => self.run::<1, S>(sink, out, win, scratch),
            2 => self.run::<2, S>(sink, out, win, scratch),
            _ => return false,
        }
        true
    }

    fn run<const BPP: usize, S: FrameSink + ?Sized>(
        &self,
        sink: &[u8],
        out: &mut S,
        win: u32,
        scratch: &mut [u32],
    ) {
        let (w, h) = (self.width, self.height);
        let seek = (win / 2) as usize;
        let cells = Cells::of(&self.order);
        // colsum[p][c]: sum of column c over the window's rows of parity p.
        let (even, odd) = scratch[..2 * w].split_at_mut(w);
        even.fill(0);
        odd.fill(0);
        let colsum = [even, odd];
        let row = |r: usize| &sink[r * w * BPP..(r + 1) * w * BPP];
        let (mut r0, mut r1) = (0, 0);
        for lin in 0..h {
            let (n0, n1) = window(lin, seek, h);
            for r in r1..n1 {
                slide_row::<BPP>(colsum[r % 2], row(r), true);
            }
            for r in r0..n0 {
                slide_row::<BPP>(colsum[r % 2], row(r), false);
            }
            (r0, r1) = (n0, n1);
            let rows = parity_counts(r0, r1);
            let sums = [&*colsum[0], &*colsum[1]];
            out.make(lin * w * 3, w * 3, &mut |line| {
                self.line(&cells, sums, rows, seek, line)
            });
        }
    }

    /// One output line from the column sums of its window's rows.
    fn line(
        &self,
        cells: &Cells,
        colsum: [&[u32]; 2],
        rows: [u32; 2],
        seek: usize,
        line: &mut [u8],
    ) {
        let w = self.width;
        // s[2 * rp + cp]: window sum of the samples at (row parity, col parity).
        let mut s = [0u32; 4];
        // Columns [cur.0, cur.1) are in `s`.
        let mut cur = (0, 0);
        // Windows cut by an edge: slide to each one and count its columns.
        let edge = |s: &mut [u32; 4], cur: &mut (usize, usize), col: usize, px: &mut [u8]| {
            let to = window(col, seek, w);
            for c in cur.0..to.0 {
                s[c % 2] = s[c % 2].wrapping_sub(colsum[0][c]);
                s[2 + c % 2] = s[2 + c % 2].wrapping_sub(colsum[1][c]);
            }
            for c in cur.1..to.1 {
                s[c % 2] = s[c % 2].wrapping_add(colsum[0][c]);
                s[2 + c % 2] = s[2 + c % 2].wrapping_add(colsum[1][c]);
            }
            *cur = to;
            cells.pixel(s, &cells.divisors(rows, parity_counts(to.0, to.1)), px);
        };
        fn px(line: &mut [u8], col: usize) -> &mut [u8] {
            &mut line[3 * col..3 * col + 3]
        }
        for col in 0..seek.min(w) {
            edge(&mut s, &mut cur, col, px(line, col));
        }
        if w > 2 * seek {
            // Full windows of 2 * seek + 1 columns, between the edges. The
            // counts depend only on the parity of the window's first
            // column, which is that of the column coming in.
            let full = seek as u32;
            let d = [
                cells.divisors(rows, [full + 1, full]),
                cells.divisors(rows, [full, full + 1]),
            ];
            let n = w - 2 * seek;
            let out = &mut line[3 * seek..3 * (seek + n)];
            let (ins, outs) = (
                [&colsum[0][2 * seek..w], &colsum[1][2 * seek..w]],
                [&colsum[0][..n], &colsum[1][..n]],
            );
            // The cells' places as constants, so that the four sums stay
            // in registers.
            match (cells.r, cells.b) {
                (0, 3) => full_windows::<0, 1, 2, 3>(&mut s, ins, outs, &d, out),
                (3, 0) => full_windows::<3, 1, 2, 0>(&mut s, ins, outs, &d, out),
                (1, 2) => full_windows::<1, 0, 3, 2>(&mut s, ins, outs, &d, out),
                _ => full_windows::<2, 0, 3, 1>(&mut s, ins, outs, &d, out),
            }
            cur = (n, w);
        }
        for col in seek.max(w.saturating_sub(seek))..w {
            edge(&mut s, &mut cur, col, px(line, col));
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

    /// Whether the crop lies inside the sink and the sizes are usable: none
    /// is zero, and no frame size or scaling product overflows.
    pub fn is_valid(&self) -> bool {
        let (l, t, cw, ch) = self.crop;
        let product =
            |a: usize, b: usize, c: usize| a.checked_mul(b).and_then(|n| n.checked_mul(c));
        product(self.sink_width, self.sink_height, self.bpp).is_some()
            && product(self.width, self.height, self.bpp).is_some()
            && self.width.checked_mul(cw).is_some()
            && self.height.checked_mul(ch).is_some()
            && self.width > 0
            && self.height > 0
            && self.bpp > 0
            && cw > 0
            && ch > 0
            && l.checked_add(cw).is_some_and(|r| r <= self.sink_width)
            && t.checked_add(ch).is_some_and(|b| b <= self.sink_height)
    }

    /// Entries of the column table that [`Self::columns`] fills and
    /// [`Self::process`] reads: one per source pixel.
    pub fn columns_len(&self) -> usize {
        self.width
    }

    /// Fills `cols` with the byte offset, from the crop's left, of each
    /// source pixel's sink pixel: C vimc's `x * crop.width / width`, worked
    /// out once per stream instead of once per pixel. Returns false, writing
    /// nothing, if the geometry is invalid, a crop line's bytes do not fit
    /// a `u32`, or `cols` is not [`Self::columns_len`] long.
    pub fn columns(&self, cols: &mut [u32]) -> bool {
        let Some(w) = NonZeroUsize::new(self.width) else {
            return false;
        };
        let cw = self.crop.2;
        // Offsets, below cw * bpp, must fit the table's type (a valid
        // geometry's cw * bpp cannot overflow: cw <= sink_width).
        if !self.is_valid()
            || cols.len() != self.columns_len()
            || u32::try_from(cw * self.bpp).is_err()
        {
            return false;
        }
        for (x, col) in cols.iter_mut().enumerate() {
            // x < width, so x * cw / width < cw: it fits (checked above).
            *col = (x * cw / w * self.bpp) as u32;
        }
        true
    }

    /// Nearest-neighbour scaling of the crop of `sink` into `out`, line by
    /// line, with C vimc's integer arithmetic; `cols` is the table
    /// [`Self::columns`] filled for this geometry (another table gives other
    /// pixels, never a read outside `sink`). Returns false, writing nothing,
    /// if the geometry is invalid, a frame too small or `cols` not
    /// [`Self::columns_len`] long.
    pub fn process<S: FrameSink + ?Sized>(&self, sink: &[u8], cols: &[u32], out: &mut S) -> bool {
        // The divisor as a type that cannot be zero, so that no division can
        // panic (in the kernel, objtool warns about a division's panic path
        // at the end of a function).
        let Some(h) = NonZeroUsize::new(self.height) else {
            return false;
        };
        if !self.is_valid()
            || sink.len() < self.sink_len()
            || out.size() < self.source_len()
            || cols.len() != self.columns_len()
        {
            return false;
        }
        match self.bpp {
            3 => self.run::<3, S>(sink, cols, out, h),
            4 => self.run::<4, S>(sink, cols, out, h),
            _ => self.run::<0, S>(sink, cols, out, h),
        }
        true
    }

    /// [`Self::process`] for `BPP` bytes per pixel, or any with `BPP == 0`;
    /// `h` is the source's height.
    fn run<const BPP: usize, S: FrameSink + ?Sized>(
        &self,
        sink: &[u8],
        cols: &[u32],
        out: &mut S,
        h: NonZeroUsize,
    ) {
        let (left, top, cw, ch) = self.crop;
        let bpp = self.bpp;
        let (sink_row, row) = (self.sink_width * bpp, self.width * bpp);
        for y in 0..self.height {
            let sy = y * ch / h + top;
            // From the crop's left to the end of the frame, not of the line:
            // a pixel's wide read (below) may then run into the next line.
            let src = &sink[sy * sink_row + left * bpp..];
            if cw == self.width {
                out.put(y * row, &src[..row]);
            } else {
                // (Matched in the closure, which `make` calls through a
                // pointer, so that the sizes are constants in its body.)
                out.make(y * row, row, &mut |dst| match BPP {
                    0 => line(src, cols, dst, bpp),
                    3 => line3(src, cols, dst),
                    _ => line_n::<BPP>(src, cols, dst),
                });
            }
        }
    }
}

/// One scaled line `dst` of `bpp`-byte pixels from its sink line `src`.
fn line(src: &[u8], cols: &[u32], dst: &mut [u8], bpp: usize) {
    for (x, &at) in cols.iter().enumerate() {
        let (at, o) = (at as usize, x * bpp);
        if let (Some(from), Some(px)) = (src.get(at..at + bpp), dst.get_mut(o..o + bpp)) {
            px.copy_from_slice(from);
        }
    }
}

/// [`line`] for `N`-byte pixels, copied as arrays (a slice's
/// `copy_from_slice` is a call at the kernel's opt-level "s").
#[inline(always)]
fn line_n<const N: usize>(src: &[u8], cols: &[u32], dst: &mut [u8]) {
    // (Indexed: zipping a ChunksExactMut calls its `size`, a division by
    // the chunk size that the kernel's opt-level "s" leaves in a function
    // of its own, panic path included, which objtool warns about.)
    for (x, &at) in cols.iter().enumerate() {
        let (at, o) = (at as usize, x * N);
        if let (Some(Ok(px)), Some(Ok(from))) = (
            dst.get_mut(o..o + N).map(<&mut [u8; N]>::try_from),
            src.get(at..at + N).map(<&[u8; N]>::try_from),
        ) {
            *px = *from;
        }
    }
}

/// [`line`] for 3-byte pixels, four at a time: four 4-byte loads (a
/// pixel and the byte after it) packed into 12 bytes, written as one array.
#[inline(always)]
fn line3(src: &[u8], cols: &[u32], dst: &mut [u8]) {
    // The pixel at `at` in the low 3 bytes.
    let px = |at: u32| {
        let at = at as usize;
        match src.get(at..at + 4) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => match src.get(at..at + 3) {
                Some(&[a, b, c]) => u32::from_le_bytes([a, b, c, 0]),
                _ => 0,
            },
        }
    };
    let mut groups = dst.chunks_exact_mut(12);
    let mut quads = cols.chunks_exact(4);
    for (d, c) in (&mut groups).zip(&mut quads) {
        let (Ok(d), &[c0, c1, c2, c3]) = (<&mut [u8; 12]>::try_from(d), c) else {
            continue;
        };
        let (p0, p1, p2, p3) = (px(c0), px(c1), px(c2), px(c3));
        let [a0, a1, a2, a3] = ((p0 & 0xff_ffff) | (p1 << 24)).to_le_bytes();
        let [b0, b1, b2, b3] = (((p1 >> 8) & 0xffff) | (p2 << 16)).to_le_bytes();
        let [c0, c1, c2, c3] = (((p2 >> 16) & 0xff) | (p3 << 8)).to_le_bytes();
        // An array, not slices: a slice's copy_from_slice is a call at the
        // kernel's opt-level "s".
        *d = [a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3];
    }
    line(src, quads.remainder(), groups.into_remainder(), 3);
}
