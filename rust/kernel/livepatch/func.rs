// SPDX-License-Identifier: GPL-2.0

//! Patched functions: `struct klp_func` and the tables that hold them.

use super::{raw::Raw, Table, TableEntry, Target};
use crate::{
    bindings,
    ffi::{c_char, c_ulong},
};
use core::{ffi::c_void, mem};

/// A function to patch and its replacement (`struct klp_func`).
///
/// Built at compile time, it only becomes useful inside a [`FuncTable`] of an
/// [`Object`](super::Object).
///
/// # Invariants
///
/// `old_name` is a NUL-terminated `'static` string, never `NULL`.
#[repr(transparent)]
pub struct Func(Raw<bindings::klp_func>);

impl Func {
    /// Describes the redirection of the function `target` names to `new_func`.
    ///
    /// Once the patch is enabled, each task switches to `new_func` at a safe point (see the
    /// consistency model in `Documentation/livepatch/livepatch.rst`); from then on, every call to
    /// the target in the patched object runs `new_func`. [`klp_func!`](crate::klp_func) makes
    /// `target`, with the prototype the module build checks, and `new_func` must have its type.
    ///
    /// # Safety
    ///
    /// `new_func` must be sound to call for any arguments the callers of the target pass, from
    /// any context they call it in, and the target's prototype must be the one `target` states:
    /// parameters and a return value that C passes the same way (e.g. `&T` or `*mut T` for
    /// `T *`, `c_int` for `int`), which the module build checks class by class, to the types
    /// pointed to, which it cannot.
    ///
    /// Nothing of the patch module may outlive it through `new_func`: what it returns, and what it
    /// stores where others find it, must not refer to the module's code or static data (a string
    /// literal, a `static`, a function, a vtable), since the patch can be disabled and the module
    /// removed while callers still hold the result. Return data the caller owns or that belongs
    /// to the patched object (an integer, a copy written to the caller's buffer).
    pub const unsafe fn new<F: Copy, const N: usize>(
        target: &'static Target<F, N>,
        new_func: F,
    ) -> Self {
        /// The function pointer as the C structure holds it.
        union Address<F: Copy> {
            func: F,
            address: *const c_void,
        }
        // SAFETY: By the invariants of `Target`, `F` is a function pointer type, which has the
        // size and layout of `*const c_void`.
        let address = unsafe { Address { func: new_func }.address };
        // SAFETY: `target.name()` is the NUL-terminated name in the `'static` target; the safety
        // requirements of this function are those of the redirection.
        unsafe { Self::from_raw(target.name(), address) }
    }

    /// Describes the redirection of the function called `old_name` to the function at `new_func`.
    ///
    /// # Safety
    ///
    /// `old_name` must be a NUL-terminated `'static` string, and `new_func` a function that may
    /// replace the function of that name, as [`Func::new`] requires.
    pub(crate) const unsafe fn from_raw(old_name: *const c_char, new_func: *const c_void) -> Self {
        // INVARIANT: `old_name` is not `NULL`, by the safety requirements.
        Self(Raw::new(bindings::klp_func {
            old_name,
            new_func: new_func.cast_mut(),
            // SAFETY: All other fields are the kernel's bookkeeping, for which all-zero is the
            // initial state the C definitions (`{ .old_name = ..., .new_func = ... }`) also have.
            ..unsafe { mem::zeroed() }
        }))
    }

    /// Selects the `pos`-th symbol called `old_name` in the object, counting from 1 in kallsyms
    /// order (`old_sympos`).
    ///
    /// Needed where an object has several local symbols of that name; without it, the name must
    /// be unique in the object and enabling the patch fails with `EINVAL` otherwise.
    pub const fn sympos(self, pos: u32) -> Self {
        Self(Raw::new(bindings::klp_func {
            old_sympos: pos as c_ulong,
            ..self.0.into_inner()
        }))
    }
}

/// The functions of one object.
pub type FuncTable<const N: usize> = Table<Func, N>;

// SAFETY: `Func` is a transparent `Raw<klp_func>`. `klp_for_each_func_static()` stops at the
// entry whose `old_name`, `new_func` and `old_sympos` are all zero, and no `Func` has a `NULL`
// `old_name` (type invariant), which is what `is_end` looks at.
unsafe impl TableEntry for Func {
    type Raw = bindings::klp_func;

    unsafe fn is_end(raw: *const bindings::klp_func) -> bool {
        // SAFETY: `raw` is valid by the safety requirements; `old_name` is never written after
        // construction.
        unsafe { (*raw).old_name.is_null() }
    }
}
