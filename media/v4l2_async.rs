// SPDX-License-Identifier: GPL-2.0

//! Read-only views of v4l2-async's global subdev and notifier lists.
//!
//! C source: [`drivers/media/v4l2-core/v4l2-async.c`](srctree/drivers/media/v4l2-core/v4l2-async.c)
//!
//! The lists and their mutex are static in v4l2-async.c; we find them with
//! [`Kallsyms`] (module-qualified: v4l2-async is a module here) and walk
//! them only with that mutex held, as v4l2-async does. The module that
//! uses this layer must link against a v4l2-async export, so that
//! v4l2-async cannot be unloaded under it.

use super::{
    bindings,
    ksyms::{symbol_of, Kallsyms},
    to_c_int,
};
use core::{marker::PhantomData, ptr::NonNull};
use kernel::{c_str, prelude::*, str::CStr, types::Opaque};

/// The three statics of v4l2-async.
///
/// # Invariants
///
/// The pointers are v4l2-async's `list_lock`, `subdev_list` and
/// `notifier_list`, valid while v4l2-async is loaded (see the module docs).
pub(crate) struct AsyncLists {
    lock: *mut bindings::mutex,
    subdevs: *mut bindings::list_head,
    notifiers: *mut bindings::list_head,
}

// SAFETY: the lists are only touched with v4l2-async's own mutex held.
unsafe impl Send for AsyncLists {}
// SAFETY: as above.
unsafe impl Sync for AsyncLists {}

impl AsyncLists {
    /// Resolves the lists, or says which symbol the kernel lacks.
    pub(crate) fn resolve() -> Result<Self> {
        // Referencing an export of v4l2-async makes it a dependency of this
        // module: it is loaded first and cannot be unloaded under us.
        core::hint::black_box(bindings::v4l2_async_nf_init as usize);
        let k = Kallsyms::new().inspect_err(|_| {
            pr_err!("cannot resolve kallsyms_lookup_name: the kernel needs CONFIG_KPROBES\n")
        })?;
        let get = |name: &CStr| {
            k.lookup(name).ok_or_else(|| {
                pr_err!(
                    "{} not found: the kernel needs CONFIG_KALLSYMS_ALL and v4l2-async loaded\n",
                    name
                );
                ENOENT
            })
        };
        Ok(Self {
            lock: get(c_str!("v4l2_async:list_lock"))? as *mut _,
            subdevs: get(c_str!("v4l2_async:subdev_list"))? as *mut _,
            notifiers: get(c_str!("v4l2_async:notifier_list"))? as *mut _,
        })
    }

    /// Runs `f` on a view of the lists, with v4l2-async's `list_lock` held.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&Lists<'_>) -> R) -> R {
        // SAFETY: `lock` is v4l2-async's list mutex (type invariant).
        unsafe { bindings::mutex_lock(self.lock) };
        let r = f(&Lists {
            lists: self,
            _locked: PhantomData,
        });
        // SAFETY: locked above.
        unsafe { bindings::mutex_unlock(self.lock) };
        r
    }
}

/// The lists while locked.
pub(crate) struct Lists<'a> {
    lists: &'a AsyncLists,
    _locked: PhantomData<&'a bindings::mutex>,
}

/// Walks a `list_head` ring, yielding each entry's `list_head`.
///
/// # Safety
///
/// `head` is a valid list whose entries stay valid and linked for `'a`.
unsafe fn walk<'a>(
    head: *mut bindings::list_head,
) -> impl Iterator<Item = *mut bindings::list_head> + 'a {
    // SAFETY: guaranteed by the caller.
    let mut p = unsafe { (*head).next };
    core::iter::from_fn(move || {
        if p == head {
            return None;
        }
        let cur = p;
        // SAFETY: `cur` is an entry of the valid list.
        p = unsafe { (*cur).next };
        Some(cur)
    })
}

impl<'a> Lists<'a> {
    /// Every registered async subdev, bound or not.
    pub(crate) fn subdevs(&self) -> impl Iterator<Item = AsyncSubdev<'a>> + 'a {
        // SAFETY: the list is valid and cannot change: its lock is held for 'a.
        unsafe { walk(self.lists.subdevs) }.map(|e| AsyncSubdev {
            // SAFETY: entries are `v4l2_subdev.async_list`.
            sd: unsafe { kernel::container_of!(e, bindings::v4l2_subdev, async_list) } as *mut _,
            _p: PhantomData,
        })
    }

    /// Every registered notifier.
    pub(crate) fn notifiers(&self) -> impl Iterator<Item = Notifier<'a>> + 'a {
        // SAFETY: as in `subdevs`.
        unsafe { walk(self.lists.notifiers) }.map(|e| Notifier {
            // SAFETY: entries are `v4l2_async_notifier.notifier_entry`.
            n: unsafe { kernel::container_of!(e, bindings::v4l2_async_notifier, notifier_entry) }
                as *mut _,
            _p: PhantomData,
        })
    }
}

/// The module name inside `sprint_symbol`'s `"... [module]"`, if any.
fn module_of(sym: &[u8]) -> Option<&[u8]> {
    let open = sym.iter().rposition(|&c| c == b'[')?;
    let rest = &sym[open + 1..];
    let end = rest.iter().position(|&c| c == b']' || c == b' ')?;
    Some(&rest[..end])
}

fn cstr_of<'a>(p: *const u8) -> Option<&'a CStr> {
    // SAFETY: callers pass NUL-terminated strings valid for 'a, or NULL.
    (!p.is_null()).then(|| unsafe { CStr::from_char_ptr(p) })
}

/// A subdev on the list.
///
/// # Invariants
///
/// `sd` is on v4l2-async's subdev list, whose lock is held for `'a`. Its
/// own memory is readable; what it points to may belong to an unloaded
/// module unless [`AsyncSubdev::is_stale`] is false.
pub(crate) struct AsyncSubdev<'a> {
    sd: *mut bindings::v4l2_subdev,
    _p: PhantomData<&'a ()>,
}

impl<'a> AsyncSubdev<'a> {
    /// The subdev's address.
    pub(crate) fn addr(&self) -> usize {
        self.sd as usize
    }

    /// Its name (inside the subdev itself).
    pub(crate) fn name(&self) -> &'a CStr {
        // SAFETY: the subdev is readable (type invariant); `name` is NUL-terminated.
        unsafe { CStr::from_char_ptr((*self.sd).name.as_ptr()) }
    }

    fn owner_ptr(&self) -> usize {
        // SAFETY: the subdev is readable (type invariant).
        unsafe { (*self.sd).owner as usize }
    }

    fn ops_ptr(&self) -> usize {
        // SAFETY: the subdev is readable (type invariant).
        unsafe { (*self.sd).ops as usize }
    }

    /// Raw owner and ops addresses, for entries that are stale.
    pub(crate) fn raw_owner_ops(&self) -> (usize, usize) {
        (self.owner_ptr(), self.ops_ptr())
    }

    /// Whether the subdev's owner module or its ops are gone: they belong to
    /// no loaded module nor the kernel image. Decided from addresses only.
    pub(crate) fn is_stale(&self, buf: &mut [u8; 1024]) -> bool {
        let owner = self.owner_ptr();
        let owner_gone = owner != 0 && module_of(symbol_of(owner, buf)).is_none();
        let ops_gone = symbol_of(self.ops_ptr(), buf).starts_with(b"0x");
        owner_gone || ops_gone
    }

    /// The owner module's name (`kernel` when built in). Only for entries
    /// that are not stale.
    pub(crate) fn owner<'b>(&self, buf: &'b mut [u8; 1024]) -> &'b [u8] {
        match self.owner_ptr() {
            0 => b"kernel",
            p => module_of(symbol_of(p, buf)).unwrap_or(b"?"),
        }
    }

    /// Device and driver names. Only for entries that are not stale.
    pub(crate) fn device(&self) -> (Option<&'a CStr>, Option<&'a CStr>) {
        // SAFETY: a live subdev's device and driver outlive its registration.
        unsafe {
            let dev = (*self.sd).dev;
            if dev.is_null() {
                return (None, None);
            }
            let drv = (*dev).driver;
            (
                cstr_of((*dev).kobj.name),
                if drv.is_null() {
                    None
                } else {
                    cstr_of((*drv).name)
                },
            )
        }
    }

    /// The firmware node's full path. Only for entries that are not stale.
    pub(crate) fn fwnode<'b>(&self, buf: &'b mut [u8; 1024]) -> Option<&'b [u8]> {
        // SAFETY: the subdev is readable; a live subdev's fwnode is valid.
        unsafe { fwnode_path((*self.sd).fwnode, buf) }
    }

    /// Addresses of the notifiers its connections are bound to.
    pub(crate) fn bound_to(&self) -> impl Iterator<Item = usize> + 'a {
        // SAFETY: `asc_list` is the subdev's list of matched connections,
        // protected by the held list lock.
        unsafe { walk(&raw mut (*self.sd).asc_list) }.map(|e| {
            // SAFETY: entries are `v4l2_async_connection.asc_subdev_entry`.
            unsafe {
                let asc =
                    kernel::container_of!(e, bindings::v4l2_async_connection, asc_subdev_entry);
                (*asc).notifier as usize
            }
        })
    }
}

/// # Safety
///
/// `fwnode` is NULL or valid.
unsafe fn fwnode_path(fwnode: *mut bindings::fwnode_handle, buf: &mut [u8; 1024]) -> Option<&[u8]> {
    if fwnode.is_null() {
        return None;
    }
    // SAFETY: valid by the function's safety section; `buf` holds `len` bytes.
    let n = unsafe { bindings::rust_helper_fwnode_path(fwnode, buf.as_mut_ptr(), buf.len() as _) };
    Some(&buf[..n.max(0) as usize])
}

/// A notifier on the list.
///
/// # Invariants
///
/// `n` is on v4l2-async's notifier list, whose lock is held for `'a`; a
/// registered notifier's owner and connections are valid.
pub(crate) struct Notifier<'a> {
    n: *mut bindings::v4l2_async_notifier,
    _p: PhantomData<&'a ()>,
}

/// Who a notifier belongs to.
pub(crate) enum NotifierOwner<'a> {
    /// A `v4l2_device` (a root notifier).
    V4l2Device(&'a CStr),
    /// A subdev (a sub-notifier).
    Subdev(&'a CStr),
}

/// How a connection matches its subdev.
pub(crate) enum Match<'b> {
    /// A firmware node, by path.
    Fwnode(Option<&'b [u8]>),
    /// An I2C adapter and address.
    I2c(i32, u16),
}

/// A connection of a notifier.
///
/// # Invariants
///
/// As for [`Notifier`].
pub(crate) struct Connection<'a> {
    asc: *mut bindings::v4l2_async_connection,
    done: bool,
    _p: PhantomData<&'a ()>,
}

impl<'a> Notifier<'a> {
    /// The notifier's address.
    pub(crate) fn addr(&self) -> usize {
        self.n as usize
    }

    /// Its owner.
    pub(crate) fn owner(&self) -> Option<NotifierOwner<'a>> {
        // SAFETY: a registered notifier's v4l2_dev or sd is valid (type invariant).
        unsafe {
            let v = (*self.n).v4l2_dev;
            if !v.is_null() {
                return Some(NotifierOwner::V4l2Device(CStr::from_char_ptr(
                    (*v).name.as_ptr(),
                )));
            }
            let sd = (*self.n).sd;
            (!sd.is_null()).then(|| NotifierOwner::Subdev(CStr::from_char_ptr((*sd).name.as_ptr())))
        }
    }

    /// Its connections: waiting ones, then done ones.
    pub(crate) fn connections(&self) -> impl Iterator<Item = Connection<'a>> + 'a {
        let conn = |done: bool| {
            move |e: *mut bindings::list_head| Connection {
                // SAFETY: entries are `v4l2_async_connection.asc_entry`.
                asc: unsafe { kernel::container_of!(e, bindings::v4l2_async_connection, asc_entry) }
                    as *mut _,
                done,
                _p: PhantomData,
            }
        };
        // SAFETY: both lists are the notifier's, protected by the held lock.
        let (waiting, done) = unsafe {
            (
                &raw mut (*self.n).waiting_list,
                &raw mut (*self.n).done_list,
            )
        };
        // SAFETY: as above.
        unsafe { Iterator::chain(walk(waiting).map(conn(false)), walk(done).map(conn(true))) }
    }
}

impl<'a> Connection<'a> {
    /// Whether a subdev is bound to it.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// What it matches.
    pub(crate) fn matches<'b>(&self, buf: &'b mut [u8; 1024]) -> Match<'b> {
        // SAFETY: the connection is valid (type invariant); the union member
        // read is the one `type` selects.
        unsafe {
            let m = &(*self.asc).match_;
            if m.type_ == bindings::v4l2_async_match_type_V4L2_ASYNC_MATCH_TYPE_I2C {
                let i2c = &m.__bindgen_anon_1.i2c;
                Match::I2c(i2c.adapter_id, i2c.address)
            } else {
                Match::Fwnode(fwnode_path(m.__bindgen_anon_1.fwnode, buf))
            }
        }
    }

    /// The bound subdev's name, when done.
    pub(crate) fn subdev_name(&self) -> Option<&'a CStr> {
        // SAFETY: the connection is valid; a done connection's subdev is bound.
        unsafe {
            let sd = (*self.asc).sd;
            (self.done && !sd.is_null()).then(|| CStr::from_char_ptr((*sd).name.as_ptr()))
        }
    }
}

/// What the owner of a [`RootNotifier`] does as its subdevs come and go.
/// Every callback runs with v4l2-async's list lock held: none may register
/// or unregister async subdevs or notifiers.
pub(crate) trait NotifierOps: Send + Sync {
    /// `sd` matched a connection and is registered on the `v4l2_device`.
    fn bound(&self, _sd: NonNull<bindings::v4l2_subdev>) -> Result {
        Ok(())
    }
    /// Every connection is bound.
    fn complete(&self) -> Result;
    /// `sd` is about to be unregistered from the `v4l2_device`.
    fn unbind(&self, sd: NonNull<bindings::v4l2_subdev>);
}

#[repr(C)]
struct RootInner<T> {
    n: Opaque<bindings::v4l2_async_notifier>,
    ops_table: bindings::v4l2_async_notifier_operations,
    registered: bool,
    ops: T,
}

/// A notifier of a `v4l2_device` that waits for subdevs by firmware node.
///
/// # Invariants
///
/// `inner.n` was initialized by `v4l2_async_nf_init()` on a `v4l2_device`
/// that outlives this, with `inner.ops_table` (callbacks for `T`) as its
/// ops; it is registered while `inner.registered`. Dropping it unregisters
/// it (unbinding its subdevs through `T::unbind`) and frees its
/// connections.
pub(crate) struct RootNotifier<T: NotifierOps> {
    inner: Pin<KBox<RootInner<T>>>,
}

impl<T: NotifierOps> RootNotifier<T> {
    /// A notifier for `v4l2_dev`, without connections yet.
    ///
    /// # Safety
    ///
    /// `v4l2_dev` is registered and outlives the returned notifier.
    pub(crate) unsafe fn new(v4l2_dev: *mut bindings::v4l2_device, ops: T) -> Result<Self> {
        // SAFETY: all-zero is "no callback" for the ones not set below.
        let mut table: bindings::v4l2_async_notifier_operations = unsafe { core::mem::zeroed() };
        table.bound = Some(bound_callback::<T>);
        table.complete = Some(complete_callback::<T>);
        table.unbind = Some(unbind_callback::<T>);
        let inner = KBox::pin(
            RootInner {
                n: Opaque::uninit(),
                ops_table: table,
                registered: false,
                ops,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `inner` is pinned and ours; init only sets up the lists
        // and the owner. The ops table lives in the same allocation.
        unsafe {
            let n = inner.n.get();
            core::ptr::write_bytes(n, 0, 1);
            bindings::v4l2_async_nf_init(n, v4l2_dev);
            (*n).ops = &inner.ops_table;
        }
        Ok(Self { inner })
    }

    /// Waits for the subdev whose firmware node is `fwnode` (a reference is
    /// taken and given back with the connection).
    ///
    /// # Safety
    ///
    /// `fwnode` is a valid firmware node.
    pub(crate) unsafe fn add_fwnode(&mut self, fwnode: *mut bindings::fwnode_handle) -> Result {
        if self.inner.registered {
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
        // SAFETY: initialized (type invariant) and not registered.
        kernel::error::to_result(unsafe { bindings::v4l2_async_nf_register(self.inner.n.get()) })?;
        // SAFETY: only `registered` changes; nothing is moved out.
        unsafe { Pin::get_unchecked_mut(self.inner.as_mut()).registered = true };
        Ok(())
    }
}

impl<T: NotifierOps> Drop for RootNotifier<T> {
    fn drop(&mut self) {
        // SAFETY: initialized; unregistering unbinds every bound subdev
        // (calling `unbind`), cleanup frees the connections.
        unsafe {
            if self.inner.registered {
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
