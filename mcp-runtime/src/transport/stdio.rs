//! Serving over stdin/stdout, with stdout reserved for the protocol.

use std::io::IsTerminal;

use rmcp::{ServiceExt, service::ServerInitializeError};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::sync::CancellationToken;

use super::{
    input_ended::{ClosedOnEof, EndsListensOnEof},
    ping::AnswersPing,
};
use crate::{error::ServeError, service::McpService};

pub(crate) async fn serve(service: McpService) -> Result<(), ServeError> {
    let (protocol_in, protocol_out) = protocol_streams()?;
    if std::io::stdin().is_terminal() {
        print_banner(&service);
    }
    let input_closed = CancellationToken::new();
    let protocol_in = ClosedOnEof { inner: protocol_in, closed: input_closed.clone() };
    let service = service.for_new_session().stopping_with(input_closed.clone());
    let service = EndsListensOnEof { inner: AnswersPing(service), closed: input_closed };
    let running = match service.serve((protocol_in, protocol_out)).await {
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

type Reader = Box<dyn AsyncRead + Send + Unpin>;
type Writer = Box<dyn AsyncWrite + Send + Unpin>;

/// The protocol's input and output: stdin, and the real stdout (fd 1 then points at stderr, so
/// a stray `println!` in a tool lands in the logs instead of corrupting the JSON-RPC stream).
///
/// When they are pipes or sockets, which they are whenever a client spawned the server, they
/// are read and written non-blocking on tokio's reactor. Otherwise (a terminal, a file) they
/// go through tokio's `Stdin` and `File`, which hand every read and write to the blocking
/// thread pool: measured over a spawned server's pipes, that cost twice the CPU per message.
#[cfg(unix)]
fn protocol_streams() -> std::io::Result<(Reader, Writer)> {
    use std::io::Write;

    std::io::stdout().flush()?;
    let protocol_out = duplicate(libc::STDOUT_FILENO)?;
    // SAFETY: fds 1 and 2 exist for the whole process; dup2 only repoints fd 1.
    if unsafe { libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let protocol_in = duplicate(libc::STDIN_FILENO)?;
    let reader: Reader = match kind_of(&protocol_in)? {
        Some(Stream::Pipe) => Box::new(tokio::net::unix::pipe::Receiver::from_file(protocol_in)?),
        Some(Stream::Socket) => Box::new(socket(protocol_in)?),
        None => Box::new(tokio::io::stdin()),
    };
    let writer: Writer = match kind_of(&protocol_out)? {
        Some(Stream::Pipe) => Box::new(tokio::net::unix::pipe::Sender::from_file(protocol_out)?),
        Some(Stream::Socket) => Box::new(socket(protocol_out)?),
        None => Box::new(tokio::fs::File::from_std(protocol_out)),
    };
    Ok((reader, writer))
}

#[cfg(not(unix))]
fn protocol_streams() -> std::io::Result<(Reader, Writer)> {
    Ok((Box::new(tokio::io::stdin()), Box::new(tokio::io::stdout())))
}

/// What an fd is, where it matters for how to read it.
#[cfg(unix)]
enum Stream {
    Pipe,
    Socket,
}

#[cfg(unix)]
fn kind_of(file: &std::fs::File) -> std::io::Result<Option<Stream>> {
    use std::os::unix::fs::FileTypeExt;

    let file_type = file.metadata()?.file_type();
    Ok(if file_type.is_fifo() {
        Some(Stream::Pipe)
    } else if file_type.is_socket() {
        Some(Stream::Socket)
    } else {
        None
    })
}

/// A new descriptor for the same open file, owned by the returned `File`.
#[cfg(unix)]
fn duplicate(fd: std::os::fd::RawFd) -> std::io::Result<std::fs::File> {
    use std::os::fd::BorrowedFd;
    // SAFETY: fds 0 and 1 exist for the whole process.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    Ok(std::fs::File::from(borrowed.try_clone_to_owned()?))
}

/// A socket fd (a client that spawned us with a socketpair, as Node.js does) as a tokio stream.
#[cfg(unix)]
fn socket(file: std::fs::File) -> std::io::Result<tokio::net::UnixStream> {
    let stream = std::os::unix::net::UnixStream::from(std::os::fd::OwnedFd::from(file));
    stream.set_nonblocking(true)?;
    tokio::net::UnixStream::from_std(stream)
}

/// A person started the server by hand: say what it is instead of sitting silent.
fn print_banner(service: &McpService) {
    use rmcp::Service;
    let info = service.get_info().server_info;
    let program = std::env::current_exe()
        .map(|path| path.display().to_string())
        .or_else(|_| std::env::args().next().ok_or(()))
        .unwrap_or_else(|_| info.name.clone());
    crate::observe::announce(&format!(
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
    ));
}
