// SPDX-License-Identifier: GPL-2.0
// expect: Parameter `p`: a parameter file cannot be executable

//! Parameter permissions with an execute bit pass `VERIFY_OCTAL_PERMISSIONS()` in C but make
//! sysfs warn when the module is loaded: `module!` refuses them.

use kernel::prelude::*;

module! {
    type: ParamExecutable,
    name: "param_executable",
    license: "GPL",
    params: {
        p: i32 { default: 0, permissions: 0o744, description: "an executable parameter", },
    },
}

struct ParamExecutable;

impl kernel::Module for ParamExecutable {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(ParamExecutable)
    }
}
