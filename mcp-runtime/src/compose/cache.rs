//! A proxied server's lists as last fetched, kept until it says one changed or its `ttlMs` hint
//! runs out.

/// The downstream's lists; `None` until fetched or after it said one changed.
#[derive(Default)]
pub(super) struct Lists {
    pub(super) tools: Option<Cached<rmcp::model::Tool>>,
    pub(super) prompts: Option<Cached<rmcp::model::Prompt>>,
    pub(super) resources: Option<Cached<rmcp::model::Resource>>,
    pub(super) templates: Option<Cached<rmcp::model::ResourceTemplate>>,
}

/// A list as fetched, and until when the downstream said it may be reused (`ttlMs`); without a
/// hint it is kept until the downstream says the list changed.
pub(super) struct Cached<T> {
    pub(super) items: Vec<T>,
    pub(super) expires: Option<tokio::time::Instant>,
}

impl<T: Clone> Cached<T> {
    pub(super) fn fresh(&self) -> Option<Vec<T>> {
        self.expires.is_none_or(|expires| tokio::time::Instant::now() < expires).then(|| self.items.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Cached;

    #[tokio::test]
    async fn a_list_is_reused_until_its_hint_expires() {
        let hinted = Cached { items: vec![1], expires: Some(tokio::time::Instant::now() + Duration::from_millis(100)) };
        let unhinted = Cached { items: vec![2], expires: None };
        assert_eq!(hinted.fresh(), Some(vec![1]));
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(hinted.fresh(), None);
        assert_eq!(unhinted.fresh(), Some(vec![2]), "without a hint a list waits for list_changed");
    }
}
