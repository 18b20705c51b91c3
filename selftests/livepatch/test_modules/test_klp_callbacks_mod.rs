// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: target module.
//!
//! The Rust port of `test_klp_callbacks_mod.c`, with the same name and output: a module that
//! only logs its init and exit, the object the callback demos patch. Used by `test-callbacks.sh`.

use kernel::prelude::*;

module! {
    type: CallbacksMod,
    name: "test_klp_callbacks_mod",
    authors: ["Joe Lawrence <joe.lawrence@redhat.com>"],
    description: "Livepatch test: target module",
    license: "GPL",
}

struct CallbacksMod;

impl kernel::Module for CallbacksMod {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("test_klp_callbacks_mod_init\n");
        Ok(CallbacksMod)
    }
}

impl Drop for CallbacksMod {
    fn drop(&mut self) {
        pr_info!("test_klp_callbacks_mod_exit\n");
    }
}
