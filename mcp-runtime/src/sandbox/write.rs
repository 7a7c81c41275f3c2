//! Changing what is under a root: writing files, making directories, moving and deleting.

use super::{Root, SandboxError, error::classify};

impl Root {
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
