// SPDX-License-Identifier: GPL-2.0

//! Declaring a whole live patch module with [`module_livepatch!`].

/// Declares a live patch module: its tables, its [`module!`] and its init.
///
/// The module's init enables the patch ([`Patch::enable`]) and fails with its error, so `insmod`
/// reports the errno of `klp_enable_patch()`. `type`, if given, is a [`Module`] of the patch's
/// own, for what it needs besides the patch (a sysfs file, shadow variables to free): its `init`
/// runs first, and failing fails the module's init; the value it returns is dropped when the
/// module is removed, so after the patch is disabled, or at once if enabling the patch failed.
/// The module is marked as a live patch module ([`klp_modinfo!`], `livepatch: Y` in `modinfo`).
/// The patch appears as `/sys/kernel/livepatch/<name>`.
///
/// `objects` lists the patched objects, `vmlinux` or a module name as a string, each with the
/// [`Func`]s replaced in it and, after `with`, a type whose [`Callbacks`] run around patching and
/// unpatching it. `replace`, if given, is evaluated in the module's init (it may read a
/// parameter) and makes the patch cumulative when true ([`Patch::set_replace`]). `states` lists
/// the [`SystemState`]s the patch changes, which its callbacks reach through the
/// [`PatchedObject`] they are given. The other keys are those of [`module!`], in its order, and
/// passed to it as they are; `params` declares module parameters as there (`author` is a key of
/// 6.12 only, `imports_ns` one of 7.x only). Note that an
/// `alias` lets the kernel load the module, and so enable the patch, on demand
/// (`request_module()`).
///
/// # Examples
///
/// The Rust twin of `samples/livepatch/livepatch-sample.c`:
///
/// ```ignore
/// use core::ffi::{c_int, c_void};
/// use kernel::{klp_func, seq_file::SeqFile, seq_print};
///
/// kernel::module_livepatch! {
///     name: "livepatch_sample",
///     authors: ["Rust for Linux Contributors"],
///     description: "Replace /proc/cmdline",
///     license: "GPL",
///     objects: {
///         vmlinux: [
///             // SAFETY: `int cmdline_proc_show(struct seq_file *m, void *v)` (fs/proc/cmdline.c)
///             // is called with a valid seq file `m`.
///             unsafe {
///                 klp_func!(fn cmdline_proc_show(&SeqFile, *mut c_void) -> c_int => cmdline_proc_show)
///             },
///         ],
///     },
/// }
///
/// extern "C" fn cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
///     seq_print!(m, "this has been live patched\n");
///     0
/// }
/// ```
///
/// It expands to [`module!`] with a `type` of its own, a `static` [`Patch`] of the tables, and
/// the [`Module::init`] that enables it:
///
/// ```ignore
/// kernel::module! { type: LivepatchModule, name: "livepatch_sample", ... }
/// kernel::klp_modinfo!();
/// struct LivepatchModule(());
/// const _: () = {
///     static OBJECTS: ObjectTable<1> = ObjectTable::new([Object::vmlinux({
///         static FUNCS: FuncTable<1> = FuncTable::new([...]);
///         &FUNCS
///     })]);
///     static PATCH: Patch = Patch::new(&OBJECTS);
///     impl Module for LivepatchModule { /* `PATCH.enable(module)` */ }
/// };
/// ```
///
/// [`module!`]: crate::prelude::module
/// [`klp_modinfo!`]: crate::klp_modinfo
/// [`Patch`]: crate::livepatch::Patch
/// [`Module::init`]: crate::Module::init
/// [`Module`]: crate::Module
/// [`Patch::enable`]: crate::livepatch::Patch::enable
/// [`Patch::set_replace`]: crate::livepatch::Patch::set_replace
/// [`Callbacks`]: crate::livepatch::Callbacks
/// [`Func`]: crate::livepatch::Func
/// [`SystemState`]: crate::livepatch::SystemState
/// [`PatchedObject`]: crate::livepatch::PatchedObject
#[macro_export]
macro_rules! module_livepatch {
    (@one $x:tt) => { 1usize };

    (@count $($x:tt)*) => { 0usize $(+ $crate::module_livepatch!(@one $x))* };

    (@funcs $($func:expr),* $(,)?) => {{
        static FUNCS: $crate::livepatch::FuncTable<
            { $crate::module_livepatch!(@count $($func)*) }
        > = $crate::livepatch::FuncTable::new([$($func),*]);
        &FUNCS
    }};

    (@base vmlinux [$($funcs:tt)*]) => {
        $crate::livepatch::Object::vmlinux($crate::module_livepatch!(@funcs $($funcs)*))
    };

    (@base $module:literal [$($funcs:tt)*]) => {
        $crate::livepatch::Object::module(
            $crate::c_str!($module),
            $crate::module_livepatch!(@funcs $($funcs)*),
        )
    };

    (@object $object:tt [$($callbacks:ty)?] [$($funcs:tt)*]) => {
        $crate::module_livepatch!(@base $object [$($funcs)*])
            $(.callbacks::<$callbacks>())?
    };

    (@type) => { () };

    (@type $type:ty) => { $type };

    (@init $module:ident) => { () };

    (@init $module:ident $type:ty) => { <$type as $crate::Module>::init($module)? };

    (
        $(type: $type:ty,)?
        // `tt`, not `literal`: `module!` must see the string literals themselves.
        name: $name:tt,
        $(author: $author:tt,)?
        $(authors: $authors:tt,)?
        $(description: $description:tt,)?
        license: $license:tt,
        $(alias: $alias:tt,)?
        $(firmware: $firmware:tt,)?
        $(imports_ns: $imports_ns:tt,)?
        $(params: $params:tt,)?
        $(replace: $replace:expr,)?
        $(states: [$($state:ty),* $(,)?],)?
        objects: { $($object:tt $(with $callbacks:ty)?: [$($funcs:tt)*]),+ $(,)? },
    ) => {
        $crate::prelude::module! {
            type: LivepatchModule,
            name: $name,
            $(author: $author,)?
            $(authors: $authors,)?
            $(description: $description,)?
            license: $license,
            $(alias: $alias,)?
            $(firmware: $firmware,)?
            $(imports_ns: $imports_ns,)?
            $(params: $params,)?
        }

        $crate::klp_modinfo!();

        struct LivepatchModule($crate::module_livepatch!(@type $($type)?));

        const _: () = {
            static OBJECTS: $crate::livepatch::ObjectTable<
                { $crate::module_livepatch!(@count $($object)+) }
            > = $crate::livepatch::ObjectTable::new([
                $($crate::module_livepatch!(@object $object [$($callbacks)?] [$($funcs)*])),+
            ]);

            static PATCH: $crate::livepatch::Patch =
                $crate::livepatch::Patch::new(&OBJECTS)
                    $(.states({
                        static STATES: $crate::livepatch::StateTable<
                            { $crate::module_livepatch!(@count $($state)*) }
                        > = $crate::livepatch::StateTable::new([
                            $($crate::livepatch::State::new::<$state>()),*
                        ]);
                        &STATES
                    }))?;

            impl $crate::Module for LivepatchModule {
                fn init(module: &'static $crate::ThisModule) -> $crate::error::Result<Self> {
                    let data = $crate::module_livepatch!(@init module $($type)?);
                    $(PATCH.set_replace($replace)?;)?
                    // SAFETY: `module` holds the patch, and the init succeeds once the patch
                    // is enabled.
                    unsafe { PATCH.enable(module) }?;
                    Ok(LivepatchModule(data))
                }
            }
        };
    };
}

/// Marks the module as a live patch module, as `MODULE_INFO(livepatch, "Y")` does in C.
///
/// The livepatch core only enables the patches of such modules. [`module_livepatch!`] uses it; a
/// module that declares its [`Patch`](crate::livepatch::Patch) by hand next to [`module!`]
/// invokes it once. It expands to the `modinfo` entry:
///
/// ```ignore
/// #[cfg(MODULE)]
/// #[link_section = ".modinfo"]
/// #[used(compiler)]
/// static LIVEPATCH: [u8; 12] = *b"livepatch=Y\0";
/// ```
///
/// [`module!`]: crate::prelude::module
#[macro_export]
macro_rules! klp_modinfo {
    () => {
        const _: () = {
            #[cfg(MODULE)]
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static LIVEPATCH: [u8; 12] = *b"livepatch=Y\0";
        };
    };
}
