//! Accepting connections, and shutting down without cutting calls off.

use std::{future::Future, net::SocketAddr};

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::{HttpConfig, in_flight::InFlight, router_with_tracker};
use crate::{error::ServeError, service::McpService};

/// Serves until `shutdown` resolves; then stops accepting, lets in-flight calls finish (up to
/// `config.shutdown_grace`), closes the remaining sessions and streams, and returns.
pub(crate) async fn serve(
    service: McpService,
    config: HttpConfig,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let address = listener.local_addr()?;
    warn_about_unreachable_hosts(address, &config);
    let sessions_closed = CancellationToken::new();
    let in_flight = InFlight::default();
    let sessions = service.shared().sessions.clone();
    let router = router_with_tracker(service, &config, sessions_closed.clone(), in_flight.clone());
    tracing::info!("serving MCP on http://{address}{}", config.path);

    let stop_accepting = CancellationToken::new();
    let drain = {
        let stop_accepting = stop_accepting.clone();
        let sessions_closed = sessions_closed.clone();
        let grace = config.shutdown_grace;
        async move {
            shutdown.await;
            tracing::info!("shutting down: no new connections; waiting for calls in progress");
            stop_accepting.cancel();
            if tokio::time::timeout(grace, in_flight.idle()).await.is_err() {
                tracing::warn!("calls still in progress after {grace:?}; closing them");
            }
            sessions_closed.cancel();
            sessions.stop_all();
        }
    };
    let drain = tokio::spawn(drain);

    // Nagle's algorithm plus delayed ACKs stall small JSON-RPC replies by ~40 ms each.
    let listener = listener.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
    });
    // The peer address lets rate limits key unauthenticated callers by IP.
    let router = router.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router).with_graceful_shutdown(stop_accepting.cancelled_owned()).await?;
    drain.abort();
    Ok(())
}

fn warn_about_unreachable_hosts(address: SocketAddr, config: &HttpConfig) {
    let loopback_only =
        config.allowed_hosts.iter().all(|host| matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1"));
    if !address.ip().is_loopback() && loopback_only {
        tracing::warn!(
            "listening on {address}, but only requests for localhost are accepted (DNS-rebinding protection); \
             name the public host names with --allowed-host (or MCP_ALLOWED_HOSTS)"
        );
    }
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub(crate) async fn termination_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
