// SPDX-License-Identifier: GPL-2.0

//! The prototypes of the functions a patch replaces, checked at build time: [`klp_func!`].
//!
//! A replacement must have the ABI of the function it replaces, which rustc cannot see: the
//! target is C, often `static`. So a patch states the target's prototype in Rust types where it
//! names the target ([`klp_func!`]), and two checks tie the three together:
//!
//! - rustc checks that the replacement has exactly the stated type, an `extern "C"` function
//!   pointer of [`CType`]s; a Rust-ABI function, a closure or anything else is refused;
//! - the module build (`scripts/livepatch/klp-convert`, on the linked module) checks the stated
//!   prototype against the target's in the BTF of vmlinux or of the target module: the number of
//!   arguments, and for each argument and the return value its class (integer of a width and
//!   signedness, `bool`, pointer, aggregate of a size). A mismatch, or a target BTF does not
//!   describe, fails the build.
//!
//! What the classes cannot tell apart stays with the author's `// SAFETY:` comment: which
//! structure a pointer points to, and whether the replacement is sound for what callers pass.
//!
//! [`klp_func!`]: crate::klp_func

use crate::prelude::build_assert;
use core::marker::PhantomData;
use core::ptr::NonNull;

/// The ABI class of a C type, as the prototype check compares it.
///
/// # Invariants
///
/// `kind` is one of the `KIND_*` constants, and `size` is the size in bytes for the kinds that
/// have one.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct CClass {
    kind: u8,
    _reserved: u8,
    size: u16,
}

impl CClass {
    const KIND_NONE: u8 = 0;
    const KIND_VOID: u8 = 1;
    const KIND_SIGNED: u8 = 2;
    const KIND_UNSIGNED: u8 = 3;
    const KIND_BOOL: u8 = 4;
    const KIND_POINTER: u8 = 5;
    const KIND_AGGREGATE: u8 = 6;

    const fn new(kind: u8, size: usize) -> Self {
        // INVARIANT: The callers pass a `KIND_*` constant and the size of a type.
        Self {
            kind,
            _reserved: 0,
            size: size as u16,
        }
    }

    /// `void`, as a return type.
    pub const VOID: Self = Self::new(Self::KIND_VOID, 0);

    /// A pointer, of any type.
    pub const POINTER: Self = Self::new(Self::KIND_POINTER, size_of::<usize>());

    /// A signed integer of the size of `T`.
    pub const fn signed<T>() -> Self {
        Self::new(Self::KIND_SIGNED, size_of::<T>())
    }

    /// An unsigned integer of the size of `T`.
    pub const fn unsigned<T>() -> Self {
        Self::new(Self::KIND_UNSIGNED, size_of::<T>())
    }

    /// A structure or union passed by value, of the size of `T` (at most 64 KiB - 1).
    pub const fn aggregate<T>() -> Self {
        const {
            assert!(
                size_of::<T>() <= u16::MAX as usize,
                "an aggregate is at most 65535 bytes"
            )
        };
        Self::new(Self::KIND_AGGREGATE, size_of::<T>())
    }
}

/// A Rust type that stands for a C type in a prototype, with its [`CClass`].
///
/// Implemented for the integers, `bool`, `()` (a `void` return), and the pointers to sized types:
/// raw pointers, references, [`NonNull`], and their [`Option`]s.
///
/// # Safety
///
/// C must pass a value of `Self` the way it passes a value of the class `CLASS`: in the same
/// registers or stack slots, of the same size.
#[diagnostic::on_unimplemented(
    message = "`{Self}` stands for no C type of a prototype",
    note = "a prototype takes integers, `bool` and pointers to sized types; `()` returns nothing"
)]
pub unsafe trait CType {
    /// The class of the C types `Self` stands for.
    const CLASS: CClass;
}

macro_rules! impl_ctype {
    ($class:ident: $($t:ty),*) => {
        $(
            // SAFETY: Rust passes this integer type as C passes the integer of its size and
            // signedness.
            unsafe impl CType for $t {
                const CLASS: CClass = CClass::$class::<$t>();
            }
        )*
    };
}

impl_ctype!(signed: i8, i16, i32, i64, isize);
impl_ctype!(unsigned: u8, u16, u32, u64, usize);

// SAFETY: `bool` is C's `_Bool`: one byte, `0` or `1`.
unsafe impl CType for bool {
    const CLASS: CClass = CClass::new(CClass::KIND_BOOL, 1);
}

// SAFETY: As a return type, `()` is `void`. (It is no argument type of C.)
unsafe impl CType for () {
    const CLASS: CClass = CClass::VOID;
}

macro_rules! impl_ctype_pointer {
    ($($t:ty),*) => {
        $(
            // SAFETY: A pointer to a sized type is one address, as in C (and `Option` of a
            // non-null pointer has the layout of the pointer, `None` being `NULL`).
            unsafe impl<T> CType for $t {
                const CLASS: CClass = CClass::POINTER;
            }
        )*
    };
}

impl_ctype_pointer!(
    *const T,
    *mut T,
    &T,
    &mut T,
    NonNull<T>,
    Option<&T>,
    Option<&mut T>,
    Option<NonNull<T>>
);

/// The classes of a prototype: of the return value, then of the arguments.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Prototype {
    args: u8,
    _reserved: [u8; 3],
    /// The return class, then those of the arguments, then `KIND_NONE`.
    classes: [CClass; Prototype::MAX_ARGS + 1],
}

impl Prototype {
    /// The most arguments a replacement can take.
    pub const MAX_ARGS: usize = 8;

    /// Lists `ret` and `args`, of at most [`Prototype::MAX_ARGS`] arguments (checked at compile
    /// time).
    pub const fn new<const N: usize>(ret: CClass, args: [CClass; N]) -> Self {
        const {
            assert!(
                N <= Prototype::MAX_ARGS,
                "a replacement takes at most 8 arguments"
            )
        };
        let mut classes = [CClass::new(CClass::KIND_NONE, 0); Self::MAX_ARGS + 1];
        classes[0] = ret;
        let mut i = 0;
        while i < N {
            classes[i + 1] = args[i];
            i += 1;
        }
        Self {
            args: N as u8,
            _reserved: [0; 3],
            classes,
        }
    }
}

/// The name and stated prototype of a function to replace, for the livepatch core and for the
/// prototype check of the module build.
///
/// [`klp_func!`](crate::klp_func) places one in the section `.klp.prototypes` of the patch
/// module, where the module build finds it through the [`Func`](super::Func) that names it.
///
/// # Invariants
///
/// `F` is an `extern "C"` function pointer type (safe or `unsafe`) whose return and argument
/// classes are `prototype`. `text` holds NUL-terminated strings: the target's name (with no
/// other NUL), then the Rust types of the prototype as written, return type first. `flags` is a
/// set of `FLAG_*`.
#[repr(C)]
pub struct Target<F, const N: usize> {
    version: u8,
    flags: u8,
    _reserved: [u8; 2],
    prototype: Prototype,
    text: [u8; N],
    _replacement: PhantomData<F>,
}

impl<F, const N: usize> Target<F, N> {
    /// The layout of the record, which the module build reads.
    const VERSION: u8 = 1;

    /// The target may be missing from BTF.
    const FLAG_NOT_IN_BTF: u8 = 1;

    /// Records `text` (the target's name, then the Rust types of its prototype as written,
    /// return type first) and `prototype`, of a target that BTF must describe unless
    /// `not_in_btf`.
    ///
    /// Evaluated at compile time, in the `static` of [`klp_func!`](crate::klp_func): `N` must be
    /// [`text_len`] of `text`, `text` must have a type for the return value and each argument of
    /// `prototype`, and the name has no NUL. A raw identifier's `r#` is not part of the name.
    ///
    /// # Safety
    ///
    /// `F` must be an `extern "C"` function pointer type whose return and argument classes are
    /// `prototype`.
    #[doc(hidden)]
    pub const unsafe fn new(text: &[&str], prototype: Prototype, not_in_btf: bool) -> Self {
        build_assert!(
            text.len() == prototype.args as usize + 2,
            "a name, a return type and a type for each argument"
        );
        let mut bytes = [0; N];
        let mut at = 0;
        let mut i = 0;
        while i < text.len() {
            let s = text_bytes(text, i);
            let mut j = 0;
            while j < s.len() {
                build_assert!(i > 0 || s[j] != 0, "a function name has no NUL");
                bytes[at] = s[j];
                at += 1;
                j += 1;
            }
            // The NUL.
            at += 1;
            i += 1;
        }
        build_assert!(at == N, "`N` must count the strings and their NULs");
        // INVARIANT: The strings and their NULs fill `bytes`, the name first, without a NUL;
        // `F` and `prototype` are as required by the safety requirements.
        Self {
            version: Self::VERSION,
            flags: if not_in_btf { Self::FLAG_NOT_IN_BTF } else { 0 },
            _reserved: [0; 2],
            prototype,
            text: bytes,
            _replacement: PhantomData,
        }
    }

    /// Returns the name of the target, NUL-terminated.
    pub(crate) const fn name(&'static self) -> *const crate::ffi::c_char {
        // By the invariants, `text` starts with the NUL-terminated name.
        self.text.as_ptr().cast()
    }
}

/// Returns the length of `text` as [`Target::new`] stores it: each string and its NUL.
#[doc(hidden)]
pub const fn text_len(text: &[&str]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < text.len() {
        len += text_bytes(text, i).len() + 1;
        i += 1;
    }
    len
}

/// Returns the bytes [`Target::new`] stores of `text[i]`: the name (`text[0]`) without the `r#`
/// of a raw identifier (`r#match` names `match()`), the types as written.
const fn text_bytes<'a>(text: &[&'a str], i: usize) -> &'a [u8] {
    let s = text[i].as_bytes();
    if i == 0 && s.len() > 2 && s[0] == b'r' && s[1] == b'#' {
        s.split_at(2).1
    } else {
        s
    }
}

/// Makes the [`Func`] that redirects a C function, whose prototype it states, to a replacement
/// of that prototype.
///
/// The target is written as a function declaration in Rust types, without parameter names:
/// `fn cmdline_proc_show(&SeqFile, *mut c_void) -> c_int`, as `extern "C"` declares
/// `int cmdline_proc_show(struct seq_file *m, void *v)`. The replacement, after `=>`, must be an
/// `extern "C" fn` of exactly these types (`unsafe fn` in the declaration for an `unsafe extern
/// "C" fn`); rustc refuses anything else. The module build then checks the declaration against
/// the target's prototype in BTF (see the [module documentation](self)) and fails the build
/// on a mismatch:
///
/// ```text
/// klp-convert: ...: version_proc_show: argument 2: the target takes 'void *' (pointer), the
/// replacement takes nothing
/// ```
///
/// A target that BTF does not describe also fails the build, unless the declaration carries
/// `#[not_in_btf = "why"]`, which must say why that is right for this target (a function the
/// compiler inlined everywhere or changed the signature of cannot be patched safely).
///
/// It expands to the `unsafe` call of [`Func::new`] with a [`Target`] in `.klp.prototypes`:
///
/// ```ignore
/// Func::new(
///     {
///         #[link_section = ".klp.prototypes"]
///         static TARGET: Target<extern "C" fn(&SeqFile, *mut c_void) -> c_int, 45> = ...;
///         &TARGET
///     },
///     cmdline_proc_show,
/// )
/// ```
///
/// So it is used in an `unsafe` block, whose safety comment states why the replacement
/// satisfies the requirements of [`Func::new`].
///
/// # Examples
///
/// ```
/// use core::ffi::{c_int, c_void};
/// use kernel::{klp_func, livepatch::FuncTable, seq_file::SeqFile, seq_print};
///
/// extern "C" fn cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
///     seq_print!(m, "patched\n");
///     0
/// }
///
/// extern "C" fn nothing() {}
///
/// static FUNCS: FuncTable<2> = FuncTable::new([
///     // SAFETY: `int cmdline_proc_show(struct seq_file *m, void *v)` (fs/proc/cmdline.c) is
///     // called with a valid seq file, `m`, and the seq file core serialises the calls.
///     unsafe {
///         klp_func!(fn cmdline_proc_show(&SeqFile, *mut c_void) -> c_int => cmdline_proc_show)
///     },
///     // SAFETY: The target does not exist, so `nothing` is never called.
///     unsafe {
///         klp_func!(
///             #[not_in_btf = "an example of a target that does not exist"]
///             fn no_such_function() => nothing
///         )
///     },
/// ]);
/// ```
///
/// [`Func`]: super::Func
/// [`Func::new`]: super::Func::new
#[macro_export]
macro_rules! klp_func {
    (@text) => { "()" };

    (@text $ret:ty) => { ::core::stringify!($ret) };

    (@flag) => { false };

    (@flag $reason:literal) => {{
        let _: &str = $reason;
        true
    }};

    (
        @target [$($reason:literal)?] [$($unsafe:tt)?] $name:ident ($($arg:ty),*) [$($ret:ty)?]
        $new:expr
    ) => {
        $crate::livepatch::Func::new(
            {
                type F = $($unsafe)? extern "C" fn($($arg),*) $(-> $ret)?;
                const TEXT: &[&str] = &[
                    ::core::stringify!($name),
                    $crate::klp_func!(@text $($ret)?),
                    $(::core::stringify!($arg)),*
                ];
                // Only modules are live patches, and checked.
                #[cfg_attr(MODULE, link_section = ".klp.prototypes")]
                static TARGET: $crate::livepatch::Target<F, { $crate::livepatch::text_len(TEXT) }> =
                    // SAFETY: `F` is an `extern "C"` function pointer type, of these classes.
                    unsafe {
                        $crate::livepatch::Target::new(
                            TEXT,
                            $crate::livepatch::Prototype::new(
                                <$crate::klp_func!(@ret $($ret)?) as $crate::livepatch::CType>::CLASS,
                                [$(<$arg as $crate::livepatch::CType>::CLASS),*],
                            ),
                            $crate::klp_func!(@flag $($reason)?),
                        )
                    };
                &TARGET
            },
            $new,
        )
    };

    (@ret) => { () };

    (@ret $ret:ty) => { $ret };

    (
        $(#[not_in_btf = $reason:literal])?
        unsafe fn $name:ident ($($arg:ty),* $(,)?) $(-> $ret:ty)? => $new:expr $(,)?
    ) => {
        $crate::klp_func!(@target [$($reason)?] [unsafe] $name ($($arg),*) [$($ret)?] $new)
    };

    (
        $(#[not_in_btf = $reason:literal])?
        fn $name:ident ($($arg:ty),* $(,)?) $(-> $ret:ty)? => $new:expr $(,)?
    ) => {
        $crate::klp_func!(@target [$($reason)?] [] $name ($($arg),*) [$($ret)?] $new)
    };
}
