// SPDX-License-Identifier: GPL-2.0

//! Callbacks around the patching of an object: `struct klp_callbacks`.
//!
//! See `Documentation/livepatch/callbacks.rst` for when the livepatch core runs them.

use crate::{bindings, ffi::c_int, prelude::*, str::CStr, types::Opaque};
use core::ptr;
use macros::vtable;

/// Callbacks the livepatch core runs around patching and unpatching one [`Object`].
///
/// Implement the ones needed, in an `impl` marked `#[vtable]`; the others cost nothing, the core
/// sees no function for them. They run under the core's `klp_mutex`, in process context, but not
/// always in the task that caused them:
///
/// - for a module that is loaded or removed while the patch is enabled, all of them run in the
///   task that loads or removes it (`insmod`, `rmmod`);
/// - when the patch is enabled or disabled, the pre-patch and pre-unpatch callbacks run in the
///   task that does it (the patch module's init, the writer of `enabled`); the post-patch and
///   post-unpatch callbacks run when the transition completes, in that same task if no other
///   task had to be waited for, and otherwise in a kworker running the core's transition work.
///
/// So a callback must not rely on the current task, nor on locks the causing task holds.
///
/// # Examples
///
/// ```
/// use kernel::livepatch::{
///     Callbacks, FuncTable, ModuleState, Object, ObjectTable, PatchedObject,
/// };
/// use kernel::{c_str, prelude::*};
///
/// /// Refuses to patch a module that is still being loaded.
/// struct OnlyLive;
///
/// #[vtable]
/// impl Callbacks for OnlyLive {
///     fn pre_patch(object: &PatchedObject) -> Result {
///         match object.module_state() {
///             Some(ModuleState::Coming) => Err(EBUSY),
///             _ => Ok(()),
///         }
///     }
/// }
///
/// static NO_FUNCS: FuncTable<0> = FuncTable::new([]);
/// static OBJECTS: ObjectTable<1> = ObjectTable::new([
///     Object::module(c_str!("my_driver"), &NO_FUNCS).callbacks::<OnlyLive>(),
/// ]);
/// ```
///
/// [`Object`]: super::Object
#[vtable]
pub trait Callbacks {
    /// Runs before the object is patched: when the patch is enabled, for an object that is
    /// loaded, or when the object's module is loaded while the patch is enabled, before its init.
    ///
    /// An error stops the patching of this object with the error's errno: enabling the patch
    /// fails with it, or the module's load fails with it while the patch stays on the other
    /// objects. No other callback runs for the object then.
    fn pre_patch(_object: &PatchedObject) -> Result {
        crate::build_error!(crate::error::VTABLE_DEFAULT_ERROR)
    }

    /// Runs after the object is patched: after the transition completes, or after a module that
    /// comes while the patch is enabled is patched, before its init.
    fn post_patch(_object: &PatchedObject) {
        crate::build_error!(crate::error::VTABLE_DEFAULT_ERROR)
    }

    /// Runs before the object is unpatched: when the patch is disabled, or when the object's
    /// module goes away while the patch is enabled, after its exit.
    fn pre_unpatch(_object: &PatchedObject) {
        crate::build_error!(crate::error::VTABLE_DEFAULT_ERROR)
    }

    /// Runs after the object is unpatched: after the transition completes, or after a module that
    /// goes away while the patch is enabled is unpatched.
    fn post_unpatch(_object: &PatchedObject) {
        crate::build_error!(crate::error::VTABLE_DEFAULT_ERROR)
    }
}

/// The `struct klp_callbacks` of an [`Object`](super::Object) with the callbacks of `T`.
pub(crate) const fn callbacks<T: Callbacks>() -> bindings::klp_callbacks {
    bindings::klp_callbacks {
        pre_patch: if T::HAS_PRE_PATCH {
            Some(pre_patch::<T>)
        } else {
            None
        },
        post_patch: if T::HAS_POST_PATCH {
            Some(post_patch::<T>)
        } else {
            None
        },
        pre_unpatch: if T::HAS_PRE_UNPATCH {
            Some(pre_unpatch::<T>)
        } else {
            None
        },
        post_unpatch: if T::HAS_POST_UNPATCH {
            Some(post_unpatch::<T>)
        } else {
            None
        },
        post_unpatch_enabled: false,
    }
}

/// # Safety
///
/// `obj` must be the valid object the livepatch core runs the callback for.
unsafe extern "C" fn pre_patch<T: Callbacks>(obj: *mut bindings::klp_object) -> c_int {
    // SAFETY: By the function's safety requirements.
    match T::pre_patch(unsafe { PatchedObject::from_raw(obj) }) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// # Safety
///
/// `obj` must be the valid object the livepatch core runs the callback for.
unsafe extern "C" fn post_patch<T: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: By the function's safety requirements.
    T::post_patch(unsafe { PatchedObject::from_raw(obj) })
}

/// # Safety
///
/// `obj` must be the valid object the livepatch core runs the callback for.
unsafe extern "C" fn pre_unpatch<T: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: By the function's safety requirements.
    T::pre_unpatch(unsafe { PatchedObject::from_raw(obj) })
}

/// # Safety
///
/// `obj` must be the valid object the livepatch core runs the callback for.
unsafe extern "C" fn post_unpatch<T: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: By the function's safety requirements.
    T::post_unpatch(unsafe { PatchedObject::from_raw(obj) })
}

/// The state of a loaded module (`enum module_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleState {
    /// Normal state (`MODULE_STATE_LIVE`).
    Live,
    /// Fully formed, running its init (`MODULE_STATE_COMING`).
    Coming,
    /// Going away (`MODULE_STATE_GOING`).
    Going,
    /// Still being set up (`MODULE_STATE_UNFORMED`).
    Unformed,
}

/// The object a callback runs for, as the callback sees it.
///
/// # Invariants
///
/// The inner `struct klp_object` is valid while a `&PatchedObject` exists, and its `mod` is
/// `NULL` or a module that stays allocated meanwhile: the livepatch core only runs callbacks for
/// objects it holds under `klp_mutex`, whose modules cannot be freed before it lets go of them.
#[repr(transparent)]
pub struct PatchedObject(Opaque<bindings::klp_object>);

impl PatchedObject {
    /// Borrows the object a callback runs for.
    ///
    /// # Safety
    ///
    /// `obj` must be the valid object the livepatch core runs a callback for, and `'a` end when
    /// the callback returns.
    unsafe fn from_raw<'a>(obj: *mut bindings::klp_object) -> &'a Self {
        // SAFETY: `PatchedObject` is a transparent wrapper of `klp_object`; the invariants hold
        // for `'a` by the safety requirements.
        unsafe { &*obj.cast::<Self>() }
    }

    /// Returns the `struct klp_object`.
    pub(super) fn as_raw(&self) -> *mut bindings::klp_object {
        self.0.get()
    }

    /// Returns the name of the object's module, `None` for vmlinux.
    pub fn name(&self) -> Option<&CStr> {
        // SAFETY: By the type invariant the object is valid; `name` is set at compile time.
        let name = unsafe { (*self.0.get()).name };
        // SAFETY: A non-`NULL` `name` is the `'static` string of `Object::module`.
        (!name.is_null()).then(|| unsafe { CStr::from_char_ptr(name) })
    }

    /// Returns the state of the object's module, `None` for vmlinux.
    ///
    /// The module loader may change the state while the callback runs (to going, say); the value
    /// is the one read.
    pub fn module_state(&self) -> Option<ModuleState> {
        // SAFETY: By the type invariant the object is valid; the core sets `mod` before it runs
        // callbacks and does not change it while they run.
        let module = unsafe { (*self.0.get()).mod_ };
        if module.is_null() {
            return None;
        }
        // SAFETY: By the type invariant `module` is allocated. The loader may write `state`
        // concurrently, so read it once and volatile, as `READ_ONCE()` would.
        let state = unsafe { ptr::read_volatile(ptr::addr_of!((*module).state)) };
        Some(match state {
            bindings::module_state_MODULE_STATE_LIVE => ModuleState::Live,
            bindings::module_state_MODULE_STATE_COMING => ModuleState::Coming,
            bindings::module_state_MODULE_STATE_GOING => ModuleState::Going,
            _ => ModuleState::Unformed,
        })
    }
}
