//! Projection: how each journal entry changes the query tables. Used by the live write
//! path and by rebuilds alike, so both give the same state.

use crate::StoreError;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::sync::Arc;
use truce_core::claims::Claim;
use truce_core::journal::Command;
use truce_core::scenario::Scenario;
use truce_core::text::{Stemmers, fold};
use ulid::Ulid;

use super::writer::Projected;

pub(super) struct Entry<'a> {
    pub seq: u64,
    pub id: Ulid,
    pub received_at: DateTime<Utc>,
    pub actor: &'a str,
}

pub(super) const MS_PER_HOUR: f64 = 3_600_000.0;

pub(super) fn apply(
    tx: &Transaction<'_>,
    entry: &Entry<'_>,
    command: &Command,
    scenario: &mut Option<Arc<Scenario>>,
    stemmers: &Stemmers,
) -> Result<Projected, StoreError> {
    match command {
        Command::LoadScenario(s) => {
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
        Command::SubmitClaim(body) => {
            let Some(sc) = scenario.as_deref() else {
                return Err(StoreError::NotInitialised);
            };
            let terms = stemmers.terms(&body.narrative.text).join(" ");
            let claim = Claim::view(
                entry.id.to_string(),
                entry.seq,
                entry.received_at,
                entry.actor.to_owned(),
                body.as_ref().clone(),
                sc,
            );
            let seq = entry.seq as i64;
            tx.prepare_cached(
                "INSERT INTO claims (seq, id, claimant, accused, event_type, occurred_from, occurred_to, received_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                seq,
                claim.id,
                claim.claimant,
                claim.accused,
                claim.event_type,
                claim.occurred.from.timestamp_millis(),
                claim.occurred.to.timestamp_millis(),
                entry.received_at.timestamp_millis(),
                serde_json::to_string(&claim)?
            ])?;
            if let Some(loc) = &claim.location {
                let b = loc.geometry.bbox();
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
                    claim.occurred.from.timestamp_millis() as f64 / MS_PER_HOUR,
                    claim.occurred.to.timestamp_millis() as f64 / MS_PER_HOUR
                ])?;
            }
            if !terms.is_empty() {
                tx.prepare_cached("INSERT INTO claims_fts (rowid, terms) VALUES (?1, ?2)")?
                    .execute(params![seq, terms])?;
            }
            Ok(Projected::Claim(Box::new(claim)))
        }
    }
}

pub(super) fn load_scenario(conn: &Connection) -> Result<Option<Arc<Scenario>>, StoreError> {
    let body: Option<String> =
        conn.query_row("SELECT body FROM scenario WHERE one = 1", [], |r| r.get(0)).optional()?;
    Ok(match body {
        Some(b) => Some(Arc::new(serde_json::from_str(&b)?)),
        None => None,
    })
}
