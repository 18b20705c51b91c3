// SPDX-License-Identifier: GPL-2.0

//! klp-convert: turns the references of a live patch module to `.klp.sym.*` symbols into
//! livepatch relocations (Documentation/livepatch/module-elf-format.rst).
//!
//! A Rust live patch declares the symbols it needs from the objects it patches under their
//! livepatch names, `.klp.sym.<object>.<name>,<position>` (`kernel::livepatch::klp_extern!`), so
//! the linked module has them as undefined symbols, which modpost lets through. This tool, run on
//! the linked `.ko`, converts them ([`klp_sym`]). It also rewrites the Rust paths naming the
//! functions a Rust live patch replaces, in `.klp.rust_names`, to their symbol names
//! ([`rust_names`]), and checks the prototypes that Rust live patches state for the C functions
//! they replace against BTF ([`prototypes`]). They look names up in the objects they belong to ([`targets`]), in a live
//! patch module only ([`modinfo`]). What the kernel would not load as written, and would corrupt
//! memory with at run time, fails the build: references where or when the livepatch core cannot
//! write them ([`sections`]), relocation sections that do not say what they apply to, references
//! to the paths that cannot follow them as they move.
//!
//! Usage: `klp-convert [--vmlinux FILE] [--modules DIR]... MODULE.ko`, which rewrites MODULE.ko
//! in place. Nothing is written when the module has no `.klp.sym.*` symbol left to convert and
//! no Rust path to rewrite. The prototype check runs pahole (`$PAHOLE`) for the BTF of target
//! modules. On an error, nothing is written either, and every problem found is
//! reported.

use object::build::elf::Builder;
use object::read::Object;
use std::path::{Path, PathBuf};
use std::{env, fs, process};

#[macro_use]
mod error;

mod addrsig;
mod btf;
mod klp_sym;
mod modinfo;
mod prototypes;
mod rust_names;
mod sections;
mod tables;
mod targets;

use error::Error;
use targets::Targets;

/// Reads the file at `path`.
fn read(path: &Path) -> Result<Vec<u8>, Error> {
    fs::read(path).map_err(|e| Error(format!("{}: {e}", path.display())))
}

/// Converts the module at `path` in place.
fn convert(path: &Path, targets: &Targets) -> Result<(), Error> {
    let mut data = read(path)?;
    let converts = klp_sym::has_klp_symbols(&data)? || rust_names::has_rust_names(&data)?;
    if !converts && !prototypes::has_records(&data)? {
        return Ok(());
    }
    let file = object::File::parse(&*data)?;
    if file.architecture() != object::Architecture::X86_64 || !file.is_64() {
        fail!("only x86_64 modules are supported");
    }
    // Read the module only, so first, before anything rewrites it.
    let prototypes = prototypes::check(&file, targets);
    let listed = rust_names::listed(&file, targets);
    if !converts {
        return prototypes;
    }
    addrsig::hide(&mut data)?;
    let mut builder = Builder::read(&*data)?;

    let mut errors = Vec::new();
    if let Err(e) = prototypes {
        errors.push(e.0);
    }
    if !modinfo::is_live_patch(&builder) {
        errors.push(
            "not a live patch module (no livepatch=Y in .modinfo): only a live patch may have \
             .klp.sym.* symbols or .klp.rust_names"
                .into(),
        );
    }
    // The paths first: the conversion of .klp.sym.* references may fail half-way.
    let names = listed
        .and_then(|listed| rust_names::convert(&mut builder, targets, &listed))
        .unwrap_or_else(|e| {
            errors.push(e.0);
            0
        });
    let relocations = klp_sym::convert(&mut builder, targets).unwrap_or_else(|e| {
        errors.push(e.0);
        0
    });
    if !errors.is_empty() {
        fail!("{}", errors.join("\n"));
    }
    if names == 0 && relocations == 0 {
        return Ok(());
    }

    addrsig::drop(&mut builder);
    let mut out = Vec::new();
    builder.write(&mut out)?;
    let tmp = path.with_extension("ko.klp-convert");
    fs::write(&tmp, out)
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|e| Error(format!("{}: {e}", path.display())))
}

fn main() {
    let mut targets = Targets {
        vmlinux: None,
        module_dirs: Vec::new(),
        vmlinux_btf: std::cell::OnceCell::new(),
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
