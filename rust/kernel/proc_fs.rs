// SPDX-License-Identifier: GPL-2.0

//! Files in `/proc`.
//!
//! A [`ProcEntry`] is a file of `/proc` whose content one function writes each time the file is
//! read, as C modules make with `proc_create_single()`.
//!
//! Not with kCFI (`CONFIG_CFI_CLANG`, `CONFIG_CFI`): the type hash of a [`ShowFn`], which takes a
//! `&SeqFile`, is not the one of the C `show` the seq file core calls through.
//!
//! C header: [`include/linux/proc_fs.h`](srctree/include/linux/proc_fs.h)

use crate::{
    bindings,
    ffi::{c_int, c_void},
    prelude::*,
    seq_file::SeqFile,
};
use core::ptr::NonNull;

/// The function of a [`ProcEntry`]: writes the content of the file to `m`.
///
/// It is the `show` of `single_open()`, with its C ABI: `v` is unused. So it is the very function
/// the kernel calls, which a live patch can replace by its name.
pub type ShowFn = extern "C" fn(m: &SeqFile, v: *mut c_void) -> c_int;

/// A file in `/proc` whose content a [`ShowFn`] writes (`proc_create_single()`).
///
/// It is removed when dropped (`proc_remove()`, which waits for the reads in progress): after that
/// its function is not running and will not run. Nothing else removes it: the file of a
/// `ProcEntry` that is leaked calls the code of its module after it is unloaded. So creating one is
/// `unsafe`: a module keeps it in its module data, which is dropped when the module is unloaded.
///
/// # Invariants
///
/// `self.0` is an entry made by `proc_create_single_data()` and not removed yet.
pub struct ProcEntry(NonNull<bindings::proc_dir_entry>);

// SAFETY: The entry is only removed, once, by `drop`, which `proc_remove()` allows from any task.
unsafe impl Send for ProcEntry {}
// SAFETY: There is nothing to do with a `&ProcEntry`.
unsafe impl Sync for ProcEntry {}

impl ProcEntry {
    /// Creates `/proc/<name>`, readable by all, whose content `show` writes.
    ///
    /// Fails with `EINVAL` for a name that is not one of a file of `/proc` (empty, `.`, `..`,
    /// digits only, which are the pids, a `/`, more than 255 bytes), and with `ENOMEM`.
    ///
    /// # Safety
    ///
    /// The entry must be dropped before the module that holds `show` is unloaded: keep it in the
    /// module data. No other entry of `/proc` may have the name (the kernel warns then).
    #[cfg(not(any(CONFIG_CFI_CLANG, CONFIG_CFI)))]
    pub unsafe fn new(name: &CStr, show: ShowFn) -> Result<Self> {
        let bytes = name.to_bytes();
        if bytes.is_empty()
            || bytes == b"."
            || bytes == b".."
            || bytes.iter().all(u8::is_ascii_digit)
            || bytes.contains(&b'/')
            || bytes.len() > 255
        {
            return Err(EINVAL);
        }
        // SAFETY: `ShowFn` has the ABI of `int (*)(struct seq_file *, void *)`: `&SeqFile` is a
        // transparent pointer to a `struct seq_file`, which the seq file core passes valid. Without
        // kCFI (see the module documentation) the call checks nothing more.
        let show = unsafe {
            core::mem::transmute::<
                ShowFn,
                unsafe extern "C" fn(*mut bindings::seq_file, *mut c_void) -> c_int,
            >(show)
        };
        // SAFETY: `name` is a valid string, which the call copies, and the name of a file of
        // `/proc` that no other entry has (checked above, and the safety requirements); `show`
        // lives as long as the entry by the safety requirements.
        let pde = unsafe {
            bindings::proc_create_single_data(
                name.as_char_ptr(),
                0,
                core::ptr::null_mut(),
                Some(show),
                core::ptr::null_mut(),
            )
        };
        // INVARIANT: `pde` was made by `proc_create_single_data()` if it is not `NULL`.
        NonNull::new(pde).map(Self).ok_or(ENOMEM)
    }
}

impl Drop for ProcEntry {
    fn drop(&mut self) {
        // SAFETY: By the type invariant, `self.0` is an entry that was not removed yet.
        unsafe { bindings::proc_remove(self.0.as_ptr()) };
    }
}
