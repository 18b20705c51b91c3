// SPDX-License-Identifier: GPL-2.0

//! The module information of a module, its `.modinfo` section: NUL-terminated `key=value`
//! strings.
//!
//! Only a live patch module, marked `livepatch=Y` there (`MODULE_INFO(livepatch, "Y")`, the
//! `livepatch` key of `module!`), may have livepatch relocations or Rust paths of patched
//! functions. The loader applies the livepatch relocations against vmlinux of any module, but
//! only the livepatch core, which takes no other module, writes those against modules: in any
//! other module they would stay unresolved, and the code using them would call or write through
//! addresses that are not the symbols'.

use object::build::elf::{Builder, SectionData};

/// The name of the section.
const SECTION: &[u8] = b".modinfo";

/// The entry of a live patch module.
const LIVEPATCH: &[u8] = b"livepatch=Y";

/// Returns whether the module in `builder` is marked as a live patch module.
pub(crate) fn is_live_patch(builder: &Builder<'_>) -> bool {
    builder.sections.iter().any(|section| {
        *section.name == *SECTION
            && matches!(&section.data, SectionData::Data(data)
                if data.split(|b| *b == 0).any(|entry| entry == LIVEPATCH))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use object::Endianness;

    /// Whether a module with the `.modinfo` contents `modinfo` is a live patch module.
    fn live_patch(modinfo: &[u8]) -> bool {
        let mut builder = Builder::new(Endianness::Little, true);
        let section = builder.sections.add();
        section.name = SECTION.to_vec().into();
        section.data = SectionData::Data(modinfo.to_vec().into());
        is_live_patch(&builder)
    }

    #[test]
    fn livepatch_entry() {
        assert!(live_patch(b"license=GPL\0livepatch=Y\0name=p\0"));
        assert!(live_patch(b"livepatch=Y\0"));
        assert!(!live_patch(b"license=GPL\0name=p\0"));
        assert!(!live_patch(b"livepatch=N\0"));
        assert!(!live_patch(b"xlivepatch=Y\0livepatch=Yes\0"));
        assert!(!live_patch(b"description=livepatch=Y with more\0"));
        assert!(!is_live_patch(&Builder::new(Endianness::Little, true)));
    }
}
