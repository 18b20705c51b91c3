// SPDX-License-Identifier: GPL-2.0

//! A live patch with bad `klp_extern!` declarations and bad Rust paths of patched functions, which
//! `klp-convert` must refuse when the module is built: a vmlinux function that does not exist, a
//! name that is not unique in its module without a position, and a position past the last symbol
//! of that name; a path not in vmlinux, one of several functions, and one in a module that is not
//! at hand.

use core::ffi::c_int;
use kernel::{c_str, livepatch::Func};

kernel::klp_extern! {
    vmlinux {
        /// Not in vmlinux.
        fn klp_convert_no_such_function() -> c_int;
    }
    "test_klp_rust_relocs_target" {
        /// There are two `part()`s.
        fn part() -> c_int;
        /// There is no third `part()`.
        #[link_name = "part"]
        #[sympos(3)]
        fn third_part() -> c_int;
    }
}

kernel::module_livepatch! {
    name: "klp_convert_bad",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: `bad_nr_processes` has the ABI of `int nr_processes(void)`.
            unsafe { Func::new(c_str!("nr_processes"), bad_nr_processes as _) },
        ],
        "test_klp_rust_relocs_target": [
            // SAFETY: `bad_value` has the ABI of `static int relocs_target_value(void)`.
            unsafe { Func::new(c_str!("relocs_target_value"), bad_value as _) },
        ],
    },
}

extern "C" fn bad_nr_processes() -> c_int {
    // SAFETY: Never loaded: the build refuses the module.
    unsafe { klp_convert_no_such_function() }
}

extern "C" fn bad_value() -> c_int {
    // SAFETY: Never loaded: the build refuses the module.
    unsafe { part() + third_part() }
}

// Rust paths of patched functions, as `Func` will put them in `.klp.rust_names`.

/// Not in vmlinux.
#[used]
#[link_section = ".klp.rust_names"]
static NO_SUCH_FUNCTION: [u8; 25] = *b"kernel::no_such_function\0";

/// Three functions of core demangle to this path (they differ by disambiguators only).
#[used]
#[link_section = ".klp.rust_names"]
static AMBIGUOUS: [u8; 56] = *b"core::slice::index::slice_index_fail::do_panic::runtime\0";

/// No such module is built.
#[used]
#[link_section = ".klp.rust_names"]
static MODULE_NOT_AT_HAND: [u8; 37] = *b"klp_convert_no_such_module::function\0";
