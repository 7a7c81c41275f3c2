//! The rate limit of requests that did not come over HTTP (stdio, in-process); HTTP requests
//! were limited before they reached rmcp, with a 429, by the transport's own layer.

use rmcp::ErrorData as McpError;

use crate::{auth::Principal, service::McpService};

impl McpService {
    /// The error a request over the caller's rate limit is answered with, if it is. `initialize`
    /// is never refused, so a client limited on stdio can still connect and see why.
    pub(crate) fn rate_limited(&self, method: &str, over_http: bool, principal: &Principal) -> Option<McpError> {
        match self.rate_limiter() {
            Some(limiter) if !over_http && method != "initialize" => {
                limiter.check(principal.subject()).err().map(|wait| limiter.error(wait))
            }
            _ => None,
        }
    }
}
