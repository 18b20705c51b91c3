// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: module parameters of a Rust live patch.
//!
//! One parameter of each kind `module!` supports. The patched `cmdline_proc_show()` prints their
//! current values, as the module reads them, so that `/proc/cmdline` shows what the module sees.
//! Used by `test-rust-params.sh`.

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile, seq_print};

kernel::module_livepatch! {
    name: "test_klp_rust_params",
    description: "Livepatch test: module parameters",
    license: "GPL",
    params: {
        p_i8: i8 { default: -8, permissions: 0o644, description: "an i8", },
        p_u8: u8 { default: 8, permissions: 0o644, description: "a u8", },
        p_i16: i16 { default: -16, permissions: 0o644, description: "an i16", },
        p_u16: u16 { default: 16, permissions: 0o644, description: "a u16", },
        p_i32: i32 { default: -32, permissions: 0o644, description: "an i32", },
        p_u32: u32 { default: 32, permissions: 0o444, description: "a read-only u32", },
        p_i64: i64 { default: -64, permissions: 0o644, description: "an i64", },
        p_u64: u64 { default: 64, permissions: 0o600, description: "a u64 only root reads", },
        p_bool: bool { default: false, permissions: 0o644, description: "a bool", },
        p_array: [i32; 4] { default: [1, 2], permissions: 0o644, description: "up to 4 i32s", },
        p_hidden: i32 { default: 7, description: "an i32 without a sysfs file", },
    },
    objects: {
        vmlinux: [
            // SAFETY: `livepatch_cmdline_proc_show` has the ABI of `static int
            // cmdline_proc_show(struct seq_file *m, void *v)` in fs/proc/cmdline.c: C calling
            // convention, `&SeqFile` for the valid `m` the seq file core passes (it serialises
            // `show` calls), a pointer for `v` and `c_int` for `int`.
            unsafe {
                klp_func!(fn cmdline_proc_show(&SeqFile, *mut c_void) -> c_int => livepatch_cmdline_proc_show)
            },
        ],
    },
}

extern "C" fn livepatch_cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    use module_parameters::*;

    seq_print!(
        m,
        "i8={} u8={} i16={} u16={} i32={} u32={} i64={} u64={} bool={} array=",
        p_i8.value(),
        p_u8.value(),
        p_i16.value(),
        p_u16.value(),
        p_i32.value(),
        p_u32.value(),
        p_i64.value(),
        p_u64.value(),
        p_bool.value(),
    );
    for (i, value) in p_array.iter().enumerate() {
        let separator = if i == 0 { "" } else { "," };
        seq_print!(m, "{}{}", separator, value);
    }
    seq_print!(m, " ({} of 4) hidden={}\n", p_array.len(), p_hidden.value());
    0
}
