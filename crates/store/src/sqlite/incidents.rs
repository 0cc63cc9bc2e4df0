//! Incidents in the store: matching a claim to the incidents it may belong to, projecting
//! every incident change, and refusing changes the incident's state does not allow.
//!
//! Matching runs before a job reaches the writer, on a read connection, so the one writer
//! thread only inserts. The writer then follows a target that was merged meanwhile to the
//! incident it was merged into, names the claims by the ids it gave them, and journals the
//! placements as one `incident.placed` entry per job. Rebuilds replay those entries and never
//! match again, so a change to the matching rules never rewrites history.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::collections::HashMap;
use truce_core::claims::{ClaimBody, resolve_location};
use truce_core::geo::BBox;
use truce_core::ids::{ClaimId, PartyId};
use truce_core::incidents::matching::{self, MAX_GAP_H, MAX_GAP_M};
use truce_core::incidents::{
    Candidate, Evidence, Features, IncidentChange, IncidentId, Placement, Proposal, State, endorsement_met,
};
use truce_core::scenario::Scenario;

use super::anchors::{Anchor, AnchorIndex, SharedAnchors, degrees_lat, degrees_lon, hours};
use super::project::Entry;
use crate::StoreError;

/// How many proposals a placement keeps.
const KEEP_PROPOSALS: usize = 3;

/// A claim's features as matching sees them.
pub(crate) fn claim_features(body: &ClaimBody, scenario: &Scenario) -> Features {
    let loc = resolve_location(body.location.as_ref(), scenario);
    Features {
        bbox: loc.as_ref().map(|l| l.geometry.bbox()),
        radius_m: loc.map_or(100_000.0, |l| f64::from(l.radius_m)),
        from_ms: body.occurred.from.timestamp_millis(),
        to_ms: body.occurred.to.timestamp_millis(),
        event_types: scenario.taxonomy.shared(body.event_type.as_str()).cloned().into_iter().collect(),
        claimants: vec![body.claimant.clone()],
        accused: body.accused.iter().cloned().collect(),
    }
}

/// One claim of a job placed before the writer: the index of the claim in its job, where it
/// goes, and the proposals that decided it (also as canonical JSON, for the journal entry).
#[derive(Debug)]
pub(crate) struct PendingItem {
    pub claim_index: usize,
    pub incident: IncidentId,
    pub opened: bool,
    pub proposals: Vec<Candidate>,
    pub proposals_json: Vec<u8>,
}

/// Scores the claims of one job against the stored incidents and against the incidents the
/// job's earlier claims open, and decides each claim's place: the best incident at or above
/// `threshold`, or a new one.
pub(crate) fn place(
    conn: &Connection,
    anchors: &SharedAnchors,
    scenario: &Scenario,
    claims: &[(usize, Features)],
    threshold: f64,
) -> Result<Vec<PendingItem>, StoreError> {
    let mut provisional: Vec<(IncidentId, Features)> = Vec::new();
    let mut out = Vec::with_capacity(claims.len());
    for (claim_index, f) in claims {
        // A public incident is proposed but never joined without a monitor: a new claim
        // would otherwise be published unreviewed.
        // The index is locked for each claim's search only: the writer refreshes it after
        // every commit, and a lock held for a whole job would stall the writer (and, the lock
        // preferring writers, every other job's matching) until the job was placed.
        let stored = {
            // Poisoned only while the writer reloads it after a failed refresh.
            let index = anchors.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            candidates(conn, &index, scenario, f)?
        };
        let public: Vec<IncidentId> = stored.iter().filter(|c| c.3).map(|c| c.0).collect();
        // Ranked by score alone; only the proposals kept are put in words.
        let mut scored: Vec<(IncidentId, f64, &Features)> =
            stored.iter().map(|(id, s, inc, _)| (*id, *s, inc)).collect();
        for (id, inc) in &provisional {
            if let Some((s, _)) = matching::score_only(f, inc) {
                scored.push((*id, s, inc));
            }
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(KEEP_PROPOSALS);
        let proposals: Vec<Candidate> = scored
            .iter()
            .filter_map(|(id, _, inc)| matching::score(f, inc).map(|proposal| Candidate { incident: *id, proposal }))
            .collect();
        let (incident, opened) = match proposals.iter().find(|c| !public.contains(&c.incident)) {
            Some(c) if c.proposal.score >= threshold => (c.incident, false),
            _ => (IncidentId::new(), true),
        };
        match provisional.iter_mut().find(|(id, _)| *id == incident) {
            Some((_, inc)) => inc.absorb(f),
            None if opened => provisional.push((incident, f.clone())),
            None => {}
        }
        let proposals_json = truce_core::journal::canonical_json(&proposals)?;
        out.push(PendingItem { claim_index: *claim_index, incident, opened, proposals, proposals_json });
    }
    Ok(out)
}

/// How many candidates are scored after the estimate (the proposals kept are then explained).
const MAX_SCORED: usize = 8;

/// Live incidents near a claim in place and time (or in time alone for a claim without a
/// location), scored. Each candidate is first estimated from its anchor alone (no
/// allocation); the best few are then scored, without words: `place` explains the ones it
/// keeps.
fn candidates(
    conn: &Connection,
    anchors: &AnchorIndex,
    scenario: &Scenario,
    f: &Features,
) -> Result<Vec<(IncidentId, f64, Features, bool)>, StoreError> {
    let t0 = hours(f.from_ms) - MAX_GAP_H;
    let t1 = hours(f.to_ms) + MAX_GAP_H;
    let type_fit = |types: &str| -> f64 {
        types
            .split(',')
            .filter_map(|t| scenario.taxonomy.get(t))
            .flat_map(|it| f.event_types.iter().map(move |ct| matching::type_fit_score(ct, it)))
            .fold(0.1, f64::max)
    };
    let features = |a: &Anchor| {
        stored_features(
            Some(a.bbox),
            a.radius_m,
            (a.from_ms, a.to_ms),
            [&a.event_types, &a.claimants, &a.accused],
            scenario,
        )
    };
    let mut out: Vec<(IncidentId, f64, Features, bool)> = Vec::new();
    match &f.bbox {
        Some(b) => {
            let reach = MAX_GAP_M + f.radius_m;
            let (dlat, dlon) = (degrees_lat(reach), degrees_lon(reach, b.max_lat.abs().max(b.min_lat.abs())));
            // (estimate, rid, anchor) of each candidate.
            let mut ranked: Vec<(f64, i64, &Anchor)> = Vec::new();
            // Each candidate's parties, in buffers reused from one to the next.
            let (mut ic, mut ia): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
            for (rid, a) in
                anchors.meeting([b.min_lon - dlon, b.min_lat - dlat, t0], [b.max_lon + dlon, b.max_lat + dlat, t1])
            {
                let Some((_, gap_m)) = matching::place_gap_m(b, f.radius_m, &a.bbox, a.radius_m) else {
                    continue;
                };
                let gap_h = (hours(a.from_ms).max(hours(f.from_ms)) - hours(a.to_ms).min(hours(f.to_ms))).max(0.0);
                ic.clear();
                ic.extend(a.claimants.split(','));
                ia.clear();
                ia.extend(a.accused.split(','));
                let fit = matching::party_fit_score(&f.claimants, &f.accused, &ic, &ia);
                ranked.push((matching::estimate(Some(gap_m), gap_h, type_fit(&a.event_types), fit), rid, a));
            }
            ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(y.1.cmp(&x.1)));
            for (_, _, a) in ranked.into_iter().take(MAX_SCORED) {
                let inc = features(a);
                if let Some((s, _)) = matching::score_only(f, &inc) {
                    out.push((a.id, s, inc, a.public));
                }
            }
        }
        None => {
            // A claim without a place: the newest live incidents overlapping its time.
            let hour = 3_600_000.0;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM incidents i WHERE i.occurred_from <= ?1 AND i.occurred_to >= ?2
                   AND i.state <> 'merged' ORDER BY i.rid DESC LIMIT ?3"
            ))?;
            let rows = stmt
                .query_map(params![(t1 * hour) as i64, (t0 * hour) as i64, MAX_SCORED as i64], IncidentRow::read)?
                .collect::<Result<Vec<_>, _>>()?;
            for row in rows {
                let inc = row.features(scenario);
                if let Some((s, _)) = matching::score_only(f, &inc) {
                    out.push((row.id()?, s, inc, row.public));
                }
            }
        }
    }
    Ok(out)
}

/// The incident columns matching and the checks read.
const COLUMNS: &str = "i.rid, i.id, i.state, i.version, i.a_min_lon, i.a_min_lat, i.a_max_lon, i.a_max_lat, \
                       i.a_radius_m, i.a_from, i.a_to, i.event_types, i.claimants, i.accused, i.round, i.merged_into, \
                       i.public, i.min_lon, i.min_lat, i.max_lon, i.max_lat, i.radius_m, i.occurred_from, i.occurred_to";

#[derive(Debug, Clone)]
pub(crate) struct IncidentRow {
    pub rid: i64,
    pub id: String,
    pub state: String,
    pub version: i64,
    bbox: Option<BBox>,
    radius_m: f64,
    from_ms: i64,
    to_ms: i64,
    event_types: String,
    claimants: String,
    accused: String,
    pub round: i64,
    pub merged_into: Option<String>,
    pub public: bool,
    /// Where and when all its claims together say it happened.
    all_bbox: Option<BBox>,
    all_radius_m: f64,
    all_from_ms: i64,
    all_to_ms: i64,
}

impl IncidentRow {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<IncidentRow> {
        let bbox = match (r.get::<_, Option<f64>>(4)?, r.get(5)?, r.get(6)?, r.get(7)?) {
            (Some(min_lon), Some(min_lat), Some(max_lon), Some(max_lat)) => {
                Some(BBox { min_lon, min_lat, max_lon, max_lat })
            }
            _ => None,
        };
        Ok(IncidentRow {
            rid: r.get(0)?,
            id: r.get(1)?,
            state: r.get(2)?,
            version: r.get(3)?,
            bbox,
            radius_m: r.get(8)?,
            from_ms: r.get(9)?,
            to_ms: r.get(10)?,
            event_types: r.get(11)?,
            claimants: r.get(12)?,
            accused: r.get(13)?,
            round: r.get(14)?,
            merged_into: r.get(15)?,
            public: r.get(16)?,
            all_bbox: match (r.get::<_, Option<f64>>(17)?, r.get(18)?, r.get(19)?, r.get(20)?) {
                (Some(min_lon), Some(min_lat), Some(max_lon), Some(max_lat)) => {
                    Some(BBox { min_lon, min_lat, max_lon, max_lat })
                }
                _ => None,
            },
            all_radius_m: r.get(21)?,
            all_from_ms: r.get(22)?,
            all_to_ms: r.get(23)?,
        })
    }

    fn id(&self) -> Result<IncidentId, StoreError> {
        IncidentId::parse(&self.id).map_err(StoreError::Internal)
    }

    pub(crate) fn state(&self) -> Result<State, StoreError> {
        State::parse(&self.state).map_err(StoreError::Internal)
    }

    /// All its claims' features together.
    fn all_features(&self, scenario: &Scenario) -> Features {
        Features {
            bbox: self.all_bbox,
            radius_m: self.all_radius_m,
            from_ms: self.all_from_ms,
            to_ms: self.all_to_ms,
            ..self.features(scenario)
        }
    }

    /// What matching compares: its first claim's place and time, all its claims' types and
    /// parties.
    fn features(&self, scenario: &Scenario) -> Features {
        let words = [self.event_types.as_str(), &self.claimants, &self.accused];
        stored_features(self.bbox, self.radius_m, (self.from_ms, self.to_ms), words, scenario)
    }
}

/// Features from an incident's stored place, time and comma-separated types, claimants and
/// accused (as the table and the matching index keep them).
fn stored_features(
    bbox: Option<BBox>,
    radius_m: f64,
    (from_ms, to_ms): (i64, i64),
    [types, claimants, accused]: [&str; 3],
    scenario: &Scenario,
) -> Features {
    let parties = |s: &str| s.split(',').filter_map(|p| PartyId::parse(p).ok()).collect();
    Features {
        bbox,
        radius_m,
        from_ms,
        to_ms,
        event_types: types.split(',').filter_map(|t| scenario.taxonomy.shared(t).cloned()).collect(),
        claimants: parties(claimants),
        accused: parties(accused),
    }
}

/// An incident by id, merged or not.
pub(crate) fn incident(conn: &Connection, id: &IncidentId) -> Result<Option<IncidentRow>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM incidents i WHERE i.id = ?1"))?
        .query_row([id.to_string()], IncidentRow::read)
        .optional()?)
}

/// The live incident an id leads to: itself, or the one it was (transitively) merged into.
fn live_incident(conn: &Connection, id: &IncidentId) -> Result<Option<IncidentRow>, StoreError> {
    let mut current = *id;
    for _ in 0..64 {
        match incident(conn, &current)? {
            None => return Ok(None),
            Some(row) => match &row.merged_into {
                Some(next) => current = IncidentId::parse(next).map_err(StoreError::Internal)?,
                None => return Ok(Some(row)),
            },
        }
    }
    Err(StoreError::Internal(format!("incident {id} is merged in a loop")))
}

/// The journal seq of a claim by id.
pub(crate) fn claim_seq(conn: &Connection, id: &ClaimId) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT seq FROM journal WHERE id = ?1 AND kind = 'claim.submitted'")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?)
}

/// How many claims an incident holds.
fn claims_in(conn: &Connection, incident: &str) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM incident_claims WHERE incident = ?1")?
        .query_row([incident], |r| r.get(0))?)
}

/// The incident a claim is in.
fn incident_of(conn: &Connection, claim_seq: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT incident FROM incident_claims WHERE claim_seq = ?1")?
        .query_row([claim_seq], |r| r.get(0))
        .optional()?)
}

fn claim_row_features(conn: &Connection, claim_seq: i64, scenario: &Scenario) -> Result<Features, StoreError> {
    conn.prepare_cached(
        "SELECT min_lon, min_lat, max_lon, max_lat, radius_m, occurred_from, occurred_to, event_type, claimant, accused
         FROM claims WHERE seq = ?1",
    )?
    .query_row([claim_seq], |r| {
        let bbox = match (r.get::<_, Option<f64>>(0)?, r.get(1)?, r.get(2)?, r.get(3)?) {
            (Some(min_lon), Some(min_lat), Some(max_lon), Some(max_lat)) => {
                Some(BBox { min_lon, min_lat, max_lon, max_lat })
            }
            _ => None,
        };
        let event_type: String = r.get(7)?;
        let claimant: String = r.get(8)?;
        let accused: Option<String> = r.get(9)?;
        Ok(Features {
            bbox,
            radius_m: r.get(4)?,
            from_ms: r.get(5)?,
            to_ms: r.get(6)?,
            event_types: scenario.taxonomy.shared(&event_type).cloned().into_iter().collect(),
            claimants: PartyId::parse(&claimant).ok().into_iter().collect(),
            accused: accused.and_then(|a| PartyId::parse(&a).ok()).into_iter().collect(),
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::Internal(format!("no claim at seq {claim_seq}")))
}

fn join_parties(ps: &[PartyId]) -> String {
    ps.iter().map(PartyId::as_str).collect::<Vec<_>>().join(",")
}

/// Writes an incident's features: `all` (its claims together) to its row and the listing
/// R*Tree, `anchor` (its first claim's place and time, all claims' types and parties) to its
/// row, from which the matching index (`anchors`) is refreshed after the commit.
fn write_features(tx: &Transaction<'_>, rid: i64, all: &Features, anchor: &Features) -> Result<(), StoreError> {
    let v = FeatureValues::of(all, anchor);
    tx.prepare_cached(
        "UPDATE incidents SET min_lon = ?2, min_lat = ?3, max_lon = ?4, max_lat = ?5, radius_m = ?6,
                occurred_from = ?7, occurred_to = ?8, event_types = ?9, claimants = ?10, accused = ?11,
                a_min_lon = ?12, a_min_lat = ?13, a_max_lon = ?14, a_max_lat = ?15, a_radius_m = ?16,
                a_from = ?17, a_to = ?18
         WHERE rid = ?1",
    )?
    .execute(rusqlite::params_from_iter(std::iter::once(&rid as &dyn rusqlite::ToSql).chain(v.params())))?;
    write_area(tx, rid, all)
}

/// The feature columns of `incidents`, in the order of `write_features`' ?2 to ?18.
struct FeatureValues {
    all_box: [Option<f64>; 4],
    /// Radius, from and to of all the claims together.
    all_span: (f64, i64, i64),
    types: String,
    claimants: String,
    accused: String,
    anchor_box: [Option<f64>; 4],
    anchor_span: (f64, i64, i64),
}

impl FeatureValues {
    fn of(all: &Features, anchor: &Features) -> FeatureValues {
        let corners =
            |b: Option<BBox>| [b.map(|b| b.min_lon), b.map(|b| b.min_lat), b.map(|b| b.max_lon), b.map(|b| b.max_lat)];
        FeatureValues {
            all_box: corners(all.bbox),
            all_span: (all.radius_m, all.from_ms, all.to_ms),
            types: all.event_types.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(","),
            claimants: join_parties(&all.claimants),
            accused: join_parties(&all.accused),
            anchor_box: corners(anchor.bbox),
            anchor_span: (anchor.radius_m, anchor.from_ms, anchor.to_ms),
        }
    }

    fn params(&self) -> impl Iterator<Item = &dyn rusqlite::ToSql> {
        let (a, n) = (&self.all_box, &self.anchor_box);
        let values: [&dyn rusqlite::ToSql; 17] = [
            &a[0],
            &a[1],
            &a[2],
            &a[3],
            &self.all_span.0,
            &self.all_span.1,
            &self.all_span.2,
            &self.types,
            &self.claimants,
            &self.accused,
            &n[0],
            &n[1],
            &n[2],
            &n[3],
            &self.anchor_span.0,
            &self.anchor_span.1,
            &self.anchor_span.2,
        ];
        values.into_iter()
    }
}

/// Opens the incident a placement starts, with its first claim's features, in one insert:
/// at version 2, as opening it and placing the claim in it are two changes.
///
/// Nothing else is written for it: its history begins with `opened_seq`, and a list by place
/// finds it through its one claim's entry in `claims_rtree` until a change of its claims
/// gives it an `incidents_area` entry (`write_features`).
fn open_placed(tx: &Transaction<'_>, id: &IncidentId, entry: &Entry<'_>, f: &Features) -> Result<(), StoreError> {
    let v = FeatureValues::of(f, f);
    let (id, at, seq) = (id.to_string(), entry.received_at.timestamp_millis(), entry.seq as i64);
    tx.prepare_cached(
        "INSERT INTO incidents (id, min_lon, min_lat, max_lon, max_lat, radius_m, occurred_from, occurred_to,
                                event_types, claimants, accused, a_min_lon, a_min_lat, a_max_lon, a_max_lat,
                                a_radius_m, a_from, a_to, state, version, state_since, opened_seq, round)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 'reported', 2, ?19, ?20, 0)",
    )?
    .execute(rusqlite::params_from_iter(
        std::iter::once(&id as &dyn rusqlite::ToSql).chain(v.params()).chain([&at as &dyn rusqlite::ToSql, &seq]),
    ))?;
    Ok(())
}

/// The listing R*Tree's entry for an incident: the box and time all its claims cover.
fn write_area(tx: &Transaction<'_>, rid: i64, all: &Features) -> Result<(), StoreError> {
    match all.bbox {
        Some(b) => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO incidents_area (rid, min_lon, max_lon, min_lat, max_lat, min_t, max_t)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                rid,
                b.min_lon,
                b.max_lon,
                b.min_lat,
                b.max_lat,
                hours(all.from_ms),
                hours(all.to_ms)
            ])?;
        }
        None => {
            tx.prepare_cached("DELETE FROM incidents_area WHERE rid = ?1")?.execute([rid])?;
        }
    }
    Ok(())
}

/// The anchor: the first claim's place and time with every claim's types and parties.
fn anchor_of(first: &Features, all: &Features) -> Features {
    Features {
        event_types: all.event_types.clone(),
        claimants: all.claimants.clone(),
        accused: all.accused.clone(),
        ..first.clone()
    }
}

/// Recomputes an incident's features from the claims it holds now.
fn refresh_features(tx: &Transaction<'_>, incident: &str, rid: i64, scenario: &Scenario) -> Result<(), StoreError> {
    let seqs: Vec<i64> = tx
        .prepare_cached("SELECT claim_seq FROM incident_claims WHERE incident = ?1 ORDER BY claim_seq")?
        .query_map([incident], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut all: Option<(Features, Features)> = None;
    for seq in seqs {
        let f = claim_row_features(tx, seq, scenario)?;
        match &mut all {
            Some((_, a)) => a.absorb(&f),
            None => all = Some((f.clone(), f)),
        }
    }
    if let Some((first, all)) = all {
        write_features(tx, rid, &all, &anchor_of(&first, &all))?;
    }
    Ok(())
}

fn open_incident(tx: &Transaction<'_>, id: &IncidentId, entry: &Entry<'_>) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO incidents (id, state, version, state_since, opened_seq, radius_m, occurred_from, occurred_to,
                                event_types, claimants, accused, round)
         VALUES (?1, 'reported', 1, ?2, ?3, 0, 0, 0, '', '', '', 0)",
    )?
    .execute(params![id.to_string(), entry.received_at.timestamp_millis(), entry.seq as i64])?;
    Ok(tx.last_insert_rowid())
}

fn put_claim(
    tx: &Transaction<'_>,
    incident: &str,
    claim_seq: i64,
    auto: bool,
    proposal: Option<&Proposal>,
    seq: u64,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO incident_claims (claim_seq, incident, auto, score, explanation, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (claim_seq) DO UPDATE SET incident = excluded.incident, auto = excluded.auto,
             score = excluded.score, explanation = excluded.explanation, seq = excluded.seq",
    )?
    .execute(params![
        claim_seq,
        incident,
        auto,
        proposal.map(|p| p.score),
        proposal.map(|p| p.explanation.as_str()),
        seq as i64
    ])?;
    Ok(())
}

fn touch(tx: &Transaction<'_>, incident: &str, seq: u64) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE incidents SET version = version + 1 WHERE id = ?1")?.execute([incident])?;
    add_history(tx, incident, seq)
}

/// Lists entry `seq` in an incident's history (which also holds the entry that opened it,
/// `incidents.opened_seq`).
fn add_history(tx: &Transaction<'_>, incident: &str, seq: u64) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT OR IGNORE INTO incident_history (incident, seq) VALUES (?1, ?2)")?
        .execute(params![incident, seq as i64])?;
    Ok(())
}

fn set_state(tx: &Transaction<'_>, incident: &str, state: State, at_ms: i64) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE incidents SET state = ?2, state_since = ?3, public = ?4 WHERE id = ?1")?
        .execute(params![incident, state.as_str(), at_ms, state.is_public()])?;
    Ok(())
}

fn row_of(tx: &Transaction<'_>, id: &IncidentId) -> Result<IncidentRow, StoreError> {
    incident(tx, id)?.ok_or_else(|| StoreError::Internal(format!("incident {id} is not in the projection")))
}

fn seq_of(tx: &Transaction<'_>, claim: &ClaimId) -> Result<i64, StoreError> {
    claim_seq(tx, claim)?.ok_or_else(|| StoreError::Internal(format!("claim {claim} is not in the journal")))
}

/// Moves a claim into `to` (taking it out of its current incident, whose features are then
/// recomputed).
fn move_claim(
    tx: &Transaction<'_>,
    claim_seq: i64,
    to: &IncidentRow,
    entry: &Entry<'_>,
    scenario: &Scenario,
) -> Result<(), StoreError> {
    let old = incident_of(tx, claim_seq)?;
    put_claim(tx, &to.id, claim_seq, false, None, entry.seq)?;
    if let Some(old) = old.filter(|o| *o != to.id) {
        let row = row_of(tx, &IncidentId::parse(&old).map_err(StoreError::Internal)?)?;
        let left = claims_in(tx, &old)?;
        if left == 0 {
            // Its only claim went: the incident lives on in the one that took it.
            tx.prepare_cached("UPDATE incidents SET merged_into = ?2 WHERE id = ?1")?.execute(params![old, to.id])?;
            set_state(tx, &old, State::Merged, entry.received_at.timestamp_millis())?;
            tx.prepare_cached("DELETE FROM incidents_area WHERE rid = ?1")?.execute([row.rid])?;
        } else {
            refresh_features(tx, &old, row.rid, scenario)?;
        }
        touch(tx, &old, entry.seq)?;
    }
    Ok(())
}

/// Claims the writer appended in the same transaction as their placement: each one's seq and
/// features, which the projection would otherwise read back from the rows just written.
pub(crate) type KnownClaims<'a> = HashMap<ClaimId, (i64, &'a Features)>;

/// Projects one incident change.
pub(crate) fn apply(
    tx: &Transaction<'_>,
    entry: &Entry<'_>,
    change: &IncidentChange,
    scenario: &Scenario,
    known: &KnownClaims<'_>,
) -> Result<(), StoreError> {
    let at = entry.received_at.timestamp_millis();
    match change {
        IncidentChange::Placed { placements } => {
            for p in placements {
                let (claim_seq, f) = match known.get(&p.claim) {
                    Some(&(seq, f)) => {
                        debug_assert_eq!(Some(seq), claim_seq(tx, &p.claim).ok().flatten());
                        debug_assert_eq!(Some(f), claim_row_features(tx, seq, scenario).ok().as_ref());
                        (seq, std::borrow::Cow::Borrowed(f))
                    }
                    None => {
                        let seq = seq_of(tx, &p.claim)?;
                        (seq, std::borrow::Cow::Owned(claim_row_features(tx, seq, scenario)?))
                    }
                };
                let id = p.incident.to_string();
                let best = p.proposals.iter().find(|c| c.incident == p.incident).map(|c| &c.proposal);
                put_claim(tx, &id, claim_seq, !p.opened, best, entry.seq)?;
                if p.opened {
                    open_placed(tx, &p.incident, entry, &f)?;
                } else {
                    // The incident's features grow by this claim's: no need to read its others.
                    let row = row_of(tx, &p.incident)?;
                    let mut all = row.all_features(scenario);
                    all.absorb(&f);
                    let anchor = anchor_of(&row.features(scenario), &all);
                    write_features(tx, row.rid, &all, &anchor)?;
                    touch(tx, &id, entry.seq)?;
                }
            }
        }
        IncidentChange::Attached { incident, claim, .. } => {
            let to = row_of(tx, incident)?;
            move_claim(tx, seq_of(tx, claim)?, &to, entry, scenario)?;
            refresh_features(tx, &to.id, to.rid, scenario)?;
            touch(tx, &to.id, entry.seq)?;
        }
        IncidentChange::Detached { incident, claim, into, .. } => {
            let rid = open_incident(tx, into, entry)?;
            let to = row_of(tx, into)?;
            move_claim(tx, seq_of(tx, claim)?, &to, entry, scenario)?;
            refresh_features(tx, &to.id, rid, scenario)?;
            touch(tx, &to.id, entry.seq)?;
            touch(tx, &incident.to_string(), entry.seq)?;
        }
        IncidentChange::Split { from, into, claims, .. } => {
            let rid = open_incident(tx, into, entry)?;
            let to = row_of(tx, into)?;
            for c in claims {
                move_claim(tx, seq_of(tx, c)?, &to, entry, scenario)?;
            }
            refresh_features(tx, &to.id, rid, scenario)?;
            touch(tx, &to.id, entry.seq)?;
            touch(tx, &from.to_string(), entry.seq)?;
        }
        IncidentChange::Merged { from, into, .. } => {
            let (from_id, into_id) = (from.to_string(), into.to_string());
            tx.prepare_cached("UPDATE incident_claims SET incident = ?2 WHERE incident = ?1")?
                .execute(params![from_id, into_id])?;
            let from_row = row_of(tx, from)?;
            tx.prepare_cached("UPDATE incidents SET merged_into = ?2 WHERE id = ?1")?
                .execute(params![from_id, into_id])?;
            set_state(tx, &from_id, State::Merged, at)?;
            tx.prepare_cached("DELETE FROM incidents_area WHERE rid = ?1")?.execute([from_row.rid])?;
            let into_row = row_of(tx, into)?;
            refresh_features(tx, &into_id, into_row.rid, scenario)?;
            touch(tx, &from_id, entry.seq)?;
            touch(tx, &into_id, entry.seq)?;
        }
        IncidentChange::Transitioned(t) => {
            let id = t.incident.to_string();
            set_state(tx, &id, t.to, at)?;
            if let Some(f) = &t.finding {
                tx.prepare_cached(
                    "UPDATE incidents SET finding = ?2, finding_by = ?3, finding_seq = ?4, round = round + 1,
                            occurrence = ?5, attribution = ?6
                     WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    serde_json::to_string(f)?,
                    entry.actor,
                    entry.seq as i64,
                    serde_json::to_value(f.occurrence)?.as_str(),
                    attribution_key(&f.attribution)
                ])?;
            }
            touch(tx, &id, entry.seq)?;
        }
        IncidentChange::Endorsed(e) => {
            let id = e.incident.to_string();
            let group = scenario
                .verification
                .endorsement
                .as_ref()
                .and_then(|r| r.members.iter().find(|m| m.user == entry.actor))
                .map(|m| m.group.clone())
                .unwrap_or_default();
            tx.prepare_cached(
                "INSERT INTO endorsements (incident, round, member, grp, endorse, reasons, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![id, e.round, entry.actor, group, e.endorse, e.reasons, entry.seq as i64])?;
            if let Some(rule) = &scenario.verification.endorsement {
                let groups: Vec<String> = tx
                    .prepare_cached("SELECT grp FROM endorsements WHERE incident = ?1 AND round = ?2 AND endorse = 1")?
                    .query_map(params![id, e.round], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
                let state = row_of(tx, &e.incident)?.state()?;
                if state == State::FindingProposed && endorsement_met(rule, &groups) {
                    set_state(tx, &id, State::Endorsed, at)?;
                }
            }
            touch(tx, &id, entry.seq)?;
        }
        IncidentChange::Disputed { incident, claim, .. } => {
            let to = row_of(tx, incident)?;
            move_claim(tx, seq_of(tx, claim)?, &to, entry, scenario)?;
            refresh_features(tx, &to.id, to.rid, scenario)?;
            set_state(tx, &to.id, State::Disputed, at)?;
            touch(tx, &to.id, entry.seq)?;
        }
        IncidentChange::Graded(g) => {
            let claim_seq = seq_of(tx, &g.claim)?;
            tx.prepare_cached(
                "INSERT INTO source_grades (claim_seq, reliability, credibility, note, by, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (claim_seq) DO UPDATE SET reliability = excluded.reliability,
                     credibility = excluded.credibility, note = excluded.note, by = excluded.by, seq = excluded.seq",
            )?
            .execute(params![
                claim_seq,
                g.reliability.to_string(),
                g.credibility,
                g.note,
                entry.actor,
                entry.seq as i64
            ])?;
            if let Some(inc) = incident_of(tx, claim_seq)? {
                touch(tx, &inc, entry.seq)?;
            }
        }
    }
    Ok(())
}

/// The attribution as a filter key: the party's id, or the kind.
pub(crate) fn attribution_key(a: &truce_core::incidents::Attribution) -> String {
    use truce_core::incidents::Attribution;
    match a {
        Attribution::Party { party, .. } => party.to_string(),
        Attribution::Shared => "shared".into(),
        Attribution::NotAttributable => "not_attributable".into(),
        Attribution::NotAssessed => "not_assessed".into(),
    }
}

/// Why a monitor's (or a party's) change cannot be made now, if it cannot. `version` is the
/// incident version the caller saw; `actor` and `org` who asks.
pub(crate) fn conflict(
    conn: &Connection,
    change: &IncidentChange,
    version: Option<u64>,
    actor: &str,
    scenario: &Scenario,
) -> Result<Option<StoreError>, StoreError> {
    let not_found = |id: &IncidentId| StoreError::NotFound(format!("no incident {id}"));
    let get = |id: &IncidentId| -> Result<Result<IncidentRow, StoreError>, StoreError> {
        Ok(incident(conn, id)?.ok_or_else(|| not_found(id)))
    };
    let claim = |id: &ClaimId| -> Result<Result<i64, StoreError>, StoreError> {
        Ok(claim_seq(conn, id)?.ok_or_else(|| StoreError::NotFound(format!("no claim {id}"))))
    };
    macro_rules! try_ok {
        ($e:expr) => {
            match $e? {
                Ok(v) => v,
                Err(e) => return Ok(Some(e)),
            }
        };
    }
    let live_row = |row: IncidentRow| -> Result<IncidentRow, StoreError> {
        match row.merged_into {
            Some(into) => Err(StoreError::Conflict(format!("incident {} was merged into {into}", row.id))),
            None => Ok(row),
        }
    };
    let check_version = |row: &IncidentRow| -> Option<StoreError> {
        match version {
            Some(v) if v as i64 != row.version => Some(StoreError::Conflict(format!(
                "incident {} is at version {}, not {v}: it changed since it was read; reload it and try again",
                row.id, row.version
            ))),
            _ => None,
        }
    };
    Ok(match change {
        IncidentChange::Placed { .. } => None,
        IncidentChange::Attached { incident, claim: c, .. } => {
            let row = try_ok!(get(incident).map(|r| r.and_then(live_row)));
            let seq = try_ok!(claim(c));
            let current = incident_of(conn, seq)?;
            if current.as_deref() == Some(row.id.as_str()) {
                return Ok(Some(StoreError::Conflict(format!("claim {c} is in incident {incident} already"))));
            }
            if let Some(old) = current
                && claims_in(conn, &old)? == 1
            {
                return Ok(Some(StoreError::Conflict(format!(
                    "claim {c} is the only claim of incident {old}; merge that incident instead"
                ))));
            }
            check_version(&row)
        }
        IncidentChange::Detached { incident, claim: c, .. } => {
            let row = try_ok!(get(incident).map(|r| r.and_then(live_row)));
            let seq = try_ok!(claim(c));
            if incident_of(conn, seq)?.as_deref() != Some(row.id.as_str()) {
                return Ok(Some(StoreError::Conflict(format!("claim {c} is not in incident {incident}"))));
            }
            let n = claims_in(conn, &row.id)?;
            if n == 1 {
                return Ok(Some(StoreError::Conflict(format!("claim {c} is the only claim of incident {incident}"))));
            }
            check_version(&row)
        }
        IncidentChange::Split { from, claims, .. } => {
            let row = try_ok!(get(from).map(|r| r.and_then(live_row)));
            let n = claims_in(conn, &row.id)?;
            if claims.is_empty() || claims.len() as i64 >= n {
                return Ok(Some(StoreError::Conflict(format!(
                    "a split moves some of the incident's {n} claims, at least one and not all"
                ))));
            }
            for c in claims {
                let seq = try_ok!(claim(c));
                if incident_of(conn, seq)?.as_deref() != Some(row.id.as_str()) {
                    return Ok(Some(StoreError::Conflict(format!("claim {c} is not in incident {from}"))));
                }
            }
            check_version(&row)
        }
        IncidentChange::Merged { from, into, .. } => {
            if from == into {
                return Ok(Some(StoreError::Conflict("an incident cannot be merged into itself".into())));
            }
            let row = try_ok!(get(from).map(|r| r.and_then(live_row)));
            try_ok!(get(into).map(|r| r.and_then(live_row)));
            check_version(&row)
        }
        IncidentChange::Transitioned(t) => {
            let row = try_ok!(get(&t.incident));
            let state = row.state()?;
            if let Some(e) = check_version(&row) {
                return Ok(Some(e));
            }
            // Records cited as evidence must exist.
            let cited = Evidence::records(&t.evidence)
                .chain(t.finding.iter().flat_map(|f| Evidence::records(&f.evidence)))
                .collect::<Vec<_>>();
            for id in cited {
                let found: Option<i64> = conn
                    .prepare_cached("SELECT seq FROM records WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                if found.is_none() {
                    return Ok(Some(StoreError::NotFound(format!("evidence cites record {id}, which does not exist"))));
                }
            }
            if state != t.from || !state.next().contains(&t.to) {
                let allowed = state.next().iter().map(|s| s.as_str()).collect::<Vec<_>>();
                return Ok(Some(StoreError::Conflict(format!(
                    "incident {} is {}; it cannot move to {}{}",
                    row.id,
                    state.as_str(),
                    t.to.as_str(),
                    if allowed.is_empty() {
                        String::from(" (no move is allowed from there)")
                    } else {
                        format!("; allowed: {}", allowed.join(", "))
                    }
                ))));
            }
            if t.to == State::FindingProposed && t.finding.is_none() {
                return Ok(Some(StoreError::Conflict("moving to finding_proposed needs the proposed finding".into())));
            }
            if t.to == State::Published {
                let endorsed: i64 = conn
                    .prepare_cached(
                        "SELECT count(*) FROM endorsements WHERE incident = ?1 AND round = ?2 AND endorse = 1",
                    )?
                    .query_row(params![row.id, row.round], |r| r.get(0))?;
                if endorsed == 0 {
                    return Ok(Some(StoreError::Conflict("only an endorsed finding can be published".into())));
                }
            }
            None
        }
        IncidentChange::Endorsed(e) => {
            let row = try_ok!(get(&e.incident));
            let Some(rule) = &scenario.verification.endorsement else {
                return Ok(Some(StoreError::Conflict("the scenario names no endorsing body".into())));
            };
            if !rule.members.iter().any(|m| m.user == actor) {
                return Ok(Some(StoreError::Forbidden(format!("{actor} is not a member of the endorsing body"))));
            }
            if row.state()? != State::FindingProposed {
                return Ok(Some(StoreError::Conflict(format!(
                    "incident {} is {}; only a proposed finding is endorsed",
                    row.id, row.state
                ))));
            }
            if i64::from(e.round) != row.round {
                return Ok(Some(StoreError::Conflict(format!(
                    "the finding under endorsement is round {}, not {}",
                    row.round, e.round
                ))));
            }
            let voted: Option<i64> = conn
                .prepare_cached("SELECT seq FROM endorsements WHERE incident = ?1 AND round = ?2 AND member = ?3")?
                .query_row(params![row.id, row.round, actor], |r| r.get(0))
                .optional()?;
            if let Some(seq) = voted {
                return Ok(Some(StoreError::Conflict(format!(
                    "{actor} has answered on this finding already (entry {seq})"
                ))));
            }
            check_version(&row)
        }
        IncidentChange::Disputed { incident, claim: c, .. } => {
            let row = try_ok!(get(incident));
            try_ok!(claim(c));
            if row.state()? != State::Published {
                return Ok(Some(StoreError::Conflict(format!(
                    "incident {} is {}; only a published finding can be disputed",
                    row.id, row.state
                ))));
            }
            check_version(&row)
        }
        IncidentChange::Graded(g) => {
            try_ok!(claim(&g.claim));
            None
        }
    })
}

/// The placements of a job's claims, named by the ids the writer gave them, each target
/// followed to the live incident it was merged into meanwhile.
pub(crate) fn resolve_placements(
    conn: &Connection,
    items: &[PendingItem],
    claim_ids: &HashMap<usize, ulid::Ulid>,
) -> Result<Vec<Placement>, StoreError> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let claim = claim_ids
            .get(&item.claim_index)
            .map(|id| ClaimId(*id))
            .ok_or_else(|| StoreError::Internal("a placed claim was not appended".into()))?;
        let (incident, opened) =
            if item.opened || out.iter().any(|p: &Placement| p.opened && p.incident == item.incident) {
                (item.incident, item.opened)
            } else {
                match live_incident(conn, &item.incident)? {
                    // Published since matching read it (or merged into a published one): a
                    // public incident is never joined without a monitor, so the claim opens
                    // its own.
                    Some(row) if row.public => (IncidentId::new(), true),
                    Some(row) => (row.id()?, false),
                    // Gone (cannot happen: incidents are never deleted); open a new one instead.
                    None => (IncidentId::new(), true),
                }
            };
        out.push(Placement { claim, incident, opened, proposals: item.proposals.clone() });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_core::incidents::matching::Parts;

    fn proposal() -> Proposal {
        Proposal {
            score: 0.9,
            parts: Parts { place: 1.0, time: 1.0, event_type: 1.0, parties: 0.5 },
            explanation: "same place".into(),
        }
    }

    #[test]
    fn a_claim_placed_in_an_incident_published_meanwhile_opens_its_own() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(crate::migrate::PROJECTIONS_SQL).expect("schema");
        let (open, public) = (IncidentId::new(), IncidentId::new());
        for (id, is_public) in [(open, 0), (public, 1)] {
            conn.execute(
                "INSERT INTO incidents (id, state, public, version, state_since, opened_seq, radius_m, occurred_from,
                                        occurred_to, event_types, claimants, accused)
                 VALUES (?1, 'reported', ?2, 1, 0, 0, 0, 0, 0, '', '', '')",
                params![id.to_string(), is_public],
            )
            .expect("incident");
        }
        let items: Vec<PendingItem> = [open, public]
            .iter()
            .enumerate()
            .map(|(i, id)| PendingItem {
                claim_index: i,
                incident: *id,
                opened: false,
                proposals: vec![Candidate { incident: *id, proposal: proposal() }],
                proposals_json: Vec::new(),
            })
            .collect();
        let ids = HashMap::from([(0, ulid::Ulid::new()), (1, ulid::Ulid::new())]);
        let placed = resolve_placements(&conn, &items, &ids).expect("resolved");
        assert_eq!((placed[0].incident, placed[0].opened), (open, false));
        assert!(placed[1].opened && placed[1].incident != public, "{:?}", placed[1]);
        // The proposal stays on record: the claim was near the published incident.
        assert_eq!(placed[1].proposals[0].incident, public);
    }
}
