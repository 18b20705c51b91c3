// SPDX-License-Identifier: GPL-2.0

//! The BTF of vmlinux and of modules (Documentation/bpf/btf.rst): the prototypes of their
//! functions and the layout of their structures.
//!
//! pahole writes it from DWARF into the section `.BTF`; a module's is split BTF, whose type ids
//! and string offsets continue those of vmlinux. Only what the prototype check reads is kept.

use crate::Error;
use object::read::{Object, ObjectSection};
use std::fmt;

const MAGIC: u16 = 0xeb9f;

const KIND_INT: u32 = 1;
const KIND_PTR: u32 = 2;
const KIND_ARRAY: u32 = 3;
const KIND_STRUCT: u32 = 4;
const KIND_UNION: u32 = 5;
const KIND_ENUM: u32 = 6;
const KIND_FWD: u32 = 7;
const KIND_TYPEDEF: u32 = 8;
const KIND_VOLATILE: u32 = 9;
const KIND_CONST: u32 = 10;
const KIND_RESTRICT: u32 = 11;
const KIND_FUNC: u32 = 12;
const KIND_FUNC_PROTO: u32 = 13;
const KIND_VAR: u32 = 14;
const KIND_DATASEC: u32 = 15;
const KIND_FLOAT: u32 = 16;
const KIND_DECL_TAG: u32 = 17;
const KIND_TYPE_TAG: u32 = 18;
const KIND_ENUM64: u32 = 19;

const INT_SIGNED: u32 = 1;
const INT_BOOL: u32 = 4;

/// A type, by what the prototype check needs of it.
#[derive(Clone, Debug)]
enum Kind {
    Void,
    Int {
        size: u32,
        encoding: u32,
    },
    Ptr(u32),
    Struct {
        size: u32,
        members: Vec<Member>,
    },
    Union {
        size: u32,
    },
    Enum {
        size: u32,
    },
    Fwd {
        union: bool,
    },
    /// A typedef, `const`, `volatile`, `restrict` or a type tag, of the type it names.
    Alias {
        qualifier: Option<&'static str>,
        of: u32,
    },
    Func {
        proto: u32,
    },
    FuncProto {
        ret: u32,
        params: Vec<u32>,
    },
    Float {
        size: u32,
    },
    /// Arrays, variables, data sections, declaration tags.
    Other,
}

/// A member of a structure.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    name: u32,
    bit_offset: u32,
}

#[derive(Clone, Debug)]
struct Type {
    name: u32,
    kind: Kind,
}

/// The ABI class of a C type: what the prototype check compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    Void,
    /// An integer whose signedness C leaves open: an `enum`. (`char` is unsigned: the kernel
    /// builds with `-funsigned-char`.)
    Int(u32),
    Signed(u32),
    Unsigned(u32),
    Bool,
    Pointer,
    Aggregate(u32),
    Float(u32),
    /// What cannot be a parameter or return type: a variadic `...`, an incomplete type.
    Invalid,
}

impl Class {
    /// Returns whether a value of `self`, as C passes it, is one of `other`.
    pub(crate) fn matches(self, other: Class) -> bool {
        match (self, other) {
            (Class::Int(a), Class::Signed(b) | Class::Unsigned(b) | Class::Int(b))
            | (Class::Signed(a) | Class::Unsigned(a), Class::Int(b)) => a == b,
            (Class::Invalid, _) | (_, Class::Invalid) => false,
            _ => self == other,
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Class::Void => f.write_str("void"),
            Class::Int(size) => write!(f, "{}-bit integer", size * 8),
            Class::Signed(size) => write!(f, "signed {}-bit integer", size * 8),
            Class::Unsigned(size) => write!(f, "unsigned {}-bit integer", size * 8),
            Class::Bool => f.write_str("bool"),
            Class::Pointer => f.write_str("pointer"),
            Class::Aggregate(size) => write!(f, "aggregate of {size} bytes"),
            Class::Float(size) => write!(f, "{}-bit floating point", size * 8),
            Class::Invalid => f.write_str("not a value"),
        }
    }
}

/// The BTF of one object, with that of vmlinux before it for a module.
#[derive(Clone)]
pub(crate) struct Btf {
    types: Vec<Type>,
    strings: Vec<u8>,
    /// The number of types of the base, vmlinux's for a module, 0 for vmlinux: the object's own
    /// types follow them.
    base_types: usize,
}

/// Reads the little-endian `u32` at `at`, `None` past the end.
fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

impl Btf {
    /// Reads the `.BTF` section of the ELF file `data`, split BTF on `base` for a module.
    /// Returns `None` if the file has no BTF.
    pub(crate) fn from_elf(data: &[u8], base: Option<&Btf>) -> Result<Option<Self>, Error> {
        let file = object::File::parse(data)?;
        let Some(section) = file.section_by_name(".BTF") else {
            return Ok(None);
        };
        Self::parse(section.data()?, base).map(Some)
    }

    /// Returns the split BTF of a module that has no types of its own (pahole writes none for a
    /// module of Rust alone).
    pub(crate) fn empty_split(base: &Btf) -> Self {
        Btf {
            base_types: base.types.len(),
            ..base.clone()
        }
    }

    /// Parses raw BTF, split BTF on `base` for a module.
    pub(crate) fn parse(data: &[u8], base: Option<&Btf>) -> Result<Self, Error> {
        let bad = || Error("BTF: malformed".into());
        if data.get(..2) != Some(&MAGIC.to_le_bytes()) {
            fail!("BTF: bad magic (not little-endian BTF)");
        }
        let hdr_len = u32_at(data, 4).ok_or_else(bad)? as usize;
        let field = |at| u32_at(data, at).map(|v| v as usize).ok_or_else(bad);
        let (type_off, type_len) = (field(8)?, field(12)?);
        let (str_off, str_len) = (field(16)?, field(20)?);
        let types = data
            .get(hdr_len + type_off..hdr_len + type_off + type_len)
            .ok_or_else(bad)?;
        let strings = data
            .get(hdr_len + str_off..hdr_len + str_off + str_len)
            .ok_or_else(bad)?;

        let mut btf = match base {
            Some(base) => Self::empty_split(base),
            None => Btf {
                types: vec![Type {
                    name: 0,
                    kind: Kind::Void,
                }],
                strings: Vec::new(),
                base_types: 0,
            },
        };
        btf.strings.extend_from_slice(strings);
        let mut at = 0;
        while at < types.len() {
            let (ty, len) = Self::parse_type(types, at).ok_or_else(bad)?;
            btf.types.push(ty);
            at += len;
        }
        Ok(btf)
    }

    /// Parses the type at `at`, returning it and its length.
    fn parse_type(data: &[u8], at: usize) -> Option<(Type, usize)> {
        let name = u32_at(data, at)?;
        let info = u32_at(data, at + 4)?;
        let size_or_type = u32_at(data, at + 8)?;
        let kind = (info >> 24) & 0x1f;
        let vlen = (info & 0xffff) as usize;
        let kflag = info >> 31 == 1;
        let extra = at + 12;
        let alias = |qualifier| Kind::Alias {
            qualifier,
            of: size_or_type,
        };
        let (kind, len) = match kind {
            KIND_INT => (
                Kind::Int {
                    size: size_or_type,
                    encoding: (u32_at(data, extra)? >> 24) & 0xf,
                },
                4,
            ),
            KIND_PTR => (Kind::Ptr(size_or_type), 0),
            KIND_ARRAY => (Kind::Other, 12),
            KIND_STRUCT => {
                let mut members = Vec::with_capacity(vlen);
                for i in 0..vlen {
                    let m = extra + i * 12;
                    let offset = u32_at(data, m + 8)?;
                    members.push(Member {
                        name: u32_at(data, m)?,
                        // With kflag, the low 24 bits are the offset and the rest a bitfield size.
                        bit_offset: if kflag { offset & 0xff_ffff } else { offset },
                    });
                }
                (
                    Kind::Struct {
                        size: size_or_type,
                        members,
                    },
                    vlen * 12,
                )
            }
            KIND_UNION => (Kind::Union { size: size_or_type }, vlen * 12),
            KIND_ENUM => (Kind::Enum { size: size_or_type }, vlen * 8),
            KIND_ENUM64 => (Kind::Enum { size: size_or_type }, vlen * 12),
            KIND_FWD => (Kind::Fwd { union: kflag }, 0),
            KIND_TYPEDEF => (alias(None), 0),
            KIND_VOLATILE => (alias(Some("volatile")), 0),
            KIND_CONST => (alias(Some("const")), 0),
            KIND_RESTRICT => (alias(Some("restrict")), 0),
            KIND_TYPE_TAG => (alias(Some("")), 0),
            KIND_FUNC => (
                Kind::Func {
                    proto: size_or_type,
                },
                0,
            ),
            KIND_FUNC_PROTO => {
                let params = (0..vlen)
                    .map(|i| u32_at(data, extra + i * 8 + 4))
                    .collect::<Option<Vec<_>>>()?;
                (
                    Kind::FuncProto {
                        ret: size_or_type,
                        params,
                    },
                    vlen * 8,
                )
            }
            KIND_VAR => (Kind::Other, 4),
            KIND_DATASEC => (Kind::Other, vlen * 12),
            KIND_FLOAT => (Kind::Float { size: size_or_type }, 0),
            KIND_DECL_TAG => (Kind::Other, 4),
            _ => return None,
        };
        Some((Type { name, kind }, 12 + len))
    }

    fn ty(&self, id: u32) -> Option<&Type> {
        self.types.get(id as usize)
    }

    fn name(&self, offset: u32) -> &str {
        let bytes = self.strings.get(offset as usize..).unwrap_or_default();
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        std::str::from_utf8(&bytes[..end]).unwrap_or("?")
    }

    /// Returns the prototypes of the object's functions called `name` (a module's, not those of
    /// vmlinux): the return type, then the parameter types, as type ids.
    pub(crate) fn functions(&self, name: &str) -> Vec<Vec<u32>> {
        self.types[self.base_types..]
            .iter()
            .filter(|ty| matches!(ty.kind, Kind::Func { .. }) && self.name(ty.name) == name)
            .filter_map(|ty| match ty.kind {
                Kind::Func { proto } => match &self.ty(proto)?.kind {
                    Kind::FuncProto { ret, params } => Some(
                        std::iter::once(*ret)
                            .chain(params.iter().copied())
                            .collect(),
                    ),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// Returns the type `id` stands for, without typedefs and qualifiers.
    fn resolve(&self, mut id: u32) -> Option<&Type> {
        for _ in 0..64 {
            let ty = self.ty(id)?;
            match ty.kind {
                Kind::Alias { of, .. } => id = of,
                _ => return Some(ty),
            }
        }
        None
    }

    /// Returns the class of the type `id`. A parameter of type 0 is the `...` of a variadic
    /// function; as a return type, 0 is `void`.
    pub(crate) fn class(&self, id: u32, is_return: bool) -> Class {
        let Some(ty) = self.resolve(id) else {
            return Class::Invalid;
        };
        match ty.kind {
            Kind::Void if is_return => Class::Void,
            Kind::Int { size, encoding } => {
                if encoding & INT_BOOL != 0 {
                    Class::Bool
                } else if encoding & INT_SIGNED != 0 {
                    Class::Signed(size)
                } else {
                    Class::Unsigned(size)
                }
            }
            Kind::Ptr(_) => Class::Pointer,
            Kind::Struct { size, .. } | Kind::Union { size } => Class::Aggregate(size),
            Kind::Enum { size } => Class::Int(size),
            Kind::Float { size } => Class::Float(size),
            _ => Class::Invalid,
        }
    }

    /// Returns the C spelling of the type `id` (`id` 0 as a parameter being `...`).
    pub(crate) fn c_type(&self, id: u32, is_return: bool) -> String {
        if id == 0 {
            return if is_return { "void" } else { "..." }.into();
        }
        self.spell(id, 0)
    }

    fn spell(&self, id: u32, depth: usize) -> String {
        let Some(ty) = self.ty(id).filter(|_| depth < 16) else {
            return "?".into();
        };
        let name = |prefix: &str| match self.name(ty.name) {
            "" => format!("{prefix}(anonymous)"),
            name => format!("{prefix}{name}"),
        };
        match &ty.kind {
            Kind::Void => "void".into(),
            Kind::Ptr(to) => {
                let to = self.spell(*to, depth + 1);
                if to.ends_with('*') {
                    format!("{to}*")
                } else {
                    format!("{to} *")
                }
            }
            Kind::Struct { .. } => name("struct "),
            Kind::Union { .. } => name("union "),
            Kind::Enum { .. } => name("enum "),
            Kind::Fwd { union } => name(if *union { "union " } else { "struct " }),
            Kind::Alias {
                qualifier: None, ..
            } => name(""),
            Kind::Alias {
                qualifier: Some(q),
                of,
            } => {
                let of = self.spell(*of, depth + 1);
                match (q.is_empty(), of.ends_with('*')) {
                    (true, _) => of,
                    (false, true) => format!("{of} {q}"),
                    (false, false) => format!("{q} {of}"),
                }
            }
            Kind::FuncProto { .. } => "function".into(),
            Kind::Int { .. } | Kind::Float { .. } | Kind::Func { .. } | Kind::Other => name(""),
        }
    }

    /// Returns the size of the structure `name` and the offset in bytes of its member `member`.
    pub(crate) fn member_offset(&self, name: &str, member: &str) -> Option<(u32, u32)> {
        self.types.iter().find_map(|ty| match &ty.kind {
            Kind::Struct { size, members } if self.name(ty.name) == name => members
                .iter()
                .find(|m| self.name(m.name) == member)
                .map(|m| (*size, m.bit_offset / 8)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds raw BTF of `types` (each its words after the first) and `strings`.
    fn raw(types: &[&[u32]], strings: &[u8]) -> Vec<u8> {
        let type_bytes: Vec<u8> = types
            .iter()
            .flat_map(|t| t.iter().flat_map(|w| w.to_le_bytes()))
            .collect();
        let mut data = Vec::new();
        data.extend_from_slice(&MAGIC.to_le_bytes());
        data.extend_from_slice(&[1, 0]);
        for word in [24, 0, type_bytes.len() as u32, type_bytes.len() as u32] {
            data.extend_from_slice(&word.to_le_bytes());
        }
        data.extend_from_slice(&(strings.len() as u32).to_le_bytes());
        data.extend_from_slice(&type_bytes);
        data.extend_from_slice(strings);
        data
    }

    fn info(kind: u32, vlen: u32) -> u32 {
        kind << 24 | vlen
    }

    #[test]
    fn reads_prototypes_and_spells_types() {
        // 1 int, 2 char, 3 struct seq_file (fwd), 4 ptr to 3, 5 void *, 6 const char,
        // 7 ptr to 6, 8 proto int (struct seq_file *, void *), 9 func show.
        let strings = b"\0int\0char\0seq_file\0show\0m\0v\0";
        let btf = Btf::parse(
            &raw(
                &[
                    &[1, info(KIND_INT, 0), 4, INT_SIGNED << 24 | 32],
                    &[5, info(KIND_INT, 0), 1, 2 << 24 | 8],
                    &[10, info(KIND_FWD, 0), 0],
                    &[0, info(KIND_PTR, 0), 3],
                    &[0, info(KIND_PTR, 0), 0],
                    &[0, info(KIND_CONST, 0), 2],
                    &[0, info(KIND_PTR, 0), 6],
                    &[0, info(KIND_FUNC_PROTO, 2), 1, 24, 4, 26, 5],
                    &[19, info(KIND_FUNC, 0), 8],
                ],
                strings,
            ),
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(btf.functions("show"), vec![vec![1, 4, 5]]);
        assert!(btf.functions("other").is_empty());
        assert_eq!(btf.c_type(4, false), "struct seq_file *");
        assert_eq!(btf.c_type(5, false), "void *");
        assert_eq!(btf.c_type(7, false), "const char *");
        assert_eq!(btf.class(1, true), Class::Signed(4));
        // The kernel builds with -funsigned-char.
        assert_eq!(btf.class(2, false), Class::Unsigned(1));
        assert_eq!(btf.class(4, false), Class::Pointer);
        assert_eq!(btf.class(0, true), Class::Void);
        assert_eq!(btf.class(0, false), Class::Invalid);

        // A module's split BTF continues the type ids and string offsets.
        let name = strings.len() as u32;
        let split = Btf::parse(
            &raw(&[&[name, info(KIND_FUNC, 0), 8]], b"target\0"),
            Some(&btf),
        );
        let split = split.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(split.functions("target"), vec![vec![1, 4, 5]]);
        // Only the module's own functions.
        assert!(split.functions("show").is_empty());
    }

    #[test]
    fn compares_classes() {
        assert!(Class::Int(1).matches(Class::Unsigned(1)));
        assert!(Class::Int(4).matches(Class::Signed(4)));
        assert!(!Class::Int(4).matches(Class::Signed(8)));
        assert!(!Class::Signed(4).matches(Class::Unsigned(4)));
        assert!(!Class::Pointer.matches(Class::Unsigned(8)));
        assert!(!Class::Invalid.matches(Class::Invalid));
    }
}
