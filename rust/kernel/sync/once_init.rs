// SPDX-License-Identifier: GPL-2.0

//! A `static` initialised in place, once, at run time.

use crate::prelude::*;
use core::{
    cell::UnsafeCell,
    mem::{self, MaybeUninit},
};

mod claim;
// Per kernel version: the name of the method that runs an initializer.
pub(crate) mod in_place;

pub(crate) use claim::Claim;

/// `OnceInit::state`: not initialised.
const EMPTY: u8 = 0;
/// `OnceInit::state`: being initialised by `init`.
const BUSY: u8 = 1;
/// `OnceInit::state`: initialised.
const READY: u8 = 2;

/// A value in a `static` that is initialised in place, at most once, at run time.
///
/// Some values cannot be built at compile time, most of all locks, which need a lock class and a
/// run-time initialisation, and must not move afterwards. A module declares such a value as a
/// `static OnceInit<T>`, initialises it from its init with a pin-initialiser ([`OnceInit::init`])
/// and reaches it from anywhere, including functions the kernel calls without a context argument,
/// with [`OnceInit::get`], which returns `None` until the value is there.
///
/// The value is pinned: it stays at its place in the `static` until the module is unloaded. Like
/// any `static`, it is not dropped then, so `T` must not need its destructor: a type with a
/// [`Drop`] (a `KBox`) would leak. [`OnceInit::new`] refuses such a `T` at compile time; a
/// [`Mutex`](super::Mutex) or a [`SpinLock`](super::SpinLock) around plain data is fine. Keep what
/// needs dropping in the module's own data, which is dropped when the module is removed. The
/// check is a lint against leaks, not what makes leaking sound: a `ManuallyDrop` passes it, and
/// the APIs whose values must not be leaked (a `KObject`) are `unsafe` to create.
///
/// # Invariants
///
/// `value` is initialised once `state` is `READY`, and is neither written nor moved after that.
/// `state` goes from `EMPTY` to `BUSY` and from `BUSY` to `EMPTY` or `READY` only, and only
/// [`OnceInit::init`] writes `value`, while it has moved `state` to `BUSY`.
///
/// # Examples
///
/// ```
/// use kernel::sync::{new_mutex, Mutex, OnceInit};
///
/// static COUNT: OnceInit<Mutex<u32>> = OnceInit::new();
///
/// fn bump() -> Result<u32> {
///     let mut count = COUNT.get().ok_or(ENODEV)?.lock();
///     *count += 1;
///     Ok(*count)
/// }
///
/// assert_eq!(bump(), Err(ENODEV));
/// COUNT.init(new_mutex!(0, "COUNT"))?;
/// assert_eq!(bump(), Ok(1));
/// assert_eq!(bump(), Ok(2));
///
/// // It can be initialised only once.
/// assert_eq!(COUNT.init(new_mutex!(0)), Err(EBUSY));
/// assert_eq!(bump(), Ok(3));
/// # Ok::<(), Error>(())
/// ```
pub struct OnceInit<T> {
    state: Claim,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: Shared references only read `value` after it is initialised (by the type invariants),
// so sharing a `OnceInit<T>` shares a `T`, which needs `T: Sync`. The value may be initialised on
// one thread and used on others, which needs `T: Send`.
unsafe impl<T: Send + Sync> Sync for OnceInit<T> {}

impl<T> OnceInit<T> {
    /// Creates an empty `OnceInit`.
    ///
    /// Fails to compile if `T` needs to be dropped, since the value never is.
    pub const fn new() -> Self {
        const {
            assert!(
                !mem::needs_drop::<T>(),
                "a `OnceInit` is never dropped: its value must not need dropping"
            )
        };
        // INVARIANT: `state` is `EMPTY`, `value` is not initialised.
        Self {
            state: Claim::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// Initialises the value in place with `init`.
    ///
    /// Fails with the error of `init`, after which the `OnceInit` is still empty, or with `EBUSY`
    /// when it was initialised before or an initialisation is under way.
    pub fn init<E>(&'static self, init: impl PinInit<T, E>) -> Result
    where
        Error: From<E>,
    {
        self.state.take(EMPTY, BUSY)?;
        // SAFETY: The slot is valid for writes, and moving `state` to `BUSY` gave this call the
        // only access to it: `get` reads it only when `READY`, other `init`s need `EMPTY`. It is
        // in a `static`, so it never moves. If `init` fails, the slot is left as uninitialised.
        match unsafe { in_place::init(init, self.value.get().cast::<T>()) } {
            Ok(()) => {
                // INVARIANT: The value is initialised, and nothing writes it from now on.
                self.state.release(READY);
                Ok(())
            }
            Err(e) => {
                self.state.release(EMPTY);
                Err(e.into())
            }
        }
    }

    /// Returns the value, or `None` if it was not initialised yet.
    pub fn get(&self) -> Option<&T> {
        // Seeing `READY` makes the value `init` wrote visible.
        self.state.is(READY).then(|| {
            // SAFETY: By the type invariants, the value is initialised and no longer written.
            unsafe { (*self.value.get()).assume_init_ref() }
        })
    }
}

impl<T> Default for OnceInit<T> {
    fn default() -> Self {
        Self::new()
    }
}
