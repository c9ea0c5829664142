// SPDX-License-Identifier: GPL-2.0

//! What a stream gets: its start context, its frames and their buffers.

use super::{node::Node, queue::Queued};
use crate::media::{bindings, compat::ARef, mc::pipeline};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{
    ffi::c_uint,
    prelude::*,
    sync::{CondVar, SpinLock},
};

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
/// - `queued` is the `SpinLock<Queued>` of the node `node` refers to, and
///   `arrived` the condition variable notified when a buffer joins it, in
///   the same allocation, which our reference keeps.
pub(crate) struct Frames {
    pub(super) node: ARef<Node>,
    pub(super) queued: NonNull<SpinLock<Queued>>,
    pub(super) arrived: NonNull<CondVar>,
    pub(super) sequence: u32,
    pub(super) field: u32,
    pub(super) sizeimage: usize,
}

// SAFETY: the node reference, the spinlock and the condition variable
// (`Sync`, reached through a pointer the type invariant keeps valid) are
// usable from any thread.
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

    /// Waits until userspace has queued a buffer (returns at once if one
    /// is), for at most `jiffies` ticks, a safety net only. A stop of the
    /// calling kthread ends the wait too, even one that begins after the
    /// stop: `kthread_stop` flags a pending signal (`TIF_NOTIFY_SIGNAL`),
    /// which is why the wait must stay interruptible.
    pub(crate) fn wait(&mut self, jiffies: u64) {
        // SAFETY: valid while we hold the node reference (type invariant).
        let (queued, arrived) = unsafe { (self.queued.as_ref(), self.arrived.as_ref()) };
        let mut q = queued.lock();
        if q.is_empty() {
            // Woken, timed out or interrupted: the caller looks again.
            let _ = arrived
                .wait_interruptible_timeout(&mut q, jiffies.try_into().unwrap_or(usize::MAX));
        }
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
    /// The buffer's memory for one frame, to write the frame into; -EFAULT
    /// if the buffer has no kernel mapping.
    pub(crate) fn plane(&mut self) -> Result<Plane<'_>> {
        let vb = self.vb.as_ptr();
        // SAFETY: ours until given back (type invariant); plane 0 exists
        // (single-planar queue) and `length` is its size.
        let (p, len) = unsafe {
            (
                bindings::vb2_plane_vaddr(&raw mut (*vb).vb2_buf, 0).cast::<u8>(),
                (*vb).vb2_buf.planes[0].length as usize,
            )
        };
        let p = NonNull::new(p).ok_or(EFAULT)?;
        // INVARIANT: the kernel mapping of the plane's `len` bytes, valid
        // while the buffer is ours, which the borrow of `self` keeps; a
        // frame is at most `sizeimage` bytes. No Rust reference to it
        // exists: the layer hands the mapping out only as this `Plane`.
        Ok(Plane {
            ptr: p,
            len: len.min(self.frames.sizeimage),
            _p: PhantomData,
        })
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

/// Memory a frame is written into, only through raw pointers: a buffer's
/// plane, or a frame of the driver's own.
///
/// A plane is never handed out as a slice: userspace (an MMAP or USERPTR
/// mapping) or a DMABUF exporter may write it at any time, so no Rust
/// reference to it may exist. A write that races with such a writer races
/// as C's `memcpy()` does, on bytes, never on a Rust object.
///
/// # Invariants
///
/// `ptr` is valid for writes of `len` bytes for `'a`, and no Rust
/// reference to those bytes exists while `'a` lasts.
pub(crate) struct Plane<'a> {
    ptr: NonNull<u8>,
    len: usize,
    _p: PhantomData<&'a mut [u8]>,
}

impl Plane<'_> {
    /// Bytes the plane holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Copies `data` to byte `at`; -EINVAL, writing nothing, if it does not
    /// fit.
    pub(crate) fn write(&mut self, at: usize, data: &[u8]) -> Result {
        match at.checked_add(data.len()) {
            Some(end) if end <= self.len => {}
            _ => return Err(EINVAL),
        }
        // SAFETY: `at + data.len() <= len` bytes are writable (checked
        // above, type invariant). `data` is a Rust reference, so it cannot
        // point into the plane (type invariant): the two do not overlap.
        unsafe {
            core::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr.as_ptr().add(at), data.len())
        };
        Ok(())
    }

    /// Clears the bytes from `at` to the end (none if `at` is past it).
    pub(crate) fn clear_from(&mut self, at: usize) {
        if at < self.len {
            // SAFETY: bytes `at..len` are writable (type invariant).
            unsafe { core::ptr::write_bytes(self.ptr.as_ptr().add(at), 0, self.len - at) };
        }
    }

    /// The first byte, for C code that writes the frame (at most
    /// [`Self::len`] bytes, while `self` is borrowed).
    pub(crate) fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr.as_ptr()
    }
}

impl<'a> From<&'a mut [u8]> for Plane<'a> {
    /// A frame of the driver's own, borrowed for `'a`.
    fn from(frame: &'a mut [u8]) -> Self {
        let len = frame.len();
        // INVARIANT: `frame` is borrowed mutably for `'a`: writable, and
        // no other reference to it exists meanwhile.
        Plane {
            ptr: NonNull::from(frame).cast(),
            len,
            _p: PhantomData,
        }
    }
}
