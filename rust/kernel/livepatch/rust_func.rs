// SPDX-License-Identifier: GPL-2.0

//! Patching Rust functions, named by their Rust paths: [`klp_rust_func!`].
//!
//! With `CONFIG_RUST_FTRACE_ENTRIES`, every Rust function of vmlinux and of modules starts with
//! the ftrace entry that the livepatch core redirects, as C functions do. Their symbols are
//! mangled (`_RNv...`), so a patch names its Rust targets by their paths, which the module build
//! resolves; see `Documentation/livepatch/rust.rst` for what can be patched.
//!
//! [`klp_rust_func!`]: crate::klp_rust_func

use super::Func;
use crate::prelude::build_assert;
use core::ffi::c_void;

/// The Rust path of a patched function, for the module build to resolve (`N` counts its NUL).
///
/// [`klp_rust_func!`](crate::klp_rust_func) places it in the section `.klp.rust_names` of the
/// patch module. There the module build (`scripts/livepatch/klp-convert`, run on the linked
/// module) replaces it with the symbol name of the one function the path denotes in the object
/// the entry is listed under (vmlinux, or the module of that name), where the livepatch core
/// looks it up, and fails for a path that denotes no function or several there, or whose object
/// is not at hand. A name without `::` is left as it is, a symbol name already.
///
/// # Invariants
///
/// The bytes are NUL-terminated and have no other NUL.
#[repr(transparent)]
pub struct RustPath<const N: usize>([u8; N]);

impl<const N: usize> RustPath<N> {
    /// Stores `path`, which must be `N - 1` bytes long and have no NUL; evaluated at compile time,
    /// in the `static` that holds the path, so that an error fails the build.
    pub const fn new(path: &str) -> Self {
        let path = path.as_bytes();
        build_assert!(path.len() + 1 == N, "`N` must count the path and its NUL");
        let mut bytes = [0; N];
        let mut i = 0;
        while i < path.len() {
            build_assert!(path[i] != 0, "a Rust path has no NUL");
            bytes[i] = path[i];
            i += 1;
        }
        // INVARIANT: `path` has no NUL and `bytes[N - 1]` stays `0`.
        Self(bytes)
    }
}

impl Func {
    /// Describes the redirection of the Rust function at `path` to `new_func`.
    ///
    /// Used through [`klp_rust_func!`](crate::klp_rust_func), which puts `path` where the module
    /// build resolves it.
    ///
    /// # Safety
    ///
    /// `new_func` must be a function with the ABI of the function `path` denotes in the object
    /// this entry is listed under, compiled by the same compiler: the same signature, with the same
    /// calling convention and the same types, and no `#[track_caller]` on either (it adds a hidden
    /// parameter). It must be sound for any arguments the callers of that function pass, from any
    /// context they call it in: if that function is safe, so is `new_func`, and an `unsafe`
    /// `new_func` requires no more of its callers than that function does. As for [`Func::new`],
    /// nothing of the patch module may outlive it through `new_func`: a `&'static str` or any
    /// other `'static` borrow of the patch module's data, a function pointer or a trait object
    /// of its code is not `'static` for the callers, who may keep it after the module is removed.
    pub const unsafe fn rust<const N: usize>(
        path: &'static RustPath<N>,
        new_func: *const c_void,
    ) -> Self {
        // SAFETY: By the invariants of `RustPath`, `path.0` is NUL-terminated, and it is
        // `'static`; the safety requirements of this function are those of the redirection.
        unsafe { Self::from_raw(path.0.as_ptr().cast(), new_func) }
    }
}

/// Makes a [`Func`] that redirects a Rust function, named by its Rust path, to a replacement.
///
/// The target is written as the path of the function from its crate: `my_driver::reset`,
/// `my_driver::Device::probe` for an inherent method, `<my_driver::Device as
/// kernel::Module>::init` for a trait method, `kernel::foo::<u32>` for an instance of a generic
/// function; in full, since the module build sees the path as written, not what `use` items make
/// of it. A `#[no_mangle]` function is named by its symbol name. The module build replaces the
/// path with the function's symbol (see [`RustPath`]), and fails if it denotes no function or
/// several.
///
/// - `path => new_func`, where `path` is a path the patch module can name (a function of the
///   `kernel` crate, say): the macro checks that the two coerce to one function pointer type,
///   which refuses other parameter or return types, but not an `unsafe fn` replacement of a safe
///   target: the safety comment rules that out.
/// - `"path" => new_func`, for a target the patch module cannot name, in the module the patch
///   targets: nothing checks the types.
///
/// Either way the result is a call of the `unsafe` [`Func::rust`], in an `unsafe` block whose
/// safety comment states why `new_func` satisfies its requirements, writing out the signature of a
/// target given as a string. It expands to:
///
/// ```ignore
/// Func::rust(
///     {
///         #[link_section = ".klp.rust_names"]
///         static RUST_PATH: RustPath<14> = RustPath::new("kernel::reset");
///         &RUST_PATH
///     },
///     new_func as *const c_void,
/// )
/// ```
///
/// # Examples
///
/// Each path is resolved in the object that lists its table: a function of the `kernel` crate in
/// vmlinux, one of a driver in the driver's module.
///
/// ```
/// use core::fmt;
/// use kernel::{
///     c_str,
///     error::Error,
///     livepatch::{FuncTable, Object, ObjectTable},
/// };
///
/// fn error_fmt(e: &Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
///     write!(f, "error {}", e.to_errno())
/// }
///
/// fn answer() -> u32 {
///     42
/// }
///
/// static VMLINUX_FUNCS: FuncTable<1> = FuncTable::new([
///     // SAFETY: `error_fmt` is safe and has the type of the target, which the macro checks; the
///     // target is not `#[track_caller]`.
///     unsafe {
///         kernel::klp_rust_func!(
///             <kernel::error::Error as core::fmt::Debug>::fmt => error_fmt
///         )
///     },
/// ]);
///
/// static DRIVER_FUNCS: FuncTable<1> = FuncTable::new([
///     // SAFETY: `my_driver::answer` is a safe `fn() -> u32`, as `answer` is.
///     unsafe { kernel::klp_rust_func!("my_driver::answer" => answer) },
/// ]);
///
/// static OBJECTS: ObjectTable<2> = ObjectTable::new([
///     Object::vmlinux(&VMLINUX_FUNCS),
///     Object::module(c_str!("my_driver"), &DRIVER_FUNCS),
/// ]);
/// ```
#[macro_export]
macro_rules! klp_rust_func {
    (@path $path:expr => $new:expr) => {
        $crate::livepatch::Func::rust(
            {
                const PATH: &str = $path;
                #[link_section = ".klp.rust_names"]
                static RUST_PATH: $crate::livepatch::RustPath<{ PATH.len() + 1 }> =
                    $crate::livepatch::RustPath::new(PATH);
                &RUST_PATH
            },
            $new as *const ::core::ffi::c_void,
        )
    };

    ($path:literal => $new:expr $(,)?) => {
        $crate::klp_rust_func!(@path $path => $new)
    };

    ($path:expr => $new:expr $(,)?) => {{
        // Two functions only coerce to one function pointer type if their signatures match.
        let _ = [$path, $new];
        $crate::klp_rust_func!(@path ::core::stringify!($path) => $new)
    }};
}
