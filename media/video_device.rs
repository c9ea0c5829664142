// SPDX-License-Identifier: GPL-2.0

//! Video device nodes (`/dev/videoN`) and their media entity.
//!
//! C header: [`include/media/v4l2-dev.h`](srctree/include/media/v4l2-dev.h)
//!
//! Ownership: a [`VideoDev`] is one allocation holding the `video_device`,
//! its pad, its ioctl lock and the node's driver data. The V4L2 core calls
//! `video_device.release` when the node is unregistered and its last file
//! handle is closed; that callback frees the allocation. (Unlike subdevs,
//! the core does not touch the `video_device` after that callback.) Every
//! open file pins the module through the static file operations' owner.

use super::{bindings, copy_cstr, to_c_int, FrameSizes};
use core::{cell::UnsafeCell, marker::PhantomData, ptr::NonNull};
use kernel::{
    error::to_result,
    ffi::{c_int, c_void},
    prelude::*,
    str::CStr,
    types::Opaque,
    ThisModule,
};

use crate::formats::{Colorimetry, PixFormat};

// The pure format code keeps its own copies of the uapi numbers (it uses no
// kernel headers); check them against the headers at compile time.
macro_rules! same_as_uapi {
    ($($c:ident)*) => {
        $(kernel::macros::paste! {
            const _: () = assert!(crate::formats::mbus::$c == bindings::[<MEDIA_BUS_FMT_ $c>]);
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
    use crate::formats::{color, field};
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

/// What `VIDIOC_QUERYCAP` reports.
pub(crate) struct Caps {
    /// Driver name.
    pub(crate) driver: &'static CStr,
    /// Card name.
    pub(crate) card: &'static CStr,
    /// Bus information.
    pub(crate) bus_info: &'static CStr,
}

/// A video capture node type.
///
/// The ioctl callbacks get the node's `State` mutably: the V4L2 core calls
/// them with the node's lock held.
pub(crate) trait Driver: Sized + Send + Sync + 'static {
    /// State changed by ioctls, guarded by the node's lock.
    type State: Send;
    /// `VIDIOC_QUERYCAP`.
    fn querycap(&self) -> Caps;
    /// `VIDIOC_ENUM_FMT`: the `index`th pixel format, limited to those
    /// carried by `mbus_code` if it is not zero.
    fn enum_fmt(&self, index: u32, mbus_code: u32) -> Result<u32>;
    /// `VIDIOC_G_FMT`.
    fn g_fmt(&self, state: &Self::State) -> PixFormat;
    /// `VIDIOC_TRY_FMT`.
    fn try_fmt(&self, fmt: &mut PixFormat) -> Result;
    /// `VIDIOC_S_FMT`.
    fn s_fmt(&self, state: &mut Self::State, fmt: &mut PixFormat) -> Result;
    /// `VIDIOC_ENUM_FRAMESIZES`: the one size range of `pixelformat`, or
    /// `None` if the node does not take it.
    fn frame_sizes(&self, pixelformat: u32) -> Option<FrameSizes>;
}

/// A video node with its pad, lock, state and driver data.
///
/// # Invariants
///
/// - Allocated as a `KBox<VideoDev<T>>` by [`register`] and freed only by
///   [`release_callback::<T>`], installed as `vdev.release`.
/// - `lock` is initialized and is `vdev.lock`; `state` is accessed only with
///   it held.
pub(crate) struct VideoDev<T: Driver> {
    vdev: Opaque<bindings::video_device>,
    pad: Opaque<bindings::media_pad>,
    lock: Opaque<bindings::mutex>,
    state: UnsafeCell<T::State>,
    data: T,
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
            &*kernel::container_of!(vdev, Self, vdev)
        }
    }
}

struct Vtable<T>(PhantomData<T>);

impl<T: Driver> Vtable<T> {
    const IOCTL_OPS: bindings::v4l2_ioctl_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let mut ops: bindings::v4l2_ioctl_ops = unsafe { core::mem::zeroed() };
        ops.vidioc_querycap = Some(querycap::<T>);
        ops.vidioc_enum_fmt_vid_cap = Some(enum_fmt::<T>);
        ops.vidioc_g_fmt_vid_cap = Some(g_fmt::<T>);
        ops.vidioc_try_fmt_vid_cap = Some(try_fmt::<T>);
        ops.vidioc_s_fmt_vid_cap = Some(s_fmt::<T>);
        ops.vidioc_enum_framesizes = Some(enum_framesizes::<T>);
        ops
    };
}

struct Fops(bindings::v4l2_file_operations);
// SAFETY: immutable after compilation.
unsafe impl Sync for Fops {}

static FOPS: Fops = Fops({
    // SAFETY: all-zero is "no callback" for the operations we leave out.
    let mut fops: bindings::v4l2_file_operations = unsafe { core::mem::zeroed() };
    // SAFETY: only the address of the extern static is taken.
    fops.owner = unsafe { super::__this_module.get() };
    fops.open = Some(bindings::v4l2_fh_open);
    fops.release = Some(bindings::v4l2_fh_release);
    fops.unlocked_ioctl = Some(bindings::video_ioctl2);
    fops
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
    copy_cstr(&mut cap.bus_info, caps.bus_info);
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
    // SAFETY: as the function's safety section; the lock guards `state`.
    unsafe {
        let node = VideoDev::<T>::from_file(file);
        let state = &mut *node.state.get();
        with_pix(f, |p| node.data.s_fmt(state, p))
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
/// Called by the V4L2 core, once, after unregistration and the last close.
unsafe extern "C" fn release_callback<T: Driver>(vdev: *mut bindings::video_device) {
    // SAFETY: installed only on `VideoDev<T>::vdev` (type invariant).
    let node = unsafe { kernel::container_of!(vdev, VideoDev<T>, vdev) } as *mut VideoDev<T>;
    // SAFETY: nothing uses the node anymore; allocated as a `KBox` by `register`.
    unsafe {
        bindings::mutex_destroy((*node).lock.get());
        drop(KBox::from_raw(node));
    }
}

/// Creates the capture node `name` of type `T` with one sink pad and
/// registers it on `v4l2_dev`. Returns the C object for [`unregister`].
pub(crate) fn register<T: Driver>(
    v4l2_dev: *mut bindings::v4l2_device,
    module: &'static ThisModule,
    name: &CStr,
    data: T,
    state: T::State,
) -> Result<NonNull<bindings::video_device>> {
    let node = KBox::new(
        VideoDev {
            vdev: Opaque::uninit(),
            pad: Opaque::uninit(),
            lock: Opaque::uninit(),
            state: UnsafeCell::new(state),
            data,
        },
        GFP_KERNEL,
    )?;
    let v = node.vdev.get();
    // SAFETY: `node` is ours alone and not yet visible to C; zeroed C
    // objects are what the init functions expect.
    let ret = unsafe {
        core::ptr::write_bytes(v, 0, 1);
        core::ptr::write_bytes(node.pad.get(), 0, 1);
        (*node.pad.get()).flags = bindings::MEDIA_PAD_FL_SINK as _;
        bindings::rust_helper_video_lock_init(node.lock.get());
        copy_cstr(&mut (*v).name, name);
        (*v).entity.function = bindings::MEDIA_ENT_F_IO_V4L;
        (*v).release = Some(release_callback::<T>);
        (*v).fops = &FOPS.0;
        (*v).ioctl_ops = &Vtable::<T>::IOCTL_OPS;
        (*v).lock = node.lock.get();
        (*v).v4l2_dev = v4l2_dev;
        (*v).device_caps = bindings::V4L2_CAP_VIDEO_CAPTURE
            | bindings::V4L2_CAP_STREAMING
            | bindings::V4L2_CAP_IO_MC;
        bindings::media_entity_pads_init(&raw mut (*v).entity, 1, node.pad.get())
    };
    if let Err(e) = to_result(ret) {
        // SAFETY: initialized above, never shared.
        unsafe { bindings::mutex_destroy(node.lock.get()) };
        return Err(e);
    }
    let raw = KBox::into_raw(node);
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
        // SAFETY: a failed registration never calls release: still ours.
        unsafe {
            bindings::mutex_destroy((*raw).lock.get());
            drop(KBox::from_raw(raw));
        }
        return Err(e);
    }
    // SAFETY: derived from a non-null box pointer.
    Ok(unsafe { NonNull::new_unchecked((*raw).vdev.get()) })
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

/// Unregisters a node from [`register`]; open files then fail with -ENODEV
/// and the memory goes with the last close.
///
/// # Safety
///
/// `vdev` came from [`register`] and was not unregistered yet.
pub(crate) unsafe fn unregister(vdev: NonNull<bindings::video_device>) {
    // SAFETY: guaranteed by the caller.
    unsafe { bindings::video_unregister_device(vdev.as_ptr()) };
}
