// SPDX-License-Identifier: GPL-2.0

//! Rust port of `test_klp_mod_target.c`: a module with a file in `/proc` whose `show` function
//! `test_klp_mod_patch` replaces.

use kernel::ffi::{c_int, c_void};
use kernel::{c_str, prelude::*, proc_fs::ProcEntry, seq_file::SeqFile, seq_print};

module! {
    type: TestKlpModTarget,
    name: "test_klp_mod_target",
    authors: ["Pablo Hugen <phugen@redhat.com>"],
    description: "Livepatch test: target module with proc entry",
    license: "GPL",
}

/// The `show` of `/proc/test_klp_mod_target`, under the C name, which the live patch targets.
#[no_mangle]
#[inline(never)]
extern "C" fn test_klp_mod_target_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "{}: {}\n", module_path!(), "original output");
    0
}

struct TestKlpModTarget {
    _pde: ProcEntry,
}

impl kernel::Module for TestKlpModTarget {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("test_klp_mod_target_init\n");
        // SAFETY: The entry is in the module data, dropped when the module is unloaded.
        let pde =
            unsafe { ProcEntry::new(c_str!("test_klp_mod_target"), test_klp_mod_target_show) }?;
        Ok(Self { _pde: pde })
    }
}

impl Drop for TestKlpModTarget {
    fn drop(&mut self) {
        pr_info!("test_klp_mod_target_exit\n");
    }
}
