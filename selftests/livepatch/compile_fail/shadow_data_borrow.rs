// SPDX-License-Identifier: GPL-2.0
// expect: error[E0477]: the type `&'a u32` does not fulfill the required lifetime

//! The data of a shadow variable outlives the code that attaches it: it must be `'static`.

use kernel::{ffi::c_ulong, livepatch::ShadowId, prelude::*};

module! {
    type: ShadowDataBorrow,
    name: "shadow_data_borrow",
    license: "GPL",
}

struct Borrowed<'a>(&'a ());

// SAFETY: Id 0x7e570001 is only used here, for `&u32`s attached to `u64`s.
#[vtable]
unsafe impl<'a> ShadowId for Borrowed<'a> {
    const ID: c_ulong = 0x7e57_0001;
    type Object = u64;
    type Data = &'a u32;
}

struct ShadowDataBorrow;

impl kernel::Module for ShadowDataBorrow {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(ShadowDataBorrow)
    }
}
