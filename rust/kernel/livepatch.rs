// SPDX-License-Identifier: GPL-2.0

//! Kernel live patching.
//!
//! A live patch module replaces functions of the running kernel (vmlinux) and of its modules
//! without a reboot. It describes, in static tables, which functions of which objects it replaces
//! by which of its own functions, and hands the tables to the livepatch core when it is loaded.
//! The core redirects the old functions with ftrace and switches every task to the new code at a
//! point where that is safe (the consistency model, see `Documentation/livepatch/livepatch.rst`).
//! The patch is then controlled through `/sys/kernel/livepatch/<module>`; writing `0` to its
//! `enabled` file reverts to the old code, after which the module can be unloaded.
//!
//! The tables are built at compile time, in `static` memory, like the C structures they stand for:
//!
//! - [`Func`] (`struct klp_func`): one function to replace and its replacement,
//! - [`FuncTable`]: the functions of one object (a [`Table`] of [`Func`]s),
//! - [`Object`] (`struct klp_object`): vmlinux or a module, with its [`FuncTable`] and, if it
//!   needs them, its [`Callbacks`] (`struct klp_callbacks`),
//! - [`ObjectTable`]: the objects of one patch (a [`Table`] of [`Object`]s),
//! - [`Patch`] (`struct klp_patch`): the objects and the module that holds them, and the
//!   [`StateTable`] of the system states it changes ([`SystemState`], `struct klp_state`).
//!
//! The tables add the empty entries that end the C arrays themselves. Replacing a function is only
//! sound if the replacement has the ABI of the original, which the compiler cannot check against a
//! C function that may even be `static`: [`klp_func!`] states the target's prototype, rustc checks
//! the replacement against it and the module build checks it against the target's BTF
//! ([`Target`]); what remains, [`Func::new`] being `unsafe`, the patch author
//! states in its safety comment.
//!
//! With `CONFIG_RUST_FTRACE_ENTRIES`, Rust functions can be patched too: [`klp_rust_func!`] makes
//! the [`Func`] of a Rust target named by its Rust path.
//!
//! [`module_livepatch!`](crate::module_livepatch) declares a whole patch module with these tables
//! in one place. [`klp_extern!`](crate::klp_extern) declares symbols of the patched objects that
//! they do not export, for the replacement functions to use.
//!
//! [`klp_rust_func!`]: crate::klp_rust_func
//! [`klp_func!`]: crate::klp_func
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)
//!
//! # Examples
//!
//! The tables of a patch that replaces `cmdline_proc_show()` of vmlinux, declared by hand:
//!
//! ```
//! use kernel::{
//!     klp_func,
//!     livepatch::{FuncTable, Object, ObjectTable, Patch},
//!     seq_file::SeqFile,
//!     seq_print, ThisModule,
//! };
//! use core::ffi::{c_int, c_void};
//! // SAFETY: Doctests are built in, where the module is `NULL`.
//! static THIS_MODULE: ThisModule = unsafe { ThisModule::from_ptr(core::ptr::null_mut()) };
//!
//! extern "C" fn cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
//!     seq_print!(m, "patched\n");
//!     0
//! }
//!
//! static FUNCS: FuncTable<1> = FuncTable::new([
//!     // SAFETY: `int cmdline_proc_show(struct seq_file *m, void *v)` (fs/proc/cmdline.c) is
//!     // called with a valid seq file `m`, and the seq file core serialises the calls.
//!     unsafe {
//!         klp_func!(fn cmdline_proc_show(&SeqFile, *mut c_void) -> c_int => cmdline_proc_show)
//!     },
//! ]);
//! static OBJECTS: ObjectTable<1> = ObjectTable::new([Object::vmlinux(&FUNCS)]);
//! static PATCH: Patch = Patch::new(&OBJECTS);
//!
//! // SAFETY: This is no module's init. (Only a live patch module can enable a patch; code built
//! // into the kernel gets `EINVAL`.)
//! assert_eq!(unsafe { PATCH.enable(&THIS_MODULE) }, Err(EINVAL));
//! // SAFETY: As above. (A patch can only be enabled once.)
//! assert_eq!(unsafe { PATCH.enable(&THIS_MODULE) }, Err(EBUSY));
//!
//! // A table belongs to one patch, and a function table to one object.
//! static OTHER: Patch = Patch::new(&OBJECTS);
//! // SAFETY: As above.
//! assert_eq!(unsafe { OTHER.enable(&THIS_MODULE) }, Err(EBUSY));
//! static SAME_FUNCS: ObjectTable<1> = ObjectTable::new([Object::vmlinux(&FUNCS)]);
//! static THIRD: Patch = Patch::new(&SAME_FUNCS);
//! // SAFETY: As above.
//! assert_eq!(unsafe { THIRD.enable(&THIS_MODULE) }, Err(EBUSY));
//! ```

mod callbacks;
mod func;
mod klp_extern;
mod module;
mod object;
mod patch;
mod prototype;
mod raw;
mod rust_func;
mod shadow;
mod state;
#[cfg(CONFIG_X86_64)]
mod syscall;
mod table;

pub use callbacks::{Callbacks, ModuleState, PatchedObject};
pub use func::{Func, FuncTable};
pub use object::{Object, ObjectTable};
pub use patch::Patch;
#[doc(hidden)]
pub use prototype::text_len;
pub use prototype::{CClass, CType, Prototype, Target};
pub use rust_func::RustPath;
pub use shadow::{Shadow, ShadowId};
pub use state::{State, StateRef, StateTable, SystemState};
#[cfg(CONFIG_X86_64)]
pub use syscall::SyscallRegs;
pub use table::{Table, TableEntry};
