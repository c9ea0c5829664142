// SPDX-License-Identifier: GPL-2.0

//! The streamer: one thread per streaming capture node that runs the frame
//! through every entity from the source to the node, as C vimc does.
//!
//! Everything a frame touches (generator, frames, scratch) is owned by the
//! thread; entities share only their control values (atomics), so no lock
//! is taken per frame and nothing depends on an entity's lifetime.

use crate::{
    debayer::{Debayer, DebayerStage},
    media::{
        kthread::{self, Thread, Work},
        params,
        pipeline::Started,
        video_device::{Frames, StreamStart},
    },
    scaler::{Scaler, ScalerStage},
    sensor::{Sensor, SensorStage},
};
use kernel::{c_str, prelude::*};

/// One entity's work on a frame.
enum Stage {
    Sensor(SensorStage),
    Debayer(DebayerStage),
    Scaler(ScalerStage),
}

impl Stage {
    fn process(&mut self, input: &[u8]) {
        match self {
            Stage::Sensor(s) => s.process(),
            Stage::Debayer(s) => s.process(input),
            Stage::Scaler(s) => s.process(input),
        }
    }

    fn output(&self) -> &[u8] {
        match self {
            Stage::Sensor(s) => s.output(),
            Stage::Debayer(s) => s.output(),
            Stage::Scaler(s) => s.output(),
        }
    }
}

/// What the thread owns.
struct Streamer {
    /// Source first.
    stages: KVec<Stage>,
    frames: Frames,
    interval: u64,
}

impl Streamer {
    /// One frame through the pipeline into the next buffer, if any.
    fn run_once(&mut self) {
        for i in 0..self.stages.len() {
            let (done, rest) = self.stages.split_at_mut(i);
            let input = done.last().map_or(&[][..], Stage::output);
            rest[0].process(input);
        }
        let Some(out) = self.stages.last().map(Stage::output) else {
            return;
        };
        // As C vimc: without a queued buffer the frame is dropped.
        if let Some(mut buf) = self.frames.next() {
            if let Some(data) = buf.data() {
                let n = data.len().min(out.len());
                data[..n].copy_from_slice(&out[..n]);
                buf.done();
            }
        }
    }
}

impl Work for Streamer {
    fn run(&mut self) {
        if !params::free_run() {
            self.run_once();
            kthread::sleep_jiffies(self.interval);
        } else if self.frames.has_buffer() {
            // Free-running: as fast as buffers come back, and no work on
            // frames nobody would get.
            self.run_once();
            kthread::cond_resched();
        } else {
            kthread::sleep_jiffies(1);
        }
    }
}

/// A running stream. Field order is drop order: the thread stops before
/// the subdevs do.
pub(crate) struct Stream {
    _thread: Thread<Streamer>,
    _started: Started,
}

/// The stage of one upstream subdev, by its entity type.
fn stage_of(sd: &crate::media::pipeline::SubdevRef<'_>) -> Result<Stage> {
    if let Some(s) = sd.data::<Sensor>() {
        Ok(Stage::Sensor(s.stage(sd)?))
    } else if let Some(d) = sd.data::<Debayer>() {
        Ok(Stage::Debayer(d.stage(sd)?))
    } else if let Some(s) = sd.data::<Scaler>() {
        Ok(Stage::Scaler(s.stage(sd)?))
    } else {
        Err(EINVAL)
    }
}

/// Starts the subdevs upstream of the node and the thread feeding it.
pub(crate) fn start(ctx: StreamStart<'_>) -> Result<Stream> {
    let upstream = ctx.upstream()?;
    // Nearest first, as C vimc's walk; `started` stops them on any error.
    let mut started = Started::new();
    for sd in upstream.iter() {
        started.start(sd)?;
    }
    let mut stages = KVec::with_capacity(upstream.len(), GFP_KERNEL)?;
    for sd in upstream.iter().rev() {
        stages.push(stage_of(sd)?, GFP_KERNEL)?;
    }
    let streamer = Streamer {
        stages,
        frames: ctx.frames(),
        // C vimc: HZ / 60.
        interval: (kthread::hz() / 60).max(1),
    };
    let thread = Thread::spawn(c_str!("vimc-streamer thread"), streamer)?;
    Ok(Stream {
        _thread: thread,
        _started: started,
    })
}
