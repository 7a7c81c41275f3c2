//! The rule every path given to a root obeys, checked before the file system is touched:
//! relative, without `..`, NUL or backslash, and (for files) with an allowed extension.

use std::path::{Component, Path, PathBuf};

use super::{Root, SandboxError};

impl Root {
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

    pub(super) fn checked_file(&self, path: &str) -> Result<PathBuf, SandboxError> {
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
}
