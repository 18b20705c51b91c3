// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: system state modification.
//!
//! The Rust port of `test_klp_state3.c`, with the same name and output: a cumulative patch whose
//! vmlinux callbacks raise the console log level and keep its old value in a system state. The next
//! cumulative patch, with the same version 2 of the change as `test_klp_state2`. Used by `test-
//! state.sh`.

#[path = "console_loglevel_state.rs"]
mod console_loglevel_state;

use console_loglevel_state::{ConsoleLoglevel, LoglevelCallbacks};

/// The version of the console log level change.
const VERSION: u32 = 2;

kernel::module_livepatch! {
    name: "test_klp_state3",
    authors: ["Petr Mladek <pmladek@suse.com>"],
    description: "Livepatch test: system state modification",
    license: "GPL",
    replace: true,
    states: [ConsoleLoglevel],
    objects: {
        vmlinux with LoglevelCallbacks: [],
    },
}
