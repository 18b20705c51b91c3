// SPDX-License-Identifier: GPL-2.0
// expect: expected fn pointer, found `usize`

//! A replacement is a function: an address given as a number does not build.

use core::ffi::{c_int, c_void};
use kernel::{klp_func, seq_file::SeqFile};

kernel::module_livepatch! {
    name: "replacement_not_a_function",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Not built.
            unsafe {
                klp_func!(
                    fn version_proc_show(&SeqFile, *mut c_void) -> c_int => 0xffff_ffff_8100_0000usize
                )
            },
        ],
    },
}
