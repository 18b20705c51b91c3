// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: patch Rust functions, named by their Rust paths.
//!
//! Replaces the Rust functions of `test_klp_rust_ftrace_target`, a function with a mangled
//! symbol, an inherent method, a `#[no_mangle]` function and one that sleeps, and, in vmlinux,
//! `<kernel::error::Error as Debug>::fmt` of the `kernel` crate. Used by `test-rust-ftrace.sh`.

use core::{
    fmt,
    sync::atomic::{AtomicU32, Ordering},
};
use kernel::error::Error;

kernel::module_livepatch! {
    name: "test_klp_rust_ftrace",
    authors: ["Rust for Linux Contributors"],
    description: "Livepatch test: patch Rust functions",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: `error_fmt` is safe and has the type of the target, as the macro checks;
            // the target is not `#[track_caller]`.
            unsafe {
                kernel::klp_rust_func!(
                    <kernel::error::Error as core::fmt::Debug>::fmt => error_fmt
                )
            },
        ],
        "test_klp_rust_ftrace_target": [
            // SAFETY: The target is the safe `fn answer() -> u32`, as `answer` is.
            unsafe { kernel::klp_rust_func!("test_klp_rust_ftrace_target::answer" => answer) },
            // SAFETY: The target is the safe `fn next(&self) -> u32` of `Counter`, a struct whose
            // only field is an `AtomicU32`; `counter_next` takes a reference to that `AtomicU32`
            // (the same pointer to the same data) and returns a `u32`.
            unsafe {
                kernel::klp_rust_func!(
                    "test_klp_rust_ftrace_target::Counter::next" => counter_next
                )
            },
            // SAFETY: The target is the safe `#[no_mangle] fn(&mut dyn fmt::Write) -> fmt::Result`,
            // as `greeting` is.
            unsafe {
                kernel::klp_rust_func!("test_klp_rust_ftrace_target_greeting" => greeting)
            },
            // SAFETY: The target is the safe `fn nap(&mut dyn fmt::Write) -> fmt::Result`, as
            // `nap` is.
            unsafe { kernel::klp_rust_func!("test_klp_rust_ftrace_target::nap" => nap) },
        ],
    },
}

fn error_fmt(error: &Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "patched error {}", error.to_errno())
}

fn answer() -> u32 {
    1042
}

fn counter_next(count: &AtomicU32) -> u32 {
    count.fetch_add(1, Ordering::Relaxed) + 1001
}

fn greeting(out: &mut dyn fmt::Write) -> fmt::Result {
    out.write_str("hello from the patch")
}

fn nap(out: &mut dyn fmt::Write) -> fmt::Result {
    out.write_str("nap: patched")
}
