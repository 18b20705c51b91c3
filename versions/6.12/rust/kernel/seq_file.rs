// SPDX-License-Identifier: GPL-2.0

//! Seq files: sequential text output of `/proc` and `debugfs` files.
//!
//! C header: [`include/linux/seq_file.h`](srctree/include/linux/seq_file.h)

use crate::{bindings, c_str, types::Opaque};
use core::{ffi::c_void, fmt};

/// The output buffer of a seq file, as seen by a `show` callback.
///
/// A `&SeqFile` has the ABI of a `struct seq_file *`, so it can stand for that parameter in the
/// signature of an `extern "C"` function that C calls.
///
/// # Invariants
///
/// The inner `struct seq_file` is valid and, while a `&SeqFile` exists, is only written to through
/// it by the thread that holds it (the seq file core serialises `show` calls under
/// `seq_file.lock`).
#[repr(transparent)]
pub struct SeqFile(Opaque<bindings::seq_file>);

impl SeqFile {
    /// Borrows a [`SeqFile`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// For the lifetime `'a`, `ptr` must point at a valid `struct seq_file` that no other thread
    /// writes to.
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::seq_file) -> &'a SeqFile {
        // SAFETY: `SeqFile` is a transparent wrapper of `struct seq_file`, and the caller
        // guarantees the invariants for `'a`.
        unsafe { &*ptr.cast::<SeqFile>() }
    }

    /// Appends formatted text to the seq file; use it through [`seq_print!`].
    ///
    /// Like `seq_printf()`, output that does not fit marks the seq file as overflowed and the core
    /// calls `show` again with a larger buffer, so nothing is reported here.
    ///
    /// [`seq_print!`]: crate::seq_print
    pub fn write_fmt(&self, args: fmt::Arguments<'_>) {
        // SAFETY: By the type invariant `self.0` is a valid `struct seq_file` that only this
        // thread writes to. `%pA` takes a pointer to a `fmt::Arguments`, which lives for the call.
        unsafe {
            bindings::seq_printf(
                self.0.get(),
                c_str!("%pA").as_char_ptr(),
                core::ptr::from_ref(&args).cast::<c_void>(),
            )
        };
    }
}

/// Prints to a [`SeqFile`] with the syntax of [`format_args!`].
///
/// # Examples
///
/// ```
/// use kernel::{seq_file::SeqFile, seq_print};
///
/// fn show(m: &SeqFile, count: u32) {
///     seq_print!(m, "count: {}\n", count);
/// }
/// ```
#[macro_export]
macro_rules! seq_print {
    ($m:expr, $($arg:tt)+) => {
        $crate::seq_file::SeqFile::write_fmt($m, ::core::format_args!($($arg)+))
    };
}
