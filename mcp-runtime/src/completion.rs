//! Completions of prompt arguments and resource-template variables: from a function the
//! argument names, or automatically from a string enum's schema.

use std::{future::Future, marker::PhantomData, pin::Pin, sync::Arc};

use rmcp::model::CompletionInfo;
use schemars::JsonSchema;
use serde_json::Value;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Candidate values for one argument, given what the user typed so far.
#[doc(hidden)]
#[derive(Clone)]
pub struct Completer(Arc<dyn Fn(String) -> BoxFuture<Vec<String>> + Send + Sync>);

impl Completer {
    /// Candidates from a user function, which filters by the prefix itself.
    pub fn custom<F, Fut>(complete: F) -> Self
    where
        F: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<String>> + Send + 'static,
    {
        Self(Arc::new(move |prefix| Box::pin(complete(prefix))))
    }

    /// Candidates from a fixed list, filtered by case-insensitive prefix.
    pub fn fixed(values: Vec<String>) -> Self {
        let values = Arc::new(values);
        Self(Arc::new(move |prefix: String| {
            let prefix = prefix.to_lowercase();
            let matching = values.iter().filter(|value| value.to_lowercase().starts_with(&prefix)).cloned().collect();
            Box::pin(std::future::ready(matching))
        }))
    }

    /// At most the protocol's 100 values, saying how many there were.
    pub(crate) async fn complete(&self, prefix: String) -> CompletionInfo {
        let mut values = (self.0)(prefix).await;
        let total = values.len();
        values.truncate(CompletionInfo::MAX_VALUES);
        let has_more = total > values.len();
        CompletionInfo::with_pagination(values, u32::try_from(total).ok(), has_more)
            .unwrap_or_else(|_| CompletionInfo::default())
    }
}

/// Picks an automatic completer for an argument's type: the values of a string enum with a
/// `JsonSchema`, or none. Generated code calls `(&&AutoComplete::<T>::new()).completer()`.
#[doc(hidden)]
pub struct AutoComplete<T>(PhantomData<fn() -> T>);

impl<T> AutoComplete<T> {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

#[doc(hidden)]
pub trait ViaSchemaValues {
    fn completer(self) -> Option<Completer>;
}

impl<T: JsonSchema> ViaSchemaValues for &&AutoComplete<T> {
    fn completer(self) -> Option<Completer> {
        let values = enum_values(&schemars::schema_for!(T).to_value());
        (!values.is_empty()).then(|| Completer::fixed(values))
    }
}

#[doc(hidden)]
pub trait ViaNoValues {
    fn completer(self) -> Option<Completer>;
}

impl<T> ViaNoValues for &AutoComplete<T> {
    fn completer(self) -> Option<Completer> {
        None
    }
}

/// The string values a schema allows: `enum: [..]`, or `oneOf` of `const`s (documented
/// variants), looking through `Option`'s `anyOf`.
fn enum_values(schema: &Value) -> Vec<String> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.iter().filter_map(Value::as_str).map(str::to_owned).collect();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let values: Vec<String> = options
                .iter()
                .flat_map(|option| match option.get("const").and_then(Value::as_str) {
                    Some(value) => vec![value.to_owned()],
                    None => enum_values(option),
                })
                .collect();
            if !values.is_empty() {
                return values;
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    enum Plain {
        Red,
        Green,
    }

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    #[serde(rename_all = "lowercase")]
    enum Documented {
        /// Fast.
        Quick,
        /// Slow.
        Thorough,
    }

    #[tokio::test]
    async fn string_enums_complete_from_their_schema() {
        let plain = (&&AutoComplete::<Plain>::new()).completer().unwrap();
        assert_eq!(plain.complete("g".into()).await.values, ["Green"]);
        let documented = (&&AutoComplete::<Documented>::new()).completer().unwrap();
        assert_eq!(documented.complete("".into()).await.values, ["quick", "thorough"]);
        assert!((&&AutoComplete::<String>::new()).completer().is_none());
    }

    #[tokio::test]
    async fn results_are_capped_at_a_hundred() {
        let many = Completer::fixed((0..250).map(|n| n.to_string()).collect());
        let info = many.complete(String::new()).await;
        assert_eq!((info.values.len(), info.total, info.has_more), (100, Some(250), Some(true)));
    }
}
