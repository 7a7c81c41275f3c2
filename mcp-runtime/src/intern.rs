//! Names and scope lists of items defined at run time, kept for the life of the process so
//! that they can be used where the macros' items use `&'static str` (lookups, metrics labels,
//! log fields). Each distinct value is kept once, however often it is defined again, so a
//! proxy that re-reads the same tools does not grow.

use std::{
    collections::HashSet,
    sync::{Mutex, OnceLock, PoisonError},
};

/// `text`, kept for the life of the process.
pub(crate) fn name(text: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Mutex::default).lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(kept) = names.get(text) {
        return kept;
    }
    let kept: &'static str = Box::leak(text.to_owned().into_boxed_str());
    names.insert(kept);
    kept
}

/// A list of scopes, kept for the life of the process.
pub(crate) fn scopes<S: AsRef<str>>(scopes: impl IntoIterator<Item = S>) -> &'static [&'static str] {
    static LISTS: OnceLock<Mutex<HashSet<&'static [&'static str]>>> = OnceLock::new();
    let list: Vec<&'static str> = scopes.into_iter().map(|scope| name(scope.as_ref())).collect();
    let mut lists = LISTS.get_or_init(Mutex::default).lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(kept) = lists.get(list.as_slice()) {
        return kept;
    }
    let kept: &'static [&'static str] = Box::leak(list.into_boxed_slice());
    lists.insert(kept);
    kept
}
