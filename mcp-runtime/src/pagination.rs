//! Cursor pagination of the lists: opaque cursors that name the list and an offset, so a cursor
//! from one list (or a forged one) is refused with -32602 instead of silently misused.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use rmcp::{ErrorData as McpError, model::PaginatedRequestParams};

/// One page of `items` (already filtered for the caller) and the cursor of the next, if any.
/// Without a page size, everything fits on one page.
pub(crate) fn page<T>(
    items: Vec<T>,
    request: Option<&PaginatedRequestParams>,
    list: &str,
    page_size: Option<usize>,
) -> Result<(Vec<T>, Option<String>), McpError> {
    let start = match request.and_then(|request| request.cursor.as_deref()) {
        None => 0,
        Some(cursor) => decode(cursor, list, items.len())?,
    };
    let Some(size) = page_size else {
        return Ok((items.into_iter().skip(start).collect(), None));
    };
    let end = start.saturating_add(size).min(items.len());
    let next = (end < items.len()).then(|| encode(list, end));
    Ok((items.into_iter().skip(start).take(end - start).collect(), next))
}

fn encode(list: &str, offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{list}:{offset}"))
}

fn decode(cursor: &str, list: &str, len: usize) -> Result<usize, McpError> {
    let invalid = || {
        McpError::invalid_params(
            format!("invalid cursor `{cursor}` for {list}: pass back a `nextCursor` this server returned"),
            None,
        )
    };
    let text =
        URL_SAFE_NO_PAD.decode(cursor).ok().and_then(|bytes| String::from_utf8(bytes).ok()).ok_or_else(invalid)?;
    let offset = text.strip_prefix(list).and_then(|rest| rest.strip_prefix(':')).ok_or_else(invalid)?;
    let offset: usize = offset.parse().map_err(|_| invalid())?;
    // A list may have shrunk since (another caller's scopes, a disabled item): past the end is
    // an empty last page, not an error.
    Ok(offset.min(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(cursor: &str) -> PaginatedRequestParams {
        let mut request = PaginatedRequestParams::default();
        request.cursor = Some(cursor.to_owned());
        request
    }

    #[test]
    fn pages_follow_cursors_to_the_end() {
        let (first, next) = page((1..=5).collect(), None, "tools", Some(2)).unwrap();
        assert_eq!(first, [1, 2]);
        let (second, next) = page((1..=5).collect(), Some(&request(&next.unwrap())), "tools", Some(2)).unwrap();
        assert_eq!(second, [3, 4]);
        let (third, next) = page((1..=5).collect(), Some(&request(&next.unwrap())), "tools", Some(2)).unwrap();
        assert_eq!((third, next), (vec![5], None));
        let (all, next) = page((1..=5).collect::<Vec<_>>(), None, "tools", None).unwrap();
        assert_eq!((all.len(), next), (5, None));
    }

    #[test]
    fn foreign_and_forged_cursors_are_refused() {
        let prompts_cursor = encode("prompts", 2);
        for cursor in [prompts_cursor.as_str(), "not base64!", &URL_SAFE_NO_PAD.encode("tools:x")] {
            let error = page(vec![1, 2, 3], Some(&request(cursor)), "tools", Some(2)).unwrap_err();
            assert_eq!(error.code, rmcp::model::ErrorCode::INVALID_PARAMS, "{cursor}");
        }
    }
}
