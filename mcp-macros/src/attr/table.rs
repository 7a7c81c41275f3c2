//! `attribute_keys!`, which turns the table of keys in `keys.rs` into the structs that hold
//! them, so that the table is the only place a key is written down.

/// Reads rows of the form
///
/// ```text
/// /// What the key means.
/// Owner "key" => field: Type = parser;
/// ```
///
/// where `Owner` is `Common` (a key every macro takes), `Tool`, `Prompt` or `Resource`, and
/// `parser` is a function of `value.rs` that reads the key's value (and says what a good one
/// looks like when it is not). From them it generates:
///
/// - `KEYS`, every key with the macro it belongs to, in table order (the order messages list
///   them in);
/// - one struct per owner (`CommonAttr`, `ToolAttr`, `PromptAttr`, `ResourceAttr`) with an
///   `Option` field per key, and a `parse_key` that parses a key's value into its field.
///
/// The rows are sorted onto their owners one at a time (a "tt muncher"), since `macro_rules!`
/// cannot filter a repetition. A new kind of handler adds an owner: an accumulator and a
/// sorting arm here, and its struct in the final arm.
macro_rules! attribute_keys {
    // Every row sorted: one struct per owner.
    (@sort [$($common:tt)*] [$($tool:tt)*] [$($prompt:tt)*] [$($resource:tt)*];) => {
        attribute_keys!(@struct
            /// The keys every handler macro takes.
            CommonAttr; $($common)*);
        attribute_keys!(@struct
            /// The keys only `#[mcp_tool]` takes.
            ToolAttr; $($tool)*);
        attribute_keys!(@struct
            /// The keys only `#[mcp_prompt]` takes (none yet).
            PromptAttr; $($prompt)*);
        attribute_keys!(@struct
            /// The keys only `#[mcp_resource]` takes.
            ResourceAttr; $($resource)*);
    };
    (@sort [$($common:tt)*] [$($tool:tt)*] [$($prompt:tt)*] [$($resource:tt)*];
        $(#[doc = $doc:literal])* Common $key:literal => $field:ident: $ty:ty = $parse:path; $($rest:tt)*) => {
        attribute_keys!(@sort [$($common)* $(#[doc = $doc])* $key => $field: $ty = $parse;]
            [$($tool)*] [$($prompt)*] [$($resource)*]; $($rest)*);
    };
    (@sort [$($common:tt)*] [$($tool:tt)*] [$($prompt:tt)*] [$($resource:tt)*];
        $(#[doc = $doc:literal])* Tool $key:literal => $field:ident: $ty:ty = $parse:path; $($rest:tt)*) => {
        attribute_keys!(@sort [$($common)*] [$($tool)* $(#[doc = $doc])* $key => $field: $ty = $parse;]
            [$($prompt)*] [$($resource)*]; $($rest)*);
    };
    (@sort [$($common:tt)*] [$($tool:tt)*] [$($prompt:tt)*] [$($resource:tt)*];
        $(#[doc = $doc:literal])* Prompt $key:literal => $field:ident: $ty:ty = $parse:path; $($rest:tt)*) => {
        attribute_keys!(@sort [$($common)*] [$($tool)*]
            [$($prompt)* $(#[doc = $doc])* $key => $field: $ty = $parse;] [$($resource)*]; $($rest)*);
    };
    (@sort [$($common:tt)*] [$($tool:tt)*] [$($prompt:tt)*] [$($resource:tt)*];
        $(#[doc = $doc:literal])* Resource $key:literal => $field:ident: $ty:ty = $parse:path; $($rest:tt)*) => {
        attribute_keys!(@sort [$($common)*] [$($tool)*] [$($prompt)*]
            [$($resource)* $(#[doc = $doc])* $key => $field: $ty = $parse;]; $($rest)*);
    };

    // One owner's struct and its parser.
    (@struct $(#[doc = $struct_doc:literal])* $name:ident;
        $($(#[doc = $doc:literal])* $key:literal => $field:ident: $ty:ty = $parse:path;)*) => {
        $(#[doc = $struct_doc])*
        #[derive(Default)]
        pub(crate) struct $name {
            $($(#[doc = $doc])* pub(crate) $field: ::core::option::Option<$ty>,)*
        }

        impl $name {
            /// Parses the value of `key` into its field; `None` when `key` is not one of these.
            // A struct without keys (the prompt's, so far) uses none of the arguments.
            #[allow(unused_variables)]
            pub(super) fn parse_key(
                &mut self,
                key: &str,
                meta: &::syn::meta::ParseNestedMeta<'_>,
                errors: &mut $crate::errors::Errors,
            ) -> ::core::option::Option<::syn::Result<()>> {
                match key {
                    $($key => Some($parse(meta).map(|value| $crate::attr::value::set(&mut self.$field, value, meta, errors))),)*
                    _ => None,
                }
            }
        }
    };

    // `None` for a key every macro takes, else the one macro that takes it.
    (@macro Common) => { ::core::option::Option::None };
    (@macro $owner:ident) => { ::core::option::Option::Some(super::Macro::$owner) };

    // The table.
    ($($(#[doc = $doc:literal])* $owner:ident $key:literal => $field:ident: $ty:ty = $parse:path;)*) => {
        /// Every key of every handler macro, in the order messages list them.
        pub(super) const KEYS: &[super::Key] =
            &[$(super::Key { name: $key, only: attribute_keys!(@macro $owner) }),*];

        attribute_keys!(@sort [] [] [] []; $($(#[doc = $doc])* $owner $key => $field: $ty = $parse;)*);
    };
}
