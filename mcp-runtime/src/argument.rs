//! What a tool argument's type needs, as two traits of our own, so that a parameter type without
//! `Deserialize` or `JsonSchema` is one short error at the parameter, naming the derive to add.
//!
//! The generated argument structs reach their fields' types only through these traits: each
//! field is decoded through [`DeserializeArgument`] (by [`ArgumentObject`], or by serde's derive
//! with `deserialize_with` for a parameter with serde attributes of its own), and schemars'
//! derive describes it `with` a [`Forward`] to [`JsonSchemaArgument`]. Their blanket
//! impls carry `#[diagnostic::do_not_recommend]`, so rustc reports the missing trait as ours, in
//! our words, instead of three serde-internal errors and a schemars path. `Hint` is the type the
//! derive goes on: `Point` for a `Vec<Point>` parameter, which the macro peels off.

mod decode;
mod enforced;

use std::{borrow::Cow, marker::PhantomData};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, de::DeserializeOwned};

pub use decode::{ArgumentObject, DecodeArguments, decode_with_serde};
pub(crate) use enforced::decoding_enforces;

/// A type a tool argument can have, as far as decoding goes: any `serde::Deserialize` type.
///
/// Implemented for every such type; there is nothing to implement. It exists so that a
/// parameter type without `Deserialize` is reported as one error at the parameter, naming the
/// derive to add (on `Hint`: the type itself, or the `T` of a `Vec<T>`, `Option<T>`, ...).
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Point {
///     x: f64,
///     y: f64,
/// }
///
/// /// The length of a path through the points.
/// #[mcp_tool]
/// async fn length(points: Vec<Point>) -> f64 {
///     points.windows(2).map(|pair| (pair[1].x - pair[0].x).hypot(pair[1].y - pair[0].y)).sum()
/// }
///
/// fn decodable<T: mcp_runtime::tool::DeserializeArgument>() {}
/// decodable::<Vec<Point>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a tool argument: it does not implement `Deserialize`",
    label = "add `#[derive(serde::Deserialize)]` to `{Hint}`",
    note = "a tool decodes its arguments from JSON with serde; for another crate's type, enable its `serde` \
            feature or wrap it in a type of your own"
)]
pub trait DeserializeArgument<Hint: ?Sized = Self>: Sized {
    /// Decodes an argument present in the request.
    #[doc(hidden)]
    fn __deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// Decodes an argument present in the request as `Some`, so that `None` can stand for one
    /// that is absent (see [`__missing`](Self::__missing)).
    #[doc(hidden)]
    fn __deserialize_some<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error>;

    /// The value of an absent argument, as serde's derive computes it: an error naming `field`,
    /// except for types that accept nothing (`Option<T>` and the like, under any name).
    #[doc(hidden)]
    fn __missing<E: serde::de::Error>(field: &'static str) -> Result<Self, E>;

    /// The argument under `names` in `object` ([`ArgumentObject::value`]). Called as
    /// `<T as DeserializeArgument<Hint>>::__argument`, so a type without the trait is reported at
    /// the parameter alone, with no note about a bound inside the runtime.
    #[doc(hidden)]
    fn __argument(object: &ArgumentObject<'_>, names: &'static [&'static str]) -> Result<Self, String> {
        object.value::<Self, Hint>(names)
    }

    /// The argument under `names` in `object`, or `default()` ([`ArgumentObject::value_or`]).
    #[doc(hidden)]
    fn __argument_or(
        object: &ArgumentObject<'_>,
        names: &'static [&'static str],
        default: impl FnOnce() -> Self,
    ) -> Result<Self, String> {
        object.value_or::<Self, Hint>(names, default)
    }
}

// Not recommended: when `T: DeserializeOwned` fails, rustc reports `T: DeserializeArgument` (our
// message) instead of looking through this impl at serde's trait.
#[diagnostic::do_not_recommend]
impl<T: DeserializeOwned, Hint: ?Sized> DeserializeArgument<Hint> for T {
    fn __deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer)
    }

    fn __deserialize_some<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        T::deserialize(deserializer).map(Some)
    }

    fn __missing<E: serde::de::Error>(field: &'static str) -> Result<Self, E> {
        T::deserialize(MissingField { field, error: PhantomData })
    }
}

/// What serde's derive hands a field's type when the field is absent: nothing for a type that
/// asks for an option, else the "missing field" error (after `serde::__private::de::missing_field`).
struct MissingField<E> {
    field: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: serde::de::Error> Deserializer<'de> for MissingField<E> {
    type Error = E;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.field))
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A type a tool argument can have, as far as its input schema goes: any
/// `schemars::JsonSchema` type.
///
/// Implemented for every such type; there is nothing to implement. It exists so that a
/// parameter type without `JsonSchema` is reported as one error at the parameter, naming the
/// derive to add (on `Hint`: the type itself, or the `T` of a `Vec<T>`, `Option<T>`, ...).
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Point {
///     x: f64,
///     y: f64,
/// }
///
/// /// How far a point is from the origin.
/// #[mcp_tool]
/// async fn norm(point: Option<Point>) -> f64 {
///     point.map_or(0.0, |point| point.x.hypot(point.y))
/// }
///
/// fn describable<T: mcp_runtime::tool::JsonSchemaArgument>() {}
/// describable::<Option<Point>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a tool argument: it does not implement `JsonSchema`",
    label = "add `#[derive(schemars::JsonSchema)]` to `{Hint}`",
    note = "a tool describes its arguments to the model with schemars; for another crate's type, enable \
            schemars' feature for it or describe it with `#[schemars(with = \"..\")]`"
)]
pub trait JsonSchemaArgument<Hint: ?Sized = Self> {
    /// `Self`'s schema functions.
    #[doc(hidden)]
    const __SCHEMA: SchemaFns;
}

// Not recommended, for the same reason as `DeserializeArgument`'s.
#[diagnostic::do_not_recommend]
impl<T: JsonSchema, Hint: ?Sized> JsonSchemaArgument<Hint> for T {
    const __SCHEMA: SchemaFns = SchemaFns::of::<T>();
}

/// Every function of a type's `JsonSchema` impl, so that [`Forward`] reproduces its schema
/// exactly: the generated schemas do not change by a byte.
#[doc(hidden)]
pub struct SchemaFns {
    inline_schema: fn() -> bool,
    schema_name: fn() -> Cow<'static, str>,
    schema_id: fn() -> Cow<'static, str>,
    json_schema: fn(&mut SchemaGenerator) -> Schema,
    non_optional_json_schema: fn(&mut SchemaGenerator) -> Schema,
    is_option: fn() -> bool,
}

impl SchemaFns {
    const fn of<T: JsonSchema>() -> Self {
        Self {
            inline_schema: T::inline_schema,
            schema_name: T::schema_name,
            schema_id: T::schema_id,
            json_schema: T::json_schema,
            // schemars' own forwarding impls (`Box<T>`, `&T`) pass these two on as well.
            non_optional_json_schema: T::_schemars_private_non_optional_json_schema,
            is_option: T::_schemars_private_is_option,
        }
    }
}

/// Names one argument's schema functions: the macro implements it, for a unit struct of its own
/// per argument, from `<T as JsonSchemaArgument<_>>::__SCHEMA`, the one place `T: JsonSchema`
/// is required.
#[doc(hidden)]
pub trait ArgumentSchema {
    const FNS: SchemaFns;
}

/// `JsonSchema` by every function of `$fns`, a [`SchemaFns`].
macro_rules! forward_json_schema {
    ($fns:expr) => {
        fn inline_schema() -> bool {
            ($fns.inline_schema)()
        }

        fn schema_name() -> Cow<'static, str> {
            ($fns.schema_name)()
        }

        fn schema_id() -> Cow<'static, str> {
            ($fns.schema_id)()
        }

        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            ($fns.json_schema)(generator)
        }

        fn _schemars_private_non_optional_json_schema(generator: &mut SchemaGenerator) -> Schema {
            ($fns.non_optional_json_schema)(generator)
        }

        fn _schemars_private_is_option() -> bool {
            ($fns.is_option)()
        }
    };
}

/// The `#[schemars(with = ..)]` type of a generated argument field: `JsonSchema` whatever the
/// field's type, forwarding every function to the field type's own impl.
#[doc(hidden)]
pub struct Forward<M>(PhantomData<M>);

impl<M: ArgumentSchema> JsonSchema for Forward<M> {
    forward_json_schema!(M::FNS);
}

/// The one argument of a tool taking `Args<T>`: the macro implements it for a unit struct, with
/// `T`'s decoding and schema reached through [`DeserializeArgument`] and [`JsonSchemaArgument`].
#[doc(hidden)]
pub trait WholeArguments: ArgumentSchema {
    type Value;

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error>;
}

/// The argument type of a tool taking `Args<T>`: `T`, decoded and described as `T` is.
#[doc(hidden)]
pub struct Whole<M: WholeArguments>(pub M::Value);

impl<'de, M: WholeArguments> Deserialize<'de> for Whole<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        M::decode(deserializer).map(Whole)
    }
}

impl<M: WholeArguments> JsonSchema for Whole<M> {
    forward_json_schema!(M::FNS);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::schema::{SchemaOptions, input_schema};

    /// Named, so that schemars refers to it by `$ref` when references are kept.
    #[derive(JsonSchema)]
    #[allow(dead_code)] // only described
    struct Point {
        /// Across.
        x: i32,
    }

    /// Recursive: always a `$ref`.
    #[derive(JsonSchema)]
    #[allow(dead_code)] // only described
    struct Tree {
        children: Vec<Tree>,
    }

    macro_rules! marker {
        ($name:ident, $ty:ty) => {
            struct $name;
            impl ArgumentSchema for $name {
                const FNS: SchemaFns = <$ty as JsonSchemaArgument>::__SCHEMA;
            }
        };
    }
    marker!(MaybeCount, Option<u32>);
    marker!(OnePoint, Point);
    marker!(Points, Vec<Point>);
    marker!(OneTree, Tree);
    marker!(Required, Option<Point>);

    #[derive(JsonSchema)]
    #[schemars(rename = "Arguments")]
    #[allow(dead_code)] // only described
    struct Plain {
        /// How many.
        count: Option<u32>,
        point: Point,
        points: Vec<Point>,
        tree: Tree,
        #[schemars(required)]
        nullable: Option<Point>,
    }

    #[derive(JsonSchema)]
    #[schemars(rename = "Arguments")]
    #[allow(dead_code)] // only described
    struct Forwarded {
        /// How many.
        #[schemars(with = "Forward<MaybeCount>")]
        count: Option<u32>,
        #[schemars(with = "Forward<OnePoint>")]
        point: Point,
        #[schemars(with = "Forward<Points>")]
        points: Vec<Point>,
        #[schemars(with = "Forward<OneTree>")]
        tree: Tree,
        #[schemars(required, with = "Forward<Required>")]
        nullable: Option<Point>,
    }

    #[test]
    fn forwarding_keeps_every_schema_as_the_type_makes_it() {
        for keep_refs in [false, true] {
            let options = SchemaOptions { keep_refs, ..SchemaOptions::default() };
            let plain = input_schema::<Plain>(options);
            assert_eq!(input_schema::<Forwarded>(options), plain, "keep_refs: {keep_refs}");
            assert_eq!(plain["required"], json!(["point", "points", "tree", "nullable"]));
            assert_eq!(plain["$defs"].get("Point").is_some(), keep_refs, "{plain:?}");
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Strict {
        value: u8,
    }

    #[test]
    fn an_absent_argument_is_none_for_an_option_and_an_error_naming_it_otherwise() {
        type Error = serde_json::Error;
        let option = <Option<u8> as DeserializeArgument>::__missing::<Error>("count").unwrap();
        assert_eq!(option, None);
        let strict = <Strict as DeserializeArgument>::__missing::<Error>("strict").unwrap_err();
        assert_eq!(strict.to_string(), "missing field `strict`");
        let number = <u8 as DeserializeArgument>::__missing::<Error>("n").unwrap_err();
        assert_eq!(number.to_string(), "missing field `n`");
    }
}
