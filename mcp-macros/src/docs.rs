//! Doc comments: the text of `///` lines, and rustdoc's `# Arguments` section as an alternative
//! source of parameter descriptions.

use syn::{Attribute, Expr, ExprLit, Lit, Meta};

/// The doc comment of an item, dedented and trimmed; `None` when there is none.
pub(crate) fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs.iter().filter_map(doc_line).collect();
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let text = lines.iter().map(|line| line.get(indent..).unwrap_or("").trim_end()).collect::<Vec<_>>().join("\n");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn doc_line(attr: &Attribute) -> Option<String> {
    let Meta::NameValue(meta) = &attr.meta else { return None };
    if !meta.path.is_ident("doc") {
        return None;
    }
    match &meta.value {
        Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) => Some(text.value()),
        _ => None,
    }
}

pub(crate) fn is_doc(attr: &Attribute) -> bool {
    attr.path().is_ident("doc")
}

/// A description split from its `# Arguments` (or `# Parameters`) section.
#[derive(Debug, PartialEq)]
pub(crate) struct Described {
    /// The text without the section, so the model is not charged for it twice.
    pub(crate) description: String,
    /// `(parameter, description)` pairs from the section's list items.
    pub(crate) arguments: Vec<(String, String)>,
}

/// Splits rustdoc's conventional argument list out of a description:
///
/// ```text
/// # Arguments
///
/// * `a` - The first addend.
/// * `b` - The second addend,
///   continued on an indented line.
/// ```
pub(crate) fn split_arguments(text: &str) -> Described {
    let mut description = Vec::new();
    let mut arguments: Vec<(String, String)> = Vec::new();
    let mut section_level: Option<usize> = None;
    for line in text.lines() {
        if let Some(level) = heading_level(line) {
            let title = line.trim_start_matches('#').trim().to_ascii_lowercase();
            if matches!(title.as_str(), "arguments" | "parameters" | "args") {
                section_level = Some(level);
                continue;
            }
            if section_level.is_some_and(|open| level <= open) {
                section_level = None;
            }
        }
        if section_level.is_none() {
            description.push(line);
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(item) = trimmed.strip_prefix("* ").or_else(|| trimmed.strip_prefix("- ")) {
            if let Some(argument) = parse_item(item) {
                arguments.push(argument);
            }
        } else if !trimmed.is_empty()
            && line.starts_with(char::is_whitespace)
            && let Some((_, text)) = arguments.last_mut()
        {
            text.push(' ');
            text.push_str(trimmed);
        }
    }
    Described { description: description.join("\n").trim().to_owned(), arguments }
}

fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then_some(hashes)
}

/// `` `name` - text ``, `` `name`: text ``, `name - text` or `name: text`.
fn parse_item(item: &str) -> Option<(String, String)> {
    let (name, rest) = match item.strip_prefix('`') {
        Some(quoted) => {
            let end = quoted.find('`')?;
            (&quoted[..end], &quoted[end + 1..])
        }
        None => {
            let end = item.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
            (&item[..end], &item[end..])
        }
    };
    let rest = rest.trim_start();
    let text = rest.strip_prefix('-').or_else(|| rest.strip_prefix(':')).or_else(|| rest.strip_prefix('—'))?;
    let name = name.trim();
    (!name.is_empty()).then(|| (name.to_owned(), text.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn doc_text_dedents_and_trims() {
        let item: syn::ItemFn = parse_quote! {
            /// Add two numbers.
            ///
            ///     indented code
            /// Last line.
            fn f() {}
        };
        assert_eq!(doc_text(&item.attrs).unwrap(), "Add two numbers.\n\n    indented code\nLast line.");
    }

    #[test]
    fn doc_text_is_none_without_docs() {
        let item: syn::ItemFn = parse_quote! { #[inline] fn f() {} };
        assert_eq!(doc_text(&item.attrs), None);
        let blank: syn::ItemFn = parse_quote! { ///
        fn f() {} };
        assert_eq!(doc_text(&blank.attrs), None);
    }

    #[test]
    fn arguments_section_is_split_out() {
        let text = "Add two numbers.\n\n# Arguments\n\n* `a` - The first addend.\n* `b` - The second\n  addend.\n\n# Errors\n\nNever.";
        let described = split_arguments(text);
        assert_eq!(described.description, "Add two numbers.\n\n# Errors\n\nNever.");
        assert_eq!(
            described.arguments,
            vec![("a".into(), "The first addend.".into()), ("b".into(), "The second addend.".into())]
        );
    }

    #[test]
    fn parameters_heading_and_colon_items_are_accepted() {
        let described = split_arguments("Sum.\n\n## Parameters\n- x: first\n- `y`: second");
        assert_eq!(described.description, "Sum.");
        assert_eq!(described.arguments, vec![("x".into(), "first".into()), ("y".into(), "second".into())]);
    }

    #[test]
    fn text_without_section_is_unchanged() {
        let described = split_arguments("Just text.\n* a list - not arguments");
        assert_eq!(described.description, "Just text.\n* a list - not arguments");
        assert!(described.arguments.is_empty());
    }

    #[test]
    fn a_hash_without_space_is_not_a_heading() {
        assert_eq!(heading_level("#hashtag"), None);
        assert_eq!(heading_level("### Arguments"), Some(3));
    }
}
