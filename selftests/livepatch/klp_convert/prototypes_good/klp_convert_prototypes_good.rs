// SPDX-License-Identifier: GPL-2.0

//! klp-convert test: replacements whose stated prototypes are their targets' in BTF, in vmlinux
//! and in a module that is at hand, of each class, and a target that is not in BTF with the
//! reason why. The module must build.

use core::ffi::{c_int, c_uint, c_void};
use kernel::{klp_func, seq_file::SeqFile};

kernel::module_livepatch! {
    name: "klp_convert_prototypes_good",
    description: "klp-convert test: prototypes that match",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Never enabled: the test only builds the module.
            unsafe { klp_func!(fn cmdline_proc_show(&SeqFile, *mut c_void) -> c_int => show) },
            // SAFETY: As above.
            unsafe { klp_func!(unsafe fn msleep(c_uint) => sleep) },
            // SAFETY: As above.
            unsafe {
                klp_func!(
                    #[not_in_btf = "the test needs a function that does not exist"]
                    fn klp_convert_no_such_function() => nothing
                )
            },
        ],
        "test_klp_rust_relocs_target": [
            // SAFETY: As above.
            unsafe { klp_func!(fn relocs_target_value() -> c_int => value) },
        ],
    },
}

extern "C" fn show(_m: &SeqFile, _v: *mut c_void) -> c_int {
    0
}

/// # Safety
///
/// None: never called.
unsafe extern "C" fn sleep(_msecs: c_uint) {}

extern "C" fn nothing() {}

extern "C" fn value() -> c_int {
    0
}
