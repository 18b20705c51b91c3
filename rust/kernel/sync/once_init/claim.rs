// SPDX-License-Identifier: GPL-2.0

//! A state that hands out exclusive access: what [`OnceInit`](super::OnceInit) and the live
//! patches of `kernel::livepatch` are built on.

use core::sync::atomic::{AtomicU8, Ordering};

use crate::error::{code::EBUSY, Result};

/// An atomic state, of values the user defines, whose moves out of one state give the caller
/// exclusive access to what the state guards.
///
/// A [`Claim::take`] from `from` to `to` succeeds for one caller only, which then has exclusive
/// access until it moves the state on with [`Claim::release`]; what it wrote is then visible to
/// those that see the new state with [`Claim::is`]. Which states guard what is the user's
/// invariant.
pub(crate) struct Claim(AtomicU8);

impl Claim {
    /// Creates the state `state`.
    pub(crate) const fn new(state: u8) -> Self {
        Self(AtomicU8::new(state))
    }

    /// Moves the state from `from` to `to`, for one caller: fails with `EBUSY` if it is not
    /// `from`.
    ///
    /// The caller sees what was written before the state was released to `from`.
    pub(crate) fn take(&self, from: u8, to: u8) -> Result {
        self.0
            .compare_exchange(from, to, Ordering::Acquire, Ordering::Relaxed)
            .map(drop)
            .map_err(|_| EBUSY)
    }

    /// Moves the state to `to`, publishing what the caller wrote while it had the access.
    pub(crate) fn release(&self, to: u8) {
        self.0.store(to, Ordering::Release)
    }

    /// Returns whether the state is `state`; if so, the caller sees what was written before it
    /// was released to `state`.
    ///
    /// Inlined: it is one load, on the path of every [`OnceInit::get`](super::OnceInit::get), which
    /// modules call from their replacements (`test_klp_syscall`'s `getpid()`).
    #[inline]
    pub(crate) fn is(&self, state: u8) -> bool {
        self.0.load(Ordering::Acquire) == state
    }
}
