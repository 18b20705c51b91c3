// SPDX-License-Identifier: GPL-2.0
// expect: error[E0133]: call to unsafe function `alloc_pin_init` is unsafe and requires unsafe block

//! An initializer given to `Shadow::alloc_pin_init` runs under the livepatch core's spinlock with
//! interrupts disabled: one that sleeps or uses shadow variables (here, which would hang the CPU
//! on the lock it holds) is the caller's to rule out, so the function is `unsafe`.

use core::sync::atomic::{AtomicU32, Ordering};
use kernel::init::pin_init_from_closure;
use kernel::livepatch::{Shadow, ShadowId};
use kernel::{ffi::c_ulong, prelude::*};

module! {
    type: ShadowPinInitSafe,
    name: "shadow_pin_init_safe",
    license: "GPL",
}

struct Counter;

// SAFETY: Id 0x7e570007 is only used here, for `AtomicU32`s attached to `u64`s, without
// destructors.
#[vtable]
unsafe impl ShadowId for Counter {
    const ID: c_ulong = 0x7e57_0007;
    type Object = u64;
    type Data = AtomicU32;
}

static FIRST: u64 = 0;
static SECOND: u64 = 0;

/// Starts the count of `SECOND` at that of `FIRST`, which needs the core's lock.
fn copy_first() -> impl PinInit<AtomicU32, Error> {
    // SAFETY: The closure writes a valid `AtomicU32` and returns `Ok`, or returns an error
    // before writing anything.
    unsafe {
        pin_init_from_closure(|slot: *mut AtomicU32| {
            let first = Counter::get_or_alloc(&FIRST, AtomicU32::new(0), GFP_ATOMIC)?;
            slot.write(AtomicU32::new(first.load(Ordering::Relaxed)));
            Ok(())
        })
    }
}

struct ShadowPinInitSafe;

impl kernel::Module for ShadowPinInitSafe {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Counter::alloc_pin_init(&SECOND, copy_first(), GFP_KERNEL)?;
        Ok(ShadowPinInitSafe)
    }
}
