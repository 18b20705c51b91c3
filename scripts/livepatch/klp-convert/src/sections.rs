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
//!   when it goes, to be written again if it comes back. So they may only be in memory that stays
//!   as long as the patch module: not in its init sections, freed by the time the module loads
//!   later.

/// Returns why the references from the section `section` of a live patch module to the symbols
/// of `object` (`vmlinux` or a module) cannot be livepatch relocations, `None` if they can;
/// `alloc` is whether the section is loaded (`SHF_ALLOC`).
pub(crate) fn refusal(object: &str, section: &[u8], alloc: bool) -> Option<String> {
    let name = String::from_utf8_lossy(section);
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
        for section in [".text", ".init.text", ".init.data", ".exit.text"] {
            assert_eq!(
                refusal("vmlinux", section.as_bytes(), true),
                None,
                "{section}"
            );
        }
        assert!(refusal("vmlinux", b".comment", false).is_some());
    }
}
