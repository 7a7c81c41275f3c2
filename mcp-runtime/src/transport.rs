//! Transports the runtime serves on.

#[cfg(feature = "http")]
pub(crate) mod http;
pub(crate) mod input_ended;
pub(crate) mod ping;
pub(crate) mod stdio;
