//! Who is calling, and whether they hold the scopes an item requires.

use std::sync::Arc;

use rmcp::{ErrorData as McpError, RoleServer, model::ErrorCode, service::RequestContext};

use crate::{
    auth::{FORBIDDEN, Principal},
    failure::Item,
    service::McpService,
};

impl McpService {
    /// The caller of a request: the one a parent server passed to this mounted one, the principal
    /// the HTTP layer authenticated, else the local one.
    pub(crate) fn principal_of(&self, context: &RequestContext<RoleServer>) -> Arc<Principal> {
        if let Some(caller) = context.extensions.get::<crate::compose::Caller>() {
            return caller.principal.clone();
        }
        super::super::over_http::authenticated(context)
            .cloned()
            .unwrap_or_else(|| self.shared().local_principal.clone())
    }

    /// The caller, if it holds every scope in `scopes`; otherwise the FORBIDDEN error naming
    /// what it lacks.
    pub(crate) fn authorize(
        &self,
        context: &RequestContext<RoleServer>,
        item: Item<'_>,
        scopes: &[&str],
    ) -> Result<Arc<Principal>, McpError> {
        let principal = self.principal_of(context);
        let missing = principal.missing_scopes(scopes);
        if missing.is_empty() { Ok(principal) } else { Err(forbidden(item, scopes, &missing, &principal)) }
    }
}

fn forbidden(item: Item<'_>, required: &[&str], missing: &[&str], principal: &Principal) -> McpError {
    McpError::new(
        ErrorCode(FORBIDDEN),
        format!("{item} requires the scopes {required:?}; `{}` lacks {missing:?}", principal.subject()),
        Some(serde_json::json!({"requiredScopes": required, "missingScopes": missing})),
    )
}
