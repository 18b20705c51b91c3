// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: system state modification.
//!
//! The Rust port of `test_klp_state.c`, with the same name and output: a cumulative patch whose
//! vmlinux callbacks raise the console log level and keep its old value in a system state. Version
//! 1 of the change, which does not support migration: a cumulative patch with it cannot replace one
//! with a higher version. Used by `test-state.sh`.

#[path = "console_loglevel_state.rs"]
mod console_loglevel_state;

use console_loglevel_state::{ConsoleLoglevel, LoglevelCallbacks};

/// The version of the console log level change.
const VERSION: u32 = 1;

kernel::module_livepatch! {
    name: "test_klp_state",
    authors: ["Petr Mladek <pmladek@suse.com>"],
    description: "Livepatch test: system state modification",
    license: "GPL",
    replace: true,
    states: [ConsoleLoglevel],
    objects: {
        vmlinux with LoglevelCallbacks: [],
    },
}
