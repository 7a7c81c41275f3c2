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

use std::{
    io::{Read, Seek, SeekFrom},
    path::{Component, Path, PathBuf},
    sync::Arc,
};

use cap_std::{ambient_authority, fs::Dir};

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

/// What [`Root::info`] tells about a path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct FileInfo {
    /// The path as given, relative to the root.
    pub path: String,
    /// `file`, `directory` or `symlink`.
    pub kind: &'static str,
    /// Size in bytes.
    pub size: u64,
    /// Last modification, seconds since the Unix epoch, when known.
    pub modified: Option<u64>,
    /// Whether the file can only be read.
    pub read_only: bool,
}

/// One entry of [`Root::list`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct DirEntry {
    /// The entry's name.
    pub name: String,
    /// `file`, `directory` or `symlink`.
    pub kind: &'static str,
    /// Size in bytes (0 for directories).
    pub size: u64,
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

    /// Checks `path` without touching the file system: the relative path operations use.
    /// `""` and `"."` name the root itself.
    ///
    /// ```
    /// let root = mcp_runtime::sandbox::Root::open(".").unwrap();
    /// assert!(root.check("src/lib.rs").is_ok());
    /// for bad in ["/etc/passwd", "../x", "a/../../x", "a\\b", "a\0b"] {
    ///     assert!(root.check(bad).is_err(), "{bad:?}");
    /// }
    /// ```
    pub fn check(&self, path: &str) -> Result<PathBuf, SandboxError> {
        let invalid = |reason| SandboxError::InvalidPath { path: path.to_owned(), reason };
        if path.contains('\0') {
            return Err(invalid("it contains a NUL byte"));
        }
        if path.contains('\\') {
            return Err(invalid("it contains a backslash (use `/` between directories)"));
        }
        let mut relative = PathBuf::new();
        for component in Path::new(path).components() {
            match component {
                Component::Normal(part) => relative.push(part),
                Component::CurDir => {}
                Component::ParentDir => return Err(invalid("it contains `..`")),
                Component::RootDir | Component::Prefix(_) => return Err(invalid("it is absolute")),
            }
        }
        if relative.as_os_str().is_empty() {
            relative.push(".");
        }
        Ok(relative)
    }

    fn checked_file(&self, path: &str) -> Result<PathBuf, SandboxError> {
        let relative = self.check(path)?;
        if let Some(allowed) = &self.extensions {
            let extension = relative.extension().and_then(|extension| extension.to_str()).map(str::to_lowercase);
            if !extension.is_some_and(|extension| allowed.contains(&extension)) {
                let allowed = allowed.iter().map(|extension| format!("`.{extension}`")).collect::<Vec<_>>().join(", ");
                return Err(SandboxError::ExtensionNotAllowed { path: path.to_owned(), allowed });
            }
        }
        Ok(relative)
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

    /// Writes `contents` to the file at `path`, replacing it; its directory must exist.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// # let scratch = tempfile::tempdir().unwrap();
    /// let dir = scratch.path();
    /// let root = mcp_runtime::sandbox::Root::open(&dir).unwrap();
    /// root.write("a.txt", "hi").await.unwrap();
    /// assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), "hi");
    /// # }
    /// ```
    pub async fn write(&self, path: &str, contents: impl Into<Vec<u8>>) -> Result<(), SandboxError> {
        let relative = self.checked_file(path)?;
        let contents = contents.into();
        let size = u64::try_from(contents.len()).unwrap_or(u64::MAX);
        if size > self.max_file_bytes {
            return Err(SandboxError::TooLarge { path: path.to_owned(), size, limit: self.max_file_bytes });
        }
        let given = path.to_owned();
        self.blocking(move |dir| {
            if dir.is_dir(&relative) {
                return Err(SandboxError::IsADirectory(given));
            }
            dir.write(&relative, contents).map_err(|error| classify(&given, error))
        })
        .await
    }

    /// What is at `path`: kind, size, modification time. Symlinks are described, not followed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let root = mcp_runtime::sandbox::Root::open(env!("CARGO_MANIFEST_DIR")).unwrap();
    /// assert_eq!(root.info("src").await.unwrap().kind, "directory");
    /// # }
    /// ```
    pub async fn info(&self, path: &str) -> Result<FileInfo, SandboxError> {
        let relative = self.check(path)?;
        let given = path.to_owned();
        self.blocking(move |dir| {
            let metadata = dir.symlink_metadata(&relative).map_err(|error| classify(&given, error))?;
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.into_std().duration_since(std::time::UNIX_EPOCH).ok())
                .map(|since| since.as_secs());
            Ok(FileInfo {
                path: given,
                kind: kind(&metadata.file_type()),
                size: metadata.len(),
                modified,
                read_only: metadata.permissions().readonly(),
            })
        })
        .await
    }

    /// The entries of the directory at `path` (`""` for the root), sorted by name.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let root = mcp_runtime::sandbox::Root::open(env!("CARGO_MANIFEST_DIR")).unwrap();
    /// assert!(root.list("").await.unwrap().iter().any(|entry| entry.name == "Cargo.toml"));
    /// # }
    /// ```
    pub async fn list(&self, path: &str) -> Result<Vec<DirEntry>, SandboxError> {
        let relative = self.check(path)?;
        let given = path.to_owned();
        self.blocking(move |dir| {
            let entries = dir.read_dir(&relative).map_err(|error| classify(&given, error))?;
            let mut listed = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|error| classify(&given, error))?;
                let file_type = entry.file_type().map_err(|error| classify(&given, error))?;
                let size =
                    if file_type.is_file() { entry.metadata().map(|metadata| metadata.len()).unwrap_or(0) } else { 0 };
                let name = entry.file_name().to_string_lossy().into_owned();
                listed.push(DirEntry { name, kind: kind(&file_type), size });
            }
            listed.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(listed)
        })
        .await
    }

    /// Creates the directory at `path`, with any missing parents.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// # let scratch = tempfile::tempdir().unwrap();
    /// let dir = scratch.path();
    /// let root = mcp_runtime::sandbox::Root::open(&dir).unwrap();
    /// root.create_dir("a/b").await.unwrap();
    /// assert!(dir.join("a/b").is_dir());
    /// # }
    /// ```
    pub async fn create_dir(&self, path: &str) -> Result<(), SandboxError> {
        let relative = self.check(path)?;
        let given = path.to_owned();
        self.blocking(move |dir| dir.create_dir_all(&relative).map_err(|error| classify(&given, error))).await
    }

    /// Moves (renames) `from` to `to`; `to` must not exist.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// # let scratch = tempfile::tempdir().unwrap();
    /// let dir = scratch.path();
    /// std::fs::write(dir.join("a.txt"), "x").unwrap();
    /// let root = mcp_runtime::sandbox::Root::open(&dir).unwrap();
    /// root.rename("a.txt", "b.txt").await.unwrap();
    /// assert!(dir.join("b.txt").exists());
    /// # }
    /// ```
    pub async fn rename(&self, from: &str, to: &str) -> Result<(), SandboxError> {
        let (source, target) = (self.check(from)?, self.check(to)?);
        let (given_from, given_to) = (from.to_owned(), to.to_owned());
        self.blocking(move |dir| {
            if dir.symlink_metadata(&target).is_ok() {
                return Err(SandboxError::AlreadyExists(given_to));
            }
            dir.rename(&source, dir, &target).map_err(|error| classify(&given_from, error))
        })
        .await
    }

    /// Deletes the file at `path` (not a directory).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// # let scratch = tempfile::tempdir().unwrap();
    /// let dir = scratch.path();
    /// std::fs::write(dir.join("a.txt"), "x").unwrap();
    /// let root = mcp_runtime::sandbox::Root::open(&dir).unwrap();
    /// root.remove_file("a.txt").await.unwrap();
    /// assert!(!dir.join("a.txt").exists());
    /// # }
    /// ```
    pub async fn remove_file(&self, path: &str) -> Result<(), SandboxError> {
        let relative = self.check(path)?;
        let given = path.to_owned();
        self.blocking(move |dir| {
            if dir.symlink_metadata(&relative).is_ok_and(|metadata| metadata.is_dir()) {
                return Err(SandboxError::IsADirectory(given));
            }
            dir.remove_file(&relative).map_err(|error| classify(&given, error))
        })
        .await
    }
}

fn kind(file_type: &cap_std::fs::FileType) -> &'static str {
    if file_type.is_symlink() {
        "symlink"
    } else if file_type.is_dir() {
        "directory"
    } else {
        "file"
    }
}

/// The operating system's error as the distinct kinds a model can act on.
fn classify(path: &str, error: std::io::Error) -> SandboxError {
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
