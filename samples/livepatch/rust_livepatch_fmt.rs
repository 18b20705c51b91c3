// SPDX-License-Identifier: GPL-2.0

//! Rust live patch sample: patch the kernel crate, which every Rust module uses.
//!
//! Purpose: replace a function of the Rust kernel crate in vmlinux, named by its symbol. This
//! live patch overrides `rust_fmt_argument()` (rust/kernel/print.rs), the `%pA` hook of
//! `vsprintf()`: every `pr_*!` line of a Rust module, and of Rust code in vmlinux, formats its
//! message through it. While the patch is enabled, each such message starts with
//! `[rust_livepatch_fmt] `; the prefix of the line (the module's name) is C's and stays. So does
//! all other Rust output through `%pA`: each `pr_cont!` piece, `dev_*!`, `seq_print!`.
//!
//! Usage, with `test_klp_callbacks_mod.ko` (the Rust port of the selftests' module, which prints
//! its init function's name) as the Rust module that prints:
//!
//! ```text
//! $ insmod test_klp_callbacks_mod.ko && rmmod test_klp_callbacks_mod
//! $ dmesg | tail -2
//! test_klp_callbacks_mod: test_klp_callbacks_mod_init
//! test_klp_callbacks_mod: test_klp_callbacks_mod_exit
//!
//! $ insmod rust_livepatch_fmt.ko
//! $ insmod test_klp_callbacks_mod.ko && rmmod test_klp_callbacks_mod
//! $ dmesg | tail -2
//! test_klp_callbacks_mod: [rust_livepatch_fmt] test_klp_callbacks_mod_init
//! test_klp_callbacks_mod: [rust_livepatch_fmt] test_klp_callbacks_mod_exit
//!
//! $ echo 0 > /sys/kernel/livepatch/rust_livepatch_fmt/enabled
//! $ cat /sys/kernel/livepatch/rust_livepatch_fmt/transition   # until the file is gone
//! $ rmmod rust_livepatch_fmt
//! $ insmod test_klp_callbacks_mod.ko && rmmod test_klp_callbacks_mod
//! $ dmesg | tail -2
//! test_klp_callbacks_mod: test_klp_callbacks_mod_init
//! test_klp_callbacks_mod: test_klp_callbacks_mod_exit
//! ```
//!
//! The replacement must not print: its own output would come back through it.

use core::{
    ffi::{c_char, c_void},
    fmt::{self, Write},
};
use kernel::klp_func;

kernel::module_livepatch! {
    name: "rust_livepatch_fmt",
    authors: ["Rust for Linux Contributors"],
    description: "Rust live patch sample: replace the kernel crate's %pA formatter",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: The target is `char *rust_fmt_argument(char *buf, char *end, void *ptr)`,
            // the `#[no_mangle] unsafe extern "C" fn` of rust/kernel/print.rs that `pointer()` of
            // lib/vsprintf.c calls for `%pA`: C calling convention, raw pointers for the three
            // pointers. `livepatch_rust_fmt_argument` has that type and the same contract, which
            // its `# Safety` states.
            unsafe {
                klp_func!(
                    #[not_in_btf = "a function of the Rust kernel crate: pahole leaves Rust out of BTF"]
                    unsafe fn rust_fmt_argument(*mut c_char, *mut c_char, *const c_void) -> *mut c_char
                        => livepatch_rust_fmt_argument
                )
            },
        ],
    },
}

/// The part of `vsnprintf()`'s buffer that `%pA` may fill: `[pos, end)`.
///
/// As `vsnprintf()` expects of a conversion, a write stores what fits, and moves `pos` by the
/// length of the whole string, so that the caller learns the length the output would need.
///
/// # Invariants
///
/// The bytes from `pos` up to `end` (none if `pos >= end`) are valid for writes.
struct Buffer {
    pos: *mut u8,
    end: *mut u8,
}

impl Write for Buffer {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = (self.end as usize).saturating_sub(self.pos as usize);
        let len = s.len().min(room);
        // `snprintf(NULL, 0, ...)` measures: `pos` may be null, with no room.
        if len > 0 {
            // SAFETY: By the type invariants, the `len <= room` bytes at `pos` are valid for
            // writes; `s` is another object, so the two do not overlap.
            unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), self.pos, len) };
        }
        // INVARIANT: Past `len <= room` bytes, those up to `end` are still valid for writes; past
        // more, there are none before `end`.
        self.pos = self.pos.wrapping_add(s.len());
        Ok(())
    }
}

/// The replacement of `rust_fmt_argument()`: the same output, after a prefix.
///
/// # Safety
///
/// The contract of `%pA`, as the original's: the bytes from `buf` up to `end` are valid for
/// writes, and `ptr` points to a valid `core::fmt::Arguments` (which `pr_*!` passes).
unsafe extern "C" fn livepatch_rust_fmt_argument(
    buf: *mut c_char,
    end: *mut c_char,
    ptr: *const c_void,
) -> *mut c_char {
    // INVARIANT: The caller guarantees that `[buf, end)` is valid for writes.
    let mut out = Buffer {
        pos: buf.cast(),
        end: end.cast(),
    };
    // SAFETY: The caller guarantees that `ptr` points to a valid `fmt::Arguments`.
    let args = unsafe { &*ptr.cast::<fmt::Arguments<'_>>() };
    // A `Buffer` never fails a write; a `Display` implementation that fails ends the message.
    let _ = write!(out, "[rust_livepatch_fmt] {args}");
    out.pos.cast()
}
