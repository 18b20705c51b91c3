// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a Rust module whose Rust functions are patched.
//!
//! The target of `test_klp_rust_ftrace`, used by `test-rust-ftrace.sh`. Each file of
//! `/sys/kernel/test_klp_rust_ftrace_target/` shows what one Rust function returns:
//!
//! - `answer`: [`answer`], a function with a mangled symbol;
//! - `counter`: [`Counter::next`] of a counter of the reads, an inherent method;
//! - `greeting`: [`test_klp_rust_ftrace_target_greeting`], a `#[no_mangle]` function;
//! - `nap`: [`nap`], which sleeps while the parameter `nap_block` is set;
//! - `error`: the `Debug` text of `EINVAL`, which a function of the `kernel` crate (in vmlinux)
//!   writes.
//!
//! A live patch redirects calls: the functions are `#[inline(never)]`, since an inlined copy is
//! not called, and the constant results go through `black_box`, since a caller may otherwise use
//! the result the compiler worked out instead of calling the function.

use core::{
    fmt::{self, Write},
    hint::black_box,
    sync::atomic::{AtomicU32, Ordering},
};
use kernel::{
    c_str,
    kobject::{Attribute, KObject},
    new_condvar, new_mutex,
    prelude::*,
    sync::CondVarTimeoutResult,
    time::msecs_to_jiffies,
};

module! {
    type: Target,
    name: "test_klp_rust_ftrace_target",
    authors: ["Rust for Linux Contributors"],
    description: "Livepatch test: Rust functions to patch",
    license: "GPL",
    params: {
        nap_block: bool {
            default: false,
            permissions: 0o644,
            description: "nap() sleeps while this is set",
        },
    },
}

/// Returns the answer.
#[inline(never)]
pub fn answer() -> u32 {
    black_box(42)
}

/// A counter.
pub struct Counter(AtomicU32);

impl Counter {
    /// Counts one more and returns the count.
    #[inline(never)]
    pub fn next(&self) -> u32 {
        self.0.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// Writes a greeting; its symbol is its name (the Rust ABI is explicit only for Clippy).
///
/// The text is written, not returned as a `&'static str`: a patch must not hand its callers a
/// borrow of its own module, which they could keep after it is removed.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn test_klp_rust_ftrace_target_greeting(out: &mut dyn Write) -> fmt::Result {
    out.write_str(black_box("hello from Rust"))
}

/// Sleeps while the parameter `nap_block` is set, or until a signal comes, and writes which.
#[inline(never)]
pub fn nap(out: &mut dyn Write) -> fmt::Result {
    // A condition variable that nobody notifies: a sleep of 10 ms per round.
    let lock = KBox::pin_init(new_mutex!(()), GFP_KERNEL).map_err(|_| fmt::Error)?;
    let wake = KBox::pin_init(new_condvar!(), GFP_KERNEL).map_err(|_| fmt::Error)?;
    let mut guard = lock.lock();
    while module_parameters::nap_block.value() {
        let timeout = msecs_to_jiffies(10);
        if let CondVarTimeoutResult::Signal { .. } =
            wake.wait_interruptible_timeout(&mut guard, timeout)
        {
            return out.write_str(black_box("nap: interrupted"));
        }
    }
    out.write_str(black_box("nap: done"))
}

static COUNTER: Counter = Counter(AtomicU32::new(0));

fn answer_show(out: &mut dyn Write) -> Result {
    Ok(writeln!(out, "{}", answer())?)
}

fn counter_show(out: &mut dyn Write) -> Result {
    Ok(writeln!(out, "{}", COUNTER.next())?)
}

fn greeting_show(out: &mut dyn Write) -> Result {
    test_klp_rust_ftrace_target_greeting(out)?;
    Ok(writeln!(out)?)
}

fn nap_show(out: &mut dyn Write) -> Result {
    nap(out)?;
    Ok(writeln!(out)?)
}

fn error_show(out: &mut dyn Write) -> Result {
    Ok(writeln!(out, "{:?}", EINVAL)?)
}

static ANSWER: Attribute = Attribute::new(c_str!("answer"), &answer_show);
static COUNTER_FILE: Attribute = Attribute::new(c_str!("counter"), &counter_show);
static GREETING: Attribute = Attribute::new(c_str!("greeting"), &greeting_show);
static NAP: Attribute = Attribute::new(c_str!("nap"), &nap_show);
static ERROR: Attribute = Attribute::new(c_str!("error"), &error_show);

struct Target {
    _kobj: KObject,
}

impl kernel::Module for Target {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // SAFETY: The kobject is kept in the module's data, dropped when the module is removed;
        // the attributes are `static`s.
        let kobj = unsafe {
            KObject::new_in_kernel(
                c_str!("test_klp_rust_ftrace_target"),
                &[&ANSWER, &COUNTER_FILE, &GREETING, &NAP, &ERROR],
            )
        }?;
        Ok(Self { _kobj: kobj })
    }
}
