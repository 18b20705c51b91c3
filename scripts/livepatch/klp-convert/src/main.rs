// SPDX-License-Identifier: GPL-2.0

//! klp-convert: turns the references of a live patch module to `.klp.sym.*` symbols into
//! livepatch relocations (Documentation/livepatch/module-elf-format.rst).
//!
//! A Rust live patch declares the symbols it needs from the objects it patches under their
//! livepatch names, `.klp.sym.<object>.<name>,<position>` (`kernel::livepatch::klp_extern!`), so
//! the linked module has them as undefined symbols, which modpost lets through. This tool, run on
//! the linked `.ko`:
//!
//! - checks each name against the object it belongs to when that is at hand (vmlinux, or
//!   `<object>.o` or `<object>.ko` in a module directory): it must exist, and be unique unless a
//!   position is given;
//! - marks the symbols `SHN_LIVEPATCH`;
//! - moves every relocation against them from `.rela<section>` to
//!   `.klp.rela.<object><section>`, flagged `SHF_ALLOC | SHF_RELA_LIVEPATCH`, which the module
//!   loader leaves alone and the livepatch core applies when `<object>` is patched.
//!
//! Usage: `klp-convert [--vmlinux FILE] [--modules DIR]... MODULE.ko`, which rewrites MODULE.ko
//! in place. Nothing is written when the module has no `.klp.sym.*` symbol left to convert.

use object::build::elf::{Builder, Relocation, SectionData};
use object::build::{ByteString, Id};
use object::elf;
use object::read::{Object, ObjectSymbol};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::{env, fmt, fs, process};

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

/// A failure, reported as `klp-convert: <message>`.
struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<object::build::Error> for Error {
    fn from(e: object::build::Error) -> Self {
        Self(format!("ELF: {e}"))
    }
}

impl From<object::read::Error> for Error {
    fn from(e: object::read::Error) -> Self {
        Self(format!("ELF: {e}"))
    }
}

macro_rules! fail {
    ($($arg:tt)*) => { return Err(Error(format!($($arg)*))) };
}

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

/// Where to look for the objects a patch refers to.
struct Targets {
    vmlinux: Option<PathBuf>,
    module_dirs: Vec<PathBuf>,
}

impl Targets {
    /// Returns the file of `object`, `None` if it is not at hand.
    fn file(&self, object: &str) -> Option<PathBuf> {
        if object == "vmlinux" {
            return self.vmlinux.clone();
        }
        // The linked object of a module built in the same run is up to date before its `.ko`.
        let names = [
            format!("{object}.o"),
            format!("{object}.ko"),
            format!("{}.ko", object.replace('_', "-")),
        ];
        self.module_dirs
            .iter()
            .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
            .find(|path| path.is_file())
    }
}

/// Counts the definitions of each name in the object file at `path`.
fn definitions(path: &Path) -> Result<BTreeMap<String, u64>, Error> {
    let data = fs::read(path).map_err(|e| Error(format!("{}: {e}", path.display())))?;
    let file = object::File::parse(&*data)?;
    let mut counts = BTreeMap::new();
    for symbol in file.symbols() {
        if symbol.is_undefined()
            || matches!(
                symbol.kind(),
                object::SymbolKind::Section | object::SymbolKind::File
            )
        {
            continue;
        }
        if let Ok(name) = symbol.name() {
            *counts.entry(name.to_owned()).or_insert(0) += 1;
        }
    }
    Ok(counts)
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

/// The section of LLVM's address-significance table, `SHT_LLVM_ADDRSIG`.
const ADDRSIG: &[u8] = b".llvm_addrsig";
const SHT_LLVM_ADDRSIG: u32 = 0x6fff_4c03;

/// Returns whether the ELF file `data` has undefined `.klp.sym.*` symbols.
fn has_klp_symbols(data: &[u8]) -> Result<bool, Error> {
    let file = object::File::parse(data)?;
    Ok(file.symbols().any(|symbol| {
        symbol.is_undefined() && symbol.name().is_ok_and(|name| name.starts_with(KLP_SYM))
    }))
}

/// Turns the `SHT_LLVM_ADDRSIG` section of the 64-bit little-endian ELF file `data`, which the
/// ELF builder cannot read, into `SHT_PROGBITS`; the conversion then drops it. It only serves
/// linkers folding identical code, and the kernel ignores it.
fn hide_addrsig(data: &mut [u8]) -> Result<(), Error> {
    let field = |data: &[u8], at: usize, len: usize| -> Result<u64, Error> {
        let bytes = data
            .get(at..at + len)
            .ok_or_else(|| Error("truncated ELF header".into()))?;
        Ok(bytes
            .iter()
            .rev()
            .fold(0, |acc, b| acc << 8 | u64::from(*b)))
    };
    if data.get(4..6) != Some(&[elf::ELFCLASS64, elf::ELFDATA2LSB]) {
        fail!("only 64-bit little-endian modules are supported");
    }
    let shoff = field(data, 0x28, 8)? as usize;
    let shentsize = field(data, 0x3a, 2)? as usize;
    let shnum = field(data, 0x3c, 2)? as usize;
    for i in 0..shnum {
        let sh_type = shoff + i * shentsize + 4;
        if field(data, sh_type, 4)? == u64::from(SHT_LLVM_ADDRSIG) {
            data[sh_type..sh_type + 4].copy_from_slice(&elf::SHT_PROGBITS.to_le_bytes());
        }
    }
    Ok(())
}

/// Converts the module at `path` in place; returns the number of relocations converted.
fn convert(path: &Path, targets: &Targets) -> Result<usize, Error> {
    let mut data = fs::read(path).map_err(|e| Error(format!("{}: {e}", path.display())))?;
    if !has_klp_symbols(&data)? {
        return Ok(0);
    }
    hide_addrsig(&mut data)?;
    let mut builder = Builder::read(&*data)?;
    if builder.header.e_machine != elf::EM_X86_64 || !builder.is_64 {
        fail!("only x86_64 modules are supported");
    }

    // The livepatch symbols still undefined, by symbol index.
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

    // Take the relocations against livepatch symbols out of their sections.
    let mut moved: BTreeMap<(String, usize), Vec<Relocation>> = BTreeMap::new();
    let mut count = 0;
    for section in builder.sections.iter_mut() {
        if section.name.starts_with(KLP_RELA.as_bytes()) {
            continue;
        }
        let Some(target) = section.sh_info_section else {
            continue;
        };
        let SectionData::Relocation(relocations) = &mut section.data else {
            continue;
        };
        if section.sh_type != elf::SHT_RELA {
            fail!("{}: only RELA relocations are supported", section.name);
        }
        let mut kept = Vec::with_capacity(relocations.len());
        for relocation in relocations.drain(..) {
            let Some((_, sym)) = relocation.symbol.and_then(|id| syms.get(&id.index())) else {
                kept.push(relocation);
                continue;
            };
            if !X86_64_RELOCATIONS.contains(&relocation.r_type) {
                fail!(
                    "cannot convert the reference to {sym} at {}+{:#x}: relocation type {} is not \
                     one the kernel applies to modules",
                    section.name,
                    relocation.r_offset,
                    relocation.r_type
                );
            }
            moved
                .entry((sym.object.clone(), target.index()))
                .or_default()
                .push(relocation);
            count += 1;
        }
        *relocations = kept;
    }

    for ((object, target), relocations) in moved {
        let target = builder
            .sections
            .iter()
            .find(|section| section.id().index() == target)
            .expect("relocated section exists");
        if !target.is_alloc() {
            fail!(
                "cannot convert the references to {object} symbols in {}: the section is not \
                 loaded",
                target.name
            );
        }
        let name = format!("{KLP_RELA}{object}{}", target.name);
        let target = target.id();
        let section = builder.sections.add();
        section.name = ByteString::from(name.into_bytes());
        section.sh_type = elf::SHT_RELA;
        section.sh_flags = u64::from(elf::SHF_ALLOC | elf::SHF_INFO_LINK) | SHF_RELA_LIVEPATCH;
        section.sh_link_section = Some(symtab);
        section.sh_info_section = Some(target);
        section.sh_addralign = 8;
        section.sh_entsize = 24;
        section.data = SectionData::Relocation(relocations);
    }
    for section in builder.sections.iter_mut() {
        if matches!(&section.data, SectionData::Relocation(r) if r.is_empty())
            || *section.name == *ADDRSIG
        {
            section.delete = true;
        }
    }
    for (id, _) in syms.values() {
        let symbol = builder.symbols.get_mut(*id);
        symbol.st_shndx = SHN_LIVEPATCH;
    }

    let mut out = Vec::new();
    builder.write(&mut out)?;
    let tmp = path.with_extension("ko.klp-convert");
    fs::write(&tmp, out)
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|e| Error(format!("{}: {e}", path.display())))?;
    Ok(count)
}

fn main() {
    let mut targets = Targets {
        vmlinux: None,
        module_dirs: Vec::new(),
    };
    let mut module = None;
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--vmlinux" => targets.vmlinux = args.next().map(PathBuf::from),
            "--modules" => targets.module_dirs.extend(args.next().map(PathBuf::from)),
            _ if module.is_none() && !arg.starts_with('-') => module = Some(PathBuf::from(arg)),
            _ => {
                eprintln!("usage: klp-convert [--vmlinux FILE] [--modules DIR]... MODULE.ko");
                process::exit(2);
            }
        }
    }
    let Some(module) = module else {
        eprintln!("usage: klp-convert [--vmlinux FILE] [--modules DIR]... MODULE.ko");
        process::exit(2);
    };
    if let Err(e) = convert(&module, &targets) {
        for line in e.0.lines() {
            eprintln!("klp-convert: {}: {line}", module.display());
        }
        process::exit(1);
    }
}
