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

/// An example serving Streamable HTTP on a free loopback port.
#[allow(dead_code)] // each test binary uses the examples it drives
pub struct HttpExample {
    /// The server process, killed when this is dropped.
    pub child: tokio::process::Child,
    /// Its MCP endpoint, `http://127.0.0.1:PORT/mcp` (`/sse` for the legacy transport).
    pub url: String,
    /// What it wrote to stderr up to the line naming its endpoint, that line included.
    pub startup_lines: Vec<String>,
    /// What it writes to stderr after naming its endpoint (logs, audit lines).
    pub stderr: tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStderr>>,
}

/// Starts `command` (an example with its own flags) over HTTP on port 0 and waits until it names
/// its endpoint on stderr, as every server does once it listens.
#[allow(dead_code)] // each test binary uses the examples it drives
pub async fn serve_http(command: tokio::process::Command) -> HttpExample {
    serve_on(command, &["--transport", "http", "--port", "0"], "/mcp").await
}

/// Starts `command` serving the legacy HTTP+SSE transport on port 0; `url` is its `/sse`.
#[allow(dead_code)] // each test binary uses the examples it drives
pub async fn serve_sse(command: tokio::process::Command) -> HttpExample {
    serve_on(command, &["--transport", "sse", "--port", "0"], "/sse").await
}

/// Starts `command` with `args` and waits for the URL ending in `suffix` on its stderr.
#[allow(dead_code)] // each test binary uses the examples it drives
pub async fn serve_on(mut command: tokio::process::Command, args: &[&str], suffix: &str) -> HttpExample {
    use tokio::io::AsyncBufReadExt;

    let mut child =
        command.args(args).stderr(std::process::Stdio::piped()).kill_on_drop(true).spawn().expect("the example starts");
    let mut stderr = tokio::io::BufReader::new(child.stderr.take().expect("stderr is piped")).lines();
    let mut startup_lines = Vec::new();
    let url = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        while let Some(line) = stderr.next_line().await.expect("stderr is readable") {
            startup_lines.push(line.clone());
            if let Some(at) = line.find("http://127.0.0.1:") {
                let url: String = line[at..].chars().take_while(|c| !c.is_whitespace() && *c != ',').collect();
                if url.ends_with(suffix) {
                    return url;
                }
            }
        }
        panic!("the server exited without naming its endpoint")
    })
    .await
    .expect("the server names its endpoint within 20 s");
    HttpExample { child, url, startup_lines, stderr }
}

#[allow(dead_code)] // each test binary uses the examples it drives
impl HttpExample {
    /// A client sending `bearer` as its token, speaking 2025-11-25.
    pub async fn client(&self, bearer: &str) -> mcp_runtime::testing::TestClient {
        mcp_runtime::testing::TestClient::connect_http_with(
            &self.url,
            rmcp::model::ProtocolVersion::V_2025_11_25,
            Some(bearer),
        )
        .await
        .expect("the client connects with its token")
    }
}

/// A server process spoken to in raw JSON-RPC lines, as a client that is not rmcp would.
#[allow(dead_code)] // each test binary uses the examples it drives
pub struct RawStdio {
    /// The server process, killed when this is dropped.
    pub child: tokio::process::Child,
    /// Its stdin: one JSON-RPC message a line.
    pub stdin: tokio::process::ChildStdin,
    /// Its stdout, a line at a time.
    pub stdout: tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
}

/// Starts `command` with its stdin and stdout as pipes for raw JSON-RPC lines.
#[allow(dead_code)] // each test binary uses the examples it drives
pub fn raw_stdio(mut command: tokio::process::Command) -> RawStdio {
    use tokio::io::AsyncBufReadExt;

    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let stdin = child.stdin.take().expect("stdin is piped");
    let stdout = tokio::io::BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    RawStdio { child, stdin, stdout }
}
