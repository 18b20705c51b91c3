// SPDX-License-Identifier: GPL-2.0

//! Formatted text into a kernel page buffer: the `show` of a module parameter or a sysfs file.

use crate::ffi::{c_char, c_int};
use core::fmt::{self, Write};

/// Writes formatted text into the `PAGE_SIZE` buffer of a `kernel_param_ops.get` call or of a
/// sysfs `show` call, cutting it short as `scnprintf()` and `sysfs_emit()` do.
///
/// # Invariants
///
/// `buffer` is writable for `PAGE_SIZE` bytes while the writer exists, and `len < PAGE_SIZE`
/// bytes of it are written.
pub(crate) struct PageWriter {
    buffer: *mut u8,
    len: usize,
}

impl PageWriter {
    /// Writes into `buffer`, from its start.
    ///
    /// # Safety
    ///
    /// `buffer` must be writable for `PAGE_SIZE` bytes while the writer is used.
    pub(crate) unsafe fn new(buffer: *mut c_char) -> Self {
        // INVARIANT: By the safety requirements; nothing is written yet.
        Self {
            buffer: buffer.cast(),
            len: 0,
        }
    }

    /// Returns the number of bytes written, what the `show` returns.
    pub(crate) fn len(&self) -> c_int {
        // `len < PAGE_SIZE` by the type invariant, which fits.
        self.len as c_int
    }
}

impl Write for PageWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // Keep one byte for the NUL the callers of `get` do not need but `scnprintf()` leaves.
        let n = s.len().min(crate::page::PAGE_SIZE - 1 - self.len);
        // SAFETY: `len + n < PAGE_SIZE`, the size the buffer is writable for by the type
        // invariant, and `s` cannot overlap the kernel's page buffer.
        unsafe {
            core::ptr::copy_nonoverlapping(s.as_ptr(), self.buffer.add(self.len), n);
        }
        // INVARIANT: `len + n < PAGE_SIZE` bytes are written.
        self.len += n;
        Ok(())
    }
}
