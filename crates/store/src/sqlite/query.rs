//! Reads: claims, places, journal headers.

use super::Store;
use super::project::MS_PER_HOUR as HOUR_MS;
use crate::StoreError;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, ToSql, params};
use serde::Serialize;
use serde_json::value::RawValue;
use truce_core::claims::{ClaimBody, ClaimFilter, PersonalData, Visibility, assemble_view, encode_cursor, view_tail};
use truce_core::ids::ClaimId;
use truce_core::journal::{DecodeError, kind};
use truce_core::scenario::Place;
use truce_core::scenario::Scenario;
use truce_core::text::{fold, search_terms};

/// A page of claims, as the stored JSON of each.
#[derive(Debug, Serialize)]
pub struct ClaimPage {
    /// The claims, newest submission first.
    pub items: Vec<Box<RawValue>>,
    /// Cursor for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// The claims whose personal data the page shows (to be journaled as read).
    #[serde(skip)]
    pub personal_shown: Vec<String>,
}

/// What decides who may read a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimAccess {
    /// The submitting organisation (none for claims loaded by the system).
    pub org: Option<String>,
    /// Whether an incident holding it is public.
    pub public: bool,
}

/// A gazetteer place found by name.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceMatch {
    /// The place.
    pub place: Place,
    /// The name that matched.
    pub matched: String,
    /// The language of the name that matched.
    pub matched_lang: String,
}

/// The header of a journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryHeader {
    /// Sequence number.
    pub seq: u64,
    /// Entry id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Actor.
    pub actor: String,
    /// Received at.
    pub received_at: DateTime<Utc>,
    /// SHA-256 of the payload, hex.
    pub payload_sha256: String,
}

/// The journal columns a claim's view is built from, and the submitting organisation.
struct ViewRow {
    seq: u64,
    id: String,
    received_at: i64,
    actor: String,
    payload: Vec<u8>,
    org: Option<String>,
}

impl ViewRow {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<ViewRow> {
        Ok(ViewRow {
            seq: r.get::<_, i64>(0)? as u64,
            id: r.get(1)?,
            received_at: r.get(2)?,
            actor: r.get(3)?,
            payload: r.get(4)?,
            org: r.get(5)?,
        })
    }

    /// The view, and whether it shows personal data.
    fn view(
        self,
        conn: &Connection,
        scenario: &Scenario,
        personal: &PersonalData,
        published: Option<bool>,
    ) -> Result<(Box<RawValue>, bool), StoreError> {
        let body: ClaimBody = serde_json::from_slice(&self.payload).map_err(|e| StoreError::Decode {
            seq: self.seq,
            source: DecodeError::Payload { kind: kind::CLAIM_SUBMITTED.into(), source: e },
        })?;
        let shows =
            body.has_personal_data() && shows_personal(conn, personal, self.seq, self.org.as_deref(), published)?;
        Ok((claim_view(self.seq, self.id, self.received_at, self.actor, &body, scenario, shows)?, shows))
    }
}

/// Whether a reader with `personal` sees the personal data of claim `seq` of `org`; whether
/// it is published is looked up only if the answer depends on it and it is not `published`.
fn shows_personal(
    conn: &Connection,
    personal: &PersonalData,
    seq: u64,
    org: Option<&str>,
    published: Option<bool>,
) -> Result<bool, StoreError> {
    if !personal.needs_publication(org) {
        return Ok(personal.shows(org, false));
    }
    let published = match published {
        Some(p) => p,
        None => conn.prepare_cached(&format!("SELECT ?1 IN ({PUBLISHED})"))?.query_row([seq as i64], |r| r.get(0))?,
    };
    Ok(personal.shows(org, published))
}

/// A claim's JSON view from its journal columns and body, with its personal data only if
/// `personal`.
pub(super) fn claim_view(
    seq: u64,
    id: String,
    received_at: i64,
    actor: String,
    body: &ClaimBody,
    scenario: &Scenario,
    personal: bool,
) -> Result<Box<RawValue>, StoreError> {
    let tail = view_tail(body, scenario, personal)?;
    let json = assemble_view(&id, seq, truce_core::time::from_millis(received_at), &actor, &tail);
    Ok(RawValue::from_string(json)?)
}

/// Claims in a public incident.
const PUBLISHED: &str =
    "SELECT ic.claim_seq FROM incident_claims ic JOIN incidents i ON i.id = ic.incident WHERE i.public = 1";

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Builds the FTS5 query for search text: every term required, each quoted.
fn fts_query(q: &str) -> Option<String> {
    let terms = search_terms(q);
    if terms.is_empty() {
        return None;
    }
    Some(terms.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" "))
}

impl Store {
    /// One claim by id, as its JSON view (with personal data as `personal` allows), with
    /// who may read it: the organisation that submitted it (none for claims loaded by the
    /// system) and whether it is published; and whether the view shows personal data.
    pub async fn claim(
        &self,
        id: ClaimId,
        personal: PersonalData,
    ) -> Result<Option<(Box<RawValue>, ClaimAccess, bool)>, StoreError> {
        let Some(scenario) = self.scenario() else { return Ok(None) };
        self.read(move |c| {
            let row = c
                .prepare_cached(&format!(
                    "SELECT j.seq, j.id, j.received_at, j.actor, j.payload, c.org, j.seq IN ({PUBLISHED})
                     FROM journal j JOIN claims c ON c.seq = j.seq WHERE j.id = ?1 AND j.kind = ?2"
                ))?
                .query_row(params![id.to_string(), kind::CLAIM_SUBMITTED], |r| {
                    Ok((ViewRow::read(r)?, r.get::<_, bool>(6)?))
                })
                .optional()?;
            let Some((row, public)) = row else { return Ok(None) };
            let org = row.org.clone();
            let (view, shows) = row.view(c, &scenario, &personal, Some(public))?;
            Ok(Some((view, ClaimAccess { org, public }, shows)))
        })
        .await
    }

    /// Claims matching a filter, newest submission first, one page at a time.
    pub async fn claims(&self, filter: ClaimFilter) -> Result<ClaimPage, StoreError> {
        let Some(scenario) = self.scenario() else { return Err(StoreError::NotInitialised) };
        self.read(move |c| {
            // The filters pick a page of sequence numbers from the small projection tables;
            // only that page is then read from the journal.
            let mut sql = String::from("SELECT c.seq FROM ");
            let mut args: Vec<Box<dyn ToSql>> = Vec::new();
            let mut clauses: Vec<String> = Vec::new();
            let arg = |v: Box<dyn ToSql>, args: &mut Vec<Box<dyn ToSql>>| {
                args.push(v);
                format!("?{}", args.len())
            };
            if let Some(b) = filter.bbox {
                // The R*Tree drives the query when there is a box.
                sql.push_str("claims_rtree r CROSS JOIN claims c ON c.seq = r.seq");
                // The R*Tree's 32-bit bounds are rounded outwards; the exact ones are on claims.
                clauses.push(format!("c.min_lon <= {}", arg(Box::new(b.max_lon), &mut args)));
                clauses.push(format!("c.max_lon >= {}", arg(Box::new(b.min_lon), &mut args)));
                clauses.push(format!("c.min_lat <= {}", arg(Box::new(b.max_lat), &mut args)));
                clauses.push(format!("c.max_lat >= {}", arg(Box::new(b.min_lat), &mut args)));
                clauses.push(format!("r.min_lon <= {}", arg(Box::new(b.max_lon), &mut args)));
                clauses.push(format!("r.max_lon >= {}", arg(Box::new(b.min_lon), &mut args)));
                clauses.push(format!("r.min_lat <= {}", arg(Box::new(b.max_lat), &mut args)));
                clauses.push(format!("r.max_lat >= {}", arg(Box::new(b.min_lat), &mut args)));
                if let Some(to) = filter.to {
                    clauses.push(format!(
                        "r.min_t <= {}",
                        arg(Box::new(to.timestamp_millis() as f64 / HOUR_MS + 1.0), &mut args)
                    ));
                }
                if let Some(from) = filter.from {
                    clauses.push(format!(
                        "r.max_t >= {}",
                        arg(Box::new(from.timestamp_millis() as f64 / HOUR_MS - 1.0), &mut args)
                    ));
                }
            } else {
                sql.push_str("claims c");
            }
            if let Some(from) = filter.from {
                clauses.push(format!("c.occurred_to >= {}", arg(Box::new(from.timestamp_millis()), &mut args)));
            }
            if let Some(to) = filter.to {
                clauses.push(format!("c.occurred_from <= {}", arg(Box::new(to.timestamp_millis()), &mut args)));
            }
            if !filter.event_types.is_empty() {
                let list: Vec<String> =
                    filter.event_types.iter().map(|t| arg(Box::new(t.as_str().to_owned()), &mut args)).collect();
                clauses.push(format!("c.event_type IN ({})", list.join(", ")));
            }
            if let Some(p) = &filter.claimant {
                clauses.push(format!("c.claimant = {}", arg(Box::new(p.as_str().to_owned()), &mut args)));
            }
            if let Some(p) = &filter.accused {
                clauses.push(format!("c.accused = {}", arg(Box::new(p.as_str().to_owned()), &mut args)));
            }
            if let Some(q) = &filter.q {
                match fts_query(q) {
                    Some(m) => clauses.push(format!(
                        "c.seq IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH {})",
                        arg(Box::new(m), &mut args)
                    )),
                    None => return Ok(ClaimPage { items: Vec::new(), next_cursor: None, personal_shown: Vec::new() }),
                }
            }
            match &filter.visible {
                Visibility::All => {}
                Visibility::Org(org) => clauses.push(format!(
                    "(c.org = {} OR c.seq IN ({PUBLISHED}))",
                    arg(Box::new(org.as_str().to_owned()), &mut args)
                )),
                // Claims become public with the incident that publishes them.
                Visibility::Published => clauses.push(format!("c.seq IN ({PUBLISHED})")),
            }
            if let Some(before) = filter.before_seq {
                clauses.push(format!("c.seq < {}", arg(Box::new(before as i64), &mut args)));
            }
            if !clauses.is_empty() {
                sql.push_str(" WHERE ");
                sql.push_str(&clauses.join(" AND "));
            }
            let limit = i64::from(filter.limit);
            sql.push_str(&format!(" ORDER BY c.seq DESC LIMIT {}", arg(Box::new(limit + 1), &mut args)));
            let sql = format!(
                "SELECT j.seq, j.id, j.received_at, j.actor, j.payload, c.org FROM journal j JOIN claims c ON c.seq = j.seq
                 WHERE j.seq IN ({sql}) ORDER BY j.seq DESC"
            );

            let mut stmt = c.prepare_cached(&sql)?;
            let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
            let mut rows = stmt.query(params.as_slice())?;
            let mut items = Vec::new();
            let mut personal_shown = Vec::new();
            let mut last_seq = None;
            let mut more = false;
            while let Some(row) = rows.next()? {
                if items.len() as i64 == limit {
                    more = true;
                    break;
                }
                let r = ViewRow::read(row)?;
                last_seq = Some(r.seq);
                let id = r.id.clone();
                let (view, shows) = r.view(c, &scenario, &filter.personal, None)?;
                if shows {
                    personal_shown.push(id);
                }
                items.push(view);
            }
            let next_cursor = if more { last_seq.map(encode_cursor) } else { None };
            Ok(ClaimPage { items, next_cursor, personal_shown })
        })
        .await
    }

    /// Gazetteer places whose name or alias, in any language and script, starts with `q`
    /// or has a word starting with `q`. Exact matches first, then preferred names.
    pub async fn places(&self, q: String, limit: u32) -> Result<Vec<PlaceMatch>, StoreError> {
        self.read(move |c| {
            let norm = fold(q.trim());
            if norm.is_empty() {
                return Ok(Vec::new());
            }
            let e = escape_like(&norm);
            let mut stmt = c.prepare_cached(
                "SELECT n.place_id, n.name, n.lang, n.norm, n.preferred, p.body
                 FROM place_names n JOIN places p ON p.id = n.place_id
                 WHERE n.norm LIKE ?1 ESCAPE '\\' OR n.norm LIKE ?2 ESCAPE '\\' OR n.norm LIKE ?3 ESCAPE '\\'",
            )?;
            let rows = stmt.query_map(params![format!("{e}%"), format!("% {e}%"), format!("%-{e}%")], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?;
            let mut hits = Vec::new();
            for row in rows {
                let (id, name, lang, n, preferred, body) = row?;
                let rank = (n != norm, !n.starts_with(&norm), !preferred, n.chars().count());
                hits.push((rank, id, name, lang, body));
            }
            hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            let mut out: Vec<PlaceMatch> = Vec::new();
            for (_, id, name, lang, body) in hits {
                if out.iter().any(|m| m.place.id.as_str() == id) {
                    continue;
                }
                out.push(PlaceMatch { place: serde_json::from_str(&body)?, matched: name, matched_lang: lang });
                if out.len() >= limit as usize {
                    break;
                }
            }
            Ok(out)
        })
        .await
    }

    /// Number of entries in the journal.
    pub async fn journal_len(&self) -> Result<u64, StoreError> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM journal", [], |r| r.get::<_, i64>(0))? as u64)).await
    }

    /// `journal_len` from synchronous code.
    pub fn journal_len_blocking(&self) -> Result<u64, StoreError> {
        self.read_blocking(|c| Ok(c.query_row("SELECT count(*) FROM journal", [], |r| r.get::<_, i64>(0))? as u64))
    }

    /// Headers of journal entries from `from` on, at most `limit`.
    pub async fn entries(&self, from: u64, limit: u32) -> Result<Vec<EntryHeader>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, id, kind, actor, received_at, payload_sha256 FROM journal WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![from as i64, limit], |r| {
                let sha: Vec<u8> = r.get(5)?;
                Ok(EntryHeader {
                    seq: r.get::<_, i64>(0)? as u64,
                    id: r.get(1)?,
                    kind: r.get(2)?,
                    actor: r.get(3)?,
                    received_at: truce_core::time::from_millis(r.get(4)?),
                    payload_sha256: sha.iter().map(|b| format!("{b:02x}")).collect(),
                })
            })?;
            rows.collect::<Result<Vec<_>, _>>().map_err(StoreError::from)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("a%b_c\\"), "a\\%b\\_c\\\\");
    }

    #[test]
    fn fts_query_quotes_every_term() {
        assert_eq!(fts_query("Shelling!  positions").as_deref(), Some("\"shell\" \"posit\""));
        assert_eq!(fts_query("?!"), None);
    }
}

/// A registered signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredKey {
    /// The party it signs for.
    pub party: String,
    /// The verifier key.
    pub key: String,
    /// The journal entry that registered it.
    pub seq: u64,
}

impl Store {
    /// Every registered signing key, oldest first.
    pub async fn registered_keys(&self) -> Result<Vec<RegisteredKey>, StoreError> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT party, vkey, seq FROM submitter_keys ORDER BY seq")?
                .query_map([], |r| {
                    Ok(RegisteredKey { party: r.get(0)?, key: r.get(1)?, seq: r.get::<_, i64>(2)? as u64 })
                })?
                .collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// The registered keys among `refs` (name, key ID), with their parties.
    pub async fn key_ring(&self, refs: Vec<(String, u32)>) -> Result<truce_core::claims::signing::KeyRing, StoreError> {
        self.read(move |c| {
            let mut ring = truce_core::claims::signing::KeyRing::new();
            let mut stmt =
                c.prepare_cached("SELECT party, vkey FROM submitter_keys WHERE name = ?1 AND key_id = ?2")?;
            for (name, id) in refs {
                if ring.contains_key(&(name.clone(), id)) {
                    continue;
                }
                let row: Option<(String, String)> =
                    stmt.query_row(rusqlite::params![name, id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
                if let Some((party, vkey)) = row {
                    let party = truce_core::ids::PartyId::parse(&party)
                        .map_err(|e| StoreError::Internal(format!("stored key party {party:?}: {e}")))?;
                    let key = truce_ledger::VerifierKey::parse(&vkey)
                        .map_err(|e| StoreError::Internal(format!("stored key {vkey:?}: {e}")))?;
                    ring.insert((name, id), (party, key));
                }
            }
            Ok(ring)
        })
        .await
    }
}
