//! A tool's argument structs. `__Arguments` holds the decoded arguments and describes them
//! (schemars' derive, with the parameters' docs and attributes). It is decoded one parameter at
//! a time through the runtime's `ArgumentObject`, whose code all tools share, unless a parameter
//! has a serde attribute beyond `rename`, `alias` and `default`: then `__Decoded` decodes them
//! (serde's derive), and `__Arguments`' `Deserialize` moves its fields over.
//!
//! Neither path touches a parameter's type directly: both decode it through
//! `DeserializeArgument`, and schemars describes it `with` a `Forward` to `JsonSchemaArgument`,
//! all spanned at the parameter's type. So a type without `Deserialize` or
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

/// `__Arguments` and its impls: the tool's argument type, described by schemars' derive and
/// decoded by [`lean_decoder`] when every parameter allows, else by serde's derive.
pub(super) fn structs(
    fields: &[Field<'_>],
    deny_unknown_fields: bool,
    serde_crate: &LitStr,
    schemars_crate: &LitStr,
) -> TokenStream {
    let deny = deny_unknown_fields.then(|| quote!(#[serde(deny_unknown_fields)]));
    let mut described = Vec::new();
    let mut items = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let Field { name, ty, doc, attrs } = field;
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
    }
    let lean: Option<Vec<LeanField>> =
        if deny_unknown_fields { fields.iter().map(LeanField::of).collect() } else { None };
    let decoder = match lean {
        Some(lean) => lean_decoder(fields, &lean),
        None => serde_decoder(fields, deny.as_ref(), serde_crate),
    };
    quote! {
        #[derive(__mcp::schemars::JsonSchema)]
        #deny
        #[schemars(crate = #schemars_crate)]
        struct __Arguments { #(#described,)* }

        #(#items)*

        #decoder
    }
}

/// `.aliases(&[("name", &["alias", ..]), ..])` for the tool's definition, if any parameter has
/// a `#[serde(alias)]`: schemars leaves aliases out of the schema arguments are checked against.
pub(super) fn aliases(fields: &[Field<'_>]) -> Option<TokenStream> {
    let aliased: Vec<TokenStream> = fields
        .iter()
        .filter_map(|field| {
            let aliases = aliases_of(field.attrs);
            let name = wire_name(field.name, field.attrs);
            (!aliases.is_empty()).then(|| quote!((#name, &[#(#aliases),*])))
        })
        .collect();
    (!aliased.is_empty()).then(|| quote!(.aliases(&[#(#aliased),*])))
}

/// Every `#[serde(alias = "..")]` of a parameter, in order.
fn aliases_of(attrs: &[Attribute]) -> Vec<LitStr> {
    let mut aliases = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("alias") {
                aliases.push(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                skip_value(&meta)
            }
        });
    }
    aliases
}

/// How a parameter is found and defaulted, for one whose serde attributes say no more than
/// that (`rename`, `alias`, `default`).
struct LeanField {
    /// Its name on the wire, then its aliases.
    names: Vec<LitStr>,
    default: Option<Option<syn::ExprPath>>,
}

impl LeanField {
    /// `None` if the parameter has a serde attribute beyond those, or one that does not parse
    /// (serde's derive then reports it).
    fn of(field: &Field<'_>) -> Option<Self> {
        let mut default = None;
        for attr in field.attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") && meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<LitStr>().map(drop)
                } else if meta.path.is_ident("rename") {
                    meta.parse_nested_meta(|direction| {
                        let known = direction.path.is_ident("serialize") || direction.path.is_ident("deserialize");
                        if !known {
                            return Err(direction.error("decoded by serde's derive"));
                        }
                        direction.value()?.parse::<LitStr>().map(drop)
                    })
                } else if meta.path.is_ident("alias") {
                    meta.value()?.parse::<LitStr>().map(drop)
                } else if meta.path.is_ident("default") {
                    default = Some(match meta.input.peek(syn::Token![=]) {
                        true => Some(meta.value()?.parse::<LitStr>()?.parse::<syn::ExprPath>()?),
                        false => None,
                    });
                    Ok(())
                } else {
                    Err(meta.error("decoded by serde's derive"))
                }
            })
            .ok()?;
        }
        let mut names = vec![wire_name(field.name, field.attrs)];
        names.extend(aliases_of(field.attrs));
        Some(Self { names, default })
    }
}

/// Decodes each parameter through the runtime's `ArgumentObject`, whose code every tool with a
/// parameter of the same type shares, instead of a serde derive per tool.
fn lean_decoder(fields: &[Field<'_>], lean: &[LeanField]) -> TokenStream {
    // Listed as serde's derive lists them in an "unknown field" error: each field's names in order.
    let known = lean.iter().flat_map(|field| {
        let mut names: Vec<&LitStr> = field.names.iter().collect();
        names.sort_by_key(|name| name.value());
        names
    });
    let values = fields.iter().zip(lean).map(|(field, LeanField { names, default })| {
        let (name, ty) = (field.name, field.ty);
        let hint = derive_target(ty);
        let decode = quote_spanned!(ty.span()=> <#ty as __mcp::DeserializeArgument<#hint>>);
        let value = match default {
            None => quote!(#decode::__argument(&__object, &[#(#names),*])),
            Some(None) => quote!(#decode::__argument_or(&__object, &[#(#names),*], ::core::default::Default::default)),
            Some(Some(path)) => quote!(#decode::__argument_or(&__object, &[#(#names),*], #path)),
        };
        quote!(#name: #value?)
    });
    quote! {
        impl __mcp::DecodeArguments for __Arguments {
            fn decode(__arguments: &__mcp::JsonValue) -> ::core::result::Result<Self, ::std::string::String> {
                let __object = __mcp::ArgumentObject::new(__arguments, &[#(#known),*])?;
                ::core::result::Result::Ok(__Arguments { #(#values,)* })
            }
        }
    }
}

/// `__Decoded`, decoded by serde's derive with the parameters' own serde attributes, each field
/// through `DeserializeArgument`; `__Arguments`' `Deserialize` moves its fields over.
fn serde_decoder(fields: &[Field<'_>], deny: Option<&TokenStream>, serde_crate: &LitStr) -> TokenStream {
    let mut decoded = Vec::new();
    let mut items = Vec::new();
    let mut moves = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let Field { name, ty, attrs, .. } = field;
        let serde_attrs: Vec<&Attribute> = attrs.iter().filter(|attr| attr.path().is_ident("serde")).collect();
        let serde_keys = keys(attrs, "serde");
        let has = |wanted: &[&str]| serde_keys.iter().any(|key| wanted.contains(&key.as_str()));
        let hint = derive_target(ty);
        let span = ty.span();
        if has(&["with", "deserialize_with", "flatten", "skip", "skip_deserializing"]) {
            decoded.push(quote!(#(#serde_attrs)* #name: #ty));
            moves.push(quote!(#name: __decoded.#name));
            continue;
        }
        let decode = format_ident!("__decode_argument{}", index);
        let decode_name = LitStr::new(&decode.to_string(), Span::call_site());
        if has(&["default"]) || optional_inner(ty).is_some() {
            // An absent argument takes the user's default, or `None`.
            items.push(quote_spanned! {span=>
                fn #decode<'de, __D: __mcp::serde::Deserializer<'de>>(
                    __deserializer: __D,
                ) -> ::core::result::Result<#ty, __D::Error> {
                    <#ty as __mcp::DeserializeArgument<#hint>>::__deserialize(__deserializer)
                }
            });
            let default = (!has(&["default"])).then(|| quote!(default,));
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

        impl __mcp::DecodeArguments for __Arguments {
            fn decode(__arguments: &__mcp::JsonValue) -> ::core::result::Result<Self, ::std::string::String> {
                __mcp::decode_with_serde(__arguments)
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
    fn renamed_aliased_and_defaulted_arguments_are_decoded_without_a_derive() {
        let text = expand(&[
            (
                parse_quote!(limit),
                parse_quote!(u8),
                vec![parse_quote!(#[serde(rename = "max", alias = "cap", default = "ten")])],
            ),
            (parse_quote!(tags), parse_quote!(Vec<Tag>), vec![parse_quote!(#[serde(default)])]),
        ]);
        assert!(!text.contains("__Decoded"), "{text}");
        assert!(text.contains("ArgumentObject :: new (__arguments , & [\"cap\" , \"max\" , \"tags\"])"), "{text}");
        let limit = "limit : < u8 as __mcp :: DeserializeArgument < u8 >> :: __argument_or (& __object , & [\"max\" , \"cap\"] , ten) ?";
        assert!(text.contains(limit), "{text}");
        let tags = "< Vec < Tag > as __mcp :: DeserializeArgument < Tag >> :: __argument_or (& __object , & [\"tags\"] , :: core :: default :: Default :: default)";
        assert!(text.contains(tags), "{text}");
        // Any other serde attribute, or one that does not parse, is serde's derive's to handle.
        let malformed = [parse_quote!(#[serde(default = 5)]), parse_quote!(#[serde(rename = 5)])];
        for attr in [parse_quote!(#[serde(borrow)]), parse_quote!(#[serde(rename(deserialize = x))])]
            .into_iter()
            .chain(malformed)
        {
            let text = expand(&[(parse_quote!(limit), parse_quote!(u8), vec![attr])]);
            assert!(text.contains("struct __Decoded"), "{text}");
            assert!(text.contains("__mcp :: decode_with_serde (__arguments)"), "{text}");
        }
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
