// SPDX-License-Identifier: GPL-2.0
// expect: error[E0133]: call to unsafe function `Patch::enable` is unsafe and requires unsafe block

//! `Patch::enable` is `unsafe`: an init that fails after enabling the patch gets its module freed
//! while the livepatch core still holds the patch.

use core::ffi::{c_int, c_void};
use kernel::livepatch::{FuncTable, Object, ObjectTable, Patch};
use kernel::{klp_func, prelude::*, seq_file::SeqFile, seq_print};

module! {
    type: EnableSafe,
    name: "patch_enable_safe",
    license: "GPL",
}

kernel::klp_modinfo!();

extern "C" fn cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "patched\n");
    0
}

static FUNCS: FuncTable<1> = FuncTable::new([
    // SAFETY: `cmdline_proc_show` has the ABI of `int cmdline_proc_show(struct seq_file *m, void
    // *v)`.
    unsafe { klp_func!(fn cmdline_proc_show(&SeqFile, *mut c_void) -> c_int => cmdline_proc_show) },
]);
static OBJECTS: ObjectTable<1> = ObjectTable::new([Object::vmlinux(&FUNCS)]);
static PATCH: Patch = Patch::new(&OBJECTS);

struct EnableSafe;

impl kernel::Module for EnableSafe {
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.enable(module)?;
        // The module would be freed with the patch enabled.
        Err(EINVAL)
    }
}
