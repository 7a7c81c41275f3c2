//! Looking at what is under a root: one path's kind, size and times, or a directory's entries.

use super::{Root, SandboxError, error::classify};

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

impl Root {
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
