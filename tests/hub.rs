//! The hub example (course chapter 21) in front of three real downstreams over stdio (the
//! file-system, database and dev-assistant examples): one server to rmcp's client, tools
//! prefixed by downstream; `kill -9` of one child leaves the others answering, its tools answer
//! an error naming it (or go to their fallback), `/health` and `/metrics` say it is down, and it
//! comes back on its own.

use std::time::Duration;

use mcp_runtime::testing::{TestClient, text_of};
use serde_json::{Value, json};

mod support;

fn binary(name: &str) -> String {
    support::example(name).as_std().get_program().to_string_lossy().into_owned()
}

/// A config naming the built examples, over a scratch project.
fn config(project: &std::path::Path) -> tempfile::NamedTempFile {
    let root = project.display();
    let text = format!(
        r#"
[hub]
name = "test-hub"

[[downstream]]
prefix = "fs"
command = "{fs}"
args = ["--root", "{root}"]
env = {{ RUST_LOG = "warn" }}
timeout = "20s"

[[downstream]]
prefix = "db"
command = "{db}"
env = {{ RUST_LOG = "warn" }}

[[downstream]]
prefix = "dev"
command = "{dev}"
args = ["--root", "{root}", "--read-only"]
env = {{ RUST_LOG = "warn" }}
fallbacks = {{ list_files = "fs_list_directory" }}
"#,
        fs = binary("filesystem"),
        db = binary("database"),
        dev = binary("dev_assistant"),
    );
    let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
    file
}

async fn health(base: &str) -> Value {
    reqwest::get(format!("{base}/health")).await.unwrap().json().await.unwrap()
}

async fn wait_for(base: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let report = health(base).await;
        if done(&report) {
            return report;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: {}", health(base).await)
}

/// The pid of the hub's child whose command line contains `name`.
fn child_pid(hub: u32, name: &str) -> i32 {
    let children = std::fs::read_dir(format!("/proc/{hub}/task"))
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("children")).ok())
        .flat_map(|list| list.split_whitespace().map(str::to_owned).collect::<Vec<_>>());
    for pid in children {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(name) {
            return pid.parse().unwrap();
        }
    }
    panic!("the hub has no child running {name}")
}

#[tokio::test]
async fn the_hub_serves_three_downstreams_and_survives_kill_9_of_one() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join("notes.md"), "# Notes\n").unwrap();
    let config = config(project.path());
    let mut command = support::example("hub");
    command.arg("--config").arg(config.path());
    let hub = support::serve_http(command).await;
    let base = hub.url.trim_end_matches("/mcp").to_owned();
    let ready = wait_for(&base, "every downstream up", |report| {
        ["fs", "db", "dev"].iter().all(|prefix| report["downstreams"][prefix]["status"] == "up")
    })
    .await;
    assert_eq!(ready["status"], "ok");

    let client = TestClient::connect_http(&hub.url).await.unwrap();
    let tools: Vec<String> = client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.into()).collect();
    for expected in ["fs_list_directory", "db_query", "dev_search_code"] {
        assert!(tools.contains(&expected.to_owned()), "{expected} missing from {tools:?}");
    }
    let listed = client.call_tool("fs_list_directory", json!({})).await.unwrap();
    assert!(text_of(&listed).contains("notes.md"), "{}", text_of(&listed));
    let rows = client.call_tool("db_query", json!({"sql": "SELECT 1 AS one"})).await.unwrap();
    assert_ne!(rows.is_error, Some(true), "{}", text_of(&rows));

    // kill -9 the dev assistant: its items leave, its tools fail clearly or fall back, the
    // others answer throughout.
    let pid = child_pid(hub.child.id().unwrap(), "dev_assistant");
    // SAFETY: kill only sends a signal, to a process this test's hub started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    let down = wait_for(&base, "dev marked down", |report| report["downstreams"]["dev"]["status"] != "up").await;
    assert!(down["downstreams"]["dev"]["last_error"].is_string(), "{down}");
    let fallen_back = client.call_tool("dev_list_files", json!({})).await.unwrap();
    assert!(text_of(&fallen_back).contains("notes.md"), "the fallback was not used: {}", text_of(&fallen_back));
    let refused = client.call_tool("dev_search_code", json!({"pattern": "Notes"})).await.unwrap();
    if refused.is_error == Some(true) {
        assert!(text_of(&refused).contains("downstream `dev`"), "{}", text_of(&refused));
    }
    let rows = client.call_tool("db_query", json!({"sql": "SELECT 2 AS two"})).await.unwrap();
    assert_ne!(rows.is_error, Some(true), "another downstream stopped answering: {}", text_of(&rows));

    // It comes back by itself, on a new connection, and its items with it.
    let back = wait_for(&base, "dev back up", |report| {
        report["downstreams"]["dev"]["status"] == "up" && report["downstreams"]["dev"]["connections"] == 2
    })
    .await;
    assert_eq!(back["status"], "ok");
    let found = client.call_tool("dev_search_code", json!({"pattern": "Notes"})).await.unwrap();
    assert_ne!(found.is_error, Some(true), "{}", text_of(&found));
    let metrics = reqwest::get(format!("{base}/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"mcp_downstream_up{downstream="dev"} 1"#), "{metrics}");
    assert!(metrics.contains(r#"name="dev_*""#), "calls of a downstream are counted under its prefix");
}
