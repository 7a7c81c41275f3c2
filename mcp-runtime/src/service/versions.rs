//! The protocol revisions served, and the one `initialize` agrees to.
//!
//! 2025-03-26 is not served. It is the only revision with JSON-RPC batches, which rmcp's
//! transports cannot carry (serving them per session would mean splitting one POST into several
//! requests and merging their SSE streams back into one), so a server claiming it would break
//! its promise to any client that batches. A client asking for it is answered 2024-11-05, which
//! every SDK that speaks 2025-03-26 also speaks.

use rmcp::model::ProtocolVersion;

/// Oldest first, as rmcp lists them.
pub(crate) const SUPPORTED: &[ProtocolVersion] = &[
    ProtocolVersion::V_2024_11_05,
    ProtocolVersion::V_2025_06_18,
    ProtocolVersion::V_2025_11_25,
    ProtocolVersion::V_2026_07_28,
];

/// The version to answer an `initialize` asking for `requested`: the newest supported one not
/// newer than it, or, when every one is newer, the newest. Only revisions that have `initialize`
/// count (2026-07-28 negotiates per request instead). rmcp's own rule answers an unsupported
/// request with the newest, which a client asking for 2025-03-26 may not speak.
pub(crate) fn negotiate(requested: &ProtocolVersion) -> ProtocolVersion {
    let with_initialize = || SUPPORTED.iter().filter(|version| version.has_initialize());
    // Versions are dates, `YYYY-MM-DD`: their strings order as the dates do.
    with_initialize()
        .filter(|version| version.as_str() <= requested.as_str())
        .max_by(|left, right| left.as_str().cmp(right.as_str()))
        .or_else(|| with_initialize().max_by(|left, right| left.as_str().cmp(right.as_str())))
        .cloned()
        .unwrap_or(ProtocolVersion::LATEST_WITH_INITIALIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> ProtocolVersion {
        serde_json::from_value(serde_json::json!(text)).unwrap()
    }

    #[test]
    fn the_newest_supported_version_not_newer_than_the_request() {
        for (requested, answered) in [
            ("2024-11-05", "2024-11-05"),
            ("2025-03-26", "2024-11-05"),
            ("2025-06-18", "2025-06-18"),
            ("2025-11-25", "2025-11-25"),
            ("2026-07-28", "2025-11-25"),
            ("2099-01-01", "2025-11-25"),
            // Older than everything: the newest, and the client decides whether it can go on.
            ("2020-01-01", "2025-11-25"),
        ] {
            assert_eq!(negotiate(&version(requested)).as_str(), answered, "asked for {requested}");
        }
    }

    #[test]
    fn every_supported_version_is_known_to_rmcp_and_2025_03_26_is_not_served() {
        assert!(SUPPORTED.iter().all(|version| ProtocolVersion::KNOWN_VERSIONS.contains(version)));
        assert!(!SUPPORTED.contains(&ProtocolVersion::V_2025_03_26));
    }
}
