// SPDX-License-Identifier: GPL-2.0

//! A graph on a [`Device`]: its entities, links and nodes, built by a
//! [`Builder`] (driver code adds to it through a [`Build`]) and registered
//! as a [`Graph`], which unregisters it all on drop, in the order its
//! `Drop` says.

use crate::media::{
    bindings,
    compat::ARef,
    v4l2::{
        device::{Device, Root},
        subdev::{self, SubdevHold},
        video_device,
    },
};
use core::sync::atomic::Ordering;
use kernel::{error::to_result, prelude::*, str::CStr, ThisModule};

/// An entity registered on a [`Root`].
enum Entity {
    /// A subdev of ours; the graph holds a reference to its memory.
    Subdev(SubdevHold),
    /// A video node of ours, with a reference to its memory.
    Video(ARef<video_device::Node>),
    /// An async subdev bound to the `v4l2_device` by v4l2-async, which
    /// also unregisters it; we add it to the graph and give it a node.
    Bound(SubdevHold),
}

/// A graph: the entities registered on a [`Root`], undone on drop (when the
/// notifier's unbind or the device's remove drops it). Built by a
/// [`Builder`], which alone adds entities and links and makes the nodes,
/// once.
///
/// # Invariants
///
/// - `entities` are registered on `root` and unregistered only by `drop`.
/// - `media_registered` tells whether `/dev/mediaN` exists; `nodes` holds
///   the subdev nodes made so far (all of them once `register` returns).
pub(crate) struct Graph<T> {
    root: ARef<Root<T>>,
    module: &'static ThisModule,
    entities: KVec<Entity>,
    media_registered: bool,
    /// A reference to each subdev node made, given back after the media
    /// device is unregistered (see `drop`).
    nodes: KVec<ARef<video_device::Node>>,
}

/// A graph being built: entities and links join it, then
/// [`Builder::register`] makes its nodes and turns it into the
/// [`Graph`] (so nodes are made once, and nothing joins after).
/// Dropped before that, it unregisters what joined.
pub(crate) struct Builder<T>(Graph<T>);

/// A graph being built, as driver code sees it: entities and links join the
/// [`Builder`] behind it, which stays where its owner keeps it. (Code given
/// a `&mut Builder` could swap it with a builder of its own: the notifier
/// would then register the other graph, and the driver keep one with bound
/// subdevs past their unbind. Swapping two `Build`s swaps only which
/// builder each reaches; the builders stay with their owners.)
pub(crate) struct Build<'a, T>(&'a mut Builder<T>);

impl<'a, T: Send + Sync + 'static> Build<'a, T> {
    /// The graph of `builder`.
    pub(crate) fn new(builder: &'a mut Builder<T>) -> Self {
        Self(builder)
    }

    /// See [`Builder::add_subdev`].
    pub(crate) fn add_subdev<S: subdev::Driver>(&mut self, name: &CStr, data: S) -> Result<usize> {
        self.0.add_subdev(name, data)
    }

    /// The driver data of the device the graph is on (what
    /// [`Device::new`] was given).
    pub(crate) fn data(&self) -> &T {
        self.0 .0.root.data()
    }

    /// See [`Builder::add_video`].
    pub(crate) fn add_video<V: video_device::Driver>(
        &mut self,
        name: &CStr,
        data: V,
        state: V::State,
    ) -> Result<usize> {
        self.0.add_video(name, data, state)
    }

    /// See [`Builder::link`].
    pub(crate) fn link(
        &mut self,
        source: usize,
        source_pad: u16,
        sink: usize,
        sink_pad: u16,
        flags: u32,
    ) -> Result {
        self.0.link(source, source_pad, sink, sink_pad, flags)
    }

    /// See [`Builder::ancillary_link`].
    pub(crate) fn ancillary_link(&mut self, primary: usize, ancillary: usize) -> Result {
        self.0.ancillary_link(primary, ancillary)
    }

    /// See [`Builder::add_bound`].
    ///
    /// # Safety
    ///
    /// As for [`Builder::add_bound`].
    pub(in crate::media) unsafe fn add_bound(&mut self, hold: SubdevHold) -> Result<usize> {
        // SAFETY: guaranteed by the caller.
        unsafe { self.0.add_bound(hold) }
    }
}

impl<T: Send + Sync + 'static> Builder<T> {
    /// A graph on `device`, or EBUSY while another graph (built or being
    /// built) is on it. Attaches the media device to the `v4l2_device` for
    /// good: subdevs registered from now on join it. Its nodes appear with
    /// [`Self::register`].
    pub(crate) fn on(device: &Device<T>) -> Result<Self> {
        device
            .root
            .graph
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .map_err(|_| EBUSY)?;
        // INVARIANT: `graph` is ours until the `Graph` below drops;
        // `v4l2_dev.mdev` points to `mdev` from here on.
        // SAFETY: the `v4l2_device` is registered (invariant of `Device`);
        // `graph` keeps any other graph from attaching meanwhile, and the
        // callers (holding the notifier's lock, or probe, or the configfs
        // device's lock) keep v4l2-async from reading `mdev` meanwhile.
        unsafe { (*device.root.v4l2_dev_ptr()).mdev = device.root.mdev.as_ptr() };
        // INVARIANT: no entities, no `/dev/mediaN`, no nodes yet.
        Ok(Self(Graph {
            root: device.root.clone(),
            module: device.module,
            entities: KVec::new(),
            media_registered: false,
            nodes: KVec::new(),
        }))
    }

    /// Adds the subdev of `hold`, an async subdev bound to this
    /// `v4l2_device`, to the graph; its node comes with [`Self::register`].
    ///
    /// # Safety
    ///
    /// The subdev is bound to this `v4l2_device` for as long as this graph
    /// exists (v4l2-async calls the notifier's `unbind`, which drops the
    /// graph, before unregistering it).
    pub(in crate::media) unsafe fn add_bound(&mut self, hold: SubdevHold) -> Result<usize> {
        let sd = hold.sd();
        let g = &mut self.0;
        // SAFETY: a bound subdev is alive (guaranteed by the caller).
        if unsafe { (*sd.as_ptr()).v4l2_dev } != g.root.v4l2_dev_ptr() {
            // Bound to another device's notifier: its unbind would not drop
            // this graph.
            return Err(EINVAL);
        }
        if g.entities
            .iter()
            .any(|e| matches!(*e, Entity::Bound(ref h) if h.sd() == sd))
        {
            return Err(EBUSY);
        }
        g.entities.reserve(1, GFP_KERNEL)?;
        // SAFETY: guaranteed by the caller; the media device is initialized.
        // A subdev that bound while the media device was attached is in it
        // already, with no links or node yet: registered again, so that ids
        // and the graph's order follow the topology, whatever order the
        // subdevs bound in.
        unsafe {
            let entity = &raw mut (*sd.as_ptr()).entity;
            if !(*entity).graph_obj.mdev.is_null() {
                bindings::media_device_unregister_entity(entity);
            }
            to_result(bindings::media_device_register_entity(
                g.root.mdev.as_ptr(),
                entity,
            ))?;
        }
        // INVARIANT: bound on `root` (checked above) and in its media device
        // (just above); v4l2-async unregisters it only after `unbind` drops
        // this graph (the caller's contract).
        g.entities.push(Entity::Bound(hold), GFP_KERNEL)?;
        Ok(g.entities.len() - 1)
    }

    /// Creates the subdev `name` of type `S` with its data and registers it
    /// on the `v4l2_device`. Returns its index for [`Self::link`].
    pub(crate) fn add_subdev<S: subdev::Driver>(&mut self, name: &CStr, data: S) -> Result<usize> {
        let g = &mut self.0;
        // Reserve first so that nothing can fail after the subdev is registered.
        g.entities.reserve(1, GFP_KERNEL)?;
        let hold = subdev::register(g.root.v4l2_dev_ptr(), g.module, name, data)?;
        // INVARIANT: registered on `root` just above; `drop` unregisters it.
        g.entities.push(Entity::Subdev(hold), GFP_KERNEL)?;
        Ok(g.entities.len() - 1)
    }

    /// Creates the capture node `name` of type `V` and registers it on the
    /// `v4l2_device`. Returns its index for [`Self::link`].
    pub(crate) fn add_video<V: video_device::Driver>(
        &mut self,
        name: &CStr,
        data: V,
        state: V::State,
    ) -> Result<usize> {
        let g = &mut self.0;
        g.entities.reserve(1, GFP_KERNEL)?;
        // SAFETY: the `v4l2_device` is `root`'s and its media device
        // `root.mdev`; the node holds a reference on it until its release.
        let node = unsafe {
            video_device::register(
                g.root.v4l2_dev_ptr(),
                &g.root.mdev,
                g.module,
                name,
                data,
                state,
            )
        }?;
        // INVARIANT: registered on `root` just above; `drop` unregisters it.
        g.entities.push(Entity::Video(node), GFP_KERNEL)?;
        Ok(g.entities.len() - 1)
    }

    fn entity(&self, index: usize) -> Result<*mut bindings::media_entity> {
        Ok(match *self.0.entities.get(index).ok_or(EINVAL)? {
            // SAFETY: the subdev is registered on `root` and stays so until
            // `drop` (type invariant), and `hold` keeps its memory.
            Entity::Subdev(ref hold) | Entity::Bound(ref hold) => unsafe {
                subdev::entity(hold.sd())
            },
            Entity::Video(ref node) => node.entity(),
        })
    }

    /// Creates a data link from pad `source_pad` of entity `source` to pad
    /// `sink_pad` of entity `sink` (indexes from `add_*`), with
    /// `MEDIA_LNK_FL_*` flags. It goes away with either entity.
    pub(crate) fn link(
        &mut self,
        source: usize,
        source_pad: u16,
        sink: usize,
        sink_pad: u16,
        flags: u32,
    ) -> Result {
        let (src, snk) = (self.entity(source)?, self.entity(sink)?);
        // SAFETY: both entities are registered; the core checks the pad indexes.
        to_result(unsafe { bindings::media_create_pad_link(src, source_pad, snk, sink_pad, flags) })
    }

    /// Creates an ancillary link from entity `primary` to `ancillary`.
    pub(crate) fn ancillary_link(&mut self, primary: usize, ancillary: usize) -> Result {
        let (p, a) = (self.entity(primary)?, self.entity(ancillary)?);
        // SAFETY: both entities are registered.
        kernel::error::from_err_ptr(unsafe { bindings::media_create_ancillary_link(p, a) })?;
        Ok(())
    }

    /// Creates `/dev/mediaN` and the subdev nodes: the graph is complete.
    /// On failure the graph is dropped, everything in it unregistered.
    pub(crate) fn register(self) -> Result<Graph<T>> {
        let mut g = self.0;
        g.register_nodes()?;
        Ok(g)
    }
}

impl<T: Send + Sync + 'static> Graph<T> {
    /// Creates `/dev/mediaN` and the subdev nodes; only [`Builder::register`]
    /// calls it, once per graph.
    fn register_nodes(&mut self) -> Result {
        let mdev = self.root.media_device();
        self.nodes.reserve(self.entities.len(), GFP_KERNEL)?;
        // SAFETY: initialized in `new` (invariant of `Root`), not yet registered.
        unsafe { mdev.register(self.module)? };
        // INVARIANT: registered just above. From here on a failure leaves
        // the teardown to `drop` and its order: video nodes (stopping their
        // streams), subdev nodes, then the media device. Unregistering the
        // media device first would clear the `mdev` of every entity while
        // nodes made earlier can still be opened and stream (a subdev
        // node's open and a stream's stop dereference it).
        self.media_registered = true;
        // Not `__v4l2_device_register_subdev_nodes()`: see the helper
        // behind `subdev::register_node`.
        for e in &self.entities {
            let ret = match *e {
                // SAFETY: registered by `add_subdev` (or bound: invariant
                // of `add_bound`), without a node so far (`Builder::register`
                // runs this once); a graph's drop unregisters the nodes it made.
                Entity::Subdev(ref hold) | Entity::Bound(ref hold) => unsafe {
                    hold.register_node()
                },
                Entity::Video(_) => Ok(()),
            };
            let sd = match *e {
                Entity::Subdev(ref hold) | Entity::Bound(ref hold) => Some(hold.sd()),
                Entity::Video(_) => None,
            };
            // SAFETY: registered, its node (if any) just made.
            if let (Ok(()), Some(node)) = (&ret, sd.and_then(|sd| unsafe { subdev::node(sd) })) {
                // SAFETY: a node just registered, which its registration
                // holds; ours goes back in `drop`.
                let node = unsafe { video_device::Node::get(node) };
                // INVARIANT: the node just made, with its reference.
                // Within the capacity reserved above: cannot fail.
                let _ = self.nodes.push(node, GFP_KERNEL);
            }
            ret?;
        }
        // SAFETY: `mdev` is initialized (invariant of `Root`); every entity
        // and link is made (`Builder` adds none after `register`) and the
        // device is registered: the graph is complete.
        unsafe { mdev.set_complete(true) };
        Ok(())
    }
}

impl<T> Drop for Graph<T> {
    fn drop(&mut self) {
        // Video nodes first: that stops their streams, so no streamer uses a
        // subdev once subdevs go (`pipeline` relies on it). Then the
        // subdevs, in reverse order of creation. Each entity's memory goes
        // now or when the last user of its node goes.
        // A stream's pipeline spans the pads of other video nodes, and
        // stopping it writes to them: the graph's references (`entities`'
        // video nodes, `nodes`' subdev nodes) hold every node's memory until
        // all streams are stopped and the media device is unregistered.
        // No stream starts from here on. (Those running stop below.)
        // SAFETY: `mdev` is initialized (invariant of `Root`).
        unsafe { self.root.mdev.set_complete(false) };
        let videos = || {
            self.entities.iter().rev().filter_map(|e| match e {
                Entity::Video(node) => Some(node),
                _ => None,
            })
        };
        for node in videos() {
            // SAFETY: registered by `add_video` and not unregistered yet.
            unsafe { node.unregister() };
        }
        for e in self.entities.iter().rev() {
            match *e {
                // SAFETY: registered by `add_subdev` and not unregistered yet.
                Entity::Subdev(ref hold) => unsafe { subdev::unregister(hold.sd()) },
                // The subdev stays bound (v4l2-async unregisters it); its
                // node and its place in the graph go with the graph.
                // SAFETY: bound (invariant of `add_bound`); the node, if
                // any, came from `register_nodes`.
                Entity::Bound(ref hold) => unsafe {
                    subdev::unregister_node(hold.sd());
                    bindings::media_device_unregister_entity(subdev::entity(hold.sd()));
                },
                Entity::Video(_) => {}
            }
        }
        if self.media_registered {
            // SAFETY: registered by `register_nodes`.
            unsafe { self.root.mdev.unregister() };
        } else {
            // A graph that never got as far as registering its media device
            // (its building failed before, so it made no subdev node): the
            // video nodes' entities and interfaces would stay on the media
            // device's lists until their releases, into the next graph's
            // registration of it.
            for node in videos() {
                // SAFETY: unregistered above.
                unsafe { node.detach_media() };
            }
        }
        // Only now may a node's release run: it removes the node's
        // interface from the media device (media_devnode_remove(), a
        // list_del without graph_mutex), which must not race
        // media_device_unregister() walking that list. So the references
        // to the video nodes (with the entities, whose subdevs' memory
        // goes now or at their nodes' release) and to the subdev nodes go
        // here, not before.
        drop(core::mem::take(&mut self.entities));
        drop(core::mem::take(&mut self.nodes));
        // The media device stays attached: nodes still open release later,
        // and their release removes their interface only through it. A
        // subdev binding before the next graph joins the (unregistered)
        // media device at once; `add_bound` registers it again.
        // INVARIANT: this graph is gone; the next may come.
        self.root.graph.store(false, Ordering::Release);
    }
}
