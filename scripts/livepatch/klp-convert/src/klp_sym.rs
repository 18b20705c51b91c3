// SPDX-License-Identifier: GPL-2.0

//! The conversion of references to `.klp.sym.*` symbols into livepatch relocations.
//!
//! For each undefined symbol `.klp.sym.<object>.<name>,<position>` of the module:
//!
//! - checks the name against the object it belongs to when that is at hand (vmlinux, or
//!   `<object>.o` or `<object>.ko` in a module directory): it must exist, and be unique unless a
//!   position is given;
//! - marks the symbol `SHN_LIVEPATCH`;
//! - moves every relocation against it from `.rela<section>` to `.klp.rela.<object><section>`
//!   (`.klp.rela.<object>.<section>` if `<section>` does not start with a `.`), flagged
//!   `SHF_ALLOC | SHF_RELA_LIVEPATCH`, which the module loader leaves alone and the livepatch
//!   core applies when `<object>` is patched; unless the livepatch core cannot write references
//!   to the symbols of `<object>` in `<section>` ([`sections`]).

use crate::sections;
use crate::targets::{definitions, Targets};
use crate::Error;
use object::build::elf::{Builder, Relocation, SectionData, SectionId, SymbolId};
use object::build::{ByteString, Id};
use object::elf;
use object::read::{Object, ObjectSymbol};
use std::collections::BTreeMap;
use std::fmt;

/// `SHN_LIVEPATCH` of include/uapi/linux/elf.h.
const SHN_LIVEPATCH: u16 = 0xff20;
/// `SHF_RELA_LIVEPATCH` of include/uapi/linux/elf.h.
const SHF_RELA_LIVEPATCH: u64 = 0x0010_0000;
/// Prefix of livepatch symbol names.
const KLP_SYM: &str = ".klp.sym.";
/// Prefix of livepatch relocation section names.
const KLP_RELA: &str = ".klp.rela.";
/// Longest module name the kernel parses (`%55[^.]` in `klp_resolve_symbols()`).
const MAX_OBJECT_NAME: usize = 55;
/// Longest symbol name the kernel parses (`%511[^,]`).
const MAX_SYMBOL_NAME: usize = 511;

/// The x86_64 relocation types `apply_relocate_add()` handles.
const X86_64_RELOCATIONS: [u32; 6] = [
    elf::R_X86_64_64,
    elf::R_X86_64_PC32,
    elf::R_X86_64_PLT32,
    elf::R_X86_64_32,
    elf::R_X86_64_32S,
    elf::R_X86_64_PC64,
];

/// A livepatch symbol name, `.klp.sym.<object>.<name>,<position>`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct KlpSym {
    object: String,
    name: String,
    position: u64,
}

impl KlpSym {
    /// Parses `full`, `None` if it is no livepatch symbol name.
    fn parse(full: &str) -> Option<Result<Self, Error>> {
        let rest = full.strip_prefix(KLP_SYM)?;
        let bad = |why: &str| Some(Err(Error(format!("bad livepatch symbol '{full}': {why}"))));
        let Some((object, rest)) = rest.split_once('.') else {
            return bad("expected .klp.sym.<object>.<name>,<position>");
        };
        let Some((name, position)) = rest.rsplit_once(',') else {
            return bad("no ',<position>' after the name");
        };
        let Ok(position) = position.parse() else {
            return bad("the position is not a number");
        };
        if object.is_empty() || object.len() > MAX_OBJECT_NAME {
            return bad("the object name is empty or longer than 55 bytes");
        }
        if name.is_empty() || name.len() > MAX_SYMBOL_NAME || name.contains(',') {
            return bad("the name is empty, longer than 511 bytes or has a ','");
        }
        Some(Ok(Self {
            object: object.into(),
            name: name.into(),
            position,
        }))
    }
}

impl fmt::Display for KlpSym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' of {}", self.name, self.object)
    }
}

/// Checks that each of `syms` names exactly one symbol of its object, where the object is at hand.
fn check(syms: &[KlpSym], targets: &Targets) -> Result<(), Error> {
    let mut cache: BTreeMap<&str, Option<BTreeMap<String, u64>>> = BTreeMap::new();
    let mut errors = Vec::new();
    for sym in syms {
        let counts = match cache.get(sym.object.as_str()) {
            Some(counts) => counts,
            None => {
                let counts = match targets.file(&sym.object) {
                    Some(path) => Some(definitions(&path)?),
                    None => None,
                };
                cache.entry(&sym.object).or_insert(counts)
            }
        };
        let Some(counts) = counts else {
            continue;
        };
        match (counts.get(&sym.name).copied().unwrap_or(0), sym.position) {
            (0, _) => errors.push(format!("symbol {sym} not found")),
            (n, 0) if n > 1 => errors.push(format!(
                "symbol {sym} is ambiguous: {n} symbols have that name, give a position 1..={n}"
            )),
            (n, pos) if pos > n => errors.push(format!(
                "symbol {sym} has no position {pos}: only {n} symbols have that name"
            )),
            _ => (),
        }
    }
    if !errors.is_empty() {
        fail!("{}", errors.join("\n"));
    }
    Ok(())
}

/// Returns whether the ELF file `data` has undefined `.klp.sym.*` symbols.
pub(crate) fn has_klp_symbols(data: &[u8]) -> Result<bool, Error> {
    let file = object::File::parse(data)?;
    Ok(file.symbols().any(|symbol| {
        symbol.is_undefined() && symbol.name().is_ok_and(|name| name.starts_with(KLP_SYM))
    }))
}

/// The livepatch symbols still undefined in the module in `builder`, by symbol index.
fn undefined_symbols(builder: &Builder<'_>) -> Result<BTreeMap<usize, (SymbolId, KlpSym)>, Error> {
    let mut syms = BTreeMap::new();
    for symbol in builder.symbols.iter() {
        let Ok(name) = std::str::from_utf8(&symbol.name) else {
            continue;
        };
        let Some(sym) = KlpSym::parse(name) else {
            continue;
        };
        let sym = sym?;
        match (symbol.section, symbol.st_shndx) {
            (None, elf::SHN_UNDEF) => {
                syms.insert(symbol.id().index(), (symbol.id(), sym));
            }
            (None, SHN_LIVEPATCH) => (),
            _ => fail!("livepatch symbol {sym} is defined in the module"),
        }
    }
    Ok(syms)
}

/// The relocations against livepatch symbols, by object and index of the section they apply to.
type Moved = BTreeMap<(String, usize), Vec<Relocation>>;

/// Takes the relocations against the livepatch symbols `syms` out of their sections in `builder`;
/// pushes a message to `errors` for each that cannot be converted.
fn take_relocations(
    builder: &mut Builder<'_>,
    syms: &BTreeMap<usize, (SymbolId, KlpSym)>,
    errors: &mut Vec<String>,
) -> Moved {
    let mut moved = Moved::new();
    for section in builder.sections.iter_mut() {
        if section.name.starts_with(KLP_RELA.as_bytes()) {
            continue;
        }
        let SectionData::Relocation(relocations) = &mut section.data else {
            continue;
        };
        let sym = |relocation: &Relocation| {
            relocation
                .symbol
                .and_then(|id| syms.get(&id.index()))
                .map(|(_, sym)| sym)
        };
        if !relocations
            .iter()
            .any(|relocation| sym(relocation).is_some())
        {
            continue;
        }
        // The loader applies the relocations to the section sh_info names, SHF_INFO_LINK or not.
        let Some(target) = section.sh_info_section else {
            errors.push(format!(
                "{}: cannot convert its references to livepatch symbols: it does not say which \
                 section they apply to (no SHF_INFO_LINK)",
                section.name
            ));
            continue;
        };
        if section.sh_type != elf::SHT_RELA {
            errors.push(format!(
                "{}: only RELA relocations are supported",
                section.name
            ));
            continue;
        }
        let mut kept = Vec::with_capacity(relocations.len());
        for relocation in relocations.drain(..) {
            let Some(sym) = sym(&relocation) else {
                kept.push(relocation);
                continue;
            };
            if !X86_64_RELOCATIONS.contains(&relocation.r_type) {
                errors.push(format!(
                    "cannot convert the reference to {sym} at {}+{:#x}: relocation type {} is not \
                     one the kernel applies to modules",
                    section.name, relocation.r_offset, relocation.r_type
                ));
            }
            moved
                .entry((sym.object.clone(), target.index()))
                .or_default()
                .push(relocation);
        }
        *relocations = kept;
    }
    moved
}

/// Returns the name of the livepatch relocation section of the references to the symbols of
/// `object` in the section `section`: `.klp.rela.<object><section>`, with a `.` between the two
/// when `section` does not start with one (`__jump_table`), as the kernel takes the object name up
/// to the first `.` (`klp_write_section_relocs()`).
fn klp_rela_name(object: &str, section: &[u8]) -> Vec<u8> {
    let mut name = format!("{KLP_RELA}{object}").into_bytes();
    if !section.starts_with(b".") {
        name.push(b'.');
    }
    name.extend_from_slice(section);
    name
}

/// Adds a livepatch relocation section to `builder` for each object and section of `moved`, with
/// the symbol table `symtab`; pushes a message to `errors` for each section whose references to
/// the symbols of an object cannot be livepatch relocations ([`sections::refusal`]).
fn add_sections(
    builder: &mut Builder<'_>,
    moved: Moved,
    symtab: SectionId,
    errors: &mut Vec<String>,
) {
    for ((object, target), relocations) in moved {
        let target = builder
            .sections
            .iter()
            .find(|section| section.id().index() == target)
            .expect("relocated section exists");
        if let Some(why) = sections::refusal(&object, &target.name, target.is_alloc()) {
            errors.push(format!(
                "cannot convert the references to {object} symbols in {}: {why}",
                target.name
            ));
            continue;
        }
        let name = klp_rela_name(&object, &target.name);
        let target = target.id();
        let section = builder.sections.add();
        section.name = ByteString::from(name);
        section.sh_type = elf::SHT_RELA;
        section.sh_flags = u64::from(elf::SHF_ALLOC | elf::SHF_INFO_LINK) | SHF_RELA_LIVEPATCH;
        section.sh_link_section = Some(symtab);
        section.sh_info_section = Some(target);
        section.sh_addralign = 8;
        section.sh_entsize = 24;
        section.data = SectionData::Relocation(relocations);
    }
}

/// Converts the references to `.klp.sym.*` symbols of the module in `builder`; returns the
/// number of relocations converted, 0 if there were none left to convert. On an error, which
/// lists all the problems found in the references, one a line, `builder` may be half converted.
pub(crate) fn convert(builder: &mut Builder<'_>, targets: &Targets) -> Result<usize, Error> {
    let syms = undefined_symbols(builder)?;
    if syms.is_empty() {
        return Ok(0);
    }
    let mut names: Vec<KlpSym> = syms.values().map(|(_, sym)| sym.clone()).collect();
    names.sort();
    names.dedup();
    check(&names, targets)?;

    let symtab = builder
        .sections
        .iter()
        .find(|section| section.sh_type == elf::SHT_SYMTAB)
        .map(|section| section.id())
        .ok_or_else(|| Error("no symbol table".into()))?;

    let mut errors = Vec::new();
    let moved = take_relocations(builder, &syms, &mut errors);
    let count = moved.values().map(Vec::len).sum();
    add_sections(builder, moved, symtab, &mut errors);
    if !errors.is_empty() {
        fail!("{}", errors.join("\n"));
    }
    for section in builder.sections.iter_mut() {
        if matches!(&section.data, SectionData::Relocation(r) if r.is_empty()) {
            section.delete = true;
        }
    }
    for (id, _) in syms.values() {
        let symbol = builder.symbols.get_mut(*id);
        symbol.st_shndx = SHN_LIVEPATCH;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use object::Endianness;

    /// Where no object is at hand, so that no name is checked.
    fn nowhere() -> Targets {
        Targets {
            vmlinux: None,
            module_dirs: Vec::new(),
            vmlinux_btf: std::cell::OnceCell::new(),
        }
    }

    /// A module with the undefined livepatch symbol `.klp.sym.<object>.f,0` of each of `objects`,
    /// and a loaded section of each name of `sections`, with a relocation section holding a
    /// relocation of type `r_type` against each of the symbols.
    fn module(objects: &[&str], sections: &[&str], r_type: u32) -> Builder<'static> {
        let mut builder = Builder::new(Endianness::Little, true);
        let symtab = builder.sections.add();
        symtab.name = b".symtab".to_vec().into();
        symtab.sh_type = elf::SHT_SYMTAB;
        symtab.data = SectionData::Symbol;
        let symtab = symtab.id();
        let mut syms = Vec::new();
        for object in objects {
            let symbol = builder.symbols.add();
            symbol.name = format!("{KLP_SYM}{object}.f,0").into_bytes().into();
            symbol.set_st_info(elf::STB_GLOBAL, elf::STT_NOTYPE);
            syms.push(symbol.id());
        }
        for name in sections {
            let section = builder.sections.add();
            section.name = name.as_bytes().to_vec().into();
            section.sh_type = elf::SHT_PROGBITS;
            section.sh_flags = elf::SHF_ALLOC.into();
            section.data = SectionData::Data(vec![0; syms.len() * 8].into());
            let target = section.id();
            let rela = builder.sections.add();
            rela.name = format!(".rela{name}").into_bytes().into();
            rela.sh_type = elf::SHT_RELA;
            rela.sh_flags = elf::SHF_INFO_LINK.into();
            rela.sh_link_section = Some(symtab);
            rela.sh_info_section = Some(target);
            rela.data = SectionData::Relocation(
                syms.iter()
                    .enumerate()
                    .map(|(i, symbol)| Relocation {
                        r_offset: i as u64 * 8,
                        symbol: Some(*symbol),
                        r_type,
                        r_addend: 0,
                    })
                    .collect(),
            );
        }
        builder
    }

    /// The livepatch relocation sections of `builder`, each with its number of relocations.
    fn klp_relas(builder: &Builder<'_>) -> Vec<(String, usize)> {
        builder
            .sections
            .iter()
            .filter(|section| section.name.starts_with(KLP_RELA.as_bytes()))
            .filter_map(|section| match &section.data {
                SectionData::Relocation(r) => {
                    Some((String::from_utf8_lossy(&section.name).into(), r.len()))
                }
                _ => None,
            })
            .collect()
    }

    /// The error `convert` reports for `builder`, one line a problem.
    fn error(mut builder: Builder<'_>) -> Vec<String> {
        match convert(&mut builder, &nowhere()) {
            Ok(n) => panic!("{n} relocations converted, no error"),
            Err(Error(e)) => e.lines().map(str::to_owned).collect(),
        }
    }

    #[test]
    fn converts_references() {
        let mut builder = module(&["vmlinux", "m"], &[".text", ".data"], elf::R_X86_64_PLT32);
        assert_eq!(convert(&mut builder, &nowhere()).ok(), Some(4));
        assert_eq!(
            klp_relas(&builder),
            [
                (".klp.rela.m.text".into(), 1),
                (".klp.rela.m.data".into(), 1),
                (".klp.rela.vmlinux.text".into(), 1),
                (".klp.rela.vmlinux.data".into(), 1),
            ]
        );
        assert!(builder
            .symbols
            .iter()
            .all(|symbol| symbol.st_shndx == SHN_LIVEPATCH));
        // The emptied relocation sections go.
        assert!(builder
            .sections
            .iter()
            .filter(|section| section.name.starts_with(b".rela"))
            .all(|section| section.delete));
    }

    #[test]
    fn reports_all_bad_relocation_types() {
        let builder = module(&["m"], &[".text", ".data"], elf::R_X86_64_GOTPCREL);
        assert_eq!(
            error(builder),
            [
                "cannot convert the reference to 'f' of m at .rela.text+0x0: relocation type 9 is \
                 not one the kernel applies to modules",
                "cannot convert the reference to 'f' of m at .rela.data+0x0: relocation type 9 is \
                 not one the kernel applies to modules",
            ]
        );
    }

    #[test]
    fn refuses_module_references_from_init_sections() {
        let builder = module(
            &["vmlinux", "m"],
            &[".init.text", ".exit.data"],
            elf::R_X86_64_64,
        );
        assert_eq!(
            error(builder),
            [
                "cannot convert the references to m symbols in .init.text: the livepatch core \
                 writes them whenever m loads, also after the init sections of the patch module \
                 are freed",
                "cannot convert the references to m symbols in .exit.data: the livepatch core \
                 writes them whenever m loads, and without CONFIG_MODULE_UNLOAD the exit sections \
                 are freed with the init sections",
            ]
        );
    }

    #[test]
    fn converts_vmlinux_references_from_init_sections() {
        let mut builder = module(
            &["vmlinux"],
            &[".init.text", ".init.data"],
            elf::R_X86_64_64,
        );
        assert_eq!(convert(&mut builder, &nowhere()).ok(), Some(2));
        assert_eq!(
            klp_relas(&builder),
            [
                (".klp.rela.vmlinux.init.text".into(), 1),
                (".klp.rela.vmlinux.init.data".into(), 1),
            ]
        );
    }

    #[test]
    fn names_sections_without_a_dot() {
        let mut builder = module(&["vmlinux", "m"], &["__bug_table"], elf::R_X86_64_PC32);
        assert_eq!(convert(&mut builder, &nowhere()).ok(), Some(2));
        assert_eq!(
            klp_relas(&builder),
            [
                (".klp.rela.m.__bug_table".into(), 1),
                (".klp.rela.vmlinux.__bug_table".into(), 1),
            ]
        );
    }

    #[test]
    fn refuses_references_from_sections_read_at_load() {
        let builder = module(
            &["vmlinux", "m"],
            &["__jump_table", ".data..percpu"],
            elf::R_X86_64_64,
        );
        assert_eq!(
            error(builder),
            [
                "cannot convert the references to m symbols in __jump_table: the kernel processes \
                 the section when it loads the patch module, before the livepatch core writes the \
                 addresses of m symbols",
                "cannot convert the references to m symbols in .data..percpu: the kernel copies \
                 the section to per-CPU memory when it loads the module, and never writes \
                 livepatch relocations to the copies",
                "cannot convert the references to vmlinux symbols in .data..percpu: the kernel \
                 copies the section to per-CPU memory when it loads the module, and never writes \
                 livepatch relocations to the copies",
            ]
        );
    }

    #[test]
    fn converts_vmlinux_references_from_sections_read_at_load() {
        let sections = ["__jump_table", ".altinstructions", ".static_call_sites"];
        let mut builder = module(&["vmlinux"], &sections, elf::R_X86_64_PC32);
        assert_eq!(convert(&mut builder, &nowhere()).ok(), Some(3));
        assert_eq!(
            klp_relas(&builder),
            [
                (".klp.rela.vmlinux.__jump_table".into(), 1),
                (".klp.rela.vmlinux.altinstructions".into(), 1),
                (".klp.rela.vmlinux.static_call_sites".into(), 1),
            ]
        );
    }

    #[test]
    fn refuses_relocation_sections_without_info_link() {
        let mut builder = module(&["vmlinux"], &[".text", ".data"], elf::R_X86_64_PLT32);
        for section in builder.sections.iter_mut() {
            if *section.name == *b".rela.data" {
                section.sh_flags = 0;
                section.sh_info_section = None;
            }
        }
        assert_eq!(
            error(builder),
            [
                ".rela.data: cannot convert its references to livepatch symbols: it does not say \
                 which section they apply to (no SHF_INFO_LINK)"
            ]
        );
    }
}
