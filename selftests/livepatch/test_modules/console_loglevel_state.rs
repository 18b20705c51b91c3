// SPDX-License-Identifier: GPL-2.0

//! The console log level change of `test_klp_state`, `test_klp_state2` and `test_klp_state3`, as
//! in the C test modules: the patches raise `console_loglevel` to `CONSOLE_LOGLEVEL_MOTORMOUTH`
//! and keep its old value in the data of their system state. The crate's `VERSION` is the version
//! of that state; from version 2 on, a patch takes the change over from the patch it replaces
//! instead of making it again.

use core::sync::atomic::{AtomicI32, Ordering};
use kernel::ffi::c_ulong;
use kernel::livepatch::{Callbacks, PatchedObject, SystemState};
use kernel::{prelude::*, sync::Arc};

const CONSOLE_LOGLEVEL_STATE: c_ulong = 1;
const CONSOLE_LOGLEVEL_MOTORMOUTH: i32 = 15;

/// Whether this version takes the change over from the patches it replaces.
const MIGRATES: bool = crate::VERSION >= 2;

/// The console log level is raised; the data holds the old level.
pub(crate) struct ConsoleLoglevel;

// SAFETY: The test_klp_state* modules are the only patches with this state, and all of them keep
// an `Arc<AtomicI32>` in it.
unsafe impl SystemState for ConsoleLoglevel {
    const ID: c_ulong = CONSOLE_LOGLEVEL_STATE;
    const VERSION: u32 = crate::VERSION;
    type Data = AtomicI32;
}

/// The callbacks of the vmlinux object, the only one of these patches.
pub(crate) struct LoglevelCallbacks;

#[vtable]
impl Callbacks for LoglevelCallbacks {
    fn pre_patch(object: &PatchedObject) -> Result {
        callback_info("pre_patch_callback", object);
        allocate_loglevel_state(object)
    }

    fn post_patch(object: &PatchedObject) {
        callback_info("post_patch_callback", object);
        fix_console_loglevel(object);
    }

    fn pre_unpatch(object: &PatchedObject) {
        callback_info("pre_unpatch_callback", object);
        restore_console_loglevel(object);
    }

    fn post_unpatch(object: &PatchedObject) {
        callback_info("post_unpatch_callback", object);
        free_loglevel_state(object);
    }
}

fn callback_info(callback: &str, object: &PatchedObject) {
    match object.name() {
        Some(name) => pr_info!("{}: {}\n", callback, name),
        None => pr_info!("{}: vmlinux\n", callback),
    }
}

/// Whether a patch enabled before this one made the change, when this version takes it over.
fn migrating(object: &PatchedObject) -> bool {
    MIGRATES && object.prev_state::<ConsoleLoglevel>().is_some()
}

fn allocate_loglevel_state(object: &PatchedObject) -> Result {
    if migrating(object) {
        pr_info!("allocate_loglevel_state: space to store console_loglevel already allocated\n");
        return Ok(());
    }
    let state = object.state::<ConsoleLoglevel>().ok_or(EINVAL)?;
    state.set_data(Arc::new(AtomicI32::new(0), GFP_KERNEL)?);
    pr_info!("allocate_loglevel_state: allocating space to store console_loglevel\n");
    Ok(())
}

fn fix_console_loglevel(object: &PatchedObject) {
    let Some(state) = object.state::<ConsoleLoglevel>() else {
        return;
    };
    if MIGRATES {
        if let Some(prev) = object.prev_state::<ConsoleLoglevel>() {
            pr_info!("fix_console_loglevel: taking over the console_loglevel change\n");
            if let Some(saved) = prev.take_data() {
                state.set_data(saved);
            }
            return;
        }
    }
    pr_info!("fix_console_loglevel: fixing console_loglevel\n");
    let level = console_loglevel();
    if let Some(saved) = state.data() {
        saved.store(level.load(Ordering::Relaxed), Ordering::Relaxed);
    }
    level.store(CONSOLE_LOGLEVEL_MOTORMOUTH, Ordering::Relaxed);
}

fn restore_console_loglevel(object: &PatchedObject) {
    let Some(state) = object.state::<ConsoleLoglevel>() else {
        return;
    };
    if migrating(object) {
        pr_info!(
            "restore_console_loglevel: passing the console_loglevel change back to the old livepatch\n"
        );
        return;
    }
    pr_info!("restore_console_loglevel: restoring console_loglevel\n");
    if let Some(saved) = state.data() {
        console_loglevel().store(saved.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

fn free_loglevel_state(object: &PatchedObject) {
    let Some(state) = object.state::<ConsoleLoglevel>() else {
        return;
    };
    if migrating(object) {
        pr_info!("free_loglevel_state: keeping space to store console_loglevel\n");
        return;
    }
    pr_info!("free_loglevel_state: freeing space for the stored console_loglevel\n");
    drop(state.take_data());
}

/// Returns `console_loglevel`, the first of the kernel's `int console_printk[4]`.
fn console_loglevel() -> &'static AtomicI32 {
    extern "C" {
        static console_printk: [AtomicI32; 4];
    }
    // SAFETY: `console_printk` is an exported array of four `int`s of kernel/printk/printk.c,
    // which lives as long as the kernel. `AtomicI32` has the size and alignment of `int`, and the
    // kernel reads and writes the log levels with single aligned accesses.
    unsafe { &console_printk[0] }
}
