// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch demo2.
//!
//! The Rust port of `test_klp_callbacks_demo2.c`, with the same name, parameter and output: all
//! four callbacks on vmlinux, and cumulative (atomic replace) when loaded with `replace=1`. Used
//! by `test-callbacks.sh`.

use kernel::prelude::*;

#[path = "callbacks_demo_common.rs"]
mod common;

use common::Demo;

kernel::module_livepatch! {
    name: "test_klp_callbacks_demo2",
    authors: ["Joe Lawrence <joe.lawrence@redhat.com>"],
    description: "Livepatch test: livepatch demo2",
    license: "GPL",
    params: {
        replace: i32 {
            default: 0,
            permissions: 0o644,
            description: "replace (default=0)",
        },
    },
    replace: module_parameters::replace.value() != 0,
    objects: {
        vmlinux with Demo: [],
    },
}

/// What the pre-patch callback returns: always success.
fn pre_patch_result() -> Result {
    Ok(())
}
