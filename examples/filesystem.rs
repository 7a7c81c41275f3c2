//! A file-system server (the course's chapter 8): read, list, search and describe the files under
//! `--root`, and, only with `--allow-write`, write, create, move and delete them. Every path goes
//! through `mcp_runtime::sandbox::Root`, so nothing outside the root can be reached, whatever the
//! spelling or the symlinks. Files are also resources: `file:///{+path}`.
//!
//! ```text
//! cargo run --example filesystem -- --root ./examples                  # stdio, read-only
//! cargo run --example filesystem -- --root ./examples --allow-write --transport http --port 8000
//! ```
//!
//! Scopes over HTTP with an authenticator: `files:read` for the read tools, `files:write` to
//! write and create, `files:admin` to move and delete; `files:admin` implies `files:write`, which
//! implies `files:read`.

use std::path::PathBuf;

use clap::Parser;
use mcp_runtime::{
    auth::Scopes,
    cli::RuntimeArgs,
    prelude::*,
    resource::FileContents,
    sandbox::{DirEntry, FileInfo, Root},
};
use serde::Serialize;

/// The command line: the root and what may be done under it, plus every runtime option.
#[derive(Parser)]
#[command(about = "An MCP server for the files under one directory")]
struct Cli {
    /// The directory the server may use; nothing outside it can be reached.
    #[arg(long, env = "FILESYSTEM_ROOT", default_value = ".")]
    root: PathBuf,
    /// Offer `write_file`, `create_directory`, `move_file` and `delete_file`.
    #[arg(long, env = "FILESYSTEM_ALLOW_WRITE")]
    allow_write: bool,
    /// The largest file read or written at once, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_file_bytes: u64,
    /// Only files with these extensions (repeat, or comma-separate), e.g. `md,txt`.
    #[arg(long = "extension", value_delimiter = ',')]
    extensions: Vec<String>,
    #[command(flatten)]
    runtime: RuntimeArgs,
}

/// The scopes the tools require, declared once: a misspelt scope does not compile, and the server
/// takes the hierarchy (admin implies write, write implies read) and `scopes_supported` from here.
#[derive(Scopes)]
enum Scope {
    #[scope("files:read")]
    Read,
    #[scope("files:write", implies = [Read])]
    Write,
    #[scope("files:admin", implies = [Write, Read])]
    Admin,
}

/// The most entries a listing or search returns, so one call cannot flood the model.
const MAX_RESULTS: usize = 500;

/// Read a text file under the root, whole or a window of it.
#[mcp_tool(read_only, scopes = [Scope::Read])]
async fn read_file(
    root: State<Root>,
    /// The file, relative to the root, e.g. `src/main.rs`.
    path: String,
    /// Start at this byte (default 0).
    offset: Option<u64>,
    /// Read at most this many bytes (default: to the end).
    limit: Option<u64>,
) -> Result<String, ToolError> {
    Ok(root.read_text(&path, offset.unwrap_or(0), limit).await?)
}

/// A directory's entries.
#[derive(Serialize, schemars::JsonSchema)]
struct Listing {
    /// Entries, sorted by name.
    entries: Vec<DirEntry>,
    /// Whether more entries matched than were returned.
    truncated: bool,
}

/// List a directory under the root, optionally only the names matching a glob.
#[mcp_tool(read_only, scopes = [Scope::Read])]
async fn list_directory(
    root: State<Root>,
    /// The directory, relative to the root; empty for the root itself.
    #[serde(default)]
    path: String,
    /// Only names matching this glob, e.g. `*.rs` or `*.{md,txt}`.
    pattern: Option<String>,
) -> Result<Listing, ToolError> {
    let mut entries = root.list(&path).await?;
    if let Some(pattern) = &pattern {
        let glob = name_glob(pattern)?;
        entries.retain(|entry| glob.is_match(&entry.name));
    }
    let truncated = entries.len() > MAX_RESULTS;
    entries.truncate(MAX_RESULTS);
    Ok(Listing { entries, truncated })
}

/// Files found by a search.
#[derive(Serialize, schemars::JsonSchema)]
struct Found {
    /// Paths relative to the root.
    paths: Vec<String>,
    /// Whether the search stopped at the result cap.
    truncated: bool,
}

/// Find files under a directory whose names match a glob, searching subdirectories.
#[mcp_tool(read_only, scopes = [Scope::Read])]
async fn search_files(
    root: State<Root>,
    /// The glob to match file names against, e.g. `*.md` or `test_*`.
    pattern: String,
    /// Where to start, relative to the root; empty for the root itself.
    #[serde(default)]
    path: String,
) -> Result<Found, ToolError> {
    let glob = name_glob(&pattern)?;
    let mut paths = Vec::new();
    let mut pending = vec![path.trim_end_matches('/').to_owned()];
    while let Some(directory) = pending.pop() {
        for entry in root.list(&directory).await? {
            let child = if directory.is_empty() { entry.name.clone() } else { format!("{directory}/{}", entry.name) };
            if entry.kind == "directory" {
                pending.push(child.clone());
            }
            if glob.is_match(&entry.name) {
                paths.push(child);
                if paths.len() > MAX_RESULTS {
                    paths.truncate(MAX_RESULTS);
                    return Ok(Found { paths, truncated: true });
                }
            }
        }
    }
    paths.sort();
    Ok(Found { paths, truncated: false })
}

/// Describe a file or directory under the root: kind, size, modification time.
#[mcp_tool(read_only, scopes = [Scope::Read])]
async fn file_info(
    root: State<Root>,
    /// The path, relative to the root.
    path: String,
) -> Result<FileInfo, ToolError> {
    Ok(root.info(&path).await?)
}

/// Write a text file under the root, replacing it if it exists.
#[mcp_tool(idempotent, scopes = [Scope::Write])]
async fn write_file(
    root: State<Root>,
    /// The file, relative to the root; its directory must exist.
    path: String,
    /// The new contents.
    content: String,
) -> Result<String, ToolError> {
    let bytes = content.len();
    root.write(&path, content).await?;
    Ok(format!("wrote {bytes} bytes to `{path}`"))
}

/// Create a directory under the root, with any missing parents.
#[mcp_tool(idempotent, scopes = [Scope::Write])]
async fn create_directory(
    root: State<Root>,
    /// The directory, relative to the root.
    path: String,
) -> Result<String, ToolError> {
    root.create_dir(&path).await?;
    Ok(format!("created `{path}`"))
}

/// Move or rename a file or directory under the root; the destination must not exist.
#[mcp_tool(destructive, scopes = [Scope::Admin])]
async fn move_file(
    root: State<Root>,
    /// What to move, relative to the root.
    from: String,
    /// Where to, relative to the root.
    to: String,
) -> Result<String, ToolError> {
    root.rename(&from, &to).await?;
    Ok(format!("moved `{from}` to `{to}`"))
}

/// Delete a file under the root (not a directory).
#[mcp_tool(destructive, idempotent, scopes = [Scope::Admin])]
async fn delete_file(
    root: State<Root>,
    /// The file, relative to the root.
    path: String,
) -> Result<String, ToolError> {
    root.remove_file(&path).await?;
    Ok(format!("deleted `{path}`"))
}

/// A file under the root, by path: text as text, anything else (an image, a PDF) as a base64
/// blob, each with the MIME type its name implies.
#[mcp_resource(uri = "file:///{+path}", scopes = [Scope::Read])]
async fn file(root: State<Root>, path: String) -> Result<FileContents, ToolError> {
    let bytes = root.read(&path).await?;
    Ok(FileContents::new(bytes, mime_guess::from_path(&path).first_or_octet_stream().essence_str()))
}

/// `pattern` as a matcher of entry names (globset's syntax: `*`, `?`, `[abc]`, `{md,txt}`).
fn name_glob(pattern: &str) -> Result<globset::GlobMatcher, ToolError> {
    globset::Glob::new(pattern)
        .map(|glob| glob.compile_matcher())
        .map_err(|error| ToolError::invalid_argument("pattern", format!("`{pattern}` is not a valid glob: {error}")))
}

#[tokio::main]
async fn main() -> Result<(), ServeError> {
    let cli = Cli::parse();
    let root = Root::open(&cli.root)
        .map_err(|error| ServeError::startup(error.to_string()))?
        .max_file_bytes(cli.max_file_bytes);
    let root = if cli.extensions.is_empty() { root } else { root.allow_extensions(cli.extensions) };
    let mut server = Server::new("filesystem", env!("CARGO_PKG_VERSION"))
        .title("Files")
        .instructions(format!(
            "Files under {}. Paths are relative to it, with `/` between directories. {}",
            root.path().display(),
            if cli.allow_write { "Reading and writing are allowed." } else { "Read-only." }
        ))
        .state(root)
        .scopes::<Scope>()
        .register(handlers![read_file, list_directory, search_files, file_info, file]);
    let writes = || handlers![write_file, create_directory, move_file, delete_file];
    // Read-only: the write tools stay out on purpose, which the start-up check is told.
    server = if cli.allow_write { server.register(writes()) } else { server.leave_out(writes()) };
    server.run_with(cli.runtime).await
}
