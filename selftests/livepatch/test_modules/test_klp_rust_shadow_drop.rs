// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a shadow variable whose data uses shadow variables when it is dropped.
//!
//! The core frees variables under its spinlock, which is not recursive: a destructor that used
//! shadow variables there would hang the CPU. [`Shadow::free`] runs [`ShadowId::release`] and the
//! [`Drop`] of the data before the core takes the variable out, so safe code like this one, whose
//! release and drop each attach a variable to another object, works. The init logs what they
//! attached. Used by `test-rust-shadow-api.sh`.

use core::pin::Pin;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::livepatch::{Shadow, ShadowId};
use kernel::{ffi::c_ulong, prelude::*};

module! {
    type: ShadowDrop,
    name: "test_klp_rust_shadow_drop",
    description: "Livepatch test: shadow variables used while one is freed",
    license: "GPL",
}

/// The object the destructors attach their variables to.
static WITNESS: u64 = 0;

/// A variable whose release and drop each attach a `Seen` to `WITNESS`.
struct Noisy;

/// The data of a `Noisy` variable.
struct NoisyData;

impl Drop for NoisyData {
    fn drop(&mut self) {
        let _ = Shadow::<Seen>::get_or_alloc(&WITNESS, AtomicU32::new(0), GFP_ATOMIC)
            .map(|seen| seen.fetch_add(1, Ordering::Relaxed));
    }
}

// SAFETY: Id 0x7e570005 is only used here, for `NoisyData` attached to `u64`s; it holds nothing.
#[vtable]
unsafe impl ShadowId for Noisy {
    const ID: c_ulong = 0x7e57_0005;
    type Object = u64;
    type Data = NoisyData;

    fn release(_obj: *const u64, _data: Pin<&mut NoisyData>) {
        let _ = Shadow::<Seen>::get_or_alloc(&WITNESS, AtomicU32::new(0), GFP_ATOMIC)
            .map(|seen| seen.fetch_add(1, Ordering::Relaxed));
    }
}

/// How many times the destructors of `Noisy` ran.
struct Seen;

// SAFETY: Id 0x7e570006 is only used here, for `AtomicU32`s attached to `u64`s; it holds nothing.
#[vtable]
unsafe impl ShadowId for Seen {
    const ID: c_ulong = 0x7e57_0006;
    type Object = u64;
    type Data = AtomicU32;
}

struct ShadowDrop;

impl kernel::Module for ShadowDrop {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut obj = 0u64;
        Shadow::<Noisy>::alloc(&obj, NoisyData, GFP_KERNEL)?;
        Shadow::<Noisy>::free(&mut obj);
        let seen = Shadow::<Seen>::get(&WITNESS).map_or(0, |seen| seen.load(Ordering::Relaxed));
        pr_info!("freed a variable whose destructors ran {} times\n", seen);
        // SAFETY: No reference to a `Seen` variable is left; they have no destructor.
        unsafe { Shadow::<Seen>::free_all() };
        Ok(ShadowDrop)
    }
}
