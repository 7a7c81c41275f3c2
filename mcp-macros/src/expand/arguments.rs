//! A tool's argument structs. `__Arguments` holds the decoded arguments and describes them
//! (schemars' derive, with the parameters' docs and attributes); `__Decoded` decodes them (serde's
//! derive), and `__Arguments`' `Deserialize` moves its fields over.
//!
//! Neither derive touches a parameter's type directly: serde decodes each field with
//! `deserialize_with` through `DeserializeArgument`, schemars describes it `with` a `Forward` to
//! `JsonSchemaArgument`, both spanned at the parameter's type. So a type without `Deserialize` or
//! `JsonSchema` is one error at the parameter, in our words and naming the derive to add,
//! instead of three serde-internal errors and a schemars path. The schemas and the decoding stay
//! exactly what the plain derives would produce: `Forward` passes on every function of the
//! type's `JsonSchema`, and an absent argument is decoded as serde's derive would decode it.
//!
//! A field with its own `with`, `deserialize_with`, `schema_with`, `flatten` or `skip` is left to
//! the derives as the user wrote it.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Attribute, GenericArgument, Ident, LitStr, PathArguments, Type, TypePath, spanned::Spanned};

use crate::signature::{optional_inner, unraw};

/// One argument parameter, as the structs need it.
pub(super) struct Field<'a> {
    pub(super) name: &'a Ident,
    pub(super) ty: &'a Type,
    pub(super) doc: Option<&'a str>,
    /// The parameter's `#[serde]` and `#[schemars]` attributes.
    pub(super) attrs: &'a [Attribute],
}

/// The two structs and their impls; `__Arguments` is the tool's argument type.
pub(super) fn structs(
    fields: &[Field<'_>],
    deny_unknown_fields: bool,
    serde_crate: &LitStr,
    schemars_crate: &LitStr,
) -> TokenStream {
    let deny = deny_unknown_fields.then(|| quote!(#[serde(deny_unknown_fields)]));
    let mut described = Vec::new();
    let mut decoded = Vec::new();
    let mut items = Vec::new();
    let mut moves = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let Field { name, ty, doc, attrs } = field;
        let serde_attrs: Vec<&Attribute> = attrs.iter().filter(|attr| attr.path().is_ident("serde")).collect();
        let serde_keys = keys(attrs, "serde");
        let schemars_keys = keys(attrs, "schemars");
        let has = |keys: &[String], wanted: &[&str]| keys.iter().any(|key| wanted.contains(&key.as_str()));
        let hint = derive_target(ty);
        // Every use of the type through our traits has this one span, so that rustc, which
        // drops a diagnostic identical to one it has shown, reports a missing trait once.
        let span = ty.span();

        let doc = doc.map(|doc| quote!(#[doc = #doc]));
        // schemars reads `#[serde(with = "..")]` as a schema type too.
        let with = if has(&schemars_keys, &["with", "schema_with"]) || has(&serde_keys, &["with", "flatten"]) {
            None
        } else {
            let marker = format_ident!("__ArgumentSchema{}", index);
            items.push(quote_spanned! {span=>
                #[allow(non_camel_case_types)]
                struct #marker;
                impl __mcp::ArgumentSchema for #marker {
                    const FNS: __mcp::SchemaFns = <#ty as __mcp::JsonSchemaArgument<#hint>>::__SCHEMA;
                }
            });
            let with = LitStr::new(&format!("__mcp::Forward<{marker}>"), Span::call_site());
            Some(quote!(#[schemars(with = #with)]))
        };
        described.push(quote!(#doc #(#attrs)* #with #name: #ty));

        if has(&serde_keys, &["with", "deserialize_with", "flatten", "skip", "skip_deserializing"]) {
            decoded.push(quote!(#(#serde_attrs)* #name: #ty));
            moves.push(quote!(#name: __decoded.#name));
            continue;
        }
        let decode = format_ident!("__decode_argument{}", index);
        let decode_name = LitStr::new(&decode.to_string(), Span::call_site());
        if has(&serde_keys, &["default"]) || optional_inner(ty).is_some() {
            // An absent argument takes the user's default, or `None`.
            items.push(quote_spanned! {span=>
                fn #decode<'de, __D: __mcp::serde::Deserializer<'de>>(
                    __deserializer: __D,
                ) -> ::core::result::Result<#ty, __D::Error> {
                    <#ty as __mcp::DeserializeArgument<#hint>>::__deserialize(__deserializer)
                }
            });
            let default = (!has(&serde_keys, &["default"])).then(|| quote!(default,));
            decoded.push(quote!(#(#serde_attrs)* #[serde(#default deserialize_with = #decode_name)] #name: #ty));
            moves.push(quote!(#name: __decoded.#name));
        } else {
            // Decoded as `Some`; an absent one is then whatever serde's derive would have made of
            // it: an error naming it, or `None` for an `Option` under another name.
            items.push(quote_spanned! {span=>
                fn #decode<'de, __D: __mcp::serde::Deserializer<'de>>(
                    __deserializer: __D,
                ) -> ::core::result::Result<::core::option::Option<#ty>, __D::Error> {
                    <#ty as __mcp::DeserializeArgument<#hint>>::__deserialize_some(__deserializer)
                }
            });
            decoded.push(quote!(
                #(#serde_attrs)* #[serde(default, deserialize_with = #decode_name)] #name: ::core::option::Option<#ty>
            ));
            let wire_name = wire_name(name, attrs);
            moves.push(quote_spanned! {span=>
                #name: match __decoded.#name {
                    ::core::option::Option::Some(__value) => __value,
                    ::core::option::Option::None => {
                        <#ty as __mcp::DeserializeArgument<#hint>>::__missing(#wire_name)?
                    }
                }
            });
        }
    }
    quote! {
        #[derive(__mcp::schemars::JsonSchema)]
        #deny
        #[schemars(crate = #schemars_crate)]
        struct __Arguments { #(#described,)* }

        #[derive(__mcp::serde::Deserialize)]
        #[serde(crate = #serde_crate)]
        #deny
        struct __Decoded { #(#decoded,)* }

        #(#items)*

        impl<'de> __mcp::serde::Deserialize<'de> for __Arguments {
            fn deserialize<__D: __mcp::serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                let __decoded = <__Decoded as __mcp::serde::Deserialize<'de>>::deserialize(__deserializer)?;
                ::core::result::Result::Ok(__Arguments { #(#moves,)* })
            }
        }
    }
}

/// The argument type of a tool taking `Args<T>`: `__mcp::Whole<__WholeArguments>`, decoding and
/// describing `T` through the same two traits, so a `T` lacking one is reported the same way.
pub(super) fn whole(inner: &Type) -> TokenStream {
    let hint = derive_target(inner);
    quote_spanned! {inner.span()=>
        struct __WholeArguments;
        impl __mcp::ArgumentSchema for __WholeArguments {
            const FNS: __mcp::SchemaFns = <#inner as __mcp::JsonSchemaArgument<#hint>>::__SCHEMA;
        }
        impl __mcp::WholeArguments for __WholeArguments {
            type Value = #inner;
            fn decode<'de, __D: __mcp::serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<#inner, __D::Error> {
                <#inner as __mcp::DeserializeArgument<#hint>>::__deserialize(__deserializer)
            }
        }
    }
}

/// The type a missing derive belongs on: the `T` of `Option<T>`, `Vec<T>`, `VecDeque<T>`,
/// `Box<T>` and of maps keyed by `String`, whose impls need nothing else of `T`; else the type.
fn derive_target(ty: &Type) -> &Type {
    let Type::Path(TypePath { qself: None, path }) = ty else { return ty };
    let Some(segment) = path.segments.last() else { return ty };
    let PathArguments::AngleBracketed(arguments) = &segment.arguments else { return ty };
    let types: Vec<&Type> = arguments
        .args
        .iter()
        .filter_map(|argument| match argument {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect();
    let inner = match (segment.ident.to_string().as_str(), types.as_slice()) {
        ("Option" | "Vec" | "VecDeque" | "Box", [inner]) => inner,
        ("HashMap" | "BTreeMap", [key, value]) if is_string(key) => value,
        _ => return ty,
    };
    derive_target(inner)
}

fn is_string(ty: &Type) -> bool {
    matches!(ty, Type::Path(TypePath { qself: None, path }) if path.segments.last().is_some_and(|last| last.ident == "String"))
}

/// The keys of every `#[attribute(...)]` named `attribute`: `default` and `rename` in
/// `#[serde(default, rename = "x")]`.
fn keys(attrs: &[Attribute], attribute: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(attribute)) {
        let _ = attr.parse_nested_meta(|meta| {
            keys.push(meta.path.get_ident().map(ToString::to_string).unwrap_or_default());
            skip_value(&meta)
        });
    }
    keys
}

/// The name serde gives the field on the wire, for the "missing field" error: its
/// `#[serde(rename = "..")]` (or `rename(deserialize = "..")`), else the parameter's name.
fn wire_name(name: &Ident, attrs: &[Attribute]) -> LitStr {
    let mut renamed = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("rename") {
                return skip_value(&meta);
            }
            if meta.input.peek(syn::Token![=]) {
                renamed = Some(meta.value()?.parse::<LitStr>()?);
                return Ok(());
            }
            meta.parse_nested_meta(|direction| {
                if direction.path.is_ident("deserialize") {
                    renamed = Some(direction.value()?.parse::<LitStr>()?);
                    Ok(())
                } else {
                    skip_value(&direction)
                }
            })
        });
    }
    renamed.unwrap_or_else(|| LitStr::new(&unraw(name), Span::call_site()))
}

/// Consumes `= value` or `(...)` after a key, so the next key can be read.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn keys_and_wire_names_are_read_from_serde_attributes() {
        let attrs: Vec<Attribute> = parse_quote! {
            #[serde(default = "five", rename = "limitCount")]
            #[schemars(range(min = 1, max = 9), with = "u8")]
        };
        assert_eq!(keys(&attrs, "serde"), ["default", "rename"]);
        assert_eq!(keys(&attrs, "schemars"), ["range", "with"]);
        let name: Ident = parse_quote!(limit);
        assert_eq!(wire_name(&name, &attrs).value(), "limitCount");
        let split: Vec<Attribute> = parse_quote!(#[serde(rename(serialize = "a", deserialize = "b"))]);
        assert_eq!(wire_name(&name, &split).value(), "b");
        let raw: Ident = parse_quote!(r#type);
        assert_eq!(wire_name(&raw, &[]).value(), "type");
    }

    fn expand(fields: &[(Ident, Type, Vec<Attribute>)]) -> String {
        let fields: Vec<Field<'_>> =
            fields.iter().map(|(name, ty, attrs)| Field { name, ty, doc: None, attrs }).collect();
        let krate = LitStr::new("krate", Span::call_site());
        structs(&fields, true, &krate, &krate).to_string()
    }

    #[test]
    fn an_option_defaults_to_none_and_a_custom_field_is_left_alone() {
        let text = expand(&[
            (parse_quote!(maybe), parse_quote!(Option<Point>), vec![]),
            (parse_quote!(custom), parse_quote!(Point), vec![parse_quote!(#[serde(deserialize_with = "mine")])]),
            (parse_quote!(shaped), parse_quote!(Point), vec![parse_quote!(#[schemars(with = "Shape")])]),
        ]);
        // `Option<Point>` is decoded as written, `None` when absent; the derive goes on `Point`.
        assert!(
            text.contains("# [serde (default , deserialize_with = \"__decode_argument0\")] maybe : Option < Point >"),
            "{text}"
        );
        assert!(
            text.contains("< Option < Point > as __mcp :: DeserializeArgument < Point >> :: __deserialize"),
            "{text}"
        );
        // A field with its own decoding or schema keeps it, and nothing of ours is added there.
        assert!(text.contains("# [serde (deserialize_with = \"mine\")] custom : Point ,"), "{text}");
        assert!(!text.contains("__decode_argument1"), "{text}");
        assert!(text.contains("# [schemars (with = \"Shape\")] shaped : Point"), "{text}");
        assert!(!text.contains("__ArgumentSchema2"), "{text}");
        assert!(text.contains("__decode_argument2"), "{text}");
    }

    #[test]
    fn the_derive_belongs_on_the_type_inside_a_container() {
        let target = |ty: Type| {
            let target = derive_target(&ty);
            quote!(#target).to_string()
        };
        assert_eq!(target(parse_quote!(Point)), "Point");
        assert_eq!(target(parse_quote!(Option<Point>)), "Point");
        assert_eq!(target(parse_quote!(std::vec::Vec<Option<geo::Point>>)), "geo :: Point");
        assert_eq!(target(parse_quote!(HashMap<String, Box<Point>>)), "Point");
        // A key could be what lacks the trait, and a tuple or a user's generic type could need
        // more than its parameters: the whole type is named.
        assert_eq!(target(parse_quote!(HashMap<Point, u8>)), "HashMap < Point , u8 >");
        assert_eq!(target(parse_quote!((Point, u8))), "(Point , u8)");
        assert_eq!(target(parse_quote!(Wrapper<Point>)), "Wrapper < Point >");
    }
}
