// SPDX-License-Identifier: GPL-2.0

//! Symbols of the patched objects that they do not export: [`klp_extern!`].
//!
//! See `Documentation/livepatch/module-elf-format.rst`.

/// Declares functions and statics of a patched object (vmlinux or a module) that a live patch uses
/// although the object does not export them.
///
/// Each item is declared as in an `extern "C"` block, under an object: `vmlinux` or the name of a
/// module as a string. `#[sympos(n)]` selects the `n`-th symbol of that name in the object,
/// counting from 1 in kallsyms order, where the object has several (static functions of the same
/// name in different files); without it the name must be unique in the object. An item whose Rust
/// name differs from the symbol's, as two homonyms must, names the symbol in
/// `#[link_name = "..."]`, before `#[sympos(n)]`.
///
/// The items are linked under their livepatch names, `.klp.sym.<object>.<name>,<position>`. The
/// module build (`klp-convert`, run on the linked module) checks each name against vmlinux or the
/// module's object when it is at hand, failing for a name that is not there or that is ambiguous
/// without a position, and turns the references into livepatch relocations. The livepatch core
/// resolves them when it patches the object: when the patch is enabled for vmlinux and for loaded
/// modules, and when a module loads later. So they may only be used by code that runs once the
/// object is patched, that is, by the patch's replacement functions for that object and what they
/// call; a module object's items are not resolved while its module is not loaded.
///
/// As in any `extern` block, using the items is `unsafe`: the declaration states the C prototype
/// or type of the symbol, which nothing checks. A `// SAFETY:` comment at each use says why the
/// declaration matches the C definition and why the use is sound.
///
/// It expands to `extern "C"` blocks of the livepatch names:
///
/// ```ignore
/// extern "C" {
///     #[link_name = ".klp.sym.vmlinux.nr_processes,0"]
///     fn nr_processes() -> c_int;
/// }
/// ```
///
/// # Examples
///
/// ```ignore
/// use kernel::ffi::{c_int, c_uint};
///
/// kernel::klp_extern! {
///     vmlinux {
///         /// `int nr_processes(void)` of kernel/fork.c.
///         fn nr_processes() -> c_int;
///         /// `unsigned int saved_command_line_len` of init/main.c.
///         static saved_command_line_len: c_uint;
///     }
///     "my_driver" {
///         /// The first `static int reset(struct my_dev *)` of my_driver.ko.
///         #[link_name = "reset"]
///         #[sympos(1)]
///         fn reset_port(dev: *mut core::ffi::c_void) -> c_int;
///         /// The second one.
///         #[link_name = "reset"]
///         #[sympos(2)]
///         fn reset_bus(dev: *mut core::ffi::c_void) -> c_int;
///     }
/// }
/// ```
#[macro_export]
macro_rules! klp_extern {
    (@items $object:tt []) => {};

    (@items $object:tt [
        $(#[doc = $doc:expr])*
        $(#[link_name = $symbol:literal])?
        $(#[sympos($pos:literal)])?
        $vis:vis fn $name:ident($($arg:ident: $argty:ty),* $(,)?) $(-> $ret:ty)?;
        $($rest:tt)*
    ]) => {
        extern "C" {
            $(#[doc = $doc])*
            #[link_name = $crate::klp_extern!(
                @name $object [$crate::klp_extern!(@symbol $name $($symbol)?)] $($pos)?
            )]
            $vis fn $name($($arg: $argty),*) $(-> $ret)?;
        }
        $crate::klp_extern!(@items $object [$($rest)*]);
    };

    (@items $object:tt [
        $(#[doc = $doc:expr])*
        $(#[link_name = $symbol:literal])?
        $(#[sympos($pos:literal)])?
        $vis:vis static $name:ident: $ty:ty;
        $($rest:tt)*
    ]) => {
        extern "C" {
            $(#[doc = $doc])*
            #[link_name = $crate::klp_extern!(
                @name $object [$crate::klp_extern!(@symbol $name $($symbol)?)] $($pos)?
            )]
            #[allow(non_upper_case_globals)]
            $vis static $name: $ty;
        }
        $crate::klp_extern!(@items $object [$($rest)*]);
    };

    (@name vmlinux [$symbol:expr] $($pos:literal)?) => {
        concat!(".klp.sym.vmlinux.", $symbol, ",", $crate::klp_extern!(@pos $($pos)?))
    };

    (@name $module:literal [$symbol:expr] $($pos:literal)?) => {
        concat!(".klp.sym.", $module, ".", $symbol, ",", $crate::klp_extern!(@pos $($pos)?))
    };

    (@symbol $name:ident) => { stringify!($name) };

    (@symbol $name:ident $symbol:literal) => { $symbol };

    (@pos) => { 0 };

    (@pos $pos:literal) => { $pos };

    () => {};

    ($object:tt { $($items:tt)* } $($rest:tt)*) => {
        $crate::klp_extern!(@items $object [$($items)*]);
        $crate::klp_extern!($($rest)*);
    };
}
