// SPDX-License-Identifier: GPL-2.0

//! debugfs directories of read-only files, each written whole from the
//! directory's data, with one interface on both kernels.
//!
//! C header: [`include/linux/debugfs.h`](srctree/include/linux/debugfs.h)
//!
//! A directory's files are declared as types ([`Show`]), listed in a tuple
//! ([`Files`]), and created with the directory: the directory owns the data
//! and removes its files before dropping it. On 7.x this is the kernel
//! crate's own `kernel::debugfs::Scope`, with each file a
//! `read_callback_file`; 6.12 has no debugfs in its kernel crate, so there
//! the same interface is built here on `seq_file`s.
//!
//! A `show` that fails ends the file with an `error=ERRNO` line: 7.x's
//! callback files return no error code, so neither kernel does.

use core::fmt;
use kernel::{prelude::*, str::CStr};

/// Where a [`Show`] writes its file.
pub(crate) struct SeqWriter<'a> {
    out: &'a mut dyn fmt::Write,
}

impl fmt::Write for SeqWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.write_str(s)
    }
}

/// One read-only file of a directory whose data is `D`.
pub(crate) trait Show<D>: 'static {
    /// The file's name.
    const NAME: &'static CStr;
    /// Writes the whole file.
    fn show(data: &D, w: &mut SeqWriter<'_>) -> Result;
}

/// Writes file `S` of `data` to `out`, an error as its last line.
fn write_file<D, S: Show<D>>(data: &D, out: &mut dyn fmt::Write) -> fmt::Result {
    let r = S::show(data, &mut SeqWriter { out: &mut *out });
    match r {
        Ok(()) => Ok(()),
        Err(e) => writeln!(out, "error={}", e.to_errno()),
    }
}

/// The files of a directory whose data is `D`: a tuple of [`Show`] types.
pub(crate) trait Files<D> {
    /// Creates each file in `dir`.
    fn create(dir: &mut imp::Creator<'_, '_, D>) -> Result;
}

macro_rules! impl_files {
    ($($s:ident),+) => {
        impl<D: Send + Sync + 'static, $($s: Show<D>),+> Files<D> for ($($s,)+) {
            fn create(dir: &mut imp::Creator<'_, '_, D>) -> Result {
                $(dir.add::<$s>()?;)+
                Ok(())
            }
        }
    };
}
impl_files!(A);
impl_files!(A, B);
impl_files!(A, B, C);
impl_files!(A, B, C, E);
impl_files!(A, B, C, E, F);
impl_files!(A, B, C, E, F, G);

#[allow(unused_imports)]
pub(crate) use imp::Dir;

/// On 7.x: the kernel crate's debugfs.
#[cfg(kernel_7)]
mod imp {
    use super::{write_file, Files, Show};
    use core::{fmt, marker::PhantomData};
    use kernel::{debugfs, prelude::*, str::CStr};

    /// A debugfs directory at the root, its files and the data they show.
    ///
    /// The kernel crate's `Scope`: its files go before its data.
    pub(crate) struct Dir<D, F> {
        _scope: Pin<KBox<debugfs::Scope<D>>>,
        _files: PhantomData<F>,
    }

    impl<D: Send + Sync + 'static, F: Files<D>> Dir<D, F> {
        /// Creates `/sys/kernel/debug/<name>` with the files `F`, which
        /// show `data`.
        pub(crate) fn new(name: &CStr, data: D) -> Result<Self> {
            let scope = KBox::pin_init(
                debugfs::Scope::dir(data, name, |data, dir| {
                    // Cannot fail here: the kernel crate's files report none.
                    let _ = F::create(&mut Creator { dir, data });
                }),
                GFP_KERNEL,
            )?;
            Ok(Self {
                _scope: scope,
                _files: PhantomData,
            })
        }
    }

    /// Creates the files of a directory being made.
    pub(crate) struct Creator<'data, 'dir, D> {
        dir: &'dir debugfs::ScopedDir<'data, 'dir>,
        data: &'data D,
    }

    /// The callback of file `S`: a function item, a zero-sized type as the
    /// kernel crate wants it.
    fn callback<D, S: Show<D>>(data: &D, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_file::<D, S>(data, f)
    }

    impl<D: Send + Sync + 'static> Creator<'_, '_, D> {
        /// Creates file `S`.
        pub(crate) fn add<S: Show<D>>(&mut self) -> Result {
            self.dir
                .read_callback_file(S::NAME, self.data, &callback::<D, S>);
            Ok(())
        }
    }
}

/// On 6.12: debugfs files over `seq_file`, one static `file_operations`.
///
/// Lifetime: every file shares one static `file_operations` owned by this
/// module, so an open file pins the module. debugfs makes reads of a
/// removed file fail with -EIO and waits for running ones on removal, so
/// the data a [`Dir`] owns may go right after it removed its files.
#[cfg(not(kernel_7))]
mod imp {
    use super::{write_file, Files, Show};
    use crate::media::bindings;
    use core::{fmt, marker::PhantomData};
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
    struct SeqFile {
        m: *mut bindings::seq_file,
    }

    impl fmt::Write for SeqFile {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            // SAFETY: `m` is valid during `show` (type invariant); `s` is
            // valid for `s.len()` bytes.
            unsafe { bindings::seq_write(self.m, s.as_ptr().cast(), s.len()) };
            Ok(())
        }
    }

    /// What a file's `i_private` points to: the function that writes it and
    /// the directory's data, with the type erased so that one static
    /// `file_operations` serves every file.
    struct Entry {
        write: unsafe fn(*const (), &mut dyn fmt::Write) -> fmt::Result,
        data: *const (),
    }

    /// # Safety
    ///
    /// `data` is a live `D`.
    unsafe fn write_erased<D, S: Show<D>>(
        data: *const (),
        out: &mut dyn fmt::Write,
    ) -> fmt::Result {
        // SAFETY: guaranteed by the caller.
        write_file::<D, S>(unsafe { &*data.cast::<D>() }, out)
    }

    /// A debugfs directory at the root, its files and the data they show.
    ///
    /// # Invariants
    ///
    /// `dentry` was returned by `debugfs_create_dir` and is not an error
    /// pointer; every `Entry` in `entries` points to `data`, which outlives
    /// the files because `drop` removes them first.
    pub(crate) struct Dir<D, F> {
        dentry: *mut bindings::dentry,
        data: KBox<D>,
        entries: KVec<KBox<Entry>>,
        _files: PhantomData<F>,
    }

    // SAFETY: debugfs calls may be made from any thread; `D` is shared with
    // readers on any CPU.
    unsafe impl<D: Send + Sync, F> Send for Dir<D, F> {}
    // SAFETY: `&Dir` exposes only `&D`.
    unsafe impl<D: Send + Sync, F> Sync for Dir<D, F> {}

    impl<D: Send + Sync + 'static, F: Files<D>> Dir<D, F> {
        /// Creates `/sys/kernel/debug/<name>` with the files `F`, which
        /// show `data`.
        pub(crate) fn new(name: &CStr, data: D) -> Result<Self> {
            let data = KBox::new(data, GFP_KERNEL)?;
            // SAFETY: `name` is a valid C string; a NULL parent is the
            // debugfs root.
            let dentry = from_err_ptr(unsafe {
                bindings::debugfs_create_dir(name.as_char_ptr(), core::ptr::null_mut())
            })?;
            // INVARIANT: `dentry` is a directory; no entries yet. On an
            // error below, dropping `dir` removes what was made.
            let mut dir = Self {
                dentry,
                data,
                entries: KVec::new(),
                _files: PhantomData,
            };
            F::create(&mut Creator {
                dentry: dir.dentry,
                data: &dir.data,
                entries: &mut dir.entries,
            })?;
            Ok(dir)
        }
    }

    impl<D, F> Drop for Dir<D, F> {
        fn drop(&mut self) {
            // SAFETY: valid by the type invariant; removes the files and
            // waits for running reads, so the entries and data are unused
            // afterwards.
            unsafe { bindings::debugfs_remove(self.dentry) };
        }
    }

    /// Creates the files of a directory being made: its `dentry`, the data
    /// its files show and the entries they point to, borrowed from the
    /// [`Dir`] (whose invariant they keep).
    pub(crate) struct Creator<'a, 'b, D> {
        dentry: *mut bindings::dentry,
        data: &'b D,
        entries: &'a mut KVec<KBox<Entry>>,
    }

    impl<D> Creator<'_, '_, D> {
        /// Creates file `S`.
        pub(crate) fn add<S: Show<D>>(&mut self) -> Result {
            let entry = KBox::new(
                Entry {
                    write: write_erased::<D, S>,
                    data: core::ptr::from_ref::<D>(self.data).cast(),
                },
                GFP_KERNEL,
            )?;
            self.entries.reserve(1, GFP_KERNEL)?;
            // SAFETY: `dentry` is the directory of the `Dir` being made; the
            // entry lives in its `entries` until its `drop` has removed the
            // file; `FOPS` is static.
            from_err_ptr(unsafe {
                bindings::debugfs_create_file(
                    S::NAME.as_char_ptr(),
                    0o400,
                    self.dentry,
                    core::ptr::from_ref::<Entry>(&entry).cast_mut().cast(),
                    &FOPS.0,
                )
            })?;
            // INVARIANT: `entry` points to `self.data`, the `Dir`'s data.
            // Within the capacity reserved above: cannot fail.
            self.entries.push(entry, GFP_KERNEL)?;
            Ok(())
        }
    }

    /// # Safety
    ///
    /// Called by the seq_file core during a read of a file opened by
    /// `open_callback`.
    unsafe extern "C" fn show_callback(m: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
        // SAFETY: `private` is the `Entry` given to `single_open` by
        // `open_callback`; debugfs runs no read after the file is removed,
        // and the entry and the data it points to live until then.
        let r = unsafe {
            let e = &*((*m).private as *const Entry);
            // INVARIANT: `m` is the `seq_file` this `show` call was given.
            (e.write)(e.data, &mut SeqFile { m })
        };
        // Only seq_write's overflow, which the seq_file core handles.
        let _ = r;
        0
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid inode and file of a file we created.
    unsafe extern "C" fn open_callback(
        inode: *mut bindings::inode,
        f: *mut bindings::file,
    ) -> c_int {
        // SAFETY: called by the VFS with valid pointers; `i_private` is the
        // `Entry` passed to `debugfs_create_file`.
        unsafe { bindings::single_open(f, Some(show_callback), (*inode).i_private) }
    }

    struct Fops(bindings::file_operations);
    // SAFETY: immutable after compilation.
    unsafe impl Sync for Fops {}

    static FOPS: Fops = Fops(bindings::file_operations {
        owner: crate::media::THIS_MODULE_PTR,
        open: Some(open_callback),
        read: Some(bindings::seq_read),
        llseek: Some(bindings::seq_lseek),
        release: Some(bindings::single_release),
        // SAFETY: all-zero is "no callback" for the other operations.
        ..unsafe { core::mem::zeroed() }
    });
}
