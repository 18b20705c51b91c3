// SPDX-License-Identifier: GPL-2.0

//! A live patch with references to a function of a module, declared with `klp_extern!`, from
//! sections where the livepatch core cannot write them, which `klp-convert` must refuse when the
//! module is built: the init sections (`.init.text`, `.init.data`, `.init.rodata`), freed by the
//! time the module loads after the patch, and the exit sections (`.exit.text`), freed with them
//! without `CONFIG_MODULE_UNLOAD`; the sections the kernel processes when it loads the patch
//! module (`__jump_table`, `.altinstructions`, `.altinstr_replacement`, `.static_call_sites`); and
//! the per-CPU section, where no livepatch relocation is written, to a module or vmlinux. As
//! addresses in these sections, not the entries the kernel expects there, they are no code
//! objtool could check. Never loaded.

use core::ffi::{c_int, c_void};
use kernel::{c_str, klp_func};

kernel::klp_extern! {
    vmlinux {
        /// `int nr_processes(void)` of kernel/fork.c.
        fn nr_processes() -> c_int;
    }
    "test_klp_rust_relocs_target" {
        /// `static int relocs_target_value(void)` of relocs_target_main.c.
        fn relocs_target_value() -> c_int;
    }
}

kernel::module_livepatch! {
    name: "klp_convert_sections",
    license: "GPL",
    objects: {
        "test_klp_rust_relocs_target": [
            // SAFETY: Never loaded: the build refuses the module.
            unsafe { klp_func!(fn relocs_target_value() -> c_int => value) },
        ],
    },
}

extern "C" fn value() -> c_int {
    0
}

/// The address of a function, as the tables of the kernel hold them.
#[repr(transparent)]
struct Address(#[allow(dead_code)] *const c_void);

// SAFETY: The addresses are never dereferenced.
unsafe impl Sync for Address {}

/// Calls the target function from the init code.
#[link_section = ".init.text"]
#[inline(never)]
extern "C" fn init_text() -> c_int {
    // SAFETY: Never loaded: the build refuses the module.
    unsafe { relocs_target_value() }
}

/// Calls the target function from the exit code.
#[link_section = ".exit.text"]
#[inline(never)]
extern "C" fn exit_text() -> c_int {
    // SAFETY: Never loaded: the build refuses the module.
    unsafe { relocs_target_value() }
}

/// Keeps the functions above.
#[used]
static CODE: [Address; 2] = [
    Address(init_text as *const c_void),
    Address(exit_text as *const c_void),
];

#[used]
#[link_section = ".init.data"]
static INIT_DATA: Address = Address(relocs_target_value as *const c_void);

#[used]
#[link_section = ".init.rodata"]
static INIT_RODATA: Address = Address(relocs_target_value as *const c_void);

#[used]
#[link_section = "__jump_table"]
static JUMP_TABLE: Address = Address(relocs_target_value as *const c_void);

#[used]
#[link_section = ".altinstructions"]
static ALTINSTRUCTIONS: Address = Address(relocs_target_value as *const c_void);

#[used]
#[link_section = ".altinstr_replacement"]
static ALTINSTR_REPLACEMENT: Address = Address(relocs_target_value as *const c_void);

#[used]
#[link_section = ".static_call_sites"]
static STATIC_CALL_SITES: Address = Address(relocs_target_value as *const c_void);

#[used]
#[link_section = ".data..percpu"]
static PERCPU: [Address; 2] = [
    Address(relocs_target_value as *const c_void),
    Address(nr_processes as *const c_void),
];
