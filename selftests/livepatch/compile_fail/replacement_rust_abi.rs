// SPDX-License-Identifier: GPL-2.0
// expect: found fn item `for<'a> fn(&'a SeqFile) -> _ {wrong}`

//! A replacement has the C calling convention of the function it replaces: a Rust-ABI function,
//! which takes its arguments elsewhere, does not build (here also one argument short, as written
//! by mistake for `int version_proc_show(struct seq_file *m, void *v)`).

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile};

kernel::module_livepatch! {
    name: "replacement_rust_abi",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Not built.
            unsafe { klp_func!(fn version_proc_show(&SeqFile, *mut c_void) -> c_int => wrong) },
        ],
    },
}

fn wrong(_m: &SeqFile) -> c_int {
    0
}
