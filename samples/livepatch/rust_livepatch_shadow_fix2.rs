// SPDX-License-Identifier: GPL-2.0

//! Rust live patch sample: shadow variables, the Rust twin of `livepatch-shadow-fix2.c`.
//!
//! Purpose: add functionality to the in-flight data structures of the C module
//! `livepatch-shadow-mod` through a shadow variable. The patch replaces the function that
//! periodically inspects each `struct dummy`, `dummy_check()`, to count the inspections in a
//! counter attached to the dummy, created on the first one; the replacement of `dummy_free()`
//! reports the count and frees the counter. It also takes over the leak fix of
//! `rust_livepatch_shadow_fix1`, whose `dummy_free()` it replaces.
//!
//! Usage (not standalone: load it on top of `rust_livepatch_shadow_fix1`, see the Usage of that
//! sample and of `samples/livepatch/livepatch-shadow-mod.c`):
//!
//! ```text
//!   insmod samples/livepatch/rust_livepatch_shadow_fix2.ko
//!   ...
//!   echo 0 > /sys/kernel/livepatch/rust_livepatch_shadow_fix2/enabled
//!   rmmod rust_livepatch_shadow_fix2
//! ```
//!
//! Watch `dmesg` for the count of each dummy when it is freed (`check counter = <n>`). Removing the
//! patch module frees the counters that are left, those of dummies alive and those of dummies
//! freed while the patch was disabled, and reports that none is left.

use core::pin::Pin;
use core::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use kernel::ffi::{c_int, c_long, c_ulong, c_void};
use kernel::livepatch::{Shadow, ShadowId};
use kernel::types::Opaque;
use kernel::{klp_func, prelude::*};

kernel::module_livepatch! {
    type: ShadowFix2,
    name: "rust_livepatch_shadow_fix2",
    authors: ["Rust for Linux Contributors"],
    description: "Rust live patch sample: add a counter with a shadow variable",
    license: "GPL",
    objects: {
        "livepatch_shadow_mod": [
            // SAFETY: `livepatch_fix2_dummy_check` has the ABI of
            // `bool dummy_check(struct dummy *d, unsigned long jiffies)` in livepatch-shadow-mod.c:
            // `&Dummy` for `d`, which the only caller, the cleanup work, passes valid, holding the
            // mutex of the list the dummy is on; `c_ulong` for `unsigned long`, `bool` for `bool`.
            unsafe {
                klp_func!(fn dummy_check(&Dummy, c_ulong) -> bool => livepatch_fix2_dummy_check)
            },
            // SAFETY: `livepatch_fix2_dummy_free` has the ABI of `void dummy_free(struct dummy *d)`
            // in livepatch-shadow-mod.c: a pointer parameter, no return value; see its `// SAFETY:`
            // comment for what it assumes of `d`.
            unsafe { klp_func!(fn dummy_free(*mut Dummy) => livepatch_fix2_dummy_free) },
        ],
    },
}

/// `struct dummy` of `livepatch-shadow-mod.c`.
#[repr(C)]
struct Dummy {
    /// `struct list_head list`: the module's list, which it changes under its own mutex.
    list: Opaque<[*mut c_void; 2]>,
    jiffies_expire: c_ulong,
}

/// `SV_LEAK`: the memory `dummy_alloc()` allocates with a dummy, kept by the leak fix.
struct Leak;

// SAFETY: Id 1 is used, by this patch and by `rust_livepatch_shadow_fix1` (or the C fixes, which
// store a `kmalloc()`ed `int *` and `kfree()` it in their destructor, as dropping a `KBox` does),
// for the memory of a `struct dummy` of `livepatch-shadow-mod` only, and holds nothing of a
// module. The destructor logs and `kfree()`s, neither of which sleeps or uses shadow variables.
#[vtable]
unsafe impl ShadowId for Leak {
    const ID: c_ulong = 1;
    type Object = Dummy;
    type Data = KBox<c_int>;

    /// Logs the leak prevented; dropping the `KBox` frees the memory.
    fn release(_obj: *const Dummy, leak: Pin<&mut KBox<c_int>>) {
        pr_info!(
            "livepatch_fix2_dummy_leak_dtor: prevented leak {}\n",
            **leak
        );
    }
}

/// `SV_COUNTER`: the number of times a dummy was checked.
struct Counter;

// SAFETY: Id 2 is used by this patch alone (or the C fix2, which stores an `int`), for counters of
// `struct dummy`s of `livepatch-shadow-mod`; they hold nothing of a module, and dropping one only
// decrements an atomic.
#[vtable]
unsafe impl ShadowId for Counter {
    const ID: c_ulong = 2;
    type Object = Dummy;
    type Data = CheckCounter;
}

/// The counter of a dummy. The cleanup work checks the dummies under the module's mutex, but
/// the counter is shared all the same: an atomic.
struct CheckCounter {
    count: AtomicI32,
}

/// The number of counters in existence, for the report of the module's exit.
static COUNTERS: AtomicUsize = AtomicUsize::new(0);

impl CheckCounter {
    fn new() -> Self {
        COUNTERS.fetch_add(1, Ordering::Relaxed);
        Self {
            count: AtomicI32::new(0),
        }
    }
}

impl Drop for CheckCounter {
    fn drop(&mut self) {
        COUNTERS.fetch_sub(1, Ordering::Relaxed);
    }
}

extern "C" fn livepatch_fix2_dummy_check(d: &Dummy, jiffies: c_ulong) -> bool {
    // Patch: handle in-flight dummies: if they do not have a counter yet, attach a new one. The
    // cleanup work holds a mutex, but should not wait for memory: `GFP_NOWAIT`. A dummy whose
    // counter cannot be allocated now is counted from its next check on.
    if let Ok(counter) = Counter::get_or_alloc(d, CheckCounter::new(), GFP_NOWAIT) {
        counter.count.fetch_add(1, Ordering::Relaxed);
    }

    // `time_after(jiffies, d->jiffies_expire)`
    (d.jiffies_expire.wrapping_sub(jiffies) as c_long) < 0
}

extern "C" fn livepatch_fix2_dummy_free(d: *mut Dummy) {
    // SAFETY: The callers of `dummy_free()` pass a dummy that `dummy_alloc()` allocated with
    // `kzalloc()` (or the replacement of fix1, with `KBox`), and give it up: the cleanup work took
    // it off the module's list under its mutex, the module's exit found it there after stopping
    // the work. It is ours, to free as a `KBox`.
    let mut dummy = unsafe { KBox::from_raw(d) };

    // Patch: the leak fix of fix1.
    if Leak::get(&dummy).is_some() {
        Leak::free(&mut dummy);
    } else {
        pr_info!(
            "livepatch_fix2_dummy_free: dummy expiring @ {:x} leaked!\n",
            dummy.jiffies_expire
        );
    }

    // Patch: report the final count of the dummy, and free its counter.
    if let Some(counter) = Counter::get(&dummy) {
        pr_info!(
            "livepatch_fix2_dummy_free: dummy expiring @ {:x}, check counter = {}\n",
            dummy.jiffies_expire,
            counter.count.load(Ordering::Relaxed)
        );
        Counter::free(&mut dummy);
    }
}

struct ShadowFix2;

impl kernel::Module for ShadowFix2 {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(ShadowFix2)
    }
}

impl Drop for ShadowFix2 {
    fn drop(&mut self) {
        // Free the counters that are left: those of live dummies, and those of dummies freed
        // while the patch was disabled, whose objects are gone.
        let before = COUNTERS.load(Ordering::Relaxed);
        // SAFETY: The module is being removed, so its patch is disabled and no task runs its
        // functions any more, which hold no reference to a counter outside of a call; nothing
        // else uses the id. Dropping a counter only decrements an atomic.
        unsafe { Counter::free_all() };
        let left = COUNTERS.load(Ordering::Relaxed);
        pr_info!("freed {} counters, {} left\n", before - left, left);
    }
}
