//! Reading, listing and changing the project's files, all through `sandbox::Root`: no path a
//! model gives can reach outside the root, whatever its spelling or the symlinks on the way.

use mcp_runtime::{
    prelude::*,
    resource::FileContents,
    sandbox::{Root, SandboxError},
};
use serde::Serialize;

use crate::{scopes::Scope, walk::project_files};

/// Read a text file of the project, whole or a window of bytes.
#[mcp_tool(read_only, scopes = [Scope::FilesRead])]
pub async fn read_file(
    root: State<Root>,
    /// The file, relative to the project root, e.g. `src/main.rs`.
    path: String,
    /// Start at this byte (default 0).
    offset: Option<u64>,
    /// Read at most this many bytes (default: to the end).
    limit: Option<u64>,
) -> Result<String, ToolError> {
    Ok(root.read_text(&path, offset.unwrap_or(0), limit).await?)
}

/// Files of the project.
#[derive(Serialize, schemars::JsonSchema)]
pub struct FileList {
    /// Paths relative to the root, in order.
    pub paths: Vec<String>,
    /// Whether more files matched than were returned.
    pub truncated: bool,
}

/// The most paths one listing returns.
const MAX_LISTED: usize = 2_000;

/// List the project's files as git sees them (`.gitignore` respected, hidden files skipped),
/// optionally under one directory and matching a glob.
#[mcp_tool(read_only, scopes = [Scope::FilesRead])]
pub async fn list_files(
    root: State<Root>,
    /// A directory relative to the root; empty for the whole project.
    #[serde(default)]
    path: String,
    /// Only files matching this glob, e.g. `*.rs` or `src/**/*.py`.
    glob: Option<String>,
    /// The most paths to return (default and maximum 2000).
    limit: Option<usize>,
) -> Result<FileList, ToolError> {
    let limit = limit.unwrap_or(MAX_LISTED).min(MAX_LISTED);
    let root = root.clone();
    let globs: Vec<String> = glob.into_iter().collect();
    tokio::task::spawn_blocking(move || {
        let mut paths: Vec<String> = project_files(&root, &path, &globs)?.take(limit + 1).collect();
        let truncated = paths.len() > limit;
        paths.truncate(limit);
        Ok(FileList { paths, truncated })
    })
    .await
    .map_err(|error| ToolError::new(format!("listing failed: {error}")))?
}

/// Write a text file of the project, replacing it if it exists and creating missing directories.
#[mcp_tool(idempotent, scopes = [Scope::FilesWrite])]
pub async fn write_file(
    root: State<Root>,
    /// The file, relative to the root.
    path: String,
    /// The new contents.
    content: String,
) -> Result<String, ToolError> {
    let relative = root.check(&path)?;
    let bytes = content.len();
    let parent = relative.parent().and_then(|parent| parent.to_str()).filter(|parent| !parent.is_empty());
    // Missing directories are made only when the parent is missing, so a parent that exists as
    // a symlink out is reported as such by the write, not as "already exists" by the mkdir.
    if let Some(parent) = parent
        && matches!(root.info(parent).await, Err(SandboxError::NotFound(_)))
    {
        root.create_dir(parent).await?;
    }
    root.write(&path, content).await?;
    Ok(format!("wrote {bytes} bytes to `{path}`"))
}

/// Replace one exact piece of text in a file of the project with another. The text must occur
/// exactly once unless `replace_all` is set, so an edit never lands somewhere unintended.
#[mcp_tool(scopes = [Scope::FilesWrite])]
pub async fn edit_file(
    root: State<Root>,
    /// The file, relative to the root.
    path: String,
    /// The text to replace, exactly as in the file (whitespace included).
    old_text: String,
    /// What to put in its place.
    new_text: String,
    /// Replace every occurrence rather than requiring exactly one.
    #[serde(default)]
    replace_all: bool,
) -> Result<String, ToolError> {
    if old_text.is_empty() {
        return Err(ToolError::invalid_argument("old_text", "must not be empty"));
    }
    let text = root.read_to_string(&path).await?;
    let occurrences = text.matches(&old_text).count();
    match occurrences {
        0 => return Err(ToolError::invalid_argument("old_text", format!("does not occur in `{path}`"))),
        1 => {}
        many if !replace_all => {
            return Err(ToolError::invalid_argument(
                "old_text",
                format!("occurs {many} times in `{path}`; include more surrounding text, or set `replace_all`"),
            ));
        }
        _ => {}
    }
    root.write(&path, text.replace(&old_text, &new_text)).await?;
    Ok(format!("replaced {occurrences} occurrence(s) in `{path}`"))
}

/// A file of the project, by path: text as text, anything else (an image, a PDF) as a base64
/// blob, each with the MIME type its name implies.
#[mcp_resource(uri = "file:///{+path}", scopes = [Scope::FilesRead])]
pub async fn project_file(root: State<Root>, path: String) -> Result<FileContents, ToolError> {
    let bytes = root.read(&path).await?;
    Ok(FileContents::new(bytes, mime_guess::from_path(&path).first_or_octet_stream().essence_str()))
}
