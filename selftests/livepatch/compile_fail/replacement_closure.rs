// SPDX-License-Identifier: GPL-2.0
// expect: found closure `{closure@

//! A replacement is a function: a closure, even one that captures nothing, does not build.

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile};

kernel::module_livepatch! {
    name: "replacement_closure",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Not built.
            unsafe {
                klp_func!(fn version_proc_show(&SeqFile, *mut c_void) -> c_int => |_m, _v| 0)
            },
        ],
    },
}
