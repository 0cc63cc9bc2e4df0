//! Exports: `GET /api/v1/export/{claims|incidents}.{geojson|csv|ndjson}` with the list
//! filters. Rows are exactly what the caller may list: the same filters and visibility as
//! `GET /api/v1/claims` and `GET /api/v1/incidents`, every page.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use truce_core::FieldErrors;
use truce_core::access::{Action, Relation};
use truce_core::claims::{ClaimQuery, MAX_LIMIT};
use truce_core::export::{self, Format, Subject};
use truce_core::incidents::query::IncidentQuery;

use super::scenario;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// Most rows one export holds; narrow the filters for more.
pub const MAX_EXPORT_ROWS: usize = 200_000;

fn bad_query(field: &str, reason: impl Into<String>) -> ApiError {
    let mut e = FieldErrors::new();
    e.push(field, reason);
    ApiError::BadQuery(e)
}

/// Export claims or incidents as GeoJSON, ACLED-style CSV or NDJSON.
#[utoipa::path(
    get, path = "/api/v1/export/{file}", tag = "exports",
    params(
        ("file" = String, Path, description = "claims.geojson, claims.csv, claims.ndjson, incidents.geojson, incidents.csv or incidents.ndjson"),
        ClaimQuery,
    ),
    responses((status = 200, description = "The export"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(crate) async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (subject, format) =
        export::parse_name(&file).map_err(|e| ApiError::NotFound(format!("no export {file:?}: {e}")))?;
    let sc = scenario(&state)?;
    let query = query.unwrap_or_default();
    let mut items: Vec<Value> = Vec::new();
    // Claims whose persons' names or contacts the rows carry (CSV's ACLED columns carry none).
    let mut personal_shown: Vec<String> = Vec::new();
    match subject {
        Subject::Claims => {
            let mut q: ClaimQuery =
                serde_urlencoded_parse(&query).map_err(|e| bad_query("", format!("the query does not parse: {e}")))?;
            q.limit = Some(MAX_LIMIT.to_string());
            let mut filter = q.parse(&sc).map_err(ApiError::BadQuery)?;
            filter.visible = caller.claim_visibility();
            filter.personal = caller.personal_data();
            loop {
                let page = state.store.claims(filter.clone()).await?;
                if format != Format::Csv {
                    personal_shown.extend(page.personal_shown);
                }
                for raw in page.items {
                    items.push(serde_json::from_str(raw.get()).map_err(|e| ApiError::Internal(e.to_string()))?);
                }
                match page.next_cursor.as_deref().map(truce_core::claims::decode_cursor) {
                    Some(Ok(before)) if items.len() < MAX_EXPORT_ROWS => filter.before_seq = Some(before),
                    _ => break,
                }
            }
        }
        Subject::Incidents => {
            let mut q: IncidentQuery =
                serde_urlencoded_parse(&query).map_err(|e| bad_query("", format!("the query does not parse: {e}")))?;
            q.limit = Some(MAX_LIMIT.to_string());
            let mut filter = q.parse(&sc).map_err(ApiError::BadQuery)?;
            filter.public_only = !caller.may(Action::IncidentRead, Relation::Other);
            loop {
                let page = state.store.incidents(filter.clone()).await?;
                for i in page.items {
                    items.push(serde_json::to_value(i).map_err(|e| ApiError::Internal(e.to_string()))?);
                }
                match page.next_cursor.as_deref().map(truce_core::claims::decode_cursor) {
                    Some(Ok(before)) if items.len() < MAX_EXPORT_ROWS => filter.claims.before_seq = Some(before),
                    _ => break,
                }
            }
        }
    }
    items.truncate(MAX_EXPORT_ROWS);
    // Only the rows that go out.
    if !personal_shown.is_empty() {
        let sent: std::collections::HashSet<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
        personal_shown.retain(|id| sent.contains(id.as_str()));
    }
    super::journal_personal_read(&state, &caller, &personal_shown, format!("GET /api/v1/export/{file}")).await?;
    let body = match format {
        Format::NdJson => {
            let mut out = String::new();
            for i in &items {
                out.push_str(&i.to_string());
                out.push('\n');
            }
            out.into_bytes()
        }
        Format::GeoJson => {
            let features: Vec<Value> = items
                .iter()
                .map(|i| match subject {
                    Subject::Claims => export::claim_feature(i),
                    Subject::Incidents => export::incident_feature(i),
                })
                .collect();
            serde_json::to_vec(&serde_json::json!({"type": "FeatureCollection", "features": features}))
                .map_err(|e| ApiError::Internal(e.to_string()))?
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(export::ACLED_COLUMNS).map_err(|e| ApiError::Internal(e.to_string()))?;
            for i in &items {
                let row = match subject {
                    Subject::Claims => export::claim_row(i, &sc),
                    Subject::Incidents => export::incident_row(i, &sc),
                };
                w.write_record(&row.0).map_err(|e| ApiError::Internal(e.to_string()))?;
            }
            w.into_inner().map_err(|e| ApiError::Internal(e.to_string()))?
        }
    };
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

fn serde_urlencoded_parse<T: serde::de::DeserializeOwned>(q: &str) -> Result<T, String> {
    axum::extract::Query::<T>::try_from_uri(&format!("/?{q}").parse().map_err(|e| format!("{e}"))?)
        .map(|axum::extract::Query(t)| t)
        .map_err(|e| e.body_text())
}
