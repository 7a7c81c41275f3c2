//! What the macro records of a handler besides its schemas and its call: where it was defined
//! and, for a tool, the hints it declares.

use std::fmt;

/// Where a handler was defined, to name both sides of a conflict.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub file: &'static str,
    pub line: u32,
    pub module: &'static str,
    pub function: &'static str,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.module.is_empty() {
            // Defined at run time: where the definition was made.
            write!(f, "`{}` defined at {}:{}", self.function, self.file, self.line)
        } else {
            write!(f, "`{}::{}` at {}:{}", self.module, self.function, self.file, self.line)
        }
    }
}

impl Location {
    /// The code that called the `#[track_caller]` function this is made in.
    #[track_caller]
    pub(super) fn of_caller(function: &'static str) -> Self {
        let caller = std::panic::Location::caller();
        Self { file: caller.file(), line: caller.line(), module: "", function }
    }
}

/// Behaviour hints a tool declares to clients (all default to "not said").
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints {
    pub read_only: Option<bool>,
    pub destructive: Option<bool>,
    pub idempotent: Option<bool>,
    pub open_world: Option<bool>,
}
