// SPDX-License-Identifier: GPL-2.0

//! The prototype check: each replacement of a C function against the target's BTF prototype.
//!
//! `kernel::klp_func!` records the name of each function a Rust live patch replaces, and the
//! prototype it states for it in Rust types (which rustc checks the replacement against), in the
//! section `.klp.prototypes`: a header of classes, then NUL-terminated strings, the name first
//! (see `rust/kernel/livepatch/prototype.rs` for the layout). The `struct klp_func` that
//! redirects the function points to that name, and the `struct klp_object` whose functions it is
//! part of says which object the function is in: vmlinux, or a module.
//!
//! The check finds the prototype of the function in the BTF of that object: the `.BTF` of
//! vmlinux, or for a module at hand BTF that pahole encodes from its linked object (which is up
//! to date before its `.ko` is). It compares the number of arguments, and the class of each
//! argument and of the return value ([`Class`]), and fails for a mismatch, naming the function,
//! the position and both types. A function that BTF does not describe fails too, unless its
//! record says it may be missing (`#[not_in_btf = "why"]`). Functions of modules not at hand
//! are not checked.

use crate::btf::{Btf, Class};
use crate::tables::{self, string_at, Layout};
use crate::targets::Targets;
use crate::{read, Error};
use object::read::{Object, ObjectSection};
use std::collections::BTreeMap;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;
use std::process::Command;

/// The section of the records.
const SECTION: &str = ".klp.prototypes";

/// The layout of the records this check reads (`Target::VERSION`).
const VERSION: u8 = 1;

/// The record may be of a function missing from BTF (`Target::FLAG_NOT_IN_BTF`).
const FLAG_NOT_IN_BTF: u8 = 1;

/// The most arguments a record has classes for (`Prototype::MAX_ARGS`).
const MAX_ARGS: usize = 8;

/// The size of a record's header, before its strings: 4 bytes of version and flags, then the
/// prototype, 4 bytes of argument count and 4 bytes for each class.
const HEADER: usize = 4 + 4 + 4 * (MAX_ARGS + 1);

/// One record: a function to replace, the object it is in and its stated prototype.
#[derive(Debug)]
struct Record {
    name: String,
    object: String,
    not_in_btf: bool,
    /// The return class and type, then those of the arguments.
    classes: Vec<(Class, String)>,
}

/// Returns the class a record's `kind` and `size` stand for (`CClass::KIND_*`).
fn record_class(kind: u8, size: u16) -> Class {
    let size = u32::from(size);
    match kind {
        1 => Class::Void,
        2 => Class::Signed(size),
        3 => Class::Unsigned(size),
        4 => Class::Bool,
        5 => Class::Pointer,
        6 => Class::Aggregate(size),
        _ => Class::Invalid,
    }
}

/// Parses the record at `offset` of the section `data`.
fn parse_record(data: &[u8], offset: usize) -> Option<(bool, Vec<(Class, String)>)> {
    let header = data.get(offset..offset + HEADER)?;
    if header[0] != VERSION {
        return None;
    }
    let not_in_btf = header[1] & FLAG_NOT_IN_BTF != 0;
    let args = usize::from(header[4]);
    if args > MAX_ARGS {
        return None;
    }
    let mut strings = data[offset + HEADER..].split(|&b| b == 0);
    strings.next()?; // The name.
    let mut classes = Vec::new();
    for i in 0..=args {
        let class = &header[8 + 4 * i..12 + 4 * i];
        let ty = String::from_utf8_lossy(strings.next()?).into_owned();
        classes.push((
            record_class(class[0], u16::from_le_bytes([class[2], class[3]])),
            ty,
        ));
    }
    Some((not_in_btf, classes))
}

/// Reads the records of the module `file`, with the objects their functions are in.
fn records(file: &object::File<'_>, layout: Layout) -> Result<Vec<Record>, Error> {
    let Some(section) = file.section_by_name(SECTION) else {
        return Ok(Vec::new());
    };
    let data = section.data()?;
    let mut records = Vec::new();
    for ((target, name_at), objects) in tables::listed(file, layout, SECTION)? {
        let bad = || Error(format!("{SECTION}: a malformed record at {name_at:#x}"));
        let offset = (name_at as usize).checked_sub(HEADER).ok_or_else(bad)?;
        let (not_in_btf, classes) = parse_record(data, offset).ok_or_else(bad)?;
        let name = string_at(file, (target, name_at)).ok_or_else(bad)?;
        if objects.is_empty() {
            fail!(
                "{name}: no struct klp_object of the module refers to the table of its struct \
                 klp_func, so the prototype check does not know the object of the function"
            );
        }
        for object in objects {
            records.push(Record {
                name: name.clone(),
                object,
                not_in_btf,
                classes: classes.clone(),
            });
        }
    }
    Ok(records)
}

/// Encodes the BTF of the module object at `path`, split on vmlinux's, with pahole (`$PAHOLE`),
/// in a directory of our own.
fn module_btf(path: &Path, vmlinux: &Path, base: &Btf) -> Result<Btf, Error> {
    let pahole = std::env::var("PAHOLE").unwrap_or_else(|_| "pahole".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!("klp-convert-{}-{nanos}", std::process::id()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|e| Error(format!("{}: {e}", dir.display())))?;
    let out = dir.join("module.btf");
    let status = Command::new(&pahole)
        .arg(format!("--btf_encode_detached={}", out.display()))
        .arg("--btf_base")
        .arg(vmlinux)
        .arg("--lang_exclude=rust")
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    let result = match status {
        // pahole writes nothing for a module of Rust alone (`--lang_exclude=rust`).
        Ok(status) if status.success() && !out.exists() => Ok(Btf::empty_split(base)),
        Ok(status) if status.success() => read(&out).and_then(|data| Btf::parse(&data, Some(base))),
        Ok(status) => Err(Error(format!("{pahole} on {}: {status}", path.display()))),
        Err(e) => Err(Error(format!("{pahole}: {e}"))),
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Compares `record` with the prototypes `btf` has for its function: returns the problems.
fn compare(record: &Record, btf: &Btf, object: &str) -> Vec<String> {
    let name = &record.name;
    let prototypes = btf.functions(name);
    if prototypes.is_empty() {
        if record.not_in_btf {
            return Vec::new();
        }
        return vec![format!(
            "{name}: the target is not in the BTF of {object} (a Rust function, a function the \
             compiler inlined or changed the signature of, or no function): its prototype \
             cannot be checked; if that is right, say why with #[not_in_btf = \"...\"]"
        )];
    }
    let mut problems = Vec::new();
    for prototype in &prototypes {
        problems = mismatches(record, btf, prototype);
        if problems.is_empty() {
            break;
        }
    }
    if !problems.is_empty() && prototypes.len() > 1 {
        problems.push(format!(
            "{name}: BTF of {object} has {} functions of that name; the replacement matches none",
            prototypes.len()
        ));
    }
    problems
}

/// Returns how `record` differs from `prototype` (type ids, the return type first).
fn mismatches(record: &Record, btf: &Btf, prototype: &[u32]) -> Vec<String> {
    let name = &record.name;
    let mut problems = Vec::new();
    for i in 0..prototype.len().max(record.classes.len()) {
        let is_return = i == 0;
        let target = prototype
            .get(i)
            .map(|&id| (btf.class(id, is_return), btf.c_type(id, is_return)));
        let ours = record.classes.get(i);
        let (position, verb) = if is_return {
            ("return value".to_string(), "returns")
        } else {
            (format!("argument {i}"), "takes")
        };
        let message = match (target, ours) {
            (Some((class, c_type)), Some((ours, rust_type))) => {
                if class.matches(*ours) {
                    continue;
                }
                format!(
                    "the target {verb} '{c_type}' ({class}), the replacement {verb} \
                     '{rust_type}' ({ours})"
                )
            }
            (Some((class, c_type)), None) => {
                format!("the target {verb} '{c_type}' ({class}), the replacement {verb} nothing")
            }
            (None, Some((ours, rust_type))) => {
                format!("the target {verb} nothing, the replacement {verb} '{rust_type}' ({ours})")
            }
            (None, None) => continue,
        };
        problems.push(format!("{name}: {position}: {message}"));
    }
    problems
}

/// Returns whether the module `data` has records to check.
pub(crate) fn has_records(data: &[u8]) -> Result<bool, Error> {
    Ok(object::File::parse(data)?
        .section_by_name(SECTION)
        .is_some())
}

/// Checks the records of the x86_64 module `file`, if it has any.
pub(crate) fn check(file: &object::File<'_>, targets: &Targets) -> Result<(), Error> {
    if file.section_by_name(SECTION).is_none() {
        return Ok(());
    }
    let Some(vmlinux) = &targets.vmlinux else {
        fail!("{SECTION}: the prototype check needs vmlinux (--vmlinux)");
    };
    let Some(base) = targets.vmlinux_btf()? else {
        fail!(
            "{}: no BTF to check the prototypes of replaced functions against: build the kernel \
             with CONFIG_DEBUG_INFO_BTF",
            vmlinux.display()
        );
    };
    let layout = Layout::from_btf(base)?;

    let mut problems = Vec::new();
    let mut modules = BTreeMap::new();
    for record in records(file, layout)? {
        let btf = if record.object == "vmlinux" {
            base
        } else {
            let Some(path) = targets.file(&record.object) else {
                // Not at hand: checked when it is.
                continue;
            };
            if !modules.contains_key(&record.object) {
                let btf = module_btf(&path, vmlinux, base)?;
                modules.insert(record.object.clone(), btf);
            }
            &modules[&record.object]
        };
        problems.extend(compare(&record, btf, &record.object));
    }
    if !problems.is_empty() {
        fail!("{}", problems.join("\n"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(classes: &[(Class, &str)]) -> Record {
        Record {
            name: "version_proc_show".into(),
            object: "vmlinux".into(),
            not_in_btf: false,
            classes: classes.iter().map(|(c, t)| (*c, t.to_string())).collect(),
        }
    }

    #[test]
    fn parses_records() {
        let mut data = vec![VERSION, FLAG_NOT_IN_BTF, 0, 0, 1, 0, 0, 0];
        data.extend_from_slice(&[2, 0, 4, 0, 5, 0, 8, 0]);
        data.resize(HEADER, 0);
        data.extend_from_slice(b"f\0c_int\0&SeqFile\0");
        let (not_in_btf, classes) = parse_record(&data, 0).expect("a record");
        assert!(not_in_btf);
        assert_eq!(
            classes,
            vec![
                (Class::Signed(4), "c_int".to_string()),
                (Class::Pointer, "&SeqFile".to_string())
            ]
        );
        data[0] = VERSION + 1;
        assert!(parse_record(&data, 0).is_none());
    }

    #[test]
    fn reports_missing_functions() {
        let btf = Btf::parse(
            &[
                0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
            ],
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut missing = record(&[(Class::Signed(4), "c_int")]);
        let problems = compare(&missing, &btf, "vmlinux");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("version_proc_show: the target is not in the BTF"));
        missing.not_in_btf = true;
        assert!(compare(&missing, &btf, "vmlinux").is_empty());
    }
}
