// SPDX-License-Identifier: GPL-2.0

//! The C structures of the livepatch core, as the tables hold them.

use crate::types::Opaque;
use core::ptr;

/// A C structure of the livepatch core, built at compile time and written by the core once it is
/// handed over.
///
/// The builder methods of the tables ([`Func::sympos`](super::Func::sympos), say) take the value
/// out with [`Raw::into_inner`] and build a changed one.
///
/// # Invariants
///
/// The value is initialised.
#[repr(transparent)]
pub(crate) struct Raw<T>(Opaque<T>);

impl<T> Raw<T> {
    /// Holds `value`.
    pub(crate) const fn new(value: T) -> Self {
        // INVARIANT: The value is initialised.
        Self(Opaque::new(value))
    }

    /// Returns the value.
    ///
    /// `self` is owned, so the core has not been given it.
    pub(crate) const fn into_inner(self) -> T {
        // SAFETY: The value is initialised by the type invariant, and nothing else accesses it:
        // `self` is owned here, and `Opaque` has no destructor that would see it again.
        unsafe { ptr::read(self.0.get()) }
    }

    /// Returns a pointer to the value, for the core and for reading it.
    pub(crate) const fn get(&self) -> *mut T {
        self.0.get()
    }
}
