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

use super::{
    bindings, compat::MutPtr, copy_cstr, media_device::MediaDevice, pipeline, releases::Counted,
    to_c_int, FrameSizes,
};
use core::{cell::UnsafeCell, marker::PhantomData, pin::Pin, ptr::NonNull};
use kernel::{
    build_error,
    error::{to_result, VTABLE_DEFAULT_ERROR},
    ffi::{c_int, c_uint, c_void},
    new_spinlock,
    prelude::*,
    str::CStr,
    sync::SpinLock,
    types::{ForeignOwnable, Opaque},
    ThisModule,
};

use super::v4l2::{Colorimetry, MbusFormat, PixFormat};

// The pure format code keeps its own copies of the uapi numbers (it uses no
// kernel headers); check them against the headers at compile time.
macro_rules! same_as_uapi {
    ($($c:ident)*) => {
        $(kernel::macros::paste! {
            const _: () = assert!(super::v4l2::mbus::$c == bindings::[<MEDIA_BUS_FMT_ $c>]);
        })*
    };
}
same_as_uapi!(
    BGR888_1X24 BGR888_3X8 RGB888_1X24 RGB888_2X12_BE
    RGB888_2X12_LE RGB888_3X8 RGB888_1X7X4_SPWG RGB888_1X7X4_JEIDA
    RGB888_1X32_PADHI GBR888_1X24 ARGB8888_1X32 SBGGR8_1X8
    SGBRG8_1X8 SGRBG8_1X8 SRGGB8_1X8 SBGGR10_1X10
    SGBRG10_1X10 SGRBG10_1X10 SRGGB10_1X10 SBGGR10_ALAW8_1X8
    SGBRG10_ALAW8_1X8 SGRBG10_ALAW8_1X8 SRGGB10_ALAW8_1X8 SBGGR10_DPCM8_1X8
    SGBRG10_DPCM8_1X8 SGRBG10_DPCM8_1X8 SRGGB10_DPCM8_1X8 SBGGR12_1X12
    SGBRG12_1X12 SGRBG12_1X12 SRGGB12_1X12
);

const _: () = {
    use super::v4l2::{color, field};
    assert!(field::ANY == bindings::v4l2_field_V4L2_FIELD_ANY);
    assert!(field::NONE == bindings::v4l2_field_V4L2_FIELD_NONE);
    assert!(field::ALTERNATE == bindings::v4l2_field_V4L2_FIELD_ALTERNATE);
    assert!(color::COLORSPACE_SRGB == bindings::v4l2_colorspace_V4L2_COLORSPACE_SRGB);
    assert!(color::COLORSPACE_DCI_P3 == bindings::v4l2_colorspace_V4L2_COLORSPACE_DCI_P3);
    assert!(color::YCBCR_ENC_SMPTE240M == bindings::v4l2_ycbcr_encoding_V4L2_YCBCR_ENC_SMPTE240M);
    assert!(
        color::QUANTIZATION_LIM_RANGE == bindings::v4l2_quantization_V4L2_QUANTIZATION_LIM_RANGE
    );
    assert!(color::XFER_FUNC_SMPTE2084 == bindings::v4l2_xfer_func_V4L2_XFER_FUNC_SMPTE2084);
};

fn to_c(f: &PixFormat, out: &mut bindings::v4l2_pix_format) {
    out.width = f.width;
    out.height = f.height;
    out.pixelformat = f.pixelformat;
    out.field = f.field;
    out.bytesperline = f.bytesperline;
    out.sizeimage = f.sizeimage;
    out.colorspace = f.color.colorspace;
    // SAFETY: `ycbcr_enc` and `hsv_enc` are two `u32` views of one field.
    unsafe { *out.__bindgen_anon_1.ycbcr_enc.as_mut() = f.color.ycbcr_enc };
    out.quantization = f.color.quantization;
    out.xfer_func = f.color.xfer_func;
}

fn from_c(f: &bindings::v4l2_pix_format) -> PixFormat {
    PixFormat {
        width: f.width,
        height: f.height,
        pixelformat: f.pixelformat,
        field: f.field,
        bytesperline: f.bytesperline,
        sizeimage: f.sizeimage,
        color: Colorimetry {
            colorspace: f.colorspace,
            // SAFETY: as in `to_c`.
            ycbcr_enc: unsafe { *f.__bindgen_anon_1.ycbcr_enc.as_ref() },
            quantization: f.quantization,
            xfer_func: f.xfer_func,
        },
    }
}

/// Runs `op` on the `v4l2_pix_format` of `f` as a [`PixFormat`] and writes
/// the result back.
///
/// # Safety
///
/// `f` is a valid `v4l2_format` of a single-planar video type.
unsafe fn with_pix(
    f: *mut bindings::v4l2_format,
    op: impl FnOnce(&mut PixFormat) -> Result,
) -> c_int {
    // SAFETY: by the function's safety section, `pix` is the active member.
    let pix = unsafe { (*f).fmt.pix.as_mut() };
    let mut p = from_c(pix);
    let r = op(&mut p);
    to_c(&p, pix);
    to_c_int(r)
}

/// Device capabilities (`V4L2_CAP_*`) a node may add.
pub(crate) mod caps {
    use super::bindings;
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

/// Buffers handed to the driver by vb2 and not yet given back, oldest first.
/// Never more than vb2's limit per queue, so a fixed ring (no allocation in
/// `buf_queue`, which cannot fail).
struct Queued {
    ring: [*mut bindings::vb2_v4l2_buffer; MAX_BUFFERS],
    head: usize,
    len: usize,
}

const MAX_BUFFERS: usize = bindings::VB2_MAX_FRAME as usize;

// SAFETY: the pointers are vb2 buffers, usable from any thread.
unsafe impl Send for Queued {}

impl Queued {
    const fn new() -> Self {
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

    fn pop(&mut self) -> Option<*mut bindings::vb2_v4l2_buffer> {
        if self.len == 0 {
            return None;
        }
        let vb = self.ring[self.head];
        self.head = (self.head + 1) % MAX_BUFFERS;
        self.len -= 1;
        Some(vb)
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
/// - `queued` holds buffers vb2 gave us with `buf_queue`, each exactly once.
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

/// What a driver gets to start a stream: the node's entity in its started
/// pipeline and its buffers.
pub(crate) struct StreamStart<'a> {
    vdev: *mut bindings::video_device,
    frames: Frames,
    _p: PhantomData<&'a ()>,
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
/// - `dev` is the `struct device` of a registered node's `video_device`, and
///   we hold a reference on it, so `queued` (inside that allocation) stays
///   valid; `queued` is a `SpinLock<Queued>` of that node.
pub(crate) struct Frames {
    dev: NonNull<bindings::device>,
    queued: NonNull<SpinLock<Queued>>,
    sequence: u32,
    field: u32,
    sizeimage: usize,
}

// SAFETY: the device reference and the spinlock are usable from any thread.
unsafe impl Send for Frames {}

impl Frames {
    /// The next buffer to fill, if userspace queued one.
    pub(crate) fn next(&mut self) -> Option<FrameBuf<'_>> {
        // SAFETY: valid while we hold the device reference (type invariant).
        let vb = unsafe { self.queued.as_ref() }.lock().pop()?;
        Some(FrameBuf {
            // SAFETY: `pop` returns non-null buffers given by vb2.
            vb: unsafe { NonNull::new_unchecked(vb) },
            frames: self,
            completed: false,
        })
    }
}

impl Drop for Frames {
    fn drop(&mut self) {
        // SAFETY: our reference (type invariant).
        unsafe { bindings::put_device(self.dev.as_ptr()) };
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
            (*vb).vb2_buf.timestamp = super::kthread::ktime_get_ns();
            (*vb).sequence = f.sequence;
            (*vb).field = f.field;
            (*vb).vb2_buf.planes[0].bytesused = f.sizeimage as c_uint;
            bindings::vb2_buffer_done(
                &raw mut (*vb).vb2_buf,
                bindings::vb2_buffer_state_VB2_BUF_STATE_DONE,
            );
        }
        f.sequence = f.sequence.wrapping_add(1);
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

/// The C ops tables of a node type `T`.
struct Vtable<T>(PhantomData<T>);

impl<T: Driver> Vtable<T> {
    const IOCTL_OPS: bindings::v4l2_ioctl_ops = bindings::v4l2_ioctl_ops {
        vidioc_querycap: Some(querycap::<T>),
        vidioc_enum_fmt_vid_cap: Some(enum_fmt::<T>),
        vidioc_g_fmt_vid_cap: Some(g_fmt::<T>),
        vidioc_try_fmt_vid_cap: Some(try_fmt::<T>),
        vidioc_s_fmt_vid_cap: Some(s_fmt::<T>),
        vidioc_enum_framesizes: Some(enum_framesizes::<T>),
        vidioc_reqbufs: Some(bindings::vb2_ioctl_reqbufs),
        vidioc_create_bufs: Some(bindings::vb2_ioctl_create_bufs),
        vidioc_prepare_buf: Some(bindings::vb2_ioctl_prepare_buf),
        vidioc_querybuf: Some(bindings::vb2_ioctl_querybuf),
        vidioc_qbuf: Some(bindings::vb2_ioctl_qbuf),
        vidioc_dqbuf: Some(bindings::vb2_ioctl_dqbuf),
        vidioc_expbuf: Some(bindings::vb2_ioctl_expbuf),
        vidioc_streamon: Some(bindings::vb2_ioctl_streamon),
        vidioc_streamoff: Some(bindings::vb2_ioctl_streamoff),
        vidioc_remove_bufs: Some(bindings::vb2_ioctl_remove_bufs),
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const QUEUE_OPS: bindings::vb2_ops = bindings::vb2_ops {
        queue_setup: Some(queue_setup::<T>),
        buf_prepare: Some(buf_prepare::<T>),
        buf_queue: Some(buf_queue::<T>),
        start_streaming: Some(start_streaming::<T>),
        stop_streaming: Some(stop_streaming::<T>),
        // `queue.lock` is set, so vb2's helpers drop and retake it (7.x's
        // vb2 does that itself and has no such callbacks).
        #[cfg(not(kernel_7))]
        wait_prepare: Some(bindings::vb2_ops_wait_prepare),
        #[cfg(not(kernel_7))]
        wait_finish: Some(bindings::vb2_ops_wait_finish),
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const ENTITY_OPS: bindings::media_entity_operations = bindings::media_entity_operations {
        link_validate: if T::HAS_LINK_VALIDATE {
            Some(link_validate::<T>)
        } else {
            None
        },
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
}

struct Fops(bindings::v4l2_file_operations);
// SAFETY: immutable after compilation.
unsafe impl Sync for Fops {}

static FOPS: Fops = Fops(bindings::v4l2_file_operations {
    owner: super::THIS_MODULE_PTR,
    open: Some(bindings::v4l2_fh_open),
    release: Some(bindings::vb2_fop_release),
    read: Some(bindings::vb2_fop_read),
    poll: Some(bindings::vb2_fop_poll),
    unlocked_ioctl: Some(bindings::video_ioctl2),
    mmap: Some(bindings::vb2_fop_mmap),
    // SAFETY: all-zero is "no callback" for the operations we leave out.
    ..unsafe { core::mem::zeroed() }
});

/// # Safety
///
/// Called by the V4L2 core with an open file of our node and a valid `cap`.
unsafe extern "C" fn querycap<T: Driver>(
    file: *mut bindings::file,
    _fh: *mut c_void,
    cap: *mut bindings::v4l2_capability,
) -> c_int {
    // SAFETY: as the function's safety section.
    let (node, cap) = unsafe { (VideoDev::<T>::from_file(file), &mut *cap) };
    let caps = node.data.querycap();
    copy_cstr(&mut cap.driver, caps.driver);
    copy_cstr(&mut cap.card, caps.card);
    if let Some(b) = caps.bus_info {
        copy_cstr(&mut cap.bus_info, b);
    }
    0
}

/// # Safety
///
/// Called by the V4L2 core with an open file of our node and a valid `f`.
unsafe extern "C" fn enum_fmt<T: Driver>(
    file: *mut bindings::file,
    _fh: *mut c_void,
    f: *mut bindings::v4l2_fmtdesc,
) -> c_int {
    // SAFETY: as the function's safety section.
    let (node, f) = unsafe { (VideoDev::<T>::from_file(file), &mut *f) };
    to_c_int(
        node.data
            .enum_fmt(f.index, f.mbus_code)
            .map(|p| f.pixelformat = p),
    )
}

/// # Safety
///
/// Called by the V4L2 core with an open file of our node, a valid `f` of
/// capture type, and the node's lock held.
unsafe extern "C" fn g_fmt<T: Driver>(
    file: *mut bindings::file,
    _fh: *mut c_void,
    f: *mut bindings::v4l2_format,
) -> c_int {
    // SAFETY: as the function's safety section; the lock guards `state`.
    unsafe {
        let node = VideoDev::<T>::from_file(file);
        let state = &*node.state.get();
        with_pix(f, |p| {
            *p = node.data.g_fmt(state);
            Ok(())
        })
    }
}

/// # Safety
///
/// Called by the V4L2 core with an open file of our node and a valid `f` of
/// capture type.
unsafe extern "C" fn try_fmt<T: Driver>(
    file: *mut bindings::file,
    _fh: *mut c_void,
    f: *mut bindings::v4l2_format,
) -> c_int {
    // SAFETY: as the function's safety section.
    unsafe {
        let node = VideoDev::<T>::from_file(file);
        with_pix(f, |p| node.data.try_fmt(p))
    }
}

/// # Safety
///
/// As [`g_fmt`].
unsafe extern "C" fn s_fmt<T: Driver>(
    file: *mut bindings::file,
    _fh: *mut c_void,
    f: *mut bindings::v4l2_format,
) -> c_int {
    // SAFETY: as the function's safety section.
    let node = unsafe { VideoDev::<T>::from_file(file) };
    // The format sizes the buffers: fixed while any exist.
    // SAFETY: the queue is initialized (type invariant); the lock is held.
    if unsafe { bindings::rust_helper_vb2_is_busy(node.queue.get()) } {
        return EBUSY.to_errno();
    }
    // SAFETY: the lock guards `state`; `f` is valid.
    unsafe {
        let state = &mut *node.state.get();
        let ret = with_pix(f, |p| node.data.s_fmt(state, p));
        *node.published.lock() = node.data.g_fmt(state);
        ret
    }
}

/// # Safety
///
/// Called by the V4L2 core with an open file of our node and a valid `fs`.
unsafe extern "C" fn enum_framesizes<T: Driver>(
    file: *mut bindings::file,
    _fh: *mut c_void,
    fs: *mut bindings::v4l2_frmsizeenum,
) -> c_int {
    // SAFETY: as the function's safety section.
    let (node, fs) = unsafe { (VideoDev::<T>::from_file(file), &mut *fs) };
    match node.data.frame_sizes(fs.pixel_format) {
        Some(sizes) if fs.index == 0 => {
            fs.type_ = bindings::v4l2_frmsizetypes_V4L2_FRMSIZE_TYPE_CONTINUOUS;
            // SAFETY: writing plain integers into the union member we select.
            let sw = unsafe { fs.__bindgen_anon_1.stepwise.as_mut() };
            (sw.min_width, sw.max_width) = sizes.width;
            (sw.min_height, sw.max_height) = sizes.height;
            sw.step_width = 1;
            sw.step_height = 1;
            0
        }
        _ => EINVAL.to_errno(),
    }
}

/// # Safety
///
/// Called by vb2 on our queue with valid arrays of `VB2_MAX_PLANES`.
unsafe extern "C" fn queue_setup<T: Driver>(
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
unsafe extern "C" fn buf_prepare<T: Driver>(vb: *mut bindings::vb2_buffer) -> c_int {
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
unsafe extern "C" fn buf_queue<T: Driver>(vb: *mut bindings::vb2_buffer) {
    // SAFETY: as the function's safety section; vb2 allocates buffers as
    // `vb2_v4l2_buffer` (`buf_struct_size`), with `vb2_buf` first.
    let (node, vbuf) = unsafe {
        (
            VideoDev::<T>::from_queue((*vb).vb2_queue),
            kernel::container_of!(vb, bindings::vb2_v4l2_buffer, vb2_buf).mut_ptr(),
        )
    };
    if !node.queued.lock().push(vbuf) {
        // Cannot happen (vb2 never holds more); give it back rather than lose it.
        // SAFETY: the buffer is ours to complete.
        unsafe { bindings::vb2_buffer_done(vb, bindings::vb2_buffer_state_VB2_BUF_STATE_ERROR) };
    }
}

/// # Safety
///
/// Called by vb2 on our queue with the node's lock held.
unsafe extern "C" fn start_streaming<T: Driver>(
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
    // SAFETY: the node is registered, so its device is alive; the new
    // reference is owned by `Frames`.
    let dev = unsafe { bindings::get_device(&raw mut (*vdev).dev) };
    let frames = Frames {
        // SAFETY: `get_device` returns its non-null argument.
        dev: unsafe { NonNull::new_unchecked(dev) },
        queued: NonNull::from(&node.queued),
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
unsafe extern "C" fn stop_streaming<T: Driver>(q: *mut bindings::vb2_queue) {
    // SAFETY: as the function's safety section.
    let node = unsafe { VideoDev::<T>::from_queue(q) };
    // Stops the streamer before anything it uses goes.
    // SAFETY: the lock is held.
    drop(unsafe { (*node.stream.get()).take() });
    // SAFETY: started by `start_streaming`.
    unsafe { bindings::video_device_pipeline_stop(node.vdev.get()) };
    node.return_all(bindings::vb2_buffer_state_VB2_BUF_STATE_ERROR);
}

/// `link_validate` of the node's entity: [`Driver::link_validate`] with the
/// source pad's active format.
///
/// # Safety
///
/// Called by the media core, graph mutex held, for a link whose sink is our
/// node's pad.
unsafe extern "C" fn link_validate<T: Driver>(link: *mut bindings::media_link) -> c_int {
    // SAFETY: as the function's safety section; pad links use the pad
    // members of the unions.
    let (source, sink) = unsafe {
        (
            (*link).__bindgen_anon_1.source,
            (*link).__bindgen_anon_2.sink,
        )
    };
    // SAFETY: the sink entity is our node's (we install this op only there).
    let node = unsafe {
        let vdev = kernel::container_of!((*sink).entity, bindings::video_device, entity);
        &*kernel::container_of!(
            vdev.cast::<Opaque<bindings::video_device>>(),
            VideoDev<T>,
            vdev
        )
    };
    // SAFETY: a pad of a registered entity.
    let r = unsafe { pipeline::subdev_pad_format(source) }
        .and_then(|src| node.data.link_validate(src.as_ref(), &node.format()));
    to_c_int(r)
}

/// # Safety
///
/// Called by the V4L2 core, once, after unregistration and the last close.
unsafe extern "C" fn release_callback<T: Driver>(vdev: *mut bindings::video_device) {
    // SAFETY: installed only on `VideoDev<T>::vdev` (type invariant).
    let node = unsafe {
        kernel::container_of!(
            vdev.cast::<Opaque<bindings::video_device>>(),
            VideoDev<T>,
            vdev
        )
    }
    .mut_ptr();
    // SAFETY: nothing uses the node anymore (the queue was released at
    // unregistration); allocated as a `KBox` by `register`.
    unsafe { free_node(node) };
}

/// Destroys the node's lock and frees the node.
///
/// # Safety
///
/// `node` came from `into_foreign` in [`register`], its lock was
/// initialized, and nothing (C or Rust) uses the node anymore.
unsafe fn free_node<T: Driver>(node: *mut VideoDev<T>) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        bindings::rust_helper_video_lock_destroy((*node).lock.get());
        drop(Pin::<KBox<VideoDev<T>>>::from_foreign(node.cast()));
    }
}

/// Frees a node whose registration failed after device_register(), from
/// the device's release.
///
/// # Safety
///
/// `vdev` is the `video_device` of a `VideoDev<T>` that was never
/// registered, with no other user left.
unsafe extern "C" fn free_failed<T: Driver>(vdev: *mut bindings::video_device) {
    // SAFETY: `vdev` is the `vdev` field of a `VideoDev<T>`, which the
    // caller says is unused; `free_node` needs nothing more.
    unsafe {
        free_node(
            kernel::container_of!(
                vdev.cast::<Opaque<bindings::video_device>>(),
                VideoDev<T>,
                vdev
            )
            .mut_ptr(),
        )
    };
}

/// Creates the capture node `name` of type `T` with one sink pad and a vb2
/// queue and registers it on `v4l2_dev`. Returns the C object for
/// [`unregister`].
///
/// # Safety
///
/// `v4l2_dev` is registered, its media device is `media`, and both live
/// as long as the `v4l2_device`'s reference count (which the node holds).
pub(crate) unsafe fn register<T: Driver>(
    v4l2_dev: *mut bindings::v4l2_device,
    media: &MediaDevice,
    module: &'static ThisModule,
    name: &CStr,
    data: T,
    state: T::State,
) -> Result<NonNull<bindings::video_device>> {
    let published = data.g_fmt(&state);
    let node: Pin<KBox<VideoDev<T>>> = KBox::pin_init(
        pin_init!(VideoDev {
            vdev: Opaque::uninit(),
            pad: Opaque::uninit(),
            lock: Opaque::uninit(),
            queue: Opaque::uninit(),
            pipe: Opaque::uninit(),
            // INVARIANT: the caller's media device, alive as long as the
            // `v4l2_device` whose reference the registration takes.
            media: NonNull::from(media),
            queued <- new_spinlock!(Queued::new(), "vimc_rs::queued"),
            published <- new_spinlock!(published, "vimc_rs::published"),
            state: UnsafeCell::new(state),
            stream: UnsafeCell::new(None),
            data,
            _counted: Counted::new(),
        }),
        GFP_KERNEL,
    )?;
    // Handed to C, which keeps pointers into it (it stays pinned) until
    // `free_node` takes it back.
    let raw = node.into_foreign().mut_ptr().cast::<VideoDev<T>>();
    // SAFETY: `raw` is ours alone and not yet visible to C; zeroed C
    // objects are what the init functions expect.
    let ret = unsafe {
        let v = (*raw).vdev.get();
        let q = (*raw).queue.get();
        core::ptr::write_bytes(v, 0, 1);
        core::ptr::write_bytes((*raw).pad.get(), 0, 1);
        core::ptr::write_bytes(q, 0, 1);
        core::ptr::write_bytes((*raw).pipe.get(), 0, 1);
        (*(*raw).pad.get()).flags = bindings::MEDIA_PAD_FL_SINK as kernel::ffi::c_ulong;
        bindings::rust_helper_video_lock_init((*raw).lock.get());
        (*q).type_ = bindings::v4l2_buf_type_V4L2_BUF_TYPE_VIDEO_CAPTURE;
        (*q).io_modes = bindings::vb2_io_modes_VB2_MMAP
            | bindings::vb2_io_modes_VB2_DMABUF
            | bindings::vb2_io_modes_VB2_USERPTR;
        (*q).drv_priv = raw.cast();
        (*q).buf_struct_size =
            core::mem::size_of::<bindings::vb2_v4l2_buffer>() as kernel::ffi::c_uint;
        (*q).ops = &Vtable::<T>::QUEUE_OPS;
        (*q).mem_ops = &bindings::vb2_vmalloc_memops;
        (*q).timestamp_flags = bindings::V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC;
        (*q).min_reqbufs_allocation = T::MIN_REQBUFS_ALLOCATION;
        (*q).lock = (*raw).lock.get();
        (*q).dev = (*v4l2_dev).dev;
        copy_cstr(&mut (*v).name, name);
        (*v).entity.function = bindings::MEDIA_ENT_F_IO_V4L;
        (*v).entity.ops = &Vtable::<T>::ENTITY_OPS;
        (*v).release = Some(release_callback::<T>);
        (*v).fops = &FOPS.0;
        (*v).ioctl_ops = &Vtable::<T>::IOCTL_OPS;
        (*v).lock = (*raw).lock.get();
        (*v).queue = q;
        (*v).v4l2_dev = v4l2_dev;
        (*v).vfl_dir = bindings::vfl_devnode_direction_VFL_DIR_RX;
        (*v).device_caps =
            bindings::V4L2_CAP_VIDEO_CAPTURE | bindings::V4L2_CAP_STREAMING | T::EXTRA_CAPS;
        to_result(bindings::vb2_queue_init(q)).and_then(|()| {
            to_result(bindings::media_entity_pads_init(
                &raw mut (*v).entity,
                1,
                (*raw).pad.get(),
            ))
        })
    };
    if let Err(e) = ret {
        // SAFETY: never registered; a failed or unused queue holds nothing.
        unsafe { free_node(raw) };
        return Err(e);
    }
    // SAFETY: `raw` is fully initialized; on success, the core owns it until
    // the release callback.
    let ret = unsafe {
        bindings::__video_register_device(
            (*raw).vdev.get(),
            bindings::vfl_devnode_type_VFL_TYPE_VIDEO,
            -1,
            1,
            module.as_ptr(),
        )
    };
    if let Err(e) = to_result(ret) {
        // SAFETY: a failed registration never calls `release_callback`:
        // still ours. If device_register() ran, its reference is put and
        // `free_failed` frees the node from the device's release (maybe
        // later); else it is freed here.
        unsafe {
            if !bindings::rust_helper_video_register_failed(
                (*raw).vdev.get(),
                Some(free_failed::<T>),
            ) {
                free_node(raw);
            }
        }
        return Err(e);
    }
    // SAFETY: derived from a non-null box pointer.
    let vdev = unsafe { NonNull::new_unchecked((*raw).vdev.get()) };
    // 6.12's __video_register_device() ignores a failure to add the node's
    // entity to the media graph (an allocation in it) and returns 0; links
    // to that entity would then hit BUG_ON(!mdev). C vimc does, under
    // fault injection. An entity outside the graph is a failed registration.
    // SAFETY: registered just above; only a field is read.
    if unsafe { (*vdev.as_ptr()).entity.graph_obj.mdev }.is_null() {
        // The failed step already took the entity and interface out again,
        // but the core's release would remove them once more through a NULL
        // or freed `intf_devnode`; it skips that for memory-to-memory nodes.
        // SAFETY: registered and not unregistered; the release callback
        // frees the node once the core lets go.
        unsafe {
            (*vdev.as_ptr()).vfl_dir = bindings::vfl_devnode_direction_VFL_DIR_M2M;
            unregister(vdev);
        }
        return Err(ENOMEM);
    }
    Ok(vdev)
}

/// The media entity of a registered node.
///
/// # Safety
///
/// `vdev` came from [`register`] and is not unregistered.
pub(crate) unsafe fn entity(vdev: NonNull<bindings::video_device>) -> *mut bindings::media_entity {
    // SAFETY: guaranteed by the caller; only a field address is computed.
    unsafe { &raw mut (*vdev.as_ptr()).entity }
}

/// Takes a reference to a registered node's memory, given back by [`put`].
///
/// # Safety
///
/// `vdev` came from [`register`] and its memory is not released yet.
pub(crate) unsafe fn get(vdev: NonNull<bindings::video_device>) {
    // SAFETY: guaranteed by the caller.
    unsafe { bindings::get_device(&raw mut (*vdev.as_ptr()).dev) };
}

/// Gives back a reference from [`get`]; the memory may go now.
///
/// # Safety
///
/// The caller holds a reference taken by [`get`] on `vdev`.
pub(crate) unsafe fn put(vdev: NonNull<bindings::video_device>) {
    // SAFETY: guaranteed by the caller.
    unsafe { bindings::put_device(&raw mut (*vdev.as_ptr()).dev) };
}

/// Takes a node's entity and interface off its media device now instead of
/// at its release: for a media device that was never registered, which
/// nothing else empties (see `rust_helper_video_device_detach_media`).
///
/// # Safety
///
/// The caller holds a reference taken by [`get`] on `vdev` (or the one of
/// a subdev node), so its release cannot run meanwhile.
pub(crate) unsafe fn detach_media(vdev: NonNull<bindings::video_device>) {
    // SAFETY: the node's memory is alive (the caller's reference); the
    // helper takes graph_mutex for what it removes.
    unsafe { bindings::rust_helper_video_device_detach_media(vdev.as_ptr()) };
}

/// Unregisters a node from [`register`]: stops its stream and releases its
/// queue (waking blocked waiters); open files then fail with -ENODEV and the
/// memory goes with the last close.
///
/// # Safety
///
/// `vdev` came from [`register`] and was not unregistered yet.
pub(crate) unsafe fn unregister(vdev: NonNull<bindings::video_device>) {
    // SAFETY: guaranteed by the caller.
    unsafe { bindings::vb2_video_unregister_device(vdev.as_ptr()) };
}
