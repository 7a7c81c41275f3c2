//! The file-system example end to end over stdio through rmcp's client: every tool, the
//! resource template, read-only unless `--allow-write`, and the traversal corpus refused
//! through the tools themselves.

use std::path::PathBuf;

use mcp_runtime::testing::{TestClient, text_of};
use serde_json::{Value, json};

mod support;

/// The start of a PNG file: its signature is not UTF-8.
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d];

/// A temporary tree: `root/` with a few files, and `secret.txt` beside it; removed when dropped.
struct Tree(tempfile::TempDir);

impl Tree {
    fn new() -> Self {
        let base = tempfile::tempdir().unwrap();
        let at = |relative: &str| base.path().join(relative);
        std::fs::create_dir_all(at("root/docs/guides")).unwrap();
        std::fs::write(at("root/docs/readme.md"), "# Readme\nhello").unwrap();
        std::fs::write(at("root/docs/guides/setup.md"), "setup").unwrap();
        std::fs::write(at("root/notes.txt"), "notes").unwrap();
        std::fs::write(at("root/logo.png"), PNG).unwrap();
        std::fs::write(at("secret.txt"), "the secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(at("secret.txt"), at("root/innocent.md")).unwrap();
        Self(base)
    }

    fn path(&self) -> &std::path::Path {
        self.0.path()
    }

    fn root(&self) -> PathBuf {
        self.path().join("root")
    }
}

async fn serve(tree: &Tree, extra: &[&str]) -> TestClient {
    let mut command = support::example("filesystem");
    command.arg("--root").arg(tree.root()).args(extra);
    TestClient::spawn(command).await.unwrap()
}

async fn names(client: &TestClient) -> Vec<String> {
    client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.into_owned()).collect()
}

fn structured(result: &rmcp::model::CallToolResult) -> &Value {
    result.structured_content.as_ref().expect("structured content")
}

#[tokio::test]
async fn read_only_by_default_and_every_read_tool_works() {
    let tree = Tree::new();
    let client = serve(&tree, &[]).await;
    assert_eq!(names(&client).await, ["file_info", "list_directory", "read_file", "search_files"]);

    assert_eq!(client.call_text("read_file", json!({"path": "docs/readme.md"})).await.unwrap(), "# Readme\nhello");
    assert_eq!(
        client.call_text("read_file", json!({"path": "docs/readme.md", "offset": 2, "limit": 6})).await.unwrap(),
        "Readme"
    );

    let listed = client.call_tool("list_directory", json!({})).await.unwrap();
    let entries: Vec<&str> = structured(&listed)["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap())
        .collect();
    assert_eq!(entries, ["docs", "innocent.md", "logo.png", "notes.txt"]);
    let markdown = client.call_tool("list_directory", json!({"path": "docs", "pattern": "*.md"})).await.unwrap();
    assert_eq!(structured(&markdown)["entries"][0]["name"], "readme.md");

    let found = client.call_tool("search_files", json!({"pattern": "*.md", "path": "docs"})).await.unwrap();
    assert_eq!(structured(&found)["paths"], json!(["docs/guides/setup.md", "docs/readme.md"]));
    let either = client.call_tool("search_files", json!({"pattern": "{notes,setup}.*"})).await.unwrap();
    assert_eq!(structured(&either)["paths"], json!(["docs/guides/setup.md", "notes.txt"]));
    let bad = client.call_tool("search_files", json!({"pattern": "[unclosed"})).await.unwrap();
    assert!(text_of(&bad).contains("`[unclosed` is not a valid glob"), "{}", text_of(&bad));

    let info = client.call_tool("file_info", json!({"path": "notes.txt"})).await.unwrap();
    assert_eq!(structured(&info)["kind"], "file");
    assert_eq!(structured(&info)["size"], 5);

    let read = client.read_resource("file:///docs/guides/setup.md").await.unwrap();
    let rmcp::model::ResourceContents::TextResourceContents { text, .. } = &read.contents[0] else {
        panic!("{read:?}")
    };
    assert_eq!(text, "setup");
    let read = client.read_resource("file:///docs/readme.md").await.unwrap();
    let rmcp::model::ResourceContents::TextResourceContents { mime_type, .. } = &read.contents[0] else {
        panic!("{read:?}")
    };
    assert_eq!(mime_type.as_deref(), Some("text/markdown"));

    // A binary file is a blob with its MIME type as a resource; the text tool refuses it.
    let read = client.read_resource("file:///logo.png").await.unwrap();
    let rmcp::model::ResourceContents::BlobResourceContents { blob, mime_type, uri, .. } = &read.contents[0] else {
        panic!("{read:?}")
    };
    assert_eq!((uri.as_str(), mime_type.as_deref()), ("file:///logo.png", Some("image/png")));
    assert_eq!(blob, "iVBORw0KGgoAAAAN");
    let refused = client.call_tool("read_file", json!({"path": "logo.png"})).await.unwrap();
    assert_eq!(text_of(&refused), "`logo.png` is not UTF-8 text");

    // Writing is not offered, so not callable.
    assert!(client.call_tool("write_file", json!({"path": "x.txt", "content": "x"})).await.is_err());
}

#[tokio::test]
async fn with_allow_write_files_are_written_moved_and_deleted() {
    let tree = Tree::new();
    let client = serve(&tree, &["--allow-write"]).await;
    assert_eq!(
        names(&client).await,
        [
            "create_directory",
            "delete_file",
            "file_info",
            "list_directory",
            "move_file",
            "read_file",
            "search_files",
            "write_file"
        ]
    );
    let root = tree.root();
    assert_eq!(client.call_text("create_directory", json!({"path": "out/logs"})).await.unwrap(), "created `out/logs`");
    assert!(root.join("out/logs").is_dir());
    client.call_text("write_file", json!({"path": "out/a.txt", "content": "alpha"})).await.unwrap();
    assert_eq!(std::fs::read_to_string(root.join("out/a.txt")).unwrap(), "alpha");
    client.call_text("move_file", json!({"from": "out/a.txt", "to": "out/b.txt"})).await.unwrap();
    assert!(root.join("out/b.txt").exists() && !root.join("out/a.txt").exists());
    client.call_text("delete_file", json!({"path": "out/b.txt"})).await.unwrap();
    assert!(!root.join("out/b.txt").exists());

    // The ordinary failures, each with its own message.
    let cases = [
        ("read_file", json!({"path": "missing.txt"}), "`missing.txt` does not exist"),
        ("read_file", json!({"path": "docs"}), "`docs` is a directory, not a file"),
        ("delete_file", json!({"path": "docs"}), "`docs` is a directory, not a file"),
        ("move_file", json!({"from": "notes.txt", "to": "docs"}), "`docs` already exists"),
        ("list_directory", json!({"path": "notes.txt"}), "`notes.txt` is not a directory"),
    ];
    for (tool, arguments, expected) in cases {
        let result = client.call_tool(tool, arguments).await.unwrap();
        assert_eq!(result.is_error, Some(true), "{tool}");
        assert_eq!(text_of(&result), expected, "{tool}");
    }
}

#[tokio::test]
async fn no_tool_reaches_outside_the_root() {
    let tree = Tree::new();
    let client = serve(&tree, &["--allow-write"]).await;
    let secret = tree.path().join("secret.txt");
    let absolute = secret.display().to_string();
    let escapes = ["../secret.txt", "docs/../../secret.txt", absolute.as_str(), "..\\secret.txt", "docs/\0/x", ".."];
    for path in escapes {
        for (tool, arguments) in [
            ("read_file", json!({"path": path})),
            ("file_info", json!({"path": path})),
            ("list_directory", json!({"path": path})),
            ("search_files", json!({"pattern": "*", "path": path})),
            ("write_file", json!({"path": path, "content": "pwned"})),
            ("create_directory", json!({"path": path})),
            ("delete_file", json!({"path": path})),
            ("move_file", json!({"from": "notes.txt", "to": path})),
            ("move_file", json!({"from": path, "to": "stolen.txt"})),
        ] {
            let result = client.call_tool(tool, arguments).await.unwrap();
            assert_eq!(result.is_error, Some(true), "{tool} {path:?}");
            assert!(text_of(&result).contains("is not allowed"), "{tool} {path:?}: {}", text_of(&result));
        }
    }
    let refused = client.read_resource("file:///../secret.txt").await.unwrap_err();
    let refused = format!("{refused:?}");
    assert!(refused.contains("-32602") && refused.contains("is not allowed: it contains `..`"), "{refused}");
    // A symlink inside the root that points out of it is refused when followed.
    #[cfg(unix)]
    {
        let result = client.call_tool("read_file", json!({"path": "innocent.md"})).await.unwrap();
        assert_eq!(text_of(&result), "`innocent.md` leads outside the root directory");
        let result = client.call_tool("write_file", json!({"path": "innocent.md", "content": "pwned"})).await.unwrap();
        assert_eq!(text_of(&result), "`innocent.md` leads outside the root directory");
    }
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "the secret");
    assert!(!tree.root().join("stolen.txt").exists());
}

#[tokio::test]
async fn an_unopenable_root_is_a_clear_start_up_error() {
    let output = support::example("filesystem").args(["--root", "/no/such/dir"]).output().await.unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot open the root `/no/such/dir`"), "{stderr}");
}

/// Over HTTP with API keys, each caller sees and may call only what its scope allows, and the
/// hierarchy gives `files:admin` everything.
#[tokio::test]
async fn over_http_the_scopes_decide_who_reads_writes_and_deletes() {
    let tree = Tree::new();
    let keys = r#"{"keys": [
        {"name": "reader", "key": "reader-key-123456", "scopes": ["files:read"]},
        {"name": "writer", "key": "writer-key-123456", "scopes": ["files:write"]},
        {"name": "admin", "key": "admin-key-1234567", "scopes": ["files:admin"]}]}"#;
    let mut command = support::example("filesystem");
    command.arg("--root").arg(tree.root()).args(["--allow-write", "--auth-api-keys", keys]);
    let server = support::serve_http(command).await;
    let connect = |key: &'static str| server.client(key);
    let reader = connect("reader-key-123456").await;
    assert_eq!(names(&reader).await, ["file_info", "list_directory", "read_file", "search_files"]);
    assert_eq!(reader.call_text("read_file", json!({"path": "notes.txt"})).await.unwrap(), "notes");
    // Not listed, and refused if called anyway (403 before the server reads on).
    assert!(reader.call_tool("write_file", json!({"path": "x.txt", "content": "x"})).await.is_err());
    assert!(!tree.root().join("x.txt").exists());

    let writer = connect("writer-key-123456").await;
    assert_eq!(
        names(&writer).await,
        ["create_directory", "file_info", "list_directory", "read_file", "search_files", "write_file"]
    );
    writer.call_text("write_file", json!({"path": "x.txt", "content": "x"})).await.unwrap();
    assert!(writer.call_tool("delete_file", json!({"path": "x.txt"})).await.is_err());
    assert!(tree.root().join("x.txt").exists());

    let admin = connect("admin-key-1234567").await;
    assert_eq!(names(&admin).await.len(), 8);
    admin.call_text("delete_file", json!({"path": "x.txt"})).await.unwrap();
    assert!(!tree.root().join("x.txt").exists());
}
