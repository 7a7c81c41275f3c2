//! Collecting annotated functions: explicitly with `handlers![...]`, or by discovery.

mod unregistered;

pub(crate) use unregistered::warn_unregistered;

use crate::{prompt::PromptDefinition, resource::ResourceDefinition, tool::ToolDefinition};

/// A set of annotated handlers to register on a `Server`.
///
/// Build one with [`handlers!`](crate::handlers) (naming a function that is not annotated is a
/// compile error) or collect every annotated function linked into the binary with
/// `Server::discover`.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// Say hello.
/// #[mcp_tool]
/// async fn hello() -> &'static str { "hello" }
///
/// let handlers: Handlers = handlers![hello];
/// assert_eq!(handlers.len(), 1);
/// ```
#[derive(Default)]
pub struct Handlers {
    pub(crate) tools: Vec<ToolDefinition>,
    pub(crate) prompts: Vec<PromptDefinition>,
    pub(crate) resources: Vec<ResourceDefinition>,
}

impl Handlers {
    /// An empty set.
    ///
    /// ```
    /// assert!(mcp_runtime::registry::Handlers::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// How many handlers the set holds.
    ///
    /// ```
    /// assert_eq!(mcp_runtime::registry::Handlers::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.tools.len() + self.prompts.len() + self.resources.len()
    }

    /// Whether the set is empty.
    ///
    /// ```
    /// assert!(mcp_runtime::registry::Handlers::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds every handler of `other`.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// One.
    /// #[mcp_tool]
    /// async fn one() -> i64 { 1 }
    /// /// Two.
    /// #[mcp_tool]
    /// async fn two() -> i64 { 2 }
    ///
    /// let mut all = handlers![one];
    /// all.extend(handlers![two]);
    /// assert_eq!(all.len(), 2);
    /// ```
    pub fn extend(&mut self, other: Handlers) {
        self.tools.extend(other.tools);
        self.prompts.extend(other.prompts);
        self.resources.extend(other.resources);
    }

    #[doc(hidden)]
    pub fn push_tool(&mut self, tool: ToolDefinition) {
        self.tools.push(tool);
    }

    #[doc(hidden)]
    pub fn push_prompt(&mut self, prompt: PromptDefinition) {
        self.prompts.push(prompt);
    }

    #[doc(hidden)]
    pub fn push_resource(&mut self, resource: ResourceDefinition) {
        self.resources.push(resource);
    }

    /// Removes the tool called `name`; whether there was one.
    pub(crate) fn remove_tool(&mut self, name: &str) -> bool {
        let before = self.tools.len();
        self.tools.retain(|tool| tool.name != name);
        self.tools.len() != before
    }

    /// Removes the prompt called `name`; whether there was one.
    pub(crate) fn remove_prompt(&mut self, name: &str) -> bool {
        let before = self.prompts.len();
        self.prompts.retain(|prompt| prompt.name != name);
        self.prompts.len() != before
    }

    /// Removes the resource registered under `uri`; whether there was one.
    pub(crate) fn remove_resource(&mut self, uri: &str) -> bool {
        let before = self.resources.len();
        self.resources.retain(|resource| resource.uri != uri);
        self.resources.len() != before
    }

    /// Every annotated handler linked into the binary.
    pub(crate) fn discovered() -> Self {
        let mut handlers = Self::new();
        for discovered in inventory::iter::<Discovered> {
            (discovered.0)(&mut handlers);
        }
        handlers
    }
}

impl From<ToolDefinition> for Handlers {
    /// A set of one tool, such as one defined at run time with [`ToolDefinition::from_fn`].
    ///
    /// ```
    /// use mcp_runtime::{model::CallToolResult, registry::Handlers, tool::ToolDefinition};
    ///
    /// let tool = ToolDefinition::from_fn("noop", "Does nothing.", serde_json::json!({"type": "object"}), |_, _| async {
    ///     Ok(CallToolResult::success(vec![]))
    /// });
    /// assert_eq!(Handlers::from(tool).len(), 1);
    /// ```
    fn from(tool: ToolDefinition) -> Self {
        let mut handlers = Self::new();
        handlers.push_tool(tool);
        handlers
    }
}

/// Implemented by the hidden type the macros generate next to each annotated function, so that
/// `handlers![f]` names the function and only compiles for annotated ones.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an MCP handler",
    note = "annotate the function with `#[mcp_tool]`, `#[mcp_resource]` or `#[mcp_prompt]`"
)]
pub trait Handler {
    fn add_to(handlers: &mut Handlers);
}

/// One annotated function, submitted at link time for `Server::discover`.
#[doc(hidden)]
pub struct Discovered(pub fn(&mut Handlers));

inventory::collect!(Discovered);

/// Names annotated functions to register on a `Server`, checked at compile time.
///
/// Each entry is the path of a function annotated with `#[mcp_tool]`; naming any other function
/// is a compile error.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// mod math {
///     use mcp_runtime::prelude::*;
///     /// Add two numbers.
///     #[mcp_tool]
///     pub async fn add(a: i64, b: i64) -> i64 { a + b }
/// }
///
/// let server = Server::new("demo", "1.0.0").register(handlers![math::add]);
/// ```
#[macro_export]
macro_rules! handlers {
    ($($handler:path),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut handlers = $crate::__private::Handlers::new();
        $( <$handler as $crate::__private::Handler>::add_to(&mut handlers); )*
        handlers
    }};
}
