// SPDX-License-Identifier: GPL-2.0

//! The kernel's test pattern generator library (v4l2-tpg), as vimc's sensor
//! uses it.
//!
//! C header: [`include/media/tpg/v4l2-tpg.h`](srctree/include/media/tpg/v4l2-tpg.h)

use crate::media::bindings;
use crate::media::v4l2::{types::Colorimetry, video_device::Plane};
use core::fmt;
use kernel::{prelude::*, str::CStr, types::Opaque};

/// NUL-terminated text on the stack, so drawing allocates nothing.
struct TextBuf {
    bytes: [u8; 100],
    /// Bytes written; `bytes[len]` stays 0.
    len: usize,
}

impl fmt::Write for TextBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.bytes.len() - 1 - self.len;
        let n = s.len().min(room);
        self.bytes[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// A frame's geometry and encoding as the generator needs it.
pub(crate) struct TpgFormat {
    /// Width in pixels.
    pub(crate) width: u32,
    /// Height in lines.
    pub(crate) height: u32,
    /// `enum v4l2_field`.
    pub(crate) field: u32,
    /// V4L2 pixel format.
    pub(crate) fourcc: u32,
    /// Bytes per line.
    pub(crate) bytesperline: u32,
    /// Colorimetry.
    pub(crate) color: Colorimetry,
}

/// Values of the sensor controls that the generator applies.
pub(crate) struct TpgControls {
    pub(crate) pattern: u32,
    pub(crate) hflip: bool,
    pub(crate) vflip: bool,
    pub(crate) brightness: u8,
    pub(crate) contrast: u8,
    pub(crate) hue: i16,
    pub(crate) saturation: u8,
}

/// One generator with its line buffers.
///
/// # Invariants
///
/// `tpg` was set up by `tpg_init` and `tpg_alloc` (freed by [`Drop`]);
/// `frame_len` is at least the bytes `tpg_fill_plane_buffer` writes for the
/// format last set (zero before [`Tpg::set_format`]); `filled <= frame_len`.
pub(crate) struct Tpg {
    tpg: KBox<Opaque<bindings::tpg_data>>,
    frame_len: usize,
    filled: usize,
}

// SAFETY: the generator is plain memory used through `&mut self`.
unsafe impl Send for Tpg {}

impl Tpg {
    /// A generator for lines up to `max_width`, initialized for
    /// `width` x `height` (what C vimc does at probe).
    pub(crate) fn new(width: u32, height: u32, max_width: u32) -> Result<Self> {
        let tpg = KBox::new(Opaque::<bindings::tpg_data>::uninit(), GFP_KERNEL)?;
        // SAFETY: `tpg_init` clears and initializes the whole struct.
        unsafe { bindings::tpg_init(tpg.get(), width, height) };
        // SAFETY: initialized above.
        kernel::error::to_result(unsafe { bindings::tpg_alloc(tpg.get(), max_width) })
            .inspect_err(
                // SAFETY: `tpg_free` releases what a partial `tpg_alloc` left.
                |_| unsafe { bindings::tpg_free(tpg.get()) },
            )?;
        // INVARIANT: `tpg_init` and `tpg_alloc` succeeded above; no format
        // set yet.
        Ok(Self {
            tpg,
            frame_len: 0,
            filled: 0,
        })
    }

    /// Configures the frame format as C vimc's sensor does when streaming
    /// starts. Fails for sizes the line buffers cannot hold, for pixel
    /// formats the generator does not know (C vimc keeps the previous one's
    /// pixel size and writes past its frame), for formats of more than one
    /// buffer or unlike planes, and for lines shorter than `width` pixels.
    pub(crate) fn set_format(&mut self, f: &TpgFormat) -> Result {
        // Until this succeeds, no fill: the format may be half set.
        self.frame_len = 0;
        self.filled = 0;
        // SAFETY: initialized (type invariant); reading a plain field.
        let max = unsafe { (*self.tpg.get()).max_line_width };
        if f.width > max || f.width == 0 || f.height == 0 {
            return Err(EINVAL);
        }
        let c = &f.color;
        // SAFETY: initialized (type invariant).
        let known = unsafe {
            bindings::vimc_rs_tpg_s_format(
                self.tpg.get(),
                f.width,
                f.height,
                f.field,
                f.bytesperline,
                f.fourcc,
                c.colorspace,
                c.ycbcr_enc,
                c.quantization,
                c.xfer_func,
            )
        };
        if !known {
            return Err(EINVAL);
        }
        // SAFETY: as above; plain fields that `tpg_s_fourcc` and
        // `tpg_reset_source` set: buffers, planes (Bayer's two interleaved
        // ones share each line's bytes), bytes per two pixels of each, and
        // the lines the fill writes.
        let (one_buffer, twopix, lines, drawn) = unsafe {
            let t = &*self.tpg.get();
            let same = t.planes == 1 || (t.interleaved && t.twopixelsize[1] == t.twopixelsize[0]);
            (
                t.buffers == 1 && same,
                t.twopixelsize[0],
                t.buf_height as usize,
                t.compose.height as usize,
            )
        };
        let line = u64::from(f.width) * u64::from(twopix) / 2;
        if !one_buffer || line == 0 || u64::from(f.bytesperline) < line {
            return Err(EINVAL);
        }
        // INVARIANT: the fill writes one buffer, `buf_height` lines
        // `bytesperline` apart, each `width` pixels of `twopixelsize / 2`
        // bytes (the same for interleaved planes), which the check above
        // keeps within `bytesperline`.
        self.frame_len = f.bytesperline as usize * lines;
        // INVARIANT: at most `frame_len`. The fill writes the first
        // `compose.height` of the `buf_height` lines: half of them for a
        // `TOP` or `BOTTOM` field, all for the others.
        self.filled = f.bytesperline as usize * drawn.min(lines);
        Ok(())
    }

    /// Applies control values (no-ops for unchanged ones).
    pub(crate) fn set_controls(&mut self, c: &TpgControls) {
        // SAFETY: initialized (type invariant).
        unsafe {
            bindings::vimc_rs_tpg_s_controls(
                self.tpg.get(),
                c.pattern,
                c.hflip,
                c.vflip,
                c.brightness,
                c.contrast,
                c.hue,
                c.saturation,
            )
        }
    }

    /// Bytes of one frame in the current format.
    pub(crate) fn frame_len(&self) -> usize {
        self.frame_len
    }

    /// Bytes at the start of the frame that a fill writes, all of them but
    /// for a `TOP` or `BOTTOM` field, which fills the first half of its
    /// lines and leaves the rest as it was.
    pub(crate) fn filled_len(&self) -> usize {
        self.filled
    }

    /// Draws the pattern into `frame` (at least [`Self::frame_len`] bytes).
    pub(crate) fn fill(&mut self, frame: &mut Plane<'_>) -> Result {
        if self.frame_len == 0 || frame.len() < self.frame_len {
            return Err(EINVAL);
        }
        // SAFETY: initialized; `frame` holds what the fill writes (type
        // invariant and the check above), and takes raw writes.
        unsafe { bindings::tpg_fill_plane_buffer(self.tpg.get(), 0, 0, frame.as_mut_ptr()) };
        Ok(())
    }

    /// Writes `args` at line `y` (in pixels), column 16, as C vimc's OSD;
    /// like C's `char str[100]`, text past 99 bytes is cut.
    pub(crate) fn text(
        &mut self,
        frame: &mut Plane<'_>,
        y: u32,
        args: fmt::Arguments<'_>,
    ) -> Result {
        if self.frame_len == 0 || frame.len() < self.frame_len {
            return Err(EINVAL);
        }
        let mut buf = TextBuf {
            bytes: [0; 100],
            len: 0,
        };
        // `TextBuf` never fails; it truncates.
        let _ = fmt::write(&mut buf, args);
        let text = CStr::from_bytes_with_nul(&buf.bytes[..=buf.len]).map_err(|_| EINVAL)?;
        let mut basep = [[core::ptr::null_mut::<u8>(); 2]; bindings::TPG_MAX_PLANES as usize];
        // SAFETY: as in `fill`; `tpg_gen_text` clips to the frame.
        unsafe {
            bindings::tpg_calc_text_basep(
                self.tpg.get(),
                basep.as_mut_ptr(),
                0,
                frame.as_mut_ptr(),
            );
            bindings::tpg_gen_text(
                self.tpg.get(),
                basep.as_mut_ptr(),
                y as i32,
                16,
                text.as_char_ptr(),
            );
        }
        Ok(())
    }

    /// The colour order string of the current format (`tpg_g_color_order`).
    pub(crate) fn color_order(&self) -> &'static CStr {
        // SAFETY: initialized; the result is NULL or a static string.
        let p = unsafe { bindings::tpg_g_color_order(self.tpg.get()) };
        if p.is_null() {
            kernel::c_str!("")
        } else {
            // SAFETY: a static NUL-terminated string of v4l2-tpg.
            unsafe { CStr::from_char_ptr(p) }
        }
    }
}

impl Drop for Tpg {
    fn drop(&mut self) {
        // SAFETY: allocated by `tpg_alloc` in `new` (type invariant).
        unsafe { bindings::tpg_free(self.tpg.get()) };
    }
}
