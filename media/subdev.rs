// SPDX-License-Identifier: GPL-2.0

//! V4L2 subdevices and their media entities.
//!
//! C header: [`include/media/v4l2-subdev.h`](srctree/include/media/v4l2-subdev.h)
//!
//! Ownership: a [`Subdev`] is one allocation holding the `v4l2_subdev`, its
//! pads and the entity's driver data. The V4L2 core calls its `release`
//! callback once the subdev is unregistered and its `/dev/v4l-subdevN` node
//! (if any) has no user left; that callback drops the entity's data, with
//! everything the entity owns.
//!
//! The memory block itself is freed later, by the top-level object's release
//! ([`SubdevMem`] is kept by [`super::v4l2_device::Root`]): in 6.12,
//! `v4l2_subdev_release()` writes `sd->devnode = NULL` after calling our
//! release, so freeing there is a use-after-free (KASAN caught it in our
//! first unload test). Every subdev node holds a `v4l2_device` reference, so
//! the root's release runs after all subdev releases have returned.

use super::{bindings, copy_cstr, ctrls, ksyms::Kallsyms, to_c_int, FrameSizes};
use crate::formats::{Colorimetry, MbusFormat, Rect};
use core::{
    any::TypeId,
    ffi::c_void,
    marker::PhantomData,
    mem::ManuallyDrop,
    ptr::{null_mut, NonNull},
    sync::atomic::{AtomicBool, AtomicPtr, Ordering},
};
use kernel::{
    c_str, error::to_result, ffi::c_int, prelude::*, str::CStr, types::Opaque, ThisModule,
};

/// Entity functions (`MEDIA_ENT_F_*`) of subdevs.
pub(crate) mod function {
    use super::bindings;
    pub(crate) const CAM_SENSOR: u32 = bindings::MEDIA_ENT_F_CAM_SENSOR;
    pub(crate) const PROC_VIDEO_PIXEL_ENC_CONV: u32 =
        bindings::MEDIA_ENT_F_PROC_VIDEO_PIXEL_ENC_CONV;
    pub(crate) const PROC_VIDEO_SCALER: u32 = bindings::MEDIA_ENT_F_PROC_VIDEO_SCALER;
    pub(crate) const LENS: u32 = bindings::MEDIA_ENT_F_LENS;
}

/// Pad flags (`MEDIA_PAD_FL_*`).
pub(crate) mod pad {
    use super::bindings;
    pub(crate) const SINK: u32 = bindings::MEDIA_PAD_FL_SINK;
    pub(crate) const SOURCE: u32 = bindings::MEDIA_PAD_FL_SOURCE;
}

/// Selection targets (`V4L2_SEL_TGT_*`).
pub(crate) mod target {
    use super::bindings;
    pub(crate) const CROP: u32 = bindings::V4L2_SEL_TGT_CROP;
    pub(crate) const CROP_BOUNDS: u32 = bindings::V4L2_SEL_TGT_CROP_BOUNDS;
}

/// Which state a format or selection call is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    /// A file handle's try state.
    Try,
    /// The device's active state.
    Active,
}

impl Which {
    fn from_c(which: u32) -> Self {
        if which == bindings::v4l2_subdev_format_whence_V4L2_SUBDEV_FORMAT_ACTIVE {
            Which::Active
        } else {
            Which::Try
        }
    }
}

/// The pad formats and crops of a subdev (active or try), locked by the
/// V4L2 core for as long as a callback runs.
///
/// # Invariants
///
/// `ptr` is a valid `v4l2_subdev_state` of our subdev, locked for `'a`.
pub(crate) struct State<'a> {
    ptr: *mut bindings::v4l2_subdev_state,
    _p: PhantomData<&'a mut bindings::v4l2_subdev_state>,
}

fn mbus_from_c(f: &bindings::v4l2_mbus_framefmt) -> MbusFormat {
    MbusFormat {
        width: f.width,
        height: f.height,
        code: f.code,
        field: f.field,
        color: Colorimetry {
            colorspace: f.colorspace,
            // SAFETY: `ycbcr_enc` and `hsv_enc` are two `u16` views of one field.
            ycbcr_enc: unsafe { *f.__bindgen_anon_1.ycbcr_enc.as_ref() }.into(),
            quantization: f.quantization.into(),
            xfer_func: f.xfer_func.into(),
        },
    }
}

fn mbus_to_c(f: &MbusFormat, out: &mut bindings::v4l2_mbus_framefmt) {
    out.width = f.width;
    out.height = f.height;
    out.code = f.code;
    out.field = f.field;
    out.colorspace = f.color.colorspace;
    // The C fields are `u16`; the values come from them or are clamped enums.
    // SAFETY: as in `mbus_from_c`.
    unsafe { *out.__bindgen_anon_1.ycbcr_enc.as_mut() = f.color.ycbcr_enc as u16 };
    out.quantization = f.color.quantization as u16;
    out.xfer_func = f.color.xfer_func as u16;
}

fn rect_from_c(r: &bindings::v4l2_rect) -> Rect {
    Rect {
        left: r.left,
        top: r.top,
        width: r.width,
        height: r.height,
    }
}

fn rect_to_c(r: &Rect, out: &mut bindings::v4l2_rect) {
    (out.left, out.top, out.width, out.height) = (r.left, r.top, r.width, r.height);
}

impl State<'_> {
    /// The state the core passed to a callback, locked while it runs.
    fn new(ptr: *mut bindings::v4l2_subdev_state) -> Self {
        State {
            ptr,
            _p: PhantomData,
        }
    }

    fn format_ptr(&self, pad: u32) -> Result<*mut bindings::v4l2_mbus_framefmt> {
        // SAFETY: `ptr` is a valid, locked state (type invariant); the
        // function returns NULL for a pad out of range.
        let f = unsafe { bindings::__v4l2_subdev_state_get_format(self.ptr, pad, 0) };
        if f.is_null() {
            Err(EINVAL)
        } else {
            Ok(f)
        }
    }

    fn crop_ptr(&self, pad: u32) -> Result<*mut bindings::v4l2_rect> {
        // SAFETY: as in `format_ptr`.
        let r = unsafe { bindings::__v4l2_subdev_state_get_crop(self.ptr, pad, 0) };
        if r.is_null() {
            Err(EINVAL)
        } else {
            Ok(r)
        }
    }

    /// The format of pad `pad`.
    pub(crate) fn format(&self, pad: u32) -> Result<MbusFormat> {
        // SAFETY: a valid pointer into the locked state.
        Ok(mbus_from_c(unsafe { &*self.format_ptr(pad)? }))
    }

    /// Sets the format of pad `pad`.
    pub(crate) fn set_format(&mut self, pad: u32, f: &MbusFormat) -> Result {
        let out = self.format_ptr(pad)?;
        // SAFETY: a valid pointer into the locked state, which `&mut self`
        // lets only us change; other fields (flags) are cleared as by a
        // struct assignment in C.
        unsafe {
            core::ptr::write_bytes(out, 0, 1);
            mbus_to_c(f, &mut *out);
        }
        Ok(())
    }

    /// The crop rectangle of pad `pad`.
    pub(crate) fn crop(&self, pad: u32) -> Result<Rect> {
        // SAFETY: a valid pointer into the locked state.
        Ok(rect_from_c(unsafe { &*self.crop_ptr(pad)? }))
    }

    /// Sets the crop rectangle of pad `pad`.
    pub(crate) fn set_crop(&mut self, pad: u32, r: &Rect) -> Result {
        let out = self.crop_ptr(pad)?;
        // SAFETY: as in `set_format`.
        rect_to_c(r, unsafe { &mut *out });
        Ok(())
    }
}

/// A lockdep class for the locks of one entity type; define it as a
/// `static` (lockdep requires static keys).
pub(crate) struct LockClass(Opaque<bindings::lock_class_key>);

// SAFETY: lockdep synchronizes its use of the key itself.
unsafe impl Sync for LockClass {}

impl LockClass {
    /// A key for a `static`.
    pub(crate) const fn new() -> Self {
        Self(Opaque::uninit())
    }

    fn as_ptr(&self) -> *mut bindings::lock_class_key {
        self.0.get()
    }
}

/// An entity type implemented as a subdev. The pad operations are called
/// with the state locked; the defaults fail as "not supported".
pub(crate) trait Driver: Sized + Send + Sync + 'static {
    /// Media entity function (`MEDIA_ENT_F_*`).
    const FUNCTION: u32;
    /// Flags (`MEDIA_PAD_FL_*`) of each pad, in pad order.
    const PADS: &'static [u32];
    /// Whether the subdev has pad operations and a state.
    const HAS_PAD_OPS: bool = true;
    /// Whether it has `get_selection`/`set_selection`.
    const HAS_SELECTION: bool = false;
    /// Its controls, in creation order.
    const CONTROLS: &'static [ctrls::Def] = &[];
    /// Whether active formats and selections are refused (-EBUSY) while
    /// the subdev streams.
    const LOCKED_WHILE_STREAMING: bool = false;

    /// The lock class of this type's state and control lock: one per type,
    /// since link validation holds the locks of two linked subdevs.
    fn lock_class() -> &'static LockClass;

    /// A control of [`Self::CONTROLS`] changed (called under the handler's lock).
    fn s_ctrl(&self, _id: u32, _val: i32) -> Result {
        Err(EINVAL)
    }

    /// Fills a new state (the active one, and each file's try state).
    fn init_state(&self, _state: &mut State<'_>) -> Result {
        Ok(())
    }
    /// `VIDIOC_SUBDEV_ENUM_MBUS_CODE`.
    fn enum_mbus_code(&self, _pad: u32, _index: u32) -> Result<u32> {
        Err(ENOTTY)
    }
    /// `VIDIOC_SUBDEV_ENUM_FRAME_SIZE`: the one size range of `code` on
    /// `pad`, or `None` if the pad does not take `code`.
    fn frame_sizes(&self, _pad: u32, _code: u32) -> Option<FrameSizes> {
        None
    }
    /// `VIDIOC_SUBDEV_S_FMT`: adjusts `fmt` and stores it in `state`.
    fn set_fmt(
        &self,
        _state: &mut State<'_>,
        _which: Which,
        _pad: u32,
        _fmt: &mut MbusFormat,
    ) -> Result {
        Err(ENOTTY)
    }
    /// `VIDIOC_SUBDEV_G_SELECTION`.
    fn get_selection(&self, _state: &State<'_>, _pad: u32, _target: u32) -> Result<Rect> {
        Err(EINVAL)
    }
    /// `VIDIOC_SUBDEV_S_SELECTION`: adjusts `r` and stores it in `state`.
    fn set_selection(
        &self,
        _state: &mut State<'_>,
        _which: Which,
        _pad: u32,
        _target: u32,
        _r: &mut Rect,
    ) -> Result {
        Err(EINVAL)
    }
}

/// A subdev with its pads and driver data `T`.
///
/// # Invariants
///
/// - Allocated as a `KBox<Subdev<T>>` by [`register`] and freed only by
///   dropping its [`SubdevMem`].
/// - `data` is dropped exactly once: by the first call of
///   [`release_callback::<T>`], installed as `sd.internal_ops.release`
///   (`released` records that call), or by [`register`] when it fails.
/// - `pads` holds `T::PADS.len()` pads, initialized on `sd.entity`.
/// - If `T::CONTROLS` is not empty, `hdl` is initialized, is
///   `sd.ctrl_handler`, and is freed by the release callback.
#[repr(C)]
pub(crate) struct Subdev<T> {
    // `sd` and `type_id` come first, at offsets that do not depend on `T`,
    // so that a pipeline walk can tell our subdev types apart.
    sd: Opaque<bindings::v4l2_subdev>,
    type_id: TypeId,
    hdl: Opaque<bindings::v4l2_ctrl_handler>,
    pads: KVec<Opaque<bindings::media_pad>>,
    released: AtomicBool,
    data: ManuallyDrop<T>,
}

/// Ownership of the memory of one [`Subdev`], whatever its `T`; dropping it
/// frees the block (not the data, which its release callback dropped).
///
/// # Invariants
///
/// `ptr` is a `KBox<Subdev<T>>` turned raw, `free` is `free::<T>`, and the
/// subdev is released (its `data` dropped) before this is dropped.
pub(crate) struct SubdevMem {
    ptr: *mut c_void,
    free: unsafe fn(*mut c_void),
}

impl Drop for SubdevMem {
    fn drop(&mut self) {
        // SAFETY: by the type invariant.
        unsafe { (self.free)(self.ptr) };
    }
}

/// # Safety
///
/// As the invariant of [`SubdevMem`].
unsafe fn free<T>(p: *mut c_void) {
    // SAFETY: `p` is a `KBox<Subdev<T>>` turned raw (invariant of `SubdevMem`);
    // `data` is `ManuallyDrop`, so this frees only the block and the pads.
    drop(unsafe { KBox::from_raw(p.cast::<Subdev<T>>()) });
}

impl<T> Subdev<T> {
    /// The entity's driver data.
    pub(crate) fn data(&self) -> &T {
        &self.data
    }
}

impl<T: Driver> Subdev<T> {
    /// # Safety
    ///
    /// `sd` is the subdev of a live `Subdev<T>` whose data is not dropped.
    unsafe fn data_of<'a>(sd: *mut bindings::v4l2_subdev) -> &'a T {
        // SAFETY: guaranteed by the caller.
        unsafe { &(*kernel::container_of!(sd, Subdev<T>, sd)).data }
    }
}

struct Vtable<T>(PhantomData<T>);

impl<T: Driver> Vtable<T> {
    const PAD_OPS: bindings::v4l2_subdev_pad_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let mut ops: bindings::v4l2_subdev_pad_ops = unsafe { core::mem::zeroed() };
        ops.enum_mbus_code = Some(enum_mbus_code::<T>);
        ops.enum_frame_size = Some(enum_frame_size::<T>);
        ops.get_fmt = Some(bindings::v4l2_subdev_get_fmt);
        ops.set_fmt = Some(set_fmt::<T>);
        if T::HAS_SELECTION {
            ops.get_selection = Some(get_selection::<T>);
            ops.set_selection = Some(set_selection::<T>);
        }
        ops
    };
    const CORE_OPS: bindings::v4l2_subdev_core_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let mut ops: bindings::v4l2_subdev_core_ops = unsafe { core::mem::zeroed() };
        ops.log_status = Some(bindings::v4l2_ctrl_subdev_log_status);
        ops.subscribe_event = Some(bindings::v4l2_ctrl_subdev_subscribe_event);
        ops.unsubscribe_event = Some(bindings::v4l2_event_subdev_unsubscribe);
        ops
    };
    const VIDEO_OPS: bindings::v4l2_subdev_video_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let mut ops: bindings::v4l2_subdev_video_ops = unsafe { core::mem::zeroed() };
        ops.s_stream = Some(s_stream_callback);
        ops
    };
    const OPS: bindings::v4l2_subdev_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let mut ops: bindings::v4l2_subdev_ops = unsafe { core::mem::zeroed() };
        if T::HAS_PAD_OPS {
            ops.pad = &Self::PAD_OPS;
            // Entities on a data path start and stop with the stream.
            ops.video = &Self::VIDEO_OPS;
        }
        // Control events and log_status come with controls.
        if !T::CONTROLS.is_empty() {
            ops.core = &Self::CORE_OPS;
        }
        ops
    };
    const CTRL_OPS: bindings::v4l2_ctrl_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let mut ops: bindings::v4l2_ctrl_ops = unsafe { core::mem::zeroed() };
        ops.s_ctrl = Some(s_ctrl::<T>);
        ops
    };
    const INTERNAL_OPS: bindings::v4l2_subdev_internal_ops = {
        // SAFETY: all-zero is a valid ops table (no callbacks).
        let mut ops: bindings::v4l2_subdev_internal_ops = unsafe { core::mem::zeroed() };
        ops.release = Some(release_callback::<T>);
        if T::HAS_PAD_OPS {
            ops.init_state = Some(init_state::<T>);
        }
        ops
    };
}

/// # Safety
///
/// Called by the control framework for a control of our handler, with the
/// handler's lock held.
unsafe extern "C" fn s_ctrl<T: Driver>(ctrl: *mut bindings::v4l2_ctrl) -> c_int {
    // SAFETY: our handler is `Subdev<T>::hdl` (type invariant); the data is
    // alive while the handler is (it is freed first in release).
    let (data, id, val) = unsafe {
        let s = kernel::container_of!((*ctrl).handler, Subdev<T>, hdl);
        (&*(*s).data, (*ctrl).id, (*ctrl).val)
    };
    to_c_int(data.s_ctrl(id, val))
}

/// # Safety
///
/// Called by the V4L2 core on our subdev with a valid, locked state.
unsafe extern "C" fn init_state<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    state: *mut bindings::v4l2_subdev_state,
) -> c_int {
    let mut state = State::new(state);
    // SAFETY: as the function's safety section.
    to_c_int(unsafe { Subdev::<T>::data_of(sd) }.init_state(&mut state))
}

/// # Safety
///
/// Called by the V4L2 core on our subdev with a valid `code`.
unsafe extern "C" fn enum_mbus_code<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    _state: *mut bindings::v4l2_subdev_state,
    code: *mut bindings::v4l2_subdev_mbus_code_enum,
) -> c_int {
    // SAFETY: as the function's safety section.
    let (data, code) = unsafe { (Subdev::<T>::data_of(sd), &mut *code) };
    to_c_int(
        data.enum_mbus_code(code.pad, code.index)
            .map(|c| code.code = c),
    )
}

/// # Safety
///
/// Called by the V4L2 core on our subdev with a valid `fse`.
unsafe extern "C" fn enum_frame_size<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    _state: *mut bindings::v4l2_subdev_state,
    fse: *mut bindings::v4l2_subdev_frame_size_enum,
) -> c_int {
    // SAFETY: as the function's safety section.
    let (data, fse) = unsafe { (Subdev::<T>::data_of(sd), &mut *fse) };
    match data.frame_sizes(fse.pad, fse.code) {
        Some(s) if fse.index == 0 => {
            (fse.min_width, fse.max_width) = s.width;
            (fse.min_height, fse.max_height) = s.height;
            0
        }
        _ => EINVAL.to_errno(),
    }
}

/// Whether a call on the `which` state must be refused while streaming.
///
/// # Safety
///
/// `sd` is our registered subdev.
unsafe fn busy<T: Driver>(sd: *mut bindings::v4l2_subdev, which: u32) -> bool {
    T::LOCKED_WHILE_STREAMING
        && Which::from_c(which) == Which::Active
        // SAFETY: guaranteed by the caller; without `enable_streams` this
        // reads the flag the core's s_stream wrapper keeps.
        && unsafe { bindings::v4l2_subdev_is_streaming(sd) }
}

/// `s_stream`: the streamer owns all per-stream state, so there is nothing
/// to do here; the core records that the subdev streams.
///
/// # Safety
///
/// Called by the V4L2 core; it touches nothing.
unsafe extern "C" fn s_stream_callback(_sd: *mut bindings::v4l2_subdev, _enable: c_int) -> c_int {
    0
}

/// # Safety
///
/// Called by the V4L2 core on our subdev with a valid, locked state and a
/// valid `format`.
unsafe extern "C" fn set_fmt<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    state: *mut bindings::v4l2_subdev_state,
    format: *mut bindings::v4l2_subdev_format,
) -> c_int {
    let mut state = State::new(state);
    // SAFETY: as the function's safety section.
    let (data, format) = unsafe { (Subdev::<T>::data_of(sd), &mut *format) };
    // SAFETY: our subdev.
    if unsafe { busy::<T>(sd, format.which) } {
        return EBUSY.to_errno();
    }
    let mut f = mbus_from_c(&format.format);
    let r = data.set_fmt(&mut state, Which::from_c(format.which), format.pad, &mut f);
    if r.is_ok() {
        mbus_to_c(&f, &mut format.format);
    }
    to_c_int(r)
}

/// # Safety
///
/// As [`set_fmt`], with a valid `sel`.
unsafe extern "C" fn get_selection<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    state: *mut bindings::v4l2_subdev_state,
    sel: *mut bindings::v4l2_subdev_selection,
) -> c_int {
    let state = State::new(state);
    // SAFETY: as the function's safety section.
    let (data, sel) = unsafe { (Subdev::<T>::data_of(sd), &mut *sel) };
    to_c_int(
        data.get_selection(&state, sel.pad, sel.target)
            .map(|r| rect_to_c(&r, &mut sel.r)),
    )
}

/// # Safety
///
/// As [`get_selection`].
unsafe extern "C" fn set_selection<T: Driver>(
    sd: *mut bindings::v4l2_subdev,
    state: *mut bindings::v4l2_subdev_state,
    sel: *mut bindings::v4l2_subdev_selection,
) -> c_int {
    let mut state = State::new(state);
    // SAFETY: as the function's safety section.
    let (data, sel) = unsafe { (Subdev::<T>::data_of(sd), &mut *sel) };
    // SAFETY: our subdev.
    if unsafe { busy::<T>(sd, sel.which) } {
        return EBUSY.to_errno();
    }
    let mut r = rect_from_c(&sel.r);
    let ret = data.set_selection(
        &mut state,
        Which::from_c(sel.which),
        sel.pad,
        sel.target,
        &mut r,
    );
    if ret.is_ok() {
        rect_to_c(&r, &mut sel.r);
    }
    to_c_int(ret)
}

/// # Safety
///
/// Called by the V4L2 core after unregistration, when the node (if any) has
/// no user left. Usually once; but when a node fails to be set up after
/// its registration (`rust_helper_register_subdev_node()`), its release
/// calls this and clears `sd->devnode`, and `v4l2_device_unregister_subdev()`
/// then calls it a second time, seeing no devnode. Only the first call acts.
unsafe extern "C" fn release_callback<T: Driver>(sd: *mut bindings::v4l2_subdev) {
    // SAFETY: installed only on `Subdev<T>::sd` (type invariant).
    let s = unsafe { kernel::container_of!(sd, Subdev<T>, sd) } as *mut Subdev<T>;
    // SAFETY: the memory block outlives every release call (invariant of
    // `SubdevMem`).
    if unsafe { (*s).released.swap(true, Ordering::AcqRel) } {
        return;
    }
    // SAFETY: first release, after unregistration of the node (or of the
    // subdev), with no user left: nothing uses the entity's state or data
    // anymore.
    unsafe {
        if !T::CONTROLS.is_empty() {
            bindings::v4l2_ctrl_handler_free((*s).hdl.get());
        }
        if T::HAS_PAD_OPS {
            bindings::v4l2_subdev_cleanup(sd);
        }
        ManuallyDrop::drop(&mut (*s).data);
    }
}

/// How far [`register`] got.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Bare,
    Controls,
    State,
}

/// Undoes an unregistered subdev up to `stage` and frees it with its data.
///
/// # Safety
///
/// `s` was set up by [`register`] up to `stage` and never registered.
unsafe fn undo<T: Driver>(s: KBox<Subdev<T>>, stage: Stage) {
    // SAFETY: guaranteed by the caller; freeing a handler whose init failed
    // is allowed.
    unsafe {
        if stage >= Stage::State {
            bindings::v4l2_subdev_cleanup(s.sd.get());
        }
        if stage >= Stage::Controls {
            bindings::v4l2_ctrl_handler_free(s.hdl.get());
        }
    }
    drop(ManuallyDrop::into_inner(KBox::into_inner(s).data));
}

/// Creates the subdev `name` of type `T` and registers it on `v4l2_dev`,
/// with a device node. Returns the C subdev for [`unregister`] and its
/// memory, to be dropped only after the subdev was released.
pub(super) fn register<T: Driver>(
    v4l2_dev: *mut bindings::v4l2_device,
    module: &'static ThisModule,
    name: &CStr,
    data: T,
) -> Result<(NonNull<bindings::v4l2_subdev>, SubdevMem)> {
    let mut pads = KVec::with_capacity(T::PADS.len(), GFP_KERNEL)?;
    for _ in T::PADS {
        pads.push(Opaque::<bindings::media_pad>::uninit(), GFP_KERNEL)?;
    }
    // Allocated before `data` goes into a `ManuallyDrop`: a failed
    // `KBox::new(Subdev { .. })` would drop the struct, and leak the data.
    let s = KBox::<Subdev<T>>::new_uninit(GFP_KERNEL)?.write(Subdev {
        sd: Opaque::uninit(),
        type_id: TypeId::of::<T>(),
        hdl: Opaque::uninit(),
        pads,
        released: AtomicBool::new(false),
        data: ManuallyDrop::new(data),
    });
    let sd = s.sd.get();
    let hdl = s.hdl.get();
    // SAFETY: `s` is ours alone and not yet visible to C; zeroed memory is
    // what `v4l2_subdev_init` expects, as from kzalloc.
    unsafe {
        for (pad, flags) in s.pads.iter().zip(T::PADS) {
            core::ptr::write_bytes(pad.get(), 0, 1);
            (*pad.get()).flags = *flags as _;
        }
        core::ptr::write_bytes(sd, 0, 1);
        core::ptr::write_bytes(hdl, 0, 1);
        bindings::v4l2_subdev_init(sd, &Vtable::<T>::OPS);
        (*sd).owner = module.as_ptr();
        (*sd).internal_ops = &Vtable::<T>::INTERNAL_OPS;
        (*sd).flags |= bindings::V4L2_SUBDEV_FL_HAS_DEVNODE;
        (*sd).entity.function = T::FUNCTION;
        (*sd).entity.ops = &ENTITY_OPS.0;
        copy_cstr(&mut (*sd).name, name);
    }
    // Each step is undone by `undo` up to the `Stage` reached.
    let mut stage = Stage::Bare;
    let mut setup = || -> Result {
        if !T::CONTROLS.is_empty() {
            stage = Stage::Controls;
            // SAFETY: `hdl` is zeroed memory of ours.
            to_result(unsafe {
                bindings::rust_helper_v4l2_ctrl_handler_init(
                    hdl,
                    T::CONTROLS.len() as u32,
                    T::lock_class().as_ptr(),
                )
            })?;
            // SAFETY: `hdl` is initialized; the ops table is static.
            unsafe { ctrls::add(hdl, &Vtable::<T>::CTRL_OPS, T::CONTROLS)? };
            // SAFETY: `sd` and `hdl` are initialized and ours. One lock for
            // controls and pad state, as in C vimc.
            unsafe {
                (*sd).ctrl_handler = hdl;
                (*sd).flags |= bindings::V4L2_SUBDEV_FL_HAS_EVENTS;
                (*sd).state_lock = (*hdl).lock;
            }
        }
        // SAFETY: the subdev and its zeroed pads are initialized.
        to_result(unsafe {
            bindings::media_entity_pads_init(
                &raw mut (*sd).entity,
                T::PADS.len() as u16,
                s.pads.as_ptr() as *mut bindings::media_pad,
            )
        })?;
        if T::HAS_PAD_OPS {
            // The active state, filled by `init_state`.
            // SAFETY: the subdev, its pads and its ops are initialized.
            to_result(unsafe {
                bindings::rust_helper_v4l2_subdev_init_finalize(sd, T::lock_class().as_ptr())
            })?;
            stage = Stage::State;
        }
        Ok(())
    };
    if let Err(e) = setup() {
        // SAFETY: nothing was registered: C holds no pointer to `s`.
        unsafe { undo(s, stage) };
        return Err(e);
    }
    let raw = KBox::into_raw(s);
    // SAFETY: `raw` is a fully initialized subdev; on success the release
    // callback owns its data and `SubdevMem` its memory.
    let ret = unsafe {
        bindings::__v4l2_device_register_subdev(v4l2_dev, (*raw).sd.get(), module.as_ptr())
    };
    if let Err(e) = to_result(ret) {
        // SAFETY: registration failed, so C holds no pointer and release will
        // never run: the allocation is still ours.
        unsafe { undo(KBox::from_raw(raw), stage) };
        return Err(e);
    }
    let mem = SubdevMem {
        ptr: raw.cast(),
        free: free::<T>,
    };
    // SAFETY: derived from a non-null box pointer.
    Ok((unsafe { NonNull::new_unchecked((*raw).sd.get()) }, mem))
}

struct EntityOps(bindings::media_entity_operations);
// SAFETY: immutable after compilation.
unsafe impl Sync for EntityOps {}

/// Links into a subdev are validated by comparing the pad formats.
static ENTITY_OPS: EntityOps = EntityOps({
    // SAFETY: all-zero is "no callback" for the other operations.
    let mut ops: bindings::media_entity_operations = unsafe { core::mem::zeroed() };
    ops.link_validate = Some(bindings::v4l2_subdev_link_validate);
    ops
});

/// The media entity of a registered subdev.
///
/// # Safety
///
/// `sd` came from [`register`] and is not unregistered.
pub(crate) unsafe fn entity(sd: NonNull<bindings::v4l2_subdev>) -> *mut bindings::media_entity {
    // SAFETY: guaranteed by the caller; only a field address is computed.
    unsafe { &raw mut (*sd.as_ptr()).entity }
}

/// The core's `v4l2_subdev_fops`, which videodev does not export; resolved
/// once through kallsyms (`videodev:` when videodev is a module).
fn node_fops() -> Result<*const bindings::v4l2_file_operations> {
    static FOPS: AtomicPtr<bindings::v4l2_file_operations> = AtomicPtr::new(null_mut());
    let p = FOPS.load(Ordering::Acquire);
    if !p.is_null() {
        return Ok(p);
    }
    let k = Kallsyms::new()?;
    let addr = k
        .lookup(c_str!("videodev:v4l2_subdev_fops"))
        .or_else(|| k.lookup(c_str!("v4l2_subdev_fops")))
        .ok_or_else(|| {
            pr_err!("v4l2_subdev_fops not found: the kernel needs CONFIG_KALLSYMS_ALL\n");
            ENOENT
        })?;
    FOPS.store(addr as *mut _, Ordering::Release);
    Ok(addr as *const _)
}

/// Creates the `/dev/v4l-subdevN` node of a subdev from [`register`].
///
/// # Safety
///
/// `sd` came from [`register`], is registered and has no node yet.
pub(super) unsafe fn register_node(sd: NonNull<bindings::v4l2_subdev>) -> Result {
    let fops = node_fops()?;
    // SAFETY: guaranteed by the caller; `fops` is the core's subdev fops.
    // On failure the helper took its node out again.
    to_result(unsafe { bindings::rust_helper_register_subdev_node(sd.as_ptr(), fops) })
}

/// Unregisters a subdev from [`register`]; its memory goes with its release.
///
/// # Safety
///
/// `sd` came from [`register`] and was not unregistered yet.
pub(super) unsafe fn unregister(sd: NonNull<bindings::v4l2_subdev>) {
    // SAFETY: guaranteed by the caller.
    unsafe { bindings::v4l2_device_unregister_subdev(sd.as_ptr()) };
}

/// The data of `sd` if it is a [`Subdev<S>`].
///
/// # Safety
///
/// `sd` is a registered subdev of this module, and the returned reference
/// is used only while it stays registered.
pub(super) unsafe fn data_if<'a, S: Driver>(sd: NonNull<bindings::v4l2_subdev>) -> Option<&'a S> {
    let sd = sd.as_ptr();
    // SAFETY: every subdev of this module is a `Subdev<_>` (`register` is
    // the only way to make one), which starts with `sd` and `type_id`
    // (`repr(C)`); a registered subdev's data is alive.
    unsafe {
        if (*sd).owner != super::__this_module.get() {
            return None;
        }
        let s = sd.cast::<Subdev<S>>();
        ((*s).type_id == TypeId::of::<S>()).then(|| &*(*s).data)
    }
}

/// Runs `f` on the active state of `sd`, locked.
///
/// # Safety
///
/// `sd` is a registered subdev with pad ops (so it has an active state).
pub(super) unsafe fn with_active_state<R>(
    sd: NonNull<bindings::v4l2_subdev>,
    f: impl FnOnce(&State<'_>) -> R,
) -> R {
    // SAFETY: guaranteed by the caller; the state stays locked until the
    // unlock below.
    unsafe {
        let st = bindings::rust_helper_v4l2_subdev_lock_and_get_active_state(sd.as_ptr());
        let r = f(&State::new(st));
        bindings::rust_helper_v4l2_subdev_unlock_state(st);
        r
    }
}

/// The active format of `pad` of any subdev, through its `get_fmt`.
///
/// # Safety
///
/// `sd` is a registered subdev.
pub(super) unsafe fn active_format(sd: *mut bindings::v4l2_subdev, pad: u32) -> Result<MbusFormat> {
    // SAFETY: all-zero is a valid request, completed below.
    let mut fmt: bindings::v4l2_subdev_format = unsafe { core::mem::zeroed() };
    fmt.which = bindings::v4l2_subdev_format_whence_V4L2_SUBDEV_FORMAT_ACTIVE;
    fmt.pad = pad;
    // SAFETY: guaranteed by the caller.
    to_result(unsafe { bindings::rust_helper_v4l2_subdev_get_active_fmt(sd, &mut fmt) })?;
    Ok(mbus_from_c(&fmt.format))
}

/// Starts or stops a subdev's stream (`v4l2_subdev_call(sd, video,
/// s_stream)`); a subdev without the op is fine.
///
/// # Safety
///
/// `sd` is a subdev of this module whose memory is alive.
pub(super) unsafe fn s_stream(sd: NonNull<bindings::v4l2_subdev>, enable: bool) -> Result {
    // SAFETY: guaranteed by the caller. Stopping a stopped subdev or
    // starting a started one would warn in the core: check first. (Media
    // pipelines keep two streams from sharing a subdev.)
    unsafe {
        if bindings::v4l2_subdev_is_streaming(sd.as_ptr()) == enable {
            return if enable { Err(EBUSY) } else { Ok(()) };
        }
        match bindings::rust_helper_v4l2_subdev_s_stream(sd.as_ptr(), enable.into()) {
            r if r == -(bindings::ENOIOCTLCMD as c_int) => Ok(()),
            r => to_result(r),
        }
    }
}
