// SPDX-License-Identifier: GPL-2.0

//! What an entity kind gives a stream: a stage, its work on each frame. The
//! streamer runs stages without knowing their kinds (`kinds.rs` lists the
//! kinds that have one).

use crate::{
    frames::FrameSink,
    media::{
        compat::kbox_unsize, mc::pipeline::SubdevRef, v4l2::subdev, v4l2::video_device::Plane,
    },
};
use kernel::{alloc::VVec, prelude::*};

/// Where a stage writes the frame it makes.
pub(crate) enum Out<'a, 'p> {
    /// Its own frame, which the next stage reads ([`Stage::output`]).
    Own,
    /// The capture buffer: the last stage writes it directly.
    Buffer(&'a mut Plane<'p>),
}

/// One entity's work on each frame of a running stream, owned by the
/// streamer's thread.
pub(crate) trait Stage: Send {
    /// Makes the stage's frame from `input` (the previous stage's output,
    /// empty for a source) into `to`: [`Out::Own`] for a stage made with
    /// `last` false, [`Out::Buffer`] for the last one. Fails, having
    /// written a part at most, if the frame does not fit.
    fn process(&mut self, input: &[u8], to: Out<'_, '_>) -> Result;

    /// The frame `process` made last into its own frame (a stage made with
    /// `last` has none: it writes only buffers).
    fn output(&self) -> &[u8];

    /// For a source: how long the streamer waits after each frame, in
    /// jiffies, as the source's timing says; `None` for the default. (Only
    /// where sensors have timing controls, as C vimc has on 7.x.)
    #[cfg(vimc_sensor_timing)]
    fn frame_interval(&self) -> Option<u64> {
        None
    }
}

/// An entity kind whose subdevs take part in streams.
pub(crate) trait StageKind: subdev::Driver {
    /// The subdev's stage for a starting stream, from its active state;
    /// `last` if it writes the capture buffer (it then needs no frame of its
    /// own).
    fn stage(&self, sd: &SubdevRef<'_>, last: bool) -> Result<KBox<dyn Stage>>;
}

/// The stage of `sd` if it is of one kind, else `None`.
pub(crate) type StageFn = fn(&SubdevRef<'_>, bool) -> Option<Result<KBox<dyn Stage>>>;

/// The [`StageFn`] of the kind `K`.
pub(crate) fn stage_fn<K: StageKind>(
    sd: &SubdevRef<'_>,
    last: bool,
) -> Option<Result<KBox<dyn Stage>>> {
    sd.data::<K>().map(|k| k.stage(sd, last))
}

/// `stage` on the heap, for the streamer.
pub(crate) fn boxed(stage: impl Stage + 'static) -> Result<KBox<dyn Stage>> {
    Ok(kbox_unsize!(KBox::new(stage, GFP_KERNEL)? => dyn Stage))
}

/// A stage's memory to write its frames: the frame of `len` bytes that the
/// next stage reads, or for the `last` stage one line of `line` bytes, where
/// a line is made before it is copied to the buffer (see [`write_frame`]).
pub(crate) fn stage_frame(len: usize, line: usize, last: bool) -> Result<VVec<u8>> {
    Ok(VVec::from_elem(
        0,
        if last { line } else { len },
        GFP_KERNEL,
    )?)
}

/// Writes a frame to `to` by `make` (frame code that returns false, writing
/// nothing, when the frame does not fit): into `own`, the stage's frame, or
/// into the buffer with `own` as the line in which lines are made.
pub(crate) fn write_frame(
    to: Out<'_, '_>,
    own: &mut [u8],
    make: impl FnOnce(&mut dyn FrameSink) -> bool,
) -> Result {
    let fits = match to {
        Out::Own => make(&mut &mut *own),
        Out::Buffer(plane) => {
            let mut to = ToPlane::new(plane, own);
            if make(&mut to) {
                return to.result;
            }
            false
        }
    };
    if fits {
        Ok(())
    } else {
        Err(EINVAL)
    }
}

/// A capture buffer as a [`FrameSink`]: lines are made in `line`, then
/// copied; a write that does not fit fails the frame.
struct ToPlane<'a, 'p> {
    plane: &'a mut Plane<'p>,
    line: &'a mut [u8],
    result: Result,
}

impl<'a, 'p> ToPlane<'a, 'p> {
    /// Writes to `plane`, making lines in `line`.
    fn new(plane: &'a mut Plane<'p>, line: &'a mut [u8]) -> Self {
        Self {
            plane,
            line,
            result: Ok(()),
        }
    }
}

impl FrameSink for ToPlane<'_, '_> {
    fn size(&self) -> usize {
        self.plane.len()
    }

    fn put(&mut self, at: usize, data: &[u8]) {
        if let Err(e) = self.plane.write(at, data) {
            self.result = Err(e);
        }
    }

    fn make(&mut self, at: usize, len: usize, f: &mut dyn FnMut(&mut [u8])) {
        let Some(line) = self.line.get_mut(..len) else {
            self.result = Err(EINVAL);
            return;
        };
        f(line);
        if let Err(e) = self.plane.write(at, line) {
            self.result = Err(e);
        }
    }
}
