// SPDX-License-Identifier: GPL-2.0

//! `struct kobj_attribute` as 6.12 lays it out: `show` and `store` are plain fields (7.x puts
//! each in a union with a `const` variant).

use crate::{bindings, ffi::c_char};

/// The `show` of a `struct kobj_attribute`.
pub(super) type Show = unsafe extern "C" fn(
    *mut bindings::kobject,
    *mut bindings::kobj_attribute,
    *mut c_char,
) -> isize;

/// Returns the read-only `struct kobj_attribute` of `attr` whose `show` is `show`.
pub(super) const fn read_only(attr: bindings::attribute, show: Show) -> bindings::kobj_attribute {
    bindings::kobj_attribute {
        attr,
        show: Some(show),
        store: None,
    }
}
