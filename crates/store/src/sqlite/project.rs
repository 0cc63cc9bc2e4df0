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
use truce_core::claims::{assemble_view, view_tail};
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
    Claim(Box<PreparedClaim>),
    Key(PreparedKey),
    Account(Account),
    /// An incident change, with the incident version the caller saw (None: no check).
    Incident(Box<truce_core::incidents::IncidentChange>, Option<u64>),
    /// Where matching placed the job's claims; the writer names the claims and journals it.
    Placement(Vec<super::incidents::PendingItem>),
    /// Journaled only: nothing is projected (a read of personal data).
    Record,
    /// A provision record, with what it is indexed by.
    ProvisionRecord(Box<PreparedRecord>),
    /// A record's personal data erased.
    Erase(truce_core::journal::PersonalDataErased),
    /// Links added to a provision record.
    RecordLinks(truce_core::provisions::RecordLinks),
    /// An article read by the news intake, with its drafts.
    Article(Box<truce_core::intake::ArticleIngested>),
    /// A draft rejected.
    DraftRejected(truce_core::intake::DraftRejected),
}

/// A change to users or tokens.
#[derive(Debug)]
pub(crate) enum Account {
    AddUser(Box<truce_core::users::UserAdded>),
    DisableUser(String),
    IssueToken(Box<truce_core::users::TokenIssued>),
    RevokeToken(String),
}

/// A provision record with its index and, for a named detainee, the particulars kept
/// beside the journal.
#[derive(Debug)]
pub(crate) struct PreparedRecord {
    pub record: truce_core::provisions::Record,
    pub index: truce_core::provisions::RecordIndex,
    pub person: Option<Vec<u8>>,
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
    /// The intake's draft the claim accepts.
    pub(crate) draft: Option<truce_core::intake::DraftRef>,
    /// What matching compares.
    pub(crate) features: truce_core::incidents::Features,
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
            let features = super::incidents::claim_features(&body, sc);
            let bbox = features.bbox;
            What::Claim(Box::new(PreparedClaim {
                // The submitter's answer: whoever may submit a claim may read its personal
                // data (docs/access.md).
                view_tail: view_tail(&body, sc, true)?,
                terms: search_terms(&body.narrative.text).join(" "),
                claimant: body.claimant.to_string(),
                accused: body.accused.as_ref().map(ToString::to_string),
                event_type: body.event_type.to_string(),
                from_ms: body.occurred.from.timestamp_millis(),
                to_ms: body.occurred.to.timestamp_millis(),
                bbox,
                draft: body.source.draft,
                features,
            }))
        }
        Command::AddUser(u) => What::Account(Account::AddUser(u)),
        Command::DisableUser(u) => What::Account(Account::DisableUser(u.name.to_string())),
        Command::IssueToken(t) => What::Account(Account::IssueToken(t)),
        Command::RevokeToken(t) => What::Account(Account::RevokeToken(t.id)),
        Command::Incident(c) => What::Incident(c, None),
        Command::PersonalDataRead(_) => What::Record,
        Command::AddRecord(r, person) => {
            let sc = scenario.ok_or(StoreError::NotInitialised)?;
            // Validated by the caller; validating again gives the index (and refuses a
            // record that no longer fits the scenario, which cannot change once loaded).
            let (record, index) = r
                .as_ref()
                .clone()
                .validate(sc)
                .map_err(|e| StoreError::Internal(format!("a record reached the store invalid: {e}")))?;
            // Particulars never enter the journal, and what is kept beside it is what the
            // entry's hash commits to.
            if let truce_core::provisions::RecordData::Detainee { person: held, person_sha256, .. } = &record.record {
                if held.is_some() {
                    return Err(StoreError::Internal(
                        "a detainee's particulars reached the store inside the record".into(),
                    ));
                }
                let hash = person.as_deref().map(|b| sha256(b).iter().map(|x| format!("{x:02x}")).collect::<String>());
                if person.is_some() && hash.as_deref() != person_sha256.as_deref() {
                    return Err(StoreError::Internal(
                        "the kept particulars do not match the record's person_sha256".into(),
                    ));
                }
            } else if person.is_some() {
                return Err(StoreError::Internal("particulars were given for a record that is not a detainee".into()));
            }
            What::ProvisionRecord(Box::new(PreparedRecord { record, index, person }))
        }
        Command::ErasePersonalData(e) => What::Erase(e),
        Command::LinkRecord(l) => What::RecordLinks(l),
        Command::IngestArticle(a) => What::Article(a),
        Command::RejectDraft(r) => What::DraftRejected(r),
    };
    Ok(Prepared { kind, payload, digest, what })
}

/// Projects one appended entry. `known` names claims appended in the same transaction, for a
/// placement of them (empty on a rebuild, which reads them back).
pub(super) fn apply(
    tx: &Transaction<'_>,
    entry: &Entry<'_>,
    prepared: &Prepared,
    scenario: &mut Option<Arc<Scenario>>,
    known: &super::incidents::KnownClaims<'_>,
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
            // The submitter's organisation decides who may read the claim before it is published.
            let org: Option<String> = tx
                .prepare_cached("SELECT org FROM users WHERE name = ?1")?
                .query_row([entry.actor], |r| r.get(0))
                .optional()?;
            tx.prepare_cached(
                "INSERT INTO claims (seq, org, claimant, accused, event_type, occurred_from, occurred_to,
                                     min_lon, min_lat, max_lon, max_lat, radius_m)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                seq,
                org,
                c.claimant,
                c.accused,
                c.event_type,
                c.from_ms,
                c.to_ms,
                c.bbox.map(|b| b.min_lon),
                c.bbox.map(|b| b.min_lat),
                c.bbox.map(|b| b.max_lon),
                c.bbox.map(|b| b.max_lat),
                c.features.radius_m
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
            if let Some(d) = &c.draft {
                super::drafts::apply_accepted(tx, entry, d)?;
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
        What::Account(a) => {
            let seq = entry.seq as i64;
            match a {
                Account::AddUser(u) => {
                    tx.prepare_cached(
                        "INSERT INTO users (name, org, role, password_hash, disabled, seq) VALUES (?1, ?2, ?3, ?4, 0, ?5)",
                    )?
                    .execute(params![u.name.as_str(), u.org.as_str(), u.role.as_str(), u.password_hash, seq])?;
                }
                Account::DisableUser(name) => {
                    tx.prepare_cached("UPDATE users SET disabled = 1 WHERE name = ?1")?.execute([name])?;
                }
                Account::IssueToken(t) => {
                    tx.prepare_cached(
                        "INSERT INTO tokens (id, user, label, sha256, expires_at, revoked, seq)
                         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
                    )?
                    .execute(params![
                        t.id,
                        t.user.as_str(),
                        t.label,
                        t.sha256,
                        t.expires_at.timestamp_millis(),
                        seq
                    ])?;
                }
                Account::RevokeToken(id) => {
                    tx.prepare_cached("UPDATE tokens SET revoked = 1 WHERE id = ?1")?.execute([id])?;
                }
            }
            Ok(Projected::Account)
        }
        What::Incident(change, _) => {
            let sc = scenario.as_deref().ok_or(StoreError::NotInitialised)?;
            super::incidents::apply(tx, entry, change, sc, known)?;
            Ok(Projected::Incident)
        }
        What::Placement(_) => {
            Err(StoreError::Internal("placements are journaled by the writer before they are projected".into()))
        }
        What::Record => Ok(Projected::Recorded),
        What::ProvisionRecord(r) => {
            super::records::apply_added(tx, entry, &r.record, &r.index, r.person.as_deref())?;
            Ok(Projected::Recorded)
        }
        What::Erase(e) => {
            super::records::apply_erased(tx, e)?;
            Ok(Projected::Recorded)
        }
        What::RecordLinks(l) => {
            super::records::apply_linked(tx, entry, l)?;
            Ok(Projected::Recorded)
        }
        What::Article(a) => {
            super::drafts::apply_ingested(tx, entry, a)?;
            Ok(Projected::Recorded)
        }
        What::DraftRejected(r) => {
            super::drafts::apply_rejected(tx, entry, r)?;
            Ok(Projected::Recorded)
        }
    }
}

/// Why an account change cannot be made in the current state, if it cannot: decided before
/// anything of its job is written.
pub(super) fn account_conflict(conn: &Connection, a: &Account) -> Result<Option<StoreError>, StoreError> {
    let user = |name: &str| -> Result<Option<bool>, StoreError> {
        Ok(conn
            .prepare_cached("SELECT disabled FROM users WHERE name = ?1")?
            .query_row([name], |r| r.get::<_, bool>(0))
            .optional()?)
    };
    Ok(match a {
        Account::AddUser(u) => user(u.name.as_str())?
            .map(|_| StoreError::Conflict(format!("a user named {:?} exists already", u.name.as_str()))),
        Account::DisableUser(name) => match user(name)? {
            None => Some(StoreError::NotFound(format!("no user named {name:?}"))),
            Some(true) => Some(StoreError::Conflict(format!("the user {name:?} is disabled already"))),
            Some(false) => None,
        },
        Account::IssueToken(t) => match user(t.user.as_str())? {
            None => Some(StoreError::NotFound(format!("no user named {:?}", t.user.as_str()))),
            Some(true) => Some(StoreError::Conflict(format!("the user {:?} is disabled", t.user.as_str()))),
            Some(false) => None,
        },
        Account::RevokeToken(id) => {
            let revoked: Option<bool> = conn
                .prepare_cached("SELECT revoked FROM tokens WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            match revoked {
                None => Some(StoreError::NotFound(format!("no token with id {id:?}"))),
                Some(true) => Some(StoreError::Conflict(format!("the token {id} is revoked already"))),
                Some(false) => None,
            }
        }
    })
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
