//! `#[derive(ErrorCode)]`: the `code()` of an error enum, from one `#[code(…)]` attribute on each
//! variant, instead of a hand-kept `match` beside every enum.
//!
//! - `#[code(SecretsFileMissing)]`: the variant answers `ErrorCode::SecretsFileMissing`;
//! - `#[code(inner)]`: a one-field tuple variant answers its field's `code()`.
//!
//! The generated `pub fn code(&self) -> ErrorCode` names `ErrorCode` unqualified: the enum's
//! module imports `setup_core::error_code::ErrorCode`.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Ident, Variant, parse_macro_input};

#[proc_macro_derive(ErrorCode, attributes(code))]
pub fn derive_error_code(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "ErrorCode is derived for enums only",
        ));
    };
    let arms = data
        .variants
        .iter()
        .map(arm)
        .collect::<syn::Result<Vec<_>>>()?;
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics #name #ty_generics #where_clause {
            /// The stable code (IPC, `--json`).
            pub fn code(&self) -> ErrorCode {
                match self {
                    #(#arms)*
                }
            }
        }
    })
}

/// The match arm of one variant, from its `#[code(…)]`.
fn arm(variant: &Variant) -> syn::Result<TokenStream2> {
    let attr = variant
        .attrs
        .iter()
        .find(|a| a.path().is_ident("code"))
        .ok_or_else(|| {
            syn::Error::new_spanned(
                &variant.ident,
                "every variant needs #[code(Name)] or #[code(inner)]",
            )
        })?;
    let code: Ident = attr.parse_args()?;
    let v = &variant.ident;
    if code != "inner" {
        return Ok(quote! { Self::#v { .. } => ErrorCode::#code, });
    }
    match &variant.fields {
        Fields::Unnamed(f) if f.unnamed.len() == 1 => Ok(quote! { Self::#v(e) => e.code(), }),
        _ => Err(syn::Error::new_spanned(
            v,
            "#[code(inner)] needs a variant with exactly one unnamed field",
        )),
    }
}
