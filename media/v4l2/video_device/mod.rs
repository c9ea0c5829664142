// SPDX-License-Identifier: GPL-2.0

//! Video device nodes (`/dev/videoN`) and their media entity.
//!
//! C header: [`include/media/v4l2-dev.h`](srctree/include/media/v4l2-dev.h)
//!
//! Ownership: a [`VideoDev`] is one allocation holding the `video_device`,
//! its pad, its ioctl lock, its vb2 queue, its media pipeline and the node's
//! driver data. The V4L2 core calls `video_device.release` when the node is
//! unregistered and its last file handle is closed; that callback frees the
//! allocation. (Unlike subdevs, the core does not touch the `video_device`
//! after that callback.) Every open file pins the module through the static
//! file operations' owner.
//!
//! Streaming: vb2 calls `start_streaming` and `stop_streaming` with the
//! node's lock held; the driver's [`Driver::Stream`] lives between the two
//! and is dropped by `stop_streaming`, which vb2 always calls before the
//! queue is released (on close of the owning file or on unregistration), so
//! a stream never outlives the node. [`Frames`], the handle a streamer uses
//! to fill buffers, also holds a reference on the node's device.

use crate::media::{
    bindings, kcompat::releases::Counted, mc::media_device::MediaDevice, v4l2::types::FrameSizes,
};
use core::{cell::UnsafeCell, ptr::NonNull};
use kernel::{
    build_error,
    error::VTABLE_DEFAULT_ERROR,
    prelude::*,
    str::CStr,
    sync::{CondVar, SpinLock},
    types::Opaque,
};

use crate::media::v4l2::types::{MbusFormat, PixFormat};

mod format;
mod frames;
mod node;
mod ops;
mod queue;

use queue::Queued;

pub(crate) use frames::{Frames, Plane, StreamStart};
pub(crate) use node::{register, Node};

/// Device capabilities (`V4L2_CAP_*`) a node may add.
pub(crate) mod caps {
    use crate::media::bindings;
    /// Formats, inputs and outputs follow the media controller's links
    /// (`V4L2_CAP_IO_MC`).
    pub(crate) const IO_MC: u32 = bindings::V4L2_CAP_IO_MC;
}

/// What `VIDIOC_QUERYCAP` reports.
pub(crate) struct Caps {
    /// Driver name.
    pub(crate) driver: &'static CStr,
    /// Card name.
    pub(crate) card: &'static CStr,
    /// Bus information; `None` keeps the core's, from the parent device.
    pub(crate) bus_info: Option<&'static CStr>,
}

/// A video capture node type.
///
/// The ioctl callbacks get the node's `State` mutably: the V4L2 core calls
/// them with the node's lock held. Optional operations (`#[vtable]`) a type
/// leaves out are absent from its C tables.
#[vtable]
pub(crate) trait Driver: Sized + Send + Sync + 'static {
    /// State changed by ioctls, guarded by the node's lock.
    type State: Send;
    /// A running stream, from `start_streaming` until it is dropped by
    /// `stop_streaming`.
    type Stream: Send;
    /// The node's `device_caps` beyond `V4L2_CAP_VIDEO_CAPTURE` and
    /// `V4L2_CAP_STREAMING`, which every node here has ([`caps`]).
    const EXTRA_CAPS: u32 = 0;
    /// The fewest buffers `VIDIOC_REQBUFS` allocates.
    const MIN_REQBUFS_ALLOCATION: u32 = 0;
    /// `VIDIOC_QUERYCAP`.
    fn querycap(&self) -> Caps;
    /// `VIDIOC_ENUM_FMT`: the `index`th pixel format, limited to those
    /// carried by `mbus_code` if it is not zero.
    fn enum_fmt(&self, index: u32, mbus_code: u32) -> Result<u32>;
    /// `VIDIOC_G_FMT`.
    fn g_fmt(&self, state: &Self::State) -> PixFormat;
    /// `VIDIOC_TRY_FMT`.
    fn try_fmt(&self, fmt: &mut PixFormat) -> Result;
    /// `VIDIOC_S_FMT` (refused with -EBUSY by the caller while buffers exist).
    fn s_fmt(&self, state: &mut Self::State, fmt: &mut PixFormat) -> Result;
    /// `VIDIOC_ENUM_FRAMESIZES`: the one size range of `pixelformat`, or
    /// `None` if the node does not take it.
    fn frame_sizes(&self, pixelformat: u32) -> Option<FrameSizes>;
    /// Starts streaming, after the media pipeline started and validated
    /// its links. Queued buffers are handed out by [`StreamStart::frames`].
    fn start_streaming(&self, state: &Self::State, ctx: StreamStart<'_>) -> Result<Self::Stream>;
    /// Validates the enabled link into the node as its pipeline starts:
    /// `source` is the source pad's active format if that is a subdev's
    /// pad, `format` the node's. Without it the media core accepts the link.
    fn link_validate(&self, _source: Option<&MbusFormat>, _format: &PixFormat) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// A video node with its pad, lock, vb2 queue, state and driver data.
///
/// # Invariants
///
/// - Allocated as a pinned `KBox<VideoDev<T>>` by [`register`], handed to
///   C with `into_foreign` and taken back only by `free_node`: from
///   [`release_callback::<T>`], installed as `vdev.release`, or after a
///   failed registration.
/// - `lock` is initialized and is `vdev.lock` and `queue.lock`; `state` and
///   `stream` are accessed only with it held.
/// - `queue` is initialized by `vb2_queue_init` with `drv_priv` = `self`.
/// - `published` is the format `state` had after the last `S_FMT`, for
///   readers that cannot take `lock` (link validation of other nodes).
/// - `queued` holds buffers vb2 gave us with `buf_queue`, each exactly once;
///   `arrived` is notified after each buffer joins it.
/// - `media` is the media device of the `v4l2_device` the node is
///   registered on, whose memory outlives the node.
#[pin_data]
pub(crate) struct VideoDev<T: Driver> {
    vdev: Opaque<bindings::video_device>,
    pad: Opaque<bindings::media_pad>,
    lock: Opaque<bindings::mutex>,
    queue: Opaque<bindings::vb2_queue>,
    pipe: Opaque<bindings::media_pipeline>,
    media: NonNull<MediaDevice>,
    #[pin]
    queued: SpinLock<Queued>,
    #[pin]
    arrived: CondVar,
    #[pin]
    published: SpinLock<PixFormat>,
    state: UnsafeCell<T::State>,
    stream: UnsafeCell<Option<T::Stream>>,
    data: T,
    /// Freed by `release_callback`, maybe after the module's exit began.
    _counted: Counted,
}

impl<T: Driver> VideoDev<T> {
    /// The node behind an open file.
    ///
    /// # Safety
    ///
    /// `file` is an open file of a node registered by [`register`] for `T`.
    unsafe fn from_file<'a>(file: *mut bindings::file) -> &'a Self {
        // SAFETY: the caller guarantees `file` belongs to our node, which
        // outlives its open files.
        unsafe {
            let vdev = bindings::video_devdata(file);
            &*kernel::container_of!(vdev.cast::<Opaque<bindings::video_device>>(), Self, vdev)
        }
    }

    /// The node of a queue.
    ///
    /// # Safety
    ///
    /// `q` is the queue of a live `VideoDev<T>`.
    unsafe fn from_queue<'a>(q: *mut bindings::vb2_queue) -> &'a Self {
        // SAFETY: `drv_priv` is the node (type invariant).
        unsafe { &*((*q).drv_priv as *const Self) }
    }

    fn format(&self) -> PixFormat {
        *self.published.lock()
    }

    /// Gives every buffer we hold back to vb2 in `state`.
    fn return_all(&self, state: bindings::vb2_buffer_state) {
        let mut q = self.queued.lock();
        while let Some(vb) = q.pop() {
            // SAFETY: a buffer vb2 gave us and we did not give back yet.
            unsafe { bindings::vb2_buffer_done(&raw mut (*vb).vb2_buf, state) };
        }
    }
}
