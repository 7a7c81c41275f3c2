//! Reading through a root: whole files or windows of them, as text or bytes, and the real
//! path or an open file for code that walks many files itself.

use std::{
    io::{Read, Seek, SeekFrom},
    path::PathBuf,
};

use super::{Root, SandboxError, error::classify};

impl Root {
    /// The whole text file at `path`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let root = mcp_runtime::sandbox::Root::open(env!("CARGO_MANIFEST_DIR")).unwrap();
    /// assert!(root.read_to_string("Cargo.toml").await.unwrap().contains("mcp-runtime"));
    /// # }
    /// ```
    pub async fn read_to_string(&self, path: &str) -> Result<String, SandboxError> {
        self.read_text(path, 0, None).await
    }

    /// Up to `limit` bytes of the text file at `path`, from byte `offset` (cut back to a
    /// character boundary), for files too large to read whole.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let root = mcp_runtime::sandbox::Root::open(env!("CARGO_MANIFEST_DIR")).unwrap();
    /// assert_eq!(root.read_text("Cargo.toml", 0, Some(9)).await.unwrap(), "[package]");
    /// # }
    /// ```
    pub async fn read_text(&self, path: &str, offset: u64, limit: Option<u64>) -> Result<String, SandboxError> {
        let given = path.to_owned();
        let bytes = self.read_window(path, offset, limit).await?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            // A window may cut a character in two; the whole file must still be text.
            Err(error) if limit.is_some() && error.utf8_error().error_len().is_none() => {
                let valid = error.utf8_error().valid_up_to();
                let mut bytes = error.into_bytes();
                bytes.truncate(valid);
                String::from_utf8(bytes).map_err(|_| SandboxError::NotText(given))
            }
            Err(_) => Err(SandboxError::NotText(given)),
        }
    }

    /// The whole file at `path` as bytes, text or not (an image, a PDF), within the size limit.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let root = mcp_runtime::sandbox::Root::open(env!("CARGO_MANIFEST_DIR")).unwrap();
    /// assert!(root.read("Cargo.toml").await.unwrap().starts_with(b"[package]"));
    /// # }
    /// ```
    pub async fn read(&self, path: &str) -> Result<Vec<u8>, SandboxError> {
        self.read_window(path, 0, None).await
    }

    /// Up to `limit` bytes from `offset`, refused when that is more than the size limit.
    async fn read_window(&self, path: &str, offset: u64, limit: Option<u64>) -> Result<Vec<u8>, SandboxError> {
        let relative = self.checked_file(path)?;
        let (given, max) = (path.to_owned(), self.max_file_bytes);
        self.blocking(move |dir| {
            let mut file = dir.open(&relative).map_err(|error| classify(&given, error))?;
            let metadata = file.metadata().map_err(|error| classify(&given, error))?;
            if metadata.is_dir() {
                return Err(SandboxError::IsADirectory(given));
            }
            let remaining = metadata.len().saturating_sub(offset);
            let wanted = limit.map_or(remaining, |limit| limit.min(remaining));
            if wanted > max {
                return Err(SandboxError::TooLarge { path: given, size: wanted, limit: max });
            }
            file.seek(SeekFrom::Start(offset)).map_err(|error| classify(&given, error))?;
            let mut bytes = Vec::with_capacity(usize::try_from(wanted).unwrap_or(0));
            file.take(wanted).read_to_end(&mut bytes).map_err(|error| classify(&given, error))?;
            Ok(bytes)
        })
        .await
    }

    /// Where `path` really is on disk, every symlink on the way resolved, for code that needs a
    /// path rather than the root's handle: the start of a directory walk, a process's working
    /// directory. Refused as [`SandboxError::Outside`] unless it is still under the root.
    /// Blocking. What lies there can change after this returns (only the operations through the
    /// handle are immune to a swap), so use the answer as where to start, and open files
    /// through the root.
    ///
    /// ```
    /// let root = mcp_runtime::sandbox::Root::open(env!("CARGO_MANIFEST_DIR")).unwrap();
    /// assert_eq!(root.real_path("src").unwrap(), root.path().join("src"));
    /// assert_eq!(root.real_path("").unwrap(), root.path());
    /// assert!(root.real_path("missing").unwrap_err().to_string().contains("does not exist"));
    /// ```
    pub fn real_path(&self, path: &str) -> Result<PathBuf, SandboxError> {
        let relative = self.check(path)?;
        match std::fs::canonicalize(self.path.join(relative)) {
            Ok(real) if real.starts_with(&self.path) => Ok(real),
            Ok(_) => Err(SandboxError::Outside(path.to_owned())),
            Err(error) => Err(classify(path, error)),
        }
    }

    /// Opens the file at `path` for reading, under the root's handle, for code that reads many
    /// files on one blocking thread (a search, an indexer) rather than one call per file.
    /// Blocking: call it from `spawn_blocking` or a thread of your own. The extension
    /// allow-list applies; the size limit does not (the caller reads as much as it wants).
    ///
    /// ```
    /// use std::io::Read;
    /// let root = mcp_runtime::sandbox::Root::open(env!("CARGO_MANIFEST_DIR")).unwrap();
    /// let mut text = String::new();
    /// root.open_file("Cargo.toml").unwrap().read_to_string(&mut text).unwrap();
    /// assert!(text.starts_with("[package]"));
    /// assert!(root.open_file("src").unwrap_err().to_string().contains("is a directory"));
    /// assert!(root.open_file("../Cargo.toml").is_err());
    /// ```
    pub fn open_file(&self, path: &str) -> Result<std::fs::File, SandboxError> {
        let relative = self.checked_file(path)?;
        let file = self.dir.open(&relative).map_err(|error| classify(path, error))?;
        let metadata = file.metadata().map_err(|error| classify(path, error))?;
        if metadata.is_dir() {
            return Err(SandboxError::IsADirectory(path.to_owned()));
        }
        Ok(file.into_std())
    }
}
