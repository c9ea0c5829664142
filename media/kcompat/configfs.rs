// SPDX-License-Identifier: GPL-2.0

//! configfs: directories that userspace makes, with attribute files.
//!
//! On 7.x this is the kernel crate's `kernel::configfs` (groups whose
//! children are groups, attributes, `configfs_attrs!`). 6.12 has none: there
//! this module binds the same subset under the same names and signatures,
//! so that drivers are written once. On both it adds what the kernel crate
//! lacks: a group's directory name, by which a parent tells which child
//! `drop_item` is about (7.x gives a parent no access to a child's data).

#[cfg(not(kernel_7))]
use crate::media::bindings;
#[cfg(kernel_7)]
use kernel::bindings;
use kernel::prelude::*;

#[cfg(kernel_7)]
pub(crate) use kernel::configfs::{
    AttributeOperations, Group, GroupOperations, HasGroup, ItemType, Subsystem,
};
#[cfg(kernel_7)]
pub(crate) use kernel::configfs_attrs;

#[cfg(not(kernel_7))]
pub(crate) use imp::{Attribute, AttributeList, ItemType};
#[cfg(not(kernel_7))]
pub(crate) use imp::{AttributeOperations, Group, GroupOperations, HasGroup, Subsystem};
use kernel::{ffi::c_char, str::CString};

/// A group's initializer: [`Group::new`] with `data`, then `last`, the
/// only step that may fail, and `Err(ENOMEM)` where configfs could not
/// allocate the name. A name too long for `ci_namebuf` (20 bytes or more)
/// is allocated by config_item_set_name(), whose failure 7.x's
/// `Group::new` ignores, leaving the name NULL; and when a step after it
/// fails, the group is dropped unlinked, with nobody to free the name. So
/// `data` must not fail (moved values only: it runs after the name is
/// allocated), and a failure of `last` frees the name here.
pub(crate) fn new_group<Data: 'static>(
    name: CString,
    item_type: &'static ItemType<Group<Data>, Data>,
    data: impl PinInit<Data, Error>,
    last: impl FnOnce() -> Result,
) -> impl PinInit<Group<Data>, Error> {
    Group::new(name, item_type, data).pin_chain(move |group| {
        let cg = group_ptr(&group);
        // SAFETY: `cg` is the initialized group's, valid while `group` is.
        let (name, buf) = unsafe { ((*cg).cg_item.ci_name, (&raw const (*cg).cg_item.ci_namebuf)) };
        if name.is_null() {
            return Err(ENOMEM);
        }
        last().inspect_err(|_| {
            if name.cast_const() != buf.cast() {
                // SAFETY: configfs allocated it (kvasprintf, kmalloc'd) and
                // never received this item: nothing puts its kref, so
                // config_item_cleanup() never runs, and dropping `Group`
                // frees no C state. Nothing else frees or uses the name.
                unsafe { kernel::bindings::kfree(name.cast()) };
            }
        })
    })
}

fn group_ptr<Data>(group: &Group<Data>) -> *const bindings::config_group {
    // SAFETY: `group` is a live, initialized `Group`, so `HasGroup::group`
    // gives its embedded `config_group`.
    unsafe { <Group<Data> as HasGroup<Data>>::group(group) }
}

/// The directory name of `group`.
///
/// # Panics
///
/// (In debug builds) if `group` was not made by [`new_group`].
pub(crate) fn name<Data>(group: &Group<Data>) -> &CStr {
    // SAFETY: `group_ptr` is valid for as long as `group`.
    let name: *const c_char = unsafe { (*group_ptr(group)).cg_item.ci_name };
    debug_assert!(!name.is_null());
    // SAFETY: configfs set the item's name (NUL-terminated, in `ci_namebuf`
    // or allocated; not NULL: `new_group` fails the mkdir otherwise) when
    // the group was made, and changes it only on rename, which configfs
    // does not offer; it lives as long as `group`.
    unsafe { CStr::from_char_ptr(name) }
}

#[cfg(not(kernel_7))]
mod imp {
    use crate::media::bindings;
    use core::{cell::UnsafeCell, marker::PhantomData, ptr};
    use kernel::{
        alloc::flags,
        ffi::{c_char, c_void},
        init::{pin_init_from_closure, PinInit},
        page::PAGE_SIZE,
        prelude::*,
        str::CString,
        sync::{Arc, ArcBorrow},
        types::Opaque,
    };

    /// A configfs subsystem: the top directory, `/sys/kernel/config/NAME`,
    /// registered while the value lives.
    ///
    /// # Invariants
    ///
    /// `subsystem` is registered with configfs, its group typed by an
    /// `ItemType<Subsystem<Data>, Data>`.
    #[pin_data(PinnedDrop)]
    pub(crate) struct Subsystem<Data> {
        #[pin]
        subsystem: Opaque<bindings::configfs_subsystem>,
        #[pin]
        data: Data,
    }

    // SAFETY: the C subsystem is reached by configfs from any thread, under
    // its own locks; `Data` is only shared (`&Data`), so `Data: Sync`.
    unsafe impl<Data: Sync> Sync for Subsystem<Data> {}
    // SAFETY: nothing of the C side is tied to the creating thread.
    unsafe impl<Data: Send> Send for Subsystem<Data> {}

    impl<Data> Subsystem<Data> {
        /// Registers the subsystem `name`, its files as `item_type` says.
        pub(crate) fn new(
            name: &'static CStr,
            item_type: &'static ItemType<Subsystem<Data>, Data>,
            data: impl PinInit<Data, Error>,
        ) -> impl PinInit<Self, Error> {
            let init = move |slot: *mut Self| {
                // SAFETY: `slot` is valid for writes of `Self` (the
                // closure's contract); the field pointers stay inside it.
                let su = unsafe { Opaque::raw_get(&raw const (*slot).subsystem) };
                // SAFETY: as above; zeroed is the state the C init
                // functions below start from (as a static subsystem's).
                unsafe { ptr::write_bytes(su, 0, 1) };
                // SAFETY: `su` is zeroed memory of a subsystem; `name` lives
                // for ever, `item_type` too. The name is short: no allocation.
                unsafe {
                    bindings::vimc_rs_configfs_subsystem_init(
                        su,
                        name.as_char_ptr(),
                        item_type.as_ptr(),
                    )
                };
                // SAFETY: `data`'s slot is valid and not yet initialized.
                unsafe { data.__pinned_init(&raw mut (*slot).data) }?;
                // SAFETY: the subsystem is initialized; its data, which the
                // callbacks starting now reach, is too.
                let ret = unsafe { bindings::configfs_register_subsystem(su) };
                if ret != 0 {
                    // SAFETY: `data` was initialized above and nothing else
                    // saw it; the group's name (allocated only if long) goes
                    // with its item's last reference.
                    unsafe {
                        ptr::drop_in_place(&raw mut (*slot).data);
                        bindings::config_item_put(&raw mut (*su).su_group.cg_item);
                    }
                    return Err(Error::from_errno(ret));
                }
                // INVARIANT: registered, typed by `item_type`.
                Ok(())
            };
            // SAFETY: on `Ok` every field is initialized and the subsystem
            // registered; on `Err` what was initialized is undone.
            unsafe { pin_init_from_closure(init) }
        }
    }

    #[pinned_drop]
    impl<Data> PinnedDrop for Subsystem<Data> {
        fn drop(self: Pin<&mut Self>) {
            // SAFETY: registered by the type invariant. After this no
            // callback runs; directories users made pin the module, so
            // there are none left.
            unsafe { bindings::configfs_unregister_subsystem(self.subsystem.get()) };
        }
    }

    /// Types that embed a `config_group` (a [`Group`] or a [`Subsystem`]).
    ///
    /// # Safety
    ///
    /// `group` and `container_of` are each other's inverse over the embedded
    /// group.
    pub(crate) unsafe trait HasGroup<Data> {
        /// The embedded group.
        ///
        /// # Safety
        ///
        /// `this` points to a live `Self`.
        unsafe fn group(this: *const Self) -> *const bindings::config_group;

        /// The `Self` that embeds `group`.
        ///
        /// # Safety
        ///
        /// `group` is embedded in a live `Self`.
        unsafe fn container_of(group: *const bindings::config_group) -> *const Self;
    }

    // SAFETY: `su_group` is embedded in `subsystem`, which is in `Self`.
    unsafe impl<Data> HasGroup<Data> for Subsystem<Data> {
        unsafe fn group(this: *const Self) -> *const bindings::config_group {
            // SAFETY: `this` is live (the caller's contract).
            unsafe { &raw const (*Opaque::raw_get(&raw const (*this).subsystem)).su_group }
        }

        unsafe fn container_of(group: *const bindings::config_group) -> *const Self {
            let su = kernel::container_of!(group, bindings::configfs_subsystem, su_group);
            kernel::container_of!(
                su.cast::<Opaque<bindings::configfs_subsystem>>(),
                Self,
                subsystem
            )
        }
    }

    /// A directory made by `mkdir`, with data of its own; it lives in an
    /// [`Arc`] until configfs puts its last reference (rmdir, last open
    /// file closed).
    #[pin_data]
    pub(crate) struct Group<Data> {
        #[pin]
        group: Opaque<bindings::config_group>,
        #[pin]
        data: Data,
    }

    // SAFETY: as for `Subsystem`.
    unsafe impl<Data: Sync> Sync for Group<Data> {}
    // SAFETY: as for `Subsystem`.
    unsafe impl<Data: Send> Send for Group<Data> {}

    impl<Data> Group<Data> {
        /// The directory `name`, its files as `item_type` says.
        pub(crate) fn new(
            name: CString,
            item_type: &'static ItemType<Group<Data>, Data>,
            data: impl PinInit<Data, Error>,
        ) -> impl PinInit<Self, Error> {
            let init = move |slot: *mut Self| {
                // SAFETY: `slot` is valid for writes of `Self`.
                let cg = unsafe { Opaque::raw_get(&raw const (*slot).group) };
                // SAFETY: as above; the C init starts from zeroed memory.
                unsafe { ptr::write_bytes(cg, 0, 1) };
                // SAFETY: `cg` is a zeroed group; configfs copies `name`.
                unsafe {
                    bindings::config_group_init_type_name(
                        cg,
                        name.as_char_ptr(),
                        item_type.as_ptr(),
                    )
                };
                // SAFETY: `cg` is initialized.
                let item = unsafe { &raw mut (*cg).cg_item };
                // SAFETY: as above.
                let (name, buf) =
                    unsafe { ((*item).ci_name, (&raw mut (*item).ci_namebuf).cast()) };
                // A name too long for `ci_namebuf` is allocated; the C init
                // ignores a failure, leaving none.
                if name.is_null() {
                    return Err(ENOMEM);
                }
                // SAFETY: `data`'s slot is valid and uninitialized.
                let ret = unsafe { data.__pinned_init(&raw mut (*slot).data) };
                if ret.is_err() && name != buf {
                    // SAFETY: the item is ours alone (its type's release,
                    // which would free the Arc, must not run): free the
                    // name the C init allocated, as its cleanup would.
                    unsafe { kernel::bindings::kfree(name.cast()) };
                }
                ret
            };
            // SAFETY: on `Ok` both fields are initialized; on `Err` the
            // group's name is freed and `data` as its own init left it.
            unsafe { pin_init_from_closure(init) }
        }
    }

    // SAFETY: `group` is embedded in `Self`.
    unsafe impl<Data> HasGroup<Data> for Group<Data> {
        unsafe fn group(this: *const Self) -> *const bindings::config_group {
            // SAFETY: `this` is live (the caller's contract).
            unsafe { Opaque::raw_get(&raw const (*this).group) }
        }

        unsafe fn container_of(group: *const bindings::config_group) -> *const Self {
            kernel::container_of!(group.cast::<Opaque<bindings::config_group>>(), Self, group)
        }
    }

    /// The data of the group `this`: a subsystem's or a [`Group`]'s.
    ///
    /// # Safety
    ///
    /// `this` is the group of a live `Subsystem<Parent>` or `Group<Parent>`
    /// of a registered subsystem, and stays so for `'a`.
    unsafe fn group_data<'a, Parent>(this: *mut bindings::config_group) -> &'a Parent {
        // SAFETY: `this` is valid; `cg_subsys` was set when configfs linked
        // the group in, to its subsystem (itself for the subsystem's group).
        let su = unsafe { (*this).cg_subsys };
        // SAFETY: `su`, set by configfs, is a live subsystem.
        let is_root = !su.is_null() && ptr::eq(this, unsafe { &raw mut (*su).su_group });
        if is_root {
            // SAFETY: `this` is the subsystem's group, in a
            // `Subsystem<Parent>` (the contract).
            unsafe { &(*<Subsystem<Parent> as HasGroup<Parent>>::container_of(this)).data }
        } else {
            // SAFETY: `this` is in a `Group<Parent>` (the contract).
            unsafe { &(*<Group<Parent> as HasGroup<Parent>>::container_of(this)).data }
        }
    }

    /// What a directory does on `mkdir` and `rmdir` inside it.
    #[vtable]
    pub(crate) trait GroupOperations {
        /// The data of the directories made in this one.
        type Child: 'static;

        /// Makes the directory `name` (on `mkdir`); an error refuses it.
        fn make_group(&self, name: &CStr) -> Result<impl PinInit<Group<Self::Child>, Error>>;

        /// `child` is being removed (on `rmdir`); it cannot refuse.
        fn drop_item(&self, _child: ArcBorrow<'_, Group<Self::Child>>) {
            kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
        }
    }

    struct GroupVTable<Parent, Child>(PhantomData<(Parent, Child)>);

    impl<Parent, Child> GroupVTable<Parent, Child>
    where
        Parent: GroupOperations<Child = Child>,
        Child: 'static,
    {
        /// # Safety
        ///
        /// `this` is the group of a live `Subsystem<Parent>` or
        /// `Group<Parent>`; `name` a NUL-terminated string.
        unsafe extern "C" fn make_group(
            this: *mut bindings::config_group,
            name: *const c_char,
        ) -> *mut bindings::config_group {
            // SAFETY: the contract; configfs holds the parent during mkdir.
            let parent: &Parent = unsafe { group_data(this) };
            // SAFETY: `name` is NUL-terminated (the contract).
            let name = unsafe { CStr::from_char_ptr(name) };
            let init = match parent.make_group(name) {
                Ok(init) => init,
                Err(e) => return e.to_ptr(),
            };
            match Arc::pin_init(init, flags::GFP_KERNEL) {
                // The Arc's one reference becomes the item's initial one,
                // which `release` takes back.
                // SAFETY: the Arc holds a live group.
                Ok(child) => unsafe {
                    <Group<Child> as HasGroup<Child>>::group(Arc::into_raw(child)).cast_mut()
                },
                Err(e) => e.to_ptr(),
            }
        }

        /// # Safety
        ///
        /// `this` as for `make_group`; `item` the item of a `Group<Child>`
        /// made by `make_group`, holding its initial reference.
        unsafe extern "C" fn drop_item(
            this: *mut bindings::config_group,
            item: *mut bindings::config_item,
        ) {
            // SAFETY: the contract.
            let parent: &Parent = unsafe { group_data(this) };
            let cg = kernel::container_of!(item, bindings::config_group, cg_item);
            // SAFETY: `cg` is in a `Group<Child>` (the contract).
            let child = unsafe { <Group<Child> as HasGroup<Child>>::container_of(cg) };
            if Parent::HAS_DROP_ITEM {
                // SAFETY: `child` came from `Arc::into_raw` in `make_group`
                // and that reference is still held (by the item); this
                // borrows it without taking it.
                let child = unsafe { ArcBorrow::from_raw(child) };
                parent.drop_item(child);
            }
            // SAFETY: configfs hands the item's reference over to us.
            unsafe { bindings::config_item_put(item) };
        }

        const VTABLE: bindings::configfs_group_operations = bindings::configfs_group_operations {
            make_item: None,
            make_group: Some(Self::make_group),
            disconnect_notify: None,
            drop_item: Some(Self::drop_item),
            is_visible: None,
            is_bin_visible: None,
        };
    }

    struct ItemVTable<Data>(PhantomData<Data>);

    impl<Data: 'static> ItemVTable<Data> {
        /// # Safety
        ///
        /// `item` is the item of a `Group<Data>` made by `make_group`, at
        /// its last reference.
        unsafe extern "C" fn release(item: *mut bindings::config_item) {
            let cg = kernel::container_of!(item, bindings::config_group, cg_item);
            // SAFETY: `cg` is in a `Group<Data>` from `Arc::into_raw`.
            let group = unsafe { <Group<Data> as HasGroup<Data>>::container_of(cg) };
            // SAFETY: the item's last reference was the Arc's: take it back.
            drop(unsafe { Arc::from_raw(group) });
        }

        const VTABLE: bindings::configfs_item_operations = bindings::configfs_item_operations {
            release: Some(Self::release),
            allow_link: None,
            drop_link: None,
        };
    }

    /// An attribute file of a directory whose data is `Data`, handled by
    /// `O`'s `AttributeOperations<ID>`.
    #[repr(transparent)]
    pub(crate) struct Attribute<const ID: u64, O, Data> {
        attribute: Opaque<bindings::configfs_attribute>,
        _p: PhantomData<(O, Data)>,
    }

    // SAFETY: constant after construction; configfs only reads it.
    unsafe impl<const ID: u64, O, Data> Sync for Attribute<ID, O, Data> {}

    impl<const ID: u64, O, Data> Attribute<ID, O, Data>
    where
        O: AttributeOperations<ID, Data = Data>,
    {
        /// # Safety
        ///
        /// `item` is the item of a live `Group<Data>` or `Subsystem<Data>`
        /// group; `page` writable for `PAGE_SIZE` bytes.
        unsafe extern "C" fn show(item: *mut bindings::config_item, page: *mut c_char) -> isize {
            let cg = kernel::container_of!(item, bindings::config_group, cg_item);
            // SAFETY: the contract.
            let data: &Data = unsafe { group_data(cg.cast_mut()) };
            // SAFETY: `page` is a page of ours for this call.
            let page = unsafe { &mut *page.cast::<[u8; PAGE_SIZE]>() };
            match O::show(data, page) {
                Ok(n) => n.min(PAGE_SIZE) as isize,
                Err(e) => e.to_errno() as isize,
            }
        }

        /// # Safety
        ///
        /// `item` as for `show`; `page` readable for `size` bytes.
        unsafe extern "C" fn store(
            item: *mut bindings::config_item,
            page: *const c_char,
            size: usize,
        ) -> isize {
            let cg = kernel::container_of!(item, bindings::config_group, cg_item);
            // SAFETY: the contract.
            let data: &Data = unsafe { group_data(cg.cast_mut()) };
            // SAFETY: `page` holds `size` bytes for this call.
            let page = unsafe { core::slice::from_raw_parts(page.cast::<u8>(), size) };
            match O::store(data, page) {
                Ok(()) => size as isize,
                Err(e) => e.to_errno() as isize,
            }
        }

        /// The attribute file `name`.
        pub(crate) const fn new(name: &'static CStr) -> Self {
            Self {
                attribute: Opaque::new(bindings::configfs_attribute {
                    ca_name: crate::media::compat::cstr_ptr(name),
                    ca_owner: ptr::null_mut(),
                    ca_mode: 0o660,
                    show: Some(Self::show),
                    store: if O::HAS_STORE {
                        Some(Self::store)
                    } else {
                        None
                    },
                }),
                _p: PhantomData,
            }
        }
    }

    /// What an attribute file does.
    #[vtable]
    pub(crate) trait AttributeOperations<const ID: u64 = 0> {
        /// The data of the directory the file is in.
        type Data;

        /// Writes the value into `page`; returns its length.
        fn show(data: &Self::Data, page: &mut [u8; PAGE_SIZE]) -> Result<usize>;

        /// Takes a value written to the file.
        fn store(_data: &Self::Data, _page: &[u8]) -> Result {
            kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
        }
    }

    /// A NULL-terminated array of attributes, as `ct_attrs` wants.
    #[repr(transparent)]
    pub(crate) struct AttributeList<const N: usize, Data>(
        pub(crate) [*const c_void; N],
        pub(crate) PhantomData<Data>,
    );

    // SAFETY: constant pointers to `Sync` attributes.
    unsafe impl<const N: usize, Data> Sync for AttributeList<N, Data> {}

    /// A directory's type: its files, what `mkdir` in it does, what
    /// releases it.
    pub(crate) struct ItemType<Container, Data> {
        item_type: UnsafeCell<bindings::config_item_type>,
        _p: PhantomData<(Container, Data)>,
    }

    // SAFETY: constant after construction; configfs only reads it.
    unsafe impl<Container, Data> Sync for ItemType<Container, Data> {}

    impl<Container, Data> ItemType<Container, Data> {
        pub(crate) fn as_ptr(&self) -> *const bindings::config_item_type {
            self.item_type.get()
        }

        const fn build<const N: usize>(
            group_ops: *const bindings::configfs_group_operations,
            item_ops: *const bindings::configfs_item_operations,
            attributes: &'static AttributeList<N, Data>,
        ) -> Self {
            Self {
                item_type: UnsafeCell::new(bindings::config_item_type {
                    ct_owner: crate::media::THIS_MODULE_PTR,
                    ct_item_ops: item_ops.cast_mut(),
                    ct_group_ops: group_ops.cast_mut(),
                    ct_attrs: ptr::from_ref(attributes).cast_mut().cast(),
                    ct_bin_attrs: ptr::null_mut(),
                }),
                _p: PhantomData,
            }
        }
    }

    impl<Data: 'static> ItemType<Subsystem<Data>, Data> {
        /// The subsystem's type: `mkdir` in it makes `Child` groups.
        pub(crate) const fn new_with_child_ctor<const N: usize, Child: 'static>(
            attributes: &'static AttributeList<N, Data>,
        ) -> Self
        where
            Data: GroupOperations<Child = Child>,
        {
            Self::build(&GroupVTable::<Data, Child>::VTABLE, ptr::null(), attributes)
        }
    }

    impl<Data: 'static> ItemType<Group<Data>, Data> {
        /// A group's type: `mkdir` in it makes `Child` groups.
        pub(crate) const fn new_with_child_ctor<const N: usize, Child: 'static>(
            attributes: &'static AttributeList<N, Data>,
        ) -> Self
        where
            Data: GroupOperations<Child = Child>,
        {
            Self::build(
                &GroupVTable::<Data, Child>::VTABLE,
                &ItemVTable::<Data>::VTABLE,
                attributes,
            )
        }

        /// A group's type without `mkdir`.
        pub(crate) const fn new<const N: usize>(
            attributes: &'static AttributeList<N, Data>,
        ) -> Self {
            Self::build(ptr::null(), &ItemVTable::<Data>::VTABLE, attributes)
        }
    }

    /// The type of a directory, as 7.x's `configfs_attrs!` declares it:
    /// `container`, `data`, optionally `child` (what `mkdir` in it makes),
    /// and its attributes, each `name: ID`.
    macro_rules! configfs_attrs {
        (
            container: $container:ty,
            data: $data:ty,
            $(child: $child:ty,)?
            attributes: [$($name:ident: $id:literal),* $(,)?] $(,)?
        ) => {{
            const N: usize = <[&str]>::len(&[$(::core::stringify!($name)),*]) + 1;
            static ATTRS: $crate::media::kcompat::configfs::AttributeList<N, $data> =
                $crate::media::kcompat::configfs::AttributeList(
                    [
                        $({
                            static A: $crate::media::kcompat::configfs::Attribute<$id, $data, $data> =
                                $crate::media::kcompat::configfs::Attribute::new(
                                    ::kernel::c_str!(::core::stringify!($name)),
                                );
                            ::core::ptr::from_ref(&A).cast()
                        },)*
                        ::core::ptr::null(),
                    ],
                    ::core::marker::PhantomData,
                );
            static TYPE: $crate::media::kcompat::configfs::ItemType<$container, $data> =
                $crate::media::kcompat::configfs::configfs_attrs!(@type $container, $data, $($child)?);
            &TYPE
        }};
        (@type $container:ty, $data:ty, $child:ty) => {
            <$crate::media::kcompat::configfs::ItemType<$container, $data>>::new_with_child_ctor::<N, $child>(&ATTRS)
        };
        (@type $container:ty, $data:ty,) => {
            <$crate::media::kcompat::configfs::ItemType<$container, $data>>::new::<N>(&ATTRS)
        };
    }
    pub(crate) use configfs_attrs;
}
#[cfg(not(kernel_7))]
pub(crate) use imp::configfs_attrs;
