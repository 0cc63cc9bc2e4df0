//! The Merkle log, read-only: the checkpoint and tiles in the C2SP tlog-tiles layout (so
//! any tlog-tiles client can mirror it), and inclusion and consistency proofs as JSON.

use std::collections::HashMap;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use truce_core::error::FieldErrors;
use truce_ledger::Hash;
use truce_ledger::tiles::{TILE_WIDTH, TileId, TileKind, entry_bundle, hashes_at};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use truce_core::access::{Action, Relation};
use truce_store::ClaimAccess;

fn text(body: String, cache: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

/// `GET /log/checkpoint`: the newest checkpoint, with the cosignatures it has.
pub(crate) async fn checkpoint(State(state): State<AppState>) -> Result<Response, ApiError> {
    match state.store.log_checkpoint(None).await? {
        Some(cp) => Ok(text(cp.cosigned_note(), "no-store")),
        None => Err(ApiError::NotFound("the log has signed no checkpoint yet".into())),
    }
}

/// `GET /log/tile/...`: a hash tile or an entry bundle, as it is in the tree of the newest
/// checkpoint (a tile is immutable at a given width only once a checkpoint covers it).
pub(crate) async fn tile(
    State(state): State<AppState>,
    caller: Caller,
    Path(rest): Path<String>,
) -> Result<Response, ApiError> {
    let id = TileId::parse(&format!("tile/{rest}")).map_err(|e| ApiError::NotFound(e.to_string()))?;
    // Hash tiles are anyone's; entry bundles name every entry's kind and actor.
    if id.kind == TileKind::Entries {
        caller.require(Action::EntryBundleRead, Relation::Any)?;
    }
    let size = state.store.log_checkpoint(None).await?.map_or(0, |c| c.size);
    let level = match id.kind {
        TileKind::Hashes(level) => level,
        TileKind::Entries => 0,
    };
    let covered = id
        .index
        .checked_mul(TILE_WIDTH)
        .and_then(|first| first.checked_add(u64::from(id.width)))
        .is_some_and(|end| end <= hashes_at(level, size));
    if !covered {
        return Err(ApiError::NotFound(format!("the log's newest checkpoint (size {size}) has no {id}")));
    }
    let bytes = match id.kind {
        TileKind::Hashes(level) => state.store.log_tile(level, id.index, id.width).await?,
        TileKind::Entries => {
            let start = id.index * TILE_WIDTH;
            let leaves = state.store.log_leaves(start, u64::from(id.width)).await?;
            if leaves.len() < usize::from(id.width) { None } else { entry_bundle(leaves.iter().map(Vec::as_slice)) }
        }
    };
    let bytes = bytes.ok_or_else(|| ApiError::NotFound(format!("the log has no {id}")))?;
    let mut r = Response::new(Body::from(bytes));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    // A tile at a given width never changes.
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(r)
}

fn number(q: &HashMap<String, String>, name: &str, errors: &mut FieldErrors) -> Option<u64> {
    match q.get(name).map(|v| v.trim()) {
        None => None,
        Some("") => {
            errors.push(name, "is empty; give a non-negative integer or leave the parameter out");
            None
        }
        Some(v) => match v.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(name, format!("must be a non-negative integer, not {v:?}"));
                None
            }
        },
    }
}

/// The size of the newest checkpoint, the default of a proof's tree size `param`.
async fn newest_size(state: &AppState, param: &str) -> Result<u64, ApiError> {
    state
        .store
        .log_checkpoint(None)
        .await?
        .map(|c| c.size)
        .ok_or_else(|| ApiError::NotFound(format!("the log has signed no checkpoint yet; give {param} explicitly")))
}

fn b64(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(Hash::to_base64).collect()
}

/// An inclusion proof (RFC 9162 §2.1.3).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InclusionProof {
    /// The entry's sequence number (leaf index).
    seq: u64,
    /// The tree size the proof is for.
    size: u64,
    /// The entry's leaf (its header lines), as text, when the caller may read the entry
    /// (`leaf_hash` is always given).
    #[serde(skip_serializing_if = "Option::is_none")]
    leaf: Option<String>,
    /// SHA-256(0x00 || leaf), base64.
    leaf_hash: String,
    /// The tree head at `size`, base64.
    root: String,
    /// Proof hashes from the leaf's sibling up, base64.
    proof: Vec<String>,
    /// The signed checkpoint of that size, if the log signed one.
    checkpoint: Option<String>,
}

/// Inclusion proof of entry `seq` in the tree of `size` entries (default: the newest checkpoint).
#[utoipa::path(
    get, path = "/api/v1/log/proof/inclusion", tag = "ledger",
    params(("seq" = u64, Query, description = "Entry sequence number"),
           ("size" = Option<u64>, Query, description = "Tree size; default the newest checkpoint's")),
    responses((status = 200, body = InclusionProof), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(crate) async fn inclusion(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<InclusionProof>, ApiError> {
    let mut errors = FieldErrors::new();
    let seq = number(&q, "seq", &mut errors);
    let size = number(&q, "size", &mut errors);
    if !q.contains_key("seq") {
        errors.push("seq", "is required");
    }
    let seq = errors.clone().into_result(seq).map_err(ApiError::BadQuery)?.unwrap_or_default();
    let size = match size {
        Some(s) => s,
        None => newest_size(&state, "size").await?,
    };
    if seq >= size {
        let mut e = FieldErrors::new();
        e.push("seq", format!("must be below size ({size})"));
        return Err(ApiError::BadQuery(e));
    }
    let (proof, root) = state.store.inclusion_proof(seq, size).await?;
    let leaf = state.store.log_leaves(seq, 1).await?.pop().unwrap_or_default();
    let checkpoint = state.store.log_checkpoint(Some(size)).await?.map(|c| c.cosigned_note());
    // The header names the entry's kind and actor: only for those who may read the entry.
    let readable = entry_readable(&state, &caller, seq, &leaf).await?;
    Ok(Json(InclusionProof {
        seq,
        size,
        leaf_hash: truce_ledger::leaf_hash(&leaf).to_base64(),
        leaf: readable.then(|| String::from_utf8_lossy(&leaf).into_owned()),
        root: root.to_base64(),
        proof: b64(&proof),
        checkpoint,
    }))
}

/// A consistency proof (RFC 9162 §2.1.4).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ConsistencyProof {
    /// The older tree size.
    from: u64,
    /// The newer tree size.
    to: u64,
    /// Tree head at `from`, base64.
    root_from: String,
    /// Tree head at `to`, base64.
    root_to: String,
    /// Proof hashes, base64.
    proof: Vec<String>,
}

/// Consistency proof from the tree of `from` entries to the tree of `to` (default: the newest checkpoint).
#[utoipa::path(
    get, path = "/api/v1/log/proof/consistency", tag = "ledger",
    params(("from" = u64, Query, description = "Older tree size (at least 1)"),
           ("to" = Option<u64>, Query, description = "Newer tree size; default the newest checkpoint's")),
    responses((status = 200, body = ConsistencyProof), (status = 422, body = ErrorBody))
)]
pub(crate) async fn consistency(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<ConsistencyProof>, ApiError> {
    let mut errors = FieldErrors::new();
    let from = number(&q, "from", &mut errors);
    let to = number(&q, "to", &mut errors);
    if !q.contains_key("from") {
        errors.push("from", "is required");
    }
    let from = errors.into_result(from).map_err(ApiError::BadQuery)?.unwrap_or_default();
    let to = match to {
        Some(t) => t,
        None => newest_size(&state, "to").await?,
    };
    let mut e = FieldErrors::new();
    if from == 0 {
        e.push("from", "must be at least 1");
    } else if from > to {
        e.push("from", format!("must not exceed to ({to})"));
    }
    e.into_result(()).map_err(ApiError::BadQuery)?;
    let (proof, r1, r2) = state.store.consistency_proof(from, to).await?;
    Ok(Json(ConsistencyProof { from, to, root_from: r1.to_base64(), root_to: r2.to_base64(), proof: b64(&proof) }))
}

/// The log's identity and newest checkpoint.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LogInfo {
    /// The origin line of the log's checkpoints.
    origin: Option<String>,
    /// The log's verifier key (C2SP signed-note).
    verifier_key: Option<String>,
    /// Entries in the log.
    entries: u64,
    /// The newest checkpoint.
    checkpoint: Option<CheckpointInfo>,
}

/// A signed checkpoint.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CheckpointInfo {
    /// Tree size.
    size: u64,
    /// Tree head, base64.
    root: String,
    /// When the log signed it (RFC 3339).
    signed_at: String,
    /// The note with every cosignature.
    note: String,
    /// Policy names of the witnesses whose cosignature verifies.
    cosigned_by: Vec<String>,
    /// Witnesses named by the policy, if the log has one.
    witnesses: Vec<String>,
    /// The quorum rule's name (`none` when no cosignature is required).
    quorum: Option<String>,
    /// Whether the cosignatures meet the quorum.
    quorum_met: Option<bool>,
}

fn checkpoint_info(state: &AppState, c: truce_store::StoredCheckpoint) -> CheckpointInfo {
    let note = c.cosigned_note();
    let policy = state.witness_policy.as_deref();
    let cosigned_by = policy.map(|p| p.cosigners(note.as_bytes())).unwrap_or_default();
    CheckpointInfo {
        size: c.size,
        root: c.root.to_base64(),
        signed_at: truce_core::time::fmt(truce_core::time::from_millis(c.signed_at_ms)),
        witnesses: policy.map(|p| p.witnesses.iter().map(|w| w.name.clone()).collect()).unwrap_or_default(),
        quorum: policy.map(|p| p.quorum.clone()),
        quorum_met: policy.map(|p| p.quorum_met(&cosigned_by)),
        cosigned_by,
        note,
    }
}

/// The newest checkpoints, with who cosigned each and whether the quorum is met.
#[utoipa::path(
    get, path = "/api/v1/log/checkpoints", tag = "ledger",
    params(("limit" = Option<u32>, Query, description = "How many, newest first (1-100, default 20)")),
    responses((status = 200, body = Vec<CheckpointInfo>), (status = 422, body = ErrorBody))
)]
pub(crate) async fn checkpoints(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Vec<CheckpointInfo>>, ApiError> {
    let mut errors = FieldErrors::new();
    let limit = number(&q, "limit", &mut errors).unwrap_or(20);
    if !(1..=100).contains(&limit) {
        errors.push("limit", "must be 1..100");
    }
    errors.into_result(()).map_err(ApiError::BadQuery)?;
    let list = state.store.log_checkpoints(limit as u32).await?;
    Ok(Json(list.into_iter().map(|c| checkpoint_info(&state, c)).collect()))
}

/// The log: origin, verifier key, size, newest checkpoint.
#[utoipa::path(get, path = "/api/v1/log", tag = "ledger", responses((status = 200, body = LogInfo)))]
pub(crate) async fn info(State(state): State<AppState>) -> Result<Json<LogInfo>, ApiError> {
    let key = state.store.log_key();
    let cp = state.store.log_checkpoint(None).await?;
    Ok(Json(LogInfo {
        origin: key.map(|k| k.name().to_string()),
        verifier_key: key.map(|k| k.note_verifier().to_string()),
        entries: state.store.journal_len().await?,
        checkpoint: cp.map(|c| checkpoint_info(&state, c)),
    }))
}

/// Signs a checkpoint now, if entries were appended since the last one.
#[utoipa::path(post, path = "/api/v1/log/checkpoint", tag = "ledger", responses((status = 200, body = LogInfo)))]
pub(crate) async fn sign_now(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    caller.require(Action::CheckpointSign, Relation::Any)?;
    if state.store.log_key().is_none() {
        return Err(ApiError::Unavailable("this server has no log key and signs no checkpoints".into()));
    }
    state.store.checkpoint_now().await?;
    Ok((StatusCode::OK, info(State(state)).await?).into_response())
}

/// Whether the caller may read entry `seq` (whose leaf is `leaf`): as its object is read, a
/// claim as that claim, account entries by nobody (they hold password and token hashes),
/// the mission's incident and provision records (whose links may name unpublished claims)
/// and its journal of personal-data reads as unpublished incidents, the news intake's
/// articles and drafts as its review queue, the scenario and keys by anyone.
async fn entry_readable(state: &AppState, caller: &Caller, seq: u64, leaf: &[u8]) -> Result<bool, ApiError> {
    let kind = entry_kind(leaf);
    let access = claim_access_of(state, seq, &kind).await?;
    Ok(may_read_entry(caller, &kind, access.as_ref()))
}

/// The kind an entry's leaf names.
fn entry_kind(leaf: &[u8]) -> String {
    String::from_utf8_lossy(leaf).lines().find_map(|l| l.strip_prefix("kind ").map(str::to_owned)).unwrap_or_default()
}

/// Who may read a claim entry's claim (none for other kinds).
async fn claim_access_of(state: &AppState, seq: u64, kind: &str) -> Result<Option<ClaimAccess>, ApiError> {
    Ok(if kind == truce_core::journal::kind::CLAIM_SUBMITTED { state.store.claim_access(seq).await? } else { None })
}

/// `entry_readable` once the kind and, for a claim, its access are known.
fn may_read_entry(caller: &Caller, kind: &str, claim: Option<&ClaimAccess>) -> bool {
    if kind == truce_core::journal::kind::CLAIM_SUBMITTED {
        claim.is_some_and(|a| caller.may_read_claim(Action::EntryRead, a))
    } else if truce_core::journal::kind::is_account(kind) {
        false
    } else if kind.starts_with("article.") || kind.starts_with("draft.") {
        // Articles and their drafts are the monitors' working material until one is accepted.
        caller.may(Action::IntakeReview, Relation::Any)
    } else if kind.starts_with("incident.")
        || kind.starts_with("claim.")
        || kind.starts_with("record.")
        || kind.starts_with("personal_data.")
    {
        caller.may(Action::EntryRead, Relation::Other)
    } else {
        caller.may(Action::EntryRead, Relation::Published)
    }
}

/// A journal entry as the log holds it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EntryView {
    /// Sequence number.
    seq: u64,
    /// The leaf (its header lines) as text; SHA-256(0x00 || leaf) is the Merkle leaf hash.
    leaf: String,
    /// The canonical payload (RFC 8785 JSON) whose SHA-256 the leaf names; null when it
    /// holds personal data the caller may not read (the leaf still proves the entry).
    #[schema(value_type = Option<Object>)]
    payload: Option<Box<serde_json::value::RawValue>>,
    /// Why the payload is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    withheld: Option<String>,
}

/// One journal entry: its leaf and payload, to check against a proof (and a claim's signature).
#[utoipa::path(
    get, path = "/api/v1/log/entries/{seq}", tag = "ledger",
    params(("seq" = u64, Path, description = "Sequence number")),
    responses((status = 200, body = EntryView), (status = 404, body = ErrorBody))
)]
pub(crate) async fn entry(
    State(state): State<AppState>,
    caller: Caller,
    Path(seq): Path<String>,
) -> Result<Json<EntryView>, ApiError> {
    let n: u64 = seq.parse().map_err(|_| ApiError::NotFound(format!("no entry {seq:?}: not a sequence number")))?;
    let (leaf, payload) = state.store.log_entry(n).await?.ok_or_else(|| ApiError::NotFound(format!("no entry {n}")))?;
    let kind = entry_kind(&leaf);
    let access = claim_access_of(&state, n, &kind).await?;
    if !may_read_entry(&caller, &kind, access.as_ref()) {
        return Err(ApiError::NotFound(format!("no entry {n}")));
    }
    let leaf_text = String::from_utf8_lossy(&leaf).into_owned();
    // A claim naming people: its payload only to those who may read them, and journaled.
    let personal = access.is_some()
        && serde_json::from_slice::<truce_core::claims::ClaimBody>(&payload).is_ok_and(|b| b.has_personal_data());
    if personal {
        if !access.as_ref().is_some_and(|a| caller.personal_data().shows(a.org.as_deref(), a.public)) {
            return Ok(Json(EntryView {
                seq: n,
                leaf: leaf_text,
                payload: None,
                withheld: Some("the claim names people or its source's contact: personal data, which only monitors and the submitting organisation read".into()),
            }));
        }
        let claim = leaf_text.lines().find_map(|l| l.strip_prefix("id ")).unwrap_or_default().to_owned();
        super::journal_personal_read(&state, &caller, &[claim], format!("GET /api/v1/log/entries/{n}")).await?;
    }
    let payload = String::from_utf8(payload).map_err(|e| ApiError::Internal(format!("entry {n} payload: {e}")))?;
    let payload = serde_json::value::RawValue::from_string(payload)
        .map_err(|e| ApiError::Internal(format!("entry {n} payload: {e}")))?;
    Ok(Json(EntryView { seq: n, leaf: leaf_text, payload: Some(payload), withheld: None }))
}
