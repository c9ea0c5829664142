// SPDX-License-Identifier: GPL-2.0

//! Media controller devices (`/dev/mediaN`).
//!
//! C header: [`include/media/media-device.h`](srctree/include/media/media-device.h)

use crate::media::{bindings, copy_cstr};
use core::sync::atomic::AtomicBool;
use kernel::{error::to_result, prelude::*, str::CStr, types::Opaque, ThisModule};

/// What `MEDIA_IOC_DEVICE_INFO` reports.
pub(crate) struct Info {
    /// Driver name.
    pub(crate) driver_name: &'static CStr,
    /// Model name.
    pub(crate) model: &'static CStr,
    /// Bus information, e.g. `platform:vimc`; `None`: the core's, from the
    /// device (`platform:vimc.0`).
    pub(crate) bus_info: Option<&'static CStr>,
    /// Hardware revision.
    pub(crate) hw_revision: u32,
}

/// A `struct media_device` embedded in the driver's top-level object
/// ([`crate::media::v4l2::device::Root`]), which owns its memory and lifetime.
///
/// # Invariants
///
/// - Between [`MediaDevice::init`] and [`MediaDevice::cleanup`] the C object
///   is initialized; it is registered at most between `register` and
///   `unregister`.
/// - `complete` is written only with `graph_mutex` held, and is true only
///   while every entity and link of the graph on it exists and the device
///   is registered (see [`MediaDevice::set_complete`]).
pub(crate) struct MediaDevice {
    mdev: Opaque<bindings::media_device>,
    complete: AtomicBool,
}

impl MediaDevice {
    pub(in crate::media) const fn uninit() -> Self {
        // INVARIANT: neither initialized nor registered before `init` and
        // `register` run; `complete` starts false.
        Self {
            mdev: Opaque::uninit(),
            complete: AtomicBool::new(false),
        }
    }

    /// The C object.
    pub(crate) fn as_ptr(&self) -> *mut bindings::media_device {
        self.mdev.get()
    }

    /// Says whether the graph is complete (true: every entity and link made,
    /// the device registered; false: being built or torn down). Streams
    /// start only on a complete graph ([`MediaDevice::pipeline_start`]):
    /// the core adds links without `graph_mutex`, each on its entity's list
    /// before its ends are set, and a pipeline start walks those lists.
    ///
    /// # Safety
    ///
    /// `init` ran and `cleanup` did not; true only as said above.
    pub(in crate::media) unsafe fn set_complete(&self, complete: bool) {
        // INVARIANT: the helper writes `complete` with `graph_mutex` held;
        // the caller passes true only for a complete, registered graph.
        // SAFETY: initialized, so `graph_mutex` is (guaranteed by the
        // caller); the flag is ours and lives as long as `self`.
        unsafe {
            bindings::vimc_rs_media_set_complete(self.as_ptr(), self.complete.as_ptr(), complete)
        };
    }

    /// Starts the pipeline of a video node's pad, if the graph on this
    /// device is complete (else `ENOLINK`).
    ///
    /// # Safety
    ///
    /// `vdev` is a registered video node with one pad on this media device,
    /// `pipe` a zeroed or stopped pipeline that outlives the stream.
    pub(crate) unsafe fn pipeline_start(
        &self,
        vdev: *mut bindings::video_device,
        pipe: *mut bindings::media_pipeline,
    ) -> Result {
        // SAFETY: guaranteed by the caller; the helper reads the flag under
        // `graph_mutex`, which it writes under.
        to_result(unsafe {
            bindings::vimc_rs_video_device_pipeline_start(
                vdev,
                pipe,
                self.as_ptr(),
                self.complete.as_ptr(),
            )
        })
    }

    /// Initializes the media device for `dev`.
    ///
    /// # Safety
    ///
    /// `self` is not initialized and not yet shared with C; `dev` is valid
    /// and outlives the media device's registration.
    pub(in crate::media) unsafe fn init(&self, dev: *mut bindings::device, info: &Info) {
        let m = self.as_ptr();
        // INVARIANT: initialized by `media_device_init` below, until `cleanup`.
        // SAFETY: the caller gives us exclusive access to uninitialized
        // memory; all-zero is the state `media_device_init` expects.
        unsafe {
            core::ptr::write_bytes(m, 0, 1);
            (*m).dev = dev;
            (*m).hw_revision = info.hw_revision;
            copy_cstr(&mut (*m).driver_name, info.driver_name);
            copy_cstr(&mut (*m).model, info.model);
            if let Some(b) = info.bus_info {
                copy_cstr(&mut (*m).bus_info, b);
            }
            bindings::media_device_init(m);
        }
    }

    /// Frees what `init` allocated.
    ///
    /// # Safety
    ///
    /// `init` ran, the device is not registered, and nobody uses it anymore.
    pub(in crate::media) unsafe fn cleanup(&self) {
        // SAFETY: guaranteed by the caller.
        unsafe { bindings::media_device_cleanup(self.as_ptr()) };
    }

    /// Creates `/dev/mediaN`; opening it pins `module`.
    ///
    /// # Safety
    ///
    /// `init` ran and the device is not registered.
    pub(in crate::media) unsafe fn register(&self, module: &'static ThisModule) -> Result {
        // SAFETY: guaranteed by the caller.
        to_result(unsafe { bindings::__media_device_register(self.as_ptr(), module.as_ptr()) })
    }

    /// Removes `/dev/mediaN` and every entity from the graph. Open file
    /// handles stay valid and fail their calls from now on.
    ///
    /// # Safety
    ///
    /// `init` ran. (Unregistering twice or without registering is a no-op in C.)
    pub(in crate::media) unsafe fn unregister(&self) {
        // SAFETY: guaranteed by the caller.
        unsafe { bindings::media_device_unregister(self.as_ptr()) };
    }
}
