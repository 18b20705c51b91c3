// SPDX-License-Identifier: GPL-2.0

//! The C arrays of the livepatch structures, which end with an all-zero entry.

use crate::{sync::once_init::Claim, types::Opaque};
use core::{
    mem::{self, offset_of},
    ptr,
};

/// `Table::claimed`: not handed to the livepatch core yet.
const FREE: u8 = 0;
/// `Table::claimed`: handed to the livepatch core.
const CLAIMED: u8 = 1;

/// An entry of a livepatch array: [`Func`](super::Func) or [`Object`](super::Object).
///
/// # Safety
///
/// `Self` must have the layout of `Self::Raw` (`#[repr(transparent)]` over an `Opaque` or a `Raw` of
/// it); an all-zero `Self::Raw` must
/// end an array of them for the livepatch core, and no value of `Self` may look like that end,
/// to the core or to [`TableEntry::is_end`].
pub unsafe trait TableEntry {
    /// The C structure.
    type Raw;

    /// Returns whether the entry at `raw` ends its array, reading only fields that are never
    /// written after construction.
    ///
    /// # Safety
    ///
    /// `raw` must point to an entry of a [`Table`] of `Self`, or to its end.
    #[doc(hidden)]
    unsafe fn is_end(raw: *const Self::Raw) -> bool;
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
/// `N + 1` `T::Raw`s whose last entry ends it. `claimed` goes from `FREE` to `CLAIMED` only.
#[repr(C)]
pub struct Table<T: TableEntry, const N: usize> {
    claimed: Claim,
    entries: [T; N],
    end: Opaque<T::Raw>,
}

impl<T: TableEntry, const N: usize> Table<T, N> {
    /// Creates the table of `entries`.
    pub const fn new(entries: [T; N]) -> Self {
        Self {
            claimed: Claim::new(FREE),
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

/// Returns the entries of the table whose terminated array starts at `entries`, as pointers, up to
/// its end.
///
/// # Safety
///
/// `entries` must have been returned by [`Table::as_ptr`] for a `Table<T, N>` of some `N`.
pub(crate) unsafe fn entries<T: TableEntry>(
    entries: *const T::Raw,
) -> impl Iterator<Item = *const T::Raw> {
    let mut entry = entries;
    core::iter::from_fn(move || {
        // SAFETY: `entry` is in the array of `N + 1` entries that starts at `entries` (by the
        // safety requirements and the invariants of `Table`): the iterator stops at its end, the
        // one entry `T::is_end` is true for, and never goes beyond it.
        unsafe {
            if T::is_end(entry) {
                return None;
            }
            let this = entry;
            entry = entry.add(1);
            Some(this)
        }
    })
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
    let claimed = unsafe { &*entries.byte_sub(offset).cast::<Claim>() };
    // INVARIANT: `claimed` only goes from `FREE` to `CLAIMED`.
    claimed.take(FREE, CLAIMED).is_ok()
}

// SAFETY: After construction, Rust code only passes pointers to the table to the livepatch core,
// which accesses it under `klp_mutex` (and the functions' state from its ftrace handler with the
// ordering it documents), and claims it with an atomic, so sharing `&Table` between threads races
// with nothing.
unsafe impl<T: TableEntry, const N: usize> Sync for Table<T, N> {}
