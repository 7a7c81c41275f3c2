//! Serving over stdin/stdout, with stdout reserved for the protocol.

use std::io::IsTerminal;

use rmcp::{ServiceExt, service::ServerInitializeError};
use tokio::io::AsyncWrite;

use crate::{error::ServeError, service::McpService};

pub(crate) async fn serve(service: McpService) -> Result<(), ServeError> {
    let protocol_out = reserve_stdout()?;
    if std::io::stdin().is_terminal() {
        print_banner(&service);
    }
    let running = match service.for_new_session().serve((tokio::io::stdin(), protocol_out)).await {
        Ok(running) => running,
        // The client went away before it said anything (or a person pressed Ctrl-D): not a failure.
        Err(ServerInitializeError::ConnectionClosed(during)) => {
            tracing::debug!(during, "stdin closed before the client initialized");
            return Ok(());
        }
        Err(error) => return Err(ServeError::Protocol(error.to_string())),
    };
    running.waiting().await.map_err(|error| ServeError::Protocol(error.to_string()))?;
    Ok(())
}

/// Takes the real stdout for the protocol and points fd 1 at stderr, so a stray `println!`
/// in a tool lands in the logs instead of corrupting the JSON-RPC stream.
#[cfg(unix)]
fn reserve_stdout() -> std::io::Result<impl AsyncWrite + Send + Unpin + 'static> {
    use std::{io::Write, os::fd::FromRawFd};

    std::io::stdout().flush()?;
    // SAFETY: plain descriptor calls on fds 1 and 2, which exist for the whole process; the
    // duplicate is owned by the File built from it and nothing else.
    unsafe {
        let protocol_fd = libc::dup(libc::STDOUT_FILENO);
        if protocol_fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) < 0 {
            let error = std::io::Error::last_os_error();
            libc::close(protocol_fd);
            return Err(error);
        }
        Ok(tokio::fs::File::from_std(std::fs::File::from_raw_fd(protocol_fd)))
    }
}

#[cfg(not(unix))]
fn reserve_stdout() -> std::io::Result<impl AsyncWrite + Send + Unpin + 'static> {
    Ok(tokio::io::stdout())
}

/// A person started the server by hand: say what it is instead of sitting silent.
fn print_banner(service: &McpService) {
    use rmcp::Service;
    let info = service.get_info().server_info;
    let program = std::env::current_exe()
        .map(|path| path.display().to_string())
        .or_else(|_| std::env::args().next().ok_or(()))
        .unwrap_or_else(|_| info.name.clone());
    eprintln!(
        "{name} {version}: an MCP server with {tools} tool(s), {resources} resource(s) and {prompts} prompt(s), speaking \
         JSON-RPC on stdin/stdout.\n\
         It is meant to be started by an MCP client, for example:\n  \
         claude mcp add {name} -- {program}\n\
         Type a JSON-RPC message to talk to it by hand; Ctrl-D quits.",
        name = info.name,
        version = info.version,
        tools = service.tool_count(),
        prompts = service.prompt_count(),
        resources = service.resource_count(),
    );
}
