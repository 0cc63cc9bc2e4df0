//! The single writer: appends commands to the journal and projects them, committing in
//! groups.

use super::project;
use crate::{StoreError, migrate};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, oneshot};
use truce_core::claims::Claim;
use truce_core::journal::{Actor, Command, sha256};
use truce_core::scenario::Scenario;
use truce_core::text::Stemmers;
use ulid::Ulid;

/// A journal entry just made durable.
#[derive(Debug, Clone)]
pub struct Appended {
    /// Sequence number (0-based).
    pub seq: u64,
    /// Entry id.
    pub id: Ulid,
    /// Entry kind.
    pub kind: &'static str,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// What the projections made of it.
    pub projected: Projected,
}

/// The projected result of a command.
#[derive(Debug, Clone)]
pub enum Projected {
    /// The scenario was loaded.
    Scenario,
    /// A claim was recorded.
    Claim(Box<Claim>),
}

/// A command waiting for its group's commit, with where to send the answer.
type Pending = (Actor, Command, oneshot::Sender<Result<Appended, StoreError>>);

pub(super) enum Job {
    Append { actor: Actor, command: Command, reply: oneshot::Sender<Result<Appended, StoreError>> },
    Rebuild { reply: oneshot::Sender<Result<u64, StoreError>> },
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Append { command, .. } => write!(f, "Append({})", command.kind()),
            Job::Rebuild { .. } => f.write_str("Rebuild"),
        }
    }
}

pub(super) struct WriterState {
    conn: Connection,
    next_seq: u64,
    max_batch: usize,
    shared: Arc<RwLock<Option<Arc<Scenario>>>>,
    scenario: Option<Arc<Scenario>>,
    stemmers: Stemmers,
    ids: ulid::Generator,
}

impl WriterState {
    pub(super) fn open(
        conn: Connection,
        max_batch: usize,
        shared: Arc<RwLock<Option<Arc<Scenario>>>>,
    ) -> Result<Self, StoreError> {
        let mut state = WriterState {
            conn,
            next_seq: 0,
            max_batch: max_batch.max(1),
            shared,
            scenario: None,
            stemmers: Stemmers::default(),
            ids: ulid::Generator::new(),
        };
        let stored: Option<String> = state
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'projections_checksum'", [], |r| r.get(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
        if stored.as_deref() != Some(migrate::projections_checksum().as_str()) {
            let n = state.rebuild()?;
            if stored.is_some() {
                tracing::info!(entries = n, "projection schema changed; rebuilt projections from the journal");
            }
        } else {
            state.scenario = project::load_scenario(&state.conn)?;
            state.publish_scenario();
        }
        state.next_seq =
            state.conn.query_row("SELECT coalesce(max(seq) + 1, 0) FROM journal", [], |r| r.get::<_, i64>(0))? as u64;
        Ok(state)
    }

    fn publish_scenario(&self) {
        if let Ok(mut s) = self.shared.write() {
            s.clone_from(&self.scenario);
        }
    }

    pub(super) fn run(mut self, mut rx: mpsc::Receiver<Job>) {
        let mut batch: Vec<Pending> = Vec::new();
        while let Some(job) = rx.blocking_recv() {
            let mut next = Some(job);
            while let Some(job) = next.take() {
                match job {
                    Job::Append { actor, command, reply } => batch.push((actor, command, reply)),
                    Job::Rebuild { reply } => {
                        self.commit_batch(&mut batch);
                        let r = self.rebuild();
                        let _ = reply.send(r);
                    }
                }
                if batch.len() < self.max_batch {
                    next = rx.try_recv().ok();
                }
            }
            self.commit_batch(&mut batch);
        }
        tracing::debug!("writer stopped");
    }

    fn commit_batch(&mut self, batch: &mut Vec<Pending>) {
        if batch.is_empty() {
            return;
        }
        let first_seq = self.next_seq;
        let scenario_before = self.scenario.clone();
        let results = self.append_all(batch);
        let replies: Vec<_> = batch.drain(..).map(|(_, _, reply)| reply).collect();
        match results {
            Ok(results) => {
                self.publish_scenario();
                for (reply, r) in replies.into_iter().zip(results) {
                    let _ = reply.send(r);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "group commit failed; nothing of this group was written");
                self.next_seq = first_seq;
                self.scenario = scenario_before;
                let msg = e.to_string();
                for reply in replies {
                    let _ = reply.send(Err(StoreError::Internal(format!("the write was not committed: {msg}"))));
                }
            }
        }
    }

    /// Appends and projects every command of the group in one transaction. A command that
    /// conflicts with the journal's state gets its own error and writes nothing; a database
    /// failure fails the whole group.
    fn append_all(
        &mut self,
        batch: &[Pending],
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(batch.len());
        for (actor, command, _) in batch {
            // Conflicts are decided before anything is written, so no savepoint is needed.
            let conflict = match command {
                Command::LoadScenario(_) if self.scenario.is_some() => {
                    Some(StoreError::Conflict("a scenario is already loaded in this database".into()))
                }
                Command::SubmitClaim(_) if self.scenario.is_none() => Some(StoreError::NotInitialised),
                _ => None,
            };
            if let Some(c) = conflict {
                out.push(Err(c));
                continue;
            }
            let seq = self.next_seq;
            let id = self.ids.generate().unwrap_or_else(|_| Ulid::new());
            let received_at = Utc::now();
            let payload = command.canonical_payload()?;
            let digest = sha256(&payload);
            tx.prepare_cached(
                "INSERT INTO journal (seq, id, kind, actor, received_at, payload, payload_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                seq as i64,
                id.to_string(),
                command.kind(),
                actor.as_str(),
                received_at.timestamp_millis(),
                payload,
                &digest[..]
            ])?;
            let entry = project::Entry { seq, id, received_at, actor: actor.as_str() };
            let projected = project::apply(&tx, &entry, command, &mut self.scenario, &self.stemmers)?;
            self.next_seq += 1;
            out.push(Ok(Appended { seq, id, kind: command.kind(), received_at, projected }));
        }
        tx.commit()?;
        Ok(out)
    }

    fn rebuild(&mut self) -> Result<u64, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(migrate::PROJECTIONS_SQL)?;
        let mut scenario = None;
        let mut n = 0u64;
        {
            let mut stmt = tx.prepare("SELECT seq, id, kind, actor, received_at, payload FROM journal ORDER BY seq")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let seq = row.get::<_, i64>(0)? as u64;
                let id_text: String = row.get(1)?;
                let kind: String = row.get(2)?;
                let actor: String = row.get(3)?;
                let received_at = truce_core::time::from_millis(row.get(4)?);
                let payload: Vec<u8> = row.get(5)?;
                let id = Ulid::from_string(&id_text)
                    .map_err(|e| StoreError::Internal(format!("journal entry {seq} has a bad id {id_text:?}: {e}")))?;
                let command = Command::decode(&kind, &payload).map_err(|source| StoreError::Decode { seq, source })?;
                let entry = project::Entry { seq, id, received_at, actor: &actor };
                project::apply(&tx, &entry, &command, &mut scenario, &self.stemmers)?;
                n += 1;
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('projections_checksum', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [migrate::projections_checksum()],
        )?;
        tx.commit()?;
        self.scenario = scenario;
        self.publish_scenario();
        Ok(n)
    }
}
