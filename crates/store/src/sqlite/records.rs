//! Provision records: their projection (filter columns and links), the checks made before
//! one is journaled, and the queries that read them back.
//!
//! A record's content is its journal entry's payload; the `records` table holds only what
//! lists filter on, `record_links` every claim and incident linked to a record.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use truce_core::ids::ClaimId;
use truce_core::incidents::IncidentId;
use truce_core::provisions::compliance::{PublicIncident, StoredRecord};
use truce_core::provisions::{Record, RecordId, RecordIndex, RecordLinks};

use super::Store;
use super::project::Entry;
use crate::StoreError;

/// A link as read back, with what a reader's access depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A claim: its id, submitting organisation and whether it is published.
    Claim { id: String, org: Option<String>, public: bool },
    /// An incident: its id and whether it is published.
    Incident { id: String, public: bool },
}

/// A record as stored.
#[derive(Debug, Clone)]
pub struct RecordRow {
    /// Its id (the entry's).
    pub id: RecordId,
    /// The entry's seq.
    pub seq: u64,
    /// Who recorded it.
    pub actor: String,
    /// When it was recorded.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// What it says.
    pub record: Record,
    /// Every claim and incident linked to it.
    pub links: Vec<Link>,
    /// A named detainee's particulars, as kept.
    pub person: PersonKept,
}

/// What is kept of a detainee record's particulars.
#[derive(Debug, Clone, PartialEq)]
pub enum PersonKept {
    /// The record names nobody.
    None,
    /// Kept: the particulars.
    Kept(truce_core::provisions::Person),
    /// Given once, erased since.
    Erased,
}

/// What a list of records is filtered by.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only records of this provision.
    pub provision: Option<String>,
    /// Only records about this party.
    pub party: Option<String>,
    /// Only records whose time ends at or after this (ms UTC).
    pub from_ms: Option<i64>,
    /// Only records whose time starts at or before this (ms UTC).
    pub to_ms: Option<i64>,
    /// Only records linked to this claim or incident id.
    pub linked: Option<String>,
    /// Newest first, at most this many.
    pub limit: u32,
    /// Only records older than this seq (the previous page's last).
    pub before_seq: Option<u64>,
}

/// Refuses a record or link whose targets do not exist, before anything is written.
pub(crate) fn conflict(
    conn: &Connection,
    record: Option<&RecordId>,
    claims: &[ClaimId],
    incidents: &[IncidentId],
) -> Result<Option<StoreError>, StoreError> {
    if let Some(r) = record
        && record_seq(conn, r)?.is_none()
    {
        return Ok(Some(StoreError::NotFound(format!("no record {r}"))));
    }
    for (i, c) in claims.iter().enumerate() {
        if super::incidents::claim_seq(conn, c)?.is_none() {
            return Ok(Some(StoreError::NotFound(format!("claims[{i}]: no claim {}", c.0))));
        }
    }
    for (i, id) in incidents.iter().enumerate() {
        let found: Option<i64> = conn
            .prepare_cached("SELECT rid FROM incidents WHERE id = ?1")?
            .query_row([id.0.to_string()], |r| r.get(0))
            .optional()?;
        if found.is_none() {
            return Ok(Some(StoreError::NotFound(format!("incidents[{i}]: no incident {}", id.0))));
        }
    }
    Ok(None)
}

fn record_seq(conn: &Connection, id: &RecordId) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT seq FROM records WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?)
}

fn put_links(
    tx: &Transaction<'_>,
    record_seq: i64,
    claims: &[ClaimId],
    incidents: &[IncidentId],
    seq: u64,
) -> Result<(), StoreError> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO record_links (record_seq, target, id, seq) VALUES (?1, ?2, ?3, ?4)")?;
    for c in claims {
        stmt.execute(params![record_seq, "claim", c.0.to_string(), seq as i64])?;
    }
    for i in incidents {
        stmt.execute(params![record_seq, "incident", i.0.to_string(), seq as i64])?;
    }
    Ok(())
}

/// Refuses a status or exchange naming a record that is not a detainee record.
pub(crate) fn detainees_conflict(conn: &Connection, named: &[RecordId]) -> Result<Option<StoreError>, StoreError> {
    for d in named {
        let kind: Option<String> = conn
            .prepare_cached("SELECT kind FROM records WHERE id = ?1")?
            .query_row([d.to_string()], |r| r.get(0))
            .optional()?;
        match kind.as_deref() {
            None => return Ok(Some(StoreError::NotFound(format!("no detainee record {d}")))),
            Some("detainee") => {}
            Some(k) => return Ok(Some(StoreError::Conflict(format!("record {d} is a {k} record, not a detainee")))),
        }
    }
    Ok(None)
}

/// Refuses an erasure of a record that keeps no personal data.
pub(crate) fn erase_conflict(conn: &Connection, record: &RecordId) -> Result<Option<StoreError>, StoreError> {
    let Some(seq) = record_seq(conn, record)? else {
        return Ok(Some(StoreError::NotFound(format!("no record {record}"))));
    };
    let kept: Option<i64> = conn
        .prepare_cached("SELECT seq FROM personal_data WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?;
    Ok(kept.is_none().then(|| {
        StoreError::Conflict(format!(
            "record {record} keeps no personal data (none was given, or it is erased already)"
        ))
    }))
}

/// Projects a `personal_data.erased` entry: the kept particulars are deleted, their bytes
/// overwritten in the page (`secure_delete`); the writer then checkpoints and truncates the
/// WAL, which held earlier images of that page.
pub(crate) fn apply_erased(
    tx: &Transaction<'_>,
    e: &truce_core::journal::PersonalDataErased,
) -> Result<(), StoreError> {
    if let Some(seq) = record_seq(tx, &e.record)? {
        tx.pragma_update(None, "secure_delete", "ON")?;
        let deleted = tx.prepare_cached("DELETE FROM personal_data WHERE seq = ?1")?.execute([seq]);
        tx.pragma_update(None, "secure_delete", "OFF")?;
        deleted?;
    }
    Ok(())
}

/// Projects a `record.added` entry.
pub(crate) fn apply_added(
    tx: &Transaction<'_>,
    entry: &Entry<'_>,
    record: &Record,
    index: &RecordIndex,
    person: Option<&[u8]>,
) -> Result<(), StoreError> {
    if let Some(bytes) = person {
        tx.prepare_cached("INSERT INTO personal_data (seq, body) VALUES (?1, ?2)")?
            .execute(params![entry.seq as i64, bytes])?;
    }
    let b = index.bbox;
    tx.prepare_cached(
        "INSERT INTO records (seq, id, kind, provision, party, at_from, at_to, min_lon, min_lat, max_lon, max_lat)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        entry.seq as i64,
        entry.id.to_string(),
        index.kind,
        index.provision,
        index.party,
        index.from_ms,
        index.to_ms,
        b.map(|b| b.min_lon),
        b.map(|b| b.min_lat),
        b.map(|b| b.max_lon),
        b.map(|b| b.max_lat),
    ])?;
    put_links(tx, entry.seq as i64, &record.claims, &record.incidents, entry.seq)
}

/// Projects a `record.linked` entry.
pub(crate) fn apply_linked(tx: &Transaction<'_>, entry: &Entry<'_>, links: &RecordLinks) -> Result<(), StoreError> {
    let seq = record_seq(tx, &links.record)?
        .ok_or_else(|| StoreError::Internal(format!("record {} is not in the projection", links.record)))?;
    put_links(tx, seq, &links.claims, &links.incidents, entry.seq)
}

fn links_of(conn: &Connection, record_seq: i64) -> Result<Vec<Link>, StoreError> {
    let mut out = Vec::new();
    let rows: Vec<(String, String)> = conn
        .prepare_cached("SELECT target, id FROM record_links WHERE record_seq = ?1 ORDER BY seq, target, id")?
        .query_map([record_seq], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (target, id) in rows {
        if target == "claim" {
            let access: Option<(Option<String>, bool)> = conn
                .prepare_cached(
                    "SELECT c.org, c.seq IN (SELECT ic.claim_seq FROM incident_claims ic JOIN incidents i ON i.id = ic.incident
                                             WHERE i.public = 1)
                     FROM journal j JOIN claims c ON c.seq = j.seq WHERE j.id = ?1",
                )?
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (org, public) = access.unwrap_or((None, false));
            out.push(Link::Claim { id, org, public });
        } else {
            let public: bool = conn
                .prepare_cached("SELECT public FROM incidents WHERE id = ?1")?
                .query_row([&id], |r| r.get(0))
                .optional()?
                .unwrap_or(false);
            out.push(Link::Incident { id, public });
        }
    }
    Ok(out)
}

fn read_row(conn: &Connection, seq: i64) -> Result<RecordRow, StoreError> {
    let (id, actor, at, payload): (String, String, i64, Vec<u8>) = conn
        .prepare_cached("SELECT id, actor, received_at, payload FROM journal WHERE seq = ?1")?
        .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let record: Record = serde_json::from_slice(&payload)?;
    let person = match &record.record {
        truce_core::provisions::RecordData::Detainee { person_sha256: Some(_), .. } => {
            let body: Option<Vec<u8>> = conn
                .prepare_cached("SELECT body FROM personal_data WHERE seq = ?1")?
                .query_row([seq], |r| r.get(0))
                .optional()?;
            match body {
                Some(b) => PersonKept::Kept(serde_json::from_slice::<truce_core::provisions::KeptPerson>(&b)?.person),
                None => PersonKept::Erased,
            }
        }
        _ => PersonKept::None,
    };
    Ok(RecordRow {
        person,
        id: RecordId::parse(&id).map_err(StoreError::Internal)?,
        seq: seq as u64,
        actor,
        recorded_at: truce_core::time::from_millis(at),
        record,
        links: links_of(conn, seq)?,
    })
}

impl Store {
    /// A claim's seq and who may read it, by id.
    pub async fn claim_access_by_id(&self, id: ClaimId) -> Result<Option<(u64, super::ClaimAccess)>, StoreError> {
        let seq = self.read(move |c| super::incidents::claim_seq(c, &id)).await?;
        match seq {
            Some(seq) => Ok(self.claim_access(seq as u64).await?.map(|a| (seq as u64, a))),
            None => Ok(None),
        }
    }

    /// An incident's row id and whether it is published.
    pub async fn incident_public(&self, id: IncidentId) -> Result<Option<(i64, bool)>, StoreError> {
        self.read(move |c| {
            Ok(c.prepare_cached("SELECT rid, public FROM incidents WHERE id = ?1")?
                .query_row([id.0.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        })
        .await
    }

    /// One record by id.
    pub async fn record(&self, id: RecordId) -> Result<Option<RecordRow>, StoreError> {
        self.read(move |c| match record_seq(c, &id)? {
            Some(seq) => Ok(Some(read_row(c, seq)?)),
            None => Ok(None),
        })
        .await
    }

    /// Records matching `filter`, newest first.
    pub async fn records(&self, filter: RecordFilter) -> Result<Vec<RecordRow>, StoreError> {
        self.read(move |c| {
            let mut sql = String::from("SELECT r.seq FROM records r WHERE 1 = 1");
            let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
            let mut arg = |sql: &mut String, clause: &str, v: Box<dyn rusqlite::ToSql>| {
                args.push(v);
                sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
            };
            if let Some(k) = filter.kind {
                arg(&mut sql, " AND r.kind = ?", Box::new(k));
            }
            if let Some(p) = filter.provision {
                arg(&mut sql, " AND r.provision = ?", Box::new(p));
            }
            if let Some(p) = filter.party {
                arg(&mut sql, " AND r.party = ?", Box::new(p));
            }
            if let Some(f) = filter.from_ms {
                arg(&mut sql, " AND r.at_to >= ?", Box::new(f));
            }
            if let Some(t) = filter.to_ms {
                arg(&mut sql, " AND r.at_from <= ?", Box::new(t));
            }
            if let Some(l) = filter.linked {
                arg(&mut sql, " AND r.seq IN (SELECT record_seq FROM record_links WHERE id = ?)", Box::new(l));
            }
            if let Some(b) = filter.before_seq {
                arg(&mut sql, " AND r.seq < ?", Box::new(b as i64));
            }
            arg(&mut sql, " ORDER BY r.seq DESC LIMIT ?", Box::new(i64::from(filter.limit)));
            let seqs: Vec<i64> = c
                .prepare(&sql)?
                .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            seqs.into_iter().map(|s| read_row(c, s)).collect()
        })
        .await
    }

    /// What the compliance view derives from: every record with the incidents linked to
    /// it, and every published incident's finding.
    pub async fn compliance_inputs(&self) -> Result<(Vec<StoredRecord>, Vec<PublicIncident>), StoreError> {
        self.read(move |c| Ok((stored_records(c, None)?, public_incidents(c)?))).await
    }

    /// The records of these kinds, oldest first, with the incidents linked to them.
    pub async fn records_of_kinds(&self, kinds: &'static [&'static str]) -> Result<Vec<StoredRecord>, StoreError> {
        self.read(move |c| stored_records(c, Some(kinds))).await
    }

    /// Every published incident with a finding, as the compliance view sees it.
    pub async fn public_incidents(&self) -> Result<Vec<PublicIncident>, StoreError> {
        self.read(public_incidents).await
    }
}

/// The incidents a record links to.
pub fn linked_incidents(links: &[Link]) -> Vec<IncidentId> {
    links
        .iter()
        .filter_map(|l| match l {
            Link::Incident { id, .. } => IncidentId::parse(id).ok(),
            Link::Claim { .. } => None,
        })
        .collect()
}

fn stored_records(c: &Connection, kinds: Option<&[&str]>) -> Result<Vec<StoredRecord>, StoreError> {
    let kinds = kinds.unwrap_or(&truce_core::provisions::RecordData::KINDS);
    let marks = vec!["?"; kinds.len()].join(", ");
    let seqs: Vec<i64> = c
        .prepare_cached(&format!("SELECT seq FROM records WHERE kind IN ({marks}) ORDER BY seq"))?
        .query_map(rusqlite::params_from_iter(kinds.iter()), |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    seqs.into_iter()
        .map(|s| {
            let row = read_row(c, s)?;
            let incidents = linked_incidents(&row.links);
            Ok(StoredRecord { id: row.id, recorded_at: row.recorded_at, record: row.record, incidents })
        })
        .collect()
}

fn public_incidents(c: &Connection) -> Result<Vec<PublicIncident>, StoreError> {
    let mut incidents = Vec::new();
    let mut stmt = c.prepare_cached(
        "SELECT id, state, occurred_from, finding, (min_lon + max_lon) / 2, (min_lat + max_lat) / 2 FROM incidents
         WHERE public = 1 AND merged_into IS NULL AND finding IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, state, from, finding): (String, String, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let finding: truce_core::incidents::Finding = serde_json::from_str(&finding)?;
        let (lon, lat): (Option<f64>, Option<f64>) = (r.get(4)?, r.get(5)?);
        incidents.push(PublicIncident {
            id: IncidentId::parse(&id).map_err(StoreError::Internal)?,
            disputed: state == "disputed" || state == "reopened",
            occurred_from_ms: from,
            breached: finding.provisions_breached.iter().map(|p| p.as_str().to_owned()).collect(),
            at: lon.zip(lat).and_then(|(lon, lat)| truce_core::geo::Position::new(lon, lat).ok()),
        });
    }
    Ok(incidents)
}
