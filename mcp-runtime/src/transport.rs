//! Transports the runtime serves on.

pub(crate) mod http;
pub(crate) mod stdio;
