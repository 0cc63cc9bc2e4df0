//! Gazetteer search.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use truce_core::FieldErrors;
use truce_core::scenario::Place;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct PlaceQuery {
    /// Name or its beginning, in any language or script: `Lach`, `Лачин`, `لاتشين`.
    q: Option<String>,
    /// Most results, 1 to 100 (default 20).
    limit: Option<u32>,
}

/// A place found by name.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlaceHit {
    /// The place.
    place: Place,
    /// The name that matched.
    matched: String,
    /// Its language.
    matched_lang: String,
}

/// Places found.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlaceResults {
    /// Best match first.
    items: Vec<PlaceHit>,
}

/// Search the gazetteer across every language and script.
#[utoipa::path(
    get, path = "/api/v1/places", tag = "scenario",
    params(PlaceQuery),
    responses((status = 200, body = PlaceResults), (status = 400, body = ErrorBody))
)]
pub(crate) async fn search(
    State(state): State<AppState>,
    query: Result<Query<PlaceQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PlaceResults>, ApiError> {
    let Query(q) = query.map_err(|r| {
        let mut f = FieldErrors::new();
        f.push("limit", r.body_text());
        ApiError::BadQuery(f)
    })?;
    let mut e = FieldErrors::new();
    let text = q.q.unwrap_or_default();
    if text.trim().is_empty() {
        e.push("q", "is required");
    } else if text.chars().count() > 200 {
        e.push("q", "is longer than 200 characters");
    }
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        e.push("limit", "must be from 1 to 100");
    }
    e.into_result(()).map_err(ApiError::BadQuery)?;
    let hits = state.store.places(text, limit).await?;
    Ok(Json(PlaceResults {
        items: hits
            .into_iter()
            .map(|h| PlaceHit { place: h.place, matched: h.matched, matched_lang: h.matched_lang })
            .collect(),
    }))
}
