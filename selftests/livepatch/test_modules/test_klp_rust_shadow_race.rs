// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: two contexts attach shadow variables to the same objects at once.
//!
//! The init and a work item on another CPU go through the same objects in lockstep, each calling
//! [`Shadow::alloc`] on every object at the same time as the other. For each object exactly one
//! of them must attach a variable and the other get `EEXIST`, without the core's warning for a
//! duplicate variable (a panic with `panic_on_warn`). The init logs the counts, fails with
//! `EINVAL` unless every object has one variable, attached by one of the two, then frees the
//! variables. Used by `test-rust-shadow-api.sh`, and loaded in a loop by `test-rust-soak.sh`.

use core::hint::spin_loop;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use kernel::livepatch::{Shadow, ShadowId};
use kernel::sync::Arc;
use kernel::workqueue::{self, impl_has_work, Work, WorkItem};
use kernel::{ffi::c_ulong, new_condvar, new_mutex, new_work, prelude::*};

module! {
    type: ShadowRace,
    name: "test_klp_rust_shadow_race",
    description: "Livepatch test: concurrent shadow variable allocation",
    license: "GPL",
}

/// The number of objects, each raced for once.
const OBJECTS: usize = 2000;

/// The objects: only their addresses matter.
static OBJECT: [u64; OBJECTS] = [0; OBJECTS];

/// How many times the two contexts arrived at the start of a round, two per round.
static ARRIVED: AtomicUsize = AtomicUsize::new(0);

/// The counts of the work item.
static WORKER: Counts = Counts::new();

/// The work item that races the init.
#[pin_data]
struct Worker {
    #[pin]
    work: Work<Worker>,
}

impl_has_work! {
    impl HasWork<Self> for Worker { self.work }
}

impl WorkItem for Worker {
    type Pointer = Arc<Worker>;

    fn run(_this: Arc<Worker>) {
        race(2, &WORKER);
    }
}

/// A shadow variable of an object: the number of the context that attached it.
struct Owner;

// SAFETY: Id 0x7e570004 is only used here, for `AtomicU32`s attached to `u64`s; the data refers to
// nothing and has no destructor.
#[vtable]
unsafe impl ShadowId for Owner {
    const ID: c_ulong = 0x7e57_0004;
    type Object = u64;
    type Data = AtomicU32;
}

/// What one context got from `Shadow::alloc`.
struct Counts {
    attached: AtomicUsize,
    refused: AtomicUsize,
    failed: AtomicUsize,
}

impl Counts {
    const fn new() -> Self {
        Self {
            attached: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
        }
    }

    fn get(&self) -> [usize; 3] {
        [&self.attached, &self.refused, &self.failed].map(|c| c.load(Ordering::Acquire))
    }
}

/// Sleeps for a jiffy (not at all if out of memory).
fn nap() {
    let (Ok(lock), Ok(wake)) = (
        KBox::pin_init(new_mutex!(()), GFP_KERNEL),
        KBox::pin_init(new_condvar!(), GFP_KERNEL),
    ) else {
        return;
    };
    let mut guard = lock.lock();
    let _ = wake.wait_interruptible_timeout(&mut guard, 1);
}

/// Waits until `cond` holds, spinning first so that the other context, on another CPU, is met
/// at once, then sleeping so that it can run if it is on this one.
fn wait_until(cond: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !cond() {
        if spins < 100_000 {
            spins += 1;
            spin_loop();
        } else {
            nap();
        }
    }
}

/// Races for every object, the context `me` (1 or 2) against the other.
fn race(me: u32, counts: &Counts) {
    for (round, obj) in OBJECT.iter().enumerate() {
        // Both contexts start the round together.
        ARRIVED.fetch_add(1, Ordering::AcqRel);
        wait_until(|| ARRIVED.load(Ordering::Acquire) >= 2 * (round + 1));
        let count = match Owner::alloc(obj, AtomicU32::new(me), GFP_KERNEL) {
            Ok(_) => &counts.attached,
            Err(e) if e == EEXIST => &counts.refused,
            Err(_) => &counts.failed,
        };
        count.fetch_add(1, Ordering::Release);
    }
}

struct ShadowRace;

impl kernel::Module for ShadowRace {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let worker = Arc::pin_init(
            pin_init!(Worker {
                work <- new_work!("ShadowRace::work"),
            }),
            GFP_KERNEL,
        )?;
        // Not queued yet, so this queues it.
        let _ = workqueue::system_unbound().enqueue(worker.clone());
        let init = Counts::new();
        race(1, &init);
        // The worker is done, and out of the module's code: the module may go once init returns.
        worker.work.flush();
        let (mine, its) = (init.get(), WORKER.get());
        pr_info!(
            "{} objects: {} attached, {} refused with EEXIST, {} other errors\n",
            OBJECTS,
            mine[0] + its[0],
            mine[1] + its[1],
            mine[2] + its[2],
        );
        let owner = |obj| Owner::get(obj).map(|o| o.load(Ordering::Relaxed));
        let owned = OBJECT
            .iter()
            .filter(|obj| matches!(owner(obj), Some(1 | 2)))
            .count();
        // SAFETY: Both contexts are done; no reference to a variable of `Owner` is left. Its
        // variables have no destructor.
        unsafe { Owner::free_all() };
        if [mine[0] + its[0], mine[1] + its[1], mine[2] + its[2], owned]
            != [OBJECTS, OBJECTS, 0, OBJECTS]
        {
            pr_err!("{owned} of {OBJECTS} objects have one variable of either context\n");
            return Err(EINVAL);
        }
        Ok(ShadowRace)
    }
}
