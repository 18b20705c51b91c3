// SPDX-License-Identifier: GPL-2.0

//! Shadow variables: data a live patch attaches to existing objects.
//!
//! A live patch cannot add a field to a structure whose instances already exist, but it can attach
//! a shadow variable to any object: a piece of data kept by the livepatch core in a global hash
//! table under the pair of the object's address and a numeric id (`klp_shadow_alloc()` and
//! friends, see `Documentation/livepatch/shadow-vars.rst`).
//!
//! In C a shadow variable is a `void *` of a size the caller states, initialised by a constructor
//! callback and cleaned up by a destructor callback passed to each call. Here:
//!
//! - [`ShadowId`] binds an id to the type of the objects it is attached to and to the type of its
//!   data, once: a shadow variable is always read as the type it was created as.
//! - [`Shadow`] has the operations, called on the id (`Requests::get(&conn)`):
//!   [`Shadow::alloc`] and [`Shadow::get_or_alloc`] attach a value (the `unsafe`
//!   [`Shadow::alloc_pin_init`] and [`Shadow::get_or_alloc_pin_init`] initialise it in place with
//!   a [`PinInit`], the C constructor), [`Shadow::get`] and [`Shadow::get_mut`] find it,
//!   [`Shadow::free`] and [`Shadow::free_all`] drop and free it (the destructor is the data's
//!   [`Drop`], preceded by [`ShadowId::release`] where the object is needed, as a C destructor
//!   gets it).
//!
//! # Lifetimes
//!
//! A shadow variable behaves like a field of its object that is added and removed at run time:
//! references to it borrow the object. [`Shadow::get`] and the allocators return a shared
//! reference for as long as the `&Object` they were given, and take nothing more than that, so
//! any number of contexts may read (`Data` is [`Sync`]; mutate through atomics in it).
//! [`Shadow::get_mut`] and [`Shadow::free`] take `&mut Object`: nobody else can hold a reference
//! to the object, hence to its shadow variable, while the one caller changes or frees it.
//!
//! Where an object comes from C, the `&Object` or `&mut Object` made from its pointer is the
//! claim that the C code holds it in that way (a shared reference while a lock keeps it alive, an
//! exclusive one where it is being released): the `// SAFETY:` comment of that conversion states
//! why. [`Shadow::free_all`] frees the variables of all objects at once, which no borrow can
//! express: it is `unsafe`, and sound where nothing can use the variables any more, typically in
//! the exit of the live patch module, after its patch was disabled.
//!
//! A variable is attached to the object's address, not to the object: as in C, it stays when the
//! object is freed or (a Rust object) moved without freeing it first, and an object that later
//! takes that address finds it. That is a leak or a stale value, not a use after free: the
//! variable is freed by [`Shadow::free_all`] at the latest, and has the right type.
//!
//! # Atomic context
//!
//! The core runs constructors and destructors under its spinlock, with interrupts disabled, where
//! code must not sleep nor use shadow variables (the lock is not recursive). No code of a caller
//! of the safe functions runs there as a constructor: [`Shadow::alloc`] and
//! [`Shadow::get_or_alloc`] move a value that is ready into the variable, and drop it after the
//! lock if it is not needed. The initializers of [`Shadow::alloc_pin_init`] and
//! [`Shadow::get_or_alloc_pin_init`] do run under the lock: those are `unsafe`. The destructors,
//! [`ShadowId::release`] and the [`Drop`] of the data, run under the lock too, so that a variable
//! is taken out of the table and destroyed in one step, whoever else frees it (another patch,
//! [`Shadow::free_all`], C): that they may is part of the `unsafe` contract of [`ShadowId`].
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)
//!
//! # Examples
//!
//! A counter attached to `Conn`ections, objects that are not ours to change:
//!
//! ```
//! use core::sync::atomic::{AtomicU32, Ordering};
//! use kernel::livepatch::{Shadow, ShadowId};
//! use kernel::prelude::*;
//!
//! /// An object of C code, whose layout we do not change.
//! struct Conn {
//!     fd: i32,
//! }
//!
//! /// The number of requests of a `Conn`.
//! struct Requests;
//!
//! // SAFETY: Id 0x2001 is only used for `AtomicU32`s attached to `Conn`s, and the variables
//! // contain nothing that belongs to a module and have no destructor.
//! #[vtable]
//! unsafe impl ShadowId for Requests {
//!     const ID: kernel::ffi::c_ulong = 0x2001;
//!     type Object = Conn;
//!     type Data = AtomicU32;
//! }
//!
//! let mut conn = Conn { fd: 3 };
//! assert!(Requests::get(&conn).is_none());
//!
//! // Attach a counter, or find the one attached before.
//! let requests = Requests::get_or_alloc(&conn, AtomicU32::new(0), GFP_ATOMIC)?;
//! requests.fetch_add(1, Ordering::Relaxed);
//! let requests = Requests::get_or_alloc(&conn, AtomicU32::new(0), GFP_ATOMIC)?;
//! assert_eq!(requests.fetch_add(1, Ordering::Relaxed), 1);
//!
//! // A second variable of the same id for the same object is refused.
//! assert_eq!(Requests::alloc(&conn, AtomicU32::new(0), GFP_KERNEL).err(), Some(EEXIST));
//!
//! // Exclusive access to the object gives exclusive access to its shadow variables.
//! if let Some(requests) = Requests::get_mut(&mut conn) {
//!     *requests.get_mut().get_mut() = 10;
//! }
//! assert_eq!(Requests::get(&conn).map(|r| r.load(Ordering::Relaxed)), Some(10));
//!
//! Requests::free(&mut conn);
//! assert!(Requests::get(&conn).is_none());
//! assert_eq!(conn.fd, 3);
//! # Ok::<(), Error>(())
//! ```
//!
//! A constructor that fails: its error is the error of the allocation, and nothing is attached.
//! It initialises the data in place, under the core's spinlock:
//!
//! ```
//! use kernel::init::pin_init_from_closure;
//! use kernel::livepatch::{Shadow, ShadowId};
//! use kernel::prelude::*;
//!
//! struct Object(u64);
//!
//! /// A name given to an `Object`, in its own allocation.
//! struct Name;
//!
//! // SAFETY: Id 0x2002 is only used for `KVec<u8>`s attached to `Object`s; a `KVec` owns its
//! // buffer, which is freed with it by `kfree()` (which does not sleep), and refers to nothing
//! // of a module.
//! #[vtable]
//! unsafe impl ShadowId for Name {
//!     const ID: kernel::ffi::c_ulong = 0x2002;
//!     type Object = Object;
//!     type Data = KVec<u8>;
//! }
//!
//! /// Constructs a copy of `name`, refusing an empty one.
//! fn name(name: &[u8]) -> impl PinInit<KVec<u8>, Error> + '_ {
//!     // SAFETY: On success the closure writes a valid `KVec` to `slot`; on error it writes
//!     // nothing, and there is nothing to clean up.
//!     unsafe {
//!         pin_init_from_closure(move |slot: *mut KVec<u8>| {
//!             if name.is_empty() {
//!                 return Err(EINVAL);
//!             }
//!             let mut v = KVec::new();
//!             // Constructors run in atomic context.
//!             v.extend_from_slice(name, GFP_ATOMIC)?;
//!             slot.write(v);
//!             Ok(())
//!         })
//!     }
//! }
//!
//! let mut obj = Object(1);
//! // SAFETY: `name()` neither sleeps (it allocates with `GFP_ATOMIC`) nor uses shadow variables.
//! let empty = unsafe { Name::alloc_pin_init(&obj, name(b""), GFP_KERNEL) };
//! assert_eq!(empty.err(), Some(EINVAL));
//! assert!(Name::get(&obj).is_none());
//!
//! // SAFETY: As above.
//! let n = unsafe { Name::alloc_pin_init(&obj, name(b"one"), GFP_KERNEL) }?;
//! assert_eq!(&n[..], b"one");
//! // Dropping the `KVec` frees its buffer.
//! Name::free(&mut obj);
//! assert_eq!(obj.0, 1);
//! # Ok::<(), Error>(())
//! ```

use crate::{
    alloc::Flags,
    bindings,
    error::{code::*, Error, Result},
    ffi::{c_int, c_ulong, c_void},
    prelude::PinInit,
};
use core::{
    marker::PhantomData,
    mem::{align_of, needs_drop, size_of},
    pin::Pin,
    ptr,
};
use macros::vtable;

/// Binds a shadow variable id to the objects its variables are attached to and to their data.
///
/// Implemented by a type that only names the id, in an `unsafe impl` marked `#[vtable]`:
///
/// ```
/// # use kernel::livepatch::ShadowId;
/// # use kernel::prelude::*;
/// # use kernel::livepatch::Shadow;
/// # struct Dummy {
/// #     _expires: u64,
/// # }
/// struct Counter;
///
/// // SAFETY: Id 0x2003 is only used for `AtomicI32`s attached to `Dummy`s, which hold nothing
/// // and have no destructor.
/// #[vtable]
/// unsafe impl ShadowId for Counter {
///     const ID: kernel::ffi::c_ulong = 0x2003;
///     type Object = Dummy;
///     type Data = core::sync::atomic::AtomicI32;
/// }
///
/// assert!(Counter::get(&Dummy { _expires: 0 }).is_none());
/// ```
///
/// The operations on the variables are those of [`Shadow`], called on the id: `Counter::get(obj)`.
///
/// `Object` must not be a zero-sized type (the address of an object is its key), and `Data` must
/// not need an alignment above that of `c_ulong` (the core puts the data behind its own header);
/// both are checked at compile time.
///
/// # Safety
///
/// The livepatch core keeps the variables of all live patches, C and Rust, in one table, which
/// only knows ids. Implementors guarantee, for every shadow variable with id `ID` in the running
/// kernel, whoever allocates, uses or frees it:
///
/// - it is attached to an object of type `Object` and its data is a valid `Data`, or a type of
///   the same layout whose destruction by `Data`'s [`Drop`] is correct (another live patch may
///   use the id, with its own type, for the same variables);
/// - it is used and freed only as [`Shadow`] allows: not freed while a reference to it that
///   [`Shadow`] handed out may still be used, and not accessed mutably while another reference to
///   it may be;
/// - its data holds nothing of a module: no reference to a module's static data (a `&'static str`
///   of it, a `static`), no function pointer, closure or trait object of a module's code, no lock
///   made by `new_mutex!` or `new_spinlock!` (whose lock class and name are statics of the module
///   that made it). A variable outlives the patch that made it when a cumulative patch takes it
///   over, and is then used and freed by other modules;
/// - its destructors, [`ShadowId::release`] and the [`Drop`] of `Data`, neither sleep (no
///   `vfree()`: not a `VBox` nor a `KVVec`) nor use shadow variables: the core runs them under its
///   spinlock, with interrupts disabled.
#[vtable]
pub unsafe trait ShadowId {
    /// The id (`unsigned long id`), unique to this use of shadow variables in the kernel.
    const ID: c_ulong;

    /// The type of the objects the variables are attached to.
    type Object;

    /// The type of the data of a variable.
    ///
    /// It is reachable from any context that can name the object, and dropped in the one that
    /// frees it: it is [`Send`] and [`Sync`]. It may outlive the module that creates it: it is
    /// `'static`, and holds nothing of a module (see the safety requirements).
    type Data: Send + Sync + 'static;

    /// Runs when a variable is freed, with the object it is attached to, before its data is
    /// dropped; this is the place of a C destructor's work that needs the object.
    ///
    /// `obj` is only the object's address: under [`Shadow::free_all`] the object may be gone.
    /// Runs in atomic context, under the core's spinlock with interrupts disabled (see the safety
    /// requirements).
    fn release(_obj: *const Self::Object, _data: Pin<&mut Self::Data>) {
        crate::build_error!(crate::error::VTABLE_DEFAULT_ERROR)
    }
}

/// The operations on the shadow variables of an id, called on the id: `Requests::get(&conn)`.
///
/// Implemented for every [`ShadowId`], and only there: the operations are these for all ids.
pub trait Shadow: ShadowId + Sized {
    /// Returns the variable of `obj`, if it has one (`klp_shadow_get()`).
    fn get(obj: &Self::Object) -> Option<&Self::Data> {
        let () = Vars::<Self>::LAYOUT;
        // SAFETY: `klp_shadow_get()` only uses `obj` as a key.
        let data = unsafe { bindings::klp_shadow_get(Vars::<Self>::key(obj), Self::ID) };
        // SAFETY: By the safety requirements of `ShadowId`, the variable of `obj` with `Self::ID` is
        // a valid `Self::Data`, and it is not freed or mutated while the borrow of `obj`, which
        // `get_mut` and `free` need exclusively, lasts.
        (!data.is_null()).then(|| unsafe { &*data.cast::<Self::Data>() })
    }

    /// Returns the variable of `obj` for changing it, if it has one.
    ///
    /// The exclusive borrow of the object is that of its variables.
    fn get_mut(obj: &mut Self::Object) -> Option<Pin<&mut Self::Data>> {
        let () = Vars::<Self>::LAYOUT;
        // SAFETY: `klp_shadow_get()` only uses `obj` as a key.
        let data = unsafe { bindings::klp_shadow_get(Vars::<Self>::key(obj), Self::ID) };
        // SAFETY: As in `get`, and no other reference to the variable exists while `obj` is
        // borrowed exclusively. The data stays where it is until it is freed.
        (!data.is_null()).then(|| unsafe { Pin::new_unchecked(&mut *data.cast::<Self::Data>()) })
    }

    /// Attaches a new variable to `obj` with the data `value`.
    ///
    /// The memory is allocated with `flags`. Fails with `EEXIST` if `obj` already has a variable
    /// of this id, also one that another context attaches at the same time, or with `ENOMEM`; the
    /// value is dropped then.
    ///
    /// This is `klp_shadow_alloc()` without its warning for an existing variable: it is built on
    /// `klp_shadow_get_or_alloc()`, which tells whether it attached a new one.
    fn alloc(obj: &Self::Object, value: Self::Data, flags: Flags) -> Result<&Self::Data> {
        // SAFETY: Writing a value runs no code of the caller's: its drop, if it is not written,
        // comes after the core's lock.
        unsafe { Self::alloc_pin_init(obj, by_value(value), flags) }
    }

    /// Attaches a new variable to `obj`, initialised in place by `init`.
    ///
    /// As [`Shadow::alloc`], and fails with the error of `init` too, after which nothing is
    /// attached. `init` runs only for the variable attached.
    ///
    /// # Safety
    ///
    /// `init` must neither sleep nor use shadow variables: it runs under the core's spinlock,
    /// with interrupts disabled.
    unsafe fn alloc_pin_init(
        obj: &Self::Object,
        init: impl PinInit<Self::Data, Error>,
        flags: Flags,
    ) -> Result<&Self::Data> {
        // SAFETY: By the safety requirements.
        match unsafe { Vars::<Self>::attach(obj, init, flags) }? {
            (data, true) => Ok(data),
            (_, false) => Err(EEXIST),
        }
    }

    /// Returns the variable of `obj`, attaching a new one with the data `value` if it has none
    /// (`klp_shadow_get_or_alloc()`).
    ///
    /// The memory is allocated with `flags`. Fails with `ENOMEM`. The value is dropped unless it
    /// is attached.
    fn get_or_alloc(obj: &Self::Object, value: Self::Data, flags: Flags) -> Result<&Self::Data> {
        // SAFETY: As in `alloc`.
        unsafe { Self::get_or_alloc_pin_init(obj, by_value(value), flags) }
    }

    /// Returns the variable of `obj`, attaching a new one initialised in place by `init` if it
    /// has none.
    ///
    /// As [`Shadow::get_or_alloc`], and fails with the error of `init` too. `init` runs only for
    /// a variable attached.
    ///
    /// # Safety
    ///
    /// `init` must neither sleep nor use shadow variables: it runs under the core's spinlock,
    /// with interrupts disabled.
    unsafe fn get_or_alloc_pin_init(
        obj: &Self::Object,
        init: impl PinInit<Self::Data, Error>,
        flags: Flags,
    ) -> Result<&Self::Data> {
        // SAFETY: By the safety requirements.
        unsafe { Vars::<Self>::attach(obj, init, flags) }.map(|(data, _)| data)
    }

    /// Drops and frees the variable of `obj`, if it has one (`klp_shadow_free()`).
    ///
    /// [`ShadowId::release`] runs first if the id has it; both run in atomic context, under the core's
    /// spinlock, as the variable is taken out of the table.
    fn free(obj: &mut Self::Object) {
        let () = Vars::<Self>::LAYOUT;
        // SAFETY: `klp_shadow_free()` uses `obj` as a key only, and calls the destructor, if
        // any, at most once, on the variable it removes from the table, under its lock, which the
        // destructors of the id allow by the safety requirements of `ShadowId`. Nobody else holds a
        // reference to the variable while `obj` is borrowed exclusively; the variable is a valid
        // `Self::Data` by the safety requirements of `ShadowId`.
        unsafe {
            bindings::klp_shadow_free(Vars::<Self>::key(obj), Self::ID, Vars::<Self>::dtor())
        };
    }

    /// Drops and frees the variables of all objects (`klp_shadow_free_all()`).
    ///
    /// [`ShadowId::release`] runs first for each if the id has it, then the data is dropped, both
    /// under the core's spinlock, with interrupts disabled.
    ///
    /// # Safety
    ///
    /// No reference to a variable of this id that [`Shadow`] handed out may be used after this call
    /// starts, and none may be used from another context while it runs. This holds in the exit of
    /// a live patch module whose patch alone uses the id: the patch is disabled and no task runs its
    /// code any more.
    unsafe fn free_all() {
        let () = Vars::<Self>::LAYOUT;
        // SAFETY: `klp_shadow_free_all()` calls the destructor, if any, once on each variable it
        // removes; no reference to them is used any more by the safety requirements, and they are
        // valid `Self::Data`s, whose destructors may run under the core's lock, by those of
        // `ShadowId`.
        unsafe { bindings::klp_shadow_free_all(Self::ID, Vars::<Self>::dtor()) };
    }
}

impl<K: ShadowId> Shadow for K {}

/// What the operations of [`Shadow`] share, for the id `K`.
struct Vars<K>(PhantomData<K>);

impl<K: ShadowId> Vars<K> {
    /// The compile-time checks of the layout of `K::Object` and `K::Data`.
    const LAYOUT: () = {
        assert!(
            size_of::<K::Object>() != 0,
            "shadow variables need objects with distinct addresses"
        );
        // The data is the flexible array member that ends `struct klp_shadow`, whose other
        // members are pointers and an `unsigned long`, in a `kzalloc()` allocation.
        assert!(
            align_of::<K::Data>() <= align_of::<c_ulong>(),
            "shadow variable data cannot have an alignment above that of `unsigned long`"
        );
    };

    /// Whether freeing needs our destructor: `release` to run, or `Data` to drop.
    const HAS_DTOR: bool = K::HAS_RELEASE || needs_drop::<K::Data>();

    fn key(obj: &K::Object) -> *mut c_void {
        ptr::from_ref(obj).cast_mut().cast()
    }

    /// Returns the variable of `obj`, attaching a new one constructed by `init` if it has none
    /// (`klp_shadow_get_or_alloc()`), and whether it is new.
    ///
    /// # Safety
    ///
    /// As for [`Shadow::alloc_pin_init`].
    unsafe fn attach<I: PinInit<K::Data, Error>>(
        obj: &K::Object,
        init: I,
        flags: Flags,
    ) -> Result<(&K::Data, bool)> {
        let () = Self::LAYOUT;
        let mut ctor = Ctor {
            init: Some(init),
            result: None,
        };
        // SAFETY: `klp_shadow_get_or_alloc()` uses `obj` as a key only, allocates room for a
        // `K::Data` aligned as it needs (checked by `LAYOUT`) and calls `construct::<K, I>` at most
        // once, before returning, with `&mut ctor` as its `ctor_data`, as it requires; `init`
        // may run there by the safety requirements.
        let data = unsafe {
            bindings::klp_shadow_get_or_alloc(
                Self::key(obj),
                K::ID,
                size_of::<K::Data>(),
                flags.as_raw(),
                Some(construct::<K, I>),
                ptr::from_mut(&mut ctor).cast(),
            )
        };
        if !data.is_null() {
            // SAFETY: As in `get`: the variable is constructed, now or before.
            let data = unsafe { &*data.cast::<K::Data>() };
            // The core runs the constructor only for the variable it attaches.
            return Ok((data, ctor.result.is_some()));
        }
        match ctor.result {
            Some(Err(e)) => Err(e),
            _ => Err(ENOMEM),
        }
    }

    fn dtor() -> bindings::klp_shadow_dtor_t {
        if Self::HAS_DTOR {
            Some(destruct::<K>)
        } else {
            None
        }
    }
}

/// The `ctor_data` of an allocation: the initializer, and what it returned.
struct Ctor<I> {
    init: Option<I>,
    result: Option<Result>,
}

/// Returns the initializer that moves `value` into place.
fn by_value<T>(value: T) -> impl PinInit<T, Error> {
    // SAFETY: The closure writes a valid `T` to its slot, which is valid for writes by the safety
    // requirements of initializers, and succeeds.
    unsafe {
        crate::init::pin_init_from_closure(move |slot: *mut T| {
            slot.write(value);
            Ok(())
        })
    }
}

/// The constructor of the variables of `K`, which runs the initializer `I` of a [`Ctor`].
///
/// # Safety
///
/// `data` must be valid for writing a `K::Data`, aligned for it, and stay where it is until it is
/// freed; `ctor_data` must point to a `Ctor<I>` only accessed through it while this runs.
unsafe extern "C" fn construct<K: ShadowId, I: PinInit<K::Data, Error>>(
    _obj: *mut c_void,
    data: *mut c_void,
    ctor_data: *mut c_void,
) -> c_int {
    // SAFETY: By the safety requirements.
    let ctor = unsafe { &mut *ctor_data.cast::<Ctor<I>>() };
    let result = match ctor.init.take() {
        // SAFETY: `data` is a valid, aligned slot for a `K::Data` that does not move until it is
        // freed by the safety requirements; on error the core frees it without using it, which
        // `PinInit` allows.
        Some(init) => unsafe { crate::sync::once_init::in_place::init(init, data.cast()) },
        // The core calls the constructor at most once.
        None => Err(EINVAL),
    };
    let ret = match result {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    };
    ctor.result = Some(result);
    ret
}

/// The destructor of the variables of `K`: [`ShadowId::release`], then `Drop`.
///
/// # Safety
///
/// `data` must be a valid `K::Data` of a variable attached to `obj`, which nothing else uses any
/// more and which is not used after this returns.
unsafe extern "C" fn destruct<K: ShadowId>(obj: *mut c_void, data: *mut c_void) {
    let data = data.cast::<K::Data>();
    if K::HAS_RELEASE {
        // SAFETY: By the safety requirements, `data` is valid and ours alone; it is pinned as
        // the variables are, never moved.
        let pinned = unsafe { Pin::new_unchecked(&mut *data) };
        K::release(obj.cast_const().cast(), pinned);
    }
    // SAFETY: By the safety requirements, `data` is valid, ours alone and not used again.
    unsafe { ptr::drop_in_place(data) };
}
