// SPDX-License-Identifier: GPL-2.0

//! Live patches: `struct klp_patch`.

use super::{raw::Raw, table, Func, Object, ObjectTable, StateTable};
use crate::sync::once_init::Claim;
use crate::{bindings, error::to_result, ffi::c_ulong, prelude::*, str::CStr, ThisModule};
use core::mem;

/// `Patch::state`: nothing under way, the patch can be changed or enabled.
const IDLE: u8 = 0;
/// `Patch::state`: being changed by `set_replace`.
const CHANGING: u8 = 1;
/// `Patch::state`: handed to the livepatch core, whose it is from now on.
const ENABLED: u8 = 2;

/// A live patch: the objects it patches, owned by the module that holds it (`struct klp_patch`).
///
/// It lives in a `static` of a live patch module, and [`Patch::enable`] hands it to the livepatch
/// core, which then owns it until the patch is disabled through
/// `/sys/kernel/livepatch/<module>/enabled` and the transition completes; the core keeps a
/// reference to the module all that time, so the module cannot be unloaded under it.
///
/// # Invariants
///
/// `raw.mod` is, when `klp_enable_patch()` is called on it, the module that holds this `static`;
/// `raw.objs` the array of a `'static` [`ObjectTable`] (from `Table::as_ptr`), `raw.states` `NULL`
/// or that of a [`StateTable`].
/// Rust code writes `raw` only while it moved `state` from `IDLE` to `CHANGING`, or in the call
/// that moved `state` from `IDLE` to `ENABLED`, before it calls `klp_enable_patch()` on it, at
/// most once.
pub struct Patch {
    raw: Raw<bindings::klp_patch>,
    state: Claim,
}

impl Patch {
    /// Creates the patch of `objects`.
    ///
    /// Its module, the one it is declared in, is given to [`Patch::enable`].
    pub const fn new<const N: usize>(objects: &'static ObjectTable<N>) -> Self {
        Self {
            raw: Raw::new(bindings::klp_patch {
                objs: objects.as_ptr(),
                // SAFETY: The other fields are optional (`states`, `replace`) or the kernel's
                // bookkeeping, whose initial state is all-zero as in the C definitions.
                ..unsafe { mem::zeroed() }
            }),
            state: Claim::new(IDLE),
        }
    }

    /// Declares the system states the patch changes (`klp_patch.states`), see [`SystemState`].
    ///
    /// [`SystemState`]: super::SystemState
    pub const fn states<const N: usize>(self, states: &'static StateTable<N>) -> Self {
        Self {
            raw: Raw::new(bindings::klp_patch {
                states: states.as_ptr(),
                ..self.raw.into_inner()
            }),
            state: Claim::new(IDLE),
        }
    }

    /// Makes the patch cumulative (`klp_patch.replace`), or not.
    ///
    /// A cumulative patch replaces all the patches enabled before it in one transition: functions
    /// they patched and it does not are reverted to their original code, and the older patches
    /// are disabled when the transition completes. Only before [`Patch::enable`]; `EBUSY` after.
    pub fn set_replace(&'static self, replace: bool) -> Result {
        self.state.take(IDLE, CHANGING)?;
        // SAFETY: Moving `state` to `CHANGING` gave this call the only access to `raw`: the core
        // has not seen it (that needs `ENABLED`), and other Rust writers need `IDLE`.
        unsafe { (*self.raw.get()).replace = replace };
        self.state.release(IDLE);
        Ok(())
    }

    /// Registers and enables the patch (`klp_enable_patch()`).
    ///
    /// Call it from the module's init, as its last step that can fail, and return its error from
    /// there: the kernel's errno then becomes the error of `insmod`. On success the patch appears
    /// as `/sys/kernel/livepatch/<module>` and the transition to the new code has started (it may
    /// still be running when this returns). [`module_livepatch!`] does all of that.
    ///
    /// Errors are those of `klp_enable_patch()`, among them `EINVAL` when a function or an object
    /// cannot be resolved or the module is not a live patch module, `ENODEV` when the livepatch
    /// core is not available, `EBUSY` when another transition is in progress, or the error of a
    /// [`Callbacks::pre_patch`](super::Callbacks::pre_patch); `EBUSY` when this patch was
    /// enabled before, a patch can only be enabled once per load of its module, or when one of
    /// its tables was handed to the livepatch core before, by another [`Patch`] or
    /// [`Object`](super::Object) (see [`Table`](super::Table)); and `EINVAL` when the core would
    /// give two objects, or two functions of an object, the same sysfs directory, or an object a
    /// name that is not one of a module (it would warn).
    ///
    /// It sleeps, and takes the core's `klp_mutex`: call it where that is allowed, not from a
    /// [`Callbacks`](super::Callbacks) function, which runs under that mutex.
    ///
    /// # Safety
    ///
    /// `module` must be the module that holds the patch, its tables and its functions: the one
    /// whose init calls this, which receives it ([`Module::init`](crate::Module::init)).
    ///
    /// If this returns `Ok` during the init of the module that holds the patch, that init must
    /// succeed: the module loader frees a module whose init fails, whatever references to it
    /// are held, and the enabled patch would be left to the livepatch core with its tables and
    /// functions freed. It must not be called in atomic context or under `klp_mutex`, nor while
    /// another patch of the module is enabled: both would be `/sys/kernel/livepatch/<module>`.
    ///
    /// [`module_livepatch!`]: crate::module_livepatch
    pub unsafe fn enable(&'static self, module: &'static ThisModule) -> Result {
        self.state.take(IDLE, ENABLED)?;
        // SAFETY: Moving `state` to `ENABLED` gave this call the only access to `raw`: the core
        // has not seen it yet, and other Rust writers need `IDLE`.
        unsafe { (*self.raw.get()).mod_ = module.as_ptr() };
        if !self.has_valid_names() {
            return Err(EINVAL);
        }
        if !self.claim_tables() {
            return Err(EBUSY);
        }
        // SAFETY: By the type invariants, the patch and its tables are `'static` and well formed
        // and this is the only call of `klp_enable_patch()` on them, and no Rust code writes
        // `raw` from now on. No other patch was given the tables: this call claimed them.
        // `raw.mod` is the module holding them, on which the core takes a reference for as long
        // as it uses them, and which stays loaded, both by the safety requirements.
        to_result(unsafe { bindings::klp_enable_patch(self.raw.get()) })
    }

    /// Returns the objects of the patch: a pointer to each of them, until the end of their table.
    fn objects(&'static self) -> impl Iterator<Item = *const bindings::klp_object> {
        // SAFETY: `raw` is no longer written (`state` is `ENABLED`); by the type invariants `objs`
        // comes from `ObjectTable::as_ptr`.
        unsafe { table::entries::<Object>((*self.raw.get()).objs) }
    }

    /// Returns whether the sysfs directories the core would make for the objects of the patch,
    /// and for the functions of each object, are sound and have names of their own
    /// (`<module>` or `vmlinux`, `<function>,<position>`).
    fn has_valid_names(&'static self) -> bool {
        let objects = || self.objects().map(object_name);
        objects()
            .enumerate()
            .all(|(i, name)| is_object_name(name) && objects().take(i).all(|other| other != name))
            && self.objects().all(|obj| {
                let funcs = || functions(obj).map(function_name);
                funcs().enumerate().all(|(i, (name, pos))| {
                    !name.contains(&b'/') && funcs().take(i).all(|other| other != (name, pos))
                })
            })
    }

    /// Claims the object table of the patch and the function table of each of its objects,
    /// returning whether all of them were free.
    fn claim_tables(&'static self) -> bool {
        // SAFETY: `raw` is no longer written (`state` is `ENABLED`); by the type invariants
        // `objs` comes from `ObjectTable::as_ptr`.
        let objs = unsafe { (*self.raw.get()).objs };
        // SAFETY: As just said.
        let mut free = unsafe { table::claim::<Object>(objs) };
        for obj in self.objects() {
            // SAFETY: Every `funcs` comes from `FuncTable::as_ptr` (`Object::new`) and is never
            // written after construction: the core only reads it, also while another patch holds
            // the objects.
            free &= unsafe { table::claim::<Func>((*obj).funcs) };
        }
        free
    }
}

/// Returns the functions of the object `obj` of a patch: a pointer to each of them, until the end
/// of their table.
fn functions(obj: *const bindings::klp_object) -> impl Iterator<Item = *const bindings::klp_func> {
    // SAFETY: `obj` is an object of a patch (see `Patch::objects`), whose `funcs` comes from
    // `FuncTable::as_ptr` (type invariants of `Object`) and is never written after construction.
    unsafe { table::entries::<Func>((*obj).funcs) }
}

/// The name of the sysfs directory of the object `obj` of a patch: its module's, or `vmlinux`;
/// the empty name for a module called `vmlinux`, which [`is_object_name`] refuses.
fn object_name(obj: *const bindings::klp_object) -> &'static [u8] {
    // SAFETY: `obj` is an object of a patch (see `Patch::objects`), whose `name` is `NULL` or a
    // `'static` string (type invariants of `Object`).
    let name = unsafe { (*obj).name };
    if name.is_null() {
        return b"vmlinux";
    }
    // SAFETY: As just said.
    match unsafe { CStr::from_char_ptr(name) }.to_bytes() {
        b"vmlinux" => b"",
        name => name,
    }
}

/// The files of the sysfs directory of a patch, which its objects' directories must not take.
const PATCH_FILES: [&[u8]; 5] = [
    b"enabled",
    b"transition",
    b"force",
    b"replace",
    b"stack_order",
];

/// Returns whether `name` can name the sysfs directory of an object: `vmlinux`, or the name of a
/// module, made of letters, digits, `_` and `-`, which is not a file of the patch's directory.
/// A module called `vmlinux` would take the directory of vmlinux, or of the vmlinux object a
/// cumulative patch adds for it.
fn is_object_name(name: &[u8]) -> bool {
    if name == b"vmlinux" {
        return true;
    }
    !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !PATCH_FILES.contains(&name)
}

/// What tells the sysfs directory of the function `func` apart: its name and its position, where
/// the core makes 0 the first (`<function>,<position>`).
fn function_name(func: *const bindings::klp_func) -> (&'static [u8], c_ulong) {
    // SAFETY: `func` is a function of a patch (see `functions`), whose `old_name` is a
    // `'static` string (`Func::new`).
    let (name, pos) = unsafe { (CStr::from_char_ptr((*func).old_name), (*func).old_sympos) };
    (name.to_bytes(), pos.max(1))
}

// SAFETY: Rust code only touches `raw` in `set_replace` and `enable`, which `state` keeps from
// running at the same time, and not after `enable`, from when the livepatch core accesses it under
// `klp_mutex`. `state` is atomic.
unsafe impl Sync for Patch {}
