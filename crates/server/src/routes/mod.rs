//! Routes under `/api/v1`, plus a small index page.

pub(crate) mod accounts;
pub(crate) mod claims;
pub(crate) mod export;
pub(crate) mod incidents;
pub(crate) mod intake;
pub(crate) mod keys;
pub(crate) mod log;
pub(crate) mod meta;
pub(crate) mod places;
pub(crate) mod records;

use crate::auth::Caller;
use crate::{AppState, error::ApiError};
use axum::Router;
use axum::routing::get;
use truce_core::ids::ClaimId;
use truce_core::journal::{Command, PersonalDataRead};

/// Journals that the caller is being shown the personal data of `claims`, through `via`,
/// before the answer leaves: every read of restricted data is part of the record. The
/// entry names the claims, not the data.
pub(crate) async fn journal_personal_read(
    state: &AppState,
    caller: &Caller,
    claims: &[String],
    via: String,
) -> Result<(), ApiError> {
    let claims: Vec<ClaimId> = claims.iter().filter_map(|c| ClaimId::parse(c).ok()).collect();
    if claims.is_empty() {
        return Ok(());
    }
    state
        .store
        .execute(caller.actor(), Command::PersonalDataRead(PersonalDataRead { claims, via, records: Vec::new() }))
        .await?;
    Ok(())
}

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(crate::web::index))
        .route("/assets/{*file}", get(crate::web::asset))
        .route("/api/v1", get(meta::index))
        .route("/api/v1/claims", get(claims::list).post(claims::submit))
        .route(
            "/api/v1/claims/batch",
            axum::routing::post(claims::submit_batch)
                .layer(axum::extract::DefaultBodyLimit::max(crate::MAX_BATCH_BODY_BYTES)),
        )
        .route("/api/v1/claims/{id}", get(claims::get_one))
        .route("/api/v1/claims/{id}/grade", axum::routing::post(incidents::grade))
        .route("/api/v1/export/{file}", get(export::export))
        .route(
            "/api/v1/intake",
            axum::routing::post(intake::ingest).layer(axum::extract::DefaultBodyLimit::max(intake::MAX_BODY)),
        )
        .route("/api/v1/drafts", get(intake::drafts))
        .route("/api/v1/articles/{id}", get(intake::article))
        .route("/api/v1/drafts/{article}/{n}/accept", axum::routing::post(intake::accept))
        .route("/api/v1/drafts/{article}/{n}/reject", axum::routing::post(intake::reject))
        .route("/api/v1/incidents", get(incidents::list))
        .route("/api/v1/incidents/weeks", get(incidents::weeks))
        .route("/api/v1/incidents/{id}", get(incidents::get_one))
        .route("/api/v1/incidents/{id}/claims", axum::routing::post(incidents::attach))
        .route("/api/v1/incidents/{id}/claims/{claim}/detach", axum::routing::post(incidents::detach))
        .route("/api/v1/incidents/{id}/merge", axum::routing::post(incidents::merge))
        .route("/api/v1/incidents/{id}/split", axum::routing::post(incidents::split))
        .route("/api/v1/incidents/{id}/verification", axum::routing::post(incidents::verification))
        .route("/api/v1/incidents/{id}/endorsements", axum::routing::post(incidents::endorse))
        .route("/api/v1/incidents/{id}/disputes", axum::routing::post(incidents::dispute))
        .route("/api/v1/records", get(records::list).post(records::add))
        .route("/api/v1/records/{id}", get(records::get_one))
        .route("/api/v1/records/{id}/links", axum::routing::post(records::link))
        .route("/api/v1/records/{id}/erase-personal-data", axum::routing::post(records::erase))
        .route("/api/v1/provisions", get(records::provisions))
        .route("/api/v1/provisions/control-changes", get(records::control_changes))
        .route("/api/v1/provisions/{id}", get(records::provision))
        .route("/api/v1/scenario", get(meta::get_scenario))
        .route("/api/v1/places", get(places::search))
        .route("/api/v1/health", get(meta::health))
        .route("/api/v1/log", get(log::info))
        .route("/api/v1/log/checkpoint", axum::routing::post(log::sign_now))
        .route("/api/v1/log/checkpoints", get(log::checkpoints))
        .route("/api/v1/log/entries/{seq}", get(log::entry))
        .route("/api/v1/keys", get(keys::list).post(keys::register))
        .route("/api/v1/log/proof/inclusion", get(log::inclusion))
        .route("/api/v1/log/proof/consistency", get(log::consistency))
        .route("/log/checkpoint", get(log::checkpoint))
        .route("/log/tile/{*rest}", get(log::tile))
        .route("/api/v1/openapi.json", get(meta::openapi))
        .route("/api/v1/session", axum::routing::post(accounts::sign_in).delete(accounts::sign_out))
        .route("/api/v1/me", get(accounts::me))
        .route("/api/v1/users", get(accounts::list_users).post(accounts::add_user))
        .route("/api/v1/users/{name}/disable", axum::routing::post(accounts::disable_user))
        .route("/api/v1/users/{name}/tokens", get(accounts::list_tokens).post(accounts::issue))
        .route("/api/v1/tokens/{id}/revoke", axum::routing::post(accounts::revoke))
        .fallback(|uri: axum::http::Uri| async move { ApiError::NotFound(format!("no route for {}", uri.path())) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}

/// A request's query parameters, or 400 naming what does not parse.
pub(crate) fn query_params<T>(
    query: Result<axum::extract::Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, ApiError> {
    query.map(|axum::extract::Query(q)| q).map_err(|r| {
        let mut f = truce_core::FieldErrors::new();
        f.push("", r.body_text());
        ApiError::BadQuery(f)
    })
}

/// The scenario, or 503 when the database has none.
pub(crate) fn scenario(state: &AppState) -> Result<std::sync::Arc<truce_core::scenario::Scenario>, ApiError> {
    state.store.scenario().ok_or(ApiError::NotInitialised)
}
