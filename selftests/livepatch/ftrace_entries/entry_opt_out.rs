// SPDX-License-Identifier: GPL-2.0

//! A Rust module built without ftrace entries (`RUSTFLAGS_REMOVE_<object>.o :=
//! $(RUSTFLAGS_FTRACE)`): it must have no patchable function entry and no mcount location.

use kernel::prelude::*;

module! {
    type: OptOut,
    name: "entry_opt_out",
    description: "Ftrace entries test: a module that opts out",
    license: "GPL",
}

struct OptOut;

impl kernel::Module for OptOut {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(OptOut)
    }
}
