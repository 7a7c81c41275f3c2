//! What a server bounds so that one slow, crowded, buggy or greedy caller cannot take it down
//! for everyone else: the [`Limits`] a program configures, and the machinery that holds calls
//! to them (concurrency slots, the size of a result).

mod concurrency;
mod limits;
mod result_size;

pub(crate) use concurrency::Limiter;
pub use limits::Limits;
pub(crate) use result_size::result_exceeds;
