// SPDX-License-Identifier: GPL-2.0

//! A callback for each module that goes away, run after its exit and
//! before its memory is freed: the last moment what it left behind can
//! still be read and named.
//!
//! C header: [`include/linux/module.h`](srctree/include/linux/module.h)

use crate::media::bindings;
use core::marker::PhantomData;
use kernel::{
    ffi::{c_int, c_ulong, c_void},
    prelude::*,
    str::CStr,
    types::Opaque,
};

/// What a [`ModuleWatch`] does when a module goes.
pub(crate) trait OnGoing: Send + Sync {
    /// `module` has run its exit function; its memory is still mapped.
    /// Runs under the kernel's module notifier lock: no module may be
    /// loaded or unloaded from here.
    fn going(&self, module: &GoingModule<'_>);
}

/// A module between its exit and the freeing of its memory.
///
/// # Invariants
///
/// `m` is the `struct module` passed to a `MODULE_STATE_GOING`
/// notification, valid for `'a`.
pub(crate) struct GoingModule<'a> {
    m: *const bindings::module,
    _p: PhantomData<&'a ()>,
}

impl GoingModule<'_> {
    /// The address of its `struct module`: what `THIS_MODULE` was in it,
    /// so what its objects' `owner` fields hold.
    pub(crate) fn addr(&self) -> usize {
        self.m as usize
    }

    /// Its name.
    pub(crate) fn name(&self) -> &CStr {
        // SAFETY: `m` is valid (type invariant); `name` is NUL-terminated
        // (the module loader checks it).
        unsafe { CStr::from_char_ptr((*self.m).name.as_ptr()) }
    }
}

#[repr(C)]
struct Inner<T> {
    nb: Opaque<bindings::notifier_block>,
    on_going: T,
}

/// Calls `T::going` for every module that goes, from `new` until dropped.
///
/// # Invariants
///
/// `inner.nb` is registered with `register_module_notifier()`, its
/// callback `call::<T>`.
pub(crate) struct ModuleWatch<T: OnGoing> {
    inner: Pin<KBox<Inner<T>>>,
}

// SAFETY: `&ModuleWatch` exposes nothing; the notifier_block is touched
// only by the notifier chain under its own lock; `T` is `Send + Sync`.
unsafe impl<T: OnGoing> Sync for ModuleWatch<T> {}
// SAFETY: dropping it from any thread unregisters it, which is allowed
// from any sleepable context; `T` is `Send`.
unsafe impl<T: OnGoing> Send for ModuleWatch<T> {}

impl<T: OnGoing> ModuleWatch<T> {
    /// Starts watching.
    pub(crate) fn new(on_going: T) -> Result<Self> {
        let inner = KBox::pin(
            Inner {
                nb: Opaque::uninit(),
                on_going,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `nb` is ours and pinned with the data its callback reads;
        // it is initialized before it is registered, and unregistered (by
        // `drop`) before it is freed.
        kernel::error::to_result(unsafe {
            let nb = inner.nb.get();
            nb.write(bindings::notifier_block {
                notifier_call: Some(call::<T>),
                next: core::ptr::null_mut(),
                priority: 0,
            });
            bindings::register_module_notifier(nb)
        })?;
        // INVARIANT: registered just above.
        Ok(Self { inner })
    }
}

impl<T: OnGoing> Drop for ModuleWatch<T> {
    fn drop(&mut self) {
        // SAFETY: registered (type invariant); once this returns no call is
        // running or will run (the chain's rwsem), so `inner` may be freed.
        unsafe { bindings::unregister_module_notifier(self.inner.nb.get()) };
    }
}

/// # Safety
///
/// Called by the module notifier chain with the `notifier_block` of a live
/// `Inner<T>` and, for `MODULE_STATE_GOING`, a `struct module`.
unsafe extern "C" fn call<T: OnGoing>(
    nb: *mut bindings::notifier_block,
    action: c_ulong,
    data: *mut c_void,
) -> c_int {
    if action == bindings::module_state_MODULE_STATE_GOING as c_ulong {
        // SAFETY: `nb` is the first field of a live `Inner<T>` (`repr(C)`,
        // registered only by `ModuleWatch<T>::new`).
        let on_going = unsafe { &(*nb.cast::<Inner<T>>()).on_going };
        // INVARIANT: for GOING the chain passes the module, alive during the call.
        on_going.going(&GoingModule {
            m: data.cast(),
            _p: PhantomData,
        });
    }
    bindings::NOTIFY_DONE as c_int
}
