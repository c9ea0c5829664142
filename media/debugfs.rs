// SPDX-License-Identifier: GPL-2.0

//! debugfs directories with read-only `seq_file` files.
//!
//! C header: [`include/linux/debugfs.h`](srctree/include/linux/debugfs.h)
//!
//! Lifetime: every file shares one static `file_operations` owned by this
//! module, so an open file pins the module; a file's contents come from a
//! `'static` [`File`]. debugfs itself makes reads of a removed file fail
//! with -EIO, so dropping the [`Dir`] never races a reader.

use super::bindings;
use core::fmt;
use kernel::{
    error::from_err_ptr,
    ffi::{c_int, c_void},
    prelude::*,
    str::CStr,
};

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

/// The contents of one read-only file.
pub(crate) struct File {
    /// Writes the whole file.
    pub(crate) show: fn(&mut SeqWriter) -> Result,
}

/// A debugfs directory and its files, removed on drop.
///
/// # Invariants
///
/// `dentry` was returned by `debugfs_create_dir` and is not an error pointer.
pub(crate) struct Dir {
    dentry: *mut bindings::dentry,
}

// SAFETY: debugfs calls may be made from any thread.
unsafe impl Send for Dir {}
// SAFETY: `&Dir` only creates files, which debugfs serializes.
unsafe impl Sync for Dir {}

impl Dir {
    /// Creates `/sys/kernel/debug/<name>`.
    pub(crate) fn new(name: &CStr) -> Result<Self> {
        // SAFETY: `name` is a valid C string; a NULL parent is the debugfs root.
        let dentry = from_err_ptr(unsafe {
            bindings::debugfs_create_dir(name.as_char_ptr(), core::ptr::null_mut())
        })?;
        Ok(Self { dentry })
    }

    /// Creates the read-only file `name` showing `file`.
    pub(crate) fn file(&self, name: &CStr, file: &'static File) -> Result {
        // SAFETY: `dentry` is a valid directory (type invariant); `file` and
        // `FOPS` live as long as the module, which an open file pins.
        from_err_ptr(unsafe {
            bindings::debugfs_create_file(
                name.as_char_ptr(),
                0o444,
                self.dentry,
                file as *const File as *mut c_void,
                &FOPS.0,
            )
        })?;
        Ok(())
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        // SAFETY: valid by the type invariant; removes the files too and
        // waits for running reads.
        unsafe { bindings::debugfs_remove(self.dentry) };
    }
}

/// # Safety
///
/// Called by the seq_file core during a read of a file opened by `open_callback`.
unsafe extern "C" fn show_callback(m: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: `private` is the `&'static File` given to `single_open` by
    // `open_callback`.
    let file = unsafe { &*((*m).private as *const File) };
    match (file.show)(&mut SeqWriter { m }) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// # Safety
///
/// Called by the VFS with a valid inode and file of a file we created.
unsafe extern "C" fn open_callback(inode: *mut bindings::inode, f: *mut bindings::file) -> c_int {
    // SAFETY: called by the VFS with valid pointers; `i_private` is the
    // `&'static File` passed to `debugfs_create_file`.
    unsafe { bindings::single_open(f, Some(show_callback), (*inode).i_private) }
}

struct Fops(bindings::file_operations);
// SAFETY: immutable after compilation.
unsafe impl Sync for Fops {}

static FOPS: Fops = Fops(bindings::file_operations {
    // SAFETY: only the address of the extern static is taken.
    owner: unsafe { super::__this_module.get() },
    open: Some(open_callback),
    read: Some(bindings::seq_read),
    llseek: Some(bindings::seq_lseek),
    release: Some(bindings::single_release),
    // SAFETY: all-zero is "no callback" for the other operations.
    ..unsafe { core::mem::zeroed() }
});
