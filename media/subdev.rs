// SPDX-License-Identifier: GPL-2.0

//! V4L2 subdevices and their media entities.
//!
//! C header: [`include/media/v4l2-subdev.h`](srctree/include/media/v4l2-subdev.h)
//!
//! Ownership: a subdev (`v4l2_subdev`, pads, controls, state and the
//! entity's driver data) is one refcounted allocation ([`Block`]). Whoever
//! registered it holds one reference (a graph's entity, [`SubdevHold`], or
//! an [`AsyncRegistration`]), and its `/dev/v4l-subdevN` node holds one
//! until the node's release, which comes after its last close. The last
//! reference frees everything. No `internal_ops.release` is used: 6.12's
//! `v4l2_subdev_release()` writes `sd->devnode` after calling it, so the
//! memory could not go there (KASAN caught that in our first unload test),
//! and a subdev bound through v4l2-async is "released" once per unbind.

use super::v4l2::{Colorimetry, MbusFormat, Rect};
use super::{
    bindings, compat::MutPtr, copy_cstr, ctrls, ksyms::module_symbol, releases::Counted, to_c_int,
    FrameSizes,
};
use core::{
    any::TypeId,
    marker::PhantomData,
    mem::ManuallyDrop,
    ptr::{null, null_mut, NonNull},
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{
    build_error, c_str,
    error::{to_result, VTABLE_DEFAULT_ERROR},
    ffi::c_int,
    prelude::*,
    str::CStr,
    sync::{Arc, ArcBorrow, UniqueArc},
    types::{ForeignOwnable, Opaque},
    ThisModule,
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
/// `ptr` is a valid `v4l2_subdev_state` of our subdev `sd`, locked for `'a`.
pub(crate) struct State<'a> {
    sd: *mut bindings::v4l2_subdev,
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
    /// The state the core passed to a callback on `sd`, locked while it runs.
    fn new(sd: *mut bindings::v4l2_subdev, ptr: *mut bindings::v4l2_subdev_state) -> Self {
        State {
            sd,
            ptr,
            _p: PhantomData,
        }
    }

    /// The subdev's controls, if this is its active state: its lock is the
    /// control handler's (set at init, as C vimc does), so they can be
    /// changed while the state is held.
    pub(crate) fn controls(&mut self) -> Option<ctrls::Locked<'_>> {
        // SAFETY: `sd` is our subdev (type invariant); its fields are set
        // up before any callback with a state runs.
        let hdl = unsafe {
            let hdl = (*self.sd).ctrl_handler;
            if hdl.is_null()
                || (*self.sd).active_state != self.ptr
                || (*self.ptr).lock != (*hdl).lock
            {
                return None;
            }
            hdl
        };
        // SAFETY: `hdl` is initialized and its lock is this state's, held for
        // as long as `self` (type invariant), which the result borrows.
        Some(unsafe { ctrls::Locked::new(hdl) })
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

/// An entity type implemented as a subdev. The pad operations are called
/// with the state locked. Each operation a type leaves out is absent from
/// its C ops table (`#[vtable]`), so the core answers for it as for any
/// driver without it; a type with any pad operation has a pad state.
#[vtable]
pub(crate) trait Driver: Sized + Send + Sync + 'static {
    /// Media entity function (`MEDIA_ENT_F_*`).
    const FUNCTION: u32;
    /// Flags (`MEDIA_PAD_FL_*`) of each pad, in pad order.
    const PADS: &'static [u32];
    /// Its controls, in creation order.
    const CONTROLS: &'static [ctrls::Def] = &[];
    /// Whether active formats and selections are refused (-EBUSY) while
    /// the subdev streams.
    const LOCKED_WHILE_STREAMING: bool = false;

    /// A control of [`Self::CONTROLS`] changed (called under the handler's lock).
    fn s_ctrl(&self, _id: u32, _val: i32) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Fills a new state (the active one, and each file's try state).
    fn init_state(&self, _state: &mut State<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_ENUM_MBUS_CODE`.
    fn enum_mbus_code(&self, _pad: u32, _index: u32) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_ENUM_FRAME_SIZE`: the one size range of `code` on
    /// `pad`, or `None` if the pad does not take `code`.
    fn frame_sizes(&self, _pad: u32, _code: u32) -> Option<FrameSizes> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_S_FMT`: adjusts `fmt` and stores it in `state`.
    fn set_fmt(
        &self,
        _state: &mut State<'_>,
        _which: Which,
        _pad: u32,
        _fmt: &mut MbusFormat,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `VIDIOC_SUBDEV_G_SELECTION`.
    fn get_selection(&self, _state: &State<'_>, _pad: u32, _target: u32) -> Result<Rect> {
        build_error!(VTABLE_DEFAULT_ERROR)
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
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// A subdev with its pads and driver data `T`.
///
/// # Invariants
///
/// - Lives in a [`Block<T>`], which drops `data` and frees `hdl` and the
///   state.
/// - `pads` holds `T::PADS.len()` pads, initialized on `sd.entity`.
/// - If `T::CONTROLS` is not empty, `hdl` is initialized and is
///   `sd.ctrl_handler`.
#[repr(C)]
pub(crate) struct Subdev<T> {
    // `sd` and `type_id` come first, at offsets that do not depend on `T`,
    // so that a pipeline walk can tell our subdev types apart.
    sd: Opaque<bindings::v4l2_subdev>,
    type_id: TypeId,
    hdl: Opaque<bindings::v4l2_ctrl_handler>,
    /// The lockdep class of this subdev's state and control lock: one per
    /// subdev, not per type, since link validation holds the locks of two
    /// linked subdevs, which may be of one type (two scalers in a chain).
    key: Opaque<bindings::lock_class_key>,
    pads: KVec<Opaque<bindings::media_pad>>,
    data: ManuallyDrop<T>,
}

impl<T: Driver> Subdev<T> {
    /// A subdev not set up yet, with its pads allocated. `data` goes into a
    /// `ManuallyDrop` here: allocate the memory for the result first.
    fn bare(data: T) -> Result<Self> {
        let mut pads = KVec::with_capacity(T::PADS.len(), GFP_KERNEL)?;
        for _ in T::PADS {
            pads.push(Opaque::<bindings::media_pad>::uninit(), GFP_KERNEL)?;
        }
        Ok(Self {
            sd: Opaque::uninit(),
            type_id: TypeId::of::<T>(),
            hdl: Opaque::uninit(),
            key: Opaque::uninit(),
            pads,
            data: ManuallyDrop::new(data),
        })
    }
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
        unsafe {
            &(*kernel::container_of!(sd.cast::<Opaque<bindings::v4l2_subdev>>(), Subdev<T>, sd))
                .data
        }
    }
}

/// The C ops tables of `T`: each callback present exactly when `T` has the
/// operation.
struct Vtable<T>(PhantomData<T>);

impl<T: Driver> Vtable<T> {
    /// Whether `T` has pad operations, and so a pad state (which
    /// `init_state` fills and the core's `get_fmt` reads).
    const HAS_PAD_OPS: bool = T::HAS_INIT_STATE
        || T::HAS_ENUM_MBUS_CODE
        || T::HAS_FRAME_SIZES
        || T::HAS_SET_FMT
        || T::HAS_GET_SELECTION
        || T::HAS_SET_SELECTION;

    const PAD_OPS: bindings::v4l2_subdev_pad_ops = bindings::v4l2_subdev_pad_ops {
        enum_mbus_code: if T::HAS_ENUM_MBUS_CODE {
            Some(enum_mbus_code::<T>)
        } else {
            None
        },
        enum_frame_size: if T::HAS_FRAME_SIZES {
            Some(enum_frame_size::<T>)
        } else {
            None
        },
        get_fmt: Some(bindings::v4l2_subdev_get_fmt),
        set_fmt: if T::HAS_SET_FMT {
            Some(set_fmt::<T>)
        } else {
            None
        },
        get_selection: if T::HAS_GET_SELECTION {
            Some(get_selection::<T>)
        } else {
            None
        },
        set_selection: if T::HAS_SET_SELECTION {
            Some(set_selection::<T>)
        } else {
            None
        },
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const CORE_OPS: bindings::v4l2_subdev_core_ops = bindings::v4l2_subdev_core_ops {
        log_status: Some(bindings::v4l2_ctrl_subdev_log_status),
        subscribe_event: Some(bindings::v4l2_ctrl_subdev_subscribe_event),
        unsubscribe_event: Some(bindings::v4l2_event_subdev_unsubscribe),
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const VIDEO_OPS: bindings::v4l2_subdev_video_ops = bindings::v4l2_subdev_video_ops {
        s_stream: Some(s_stream_callback),
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const OPS: bindings::v4l2_subdev_ops = bindings::v4l2_subdev_ops {
        // Entities on a data path start and stop with the stream.
        pad: if Self::HAS_PAD_OPS {
            &Self::PAD_OPS
        } else {
            null()
        },
        video: if Self::HAS_PAD_OPS {
            &Self::VIDEO_OPS
        } else {
            null()
        },
        // Control events and log_status come with controls.
        core: if T::CONTROLS.is_empty() {
            null()
        } else {
            &Self::CORE_OPS
        },
        // SAFETY: all-zero is "no operations" for the other groups.
        ..unsafe { core::mem::zeroed() }
    };
    const CTRL_OPS: bindings::v4l2_ctrl_ops = bindings::v4l2_ctrl_ops {
        s_ctrl: if T::HAS_S_CTRL {
            Some(s_ctrl::<T>)
        } else {
            None
        },
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    };
    const INTERNAL_OPS: bindings::v4l2_subdev_internal_ops = bindings::v4l2_subdev_internal_ops {
        init_state: if T::HAS_INIT_STATE {
            Some(init_state::<T>)
        } else {
            None
        },
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
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
        let s = kernel::container_of!(
            (*ctrl)
                .handler
                .cast::<Opaque<bindings::v4l2_ctrl_handler>>(),
            Subdev<T>,
            hdl
        );
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
    let mut state = State::new(sd, state);
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
    let mut state = State::new(sd, state);
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
    let state = State::new(sd, state);
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
    let mut state = State::new(sd, state);
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

/// How far [`init`] got.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Bare,
    Key,
    Controls,
    State,
}

/// Initializes the C parts of `s` (subdev, pads, controls, state); `stage`
/// says how far it got, for [`Block`]'s drop.
///
/// # Safety
///
/// `s` is not visible to C yet and does not move while C uses it.
unsafe fn init<T: Driver>(
    s: &Subdev<T>,
    module: &'static ThisModule,
    name: &CStr,
    stage: &mut Stage,
) -> Result {
    let sd = s.sd.get();
    let hdl = s.hdl.get();
    // SAFETY: guaranteed by the caller; zeroed memory is what
    // `v4l2_subdev_init` expects, as from kzalloc.
    unsafe {
        for (pad, flags) in s.pads.iter().zip(T::PADS) {
            core::ptr::write_bytes(pad.get(), 0, 1);
            (*pad.get()).flags = *flags as kernel::ffi::c_ulong;
        }
        core::ptr::write_bytes(sd, 0, 1);
        core::ptr::write_bytes(hdl, 0, 1);
        bindings::v4l2_subdev_init(sd, &Vtable::<T>::OPS);
        (*sd).owner = module.as_ptr();
        (*sd).internal_ops = &Vtable::<T>::INTERNAL_OPS;
        // No V4L2_SUBDEV_FL_HAS_DEVNODE: the flag only asks
        // v4l2_device_register_subdev_nodes() for a node, which would hold
        // no reference on the block (an async sensor bound to another
        // driver's notifier would get one). Our nodes come from
        // `register_node` alone.
        (*sd).entity.function = T::FUNCTION;
        (*sd).entity.ops = &ENTITY_OPS.0;
        copy_cstr(&mut (*sd).name, name);
    }
    let key = s.key.get();
    // SAFETY: `key` is ours, in memory that stays put until `Block`'s drop
    // unregisters it (stage `Key`), after the lock that uses it is gone.
    unsafe { bindings::rust_helper_lockdep_register_key(key) };
    *stage = Stage::Key;
    // Each step is undone by `Block`'s drop up to the `Stage` reached.
    let mut setup = || -> Result {
        if !T::CONTROLS.is_empty() {
            *stage = Stage::Controls;
            // SAFETY: `hdl` is zeroed memory of ours.
            to_result(unsafe {
                bindings::rust_helper_v4l2_ctrl_handler_init(hdl, T::CONTROLS.len() as u32, key)
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
                s.pads.as_ptr().cast_mut().cast::<bindings::media_pad>(),
            )
        })?;
        if Vtable::<T>::HAS_PAD_OPS {
            // The active state, filled by `init_state`.
            // SAFETY: the subdev, its pads and its ops are initialized.
            to_result(unsafe { bindings::rust_helper_v4l2_subdev_init_finalize(sd, key) })?;
            *stage = Stage::State;
        }
        Ok(())
    };
    setup()
}

/// Creates the subdev `name` of type `T` and registers it on `v4l2_dev`.
/// Its node comes with [`SubdevHold::register_node`]; it is unregistered by
/// [`unregister`].
pub(super) fn register<T: Driver>(
    v4l2_dev: *mut bindings::v4l2_device,
    module: &'static ThisModule,
    name: &CStr,
    data: T,
) -> Result<SubdevHold> {
    let block = Block::new(module, name, data)?;
    // SAFETY: the subdev is fully initialized and stays alive while `hold`
    // (or, after a failure here, nothing in C) refers to it.
    let ret = unsafe {
        bindings::__v4l2_device_register_subdev(v4l2_dev, block.s.sd.get(), module.as_ptr())
    };
    // A failed registration keeps nothing: dropping `block` frees it all.
    to_result(ret)?;
    Ok(SubdevHold(block))
}

struct EntityOps(bindings::media_entity_operations);
// SAFETY: immutable after compilation.
unsafe impl Sync for EntityOps {}

/// Links into a subdev are validated by comparing the pad formats.
static ENTITY_OPS: EntityOps = EntityOps(bindings::media_entity_operations {
    link_validate: Some(bindings::v4l2_subdev_link_validate),
    // SAFETY: all-zero is "no callback" for the other operations.
    ..unsafe { core::mem::zeroed() }
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

/// Resolves what subdev nodes need from the core ([`node_fops`]). Call it
/// at module init, so that a kernel without the symbol refuses the module
/// with a message instead of failing its first probe.
pub(crate) fn resolve_symbols() -> Result {
    node_fops().map(|_| ())
}

/// The core's `v4l2_subdev_fops`, which videodev does not export; resolved
/// once from videodev's symbol table, at the latest by [`resolve_symbols`].
/// Our node fops call its functions: pointers the core itself stores and
/// calls indirectly, so they are valid targets under IBT and kCFI.
fn node_fops() -> Result<*const bindings::v4l2_file_operations> {
    static FOPS: AtomicPtr<bindings::v4l2_file_operations> = AtomicPtr::new(null_mut());
    let p = FOPS.load(Ordering::Acquire);
    if !p.is_null() {
        return Ok(p);
    }
    let addr = module_symbol(c_str!("videodev"), c_str!("v4l2_subdev_fops"))?;
    FOPS.store(addr as *mut _, Ordering::Release);
    Ok(addr as *const _)
}

/// Unregisters a subdev from [`register`] and its node (see
/// [`unregister_node`]); its memory goes with the last reference.
///
/// # Safety
///
/// `sd` came from [`register`] and was not unregistered yet.
pub(super) unsafe fn unregister(sd: NonNull<bindings::v4l2_subdev>) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        unregister_node(sd);
        bindings::v4l2_device_unregister_subdev(sd.as_ptr());
    }
}

/// The data of `sd` if it is a [`Subdev<S>`].
///
/// # Safety
///
/// `sd` is a registered subdev of this module, and the returned reference
/// is used only while it stays registered.
pub(super) unsafe fn data_if<'a, S: Driver>(sd: NonNull<bindings::v4l2_subdev>) -> Option<&'a S> {
    let sd = sd.as_ptr();
    // SAFETY: every subdev of this module is a `Subdev<_>` (`Block::new` is
    // the only way to make one), which starts with `sd` and `type_id`
    // (`repr(C)`); a registered subdev's data is alive.
    unsafe {
        if (*sd).owner != super::THIS_MODULE_PTR {
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
        let r = f(&State::new(sd.as_ptr(), st));
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

/// The memory of a subdev, refcounted: by whoever registered it
/// ([`SubdevHold`], [`AsyncRegistration`]) and by its node.
///
/// # Invariants
///
/// `s` was set up by [`init`] up to `stage`; C uses it only while a
/// reference exists: the registration's until it unregistered the subdev,
/// the node's until the node's release ([`node_release`]).
#[repr(C)]
struct Block<T: Driver> {
    // First: a `v4l2_subdev` pointer is a `Subdev<T>` and a `Block<T>`
    // pointer.
    s: Subdev<T>,
    stage: Stage,
}

// SAFETY: C serializes its use of the subdev; `T` is `Send + Sync`.
unsafe impl<T: Driver> Send for Block<T> {}
// SAFETY: as above.
unsafe impl<T: Driver> Sync for Block<T> {}

impl<T: Driver> Block<T> {
    /// Creates the subdev `name`, not registered anywhere.
    fn new(module: &'static ThisModule, name: &CStr, data: T) -> Result<Arc<Self>> {
        // Allocated before `data` goes into a `ManuallyDrop`, which a failed
        // allocation would drop without dropping the data.
        let mut block = UniqueArc::new_uninit(GFP_KERNEL)?.write(Block {
            s: Subdev::bare(data)?,
            stage: Stage::Bare,
        });
        let b = &mut *block;
        // SAFETY: the block is ours alone (not visible to C) and does not
        // move: turning the `UniqueArc` into an `Arc` keeps its place.
        let ret = unsafe { init(&b.s, module, name, &mut b.stage) };
        // On failure, dropping `block` undoes `init` up to `stage`.
        ret.map(|()| block.into())
    }
}

impl<T: Driver> Drop for Block<T> {
    fn drop(&mut self) {
        // SAFETY: the last reference is gone: the subdev is unregistered
        // and has no node (type invariant).
        unsafe {
            let stage = self.stage;
            if stage >= Stage::State {
                bindings::v4l2_subdev_cleanup(self.s.sd.get());
            }
            if stage >= Stage::Controls {
                bindings::v4l2_ctrl_handler_free(self.s.hdl.get());
            }
            // Last: no lock of its class is left.
            if stage >= Stage::Key {
                bindings::rust_helper_lockdep_unregister_key(self.s.key.get());
            }
            ManuallyDrop::drop(&mut self.s.data);
        }
    }
}

/// The memory of a subdev from this module, whatever its type: what a
/// reference to it keeps alive.
trait Memory: Send + Sync {
    /// The C subdev.
    fn sd(&self) -> NonNull<bindings::v4l2_subdev>;
}

impl<T: Driver> Memory for Block<T> {
    fn sd(&self) -> NonNull<bindings::v4l2_subdev> {
        // SAFETY: an `Opaque`'s pointer is never null.
        unsafe { NonNull::new_unchecked(self.s.sd.get()) }
    }
}

/// One reference to the memory of a subdev of this module, whatever its
/// type: held by a graph for each of its subdevs and by each subdev node.
pub(crate) struct SubdevHold(Arc<dyn Memory>);

impl SubdevHold {
    /// A reference to the memory of `sd`, a subdev of type `S` of this
    /// module, if it is one.
    ///
    /// # Safety
    ///
    /// `sd` is a registered subdev, kept registered by the caller meanwhile.
    pub(crate) unsafe fn of<S: Driver>(sd: NonNull<bindings::v4l2_subdev>) -> Option<Self> {
        // SAFETY: guaranteed by the caller.
        unsafe { data_if::<S>(sd) }?;
        // SAFETY: a subdev of type `S` of this module is the first field of
        // a `Block<S>` (`repr(C)`), which only `Block::new` makes, inside an
        // `Arc`: `sd` is that `Arc`'s data pointer, as `Arc::into_raw` gives
        // it, and the registration's reference keeps it alive meanwhile.
        let block = unsafe { ArcBorrow::<Block<S>>::from_raw(sd.as_ptr().cast()) };
        Some(Self(Arc::<Block<S>>::from(block)))
    }

    /// The C subdev.
    pub(crate) fn sd(&self) -> NonNull<bindings::v4l2_subdev> {
        self.0.sd()
    }

    /// Creates the `/dev/v4l-subdevN` node of the subdev, which takes its
    /// own reference to the memory until its release.
    ///
    /// # Safety
    ///
    /// The subdev is registered on a `v4l2_device`, without a node; the
    /// caller serializes this with its unregistration.
    pub(crate) unsafe fn register_node(&self) -> Result {
        // SAFETY: guaranteed by the caller.
        unsafe { register_node(SubdevHold(self.0.clone())) }
    }
}

/// A subdev of device `dev`, registered with v4l2-async until dropped.
///
/// # Invariants
///
/// `block` is registered with v4l2-async (`__v4l2_async_register_subdev`)
/// from [`AsyncRegistration::new`] until drop, and its `sd.dev` holds a
/// device reference of ours until then.
pub(crate) struct AsyncRegistration<T: Driver> {
    block: Arc<Block<T>>,
}

impl<T: Driver> AsyncRegistration<T> {
    /// Creates the subdev `name` of `dev` (whose firmware node it will be
    /// matched by) and registers it with v4l2-async: a waiting notifier
    /// binds it before this returns. Holds a reference to `dev`.
    pub(crate) fn new(
        dev: &super::platform::Device<'_>,
        module: &'static ThisModule,
        name: &CStr,
        data: T,
    ) -> Result<Self> {
        let block = Block::new(module, name, data)?;
        let sd = block.s.sd.get();
        // SAFETY: `sd` is initialized; the device reference taken here is
        // given back in `drop` (or below), after v4l2-async let go of it.
        let ret = unsafe {
            (*sd).dev = bindings::get_device(dev.as_dev_ptr());
            bindings::__v4l2_async_register_subdev(sd, module.as_ptr())
        };
        if let Err(e) = to_result(ret) {
            // SAFETY: v4l2-async kept nothing; taken just above.
            unsafe { bindings::put_device((*sd).dev) };
            // Dropping `block` frees the rest.
            return Err(e);
        }
        Ok(Self { block })
    }
}

impl<T: Driver> Drop for AsyncRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `new` (type invariant). This unbinds it
        // from its notifier (whose `unbind` stops what uses it) and
        // unregisters it from the `v4l2_device`, which unregisters its node;
        // the node keeps its own reference until its last user is gone.
        unsafe {
            let sd = self.block.s.sd.get();
            bindings::v4l2_async_unregister_subdev(sd);
            bindings::put_device((*sd).dev);
        }
    }
}

/// A subdev's node: the `video_device` the core registers, and the node's
/// reference to the subdev's memory.
///
/// # Invariants
///
/// Made by [`register_node`] as a `KBox` handed to C (`into_foreign`), whose
/// pointer is `vdev`'s (first field, `repr(C)`); taken back
/// (`from_foreign`) only by [`node_release`], which C calls once, or by
/// [`register_node`] when C will not.
#[repr(C)]
struct SubdevNode {
    vdev: Opaque<bindings::video_device>,
    _memory: SubdevHold,
    /// Freed by `node_release`, maybe after the module's exit began.
    _counted: Counted,
}

/// Creates the node of the subdev `memory` refers to, which keeps `memory`
/// until its release.
///
/// # Safety
///
/// As [`SubdevHold::register_node`].
unsafe fn register_node(memory: SubdevHold) -> Result {
    let fops = node_fops()?;
    let sd = memory.sd();
    let node = KBox::new(
        SubdevNode {
            vdev: Opaque::uninit(),
            _memory: memory,
            _counted: Counted::new(),
        },
        GFP_KERNEL,
    )?;
    // C holds the node from here (invariant of `SubdevNode`).
    let vdev = node
        .into_foreign()
        .mut_ptr()
        .cast::<bindings::video_device>();
    let mut released = false;
    // SAFETY: `vdev` is ours and not yet visible to C: zeroed memory is
    // what registration expects, as from kzalloc. The subdev is registered
    // without a node (guaranteed by the caller). Once `released` is set,
    // the node's release (`node_release`) frees it.
    let ret = unsafe {
        core::ptr::write_bytes(vdev, 0, 1);
        bindings::rust_helper_register_subdev_node(
            sd.as_ptr(),
            vdev,
            fops,
            Some(node_release),
            &mut released,
        )
    };
    if !released {
        // SAFETY: from `into_foreign` above, and C will not release it.
        drop(unsafe { KBox::<SubdevNode>::from_foreign(vdev.cast()) });
    }
    to_result(ret)
}

/// # Safety
///
/// The release of a node made by [`register_node`]: called once, when C
/// is done with the node.
unsafe extern "C" fn node_release(vdev: *mut bindings::video_device) {
    // SAFETY: `vdev` is the pointer `register_node` handed to C, and this
    // is C's last use of it. `sd->devnode` was cleared by
    // `unregister_node`, not here: this may run at any last close, racing a
    // reader of `sd->devnode`. The memory reference goes last, with the node.
    drop(unsafe { KBox::<SubdevNode>::from_foreign(vdev.cast()) });
}

/// The subdev's node, if it has one.
///
/// # Safety
///
/// `sd` is registered; its node is not being made or unregistered.
pub(crate) unsafe fn node(
    sd: NonNull<bindings::v4l2_subdev>,
) -> Option<NonNull<bindings::video_device>> {
    // SAFETY: guaranteed by the caller; only the field is read.
    NonNull::new(unsafe { (*sd.as_ptr()).devnode })
}

/// Unregisters the node of a subdev, if it has one, and detaches it from
/// the subdev at once (its release comes at its last close). The subdev's
/// unregistration then sees no node, and leaves it alone.
///
/// # Safety
///
/// `sd` is a registered subdev whose node, if any, came from
/// [`register_node`]; the caller serializes this with the subdev's
/// unregistration (a graph's drop; for a bound async subdev, under
/// v4l2-async's list lock).
pub(crate) unsafe fn unregister_node(sd: NonNull<bindings::v4l2_subdev>) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let vdev = (*sd.as_ptr()).devnode;
        if !vdev.is_null() {
            // Waits for an open in progress (see the helper).
            bindings::rust_helper_unregister_subdev_node(vdev);
            (*sd.as_ptr()).devnode = core::ptr::null_mut();
        }
    }
}
