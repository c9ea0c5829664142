// SPDX-License-Identifier: GPL-2.0

//! The node's vb2 queue: its callbacks and the buffers vb2 handed over.

use super::{
    frames::{Frames, StreamStart},
    node::Node,
    Driver, VideoDev,
};
use crate::media::{bindings, compat::MutPtr};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{
    ffi::{c_int, c_uint},
    prelude::*,
};

/// Buffers handed to the driver by vb2 and not yet given back, oldest first.
/// Never more than vb2's limit per queue, so a fixed ring (no allocation in
/// `buf_queue`, which cannot fail).
pub(super) struct Queued {
    ring: [*mut bindings::vb2_v4l2_buffer; MAX_BUFFERS],
    head: usize,
    len: usize,
}

pub(super) const MAX_BUFFERS: usize = bindings::VB2_MAX_FRAME as usize;

// SAFETY: the pointers are vb2 buffers, usable from any thread.
unsafe impl Send for Queued {}

impl Queued {
    pub(super) const fn new() -> Self {
        Self {
            ring: [core::ptr::null_mut(); MAX_BUFFERS],
            head: 0,
            len: 0,
        }
    }

    fn push(&mut self, vb: *mut bindings::vb2_v4l2_buffer) -> bool {
        if self.len == MAX_BUFFERS {
            return false;
        }
        self.ring[(self.head + self.len) % MAX_BUFFERS] = vb;
        self.len += 1;
        true
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(super) fn pop(&mut self) -> Option<*mut bindings::vb2_v4l2_buffer> {
        if self.is_empty() {
            return None;
        }
        let vb = self.ring[self.head];
        self.head = (self.head + 1) % MAX_BUFFERS;
        self.len -= 1;
        Some(vb)
    }
}

/// # Safety
///
/// Called by vb2 on our queue with valid arrays of `VB2_MAX_PLANES`.
pub(super) unsafe extern "C" fn queue_setup<T: Driver>(
    q: *mut bindings::vb2_queue,
    nbuffers: *mut c_uint,
    nplanes: *mut c_uint,
    sizes: *mut c_uint,
    _alloc_devs: *mut *mut bindings::device,
) -> c_int {
    let _ = nbuffers;
    // SAFETY: as the function's safety section.
    let (node, nplanes) = unsafe { (VideoDev::<T>::from_queue(q), &mut *nplanes) };
    let size = node.format().sizeimage;
    // SAFETY: `sizes` has room for `VB2_MAX_PLANES` entries.
    let sizes = unsafe { core::slice::from_raw_parts_mut(sizes, 1) };
    if *nplanes != 0 {
        // CREATE_BUFS: the caller's size must hold a frame.
        return if sizes[0] < size {
            EINVAL.to_errno()
        } else {
            0
        };
    }
    *nplanes = 1;
    sizes[0] = size;
    0
}

/// # Safety
///
/// Called by vb2 with a buffer of our queue.
pub(super) unsafe extern "C" fn buf_prepare<T: Driver>(vb: *mut bindings::vb2_buffer) -> c_int {
    // SAFETY: as the function's safety section; plane 0 exists.
    let (node, len) = unsafe {
        (
            VideoDev::<T>::from_queue((*vb).vb2_queue),
            (*vb).planes[0].length,
        )
    };
    let size = node.format().sizeimage;
    if len < size {
        pr_err!("buffer too small ({} < {})\n", len, size);
        return EINVAL.to_errno();
    }
    0
}

/// # Safety
///
/// Called by vb2 with a buffer of our queue that it hands to the driver.
pub(super) unsafe extern "C" fn buf_queue<T: Driver>(vb: *mut bindings::vb2_buffer) {
    // SAFETY: as the function's safety section; vb2 allocates buffers as
    // `vb2_v4l2_buffer` (`buf_struct_size`), with `vb2_buf` first.
    let (node, vbuf) = unsafe {
        (
            VideoDev::<T>::from_queue((*vb).vb2_queue),
            kernel::container_of!(vb, bindings::vb2_v4l2_buffer, vb2_buf).mut_ptr(),
        )
    };
    // INVARIANT: vb2 hands a buffer over once per `buf_queue`; one that
    // does not fit goes straight back.
    if !node.queued.lock().push(vbuf) {
        // Cannot happen (vb2 never holds more); give it back rather than lose it.
        // SAFETY: the buffer is ours to complete.
        unsafe { bindings::vb2_buffer_done(vb, bindings::vb2_buffer_state_VB2_BUF_STATE_ERROR) };
        return;
    }
    // INVARIANT: notified after the buffer joined `queued`.
    node.arrived.notify_one();
}

/// # Safety
///
/// Called by vb2 on our queue with the node's lock held.
pub(super) unsafe extern "C" fn start_streaming<T: Driver>(
    q: *mut bindings::vb2_queue,
    _count: c_uint,
) -> c_int {
    // SAFETY: as the function's safety section.
    let node = unsafe { VideoDev::<T>::from_queue(q) };
    let vdev = node.vdev.get();
    // SAFETY: `media` is alive while the node is (type invariant), the node
    // is registered on it with its one pad, and `pipe` is ours and zeroed
    // or stopped.
    let ret = unsafe { node.media.as_ref().pipeline_start(vdev, node.pipe.get()) };
    if let Err(e) = ret {
        node.return_all(bindings::vb2_buffer_state_VB2_BUF_STATE_QUEUED);
        return e.to_errno();
    }
    let fmt = node.format();
    // INVARIANT: `queued` and `arrived` are the node's, in the allocation
    // the reference taken here keeps.
    let frames = Frames {
        // SAFETY: registered by `register` (its queue is reached only
        // through it), and the file that starts the stream holds a
        // reference on it (v4l2_open()'s video_get()) while this runs.
        node: unsafe { Node::get(NonNull::new_unchecked(vdev)) },
        queued: NonNull::from(&node.queued),
        arrived: NonNull::from(&node.arrived),
        sequence: 0,
        field: fmt.field,
        sizeimage: fmt.sizeimage as usize,
    };
    let ctx = StreamStart {
        vdev,
        frames,
        _p: PhantomData,
    };
    // SAFETY: the lock is held: `state` and `stream` are ours.
    let ret = unsafe { node.data.start_streaming(&*node.state.get(), ctx) };
    match ret {
        Ok(stream) => {
            // SAFETY: as above.
            unsafe { *node.stream.get() = Some(stream) };
            0
        }
        Err(e) => {
            // SAFETY: started above.
            unsafe { bindings::video_device_pipeline_stop(vdev) };
            node.return_all(bindings::vb2_buffer_state_VB2_BUF_STATE_QUEUED);
            e.to_errno()
        }
    }
}

/// # Safety
///
/// Called by vb2 on our streaming queue with the node's lock held.
pub(super) unsafe extern "C" fn stop_streaming<T: Driver>(q: *mut bindings::vb2_queue) {
    // SAFETY: as the function's safety section.
    let node = unsafe { VideoDev::<T>::from_queue(q) };
    // Stops the streamer before anything it uses goes.
    // SAFETY: the lock is held.
    drop(unsafe { (*node.stream.get()).take() });
    // SAFETY: started by `start_streaming`.
    unsafe { bindings::video_device_pipeline_stop(node.vdev.get()) };
    node.return_all(bindings::vb2_buffer_state_VB2_BUF_STATE_ERROR);
}
