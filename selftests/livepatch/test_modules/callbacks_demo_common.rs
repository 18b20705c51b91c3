// SPDX-License-Identifier: GPL-2.0

//! The callbacks of `test_klp_callbacks_demo` and `test_klp_callbacks_demo2`: each logs its name
//! and the object it runs for, as the C test modules do. The pre-patch callback then returns what
//! the crate's `pre_patch_result()` says.

use kernel::livepatch::{Callbacks, ModuleState, PatchedObject};
use kernel::prelude::*;

/// The callbacks of every object of the demo patches.
pub(crate) struct Demo;

#[vtable]
impl Callbacks for Demo {
    fn pre_patch(object: &PatchedObject) -> Result {
        callback_info("pre_patch_callback", object);
        crate::pre_patch_result()
    }

    fn post_patch(object: &PatchedObject) {
        callback_info("post_patch_callback", object);
    }

    fn pre_unpatch(object: &PatchedObject) {
        callback_info("pre_unpatch_callback", object);
    }

    fn post_unpatch(object: &PatchedObject) {
        callback_info("post_unpatch_callback", object);
    }
}

/// Logs `callback: vmlinux` or `callback: <module> -> <state>`.
fn callback_info(callback: &str, object: &PatchedObject) {
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
