// SPDX-License-Identifier: GPL-2.0
// expect: `&str` stands for no C type of a prototype

//! A prototype has C types: a Rust-only type such as `&str`, two words wide, does not build.

use kernel::klp_func;

kernel::module_livepatch! {
    name: "prototype_rust_type",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Not built.
            unsafe { klp_func!(fn kstrdup(&str) => wrong) },
        ],
    },
}

extern "C" fn wrong(_s: &str) {}
