// SPDX-License-Identifier: GPL-2.0

//! Rust paths of patched functions in `.klp.rust_names`, as `klp_rust_func!` puts them there
//! but aligned, listed under vmlinux and referenced through their symbols, which `klp-convert`
//! must rewrite to the symbol names of the vmlinux functions they denote: a plain function, an
//! inherent method, a trait method; and a `#[no_mangle]` name, which stays. The padding between them makes the
//! rewritten strings move. And references to a vmlinux function, which `klp-convert` must turn
//! into livepatch relocations: from init code, as the loader writes those before init runs, and
//! from a section whose name has no leading dot, `__param`. Never loaded: only built, and its
//! `.ko` read.

use core::ffi::{c_int, c_void};
use kernel::livepatch::{Func, RustPath};

kernel::klp_extern! {
    vmlinux {
        /// `int nr_processes(void)` of kernel/fork.c.
        fn nr_processes() -> c_int;
    }
}

kernel::module_livepatch! {
    name: "klp_convert_good",
    description: "klp-convert test: Rust paths to rewrite",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Never loaded: the module is only built.
            unsafe { Func::rust(&FUNCTION.0, replacement as *const c_void) },
            // SAFETY: As above.
            unsafe { Func::rust(&INHERENT.0, replacement as *const c_void) },
            // SAFETY: As above.
            unsafe { Func::rust(&TRAIT.0, replacement as *const c_void) },
            // SAFETY: As above.
            unsafe { Func::rust(&NO_MANGLE.0, replacement as *const c_void) },
        ],
    },
}

/// The replacement of all four, never called.
extern "C" fn replacement() {}

/// A path of `.klp.rust_names`, aligned as a larger `static` would be.
#[repr(C, align(16))]
struct Name<const N: usize>(RustPath<N>);

#[link_section = ".klp.rust_names"]
static FUNCTION: Name<27> = Name(RustPath::new("kernel::print::call_printk"));

#[link_section = ".klp.rust_names"]
static INHERENT: Name<31> = Name(RustPath::new("kernel::error::Error::to_errno"));

#[link_section = ".klp.rust_names"]
static TRAIT: Name<48> = Name(RustPath::new(
    "<kernel::error::Error as core::fmt::Debug>::fmt",
));

#[link_section = ".klp.rust_names"]
static NO_MANGLE: Name<13> = Name(RustPath::new("nr_processes"));

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
