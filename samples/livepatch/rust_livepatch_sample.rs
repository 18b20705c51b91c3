// SPDX-License-Identifier: GPL-2.0

//! Rust live patch sample: the Rust twin of `livepatch-sample.c`.
//!
//! Purpose: replace a vmlinux function with a Rust function. This (dumb) live patch overrides
//! `cmdline_proc_show()`, the function that prints the kernel command line when `/proc/cmdline`
//! is read.
//!
//! Usage:
//!
//! ```text
//! $ cat /proc/cmdline
//! <your cmdline>
//!
//! $ insmod rust_livepatch_sample.ko
//! $ cat /proc/cmdline
//! this has been live patched
//!
//! $ echo 0 > /sys/kernel/livepatch/rust_livepatch_sample/enabled
//! $ cat /sys/kernel/livepatch/rust_livepatch_sample/transition   # until the file is gone
//! $ rmmod rust_livepatch_sample
//! $ cat /proc/cmdline
//! <your cmdline>
//! ```

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile, seq_print};

kernel::module_livepatch! {
    name: "rust_livepatch_sample",
    authors: ["Rust for Linux Contributors"],
    description: "Rust live patch sample: replace /proc/cmdline",
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

extern "C" fn livepatch_cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "this has been live patched\n");
    0
}
