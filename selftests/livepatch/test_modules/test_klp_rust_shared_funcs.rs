// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: one function table for two objects.
//!
//! A patch declared by hand whose objects, vmlinux and `test_klp_callbacks_mod`, share one
//! [`FuncTable`]. The livepatch core links a function into the lists and the sysfs directory of
//! its object, so a table can only belong to one object: enabling the patch must fail with
//! `EBUSY`, before the core sees it. Used by `test-rust-tables.sh`.

use core::ffi::{c_int, c_void};
use kernel::livepatch::{Func, FuncTable, Object, ObjectTable, Patch};
use kernel::{c_str, prelude::*, seq_file::SeqFile, seq_print};

module! {
    type: SharedFuncs,
    name: "test_klp_rust_shared_funcs",
    description: "Livepatch test: one function table for two objects",
    license: "GPL",
    livepatch: true,
}

static FUNCS: FuncTable<1> = FuncTable::new([
    // SAFETY: `livepatch_cmdline_proc_show` has the ABI of `static int cmdline_proc_show(struct
    // seq_file *m, void *v)` in fs/proc/cmdline.c: C calling convention, `&SeqFile` for the valid
    // `m` the seq file core passes (it serialises `show` calls), a pointer for `v` and `c_int` for
    // `int`.
    unsafe {
        Func::new(
            c_str!("cmdline_proc_show"),
            livepatch_cmdline_proc_show as _,
        )
    },
]);
static OBJECTS: ObjectTable<2> = ObjectTable::new([
    Object::vmlinux(&FUNCS),
    Object::module(c_str!("test_klp_callbacks_mod"), &FUNCS),
]);
static PATCH: Patch = Patch::new(&THIS_MODULE, &OBJECTS);

struct SharedFuncs;

impl kernel::Module for SharedFuncs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // SAFETY: The init succeeds once the patch is enabled.
        unsafe { PATCH.enable() }?;
        Ok(SharedFuncs)
    }
}

extern "C" fn livepatch_cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: this has been live patched\n", module_path!());
    0
}
