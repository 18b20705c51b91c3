// SPDX-License-Identifier: GPL-2.0

//! Rust live patch sample: shadow variables, the Rust twin of `livepatch-shadow-fix1.c`.
//!
//! Purpose: fix the memory leak of the C module `livepatch-shadow-mod` with a shadow variable.
//! This "extends" a short-lived data structure, the module's `struct dummy`, by patching the
//! functions that allocate and release it: the replacement of `dummy_alloc()` keeps the memory
//! the original forgets in a shadow variable of the new dummy, and the replacement of
//! `dummy_free()` frees the shadow variable, whose destructor frees the memory.
//!
//! Usage (not standalone: see the Usage of `samples/livepatch/livepatch-shadow-mod.c`, with the
//! Rust modules in place of the C fixes):
//!
//! ```text
//!   insmod samples/livepatch/livepatch-shadow-mod.ko
//!   insmod samples/livepatch/rust_livepatch_shadow_fix1.ko
//!   insmod samples/livepatch/rust_livepatch_shadow_fix2.ko     (optional, on top of fix1)
//!
//!   echo 0 > /sys/kernel/livepatch/rust_livepatch_shadow_fix2/enabled
//!   echo 0 > /sys/kernel/livepatch/rust_livepatch_shadow_fix1/enabled
//!   rmmod rust_livepatch_shadow_fix2
//!   rmmod rust_livepatch_shadow_fix1
//!   rmmod livepatch_shadow_mod
//! ```
//!
//! Watch `dmesg`: dummies allocated before the patch are reported as leaked when they expire,
//! those allocated after it release their memory (`prevented leak`). Each leak is numbered in the
//! order this patch allocated it, where the C sample prints addresses (Rust's `{:p}` would print
//! them unhashed). Removing the patch module frees the shadow variables that are left, and with
//! them the memory. Loaded before `livepatch-shadow-mod`, the patch applies to the module as it
//! loads, and nothing leaks at all.

use core::pin::Pin;
use core::sync::atomic::{AtomicI32, Ordering};
use kernel::ffi::{c_int, c_ulong, c_void};
use kernel::livepatch::{Shadow, ShadowId};
use kernel::time::{jiffies, msecs_to_jiffies};
use kernel::types::Opaque;
use kernel::{klp_func, prelude::*};

kernel::module_livepatch! {
    type: ShadowFix1,
    name: "rust_livepatch_shadow_fix1",
    authors: ["Rust for Linux Contributors"],
    description: "Rust live patch sample: fix a leak with a shadow variable",
    license: "GPL",
    objects: {
        "livepatch_shadow_mod": [
            // SAFETY: `livepatch_fix1_dummy_alloc` has the ABI of `struct dummy *dummy_alloc(void)`
            // in livepatch-shadow-mod.c: no parameters, and a pointer to a `kmalloc()`ed `struct
            // dummy`, or `NULL`, returned (`KBox<Dummy>` allocates with `kmalloc()`).
            unsafe { klp_func!(fn dummy_alloc() -> *mut Dummy => livepatch_fix1_dummy_alloc) },
            // SAFETY: `livepatch_fix1_dummy_free` has the ABI of `void dummy_free(struct dummy *d)`
            // in livepatch-shadow-mod.c: a pointer parameter, no return value; see its `// SAFETY:`
            // comment for what it assumes of `d`.
            unsafe { klp_func!(fn dummy_free(*mut Dummy) => livepatch_fix1_dummy_free) },
        ],
    },
}

/// Allocate new dummies every second.
const ALLOC_PERIOD: u32 = 1;
/// Check for expired dummies after a few new ones have been allocated.
const CLEANUP_PERIOD: u32 = 3 * ALLOC_PERIOD;
/// Dummies expire after a few cleanup instances.
const EXPIRE_PERIOD: u32 = 4 * CLEANUP_PERIOD;

/// `struct dummy` of `livepatch-shadow-mod.c`.
#[repr(C)]
struct Dummy {
    /// `struct list_head list`: the module's list, which it changes under its own mutex.
    list: Opaque<[*mut c_void; 2]>,
    jiffies_expire: c_ulong,
}

/// `SV_LEAK`: the memory `dummy_alloc()` allocates with a dummy, kept with the dummy.
struct Leak;

// SAFETY: Id 1 is used, by this patch and by `rust_livepatch_shadow_fix2` (or the C fixes, which
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
            "livepatch_fix1_dummy_leak_dtor: prevented leak {}\n",
            **leak
        );
    }
}

/// The number of the last leak allocated.
static LEAKS: AtomicI32 = AtomicI32::new(0);

/// Allocates a dummy, as `dummy_alloc()`, and keeps the memory allocated with it.
fn dummy_alloc() -> Result<KBox<Dummy>> {
    let dummy = KBox::new(
        Dummy {
            list: Opaque::new([core::ptr::null_mut(); 2]),
            jiffies_expire: jiffies().wrapping_add(msecs_to_jiffies(1000 * EXPIRE_PERIOD)),
        },
        GFP_KERNEL,
    )?;

    // Patch: save the extra memory into a `Leak` shadow variable. A patched `dummy_free()` can
    // later fetch it to release it. The `KBox` is the data of the variable: moved into it when
    // it is attached, dropped (freed) if that fails.
    let n = LEAKS.fetch_add(1, Ordering::Relaxed) + 1;
    let leak = KBox::new(n, GFP_KERNEL)?;
    if let Err(e) = Leak::alloc(&dummy, leak, GFP_KERNEL) {
        pr_err!(
            "livepatch_fix1_dummy_alloc: failed to allocate shadow variable for leak {}: {:?}\n",
            n,
            e
        );
        return Err(e);
    }

    pr_info!(
        "livepatch_fix1_dummy_alloc: dummy with leak {}, expires @ {:x}\n",
        n,
        dummy.jiffies_expire
    );
    Ok(dummy)
}

extern "C" fn livepatch_fix1_dummy_alloc() -> *mut Dummy {
    dummy_alloc().map_or(core::ptr::null_mut(), KBox::into_raw)
}

extern "C" fn livepatch_fix1_dummy_free(d: *mut Dummy) {
    // SAFETY: The callers of `dummy_free()` pass a dummy that `dummy_alloc()` allocated with
    // `kzalloc()` (or our replacement, with `KBox`), and give it up: the cleanup work took it
    // off the module's list under its mutex, the module's exit found it there after stopping the
    // work. It is ours, to free as a `KBox`.
    let mut dummy = unsafe { KBox::from_raw(d) };

    // Patch: fetch the saved `Leak` shadow variable and free it, with the memory. Dummies
    // allocated before this patch have none.
    if Leak::get(&dummy).is_some() {
        Leak::free(&mut dummy);
    } else {
        pr_info!(
            "livepatch_fix1_dummy_free: dummy expiring @ {:x} leaked!\n",
            dummy.jiffies_expire
        );
    }
}

struct ShadowFix1;

impl kernel::Module for ShadowFix1 {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(ShadowFix1)
    }
}

impl Drop for ShadowFix1 {
    fn drop(&mut self) {
        // Free the `Leak` shadow variables that are left, with their memory.
        // SAFETY: The module is being removed, so its patch is disabled and no task runs its
        // functions any more; they hold no reference to a variable outside of a call.
        // `rust_livepatch_shadow_fix2`, the other user of the id, only checks that a dummy it
        // frees has a variable, without reading it, and frees the variable: whichever of that and
        // this comes first drops it. The destructor logs and frees a `KBox`, neither of which
        // sleeps or uses shadow variables.
        unsafe { Leak::free_all() };
    }
}
