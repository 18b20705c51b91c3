// SPDX-License-Identifier: GPL-2.0

//! Rust paths of patched functions in `.klp.rust_names`, as `klp_rust_func!` puts them there
//! but aligned, and referenced through their symbols, which `klp-convert` must rewrite to the
//! symbol names of the vmlinux functions they denote: a plain function, an inherent method, a
//! trait method; and a `#[no_mangle]` name, which stays. The padding between them makes the
//! rewritten strings move. And references to a vmlinux function, which `klp-convert` must turn
//! into livepatch relocations: from init code, as the loader writes those before init runs, and
//! from a section whose name has no leading dot, `__param`. Never loaded: only built, and its
//! `.ko` read.

use core::ffi::c_int;
use core::ptr::addr_of;
use kernel::prelude::*;

kernel::klp_extern! {
    vmlinux {
        /// `int nr_processes(void)` of kernel/fork.c.
        fn nr_processes() -> c_int;
    }
}

module! {
    type: Good,
    name: "klp_convert_good",
    description: "klp-convert test: Rust paths to rewrite",
    license: "GPL",
}

// Only a live patch may have them.
kernel::klp_modinfo!();

struct Good;

impl kernel::Module for Good {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Good)
    }
}

/// A string of `.klp.rust_names`, aligned as a larger `static` would be.
#[repr(C, align(16))]
struct Name<const N: usize>([u8; N]);

#[used]
#[link_section = ".klp.rust_names"]
static FUNCTION: Name<27> = Name(*b"kernel::print::call_printk\0");

#[used]
#[link_section = ".klp.rust_names"]
static INHERENT: Name<31> = Name(*b"kernel::error::Error::to_errno\0");

#[used]
#[link_section = ".klp.rust_names"]
static TRAIT: Name<48> = Name(*b"<kernel::error::Error as core::fmt::Debug>::fmt\0");

#[used]
#[link_section = ".klp.rust_names"]
static NO_MANGLE: Name<13> = Name(*b"nr_processes\0");

/// Pointers to the strings, as `klp_func.old_name` has them.
struct OldNames(#[allow(dead_code)] [*const u8; 4]);

// SAFETY: The pointers are never dereferenced.
unsafe impl Sync for OldNames {}

#[used]
static OLD_NAMES: OldNames = OldNames([
    addr_of!(FUNCTION).cast(),
    addr_of!(INHERENT).cast(),
    addr_of!(TRAIT).cast(),
    addr_of!(NO_MANGLE).cast(),
]);

/// Calls a vmlinux function from the init code.
#[link_section = ".init.text"]
#[inline(never)]
extern "C" fn init_text() -> c_int {
    // SAFETY: Never loaded: the module is only built.
    unsafe { nr_processes() }
}

/// Keeps the function above.
#[used]
static INIT_TEXT: extern "C" fn() -> c_int = init_text;

/// A vmlinux address in `__param`, as a parameter would have with operations vmlinux does not
/// export.
#[used]
#[link_section = "__param"]
static PARAM: unsafe extern "C" fn() -> c_int = nr_processes;
