//! Incidents: lists, one incident with the accounts side by side, and the monitors'
//! changes (attach, detach, merge, split, verification, endorsement), parties' disputes and
//! source grades. Every change carries the incident's version as read, so a change made
//! meanwhile is never silently overwritten.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use truce_core::FieldErrors;
use truce_core::access::{Action, Relation};
use truce_core::claims::PersonalData;
use truce_core::ids::ClaimId;
use truce_core::incidents::query::IncidentQuery;
use truce_core::incidents::{
    Endorsement, FindingInput, IncidentChange, IncidentId, SourceGrade, State as IncidentState, Transition,
    parse_evidence,
};
use utoipa::ToSchema;

use super::claims::parse_json;
use super::scenario;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

fn incident_id(id: &str) -> Result<IncidentId, ApiError> {
    IncidentId::parse(id).map_err(|_| ApiError::NotFound(format!("no incident with id {id:?}: not an incident id")))
}

/// The incident as the caller may see it: every incident for the mission, public ones for
/// everyone else. One that may not be seen answers as missing.
async fn read(state: &AppState, caller: &Caller, id: IncidentId) -> Result<Response, ApiError> {
    let public_only = !caller.may(Action::IncidentRead, Relation::Other);
    match state.store.incident(id, public_only, caller.personal_data()).await? {
        Some(d) => {
            let via = format!("GET /api/v1/incidents/{id}");
            super::journal_personal_read(state, caller, &d.personal_shown, via).await?;
            Ok(Json(d).into_response())
        }
        None => Err(ApiError::NotFound(format!("no incident with id {id}"))),
    }
}

/// A page of incidents.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct IncidentPageDoc {
    /// Incidents, newest first: id, state, public, version, state_since, deadline, overdue,
    /// occurred, bbox, event_types, claimants, accused, claims, occurrence, attribution.
    #[schema(value_type = Vec<Object>)]
    items: Vec<()>,
    /// Pass as `cursor` for the next page.
    next_cursor: Option<String>,
}

/// List incidents, newest first: the claim filters, plus state, attribution and overdue.
#[utoipa::path(
    get, path = "/api/v1/incidents", tag = "incidents",
    params(IncidentQuery),
    responses((status = 200, body = IncidentPageDoc), (status = 400, body = ErrorBody))
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<IncidentQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let filter = visible(&state, &caller, query)?;
    Ok(Json(state.store.incidents(filter).await?).into_response())
}

/// The list's filter as asked, narrowed to what the caller may read.
fn visible(
    state: &AppState,
    caller: &Caller,
    query: Result<Query<IncidentQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<truce_core::incidents::query::IncidentFilter, ApiError> {
    let query = super::query_params(query)?;
    let mut filter = query.parse(&*scenario(state)?).map_err(ApiError::BadQuery)?;
    filter.public_only = !caller.may(Action::IncidentRead, Relation::Other);
    Ok(filter)
}

/// How many incidents the list's filters find per week (Monday, UTC) of when they began,
/// oldest first, weeks without any left out: the timeline under the overview's map.
#[utoipa::path(
    get, path = "/api/v1/incidents/weeks", tag = "incidents",
    params(IncidentQuery),
    responses((status = 200, body = Vec<WeekCountDoc>), (status = 400, body = ErrorBody))
)]
pub(crate) async fn weeks(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<IncidentQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let filter = visible(&state, &caller, query)?;
    Ok(Json(state.store.incident_weeks(filter).await?).into_response())
}

/// Incidents begun in one week.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct WeekCountDoc {
    /// The Monday the week begins, `YYYY-MM-DD`.
    week: String,
    /// How many.
    count: u64,
}

/// One incident: its accounts grouped by claimant, where they differ (casualties per party,
/// place, time, accused, type), its finding and endorsements, its verification history, and
/// the journal entry and inclusion proof behind each item.
#[utoipa::path(
    get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = String, Path, description = "Incident id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody))
)]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    read(&state, &caller, incident_id(&id)?).await
}

fn required_text(e: &mut FieldErrors, field: &str, v: Option<&str>) -> String {
    match v.map(str::trim) {
        None | Some("") => {
            e.push(field, "is required");
            String::new()
        }
        Some(t) if t.chars().count() > 5000 => {
            e.push(field, "must be at most 5000 characters");
            String::new()
        }
        Some(t) => t.to_owned(),
    }
}

fn version(e: &mut FieldErrors, v: Option<u64>) -> Option<u64> {
    if v.is_none() {
        e.push("version", "is required: the incident's version as read, so a change made since is not overwritten");
    }
    v
}

fn claim_id(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<ClaimId> {
    match v {
        None | Some("") => {
            e.push(field, "is required");
            None
        }
        Some(s) => e.take(field, ClaimId::parse(s)),
    }
}

/// Attach a claim.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttachInput {
    /// The claim's id (required).
    claim: Option<String>,
    /// Why (required).
    reason: Option<String>,
    /// The incident's version as read (required).
    version: Option<u64>,
}

/// Attach a claim to this incident, taking it out of the one it is in (monitors).
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/claims", tag = "incidents", request_body = AttachInput,
    params(("id" = String, Path, description = "Incident id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn attach(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IncidentManage, Relation::Any)?;
    let incident = incident_id(&id)?;
    let input: AttachInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = FieldErrors::new();
    let claim = claim_id(&mut e, "claim", input.claim.as_deref());
    let reason = required_text(&mut e, "reason", input.reason.as_deref());
    let v = version(&mut e, input.version);
    let (Some(claim), true) = (claim, e.is_empty()) else { return Err(ApiError::Invalid(e)) };
    let change = IncidentChange::Attached { incident, claim, reason };
    state.store.execute_incident(caller.actor(), change, v).await?;
    read(&state, &caller, incident).await
}

/// Detach a claim.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReasonInput {
    /// Why (required).
    reason: Option<String>,
    /// The incident's version as read (required).
    version: Option<u64>,
}

fn created(state_detail: Response, id: IncidentId) -> Response {
    let mut r = state_detail;
    *r.status_mut() = StatusCode::CREATED;
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/incidents/{id}")) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Detach a claim from this incident into a new incident of its own (monitors). Answers
/// with the new incident.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/claims/{claim}/detach", tag = "incidents", request_body = ReasonInput,
    params(("id" = String, Path, description = "Incident id"), ("claim" = String, Path, description = "Claim id")),
    responses((status = 201, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn detach(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, claim)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IncidentManage, Relation::Any)?;
    let incident = incident_id(&id)?;
    let claim = ClaimId::parse(&claim).map_err(|e| ApiError::NotFound(e.to_string()))?;
    let input: ReasonInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = FieldErrors::new();
    let reason = required_text(&mut e, "reason", input.reason.as_deref());
    let v = version(&mut e, input.version);
    e.into_result(()).map_err(ApiError::Invalid)?;
    let into = IncidentId::new();
    state.store.execute_incident(caller.actor(), IncidentChange::Detached { incident, claim, into, reason }, v).await?;
    Ok(created(read(&state, &caller, into).await?, into))
}

/// Merge this incident into another.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MergeInput {
    /// The incident that remains (required).
    into: Option<String>,
    /// Why (required).
    reason: Option<String>,
    /// This incident's version as read (required).
    version: Option<u64>,
}

/// Merge this incident into another (monitors): its claims move there and it becomes
/// `merged`. Answers with the incident that remains.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/merge", tag = "incidents", request_body = MergeInput,
    params(("id" = String, Path, description = "Incident id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IncidentManage, Relation::Any)?;
    let from = incident_id(&id)?;
    let input: MergeInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = FieldErrors::new();
    let into = match input.into.as_deref() {
        None | Some("") => {
            e.push("into", "is required");
            None
        }
        Some(s) => e.take("into", IncidentId::parse(s)),
    };
    let reason = required_text(&mut e, "reason", input.reason.as_deref());
    let v = version(&mut e, input.version);
    let (Some(into), true) = (into, e.is_empty()) else { return Err(ApiError::Invalid(e)) };
    state.store.execute_incident(caller.actor(), IncidentChange::Merged { from, into, reason }, v).await?;
    read(&state, &caller, into).await
}

/// Split claims off this incident.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SplitInput {
    /// The claims that form the new incident (required; some, not all).
    #[serde(default)]
    claims: Vec<String>,
    /// Why (required).
    reason: Option<String>,
    /// The incident's version as read (required).
    version: Option<u64>,
}

/// Split claims off this incident into a new one (monitors). Answers with the new incident.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/split", tag = "incidents", request_body = SplitInput,
    params(("id" = String, Path, description = "Incident id")),
    responses((status = 201, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn split(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IncidentManage, Relation::Any)?;
    let from = incident_id(&id)?;
    let input: SplitInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = FieldErrors::new();
    if input.claims.is_empty() {
        e.push("claims", "name at least one claim to split off");
    }
    let claims: Vec<ClaimId> = input
        .claims
        .iter()
        .enumerate()
        .filter_map(|(i, c)| e.take(format!("claims[{i}]"), ClaimId::parse(c)))
        .collect();
    let reason = required_text(&mut e, "reason", input.reason.as_deref());
    let v = version(&mut e, input.version);
    e.into_result(()).map_err(ApiError::Invalid)?;
    let into = IncidentId::new();
    state.store.execute_incident(caller.actor(), IncidentChange::Split { from, into, claims, reason }, v).await?;
    Ok(created(read(&state, &caller, into).await?, into))
}

/// A verification step.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerificationInput {
    /// The state to move to (required).
    to: Option<String>,
    /// Why (required).
    reason: Option<String>,
    /// `{"claim": id}`, `{"attachment": sha256}` or `{"report": reference}` items.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    evidence: Vec<serde_json::Value>,
    /// The finding, when moving to `finding_proposed` (required then, refused otherwise).
    finding: Option<FindingInput>,
    /// The incident's version as read (required).
    version: Option<u64>,
}

/// Move the incident along its verification path (monitors). Allowed moves: reported →
/// under_review | access_denied; under_review → finding_proposed | access_denied;
/// access_denied → under_review | finding_proposed; finding_proposed → under_review;
/// endorsed → published | under_review; published → reopened; disputed, reopened →
/// under_review. Others are refused with 409 naming the allowed ones.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/verification", tag = "incidents", request_body = VerificationInput,
    params(("id" = String, Path, description = "Incident id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn verification(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IncidentTransition, Relation::Any)?;
    let incident = incident_id(&id)?;
    let input: VerificationInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let sc = scenario(&state)?;
    let mut e = FieldErrors::new();
    let to = match input.to.as_deref() {
        None | Some("") => {
            e.push("to", "is required");
            None
        }
        Some(s) => e.take("to", IncidentState::parse(s)),
    };
    if to == Some(IncidentState::Published) {
        caller.require(Action::IncidentPublish, Relation::Any)?;
    }
    let reason = required_text(&mut e, "reason", input.reason.as_deref());
    let evidence = parse_evidence(&input.evidence, "evidence", &mut e);
    let finding = match (to, input.finding) {
        (Some(IncidentState::FindingProposed), Some(f)) => f.validate(&sc, "finding.", &mut e),
        (Some(IncidentState::FindingProposed), None) => {
            e.push("finding", "is required to propose a finding");
            None
        }
        (_, Some(_)) => {
            e.push("finding", "is given only with to = finding_proposed");
            None
        }
        (_, None) => None,
    };
    let v = version(&mut e, input.version);
    let (Some(to), true) = (to, e.is_empty()) else { return Err(ApiError::Invalid(e)) };
    let (from, _, _) = state
        .store
        .incident_state(incident)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no incident {incident}")))?;
    let t = Transition { incident, from, to, reason, evidence, finding };
    state.store.execute_incident(caller.actor(), IncidentChange::Transitioned(t), v).await?;
    read(&state, &caller, incident).await
}

/// An endorsement or dissent.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EndorseInput {
    /// true to endorse, false to dissent (required).
    endorse: Option<bool>,
    /// Reasons (required for a dissent; published with the finding).
    #[serde(default)]
    reasons: String,
    /// The incident's version as read (required).
    version: Option<u64>,
}

/// Endorse or dissent from the proposed finding (members of the scenario's endorsing body).
/// Once the body's rule is met the incident is `endorsed`.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/endorsements", tag = "incidents", request_body = EndorseInput,
    params(("id" = String, Path, description = "Incident id")),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn endorse(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IncidentEndorse, Relation::Any)?;
    let incident = incident_id(&id)?;
    let input: EndorseInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = FieldErrors::new();
    if input.endorse.is_none() {
        e.push("endorse", "is required: true to endorse, false to dissent");
    }
    if input.endorse == Some(false) && input.reasons.trim().is_empty() {
        e.push("reasons", "a dissent gives its reasons");
    }
    if input.reasons.chars().count() > 5000 {
        e.push("reasons", "must be at most 5000 characters");
    }
    let v = version(&mut e, input.version);
    e.into_result(()).map_err(ApiError::Invalid)?;
    let (_, _, round) = state
        .store
        .incident_state(incident)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no incident {incident}")))?;
    let change = IncidentChange::Endorsed(Endorsement {
        incident,
        round: u32::try_from(round).unwrap_or(0),
        endorse: input.endorse.unwrap_or(false),
        reasons: input.reasons.trim().to_owned(),
    });
    state.store.execute_incident(caller.actor(), change, v).await?;
    read(&state, &caller, incident).await
}

/// A dispute.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DisputeInput {
    /// The counter-claim: a claim your organisation submitted (required).
    claim: Option<String>,
    /// Why the finding is contested (required).
    reason: Option<String>,
}

/// Contest a published finding (a party, with its own counter-claim): the counter-claim is
/// linked to the incident, which becomes `disputed` and goes back to the monitors.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/disputes", tag = "incidents", request_body = DisputeInput,
    params(("id" = String, Path, description = "Incident id")),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn dispute(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IncidentDispute, Relation::Own)?;
    let incident = incident_id(&id)?;
    let input: DisputeInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = FieldErrors::new();
    let claim = claim_id(&mut e, "claim", input.claim.as_deref());
    let reason = required_text(&mut e, "reason", input.reason.as_deref());
    let (Some(claim), true) = (claim, e.is_empty()) else { return Err(ApiError::Invalid(e)) };
    // The counter-claim must be the organisation's own; another's answers as missing.
    let access = state.store.claim(claim, PersonalData::default()).await?.map(|(_, a, _)| a);
    match access {
        Some(a) if caller.relation_to(a.org.as_deref()) == Relation::Own => {}
        Some(a) if caller.may_read_claim(Action::ClaimRead, &a) => {
            caller.require(Action::IncidentDispute, Relation::Other)?;
        }
        _ => return Err(ApiError::NotFound(format!("no claim with id {claim}"))),
    }
    // Only a published incident can be disputed; an unpublished one answers as missing.
    if state.store.incident(incident, true, PersonalData::default()).await?.is_none() {
        return Err(ApiError::NotFound(format!("no incident with id {incident}")));
    }
    state.store.execute_incident(caller.actor(), IncidentChange::Disputed { incident, claim, reason }, None).await?;
    read(&state, &caller, incident).await
}

/// A source grade.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GradeInput {
    /// Source reliability, A (completely reliable) to F (cannot be judged) (required).
    reliability: Option<String>,
    /// Information credibility, 1 (confirmed) to 6 (cannot be judged) (required).
    credibility: Option<u8>,
    /// Why.
    #[serde(default)]
    note: String,
}

/// Grade a claim's source on the Admiralty scale (monitors); the grade is shown beside the
/// account in its incident.
#[utoipa::path(
    post, path = "/api/v1/claims/{id}/grade", tag = "incidents", request_body = GradeInput,
    params(("id" = String, Path, description = "Claim id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn grade(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::SourceGrade, Relation::Any)?;
    let claim = ClaimId::parse(&id).map_err(|_| ApiError::NotFound(format!("no claim with id {id:?}")))?;
    let input: GradeInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = FieldErrors::new();
    let reliability = match input.reliability.as_deref() {
        Some(r) if r.len() == 1 && ('A'..='F').contains(&r.chars().next().unwrap_or('Z')) => r.chars().next(),
        None | Some("") => {
            e.push("reliability", "is required: A to F");
            None
        }
        Some(r) => {
            e.push("reliability", format!("{r:?} is not one of A, B, C, D, E, F"));
            None
        }
    };
    match input.credibility {
        Some(1..=6) => {}
        None => e.push("credibility", "is required: 1 to 6"),
        Some(c) => e.push("credibility", format!("{c} is not between 1 and 6")),
    }
    if input.note.chars().count() > 2000 {
        e.push("note", "must be at most 2000 characters");
    }
    let (Some(reliability), Some(credibility), true) = (reliability, input.credibility, e.is_empty()) else {
        return Err(ApiError::Invalid(e));
    };
    let g = SourceGrade { claim, reliability, credibility, note: input.note.trim().to_owned() };
    state.store.execute_incident(caller.actor(), IncidentChange::Graded(g), None).await?;
    match state.store.incident_of_claim(claim).await? {
        Some(inc) => read(&state, &caller, incident_id(&inc)?).await,
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}
