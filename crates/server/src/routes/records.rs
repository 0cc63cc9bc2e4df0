//! Provision records and the compliance view: `POST/GET /api/v1/records`,
//! `GET /api/v1/records/{id}`, `POST /api/v1/records/{id}/links`, `GET /api/v1/provisions`,
//! `GET /api/v1/provisions/{id}` and `GET /api/v1/provisions/control-changes`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use truce_core::access::{Action, Relation};
use truce_core::error::FieldErrors;
use truce_core::journal::{Command, PersonalDataErased, PersonalDataRead};
use truce_core::provisions::compliance::{self, ChangeStatus, Compliance};
use truce_core::provisions::{Record, RecordData, RecordId, RecordLinks};
use truce_core::time::TimeInput;
use truce_store::{ClaimAccess, PersonKept, RecordFilter, RecordLink, RecordRow, linked_incidents};
use utoipa::{IntoParams, ToSchema};

use super::claims::parse_json;
use super::scenario;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// Most records one list returns.
const MAX_LIMIT: u32 = 500;

/// A record as served.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecordView {
    /// The record's id.
    id: String,
    /// Its journal entry.
    seq: u64,
    /// Its kind.
    kind: String,
    /// The provision it concerns.
    provision: Option<String>,
    /// What it says: its `kind` and that kind's fields.
    #[schema(value_type = Object)]
    #[serde(serialize_with = "truce_core::provisions::kinded::serialize")]
    record: RecordData,
    /// Where the mission has it from.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    /// Who recorded it.
    recorded_by: String,
    /// When (RFC 3339).
    recorded_at: String,
    /// Linked claims the reader may read.
    claims: Vec<String>,
    /// Linked incidents the reader may read.
    incidents: Vec<String>,
    /// A named detainee's particulars, for readers the permission matrix lets see them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    person: Option<truce_core::provisions::Person>,
    /// What is withheld from this reader (`person`), if anything.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    withheld: Vec<String>,
    /// True once the particulars were erased (the record keeps their hash).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    person_erased: bool,
    /// A detainee's status history (held, visited, exchanged…), oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    history: Option<Vec<compliance::StatusStep>>,
}

/// Whether the caller may see the particulars of a detainee of `side`.
fn may_see_person(caller: &Caller, row: &RecordRow) -> bool {
    let side = match &row.record.record {
        RecordData::Detainee { side, .. } => Some(side.as_str()),
        _ => None,
    };
    caller.may(Action::PersonalDataRead, caller.relation_to(side))
}

fn view(caller: &Caller, row: RecordRow) -> RecordView {
    let (person, withheld, person_erased) = match &row.person {
        PersonKept::None => (None, Vec::new(), false),
        PersonKept::Erased => (None, Vec::new(), true),
        PersonKept::Kept(p) if may_see_person(caller, &row) => (Some(p.clone()), Vec::new(), false),
        PersonKept::Kept(_) => (None, vec!["person".to_owned()], false),
    };
    let mut claims = Vec::new();
    let mut incidents = Vec::new();
    for link in row.links {
        match link {
            RecordLink::Claim { id, org, public } => {
                if caller.may_read_claim(Action::ClaimRead, &ClaimAccess { org, public }) {
                    claims.push(id);
                }
            }
            RecordLink::Incident { id, public } => {
                if caller.may(Action::IncidentRead, Relation::Other)
                    || (public && caller.may(Action::IncidentRead, Relation::Published))
                {
                    incidents.push(id);
                }
            }
        }
    }
    RecordView {
        id: row.id.to_string(),
        seq: row.seq,
        kind: row.record.record.kind().to_owned(),
        provision: row.record.provision,
        record: row.record.record,
        source: row.record.source,
        recorded_by: row.actor,
        recorded_at: truce_core::time::fmt(row.recorded_at),
        claims,
        incidents,
        person,
        withheld,
        person_erased,
        history: None,
    }
}

/// The views of `rows`, journaling first the reads of any particulars they show.
async fn views(
    state: &AppState,
    caller: &Caller,
    rows: Vec<RecordRow>,
    via: String,
) -> Result<Vec<RecordView>, ApiError> {
    let shown: Vec<RecordId> = rows
        .iter()
        .filter(|r| matches!(r.person, PersonKept::Kept(_)) && may_see_person(caller, r))
        .map(|r| r.id)
        .collect();
    if !shown.is_empty() {
        let read = PersonalDataRead { claims: Vec::new(), via, records: shown };
        state.store.execute(caller.actor(), Command::PersonalDataRead(read)).await?;
    }
    Ok(rows.into_iter().map(|r| view(caller, r)).collect())
}

fn record_id(s: &str) -> Result<RecordId, ApiError> {
    RecordId::parse(s).map_err(|e| {
        let mut f = FieldErrors::new();
        f.push("id", e);
        ApiError::BadQuery(f)
    })
}

async fn read_one(state: &AppState, caller: &Caller, id: RecordId, via: String) -> Result<RecordView, ApiError> {
    let Some(row) = state.store.record(id).await? else {
        return Err(ApiError::NotFound(format!("no record with id {id}")));
    };
    let is_detainee = matches!(row.record.record, RecordData::Detainee { .. });
    let mut v = views(state, caller, vec![row], via).await?.remove(0);
    if is_detainee {
        // A detainee's history is told by the detainee, status and exchange records alone.
        let records = state.store.records_of_kinds(&["detainee", "detainee_status", "exchange"]).await?;
        v.history = compliance::detainee_histories(&records).remove(&id);
    }
    Ok(v)
}

/// Add a provision record: a line version, position, change of control, deadline status,
/// post, patrol, observation, access restriction, crossing count, closure, return or
/// mediation item. Monitors only.
#[utoipa::path(
    post, path = "/api/v1/records", tag = "provisions",
    request_body = Record,
    responses(
        (status = 201, body = RecordView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "A linked claim or incident does not exist", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
pub(crate) async fn add(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::RecordWrite, Relation::Any)?;
    let value: serde_json::Value = parse_json(body, crate::MAX_BODY_BYTES)?;
    let input = Record::from_json(value).map_err(ApiError::WrongShape)?;
    let (mut record, _) = input.validate(&*scenario(&state)?).map_err(ApiError::Invalid)?;
    check_detainees(&state, &record).await?;
    let person = record.take_person().map_err(|e| ApiError::Internal(format!("keeping the particulars: {e}")))?;
    let appended = state.store.execute(caller.actor(), Command::AddRecord(Box::new(record), person)).await?;
    let v = read_one(&state, &caller, RecordId(appended.id), "POST /api/v1/records".into()).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// A detainee a record names: the field, the id, the record's date and, for an exchange,
/// the direction (from, to).
type Named<'a> = (String, RecordId, &'a str, Option<(&'a str, &'a str)>);

/// A status or an exchange must name detainee records, dated after their capture, and an
/// exchange must hand each over from its holder to its side. Refused field by field (422);
/// the writer checks existence again when it appends.
async fn check_detainees(state: &AppState, record: &Record) -> Result<(), ApiError> {
    let mut e = FieldErrors::new();
    let named: Vec<Named<'_>> = match &record.record {
        RecordData::DetaineeStatus { detainee, at, .. } => {
            vec![("record.detainee".into(), *detainee, at.as_str(), None)]
        }
        RecordData::Exchange { transfers, date, .. } => transfers
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                t.detainees.iter().enumerate().map(move |(j, d)| {
                    (
                        format!("record.transfers[{i}].detainees[{j}]"),
                        *d,
                        date.as_str(),
                        Some((t.from.as_str(), t.to.as_str())),
                    )
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    for (field, id, when, direction) in named {
        let Some(row) = state.store.record(id).await? else {
            e.push(field, format!("no record {id}"));
            continue;
        };
        let RecordData::Detainee { captured_at, held_by, side, .. } = &row.record.record else {
            e.push(field, format!("record {id} is a {} record, not a detainee", row.record.record.kind()));
            continue;
        };
        if when < captured_at.as_str() {
            e.push(field.clone(), format!("dated {when}, before the capture ({captured_at})"));
        }
        if let Some((from, to)) = direction
            && (from != held_by || to != side)
        {
            e.push(
                field,
                format!(
                    "held by {held_by} and of {side}: it is handed over from {held_by} to {side}, not {from} to {to}"
                ),
            );
        }
    }
    e.into_result(()).map_err(ApiError::Invalid)
}

/// Links to add to a record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinksInput {
    /// Claim ids.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    claims: Vec<truce_core::ids::ClaimId>,
    /// Incident ids.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    incidents: Vec<truce_core::incidents::IncidentId>,
}

/// Link a record to claims and incidents (a journal entry of its own).
#[utoipa::path(
    post, path = "/api/v1/records/{id}/links", tag = "provisions",
    params(("id" = String, Path, description = "Record id")),
    request_body = LinksInput,
    responses(
        (status = 200, body = RecordView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
pub(crate) async fn link(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::RecordWrite, Relation::Any)?;
    let record = record_id(&id)?;
    let input: LinksInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let links = RecordLinks { record, claims: input.claims, incidents: input.incidents };
    links.validate().map_err(ApiError::Invalid)?;
    state.store.execute(caller.actor(), Command::LinkRecord(links)).await?;
    Ok(Json(read_one(&state, &caller, record, format!("POST /api/v1/records/{record}/links")).await?).into_response())
}

/// One record.
#[utoipa::path(
    get, path = "/api/v1/records/{id}", tag = "provisions",
    params(("id" = String, Path, description = "Record id")),
    responses((status = 200, body = RecordView), (status = 404, body = ErrorBody))
)]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Action::RecordRead, Relation::Any)?;
    let id = record_id(&id)?;
    Ok(Json(read_one(&state, &caller, id, format!("GET /api/v1/records/{id}")).await?).into_response())
}

/// Why particulars are erased.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EraseInput {
    /// The reason (the person's request, a court order, the retention period ended).
    reason: Option<String>,
}

/// Erase a detainee record's particulars, kept beside the journal. The record, its entry
/// (which holds only their hash) and every proof are untouched; the erasure is journaled.
#[utoipa::path(
    post, path = "/api/v1/records/{id}/erase-personal-data", tag = "provisions",
    params(("id" = String, Path, description = "Record id")),
    request_body = EraseInput,
    responses(
        (status = 200, body = RecordView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Nothing kept to erase", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
pub(crate) async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::PersonalDataErase, Relation::Any)?;
    let record = record_id(&id)?;
    let input: EraseInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = FieldErrors::new();
    let reason = match input.reason.as_deref().map(str::trim) {
        None | Some("") => {
            e.push("reason", "is required: why the particulars are erased");
            String::new()
        }
        Some(r) if r.chars().count() > 2000 => {
            e.push("reason", "must be at most 2000 characters");
            String::new()
        }
        Some(r) => r.to_owned(),
    };
    e.into_result(()).map_err(ApiError::Invalid)?;
    state.store.execute(caller.actor(), Command::ErasePersonalData(PersonalDataErased { record, reason })).await?;
    Ok(Json(read_one(&state, &caller, record, format!("POST /api/v1/records/{record}/erase-personal-data")).await?)
        .into_response())
}

/// `GET /api/v1/records` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecordQuery {
    /// A record kind (`closure`, `return`, …).
    kind: Option<String>,
    /// A provision id.
    provision: Option<String>,
    /// A party the records are about.
    party: Option<String>,
    /// Records whose time ends on or after this (RFC 3339, `YYYY-MM-DD` or `YYYY-MM`).
    from: Option<String>,
    /// Records whose time starts on or before this.
    to: Option<String>,
    /// Records linked to this claim or incident id.
    linked: Option<String>,
    /// At most this many (default 100, at most 500).
    limit: Option<u32>,
    /// The `seq` of the last record of the previous page.
    before: Option<u64>,
}

impl RecordQuery {
    fn parse(self, sc: &truce_core::scenario::Scenario) -> Result<RecordFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        if let Some(k) = &self.kind
            && !RecordData::KINDS.contains(&k.as_str())
        {
            e.push("kind", format!("unknown record kind {k:?}; one of {}", RecordData::KINDS.join(", ")));
        }
        if let Some(p) = &self.provision
            && sc.provision(p).is_none()
        {
            e.push("provision", format!("no provision {p:?} in the scenario"));
        }
        if let Some(p) = &self.party
            && sc.party(p).is_none()
        {
            e.push("party", format!("no party {p:?} in the scenario"));
        }
        let from = self.from.as_deref().and_then(|s| e.take("from", TimeInput::parse(s))).map(|t| t.start());
        let to = self.to.as_deref().and_then(|s| e.take("to", TimeInput::parse(s))).map(|t| t.end());
        let limit = self.limit.unwrap_or(100);
        if limit == 0 || limit > MAX_LIMIT {
            e.push("limit", format!("must be 1..{MAX_LIMIT}"));
        }
        e.into_result(RecordFilter {
            kind: self.kind,
            provision: self.provision,
            party: self.party,
            from_ms: from.map(|t| t.timestamp_millis()),
            to_ms: to.map(|t| t.timestamp_millis()),
            linked: self.linked,
            limit,
            before_seq: self.before,
        })
    }
}

/// List records, newest first.
#[utoipa::path(
    get, path = "/api/v1/records", tag = "provisions",
    params(RecordQuery),
    responses((status = 200, body = Vec<RecordView>), (status = 400, body = ErrorBody))
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<RecordQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::RecordRead, Relation::Any)?;
    let query = super::query_params(query)?;
    let mut filter = query.parse(&*scenario(&state)?).map_err(ApiError::BadQuery)?;
    // A link to what the reader may not read must not select records either.
    if let Some(l) = &filter.linked
        && !linked_readable(&state, &caller, l).await?
    {
        filter.linked = Some(String::new());
    }
    let rows = state.store.records(filter).await?;
    Ok(Json(views(&state, &caller, rows, "GET /api/v1/records".into()).await?).into_response())
}

/// Whether the reader may read the claim or incident `id` names.
async fn linked_readable(state: &AppState, caller: &Caller, id: &str) -> Result<bool, ApiError> {
    if let Ok(c) = truce_core::ids::ClaimId::parse(id)
        && let Some((_, access)) = state.store.claim_access_by_id(c).await?
    {
        return Ok(caller.may_read_claim(Action::ClaimRead, &access));
    }
    if let Ok(i) = truce_core::incidents::IncidentId::parse(id)
        && let Some((_, public)) = state.store.incident_public(i).await?
    {
        return Ok(caller.may(Action::IncidentRead, Relation::Other)
            || (public && caller.may(Action::IncidentRead, Relation::Published)));
    }
    Ok(false)
}

async fn derive(state: &AppState) -> Result<Vec<Compliance>, ApiError> {
    let sc = scenario(state)?;
    let (records, incidents) = state.store.compliance_inputs().await?;
    Ok(compliance::derive(&sc, &records, &incidents, sc.effective_at, chrono::Utc::now()))
}

/// Every provision's compliance: its status (kept, violations verified, disputed, no data),
/// why, the indicators that fit its kind and its latest records (rules in docs/provisions.md).
#[utoipa::path(
    get, path = "/api/v1/provisions", tag = "provisions",
    responses((status = 200, body = Vec<Compliance>))
)]
pub(crate) async fn provisions(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    caller.require(Action::RecordRead, Relation::Any)?;
    Ok(Json(derive(&state).await?).into_response())
}

/// One provision's compliance.
#[utoipa::path(
    get, path = "/api/v1/provisions/{id}", tag = "provisions",
    params(("id" = String, Path, description = "Provision id, e.g. P1")),
    responses((status = 200, body = Compliance), (status = 404, body = ErrorBody))
)]
pub(crate) async fn provision(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Action::RecordRead, Relation::Any)?;
    let all = derive(&state).await?;
    match all.into_iter().find(|c| c.provision == id) {
        Some(c) => Ok(Json(c).into_response()),
        None => Err(ApiError::NotFound(format!("no provision {id:?} in the scenario"))),
    }
}

/// A change of control with where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ControlChangeView {
    /// The record.
    #[serde(flatten)]
    record: RecordView,
    /// claimed, disputed or verified, from the published incidents linked to it.
    #[schema(value_type = String)]
    status: ChangeStatus,
    /// Whether it happened after the ceasefire took effect: an advance beyond the line in
    /// force then, flagged against the ceasefire provision.
    after_ceasefire: bool,
}

/// `GET /api/v1/provisions/control-changes` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangesQuery {
    /// Since when (default: when the ceasefire took effect).
    since: Option<String>,
}

/// Which positions changed hands since the ceasefire (or `since`), and whether each change
/// was claimed, disputed or verified.
#[utoipa::path(
    get, path = "/api/v1/provisions/control-changes", tag = "provisions",
    params(ChangesQuery),
    responses((status = 200, body = Vec<ControlChangeView>), (status = 400, body = ErrorBody))
)]
pub(crate) async fn control_changes(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::RecordRead, Relation::Any)?;
    let query = super::query_params(query)?;
    let sc = scenario(&state)?;
    let mut e = FieldErrors::new();
    let since = match query.since.as_deref() {
        Some(s) => e.take("since", TimeInput::parse(s)).map(|t| t.start()),
        None => Some(sc.effective_at),
    };
    let since = e.into_result(since).map_err(ApiError::BadQuery)?.unwrap_or(sc.effective_at);
    let incidents = state.store.public_incidents().await?;
    let public = incidents.iter().map(|i| (i.id, i)).collect();
    // Every change since then, page by page.
    let mut rows = Vec::new();
    loop {
        let page = state
            .store
            .records(RecordFilter {
                kind: Some("control_change".into()),
                from_ms: Some(since.timestamp_millis()),
                limit: MAX_LIMIT,
                before_seq: rows.last().map(|r: &RecordRow| r.seq),
                ..RecordFilter::default()
            })
            .await?;
        let done = page.len() < MAX_LIMIT as usize;
        rows.extend(page);
        if done {
            break;
        }
    }
    let mut out = Vec::new();
    for row in rows {
        let status = compliance::change_status(&linked_incidents(&row.links), &public);
        let after = matches!(&row.record.record, RecordData::ControlChange { at, .. }
            if chrono::DateTime::parse_from_rfc3339(at).is_ok_and(|t| t >= sc.effective_at));
        out.push(ControlChangeView { record: view(&caller, row), status, after_ceasefire: after });
    }
    Ok(Json(out).into_response())
}
