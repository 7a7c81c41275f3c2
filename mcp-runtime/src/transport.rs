//! Transports the runtime serves on.

pub(crate) mod http;
pub(crate) mod ping;
pub(crate) mod stdio;
