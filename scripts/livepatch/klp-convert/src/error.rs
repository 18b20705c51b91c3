// SPDX-License-Identifier: GPL-2.0

//! The errors of klp-convert.

use std::fmt;

/// A failure, reported as `klp-convert: <module>: <message>`, one line each.
pub(crate) struct Error(pub(crate) String);

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

/// Returns the [`Error`] of a message formatted as by `format!`.
macro_rules! fail {
    ($($arg:tt)*) => { return Err($crate::error::Error(format!($($arg)*))) };
}
