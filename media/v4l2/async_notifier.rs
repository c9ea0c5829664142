// SPDX-License-Identifier: GPL-2.0

//! A `v4l2_device`'s async notifier: waits for subdevs by firmware node.
//!
//! C header: [`include/media/v4l2-async.h`](srctree/include/media/v4l2-async.h)

use crate::media::{bindings, to_c_int};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{build_error, error::VTABLE_DEFAULT_ERROR, prelude::*, types::Opaque};

/// What the owner of a [`RootNotifier`] does as its subdevs come and go.
/// Every callback runs with v4l2-async's list lock held: none may register
/// or unregister async subdevs or notifiers.
#[vtable]
pub(crate) trait NotifierOps: Send + Sync {
    /// `sd` matched a connection and is registered on the `v4l2_device`.
    fn bound(&self, _sd: NonNull<bindings::v4l2_subdev>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// Every connection is bound.
    fn complete(&self) -> Result;
    /// `sd` is about to be unregistered from the `v4l2_device`.
    fn unbind(&self, sd: NonNull<bindings::v4l2_subdev>);
}

/// The C ops table of a [`NotifierOps`] type `T`.
struct Vtable<T>(PhantomData<T>);

impl<T: NotifierOps> Vtable<T> {
    const OPS: bindings::v4l2_async_notifier_operations =
        bindings::v4l2_async_notifier_operations {
            bound: if T::HAS_BOUND {
                Some(bound_callback::<T>)
            } else {
                None
            },
            complete: Some(complete_callback::<T>),
            unbind: Some(unbind_callback::<T>),
            // SAFETY: all-zero is "no callback" for the other operations.
            ..unsafe { core::mem::zeroed() }
        };
}

#[repr(C)]
struct RootInner<T> {
    n: Opaque<bindings::v4l2_async_notifier>,
    ops: T,
}

/// A notifier of a `v4l2_device` that waits for subdevs by firmware node.
///
/// # Invariants
///
/// `inner.n` was initialized by `v4l2_async_nf_init()` on a `v4l2_device`
/// that outlives this, with `Vtable::<T>::OPS` as its ops; it is registered
/// while `registered`. Once registered, callbacks may hold `&T` at any
/// time: `inner` is never borrowed mutably again (so `registered` lives
/// outside it). Dropping it unregisters it (unbinding its subdevs through
/// `T::unbind`) and frees its connections.
pub(crate) struct RootNotifier<T: NotifierOps> {
    inner: Pin<KBox<RootInner<T>>>,
    registered: bool,
}

// SAFETY: the C notifier is used by v4l2-async under its list lock, from
// any thread, and by `drop` through v4l2-async's own locked calls; `T` is
// `Send + Sync` (its callbacks run on whichever thread v4l2-async runs).
unsafe impl<T: NotifierOps> Send for RootNotifier<T> {}

impl<T: NotifierOps> RootNotifier<T> {
    /// A notifier for `v4l2_dev`, without connections yet.
    ///
    /// # Safety
    ///
    /// `v4l2_dev` is registered and outlives the returned notifier.
    pub(crate) unsafe fn new(v4l2_dev: *mut bindings::v4l2_device, ops: T) -> Result<Self> {
        let inner = KBox::pin(
            RootInner {
                n: Opaque::uninit(),
                ops,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `inner` is pinned and ours; init only sets up the lists
        // and the owner. The ops table is static.
        unsafe {
            let n = inner.n.get();
            core::ptr::write_bytes(n, 0, 1);
            bindings::v4l2_async_nf_init(n, v4l2_dev);
            (*n).ops = &Vtable::<T>::OPS;
        }
        // INVARIANT: initialized just above on `v4l2_dev`, which outlives it
        // (the caller's contract), with `Vtable::<T>::OPS`; not registered.
        Ok(Self {
            inner,
            registered: false,
        })
    }

    /// Waits for the subdev whose firmware node is `fwnode` (a reference is
    /// taken and given back with the connection).
    ///
    /// # Safety
    ///
    /// `fwnode` is a valid firmware node.
    pub(crate) unsafe fn add_fwnode(&mut self, fwnode: *mut bindings::fwnode_handle) -> Result {
        if self.registered {
            return Err(EBUSY);
        }
        // SAFETY: not registered yet, so only we touch its lists.
        let asc = unsafe {
            bindings::__v4l2_async_nf_add_fwnode(
                self.inner.n.get(),
                fwnode,
                core::mem::size_of::<bindings::v4l2_async_connection>() as u32,
            )
        };
        kernel::error::from_err_ptr(asc).map(|_| ())
    }

    /// Registers the notifier: subdevs already there bind now, and
    /// `complete` may run before this returns.
    pub(crate) fn register(&mut self) -> Result {
        if self.registered {
            return Err(EBUSY);
        }
        // SAFETY: initialized (type invariant) and not registered (checked).
        kernel::error::to_result(unsafe { bindings::v4l2_async_nf_register(self.inner.n.get()) })?;
        // INVARIANT: registered just above.
        self.registered = true;
        Ok(())
    }
}

impl<T: NotifierOps> Drop for RootNotifier<T> {
    fn drop(&mut self) {
        // SAFETY: initialized; unregistering unbinds every bound subdev
        // (calling `unbind`), cleanup frees the connections.
        unsafe {
            if self.registered {
                bindings::v4l2_async_nf_unregister(self.inner.n.get());
            }
            bindings::v4l2_async_nf_cleanup(self.inner.n.get());
        }
    }
}

/// # Safety
///
/// `n` is the notifier of a live `RootInner<T>`.
unsafe fn ops_of<'a, T>(n: *mut bindings::v4l2_async_notifier) -> &'a T {
    // SAFETY: `n` is the first field of a `RootInner<T>` (`repr(C)`).
    unsafe { &(*n.cast::<RootInner<T>>()).ops }
}

/// # Safety
///
/// Called by v4l2-async on a notifier of a live `RootInner<T>`.
unsafe extern "C" fn bound_callback<T: NotifierOps>(
    n: *mut bindings::v4l2_async_notifier,
    sd: *mut bindings::v4l2_subdev,
    _asc: *mut bindings::v4l2_async_connection,
) -> kernel::ffi::c_int {
    // SAFETY: installed only on `RootInner<T>` notifiers; the core passes a
    // registered subdev.
    let (ops, sd) = unsafe { (ops_of::<T>(n), NonNull::new_unchecked(sd)) };
    to_c_int(ops.bound(sd))
}

/// # Safety
///
/// Called by v4l2-async on a notifier of a live `RootInner<T>`.
unsafe extern "C" fn complete_callback<T: NotifierOps>(
    n: *mut bindings::v4l2_async_notifier,
) -> kernel::ffi::c_int {
    // SAFETY: installed only on `RootInner<T>` notifiers.
    to_c_int(unsafe { ops_of::<T>(n) }.complete())
}

/// # Safety
///
/// Called by v4l2-async on a notifier of a live `RootInner<T>`.
unsafe extern "C" fn unbind_callback<T: NotifierOps>(
    n: *mut bindings::v4l2_async_notifier,
    sd: *mut bindings::v4l2_subdev,
    _asc: *mut bindings::v4l2_async_connection,
) {
    // SAFETY: as in `bound_callback`.
    let (ops, sd) = unsafe { (ops_of::<T>(n), NonNull::new_unchecked(sd)) };
    ops.unbind(sd);
}
