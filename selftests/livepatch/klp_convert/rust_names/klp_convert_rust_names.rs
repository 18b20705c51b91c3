// SPDX-License-Identifier: GPL-2.0

//! A live patch whose code reads the Rust path of the function it replaces, in `.klp.rust_names`,
//! through a PC-relative reference, which `klp-convert` must refuse when the module is built: it
//! rewrites the path to a symbol name of another length, moving the string, and can only move
//! absolute references with it. Never loaded.

use core::ffi::c_int;
use kernel::livepatch::{Func, RustPath};

/// The Rust path of the function replaced, as `klp_rust_func!` writes it.
#[link_section = ".klp.rust_names"]
static PATH: RustPath<27> = RustPath::new("kernel::print::call_printk");

kernel::module_livepatch! {
    name: "klp_convert_rust_names",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Never loaded: the build refuses the module.
            unsafe { Func::rust(&PATH, first_byte as *const _) },
        ],
    },
}

/// Reads the first byte of the path, through code.
extern "C" fn first_byte() -> c_int {
    let path: *const RustPath<27> = &PATH;
    // SAFETY: `path` points to `PATH`, valid for reads.
    c_int::from(unsafe { core::ptr::read_volatile(path.cast::<u8>()) })
}
