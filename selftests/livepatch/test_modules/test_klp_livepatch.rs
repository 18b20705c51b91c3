// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch module.
//!
//! The Rust port of `tools/testing/selftests/livepatch/test_modules/test_klp_livepatch.c`, with
//! the same name and output: it replaces `cmdline_proc_show()` so that `/proc/cmdline` reads
//! `test_klp_livepatch: this has been live patched`. Used by `test-livepatch.sh`.

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile, seq_print};

kernel::module_livepatch! {
    name: "test_klp_livepatch",
    authors: ["Seth Jennings <sjenning@redhat.com>"],
    description: "Livepatch test: livepatch module",
    license: "GPL",
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

// Under the C name: test-ftrace.sh traces it by that name.
#[no_mangle]
extern "C" fn livepatch_cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: this has been live patched\n", module_path!());
    0
}
