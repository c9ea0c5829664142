// SPDX-License-Identifier: GPL-2.0

//! debugfs directories with read-only `seq_file` files.
//!
//! C header: [`include/linux/debugfs.h`](srctree/include/linux/debugfs.h)
//!
//! Lifetime: every file shares one static `file_operations` owned by this
//! module, so an open file pins the module. debugfs makes reads of a
//! removed file fail with -EIO and waits for running ones on removal, so
//! the data a [`Dir`] owns may go right after it removed its files.

use super::bindings;
use core::fmt;
use kernel::{
    error::from_err_ptr,
    ffi::{c_int, c_void},
    prelude::*,
    str::CStr,
};

/// `debugfs_create_file()`, a function on 6.12 and a `_Generic` macro over
/// the full and short fops variants on 7.x.
///
/// # Safety
///
/// As `debugfs_create_file()`'s.
unsafe fn create_file(
    name: *const kernel::ffi::c_char,
    mode: bindings::umode_t,
    parent: *mut bindings::dentry,
    data: *mut c_void,
    fops: *const bindings::file_operations,
) -> *mut bindings::dentry {
    // SAFETY: the caller keeps `debugfs_create_file()`'s contract, which the
    // full variant without auxiliary data is on 7.x.
    unsafe {
        #[cfg(kernel_7)]
        return bindings::debugfs_create_file_full(
            name,
            mode,
            parent,
            data,
            core::ptr::null(),
            fops,
        );
        #[cfg(not(kernel_7))]
        return bindings::debugfs_create_file(name, mode, parent, data, fops);
    }
}

/// Writes into a `seq_file` buffer; the seq_file core grows it and calls
/// `show` again when it overflows.
///
/// # Invariants
///
/// `m` is the `seq_file` of the `show` call that created the writer.
pub(crate) struct SeqWriter {
    m: *mut bindings::seq_file,
}

impl fmt::Write for SeqWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: `m` is valid during `show` (type invariant); `s` is valid
        // for `s.len()` bytes.
        unsafe { bindings::seq_write(self.m, s.as_ptr().cast(), s.len()) };
        Ok(())
    }
}

/// The contents of one read-only file of a [`Dir`] whose data is `D`.
pub(crate) struct File<D> {
    /// Writes the whole file.
    pub(crate) show: fn(&D, &mut SeqWriter) -> Result,
}

/// What a file's `i_private` points to: its [`File`] and the directory's
/// data, with the type erased so that one static `file_operations` serves
/// every file.
struct Entry {
    call: unsafe fn(*const (), *const (), &mut SeqWriter) -> Result,
    file: *const (),
    data: *const (),
}

/// # Safety
///
/// `file` is a `&'static File<D>` and `data` a live `D`.
unsafe fn call<D>(file: *const (), data: *const (), w: &mut SeqWriter) -> Result {
    // SAFETY: guaranteed by the caller.
    let (file, data) = unsafe { (&*file.cast::<File<D>>(), &*data.cast::<D>()) };
    (file.show)(data, w)
}

/// A debugfs directory, its files and the data they show, removed on drop.
///
/// # Invariants
///
/// `dentry` was returned by `debugfs_create_dir` and is not an error
/// pointer; every `Entry` in `entries` points to `data`, which outlives the
/// files because `drop` removes them first.
pub(crate) struct Dir<D> {
    dentry: *mut bindings::dentry,
    data: KBox<D>,
    entries: KVec<KBox<Entry>>,
}

// SAFETY: debugfs calls may be made from any thread; `D` is shared with
// readers on any CPU.
unsafe impl<D: Send + Sync> Send for Dir<D> {}
// SAFETY: `&Dir` exposes nothing.
unsafe impl<D: Send + Sync> Sync for Dir<D> {}

impl<D: Send + Sync + 'static> Dir<D> {
    /// Creates `/sys/kernel/debug/<name>`, whose files show `data`.
    pub(crate) fn new(name: &CStr, data: D) -> Result<Self> {
        let data = KBox::new(data, GFP_KERNEL)?;
        // SAFETY: `name` is a valid C string; a NULL parent is the debugfs root.
        let dentry = from_err_ptr(unsafe {
            bindings::debugfs_create_dir(name.as_char_ptr(), core::ptr::null_mut())
        })?;
        Ok(Self {
            dentry,
            data,
            entries: KVec::new(),
        })
    }

    /// Creates the read-only file `name` showing `file`.
    pub(crate) fn file(&mut self, name: &CStr, file: &'static File<D>) -> Result {
        let entry = KBox::new(
            Entry {
                call: call::<D>,
                file: core::ptr::from_ref(file).cast(),
                data: core::ptr::from_ref::<D>(&self.data).cast(),
            },
            GFP_KERNEL,
        )?;
        self.entries.reserve(1, GFP_KERNEL)?;
        // SAFETY: `dentry` is a valid directory (type invariant); the entry
        // lives in `self` until `drop` has removed the file; `FOPS` is static.
        from_err_ptr(unsafe {
            create_file(
                name.as_char_ptr(),
                0o444,
                self.dentry,
                core::ptr::from_ref::<Entry>(&entry).cast_mut().cast(),
                &FOPS.0,
            )
        })?;
        self.entries.push(entry, GFP_KERNEL)?;
        Ok(())
    }
}

impl<D> Drop for Dir<D> {
    fn drop(&mut self) {
        // SAFETY: valid by the type invariant; removes the files and waits
        // for running reads, so the entries and data are unused afterwards.
        unsafe { bindings::debugfs_remove(self.dentry) };
    }
}

/// # Safety
///
/// Called by the seq_file core during a read of a file opened by `open_callback`.
unsafe extern "C" fn show_callback(m: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: `private` is the `Entry` given to `single_open` by
    // `open_callback`; debugfs runs no read after the file is removed.
    let r = unsafe {
        let e = &*((*m).private as *const Entry);
        (e.call)(e.file, e.data, &mut SeqWriter { m })
    };
    super::to_c_int(r)
}

/// # Safety
///
/// Called by the VFS with a valid inode and file of a file we created.
unsafe extern "C" fn open_callback(inode: *mut bindings::inode, f: *mut bindings::file) -> c_int {
    // SAFETY: called by the VFS with valid pointers; `i_private` is the
    // `Entry` passed to `debugfs_create_file`.
    unsafe { bindings::single_open(f, Some(show_callback), (*inode).i_private) }
}

struct Fops(bindings::file_operations);
// SAFETY: immutable after compilation.
unsafe impl Sync for Fops {}

static FOPS: Fops = Fops(bindings::file_operations {
    owner: super::THIS_MODULE_PTR,
    open: Some(open_callback),
    read: Some(bindings::seq_read),
    llseek: Some(bindings::seq_lseek),
    release: Some(bindings::single_release),
    // SAFETY: all-zero is "no callback" for the other operations.
    ..unsafe { core::mem::zeroed() }
});
