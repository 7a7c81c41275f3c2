//! The hidden type named like the function. `handlers![f]` names it (functions and types live in
//! different namespaces, so both can be called `f`), and it carries the handler's typed handles:
//! `f::NAME`, and a resource's `f::URI` or `f::URI_TEMPLATE`, so code that refers to a handler
//! (a notification, a test) does not repeat its name or URI as a literal that could drift.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Visibility;

use crate::model::{Handler, Kind, Resource, Template};

/// The type and its handles, with the function's visibility.
pub(crate) fn declaration(handler: &Handler, vis: &Visibility) -> TokenStream {
    let ident = &handler.signature.ident;
    let name = handler.common.name.value();
    let name_doc = match &handler.kind {
        Kind::Tool(_) => format!("The tool's name, as clients call it: `{name}`."),
        Kind::Prompt(_) => format!("The prompt's name, as clients get it: `{name}`."),
        Kind::Resource(_) => format!("The resource's name, as clients list it: `{name}`."),
    };
    let uri = match &handler.kind {
        Kind::Resource(resource) => uri_handle(resource, vis),
        Kind::Tool(_) | Kind::Prompt(_) => None,
    };
    // `dead_code` allowed: the user's code may use none of the handles.
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ident {}

        #[allow(dead_code)]
        impl #ident {
            #[doc = #name_doc]
            #vis const NAME: &'static str = #name;
            #uri
        }
    }
}

/// `URI` for a fixed resource, `URI_TEMPLATE` for a template: they are used differently (a
/// template is no URI a client can read or subscribe to).
fn uri_handle(resource: &Resource, vis: &Visibility) -> Option<TokenStream> {
    let uri = resource.keys.uri.as_ref()?;
    let is_template = match &resource.template {
        Template::Parsed(_) => !resource.variables().is_empty(),
        // Only with errors, where the handle just spares the user's code errors of its own.
        Template::Missing | Template::Malformed(_) => uri.value().contains('{'),
    };
    let text = uri.value();
    Some(if is_template {
        let doc = format!("The resource's URI template, as clients list it: `{text}`.");
        quote! {
            #[doc = #doc]
            #vis const URI_TEMPLATE: &'static str = #uri;
        }
    } else {
        let doc =
            format!("The resource's URI, as clients read it and as `Notifier::resource_updated` takes it: `{text}`.");
        quote! {
            #[doc = #doc]
            #vis const URI: &'static str = #uri;
        }
    })
}
