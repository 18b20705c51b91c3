// SPDX-License-Identifier: GPL-2.0

//! Kernel objects in sysfs.
//!
//! A [`KObject`] is a directory of sysfs, made by `kobject_create_and_add()`, whose files are
//! read-only [`Attribute`]s: each one shows what its data writes ([`Show`]), computed when the
//! file is read. This is what a module needs to publish a few values, as C modules do with a
//! kobject in `/sys/kernel` and `__ATTR_RO()` attributes.
//!
//! C header: [`include/linux/kobject.h`](srctree/include/linux/kobject.h)

use crate::{
    bindings, error::to_result, ffi::c_char, module_param::PageWriter, prelude::*, str::CStr,
    types::Opaque,
};
use core::{fmt, mem, ptr, ptr::NonNull};

mod raw_attr;

/// The data of an [`Attribute`], which writes the content of its file.
///
/// Each read of the file calls [`Show::show`] on the data given to [`Attribute::new`], in process
/// context; reads may run concurrently, so the data is [`Sync`]. A function or closure that
/// writes the content from elsewhere is a `Show` too.
pub trait Show: Sync {
    /// Writes the content of the file to `out`.
    ///
    /// The text is cut short at `PAGE_SIZE - 1` bytes, as `sysfs_emit()` does. An error is the
    /// errno of the read.
    fn show(&self, out: &mut dyn fmt::Write) -> Result;
}

impl<F: Fn(&mut dyn fmt::Write) -> Result + Sync> Show for F {
    fn show(&self, out: &mut dyn fmt::Write) -> Result {
        self(out)
    }
}

/// A read-only file of a [`KObject`] (a `struct kobj_attribute`, mode `0444`).
///
/// It is built at compile time, in a `static`, and shared by all the kobjects it is added to.
/// Each read of the file calls [`Show::show`] on its data.
///
/// # Invariants
///
/// `raw` is a valid `kobj_attribute` named by a `'static` string, whose `show` is
/// `show_callback` and whose `store` is `NULL`.
#[repr(C)]
pub struct Attribute {
    // First, so that a pointer to `raw` is a pointer to the `Attribute`.
    raw: Opaque<bindings::kobj_attribute>,
    data: &'static dyn Show,
}

// SAFETY: `raw` is never written after compile time; sysfs only reads it. `data` is `Sync`.
unsafe impl Sync for Attribute {}

impl Attribute {
    /// Creates the read-only attribute `name`, whose content `data` writes.
    pub const fn new(name: &'static CStr, data: &'static dyn Show) -> Self {
        // SAFETY: All-zero is a valid `struct attribute`: the initial state of the lockdep fields
        // it has with `CONFIG_DEBUG_LOCK_ALLOC`, which C's static attributes also have.
        let mut attr: bindings::attribute = unsafe { mem::zeroed() };
        attr.name = crate::str::as_char_ptr_in_const_context(name);
        attr.mode = 0o444;
        // INVARIANT: `name` is `'static`, `show` is `show_callback` and `store` is `NULL`.
        // The safety requirements of `show_callback` hold for the calls sysfs makes:
        // `kobj_attr_show()` passes the `kobj_attribute` whose `show` it calls, here the `raw` of
        // this `Attribute`, and `sysfs_kf_seq_show()` a buffer of `PAGE_SIZE` bytes.
        Self {
            raw: Opaque::new(raw_attr::read_only(attr, show_callback)),
            data,
        }
    }

    fn as_raw(&self) -> *const bindings::attribute {
        // SAFETY: `raw` is valid, so is the place of its field `attr`.
        unsafe { ptr::addr_of!((*self.raw.get()).attr) }
    }

    /// Returns the name of the file.
    fn name(&self) -> &[u8] {
        // SAFETY: By the type invariant, `raw` is valid and its name a `'static` string, which
        // is never written.
        unsafe { CStr::from_char_ptr((*self.as_raw()).name) }.to_bytes()
    }
}

/// The `show` of every [`Attribute`]: calls [`Show::show`] on its data.
///
/// # Safety
///
/// `attr` must point to the `raw` of an [`Attribute`] and `buf` be writable for `PAGE_SIZE` bytes,
/// both for the duration of the call.
unsafe extern "C" fn show_callback(
    _kobj: *mut bindings::kobject,
    attr: *mut bindings::kobj_attribute,
    buf: *mut c_char,
) -> isize {
    // SAFETY: `raw` is the first field of the `repr(C)` `Attribute` that `attr` points into, by
    // the function's safety requirements.
    let attr = unsafe { &*attr.cast::<Attribute>() };
    // SAFETY: `buf` is writable for `PAGE_SIZE` bytes while `out` is used, by the function's
    // safety requirements.
    let mut out = unsafe { PageWriter::new(buf) };
    match attr.data.show(&mut out) {
        Ok(()) => out.len() as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// A kobject, that is a directory in sysfs, with read-only [`Attribute`]s as its files.
///
/// It is removed from sysfs, with its files, when dropped: after that, none of its `show`
/// functions is running or will run. Nothing else removes it: the files of a `KObject` that is
/// leaked (with [`core::mem::forget`], in a never-dropped `static`, in a reference cycle) call
/// the code and read the data of their module after it is unloaded. So creating one is
/// `unsafe`: a module keeps it in its module data, which is dropped when the module is
/// unloaded.
///
/// # Invariants
///
/// `self.0` is a kobject made by `kobject_create_and_add()`, on which this owns a reference. Its
/// ktype is the one of such kobjects, whose sysfs operations are `kobj_sysfs_ops`, and the only
/// files added to it are those of `'static` [`Attribute`]s.
///
/// # Examples
///
/// ```
/// use core::fmt::Write;
/// use core::sync::atomic::{AtomicU32, Ordering};
/// use kernel::{
///     c_str,
///     kobject::{Attribute, KObject, Show},
/// };
///
/// /// A counter that its file shows.
/// struct Answer(AtomicU32);
///
/// impl Show for Answer {
///     fn show(&self, out: &mut dyn Write) -> Result {
///         writeln!(out, "{}", self.0.load(Ordering::Relaxed))?;
///         Ok(())
///     }
/// }
///
/// static VALUE: Answer = Answer(AtomicU32::new(42));
/// static ANSWER: Attribute = Attribute::new(c_str!("answer"), &VALUE);
///
/// // A function can be the data too.
/// fn show_hello(out: &mut dyn Write) -> Result {
///     writeln!(out, "hello")?;
///     Ok(())
/// }
///
/// static HELLO: Attribute = Attribute::new(c_str!("hello"), &show_hello);
///
/// // `/sys/kernel/rust_kobject_doctest/answer` reads `42` while `kobj` exists.
/// // SAFETY: `kobj` is dropped before this returns; `ANSWER` is a `static`.
/// let kobj = unsafe { KObject::new_in_kernel(c_str!("rust_kobject_doctest"), &[&ANSWER, &HELLO]) }?;
/// drop(kobj);
/// // The directory is gone, so the name can be used again.
/// // SAFETY: As above.
/// let _kobj = unsafe { KObject::new_in_kernel(c_str!("rust_kobject_doctest"), &[&ANSWER]) }?;
///
/// // A name must not be empty, nor name two files.
/// // SAFETY: As above.
/// assert!(unsafe { KObject::new_in_kernel(c_str!(""), &[]) }.is_err());
/// // SAFETY: As above.
/// let twice = unsafe { KObject::new_in_kernel(c_str!("rust_kobject_doctest2"), &[&ANSWER, &ANSWER]) };
/// assert_eq!(twice.err(), Some(EINVAL));
/// # Ok::<(), Error>(())
/// ```
pub struct KObject(NonNull<bindings::kobject>);

impl KObject {
    /// Creates the directory `/sys/kernel/<name>` with the files of `attributes`.
    ///
    /// Fails with `EINVAL` for an empty name or two attributes of the same name, with `ENOMEM`,
    /// as `kobject_create_and_add()` reports every error, among them a directory of that name
    /// that exists already (the kernel warns about the duplicate then), or with the error of
    /// adding a file.
    ///
    /// # Safety
    ///
    /// The result must be dropped before the module whose code and data the attributes use is
    /// unloaded: kept in the module's data, or dropped before its init or exit returns. The
    /// attributes must be `static` items, not leaked allocations: their lockdep keys must be in
    /// static storage.
    pub unsafe fn new_in_kernel(name: &CStr, attributes: &[&'static Attribute]) -> Result<Self> {
        let repeated = |(i, attr): (usize, &&Attribute)| {
            attributes[..i]
                .iter()
                .any(|other| other.name() == attr.name())
        };
        if name.is_empty() || attributes.iter().enumerate().any(repeated) {
            return Err(EINVAL);
        }
        // SAFETY: `kernel_kobj` is set by an initcall that runs before any module is loaded or
        // Rust code runs, and is never changed after.
        let parent = unsafe { bindings::kernel_kobj };
        // SAFETY: `name` is a NUL-terminated string, which is copied; `parent` is a valid kobject.
        let raw = unsafe { bindings::kobject_create_and_add(name.as_char_ptr(), parent) };
        // INVARIANT: `raw` was made by `kobject_create_and_add()`, which returned its reference.
        let kobj = Self(NonNull::new(raw).ok_or(ENOMEM)?);
        for attr in attributes {
            // SAFETY: `kobj.0` is a valid kobject by the type invariant. `attr` is a valid,
            // `'static` `kobj_attribute` by the invariant of `Attribute`, as `kobj_sysfs_ops`
            // expects of the attributes of this ktype, in static storage as its lockdep key must
            // be, by the safety requirements. On error, dropping `kobj` removes the files added so
            // far.
            to_result(unsafe {
                bindings::sysfs_create_file_ns(kobj.0.as_ptr(), attr.as_raw(), ptr::null())
            })?;
        }
        Ok(kobj)
    }
}

impl Drop for KObject {
    fn drop(&mut self) {
        // SAFETY: By the type invariant, `self.0` is a valid kobject on which this owns a
        // reference, given back here. `kobject_del()` removes the directory and its files even if
        // other references remain, and waits for the `show` calls that are running to return.
        unsafe {
            bindings::kobject_del(self.0.as_ptr());
            bindings::kobject_put(self.0.as_ptr());
        }
    }
}

// SAFETY: A `KObject` is only a reference to a kobject, which may be given back from any thread.
unsafe impl Send for KObject {}

// SAFETY: A `&KObject` allows nothing.
unsafe impl Sync for KObject {}
