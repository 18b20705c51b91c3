// SPDX-License-Identifier: GPL-2.0
// expect: a `OnceInit` is never dropped: its value must not need dropping

//! A `OnceInit` is never dropped: a value that needs dropping (here a `KBox`, which would leak;
//! a `KObject` would keep files that call the module's code after it is removed) is refused.

use kernel::{prelude::*, sync::OnceInit};

module! {
    type: OnceInitDrop,
    name: "once_init_drop",
    license: "GPL",
}

static BOXED: OnceInit<KBox<u32>> = OnceInit::new();

struct OnceInitDrop;

impl kernel::Module for OnceInitDrop {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        BOXED.init::<Error>(KBox::new(42, GFP_KERNEL)?)?;
        Ok(OnceInitDrop)
    }
}
