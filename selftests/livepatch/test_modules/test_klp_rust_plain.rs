// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a Rust module that is not a live patch.
//!
//! Its `modinfo` must not say `livepatch: Y`. Used by `test-rust-params.sh`.

use kernel::prelude::*;

module! {
    type: Plain,
    name: "test_klp_rust_plain",
    description: "Livepatch test: a module that is not a live patch",
    license: "GPL",
}

struct Plain;

impl kernel::Module for Plain {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Plain)
    }
}
