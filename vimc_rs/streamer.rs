// SPDX-License-Identifier: GPL-2.0

//! The streamer: one thread per streaming capture node that runs the frame
//! through every entity from the source to the node, as C vimc does.
//!
//! Everything a frame touches (generator, frames, scratch) is owned by the
//! thread; entities share only their control values (atomics), so no lock
//! is taken per frame and nothing depends on an entity's lifetime.

use crate::{
    media::{
        kcompat::kthread::{self, Thread, Work},
        mc::pipeline::{Started, SubdevRef},
        v4l2::video_device::{Frames, StreamStart},
    },
    stage::{Out, Stage},
};
use kernel::{c_str, prelude::*};

/// How streams are put together, handed in by the device: the streamer
/// knows stages, not the kinds that make them.
#[derive(Clone, Copy)]
pub(crate) struct Streaming {
    /// The stage of one subdev upstream of a starting stream, by its kind
    /// (`true`: the last, which writes the buffer); -EINVAL for a subdev of
    /// no streaming kind.
    pub(crate) stage_of: fn(&SubdevRef<'_>, bool) -> Result<KBox<dyn Stage>>,
    /// Stream as fast as buffers come back instead of at the sensor's
    /// frame rate (the module's `free_run`, fixed at load).
    pub(crate) free_run: bool,
}

/// What the thread owns.
struct Streamer {
    /// Source first.
    stages: KVec<KBox<dyn Stage>>,
    frames: Frames,
    free_run: bool,
}

impl Streamer {
    /// One frame through the pipeline into the next queued buffer, which
    /// the last stage writes (where C vimc's capture copies the frame).
    /// Without a buffer there is nothing to do: C vimc would make the frame
    /// and drop it. Returns whether a frame was made.
    fn run_once(&mut self) -> bool {
        let Some(mut buf) = self.frames.next() else {
            return false;
        };
        // A buffer without a mapping, or a frame that does not fit, goes
        // back as failed (dropping `buf`).
        let Ok(mut plane) = buf.plane() else {
            return false;
        };
        let Some((last, inner)) = self.stages.split_last_mut() else {
            return false;
        };
        for i in 0..inner.len() {
            let (done, rest) = inner.split_at_mut(i);
            let input = done.last().map_or(&[][..], |s| s.output());
            if rest[0].process(input, Out::Own).is_err() {
                return false;
            }
        }
        let input = inner.last().map_or(&[][..], |s| s.output());
        if last.process(input, Out::Buffer(&mut plane)).is_err() {
            return false;
        }
        buf.done();
        true
    }
}

impl Streamer {
    /// The wait after each frame: as the sensor's timing controls say.
    #[cfg(vimc_sensor_timing)]
    fn interval(&self) -> u64 {
        self.stages
            .first()
            .and_then(|s| s.frame_interval())
            .unwrap_or((kthread::hz() / 30).max(1))
    }

    /// The wait after each frame: C vimc's HZ / 60.
    #[cfg(not(vimc_sensor_timing))]
    fn interval(&self) -> u64 {
        (kthread::hz() / 60).max(1)
    }
}

impl Work for Streamer {
    fn run(&mut self) {
        // Read before the frame, as C vimc does.
        let interval = self.interval();
        let made = self.run_once();
        if !self.free_run {
            kthread::sleep_jiffies(interval);
        } else if made {
            // Free-running: as fast as buffers come back.
            kthread::cond_resched();
        } else {
            // Woken as soon as a buffer comes back; at once if one is
            // queued (after a failed one), so yield as well.
            self.frames.wait((kthread::hz() / 10).max(1));
            kthread::cond_resched();
        }
    }
}

/// A running stream. Field order is drop order: the thread stops before
/// the subdevs do.
pub(crate) struct Stream {
    _thread: Thread<Streamer>,
    _started: Started,
}

/// The longest pipeline C vimc walks.
const MAX_PIPELINE: usize = 16;

/// The subdevs upstream of the node, nearest first, as C vimc's streamer
/// finds them (`vimc_get_source_entity()`): through each entity's first sink
/// pad, to one without sink pads. -EPIPE if a sink pad has no enabled link,
/// -EINVAL if the chain is longer than C vimc allows or leaves our subdevs.
fn upstream<'a>(ctx: &StreamStart<'a>) -> Result<KVec<SubdevRef<'a>>> {
    let mut out = KVec::new();
    let mut entity = ctx.entity();
    while let Some(pad) = entity.sink_pads().next() {
        let source = pad.remote().ok_or(EPIPE)?.entity();
        if out.len() + 1 >= MAX_PIPELINE {
            return Err(EINVAL);
        }
        out.push(source.subdev().ok_or(EINVAL)?, GFP_KERNEL)?;
        entity = source;
    }
    Ok(out)
}

/// Starts the subdevs upstream of the node and the thread feeding it.
pub(crate) fn start(ctx: StreamStart<'_>, how: &Streaming) -> Result<Stream> {
    let upstream = upstream(&ctx)?;
    // Nearest first, as C vimc's walk; `started` stops them on any error.
    let mut started = Started::new();
    for sd in upstream.iter() {
        started.start(sd)?;
    }
    let mut stages = KVec::with_capacity(upstream.len(), GFP_KERNEL)?;
    // Source first; the nearest subdev is the last stage, which writes the
    // buffers.
    for (i, sd) in upstream.iter().enumerate().rev() {
        stages.push((how.stage_of)(sd, i == 0)?, GFP_KERNEL)?;
    }
    let streamer = Streamer {
        stages,
        frames: ctx.frames(),
        free_run: how.free_run,
    };
    let thread = Thread::spawn(c_str!("vimc-streamer thread"), streamer)?;
    Ok(Stream {
        _thread: thread,
        _started: started,
    })
}
