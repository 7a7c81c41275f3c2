//! Why a file operation under a root was refused or failed, in the distinct kinds a model can
//! act on.

/// Why a file operation was refused or failed; each is a distinct message for the model.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SandboxError {
    /// The path is not one the root accepts (absolute, `..`, NUL, backslash, empty).
    #[error("`{path}` is not allowed: {reason}; give a path relative to the root, like `src/main.rs`")]
    InvalidPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Following the path would leave the root (through a symlink).
    #[error("`{0}` leads outside the root directory")]
    Outside(String),
    /// Nothing exists at the path.
    #[error("`{0}` does not exist")]
    NotFound(String),
    /// The operating system refused access.
    #[error("permission denied for `{0}`")]
    PermissionDenied(String),
    /// A file was expected, a directory was found.
    #[error("`{0}` is a directory, not a file")]
    IsADirectory(String),
    /// A directory was expected, a file was found.
    #[error("`{0}` is not a directory")]
    NotADirectory(String),
    /// Something already exists where something new was to be made.
    #[error("`{0}` already exists")]
    AlreadyExists(String),
    /// The file is larger than the root allows reading or writing at once.
    #[error(
        "`{path}` is {size} bytes, more than the limit of {limit} bytes; read it in parts with an offset and limit"
    )]
    TooLarge {
        /// The path as given.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file's extension is not on the allow-list.
    #[error("`{path}`: only files ending in {allowed} may be used")]
    ExtensionNotAllowed {
        /// The path as given.
        path: String,
        /// The allowed extensions, listed.
        allowed: String,
    },
    /// The file is not UTF-8 text.
    #[error("`{0}` is not UTF-8 text")]
    NotText(String),
    /// Any other I/O failure.
    #[error("`{path}`: {message}")]
    Io {
        /// The path as given.
        path: String,
        /// The operating system's message.
        message: String,
    },
}

/// The operating system's error as the distinct kinds a model can act on.
pub(super) fn classify(path: &str, error: std::io::Error) -> SandboxError {
    use std::io::ErrorKind;
    let path = path.to_owned();
    // cap-std reports a walk out of the root as PermissionDenied with this message.
    if error.to_string().contains("outside of the filesystem") {
        return SandboxError::Outside(path);
    }
    match error.kind() {
        ErrorKind::NotFound => SandboxError::NotFound(path),
        ErrorKind::PermissionDenied => SandboxError::PermissionDenied(path),
        ErrorKind::IsADirectory => SandboxError::IsADirectory(path),
        ErrorKind::NotADirectory => SandboxError::NotADirectory(path),
        ErrorKind::AlreadyExists => SandboxError::AlreadyExists(path),
        _ => SandboxError::Io { path, message: error.to_string() },
    }
}
