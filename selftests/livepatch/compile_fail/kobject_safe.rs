// SPDX-License-Identifier: GPL-2.0
// expect: error[E0133]: call to unsafe function `KObject::new_in_kernel` is unsafe and requires unsafe block

//! `KObject::new_in_kernel` is `unsafe`: only dropping the `KObject` removes its files, so one
//! that is leaked keeps files that call the module's code after it is removed.

use kernel::{
    c_str,
    kobject::{Attribute, KObject},
    prelude::*,
};

module! {
    type: KObjectSafe,
    name: "kobject_safe",
    license: "GPL",
}

fn show(out: &mut dyn core::fmt::Write) -> Result {
    Ok(writeln!(out, "42")?)
}

static FILE: Attribute = Attribute::new(c_str!("file"), &show);

struct KObjectSafe;

impl kernel::Module for KObjectSafe {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // `cat /sys/kernel/kobject_safe/file` after `rmmod` would oops.
        core::mem::forget(KObject::new_in_kernel(c_str!("kobject_safe"), &[&FILE])?);
        Ok(KObjectSafe)
    }
}
