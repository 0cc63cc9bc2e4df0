//! Projection: how each journal entry changes the query tables. Used by the live write
//! path and by rebuilds alike, so both give the same state.
//!
//! The expensive part of a command (canonical JSON, its hash, stemming, the claim's view)
//! is `prepare`d by the caller, in parallel, before the command reaches the single writer;
//! the writer only assigns the entry's sequence, id and time, and runs the inserts.

use crate::StoreError;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::value::RawValue;
use std::sync::Arc;
use truce_core::claims::{assemble_view, resolve_location, view_tail};
use truce_core::geo::BBox;
use truce_core::journal::{Command, sha256};
use truce_core::scenario::Scenario;
use truce_core::text::{fold, search_terms};
use ulid::Ulid;

use super::writer::Projected;

pub(super) struct Entry<'a> {
    pub seq: u64,
    pub id: Ulid,
    pub received_at: DateTime<Utc>,
    pub actor: &'a str,
}

/// Milliseconds in an hour: the R*Tree's time axis is in hours.
pub(super) const MS_PER_HOUR: f64 = 3_600_000.0;

/// A command with everything the writer needs already computed.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub kind: &'static str,
    pub payload: Vec<u8>,
    pub digest: [u8; 32],
    pub what: What,
}

#[derive(Debug)]
pub(crate) enum What {
    Scenario(Box<Scenario>),
    Claim(PreparedClaim),
    Key(PreparedKey),
}

#[derive(Debug)]
pub(crate) struct PreparedKey {
    pub name: String,
    pub key_id: u32,
    pub party: String,
    pub vkey: String,
}

#[derive(Debug)]
pub(crate) struct PreparedClaim {
    view_tail: String,
    terms: String,
    claimant: String,
    accused: Option<String>,
    event_type: String,
    from_ms: i64,
    to_ms: i64,
    bbox: Option<BBox>,
}

/// Computes a command's payload, hash and projected rows. `scenario` is the one loaded
/// when the command is prepared; a claim needs one.
pub(crate) fn prepare(command: Command, scenario: Option<&Scenario>) -> Result<Prepared, StoreError> {
    let kind = command.kind();
    let payload = command.canonical_payload()?;
    let digest = sha256(&payload);
    let what = match command {
        Command::LoadScenario(s) => What::Scenario(s),
        Command::RegisterKey(k) => {
            let v = k
                .verifier()
                .ok_or_else(|| StoreError::Internal(format!("registered key {:?} does not parse", k.key)))?;
            What::Key(PreparedKey {
                name: v.name().to_string(),
                key_id: v.key_id(),
                party: k.party.to_string(),
                vkey: k.key.clone(),
            })
        }
        Command::SubmitClaim(body) => {
            let sc = scenario.ok_or(StoreError::NotInitialised)?;
            let bbox = resolve_location(body.location.as_ref(), sc).map(|l| l.geometry.bbox());
            What::Claim(PreparedClaim {
                view_tail: view_tail(&body, sc)?,
                terms: search_terms(&body.narrative.text).join(" "),
                claimant: body.claimant.to_string(),
                accused: body.accused.as_ref().map(ToString::to_string),
                event_type: body.event_type.to_string(),
                from_ms: body.occurred.from.timestamp_millis(),
                to_ms: body.occurred.to.timestamp_millis(),
                bbox,
            })
        }
    };
    Ok(Prepared { kind, payload, digest, what })
}

pub(super) fn apply(
    tx: &Transaction<'_>,
    entry: &Entry<'_>,
    prepared: &Prepared,
    scenario: &mut Option<Arc<Scenario>>,
) -> Result<Projected, StoreError> {
    match &prepared.what {
        What::Scenario(s) => {
            tx.execute(
                "INSERT INTO scenario (one, seq, body) VALUES (1, ?1, ?2)",
                params![entry.seq as i64, serde_json::to_string(s.as_ref())?],
            )?;
            let mut place = tx.prepare_cached("INSERT INTO places (id, body) VALUES (?1, ?2)")?;
            let mut name = tx.prepare_cached(
                "INSERT INTO place_names (place_id, lang, name, norm, preferred) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for p in &s.places {
                place.execute(params![p.id.as_str(), serde_json::to_string(p)?])?;
                for (lang, n, preferred) in p.all_names() {
                    name.execute(params![p.id.as_str(), lang.as_str(), n, fold(n), preferred])?;
                }
            }
            *scenario = Some(Arc::new(s.as_ref().clone()));
            Ok(Projected::Scenario)
        }
        What::Claim(c) => {
            let seq = entry.seq as i64;
            let id = entry.id.to_string();
            let body = assemble_view(&id, entry.seq, entry.received_at, entry.actor, &c.view_tail);
            tx.prepare_cached(
                "INSERT INTO claims (seq, claimant, accused, event_type, occurred_from, occurred_to,
                                     min_lon, min_lat, max_lon, max_lat)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                seq,
                c.claimant,
                c.accused,
                c.event_type,
                c.from_ms,
                c.to_ms,
                c.bbox.map(|b| b.min_lon),
                c.bbox.map(|b| b.min_lat),
                c.bbox.map(|b| b.max_lon),
                c.bbox.map(|b| b.max_lat)
            ])?;
            if let Some(b) = c.bbox {
                tx.prepare_cached(
                    "INSERT INTO claims_rtree (seq, min_lon, max_lon, min_lat, max_lat, min_t, max_t)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    seq,
                    b.min_lon,
                    b.max_lon,
                    b.min_lat,
                    b.max_lat,
                    c.from_ms as f64 / MS_PER_HOUR,
                    c.to_ms as f64 / MS_PER_HOUR
                ])?;
            }
            if !c.terms.is_empty() {
                tx.prepare_cached("INSERT INTO claims_fts (rowid, terms) VALUES (?1, ?2)")?
                    .execute(params![seq, c.terms])?;
            }
            Ok(Projected::Claim(RawValue::from_string(body)?))
        }
        What::Key(k) => {
            tx.prepare_cached(
                "INSERT INTO submitter_keys (name, key_id, party, vkey, seq) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![k.name, k.key_id, k.party, k.vkey, entry.seq as i64])?;
            Ok(Projected::Key)
        }
    }
}

/// Whether a key with this name and ID is registered.
pub(super) fn key_registered(conn: &Connection, name: &str, key_id: u32) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM submitter_keys WHERE name = ?1 AND key_id = ?2")?
        .query_row(params![name, key_id], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(super) fn load_scenario(conn: &Connection) -> Result<Option<Arc<Scenario>>, StoreError> {
    let body: Option<String> =
        conn.query_row("SELECT body FROM scenario WHERE one = 1", [], |r| r.get(0)).optional()?;
    Ok(match body {
        Some(b) => Some(Arc::new(serde_json::from_str(&b)?)),
        None => None,
    })
}
