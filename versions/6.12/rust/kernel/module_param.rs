// SPDX-License-Identifier: GPL-2.0

//! Module parameters.
//!
//! The `struct kernel_param` entries behind the `params` of [`module!`](crate::prelude::module),
//! which is how modules declare them, and their storage (see [`ParamValue`] and [`ParamArray`]).
//!
//! This is the 6.12 backport of the file of the same name upstream has since 6.19, with the
//! names it has there; the storage is the same on both.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h)

use crate::bindings;

/// A module parameter's entry in the `__param` section (`struct kernel_param`), through which the
/// kernel finds, sets and shows it.
///
/// Unlike upstream's (7.x), whose `new` is safe, making one is `unsafe` here: the kernel trusts
/// every entry of the section.
///
/// # Invariants
///
/// `self.0` was made by [`kernel_param`]: its `arg` points to the `'static` storage its `ops` were
/// made for, and its permissions are valid.
#[repr(transparent)]
pub struct KernelParam(bindings::kernel_param);

impl KernelParam {
    /// Wraps `val`, for [`module!`](crate::prelude::module).
    ///
    /// # Safety
    ///
    /// `val` must have been returned by [`kernel_param`], whose safety requirements were met.
    #[doc(hidden)]
    pub const unsafe fn new(val: bindings::kernel_param) -> Self {
        // INVARIANT: By the safety requirements.
        Self(val)
    }
}

// SAFETY: The entry is never written after compile time; the kernel only reads it (the section
// is read-only in C). The storage it points to is a `ParamStorage`, which is `Sync`, by the type
// invariant.
unsafe impl Sync for KernelParam {}

mod storage;
pub(crate) use storage::PageWriter;
pub use storage::{kernel_param, ParamArray, ParamStorage, ParamType, ParamValue};
