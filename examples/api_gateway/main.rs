//! An MCP server in front of a JSON HTTP API (the course's chapter 10): the model lists, reads
//! and creates the API's items through tools, while the gateway deals with what real APIs do:
//! cursor pagination, bearer tokens, timeouts, rate limits (its own and the upstream's), retries
//! with backoff for requests that are safe to repeat, a response cache, and precise errors.
//!
//! ```text
//! cargo run --example api_gateway                                   # the built-in demo API, stdio
//! API_GATEWAY_TOKEN=... cargo run --example api_gateway -- --base-url https://api.example.com/v1
//! cargo run --example api_gateway -- --demo-upstream --transport http --port 8000
//! ```
//!
//! Without `--base-url` the gateway starts its demo API in-process on a free loopback port (and
//! says so on stderr), so it works offline out of the box. Scopes over HTTP with an
//! authenticator: `items:read` to list and read, `items:write` to create; `items:write` implies
//! `items:read`.

mod cache;
mod cli;
mod cursor;
mod dates;
mod demo;
mod items;
mod retry;
mod scopes;
mod token;
mod tools;
mod upstream;
mod upstream_error;

use std::num::NonZeroU32;

use clap::Parser;
use mcp_runtime::prelude::*;

use crate::{
    cli::Cli,
    retry::RetryPolicy,
    scopes::Scope,
    token::Token,
    tools::Settings,
    upstream::{Upstream, UpstreamConfig},
};

#[tokio::main]
async fn main() -> Result<(), ServeError> {
    let cli = Cli::parse();
    // Before anything is announced, so that `--log-format json` makes every line JSON.
    mcp_runtime::observe::init_logging(cli.runtime.log_format);
    let mut token = cli.token.and_then(Token::new);
    let (base_url, demo) = match cli.base_url {
        Some(base_url) => (base_url, false),
        None => {
            // The demo API checks the token like a real one would: share the operator's, or a
            // random one nobody else knows.
            let demo_token = token.get_or_insert_with(Token::random).clone();
            let base_url = demo::start(demo_token)
                .await
                .map_err(|error| ServeError::startup(format!("cannot start the demo API: {error}")))?;
            let why = if cli.demo_upstream { "--demo-upstream" } else { "no --base-url given" };
            mcp_runtime::observe::announce(&format!("api_gateway: {why}: using the built-in demo API at {base_url}"));
            (base_url, true)
        }
    };
    let upstream = Upstream::new(UpstreamConfig {
        base_url,
        token,
        connect_timeout: cli.connect_timeout,
        request_timeout: cli.request_timeout,
        retry: RetryPolicy {
            max_retries: cli.max_retries,
            base_delay: cli.retry_base_delay,
            max_wait: cli.max_retry_wait,
        },
        rate_limit: NonZeroU32::new(cli.rate_limit),
        cache_ttl: cli.cache_ttl,
        cache_entries: cli.cache_entries,
    })
    .map_err(|error| ServeError::startup(format!("cannot set up the HTTP client: {error}")))?;
    let instructions = format!(
        "Items of the API at {}. list_items returns them page by page (pass next_cursor to continue), \
         get_item reads one by id, create_item adds one (each call creates another item). \
         api_status tells whether the API answers.",
        upstream.base_url()
    );
    Server::new("api_gateway", env!("CARGO_PKG_VERSION"))
        .title("Items API gateway")
        .instructions(instructions)
        .state(upstream)
        .state(Settings { max_pages: cli.max_pages, demo })
        .scopes::<Scope>()
        .register(handlers![tools::list_items, tools::get_item, tools::create_item, tools::api_status])
        .run_with(cli.runtime)
        .await
}
