// SPDX-License-Identifier: GPL-2.0

//! A kernel thread that owns its closure and is stopped by dropping it.
//!
//! C header: [`include/linux/kthread.h`](srctree/include/linux/kthread.h)

use crate::media::{bindings, compat::ARef};
use kernel::{ffi::c_void, prelude::*, str::CStr, task::Task};

/// The body of a thread's loop.
pub(crate) trait Work: Send + 'static {
    /// One round; the thread calls it until it is asked to stop.
    fn run(&mut self);
}

/// A running kernel thread calling `F::run` in a loop until it is dropped.
///
/// # Invariants
///
/// - `task` was created by `kthread_create` with [`trampoline::<F>`] and
///   `data`, and woken; the thread ends only when `kthread_stop` asks it to
///   (or when an oops kills it), and our reference keeps its `task_struct`
///   valid for `kthread_stop` either way.
/// - `data` is a `KBox<F>` turned raw, used by the thread alone until
///   `kthread_stop` returns, then freed by [`Drop`].
pub(crate) struct Thread<F: Work> {
    task: ARef<Task>,
    data: *mut F,
}

// SAFETY: `F: Send` moves to the thread; the handle only stops it.
unsafe impl<F: Work> Send for Thread<F> {}

/// # Safety
///
/// `data` is the `*mut F` of a [`Thread<F>`], which frees it only after the
/// thread has returned.
unsafe extern "C" fn trampoline<F: Work>(data: *mut c_void) -> i32 {
    // SAFETY: as the function's safety section; only this thread uses it.
    let f = unsafe { &mut *data.cast::<F>() };
    // SAFETY: called from the kernel thread itself.
    while !unsafe { bindings::kthread_should_stop() } {
        f.run();
    }
    0
}

impl<F: Work> Thread<F> {
    /// Starts a thread called `name` running `f` until the handle is dropped.
    pub(crate) fn spawn(name: &CStr, f: F) -> Result<Self> {
        let data = KBox::into_raw(KBox::new(f, GFP_KERNEL)?);
        // SAFETY: `trampoline::<F>` matches `data`; `name` is copied.
        let task = unsafe {
            bindings::rust_helper_kthread_create(
                Some(trampoline::<F>),
                data.cast(),
                name.as_char_ptr(),
            )
        };
        let task = match kernel::error::from_err_ptr(task) {
            Ok(t) if !t.is_null() => t,
            r => {
                // SAFETY: the thread was not created: `data` is still ours.
                drop(unsafe { KBox::from_raw(data) });
                return Err(r.err().unwrap_or(ENOMEM));
            }
        };
        // SAFETY: a freshly created thread, not running yet, so alive;
        // `Task` wraps a `task_struct` transparently. Converting takes a
        // reference of our own.
        let task: ARef<Task> = unsafe { &*task.cast::<Task>() }.into();
        // SAFETY: a freshly created thread.
        unsafe { bindings::wake_up_process(task_ptr(&task)) };
        // INVARIANT: `task` was created above with `trampoline::<F>` and
        // `data`, and woken; `trampoline` returns only once `kthread_stop`
        // asks. `data` is the `KBox` turned raw above, given to it alone.
        Ok(Self { task, data })
    }
}

fn task_ptr(t: &Task) -> *mut bindings::task_struct {
    // `Task` is a transparent wrapper of `task_struct`.
    core::ptr::from_ref(t).cast_mut().cast()
}

impl<F: Work> Drop for Thread<F> {
    fn drop(&mut self) {
        // SAFETY: the thread is alive until we stop it (type invariant). It
        // returns -EINTR if it never ran: `data` was not touched then.
        unsafe { bindings::kthread_stop(task_ptr(&self.task)) };
        // SAFETY: the thread has ended; `data` is ours again (type invariant).
        drop(unsafe { KBox::from_raw(self.data) });
    }
}

/// Sleeps `jiffies` ticks; `kthread_stop` wakes the sleeper early.
pub(crate) fn sleep_jiffies(jiffies: u64) {
    // SAFETY: plain sleep in process context.
    unsafe { bindings::schedule_timeout_uninterruptible(jiffies as kernel::ffi::c_long) };
}

/// Gives other tasks a chance to run (the streamer in free-run mode).
pub(crate) fn cond_resched() {
    // SAFETY: called in process context.
    unsafe { bindings::rust_helper_cond_resched() };
}

/// Ticks per second (`HZ`).
pub(crate) fn hz() -> u64 {
    // SAFETY: returns a constant.
    unsafe { bindings::rust_helper_hz() as u64 }
}

/// A duration in jiffies, rounded as the kernel's `nsecs_to_jiffies()`.
pub(crate) fn nsecs_to_jiffies(ns: u64) -> u64 {
    // SAFETY: pure arithmetic.
    unsafe { bindings::nsecs_to_jiffies(ns) as u64 }
}

/// `CLOCK_MONOTONIC` in nanoseconds.
pub(crate) fn ktime_get_ns() -> u64 {
    // SAFETY: no preconditions.
    unsafe { bindings::rust_helper_ktime_get_ns() }
}
