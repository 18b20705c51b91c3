// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch relocations.
//!
//! A patch whose replacement functions use symbols their objects do not export, declared with
//! `klp_extern!`:
//!
//! - in vmlinux, `cmdline_proc_show()` is replaced so that `/proc/cmdline` reads
//!   `test_klp_rust_relocs: <n> processes, <len> bytes of command line`, calling
//!   `nr_processes()` and reading `saved_command_line_len`;
//! - in `test_klp_rust_relocs_target`, `relocs_target_value()` is replaced by one returning
//!   `10 * part#1 + part#2` from the module's two static functions called `part()`, so that its
//!   `value` parameter reads 12 instead of 3.
//!
//! Used by `test-rust-relocs.sh`.

use core::ffi::{c_int, c_uint, c_void};
use kernel::{klp_func, seq_file::SeqFile, seq_print};

kernel::klp_extern! {
    vmlinux {
        /// `int nr_processes(void)` of kernel/fork.c.
        fn nr_processes() -> c_int;
        /// `unsigned int saved_command_line_len` of init/main.c.
        static saved_command_line_len: c_uint;
    }
    "test_klp_rust_relocs_target" {
        /// `static int part(void)` of relocs_target_a.c.
        #[link_name = "part"]
        #[sympos(1)]
        fn part_a() -> c_int;
        /// `static int part(void)` of relocs_target_b.c.
        #[link_name = "part"]
        #[sympos(2)]
        fn part_b() -> c_int;
    }
}

kernel::module_livepatch! {
    name: "test_klp_rust_relocs",
    description: "Livepatch test: livepatch relocations",
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
        "test_klp_rust_relocs_target": [
            // SAFETY: `livepatch_relocs_target_value` has the ABI of `static int
            // relocs_target_value(void)` in relocs_target_main.c: C calling convention, no
            // parameters, `c_int` for `int`.
            unsafe { klp_func!(fn relocs_target_value() -> c_int => livepatch_relocs_target_value) },
        ],
    },
}

extern "C" fn livepatch_cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    // SAFETY: The declarations match `int nr_processes(void)`, which any process context may
    // call, and `unsigned int saved_command_line_len`, set once at boot. The core resolved both
    // when it patched vmlinux, before this replacement could run.
    let (processes, len) = unsafe { (nr_processes(), saved_command_line_len) };
    seq_print!(
        m,
        "{}: {} processes, {} bytes of command line\n",
        module_path!(),
        processes,
        len
    );
    0
}

extern "C" fn livepatch_relocs_target_value() -> c_int {
    // SAFETY: Both declarations match `static int part(void)`, which has no preconditions. They
    // are resolved when the core patches `test_klp_rust_relocs_target`, before this replacement
    // of one of its functions can run.
    unsafe { 10 * part_a() + part_b() }
}
