// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: syscall transition.
//!
//! The Rust port of `tools/testing/selftests/livepatch/test_modules/test_klp_syscall.c`, with the
//! same name, parameter and sysfs file. It replaces the system call wrapper of `getpid()`; the
//! replacement removes each calling task that is listed in `klp_pids` from the list, and
//! `/sys/kernel/test_klp_syscall/npids` shows how many listed tasks have not called it yet. Used by
//! `test-syscall.sh`, which lists tasks that call `getpid()` in a loop and waits for 0: every one
//! of them has switched to the patched code. Also loaded by `test-livepatch.sh`.

use core::{
    ffi::{c_long, c_void},
    fmt::Write,
};
use kernel::{
    c_str, klp_func,
    kobject::{Attribute, KObject, Show},
    new_mutex,
    prelude::*,
    sync::{Mutex, OnceInit},
};

kernel::module_livepatch! {
    type: TestKlpSyscall,
    name: "test_klp_syscall",
    authors: ["Libor Pechacek <lpechacek@suse.cz>"],
    description: "Livepatch test: syscall transition",
    license: "GPL",
    params: {
        klp_pids: [i32; kernel::cpu::NR_CPUS] {
            default: [],
            description: "Array of pids to be transitioned to livepatched state.",
        },
    },
    objects: {
        vmlinux: [
            // SAFETY: The target is `asmlinkage long __x64_sys_getpid(const struct pt_regs
            // *regs)`, which `SYSCALL_DEFINE0(getpid)` generates in kernel/sys.c and the system
            // call entry calls (`asmlinkage` is the C calling convention on x86_64), with `regs`
            // not used. The entry calls it in process context of the calling task, where taking
            // a mutex and reading `current` are sound.
            unsafe {
                klp_func!(
                    #[not_in_btf = "SYSCALL_DEFINE0 makes it an alias of __do_sys_getpid()"]
                    fn __x64_sys_getpid(*const c_void) -> c_long => lp_sys_getpid
                )
            },
        ],
    },
}

/// The number of the tasks in `klp_pids` that have not called the replacement yet
/// (`npids_pending`). Its lock also serialises the replacement's updates of `klp_pids`, as
/// `kpid_mutex` does in C.
struct Pending(OnceInit<Mutex<usize>>);

static NPIDS_PENDING: Pending = Pending(OnceInit::new());

/// `/sys/kernel/test_klp_syscall/npids` shows the number.
impl Show for Pending {
    fn show(&self, out: &mut dyn Write) -> Result {
        let pending = *self.0.get().ok_or(ENODEV)?.lock();
        writeln!(out, "{pending}")?;
        Ok(())
    }
}

static NPIDS: Attribute = Attribute::new(c_str!("npids"), &NPIDS_PENDING);

/// The replacement of `__x64_sys_getpid()`: the original's result, `task_tgid_vnr(current)`,
/// after removing the calling task from `klp_pids`.
extern "C" fn lp_sys_getpid(_regs: *const c_void) -> c_long {
    let pids = &module_parameters::klp_pids;
    if let Some(pending) = NPIDS_PENDING.0.get() {
        let mut pending = pending.lock();
        if *pending > 0 {
            let pid = current!().pid();
            if let Some(i) = pids.iter().position(|p| p == pid) {
                pids.set_at(i, 0);
                *pending -= 1;
            }
        }
    }
    current!().pid_in_current_ns().into()
}

struct TestKlpSyscall {
    _kobj: KObject,
}

impl kernel::Module for TestKlpSyscall {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // All the tasks given are pending until they call the replacement. `klp_pids` has no
        // sysfs file: its length, the C module's `npids`, does not change.
        NPIDS_PENDING
            .0
            .init(new_mutex!(module_parameters::klp_pids.len(), "kpid_mutex"))?;
        // SAFETY: The kobject is kept in the module's data, dropped when the module is removed;
        // `NPIDS` is a `static`.
        let kobj = unsafe { KObject::new_in_kernel(c_str!("test_klp_syscall"), &[&NPIDS]) }?;
        Ok(Self { _kobj: kobj })
    }
}
