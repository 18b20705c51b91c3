// SPDX-License-Identifier: GPL-2.0

//! Running an initializer on a place: `PinInit::__pinned_init` (7.x calls it `__init`).

use crate::prelude::*;

/// Initialises `slot` with `init`.
///
/// # Safety
///
/// As for `PinInit::__pinned_init`: `slot` is valid for writes and not moved until dropped; it is not
/// touched after an error but to free it.
#[inline(always)]
pub(crate) unsafe fn init<T, E>(init: impl PinInit<T, E>, slot: *mut T) -> Result<(), E> {
    // SAFETY: By the safety requirements.
    unsafe { init.__pinned_init(slot) }
}
