// SPDX-License-Identifier: GPL-2.0

//! The C arrays of the livepatch structures, which end with an all-zero entry.

use crate::types::Opaque;
use core::{mem, ptr};

/// An entry of a livepatch array: [`Func`](super::Func) or [`Object`](super::Object).
///
/// # Safety
///
/// `Self` must be `#[repr(transparent)]` over `Opaque<Self::Raw>`; an all-zero `Self::Raw` must
/// end an array of them for the livepatch core, and no value of `Self` may look like that end.
pub unsafe trait TableEntry {
    /// The C structure.
    type Raw;
}

/// `N` entries laid out as the C array the livepatch core walks: the entries and the all-zero
/// entry that ends them, which [`Table::new`] adds so that authors never write it.
///
/// # Invariants
///
/// `entries` is directly followed by `end`, which stays all-zero: together they are an array of
/// `N + 1` `T::Raw`s whose last entry ends it.
#[repr(C)]
pub struct Table<T: TableEntry, const N: usize> {
    entries: [T; N],
    end: Opaque<T::Raw>,
}

impl<T: TableEntry, const N: usize> Table<T, N> {
    /// Creates the table of `entries`.
    pub const fn new(entries: [T; N]) -> Self {
        Self {
            entries,
            // SAFETY: All-zero is the end of the array by the safety requirements of `TableEntry`.
            end: Opaque::new(unsafe { mem::zeroed() }),
        }
    }

    /// Returns a pointer to the first entry of the terminated array.
    pub(crate) const fn as_ptr(&'static self) -> *mut T::Raw {
        // `repr(C)`, and `T` being a transparent `T::Raw`, make `self` an array of `T::Raw`.
        ptr::from_ref(self).cast_mut().cast()
    }
}

// SAFETY: After construction, Rust code only passes pointers to the table to the livepatch core,
// which accesses it under `klp_mutex` (and the functions' state from its ftrace handler with the
// ordering it documents), so sharing `&Table` between threads races with nothing.
unsafe impl<T: TableEntry, const N: usize> Sync for Table<T, N> {}
