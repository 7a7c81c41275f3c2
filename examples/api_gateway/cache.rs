//! A small response cache for the upstream's GETs: bodies by URL, for a fixed time to live, at
//! most a fixed number of them.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// Successful GET bodies by URL. A zero time to live or capacity turns it off.
pub struct ResponseCache {
    /// How long a body is served; zero turns the cache off.
    ttl: Duration,
    /// The most bodies held at once.
    capacity: usize,
    /// By the full URL, query included.
    entries: Mutex<HashMap<String, Entry>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// One cached body.
struct Entry {
    /// The URL's path without its query, so a change to a collection drops all its pages.
    path: String,
    /// When it was fetched: it expires a time to live later.
    stored: Instant,
    /// The body as received; parsed again on each hit, which costs far less than a request.
    body: Arc<[u8]>,
}

/// The cache's counters, for `api_status`.
#[derive(Clone, Copy, Debug)]
pub struct CacheStats {
    /// Bodies held now, fresh or not yet dropped.
    pub entries: usize,
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that went upstream.
    pub misses: u64,
}

impl ResponseCache {
    /// A cache keeping each body for `ttl`, holding at most `capacity` of them.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self { ttl, capacity, entries: Mutex::default(), hits: AtomicU64::new(0), misses: AtomicU64::new(0) }
    }

    /// Whether anything is cached at all.
    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero() && self.capacity > 0
    }

    /// How long a body is served from the cache.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The body stored for `url`, if it is younger than the time to live.
    pub fn get(&self, url: &reqwest::Url) -> Option<Arc<[u8]>> {
        if !self.enabled() {
            return None;
        }
        let mut entries = self.lock();
        let found = match entries.get(url.as_str()) {
            Some(entry) if entry.stored.elapsed() < self.ttl => Some(entry.body.clone()),
            Some(_) => {
                entries.remove(url.as_str());
                None
            }
            None => None,
        };
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `body` for `url`, making room by dropping expired entries, then the oldest.
    pub fn put(&self, url: &reqwest::Url, body: Arc<[u8]>) {
        if !self.enabled() {
            return;
        }
        let mut entries = self.lock();
        if entries.len() >= self.capacity && !entries.contains_key(url.as_str()) {
            entries.retain(|_, entry| entry.stored.elapsed() < self.ttl);
        }
        if entries.len() >= self.capacity && !entries.contains_key(url.as_str()) {
            let oldest = entries.iter().min_by_key(|(_, entry)| entry.stored).map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
        entries.insert(url.as_str().to_owned(), Entry { path: url.path().to_owned(), stored: Instant::now(), body });
    }

    /// Drops every cached page of the collection at `path` (any query), e.g. after a create.
    pub fn invalidate_path(&self, path: &str) {
        self.lock().retain(|_, entry| entry.path != path);
    }

    /// The counters so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            entries: self.lock().len(),
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// The entries, even after a panic elsewhere while they were locked.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // The map is consistent after every statement, so a panic elsewhere cannot corrupt it.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
