// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch demo.
//!
//! The Rust port of `test_klp_callbacks_demo.c`, with the same name, parameter and output: all
//! four callbacks on vmlinux and on the two target modules, the pre-patch one returning
//! `pre_patch_ret`, and a replacement of `busymod_work_func()` of `test_klp_callbacks_busy`. Used
//! by `test-callbacks.sh`.

use core::ffi::c_void;
use kernel::{klp_func, prelude::*};

#[path = "callbacks_demo_common.rs"]
mod common;

use common::Demo;

kernel::module_livepatch! {
    name: "test_klp_callbacks_demo",
    authors: ["Joe Lawrence <joe.lawrence@redhat.com>"],
    description: "Livepatch test: livepatch demo",
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
        "test_klp_callbacks_mod" with Demo: [],
        "test_klp_callbacks_busy" with Demo: [
            // SAFETY: `patched_work_func` has the ABI of `busymod_work_func()` of
            // test_klp_callbacks_busy, `static void busymod_work_func(struct work_struct *work)`
            // in C and `extern "C" fn busymod_work_func(busy: &Busy)` in Rust: C calling
            // convention, a pointer it does not use, no return value.
            unsafe {
                klp_func!(
                    #[not_in_btf = "the target is Rust (test_klp_callbacks_busy.rs): BTF has no Rust"]
                    fn busymod_work_func(*mut c_void) => patched_work_func
                )
            },
        ],
    },
}

/// What the pre-patch callback returns: `pre_patch_ret`, an errno or 0.
fn pre_patch_result() -> Result {
    match module_parameters::pre_patch_ret.value() {
        0 => Ok(()),
        errno => Err(Error::from_errno(errno)),
    }
}

extern "C" fn patched_work_func(_work: *mut c_void) {
    pr_info!("patched_work_func\n");
}
