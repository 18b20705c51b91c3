// SPDX-License-Identifier: GPL-2.0

//! Patched objects: `struct klp_object` and the tables that hold them.

use super::{callbacks, raw::Raw, Callbacks, FuncTable, Table, TableEntry};
use crate::{bindings, ffi::c_char, str::CStr};
use core::{mem, ptr};

/// An object whose functions a patch replaces: vmlinux or one module (`struct klp_object`).
///
/// A module object can be patched whether the module is loaded before the patch is enabled or
/// after: the livepatch core applies the patch while the module is coming, before its init runs.
///
/// # Invariants
///
/// `funcs` is the array of a `'static` [`FuncTable`] (from `Table::as_ptr`), never `NULL`;
/// `name` is `NULL` (vmlinux) or a `'static` string.
#[repr(transparent)]
pub struct Object(Raw<bindings::klp_object>);

impl Object {
    /// Functions patched in vmlinux.
    pub const fn vmlinux<const N: usize>(funcs: &'static FuncTable<N>) -> Self {
        Self::new(ptr::null(), funcs)
    }

    /// Functions patched in the module called `name`.
    pub const fn module<const N: usize>(name: &'static CStr, funcs: &'static FuncTable<N>) -> Self {
        Self::new(crate::str::as_char_ptr_in_const_context(name), funcs)
    }

    /// Runs the callbacks of `T` around patching and unpatching the object.
    pub const fn callbacks<T: Callbacks>(self) -> Self {
        Self(Raw::new(bindings::klp_object {
            callbacks: callbacks::callbacks::<T>(),
            ..self.0.into_inner()
        }))
    }

    const fn new<const N: usize>(name: *const c_char, funcs: &'static FuncTable<N>) -> Self {
        // INVARIANT: `funcs` is a `'static` table; the callers pass a `NULL` or `'static` `name`.
        Self(Raw::new(bindings::klp_object {
            name,
            funcs: funcs.as_ptr(),
            // SAFETY: The other fields are callbacks, which may be `NULL`, and the kernel's
            // bookkeeping, whose initial state is all-zero as in the C definitions.
            ..unsafe { mem::zeroed() }
        }))
    }
}

/// The objects of one patch.
pub type ObjectTable<const N: usize> = Table<Object, N>;

// SAFETY: `Object` is a transparent `Raw<klp_object>`. `klp_for_each_object_static()` stops at
// the entry whose `funcs` and `name` are both `NULL`, and every `Object` has a `FuncTable`, so a
// `NULL` `funcs`, which is what `is_end` looks at, ends the table.
unsafe impl TableEntry for Object {
    type Raw = bindings::klp_object;

    unsafe fn is_end(raw: *const bindings::klp_object) -> bool {
        // SAFETY: `raw` is valid by the safety requirements; `funcs` is never written after
        // construction (the core only reads it).
        unsafe { (*raw).funcs.is_null() }
    }
}
