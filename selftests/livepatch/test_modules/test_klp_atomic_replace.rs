// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: atomic replace.
//!
//! The Rust port of `test_klp_atomic_replace.c`, with the same name, parameter and output: it
//! replaces `meminfo_proc_show()` so that `/proc/meminfo` reads
//! `test_klp_atomic_replace: this has been live patched`, and is cumulative when loaded with
//! `replace=1`. Used by `test-livepatch.sh` and `test-sysfs.sh`.

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile, seq_print};

kernel::module_livepatch! {
    name: "test_klp_atomic_replace",
    authors: ["Joe Lawrence <joe.lawrence@redhat.com>"],
    description: "Livepatch test: atomic replace",
    license: "GPL",
    params: {
        replace: i32 {
            default: 0,
            permissions: 0o644,
            description: "replace (default=0)",
        },
    },
    replace: module_parameters::replace.value() != 0,
    objects: {
        vmlinux: [
            // SAFETY: `livepatch_meminfo_proc_show` has the ABI of `static int
            // meminfo_proc_show(struct seq_file *m, void *v)` in fs/proc/meminfo.c: C calling
            // convention, `&SeqFile` for the valid `m` the seq file core passes (it serialises
            // `show` calls), a pointer for `v` and `c_int` for `int`.
            unsafe {
                klp_func!(fn meminfo_proc_show(&SeqFile, *mut c_void) -> c_int => livepatch_meminfo_proc_show)
            },
        ],
    },
}

extern "C" fn livepatch_meminfo_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: this has been live patched\n", module_path!());
    0
}
