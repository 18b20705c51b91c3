// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: patch for module-provided function.
//!
//! The Rust port of `tools/testing/selftests/livepatch/test_modules/test_klp_mod_patch.c`, with
//! the same name and output: it replaces `test_klp_mod_target_show()` of the module
//! `test_klp_mod_target`, so that `/proc/test_klp_mod_target` reads
//! `test_klp_mod_patch: this has been live patched`. Used by `test-livepatch.sh` (7.x).

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile, seq_print};

kernel::module_livepatch! {
    name: "test_klp_mod_patch",
    authors: ["Pablo Hugen <phugen@redhat.com>"],
    description: "Livepatch test: patch for module-provided function",
    license: "GPL",
    objects: {
        "test_klp_mod_target": [
            // SAFETY: `livepatch_mod_target_show` has the ABI of `static int
            // test_klp_mod_target_show(struct seq_file *m, void *v)` of test_klp_mod_target: C
            // calling convention, `&SeqFile` for the valid `m` the seq file core passes (it
            // serialises `show` calls), a pointer for `v` and `c_int` for `int`.
            unsafe {
                klp_func!(
                    #[not_in_btf = "the target is Rust (test_klp_mod_target.rs): BTF has no Rust"]
                    fn test_klp_mod_target_show(&SeqFile, *mut c_void) -> c_int
                        => livepatch_mod_target_show
                )
            },
        ],
    },
}

extern "C" fn livepatch_mod_target_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: {}\n", module_path!(), "this has been live patched");
    0
}
