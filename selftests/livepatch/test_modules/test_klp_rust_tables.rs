// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: tables declared by hand that the livepatch core cannot take.
//!
//! The core links the objects of a patch into its lists and makes a sysfs directory for each,
//! named after its module (or `vmlinux`), and the same for the functions of an object, named
//! `<function>,<position>`. A table can only be handed to it once, and the names must differ.
//! `Patch::enable` refuses what would go wrong before the core sees it. The parameter `case`
//! selects what the init enables:
//!
//! - 0: two patches that share one [`ObjectTable`]: the first is enabled (it patches
//!   `cmdline_proc_show()`), the second fails with `EBUSY` and leaves the first one whole;
//! - 1: a patch whose objects, vmlinux and `test_klp_callbacks_mod`, share one [`FuncTable`]:
//!   `EBUSY`;
//! - 2: a patch with two objects for the same module: `EINVAL`;
//! - 3: a patch with the same function twice in an object, at positions 0 and 1, which are the
//!   same: `EINVAL`;
//! - 4 to 7: a patch with an object whose module name is empty, has a `/` (which sysfs makes
//!   `!`), is the name of a file of the patch's directory (`enabled`) or is `vmlinux`: `EINVAL`.
//!
//! In the cases but the first, the init fails with the error. Used by `test-rust-tables.sh`.

use core::ffi::{c_int, c_void};
use kernel::livepatch::{Func, FuncTable, Object, ObjectTable, Patch};
use kernel::{c_str, klp_func, prelude::*, seq_file::SeqFile, seq_print};

module! {
    type: Tables,
    name: "test_klp_rust_tables",
    description: "Livepatch test: tables the livepatch core cannot take",
    license: "GPL",
    params: {
        case: i32 {
            default: 0,
            description: "which tables to enable (see the source)",
        },
    },
}

kernel::klp_modinfo!();

/// The redirection of `cmdline_proc_show()` to `cmdline_show()`, for the tables.
const fn cmdline_func() -> Func {
    // SAFETY: `cmdline_show` has the ABI of `static int cmdline_proc_show(struct seq_file *m, void
    // *v)` in fs/proc/cmdline.c: C calling convention, `&SeqFile` for the valid `m` the seq file
    // core passes (it serialises `show` calls), a pointer for `v` and `c_int` for `int`.
    unsafe {
        klp_func!(
            #[not_in_btf = "the tables put it in test_klp_callbacks_mod too, never enabled"]
            fn cmdline_proc_show(&SeqFile, *mut c_void) -> c_int => cmdline_show
        )
    }
}

// Case 0: one object table for two patches.
static FUNCS: FuncTable<1> = FuncTable::new([cmdline_func()]);
static OBJECTS: ObjectTable<1> = ObjectTable::new([Object::vmlinux(&FUNCS)]);
static FIRST: Patch = Patch::new(&OBJECTS);
static SECOND: Patch = Patch::new(&OBJECTS);

// Case 1: one function table for two objects.
static SHARED_FUNCS: FuncTable<1> = FuncTable::new([cmdline_func()]);
static SHARING_OBJECTS: ObjectTable<2> = ObjectTable::new([
    Object::vmlinux(&SHARED_FUNCS),
    Object::module(c_str!("test_klp_callbacks_mod"), &SHARED_FUNCS),
]);
static SHARING: Patch = Patch::new(&SHARING_OBJECTS);

// Case 2: two objects for one module.
static NO_FUNCS: FuncTable<0> = FuncTable::new([]);
static NO_FUNCS2: FuncTable<0> = FuncTable::new([]);
static SAME_MODULE_OBJECTS: ObjectTable<2> = ObjectTable::new([
    Object::module(c_str!("test_klp_callbacks_mod"), &NO_FUNCS),
    Object::module(c_str!("test_klp_callbacks_mod"), &NO_FUNCS2),
]);
static SAME_MODULE: Patch = Patch::new(&SAME_MODULE_OBJECTS);

// Case 3: one function twice in an object.
static SAME_FUNC_FUNCS: FuncTable<2> = FuncTable::new([cmdline_func(), cmdline_func().sympos(1)]);
static SAME_FUNC_OBJECTS: ObjectTable<1> = ObjectTable::new([Object::vmlinux(&SAME_FUNC_FUNCS)]);
static SAME_FUNC: Patch = Patch::new(&SAME_FUNC_OBJECTS);

/// Declares `$patch`, a patch of one object without functions, for the module `$name`.
macro_rules! named_object_patch {
    ($patch:ident, $name:literal) => {
        static $patch: Patch = {
            static NO_FUNCS: FuncTable<0> = FuncTable::new([]);
            static OBJECTS: ObjectTable<1> =
                ObjectTable::new([Object::module(c_str!($name), &NO_FUNCS)]);
            Patch::new(&OBJECTS)
        };
    };
}

// Cases 4 to 7: objects whose names are none of a module.
named_object_patch!(NAMELESS, "");
named_object_patch!(SLASH, "test_klp/callbacks_mod");
named_object_patch!(FILE, "enabled");
named_object_patch!(VMLINUX, "vmlinux");

struct Tables;

impl kernel::Module for Tables {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let patch = match module_parameters::case.value() {
            0 => return shared_objects(module),
            1 => &SHARING,
            2 => &SAME_MODULE,
            3 => &SAME_FUNC,
            4 => &NAMELESS,
            5 => &SLASH,
            6 => &FILE,
            7 => &VMLINUX,
            _ => return Err(EINVAL),
        };
        // SAFETY: `module` holds the patch, and the init succeeds once the patch is enabled.
        unsafe { patch.enable(module) }?;
        Ok(Tables)
    }
}

/// Case 0: enables `FIRST`, then tries `SECOND` on the same objects and logs its error.
fn shared_objects(module: &'static ThisModule) -> Result<Tables> {
    // SAFETY: `module` holds the patches, and the init succeeds once the patch is enabled: the
    // error of the second patch is only logged.
    unsafe { FIRST.enable(module) }?;
    // SAFETY: As above.
    match unsafe { SECOND.enable(module) } {
        Ok(()) => pr_info!("second patch on the same objects: enabled\n"),
        Err(e) => pr_info!("second patch on the same objects: {}\n", e.to_errno()),
    }
    Ok(Tables)
}

extern "C" fn cmdline_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: this has been live patched\n", module_path!());
    0
}
