//! `#[derive(Scopes)]`: an enum of OAuth scopes, so a misspelt scope is a compile error and the
//! hierarchy and `scopes_supported` come from one declaration.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{
    Data, DeriveInput, Fields, Ident, LitStr, Path, Token, bracketed,
    parse::{Parse, ParseStream},
    punctuated::Punctuated,
};

use crate::{check::names::valid_scope, errors::Errors};

/// `#[scope("files:write", implies = [FilesRead], superuser)]`
struct ScopeAttr {
    name: LitStr,
    implies: Vec<Ident>,
    superuser: bool,
}

impl Parse for ScopeAttr {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: LitStr = input.parse()?;
        let mut attr = ScopeAttr { name, implies: Vec::new(), superuser: false };
        while input.parse::<Option<Token![,]>>()?.is_some() {
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            match key.to_string().as_str() {
                "implies" => {
                    input.parse::<Token![=]>()?;
                    let content;
                    bracketed!(content in input);
                    attr.implies = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?.into_iter().collect();
                }
                "superuser" => attr.superuser = true,
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown option `{other}`; expected `implies = [Variant, ...]` or `superuser`"),
                    ));
                }
            }
        }
        Ok(attr)
    }
}

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let krate = crate_path(&input, &mut errors);
    let ident = &input.ident;
    let Data::Enum(data) = &input.data else {
        return syn::Error::new_spanned(ident, "`#[derive(Scopes)]` goes on an enum with one unit variant per scope")
            .to_compile_error();
    };
    let mut variants = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            errors.at(&variant.fields, "a scope variant carries no data");
        }
        let attrs: Vec<_> = variant.attrs.iter().filter(|attr| attr.path().is_ident("scope")).collect();
        match attrs.as_slice() {
            [attr] => match attr.parse_args::<ScopeAttr>() {
                Ok(scope) => {
                    if let Err(problem) = valid_scope(&scope.name.value()) {
                        errors.at(&scope.name, problem);
                    }
                    variants.push((variant.ident.clone(), scope));
                }
                Err(error) => errors.push(error),
            },
            [] => errors.at(&variant.ident, "name the scope: `#[scope(\"files:read\")]`"),
            [_, second, ..] => errors.at(second, "one `#[scope(...)]` per variant"),
        }
    }
    for (_, scope) in &variants {
        for implied in &scope.implies {
            if !variants.iter().any(|(variant, _)| variant == implied) {
                errors.at(implied, format!("`{implied}` is not a variant of `{ident}`"));
            }
        }
    }
    if !errors.is_empty() {
        return errors.into_compile_errors();
    }

    let arms = variants.iter().map(|(variant, scope)| {
        let name = &scope.name;
        quote!(#ident::#variant => #name)
    });
    let names = variants.iter().map(|(_, scope)| &scope.name);
    let name_of = |variant: &Ident| variants.iter().find(|(v, _)| v == variant).map(|(_, scope)| scope.name.clone());
    let rules = variants.iter().map(|(_, scope)| {
        let name = &scope.name;
        let implied: Vec<LitStr> = scope.implies.iter().filter_map(name_of).collect();
        let implies = (!implied.is_empty()).then(|| quote!(.implies(#name, [#(#implied),*])));
        let superuser = scope.superuser.then(|| quote!(.superuser(#name)));
        quote!(#implies #superuser)
    });
    let every = variants.iter().map(|(variant, _)| quote!(#ident::#variant));
    quote! {
        // Each variant names a scope on the wire, so none is dead even if no tool uses it yet.
        const _: &[#ident] = &[#(#every),*];

        impl #ident {
            /// The scope's name on the wire.
            pub const fn as_str(&self) -> &'static str {
                match self { #(#arms,)* }
            }
        }

        impl #krate::__private::Scopes for #ident {
            const ALL: &'static [&'static str] = &[#(#names),*];

            fn hierarchy() -> #krate::__private::ScopeHierarchy {
                #krate::__private::ScopeHierarchy::new() #(#rules)*
            }
        }
    }
}

/// `#[scopes(crate = path)]` on the enum, for a renamed runtime.
fn crate_path(input: &DeriveInput, errors: &mut Errors) -> Path {
    let mut krate: Path = syn::parse_quote!(::mcp_runtime);
    for attr in input.attrs.iter().filter(|attr| attr.path().is_ident("scopes")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                krate = meta.value()?.parse()?;
                Ok(())
            } else {
                Err(meta.error("expected `crate = path`"))
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    krate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_names_and_hierarchy() {
        let text = expand(quote! {
            enum Scope {
                #[scope("files:read")] FilesRead,
                #[scope("files:write", implies = [FilesRead])] FilesWrite,
                #[scope("admin", superuser)] Admin,
            }
        })
        .to_string();
        assert!(text.contains("Scope :: FilesWrite => \"files:write\""), "{text}");
        assert!(
            text.contains("const ALL : & 'static [& 'static str] = & [\"files:read\" , \"files:write\" , \"admin\"]"),
            "{text}"
        );
        assert!(text.contains(". implies (\"files:write\" , [\"files:read\"])"), "{text}");
        assert!(text.contains(". superuser (\"admin\")"), "{text}");
    }

    #[test]
    fn reports_bad_declarations() {
        let text = expand(quote! {
            enum Scope {
                #[scope("files read")] A,
                #[scope("b", implies = [Missing])] B,
                C,
                D(u8),
            }
        })
        .to_string();
        assert!(text.contains("without spaces"), "{text}");
        assert!(text.contains("`Missing` is not a variant of `Scope`"), "{text}");
        assert!(text.contains("name the scope"), "{text}");
        assert!(text.contains("carries no data"), "{text}");
    }
}
