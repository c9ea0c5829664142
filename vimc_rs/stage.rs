// SPDX-License-Identifier: GPL-2.0

//! What an entity kind gives a stream: a stage, its work on each frame. The
//! streamer runs stages without knowing their kinds (`kinds.rs` lists the
//! kinds that have one).

use crate::media::{compat::kbox_unsize, mc::pipeline::SubdevRef, v4l2::subdev};
use kernel::{alloc::VVec, prelude::*};

/// One entity's work on each frame of a running stream, owned by the
/// streamer's thread.
pub(crate) trait Stage: Send {
    /// Makes the stage's frame from `input` (the previous stage's output,
    /// empty for a source) into the stage's own frame.
    fn process(&mut self, input: &[u8]);

    /// The frame `process` made last.
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
    /// The subdev's stage for a starting stream, from its active state.
    fn stage(&self, sd: &SubdevRef<'_>) -> Result<KBox<dyn Stage>>;
}

/// The stage of `sd` if it is of one kind, else `None`.
pub(crate) type StageFn = fn(&SubdevRef<'_>) -> Option<Result<KBox<dyn Stage>>>;

/// The [`StageFn`] of the kind `K`.
pub(crate) fn stage_fn<K: StageKind>(sd: &SubdevRef<'_>) -> Option<Result<KBox<dyn Stage>>> {
    sd.data::<K>().map(|k| k.stage(sd))
}

/// `stage` on the heap, for the streamer.
pub(crate) fn boxed(stage: impl Stage + 'static) -> Result<KBox<dyn Stage>> {
    Ok(kbox_unsize!(KBox::new(stage, GFP_KERNEL)? => dyn Stage))
}

/// A stage's own output frame of `len` bytes.
pub(crate) fn stage_frame(len: usize) -> Result<VVec<u8>> {
    Ok(VVec::from_elem(0, len, GFP_KERNEL)?)
}
