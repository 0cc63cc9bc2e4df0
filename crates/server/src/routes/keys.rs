//! Submitters' signing keys: register one for a party, list them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use truce_core::access::{Action, Relation};
use truce_core::journal::Command;
use truce_core::keys::{KeyInput, KeyRegistration};
use utoipa::ToSchema;

use super::claims::parse_json;
use super::scenario;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// A registered key.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct KeyView {
    /// The party it signs for.
    party: String,
    /// The verifier key.
    key: String,
    /// The journal entry that registered it.
    seq: u64,
}

/// Register an organisation's Ed25519 signing key, so claims it signs can be verified.
#[utoipa::path(
    post, path = "/api/v1/keys", tag = "keys",
    request_body = KeyInput,
    responses(
        (status = 201, body = KeyView),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not the caller's organisation", body = ErrorBody),
        (status = 409, description = "Already registered", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
pub(crate) async fn register(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::KeyRegister, Relation::Own)?;
    let input: KeyInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let reg: KeyRegistration = input.validate(&*scenario(&state)?).map_err(ApiError::Invalid)?;
    caller.require(Action::KeyRegister, caller.relation_to(Some(reg.party.as_str())))?;
    let (party, key) = (reg.party.to_string(), reg.key.clone());
    let appended = state.store.execute(caller.actor(), Command::RegisterKey(Box::new(reg))).await?;
    Ok((StatusCode::CREATED, Json(KeyView { party, key, seq: appended.seq })).into_response())
}

/// Every registered signing key.
#[utoipa::path(get, path = "/api/v1/keys", tag = "keys", responses((status = 200, body = Vec<KeyView>)))]
pub(crate) async fn list(State(state): State<AppState>) -> Result<Json<Vec<KeyView>>, ApiError> {
    Ok(Json(
        state
            .store
            .registered_keys()
            .await?
            .into_iter()
            .map(|k| KeyView { party: k.party, key: k.key, seq: k.seq })
            .collect(),
    ))
}
