//! File access bounded by a root directory, for tools that take paths from a model (cargo
//! feature `sandbox`, on by default).
//!
//! Every path is resolved relative to an open handle on the root, never as a string joined to
//! it and checked afterwards: the operating system walks each component under the handle
//! ([cap-std](https://docs.rs/cap-std)), so a symlink that points out of the root, including one
//! swapped in between a check and a use, is refused when it is followed. Paths are also refused
//! up front, with a precise reason, when they are absolute, contain `..`, a NUL byte or a
//! backslash, so a model learns the rule rather than guessing at it.
//!
//! A tool can `?` a [`SandboxError`]: its message is what the model reads, and a missing file
//! is a not-found error (from a resource, the protocol's resource-not-found).

mod error;
mod listing;
mod paths;
mod read;
mod write;

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use cap_std::{ambient_authority, fs::Dir};

pub use error::SandboxError;
pub use listing::{DirEntry, FileInfo};

/// A directory that paths given to it cannot leave.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// # let scratch = tempfile::tempdir().unwrap();
/// let dir = scratch.path();
/// std::fs::write(dir.join("notes.txt"), "hello").unwrap();
///
/// let root = mcp_runtime::sandbox::Root::open(&dir).unwrap();
/// assert_eq!(root.read_to_string("notes.txt").await.unwrap(), "hello");
/// let escape = root.read_to_string("../etc/passwd").await.unwrap_err();
/// assert!(escape.to_string().contains("`..`"));
/// # }
/// ```
#[derive(Clone)]
pub struct Root {
    dir: Arc<Dir>,
    path: PathBuf,
    max_file_bytes: u64,
    extensions: Option<Arc<[String]>>,
}

impl std::fmt::Debug for Root {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Root").field("path", &self.path).field("max_file_bytes", &self.max_file_bytes).finish()
    }
}

const DEFAULT_MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

impl Root {
    /// Opens `path` as the root. Files up to 10 MiB may be read or written at once, with any
    /// extension, until said otherwise. The error names the directory.
    ///
    /// ```
    /// let root = mcp_runtime::sandbox::Root::open(std::env::temp_dir()).unwrap();
    /// assert!(root.path().is_absolute());
    /// let missing = mcp_runtime::sandbox::Root::open("/no/such/dir").unwrap_err();
    /// assert!(missing.to_string().starts_with("cannot open the root `/no/such/dir`: "));
    /// ```
    pub fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        // The error names the directory, as every caller would otherwise have to.
        let named = |error: std::io::Error| {
            std::io::Error::new(error.kind(), format!("cannot open the root `{}`: {error}", path.as_ref().display()))
        };
        let path = std::fs::canonicalize(path.as_ref()).map_err(named)?;
        let dir = Dir::open_ambient_dir(&path, ambient_authority()).map_err(named)?;
        Ok(Self { dir: Arc::new(dir), path, max_file_bytes: DEFAULT_MAX_FILE_BYTES, extensions: None })
    }

    /// The largest file read or written at once.
    ///
    /// ```
    /// let root = mcp_runtime::sandbox::Root::open(std::env::temp_dir()).unwrap().max_file_bytes(1 << 20);
    /// ```
    pub fn max_file_bytes(mut self, bytes: u64) -> Self {
        self.max_file_bytes = bytes;
        self
    }

    /// Only files with these extensions (without the dot, any case) may be read or written.
    ///
    /// ```
    /// let root = mcp_runtime::sandbox::Root::open(std::env::temp_dir()).unwrap().allow_extensions(["md", "txt"]);
    /// ```
    pub fn allow_extensions<S: Into<String>>(mut self, extensions: impl IntoIterator<Item = S>) -> Self {
        let extensions: Vec<String> = extensions.into_iter().map(|extension| extension.into().to_lowercase()).collect();
        self.extensions = Some(extensions.into());
        self
    }

    /// The root's absolute path.
    ///
    /// ```
    /// let root = mcp_runtime::sandbox::Root::open(".").unwrap();
    /// assert_eq!(root.path(), std::fs::canonicalize(".").unwrap());
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs blocking file work off the async threads, with the root's handle.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Dir) -> Result<T, SandboxError> + Send + 'static,
    ) -> Result<T, SandboxError> {
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || work(&dir)).await.unwrap_or_else(|error| {
            Err(SandboxError::Io { path: String::new(), message: format!("the file operation failed: {error}") })
        })
    }
}
