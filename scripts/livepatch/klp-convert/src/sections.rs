// SPDX-License-Identifier: GPL-2.0

//! The sections of a live patch module that may not hold livepatch relocations.
//!
//! The two kinds of livepatch relocations are written at different times
//! (kernel/livepatch/core.c, kernel/module/main.c):
//!
//! - those against the symbols of vmlinux once, by the module loader, as it applies the patch
//!   module's other relocations (`apply_relocations()`): before anything reads the module
//!   (`post_relocation()`, `module_finalize()`, the `MODULE_STATE_COMING` notifiers), and before
//!   its init runs and its init sections are freed. So they may be anywhere the loader applies
//!   relocations, `.init` sections included;
//! - those against the symbols of a module only when the patch is enabled with that module
//!   loaded, or when the module loads later (`klp_init_object_loaded()`); and they are cleared
//!   when it goes, to be written again if it comes back. So they may only be where nothing reads
//!   them before, and in memory that stays as long as the patch module: not in the sections the
//!   kernel reads or copies elsewhere from the time it loads the patch module, and not in the
//!   init sections, freed by the time the module loads later.

/// The sections that the kernel reads, or copies elsewhere, from the time it loads a module: the
/// code patching of `module_finalize()` (arch/x86/kernel/module.c), and the tables that
/// `find_module_sections()` (kernel/module/main.c) records and the loader or the
/// `MODULE_STATE_COMING` notifiers process. `.altinstr_aux` is not one: it is ordinary code,
/// relocated where it is.
const READ_AT_LOAD: &[&str] = &[
    // module_finalize(): alternatives, whose replacements are copied over the original
    // instructions, and the sites of the code it rewrites.
    ".altinstructions",
    ".altinstr_replacement",
    ".smp_locks",
    ".retpoline_sites",
    ".return_sites",
    ".call_sites",
    ".cfi_sites",
    ".ibt_endbr_seal",
    ".orc_unwind",
    ".orc_unwind_ip",
    // find_module_sections() and what processes the tables it records.
    "__param",
    "__ksymtab",
    "__ksymtab_gpl",
    ".ctors",
    "__tracepoints_ptrs",
    "___srcu_struct_ptrs",
    "__bpf_raw_tp_map",
    "__jump_table",
    "_ftrace_events",
    "_ftrace_eval_map",
    "__trace_printk_fmt",
    "__mcount_loc",
    "_error_injection_whitelist",
    "_kprobe_blacklist",
    ".static_call_sites",
    ".kunit_test_suites",
    ".kunit_init_test_suites",
    "__ex_table",
    "__dyndbg",
    "__dyndbg_classes",
    // The module itself: its name, init and exit.
    ".gnu.linkonce.this_module",
];

/// The per-CPU section, which the loader does not load but copies to each CPU's area after
/// applying relocations (`percpu_modcopy()`): it skips the livepatch relocations against vmlinux
/// there, and those against a module would be written later to the load-time copy, freed by then.
const PERCPU: &str = ".data..percpu";

/// Returns why the references from the section `section` of a live patch module to the symbols
/// of `object` (`vmlinux` or a module) cannot be livepatch relocations, `None` if they can;
/// `alloc` is whether the section is loaded (`SHF_ALLOC`).
pub(crate) fn refusal(object: &str, section: &[u8], alloc: bool) -> Option<String> {
    let name = String::from_utf8_lossy(section);
    if name == PERCPU {
        return Some(
            "the kernel copies the section to per-CPU memory when it loads the module, and never \
             writes livepatch relocations to the copies"
                .into(),
        );
    }
    if !alloc {
        return Some("the section is not loaded".into());
    }
    if object == "vmlinux" {
        return None;
    }
    if name.starts_with(".init") {
        return Some(format!(
            "the livepatch core writes them whenever {object} loads, also after the init \
             sections of the patch module are freed"
        ));
    }
    if name.starts_with(".exit") {
        return Some(format!(
            "the livepatch core writes them whenever {object} loads, and without \
             CONFIG_MODULE_UNLOAD the exit sections are freed with the init sections"
        ));
    }
    if READ_AT_LOAD.contains(&&*name) {
        return Some(format!(
            "the kernel processes the section when it loads the patch module, before the \
             livepatch core writes the addresses of {object} symbols"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_references() {
        for section in [".text", ".rodata", ".data", ".data..ro_after_init"] {
            assert_eq!(refusal("m", section.as_bytes(), true), None, "{section}");
        }
        for section in [
            ".init.text",
            ".init.data",
            ".init.rodata",
            ".init_array",
            ".exit.text",
            ".exit.data",
            "__jump_table",
            ".altinstructions",
            ".altinstr_replacement",
            ".static_call_sites",
            ".data..percpu",
        ] {
            assert!(
                refusal("m", section.as_bytes(), true).is_some(),
                "{section}"
            );
        }
        assert_eq!(
            refusal("m", b".comment", false).as_deref(),
            Some("the section is not loaded")
        );
    }

    #[test]
    fn vmlinux_references() {
        for section in [
            ".text",
            ".init.text",
            ".init.data",
            ".exit.text",
            "__jump_table",
            ".altinstructions",
            ".static_call_sites",
        ] {
            assert_eq!(
                refusal("vmlinux", section.as_bytes(), true),
                None,
                "{section}"
            );
        }
        assert!(refusal("vmlinux", b".data..percpu", true).is_some());
        assert!(refusal("vmlinux", b".comment", false).is_some());
    }
}
