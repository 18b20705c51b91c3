// SPDX-License-Identifier: GPL-2.0

//! CPUs.
//!
//! C header: [`include/linux/threads.h`](srctree/include/linux/threads.h)

/// The largest number of CPUs this kernel supports (`NR_CPUS`, set by `CONFIG_NR_CPUS`).
///
/// It sizes what C sizes with `NR_CPUS`, such as an array parameter with an entry per CPU.
///
/// # Examples
///
/// ```
/// use kernel::cpu::NR_CPUS;
///
/// assert!(NR_CPUS >= 1);
/// ```
pub const NR_CPUS: usize = crate::bindings::NR_CPUS as usize;
