// SPDX-License-Identifier: GPL-2.0

//! What a stream gets: its start context, its frames and their buffers.

use super::{node::Node, queue::Queued};
use crate::media::{bindings, compat::ARef, mc::pipeline};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{ffi::c_uint, prelude::*, sync::SpinLock};

/// What a driver gets to start a stream: the node's entity in its started
/// pipeline and its buffers.
pub(crate) struct StreamStart<'a> {
    pub(super) vdev: *mut bindings::video_device,
    pub(super) frames: Frames,
    pub(super) _p: PhantomData<&'a ()>,
}

impl<'a> StreamStart<'a> {
    /// The node's entity in its started pipeline, to walk upstream from.
    pub(crate) fn entity(&self) -> pipeline::EntityRef<'a> {
        // SAFETY: the node is registered and streaming is starting: the
        // media pipeline is started, so the links cannot change while `'a`
        // (this start) lasts.
        unsafe { pipeline::EntityRef::new(NonNull::new_unchecked(&raw mut (*self.vdev).entity)) }
    }

    /// The handle that fills this node's buffers.
    pub(crate) fn frames(self) -> Frames {
        self.frames
    }
}

/// Fills the buffers of one streaming node: the streamer's end of the queue.
///
/// # Invariants
///
/// - `queued` is the `SpinLock<Queued>` of the node `node` refers to, in
///   the same allocation, which our reference keeps.
pub(crate) struct Frames {
    pub(super) node: ARef<Node>,
    pub(super) queued: NonNull<SpinLock<Queued>>,
    pub(super) sequence: u32,
    pub(super) field: u32,
    pub(super) sizeimage: usize,
}

// SAFETY: the node reference and the spinlock are usable from any thread.
unsafe impl Send for Frames {}

impl Frames {
    /// The next buffer to fill, if userspace queued one.
    pub(crate) fn next(&mut self) -> Option<FrameBuf<'_>> {
        // SAFETY: valid while we hold the node reference (type invariant).
        let vb = unsafe { self.queued.as_ref() }.lock().pop()?;
        // INVARIANT: `vb` just left `queued`: vb2 gave it, and only this
        // value holds it now.
        Some(FrameBuf {
            // SAFETY: `pop` returns non-null buffers given by vb2.
            vb: unsafe { NonNull::new_unchecked(vb) },
            frames: self,
            completed: false,
        })
    }
}

/// One buffer being filled; given back to vb2 as done by [`FrameBuf::done`],
/// or as failed if dropped.
///
/// # Invariants
///
/// `vb` is a buffer vb2 gave the driver, not given back while `self` lives
/// unless `completed` is set.
pub(crate) struct FrameBuf<'a> {
    vb: NonNull<bindings::vb2_v4l2_buffer>,
    frames: &'a mut Frames,
    completed: bool,
}

impl FrameBuf<'_> {
    /// Copies `frame` into the buffer's memory, at most one frame of it;
    /// -EFAULT if the buffer has no kernel mapping.
    ///
    /// The memory is never handed out as a slice: userspace (an MMAP or
    /// USERPTR mapping) or a DMABUF exporter may write it at any time, so
    /// no Rust reference to it may exist. The copy is C vimc's capture
    /// `memcpy()`.
    pub(crate) fn fill(&mut self, frame: &[u8]) -> Result {
        let vb = self.vb.as_ptr();
        // SAFETY: ours until given back (type invariant); plane 0 exists
        // (single-planar queue) and `length` is its size.
        let (p, len) = unsafe {
            (
                bindings::vb2_plane_vaddr(&raw mut (*vb).vb2_buf, 0).cast::<u8>(),
                (*vb).vb2_buf.planes[0].length as usize,
            )
        };
        if p.is_null() {
            return Err(EFAULT);
        }
        let n = frame.len().min(len).min(self.frames.sizeimage);
        // SAFETY: `p` maps the plane's `len` bytes and `n <= len`; `frame`
        // is our own memory, so the two do not overlap. Only raw pointers
        // touch the plane: another writer of it (see above) races with
        // this copy as with C's `memcpy()`, on bytes, never on a Rust
        // object.
        unsafe { core::ptr::copy_nonoverlapping(frame.as_ptr(), p, n) };
        Ok(())
    }

    /// Completes the buffer with a full frame, the next sequence number,
    /// the node's field and the monotonic time.
    pub(crate) fn done(mut self) {
        let vb = self.vb.as_ptr();
        let f = &mut *self.frames;
        // SAFETY: ours until given back (type invariant), which this does.
        unsafe {
            (*vb).vb2_buf.timestamp = crate::media::kcompat::kthread::ktime_get_ns();
            (*vb).sequence = f.sequence;
            (*vb).field = f.field;
            (*vb).vb2_buf.planes[0].bytesused = f.sizeimage as c_uint;
            bindings::vb2_buffer_done(
                &raw mut (*vb).vb2_buf,
                bindings::vb2_buffer_state_VB2_BUF_STATE_DONE,
            );
        }
        f.sequence = f.sequence.wrapping_add(1);
        // INVARIANT: given back just above.
        self.completed = true;
    }
}

impl Drop for FrameBuf<'_> {
    fn drop(&mut self) {
        if self.completed {
            return;
        }
        // SAFETY: ours and not given back yet (type invariant).
        unsafe {
            bindings::vb2_buffer_done(
                &raw mut (*self.vb.as_ptr()).vb2_buf,
                bindings::vb2_buffer_state_VB2_BUF_STATE_ERROR,
            )
        };
    }
}
