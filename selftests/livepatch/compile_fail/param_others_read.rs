// SPDX-License-Identifier: GPL-2.0
// expect: Parameter `p`: others can read but group cannot

//! Parameter permissions are checked as `VERIFY_OCTAL_PERMISSIONS()` checks them in C, which
//! refuses `0404`.

use kernel::prelude::*;

module! {
    type: ParamOthersRead,
    name: "param_others_read",
    license: "GPL",
    params: {
        p: i32 { default: 0, permissions: 0o404, description: "readable by others, not group", },
    },
}

struct ParamOthersRead;

impl kernel::Module for ParamOthersRead {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(ParamOthersRead)
    }
}
