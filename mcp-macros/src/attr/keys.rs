//! The table of keys: which macro takes each key, the field it fills, the type of its value and
//! the function that parses it (whose error says what a good value looks like). Adding a key is
//! adding a row; the structs, the parsing and the lists in error messages follow from it.
//!
//! The order of the rows is the order in which messages list a macro's keys.

use syn::{LitBool, LitFloat, LitInt, LitStr, Path};

use super::value::{self, ScopeExpr};

attribute_keys! {
    /// `uri = "config://app"`: the resource's URI, or a URI template such as `"users://{id}"`.
    Resource "uri" => uri: LitStr = value::string;
    /// `name = "search"`: the name clients use; the function's name when absent.
    Common "name" => name: LitStr = value::string;
    /// `title = "Search"`: a human-readable name for a client's interface.
    Common "title" => title: LitStr = value::string;
    /// `description = "..."`: replaces the doc comment as the description.
    Common "description" => description: LitStr = value::string;
    /// `read_only`: the tool does not modify its environment.
    Tool "read_only" => read_only: LitBool = value::flag;
    /// `destructive`: the tool may make changes it cannot undo.
    Tool "destructive" => destructive: LitBool = value::flag;
    /// `idempotent`: calling the tool again with the same arguments has no further effect.
    Tool "idempotent" => idempotent: LitBool = value::flag;
    /// `open_world`: the tool reaches outside entities (the web, other systems).
    Tool "open_world" => open_world: LitBool = value::flag;
    /// `mime_type = "application/json"`: the contents' media type.
    Resource "mime_type" => mime_type: LitStr = value::string;
    /// `audience = ["user"]`: who the contents are for, `"user"` and/or `"assistant"`.
    Resource "audience" => audience: Vec<ScopeExpr> = value::scope_list;
    /// `priority = 0.8`: how important the contents are, from 0.0 to 1.0.
    Resource "priority" => priority: LitFloat = value::parsed;
    /// `size = 1024`: a fixed resource's size in bytes.
    Resource "size" => size: LitInt = value::parsed;
    /// `list = function`: lists a template's concrete resources.
    Resource "list" => list: Path = value::parsed;
    /// `scopes = ["files:read"]`: the OAuth scopes a caller needs (strings or typed scopes).
    Common "scopes" => scopes: Vec<ScopeExpr> = value::scope_list;
    /// `timeout = "30s"`: how long a call may run.
    Tool "timeout" => timeout: LitStr = value::duration;
    /// `max_concurrency = 4`: how many calls may run at once.
    Tool "max_concurrency" => max_concurrency: LitInt = value::call_count;
    /// `task = "optional"`: the call may run as a task (`"required"`: only as a task).
    Tool "task" => task: LitStr = value::task_support;
    /// `crate = path`: where the runtime is, when it is renamed or re-exported.
    Common "crate" => krate: Path = value::parsed;
}
