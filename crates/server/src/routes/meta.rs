//! The scenario, health, the OpenAPI document and the index page.

use super::scenario;
use crate::error::{ApiError, ErrorBody};
use crate::{AppState, openapi::ApiDoc};
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use serde::Serialize;
use truce_core::scenario::Scenario;
use utoipa::{OpenApi, ToSchema};

/// The scenario: agreement, parties, provisions, zones, gazetteer, posts, taxonomy.
#[utoipa::path(
    get, path = "/api/v1/scenario", tag = "scenario",
    responses((status = 200, body = Scenario), (status = 503, body = ErrorBody))
)]
pub(crate) async fn get_scenario(State(state): State<AppState>) -> Result<Json<Scenario>, ApiError> {
    Ok(Json(scenario(&state)?.as_ref().clone()))
}

/// Service health.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Health {
    /// `ok`.
    status: &'static str,
    /// Entries in the journal.
    journal_entries: u64,
    /// The scenario's id, if loaded.
    scenario: Option<String>,
}

/// Health and journal size.
#[utoipa::path(get, path = "/api/v1/health", tag = "meta", responses((status = 200, body = Health)))]
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    Ok(Json(Health {
        status: "ok",
        journal_entries: state.store.journal_len().await?,
        scenario: state.store.scenario().map(|s| s.id.clone()),
    }))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1 document")))]
pub(crate) async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

pub(crate) async fn index(State(state): State<AppState>) -> Html<String> {
    let title = state.store.scenario().map(|s| s.title.en().to_owned()).unwrap_or_else(|| "no scenario loaded".into());
    Html(format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>truce</title>\
         <h1>truce</h1><p>Ceasefire monitoring and verification: {}</p>\
         <ul><li><a href=/api/v1/claims>/api/v1/claims</a> — claims</li>\
         <li><a href=/api/v1/scenario>/api/v1/scenario</a> — the agreement, parties, provisions, gazetteer</li>\
         <li><a href=\"/api/v1/places?q=Lachin\">/api/v1/places?q=…</a> — gazetteer search</li>\
         <li><a href=/api/v1/log>/api/v1/log</a> — the tamper-evident log (tiles at /log/)</li>\
         <li><a href=/api/v1/openapi.json>/api/v1/openapi.json</a> — the API (OpenAPI 3.1)</li></ul>\
         <h2>The record</h2>{}</html>",
        html_escape(&title),
        ledger_summary(&state).await
    ))
}

/// The newest checkpoint in words: size, when, who cosigned it, whether the quorum is met.
async fn ledger_summary(state: &AppState) -> String {
    let Ok(Some(cp)) = state.store.log_checkpoint(None).await else {
        return "<p>No checkpoint signed yet.</p>".into();
    };
    let note = cp.cosigned_note();
    let signed_at = truce_core::time::fmt(truce_core::time::from_millis(cp.signed_at_ms));
    let witnesses = match state.witness_policy.as_deref() {
        None => "No witnesses are configured.".to_string(),
        Some(p) => {
            let by = p.cosigners(note.as_bytes());
            format!(
                "Cosigned by {} of the witnesses {}; quorum {}.",
                if by.is_empty() { "none".to_string() } else { by.join(", ") },
                p.witnesses.iter().map(|w| w.name.as_str()).collect::<Vec<_>>().join(", "),
                if p.quorum_met(&by) { "met" } else { "not met" }
            )
        }
    };
    format!(
        "<p>Checkpoint of {} entries, signed {}, root <code>{}</code>. {}</p><pre>{}</pre>",
        cp.size,
        html_escape(&signed_at),
        cp.root.to_base64(),
        html_escape(&witnesses),
        html_escape(&note)
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
