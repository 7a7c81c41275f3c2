//! Helpers shared by the test binaries that drive the example servers.

use std::path::PathBuf;

/// `cargo test` builds the examples next to the test binaries' `deps` directory.
#[allow(dead_code)] // each test binary uses the examples it drives
pub fn example(name: &str) -> tokio::process::Command {
    let mut path: PathBuf = std::env::current_exe().expect("the test binary knows its path");
    path.pop(); // the test binary
    if path.ends_with("deps") {
        path.pop();
    }
    path.push("examples");
    path.push(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} is missing; `cargo test` builds it", path.display());
    let mut command = tokio::process::Command::new(path);
    command.env("RUST_LOG", "warn");
    command
}

#[allow(dead_code)] // each test binary uses the examples it drives
pub fn quickstart() -> tokio::process::Command {
    example("quickstart")
}
