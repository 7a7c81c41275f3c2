//! The gateway's command line: where the upstream is, how to reach it, and how gently.

use std::time::Duration;

use clap::Parser;
use mcp_runtime::cli::RuntimeArgs;
use reqwest::Url;

/// The command line: the upstream API and the client's behaviour, plus every runtime option.
#[derive(Parser)]
#[command(about = "An MCP server in front of a JSON HTTP API of items")]
pub struct Cli {
    /// The upstream API's base URL, e.g. `https://api.example.com/v1`. Without it the gateway
    /// starts its built-in demo API, as with --demo-upstream.
    #[arg(long, env = "API_GATEWAY_BASE_URL", value_parser = parse_base_url, conflicts_with = "demo_upstream")]
    pub base_url: Option<Url>,
    /// Start the built-in demo API (a few hundred items) on a free loopback port and use it.
    #[arg(long)]
    pub demo_upstream: bool,
    /// The bearer token sent upstream. Prefer the environment variable: a flag shows in `ps`.
    /// With the demo API and no token, a random one is made up and shared with it.
    #[arg(long, env = "API_GATEWAY_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// How long to wait for a connection to the upstream (`500ms`, `5s`, `1m`).
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub connect_timeout: Duration,
    /// How long one upstream request may take in all, connecting and reading included.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub request_timeout: Duration,
    /// How many times a GET is sent again after a 429, 500, 502, 503, 504, a timeout or a
    /// connection failure (a POST is never retried).
    #[arg(long, default_value_t = 3)]
    pub max_retries: u32,
    /// The backoff before the first retry; it doubles with each further one, with jitter.
    #[arg(long, default_value = "250ms", value_parser = parse_duration)]
    pub retry_base_delay: Duration,
    /// The longest wait before one retry: the backoff's cap, and the longest `Retry-After`
    /// honoured (a longer one fails the call at once, naming it).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub max_retry_wait: Duration,
    /// Upstream requests per second at most, retries included; requests beyond it wait. 0 for
    /// no limit.
    #[arg(long, default_value_t = 10)]
    pub rate_limit: u32,
    /// How long a GET's answer is reused; 0 turns the cache off. A create drops the cached
    /// pages of the collection.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub cache_ttl: Duration,
    /// The most answers kept in the cache; the oldest go first.
    #[arg(long, default_value_t = 256)]
    pub cache_entries: usize,
    /// The most upstream pages one `list_items` call reads.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_pages: u32,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

/// An `http` or `https` URL without credentials (the token goes in its own flag, so that it
/// never shows up where URLs are printed).
fn parse_base_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|error| format!("not a URL: {error}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("the scheme must be http or https, not `{}`", url.scheme()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("put no credentials in the URL; use --token or API_GATEWAY_TOKEN".to_owned());
    }
    Ok(url)
}

/// `250ms`, `5s`, `2m`, or a bare number of seconds (`30`, `0`).
fn parse_duration(text: &str) -> Result<Duration, String> {
    text.parse::<mcp_runtime::duration::HumanDuration>().map(Duration::from).map_err(|error| error.to_string())
}
