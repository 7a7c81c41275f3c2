//! A handler as the macros understand it, once its attribute and function are read: what every
//! kind has (a name, a description, scopes, the function's signature) and what only one kind has.
//! Building it never fails; `check` reports what is wrong with it, and `expand` turns a handler
//! that passed into code.

use syn::{LitStr, Path};

use crate::{
    attr::{Attr, KindAttr, PromptAttr, ResourceAttr, ScopeExpr, ToolAttr},
    docs,
    signature::{Signature, unraw},
    uri::{self, Part},
};

/// One annotated function.
pub(crate) struct Handler {
    pub(crate) common: Common,
    pub(crate) signature: Signature,
    pub(crate) kind: Kind,
}

/// What every kind of handler has.
pub(crate) struct Common {
    pub(crate) name: Name,
    pub(crate) title: Option<LitStr>,
    /// From `description = "..."`, else the doc comment (without its `# Arguments` section);
    /// `None` when there is neither.
    pub(crate) description: Option<String>,
    /// The parameters the `# Arguments` section describes, in its order.
    pub(crate) described_parameters: Vec<String>,
    pub(crate) scopes: Vec<ScopeExpr>,
    /// The runtime's path: `crate = ...`, else `::mcp_runtime`.
    pub(crate) krate: Path,
}

/// The name the handler is registered under.
pub(crate) enum Name {
    /// `name = "..."`.
    Given(LitStr),
    /// The function's name, without `r#`.
    OfFunction(String),
}

impl Name {
    pub(crate) fn value(&self) -> String {
        match self {
            Name::Given(name) => name.value(),
            Name::OfFunction(name) => name.clone(),
        }
    }
}

/// What only one kind of handler has.
pub(crate) enum Kind {
    Tool(ToolAttr),
    Prompt(PromptAttr),
    Resource(Resource),
}

/// A resource: its keys, and its URI read as a template.
pub(crate) struct Resource {
    pub(crate) keys: ResourceAttr,
    pub(crate) template: Template,
}

/// The resource's `uri`, parsed.
pub(crate) enum Template {
    /// No `uri` was given.
    Missing,
    /// What is wrong with the `uri`.
    Malformed(String),
    /// A fixed URI is one literal part; a template has variables.
    Parsed(Vec<Part>),
}

impl Resource {
    fn new(keys: ResourceAttr) -> Self {
        let template = match &keys.uri {
            None => Template::Missing,
            Some(uri) => match uri::parse(&uri.value()) {
                Ok(parts) => Template::Parsed(parts),
                Err(problem) => Template::Malformed(problem),
            },
        };
        Resource { keys, template }
    }

    /// The variables of the template; none for a fixed URI (or one that did not parse).
    pub(crate) fn variables(&self) -> Vec<&str> {
        match &self.template {
            Template::Parsed(parts) => parts.iter().flat_map(Part::variables).collect(),
            Template::Missing | Template::Malformed(_) => Vec::new(),
        }
    }
}

impl Handler {
    /// Puts the attribute, the signature and the function's doc comment together.
    pub(crate) fn new(attr: Attr, mut signature: Signature, doc: Option<String>) -> Self {
        let Attr { common, kind } = attr;
        let described = doc.map(|text| docs::split_arguments(&text));
        let (description, section) = match (common.description, described) {
            (Some(description), described) => (Some(description.value()), described.map(|d| d.arguments)),
            (None, Some(described)) if !described.description.is_empty() => {
                (Some(described.description), Some(described.arguments))
            }
            // A doc comment that is only an `# Arguments` section describes nothing.
            (None, _) => (None, None),
        };
        let section = section.unwrap_or_default();
        let described_parameters = section.iter().map(|(name, _)| name.clone()).collect();
        signature.describe_from_section(section);
        let name = match common.name {
            Some(name) => Name::Given(name),
            None => Name::OfFunction(unraw(&signature.ident)),
        };
        let common = Common {
            name,
            title: common.title,
            description,
            described_parameters,
            scopes: common.scopes.unwrap_or_default(),
            krate: common.krate.unwrap_or_else(|| syn::parse_quote!(::mcp_runtime)),
        };
        let kind = match kind {
            KindAttr::Tool(keys) => Kind::Tool(keys),
            KindAttr::Prompt(keys) => Kind::Prompt(keys),
            KindAttr::Resource(keys) => Kind::Resource(Resource::new(keys)),
        };
        Handler { common, signature, kind }
    }
}
