//! The variables of a requested URI, matched against a template and parsed into the
//! function's parameter types.

use std::{collections::HashMap, fmt::Display, str::FromStr};

use crate::failure::Failure;

/// The variables matched from a requested URI, and the URI itself.
#[doc(hidden)]
pub struct UriVariables {
    pub(crate) uri: String,
    pub(crate) values: HashMap<&'static str, String>,
}

impl UriVariables {
    pub fn uri(&self) -> &str {
        &self.uri
    }

    pub fn required<T: UriVariable>(&self, name: &'static str) -> Result<T, Failure> {
        let text = self.values.get(name).ok_or_else(|| Failure::Invalid {
            argument: name,
            expected: None,
            problem: "is missing from the URI".into(),
        })?;
        T::parse_variable(text).map_err(|problem| Failure::Invalid { argument: name, expected: None, problem })
    }

    pub fn optional<T: UriVariable>(&self, name: &'static str) -> Result<Option<T>, Failure> {
        self.values
            .get(name)
            .map(|text| {
                T::parse_variable(text).map_err(|problem| Failure::Invalid { argument: name, expected: None, problem })
            })
            .transpose()
    }
}

/// A type a URI template variable can be parsed into: anything `FromStr`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a URI template variable: it must be parsed from the text of the URI",
    label = "this type cannot be parsed from a string",
    note = "use `String`, a number, or another type implementing `std::str::FromStr` whose error implements `Display`"
)]
pub trait UriVariable: Sized {
    #[doc(hidden)]
    fn parse_variable(text: &str) -> Result<Self, String>;
}

impl<T> UriVariable for T
where
    T: FromStr,
    T::Err: Display,
{
    fn parse_variable(text: &str) -> Result<Self, String> {
        text.parse().map_err(|error: T::Err| format!("expected {}: {error}", std::any::type_name::<T>()))
    }
}
