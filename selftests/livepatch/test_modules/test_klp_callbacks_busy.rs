// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: busy target module.
//!
//! The Rust port of `test_klp_callbacks_busy.c`, with the same name, parameter and output. Its
//! init queues a work item whose function, [`busymod_work_func`], sleeps while the parameter
//! `block_transition` is set, which holds up a patching transition of `test_klp_callbacks_demo`,
//! which replaces that function. Used by `test-callbacks.sh`.
//!
//! A Rust function can only be replaced with `CONFIG_RUST_FTRACE_ENTRIES`; without it the patch
//! fails to find an ftrace location for it.

use kernel::{
    new_condvar, new_mutex, new_work,
    prelude::*,
    sync::{Arc, CondVar, Mutex},
    time::msecs_to_jiffies,
    workqueue::{self, impl_has_work, Work, WorkItem},
};

module! {
    type: CallbacksBusy,
    name: "test_klp_callbacks_busy",
    authors: ["Joe Lawrence <joe.lawrence@redhat.com>"],
    description: "Livepatch test: busy target module",
    license: "GPL",
    params: {
        block_transition: bool {
            default: false,
            permissions: 0o644,
            description: "block_transition (default=false)",
        },
    },
}

/// The work item, and whether its function has started (`busymod_work_started` in C).
#[pin_data]
struct Busy {
    #[pin]
    work: Work<Busy>,
    #[pin]
    started: Mutex<bool>,
    #[pin]
    wake: CondVar,
}

impl_has_work! {
    impl HasWork<Self> for Busy { self.work }
}

impl WorkItem for Busy {
    type Pointer = Arc<Busy>;

    fn run(this: Arc<Busy>) {
        busymod_work_func(&this);
    }
}

/// The work function, the one `test_klp_callbacks_demo` replaces: C calling convention and a
/// pointer parameter, as `static void busymod_work_func(struct work_struct *work)` in C.
#[no_mangle]
#[inline(never)]
extern "C" fn busymod_work_func(busy: &Busy) {
    pr_info!("busymod_work_func enter\n");
    let mut started = busy.started.lock();
    *started = true;
    busy.wake.notify_all();

    // Sleep in rounds of 20 ms until the sysfs writer clears the flag.
    while module_parameters::block_transition.value() {
        let _ = busy
            .wake
            .wait_interruptible_timeout(&mut started, msecs_to_jiffies(20));
    }
    drop(started);
    pr_info!("busymod_work_func exit\n");
}

struct CallbacksBusy {
    busy: Arc<Busy>,
}

impl kernel::Module for CallbacksBusy {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("test_klp_callbacks_busy_init\n");
        let busy = Arc::pin_init(
            pin_init!(Busy {
                work <- new_work!("Busy::work"),
                started <- new_mutex!(false),
                wake <- new_condvar!(),
            }),
            GFP_KERNEL,
        )?;
        // Not queued yet, so this queues it.
        let _ = workqueue::system().enqueue(busy.clone());

        // To order the kernel messages, wait until the work function has logged its entry, and
        // if it does not block, until it is done.
        let mut started = busy.started.lock();
        while !*started {
            busy.wake.wait(&mut started);
        }
        drop(started);
        if !module_parameters::block_transition.value() {
            busy.work.flush();
        }
        Ok(Self { busy })
    }
}

impl Drop for CallbacksBusy {
    fn drop(&mut self) {
        module_parameters::block_transition.set(false);
        // No work function runs the module's code once it is gone.
        self.busy.work.flush();
        pr_info!("test_klp_callbacks_busy_exit\n");
    }
}
