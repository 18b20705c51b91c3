// SPDX-License-Identifier: GPL-2.0

//! The cost of the ftrace entry of CONFIG_RUST_FTRACE_ENTRIES on an unpatched call: a user-space
//! measurement on the host CPU (a guest under TCG does not run x86 instructions at their cost).
//!
//! Two copies of one function, one with the 5-byte NOP entry that every kernel Rust function has
//! (its `__fentry__` call, which objtool turns into that NOP), here made with
//! `patchable_function_entry`, one without, are called in a dependent chain, in alternating rounds
//! in one run; the best round of each is reported.
//!
//! Usage: `make bench`, or
//! `RUSTC_BOOTSTRAP=1 rustc -O -Zcf-protection=branch -Zmerge-functions=disabled
//! ftrace_entry_cost.rs && ./ftrace_entry_cost`.

#![feature(patchable_function_entry)]

use std::hint::black_box;
use std::time::Instant;

const CALLS: u64 = 200_000_000;
const ROUNDS: usize = 10;

#[inline(never)]
#[patchable_function_entry(prefix_nops = 0, entry_nops = 5)]
fn padded(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(7)
}

#[inline(never)]
fn unpadded(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(7)
}

/// Returns the nanoseconds per call of `f`, over `CALLS` calls that each depend on the last.
fn round(f: fn(u64) -> u64) -> f64 {
    let f = black_box(f);
    let start = Instant::now();
    let mut x = black_box(1u64);
    for i in 0..CALLS {
        x = f(x ^ i);
    }
    black_box(x);
    start.elapsed().as_nanos() as f64 / CALLS as f64
}

fn main() {
    // Direct calls: the closures inline into `round`'s loop, the functions do not.
    let (mut best_padded, mut best_unpadded) = (f64::MAX, f64::MAX);
    for _ in 0..ROUNDS {
        best_padded = best_padded.min(round(|x| padded(x)));
        best_unpadded = best_unpadded.min(round(|x| unpadded(x)));
    }
    println!(
        "unpatched call, best of {ROUNDS} rounds of {CALLS} calls: padded {best_padded:.3} ns, \
         unpadded {best_unpadded:.3} ns, padded/unpadded {:.3}",
        best_padded / best_unpadded
    );
}
