// SPDX-License-Identifier: GPL-2.0

//! vimc_rs: the virtual media controller camera, with object lifetimes held
//! by reference counts and release callbacks.
//!
//! Module init registers the `vimc` platform device and driver; probe builds
//! C vimc's graph ([`topology::Topology::c_vimc`]) once its sensors have
//! bound; remove (dropping [`Vimc`]) only
//! unregisters. Memory goes when its last user goes: see `media/`.

// The parts of the layer (media/README.md) this module uses.
#[allow(dead_code)]
#[path = "../media"]
mod media {
    pub(crate) mod bindings;
    pub(crate) mod kcompat {
        pub(crate) mod configfs;
        pub(crate) mod kthread;
        pub(crate) mod params;
        pub(crate) mod platform;
        pub(crate) mod releases;
        pub(crate) mod swnode;
    }
    pub(crate) mod mc {
        pub(crate) mod media_device;
        pub(crate) mod pipeline;
    }
    pub(crate) mod v4l2 {
        pub(crate) mod async_graph;
        pub(crate) mod async_notifier;
        pub(crate) mod ctrls;
        pub(crate) mod device;
        pub(crate) mod graph;
        pub(crate) mod subdev;
        pub(crate) mod tpg;
        #[allow(unreachable_pub)]
        pub(crate) mod types;
        pub(crate) mod video_device;
    }
    pub(crate) mod introspect {
        // videodev's v4l2_subdev_fops, which it does not export.
        pub(crate) mod ksyms;
    }
    include!("../media/common.rs");
}

// The layer's V4L2 types, under the name the pure format code uses.
use media::v4l2::types as v4l2;

// Pure format logic, shared with the host crate in pixel/.
#[allow(dead_code, unreachable_pub)]
#[path = "../pixel/formats.rs"]
mod formats;

// Pure frame processing, shared with the host crate in pixel/.
#[allow(dead_code, unreachable_pub)]
#[path = "../pixel/frames.rs"]
mod frames;

// Pure graph rules, shared with the host crate in pixel/.
#[allow(dead_code, unreachable_pub)]
#[path = "../pixel/graph.rs"]
mod graph;

// Imports run one way, down this order: the module root; configfs; the
// topology; the kind registry (kinds); the entities (capture, debayer, lens,
// scaler, sensor); what they build on (controls, entity, device, streamer,
// stage). No module imports one above it.
mod capture;
mod configfs;
mod controls;
mod debayer;
mod device;
mod entity;
mod kinds;
mod lens;
mod scaler;
mod sensor;
mod stage;
mod streamer;
mod topology;

use device::{media_info, VimcShared, BUS_INFO};
use kernel::{c_str, prelude::*};
use media::{
    kcompat::{platform, swnode},
    v4l2::{
        async_graph::{AsyncGraph, Bound, BuildGraph},
        device as v4l2_device,
        graph::Build,
        subdev::AsyncRegistration,
    },
};
use streamer::Streaming;

media::kcompat::params::module_with_params! {
    type: VimcModule,
    name: "vimc_rs",
    authors: ["vimc-rs developers"],
    description: "Virtual media controller camera (Rust)",
    license: "GPL",
    params: {
        vimc_device: bool {
            default: true,
            description: "Create C vimc's device (vimc.0, its 11-entity graph) at load; 0: only configfs devices",
        },
        free_run: bool {
            default: false,
            description: "Stream as fast as possible instead of at the sensor's frame rate (for benchmarks)",
        },
    },
}

/// What the entities of each device share: the module alone sees both the
/// kind registry and its parameters.
fn device_data() -> VimcShared {
    VimcShared {
        streaming: Streaming {
            stage_of: kinds::stage_of,
            free_run: crate::module_parameters::free_run.value(),
        },
    }
}

/// Builds the device's graph once its sensors have bound.
struct VimcGraph(topology::Topology);

impl BuildGraph<VimcShared> for VimcGraph {
    fn build(&self, graph: &mut Build<'_, VimcShared>, bound: &[Bound<'_>]) -> Result {
        self.0
            .build(<VimcDriver as platform::Driver>::NAME, graph, bound)
    }
}

/// What probe leaves for remove: the device waiting for its sensors.
pub(crate) struct Vimc {
    _graph: AsyncGraph<VimcShared, VimcGraph>,
}

struct VimcDriver;

impl platform::Driver for VimcDriver {
    type Data = KBox<Vimc>;
    const NAME: &'static CStr = c_str!("vimc");

    fn probe(dev: &platform::Device<'_>) -> Result<KBox<Vimc>> {
        let device = v4l2_device::Device::new(
            dev,
            &media_info(BUS_INFO),
            device_data(),
            &media::THIS_MODULE,
        )?;
        let mut nodes = KVec::with_capacity(topology::SENSORS.len(), GFP_KERNEL)?;
        for &(_, _, name) in topology::SENSORS {
            nodes.push(swnode::find(name).ok_or(ENODEV)?, GFP_KERNEL)?;
        }
        let graph = AsyncGraph::new(device, &nodes, VimcGraph(topology::Topology::c_vimc()?))?;
        Ok(KBox::new(Vimc { _graph: graph }, GFP_KERNEL)?)
    }
}

/// A sensor device's driver: its sensor, registered with v4l2-async.
struct SensorDriver;

impl platform::Driver for SensorDriver {
    type Data = KBox<AsyncRegistration<sensor::Sensor>>;
    const NAME: &'static CStr = c_str!("vimc-sensor");

    fn probe(dev: &platform::Device<'_>) -> Result<Self::Data> {
        let &(_, name, _) = topology::SENSORS
            .iter()
            .find(|s| s.0 == dev.id())
            .ok_or(ENODEV)?;
        Ok(KBox::new(sensor::register(dev, name)?, GFP_KERNEL)?)
    }
}

struct VimcModule {
    // Field order is drop order. configfs first: its devices, which users
    // made, pin the module, so none is left when it goes. Then unbind the
    // drivers, the sensors' first (so
    // that unloading takes the notifier's unbind path, as a sensor unbind
    // does), then remove the devices, each before its software node.
    _configfs: Pin<KBox<configfs::Subsystem>>,
    _holding_driver: platform::HoldingDriver,
    _sensor_driver: platform::Registration<SensorDriver>,
    _driver: platform::Registration<VimcDriver>,
    _device: Option<platform::DeviceRegistration>,
    _sensors: KVec<platform::DeviceWithNode>,
    // Last: waits for the release of every object our code frees (a
    // node's release may come after all of the above is gone).
    _releases: media::kcompat::releases::Barrier,
}

impl kernel::Module for VimcModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // First, so that a failed init drops it last too.
        let releases = media::kcompat::releases::Barrier::new();
        media::v4l2::subdev::resolve_symbols()?;
        let c_vimc = crate::module_parameters::vimc_device.value();
        let mut sensors = KVec::with_capacity(topology::SENSORS.len(), GFP_KERNEL)?;
        for &(id, _, node) in topology::SENSORS.iter().filter(|_| c_vimc) {
            sensors.push(
                platform::DeviceWithNode::new(c_str!("vimc-sensor"), id, node)?,
                GFP_KERNEL,
            )?;
        }
        let sensor_driver = platform::Registration::new(module)?;
        let driver = platform::Registration::new(module)?;
        // "vimc.0", as C vimc's device (libcamera's vimc pipeline handler
        // matches its media device; it names cameras after the sensors').
        let device = match c_vimc {
            true => Some(platform::DeviceRegistration::new(c_str!("vimc"), 0)?),
            false => None,
        };
        let holding_driver = platform::HoldingDriver::new(configfs::DRIVER, module)?;
        let configfs = KBox::pin_init(configfs::subsystem(device_data()), GFP_KERNEL)?;
        Ok(Self {
            _configfs: configfs,
            _holding_driver: holding_driver,
            _sensor_driver: sensor_driver,
            _driver: driver,
            _device: device,
            _sensors: sensors,
            _releases: releases,
        })
    }
}
