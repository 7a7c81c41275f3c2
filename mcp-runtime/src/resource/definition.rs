//! What the server knows of one `#[mcp_resource]` function: its URI or template, how it is
//! listed and matched, and how it is called.

use std::{collections::HashMap, future::Future, sync::Arc};

use rmcp::model::{Annotations, JsonObject, Resource, ResourceContents, ResourceTemplate, Role};
use serde_json::Value;

use super::{BoxFuture, Lister, Segment, UriVariables, template};
use crate::{
    completion::Completer, context::Context, failure::Failure, schema::SchemaOptions, state::StateMapView,
    tool::Location, validate::StringConstraints,
};

type CallFn = Arc<dyn Fn(UriVariables, Context) -> BoxFuture<Result<Vec<ResourceContents>, Failure>> + Send + Sync>;
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
        Fut: Future<Output = Result<Vec<ResourceContents>, Failure>> + Send + 'static,
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
            meta.insert(crate::tool::SCOPES_META_KEY.into(), Value::from(self.scopes.to_vec()));
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
