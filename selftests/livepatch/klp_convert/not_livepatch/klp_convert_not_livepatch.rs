// SPDX-License-Identifier: GPL-2.0

//! A module that is not a live patch, but uses a vmlinux function declared with `klp_extern!` and
//! has a Rust path in `.klp.rust_names`, which `klp-convert` must refuse when the module is built:
//! the livepatch core would never write the references of such a module to the symbols of other
//! modules, and the loader writes those to vmlinux for any module, giving it what vmlinux does not
//! export. Never loaded.

use core::ffi::c_int;
use kernel::livepatch::RustPath;
use kernel::prelude::*;

kernel::klp_extern! {
    vmlinux {
        /// `int nr_processes(void)` of kernel/fork.c.
        fn nr_processes() -> c_int;
    }
}

module! {
    type: NotLivepatch,
    name: "klp_convert_not_livepatch",
    description: "klp-convert test: not a live patch",
    license: "GPL",
}

struct NotLivepatch;

impl kernel::Module for NotLivepatch {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // SAFETY: Never loaded: the build refuses the module.
        pr_info!("{} processes\n", unsafe { nr_processes() });
        Ok(NotLivepatch)
    }
}

/// A Rust path, as `klp_rust_func!` writes it.
#[used]
#[link_section = ".klp.rust_names"]
static PATH: RustPath<27> = RustPath::new("kernel::print::call_printk");
