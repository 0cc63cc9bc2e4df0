//! Starting the HTTP server.

use anyhow::{Context, Result};
use std::net::SocketAddr;
use tokio::net::TcpListener;
use truce_server::AppState;
use truce_store::Store;

/// Binds `listen`, prints the address, and serves until Ctrl-C or SIGTERM.
pub async fn run(store: Store, listen: SocketAddr, banner: impl FnOnce(SocketAddr)) -> Result<()> {
    run_with(AppState::new(store), listen, banner).await
}

/// `run` with a prepared state (for instance with a witness policy).
pub async fn run_with(state: AppState, listen: SocketAddr, banner: impl FnOnce(SocketAddr)) -> Result<()> {
    let store = state.store.clone();
    let listener = TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    banner(addr);
    tracing::info!(%addr, db = %store.path().display(), "serving");
    truce_server::serve(listener, state, shutdown_signal()).await.context("serving HTTP")?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
