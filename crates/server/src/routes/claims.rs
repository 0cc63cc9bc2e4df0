//! Claims: submit, read one, list with filters.

use super::scenario;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use truce_core::FieldErrors;
use truce_core::access::{Action, Relation};
use truce_core::claims::signing::{PendingSignature, verify_all};
use truce_core::claims::{Claim, ClaimBatch, ClaimBody, ClaimInput, ClaimQuery};
use truce_core::ids::ClaimId;
use truce_core::journal::Command;
use truce_store::{Appended, ClaimPage, Projected};

/// Parses a JSON body into `T`: 400 when it is not JSON; 422 naming every field whose
/// type is wrong. Serde stops at the first such field, so each one found is recorded and
/// taken out, and the parse is tried again, until it succeeds or nothing more can be taken.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<T, ApiError> {
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(limit)
        } else {
            ApiError::MalformedJson(r.body_text())
        }
    })?;
    // The common case: one pass straight from the bytes, without tracking the path (which
    // only a wrong field needs, and the passes below find).
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    match T::deserialize(&mut de) {
        Ok(v) => {
            de.end().map_err(|e| ApiError::MalformedJson(e.to_string()))?;
            return Ok(v);
        }
        Err(e) if e.classify() != serde_json::error::Category::Data => {
            return Err(ApiError::MalformedJson(e.to_string()));
        }
        Err(_) => {}
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    let mut errors = FieldErrors::new();
    for _ in 0..64 {
        let e = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(v) if errors.is_empty() => return Ok(v),
            Ok(_) => break,
            Err(e) => e,
        };
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path.clone() };
        errors.push(field, strip_position(&e.inner().to_string()));
        if !remove_at(&mut value, e.path()) {
            break;
        }
    }
    Err(ApiError::WrongShape(errors))
}

/// Takes the value at `path` out of `value` (a whole array when the path ends in an
/// element, so later indices keep their meaning). False when there is nothing to take.
fn remove_at(value: &mut serde_json::Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((last, parents)) = segments.split_last() else { return false };
    let (target, parents) = match last {
        Segment::Seq { .. } => match parents.split_last() {
            Some((Segment::Map { key }, rest)) => (key.as_str(), rest),
            _ => return false,
        },
        Segment::Map { key } => (key.as_str(), parents),
        _ => return false,
    };
    let mut node = value;
    for seg in parents {
        node = match (seg, node) {
            (Segment::Map { key }, serde_json::Value::Object(m)) => match m.get_mut(key) {
                Some(v) => v,
                None => return false,
            },
            (Segment::Seq { index }, serde_json::Value::Array(a)) => match a.get_mut(*index) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match node {
        serde_json::Value::Object(m) => m.remove(target).is_some(),
        _ => false,
    }
}

/// The JSON of the claim a submission recorded.
fn claim_json(appended: Appended) -> Result<Box<serde_json::value::RawValue>, ApiError> {
    match appended.projected {
        Projected::Claim(claim) => Ok(claim),
        _ => Err(ApiError::Internal("a claim submission projected something else".into())),
    }
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Submit a claim.
///
/// The claim is validated against the scenario; every bad field is reported at once and
/// nothing is written. On success the claim is durable in the journal before the answer.
#[utoipa::path(
    post, path = "/api/v1/claims", tag = "claims",
    request_body = ClaimInput,
    responses(
        (status = 201, description = "Recorded", body = Claim),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub(crate) async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::ClaimSubmit, Relation::Own)?;
    let (input, raw): (ClaimInput, _) = parse_keeping_json(body, crate::MAX_BODY_BYTES)?;
    let signed = input.signature.is_some();
    let scenario = scenario(&state)?;
    let mut claim = input.validate(&scenario).map_err(ApiError::Invalid)?;
    may_claim_for(&caller, std::iter::once((String::from("claimant"), &claim)))?;
    if signed {
        let value = raw.into_value()?;
        attach_signatures(&state, vec![(value, &mut claim, String::new())]).await?;
    }
    let appended = state.store.execute(caller.actor(), Command::SubmitClaim(Box::new(claim))).await?;
    let id = appended.id;
    let claim = claim_json(appended)?;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/claims/{id}")) {
        headers.insert(header::LOCATION, v);
    }
    Ok((StatusCode::CREATED, headers, String::from(Box::<str>::from(claim))).into_response())
}

/// Refuses claims made in another organisation's name by a caller who may claim only for
/// its own (a party's liaison), naming each such claimant field.
fn may_claim_for<'a>(caller: &Caller, claims: impl Iterator<Item = (String, &'a ClaimBody)>) -> Result<(), ApiError> {
    let mut bad = Vec::new();
    for (field, claim) in claims {
        let relation = caller.relation_to(Some(claim.claimant.as_str()));
        if !caller.may(Action::ClaimSubmit, relation) {
            bad.push(field);
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    let org = caller.org().map(|o| o.to_string()).unwrap_or_default();
    Err(ApiError::Forbidden(format!(
        "{}: a {} user may claim only for its own organisation {org}",
        bad.join(", "),
        match caller.viewer() {
            truce_core::access::Viewer::User(r) => r.as_str(),
            truce_core::access::Viewer::Public => "public",
        }
    )))
}

/// A request body kept beside its typed parse, for the JSON a signature covers.
struct RawJson {
    bytes: Option<Bytes>,
    /// Parsed already when the body visibly carries a signature.
    value: Option<serde_json::Value>,
}

impl RawJson {
    /// The body as JSON: the value parsed already, or a parse now (a `signature` key written
    /// with an escape escapes the quick scan), so a signature is never skipped.
    fn into_value(self) -> Result<serde_json::Value, ApiError> {
        match self.value {
            Some(v) => Ok(v),
            None => serde_json::from_slice(self.bytes.as_deref().unwrap_or_default())
                .map_err(|e| ApiError::MalformedJson(e.to_string())),
        }
    }
}

/// [`parse_json`], keeping the body. A body that carries a signature is parsed once into a
/// JSON value and the typed input taken from it, since the signed bytes need the value too.
fn parse_keeping_json<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<(T, RawJson), ApiError> {
    const NEEDLE: &[u8] = b"\"signature\"";
    let bytes = body.as_ref().ok().cloned();
    let value = bytes
        .as_deref()
        .filter(|b| b.windows(NEEDLE.len()).any(|w| w == NEEDLE))
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok());
    // When the value does not fit the type, the byte parser reports every bad field.
    let typed = match value.as_ref().and_then(|v| T::deserialize(v).ok()) {
        Some(t) => t,
        None => parse_json(body, limit)?,
    };
    Ok((typed, RawJson { bytes, value }))
}

/// Verifies the signatures of signed claims against the claimants' registered keys and
/// keeps each in its claim; any bad one fails the whole request with every bad field named.
async fn attach_signatures(
    state: &AppState,
    work: Vec<(serde_json::Value, &mut ClaimBody, String)>,
) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    let mut pending = Vec::with_capacity(work.len());
    let mut targets = Vec::with_capacity(work.len());
    for (value, claim, prefix) in work {
        match PendingSignature::parse(value, &prefix) {
            Ok(Some(p)) => {
                pending.push((p, claim.claimant.clone(), prefix));
                targets.push(claim);
            }
            Ok(None) => {}
            Err(e) => errors.0.extend(e.0),
        }
    }
    errors.into_result(()).map_err(ApiError::Invalid)?;
    let refs = pending.iter().map(|(p, _, _)| (p.name.clone(), p.key_id)).collect();
    let ring = state.store.key_ring(refs).await?;
    let mut errors = FieldErrors::new();
    for (result, claim) in verify_all(pending, &ring).into_iter().zip(targets) {
        match result {
            Ok(sig) => claim.signature = Some(sig),
            Err(e) => errors.0.extend(e.0),
        }
    }
    errors.into_result(()).map_err(ApiError::Invalid)
}

/// Read one claim.
#[utoipa::path(
    get, path = "/api/v1/claims/{id}", tag = "claims",
    params(("id" = String, Path, description = "Claim id (ULID)")),
    responses(
        (status = 200, body = Claim),
        (status = 404, body = ErrorBody),
    )
)]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    scenario(&state)?;
    let Ok(claim_id) = ClaimId::parse(&id) else {
        return Err(ApiError::NotFound(format!("no claim with id {id:?}: not a claim id")));
    };
    match state.store.claim(claim_id, caller.personal_data()).await? {
        // A claim the caller may not read answers exactly as one that does not exist, so
        // its existence is not revealed either.
        Some((raw, access, personal)) if caller.may_read_claim(Action::ClaimRead, &access) => {
            if personal {
                let via = format!("GET /api/v1/claims/{claim_id}");
                super::journal_personal_read(&state, &caller, &[claim_id.to_string()], via).await?;
            }
            Ok(([(header::CONTENT_TYPE, "application/json")], raw.get().to_owned()).into_response())
        }
        _ => Err(ApiError::NotFound(format!("no claim with id {id:?}"))),
    }
}

/// A page of claims.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct ClaimPageDoc {
    /// Claims, newest submission first.
    items: Vec<Claim>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    next_cursor: Option<String>,
}

/// List claims, filtered, newest submission first, with cursor pagination.
#[utoipa::path(
    get, path = "/api/v1/claims", tag = "claims",
    params(ClaimQuery),
    responses(
        (status = 200, body = ClaimPageDoc),
        (status = 400, description = "Invalid parameters", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ClaimQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ClaimPage>, ApiError> {
    let query = super::query_params(query)?;
    let scenario = scenario(&state)?;
    let mut filter = query.parse(&scenario).map_err(ApiError::BadQuery)?;
    filter.visible = caller.claim_visibility();
    filter.personal = caller.personal_data();
    let page = state.store.claims(filter).await?;
    super::journal_personal_read(&state, &caller, &page.personal_shown, "GET /api/v1/claims".into()).await?;
    Ok(Json(page))
}

/// The claims recorded by a batch, in the order given.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct ClaimBatchDoc {
    /// One claim per input, in order.
    items: Vec<Claim>,
}

/// Submit up to 1000 claims at once, all or none.
///
/// For bulk submission (a party's reporting system, an import). Every claim is validated
/// first; if any field of any claim is bad, the answer names each one (`claims[3].accused`)
/// and nothing is written. Otherwise every claim becomes its own journal entry, all in one
/// transaction, durable before the answer.
#[utoipa::path(
    post, path = "/api/v1/claims/batch", tag = "claims",
    request_body = ClaimBatch,
    responses(
        (status = 201, description = "All recorded", body = ClaimBatchDoc),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid fields; nothing was written", body = ErrorBody),
    )
)]
pub(crate) async fn submit_batch(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::ClaimSubmit, Relation::Own)?;
    let (batch, raw): (ClaimBatch, _) = parse_keeping_json(body, crate::MAX_BATCH_BODY_BYTES)?;
    let signed: Vec<bool> = batch.claims.iter().map(|c| c.signature.is_some()).collect();
    let scenario = scenario(&state)?;
    let mut claims = batch.validate(&scenario).map_err(ApiError::Invalid)?;
    may_claim_for(&caller, claims.iter().enumerate().map(|(i, c)| (format!("claims[{i}].claimant"), c)))?;
    if signed.contains(&true) {
        let mut value = raw.into_value()?;
        let items = match value.get_mut("claims").map(serde_json::Value::take) {
            Some(serde_json::Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let mut work = Vec::with_capacity(items.len());
        for (i, (claim, v)) in claims.iter_mut().zip(items).enumerate() {
            if signed.get(i).copied().unwrap_or(false) {
                work.push((v, claim, format!("claims[{i}].")));
            }
        }
        attach_signatures(&state, work).await?;
    }
    let commands = claims.into_iter().map(|c| Command::SubmitClaim(Box::new(c))).collect();
    let appended = state.store.execute_all(caller.actor(), commands).await?;
    let mut out = String::with_capacity(appended.len() * 1024 + 16);
    out.push_str("{\"items\":[");
    for (i, a) in appended.into_iter().enumerate() {
        let claim = claim_json(a)?;
        if i > 0 {
            out.push(',');
        }
        out.push_str(claim.get());
    }
    out.push_str("]}");
    Ok((StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json")], out).into_response())
}
