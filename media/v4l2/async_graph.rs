// SPDX-License-Identifier: GPL-2.0

//! A media graph that waits for async subdevs: built when all have bound,
//! torn down as soon as one goes, built again when it is back.
//!
//! The graph ([`Graph`]) is owned here, not by the driver: it is
//! dropped before v4l2-async unregisters any of the subdevs it uses, so the
//! [`Bound`] subdevs a driver adds to it stay valid for its whole life.
//! See docs/async-sensors.md.

use crate::media::{
    bindings,
    kcompat::swnode::FwnodeRef,
    v4l2::{
        async_notifier::{NotifierOps, RootNotifier},
        device::Device,
        graph::{Build, Builder, Graph},
        subdev::{self, SubdevHold},
    },
};
use core::{cell::UnsafeCell, marker::PhantomData, ptr::NonNull};
use kernel::{prelude::*, str::CStr};

/// A subdev bound to the device, valid for the duration of `complete`
/// (and, once added with [`Bound::add_to`], for the graph's life).
pub(crate) struct Bound<'a> {
    sd: NonNull<bindings::v4l2_subdev>,
    _p: PhantomData<&'a ()>,
}

impl Bound<'_> {
    /// The subdev's name.
    pub(crate) fn name(&self) -> &CStr {
        // SAFETY: a bound subdev is alive; its name is NUL-terminated.
        unsafe { CStr::from_char_ptr((*self.sd.as_ptr()).name.as_ptr()) }
    }

    /// Adds it to `graph` if it is a subdev of type `S` of this module, with
    /// a node made by [`Builder::register`]. Returns its index.
    pub(crate) fn add_to<S: subdev::Driver, D: Send + Sync + 'static>(
        &self,
        graph: &mut Build<'_, D>,
    ) -> Result<usize> {
        // SAFETY: bound now, and it stays registered while the notifier's
        // callbacks (which build the graph) run.
        let hold = unsafe { SubdevHold::of::<S>(self.sd) }.ok_or(EINVAL)?;
        // SAFETY: a `Graph` passes it to the builder behind it, and the only
        // builders `Bound`s meet are `State::complete`'s (a `Bound` lives
        // for that call only): the notifier registers that graph and its
        // `unbind` drops it before v4l2-async unregisters the subdev. A
        // builder of the driver's own on another device refuses the subdev
        // (bound to this one); one on this device cannot be made meanwhile
        // (`Builder::on`: EBUSY).
        unsafe { graph.add_bound(hold) }
    }
}

/// What a driver builds once every awaited subdev has bound.
pub(crate) trait BuildGraph<D>: Send + Sync {
    /// Adds the entities and links of the graph to `graph`, the `bound`
    /// subdevs among them. The notifier registers the graph and keeps it,
    /// so that its unbind drops it before a bound subdev goes.
    fn build(&self, graph: &mut Build<'_, D>, bound: &[Bound<'_>]) -> Result;
}

/// # Invariants
///
/// `graph` and `bound` are touched only from the notifier's callbacks,
/// which v4l2-async serializes with its list lock, and from `drop` (after
/// the notifier was unregistered).
///
/// Field order is drop order: the graph (normally gone already, dropped by
/// `unbind`) before the device it is registered on.
struct State<D, B> {
    graph: UnsafeCell<Option<Graph<D>>>,
    /// Bound subdevs; `None` is a free slot.
    bound: UnsafeCell<KVec<Option<NonNull<bindings::v4l2_subdev>>>>,
    builder: B,
    device: Device<D>,
}

// SAFETY: the cells are serialized by v4l2-async's list lock (invariant).
unsafe impl<D: Send + Sync, B: Send + Sync> Send for State<D, B> {}
// SAFETY: as above.
unsafe impl<D: Send + Sync, B: Send + Sync> Sync for State<D, B> {}

#[vtable]
impl<D: Send + Sync + 'static, B: BuildGraph<D>> NotifierOps for State<D, B> {
    fn bound(&self, sd: NonNull<bindings::v4l2_subdev>) -> Result {
        // SAFETY: under the list lock (type invariant).
        let bound = unsafe { &mut *self.bound.get() };
        match bound.iter_mut().find(|b| b.is_none()) {
            Some(slot) => *slot = Some(sd),
            None => bound.push(Some(sd), GFP_KERNEL)?,
        }
        Ok(())
    }

    fn complete(&self) -> Result {
        // SAFETY: under the list lock (type invariant).
        let (graph, bound) = unsafe { (&mut *self.graph.get(), &*self.bound.get()) };
        let mut tokens = KVec::with_capacity(bound.len(), GFP_KERNEL)?;
        for &sd in bound.iter().flatten() {
            tokens.push(
                Bound {
                    sd,
                    _p: PhantomData,
                },
                GFP_KERNEL,
            )?;
        }
        // A graph left from an earlier complete goes first.
        *graph = None;
        let mut g = Builder::on(&self.device)?;
        self.builder.build(&mut Build::new(&mut g), &tokens)?;
        *graph = Some(g.register()?);
        Ok(())
    }

    fn unbind(&self, sd: NonNull<bindings::v4l2_subdev>) {
        // SAFETY: under the list lock (type invariant).
        let (graph, bound) = unsafe { (&mut *self.graph.get(), &mut *self.bound.get()) };
        // The graph uses every bound subdev: it goes before this one does.
        *graph = None;
        if let Some(slot) = bound.iter_mut().find(|b| **b == Some(sd)) {
            *slot = None;
        }
    }
}

/// A device, the async subdevs it waits for, and the graph `B` builds
/// from them. Dropping it unbinds them (dropping the graph) and
/// unregisters the device.
pub(crate) struct AsyncGraph<D: Send + Sync + 'static, B: BuildGraph<D>> {
    notifier: RootNotifier<State<D, B>>,
}

impl<D: Send + Sync + 'static, B: BuildGraph<D>> AsyncGraph<D, B> {
    /// Waits on `device` for the subdevs whose firmware nodes are
    /// `fwnodes`; the graph is built as soon as all are bound (before this
    /// returns if they already are).
    pub(crate) fn new(device: Device<D>, fwnodes: &[FwnodeRef], builder: B) -> Result<Self> {
        let v4l2_dev = device.root().v4l2_dev_ptr();
        // INVARIANT: `state` goes into the notifier right below, which alone
        // reaches the cells: from its callbacks, and from its drop after it
        // unregistered itself.
        let state = State {
            graph: UnsafeCell::new(None),
            bound: UnsafeCell::new(KVec::new()),
            builder,
            device,
        };
        // SAFETY: the `v4l2_device` lives in `state`, which the notifier
        // owns and drops after unregistering itself.
        let mut notifier = unsafe { RootNotifier::new(v4l2_dev, state)? };
        for f in fwnodes {
            // SAFETY: `f` holds a reference to the node; the connection
            // takes its own.
            unsafe { notifier.add_fwnode(f.as_ptr())? };
        }
        notifier.register()?;
        Ok(Self { notifier })
    }
}
