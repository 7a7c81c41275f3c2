//! The members of a message the HTTP layers read, each accepted whatever its JSON type so that
//! reading never fails on valid JSON: judging a message is `peek`'s, judging `params` rmcp's.
//! Member names are matched without allocating and strings borrowed from the body.

use std::borrow::Cow;

use serde::{
    Deserialize, Deserializer,
    de::{IgnoredAny, MapAccess, SeqAccess, Visitor},
};

use super::{Fields, META_CLIENT_CAPABILITIES, META_PROTOCOL_VERSION};

/// The `params` members the layers read: every one of them optional, and any type accepted,
/// so that judging `params` stays rmcp's.
#[derive(Default)]
pub(super) struct Params<'de> {
    pub(super) name: Option<Cow<'de, str>>,
    pub(super) uri: Option<Cow<'de, str>>,
    pub(super) meta_version: Option<Cow<'de, str>>,
    pub(super) meta_capabilities: bool,
}

/// A member's value, kept only when it is a string or an integer.
#[derive(Debug)]
pub(super) enum Scalar<'de> {
    Str(Cow<'de, str>),
    Int(i64),
    Null,
    Other(&'static str),
}

impl Scalar<'_> {
    pub(super) fn described(&self) -> String {
        match self {
            Scalar::Str(text) => format!("the string {:?}", text.as_ref()),
            Scalar::Int(number) => format!("the number {number}"),
            Scalar::Null => "null".into(),
            Scalar::Other(kind) => format!("a JSON {kind}"),
        }
    }
}

/// The names of the members the layers read, matched without allocating.
enum Key {
    Jsonrpc,
    Method,
    Id,
    Answer,
    Params,
    Name,
    Uri,
    Meta,
    ProtocolVersion,
    ClientCapabilities,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a member name")
            }
            fn visit_str<E>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "jsonrpc" => Key::Jsonrpc,
                    "method" => Key::Method,
                    "id" => Key::Id,
                    "result" | "error" => Key::Answer,
                    "params" => Key::Params,
                    "name" => Key::Name,
                    "uri" => Key::Uri,
                    "_meta" => Key::Meta,
                    META_PROTOCOL_VERSION => Key::ProtocolVersion,
                    META_CLIENT_CAPABILITIES => Key::ClientCapabilities,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a JSON-RPC message object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                let mut fields = Fields::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Jsonrpc => fields.jsonrpc = Some(map.next_value()?),
                        Key::Method => fields.method = Some(map.next_value()?),
                        Key::Id => fields.id = Some(map.next_value()?),
                        Key::Params => fields.params = map.next_value()?,
                        Key::Answer => {
                            fields.answers = true;
                            map.next_value::<IgnoredAny>()?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(fields)
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// `visit_*` for every JSON value but an object, answering `T::default()`; sequences are still
/// read to their end, so the JSON is checked.
macro_rules! default_unless_object {
    () => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
}

impl<'de> Deserialize<'de> for Params<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ParamsVisitor;
        impl<'de> Visitor<'de> for ParamsVisitor {
            type Value = Params<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("any JSON value")
            }
            default_unless_object!();
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Params<'de>, A::Error> {
                let mut params = Params::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Name => params.name = string(map.next_value()?),
                        Key::Uri => params.uri = string(map.next_value()?),
                        Key::Meta => {
                            let meta: Meta<'de> = map.next_value()?;
                            params.meta_version = meta.version;
                            params.meta_capabilities = meta.capabilities;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(params)
            }
        }
        deserializer.deserialize_any(ParamsVisitor)
    }
}

fn string(value: Scalar<'_>) -> Option<Cow<'_, str>> {
    match value {
        Scalar::Str(text) => Some(text),
        _ => None,
    }
}

/// The `_meta` members of a request that carries its own lifecycle.
#[derive(Default)]
struct Meta<'de> {
    version: Option<Cow<'de, str>>,
    capabilities: bool,
}

impl<'de> Deserialize<'de> for Meta<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MetaVisitor;
        impl<'de> Visitor<'de> for MetaVisitor {
            type Value = Meta<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("any JSON value")
            }
            default_unless_object!();
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Meta<'de>, A::Error> {
                let mut meta = Meta::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::ProtocolVersion => meta.version = string(map.next_value()?),
                        Key::ClientCapabilities => {
                            meta.capabilities = matches!(map.next_value()?, Scalar::Other("object"));
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(meta)
            }
        }
        deserializer.deserialize_any(MetaVisitor)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(Cow::Owned(text.to_owned())))
            }
            fn visit_i64<E>(self, number: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Int(number))
            }
            fn visit_u64<E>(self, number: u64) -> Result<Scalar<'de>, E> {
                Ok(i64::try_from(number).map_or(Scalar::Other("number"), Scalar::Int))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other("number"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other("boolean"))
            }
            fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other("array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other("object"))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}
