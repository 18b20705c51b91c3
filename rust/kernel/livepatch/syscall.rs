// SPDX-License-Identifier: GPL-2.0

//! The arguments of a system call, for a replacement of its wrapper: [`SyscallRegs`].
//!
//! C header: [`arch/x86/include/asm/syscall_wrapper.h`](srctree/arch/x86/include/asm/syscall_wrapper.h)

use crate::{ffi::c_ulong, types::Opaque};

/// The registers of a task that the system call entry saved, as the wrapper of a system call
/// receives them: `const struct pt_regs *regs` of `__x64_sys_<name>()`.
///
/// `SYSCALL_DEFINEn(name, ...)` makes `__x64_sys_<name>()` the function that the entry calls
/// (the one a live patch replaces, as the rest is inlined into it); it reads the arguments from
/// the registers and casts each to its parameter's type. A replacement of it, an `extern "C" fn`
/// taking `&SyscallRegs`, gets the arguments from [`SyscallRegs::args`] and makes the casts.
///
/// Only x86_64 is supported, whose entry passes the arguments in `di`, `si`, `dx`, `r10`, `r8` and
/// `r9`, and only its `__x64_sys_<name>()` wrappers: the 32-bit ones, `__ia32_sys_<name>()`, take a
/// `struct pt_regs` too, but read other registers, which [`SyscallRegs::args`] does not return.
///
/// # Examples
///
/// ```
/// use kernel::{ffi::c_long, livepatch::SyscallRegs, prelude::*};
///
/// /// A replacement of `__x64_sys_dup()`, the wrapper of `SYSCALL_DEFINE1(dup, unsigned int,
/// /// fildes)`, that refuses every descriptor.
/// extern "C" fn sys_dup(regs: &SyscallRegs) -> c_long {
///     let [fildes, ..] = regs.args();
///     // The cast of `SYSCALL_DEFINE1`: the low 32 bits.
///     let _fildes = fildes as u32;
///     EBADF.to_errno() as c_long
/// }
/// ```
#[repr(transparent)]
pub struct SyscallRegs(Opaque<bindings::pt_regs>);

impl SyscallRegs {
    /// Returns the six argument registers of the system call, in the order of its parameters.
    ///
    /// A system call of fewer parameters leaves the rest as the task had them. Each is the full
    /// register: as `SYSCALL_DEFINEn` does, a replacement casts it to its parameter's type (`as
    /// i32` for an `int`, `as usize` for a user pointer, ...).
    pub fn args(&self) -> [c_ulong; 6] {
        let regs = self.0.get();
        // SAFETY: `self` refers to the `struct pt_regs` the entry saved for the current task,
        // which is valid for the call. Only the current task writes it meanwhile (`execve()`,
        // `rt_sigreturn()`; ptrace only once the task is stopped), not while this reads; the
        // fields are plain integers, read through the `Opaque`.
        unsafe {
            [
                (*regs).di,
                (*regs).si,
                (*regs).dx,
                (*regs).r10,
                (*regs).r8,
                (*regs).r9,
            ]
        }
    }
}
