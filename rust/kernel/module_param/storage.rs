// SPDX-License-Identifier: GPL-2.0

//! The storage of module parameters, with sysfs permissions, writes after load, `bool`
//! parameters without a value and arrays, as `module_param()` and `module_param_array()` in C.
//!
//! The storage and the `struct kernel_param` entries behind the `params` of
//! [`module!`](crate::prelude::module), which is how modules declare them. A parameter is set from
//! the `insmod` command line before the module's init runs and, if its permissions allow, by
//! writing to `/sys/module/<module>/parameters/<name>` at any time after. The kernel serialises
//! those writers (with the module's parameter lock); values are kept in atomics, so reading a
//! parameter from Rust never races with them and never sees a torn value.
//!
//! Values are parsed as the C parameter types parse them (`kstrtoint()` and friends, base 0, so
//! `0x` and `0` prefixes work; `kstrtobool()` for `bool`). A value that does not parse or does not
//! fit, or an array with more elements than it can hold, is refused with `EINVAL` and the old value
//! is kept.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h)

use crate::{
    bindings,
    error::code::EINVAL,
    ffi::{c_char, c_int, c_void},
    prelude::*,
    str::CStr,
};
use core::{
    fmt::{self, Write},
    sync::atomic::{self, Ordering},
};

mod page_writer;

pub(crate) use page_writer::PageWriter;

mod private {
    use crate::bindings;
    use core::fmt;

    pub trait Sealed {}

    /// What only this file may name: the operations of a parameter's storage.
    pub trait Storage {
        /// The operations the kernel calls to set and show the parameter; they expect
        /// `kernel_param.arg` to point to a `Self`.
        const OPS: &'static bindings::kernel_param_ops;

        /// Writes the value as the C parameter of the same kind shows it, without the newline.
        fn show(&self, out: &mut dyn fmt::Write) -> fmt::Result;
    }
}

/// A type a module parameter can have: the integer types and `bool`.
///
/// The trait's items are used by the code [`module!`](crate::prelude::module) generates.
pub trait ParamType: Copy + Default + fmt::Display + private::Sealed {
    /// The atomic that stores a value of this type.
    #[doc(hidden)]
    type Atomic: Sync;

    /// Whether the parameter may be given without a value (`insmod m.ko flag`).
    #[doc(hidden)]
    const NOARG: bool = false;

    /// Parses a value as the C parameter type of the same kind does.
    #[doc(hidden)]
    fn parse(value: Option<&CStr>) -> Result<Self>;

    /// Reads a stored value.
    #[doc(hidden)]
    fn load(atomic: &Self::Atomic) -> Self;

    /// Stores a value.
    #[doc(hidden)]
    fn store(atomic: &Self::Atomic, value: Self);

    /// Writes a value as the C parameter type of the same kind shows it in sysfs.
    #[doc(hidden)]
    fn show(self, out: &mut impl Write) -> fmt::Result {
        write!(out, "{self}")
    }
}

macro_rules! impl_integer_param {
    ($($ty:ty, $atomic:ident, $kstrto:ident;)*) => {$(
        impl private::Sealed for $ty {}

        impl ParamType for $ty {
            type Atomic = atomic::$atomic;

            fn parse(value: Option<&CStr>) -> Result<Self> {
                let value = value.ok_or(EINVAL)?;
                let mut result: $ty = 0;
                // SAFETY: `value` is a NUL-terminated string and `result` a valid place for the
                // C type of the same size and signedness.
                let ret = unsafe {
                    bindings::$kstrto(
                        value.as_char_ptr(),
                        0,
                        core::ptr::from_mut(&mut result).cast(),
                    )
                };
                // `ERANGE` for a value that does not fit is `EINVAL` for a parameter.
                if ret == 0 { Ok(result) } else { Err(EINVAL) }
            }

            fn load(atomic: &Self::Atomic) -> Self {
                atomic.load(Ordering::Relaxed)
            }

            fn store(atomic: &Self::Atomic, value: Self) {
                atomic.store(value, Ordering::Relaxed)
            }
        }

        impl ParamValue<$ty> {
            /// Creates the storage of a parameter with the value `default`.
            pub const fn new(default: $ty) -> Self {
                Self(atomic::$atomic::new(default))
            }
        }

        impl<const N: usize> ParamArray<$ty, N> {
            /// Creates the storage of an array parameter that holds up to `N` values, initially
            /// `defaults`.
            pub const fn new(defaults: &[$ty]) -> Self {
                // A `const` is how arrays of a non-`Copy` type are repeated; each element is a
                // fresh atomic, which is what the lint is wary of not being the case.
                #[allow(clippy::declare_interior_mutable_const)]
                const EMPTY: atomic::$atomic = atomic::$atomic::new(0);
                let mut values = [EMPTY; N];
                assert!(defaults.len() <= N, "more default values than the array holds");
                let mut i = 0;
                while i < defaults.len() {
                    values[i] = atomic::$atomic::new(defaults[i]);
                    i += 1;
                }
                Self { values, count: atomic::AtomicUsize::new(defaults.len()) }
            }
        }
    )*};
}

impl_integer_param! {
    i8, AtomicI8, kstrtos8;
    u8, AtomicU8, kstrtou8;
    i16, AtomicI16, kstrtos16;
    u16, AtomicU16, kstrtou16;
    i32, AtomicI32, kstrtoint;
    u32, AtomicU32, kstrtouint;
    i64, AtomicI64, kstrtoll;
    u64, AtomicU64, kstrtoull;
}

impl private::Sealed for bool {}

impl ParamType for bool {
    type Atomic = atomic::AtomicBool;

    const NOARG: bool = true;

    fn parse(value: Option<&CStr>) -> Result<Self> {
        // As `param_set_bool()`: no value means true.
        let Some(value) = value else {
            return Ok(true);
        };
        let mut result = false;
        // SAFETY: `value` is a NUL-terminated string and `result` a valid `bool`.
        let ret = unsafe { bindings::kstrtobool(value.as_char_ptr(), &mut result) };
        if ret == 0 {
            Ok(result)
        } else {
            Err(EINVAL)
        }
    }

    fn load(atomic: &Self::Atomic) -> Self {
        atomic.load(Ordering::Relaxed)
    }

    fn store(atomic: &Self::Atomic, value: Self) {
        atomic.store(value, Ordering::Relaxed)
    }

    fn show(self, out: &mut impl Write) -> fmt::Result {
        // As `param_get_bool()`.
        out.write_str(if self { "Y" } else { "N" })
    }
}

impl ParamValue<bool> {
    /// Creates the storage of a parameter with the value `default`.
    pub const fn new(default: bool) -> Self {
        Self(atomic::AtomicBool::new(default))
    }
}

/// The storage of a module parameter: [`ParamValue`] or [`ParamArray`].
///
/// Its operations are not public: only [`kernel_param`] pairs them with the storage they expect.
pub trait ParamStorage: Sync + private::Sealed + private::Storage {}

/// The value of a module parameter of type `T`.
///
/// [`module!`](crate::prelude::module) declares one `static` of this type per parameter, in the
/// module `module_parameters` of the crate.
///
/// # Examples
///
/// ```
/// use kernel::module_param::ParamValue;
///
/// static RETRIES: ParamValue<u32> = ParamValue::<u32>::new(3);
/// static VERBOSE: ParamValue<bool> = ParamValue::<bool>::new(false);
///
/// assert_eq!(RETRIES.value(), 3);
/// assert!(!VERBOSE.value());
///
/// VERBOSE.set(true);
/// assert!(VERBOSE.value());
/// ```
pub struct ParamValue<T: ParamType>(T::Atomic);

impl<T: ParamType> ParamValue<T> {
    /// Returns the current value.
    pub fn value(&self) -> T {
        T::load(&self.0)
    }

    /// Sets the value to `value`.
    ///
    /// This is for a module's own use of its parameter, as C modules write the variable behind a
    /// parameter, e.g. to stop a loop before exit. Nothing orders it with a sysfs write of a
    /// writable parameter; the last one wins.
    pub fn set(&self, value: T) {
        T::store(&self.0, value);
    }

    /// Sets the parameter from `val` (`kernel_param_ops.set`).
    ///
    /// # Safety
    ///
    /// `kp` is the `struct kernel_param` of a `ParamValue<T>`; `val` is `NULL` or a NUL-terminated
    /// string.
    unsafe extern "C" fn set_callback(
        val: *const c_char,
        kp: *const bindings::kernel_param,
    ) -> c_int {
        // SAFETY: By the function's safety requirements.
        let (param, val) = unsafe { (&*arg::<Self>(kp), opt_cstr(val)) };
        match T::parse(val) {
            Ok(value) => {
                T::store(&param.0, value);
                0
            }
            Err(e) => e.to_errno(),
        }
    }
}

impl<T: ParamType> private::Sealed for ParamValue<T> {}

impl<T: ParamType> ParamStorage for ParamValue<T> {}

impl<T: ParamType> private::Storage for ParamValue<T> {
    const OPS: &'static bindings::kernel_param_ops = &bindings::kernel_param_ops {
        flags: if T::NOARG {
            bindings::KERNEL_PARAM_OPS_FL_NOARG
        } else {
            0
        },
        set: Some(Self::set_callback),
        get: Some(show_callback::<Self>),
        free: None,
    };

    fn show(&self, mut out: &mut dyn Write) -> fmt::Result {
        self.value().show(&mut out)
    }
}

/// The values of an array module parameter of type `T` that holds up to `N` of them.
///
/// Each value is read atomically. A sysfs write that races with [`ParamArray::get`] or
/// [`ParamArray::len`] may be seen in part; read parameters that must be seen as a whole
/// from a parameter without write permission.
///
/// # Examples
///
/// ```
/// use kernel::module_param::ParamArray;
///
/// static PIDS: ParamArray<i32, 4> = ParamArray::<i32, 4>::new(&[10, 20]);
///
/// assert_eq!(PIDS.len(), 2);
/// assert_eq!(PIDS.get(1), Some(20));
/// assert_eq!(PIDS.get(2), None);
/// assert_eq!(PIDS.iter().sum::<i32>(), 30);
///
/// assert!(PIDS.set_at(0, 0));
/// assert!(!PIDS.set_at(2, 30));
/// assert_eq!((PIDS.get(0), PIDS.get(1)), (Some(0), Some(20)));
/// ```
pub struct ParamArray<T: ParamType, const N: usize> {
    values: [T::Atomic; N],
    count: atomic::AtomicUsize,
}

impl<T: ParamType, const N: usize> ParamArray<T, N> {
    /// Returns the number of values given.
    pub fn len(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }

    /// Returns whether no value was given.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the value at `index`, if that many values were given.
    pub fn get(&self, index: usize) -> Option<T> {
        (index < self.len()).then(|| T::load(&self.values[index]))
    }

    /// Returns an iterator over the values given.
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.values[..self.len()].iter().map(T::load)
    }

    /// Sets the value at `index` to `value` if that many values were given, and returns whether
    /// it did.
    ///
    /// This is for a module's own bookkeeping in its parameter, as C modules write the variable
    /// behind a parameter, e.g. to mark an entry as handled. Nothing orders it with other calls or
    /// with a sysfs write of a writable parameter; serialise them where that matters.
    pub fn set_at(&self, index: usize, value: T) -> bool {
        let given = index < self.len();
        if given {
            T::store(&self.values[index], value);
        }
        given
    }

    /// Sets the values from the comma-separated list `val` (`kernel_param_ops.set`).
    ///
    /// # Safety
    ///
    /// `kp` is the `struct kernel_param` of a `ParamArray<T, N>`; `val` is `NULL` or a
    /// NUL-terminated string that may be written and that nothing else accesses during the call,
    /// as the kernel passes to the `set` of array parameters (its own `param_array()` cuts the
    /// string in place).
    unsafe extern "C" fn set_callback(
        val: *const c_char,
        kp: *const bindings::kernel_param,
    ) -> c_int {
        // SAFETY: By the function's safety requirements.
        let param = unsafe { &*arg::<Self>(kp) };
        if val.is_null() {
            return EINVAL.to_errno();
        }
        // Check the whole list first, so that a bad one keeps the old values, then parse it again
        // into place: no copy of up to `N` values on the stack (`N` may be `NR_CPUS`).
        // SAFETY: `val` is a writable NUL-terminated string that is ours during the call, by the
        // function's safety requirements.
        let stored = unsafe { parse_array::<T, N>(val.cast_mut(), |_, _| ()) }.and_then(|_| {
            // SAFETY: As above; `parse_array` left the string as it was.
            unsafe {
                parse_array::<T, N>(val.cast_mut(), |i, value| T::store(&param.values[i], value))
            }
        });
        match stored {
            Ok(count) => {
                param.count.store(count, Ordering::Release);
                0
            }
            Err(e) => e.to_errno(),
        }
    }
}

impl<T: ParamType, const N: usize> private::Sealed for ParamArray<T, N> {}

impl<T: ParamType, const N: usize> ParamStorage for ParamArray<T, N> {}

impl<T: ParamType, const N: usize> private::Storage for ParamArray<T, N> {
    const OPS: &'static bindings::kernel_param_ops = &bindings::kernel_param_ops {
        flags: 0,
        set: Some(Self::set_callback),
        get: Some(show_callback::<Self>),
        free: None,
    };

    /// The values, comma-separated.
    fn show(&self, mut out: &mut dyn Write) -> fmt::Result {
        for (i, value) in self.iter().enumerate() {
            if i > 0 {
                out.write_char(',')?;
            }
            value.show(&mut out)?;
        }
        Ok(())
    }
}

/// Writes the value of the parameter `kp` to `buffer`, and a newline (`kernel_param_ops.get`).
///
/// # Safety
///
/// `kp` is the `struct kernel_param` of a `P`; `buffer` is writable for `PAGE_SIZE` bytes.
unsafe extern "C" fn show_callback<P: ParamStorage>(
    buffer: *mut c_char,
    kp: *const bindings::kernel_param,
) -> c_int {
    // SAFETY: By the function's safety requirements.
    let (param, mut out) = unsafe { (&*arg::<P>(kp), PageWriter::new(buffer)) };
    let _ = private::Storage::show(param, &mut out);
    let _ = out.write_char('\n');
    out.len()
}

/// Parses the comma-separated list `val` of at most `N` values, passing each with its index to
/// `store`, and returns their number.
///
/// Each item, of any length, is parsed where it is, cut off by a NUL in place of its `,` as
/// `param_array()` does in C; the `,` is put back before returning.
///
/// # Safety
///
/// `val` must be a NUL-terminated string that may be written and that nothing else accesses
/// during the call.
unsafe fn parse_array<T: ParamType, const N: usize>(
    val: *mut c_char,
    mut store: impl FnMut(usize, T),
) -> Result<usize> {
    let mut item = val;
    let mut count = 0;
    loop {
        if count == N {
            return Err(EINVAL);
        }
        let mut end = item;
        // SAFETY: `end` stays within the string, which ends with a NUL, by the safety
        // requirements; it is ours to read and write.
        let last = unsafe {
            while *end != b',' as c_char && *end != 0 {
                end = end.add(1);
            }
            let last = *end == 0;
            *end = 0;
            last
        };
        // SAFETY: `item` is NUL-terminated now, and not written while the parser reads it.
        let value = T::parse(Some(unsafe { CStr::from_char_ptr(item) }));
        if !last {
            // SAFETY: As above; this puts back the `,`.
            unsafe { *end = b',' as c_char };
        }
        store(count, value?);
        count += 1;
        if last {
            return Ok(count);
        }
        // SAFETY: `end` is a `,` of the string, so the next byte is still in it.
        item = unsafe { end.add(1) };
    }
}

/// Returns the string at `ptr`, or `None` for `NULL`.
///
/// # Safety
///
/// `ptr` is `NULL` or a NUL-terminated string that lives for `'a`.
unsafe fn opt_cstr<'a>(ptr: *const c_char) -> Option<&'a CStr> {
    // SAFETY: By the function's safety requirements.
    (!ptr.is_null()).then(|| unsafe { CStr::from_char_ptr(ptr) })
}

/// Returns the `struct kernel_param` of the parameter `name` of `module`, stored in `storage`, with
/// the sysfs permissions `perm` (no sysfs file when 0).
///
/// # Safety
///
/// `perm` must pass the checks of `VERIFY_OCTAL_PERMISSIONS()` and have no execute bit, which
/// sysfs refuses with a warning: [`module!`](crate::prelude::module), the only user, checks
/// them. `module` is the module the parameter belongs to (`NULL` built in).
#[doc(hidden)]
pub const unsafe fn kernel_param<P: ParamStorage>(
    name: &'static CStr,
    module: *mut bindings::module,
    perm: u16,
    storage: &'static P,
) -> bindings::kernel_param {
    bindings::kernel_param {
        name: crate::str::as_char_ptr_in_const_context(name),
        mod_: module,
        ops: <P as private::Storage>::OPS,
        perm,
        level: -1,
        flags: 0,
        __bindgen_anon_1: bindings::kernel_param__bindgen_ty_1 {
            arg: core::ptr::from_ref(storage).cast_mut().cast::<c_void>(),
        },
    }
}

/// Returns the storage of the parameter `kp`.
///
/// # Safety
///
/// `kp` must point to a `struct kernel_param` made by [`kernel_param`] with a `P`; the kernel
/// passes such a `kp` to the operations of `P`.
unsafe fn arg<P: ParamStorage>(kp: *const bindings::kernel_param) -> *const P {
    // SAFETY: `kp` points to a valid `struct kernel_param` by the safety requirements, made by
    // `kernel_param`, which set `arg`, the active field of its union, to a `P`.
    unsafe { (*kp).__bindgen_anon_1.arg.cast::<P>() }
}
