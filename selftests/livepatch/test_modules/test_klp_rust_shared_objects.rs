// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: one object table for two patches.
//!
//! Two patches declared by hand share one [`ObjectTable`]. The init enables the first, which
//! patches `cmdline_proc_show()`, then tries the second: the livepatch core links an object into
//! the lists and the sysfs directory of its patch, so the second must fail with `EBUSY` before
//! the core sees it, and leave the first one whole (it is disabled and removed as usual). Used by
//! `test-rust-tables.sh`.

use core::ffi::{c_int, c_void};
use kernel::livepatch::{Func, FuncTable, Object, ObjectTable, Patch};
use kernel::{c_str, prelude::*, seq_file::SeqFile, seq_print};

module! {
    type: SharedObjects,
    name: "test_klp_rust_shared_objects",
    description: "Livepatch test: one object table for two patches",
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
static OBJECTS: ObjectTable<1> = ObjectTable::new([Object::vmlinux(&FUNCS)]);
static FIRST: Patch = Patch::new(&THIS_MODULE, &OBJECTS);
static SECOND: Patch = Patch::new(&THIS_MODULE, &OBJECTS);

struct SharedObjects;

impl kernel::Module for SharedObjects {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // SAFETY: The init succeeds once the patch is enabled: the error of the second patch is
        // only logged.
        unsafe { FIRST.enable() }?;
        // SAFETY: As above.
        match unsafe { SECOND.enable() } {
            Ok(()) => pr_info!("second patch on the same objects: enabled\n"),
            Err(e) => pr_info!("second patch on the same objects: {}\n", e.to_errno()),
        }
        Ok(SharedObjects)
    }
}

extern "C" fn livepatch_cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: this has been live patched\n", module_path!());
    0
}
