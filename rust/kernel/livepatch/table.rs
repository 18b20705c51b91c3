// SPDX-License-Identifier: GPL-2.0

//! The C arrays of the livepatch structures, which end with an all-zero entry.

use crate::types::Opaque;
use core::{
    mem::{self, offset_of},
    ptr,
    sync::atomic::{AtomicBool, Ordering},
};

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
/// The livepatch core links the entries of a patch it is given into its lists and sysfs, so a
/// table can be handed to it once: by one [`Object`](super::Object) for a [`FuncTable`], by one
/// [`Patch`](super::Patch) for an [`ObjectTable`]. [`Patch::enable`](super::Patch::enable)
/// claims the tables of the patch before it hands them over, and fails if one was claimed before.
///
/// [`FuncTable`]: super::FuncTable
/// [`ObjectTable`]: super::ObjectTable
///
/// # Invariants
///
/// `entries` is directly followed by `end`, which stays all-zero: together they are an array of
/// `N + 1` `T::Raw`s whose last entry ends it. `claimed` goes from `false` to `true` only.
#[repr(C)]
pub struct Table<T: TableEntry, const N: usize> {
    claimed: AtomicBool,
    entries: [T; N],
    end: Opaque<T::Raw>,
}

impl<T: TableEntry, const N: usize> Table<T, N> {
    /// Creates the table of `entries`.
    pub const fn new(entries: [T; N]) -> Self {
        Self {
            claimed: AtomicBool::new(false),
            entries,
            // SAFETY: All-zero is the end of the array by the safety requirements of `TableEntry`.
            end: Opaque::new(unsafe { mem::zeroed() }),
        }
    }

    /// Returns a pointer to the first entry of the terminated array.
    ///
    /// The pointer is the one [`claim`] takes.
    pub(crate) const fn as_ptr(&'static self) -> *mut T::Raw {
        // `repr(C)`, and `T` being a transparent `T::Raw`, make `entries` and `end` an array of
        // `T::Raw`. The pointer is derived from the whole table, which `claim` needs.
        ptr::from_ref(self)
            .cast_mut()
            .wrapping_byte_add(offset_of!(Self, entries))
            .cast()
    }
}

/// Claims the table whose terminated array starts at `entries`, for the one caller that gets
/// `true`: the first call for that table since it was loaded.
///
/// # Safety
///
/// `entries` must have been returned by [`Table::as_ptr`] for a `Table<T, N>` of some `N`.
pub(crate) unsafe fn claim<T: TableEntry>(entries: *const T::Raw) -> bool {
    // `repr(C)` puts `entries` at the same offset, that of the alignment of `T`, for every `N`.
    let offset = offset_of!(Table<T, 0>, entries);
    // SAFETY: By the safety requirements, `entries` points `offset` bytes into a `'static` table,
    // derived from a pointer to all of it, whose first field `claimed` is at the start.
    let claimed = unsafe { &*entries.byte_sub(offset).cast::<AtomicBool>() };
    // INVARIANT: `claimed` only goes from `false` to `true`.
    !claimed.swap(true, Ordering::Relaxed)
}

// SAFETY: After construction, Rust code only passes pointers to the table to the livepatch core,
// which accesses it under `klp_mutex` (and the functions' state from its ftrace handler with the
// ordering it documents), and claims it with an atomic, so sharing `&Table` between threads races
// with nothing.
unsafe impl<T: TableEntry, const N: usize> Sync for Table<T, N> {}
