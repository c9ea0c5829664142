// SPDX-License-Identifier: GPL-2.0

//! vimc_rs: the virtual media controller camera, with object lifetimes held
//! by reference counts and release callbacks.
//!
//! Module init registers the `vimc` platform device and driver; probe builds
//! the graph from [`topology::ENTITIES`]; remove (dropping [`Vimc`]) only
//! unregisters. Memory goes when its last user goes: see `media/`.

#[allow(dead_code)]
#[path = "../media/mod.rs"]
mod media;

// Pure format logic, shared with the host crate in pixel/.
#[allow(dead_code, unreachable_pub)]
#[path = "../pixel/formats.rs"]
mod formats;

// Pure frame processing, shared with the host crate in pixel/.
#[allow(dead_code, unreachable_pub)]
#[path = "../pixel/frames.rs"]
mod frames;

mod capture;
mod controls;
mod debayer;
mod lens;
mod scaler;
mod sensor;
mod streamer;
mod topology;

use kernel::{c_str, prelude::*};
use media::{media_device, platform, v4l2_device};

module! {
    type: VimcModule,
    name: "vimc_rs",
    author: "vimc-rs developers",
    description: "Virtual media controller camera (Rust)",
    license: "GPL",
}

/// Shared by all entities of one device instance.
pub(crate) struct VimcShared;

/// What probe leaves for remove.
pub(crate) struct Vimc {
    _reg: v4l2_device::Registration<VimcShared>,
}

struct VimcDriver;

impl platform::Driver for VimcDriver {
    type Data = KBox<Vimc>;
    const NAME: &'static CStr = c_str!("vimc");

    fn probe(dev: &platform::Device<'_>) -> Result<KBox<Vimc>> {
        let info = media_device::Info {
            driver_name: c_str!("vimc"),
            model: c_str!("VIMC MDEV"),
            bus_info: c_str!("platform:vimc"),
            hw_revision: 0,
        };
        let mut reg = v4l2_device::Registration::new(dev, &info, VimcShared, &THIS_MODULE)?;
        topology::build(&mut reg)?;
        reg.register_nodes()?;
        Ok(KBox::new(Vimc { _reg: reg }, GFP_KERNEL)?)
    }
}

struct VimcModule {
    // Field order is drop order: unbind the driver, then remove the device.
    _driver: platform::Registration<VimcDriver>,
    _device: platform::DeviceRegistration,
}

impl kernel::Module for VimcModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let driver = platform::Registration::new(module)?;
        // "vimc.0", as C vimc's device: libcamera names the camera after it.
        let device = platform::DeviceRegistration::new(c_str!("vimc"), 0)?;
        Ok(Self {
            _driver: driver,
            _device: device,
        })
    }
}
