//! The tools the model sees: list, read and create items, and the gateway's own status.

use mcp_runtime::prelude::*;
use schemars::JsonSchema;
use serde::Serialize;

use crate::{
    cursor::Resume,
    items::{Item, NewItem, UpstreamPage},
    scopes::Scope,
    upstream::Upstream,
    upstream_error::UpstreamError,
};

/// The most items one `list_items` call returns.
const MAX_LIMIT: u32 = 500;
/// How many items `list_items` returns without a `limit`.
const DEFAULT_LIMIT: u32 = 50;

/// What the tools need to know besides the client.
pub struct Settings {
    /// The most upstream pages one `list_items` call reads.
    pub max_pages: u32,
    /// Whether the upstream is the built-in demo API.
    pub demo: bool,
}

/// Items gathered from one or more upstream pages.
#[derive(Serialize, JsonSchema)]
pub struct ItemsPage {
    /// The items, in the upstream's order.
    items: Vec<Item>,
    /// Pass as `cursor` to get the items after these; absent when there are no more.
    next_cursor: Option<String>,
    /// How many upstream pages this call read.
    upstream_pages: u32,
}

/// List items of the upstream API in its order, following its pages until `limit` items or
/// the gateway's page cap; call again with `next_cursor` to continue.
#[mcp_tool(read_only, idempotent, scopes = [Scope::Read])]
pub async fn list_items(
    ctx: Context,
    upstream: State<Upstream>,
    settings: State<Settings>,
    /// How many items to return, 1 to 500 (default 50).
    #[schemars(range(min = 1, max = MAX_LIMIT))]
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, to continue after its items; omit to start at
    /// the beginning.
    cursor: Option<String>,
) -> Result<ItemsPage, ToolError> {
    // The runtime has already checked `limit` against the range its schema declares.
    let limit = limit.unwrap_or(DEFAULT_LIMIT) as usize;
    let mut position = match cursor.as_deref() {
        Some(cursor) => Resume::decode(cursor)?,
        None => Resume::default(),
    };
    let mut items = Vec::with_capacity(limit);
    let mut pages = 0;
    let mut more = true;
    while items.len() < limit && pages < settings.max_pages {
        let wanted = limit - items.len();
        // Ask for the items already returned from this page too: they come first on it.
        let ask = (wanted + position.skip).to_string();
        let mut query = vec![("limit", ask.as_str())];
        if let Some(upstream_cursor) = &position.upstream {
            query.push(("cursor", upstream_cursor));
        }
        let page: UpstreamPage = upstream.get_json(upstream.url("items", &query)).await?;
        pages += 1;
        let fresh: Vec<Item> = page.items.into_iter().skip(position.skip).collect();
        if fresh.len() > wanted {
            // The upstream gave more than asked for: resume later inside this same page.
            items.extend(fresh.into_iter().take(wanted));
            position.skip += wanted;
            break;
        }
        items.extend(fresh);
        ctx.progress(items.len(), limit, format!("upstream page {pages}: {} of {limit} items", items.len())).await;
        match page.next_cursor.filter(|next| !next.is_empty()) {
            Some(next) => position = Resume { upstream: Some(next), skip: 0 },
            None => {
                more = false;
                break;
            }
        }
    }
    Ok(ItemsPage { items, next_cursor: more.then(|| position.encode()), upstream_pages: pages })
}

/// Read one item of the upstream API by its id.
#[mcp_tool(read_only, idempotent, scopes = [Scope::Read])]
pub async fn get_item(
    upstream: State<Upstream>,
    /// The item's id, as `list_items` shows it.
    id: u64,
) -> Result<Item, ToolError> {
    upstream.get_json(upstream.url(&format!("items/{id}"), &[])).await.map_err(|failure| {
        if matches!(failure.error, UpstreamError::NotFound { .. }) {
            ToolError::not_found(format!("there is no item {id} ({failure})"))
        } else {
            failure.into()
        }
    })
}

/// Create an item in the upstream API and return it with its new id. Not idempotent: each
/// call creates another item, so call it once per item, and check with `list_items` before
/// calling again after an unclear failure.
#[mcp_tool(destructive = false, idempotent = false, scopes = [Scope::Write])]
pub async fn create_item(
    upstream: State<Upstream>,
    /// A short, human-readable name (the demo API takes up to 100 characters).
    name: String,
    /// A longer description.
    description: Option<String>,
    /// The price in cents: 1999 for 19.99.
    price_cents: u64,
    /// Labels such as `kitchen` (the demo API takes up to 10, each of a-z, 0-9 and -).
    #[serde(default)]
    tags: Vec<String>,
) -> Result<Item, ToolError> {
    let new = NewItem { name, description, price_cents, tags };
    let body = serde_json::to_value(&new)?;
    Ok(upstream.post_json(upstream.url("items", &[]), &body).await?)
}

/// The gateway's view of the upstream: where it is, whether it answers now, and what the
/// retries, the rate limit and the cache have done so far.
#[derive(Serialize, JsonSchema)]
pub struct ApiStatus {
    /// The upstream API's base URL.
    base_url: String,
    /// Whether the upstream is the gateway's built-in demo API.
    demo: bool,
    /// Whether a bearer token is configured (the token itself is never shown).
    token_configured: bool,
    /// Whether the upstream answered a one-item listing just now.
    reachable: bool,
    /// How long that took, in milliseconds.
    latency_ms: Option<u64>,
    /// Why it did not answer, if it did not.
    problem: Option<String>,
    /// Requests sent upstream so far, retries included, cache hits not.
    upstream_requests: u64,
    /// Of those, retries.
    retries: u64,
    /// Requests that waited for the client-side rate limit.
    rate_limit_waits: u64,
    /// The client-side rate limit in requests per second, if any.
    rate_limit_per_second: Option<u32>,
    /// How long GET answers are reused, in seconds (0: no cache).
    cache_ttl_seconds: f64,
    /// Answers in the cache now.
    cache_entries: usize,
    /// Lookups answered from the cache.
    cache_hits: u64,
    /// Lookups that went upstream.
    cache_misses: u64,
}

/// Check the upstream API: whether it answers now, and the gateway's counters (requests,
/// retries, rate-limit waits, cache hits). Use it to tell a broken upstream from a bad request.
#[mcp_tool(read_only, scopes = [Scope::Read])]
pub async fn api_status(upstream: State<Upstream>, settings: State<Settings>) -> ApiStatus {
    // Counted before the probe, so the numbers describe the calls that came before this one.
    let stats = upstream.stats();
    let probe = upstream.probe(upstream.url("items", &[("limit", "1")])).await;
    ApiStatus {
        base_url: upstream.base_url().to_string(),
        demo: settings.demo,
        token_configured: upstream.has_token(),
        reachable: probe.is_ok(),
        latency_ms: probe.as_ref().ok().map(|took| u64::try_from(took.as_millis()).unwrap_or(u64::MAX)),
        problem: probe.err().map(|failure| failure.to_string()),
        upstream_requests: stats.requests,
        retries: stats.retries,
        rate_limit_waits: stats.rate_limit_waits,
        rate_limit_per_second: upstream.rate_limit().map(|limit| limit.get()),
        cache_ttl_seconds: upstream.cache_ttl().as_secs_f64(),
        cache_entries: stats.cache.entries,
        cache_hits: stats.cache.hits,
        cache_misses: stats.cache.misses,
    }
}
