//! Resources: fixed URIs and URI templates, matched at read time, and what a resource function
//! may return.

mod template;

use std::{collections::HashMap, fmt::Display, future::Future, pin::Pin, str::FromStr, sync::Arc};

use base64::Engine as _;
use rmcp::model::{Annotations, JsonObject, Resource, ResourceContents, ResourceTemplate, Role};
use serde::Serialize;
use serde_json::Value;

pub use template::Segment;

use crate::{
    completion::Completer, context::Context, error::ToolError, failure::Failure, result::Json, schema::SchemaOptions,
    state::StateMapView, tool::Location, validate::StringConstraints,
};

/// How a resource's read fails; the same failure every kind of item has.
#[doc(hidden)]
pub type ResourceError = Failure;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type CallFn =
    Arc<dyn Fn(UriVariables, Context) -> BoxFuture<Result<Vec<ResourceContents>, ResourceError>> + Send + Sync>;
type Check = fn(&StateMapView<'_>) -> Result<(), String>;

/// Everything the server needs to know about one `#[mcp_resource]` function.
#[doc(hidden)]
pub struct ResourceDefinition {
    pub(crate) uri: &'static str,
    pub(crate) segments: &'static [Segment],
    pub(crate) name: &'static str,
    title: Option<&'static str>,
    description: &'static str,
    pub(crate) mime_type: Option<&'static str>,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) location: Location,
    pub(crate) checks: Vec<Check>,
    pub(crate) call: CallFn,
    pub(crate) completions: Vec<(&'static str, Completer)>,
    annotations: Option<Annotations>,
    size: Option<u64>,
    pub(crate) lister: Option<Lister>,
    /// The schema of the variables that declare constraints (`#[schemars(range(..))]`, ...).
    pub(crate) constraints: Option<fn(SchemaOptions) -> JsonObject>,
    /// Those constraints, compiled when the server starts (and checks arguments).
    pub(crate) validator: Option<StringConstraints>,
}

/// Lists the concrete resources a template stands for, for `resources/list`.
#[doc(hidden)]
#[derive(Clone)]
pub struct Lister(Arc<dyn Fn(Context) -> BoxFuture<Vec<Resource>> + Send + Sync>);

/// A function that can list a template's resources: `async fn() -> Vec<Resource>`, or
/// `async fn(ctx: Context) -> Vec<Resource>` to reach the server's state (`ctx.state::<T>()`)
/// or the caller. `Marker` tells the two apart.
#[doc(hidden)]
pub trait ListResources<Marker>: Send + Sync + 'static {
    fn into_lister(self) -> Lister;
}

#[doc(hidden)]
pub struct WithoutContext;

#[doc(hidden)]
pub struct WithContext;

impl<F, Fut> ListResources<WithoutContext> for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Vec<Resource>> + Send + 'static,
{
    fn into_lister(self) -> Lister {
        Lister(Arc::new(move |_| Box::pin(self())))
    }
}

impl<F, Fut> ListResources<WithContext> for F
where
    F: Fn(Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Vec<Resource>> + Send + 'static,
{
    fn into_lister(self) -> Lister {
        Lister(Arc::new(move |ctx| Box::pin(self(ctx))))
    }
}

impl Lister {
    pub fn new<Marker>(list: impl ListResources<Marker>) -> Self {
        list.into_lister()
    }

    pub(crate) async fn list(&self, ctx: Context) -> Vec<Resource> {
        (self.0)(ctx).await
    }
}

#[doc(hidden)]
impl ResourceDefinition {
    /// `mime_type` is the attribute's, else the return type's default.
    #[allow(clippy::too_many_arguments)]
    pub fn new<F, Fut>(
        uri: &'static str,
        segments: &'static [Segment],
        name: &'static str,
        title: Option<&'static str>,
        description: &'static str,
        mime_type: Option<&'static str>,
        scopes: &'static [&'static str],
        location: Location,
        handler: F,
    ) -> Self
    where
        F: Fn(UriVariables, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<ResourceContents>, ResourceError>> + Send + 'static,
    {
        let call: CallFn = Arc::new(move |variables, ctx| Box::pin(handler(variables, ctx)));
        Self {
            uri,
            segments,
            name,
            title,
            description,
            mime_type,
            scopes,
            location,
            checks: Vec::new(),
            call,
            completions: Vec::new(),
            annotations: None,
            size: None,
            lister: None,
            constraints: None,
            validator: None,
        }
    }

    /// The constraints some variables declare, as the schema of just those variables.
    pub fn constraints(mut self, schema: fn(SchemaOptions) -> JsonObject) -> Self {
        self.constraints = Some(schema);
        self
    }

    /// Who the contents are for (`"user"`, `"assistant"`) and how important they are (0 to 1);
    /// both checked by the macro.
    pub fn annotate(mut self, audience: &'static [&'static str], priority: Option<f32>) -> Self {
        let mut annotations = Annotations::default();
        let roles: Vec<Role> =
            audience.iter().map(|role| if *role == "assistant" { Role::Assistant } else { Role::User }).collect();
        annotations.audience = (!roles.is_empty()).then_some(roles);
        annotations.priority = priority;
        self.annotations = Some(annotations);
        self
    }

    /// The size in bytes, announced in `resources/list`.
    pub fn size(mut self, size: u64) -> Self {
        self.size = Some(size);
        self
    }

    /// Lists the concrete resources of this template in `resources/list`.
    pub fn list(mut self, lister: Lister) -> Self {
        self.lister = Some(lister);
        self
    }

    /// A listed resource of this template, with the template's MIME type and annotations
    /// unless it has its own.
    pub(crate) fn complete_listed(&self, mut resource: Resource) -> Resource {
        if resource.mime_type.is_none() {
            resource.mime_type = self.mime_type.map(str::to_owned);
        }
        if resource.annotations.is_none() {
            resource.annotations = self.annotations.clone();
        }
        resource
    }

    /// Completes the template variable `variable` with `completer`, when there is one.
    pub fn complete(mut self, variable: &'static str, completer: Option<Completer>) -> Self {
        if let Some(completer) = completer {
            self.completions.push((variable, completer));
        }
        self
    }

    /// Adds a start-up check for an injected parameter.
    pub fn check(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    pub(crate) fn is_template(&self) -> bool {
        self.segments.iter().any(|segment| !matches!(segment, Segment::Literal(_)))
    }

    /// How specific a template is: more literal text wins, so `users://me/profile` is tried
    /// before `users://{id}/profile`.
    pub(crate) fn specificity(&self) -> usize {
        self.segments.iter().map(|segment| if let Segment::Literal(text) = segment { text.len() } else { 0 }).sum()
    }

    pub(crate) fn matches(&self, uri: &str) -> Option<HashMap<&'static str, String>> {
        template::match_uri(self.segments, uri)
    }

    fn meta(&self) -> Option<rmcp::model::MetaObject> {
        (!self.scopes.is_empty()).then(|| {
            let mut meta = rmcp::model::MetaObject::new();
            meta.insert(crate::SCOPES_META_KEY.into(), Value::from(self.scopes.to_vec()));
            meta
        })
    }

    pub(crate) fn to_resource(&self) -> Resource {
        let mut resource = Resource::new(self.uri, self.name).with_description(self.description);
        if let Some(title) = self.title {
            resource = resource.with_title(title);
        }
        if let Some(mime_type) = self.mime_type {
            resource = resource.with_mime_type(mime_type);
        }
        if let Some(meta) = self.meta() {
            resource = resource.with_meta(meta);
        }
        if let Some(annotations) = &self.annotations {
            resource = resource.with_annotations(annotations.clone());
        }
        if let Some(size) = self.size {
            resource = resource.with_size(size);
        }
        resource
    }

    pub(crate) fn to_template(&self) -> ResourceTemplate {
        let mut template = ResourceTemplate::new(self.uri, self.name).with_description(self.description);
        if let Some(title) = self.title {
            template = template.with_title(title);
        }
        if let Some(mime_type) = self.mime_type {
            template = template.with_mime_type(mime_type);
        }
        if let Some(meta) = self.meta() {
            template = template.with_meta(meta);
        }
        if let Some(annotations) = &self.annotations {
            template = template.with_annotations(annotations.clone());
        }
        template
    }
}

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

    pub fn required<T: UriVariable>(&self, name: &'static str) -> Result<T, ResourceError> {
        let text = self.values.get(name).ok_or_else(|| Failure::Invalid {
            argument: name,
            expected: None,
            problem: "is missing from the URI".into(),
        })?;
        T::parse_variable(text).map_err(|problem| Failure::Invalid { argument: name, expected: None, problem })
    }

    pub fn optional<T: UriVariable>(&self, name: &'static str) -> Result<Option<T>, ResourceError> {
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
/// use mcp_runtime::IntoResourceContents;
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
/// use mcp_runtime::{FileContents, IntoResourceContents, model::ResourceContents};
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
    /// let readme = mcp_runtime::FileContents::new(b"# Hello".to_vec(), "text/markdown");
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
) -> Result<Vec<ResourceContents>, ResourceError> {
    value.into_contents(uri, mime_type).map_err(Failure::from)
}
