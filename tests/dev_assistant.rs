//! The dev assistant end to end through rmcp's client: every tool on a small project over stdio,
//! the traversal corpus (symlinks included) refused by every tool that takes a path, command
//! injection attempts passed as inert arguments or refused, timeouts that kill a task's whole
//! process group, and JWT scopes over HTTP.

use std::{path::PathBuf, time::Duration};

use mcp_runtime::testing::{TestClient, text_of};
use serde_json::{Value, json};

mod support;

/// A scratch project, `base/project`, with `base/outside/secret.txt` beside it.
struct Project(tempfile::TempDir);

/// The tasks the tests run: harmless programs, each showing one behaviour of `run_task`.
const TASKS: &str = r#"{
  "echo": {"description": "echo the arguments", "program": "echo", "allowed_flags": ["-n"]},
  "fail": {"description": "exit with 3", "program": "sh", "args": ["-c", "echo failing >&2; exit 3"]},
  "sleepy": {"description": "outlives its timeout, with a child", "program": "sh",
             "args": ["-c", "(sleep 3; touch late) & echo started; sleep 30"], "timeout_secs": 1},
  "patient": {"description": "runs until cancelled, with a child", "program": "sh",
              "args": ["-c", "(sleep 3; touch late) & while true; do echo waiting; sleep 1; done"]},
  "ticks": {"description": "prints for three seconds", "program": "sh",
            "args": ["-c", "for i in 1 2 3; do echo tick $i; sleep 1; done"]},
  "flood": {"description": "a lot of output", "program": "seq", "args": ["1", "100000"]},
  "pwd": {"description": "where it runs", "program": "pwd"},
  "missing": {"description": "a program that is not installed", "program": "no-such-program-here"}
}"#;

impl Project {
    fn new() -> Self {
        let base = tempfile::tempdir().unwrap();
        let write = |relative: &str, contents: &[u8]| {
            let path = base.path().join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        };
        write("project/.gitignore", b"target/\n*.log\n");
        write(
            "project/src/lib.rs",
            b"//! The library.\n\npub(crate) async fn serve_http(port: u16) {}\n\npub struct Server {\n    port: u16,\n}\n\nimpl Server {\n    const fn new() -> Self {\n        // TODO: pick a port\n        let fn_name = 3;\n        Self { port: fn_name }\n    }\n}\n\npub const MAX: usize = 3;\nstatic mut COUNTER: u32 = 0;\nmacro_rules! handlers { () => {} }\npub unsafe extern \"C\" fn callback() {}\n",
        );
        write("project/app/main.py", b"class Greeter:\n    async def fetch(self):\n        return 'a.b+c'\n");
        write("project/web/app.ts", b"export default async function main() {}\nexport interface Props {}\n");
        write(
            "project/go/server.go",
            b"package server\n\nfunc (s *Server) Serve(l net.Listener) error {\n\treturn nil\n}\n",
        );
        write("project/target/ignored.rs", b"fn ignored_symbol() {} // TODO\n");
        write("project/debug.log", b"TODO in a log\n");
        write("project/.hidden/secret.rs", b"fn hidden_fn() {} // TODO\n");
        write("project/data.bin", b"\0\0binary TODO\0");
        write("project/notes.md", b"# Notes\nserve_http is the entry point\n");
        write("outside/secret.txt", b"the secret TODO serve_http\n");
        write("outside/lib.rs", b"fn outside_fn() {}\n");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.path().join("outside/secret.txt"), base.path().join("project/escape.md"))
                .unwrap();
            std::os::unix::fs::symlink(base.path().join("outside"), base.path().join("project/linked")).unwrap();
        }
        write("tasks.json", TASKS.as_bytes());
        Self(base)
    }

    fn root(&self) -> PathBuf {
        self.0.path().join("project")
    }

    fn tasks(&self) -> PathBuf {
        self.0.path().join("tasks.json")
    }

    fn secret(&self) -> String {
        std::fs::read_to_string(self.0.path().join("outside/secret.txt")).unwrap()
    }
}

async fn serve(project: &Project, extra: &[&str]) -> TestClient {
    let mut command = support::example("dev_assistant");
    command.arg("--root").arg(project.root()).arg("--tasks").arg(project.tasks()).args(extra);
    TestClient::spawn(command).await.unwrap()
}

async fn names(client: &TestClient) -> Vec<String> {
    client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.into_owned()).collect()
}

async fn structured(client: &TestClient, tool: &str, arguments: Value) -> Value {
    let result = client.call_tool(tool, arguments).await.unwrap();
    assert_ne!(result.is_error, Some(true), "{tool}: {}", text_of(&result));
    result.structured_content.expect("structured content")
}

/// The error text of a call that must fail.
async fn refused(client: &TestClient, tool: &str, arguments: Value) -> String {
    let result = client.call_tool(tool, arguments.clone()).await.unwrap();
    assert_eq!(result.is_error, Some(true), "{tool} {arguments} was not refused: {}", text_of(&result));
    text_of(&result)
}

#[tokio::test]
async fn every_file_and_search_tool_works_on_a_project() {
    let project = Project::new();
    let client = serve(&project, &[]).await;
    assert_eq!(
        names(&client).await,
        ["edit_file", "find_symbol", "list_files", "list_tasks", "read_file", "run_task", "search_code", "write_file"]
    );

    assert_eq!(
        client.call_text("read_file", json!({"path": "notes.md", "offset": 2, "limit": 5})).await.unwrap(),
        "Notes"
    );

    // Git's view: ignored, hidden and symlinked entries are not the project's files.
    let listed = structured(&client, "list_files", json!({})).await;
    assert_eq!(
        listed["paths"],
        json!(["app/main.py", "data.bin", "go/server.go", "notes.md", "src/lib.rs", "web/app.ts"])
    );
    let rust = structured(&client, "list_files", json!({"glob": "*.rs"})).await;
    assert_eq!(rust["paths"], json!(["src/lib.rs"]));
    let limited = structured(&client, "list_files", json!({"limit": 2})).await;
    assert_eq!((limited["paths"].as_array().unwrap().len(), &limited["truncated"]), (2, &json!(true)));

    // Only the project's own text files: not the ignored, hidden, binary or linked ones.
    let todo = structured(&client, "search_code", json!({"pattern": "TODO", "context": 1})).await;
    assert_eq!(
        todo["matches"],
        json!([{"path": "src/lib.rs", "line": 11, "column": 12, "text": "        // TODO: pick a port",
                "before": ["    const fn new() -> Self {"], "after": ["        let fn_name = 3;"]}])
    );
    assert_eq!(todo["files_searched"], 6);
    let literal = structured(&client, "search_code", json!({"pattern": "a.b+c", "fixed_strings": true})).await;
    assert_eq!(literal["matches"][0]["path"], "app/main.py");
    let no_regex_match = structured(&client, "search_code", json!({"pattern": "a.b+c", "glob": "*.rs"})).await;
    assert_eq!(no_regex_match["matches"], json!([]));
    let any_case = structured(&client, "search_code", json!({"pattern": "notes", "case_insensitive": true})).await;
    assert_eq!(any_case["matches"][0]["text"], "# Notes");
    let capped = structured(&client, "search_code", json!({"pattern": "\\w+", "max_results": 3})).await;
    assert_eq!(capped["matches"].as_array().unwrap().len(), 3);
    assert!(capped["stopped_early"].as_str().unwrap().contains("first 3 matches"), "{capped}");
    let under = structured(&client, "search_code", json!({"pattern": "serve", "path": "src"})).await;
    assert_eq!(under["files_searched"], 1);

    let symbol = |name: &str, kind: &str, language: &str, path: &str, line: u64| json!({"name": name, "kind": kind, "language": language, "path": path, "line": line});
    let cases = [
        ("serve_http", symbol("serve_http", "fn", "rust", "src/lib.rs", 3)),
        ("Server", symbol("Server", "struct", "rust", "src/lib.rs", 5)),
        ("new", symbol("new", "fn", "rust", "src/lib.rs", 10)),
        ("MAX", symbol("MAX", "const", "rust", "src/lib.rs", 17)),
        ("COUNTER", symbol("COUNTER", "static", "rust", "src/lib.rs", 18)),
        ("handlers", symbol("handlers", "macro_rules!", "rust", "src/lib.rs", 19)),
        ("callback", symbol("callback", "fn", "rust", "src/lib.rs", 20)),
        ("Greeter", symbol("Greeter", "class", "python", "app/main.py", 1)),
        ("fetch", symbol("fetch", "def", "python", "app/main.py", 2)),
        ("main", symbol("main", "function", "javascript", "web/app.ts", 1)),
        ("Props", symbol("Props", "interface", "javascript", "web/app.ts", 2)),
        ("Serve", symbol("Serve", "func", "go", "go/server.go", 3)),
    ];
    for (name, expected) in cases {
        let found = structured(&client, "find_symbol", json!({"name": name})).await;
        let symbols = found["symbols"].as_array().unwrap();
        assert_eq!(symbols.len(), 1, "{name}: {found}");
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&symbols[0][key], value, "{name}: {found}");
        }
    }
    // A use is not a definition; ignored, hidden and outside files are not searched.
    for name in ["fn_name", "ignored_symbol", "hidden_fn", "outside_fn"] {
        assert_eq!(structured(&client, "find_symbol", json!({"name": name})).await["symbols"], json!([]), "{name}");
    }
    let partial = structured(&client, "find_symbol", json!({"name": "SERV", "partial": true, "kind": "fn"})).await;
    assert_eq!(partial["symbols"].as_array().unwrap().len(), 1, "{partial}");
    assert_eq!(partial["symbols"][0]["name"], "serve_http");

    // Edits: exact, unique, or refused with the reason.
    let edited =
        client.call_text("edit_file", json!({"path": "notes.md", "old_text": "entry point", "new_text": "door"})).await;
    assert_eq!(edited.unwrap(), "replaced 1 occurrence(s) in `notes.md`");
    assert!(std::fs::read_to_string(project.root().join("notes.md")).unwrap().ends_with("is the door\n"));
    let missing =
        refused(&client, "edit_file", json!({"path": "notes.md", "old_text": "absent", "new_text": "x"})).await;
    assert_eq!(missing, "invalid argument `old_text`: does not occur in `notes.md`");
    let twice = refused(&client, "edit_file", json!({"path": "src/lib.rs", "old_text": "port", "new_text": "p"})).await;
    assert!(twice.contains("occurs 4 times in `src/lib.rs`"), "{twice}");
    client
        .call_text(
            "edit_file",
            json!({"path": "src/lib.rs", "old_text": "u16", "new_text": "u32", "replace_all": true}),
        )
        .await
        .unwrap();
    assert!(!std::fs::read_to_string(project.root().join("src/lib.rs")).unwrap().contains("u16"));
    client.call_text("write_file", json!({"path": "docs/new/guide.md", "content": "# Guide"})).await.unwrap();
    assert_eq!(std::fs::read_to_string(project.root().join("docs/new/guide.md")).unwrap(), "# Guide");

    let resource = client.read_resource("file:///docs/new/guide.md").await.unwrap();
    assert_eq!(serde_json::to_value(&resource.contents[0]).unwrap()["text"], "# Guide");
}

/// What a model reads: every tool's description, input and output schema, annotations, scopes.
#[tokio::test]
async fn tools_list_snapshot() {
    let project = Project::new();
    let client = serve(&project, &[]).await;
    insta::assert_json_snapshot!("dev_assistant_tools_list", client.list_tools().await.unwrap());
}

#[tokio::test]
async fn bad_searches_get_precise_errors_and_the_server_goes_on() {
    let project = Project::new();
    let client = serve(&project, &[]).await;
    let cases = [
        (json!({"pattern": "(unclosed"}), "is not a valid regex"),
        (json!({"pattern": ""}), "must not be empty"),
        (json!({"pattern": "a{1000}{1000}"}), "is not a valid regex"),
        (json!({"pattern": "x".repeat(1001)}), "longer than 1000 characters"),
        (json!({"pattern": "a\\nb"}), "is not a valid regex"),
        (json!({"pattern": "x", "context": 11}), "at most 10 lines"),
        (json!({"pattern": "x", "glob": "{unclosed"}), "is not a valid glob"),
        (json!({"pattern": "x", "path": "nowhere"}), "`nowhere` does not exist"),
        (json!({"pattern": 3}), "`pattern`"),
    ];
    for (arguments, expected) in cases {
        let error = refused(&client, "search_code", arguments.clone()).await;
        assert!(error.contains(expected), "{arguments}: {error}");
    }
    for name in ["", "a b", "x; rm", "fn("] {
        let error = refused(&client, "find_symbol", json!({"name": name})).await;
        assert!(error.contains("must be an identifier"), "{name:?}: {error}");
    }
    assert_eq!(structured(&client, "search_code", json!({"pattern": "Notes"})).await["matches"][0]["line"], 1);
}

#[tokio::test]
async fn no_path_leads_out_of_the_project() {
    let project = Project::new();
    let client = serve(&project, &[]).await;
    let outside = project.0.path().join("outside/secret.txt").display().to_string();
    let corpus = [
        "../outside/secret.txt",
        "src/../../outside/secret.txt",
        outside.as_str(),
        "/etc/passwd",
        "..\\outside\\secret.txt",
        "notes.md\0.txt",
        "escape.md",
        "linked/secret.txt",
    ];
    for path in corpus {
        for (tool, arguments) in [
            ("read_file", json!({"path": path})),
            ("write_file", json!({"path": path, "content": "pwned"})),
            ("edit_file", json!({"path": path, "old_text": "secret", "new_text": "pwned"})),
            ("list_files", json!({"path": path})),
            ("search_code", json!({"pattern": "secret", "path": path})),
            ("find_symbol", json!({"name": "outside_fn", "path": path})),
            ("run_task", json!({"command": "pwd", "directory": path})),
        ] {
            let error = refused(&client, tool, arguments).await;
            let precise =
                ["is not allowed", "leads outside the root", "is a symlink", "does not exist", "is not a directory"];
            assert!(precise.iter().any(|reason| error.contains(reason)), "{tool} {path:?}: {error}");
        }
        assert!(client.read_resource(&format!("file:///{path}")).await.is_err(), "resource {path:?}");
    }
    assert_eq!(project.secret(), "the secret TODO serve_http\n");
    let nothing_leaks = structured(&client, "search_code", json!({"pattern": "secret"})).await;
    assert_eq!(nothing_leaks["matches"], json!([]));
    // Still serving.
    assert_eq!(client.call_text("read_file", json!({"path": "notes.md", "limit": 7})).await.unwrap(), "# Notes");
}

#[tokio::test]
async fn tasks_run_without_a_shell_and_report_how_they_ended() {
    let project = Project::new();
    let client = serve(&project, &["--max-task-output", "4096"]).await;

    let tasks = structured(&client, "list_tasks", json!({})).await;
    let names: Vec<&str> =
        tasks["result"].as_array().unwrap().iter().map(|task| task["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["echo", "fail", "flood", "missing", "patient", "pwd", "sleepy", "ticks"]);

    // Shell syntax is inert: each argument reaches the program as it is.
    let injections =
        ["; touch pwned", "$(touch pwned)", "`touch pwned`", "| touch pwned", "&& touch pwned", "a\nb", "'\""];
    let run = structured(&client, "run_task", json!({"command": "echo", "args": injections})).await;
    assert_eq!(run["output"], format!("{}\n", injections.join(" ")));
    assert_eq!((&run["exit_code"], &run["success"]), (&json!(0), &json!(true)));
    assert_eq!(run["command"][0], "echo");
    assert!(!project.root().join("pwned").exists());
    let allowed = structured(&client, "run_task", json!({"command": "echo", "args": ["-n", "x"]})).await;
    assert_eq!(allowed["output"], "x");

    for (arguments, expected) in [
        (
            json!({"command": "echo", "args": ["--config", "x"]}),
            "`--config` is not allowed for task `echo`; its flags are `-n`",
        ),
        (json!({"command": "echo", "args": ["-e"]}), "`-e` is not allowed"),
        (json!({"command": "echo", "args": ["+nightly"]}), "`+nightly` is not allowed"),
        (json!({"command": "pwd", "args": ["-P"]}), "`-P` is not allowed for task `pwd`; it takes no flags"),
        (json!({"command": "echo", "args": ["a\0b"]}), "NUL byte"),
        (json!({"command": "echo; touch pwned"}), "is not an allowed task; the tasks are `echo`"),
        (json!({"command": "sh", "args": ["-c", "touch pwned"]}), "`sh` is not an allowed task"),
        (json!({"command": "missing"}), "`no-such-program-here` is not installed or not on PATH"),
    ] {
        let error = refused(&client, "run_task", arguments.clone()).await;
        assert!(error.contains(expected), "{arguments}: {error}");
    }
    assert!(!project.root().join("pwned").exists());

    let failed = structured(&client, "run_task", json!({"command": "fail"})).await;
    assert_eq!(
        (&failed["exit_code"], &failed["success"], &failed["output"]),
        (&json!(3), &json!(false), &json!("failing\n"))
    );

    // The working directory is the root, or a directory under it.
    let at_root = structured(&client, "run_task", json!({"command": "pwd"})).await;
    assert_eq!(
        at_root["output"].as_str().unwrap().trim(),
        std::fs::canonicalize(project.root()).unwrap().to_str().unwrap()
    );
    let in_src = structured(&client, "run_task", json!({"command": "pwd", "directory": "src"})).await;
    assert!(in_src["output"].as_str().unwrap().trim().ends_with("/project/src"), "{in_src}");

    // Long output keeps its start and its end.
    let flood = structured(&client, "run_task", json!({"command": "flood"})).await;
    let output = flood["output"].as_str().unwrap();
    assert!(output.starts_with("1\n2\n3\n") && output.ends_with("99999\n100000\n"), "{output}");
    assert!(output.contains("bytes omitted"));
    assert!(output.len() < 4096 + 100, "{}", output.len());
    assert_eq!(flood["omitted_bytes"].as_u64().unwrap() + 4096, 588_895);
}

#[tokio::test]
async fn a_task_past_its_timeout_is_killed_with_its_children() {
    let project = Project::new();
    let client = serve(&project, &[]).await;
    let run = structured(&client, "run_task", json!({"command": "sleepy"})).await;
    assert_eq!((&run["timed_out"], &run["exit_code"], &run["success"]), (&json!(true), &Value::Null, &json!(false)));
    assert_eq!(run["output"], "started\n");
    assert!(run["duration_ms"].as_u64().unwrap() < 10_000, "{run}");
    // Its background child would have touched `late` after 3 s, had it survived the group kill.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(!project.root().join("late").exists(), "a child of the task outlived its timeout");
}

#[tokio::test]
async fn a_cancelled_task_is_killed_with_its_children() {
    use rmcp::model::{CallToolRequest, CallToolRequestParams, ClientRequest};
    use rmcp::service::PeerRequestOptions;

    let project = Project::new();
    let client = serve(&project, &[]).await;
    let request = ClientRequest::CallToolRequest(CallToolRequest::new(
        CallToolRequestParams::new("run_task")
            .with_arguments(json!({"command": "patient"}).as_object().unwrap().clone()),
    ));
    let handle = client.peer().send_cancellable_request(request, PeerRequestOptions::no_options()).await.unwrap();
    client.wait_for(|recorded| !recorded.progress.is_empty(), Duration::from_secs(10)).await.unwrap();
    handle.cancel(Some("the user changed their mind".into())).await.unwrap();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(!project.root().join("late").exists(), "a child of the cancelled task lived on");
    // The next task runs: the one-at-a-time slot was given back.
    let run = structured(&client, "run_task", json!({"command": "echo", "args": ["next"]})).await;
    assert_eq!(run["output"], "next\n");
}

/// A client that supports MCP tasks polls a long run instead of holding its request open, sees
/// the last output line as the status, and may cancel it, killing its process group.
#[tokio::test]
async fn run_task_runs_as_an_mcp_task_that_can_be_polled_and_cancelled() {
    use mcp_runtime::model::{ProtocolVersion, TaskPayload, TaskStatus};
    use mcp_runtime::testing::{Answers, Started};

    let project = Project::new();
    let mut command = support::example("dev_assistant");
    command.arg("--root").arg(project.root()).arg("--tasks").arg(project.tasks());
    let client =
        TestClient::spawn_answering(command, ProtocolVersion::V_2025_11_25, Answers::new().tasks()).await.unwrap();
    let started = |arguments: Value| {
        let client = &client;
        async move {
            match client.start_task("run_task", arguments).await.unwrap() {
                Started::Task(task) => task.task_id,
                other => panic!("run_task did not become a task: {other:?}"),
            }
        }
    };
    let wait = Duration::from_secs(20);

    let id = started(json!({"command": "ticks"})).await;
    let ticking = client
        .wait_for_task(&id, |task| task.task.status_message.as_deref().is_some_and(|m| m.contains("tick")), wait)
        .await
        .unwrap();
    assert_eq!(ticking.status(), TaskStatus::Working);
    let done = client.wait_for_task(&id, |task| task.status().is_terminal(), wait).await.unwrap();
    let TaskPayload::Completed { result } = done.payload else { panic!("{:?}", done.payload) };
    assert_eq!(result["structuredContent"]["output"], "tick 1\ntick 2\ntick 3\n");

    let id = started(json!({"command": "patient"})).await;
    client.wait_for_task(&id, |task| task.task.status_message.is_some(), wait).await.unwrap();
    client.cancel_task(&id).await.unwrap();
    let done = client.wait_for_task(&id, |task| task.status().is_terminal(), wait).await.unwrap();
    assert_eq!(done.status(), TaskStatus::Cancelled);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(!project.root().join("late").exists(), "a child of the cancelled task lived on");
    // The one-at-a-time slot was given back.
    let run = structured(&client, "run_task", json!({"command": "echo", "args": ["next"]})).await;
    assert_eq!(run["output"], "next\n");
}

#[tokio::test]
async fn a_running_task_reports_progress() {
    let project = Project::new();
    let client = serve(&project, &[]).await;
    let run = structured(&client, "run_task", json!({"command": "ticks"})).await;
    assert_eq!(run["output"], "tick 1\ntick 2\ntick 3\n");
    let recorded = client.wait_for(|recorded| recorded.progress.len() >= 2, Duration::from_secs(5)).await.unwrap();
    let message = recorded.progress[0].message.clone().unwrap_or_default();
    assert!(message.contains("tick"), "{message}");
}

#[tokio::test]
async fn read_only_and_without_tasks_the_tools_are_not_offered() {
    let project = Project::new();
    let mut command = support::example("dev_assistant");
    command.arg("--root").arg(project.root()).args(["--read-only", "--no-tasks"]);
    let client = TestClient::spawn(command).await.unwrap();
    assert_eq!(names(&client).await, ["find_symbol", "list_files", "read_file", "search_code"]);
    assert!(client.call_tool("write_file", json!({"path": "x", "content": "x"})).await.is_err());
    assert!(!project.root().join("x").exists());

    // The default tasks: cargo's and git's.
    let client = TestClient::spawn({
        let mut command = support::example("dev_assistant");
        command.arg("--root").arg(project.root());
        command
    })
    .await
    .unwrap();
    let tasks = structured(&client, "list_tasks", json!({})).await;
    let names: Vec<&str> =
        tasks["result"].as_array().unwrap().iter().map(|task| task["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["check", "clippy", "fmt_check", "git_diff", "git_log", "git_status", "test"]);
    let error =
        refused(&client, "run_task", json!({"command": "check", "args": ["--config", "build.rustc-wrapper='sh'"]}))
            .await;
    assert!(error.contains("`--config` is not allowed for task `check`"), "{error}");
    let error =
        refused(&client, "run_task", json!({"command": "test", "args": ["--manifest-path", "/etc/Cargo.toml"]})).await;
    assert!(error.contains("`--manifest-path` is not allowed"), "{error}");
}

/// The prompts fill themselves from the project, through the same sandbox as the tools.
#[tokio::test]
async fn prompts_embed_the_project() {
    let project = Project::new();
    let client = serve(&project, &[]).await;
    let review = client.get_prompt("review_file", &[("path", "notes.md"), ("focus", "naming")]).await.unwrap();
    let text = serde_json::to_value(&review.messages[0]).unwrap()["content"]["text"].as_str().unwrap().to_owned();
    assert!(text.starts_with("Review `notes.md` with a focus on naming."), "{text}");
    assert!(text.contains("# Notes\nserve_http is the entry point"), "{text}");
    for path in ["../outside/secret.txt", "escape.md"] {
        let error = client.get_prompt("review_file", &[("path", path)]).await.unwrap_err().to_string();
        assert!(error.contains("is not allowed") || error.contains("leads outside the root"), "{path}: {error}");
    }
    let fix = client.get_prompt("fix_failing_tests", &[("filter", "parser")]).await.unwrap();
    let text = serde_json::to_value(&fix.messages[0]).unwrap()["content"]["text"].as_str().unwrap().to_owned();
    assert!(text.contains(r#"args `["parser"]`"#), "{text}");
}

/// A root or task file that cannot be used stops the server before it serves, saying why.
#[tokio::test]
async fn bad_configuration_is_refused_at_start_up() {
    let project = Project::new();
    let bad_tasks = project.0.path().join("bad-tasks.json");
    std::fs::write(&bad_tasks, r#"{"test": {"program": "cargo"}}"#).unwrap();
    let zero = project.0.path().join("zero-timeout.json");
    std::fs::write(&zero, r#"{"t": {"description": "d", "program": "true", "timeout_secs": 0}}"#).unwrap();
    let missing_root = project.0.path().join("missing");
    let cases: [(Vec<&std::ffi::OsStr>, &str); 3] = [
        (vec!["--root".as_ref(), missing_root.as_os_str()], "cannot open the root"),
        (vec!["--tasks".as_ref(), bad_tasks.as_os_str()], "is not a valid task file: missing field `description`"),
        (vec!["--tasks".as_ref(), zero.as_os_str()], "task `t` has a zero timeout"),
    ];
    for (arguments, expected) in cases {
        let output = support::example("dev_assistant").args(&arguments).output().await.unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success() && stderr.contains("the server cannot start"), "{stderr}");
        assert!(stderr.contains(expected), "{arguments:?}: {stderr}");
    }
}

/// Over HTTP with JWTs, each caller sees and may call only what its scopes allow; metrics and
/// health are served beside the endpoint.
#[tokio::test]
async fn over_http_jwt_scopes_decide_who_reads_writes_and_runs() {
    use jsonwebtoken::{Algorithm, EncodingKey, Header};

    const SECRET: &str = "a-test-secret-of-at-least-32-bytes!!";
    let project = Project::new();
    let mut command = support::example("dev_assistant");
    command.arg("--root").arg(project.root()).arg("--tasks").arg(project.tasks()).args(["--auth-jwt-secret", SECRET]);
    // The runtime's default log filter keeps the audit lines.
    command.env_remove("RUST_LOG");
    let mut server = support::serve_http(command).await;
    let url = server.url.clone();

    let token = |scope: &str| {
        let expires = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 600;
        let claims = json!({"sub": format!("user-{}", scope.replace(' ', "+")), "scope": scope, "exp": expires});
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(SECRET.as_bytes()))
            .unwrap()
    };
    let shared = &server;
    let connect = |scope: &str| {
        let token = token(scope);
        async move { shared.client(&token).await }
    };

    let reader = connect("files:read").await;
    assert_eq!(names(&reader).await, ["find_symbol", "list_files", "read_file", "search_code"]);
    assert_eq!(reader.call_text("read_file", json!({"path": "notes.md", "limit": 7})).await.unwrap(), "# Notes");
    assert!(reader.call_tool("write_file", json!({"path": "x.md", "content": "x"})).await.is_err());
    assert!(reader.call_tool("run_task", json!({"command": "pwd"})).await.is_err());
    assert!(!project.root().join("x.md").exists());

    let writer = connect("files:write").await;
    assert_eq!(
        names(&writer).await,
        ["edit_file", "find_symbol", "list_files", "read_file", "search_code", "write_file"]
    );
    writer.call_text("write_file", json!({"path": "x.md", "content": "x"})).await.unwrap();
    assert!(project.root().join("x.md").exists());
    assert!(writer.call_tool("run_task", json!({"command": "pwd"})).await.is_err());

    let runner = connect("tasks:run").await;
    assert_eq!(names(&runner).await, ["list_tasks", "run_task"]);
    let run = runner.call_tool("run_task", json!({"command": "echo", "args": ["over http"]})).await.unwrap();
    assert_eq!(run.structured_content.unwrap()["output"], "over http\n");
    // Every run leaves an audit line naming its caller.
    let audit = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(line) = server.stderr.next_line().await.unwrap() {
            if line.contains("audit") && line.contains(r#"tool="run_task""#) {
                return line;
            }
        }
        panic!("the server exited without an audit line")
    })
    .await
    .expect("the audit line arrives");
    assert!(audit.contains(r#"caller="user-tasks:run""#) && audit.contains(r#"task=echo"#), "{audit}");

    // No token, or a forged one: refused before any tool runs.
    assert!(TestClient::connect_http(&url).await.is_err());
    let forged = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": "mallory", "scope": "files:write tasks:run", "exp": 4_000_000_000u64}),
        &EncodingKey::from_secret(b"not-the-secret-not-the-secret-not-the-secret"),
    )
    .unwrap();
    assert!(
        TestClient::connect_http_with(&url, rmcp::model::ProtocolVersion::V_2025_11_25, Some(&forged)).await.is_err()
    );

    let base = url.trim_end_matches("/mcp");
    let metrics = reqwest::get(format!("{base}/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"mcp_requests_total{method="tools/call",name="run_task",status="ok"} 1"#), "{metrics}");
    assert_eq!(reqwest::get(format!("{base}/health")).await.unwrap().status(), 200);
    // Not ready once the project directory is gone.
    let moved = project.0.path().join("moved");
    std::fs::rename(project.root(), &moved).unwrap();
    let health = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(health.status(), 503);
    assert!(health.text().await.unwrap().contains("is gone"));
    std::fs::rename(&moved, project.root()).unwrap();
}
