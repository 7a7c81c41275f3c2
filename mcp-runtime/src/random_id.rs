//! Ids that stand for access (a task's, a legacy SSE session's): whoever knows one reaches what
//! it names, so they cannot be guessed.

use std::fmt::Write;

/// 128 bits from the operating system's random source, as 32 hex digits.
pub(crate) fn random_id() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().fold(String::with_capacity(32), |mut id, byte| {
        // Writing to a String cannot fail.
        let _ = write!(id, "{byte:02x}");
        id
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_long_and_differ() {
        let (a, b) = (super::random_id().unwrap(), super::random_id().unwrap());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
