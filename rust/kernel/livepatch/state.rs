// SPDX-License-Identifier: GPL-2.0

//! System states: `struct klp_state`.
//!
//! A live patch that changes the system beyond its functions (a setting, a data structure, ...)
//! declares that change as a state: an id, a version and data. The livepatch core uses the
//! versions to refuse a cumulative patch that cannot take over a change of the patches it would
//! replace, and the patches' callbacks use the states to hand the change and its data on from one
//! patch to the next. See `Documentation/livepatch/system-state.rst`.
//!
//! In Rust a state is a type implementing [`SystemState`], which ties the id to the version and to
//! the type of the data. A patch lists its states in a [`StateTable`]; its callbacks reach them
//! with [`PatchedObject::state`] and those of the patches enabled before it with
//! [`PatchedObject::prev_state`]. The data is reference counted ([`Arc`]): a patch that takes the
//! change over takes the data with it, and whichever patch drops the last reference frees it.

use super::{PatchedObject, Table, TableEntry};
use crate::{
    bindings,
    ffi::{c_ulong, c_void},
    prelude::build_assert,
    sync::Arc,
    types::Opaque,
};
use core::{marker::PhantomData, mem, ptr};

/// A change to the system made by live patches, identified across all of them by [`Self::ID`].
///
/// # Safety
///
/// Every live patch that declares a state with the id `ID`, in any module, must keep in its data
/// either nothing (`NULL`) or a pointer from [`Arc::into_raw`] of an `Arc<Self::Data>`, with
/// `Self::Data` the same type in all of them. Use a new id when the type of the data changes; the
/// version only tells which patches can take the change over (see [`Self::VERSION`]).
///
/// The data must hold nothing of the module that creates it: no reference to its static data
/// (a `&'static str` of it, a `static`), no function pointer, closure or trait object of its
/// code, no lock made by `new_mutex!` or `new_spinlock!` (whose lock class and name are statics
/// of that module). A cumulative patch takes the data over and the module that made it is
/// removed; the data is then used, and dropped, by the other modules only.
///
/// # Examples
///
/// A change that saves a setting's old value in its data and that cumulative patches take over:
///
/// ```
/// use core::sync::atomic::AtomicI32;
/// use kernel::livepatch::{Callbacks, PatchedObject, State, StateTable, SystemState};
/// use kernel::{ffi::c_ulong, prelude::*, sync::Arc};
///
/// /// The setting is changed; the data holds its old value.
/// struct Tuned;
///
/// // SAFETY: Every patch with the state `0x7e57` keeps an `Arc<AtomicI32>` in it.
/// unsafe impl SystemState for Tuned {
///     const ID: c_ulong = 0x7e57;
///     const VERSION: u32 = 1;
///     type Data = AtomicI32;
/// }
///
/// struct Tuning;
///
/// #[vtable]
/// impl Callbacks for Tuning {
///     fn pre_patch(object: &PatchedObject) -> Result {
///         let state = object.state::<Tuned>().ok_or(EINVAL)?;
///         if object.prev_state::<Tuned>().is_none() {
///             state.set_data(Arc::new(AtomicI32::new(0), GFP_KERNEL)?);
///         }
///         Ok(())
///     }
///
///     fn post_patch(object: &PatchedObject) {
///         let Some(state) = object.state::<Tuned>() else {
///             return;
///         };
///         // Take the change over from the patch being replaced, if any.
///         if let Some(old) = object.prev_state::<Tuned>().and_then(|prev| prev.take_data()) {
///             state.set_data(old);
///         } else {
///             // Change the setting here, keeping its old value in `state.data()`.
///         }
///     }
///
///     fn post_unpatch(object: &PatchedObject) {
///         // Disabled, not reverted: the change ends here. Frees the data.
///         if object.prev_state::<Tuned>().is_none() {
///             let _ = object.state::<Tuned>().and_then(|state| state.take_data());
///         }
///     }
/// }
///
/// static STATES: StateTable<1> = StateTable::new([State::new::<Tuned>()]);
/// ```
pub unsafe trait SystemState {
    /// The id of the change: not 0, and the same in every patch that makes it.
    const ID: c_ulong;

    /// The version of the change that this patch makes and knows how to take over.
    ///
    /// A cumulative patch can only be enabled if, for each state of the patches it replaces, it
    /// declares the state with the same or a higher version; `insmod` fails with `EINVAL`
    /// otherwise.
    const VERSION: u32;

    /// The data kept with the change, shared by the patches that hand it on.
    ///
    /// It outlives the module that creates it: it is `'static`, and holds nothing of a module
    /// (see the safety requirements).
    type Data: Send + Sync + 'static;
}

/// A state a patch declares (`struct klp_state`), an entry of its [`StateTable`].
#[repr(transparent)]
pub struct State(Opaque<bindings::klp_state>);

impl State {
    /// Declares the state `S`, without data.
    pub const fn new<S: SystemState>() -> Self {
        build_assert!(S::ID != 0, "the id of a system state must not be 0");
        Self(Opaque::new(bindings::klp_state {
            id: S::ID,
            version: S::VERSION,
            data: ptr::null_mut(),
        }))
    }
}

/// The states of one patch.
pub type StateTable<const N: usize> = Table<State, N>;

// SAFETY: `State` is a transparent `Opaque<klp_state>`. `klp_for_each_state()` stops at the entry
// whose `id` is 0, and `State::new` never makes one.
unsafe impl TableEntry for State {
    type Raw = bindings::klp_state;

    unsafe fn is_end(raw: *const bindings::klp_state) -> bool {
        // SAFETY: `raw` is valid by the safety requirements; `id` is never written after
        // construction.
        unsafe { (*raw).id == 0 }
    }
}

/// A state of a patch, as the callbacks of a patch see it.
///
/// It is only had from a [`PatchedObject`] and lives no longer than the callback it is given to,
/// during which the livepatch core holds `klp_mutex`: every access to the data of the states goes
/// through a `StateRef` and happens under that lock.
///
/// # Invariants
///
/// `state` points to the `struct klp_state` with id `S::ID` of a patch that stays registered for
/// `'a`, and `klp_mutex` is held for `'a`.
pub struct StateRef<'a, S: SystemState> {
    state: *mut bindings::klp_state,
    _p: PhantomData<(&'a PatchedObject, S)>,
}

impl<'a, S: SystemState> StateRef<'a, S> {
    /// Wraps the state `state` returned for `S::ID` by the livepatch core, `None` if `NULL`.
    ///
    /// # Safety
    ///
    /// `state` must be `NULL` or the state with id `S::ID` of a patch that stays registered for
    /// `'a`, and `klp_mutex` must be held for `'a`.
    unsafe fn from_raw(state: *mut bindings::klp_state) -> Option<Self> {
        // INVARIANT: By the safety requirements.
        (!state.is_null()).then_some(Self {
            state,
            _p: PhantomData,
        })
    }

    /// Returns the version of the state in the patch it belongs to.
    pub fn version(&self) -> u32 {
        // SAFETY: By the type invariants `state` is valid; `version` never changes.
        unsafe { (*self.state).version }
    }

    /// Returns a reference to the data, if the state has any.
    pub fn data(&self) -> Option<Arc<S::Data>> {
        // SAFETY: By the type invariants `state` is valid and `klp_mutex` held, which every
        // writer of `data` holds too.
        let data = unsafe { (*self.state).data };
        if data.is_null() {
            return None;
        }
        // SAFETY: By the safety requirements of `SystemState`, a non-`NULL` `data` came from
        // `Arc::<S::Data>::into_raw`, and the reference it stands for stays while `klp_mutex`
        // is held. Taking a new one out of it leaves that one in place.
        let held = mem::ManuallyDrop::new(unsafe { Arc::from_raw(data.cast::<S::Data>()) });
        Some(Arc::clone(&held))
    }

    /// Stores `data` in the state, returning the data it had.
    pub fn set_data(&self, data: Arc<S::Data>) -> Option<Arc<S::Data>> {
        self.replace(Arc::into_raw(data).cast_mut())
    }

    /// Takes the data out of the state, leaving it without.
    ///
    /// Dropping the result frees the data unless another patch still holds it. A cumulative
    /// patch takes the data over with `state.set_data(prev.take_data()?)` in its post-patch
    /// callback, so that the patches it replaces, which go away without callbacks, hold none.
    pub fn take_data(&self) -> Option<Arc<S::Data>> {
        self.replace(ptr::null_mut())
    }

    fn replace(&self, new: *mut S::Data) -> Option<Arc<S::Data>> {
        // SAFETY: By the type invariants `state` is valid and `klp_mutex` held, which every
        // other access to `data` holds too. `new` is `NULL` or comes from `Arc::into_raw`.
        let old = unsafe { mem::replace(&mut (*self.state).data, new.cast()) };
        // SAFETY: By the safety requirements of `SystemState`, a non-`NULL` `old` came from
        // `Arc::<S::Data>::into_raw`; its reference moves out of the state into the result.
        (!old.is_null()).then(|| unsafe { Arc::from_raw(old.cast::<S::Data>()) })
    }
}

impl PatchedObject {
    /// Returns the state `S` of the patch this object belongs to (`klp_get_state()`), `None` if
    /// the patch does not declare it.
    pub fn state<S: SystemState>(&self) -> Option<StateRef<'_, S>> {
        // SAFETY: Callbacks run under `klp_mutex`, on an object of a registered patch, and
        // `&self` lasts no longer than the callback.
        unsafe { StateRef::from_raw(bindings::klp_get_state(self.patch(), S::ID)) }
    }

    /// Returns the state `S` of the patches enabled before the one this object belongs to
    /// (`klp_get_prev_state()`), from the latest of them that declares it; `None` if none does.
    ///
    /// Only callbacks that run while the patch itself is in transition (being enabled or
    /// disabled) see a previous state, also those for a module loaded or removed then. In the
    /// callbacks for a module loaded or removed once the patch is enabled, or during another
    /// patch's transition, this is `None`. So in a post-unpatch callback it tells whether the
    /// patch is being disabled (`None`) or its enabling reverted (the change stays with the older
    /// patch) only for an object the transition unpatches, not for a module removed meanwhile.
    pub fn prev_state<S: SystemState>(&self) -> Option<StateRef<'_, S>> {
        // SAFETY: Callbacks run under `klp_mutex`, which keeps the patches registered, and
        // `&self` lasts no longer than the callback.
        unsafe { StateRef::from_raw(self.prev_state_raw(S::ID)) }
    }

    /// Returns the patch this object belongs to.
    fn patch(&self) -> *mut bindings::klp_patch {
        // SAFETY: Callbacks run on an object of a registered patch, whose kobject is a child of
        // the patch's (`klp_init_object()`): `parent` is the `kobj` of a `struct klp_patch`.
        unsafe {
            let parent = (*self.as_raw()).kobj.parent;
            parent
                .byte_sub(mem::offset_of!(bindings::klp_patch, kobj))
                .cast::<bindings::klp_patch>()
        }
    }

    /// `klp_get_prev_state(id)` if the patch of this object is the one in transition, `NULL`
    /// otherwise; outside a transition, the core would warn, and during the transition of
    /// another patch, return a state of the patches enabled before that one.
    // Not inlined into modules: `klp_transition_patch` is not exported.
    #[inline(never)]
    fn prev_state_raw(&self, id: c_ulong) -> *mut bindings::klp_state {
        extern "C" {
            /// The `struct klp_patch *` in transition, `NULL` if none
            /// (kernel/livepatch/transition.h); only compared here.
            static klp_transition_patch: *mut c_void;
        }
        // SAFETY: Callbacks run under `klp_mutex`, which every writer of `klp_transition_patch`
        // holds.
        if unsafe { klp_transition_patch } != self.patch().cast() {
            return ptr::null_mut();
        }
        // SAFETY: A transition is in progress, as `klp_get_prev_state()` requires, and
        // `klp_mutex` is held.
        unsafe { bindings::klp_get_prev_state(id) }
    }
}
