// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: the previous system state seen from callbacks.
//!
//! A patch that declares a system state and has callbacks on `test_klp_callbacks_mod`, each of
//! which logs what [`PatchedObject::prev_state`] and [`PatchedObject::state`] return. Only the
//! callbacks of the patch's own transition may see a previous state: those that run because the
//! module is loaded or removed later must see none, without the core's warning for a call outside
//! a transition, also while another patch is in transition (whose previous states are not this
//! patch's). Used by `test-rust-states.sh`.

use core::fmt;
use kernel::ffi::c_ulong;
use kernel::livepatch::{Callbacks, PatchedObject, SystemState};
use kernel::prelude::*;

kernel::module_livepatch! {
    name: "test_klp_rust_prev_state",
    description: "Livepatch test: the previous system state seen from callbacks",
    license: "GPL",
    states: [Marker],
    objects: {
        "test_klp_callbacks_mod" with Report: [],
    },
}

/// A state without data, only declared.
struct Marker;

// SAFETY: No patch with the state 0x7e570003 keeps data in it.
unsafe impl SystemState for Marker {
    const ID: c_ulong = 0x7e57_0003;
    const VERSION: u32 = 1;
    type Data = ();
}

/// Logs the states each callback sees.
struct Report;

#[vtable]
impl Callbacks for Report {
    fn pre_patch(object: &PatchedObject) -> Result {
        report("pre_patch", object);
        Ok(())
    }

    fn post_patch(object: &PatchedObject) {
        report("post_patch", object);
    }

    fn pre_unpatch(object: &PatchedObject) {
        report("pre_unpatch", object);
    }

    fn post_unpatch(object: &PatchedObject) {
        report("post_unpatch", object);
    }
}

/// Logs `callback: prev_state none|version N, state none|version N`.
fn report(callback: &str, object: &PatchedObject) {
    let prev = Version(object.prev_state::<Marker>().map(|s| s.version()));
    let state = Version(object.state::<Marker>().map(|s| s.version()));
    // Formatted first: `pr_info!` takes what the kernel's own `Display` knows.
    pr_info!(
        "{}: prev_state {}, state {}\n",
        callback,
        format_args!("{prev}"),
        format_args!("{state}"),
    );
}

/// The version of a state as logged: `version N`, or `none` without a state.
struct Version(Option<u32>);

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(version) => write!(f, "version {version}"),
            None => f.write_str("none"),
        }
    }
}
