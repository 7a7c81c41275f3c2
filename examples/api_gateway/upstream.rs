//! The client for the upstream JSON API: every request goes through the rate limiter, GETs
//! through the cache and the retry loop, and every failure becomes an [`UpstreamError`].

use std::{
    num::NonZeroU32,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::{Method, StatusCode, Url, header::RETRY_AFTER};
use serde::de::DeserializeOwned;

use crate::{
    cache::{CacheStats, ResponseCache},
    retry::{RetryAfter, RetryPolicy},
    token::Token,
    upstream_error::{Failure, UpstreamError},
};

/// The largest successful body the gateway reads; a page of items is far smaller.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// How much of an error body is read, and how much of it is quoted to the model.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;
/// How many characters of an upstream's error text reach the model.
const EXCERPT_CHARS: usize = 200;

/// Everything the client is configured with, from the command line.
pub struct UpstreamConfig {
    /// Where the API lives; paths such as `items` are resolved against it.
    pub base_url: Url,
    /// Sent as `Authorization: Bearer ...` when present.
    pub token: Option<Token>,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long one request may take in all, body included.
    pub request_timeout: Duration,
    /// When GETs are sent again.
    pub retry: RetryPolicy,
    /// Requests per second at most, or `None` for no limit.
    pub rate_limit: Option<NonZeroU32>,
    /// How long GET answers are reused; zero for never.
    pub cache_ttl: Duration,
    /// The most answers cached at once.
    pub cache_entries: usize,
}

/// The upstream API's client, shared by every tool call (it is the server's state).
pub struct Upstream {
    /// reqwest's client: one connection pool for every call.
    http: reqwest::Client,
    base_url: Url,
    token: Option<Token>,
    connect_timeout: Duration,
    request_timeout: Duration,
    retry: RetryPolicy,
    rate_limit: Option<NonZeroU32>,
    /// GCRA, as the runtime's own limiter: a burst of `rate_limit`, then one every 1/`rate_limit` s.
    limiter: Option<DefaultDirectRateLimiter>,
    cache: ResponseCache,
    counters: Counters,
}

/// What `api_status` reports; relaxed atomics, as nothing is ordered by them.
#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    rate_limit_waits: AtomicU64,
}

/// What the client has done so far, for `api_status`.
pub struct UpstreamStats {
    /// HTTP requests sent upstream, retries included, cache hits not.
    pub requests: u64,
    /// Of those, how many were retries.
    pub retries: u64,
    /// Requests that waited for the client-side rate limit before being sent.
    pub rate_limit_waits: u64,
    /// The cache's counters.
    pub cache: CacheStats,
}

impl Upstream {
    /// Builds the HTTP client; fails only if the TLS stack cannot be set up.
    pub fn new(mut config: UpstreamConfig) -> Result<Self, reqwest::Error> {
        // `Url::join` replaces the last segment unless the base ends with `/`: keep `/api/v1`.
        if !config.base_url.path().ends_with('/') {
            let path = format!("{}/", config.base_url.path());
            config.base_url.set_path(&path);
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("mcp-api-gateway/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            base_url: config.base_url,
            token: config.token,
            connect_timeout: config.connect_timeout,
            request_timeout: config.request_timeout,
            retry: config.retry,
            rate_limit: config.rate_limit,
            limiter: config.rate_limit.map(|per_second| RateLimiter::direct(Quota::per_second(per_second))),
            cache: ResponseCache::new(config.cache_ttl, config.cache_entries),
            counters: Counters::default(),
        })
    }

    /// The API's base URL (it holds no credentials: the token travels in a header).
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// Whether a token is configured (never the token itself).
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// The client-side rate limit, in requests per second.
    pub fn rate_limit(&self) -> Option<NonZeroU32> {
        self.rate_limit
    }

    /// How long GET answers are reused.
    pub fn cache_ttl(&self) -> Duration {
        if self.cache.enabled() { self.cache.ttl() } else { Duration::ZERO }
    }

    /// The counters so far.
    pub fn stats(&self) -> UpstreamStats {
        UpstreamStats {
            requests: self.counters.requests.load(Ordering::Relaxed),
            retries: self.counters.retries.load(Ordering::Relaxed),
            rate_limit_waits: self.counters.rate_limit_waits.load(Ordering::Relaxed),
            cache: self.cache.stats(),
        }
    }

    /// The URL of `path` (relative, e.g. `items/7`) under the base URL, with `query` appended.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        // Paths are built by the tools from typed values, so joining cannot fail; fall back to
        // the base URL rather than panic if a future path ever did.
        let mut url = self.base_url.join(path).unwrap_or_else(|_| self.base_url.clone());
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// GETs `url` and parses its JSON: from the cache when fresh, else retried on transient
    /// failures (a GET is idempotent).
    pub async fn get_json<T: DeserializeOwned>(&self, url: Url) -> Result<T, Failure> {
        if let Some(body) = self.cache.get(&url)
            && let Ok(value) = serde_json::from_slice(&body)
        {
            return Ok(value);
        }
        let body = self.get_with_retries(&url).await?;
        let value = self.parse(&body).map_err(|error| self.failure(&Method::GET, &url, error, 0))?;
        self.cache.put(&url, body);
        Ok(value)
    }

    /// POSTs `body` as JSON and parses the answer. Sent exactly once: a create is not
    /// idempotent, and a retry after a lost answer could create the item twice. A success
    /// drops the cached pages of the collection posted to.
    pub async fn post_json<T: DeserializeOwned>(&self, url: Url, body: &serde_json::Value) -> Result<T, Failure> {
        let answer = self
            .send(Method::POST, &url, Some(body))
            .await
            .map_err(|error| self.failure(&Method::POST, &url, error, 0))?;
        self.cache.invalidate_path(url.path());
        self.parse(&answer).map_err(|error| self.failure(&Method::POST, &url, error, 0))
    }

    /// Sends one uncached, unretried GET to see whether the upstream answers, and how fast.
    pub async fn probe(&self, url: Url) -> Result<Duration, Failure> {
        let started = Instant::now();
        self.send(Method::GET, &url, None).await.map_err(|error| self.failure(&Method::GET, &url, error, 0))?;
        Ok(started.elapsed())
    }

    /// Sends a GET until it succeeds, fails for good, or the retries run out; waits between
    /// attempts as the upstream's `Retry-After` says, else with backoff.
    async fn get_with_retries(&self, url: &Url) -> Result<Arc<[u8]>, Failure> {
        let mut retries = 0;
        loop {
            let error = match self.send(Method::GET, url, None).await {
                Ok(body) => return Ok(body.into()),
                Err(error) => error,
            };
            if !error.is_transient() || retries >= self.retry.max_retries {
                return Err(self.failure(&Method::GET, url, error, retries));
            }
            let wait = match error.retry_after().map(RetryAfter::wait) {
                Some(asked) if asked > self.retry.max_wait => {
                    let mut failure = self.failure(&Method::GET, url, error, retries);
                    failure.stopped = Some(format!(
                        "that is longer than the gateway waits (--max-retry-wait {}), so try again later",
                        mcp_runtime::duration::HumanDuration(self.retry.max_wait)
                    ));
                    return Err(failure);
                }
                Some(asked) => asked,
                None => self.retry.backoff(retries + 1),
            };
            retries += 1;
            self.counters.retries.fetch_add(1, Ordering::Relaxed);
            tracing::info!(%error, retry = retries, ?wait, path = url.path(), "retrying an upstream GET");
            tokio::time::sleep(wait).await;
        }
    }

    /// One request: wait for the rate limit, send, read the body, classify the status.
    async fn send(
        &self,
        method: Method,
        url: &Url,
        json: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>, UpstreamError> {
        if let Some(limiter) = &self.limiter
            && limiter.check().is_err()
        {
            // Waiting, not failing: the model would only retry, and sooner than it should.
            self.counters.rate_limit_waits.fetch_add(1, Ordering::Relaxed);
            limiter.until_ready().await;
        }
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let mut request = self.http.request(method, url.clone());
        if let Some(token) = &self.token {
            request = request.bearer_auth(token.expose());
        }
        if let Some(json) = json {
            request = request.json(json);
        }
        let mut response = request.send().await.map_err(|error| self.classify(&error))?;
        let status = response.status();
        if status.is_success() {
            let (body, whole) = self.read_body(&mut response, MAX_BODY_BYTES).await?;
            return if whole { Ok(body) } else { Err(UpstreamError::TooLarge { limit: MAX_BODY_BYTES }) };
        }
        let retry_after =
            response.headers().get(RETRY_AFTER).and_then(|value| value.to_str().ok()).and_then(RetryAfter::parse);
        // The start of an error body is enough to explain it; a failure to read it is not news.
        let body = self.read_body(&mut response, MAX_ERROR_BODY_BYTES).await.map(|(body, _)| body).unwrap_or_default();
        Err(self.status_error(status, &body, retry_after))
    }

    /// At most `limit` bytes of the body, and whether that is all of it.
    async fn read_body(
        &self,
        response: &mut reqwest::Response,
        limit: usize,
    ) -> Result<(Vec<u8>, bool), UpstreamError> {
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| self.classify(&error))? {
            let room = limit - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                return Ok((body, false));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((body, true))
    }

    /// The error for a non-2xx answer.
    fn status_error(&self, status: StatusCode, body: &[u8], retry_after: Option<RetryAfter>) -> UpstreamError {
        let message = self.message_of(body);
        match status.as_u16() {
            401 => UpstreamError::Unauthorized { token_configured: self.token.is_some() },
            403 => UpstreamError::Forbidden { detail: message },
            404 => UpstreamError::NotFound { detail: message },
            400 | 422 => {
                UpstreamError::Rejected { status, message: message.unwrap_or_else(|| "it gave no reason".to_owned()) }
            }
            429 => UpstreamError::RateLimited { retry_after },
            500..=599 => UpstreamError::ServerError { status, excerpt: self.excerpt(body), retry_after },
            _ => UpstreamError::UnexpectedStatus { status, excerpt: self.excerpt(body) },
        }
    }

    /// The reason an error body gives: its `error`, `message` or `detail` field if it is JSON,
    /// else its first characters.
    fn message_of(&self, body: &[u8]) -> Option<String> {
        let reason = serde_json::from_slice::<serde_json::Value>(body).ok().and_then(|json| {
            ["error", "message", "detail"].iter().find_map(|field| match &json[field] {
                serde_json::Value::String(text) => Some(text.clone()),
                serde_json::Value::Null => None,
                // e.g. FastAPI's `detail: [{loc, msg}]`: compact JSON still reads well.
                other => Some(other.to_string()),
            })
        });
        let reason = reason.map(|text| self.clean(&text)).unwrap_or_else(|| self.excerpt(body));
        (!reason.is_empty()).then_some(reason)
    }

    /// The start of a body as one line of text, without the token.
    fn excerpt(&self, body: &[u8]) -> String {
        self.clean(&String::from_utf8_lossy(body))
    }

    /// Upstream text made fit for a message: no token, one line, at most [`EXCERPT_CHARS`].
    fn clean(&self, text: &str) -> String {
        let text = match &self.token {
            Some(token) => token.redact(text),
            None => text.to_owned(),
        };
        let mut one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((cut, _)) = one_line.char_indices().nth(EXCERPT_CHARS) {
            one_line.truncate(cut);
            one_line.push('…');
        }
        one_line
    }

    /// The error for a request that got no answer: a timeout, no connection, or another
    /// transport failure.
    fn classify(&self, error: &reqwest::Error) -> UpstreamError {
        let base_url = self.base_url.to_string();
        if error.is_timeout() {
            if error.is_connect() {
                UpstreamError::ConnectTimeout { base_url, after: self.connect_timeout }
            } else {
                UpstreamError::Timeout { after: self.request_timeout }
            }
        } else if error.is_connect() {
            UpstreamError::Unreachable { base_url, reason: self.clean(&root_cause(error)) }
        } else {
            UpstreamError::Transport { reason: self.clean(&root_cause(error)) }
        }
    }

    /// The body as `T`, or why it is not one.
    fn parse<T: DeserializeOwned>(&self, body: &[u8]) -> Result<T, UpstreamError> {
        serde_json::from_slice(body)
            .map_err(|error| UpstreamError::InvalidJson { problem: error.to_string(), excerpt: self.excerpt(body) })
    }

    /// `error` as the end of the request to `url`, named without its host, which every
    /// message already gives through the base URL where it matters.
    fn failure(&self, method: &Method, url: &Url, error: UpstreamError, retries: u32) -> Failure {
        let request = match url.query() {
            Some(query) => format!("{method} {}?{query}", url.path()),
            None => format!("{method} {}", url.path()),
        };
        Failure { error, request, retries, stopped: None }
    }
}

/// The innermost cause of a transport error, in words: `connection refused` rather than
/// reqwest's `error sending request for url (...)`.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost = error;
    while let Some(source) = innermost.source() {
        if let Some(io) = source.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return "connection refused".to_owned(),
                std::io::ErrorKind::ConnectionReset => return "connection reset".to_owned(),
                _ => {}
            }
        }
        innermost = source;
    }
    innermost.to_string()
}
