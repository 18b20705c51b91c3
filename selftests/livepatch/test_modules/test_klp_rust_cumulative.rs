// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a cumulative Rust patch.
//!
//! Replaces `cmdline_proc_show()` so that `/proc/cmdline` reads
//! `test_klp_rust_cumulative: this has been live patched`, and replaces every patch enabled
//! before it: the functions they patched and it does not go back to their original code. Used by
//! `test-rust-cumulative.sh`.

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile, seq_print};

kernel::module_livepatch! {
    name: "test_klp_rust_cumulative",
    description: "Livepatch test: a cumulative Rust patch",
    license: "GPL",
    replace: true,
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
    seq_print!(m, "{}: this has been live patched\n", module_path!());
    0
}
