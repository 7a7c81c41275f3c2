//! What a resource function may return, and how each kind becomes the contents of a read.

use std::fmt::Display;

use base64::Engine as _;
use rmcp::model::ResourceContents;
use serde::Serialize;

use crate::{error::ToolError, result::Json};

/// What a resource function may return.
///
/// Text (`String`, `&'static str`; `text/plain`), bytes (`Vec<u8>`, `bytes::Bytes`,
/// `&'static [u8]`; a base64 blob, `application/octet-stream`), [`Json<T>`]
/// (`application/json`), one or several `ResourceContents` for full control, or
/// `Result<T, E>` of these with `E: Display`. The attribute's `mime_type` overrides the default.
/// An error made with [`ToolError::not_found`], or an `std::io::Error` of kind `NotFound`, is
/// the protocol's resource-not-found error, one made with [`ToolError::invalid_argument`] an
/// invalid-params error, and any other error an internal error.
///
/// ```
/// use mcp_runtime::resource::IntoResourceContents;
/// let contents = "hello".into_contents("notes://1", None).unwrap();
/// assert_eq!(contents.len(), 1);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an MCP resource",
    label = "this type cannot become resource contents",
    note = "return `String`, `Vec<u8>`, `Bytes`, `Json<T>`, `FileContents`, `ResourceContents` or `Vec<ResourceContents>`, or a `Result` of one with a displayable error"
)]
pub trait IntoResourceContents {
    /// The MIME type announced when the attribute names none.
    const DEFAULT_MIME_TYPE: Option<&'static str> = None;

    /// The contents for a read of `uri`, or the error to report.
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError>;
}

fn text(text: String, uri: &str, mime_type: Option<&str>) -> Vec<ResourceContents> {
    let contents = ResourceContents::text(text, uri);
    vec![match mime_type {
        Some(mime_type) => contents.with_mime_type(mime_type),
        None => contents,
    }]
}

impl IntoResourceContents for String {
    const DEFAULT_MIME_TYPE: Option<&'static str> = Some("text/plain");
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        Ok(text(self, uri, mime_type.or(Self::DEFAULT_MIME_TYPE)))
    }
}

impl IntoResourceContents for &str {
    const DEFAULT_MIME_TYPE: Option<&'static str> = Some("text/plain");
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        self.to_owned().into_contents(uri, mime_type)
    }
}

impl IntoResourceContents for Vec<u8> {
    const DEFAULT_MIME_TYPE: Option<&'static str> = Some("application/octet-stream");
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        Ok(blob(&self, uri, mime_type))
    }
}

impl IntoResourceContents for &'static [u8] {
    const DEFAULT_MIME_TYPE: Option<&'static str> = Some("application/octet-stream");
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        Ok(blob(self, uri, mime_type))
    }
}

impl IntoResourceContents for bytes::Bytes {
    const DEFAULT_MIME_TYPE: Option<&'static str> = Some("application/octet-stream");
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        Ok(blob(&self, uri, mime_type))
    }
}

fn blob(bytes: &[u8], uri: &str, mime_type: Option<&str>) -> Vec<ResourceContents> {
    let blob = base64::engine::general_purpose::STANDARD.encode(bytes);
    vec![ResourceContents::blob(blob, uri).with_mime_type(mime_type.unwrap_or("application/octet-stream"))]
}

/// A file's bytes with the MIME type found for it when read (from its name, its contents, ...),
/// for a resource that serves text and binary files alike. UTF-8 bytes are sent as text, any
/// other bytes as a base64 blob; UTF-8 bytes of the unknown type `application/octet-stream`
/// are announced as `text/plain`. The MIME type given here wins over the attribute's.
///
/// ```
/// use mcp_runtime::{model::ResourceContents, resource::{FileContents, IntoResourceContents}};
///
/// let png = FileContents::new(vec![0x89, b'P', b'N', b'G'], "image/png");
/// let contents = png.into_contents("file:///logo.png", None).unwrap();
/// assert!(matches!(&contents[0], ResourceContents::BlobResourceContents { mime_type: Some(m), .. } if m == "image/png"));
///
/// let notes = FileContents::new(b"milk".to_vec(), "application/octet-stream");
/// let contents = notes.into_contents("file:///notes", None).unwrap();
/// assert!(matches!(&contents[0], ResourceContents::TextResourceContents { mime_type: Some(m), .. } if m == "text/plain"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileContents {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Their MIME type, e.g. `image/png` or `text/markdown`.
    pub mime_type: String,
}

impl FileContents {
    /// `bytes` of the type `mime_type`.
    ///
    /// ```
    /// let readme = mcp_runtime::resource::FileContents::new(b"# Hello".to_vec(), "text/markdown");
    /// assert_eq!(readme.mime_type, "text/markdown");
    /// ```
    pub fn new(bytes: Vec<u8>, mime_type: impl Into<String>) -> Self {
        Self { bytes, mime_type: mime_type.into() }
    }
}

impl IntoResourceContents for FileContents {
    fn into_contents(self, uri: &str, _mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        let Self { bytes, mime_type } = self;
        match String::from_utf8(bytes) {
            Ok(contents) => {
                let mime_type = if mime_type == "application/octet-stream" { "text/plain" } else { &mime_type };
                Ok(text(contents, uri, Some(mime_type)))
            }
            Err(error) => Ok(blob(error.as_bytes(), uri, Some(&mime_type))),
        }
    }
}

impl<T: Serialize> IntoResourceContents for Json<T> {
    const DEFAULT_MIME_TYPE: Option<&'static str> = Some("application/json");
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        let json = serde_json::to_string_pretty(&self.0)
            .map_err(|error| ToolError::new(format!("cannot serialize: {error}")))?;
        Ok(text(json, uri, mime_type.or(Self::DEFAULT_MIME_TYPE)))
    }
}

impl IntoResourceContents for ResourceContents {
    fn into_contents(self, _uri: &str, _mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        Ok(vec![self])
    }
}

impl IntoResourceContents for Vec<ResourceContents> {
    fn into_contents(self, _uri: &str, _mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        Ok(self)
    }
}

impl<T: IntoResourceContents, E: Display + 'static> IntoResourceContents for Result<T, E> {
    const DEFAULT_MIME_TYPE: Option<&'static str> = T::DEFAULT_MIME_TYPE;
    fn into_contents(self, uri: &str, mime_type: Option<&str>) -> Result<Vec<ResourceContents>, ToolError> {
        self.map_err(|error| {
            // Keep "not found" whether it came as our error or as the file system's.
            let any = &error as &dyn std::any::Any;
            if let Some(tool_error) = any.downcast_ref::<ToolError>() {
                tool_error.clone()
            } else if any.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) {
                ToolError::not_found(error.to_string())
            } else {
                ToolError::new(format!("{error:#}"))
            }
        })?
        .into_contents(uri, mime_type)
    }
}
