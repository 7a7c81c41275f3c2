//! The `list_items` cursor: where in the upstream's collection the next call resumes.

use mcp_runtime::ToolError;

/// A position in the upstream collection: the upstream page to fetch and how many of its
/// items the model has already been given. The count matters when an upstream returns more
/// items than were asked for: the gateway returns only `limit` of them, and must not skip the
/// rest when the model continues.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resume {
    /// The upstream's cursor for the page, or `None` for its first page.
    pub upstream: Option<String>,
    /// Items at the start of that page already returned.
    pub skip: usize,
}

impl Resume {
    /// `{skip}.{upstream cursor}`: opaque to the model, which only passes it back.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.skip, self.upstream.as_deref().unwrap_or(""))
    }

    /// Reads a cursor made by [`encode`](Self::encode).
    pub fn decode(cursor: &str) -> Result<Self, ToolError> {
        let (skip, upstream) = cursor.split_once('.').ok_or_else(|| Self::foreign(cursor))?;
        let skip = skip.parse().map_err(|_| Self::foreign(cursor))?;
        Ok(Self { upstream: (!upstream.is_empty()).then(|| upstream.to_owned()), skip })
    }

    /// The error for a cursor this gateway did not make.
    fn foreign(cursor: &str) -> ToolError {
        ToolError::invalid_argument(
            "cursor",
            format!("`{cursor}` is not a cursor from list_items; pass a `next_cursor` exactly as returned, or omit it"),
        )
    }
}
