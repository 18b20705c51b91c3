// SPDX-License-Identifier: GPL-2.0

//! Rust live patch sample: (un)patching callbacks, the Rust twin of
//! `livepatch-callbacks-demo.c`.
//!
//! Purpose: demonstrate the callbacks the livepatch core runs around patching and unpatching
//! each object of a patch, for vmlinux and for modules loaded before or after the patch.
//!
//! Usage (the target modules are the C samples `livepatch-callbacks-mod.c` and
//! `livepatch-callbacks-busymod.c`):
//!
//! ```text
//! Step 1 - load the simple module
//!
//!   insmod samples/livepatch/livepatch-callbacks-mod.ko
//!
//! Step 2 - load the demonstration live patch (with callbacks)
//!
//!   insmod samples/livepatch/rust_livepatch_callbacks_demo.ko
//!
//! Step 3 - cleanup
//!
//!   echo 0 > /sys/kernel/livepatch/rust_livepatch_callbacks_demo/enabled
//!   rmmod rust_livepatch_callbacks_demo
//!   rmmod livepatch_callbacks_mod
//! ```
//!
//! Watch `dmesg` to see the patch being enabled, the callbacks running and the objects being
//! patched, for both vmlinux and the module.
//!
//! Swap the order of the two `insmod`s to see what happens when a target module is loaded after
//! a patch with callbacks.
//!
//! `pre_patch_ret` sets what the pre-patch callback returns. A non-zero errno such as -19
//! (`-ENODEV`) makes the module loader refuse a target module:
//!
//! ```text
//!   insmod samples/livepatch/rust_livepatch_callbacks_demo.ko
//!   echo -19 > /sys/module/rust_livepatch_callbacks_demo/parameters/pre_patch_ret
//!   insmod samples/livepatch/livepatch-callbacks-mod.ko
//!   insmod: ERROR: could not insert module samples/livepatch/livepatch-callbacks-mod.ko: No such device
//! ```
//!
//! The second target module, `livepatch-callbacks-busymod.ko`, has a `sleep_secs` parameter that
//! keeps it in `busymod_work_func()`, which this patch replaces, to show a stalled transition:
//!
//! ```text
//!   insmod samples/livepatch/livepatch-callbacks-busymod.ko sleep_secs=30
//!   insmod samples/livepatch/rust_livepatch_callbacks_demo.ko
//!   cat /sys/kernel/livepatch/rust_livepatch_callbacks_demo/transition   # 1 for 30 s
//!   echo 0 > /sys/kernel/livepatch/rust_livepatch_callbacks_demo/enabled
//!   rmmod rust_livepatch_callbacks_demo
//! ```

use core::ffi::c_void;
use kernel::livepatch::{Callbacks, ModuleState, PatchedObject};
use kernel::{klp_func, prelude::*};

kernel::module_livepatch! {
    name: "rust_livepatch_callbacks_demo",
    authors: ["Rust for Linux Contributors"],
    description: "Rust live patch sample: (un)patching callbacks",
    license: "GPL",
    params: {
        pre_patch_ret: i32 {
            default: 0,
            permissions: 0o644,
            description: "pre_patch_ret (default=0)",
        },
    },
    objects: {
        vmlinux with Demo: [],
        "livepatch_callbacks_mod" with Demo: [],
        "livepatch_callbacks_busymod" with Demo: [
            // SAFETY: `patched_work_func` has the ABI of `static void busymod_work_func(struct
            // work_struct *work)` in livepatch-callbacks-busymod.c: C calling convention, a
            // pointer it does not use, no return value.
            unsafe { klp_func!(fn busymod_work_func(*mut c_void) => patched_work_func) },
        ],
    },
}

/// The callbacks of every object of this patch: each logs what it runs for.
struct Demo;

#[vtable]
impl Callbacks for Demo {
    /// Runs before an object is patched; its error would stop that.
    fn pre_patch(object: &PatchedObject) -> Result {
        callback_info("pre_patch_callback", object);
        match module_parameters::pre_patch_ret.value() {
            0 => Ok(()),
            errno => Err(Error::from_errno(errno)),
        }
    }

    fn post_patch(object: &PatchedObject) {
        callback_info("post_patch_callback", object);
    }

    fn pre_unpatch(object: &PatchedObject) {
        callback_info("pre_unpatch_callback", object);
    }

    fn post_unpatch(object: &PatchedObject) {
        callback_info("post_unpatch_callback", object);
    }
}

fn callback_info(callback: &str, object: &PatchedObject) {
    match (object.name(), object.module_state()) {
        (Some(name), Some(state)) => {
            let state = match state {
                ModuleState::Live => "[MODULE_STATE_LIVE] Normal state",
                ModuleState::Coming => "[MODULE_STATE_COMING] Full formed, running module_init",
                ModuleState::Going => "[MODULE_STATE_GOING] Going away",
                ModuleState::Unformed => "[MODULE_STATE_UNFORMED] Still setting it up",
            };
            pr_info!("{}: {} -> {}\n", callback, name, state);
        }
        _ => pr_info!("{}: vmlinux\n", callback),
    }
}

extern "C" fn patched_work_func(_work: *mut c_void) {
    pr_info!("patched_work_func\n");
}
