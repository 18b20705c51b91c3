// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: tables declared by hand that two objects or two patches share.
//!
//! The livepatch core links the objects of a patch into its lists and sysfs directory, and the
//! functions of an object into the object's, so a table can only be handed to it once.
//!
//! - With `share_funcs=Y`, the init enables a patch whose objects, vmlinux and
//!   `test_klp_callbacks_mod`, share one [`FuncTable`]: it must fail with `EBUSY`, before the core
//!   sees it, and so must the load.
//! - Without, two patches share one [`ObjectTable`]: the init enables the first, which patches
//!   `cmdline_proc_show()`, then tries the second, which must fail with `EBUSY` and leave the first
//!   one whole (it is disabled and removed as usual).
//!
//! Used by `test-rust-tables.sh`.

use core::ffi::{c_int, c_void};
use kernel::livepatch::{Func, FuncTable, Object, ObjectTable, Patch};
use kernel::{c_str, prelude::*, seq_file::SeqFile, seq_print};

module! {
    type: SharedTables,
    name: "test_klp_rust_shared_tables",
    description: "Livepatch test: tables shared by two objects or two patches",
    license: "GPL",
    livepatch: true,
    params: {
        share_funcs: bool {
            default: false,
            description: "share a function table between two objects, not an object table",
        },
    },
}

static FUNCS: FuncTable<1> = FuncTable::new([
    // SAFETY: `cmdline_show` has the ABI of `static int cmdline_proc_show(struct
    // seq_file *m, void *v)` in fs/proc/cmdline.c: C calling convention, `&SeqFile` for the valid
    // `m` the seq file core passes (it serialises `show` calls), a pointer for `v` and `c_int` for
    // `int`.
    unsafe { Func::new(c_str!("cmdline_proc_show"), cmdline_show as _) },
]);

/// Two objects with the same function table.
static TWO_OBJECTS: ObjectTable<2> = ObjectTable::new([
    Object::vmlinux(&FUNCS),
    Object::module(c_str!("test_klp_callbacks_mod"), &FUNCS),
]);
static SHARED_FUNCS: Patch = Patch::new(&THIS_MODULE, &TWO_OBJECTS);

/// One object table for two patches.
static OBJECTS: ObjectTable<1> = ObjectTable::new([Object::vmlinux(&FUNCS)]);
static FIRST: Patch = Patch::new(&THIS_MODULE, &OBJECTS);
static SECOND: Patch = Patch::new(&THIS_MODULE, &OBJECTS);

struct SharedTables;

impl kernel::Module for SharedTables {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        if module_parameters::share_funcs.get() {
            // SAFETY: The init succeeds once the patch is enabled.
            unsafe { SHARED_FUNCS.enable() }?;
            return Ok(SharedTables);
        }
        // SAFETY: The init succeeds once the patch is enabled: the error of the second patch is
        // only logged.
        unsafe { FIRST.enable() }?;
        // SAFETY: As above.
        match unsafe { SECOND.enable() } {
            Ok(()) => pr_info!("second patch on the same objects: enabled\n"),
            Err(e) => pr_info!("second patch on the same objects: {}\n", e.to_errno()),
        }
        Ok(SharedTables)
    }
}

extern "C" fn cmdline_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: this has been live patched\n", module_path!());
    0
}
