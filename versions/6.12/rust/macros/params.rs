// SPDX-License-Identifier: GPL-2.0

//! The `params` of `module!`: parsing, and the code and modinfo they generate.

use crate::helpers::*;
use proc_macro::{token_stream, Delimiter, Group, TokenStream, TokenTree};
use std::fmt::Write;

/// One module parameter.
#[derive(Debug)]
pub(crate) struct Param {
    name: String,
    ty: String,
    /// The maximum number of values of an array parameter: an integer literal or the path of a
    /// `usize` constant.
    array_len: Option<String>,
    default: String,
    perm: u16,
    description: String,
}

impl Param {
    /// The `parmtype` modinfo value: the name of the C parameter type that parses and stores the
    /// same values (`module_param(name, type, perm)`), the Rust name where C has none (`i8`).
    pub(crate) fn modinfo_type(&self) -> String {
        let c_type = match self.ty.as_str() {
            "i8" => "i8",
            "u8" => "byte",
            "i16" => "short",
            "u16" => "ushort",
            "i32" => "int",
            "u32" => "uint",
            // `long` is 64 bits on the 64-bit architectures that have Rust support.
            "i64" => "long",
            "u64" => "ullong",
            "bool" => "bool",
            _ => unreachable!(),
        };
        match self.array_len {
            Some(_) => format!("{}:array of {c_type}", self.name),
            None => format!("{}:{c_type}", self.name),
        }
    }

    /// The `parm` modinfo value: the description.
    pub(crate) fn modinfo_description(&self) -> String {
        format!("{}:{}", self.name, self.description)
    }
}

const TYPES: &[&str] = &["i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "bool"];

/// Parses `{ name: type { default: ..., permissions: ..., description: "..." }, ... }`.
pub(crate) fn parse(group: Group) -> Vec<Param> {
    assert_eq!(
        group.delimiter(),
        Delimiter::Brace,
        "Expected `params: {{ ... }}`"
    );
    let mut it = group.stream().into_iter();
    let mut params = Vec::new();
    while let Some(name) = try_ident(&mut it) {
        assert_eq!(
            expect_punct(&mut it),
            ':',
            "Expected `:` after parameter `{name}`"
        );
        let (ty, array_len) = parse_type(&mut it, &name);
        let mut param = parse_fields(expect_group(&mut it), name, ty, array_len);
        if param.array_len.is_some() {
            param.default = format!("&{}", param.default);
        }
        if params.iter().any(|p: &Param| p.name == param.name) {
            panic!("Duplicated parameter `{}`", param.name);
        }
        params.push(param);
        match it.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
            None => break,
            _ => panic!("Expected `,` after a parameter"),
        }
    }
    expect_end(&mut it);
    params
}

/// Parses `i32`, `[i32; 8]` or `[i32; kernel::cpu::NR_CPUS]`.
fn parse_type(it: &mut token_stream::IntoIter, name: &str) -> (String, Option<String>) {
    let (ty, array_len) = match it.next() {
        Some(TokenTree::Ident(ty)) => (ty.to_string(), None),
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => {
            let mut it = g.stream().into_iter();
            let ty = expect_ident(&mut it);
            assert_eq!(expect_punct(&mut it), ';', "Expected `[type; length]`");
            (ty, Some(parse_array_len(it, name)))
        }
        _ => panic!("Expected the type of parameter `{name}`"),
    };
    assert!(
        TYPES.contains(&ty.as_str()),
        "Parameter `{name}`: unsupported type `{ty}`, expected one of {TYPES:?} or an array of one"
    );
    (ty, array_len)
}

/// Parses the length of an array parameter: a positive integer literal, or the path of a `usize`
/// constant as seen from the crate root, such as `kernel::cpu::NR_CPUS` (whose value the compiler
/// checks where the storage is declared).
fn parse_array_len(it: token_stream::IntoIter, name: &str) -> String {
    let tokens: Vec<TokenTree> = it.collect();
    if let [TokenTree::Literal(len)] = tokens.as_slice() {
        return len
            .to_string()
            .parse::<usize>()
            .ok()
            .filter(|&len| len > 0)
            .unwrap_or_else(|| panic!("Expected a positive length for `{name}`"))
            .to_string();
    }
    let is_path = matches!(tokens.first(), Some(TokenTree::Ident(_)))
        && tokens.iter().all(|t| match t {
            TokenTree::Ident(_) => true,
            TokenTree::Punct(p) => p.as_char() == ':',
            _ => false,
        });
    assert!(
        is_path,
        "Expected an integer or the path of a constant as the length of `{name}`"
    );
    tokens.iter().map(ToString::to_string).collect()
}

/// Parses `{ default: ..., permissions: ..., description: "..." }` (`permissions` is optional).
fn parse_fields(group: Group, name: String, ty: String, array_len: Option<String>) -> Param {
    let mut it = group.stream().into_iter().peekable();
    let (mut default, mut perm, mut description) = (None, None, None);
    while let Some(key) = it.next() {
        let key = key.to_string();
        match it.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == ':' => {}
            _ => panic!("Expected `:` after `{key}` of parameter `{name}`"),
        }
        // The value: every token up to the next `,` outside of a group.
        let mut value = Vec::new();
        while let Some(token) =
            it.next_if(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
        {
            value.push(token);
        }
        it.next();
        let text = value
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        match key.as_str() {
            "default" => default = Some(text),
            "permissions" => perm = Some(parse_permissions(&text, &name)),
            "description" => {
                let mut value = TokenStream::from_iter(value).into_iter();
                description = Some(expect_string(&mut value));
                expect_end(&mut value);
            }
            _ => panic!(
                "Parameter `{name}`: unknown key `{key}`, expected `default`, `permissions` or \
                 `description`"
            ),
        }
    }
    Param {
        default: default.unwrap_or_else(|| panic!("Parameter `{name}`: missing `default`")),
        description: description
            .unwrap_or_else(|| panic!("Parameter `{name}`: missing `description`")),
        perm: perm.unwrap_or(0),
        name,
        ty,
        array_len,
    }
}

/// Parses sysfs permissions: `0` or an octal literal (`0o644`), checked as
/// `VERIFY_OCTAL_PERMISSIONS()` checks them in C, and without the execute bits that sysfs refuses
/// with a warning.
fn parse_permissions(text: &str, name: &str) -> u16 {
    let perm = match text {
        "0" => 0,
        _ => text
            .strip_prefix("0o")
            .and_then(|octal| u16::from_str_radix(octal, 8).ok())
            .unwrap_or_else(|| {
                panic!("Parameter `{name}`: permissions must be `0` or octal like `0o644`")
            }),
    };
    let (user, group, other) = ((perm >> 6) & 7, (perm >> 3) & 7, perm & 7);
    assert!(
        perm <= 0o777,
        "Parameter `{name}`: permissions out of range"
    );
    assert!(
        other & 2 == 0,
        "Parameter `{name}`: must not be writable by others"
    );
    assert!(
        perm & 0o111 == 0,
        "Parameter `{name}`: a parameter file cannot be executable"
    );
    assert!(
        user & 4 >= group & 4,
        "Parameter `{name}`: group can read but user cannot"
    );
    assert!(
        group & 4 >= other & 4,
        "Parameter `{name}`: others can read but group cannot"
    );
    assert!(
        user & 2 >= group & 2,
        "Parameter `{name}`: group can write but user cannot"
    );
    perm
}

/// The storage of each parameter, in the module `module_parameters`, and its `__param` entry.
pub(crate) fn code(params: &[Param], module: &str) -> String {
    if params.is_empty() {
        return String::new();
    }
    let mut code = String::from(
        "
        /// The parameters of this module, as given to `insmod` or written to
        /// `/sys/module/<module>/parameters/`.
        #[allow(non_upper_case_globals)]
        pub(crate) mod module_parameters {
        ",
    );
    for p in params {
        let storage = match &p.array_len {
            Some(n) => format!("kernel::module_param::ParamArray<{}, {{ {n} }}>", p.ty),
            None => format!("kernel::module_param::ParamValue<{}>", p.ty),
        };
        write!(
            code,
            "
            #[doc = \"{description}\"]
            pub(crate) static {name}: {storage} = <{storage}>::new({default});

            const _: () = {{
                #[cfg(MODULE)]
                const NAME: &kernel::str::CStr = kernel::c_str!(\"{name}\");
                #[cfg(not(MODULE))]
                const NAME: &kernel::str::CStr = kernel::c_str!(\"{module}.{name}\");

                #[link_section = \"__param\"]
                #[used(compiler)]
                static PARAM: kernel::module_param::KernelParam =
                    // SAFETY: `module!` checked the permissions, and `THIS_MODULE` is the module
                    // of the parameter.
                    unsafe {{
                        kernel::module_param::KernelParam::new(kernel::module_param::kernel_param(
                            NAME,
                            super::THIS_MODULE.as_ptr(),
                            {perm},
                            &{name},
                        ))
                    }};
            }};
            ",
            description = p.description.replace('"', "\\\""),
            name = p.name,
            default = p.default,
            perm = p.perm,
        )
        .unwrap();
    }
    code.push_str("}\n");
    code
}
