// SPDX-License-Identifier: GPL-2.0
// expect: a `OnceInit` is never dropped: its value must not need dropping

//! A `OnceInit` is never dropped: a value that needs dropping (here a `KObject`, whose files
//! would call the module's code after it is removed) is refused.

use kernel::{c_str, kobject::KObject, prelude::*, sync::OnceInit};

module! {
    type: OnceInitDrop,
    name: "once_init_drop",
    license: "GPL",
}

static DIR: OnceInit<KObject> = OnceInit::new();

struct OnceInitDrop;

impl kernel::Module for OnceInitDrop {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        DIR.init::<Error>(KObject::new_in_kernel(c_str!("once_init_drop"), &[])?)?;
        Ok(OnceInitDrop)
    }
}
