//! The files of the project, as ripgrep sees them: `.gitignore`, `.ignore` and `.git/info/exclude`
//! respected, hidden files and directories skipped, symlinks not followed, in path order.

use std::path::PathBuf;

use ignore::{WalkBuilder, overrides::OverrideBuilder};
use mcp_runtime::{prelude::*, sandbox::Root};

/// The files under `start` (relative to the root; empty for the root itself), as paths relative
/// to the root with `/` between directories, optionally only those matching one of `globs`.
///
/// The walk itself never follows links: a symlink is not one of the project's files.
pub fn project_files(
    root: &Root,
    start: &str,
    globs: &[String],
) -> Result<impl Iterator<Item = String> + use<>, ToolError> {
    // The walk goes by path, so it starts where the path really leads, still under the root;
    // the files it finds are then opened through the root's handle.
    let absolute = root.real_path(start)?;

    let mut builder = WalkBuilder::new(&absolute);
    builder
        .follow_links(false)
        .hidden(true)
        // A project that is not (yet) a git repository still means its `.gitignore`.
        .require_git(false)
        .git_global(false)
        .sort_by_file_path(|a, b| a.cmp(b));
    if !globs.is_empty() {
        let mut overrides = OverrideBuilder::new(root.path());
        for glob in globs {
            overrides.add(glob).map_err(|error| {
                ToolError::invalid_argument("glob", format!("`{glob}` is not a valid glob: {error}"))
            })?;
        }
        builder.overrides(overrides.build().map_err(|error| ToolError::invalid_argument("glob", error))?);
    }

    let base: PathBuf = root.path().to_owned();
    Ok(builder.build().filter_map(move |entry| {
        // An unreadable directory is skipped, as ripgrep does: one bad corner should not fail a search.
        let entry = entry.ok()?;
        if !entry.file_type().is_some_and(|file_type| file_type.is_file()) {
            return None;
        }
        let relative = entry.path().strip_prefix(&base).ok()?;
        // Names that are not UTF-8 cannot be given back to the model as paths it could use.
        let relative = relative.to_str()?;
        Some(relative.replace(std::path::MAIN_SEPARATOR, "/"))
    }))
}
