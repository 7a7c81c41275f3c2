//! The items the upstream API serves, as both the demo API and the gateway's tools see them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One item of the upstream collection.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Item {
    /// The upstream's identifier for the item.
    pub id: u64,
    /// A short, human-readable name.
    pub name: String,
    /// A longer description, if the item has one.
    #[serde(default)]
    pub description: Option<String>,
    /// The price in cents (1999 is 19.99).
    pub price_cents: u64,
    /// Free-form labels, e.g. `["kitchen", "steel"]`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// When the item was created, RFC 3339 in UTC.
    pub created_at: String,
}

/// What `POST /items` takes: an item without the fields the upstream assigns.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewItem {
    /// A short, human-readable name.
    pub name: String,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The price in cents.
    pub price_cents: u64,
    /// Free-form labels.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// One page of `GET /items`: the items, and where the next page starts (absent on the last).
#[derive(Debug, Serialize, Deserialize)]
pub struct UpstreamPage {
    /// The items of this page, in the collection's order.
    pub items: Vec<Item>,
    /// Pass as `cursor` to get the next page; `null` or absent when this page is the last.
    #[serde(default)]
    pub next_cursor: Option<String>,
}
