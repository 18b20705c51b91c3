// SPDX-License-Identifier: GPL-2.0

//! A live patch with bad `klp_extern!` declarations and bad Rust paths of patched functions, which
//! `klp-convert` must refuse when the module is built: a vmlinux function that does not exist, a
//! name that is not unique in its module without a position, and a position past the last symbol
//! of that name; a path not in vmlinux, one of several functions, and one in a module that is not
//! at hand.

use core::ffi::c_int;
use kernel::klp_func;

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
            unsafe { klp_func!(fn nr_processes() -> c_int => bad_nr_processes) },
            // SAFETY: Never loaded: the build refuses the module.
            unsafe { kernel::klp_rust_func!("kernel::no_such_function" => bad_rust) },
            // SAFETY: As above. Three functions of core demangle to this path: they differ by
            // disambiguators only.
            unsafe {
                kernel::klp_rust_func!(
                    "core::slice::index::slice_index_fail::do_panic::runtime" => bad_rust
                )
            },
        ],
        "test_klp_rust_relocs_target": [
            // SAFETY: `bad_value` has the ABI of `static int relocs_target_value(void)`.
            unsafe { klp_func!(fn relocs_target_value() -> c_int => bad_value) },
            // SAFETY: As above. A function of vmlinux, listed under a module.
            unsafe { kernel::klp_rust_func!("kernel::print::call_printk" => bad_rust) },
        ],
        "klp_convert_no_such_module": [
            // SAFETY: As above. No such module is built.
            unsafe { kernel::klp_rust_func!("klp_convert_no_such_module::function" => bad_rust) },
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

fn bad_rust() {}
