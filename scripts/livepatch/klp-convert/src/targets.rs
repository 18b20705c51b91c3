// SPDX-License-Identifier: GPL-2.0

//! The objects a live patch refers to, vmlinux and modules, and their symbols.

use crate::btf::Btf;
use crate::{read, Error};
use object::read::{Object, ObjectSymbol};
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where to look for the objects a patch refers to.
pub(crate) struct Targets {
    pub(crate) vmlinux: Option<PathBuf>,
    pub(crate) module_dirs: Vec<PathBuf>,
    /// The BTF of vmlinux, once read: the prototype check and the tables both need it.
    pub(crate) vmlinux_btf: OnceCell<Option<Btf>>,
}

impl Targets {
    /// Returns the BTF of vmlinux, reading it the first time; `None` if vmlinux is not at hand or
    /// has none.
    pub(crate) fn vmlinux_btf(&self) -> Result<Option<&Btf>, Error> {
        if let Some(btf) = self.vmlinux_btf.get() {
            return Ok(btf.as_ref());
        }
        let btf = match &self.vmlinux {
            Some(vmlinux) => Btf::from_elf(&read(vmlinux)?, None)?,
            None => None,
        };
        Ok(self.vmlinux_btf.get_or_init(|| btf).as_ref())
    }

    /// Returns the file of `object` (`vmlinux`, or a module name), `None` if it is not at hand.
    pub(crate) fn file(&self, object: &str) -> Option<PathBuf> {
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
pub(crate) fn definitions(path: &Path) -> Result<BTreeMap<String, u64>, Error> {
    let data = read(path)?;
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

/// Returns the names of the functions (`STT_FUNC` symbols) defined in the object file at `path`.
pub(crate) fn functions(path: &Path) -> Result<Vec<String>, Error> {
    let data = read(path)?;
    let file = object::File::parse(&*data)?;
    Ok(file
        .symbols()
        .filter(|symbol| !symbol.is_undefined() && symbol.kind() == object::SymbolKind::Text)
        .filter_map(|symbol| symbol.name().ok().map(str::to_owned))
        .collect())
}
