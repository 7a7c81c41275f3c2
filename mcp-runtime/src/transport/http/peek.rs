//! What the HTTP layers need to know of a POSTed JSON-RPC message, read in one pass over the
//! body without building a `serde_json::Value`: its `method`, its `id`, the item a call names,
//! and the protocol version its `_meta` asks for. A body that is not one JSON-RPC message is
//! refused with the JSON-RPC error it deserves: -32700 for invalid JSON, -32600 for the rest.
//! Everything else (whether `params` fit the method) is rmcp's to check.

mod members;

use std::borrow::Cow;

use members::{Params, Scalar};
use rmcp::model::{ErrorData, RequestId};
use serde::{Deserialize, de::IgnoredAny};

/// The methods whose `params` name an item that may require scopes.
const NAMING_ITEMS: [&str; 3] = ["tools/call", "prompts/get", "resources/read"];

/// The `_meta` keys of a request that carries its own lifecycle (2026-07-28).
const META_PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";

/// One JSON-RPC message, as far as the HTTP layers look into it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Incoming {
    /// `None` for a response or an error (the client answering the server).
    pub(crate) method: Option<String>,
    /// `None` for a notification.
    pub(crate) id: Option<RequestId>,
    /// The method again and `params.name` of a `tools/call` or `prompts/get`, or `params.uri`
    /// of a `resources/read`: what authorization looks at.
    pub(crate) item: Option<(&'static str, String)>,
    /// `params._meta`'s protocol version.
    pub(crate) meta_version: Option<String>,
    /// `params._meta` also names the client's capabilities: with the version, that is the
    /// per-request lifecycle of 2026-07-28, which rmcp serves without a session.
    pub(crate) meta_capabilities: bool,
}

/// Why a body is not one JSON-RPC message, with the id to answer it under when it had one.
#[derive(Debug, PartialEq)]
pub(crate) struct Refusal {
    pub(crate) id: Option<RequestId>,
    pub(crate) error: ErrorData,
}

impl Refusal {
    fn invalid(id: Option<RequestId>, message: String) -> Self {
        Self { id, error: ErrorData::invalid_request(message, None) }
    }
}

/// Reads `body` as one JSON-RPC message, or says why it is not one.
pub(crate) fn peek(body: &[u8]) -> Result<Incoming, Refusal> {
    let parse_error = |error: serde_json::Error| Refusal {
        id: None,
        error: ErrorData::parse_error(
            format!("the request body is not valid JSON ({error}); send one JSON-RPC message as a JSON object"),
            None,
        ),
    };
    let mut reader = serde_json::Deserializer::from_slice(body);
    match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
        None => Err(Refusal::invalid(None, "the request body is empty; send one JSON-RPC message".into())),
        Some(b'{') => {
            let fields = Fields::deserialize(&mut reader).and_then(|fields| reader.end().map(|()| fields));
            fields.map_err(parse_error)?.into_incoming()
        }
        Some(b'[') => {
            IgnoredAny::deserialize(&mut reader).and_then(|_| reader.end()).map_err(parse_error)?;
            Err(Refusal::invalid(
                None,
                "JSON-RPC batches are not supported: send each message in a POST of its own".into(),
            ))
        }
        Some(_) => {
            let value = Scalar::deserialize(&mut reader).and_then(|value| reader.end().map(|()| value));
            Err(Refusal::invalid(
                None,
                format!(
                    "the request body is {}, not a JSON-RPC message; send a JSON object with \"jsonrpc\": \"2.0\" and a \"method\"",
                    value.map_err(parse_error)?.described()
                ),
            ))
        }
    }
}

/// The top-level members of a message object.
#[derive(Default)]
struct Fields<'de> {
    jsonrpc: Option<Scalar<'de>>,
    method: Option<Scalar<'de>>,
    id: Option<Scalar<'de>>,
    answers: bool,
    params: Params<'de>,
}

impl Fields<'_> {
    fn into_incoming(self) -> Result<Incoming, Refusal> {
        let id = match self.id {
            None => None,
            Some(Scalar::Str(id)) => Some(RequestId::String(id.as_ref().into())),
            Some(Scalar::Int(id)) => Some(RequestId::Number(id)),
            Some(other) => {
                return Err(Refusal::invalid(
                    None,
                    format!("`id` must be a string or an integer, got {}", other.described()),
                ));
            }
        };
        match &self.jsonrpc {
            Some(Scalar::Str(version)) if version == "2.0" => {}
            None => return Err(Refusal::invalid(id, "the message has no `jsonrpc`; add \"jsonrpc\": \"2.0\"".into())),
            Some(other) => {
                return Err(Refusal::invalid(id, format!("`jsonrpc` must be \"2.0\", got {}", other.described())));
            }
        }
        let method = match self.method {
            Some(Scalar::Str(method)) if self.answers => {
                return Err(Refusal::invalid(
                    id,
                    format!(
                        "the message has both a `method` (`{method}`) and a `result` or `error`; a request has \
                         only the first, an answer only the second"
                    ),
                ));
            }
            Some(Scalar::Str(method)) => Some(method),
            None if self.answers => None,
            None => {
                return Err(Refusal::invalid(
                    id,
                    "the message has no `method`; name the method a request or notification calls".into(),
                ));
            }
            Some(other) => {
                return Err(Refusal::invalid(id, format!("`method` must be a string, got {}", other.described())));
            }
        };
        let params = self.params;
        let naming = NAMING_ITEMS.iter().find(|naming| method.as_deref() == Some(**naming));
        let item = match naming {
            Some(&"resources/read") => params.uri.map(|uri| ("resources/read", uri.into_owned())),
            Some(naming) => params.name.map(|name| (*naming, name.into_owned())),
            None => None,
        };
        Ok(Incoming {
            method: method.map(Cow::into_owned),
            id,
            item,
            meta_version: params.meta_version.map(Cow::into_owned),
            meta_capabilities: params.meta_capabilities,
        })
    }
}

#[cfg(test)]
mod tests {
    use rmcp::model::ErrorCode;
    use serde_json::json;

    use super::*;

    fn refused(body: &str) -> (Option<RequestId>, i32, String) {
        let refusal = peek(body.as_bytes()).expect_err(body);
        (refusal.id, refusal.error.code.0, refusal.error.message.into_owned())
    }

    #[test]
    fn a_call_names_its_method_id_and_item_whatever_the_order_of_members() {
        let body = json!({"params": {"arguments": {"deep": [1, {"name": "not this"}]}, "name": "echo"},
                          "method": "tools/call", "id": 3, "jsonrpc": "2.0"});
        let incoming = peek(body.to_string().as_bytes()).unwrap();
        assert_eq!(incoming.method.as_deref(), Some("tools/call"));
        assert_eq!(incoming.id, Some(RequestId::Number(3)));
        assert_eq!(incoming.item, Some(("tools/call", "echo".to_owned())));
        let read = r#"{"jsonrpc":"2.0","id":"r\u00e9","method":"resources/read","params":{"uri":"notes://a\"b"}}"#;
        let incoming = peek(read.as_bytes()).unwrap();
        assert_eq!(incoming.id, Some(RequestId::String("ré".into())));
        assert_eq!(incoming.item, Some(("resources/read", "notes://a\"b".to_owned())));
        // Other methods name no item, and `params` of any shape are rmcp's to judge.
        for params in [json!({"name": "x"}), json!([1, 2]), json!("text"), json!(null)] {
            let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": params});
            assert_eq!(peek(body.to_string().as_bytes()).unwrap().item, None);
        }
    }

    #[test]
    fn the_per_request_lifecycle_is_read_from_meta() {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"_meta": {
            META_PROTOCOL_VERSION: "2026-07-28", META_CLIENT_CAPABILITIES: {}, "io.modelcontextprotocol/clientInfo": {}}}});
        let incoming = peek(body.to_string().as_bytes()).unwrap();
        assert_eq!(incoming.meta_version.as_deref(), Some("2026-07-28"));
        assert!(incoming.meta_capabilities);
        let plain = peek(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap();
        assert_eq!((plain.id, plain.meta_version, plain.meta_capabilities), (None, None, false));
        let answer = peek(br#"{"jsonrpc":"2.0","id":4,"result":{}}"#).unwrap();
        assert_eq!((answer.method, answer.id), (None, Some(RequestId::Number(4))));
    }

    #[test]
    fn invalid_json_is_a_parse_error() {
        for body in ["{not json", "[1,", "{\"jsonrpc\":\"2.0\"} trailing", "\"unterminated", "nul"] {
            let (id, code, message) = refused(body);
            assert_eq!((id, code), (None, ErrorCode::PARSE_ERROR.0), "{body}");
            assert!(message.starts_with("the request body is not valid JSON ("), "{message}");
        }
    }

    #[test]
    fn anything_but_one_message_object_is_an_invalid_request_saying_what_it_is() {
        let invalid = ErrorCode::INVALID_REQUEST.0;
        let cases: [(&str, Option<RequestId>, &str); 12] = [
            ("", None, "the request body is empty"),
            (r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, None, "JSON-RPC batches are not supported"),
            ("42", None, "the request body is the number 42, not a JSON-RPC message"),
            ("\"ping\"", None, "the request body is the string \"ping\", not"),
            ("null", None, "the request body is null, not"),
            (r#"{"jsonrpc":"2.0","id":5}"#, Some(RequestId::Number(5)), "the message has no `method`"),
            (
                r#"{"id":"a","method":"tools/list"}"#,
                Some(RequestId::String("a".into())),
                "the message has no `jsonrpc`",
            ),
            (
                r#"{"jsonrpc":"1.0","id":6,"method":"x"}"#,
                Some(RequestId::Number(6)),
                "`jsonrpc` must be \"2.0\", got the string \"1.0\"",
            ),
            (
                r#"{"jsonrpc":"2.0","id":7,"method":3}"#,
                Some(RequestId::Number(7)),
                "`method` must be a string, got the number 3",
            ),
            (
                r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
                None,
                "`id` must be a string or an integer, got a JSON object",
            ),
            (r#"{"jsonrpc":"2.0","id":null,"method":"x"}"#, None, "`id` must be a string or an integer, got null"),
            (
                r#"{"jsonrpc":"2.0","id":8,"method":"x","result":{}}"#,
                Some(RequestId::Number(8)),
                "the message has both a `method` (`x`)",
            ),
        ];
        for (body, expected_id, start) in cases {
            let (id, code, message) = refused(body);
            assert_eq!((id, code), (expected_id, invalid), "{body}");
            assert!(message.starts_with(start), "{body}: {message}");
        }
    }
}
