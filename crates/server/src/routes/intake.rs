//! The news intake over HTTP: `POST /api/v1/intake` reads an article into drafts,
//! `GET /api/v1/drafts` is the monitors' review queue (drafts of different articles about the
//! same event grouped, their figures side by side), `GET /api/v1/articles/{id}` gives an
//! article's text, and `POST /api/v1/drafts/{article}/{n}/accept|reject` decide a draft.
//! Accepting makes a claim (source kind media or official statement, linked to the article);
//! nothing extracted is a claim, or counted in incidents, before that.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use truce_core::access::{Action, Relation};
use truce_core::claims::ClaimInput;
use truce_core::error::FieldErrors;
use truce_core::intake::{ArticleId, ArticleIngested, DraftRef, DraftRejected, MAX_ARTICLE_BYTES};
use truce_core::journal::Command;
use truce_core::scenario::Scenario;
use truce_store::DraftRow;
use utoipa::{IntoParams, ToSchema};

use super::claims::parse_json;
use super::scenario;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// Most drafts one list returns.
const MAX_LIMIT: u32 = 1000;

/// The largest request body of `POST /api/v1/intake`: an article of the intake's largest
/// size, with room for JSON escapes and the other fields; a longer text is refused by name.
pub(crate) const MAX_BODY: usize = 2 * MAX_ARTICLE_BYTES + 64 * 1024;

/// An article to read.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArticleInput {
    /// The article's text (required; up to 4 MiB).
    text: Option<String>,
    /// Its publication date, `YYYY-MM-DD`, against which "yesterday" is read.
    published: Option<String>,
    /// `ar`, `ru` or `en`; read from its letters when left out.
    lang: Option<String>,
    /// The outlet or office.
    source: Option<String>,
    /// Where it was published.
    url: Option<String>,
}

/// Read an article into drafts (monitors). The article's text and SHA-256 are kept as the
/// source document; its drafts wait in the review queue. The same text twice is refused.
#[utoipa::path(
    post, path = "/api/v1/intake", tag = "intake", request_body = ArticleInput,
    responses((status = 201, body = Object), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IntakeReview, Relation::Any)?;
    let input: ArticleInput = parse_json(body, MAX_BODY)?;
    let mut e = FieldErrors::new();
    let text = input.text.unwrap_or_default();
    if text.trim().is_empty() {
        e.push("text", "is required: the article's text");
    } else if text.len() > MAX_ARTICLE_BYTES {
        e.push("text", format!("is {} bytes; articles of up to {MAX_ARTICLE_BYTES} bytes are read", text.len()));
    }
    let published = match input.published.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => {
            e.take("published", truce_intake::article::date(p).ok_or_else(|| format!("{p:?} is not YYYY-MM-DD")))
        }
    };
    let lang = match input.lang.as_deref().map(str::trim).filter(|l| !l.is_empty() && *l != "auto") {
        None => None,
        Some(l) => e.take("lang", truce_intake::Lang::parse(l).ok_or_else(|| format!("{l:?} is not ar, ru or en"))),
    };
    if input.source.as_ref().is_some_and(|s| s.chars().count() > 200) {
        e.push("source", "must be at most 200 characters");
    }
    if let Some(u) = input.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        e.take("url", truce_core::claims::check_url(u));
    }
    if !e.is_empty() {
        return Err(ApiError::Invalid(e));
    }
    let intake = state.intake()?;
    let options = truce_intake::Options { published, lang, source: input.source.clone() };
    // Reading up to 4 MiB takes a while: off the request threads.
    let (x, text) = tokio::task::spawn_blocking(move || (intake.extract(text.as_bytes(), &options), text))
        .await
        .map_err(|e| ApiError::Unavailable(format!("the intake stopped: {e}")))?;
    let x = x.map_err(|err| {
        let mut e = FieldErrors::new();
        match err {
            truce_intake::IntakeError::UnknownLanguage => {
                e.push("lang", "the text is not mostly Arabic, Cyrillic or Latin letters; give ar, ru or en")
            }
            other => e.push("text", other.to_string()),
        }
        ApiError::Invalid(e)
    })?;
    let sha256: String = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    if let Some(earlier) = state.store.articles_with_sha256(sha256.clone()).await?.first() {
        return Err(ApiError::Conflict(format!("this text was read already, as article {earlier}")));
    }
    let drafts: Vec<Value> = x
        .drafts
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|e| ApiError::Unavailable(format!("a draft could not be written: {e}")))?;
    let article = ArticleIngested {
        text,
        sha256,
        url: input.url.filter(|u| !u.trim().is_empty()),
        source: input.source.filter(|s| !s.trim().is_empty()),
        lang: x.lang.as_str().into(),
        published: x.published.map(|d| d.to_string()),
        drafts,
    };
    let appended = state.store.execute(caller.actor(), Command::IngestArticle(Box::new(article))).await?;
    let id = ArticleId(appended.id);
    let drafts = state.store.drafts_of(id).await?;
    let mut r =
        (StatusCode::CREATED, Json(json!({"article": id.to_string(), "warnings": x.warnings, "drafts": drafts})))
            .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/articles/{id}")) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// `GET /api/v1/drafts` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DraftQuery {
    /// pending (the default), accepted, rejected or all.
    status: Option<String>,
    /// Most drafts (1-1000, default 200).
    limit: Option<String>,
}

/// The review queue (monitors): drafts newest article first, each with its article and
/// `group`, a number shared by drafts of different articles that report one event (an
/// event type in common, dates at most a day apart, the same place or one not given); `groups` lists
/// each group's drafts with their claimants and casualty figures side by side.
#[utoipa::path(
    get, path = "/api/v1/drafts", tag = "intake", params(DraftQuery),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody))
)]
pub(crate) async fn drafts(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<DraftQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IntakeReview, Relation::Any)?;
    let q = super::query_params(query)?;
    let mut e = FieldErrors::new();
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") | Some("pending") => Some("pending".to_string()),
        Some("all") => None,
        Some(s @ ("accepted" | "rejected")) => Some(s.to_string()),
        Some(other) => {
            e.push("status", format!("{other:?} is not pending, accepted, rejected or all"));
            None
        }
    };
    let limit = match q.limit.as_deref() {
        None | Some("") => 200,
        Some(l) => e.take("limit", l.parse::<u32>().map_err(|_| format!("{l:?} is not a number"))).unwrap_or(200),
    };
    if !(1..=MAX_LIMIT).contains(&limit) {
        e.push("limit", format!("must be 1-{MAX_LIMIT}"));
    }
    if !e.is_empty() {
        return Err(ApiError::BadQuery(e));
    }
    let rows = state.store.drafts(status, limit).await?;
    Ok(Json(grouped(rows)).into_response())
}

/// The day a draft is dated, as days since the epoch.
fn day(d: &DraftRow) -> Option<i64> {
    let s = d.body.pointer("/date/value/date")?.as_str()?;
    let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(date.signed_duration_since(chrono::NaiveDate::default()).num_days())
}

fn places(d: &DraftRow) -> Vec<String> {
    d.body
        .pointer("/place/value/places")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn first_type(d: &DraftRow) -> Option<&str> {
    d.body.pointer("/event_types/0/value").and_then(Value::as_str)
}

fn types(d: &DraftRow) -> Vec<&str> {
    d.body
        .get("event_types")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|t| t.get("value").and_then(Value::as_str)).collect())
        .unwrap_or_default()
}

/// What grouping compares of a draft, read once.
struct Event<'a> {
    article: &'a str,
    types: Vec<&'a str>,
    day: Option<i64>,
    places: Vec<String>,
}

impl<'a> Event<'a> {
    fn of(d: &'a DraftRow) -> Self {
        Event { article: &d.article.id, types: types(d), day: day(d), places: places(d) }
    }

    /// Whether two drafts of different articles may report one event: an event type in
    /// common, dates at most a day apart, and the same place or one not given.
    fn same(&self, o: &Event<'_>) -> bool {
        self.article != o.article
            && self.types.iter().any(|t| o.types.contains(t))
            && matches!((self.day, o.day), (Some(x), Some(y)) if (x - y).abs() <= 1)
            && (self.places.is_empty() || o.places.is_empty() || self.places.iter().any(|p| o.places.contains(p)))
    }
}

/// The queue with its groups.
fn grouped(rows: Vec<DraftRow>) -> Value {
    // Union-find over the pairs that may report one event.
    let mut parent: Vec<usize> = (0..rows.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let events: Vec<Event<'_>> = rows.iter().map(Event::of).collect();
    for i in 0..rows.len() {
        for j in i + 1..rows.len() {
            if events[i].same(&events[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut numbers: Vec<Option<usize>> = vec![None; rows.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..rows.len() {
        let r = root(&mut parent, i);
        let n = match numbers[r] {
            Some(n) => n,
            None => {
                groups.push(Vec::new());
                numbers[r] = Some(groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[n].push(i);
    }
    let group_of: Vec<usize> = (0..rows.len()).map(|i| numbers[root(&mut parent, i)].unwrap_or(0)).collect();
    let side_by_side: Vec<Value> = groups
        .iter()
        .enumerate()
        .filter(|(_, members)| members.len() > 1)
        .map(|(n, members)| {
            json!({
                "group": n,
                "event_type": first_type(&rows[members[0]]),
                "drafts": members.iter().map(|&i| json!({
                    "article": rows[i].article.id,
                    "draft": rows[i].draft,
                    "source": rows[i].article.source,
                    "lang": rows[i].article.lang,
                    "claimant": rows[i].body.pointer("/claimant/value"),
                    "date": rows[i].body.pointer("/date/value/date"),
                    "casualties": rows[i].body.get("casualties").cloned().unwrap_or(json!([])),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let items: Vec<Value> = rows
        .into_iter()
        .zip(group_of)
        .map(|(r, g)| {
            let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                o.insert("group".into(), json!(g));
            }
            v
        })
        .collect();
    json!({ "items": items, "groups": side_by_side })
}

fn article_id(s: &str) -> Result<ArticleId, ApiError> {
    ArticleId::parse(s).map_err(|_| ApiError::NotFound(format!("no article {s}")))
}

/// One article (monitors): its text, SHA-256, source, and every draft with its fate.
#[utoipa::path(
    get, path = "/api/v1/articles/{id}", tag = "intake",
    params(("id" = String, Path, description = "Article id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody))
)]
pub(crate) async fn article(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Action::IntakeReview, Relation::Any)?;
    let id = article_id(&id)?;
    let a = state.store.article(id).await?.ok_or_else(|| ApiError::NotFound(format!("no article {id}")))?;
    let drafts = state.store.drafts_of(id).await?;
    Ok(Json(json!({ "article": a, "drafts": drafts })).into_response())
}

/// A monitor's corrections to a draft before it becomes a claim: any field of a claim
/// (`claimant`, `accused`, `event_type`, `occurred`, `location`, `casualties`, `narrative`,
/// `provisions_violated`, `tags`…), replacing what the intake read.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AcceptInput {
    /// Claim fields that replace the draft's.
    #[serde(default)]
    #[schema(value_type = Object)]
    corrections: serde_json::Map<String, Value>,
}

/// The claim a draft proposes, as a claim's input: the fields a monitor may correct.
pub(crate) fn proposed_claim(d: &DraftRow, scenario: &Scenario) -> serde_json::Map<String, Value> {
    let b = &d.body;
    let party =
        |p: Option<&Value>| p.and_then(Value::as_str).filter(|p| scenario.party(p).is_some()).map(str::to_owned);
    let mut c = serde_json::Map::new();
    let claimant_party = b.pointer("/claimant/value/party").and_then(Value::as_str).unwrap_or_default();
    if let Some(p) = party(b.pointer("/claimant/value/party")) {
        c.insert("claimant".into(), json!(p));
    }
    // A speaker's own statement is an official one; the outlet's account is the media's.
    let kind = if claimant_party == "MEDIA" { "media" } else { "official_statement" };
    let speaker = b.pointer("/claimant/value/name").and_then(Value::as_str).unwrap_or("unknown");
    let name = match &d.article.source {
        Some(s) if claimant_party != "MEDIA" => format!("{speaker} (as reported by {s})"),
        Some(s) => s.clone(),
        None => speaker.to_owned(),
    };
    let mut source = json!({ "kind": kind, "name": name });
    if let Some(u) = &d.article.url {
        source["url"] = json!(u);
    }
    c.insert("source".into(), source);
    if let Some(p) = party(b.pointer("/accused/value/party")) {
        c.insert("accused".into(), json!(p));
    }
    // A denial is no claim that the event happened: it is the speaker's statement, unless
    // the monitor makes it the claim it answers.
    let denial = b.pointer("/polarity/value").and_then(Value::as_str) == Some("denial");
    if denial {
        c.insert("event_type".into(), json!("statement"));
    } else if let Some(t) = b.pointer("/event_types/0/value") {
        c.insert("event_type".into(), t.clone());
    }
    if let Some(day) = b.pointer("/date/value/date").and_then(Value::as_str) {
        let precision = b.pointer("/date/value/precision").and_then(Value::as_str).unwrap_or("day");
        c.insert("occurred".into(), json!({ "from": day, "precision": precision }));
    }
    // Only a place the name fits alone; an ambiguous one is the monitor's to choose.
    if let Some(p) = b.pointer("/place/value/places").and_then(Value::as_array).filter(|p| p.len() == 1) {
        c.insert("location".into(), json!({ "place": p[0], "precision": "locality" }));
    }
    let mut casualties: Vec<Value> = Vec::new();
    for f in b.get("casualties").and_then(Value::as_array).into_iter().flatten() {
        let Some(p) = party(f.pointer("/value/party")) else { continue };
        let Some(kind) = f.pointer("/value/kind").and_then(Value::as_str) else { continue };
        let count = f.pointer("/value/count").cloned().unwrap_or(Value::Null);
        let figure = match (count.get("min"), count.get("max"), count.get("approximate")) {
            (Some(a), Some(b), None) if a == b => a.clone(),
            (min, max, _) => {
                let mut m = serde_json::Map::new();
                if let Some(v) = min {
                    m.insert("min".into(), v.clone());
                }
                if let Some(v) = max {
                    m.insert("max".into(), v.clone());
                }
                Value::Object(m)
            }
        };
        match casualties.iter_mut().find(|x| x["party"] == p.as_str()) {
            Some(x) => x[kind] = figure,
            None => {
                let mut x = json!({ "party": p, "category": "military" });
                x[kind] = figure;
                casualties.push(x);
            }
        }
    }
    if !casualties.is_empty() {
        c.insert("casualties".into(), json!(casualties));
    }
    let text = b.pointer("/statement/text").and_then(Value::as_str).unwrap_or_default();
    c.insert("narrative".into(), json!({ "lang": d.article.lang, "text": text }));
    c.insert("tags".into(), if denial { json!(["intake", "denial"]) } else { json!(["intake"]) });
    c
}

fn draft_ref(article: &str, n: &str) -> Result<DraftRef, ApiError> {
    let article = article_id(article)?;
    let draft = n.parse::<u32>().map_err(|_| ApiError::NotFound(format!("article {article} has no draft {n}")))?;
    Ok(DraftRef { article, draft })
}

/// Accept a draft as a claim (monitors): the draft's fields, with the monitor's corrections,
/// validated as any claim; the claim's source names the article, and the draft is marked
/// accepted in the same journal entry. A draft accepted or rejected already is refused (409).
#[utoipa::path(
    post, path = "/api/v1/drafts/{article}/{n}/accept", tag = "intake", request_body = AcceptInput,
    params(("article" = String, Path, description = "Article id"), ("n" = u32, Path, description = "Draft index")),
    responses((status = 201, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    Path((article, n)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IntakeReview, Relation::Any)?;
    let d = draft_ref(&article, &n)?;
    let input: AcceptInput = if body.as_ref().is_ok_and(Bytes::is_empty) {
        AcceptInput::default()
    } else {
        parse_json(body, crate::MAX_BODY_BYTES)?
    };
    let row = state
        .store
        .draft(d)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("article {} has no draft {}", d.article, d.draft)))?;
    // Whether it is still pending is the writer's to decide, with the claim's entry.
    let sc = scenario(&state)?;
    let mut claim = proposed_claim(&row, &sc);
    for (k, v) in input.corrections {
        claim.insert(k, v);
    }
    let claim_input: ClaimInput = serde_json::from_value(Value::Object(claim)).map_err(|e| {
        let mut f = FieldErrors::new();
        f.push("corrections", format!("not a claim's fields: {e}"));
        ApiError::Invalid(f)
    })?;
    let mut body = claim_input.validate(&sc).map_err(|mut e| {
        // The draft's own fields are named under the corrections that would fix them.
        for f in e.0.iter_mut() {
            f.field = format!("corrections.{}", f.field);
        }
        ApiError::Invalid(e)
    })?;
    body.source.draft = Some(d);
    let appended = state.store.execute(caller.actor(), Command::SubmitClaim(Box::new(body))).await?;
    let id = appended.id;
    let mut r = (
        StatusCode::CREATED,
        Json(json!({ "claim": id.to_string(), "article": d.article.to_string(), "draft": d.draft })),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/claims/{id}")) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// Why a draft is rejected.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RejectInput {
    /// Why (required): not an event, background, a duplicate, misread.
    reason: Option<String>,
}

/// Reject a draft, with why (monitors); journaled.
#[utoipa::path(
    post, path = "/api/v1/drafts/{article}/{n}/reject", tag = "intake", request_body = RejectInput,
    params(("article" = String, Path, description = "Article id"), ("n" = u32, Path, description = "Draft index")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    Path((article, n)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::IntakeReview, Relation::Any)?;
    let d = draft_ref(&article, &n)?;
    let input: RejectInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let reason = input.reason.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let mut e = FieldErrors::new();
    if reason.is_empty() {
        e.push("reason", "is required: why the draft is not a claim");
    } else if reason.chars().count() > 2000 {
        e.push("reason", "must be at most 2000 characters");
    }
    if !e.is_empty() {
        return Err(ApiError::Invalid(e));
    }
    state.store.execute(caller.actor(), Command::RejectDraft(DraftRejected { draft: d, reason })).await?;
    let row = state.store.draft(d).await?.ok_or_else(|| ApiError::NotFound("draft".into()))?;
    Ok(Json(row).into_response())
}
