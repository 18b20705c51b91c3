// SPDX-License-Identifier: GPL-2.0

//! The tables of a live patch module: which `struct klp_object` each `struct klp_func` is listed
//! under.
//!
//! A patch's `struct klp_object`s point to their tables of `struct klp_func` (`funcs`), and each
//! `struct klp_func` to the name of the function it replaces (`old_name`, its first field), all
//! through absolute relocations of the module's data. So the object of a name is found from the
//! relocation that points to it: that relocation is the `old_name` of a `struct klp_func`, whose
//! table starts at the nearest place before it, a whole number of entries away, that the `funcs`
//! of an object points to; that object's `name` points to the module's name, or is null for
//! vmlinux. Several objects may share a table. The layout of the two structures is vmlinux's, from
//! its BTF.

use crate::btf::Btf;
use crate::{read, Error};
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
    /// The offset of `funcs` in `struct klp_object`.
    funcs: u64,
}

impl Layout {
    /// Reads the layout from the BTF of vmlinux.
    pub(crate) fn from_btf(btf: &Btf) -> Result<Self, Error> {
        let (Some((func_size, 0)), Some((_, funcs))) = (
            btf.member_offset("klp_func", "old_name"),
            btf.member_offset("klp_object", "funcs"),
        ) else {
            fail!("the BTF of vmlinux has no struct klp_func starting with old_name, or no struct klp_object");
        };
        Ok(Self {
            func_size: func_size.into(),
            funcs: funcs.into(),
        })
    }

    /// Reads the layout from the BTF of the vmlinux at `path`.
    pub(crate) fn of_vmlinux(path: &std::path::Path) -> Result<Self, Error> {
        match Btf::from_elf(&read(path)?, None)? {
            Some(btf) => Self::from_btf(&btf),
            None => fail!(
                "{}: no BTF, to read the layout of struct klp_func and klp_object from: build the \
                 kernel with CONFIG_DEBUG_INFO_BTF",
                path.display()
            ),
        }
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
/// none if no object refers to its table; `None` if an object's name cannot be read.
pub(crate) fn objects_of(
    file: &object::File<'_>,
    pointers: &BTreeMap<Place, Place>,
    layout: Layout,
    func: Place,
) -> Option<Vec<String>> {
    let in_table = |&(s, at): &Place| {
        s == func.0 && at <= func.1 && (func.1 - at).is_multiple_of(layout.func_size)
    };
    let start = pointers.values().filter(|p| in_table(p)).map(|p| p.1).max();
    let mut objects = Vec::new();
    for (&(section, object_funcs), _) in pointers
        .iter()
        .filter(|(_, &p)| in_table(&p) && Some(p.1) == start)
    {
        let object = match object_funcs
            .checked_sub(layout.funcs)
            .and_then(|at| pointers.get(&(section, at)))
        {
            Some(&name) => string_at(file, name)?,
            None => "vmlinux".into(),
        };
        objects.push(object);
    }
    Some(objects)
}

/// Returns the objects that list each name in the sections called `section` of the module: by the
/// place of the name, those of each `struct klp_func` that points to it.
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
        let Some(objects) = objects_of(file, &pointers, layout, func) else {
            fail!(
                "{section}+{:#x}: the name of the object that lists it cannot be read",
                name.1
            );
        };
        let listing = listed.entry(name).or_default();
        for object in objects {
            if !listing.contains(&object) {
                listing.push(object);
            }
        }
    }
    Ok(listed)
}
