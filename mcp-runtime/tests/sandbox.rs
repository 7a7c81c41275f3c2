//! `sandbox::Root` against a corpus of escapes: every spelling of leaving the root fails with a
//! precise error, symlinks out (and a directory swapped for a symlink) are refused when
//! followed, and the ordinary failures are distinct.
#![cfg(all(feature = "sandbox", unix))]

use std::{
    os::unix::fs::symlink,
    path::{Path, PathBuf},
};

use mcp_runtime::sandbox::{Root, SandboxError};

/// A fresh directory holding a root (`root/`) and a secret beside it (`secret.txt`), removed
/// when dropped.
struct Scene {
    base: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let base = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(base.path().join("root/docs")).unwrap();
        std::fs::write(base.path().join("secret.txt"), "the secret").unwrap();
        std::fs::write(base.path().join("root/docs/readme.md"), "# inside").unwrap();
        std::fs::write(base.path().join("root/data.bin"), [0xff, 0xfe, 0x00]).unwrap();
        Self { base }
    }

    fn path(&self) -> &Path {
        self.base.path()
    }

    fn root_path(&self) -> PathBuf {
        self.path().join("root")
    }

    fn root(&self) -> Root {
        Root::open(self.root_path()).unwrap()
    }
}

fn is_refusal(error: &SandboxError) -> bool {
    matches!(error, SandboxError::InvalidPath { .. } | SandboxError::Outside(_))
}

#[tokio::test]
async fn every_spelling_of_leaving_the_root_is_refused() {
    let scene = Scene::new();
    let root = scene.root();
    let secret = scene.path().join("secret.txt");
    let corpus = [
        "../secret.txt".to_owned(),
        "docs/../../secret.txt".to_owned(),
        "./../secret.txt".to_owned(),
        "docs/./../..//secret.txt".to_owned(),
        secret.display().to_string(),
        "/etc/passwd".to_owned(),
        "..".to_owned(),
        "..\\secret.txt".to_owned(),
        "docs\\..\\..\\secret.txt".to_owned(),
        "C:\\Windows\\win.ini".to_owned(),
        "docs/readme.md\0../../secret.txt".to_owned(),
        "\0".to_owned(),
    ];
    for path in &corpus {
        let read = root.read_to_string(path).await.unwrap_err();
        assert!(is_refusal(&read), "{path:?}: {read:?}");
        assert!(!read.to_string().contains("the secret"));
        let wrote = root.write(path, "pwned").await.unwrap_err();
        assert!(is_refusal(&wrote), "{path:?}: {wrote:?}");
        assert!(is_refusal(&root.info(path).await.unwrap_err()), "{path:?}");
        assert!(is_refusal(&root.remove_file(path).await.unwrap_err()), "{path:?}");
    }
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "the secret");
    // The messages say what is wrong.
    let dotdot = root.read_to_string("../secret.txt").await.unwrap_err().to_string();
    assert_eq!(
        dotdot,
        "`../secret.txt` is not allowed: it contains `..`; give a path relative to the root, like `src/main.rs`"
    );
}

#[tokio::test]
async fn symlinks_out_of_the_root_are_refused_when_followed() {
    let scene = Scene::new();
    let root_path = scene.root_path();
    symlink(scene.path().join("secret.txt"), root_path.join("link-to-secret")).unwrap();
    symlink(scene.path(), root_path.join("link-to-parent")).unwrap();
    symlink("/etc", root_path.join("etc")).unwrap();
    symlink("docs/readme.md", root_path.join("link-inside")).unwrap();
    let root = scene.root();

    for path in ["link-to-secret", "link-to-parent/secret.txt", "etc/passwd"] {
        let error = root.read_to_string(path).await.unwrap_err();
        assert_eq!(error, SandboxError::Outside(path.to_owned()), "{path}");
        let error = root.write(path, "pwned").await.unwrap_err();
        assert_eq!(error, SandboxError::Outside(path.to_owned()), "{path}");
        let error = root.open_file(path).unwrap_err();
        assert_eq!(error, SandboxError::Outside(path.to_owned()), "{path}");
    }
    for path in ["link-to-parent", "etc", "link-to-parent/secret.txt"] {
        assert_eq!(root.real_path(path).unwrap_err(), SandboxError::Outside(path.to_owned()), "{path}");
    }
    assert_eq!(root.real_path("link-inside").unwrap(), root.path().join("docs/readme.md"));
    assert!(matches!(root.list("link-to-parent").await.unwrap_err(), SandboxError::Outside(_)));
    // A link that stays inside is followed.
    assert_eq!(root.read_to_string("link-inside").await.unwrap(), "# inside");
    // Described, not followed.
    assert_eq!(root.info("link-to-secret").await.unwrap().kind, "symlink");
    assert_eq!(std::fs::read_to_string(scene.path().join("secret.txt")).unwrap(), "the secret");
}

/// Check-then-use races lose: a directory that passes any check, swapped for a symlink out
/// before the open, is still refused, because the open itself walks under the root's handle.
#[tokio::test]
async fn a_directory_swapped_for_a_symlink_is_still_refused() {
    let scene = Scene::new();
    let root = scene.root();
    let docs: &Path = &scene.root_path().join("docs");
    std::fs::write(docs.join("secret.txt"), "harmless").unwrap();
    assert_eq!(root.read_to_string("docs/secret.txt").await.unwrap(), "harmless");
    std::fs::remove_dir_all(docs).unwrap();
    symlink(scene.path(), docs).unwrap();
    let error = root.read_to_string("docs/secret.txt").await.unwrap_err();
    assert_eq!(error, SandboxError::Outside("docs/secret.txt".to_owned()));
}

#[tokio::test]
async fn ordinary_failures_are_distinct() {
    let scene = Scene::new();
    let root = scene.root().max_file_bytes(4);
    assert_eq!(root.read_to_string("nope.txt").await.unwrap_err(), SandboxError::NotFound("nope.txt".into()));
    assert_eq!(root.read_to_string("docs").await.unwrap_err(), SandboxError::IsADirectory("docs".into()));
    assert_eq!(
        root.read_to_string("docs/readme.md").await.unwrap_err(),
        SandboxError::TooLarge { path: "docs/readme.md".into(), size: 8, limit: 4 }
    );
    // A window within the limit is fine.
    assert_eq!(root.read_text("docs/readme.md", 2, Some(4)).await.unwrap(), "insi");
    assert_eq!(root.read_to_string("data.bin").await.unwrap_err(), SandboxError::NotText("data.bin".into()));
    assert_eq!(root.list("docs/readme.md").await.unwrap_err(), SandboxError::NotADirectory("docs/readme.md".into()));
    assert_eq!(root.write("docs", "x").await.unwrap_err(), SandboxError::IsADirectory("docs".into()));
    assert_eq!(
        root.write("big.txt", "12345").await.unwrap_err().to_string(),
        "`big.txt` is 5 bytes, more than the limit of 4 bytes; read it in parts with an offset and limit"
    );
    assert_eq!(root.rename("data.bin", "docs").await.unwrap_err(), SandboxError::AlreadyExists("docs".into()));
    assert_eq!(root.remove_file("docs").await.unwrap_err(), SandboxError::IsADirectory("docs".into()));

    let only_markdown = scene.root().allow_extensions(["md"]);
    assert!(only_markdown.read_to_string("docs/readme.md").await.is_ok());
    assert_eq!(
        only_markdown.read_to_string("data.bin").await.unwrap_err().to_string(),
        "`data.bin`: only files ending in `.md` may be used"
    );
    // A tool can `?` them: the missing file is a not-found error.
    let tool_error = mcp_runtime::ToolError::from(SandboxError::NotFound("x".into()));
    assert!(tool_error.is_not_found());
}
