// SPDX-License-Identifier: GPL-2.0

//! A module's declaration, parameters included, with one interface on both
//! kernels: [`module_with_params!`] takes what 7.x's `module!` takes
//! (`authors`, `params`) and a driver reads a parameter as on 7.x, with
//! `crate::module_parameters::NAME.value()`.
//!
//! On 7.x it is the kernel crate's `module!`. 6.12's `module!` has no
//! parameters and spells `authors` as `author`, so there the macro passes the
//! first author and builds each parameter as 7.x does: a `kernel_param` in
//! `__param` over C's `param_ops_*` for the type, its `parm`/`parmtype`
//! modinfo, set while the module loads and never after (not in sysfs).

/// Declares the module: the kernel crate's `module!` plus `params` on every
/// kernel (types `bool`, `i32`, `u32`).
#[cfg(kernel_7)]
macro_rules! module_with_params {
    ($($body:tt)*) => {
        ::kernel::prelude::module! { $($body)* }
    };
}

/// Declares the module: the kernel crate's `module!` plus `params` on every
/// kernel (types `bool`, `i32`, `u32`).
#[cfg(not(kernel_7))]
macro_rules! module_with_params {
    (
        type: $type:ident,
        name: $name:tt,
        authors: [$author:tt $(, $more:tt)* $(,)?],
        description: $desc:tt,
        license: $license:tt
        $(, params: {
            $($param:ident: $ptype:ty {
                default: $default:expr,
                description: $pdesc:literal $(,)?
            }),* $(,)?
        })? $(,)?
    ) => {
        ::kernel::prelude::module! {
            type: $type,
            name: $name,
            author: $author,
            description: $desc,
            license: $license,
        }

        #[allow(dead_code)]
        mod module_parameters {
            /// A parameter's value, which C's `param_ops_*` set.
            ///
            /// # Invariants
            ///
            /// The value is written only through the `kernel_param` below,
            /// whose permissions are 0: only while the module loads, before
            /// its init runs, by one thread. After that it is only read.
            #[repr(transparent)]
            pub(crate) struct Param<T>(::core::cell::UnsafeCell<T>);

            // SAFETY: after load the value is only read (type invariant), and
            // before init no other code of the module runs to read it.
            unsafe impl<T: Copy + Sync> Sync for Param<T> {}

            impl<T: Copy> Param<T> {
                const fn new(default: T) -> Self {
                    // INVARIANT: `.0` is private to this module, which uses it
                    // only as the `arg` of its `kernel_param` below (`perm: 0`).
                    Self(::core::cell::UnsafeCell::new(default))
                }

                /// The value given at load time, or the default.
                pub(crate) fn value(&self) -> T {
                    // SAFETY: no write can happen any more (type invariant).
                    unsafe { *self.0.get() }
                }
            }

            /// The C parameter operations that parse and store a `Self`.
            trait Ops {
                const OPS: *const ::kernel::bindings::kernel_param_ops;
            }
            impl Ops for bool {
                // C's `bool` is one byte holding 0 or 1, as Rust's.
                const OPS: *const ::kernel::bindings::kernel_param_ops =
                    ::core::ptr::addr_of!(::kernel::bindings::param_ops_bool);
            }
            impl Ops for i32 {
                const OPS: *const ::kernel::bindings::kernel_param_ops =
                    ::core::ptr::addr_of!(::kernel::bindings::param_ops_int);
            }
            impl Ops for u32 {
                const OPS: *const ::kernel::bindings::kernel_param_ops =
                    ::core::ptr::addr_of!(::kernel::bindings::param_ops_uint);
            }

            /// A `kernel_param` in a static: the module loader reads it.
            #[repr(transparent)]
            struct KernelParam(::kernel::bindings::kernel_param);
            // SAFETY: the module loader alone reads it, while loading; Rust
            // code never touches it.
            unsafe impl Sync for KernelParam {}

            /// A `.modinfo` string as the bytes the section holds.
            const fn modinfo<const N: usize>(s: &str) -> [u8; N] {
                let mut out = [0u8; N];
                let b = s.as_bytes();
                let mut i = 0;
                while i < b.len() {
                    out[i] = b[i];
                    i += 1;
                }
                out
            }

            $($(
                #[allow(non_upper_case_globals)]
                pub(crate) static $param: Param<$ptype> = Param::new($default);

                const _: () = {
                    #[link_section = "__param"]
                    #[used]
                    static PARAM: KernelParam = KernelParam(::kernel::bindings::kernel_param {
                        name: concat!(stringify!($param), "\0").as_ptr().cast(),
                        mod_: ::core::ptr::addr_of!(::kernel::bindings::__this_module).cast_mut(),
                        ops: <$ptype as Ops>::OPS,
                        // Not in sysfs: set at load only (`Param`'s invariant).
                        perm: 0,
                        level: -1,
                        flags: 0,
                        __bindgen_anon_1: ::kernel::bindings::kernel_param__bindgen_ty_1 {
                            arg: $param.0.get().cast(),
                        },
                    });

                    const TYPE: &str =
                        concat!("parmtype=", stringify!($param), ":", stringify!($ptype), "\0");
                    const DESC: &str = concat!("parm=", stringify!($param), ":", $pdesc, "\0");
                    #[link_section = ".modinfo"]
                    #[used]
                    static TYPE_INFO: [u8; TYPE.len()] = modinfo(TYPE);
                    #[link_section = ".modinfo"]
                    #[used]
                    static DESC_INFO: [u8; DESC.len()] = modinfo(DESC);
                };
            )*)?
        }
    };
}

pub(crate) use module_with_params;
