//! The hidden type named like the function. `handlers![f]` names it: functions and types live in
//! different namespaces, so both can be called `f`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Visibility;

use crate::model::Handler;

/// The type, with the function's visibility.
pub(crate) fn declaration(handler: &Handler, vis: &Visibility) -> TokenStream {
    let ident = &handler.signature.ident;
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ident {}
    }
}
