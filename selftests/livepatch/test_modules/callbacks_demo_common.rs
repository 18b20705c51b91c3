// SPDX-License-Identifier: GPL-2.0

//! The callbacks of `test_klp_callbacks_demo` and `test_klp_callbacks_demo2`: each logs its name
//! and the object it runs for, as the C test modules do.

use kernel::livepatch::{ModuleState, PatchedObject};
use kernel::prelude::*;

/// Logs `callback: vmlinux` or `callback: <module> -> <state>`.
pub(crate) fn callback_info(callback: &str, object: &PatchedObject) {
    match (object.name(), object.module_state()) {
        (Some(name), Some(state)) => {
            pr_info!("{}: {} -> {}\n", callback, name, state_name(state))
        }
        _ => pr_info!("{}: vmlinux\n", callback),
    }
}

fn state_name(state: ModuleState) -> &'static str {
    match state {
        ModuleState::Live => "[MODULE_STATE_LIVE] Normal state",
        ModuleState::Coming => "[MODULE_STATE_COMING] Full formed, running module_init",
        ModuleState::Going => "[MODULE_STATE_GOING] Going away",
        ModuleState::Unformed => "[MODULE_STATE_UNFORMED] Still setting it up",
    }
}
