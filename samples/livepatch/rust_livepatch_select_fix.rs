// SPDX-License-Identifier: GPL-2.0

//! Rust live patch sample: an upstream fix, carried to a kernel that lacks it.
//!
//! Purpose: fix a bug of the running kernel as upstream fixed it. `select(2)` must fail with
//! `EINVAL` for a timeout with a negative component, as POSIX says. `kern_select()` of
//! fs/select.c adds the microseconds to the seconds before it checks, so `{1, -1000000}`, which
//! adds up to 0, is taken for a zero timeout and the call returns 0; and a crafted negative
//! `tv_sec` can wrap to a valid, endless timeout. Upstream fixed it with "fs/select: reject
//! negative timeval components in kern_select()" (in mainline by 7.3), which returns
//! `-EINVAL` before the sum; Linux 6.12.117 does not have it.
//!
//! `kern_select()` is inlined into `__x64_sys_select()`, the wrapper of
//! `SYSCALL_DEFINE5(select, ...)`, so this patch replaces the wrapper with a Rust `kern_select()`
//! that carries the fix. It calls the functions the original calls, which fs/select.c does not
//! export: `core_sys_select()`, `poll_select_set_timeout()` and the static `poll_select_finish()`,
//! declared with `klp_extern!`. Only for Linux 6.12, whose `kern_select()` this is.
//!
//! Usage, with the reproducer `test_klp_rust-select` (tools/testing/selftests/livepatch/), which
//! makes the system call with the timeout `{1, -1000000}`, then three calls that must work either
//! way:
//!
//! ```text
//! $ ./test_klp_rust-select
//! select(0, NULL, NULL, NULL, {1, -1000000}) = 0
//! select(0, NULL, NULL, NULL, {0, 1000}) = 0, {0, 0} left
//! select(0, NULL, NULL, NULL, 1) = -1 EFAULT (Bad address)
//! select(pipe + 1, {pipe}, NULL, NULL, NULL) = 1, pipe readable
//!
//! $ insmod rust_livepatch_select_fix.ko
//! $ ./test_klp_rust-select
//! select(0, NULL, NULL, NULL, {1, -1000000}) = -1 EINVAL (Invalid argument)
//! select(0, NULL, NULL, NULL, {0, 1000}) = 0, {0, 0} left
//! select(0, NULL, NULL, NULL, 1) = -1 EFAULT (Bad address)
//! select(pipe + 1, {pipe}, NULL, NULL, NULL) = 1, pipe readable
//!
//! $ echo 0 > /sys/kernel/livepatch/rust_livepatch_select_fix/enabled
//! $ cat /sys/kernel/livepatch/rust_livepatch_select_fix/transition   # until the file is gone
//! $ rmmod rust_livepatch_select_fix
//! $ ./test_klp_rust-select | head -1
//! select(0, NULL, NULL, NULL, {1, -1000000}) = 0
//! ```

use core::{
    ffi::{c_int, c_long, c_void},
    mem::size_of,
    ptr,
};
use kernel::{
    klp_func,
    livepatch::SyscallRegs,
    prelude::*,
    uaccess::{UserPtr, UserSlice},
};

kernel::module_livepatch! {
    name: "rust_livepatch_select_fix",
    authors: ["Rust for Linux Contributors"],
    description: "Rust live patch sample: select() fails for a negative timeout",
    license: "GPL",
    objects: {
        vmlinux: [
            // SAFETY: The target is `long __x64_sys_select(const struct pt_regs *regs)`, which
            // `SYSCALL_DEFINE5(select, ...)` generates in fs/select.c and the system call entry
            // calls with the task's saved registers, in process context of the calling task;
            // `livepatch_sys_select` has that ABI (`&SyscallRegs` is the pointer).
            unsafe { klp_func!(fn __x64_sys_select(&SyscallRegs) -> c_long => livepatch_sys_select) },
        ],
    },
}

/// `struct timespec64` of include/linux/time64.h: `time64_t tv_sec; long tv_nsec;`.
#[repr(C)]
struct Timespec64 {
    tv_sec: i64,
    tv_nsec: c_long,
}

/// `PT_TIMEVAL` of `enum poll_time_type` in fs/select.c: the timeout is a `struct
/// __kernel_old_timeval`.
const PT_TIMEVAL: c_int = 0;

const USEC_PER_SEC: i64 = 1_000_000;
const NSEC_PER_USEC: i64 = 1_000;

kernel::klp_extern! {
    vmlinux {
        /// `int core_sys_select(int n, fd_set __user *inp, fd_set __user *outp,
        /// fd_set __user *exp, struct timespec64 *end_time)` of fs/select.c.
        fn core_sys_select(
            n: c_int,
            inp: *mut c_void,
            outp: *mut c_void,
            exp: *mut c_void,
            end_time: *mut Timespec64,
        ) -> c_int;
        /// `int poll_select_set_timeout(struct timespec64 *to, time64_t sec, long nsec)` of
        /// fs/select.c.
        fn poll_select_set_timeout(to: *mut Timespec64, sec: i64, nsec: c_long) -> c_int;
        /// `static int poll_select_finish(struct timespec64 *end_time, void __user *p,
        /// enum poll_time_type pt_type, int ret)` of fs/select.c.
        fn poll_select_finish(
            end_time: *mut Timespec64,
            p: *mut c_void,
            pt_type: c_int,
            ret: c_int,
        ) -> c_int;
    }
}

/// The replacement of `__x64_sys_select()`: the casts of `SYSCALL_DEFINE5(select, int, n,
/// fd_set __user *, inp, fd_set __user *, outp, fd_set __user *, exp,
/// struct __kernel_old_timeval __user *, tvp)`, then [`kern_select`].
extern "C" fn livepatch_sys_select(regs: &SyscallRegs) -> c_long {
    let [n, inp, outp, exp, tvp, _] = regs.args();
    match kern_select(
        n as c_int,
        inp as *mut c_void,
        outp as *mut c_void,
        exp as *mut c_void,
        tvp as UserPtr,
    ) {
        Ok(ret) => ret.into(),
        Err(e) => e.to_errno().into(),
    }
}

/// `kern_select()` of 6.12's fs/select.c, with the upstream fix.
fn kern_select(
    n: c_int,
    inp: *mut c_void,
    outp: *mut c_void,
    exp: *mut c_void,
    tvp: UserPtr,
) -> Result<c_int> {
    let mut end_time = Timespec64 {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let mut to = ptr::null_mut();
    if tvp != 0 {
        // `struct __kernel_old_timeval`: `__kernel_long_t tv_sec, tv_usec;`.
        let [tv_sec, tv_usec]: [i64; 2] =
            UserSlice::new(tvp, size_of::<[i64; 2]>()).reader().read()?;
        // The fix: reject negative components before the sum.
        if tv_sec < 0 || tv_usec < 0 {
            return Err(EINVAL);
        }
        // A sum that overflows wraps in C, to a negative time that the check below refuses.
        let sec = tv_sec.checked_add(tv_usec / USEC_PER_SEC).ok_or(EINVAL)?;
        to = &raw mut end_time;
        // SAFETY: `poll_select_set_timeout` is declared as fs/select.c defines it; `to` points
        // to `end_time`, which lives until the end of this function.
        if unsafe { poll_select_set_timeout(to, sec, (tv_usec % USEC_PER_SEC) * NSEC_PER_USEC) }
            != 0
        {
            return Err(EINVAL);
        }
    }
    // SAFETY: `core_sys_select` is declared as fs/select.c defines it. The three sets are user
    // pointers, which it copies from and to with the user access functions; `to` is null or
    // points to `end_time`, as the original passes them.
    let ret = unsafe { core_sys_select(n, inp, outp, exp, to) };
    // SAFETY: `poll_select_finish` is declared as fs/select.c defines it: `end_time` is the
    // deadline above (not read if `tvp` is null, as in the original), `tvp` the user pointer it
    // writes the time left to, `PT_TIMEVAL` its type.
    Ok(unsafe { poll_select_finish(&raw mut end_time, tvp as *mut c_void, PT_TIMEVAL, ret) })
}
