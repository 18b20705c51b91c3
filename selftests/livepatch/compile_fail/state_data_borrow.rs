// SPDX-License-Identifier: GPL-2.0
// expect: error[E0477]: the type `&'a u32` does not fulfill the required lifetime

//! The data of a system state outlives the patch that creates it: it must be `'static`.

use kernel::{ffi::c_ulong, livepatch::SystemState, prelude::*};

module! {
    type: StateDataBorrow,
    name: "state_data_borrow",
    license: "GPL",
}

struct Borrowed<'a>(&'a ());

// SAFETY: Every patch with the state 0x7e570002 keeps an `Arc<&u32>` in it.
unsafe impl<'a> SystemState for Borrowed<'a> {
    const ID: c_ulong = 0x7e57_0002;
    const VERSION: u32 = 1;
    type Data = &'a u32;
}

struct StateDataBorrow;

impl kernel::Module for StateDataBorrow {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(StateDataBorrow)
    }
}
