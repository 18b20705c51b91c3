// SPDX-License-Identifier: GPL-2.0

//! The tables of a live patch module: which `struct klp_object` each `struct klp_func` is listed
//! under.
//!
//! A patch's `struct klp_object`s point to their tables of `struct klp_func` (`funcs`), and each
//! `struct klp_func` to the name of the function it replaces (`old_name`, its first field), all
//! through absolute relocations of the module's data. So the object of a name is found from the
//! relocation that points to it: that relocation is the `old_name` of a `struct klp_func`, whose
//! table starts at the nearest place before it, a whole number of entries away, that the `funcs`
//! of an object points to, with no end of table (an entry without `old_name`) in between; that object's `name` points to the module's name, or is null for
//! vmlinux. Several objects may list one table (the `kernel` crate refuses that when the patch is
//! enabled, `EBUSY`, which `test-rust-tables.sh` checks with such a patch). The layout of the two
//! structures is vmlinux's, from its BTF.

use crate::btf::Btf;
use crate::Error;
use object::read::{Object, ObjectSection, ObjectSymbol, RelocationTarget};
use object::{RelocationFlags, SectionIndex, SectionKind};
use std::collections::BTreeMap;

/// A place in the module: a section (its ELF index) and an offset in it.
pub(crate) type Place = (usize, u64);

/// The layout of `struct klp_func` and `struct klp_object` that the tables have.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    /// The size of `struct klp_func`.
    func_size: u64,
    /// The offset of `name` in `struct klp_object`.
    name: u64,
    /// The offset of `funcs` in `struct klp_object`.
    funcs: u64,
}

impl Layout {
    /// Reads the layout from the BTF of vmlinux.
    pub(crate) fn from_btf(btf: &Btf) -> Result<Self, Error> {
        let (Some((func_size, 0)), Some((_, name)), Some((_, funcs))) = (
            btf.member_offset("klp_func", "old_name"),
            btf.member_offset("klp_object", "name"),
            btf.member_offset("klp_object", "funcs"),
        ) else {
            fail!(
                "the BTF of vmlinux has no struct klp_func starting with old_name, or no struct \
                 klp_object with a name and funcs"
            );
        };
        Ok(Self {
            func_size: func_size.into(),
            name: name.into(),
            funcs: funcs.into(),
        })
    }
}

/// Returns the absolute 64-bit relocations of the module's allocated data: where each is, and
/// where it points.
pub(crate) fn pointers(file: &object::File<'_>) -> BTreeMap<Place, Place> {
    let mut pointers = BTreeMap::new();
    for section in file.sections() {
        let object::SectionFlags::Elf { sh_flags } = section.flags() else {
            continue;
        };
        // The module's data, not its code nor its debug information.
        if sh_flags & u64::from(object::elf::SHF_ALLOC) == 0 || section.kind() == SectionKind::Text
        {
            continue;
        }
        for (offset, reloc) in section.relocations() {
            if !matches!(reloc.flags(), RelocationFlags::Elf { r_type } if r_type == object::elf::R_X86_64_64)
            {
                continue;
            }
            let RelocationTarget::Symbol(index) = reloc.target() else {
                continue;
            };
            let Ok(symbol) = file.symbol_by_index(index) else {
                continue;
            };
            let Some(target) = symbol.section_index() else {
                continue;
            };
            let at = symbol.address().wrapping_add_signed(reloc.addend());
            pointers.insert((section.index().0, offset), (target.0, at));
        }
    }
    pointers
}

/// Reads the NUL-terminated string at `place`.
pub(crate) fn string_at(file: &object::File<'_>, (section, offset): Place) -> Option<String> {
    let data = file
        .section_by_index(SectionIndex(section))
        .ok()?
        .data()
        .ok()?;
    let bytes = data.get(offset as usize..)?;
    let end = bytes.iter().position(|&b| b == 0)?;
    Some(String::from_utf8_lossy(&bytes[..end]).into_owned())
}

/// Returns the objects (`vmlinux`, or module names) that list the `struct klp_func` at `func`,
/// none if no object refers to its table.
pub(crate) fn objects_of(
    file: &object::File<'_>,
    pointers: &BTreeMap<Place, Place>,
    layout: Layout,
    func: Place,
) -> Result<Vec<String>, Error> {
    let in_table = |&(s, at): &Place| {
        s == func.0 && at <= func.1 && (func.1 - at).is_multiple_of(layout.func_size)
    };
    let Some(start) = pointers.values().filter(|p| in_table(p)).map(|p| p.1).max() else {
        return Ok(Vec::new());
    };
    // Every entry from there to `func` has its `old_name`: none is the end of the table.
    let mut entry = start;
    while entry < func.1 {
        if !pointers.contains_key(&(func.0, entry)) {
            return Ok(Vec::new());
        }
        entry += layout.func_size;
    }
    let mut objects = Vec::new();
    for (&(section, object_funcs), _) in pointers
        .iter()
        .filter(|(_, &p)| in_table(&p) && p.1 == start)
    {
        let name_field = (object_funcs + layout.name)
            .checked_sub(layout.funcs)
            .map(|at| (section, at));
        let object = match name_field.and_then(|field| pointers.get(&field)) {
            Some(&name) => match string_at(file, name) {
                // The core takes an object named so for a module of that name, which never loads.
                Some(name) if name == "vmlinux" => {
                    fail!("a struct klp_object is named 'vmlinux': vmlinux's has no name (NULL)")
                }
                Some(name) => name,
                None => fail!("the name of a struct klp_object cannot be read"),
            },
            None => "vmlinux".into(),
        };
        objects.push(object);
    }
    Ok(objects)
}

/// Returns the objects that list each name in the sections called `section` of the module: by the
/// place of the name, those of each `struct klp_func` that points to it, none for one whose
/// table no object lists.
pub(crate) fn listed(
    file: &object::File<'_>,
    layout: Layout,
    section: &str,
) -> Result<BTreeMap<Place, Vec<String>>, Error> {
    let pointers = pointers(file);
    let mut listed: BTreeMap<Place, Vec<String>> = BTreeMap::new();
    for (&func, &name) in &pointers {
        let in_section = file
            .section_by_index(SectionIndex(name.0))
            .is_ok_and(|s| s.name() == Ok(section));
        if !in_section {
            continue;
        }
        let objects = objects_of(file, &pointers, layout, func)
            .map_err(|e| Error(format!("{section}+{:#x}: {}", name.1, e.0)))?;
        let listing = listed.entry(name).or_default();
        for object in objects {
            if !listing.contains(&object) {
                listing.push(object);
            }
        }
    }
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use object::build::elf::{Builder, Relocation, SectionData};
    use object::elf;
    use object::Endianness;

    /// A `struct klp_func` of 16 bytes, `old_name` first; a `struct klp_object` with `name`, then
    /// `funcs`.
    const LAYOUT: Layout = Layout {
        func_size: 16,
        name: 0,
        funcs: 8,
    };

    /// The ELF index of `.klp.rust_names` in [`module`].
    const NAMES: usize = 3;

    /// A module whose `.data` has the pointers `pointers`, each `(offset, section, addend)` with
    /// section 0 for `.data`, 1 for `.rodata` (`"mod_x\0vmlinux\0"`) and 2 for `.klp.rust_names`.
    fn module(pointers: &[(u64, usize, i64)]) -> Vec<u8> {
        let mut builder = Builder::new(Endianness::Little, true);
        builder.header.e_type = elf::ET_REL;
        builder.header.e_machine = elf::EM_X86_64;
        let mut ids = Vec::new();
        for (name, data) in [
            (".data", vec![0; 160]),
            (".rodata", b"mod_x\0vmlinux\0".to_vec()),
            (".klp.rust_names", vec![b'x'; 64]),
        ] {
            let section = builder.sections.add();
            section.name = name.as_bytes().to_vec().into();
            section.sh_type = elf::SHT_PROGBITS;
            section.sh_flags = (elf::SHF_ALLOC | elf::SHF_WRITE).into();
            section.data = SectionData::Data(data.into());
            ids.push(section.id());
        }
        let symbols: Vec<_> = ids
            .iter()
            .map(|&id| {
                let symbol = builder.symbols.add();
                symbol.section = Some(id);
                symbol.set_st_info(elf::STB_LOCAL, elf::STT_SECTION);
                symbol.id()
            })
            .collect();
        let relocations = pointers
            .iter()
            .map(|&(offset, section, addend)| Relocation {
                r_offset: offset,
                symbol: Some(symbols[section]),
                r_type: elf::R_X86_64_64,
                r_addend: addend,
            })
            .collect();
        let rela = builder.sections.add();
        rela.name = b".rela.data".to_vec().into();
        rela.sh_type = elf::SHT_RELA;
        rela.sh_flags = elf::SHF_INFO_LINK.into();
        rela.sh_info_section = Some(ids[0]);
        rela.data = SectionData::Relocation(relocations);
        let rela = rela.id();
        for (name, data) in [
            (".symtab", SectionData::Symbol),
            (".strtab", SectionData::String),
            (".shstrtab", SectionData::SectionString),
        ] {
            let section = builder.sections.add();
            section.name = name.as_bytes().to_vec().into();
            section.data = data;
            if name == ".symtab" {
                builder.sections.get_mut(rela).sh_link_section = Some(section.id());
            }
        }
        let mut out = Vec::new();
        builder.write(&mut out).expect("a module");
        out
    }

    fn listed_in(data: &[u8]) -> Result<BTreeMap<Place, Vec<String>>, Error> {
        let file = object::File::parse(data).expect("an ELF file");
        listed(&file, LAYOUT, ".klp.rust_names")
    }

    #[test]
    fn finds_the_object_of_each_name() {
        let data = module(&[
            // A table of two functions at 0, its end at 32; one of one at 48, its end at 64.
            (0, 2, 0),
            (16, 2, 8),
            (48, 2, 16),
            // The object "mod_x" lists the first, the nameless one (vmlinux) the second.
            (80, 1, 0),
            (88, 0, 0),
            (104, 0, 48),
            // A function at 128 whose table no object lists.
            (128, 2, 24),
        ]);
        let listed = listed_in(&data).unwrap_or_else(|e| panic!("{e}"));
        let expected: BTreeMap<Place, Vec<String>> = [
            ((NAMES, 0), vec!["mod_x".to_string()]),
            ((NAMES, 8), vec!["mod_x".to_string()]),
            ((NAMES, 16), vec!["vmlinux".to_string()]),
            ((NAMES, 24), vec![]),
        ]
        .into_iter()
        .collect();
        assert_eq!(listed, expected);
    }

    #[test]
    fn finds_each_object_of_a_shared_table() {
        let shared = module(&[(0, 2, 0), (80, 1, 0), (88, 0, 0), (104, 0, 0)]);
        let listed = listed_in(&shared).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(listed[&(NAMES, 0)], ["mod_x", "vmlinux"]);
    }

    #[test]
    fn refuses_an_object_named_vmlinux() {
        let named = module(&[(0, 2, 0), (80, 1, 6), (88, 0, 0)]);
        let Err(Error(e)) = listed_in(&named) else {
            panic!("an object named vmlinux passed");
        };
        assert!(e.contains("named 'vmlinux'"), "{e}");
    }
}
