// SPDX-License-Identifier: GPL-2.0

//! What a vimc_rs device says of itself, and what its entities share.

use crate::{media::mc::media_device, streamer::Streaming};
use kernel::{c_str, prelude::*};

/// The bus information of the media device and capture nodes, as the C vimc
/// beside us has it: its own `platform:vimc`, or (since 6.18) none, so that
/// the cores derive `platform:vimc.0` from the device.
#[cfg(not(vimc_bus_info_from_device))]
pub(crate) const BUS_INFO: Option<&CStr> = Some(c_str!("platform:vimc"));
#[cfg(vimc_bus_info_from_device)]
pub(crate) const BUS_INFO: Option<&CStr> = None;

/// The media device information of every vimc_rs device, as C vimc's.
pub(crate) const fn media_info(bus_info: Option<&'static CStr>) -> media_device::Info {
    media_device::Info {
        driver_name: c_str!("vimc"),
        model: c_str!("VIMC MDEV"),
        bus_info,
        hw_revision: 0,
    }
}

/// Shared by all entities of one device: the device's data, which the
/// module makes (it alone sees the kinds and the parameters) and each
/// device copies.
#[derive(Clone, Copy)]
pub(crate) struct VimcShared {
    /// How its capture nodes' streams are put together.
    pub(crate) streaming: Streaming,
}
