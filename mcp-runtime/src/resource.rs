//! Resources: fixed URIs and URI templates, matched at read time, and what a resource function
//! may return.

mod contents;
mod definition;
mod listing;
mod macro_support;
mod template;
mod variables;

use std::{future::Future, pin::Pin};

pub use contents::{FileContents, IntoResourceContents};
pub use definition::ResourceDefinition;
pub use listing::Lister;
pub use macro_support::{MimeTypeOf, ViaResourceContents, ViaUnconvertible, resource_contents};
pub use template::Segment;
pub use variables::{UriVariable, UriVariables};

use crate::failure::Failure;

/// How a resource's read fails; the same failure every kind of item has.
#[doc(hidden)]
pub type ResourceError = Failure;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
