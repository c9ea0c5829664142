// SPDX-License-Identifier: GPL-2.0

//! V4L2 controls: a handler whose controls are described by a table.
//!
//! C header: [`include/media/v4l2-ctrls.h`](srctree/include/media/v4l2-ctrls.h)
//!
//! The handler is embedded in the entity's allocation and freed by the
//! entity's release callback; control names and menus are `'static`.

use crate::media::bindings;
use kernel::{error::to_result, prelude::*, str::CStr};

/// Control ids (`V4L2_CID_*`) used by our drivers.
pub(crate) mod cid {
    use crate::media::bindings;
    pub(crate) const BRIGHTNESS: u32 = bindings::V4L2_CID_BRIGHTNESS;
    pub(crate) const CONTRAST: u32 = bindings::V4L2_CID_CONTRAST;
    pub(crate) const SATURATION: u32 = bindings::V4L2_CID_SATURATION;
    pub(crate) const HUE: u32 = bindings::V4L2_CID_HUE;
    pub(crate) const HFLIP: u32 = bindings::V4L2_CID_HFLIP;
    pub(crate) const VFLIP: u32 = bindings::V4L2_CID_VFLIP;
    pub(crate) const FOCUS_ABSOLUTE: u32 = bindings::V4L2_CID_FOCUS_ABSOLUTE;
    pub(crate) const PIXEL_RATE: u32 = bindings::V4L2_CID_PIXEL_RATE;
    pub(crate) const HBLANK: u32 = bindings::V4L2_CID_HBLANK;
    pub(crate) const VBLANK: u32 = bindings::V4L2_CID_VBLANK;
}

/// The item names of a driver's menu control: `N` `'static` C strings, so
/// a control with this menu takes the values `0..N`.
pub(crate) struct MenuStrings<const N: usize>([*const u8; N]);

// SAFETY: the pointers point to immutable `'static` C strings.
unsafe impl<const N: usize> Sync for MenuStrings<N> {}

impl<const N: usize> MenuStrings<N> {
    /// The menu `items`.
    pub(crate) const fn new(items: [&'static CStr; N]) -> Self {
        let mut p = [core::ptr::null(); N];
        let mut i = 0;
        while i < N {
            p[i] = crate::media::compat::cstr_ptr(items[i]);
            i += 1;
        }
        Self(p)
    }

    /// The menu, for [`Def::Menu`].
    pub(crate) const fn menu(&'static self) -> Menu {
        assert!(N > 0, "a menu needs an item");
        // INVARIANT: `N` pointers to `'static` strings.
        Menu(MenuKind::Strings {
            items: self.0.as_ptr(),
            max: N as i64 - 1,
        })
    }
}

/// Where a menu control's item names come from, and so its largest value.
///
/// # Invariants
///
/// A `Strings` menu's `items` points to `max + 1` pointers to `'static`
/// NUL-terminated strings (only [`MenuStrings::menu`] makes one).
#[derive(Clone, Copy)]
pub(crate) struct Menu(MenuKind);

#[derive(Clone, Copy)]
enum MenuKind {
    Strings { items: *const *const u8, max: i64 },
    TpgPatterns,
}

// SAFETY: see `MenuStrings`.
unsafe impl Sync for Menu {}

impl Menu {
    /// The test pattern names of the kernel's v4l2-tpg library.
    // INVARIANT: not a `Strings` menu: the invariant asks nothing of it.
    pub(crate) const TPG_PATTERNS: Menu = Menu(MenuKind::TpgPatterns);

    /// The largest item index.
    pub(crate) const fn max(&self) -> i64 {
        match self.0 {
            MenuKind::Strings { max, .. } => max,
            MenuKind::TpgPatterns => TPG_PATTERN_MAX,
        }
    }
}

/// The largest test pattern index of v4l2-tpg.
pub(crate) const TPG_PATTERN_MAX: i64 = bindings::tpg_pattern_TPG_PAT_NOISE as i64;

/// One control.
pub(crate) enum Def {
    /// A control class heading (read- and write-only).
    Class {
        /// Control id.
        id: u32,
        /// Name.
        name: &'static CStr,
    },
    /// A driver-defined menu control, from 0 to its menu's last item,
    /// default 0.
    Menu {
        /// Control id.
        id: u32,
        /// Name.
        name: &'static CStr,
        /// Item names.
        menu: Menu,
    },
    /// A driver-defined integer control.
    Integer {
        /// Control id.
        id: u32,
        /// Name.
        name: &'static CStr,
        /// Range, step and default.
        range: (i64, i64, u64, i64),
    },
    /// A standard control, named and typed by the V4L2 core.
    Std {
        /// Control id.
        id: u32,
        /// Range, step and default.
        range: (i64, i64, u64, i64),
    },
    /// A standard control that userspace can read but not set.
    StdReadOnly {
        /// Control id.
        id: u32,
        /// Range, step and default.
        range: (i64, i64, u64, i64),
    },
}

impl Def {
    /// The id and default value of a control that has a value (all but
    /// class headings).
    pub(crate) fn initial(&self) -> Option<(u32, i64)> {
        match self {
            Def::Class { .. } => None,
            Def::Menu { id, .. } => Some((*id, 0)),
            Def::Integer { id, range, .. }
            | Def::Std { id, range }
            | Def::StdReadOnly { id, range } => Some((*id, range.3)),
        }
    }
}

/// Adds the controls of `defs` to `hdl`, whose `s_ctrl` is `ops`.
///
/// # Safety
///
/// `hdl` is an initialized handler; `ops` lives as long as it.
pub(in crate::media) unsafe fn add(
    hdl: *mut bindings::v4l2_ctrl_handler,
    ops: &'static bindings::v4l2_ctrl_ops,
    defs: &[Def],
) -> Result {
    for d in defs {
        // SAFETY: all-zero is an empty control config.
        let mut cfg: bindings::v4l2_ctrl_config = unsafe { core::mem::zeroed() };
        let (min, max, step, def) = match d {
            Def::Std {
                id,
                range: (min, max, step, def),
            } => {
                // SAFETY: `hdl` is initialized (caller); the core records errors in it.
                unsafe { bindings::v4l2_ctrl_new_std(hdl, ops, *id, *min, *max, *step, *def) };
                continue;
            }
            Def::StdReadOnly {
                id,
                range: (min, max, step, def),
            } => {
                // SAFETY: as for `Std`.
                let c =
                    unsafe { bindings::v4l2_ctrl_new_std(hdl, ops, *id, *min, *max, *step, *def) };
                if !c.is_null() {
                    // SAFETY: `c` is the control just created in `hdl`, which
                    // nobody else uses before the handler is set up.
                    unsafe { (*c).flags |= bindings::V4L2_CTRL_FLAG_READ_ONLY as usize };
                }
                continue;
            }
            Def::Class { id, name } => {
                cfg.id = *id;
                cfg.name = name.as_char_ptr();
                cfg.type_ = bindings::v4l2_ctrl_type_V4L2_CTRL_TYPE_CTRL_CLASS;
                cfg.flags =
                    bindings::V4L2_CTRL_FLAG_READ_ONLY | bindings::V4L2_CTRL_FLAG_WRITE_ONLY;
                (0, 0, 0, 0)
            }
            Def::Menu { id, name, menu } => {
                cfg.id = *id;
                cfg.name = name.as_char_ptr();
                cfg.type_ = bindings::v4l2_ctrl_type_V4L2_CTRL_TYPE_MENU;
                // The core reads `qmenu[0..=max]`: there are that many
                // (invariant of `Menu`; v4l2-tpg's array ends at
                // TPG_PAT_NOISE).
                cfg.qmenu = match menu.0 {
                    MenuKind::Strings { items, .. } => items,
                    // SAFETY: only the address of the exported array is taken.
                    MenuKind::TpgPatterns => unsafe { bindings::tpg_pattern_strings.as_ptr() },
                };
                (0, menu.max(), 0, 0)
            }
            Def::Integer { id, name, range } => {
                cfg.id = *id;
                cfg.name = name.as_char_ptr();
                cfg.type_ = bindings::v4l2_ctrl_type_V4L2_CTRL_TYPE_INTEGER;
                *range
            }
        };
        cfg.ops = ops;
        (cfg.min, cfg.max, cfg.step, cfg.def) = (min, max, step, def);
        // SAFETY: `hdl` is initialized; `cfg` is copied, and the names and
        // menus it points to are `'static`.
        unsafe { bindings::v4l2_ctrl_new_custom(hdl, &cfg, core::ptr::null_mut()) };
    }
    // SAFETY: `hdl` is initialized.
    to_result(unsafe { (*hdl).error })
}

/// The controls of a subdev whose handler lock the caller holds, for the
/// V4L2 core's unlocked (`__v4l2_ctrl_*`) calls.
///
/// # Invariants
///
/// `hdl` is an initialized handler whose lock is held for `'a`.
pub(crate) struct Locked<'a> {
    hdl: *mut bindings::v4l2_ctrl_handler,
    _p: core::marker::PhantomData<&'a mut bindings::v4l2_ctrl_handler>,
}

impl Locked<'_> {
    /// # Safety
    ///
    /// `hdl` is an initialized handler whose lock is held for the returned
    /// value's lifetime.
    pub(in crate::media) unsafe fn new(hdl: *mut bindings::v4l2_ctrl_handler) -> Self {
        // INVARIANT: guaranteed by the caller.
        Self {
            hdl,
            _p: core::marker::PhantomData,
        }
    }

    fn find(&self, id: u32) -> Result<*mut bindings::v4l2_ctrl> {
        // SAFETY: `hdl` is initialized and its lock held (type invariant),
        // as the helper requires (v4l2_ctrl_find() would take that lock).
        let c = unsafe { bindings::vimc_rs_v4l2_ctrl_find_locked(self.hdl, id) };
        if c.is_null() {
            Err(EINVAL)
        } else {
            Ok(c)
        }
    }

    /// Changes the range, step and default of control `id`; a value out of
    /// the new range is clamped (and `s_ctrl` called), as the core does.
    pub(crate) fn modify_range(&mut self, id: u32, range: (i64, i64, u64, i64)) -> Result {
        let c = self.find(id)?;
        // SAFETY: `c` is a control of `hdl`, whose lock is held (type invariant).
        to_result(unsafe {
            bindings::__v4l2_ctrl_modify_range(c, range.0, range.1, range.2, range.3)
        })
    }

    /// Sets control `id` to `val`, calling `s_ctrl` if the value changes.
    pub(crate) fn set(&mut self, id: u32, val: i32) -> Result {
        let c = self.find(id)?;
        // SAFETY: as in `modify_range`.
        to_result(unsafe { bindings::__v4l2_ctrl_s_ctrl(c, val) })
    }
}
