// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: shadow variables.
//!
//! The Rust port of `tools/testing/selftests/livepatch/test_modules/test_klp_shadow_vars.c`, with
//! the same name and output: its init attaches two shadow variables, a "char" field and an "int"
//! field, to each of three objects, finds them again, frees the first ones one by one and the
//! second ones all at once, and logs every call. Pointers are logged as `PTR<n>`, numbered in
//! the order they are first seen, so that the log does not depend on addresses. Used by
//! `test-shadow-vars.sh`.

use core::pin::Pin;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use kernel::alloc::{flags, Flags};
use kernel::ffi::{c_char, c_int, c_ulong, c_void};
use kernel::init::pin_init_from_closure;
use kernel::livepatch::{Shadow, ShadowId};
use kernel::prelude::*;

module! {
    type: TestKlpShadowVars,
    name: "test_klp_shadow_vars",
    authors: ["Joe Lawrence <joe.lawrence@redhat.com>"],
    description: "Livepatch test: shadow variables",
    license: "GPL",
}

/// The pointers seen so far; a pointer's id is its index. Ironically the shadow variable API
/// could do this, but the test does not lean on the code it tests.
const MAX_PTRS: usize = 32;
// Only repeated in `PTRS`, whose every entry is an atomic of its own.
#[allow(clippy::declare_interior_mutable_const)]
const NO_PTR: AtomicUsize = AtomicUsize::new(0);
static PTRS: [AtomicUsize; MAX_PTRS] = [NO_PTR; MAX_PTRS];
static NPTRS: AtomicUsize = AtomicUsize::new(0);

/// Returns the id of `ptr`, giving it the next one if it is new; `-ENOMEM` when out of ids.
///
/// Only the module's init calls it (the destructor runs from there too), so relaxed atomics
/// suffice.
fn ptr_id<T>(ptr: *const T) -> i32 {
    let addr = ptr.cast::<()>() as usize;
    let n = NPTRS.load(Ordering::Relaxed);
    if let Some(id) = PTRS[..n]
        .iter()
        .position(|p| p.load(Ordering::Relaxed) == addr)
    {
        return id as i32;
    }
    if n == MAX_PTRS {
        return ENOMEM.to_errno();
    }
    PTRS[n].store(addr, Ordering::Relaxed);
    NPTRS.store(n + 1, Ordering::Relaxed);
    n as i32
}

fn free_ptr_list() {
    NPTRS.store(0, Ordering::Relaxed);
}

/// `ptr_id` of a shadow variable found or not.
fn sv_id<T>(sv: Option<&T>) -> i32 {
    ptr_id(sv.map_or(ptr::null(), ptr::from_ref))
}

/// What `%pGg` prints for the flags this test uses.
fn gfp_name(gfp: Flags) -> &'static str {
    if gfp == flags::GFP_KERNEL {
        "GFP_KERNEL"
    } else if gfp == flags::GFP_ATOMIC {
        "GFP_ATOMIC"
    } else {
        "?"
    }
}

/// The number of objects we simulate that need shadow variables.
const NUM_OBJS: usize = 3;

/// The objects the test attaches its shadow variables to: non-empty, so that they have distinct
/// addresses. The shadow variables stand for fields added at run time:
///
/// ```text
/// char nfield1;   (SV_ID1)
/// int  nfield2;   (SV_ID2)
/// ```
#[derive(Clone, Copy)]
struct TestObject {
    _unused: [u8; 8],
}

/// `SV_ID1`: the "char" field, a pointer to a `c_char`.
struct NField1;

// SAFETY: Id 0x1234 is only used by this test (and the C test of the same module name, which
// cannot be loaded at the same time) for `AtomicPtr<c_char>`s attached to `TestObject`s; the test
// frees them before its init returns. The destructor only logs.
#[vtable]
unsafe impl ShadowId for NField1 {
    const ID: c_ulong = 0x1234;
    type Object = TestObject;
    type Data = AtomicPtr<c_char>;

    fn release(obj: *const TestObject, data: Pin<&mut AtomicPtr<c_char>>) {
        shadow_dtor(obj.cast(), ptr::from_ref(&*data).cast());
    }
}

/// `SV_ID2`: the "int" field, a pointer to a `c_int`; freeing it needs no destructor.
struct NField2;

// SAFETY: As for `NField1`, with id 0x1235 and `AtomicPtr<c_int>`.
#[vtable]
unsafe impl ShadowId for NField2 {
    const ID: c_ulong = 0x1235;
    type Object = TestObject;
    type Data = AtomicPtr<c_int>;
}

/// The shadow variable destructor of `NField1`, as the C test's: logs what it frees.
///
/// With more than one variable freed at a time the order would not be determined, which is why
/// `NField2` has none (see pass 6).
fn shadow_dtor(obj: *const c_void, shadow_data: *const c_void) {
    pr_info!(
        "shadow_dtor(obj=PTR{}, shadow_data=PTR{})\n",
        ptr_id(obj),
        ptr_id(shadow_data)
    );
}

/// The check and log of the shadow variable constructor, as the C test's `shadow_ctor`: it
/// remembers simple pointer data, and refuses a `NULL` pointer.
fn shadow_ctor(sv: *const c_void, var: *const c_void) -> Result {
    if var.is_null() {
        return Err(EINVAL);
    }
    pr_info!("shadow_ctor: PTR{} -> PTR{}\n", ptr_id(sv), ptr_id(var));
    Ok(())
}

/// Constructs a shadow variable that points to `var`, with [`shadow_ctor`].
fn field<T>(var: *mut T) -> impl PinInit<AtomicPtr<T>, Error> {
    // SAFETY: The closure returns `Ok` after writing a valid `AtomicPtr` to `sv`, and an error
    // before writing anything, when there is nothing to clean up.
    unsafe {
        pin_init_from_closure(move |sv: *mut AtomicPtr<T>| {
            shadow_ctor(sv.cast_const().cast(), var.cast_const().cast())?;
            sv.write(AtomicPtr::new(var));
            Ok(())
        })
    }
}

/// The id the log gives the constructor.
fn ctor_id() -> i32 {
    ptr_id(shadow_ctor as *const c_void)
}

// Wrappers of the shadow variable API that log the function and its arguments, pointers as ids.

fn shadow_get<K: Shadow<Object = TestObject>>(obj: &TestObject) -> Option<&K::Data> {
    let sv = K::get(obj);
    pr_info!(
        "klp_shadow_get(obj=PTR{}, id=0x{:x}) = PTR{}\n",
        ptr_id(obj),
        K::ID,
        sv_id(sv)
    );
    sv
}

fn shadow_alloc<K, T>(obj: &TestObject, gfp: Flags, var: *mut T) -> Result<&AtomicPtr<T>>
where
    K: Shadow<Object = TestObject, Data = AtomicPtr<T>>,
{
    // SAFETY: `field()` only logs, which does not sleep, and uses no shadow variable.
    let sv = unsafe { K::alloc_pin_init(obj, field(var), gfp) };
    log_alloc::<K, T>("alloc", obj, gfp, var, &sv);
    sv
}

fn shadow_get_or_alloc<K, T>(obj: &TestObject, gfp: Flags, var: *mut T) -> Result<&AtomicPtr<T>>
where
    K: Shadow<Object = TestObject, Data = AtomicPtr<T>>,
{
    // SAFETY: As in `shadow_alloc`.
    let sv = unsafe { K::get_or_alloc_pin_init(obj, field(var), gfp) };
    log_alloc::<K, T>("get_or_alloc", obj, gfp, var, &sv);
    sv
}

/// Logs a call of `klp_shadow_<func>()` that allocates.
fn log_alloc<K, T>(
    func: &str,
    obj: &TestObject,
    gfp: Flags,
    var: *mut T,
    sv: &Result<&AtomicPtr<T>>,
) where
    K: Shadow<Object = TestObject, Data = AtomicPtr<T>>,
{
    pr_info!(
        // One literal: `pr_info!` takes no `concat!` on 7.x.
        "klp_shadow_{}(obj=PTR{}, id=0x{:x}, size={:x}, gfp_flags={}), \
         ctor=PTR{}, ctor_data=PTR{} = PTR{}\n",
        func,
        ptr_id(obj),
        K::ID,
        core::mem::size_of::<K::Data>(),
        gfp_name(gfp),
        ctor_id(),
        ptr_id(var),
        sv_id(sv.as_ref().ok().copied())
    );
}

/// Frees the variable `K` of `obj`; `dtor` is the destructor `K` runs, for the log.
fn shadow_free<K: Shadow<Object = TestObject>>(obj: &mut TestObject, dtor: *const c_void) {
    K::free(obj);
    pr_info!(
        "klp_shadow_free(obj=PTR{}, id=0x{:x}, dtor=PTR{})\n",
        ptr_id(obj),
        K::ID,
        ptr_id(dtor)
    );
}

/// Frees the variables `K` of all objects; `dtor` is the destructor `K` runs, for the log.
///
/// # Safety
///
/// As for [`Shadow::free_all`].
unsafe fn shadow_free_all<K: Shadow>(dtor: *const c_void) {
    // SAFETY: By the safety requirements.
    unsafe { K::free_all() };
    pr_info!(
        "klp_shadow_free_all(id=0x{:x}, dtor=PTR{})\n",
        K::ID,
        ptr_id(dtor)
    );
}

/// Logs that a pointer variable was found where expected, pointing where expected.
fn expect<T>(sv: &AtomicPtr<T>, expected_sv: *const AtomicPtr<T>, expected: *mut T) {
    let var = sv.load(Ordering::Relaxed);
    if ptr::eq(sv, expected_sv) && var == expected {
        pr_info!(
            "  got expected PTR{} -> PTR{} result\n",
            ptr_id(expected_sv),
            ptr_id(var)
        );
    }
}

/// The test: everything the C test's init does before it frees its pointer list.
///
/// The shadow variables are kept as addresses between the passes, only compared: a reference
/// would keep `objs` borrowed, and `shadow_free` needs it exclusively.
fn run(objs: &mut [TestObject; NUM_OBJS]) -> Result {
    let mut nfields1: [c_char; NUM_OBJS] = [0; NUM_OBJS];
    let mut nfields2: [c_int; NUM_OBJS] = [0; NUM_OBJS];
    let mut pnfields1 = [ptr::null_mut(); NUM_OBJS];
    let mut pnfields2 = [ptr::null_mut(); NUM_OBJS];
    let mut sv1 = [ptr::null(); NUM_OBJS];
    let mut sv2 = [ptr::null(); NUM_OBJS];

    ptr_id(ptr::null::<c_void>());

    // With an empty shadow variable hash table, expect not to find any matches.
    if shadow_get::<NField1>(&objs[0]).is_none() {
        pr_info!("  got expected NULL result\n");
    }

    // Pass 1: init & alloc a char+int pair of shadow variables for each object.
    for i in 0..NUM_OBJS {
        pnfields1[i] = ptr::addr_of_mut!(nfields1[i]);
        ptr_id(pnfields1[i]);

        let sv = if i % 2 != 0 {
            shadow_alloc::<NField1, _>(&objs[i], flags::GFP_KERNEL, pnfields1[i])
        } else {
            shadow_get_or_alloc::<NField1, _>(&objs[i], flags::GFP_KERNEL, pnfields1[i])
        };
        sv1[i] = ptr::from_ref(sv.map_err(|_| ENOMEM)?);

        pnfields2[i] = ptr::addr_of_mut!(nfields2[i]);
        ptr_id(pnfields2[i]);
        let sv = shadow_alloc::<NField2, _>(&objs[i], flags::GFP_KERNEL, pnfields2[i]);
        sv2[i] = ptr::from_ref(sv.map_err(|_| ENOMEM)?);
    }

    // Pass 2: verify we find the allocated variables and where they point to.
    for i in 0..NUM_OBJS {
        // Check the "char" variable of all objects.
        let sv = shadow_get::<NField1>(&objs[i]).ok_or(EINVAL)?;
        expect(sv, sv1[i], pnfields1[i]);

        // Check the "int" variable of all objects.
        let sv = shadow_get::<NField2>(&objs[i]).ok_or(EINVAL)?;
        expect(sv, sv2[i], pnfields2[i]);
    }

    // Pass 3: verify that `get_or_alloc` returns already allocated variables.
    for i in 0..NUM_OBJS {
        let pndup = ptr::addr_of_mut!(nfields1[i]);
        ptr_id(pndup);

        let sv = shadow_get_or_alloc::<NField1, _>(&objs[i], flags::GFP_KERNEL, pndup);
        expect(sv.map_err(|_| EINVAL)?, sv1[i], pnfields1[i]);
    }

    // Pass 4: free the <objs[*], SV_ID1> pairs of variables, verify the removal.
    let dtor = shadow_dtor as *const c_void;
    for obj in objs.iter_mut() {
        shadow_free::<NField1>(obj, dtor);
        if shadow_get::<NField1>(obj).is_none() {
            pr_info!("  got expected NULL result\n");
        }
    }

    // Pass 5: check we still find the <objs[*], SV_ID2> pairs.
    for i in 0..NUM_OBJS {
        let sv = shadow_get::<NField2>(&objs[i]).ok_or(EINVAL)?;
        expect(sv, sv2[i], pnfields2[i]);
    }

    // Pass 6: free all the <objs[*], SV_ID2> pairs too; `NField2` has no destructor.
    // SAFETY: No reference to an `NField2` variable is alive: the loops above dropped theirs, and
    // only this function, which `init` runs to its end first, uses the id.
    unsafe { shadow_free_all::<NField2>(ptr::null()) };
    for obj in objs.iter() {
        if shadow_get::<NField2>(obj).is_none() {
            pr_info!("  got expected NULL result\n");
        }
    }

    Ok(())
}

struct TestKlpShadowVars;

impl kernel::Module for TestKlpShadowVars {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut objs = [TestObject { _unused: [0; 8] }; NUM_OBJS];

        let ret = run(&mut objs);
        if ret.is_err() {
            // SAFETY: `run` returned: no reference to a variable of either id is alive, and
            // nothing else uses the ids. The destructor of `NField1` only logs.
            unsafe {
                shadow_free_all::<NField1>(shadow_dtor as *const c_void);
                shadow_free_all::<NField2>(ptr::null());
            }
        }
        free_ptr_list();
        ret.map(|()| TestKlpShadowVars)
    }
}
