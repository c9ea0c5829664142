// SPDX-License-Identifier: GPL-2.0

//! The memory of a subdev and the references that keep it: [`Block`],
//! [`SubdevHold`], [`AsyncRegistration`].

use super::{
    node::register_node,
    ops::{init, InitProgress},
    registered::data_if,
    Driver, Subdev,
};
use crate::media::bindings;
use core::{mem::ManuallyDrop, ptr::NonNull};
use kernel::{
    error::to_result,
    prelude::*,
    str::CStr,
    sync::{Arc, ArcBorrow, UniqueArc},
    ThisModule,
};

/// Creates the subdev `name` of type `T` and registers it on `v4l2_dev`.
/// Its node comes with [`SubdevHold::register_node`]; it is unregistered by
/// [`unregister`].
pub(in crate::media) fn register<T: Driver>(
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

/// The memory of a subdev, refcounted: by whoever registered it
/// ([`SubdevHold`], [`AsyncRegistration`]) and by its node.
///
/// # Invariants
///
/// `s` was set up by [`init`] up to `progress`; C uses it only while a
/// reference exists: the registration's until it unregistered the subdev,
/// the node's until the node's release ([`node_release`]).
#[repr(C)]
pub(super) struct Block<T: Driver> {
    // First: a `v4l2_subdev` pointer is a `Subdev<T>` and a `Block<T>`
    // pointer.
    s: Subdev<T>,
    progress: InitProgress,
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
        // INVARIANT: `stage` is `Bare`, nothing of `s` is set up, and C sees
        // none of it: the `UniqueArc` is ours until `init` below is done.
        let mut block = UniqueArc::new_uninit(GFP_KERNEL)?.write(Block {
            s: Subdev::bare(data)?,
            progress: InitProgress::Bare,
        });
        let b = &mut *block;
        // SAFETY: the block is ours alone (not visible to C) and does not
        // move: turning the `UniqueArc` into an `Arc` keeps its place.
        let ret = unsafe { init(&b.s, module, name, &mut b.progress) };
        // On failure, dropping `block` undoes `init` up to `progress`.
        ret.map(|()| block.into())
    }
}

impl<T: Driver> Drop for Block<T> {
    fn drop(&mut self) {
        // SAFETY: the last reference is gone: the subdev is unregistered
        // and has no node (type invariant).
        unsafe {
            let progress = self.progress;
            if progress >= InitProgress::State {
                bindings::v4l2_subdev_cleanup(self.s.sd.get());
            }
            if progress >= InitProgress::Controls {
                bindings::v4l2_ctrl_handler_free(self.s.hdl.get());
            }
            // Last: no lock of its class is left.
            if progress >= InitProgress::Key {
                bindings::rust_helper_lockdep_unregister_key(self.s.key.get());
            }
            ManuallyDrop::drop(&mut self.s.data);
        }
    }
}

/// The memory of a subdev from this module, whatever its type: what a
/// reference to it keeps alive.
pub(super) trait Memory: Send + Sync {
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
        dev: &crate::media::kcompat::platform::Device<'_>,
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
        // INVARIANT: registered with v4l2-async just above; `(*sd).dev`
        // holds the reference `get_device` took there.
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
