// SPDX-License-Identifier: GPL-2.0

//! The node's C ops tables (file, ioctl, entity) and their trampolines.

use super::{
    format::with_pix,
    queue::{buf_prepare, buf_queue, queue_setup, start_streaming, stop_streaming},
    Driver, VideoDev,
};
use crate::media::{bindings, copy_cstr, mc::pipeline, to_c_int};
use core::marker::PhantomData;
use kernel::{
    ffi::{c_int, c_void},
    prelude::*,
    types::Opaque,
};

/// The C ops tables of a node type `T`.
pub(super) struct Vtable<T>(PhantomData<T>);

impl<T: Driver> Vtable<T> {
    pub(super) const IOCTL_OPS: bindings::v4l2_ioctl_ops = bindings::v4l2_ioctl_ops {
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
    pub(super) const QUEUE_OPS: bindings::vb2_ops = bindings::vb2_ops {
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
    pub(super) const ENTITY_OPS: bindings::media_entity_operations =
        bindings::media_entity_operations {
            link_validate: if T::HAS_LINK_VALIDATE {
                Some(link_validate::<T>)
            } else {
                None
            },
            // SAFETY: all-zero is "no callback" for the other operations.
            ..unsafe { core::mem::zeroed() }
        };
}

pub(super) struct Fops(pub(super) bindings::v4l2_file_operations);
// SAFETY: immutable after compilation.
unsafe impl Sync for Fops {}

pub(super) static FOPS: Fops = Fops(bindings::v4l2_file_operations {
    owner: crate::media::THIS_MODULE_PTR,
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
pub(super) unsafe extern "C" fn querycap<T: Driver>(
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
pub(super) unsafe extern "C" fn enum_fmt<T: Driver>(
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
pub(super) unsafe extern "C" fn g_fmt<T: Driver>(
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
pub(super) unsafe extern "C" fn try_fmt<T: Driver>(
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
pub(super) unsafe extern "C" fn s_fmt<T: Driver>(
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
        // INVARIANT: the format `state` has after this `S_FMT`.
        *node.published.lock() = node.data.g_fmt(state);
        ret
    }
}

/// # Safety
///
/// Called by the V4L2 core with an open file of our node and a valid `fs`.
pub(super) unsafe extern "C" fn enum_framesizes<T: Driver>(
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

/// `link_validate` of the node's entity: [`Driver::link_validate`] with the
/// source pad's active format.
///
/// # Safety
///
/// Called by the media core, graph mutex held, for a link whose sink is our
/// node's pad.
pub(super) unsafe extern "C" fn link_validate<T: Driver>(link: *mut bindings::media_link) -> c_int {
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
