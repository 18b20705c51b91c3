// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a pre-patch callback that refuses a module.
//!
//! Patches `cmdline_proc_show()` in vmlinux, and `test_klp_callbacks_mod` with a pre-patch
//! callback that fails with `EBUSY`: the module cannot be loaded while the patch is enabled, and
//! the patch stays on vmlinux. Used by `test-rust-callbacks.sh`.

use core::ffi::{c_int, c_void};
use kernel::livepatch::{Callbacks, PatchedObject};
use kernel::{klp_func, prelude::*, seq_file::SeqFile, seq_print};

kernel::module_livepatch! {
    name: "test_klp_rust_callbacks",
    description: "Livepatch test: a pre-patch callback that refuses a module",
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
        "test_klp_callbacks_mod" with Refuse: [],
    },
}

struct Refuse;

#[vtable]
impl Callbacks for Refuse {
    fn pre_patch(object: &PatchedObject) -> Result {
        if let Some(name) = object.name() {
            pr_info!("pre_patch: refusing {}\n", name);
        }
        Err(EBUSY)
    }
}

extern "C" fn livepatch_cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: this has been live patched\n", module_path!());
    0
}
