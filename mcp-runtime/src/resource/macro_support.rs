//! What the code `#[mcp_resource]` generates calls: the MIME type a return type announces, and
//! the conversion of the returned value.

use rmcp::model::ResourceContents;

use super::IntoResourceContents;
use crate::failure::Failure;

/// Called by generated code: the MIME type to announce for a return type, `None` for a type
/// that is not resource contents (converting the value reports that, once).
#[doc(hidden)]
pub struct MimeTypeOf<T>(std::marker::PhantomData<T>);

impl<T> MimeTypeOf<T> {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

#[doc(hidden)]
pub trait ViaResourceContents {
    fn default_mime_type(&self) -> Option<&'static str>;
}

impl<T: IntoResourceContents> ViaResourceContents for &MimeTypeOf<T> {
    fn default_mime_type(&self) -> Option<&'static str> {
        T::DEFAULT_MIME_TYPE
    }
}

#[doc(hidden)]
pub trait ViaUnconvertible {
    fn default_mime_type(&self) -> Option<&'static str> {
        None
    }
}

impl<T> ViaUnconvertible for MimeTypeOf<T> {}

/// Called by generated code: converts the resource function's return value.
#[doc(hidden)]
pub fn resource_contents<T: IntoResourceContents>(
    value: T,
    uri: &str,
    mime_type: Option<&str>,
) -> Result<Vec<ResourceContents>, Failure> {
    value.into_contents(uri, mime_type).map_err(Failure::from)
}
