//! Transports the runtime serves on.

pub(crate) mod stdio;
