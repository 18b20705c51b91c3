// SPDX-License-Identifier: GPL-2.0
// expect: expected `&Target<_, _>`, found `&CStr`

//! `Func::new` takes the target of `klp_func!` and a replacement of its type: a name and a
//! function cast to anything with `as _`, the way that used to build, does not.

use core::ffi::c_int;
use kernel::{c_str, livepatch::Func, seq_file::SeqFile};

kernel::module_livepatch! {
    name: "replacement_untyped",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: Not built.
            unsafe { Func::new(c_str!("version_proc_show"), wrong as _) },
        ],
    },
}

fn wrong(_m: &SeqFile) -> c_int {
    0
}
