// SPDX-License-Identifier: GPL-2.0

//! Rust live patch sample: patch a Rust driver of the tree, by the Rust path of its I/O path.
//!
//! Purpose: replace a monomorphised function of an in-tree Rust driver. `rnull_mod`, the Rust null
//! block driver (drivers/block/rnull), implements the kernel crate's `block::mq::Operations` for
//! its `NullBlkDevice`; its `queue_rq()` is `#[inline(always)]`, so the function blk-mq calls for
//! each request is the kernel crate's generic `queue_rq_callback()`, instantiated for the driver
//! in `rnull_mod.ko`:
//!
//! ```text
//! <kernel::block::mq::operations::OperationsVTable<rnull::NullBlkDevice>>::queue_rq_callback
//! ```
//!
//! This live patch replaces it with one that takes the device offline: every request fails with
//! `BLK_STS_OFFLINE`, which userspace sees as `ENODEV`. The module build resolves the path to the
//! instance's symbol in `rnull_mod.ko`.
//!
//! Usage, on Linux 6.12, whose rnull makes one 4 GiB disk, `rnullb0`, when it loads:
//!
//! ```text
//! $ modprobe rnull_mod
//! $ dd if=/dev/rnullb0 of=/dev/null bs=4096 count=1 iflag=direct status=none && echo ok
//! ok
//!
//! $ insmod rust_livepatch_rnull.ko
//! $ dd if=/dev/rnullb0 of=/dev/null bs=4096 count=1 iflag=direct status=none && echo ok
//! dd: error reading '/dev/rnullb0': No such device
//!
//! $ echo 0 > /sys/kernel/livepatch/rust_livepatch_rnull/enabled
//! $ cat /sys/kernel/livepatch/rust_livepatch_rnull/transition   # until the file is gone
//! $ rmmod rust_livepatch_rnull
//! $ dd if=/dev/rnullb0 of=/dev/null bs=4096 count=1 iflag=direct status=none && echo ok
//! ok
//! ```
//!
//! On Linux 7.x, rnull makes its disks through configfs; after `modprobe rnull_mod`:
//!
//! ```text
//! $ mkdir /sys/kernel/config/rnull/rnullb0
//! $ echo 1 > /sys/kernel/config/rnull/rnullb0/power
//! ```
//!
//! Direct I/O (`iflag=direct`) goes to the driver each time; buffered reads may be served from
//! the page cache.

use core::ffi::c_void;
use kernel::klp_rust_func;

kernel::module_livepatch! {
    name: "rust_livepatch_rnull",
    authors: ["Rust for Linux Contributors"],
    description: "Rust live patch sample: take the Rust null block device offline",
    license: "GPL",
    objects: {
        "rnull_mod": [
            // SAFETY: The target is `unsafe extern "C" fn queue_rq_callback(*mut
            // bindings::blk_mq_hw_ctx, *const bindings::blk_mq_queue_data) ->
            // bindings::blk_status_t` of rust/kernel/block/mq/operations.rs, the `queue_rq` of
            // the driver's `blk_mq_ops`, which blk-mq calls for each request. `livepatch_queue_rq`
            // has that ABI (two pointers, and `blk_status_t` is a `u8`), never dereferences its
            // arguments and can be called from any context the target is. An error status is a
            // result `queue_rq` may give for a request it has not started: its caller ends the
            // request with it. The request's Rust data is left as the block layer owns it (no
            // `ARef` is made, its count stays 0), which the original sets anew for each request
            // it is given, once the patch is disabled.
            unsafe {
                klp_rust_func!(
                    "<kernel::block::mq::operations::OperationsVTable<rnull::NullBlkDevice>>::queue_rq_callback"
                        => livepatch_queue_rq
                )
            },
        ],
    },
}

/// `BLK_STS_OFFLINE` of include/linux/blk_types.h: "the target device is offline", which
/// `blk_status_to_errno()` turns into `-ENODEV`.
const BLK_STS_OFFLINE: u8 = 16;

/// The replacement of the driver's `queue_rq_callback()`: fails the request, as for a device that
/// has gone offline.
extern "C" fn livepatch_queue_rq(_hctx: *mut c_void, _bd: *const c_void) -> u8 {
    BLK_STS_OFFLINE
}
