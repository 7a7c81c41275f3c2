//! A scriptable upstream for the gateway's tests: an items API on a loopback port that records
//! every request it receives and answers from a script first, then as a well-behaved API.
//!
//! Scripted answers are queued per `METHOD /path` and used once each, in order; when a route's
//! queue is empty the default behaviour applies: a bearer token is required (a refusal echoes
//! the header received, as careless APIs do, so tests can prove the gateway redacts it), `GET
//! /items` pages through the collection with `limit` and an offset cursor, `GET /items/{id}`
//! finds an item or answers 404, `POST /items` appends one.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

/// One request the mock received.
#[derive(Clone, Debug)]
pub struct Hit {
    pub method: String,
    pub path: String,
    pub query: String,
    pub authorization: Option<String>,
    pub at: Instant,
}

/// A scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

impl Reply {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    /// `status` with `{"error": "scripted <status>"}`.
    pub fn status(status: u16) -> Self {
        Self::json(status, json!({ "error": format!("scripted {status}") }))
    }

    /// `status` with a body that is whatever text is given.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self { status, headers: vec![("content-type", "text/plain".into())], body: body.into(), delay: Duration::ZERO }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Answers only after `delay`.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

struct Shared {
    token: String,
    page_size: usize,
    /// Whether `GET /items` returns at most `limit` items; a careless API ignores it.
    honours_limit: bool,
    scripts: Mutex<HashMap<String, VecDeque<Reply>>>,
    hits: Mutex<Vec<Hit>>,
    items: Mutex<Vec<Value>>,
}

/// A running mock; it serves until the test's runtime ends.
pub struct Mock {
    pub url: String,
    shared: Arc<Shared>,
}

impl Mock {
    /// `items` items, at most `page_size` a page, requiring `Bearer {token}`.
    pub async fn start(token: &str, items: u64, page_size: usize) -> Self {
        Self::start_with(token, items, page_size, true).await
    }

    /// As [`start`](Self::start), optionally ignoring the `limit` query parameter.
    pub async fn start_with(token: &str, items: u64, page_size: usize, honours_limit: bool) -> Self {
        let shared = Arc::new(Shared {
            token: token.to_owned(),
            page_size,
            honours_limit,
            scripts: Mutex::default(),
            hits: Mutex::default(),
            items: Mutex::new((1..=items).map(item).collect()),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let router = Router::new().fallback(answer).with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, shared }
    }

    /// Queues answers for `route` (`"GET /items/1"`), used once each before the default.
    pub fn script(&self, route: &str, replies: impl IntoIterator<Item = Reply>) {
        self.shared.scripts.lock().unwrap().entry(route.to_owned()).or_default().extend(replies);
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    /// The requests for one route (`"GET /items/1"`), any query.
    pub fn hits_of(&self, route: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|hit| format!("{} {}", hit.method, hit.path) == route).collect()
    }
}

/// The items the mock starts with: `{id, name: "item {id}", ...}`.
pub fn item(id: u64) -> Value {
    json!({
        "id": id,
        "name": format!("item {id}"),
        "description": null,
        "price_cents": 100 * id,
        "tags": ["mock"],
        "created_at": "2026-01-01T00:00:00Z",
    })
}

async fn answer(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let path = uri.path().to_owned();
    let query = uri.query().unwrap_or("").to_owned();
    shared.hits.lock().unwrap().push(Hit {
        method: method.to_string(),
        path: path.clone(),
        query: query.clone(),
        authorization: authorization.clone(),
        at: Instant::now(),
    });
    let scripted = shared.scripts.lock().unwrap().get_mut(&format!("{method} {path}")).and_then(VecDeque::pop_front);
    if let Some(reply) = scripted {
        tokio::time::sleep(reply.delay).await;
        let mut response = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
        for (name, value) in reply.headers {
            response.headers_mut().insert(HeaderName::from_static(name), HeaderValue::from_str(&value).unwrap());
        }
        return response;
    }
    if authorization.as_deref() != Some(format!("Bearer {}", shared.token).as_str()) {
        let echo = format!("bad credentials: {}", authorization.as_deref().unwrap_or("none"));
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({ "error": echo }))).into_response();
    }
    let params: HashMap<String, String> = url_pairs(&query).into_iter().collect();
    match (method, path.as_str()) {
        (Method::GET, "/items") => {
            let items = shared.items.lock().unwrap();
            let start: usize = params.get("cursor").map_or(0, |cursor| cursor.parse().unwrap());
            let limit: usize = params.get("limit").map_or(shared.page_size, |limit| limit.parse().unwrap());
            let size = if shared.honours_limit { limit.min(shared.page_size) } else { shared.page_size };
            let page: Vec<Value> = items.iter().skip(start).take(size).cloned().collect();
            let end = start + page.len();
            let next_cursor = (end < items.len()).then(|| end.to_string());
            axum::Json(json!({ "items": page, "next_cursor": next_cursor })).into_response()
        }
        (Method::GET, path) if path.starts_with("/items/") => {
            let id: u64 = path["/items/".len()..].parse().unwrap_or(0);
            match shared.items.lock().unwrap().iter().find(|item| item["id"] == id) {
                Some(found) => axum::Json(found.clone()).into_response(),
                None => {
                    (StatusCode::NOT_FOUND, axum::Json(json!({ "error": format!("no item {id}") }))).into_response()
                }
            }
        }
        (Method::POST, "/items") => {
            let mut new: Value = serde_json::from_slice(&body).unwrap();
            let mut items = shared.items.lock().unwrap();
            new["id"] = json!(items.len() + 1);
            new["created_at"] = json!("2026-02-02T00:00:00Z");
            items.push(new.clone());
            (StatusCode::CREATED, axum::Json(new)).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "no such route").into_response(),
    }
}

/// `a=1&b=x` as pairs (the mock's queries need no percent-decoding).
fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}
