// SPDX-License-Identifier: GPL-2.0

//! Patched objects: `struct klp_object` and the tables that hold them.

use super::FuncTable;
use crate::{bindings, ffi::c_char, str::CStr, types::Opaque};
use core::{mem, ptr};

/// An object whose functions a patch replaces: vmlinux or one module (`struct klp_object`).
///
/// A module object can be patched whether the module is loaded before the patch is enabled or
/// after: the livepatch core applies the patch while the module is coming, before its init runs.
#[repr(transparent)]
pub struct Object(Opaque<bindings::klp_object>);

impl Object {
    /// Functions patched in vmlinux.
    pub const fn vmlinux<const N: usize>(funcs: &'static FuncTable<N>) -> Self {
        Self::new(ptr::null(), funcs)
    }

    /// Functions patched in the module called `name`.
    pub const fn module<const N: usize>(name: &'static CStr, funcs: &'static FuncTable<N>) -> Self {
        Self::new(name.as_char_ptr(), funcs)
    }

    const fn new<const N: usize>(name: *const c_char, funcs: &'static FuncTable<N>) -> Self {
        Self(Opaque::new(bindings::klp_object {
            name,
            funcs: funcs.as_ptr(),
            // SAFETY: The other fields are callbacks, which may be `NULL`, and the kernel's
            // bookkeeping, whose initial state is all-zero as in the C definitions.
            ..unsafe { mem::zeroed() }
        }))
    }
}

/// The objects of one patch, laid out as the C array that `struct klp_patch` points to.
///
/// # Invariants
///
/// `objects` is directly followed by `end`, which stays all-zero: together they are an array of
/// `N + 1` `struct klp_object`s whose last entry terminates it, as the kernel expects.
#[repr(C)]
pub struct ObjectTable<const N: usize> {
    objects: [Object; N],
    end: Opaque<bindings::klp_object>,
}

impl<const N: usize> ObjectTable<N> {
    /// Creates the table, adding the terminating entry.
    pub const fn new(objects: [Object; N]) -> Self {
        Self {
            objects,
            // SAFETY: An all-zero `klp_object` ends the array (`funcs` and `name` are `NULL`).
            end: Opaque::new(unsafe { mem::zeroed() }),
        }
    }

    /// Returns a pointer to the first entry of the terminated array.
    pub(crate) const fn as_ptr(&'static self) -> *mut bindings::klp_object {
        // `repr(C)` and `Object` being a transparent `klp_object` make `self` an array of them.
        ptr::from_ref(self).cast_mut().cast()
    }
}

// SAFETY: After construction, Rust code only passes pointers to the table to the livepatch core,
// which accesses it under `klp_mutex`, so sharing `&ObjectTable` between threads races with
// nothing.
unsafe impl<const N: usize> Sync for ObjectTable<N> {}
