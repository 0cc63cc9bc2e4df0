//! Gazetteer search.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;
use truce_core::scenario::{Place, PlaceQuery};
use utoipa::ToSchema;

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
    let query = super::query_params(query)?;
    let search = query.parse().map_err(ApiError::BadQuery)?;
    let hits = state.store.places(search.q, search.limit).await?;
    Ok(Json(PlaceResults {
        items: hits
            .into_iter()
            .map(|h| PlaceHit { place: h.place, matched: h.matched, matched_lang: h.matched_lang })
            .collect(),
    }))
}
