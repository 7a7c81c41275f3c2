//! The built-in demo upstream: a small items API on a free loopback port, so the gateway works
//! offline out of the box. It behaves as a real API would: bearer token required, cursor
//! pagination, validation with 422 and a message.
//!
//! ```text
//! GET  /items?cursor=&limit=   {items, next_cursor}   limit 1-100, default 20
//! GET  /items/{id}             an item, or 404
//! POST /items                  {name, description?, price_cents, tags?} -> 201 and the item, or 422
//! ```

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::{SystemTime, UNIX_EPOCH},
};

use axum::{
    Json, Router,
    extract::{Path, Query, State, rejection::JsonRejection},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use reqwest::Url;
use serde::Deserialize;

use crate::{
    dates,
    items::{Item, NewItem, UpstreamPage},
    token::Token,
};

/// How many items the demo starts with.
const SEEDED_ITEMS: u64 = 300;
/// The page size without `limit`.
const DEFAULT_PAGE: usize = 20;
/// The largest page: a larger `limit` gets this many, as many real APIs do.
const MAX_PAGE: usize = 100;

/// The demo's state: the token it requires and its items, ordered by id.
struct Demo {
    token: Token,
    items: Mutex<Vec<Item>>,
}

/// Starts the demo API on `127.0.0.1` and a free port, requiring `token`; returns its base URL.
/// It serves until the process exits.
pub async fn start(token: Token) -> std::io::Result<Url> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let demo = Arc::new(Demo { token, items: Mutex::new(seed()) });
    let router =
        Router::new().route("/items", get(list).post(create)).route("/items/{id}", get(fetch)).with_state(demo);
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "the demo API stopped");
        }
    });
    Url::parse(&format!("http://{address}/")).map_err(std::io::Error::other)
}

/// `GET /items`'s query.
#[derive(Deserialize)]
struct ListQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// How many items at most.
    limit: Option<usize>,
}

/// `GET /items`: a page of items and the cursor of the next one.
async fn list(
    State(demo): State<Arc<Demo>>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if let Some(refused) = demo.refuse_unauthorized(&headers) {
        return refused;
    }
    let Ok(Query(query)) = query else {
        return problem(StatusCode::BAD_REQUEST, "limit must be a whole number");
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 {
        return problem(StatusCode::BAD_REQUEST, "limit must be at least 1");
    }
    // The cursor is the id of the last item of the previous page.
    let after = match query.cursor.as_deref().filter(|cursor| !cursor.is_empty()) {
        None => 0,
        Some(cursor) => match cursor.parse::<u64>() {
            Ok(id) => id,
            Err(_) => return problem(StatusCode::BAD_REQUEST, &format!("invalid cursor `{cursor}`")),
        },
    };
    let items = demo.lock();
    let rest: Vec<&Item> = items.iter().filter(|item| item.id > after).collect();
    let page: Vec<Item> = rest.iter().take(limit.min(MAX_PAGE)).map(|item| (*item).clone()).collect();
    let next_cursor = (rest.len() > page.len()).then(|| page.last().map(|item| item.id.to_string())).flatten();
    Json(UpstreamPage { items: page, next_cursor }).into_response()
}

/// `GET /items/{id}`: one item, or 404.
async fn fetch(State(demo): State<Arc<Demo>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(refused) = demo.refuse_unauthorized(&headers) {
        return refused;
    }
    let found = id.parse::<u64>().ok().and_then(|id| demo.lock().iter().find(|item| item.id == id).cloned());
    match found {
        Some(item) => Json(item).into_response(),
        None => problem(StatusCode::NOT_FOUND, &format!("no item with id {id}")),
    }
}

/// `POST /items`: a new item with the next id, or 422 with what is wrong.
async fn create(
    State(demo): State<Arc<Demo>>,
    headers: HeaderMap,
    body: Result<Json<NewItem>, JsonRejection>,
) -> Response {
    if let Some(refused) = demo.refuse_unauthorized(&headers) {
        return refused;
    }
    let new = match body {
        Ok(Json(new)) => new,
        Err(rejection) => return problem(StatusCode::UNPROCESSABLE_ENTITY, &rejection.body_text()),
    };
    if let Err(message) = validate(&new) {
        return problem(StatusCode::UNPROCESSABLE_ENTITY, &message);
    }
    let mut items = demo.lock();
    let id = items.last().map_or(1, |last| last.id + 1);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
    let item = Item {
        id,
        name: new.name.trim().to_owned(),
        description: new.description.filter(|text| !text.trim().is_empty()),
        price_cents: new.price_cents,
        tags: new.tags,
        created_at: dates::rfc3339(now),
    };
    items.push(item.clone());
    (StatusCode::CREATED, Json(item)).into_response()
}

/// The demo's rules for a new item; the message says what to change.
fn validate(new: &NewItem) -> Result<(), String> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err("name must not be empty".to_owned());
    }
    if name.chars().count() > 100 {
        return Err("name must be at most 100 characters".to_owned());
    }
    if new.description.as_ref().is_some_and(|text| text.chars().count() > 2000) {
        return Err("description must be at most 2000 characters".to_owned());
    }
    if new.price_cents > 100_000_000 {
        return Err("price_cents must be at most 100000000 (one million)".to_owned());
    }
    if new.tags.len() > 10 {
        return Err("at most 10 tags".to_owned());
    }
    let tag_ok = |tag: &String| {
        (1..=32).contains(&tag.len()) && tag.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if let Some(bad) = new.tags.iter().find(|tag| !tag_ok(tag)) {
        return Err(format!("tag `{bad}` must be 1-32 characters of a-z, 0-9 and -"));
    }
    Ok(())
}

impl Demo {
    /// The 401 answer for a request without the right bearer token; `None` lets it through.
    fn refuse_unauthorized(&self, headers: &HeaderMap) -> Option<Response> {
        let expected = format!("Bearer {}", self.token.expose());
        let given = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
        if given == Some(expected.as_str()) {
            return None;
        }
        let mut refused = problem(StatusCode::UNAUTHORIZED, "missing or invalid bearer token");
        refused.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        Some(refused)
    }

    /// The items, even after a panic elsewhere while they were locked.
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Item>> {
        // Every change is one push, so the list is whole even after a panic elsewhere.
        self.items.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An error answer: `{"error": message}` with the status.
fn problem(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// The seeded items: the same every run, so examples and tests can name them.
fn seed() -> Vec<Item> {
    const ADJECTIVES: [&str; 12] = [
        "Sturdy", "Compact", "Vintage", "Bright", "Quiet", "Rugged", "Slim", "Classic", "Smart", "Cozy", "Swift",
        "Modular",
    ];
    const NOUNS: [&str; 10] =
        ["Lamp", "Kettle", "Backpack", "Chair", "Notebook", "Speaker", "Mug", "Tent", "Clock", "Desk"];
    const TAGS: [&str; 8] = ["home", "office", "outdoor", "kitchen", "travel", "gift", "eco", "sale"];
    // 2024-01-01T00:00:00Z, then one item every six hours.
    const FIRST_CREATED: u64 = 1_704_067_200;
    (1..=SEEDED_ITEMS)
        .map(|id| {
            // A fixed scramble of the id stands in for randomness, so every run seeds the same.
            let mix = id.wrapping_mul(2_654_435_761) % 1_000_003;
            let adjective = ADJECTIVES[(mix % 12) as usize];
            let noun = NOUNS[(id % 10) as usize];
            let tags = (0..=(mix % 3)).map(|k| TAGS[((mix / 7 + k * 3) % 8) as usize].to_owned()).collect::<Vec<_>>();
            Item {
                id,
                name: format!("{adjective} {noun} #{id}"),
                description: (id % 3 != 0)
                    .then(|| format!("A {} {} for everyday use.", adjective.to_lowercase(), noun.to_lowercase())),
                price_cents: 499 + (mix % 200) * 100,
                tags: dedup(tags),
                created_at: dates::rfc3339(FIRST_CREATED + id * 6 * 3600),
            }
        })
        .collect()
}

/// Sorted, without repeats.
fn dedup(mut tags: Vec<String>) -> Vec<String> {
    tags.sort();
    tags.dedup();
    tags
}
