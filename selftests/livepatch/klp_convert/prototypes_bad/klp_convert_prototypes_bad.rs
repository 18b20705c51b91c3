// SPDX-License-Identifier: GPL-2.0

//! klp-convert test: replacements whose stated prototypes are not their targets' in BTF, one of
//! each kind of mismatch, in vmlinux and in a module that is at hand. The module must not build.

use core::ffi::{c_int, c_ulong, c_void};
use kernel::{klp_func, seq_file::SeqFile};

kernel::module_livepatch! {
    name: "klp_convert_prototypes_bad",
    description: "klp-convert test: prototypes that do not match",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Never enabled: the prototype check refuses the module (one argument short).
            unsafe { klp_func!(fn version_proc_show(&SeqFile) -> c_int => one_short) },
            // SAFETY: As above (an integer for a pointer).
            unsafe {
                klp_func!(fn cmdline_proc_show(c_ulong, *mut c_void) -> c_int => int_for_pointer)
            },
            // SAFETY: As above (a narrower integer).
            unsafe { klp_func!(fn msleep(u16) => narrower) },
            // SAFETY: As above (no return value for an `int`).
            unsafe { klp_func!(fn meminfo_proc_show(&SeqFile, *mut c_void) => no_return) },
            // SAFETY: As above (no such function).
            unsafe { klp_func!(fn klp_convert_no_such_function() => nothing) },
        ],
        "test_klp_rust_relocs_target": [
            // SAFETY: As above (a narrower return value).
            unsafe { klp_func!(fn relocs_target_value() -> i16 => narrower_value) },
            // SAFETY: As above (one argument too many).
            unsafe { klp_func!(fn relocs_target_value(c_int) -> c_int => one_more) },
        ],
    },
}

extern "C" fn one_short(_m: &SeqFile) -> c_int {
    0
}

extern "C" fn int_for_pointer(_m: c_ulong, _v: *mut c_void) -> c_int {
    0
}

extern "C" fn narrower(_msecs: u16) {}

extern "C" fn no_return(_m: &SeqFile, _v: *mut c_void) {}

extern "C" fn nothing() {}

extern "C" fn narrower_value() -> i16 {
    0
}

extern "C" fn one_more(value: c_int) -> c_int {
    value
}
