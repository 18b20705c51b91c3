// SPDX-License-Identifier: GPL-2.0

//! `struct kobj_attribute` as 7.x lays it out: `show` and `store` each share a union (a struct
//! with `CONFIG_CFI`) with a `const` variant (6.12 has plain fields).

use crate::{bindings, ffi::c_char};
use core::mem;

/// The `show` of a `struct kobj_attribute`.
pub(super) type Show = unsafe extern "C" fn(
    *mut bindings::kobject,
    *mut bindings::kobj_attribute,
    *mut c_char,
) -> isize;

/// Returns the read-only `struct kobj_attribute` of `attr` whose `show` is `show`.
pub(super) const fn read_only(attr: bindings::attribute, show: Show) -> bindings::kobj_attribute {
    // SAFETY: All-zero is a valid `struct kobj_attribute`: `NULL` functions, and the `attr` that
    // is replaced next.
    let mut raw: bindings::kobj_attribute = unsafe { mem::zeroed() };
    raw.attr = attr;
    // `show`, not `show_const`: C's `__ATTR_RO()` of a handler taking a non-`const` attribute.
    raw.__bindgen_anon_1.show = Some(show);
    raw
}
