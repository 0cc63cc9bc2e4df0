//! truce-server: the HTTP API.
//!
//! Thin axum handlers: extract, call a core parser and a store command or query, map the
//! result. No SQL and no business rules live here. Errors are mapped to HTTP in one place
//! (`error::ApiError`), and the OpenAPI document is generated from the handlers' own
//! annotations.

pub mod auth;
mod error;
mod openapi;
mod routes;
mod web;

pub use error::{ApiError, ErrorBody};
pub use openapi::ApiDoc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::future::Future;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use truce_store::Store;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Largest body of a batch submission, in bytes.
pub const MAX_BATCH_BODY_BYTES: usize = 16 * 1024 * 1024;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The journal and projections.
    pub store: Store,
    /// The witnesses and quorum that make a checkpoint trusted (C2SP tlog-policy), if any.
    pub witness_policy: Option<std::sync::Arc<truce_ledger::Policy>>,
    /// Browser sessions and sign-in limits.
    pub auth: std::sync::Arc<auth::AuthState>,
    /// The news intake of the loaded scenario, made on first use.
    intake: std::sync::Arc<std::sync::OnceLock<std::sync::Arc<truce_intake::Intake>>>,
}

impl AppState {
    /// State over an open store.
    pub fn new(store: Store) -> Self {
        Self { store, witness_policy: None, auth: Default::default(), intake: Default::default() }
    }

    /// The news intake of the loaded scenario (its actors and gazetteer), made on first use.
    pub(crate) fn intake(&self) -> Result<std::sync::Arc<truce_intake::Intake>, error::ApiError> {
        if let Some(i) = self.intake.get() {
            return Ok(i.clone());
        }
        let scenario = self.store.scenario().ok_or(error::ApiError::NotInitialised)?;
        if scenario.intake_actors.is_empty() {
            return Err(error::ApiError::Unavailable(
                "the scenario names no actors for the news intake (its intake-actors.toml)".into(),
            ));
        }
        let made = truce_intake::Intake::for_scenario(&scenario)
            .map_err(|e| error::ApiError::Unavailable(format!("the news intake could not be loaded: {e}")))?;
        Ok(self.intake.get_or_init(|| std::sync::Arc::new(made)).clone())
    }

    /// With the witness policy whose cosignatures the log gathers.
    pub fn with_witness_policy(mut self, policy: truce_ledger::Policy) -> Self {
        self.witness_policy = Some(std::sync::Arc::new(policy));
        self
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    routes::router().layer(DefaultBodyLimit::max(MAX_BODY_BYTES)).layer(TraceLayer::new_for_http()).with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
