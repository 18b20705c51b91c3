// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a patch whose target function does not exist.
//!
//! Enabling the patch must fail, so loading the module fails with the errno of
//! `klp_enable_patch()` (`EINVAL`) and leaves nothing behind. Used by `test-rust-errors.sh`.

use core::ffi::c_int;
use kernel::klp_func;

kernel::module_livepatch! {
    name: "test_klp_rust_missing_func",
    description: "Livepatch test: patch a function that does not exist",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: There is no function of this name in vmlinux, so nothing is redirected to
            // `never_called` and its ABI does not matter; enabling the patch fails.
            unsafe {
                klp_func!(
                    #[not_in_btf = "the test needs a function that does not exist"]
                    fn klp_rust_no_such_function() -> c_int => never_called
                )
            },
        ],
    },
}

extern "C" fn never_called() -> c_int {
    0
}
