// SPDX-License-Identifier: GPL-2.0

//! The resolution of the Rust paths of patched functions to their symbol names.
//!
//! A Rust live patch names a function it replaces by its Rust path: `crate::function`,
//! `crate::Type::method`, `<crate::Type as other::Trait>::method`, or a plain `#[no_mangle]`
//! symbol name. Each path is a NUL-terminated string in a `.klp.rust_names` section, which the
//! `old_name` of its `struct klp_func` points to. The livepatch core looks the function up by that
//! name in kallsyms, so this step rewrites each path to the (v0-mangled) symbol name of the one
//! function it denotes:
//!
//! - a name without `::` is a symbol name already, and stays as it is;
//! - otherwise it is searched in the object that lists the `struct klp_func` pointing to it
//!   ([`tables`]): vmlinux, or the module of that name (its linked object or its `.ko` in the
//!   `--modules` directories), which must be at hand;
//! - the path must equal, whitespace aside, the demangled name without crate hashes of exactly one
//!   function defined there. An inherent method demangles as `<crate::Type>::method`, which is
//!   taken as `crate::Type::method`; a generic instance is named with its arguments,
//!   `core::mem::drop::<u32>`.
//!
//! The section is then rebuilt from the symbol names, and the symbols defined in it and the
//! relocations against it are moved along, so that each still points to the start of its string;
//! which only absolute references can, as `Func` tables hold them.

use crate::tables::{self, Layout, Place};
use crate::targets::{functions, Targets};
use crate::Error;
use object::build::elf::{Builder, SectionData, SectionId, SymbolId};
use object::build::Id;
use object::elf;
use object::read::{Object, ObjectSection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the sections holding the paths.
pub(crate) const SECTION: &str = ".klp.rust_names";

/// Longest symbol name the kernel handles (`KSYM_NAME_LEN - 1`).
const MAX_SYMBOL_NAME: usize = 511;

/// How many of the matching functions an ambiguity error lists.
const AMBIGUOUS_LISTED: usize = 4;

/// The relocation types that write the address of their target, symbol plus addend: the only
/// ones that can follow a string as it moves, since their addend is the string's offset from the
/// symbol. That of a PC-relative one also holds the distance from the relocated field to the end
/// of its instruction, which the relocation does not tell.
const ABSOLUTE_RELOCATIONS: [u32; 3] = [elf::R_X86_64_64, elf::R_X86_64_32, elf::R_X86_64_32S];

/// Returns whether the ELF file `data` has a `.klp.rust_names` section.
pub(crate) fn has_rust_names(data: &[u8]) -> Result<bool, Error> {
    let file = object::File::parse(data)?;
    Ok(file.section_by_name(SECTION).is_some())
}

/// Returns the index of the `>` closing the `<` that `s` starts with; the `>` of `->` closes
/// nothing.
fn closing(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' if prev != '-' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => (),
        }
        prev = c;
    }
    None
}

/// Splits `A as B`, the inside of a qualified path `<A as B>`, at its top-level ` as `.
fn split_as(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0isize;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' if prev != '-' => depth -= 1,
            ')' | ']' => depth -= 1,
            _ if depth == 0 && c.is_whitespace() => {
                let after = &s[i + c.len_utf8()..];
                if let Some(rest) = after.strip_prefix("as") {
                    if rest.starts_with(char::is_whitespace) {
                        return Some((&s[..i], rest.trim_start()));
                    }
                }
            }
            _ => (),
        }
        prev = c;
    }
    None
}

/// Returns `path` in the form paths are compared in: `<P>::rest`, where `P` is no `A as B`, taken
/// as `P::rest`; no whitespace; and generic arguments without `::` before them.
pub(crate) fn normalise(path: &str) -> String {
    let path = path.trim();
    let unqualified = match path.starts_with('<').then(|| closing(path)).flatten() {
        Some(end) if path[end + 1..].trim_start().starts_with("::") => {
            let inner = &path[1..end];
            split_as(inner)
                .is_none()
                .then(|| format!("{inner}{}", &path[end + 1..]))
        }
        _ => None,
    };
    let path = unqualified.as_deref().unwrap_or(path);
    path.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace("::<", "<")
}

/// The functions of an object: its file, and the normalised demangled name and the symbol name
/// of each Rust function defined in it.
type Functions = (PathBuf, Vec<(String, String)>);

/// Returns the normalised demangled name and the symbol name of each Rust function defined in the
/// object file at `path`.
fn rust_functions(path: &Path) -> Result<Vec<(String, String)>, Error> {
    Ok(functions(path)?
        .into_iter()
        .filter_map(|name| {
            let demangled = rustc_demangle::try_demangle(&name).ok()?;
            Some((normalise(&format!("{demangled:#}")), name))
        })
        .collect())
}

/// Resolves paths, reading each object once.
struct Resolver<'a> {
    targets: &'a Targets,
    /// The functions of each object, `None` if it is not at hand.
    objects: BTreeMap<String, Option<Functions>>,
}

impl Resolver<'_> {
    /// Returns the functions of `object`, reading them the first time.
    fn functions(&mut self, object: &str) -> Result<Option<&Functions>, Error> {
        if !self.objects.contains_key(object) {
            let functions = match self.targets.file(object) {
                Some(path) => Some((path.clone(), rust_functions(&path)?)),
                None => None,
            };
            self.objects.insert(object.into(), functions);
        }
        Ok(self.objects[object].as_ref())
    }

    /// Returns the symbol name of the function `path`, listed under the objects `objects`, or
    /// why there is none.
    fn resolve(&mut self, objects: &[String], path: &str) -> Result<String, String> {
        if !path.contains("::") {
            return Ok(path.into());
        }
        let mut symbols: Vec<String> = Vec::new();
        for object in objects {
            let symbol = self.resolve_in(object, path)?;
            if !symbols.contains(&symbol) {
                symbols.push(symbol);
            }
        }
        match symbols.len() {
            0 => Err(format!(
                "Rust path '{path}': no struct klp_object of the module lists a struct klp_func \
                 that names it, so its object is not known (list its table in an Object)"
            )),
            1 => Ok(symbols.remove(0)),
            _ => Err(format!(
                "Rust path '{path}' is listed under objects {} where it names different \
                 functions",
                objects.join(", ")
            )),
        }
    }

    /// Returns the symbol name of the function `path` in `object`, or why there is none.
    fn resolve_in(&mut self, object: &str, path: &str) -> Result<String, String> {
        let wanted = normalise(path);
        let Some((_, functions)) = self.functions(object).map_err(|e| e.0)? else {
            return Err(if object == "vmlinux" {
                format!("Rust path '{path}': vmlinux is not at hand (pass --vmlinux FILE)")
            } else {
                format!(
                    "Rust path '{path}': module '{object}', which lists it, is not at hand (pass \
                     --modules DIR)"
                )
            });
        };
        let mut found: Vec<String> = functions
            .iter()
            .filter(|(name, _)| *name == wanted)
            .map(|(_, symbol)| symbol.clone())
            .collect();
        match found.len() {
            0 => {
                // The likely mistake: a function of the kernel crate listed under a module.
                let in_vmlinux = object != "vmlinux"
                    && self.functions("vmlinux").is_ok_and(|functions| {
                        functions.is_some_and(|(_, f)| f.iter().any(|(name, _)| *name == wanted))
                    });
                let hint = if in_vmlinux {
                    ", which lists it: it is a function of vmlinux, list it under vmlinux"
                } else {
                    ""
                };
                Err(format!("Rust path '{path}' not found in {object}{hint}"))
            }
            1 => {
                let symbol = found.remove(0);
                if symbol.len() > MAX_SYMBOL_NAME {
                    return Err(format!(
                        "Rust path '{path}': its symbol name {symbol} is {} bytes long, the kernel \
                         handles at most {MAX_SYMBOL_NAME}",
                        symbol.len()
                    ));
                }
                Ok(symbol)
            }
            n => {
                let mut listed = found[..n.min(AMBIGUOUS_LISTED)].join(", ");
                if n > AMBIGUOUS_LISTED {
                    listed.push_str(", ...");
                }
                Err(format!(
                    "Rust path '{path}' is ambiguous: {n} functions: {listed}"
                ))
            }
        }
    }
}

/// A `.klp.rust_names` section to rebuild: its new contents, and where each string moves.
struct Rebuilt {
    data: Vec<u8>,
    /// The new offset and size (with the NUL) of the string at each old offset.
    moved: BTreeMap<u64, (u64, u64)>,
}

/// Returns the objects that list each path of the module `file`, by the place of the path
/// ([`tables::listed`]), for [`convert`].
pub(crate) fn listed(
    file: &object::File<'_>,
    targets: &Targets,
) -> Result<BTreeMap<Place, Vec<String>>, Error> {
    // Only paths are resolved: symbol names need no object, nor vmlinux.
    let has_paths = file
        .sections()
        .filter(|section| section.name() == Ok(SECTION))
        .any(|section| {
            section
                .data()
                .is_ok_and(|data| data.windows(2).any(|w| w == b"::"))
        });
    if !has_paths {
        return Ok(BTreeMap::new());
    }
    let Some(vmlinux) = &targets.vmlinux else {
        fail!("{SECTION}: resolving Rust paths needs vmlinux (--vmlinux)");
    };
    let Some(btf) = targets.vmlinux_btf()? else {
        fail!(
            "{}: no BTF, to read the layout of struct klp_func and klp_object from: build the \
             kernel with CONFIG_DEBUG_INFO_BTF",
            vmlinux.display()
        );
    };
    tables::listed(file, Layout::from_btf(btf)?, SECTION)
}

/// Resolves the paths of the `.klp.rust_names` sections of the module in `builder` with `targets`,
/// each in the objects `listed` says list it, and rewrites them; returns the number of paths
/// rewritten.
pub(crate) fn convert(
    builder: &mut Builder<'_>,
    targets: &Targets,
    listed: &BTreeMap<Place, Vec<String>>,
) -> Result<usize, Error> {
    let mut resolver = Resolver {
        targets,
        objects: BTreeMap::new(),
    };
    rewrite(builder, |place, path| {
        let objects = listed.get(&place).map_or(&[][..], Vec::as_slice);
        resolver.resolve(objects, path)
    })
}

/// The problems found on the way, each once.
#[derive(Default)]
struct Errors(Vec<String>);

impl Errors {
    fn push(&mut self, e: String) {
        if !self.0.contains(&e) {
            self.0.push(e);
        }
    }

    fn into_result(self) -> Result<(), Error> {
        match self.0.is_empty() {
            true => Ok(()),
            false => Err(Error(self.0.join("\n"))),
        }
    }
}

/// The rebuilt `.klp.rust_names` sections, by section index.
type Rebuilts = BTreeMap<usize, (SectionId, Rebuilt)>;

/// The new value and size of each symbol defined in a rebuilt section, by symbol index.
type MovedSymbols = BTreeMap<usize, (SymbolId, u64, u64)>;

/// Rewrites the paths of the `.klp.rust_names` sections of the module in `builder` to the names
/// `resolve` returns; returns the number of paths rewritten. Nothing is changed on an error, which
/// lists all the problems found, one a line.
fn rewrite(
    builder: &mut Builder<'_>,
    mut resolve: impl FnMut(Place, &str) -> Result<String, String>,
) -> Result<usize, Error> {
    let mut errors = Errors::default();
    let (rebuilt, count) = rebuild_sections(builder, &mut resolve, &mut errors);
    if rebuilt.is_empty() {
        return errors.into_result().map(|()| 0);
    }
    let symbols = moved_symbols(builder, &rebuilt, &mut errors);
    let addends = moved_addends(builder, &rebuilt, &symbols, &mut errors);
    errors.into_result()?;

    for (id, new) in rebuilt.into_values() {
        builder.sections.get_mut(id).data = SectionData::Data(new.data.into());
    }
    for (id, value, size) in symbols.into_values() {
        let symbol = builder.symbols.get_mut(id);
        symbol.st_value = value;
        symbol.st_size = size;
    }
    for (id, i, addend) in addends {
        if let SectionData::Relocation(relocations) = &mut builder.sections.get_mut(id).data {
            relocations[i].r_addend = addend;
        }
    }
    Ok(count)
}

/// Returns the sections of `.klp.rust_names` whose paths `resolve` rewrites, rebuilt, and the
/// number of paths rewritten.
fn rebuild_sections(
    builder: &Builder<'_>,
    resolve: &mut impl FnMut(Place, &str) -> Result<String, String>,
    errors: &mut Errors,
) -> (Rebuilts, usize) {
    let mut rebuilt = Rebuilts::new();
    let mut count = 0;
    for section in builder.sections.iter() {
        if *section.name != *SECTION.as_bytes() {
            continue;
        }
        let SectionData::Data(data) = &section.data else {
            errors.push(format!("{SECTION}: not a data section"));
            continue;
        };
        let mut new = Rebuilt {
            data: Vec::new(),
            moved: BTreeMap::new(),
        };
        let mut changed = false;
        let mut start = 0;
        while start < data.len() {
            if data[start] == 0 {
                start += 1;
                continue;
            }
            let Some(len) = data[start..].iter().position(|b| *b == 0) else {
                errors.push(format!(
                    "{SECTION}+{start:#x}: the string is not NUL-terminated"
                ));
                break;
            };
            let string = &data[start..start + len];
            // The builder's sections are the ELF sections but the null one.
            let place = (section.id().index() + 1, start as u64);
            let name = match std::str::from_utf8(string) {
                Ok(path) => resolve(place, path),
                Err(_) => Err(format!(
                    "{SECTION}: the string '{}' is not UTF-8",
                    String::from_utf8_lossy(string)
                )),
            };
            // A path not resolved stays, for the checks below to go on.
            let name = match &name {
                Ok(name) => name.as_bytes(),
                Err(e) => {
                    errors.push(e.clone());
                    string
                }
            };
            if name != string {
                changed = true;
                count += 1;
            }
            let at = new.data.len() as u64;
            new.data.extend_from_slice(name);
            new.data.push(0);
            new.moved.insert(start as u64, (at, name.len() as u64 + 1));
            start += len;
        }
        if changed {
            rebuilt.insert(section.id().index(), (section.id(), new));
        }
    }
    (rebuilt, count)
}

/// Returns where the symbols defined in the rebuilt sections move, but section symbols.
fn moved_symbols(builder: &Builder<'_>, rebuilt: &Rebuilts, errors: &mut Errors) -> MovedSymbols {
    let mut symbols = MovedSymbols::new();
    for symbol in builder.symbols.iter() {
        let Some((_, new)) = symbol.section.and_then(|id| rebuilt.get(&id.index())) else {
            continue;
        };
        if symbol.st_type() == elf::STT_SECTION {
            continue;
        }
        match new.moved.get(&symbol.st_value) {
            Some(&(at, size)) => {
                let size = if symbol.st_size == 0 { 0 } else { size };
                symbols.insert(symbol.id().index(), (symbol.id(), at, size));
            }
            None => errors.push(format!(
                "symbol '{}' points to {SECTION}+{:#x}, which is not the start of a string",
                String::from_utf8_lossy(&symbol.name),
                symbol.st_value
            )),
        }
    }
    symbols
}

/// Returns the new addend of each relocation against a rebuilt section: the relocation section,
/// the index of the relocation, the addend.
fn moved_addends(
    builder: &Builder<'_>,
    rebuilt: &Rebuilts,
    symbols: &MovedSymbols,
    errors: &mut Errors,
) -> Vec<(SectionId, usize, i64)> {
    let mut addends = Vec::new();
    for section in builder.sections.iter() {
        let SectionData::Relocation(relocations) = &section.data else {
            continue;
        };
        if section
            .sh_info_section
            .is_some_and(|id| rebuilt.contains_key(&id.index()))
        {
            errors.push(format!(
                "{}: {SECTION} must have no relocations",
                section.name
            ));
            continue;
        }
        for (i, relocation) in relocations.iter().enumerate() {
            let Some(id) = relocation.symbol else {
                continue;
            };
            let symbol = builder.symbols.get(id);
            let Some((_, new)) = symbol.section.and_then(|id| rebuilt.get(&id.index())) else {
                continue;
            };
            if !ABSOLUTE_RELOCATIONS.contains(&relocation.r_type) {
                errors.push(format!(
                    "relocation at {}+{:#x} refers to {SECTION} with type {}, not by absolute \
                         address: the strings move, and only absolute references (R_X86_64_64, \
                         R_X86_64_32, R_X86_64_32S) can follow them",
                    section.name, relocation.r_offset, relocation.r_type
                ));
                continue;
            }
            let new_value = symbols
                .get(&id.index())
                .map_or(symbol.st_value, |&(_, at, _)| at);
            let target = symbol.st_value.wrapping_add(relocation.r_addend as u64);
            match new.moved.get(&target) {
                Some(&(at, _)) => {
                    addends.push((section.id(), i, at.wrapping_sub(new_value) as i64));
                }
                None => errors.push(format!(
                    "relocation at {}+{:#x} points to {SECTION}+{target:#x}, which is not the \
                     start of a string",
                    section.name, relocation.r_offset
                )),
            }
        }
    }
    addends
}

#[cfg(test)]
mod tests {
    use super::*;
    use object::build::elf::Relocation;
    use object::Endianness;

    /// Whether the path `path` names the function of symbol name `symbol`.
    fn matches(path: &str, symbol: &str) -> bool {
        let demangled = rustc_demangle::try_demangle(symbol).expect("a Rust symbol name");
        normalise(path) == normalise(&format!("{demangled:#}"))
    }

    #[test]
    fn plain_function() {
        let symbol = "_RNvNtCs1EKtwoKEMO2_6kernel5print11call_printk";
        assert!(matches("kernel::print::call_printk", symbol));
        assert!(matches(" kernel :: print :: call_printk\n", symbol));
        assert!(!matches("kernel::print::call_printk_cont", symbol));
        assert!(!matches("kernel::print", symbol));
    }

    #[test]
    fn inherent_method() {
        let symbol = "_RNvMNtCs1EKtwoKEMO2_6kernel5errorNtB2_5Error8to_errno";
        assert!(matches("kernel::error::Error::to_errno", symbol));
        assert!(matches("<kernel::error::Error>::to_errno", symbol));
        assert!(matches("< kernel::error::Error >::to_errno", symbol));
        assert!(!matches("kernel::error::to_errno", symbol));
        // A method of a primitive type.
        assert!(matches(
            "<f32>::classify",
            "_RNvMNtCs1peUGmbrgHn_4core3f32f8classify"
        ));
    }

    #[test]
    fn trait_method() {
        let symbol =
            "_RNvXs_NtCs1EKtwoKEMO2_6kernel5errorNtB4_5ErrorNtNtCs1peUGmbrgHn_4core3fmt5Debug3fmt";
        assert!(matches(
            "<kernel::error::Error as core::fmt::Debug>::fmt",
            symbol
        ));
        assert!(matches(
            "<kernel::error::Error  as\tcore::fmt::Debug>::fmt",
            symbol
        ));
        assert!(!matches("kernel::error::Error::fmt", symbol));
        assert!(!matches(
            "<kernel::error::Error as core::fmt::Display>::fmt",
            symbol
        ));
    }

    #[test]
    fn generic_instance() {
        let symbol = "_RINvMNtNtCs1peUGmbrgHn_4core3net6parserNtB3_6Parser11read_numbertEB7_";
        assert!(matches(
            "core::net::parser::Parser::read_number::<u16>",
            symbol
        ));
        assert!(matches(
            "<core::net::parser::Parser>::read_number::< u16 >",
            symbol
        ));
        assert!(!matches("core::net::parser::Parser::read_number", symbol));
        assert!(!matches(
            "core::net::parser::Parser::read_number::<u32>",
            symbol
        ));
        assert!(matches(
            "<str>::ends_with::<char>",
            "_RINvMNtCs1peUGmbrgHn_4core3stre9ends_withcEB5_"
        ));
    }

    /// A module with the paths `strings` at offsets `offsets` of a `.klp.rust_names` section, and
    /// a relocation against the section symbol and a symbol of its own for each.
    fn module(strings: &[(u64, &str)], size: usize) -> Builder<'static> {
        let mut builder = Builder::new(Endianness::Little, true);
        let mut data = vec![0; size];
        for (at, s) in strings {
            data[*at as usize..][..s.len()].copy_from_slice(s.as_bytes());
        }
        let names = builder.sections.add();
        names.name = SECTION.as_bytes().to_vec().into();
        names.sh_type = elf::SHT_PROGBITS;
        names.sh_flags = elf::SHF_ALLOC.into();
        names.data = SectionData::Data(data.into());
        let names = names.id();
        let section_symbol = builder.symbols.add();
        section_symbol.section = Some(names);
        section_symbol.set_st_info(elf::STB_LOCAL, elf::STT_SECTION);
        let section_symbol = section_symbol.id();
        let mut relocations = Vec::new();
        for (i, (at, s)) in strings.iter().enumerate() {
            let symbol = builder.symbols.add();
            symbol.name = format!("NAME{i}").into_bytes().into();
            symbol.section = Some(names);
            symbol.set_st_info(elf::STB_LOCAL, elf::STT_OBJECT);
            symbol.st_value = *at;
            symbol.st_size = s.len() as u64 + 1;
            let symbol = symbol.id();
            for (symbol, addend) in [(section_symbol, *at as i64), (symbol, 0)] {
                relocations.push(Relocation {
                    r_offset: relocations.len() as u64 * 8,
                    symbol: Some(symbol),
                    r_type: elf::R_X86_64_64,
                    r_addend: addend,
                });
            }
        }
        let data = builder.sections.add();
        data.name = b".data".to_vec().into();
        data.data = SectionData::Data(vec![0; relocations.len() * 8].into());
        let data = data.id();
        let rela = builder.sections.add();
        rela.name = b".rela.data".to_vec().into();
        rela.sh_type = elf::SHT_RELA;
        rela.sh_info_section = Some(data);
        rela.data = SectionData::Relocation(relocations);
        builder
    }

    /// The `.klp.rust_names` section of `builder`, and the address each of the relocations of
    /// `.rela.data` points to.
    fn layout(builder: &Builder<'_>) -> (Vec<u8>, Vec<u64>) {
        let mut data = Vec::new();
        let mut targets = Vec::new();
        for section in builder.sections.iter() {
            match &section.data {
                SectionData::Data(d) if *section.name == *SECTION.as_bytes() => data = d.to_vec(),
                SectionData::Relocation(relocations) => {
                    for relocation in relocations {
                        let symbol = builder.symbols.get(relocation.symbol.unwrap());
                        targets.push(symbol.st_value + relocation.r_addend as u64);
                    }
                }
                _ => (),
            }
        }
        (data, targets)
    }

    fn resolve(_: Place, path: &str) -> Result<String, String> {
        match path {
            "a::f" => Ok("_RNvCs1_1a1f".into()),
            "a::longer" => Ok("_RNvCs1_1a6longer_name".into()),
            "a::missing" => Err(format!("Rust path '{path}' not found")),
            _ => Ok(path.into()),
        }
    }

    #[test]
    fn rewrite_moves_symbols_and_relocations() {
        // Padding between the strings, as alignment leaves it.
        let mut builder = module(&[(0, "a::longer"), (16, "plain"), (24, "a::f")], 32);
        assert_eq!(rewrite(&mut builder, resolve).ok(), Some(2));
        let (data, targets) = layout(&builder);
        assert_eq!(data, b"_RNvCs1_1a6longer_name\0plain\0_RNvCs1_1a1f\0");
        assert_eq!(targets, [0, 0, 23, 23, 29, 29]);
        let sizes: Vec<u64> = builder
            .symbols
            .iter()
            .filter(|symbol| symbol.st_type() == elf::STT_OBJECT)
            .map(|symbol| symbol.st_size)
            .collect();
        assert_eq!(sizes, [23, 6, 13]);
    }

    #[test]
    fn rewrite_resolves_each_path_at_its_place() {
        // The same path twice, which two objects may list: each is resolved at its place, the
        // ELF index of the section (the builder's first, after the null section) and its offset.
        let mut builder = module(&[(0, "a::f"), (8, "a::f"), (16, "plain")], 24);
        let mut places = Vec::new();
        let resolve = |place, path: &str| {
            places.push(place);
            resolve(place, path)
        };
        assert_eq!(rewrite(&mut builder, resolve).ok(), Some(2));
        assert_eq!(places, [(1, 0), (1, 8), (1, 16)]);
    }

    #[test]
    fn rewrite_leaves_symbol_names_alone() {
        let mut builder = module(&[(0, "plain"), (8, "other")], 16);
        assert_eq!(rewrite(&mut builder, resolve).ok(), Some(0));
        assert_eq!(layout(&builder).0, b"plain\0\0\0other\0\0\0");
    }

    #[test]
    fn rewrite_reports_all_errors() {
        let mut builder = module(&[(0, "a::missing"), (16, "a::f"), (24, "b::missing")], 40);
        let resolve = |place, path: &str| match path {
            "b::missing" => Err("b".into()),
            path => resolve(place, path),
        };
        let Err(Error(e)) = rewrite(&mut builder, resolve) else {
            panic!("no error");
        };
        assert_eq!(e, "Rust path 'a::missing' not found\nb");
        // Nothing changed.
        assert_eq!(layout(&builder).0[16..20], *b"a::f");
    }

    #[test]
    fn rewrite_refuses_pointers_into_strings() {
        let mut builder = module(&[(0, "a::f")], 8);
        for section in builder.sections.iter_mut() {
            if let SectionData::Relocation(relocations) = &mut section.data {
                relocations[0].r_addend = 2;
            }
        }
        let Err(Error(e)) = rewrite(&mut builder, resolve) else {
            panic!("no error");
        };
        assert_eq!(
            e,
            "relocation at .rela.data+0x0 points to .klp.rust_names+0x2, which is not the start \
             of a string"
        );
    }

    #[test]
    fn rewrite_refuses_pc_relative_references() {
        // The reference to "a::f" is PC-relative, from the end of a 4-byte field: its target looks
        // like "abc", as a PC-relative reference cannot tell the two apart.
        let mut builder = module(&[(0, "abc"), (4, "a::f")], 16);
        for section in builder.sections.iter_mut() {
            if let SectionData::Relocation(relocations) = &mut section.data {
                relocations[2].r_type = elf::R_X86_64_PC32;
                relocations[2].r_addend = 0;
                relocations[3].r_type = elf::R_X86_64_32S;
            }
        }
        let Err(Error(e)) = rewrite(&mut builder, resolve) else {
            panic!("no error");
        };
        assert_eq!(
            e,
            "relocation at .rela.data+0x10 refers to .klp.rust_names with type 2, not by absolute \
             address: the strings move, and only absolute references (R_X86_64_64, R_X86_64_32, \
             R_X86_64_32S) can follow them"
        );
    }
}
