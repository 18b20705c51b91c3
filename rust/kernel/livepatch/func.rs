// SPDX-License-Identifier: GPL-2.0

//! Patched functions: `struct klp_func` and the tables that hold them.

use super::{Table, TableEntry};
use crate::{bindings, ffi::c_ulong, str::CStr, types::Opaque};
use core::{ffi::c_void, mem, ptr};

/// A function to patch and its replacement (`struct klp_func`).
///
/// Built at compile time, it only becomes useful inside a [`FuncTable`] of an
/// [`Object`](super::Object).
#[repr(transparent)]
pub struct Func(Opaque<bindings::klp_func>);

impl Func {
    /// Describes the redirection of the function called `old_name` to `new_func`.
    ///
    /// Once the patch is enabled, each task switches to `new_func` at a safe point (see the
    /// consistency model in `Documentation/livepatch/livepatch.rst`); from then on, every call to
    /// `old_name` in the patched object runs `new_func`.
    ///
    /// # Safety
    ///
    /// `new_func` must be a function with the ABI of the function called `old_name` in the object
    /// this entry is placed in, as declared by its C prototype: the C calling convention
    /// (`extern "C"`), parameters and a return value that C passes the same way (same sizes and
    /// classes, e.g. `&T` or `*mut T` for `T *`, `c_int` for `int`), and behaviour that is sound
    /// for any arguments the callers of `old_name` pass, from any context they call it in.
    ///
    /// Nothing of the patch module may outlive it through `new_func`: what it returns, and what it
    /// stores where others find it, must not refer to the module's code or static data (a string
    /// literal, a `static`, a function, a vtable), since the patch can be disabled and the module
    /// removed while callers still hold the result. Return data the caller owns or that belongs
    /// to the patched object (an integer, a copy written to the caller's buffer).
    pub const unsafe fn new(old_name: &'static CStr, new_func: *const c_void) -> Self {
        Self(Opaque::new(bindings::klp_func {
            old_name: crate::str::as_char_ptr_in_const_context(old_name),
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
        // SAFETY: `self` is owned here, so nothing else accesses its value; `new` initialised it.
        let raw = unsafe { ptr::read(self.0.get()) };
        Self(Opaque::new(bindings::klp_func {
            old_sympos: pos as c_ulong,
            ..raw
        }))
    }
}

/// The functions of one object.
pub type FuncTable<const N: usize> = Table<Func, N>;

// SAFETY: `Func` is a transparent `Opaque<klp_func>`. `klp_for_each_func_static()` stops at the
// entry whose `old_name`, `new_func` and `old_sympos` are all zero, and `Func::new` never makes one
// with a `NULL` `old_name`, which is what `is_end` looks at.
unsafe impl TableEntry for Func {
    type Raw = bindings::klp_func;

    unsafe fn is_end(raw: *const bindings::klp_func) -> bool {
        // SAFETY: `raw` is valid by the safety requirements; `old_name` is never written after
        // construction.
        unsafe { (*raw).old_name.is_null() }
    }
}
