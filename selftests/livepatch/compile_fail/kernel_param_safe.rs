// SPDX-License-Identifier: GPL-2.0
// expect: kernel_param` is unsafe and requires unsafe block

//! The `__param` entries that `module!` writes are `unsafe` to make by hand: their permissions
//! are checked by `module!` only (0666 here, which sysfs refuses with a warning).

use kernel::module_param::{kernel_param, KernelParam, ParamValue};
use kernel::{c_str, prelude::*};

module! {
    type: KernelParamSafe,
    name: "kernel_param_safe",
    license: "GPL",
}

static VALUE: ParamValue<i32> = ParamValue::<i32>::new(0);

#[link_section = "__param"]
#[used]
static PARAM: KernelParam = KernelParam::new(kernel_param(
    c_str!("value"),
    core::ptr::null_mut(),
    0o666,
    &VALUE,
));

struct KernelParamSafe;

impl kernel::Module for KernelParamSafe {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KernelParamSafe)
    }
}
