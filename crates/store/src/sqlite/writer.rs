//! The single writer: appends commands to the journal and projects them, committing in
//! groups.

use super::anchors::{AnchorIndex, Refresh, SharedAnchors, Touched};
use super::log;
use super::project::{self, Prepared, What};
use crate::{StoreError, migrate};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, oneshot, watch};
use truce_core::ids::ClaimId;
use truce_core::journal::{Actor, Command};
use truce_core::scenario::Scenario;
use truce_ledger::{SigningKeyPair, TileWriter};
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
    /// A claim was recorded: its JSON as served.
    Claim(Box<RawValue>),
    /// A signing key was registered.
    Key,
    /// A user or token was added or changed.
    Account,
    /// Incidents changed.
    Incident,
    /// Journaled only.
    Recorded,
}

/// A command waiting for its group's commit, with where to send the answer.
type Pending = (Actor, Vec<Prepared>, Reply);

pub(super) enum Job {
    /// Commands appended together, all or none, in one transaction.
    Append {
        actor: Actor,
        prepared: Vec<Prepared>,
        reply: Reply,
    },
    Rebuild {
        reply: oneshot::Sender<Result<u64, StoreError>>,
    },
    /// Sign a checkpoint if entries were appended since the last one. Answers the size of
    /// the newest checkpoint.
    Checkpoint {
        reply: Option<oneshot::Sender<Result<u64, StoreError>>>,
    },
    /// Record witness cosignature lines (witness key, line) on the checkpoint of `size`.
    Cosign {
        size: u64,
        lines: Vec<(String, String)>,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Append { prepared, .. } => write!(f, "Append({} commands)", prepared.len()),
            Job::Rebuild { .. } => f.write_str("Rebuild"),
            Job::Checkpoint { .. } => f.write_str("Checkpoint"),
            Job::Cosign { size, .. } => write!(f, "Cosign({size})"),
        }
    }
}

pub(super) struct WriterState {
    conn: Connection,
    next_seq: u64,
    max_batch: usize,
    shared: Arc<RwLock<Option<Arc<Scenario>>>>,
    scenario: Option<Arc<Scenario>>,
    ids: ulid::Generator,
    syncer: Option<std::sync::mpsc::Sender<Group>>,
    sync_thread: Option<std::thread::JoinHandle<()>>,
    /// Set by the sync thread when a flush fails: from then on nothing more is written,
    /// since the kernel may have dropped pages that a later flush would not report.
    flush_failed: Arc<std::sync::atomic::AtomicBool>,
    /// The Merkle log's right edge, kept in step with the journal.
    tiles: TileWriter,
    /// The log's signing key; without one no checkpoints are signed.
    log_key: Option<SigningKeyPair>,
    /// Size of the newest checkpoint, published to watchers.
    checkpointed: watch::Sender<u64>,
    /// Entries known to be on disk: a checkpoint never covers more, so no crash can take
    /// back an entry a checkpoint (and a witness) has seen.
    durable: Arc<std::sync::atomic::AtomicU64>,
    /// Matching's in-memory copy of the incidents' anchors, refreshed after each commit.
    anchors: SharedAnchors,
    /// The incident rows changed since the index was last refreshed.
    touched: Touched,
    /// Tokens looked up by readers: emptied after any account change is committed.
    tokens: super::accounts::TokenCache,
}

pub(super) type Reply = oneshot::Sender<Result<Vec<Appended>, StoreError>>;
/// The answers of one committed group.
type Group = Vec<(Reply, Result<Vec<Appended>, StoreError>)>;

/// Makes committed groups durable and only then answers their callers.
///
/// The writer commits with `synchronous=NORMAL`, which in WAL mode writes the commit to
/// the WAL without waiting for the disk. This thread then `fdatasync`s the WAL and answers
/// every group committed before the sync began. The writer meanwhile builds the next group,
/// so the disk's flush latency overlaps with work instead of stalling it. Checkpoints keep
/// SQLite's own syncing (NORMAL syncs the WAL before a checkpoint and the database after).
fn sync_loop(
    wal: std::fs::File,
    rx: std::sync::mpsc::Receiver<Group>,
    failed: Arc<std::sync::atomic::AtomicBool>,
    durable: Arc<std::sync::atomic::AtomicU64>,
) {
    while let Ok(first) = rx.recv() {
        let mut groups = vec![first];
        while let Ok(g) = rx.try_recv() {
            groups.push(g);
        }
        let synced = if failed.load(std::sync::atomic::Ordering::SeqCst) {
            Err(std::io::Error::other("an earlier flush failed"))
        } else {
            wal.sync_data()
        };
        if let Err(e) = &synced {
            failed.store(true, std::sync::atomic::Ordering::SeqCst);
            tracing::error!(error = %e, "fdatasync of the WAL failed; the store accepts no more writes");
        }
        if synced.is_ok() {
            let end = groups
                .iter()
                .flatten()
                .filter_map(|(_, r)| r.as_ref().ok())
                .flat_map(|v| v.iter().map(|a| a.seq + 1))
                .max();
            if let Some(end) = end {
                durable.fetch_max(end, std::sync::atomic::Ordering::SeqCst);
            }
        }
        for (reply, result) in groups.into_iter().flatten() {
            let answer = match (&synced, result) {
                (Ok(()), r) => r,
                (Err(e), Ok(a)) => Err(StoreError::Internal(format!(
                    "{} entries were written but their flush to disk failed ({e}); they may or may not survive a power loss",
                    a.len()
                ))),
                (Err(_), Err(e)) => Err(e),
            };
            let _ = reply.send(answer);
        }
    }
}

impl WriterState {
    pub(super) fn open(
        conn: Connection,
        max_batch: usize,
        shared: Arc<RwLock<Option<Arc<Scenario>>>>,
        wal: Option<std::path::PathBuf>,
        log_key: Option<SigningKeyPair>,
        checkpointed: watch::Sender<u64>,
        (anchors, tokens): (SharedAnchors, super::accounts::TokenCache),
    ) -> Result<Self, StoreError> {
        let mut conn = conn;
        let touched = Touched::default();
        touched.watch(&mut conn)?;
        let durable = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let flush_failed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (syncer, sync_thread) = match wal.clone() {
            None => (None, None),
            Some(path) => {
                let file = std::fs::OpenOptions::new().read(true).write(true).open(&path).map_err(|e| {
                    StoreError::Internal(format!("cannot open the write-ahead log {}: {e}", path.display()))
                })?;
                // SQLite creates the WAL at open; make its directory entry durable before
                // any write is acknowledged through it.
                let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
                std::fs::File::open(dir)
                    .and_then(|d| d.sync_all())
                    .map_err(|e| StoreError::Internal(format!("cannot flush the directory {}: {e}", dir.display())))?;
                let (tx, rx) = std::sync::mpsc::channel();
                let failed = flush_failed.clone();
                let synced = durable.clone();
                let handle = std::thread::Builder::new()
                    .name("truce-sync".into())
                    .spawn(move || sync_loop(file, rx, failed, synced))
                    .map_err(|e| StoreError::Internal(format!("cannot start the sync thread: {e}")))?;
                (Some(tx), Some(handle))
            }
        };
        let mut state = WriterState {
            conn,
            next_seq: 0,
            max_batch: max_batch.max(1),
            shared,
            scenario: None,
            ids: ulid::Generator::new(),
            syncer,
            sync_thread,
            flush_failed,
            tiles: TileWriter::new(),
            log_key,
            checkpointed,
            durable,
            anchors,
            touched,
            tokens,
        };
        let stored: Option<String> = state
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'projections_checksum'", [], |r| r.get(0))
            .optional()?;
        if stored.as_deref() != Some(migrate::projections_checksum().as_str()) {
            let n = state.rebuild()?;
            if stored.is_some() {
                tracing::info!(entries = n, "projection schema changed; rebuilt projections from the journal");
            }
        } else {
            state.scenario = project::load_scenario(&state.conn)?;
            state.publish_scenario();
            state.reload_anchors()?;
        }
        state.next_seq =
            state.conn.query_row("SELECT coalesce(max(seq) + 1, 0) FROM journal", [], |r| r.get::<_, i64>(0))? as u64;
        state.tiles = log::restore(&state.conn, state.next_seq)?;
        // What the database holds at open is made durable before a checkpoint may cover it:
        // after a crash of the process, committed frames may still be only in the page cache.
        if let Some(path) = &wal
            && let Ok(f) = std::fs::OpenOptions::new().read(true).write(true).open(path)
        {
            f.sync_data().map_err(|e| StoreError::Internal(format!("flushing {} at open: {e}", path.display())))?;
        }
        state.durable.store(state.next_seq, std::sync::atomic::Ordering::SeqCst);
        let newest = log::checkpoint(&state.conn, None)?.map_or(0, |c| c.size);
        state.checkpointed.send_replace(newest);
        Ok(state)
    }

    /// Empties the token cache: after an account change, every token is looked up again.
    fn forget_tokens(&self) {
        self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// Loads matching's index afresh from the incidents table.
    fn reload_anchors(&mut self) -> Result<(), StoreError> {
        let conn = &self.conn;
        let index = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| AnchorIndex::load(conn)))
            .unwrap_or_else(|_| Err(StoreError::Internal("loading the matching index panicked".into())))?;
        self.touched.take();
        // A poisoned lock (a refresh that panicked) is replaced whole here.
        *self.anchors.write().unwrap_or_else(std::sync::PoisonError::into_inner) = index;
        self.anchors.clear_poison();
        Ok(())
    }

    /// Brings matching's index up to the incident rows the last transaction touched, as
    /// the table holds them now (committed, or unchanged after a rollback).
    fn refresh_anchors(&mut self) -> Result<(), StoreError> {
        let rids = self.touched.take();
        if rids.is_empty() {
            return Ok(());
        }
        // Read without the lock: matching goes on meanwhile from the index as it was.
        let rows = Refresh::read(&self.conn, &rids)?;
        let mut a = self.anchors.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        // The index is a copy: should the in-memory update panic, it is reloaded from the
        // table (by the caller) rather than taking the writer down; a failed read is an error
        // the caller answers the same way.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| a.apply(rows)))
            .map_err(|_| StoreError::Internal("refreshing the matching index panicked".into()))
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
            let mut commands = 0;
            while let Some(job) = next.take() {
                match job {
                    Job::Append { actor, prepared, reply } => {
                        commands += prepared.len();
                        batch.push((actor, prepared, reply));
                    }
                    Job::Rebuild { reply } => {
                        self.commit_batch(&mut batch);
                        let r = self.rebuild();
                        let _ = reply.send(r);
                    }
                    Job::Checkpoint { reply } => {
                        self.commit_batch(&mut batch);
                        let r = self.checkpoint();
                        if let Err(e) = &r {
                            tracing::error!(error = %e, "signing a checkpoint failed");
                        }
                        if let Some(reply) = reply {
                            let _ = reply.send(r);
                        }
                    }
                    Job::Cosign { size, lines, reply } => {
                        self.commit_batch(&mut batch);
                        let _ = reply.send(self.cosign(size, &lines));
                    }
                }
                if commands < self.max_batch {
                    next = rx.try_recv().ok();
                }
            }
            self.commit_batch(&mut batch);
        }
        // Let the sync thread answer what it holds, then stop with it.
        self.syncer.take();
        if let Some(t) = self.sync_thread.take() {
            let _ = t.join();
        }
        tracing::debug!("writer stopped");
    }

    fn commit_batch(&mut self, batch: &mut Vec<Pending>) {
        if batch.is_empty() {
            return;
        }
        if self.flush_failed.load(std::sync::atomic::Ordering::SeqCst) {
            for (_, _, reply) in batch.drain(..) {
                let _ = reply.send(Err(StoreError::Stopped(
                    "a flush to disk failed earlier; restart truce after checking the disk".into(),
                )));
            }
            return;
        }
        let first_seq = self.next_seq;
        let scenario_before = self.scenario.clone();
        let tiles_before = self.tiles.clone();
        let accounts_changed = batch.iter().any(|(_, job, _)| job.iter().any(|p| matches!(p.what, What::Account(_))));
        let erased = batch.iter().any(|(_, job, _)| job.iter().any(|p| matches!(p.what, What::Erase(_))));
        let results = self.append_all(batch);
        if erased && results.is_ok() {
            // Earlier images of the erased row's page are still in the WAL: copy the WAL into
            // the database and truncate it. Readers may hold it back; then the next
            // checkpoint finishes the job.
            let truncated: Result<i64, _> = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0));
            match truncated {
                Ok(0) => {}
                Ok(_) => tracing::warn!("readers held back the WAL truncation after an erasure"),
                Err(e) => tracing::error!(error = %e, "checkpointing the WAL after an erasure failed"),
            }
        }
        if accounts_changed {
            self.forget_tokens();
        }
        if let Err(e) = self.refresh_anchors() {
            // Matching would go on from a stale copy: load it whole instead.
            tracing::error!(error = %e, "refreshing the matching index failed; reloading it");
            if let Err(e) = self.reload_anchors() {
                tracing::error!(error = %e, "reloading the matching index failed");
            }
        }
        let replies: Vec<_> = batch.drain(..).map(|(_, _, reply)| reply).collect();
        match results {
            Ok(results) => {
                self.publish_scenario();
                let group: Vec<_> = replies.into_iter().zip(results).collect();
                match &self.syncer {
                    // Answered once the syncer's fdatasync of the WAL covers this commit.
                    Some(syncer) => {
                        if let Err(std::sync::mpsc::SendError(group)) = syncer.send(group) {
                            for (reply, _) in group {
                                let _ = reply.send(Err(StoreError::Closed));
                            }
                        }
                    }
                    None => {
                        for (reply, r) in group {
                            let _ = reply.send(r);
                        }
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "group commit failed; nothing of this group was written");
                self.next_seq = first_seq;
                self.scenario = scenario_before;
                self.tiles = tiles_before;
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
    fn append_all(&mut self, batch: &[Pending]) -> Result<Vec<Result<Vec<Appended>, StoreError>>, StoreError> {
        let WriterState { conn, next_seq, scenario, ids, tiles, .. } = self;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut tail = Tail { next_seq, ids, scenario, tiles };
        let mut out = Vec::with_capacity(batch.len());
        for (actor, job, _) in batch {
            // Conflicts are decided before anything of the job is written, so no savepoint
            // is needed: a job is appended whole or not at all.
            let mut loaded = tail.scenario.is_some();
            let mut conflict = None;
            for prepared in job {
                match &prepared.what {
                    What::Scenario(_) if loaded => {
                        conflict = Some(StoreError::Conflict("a scenario is already loaded in this database".into()));
                    }
                    What::Scenario(_) => loaded = true,
                    What::Claim(_)
                    | What::Key(_)
                    | What::Account(_)
                    | What::Incident(..)
                    | What::Placement(_)
                    | What::ProvisionRecord(_)
                    | What::RecordLinks(_)
                    | What::Erase(_)
                    | What::Article(_)
                    | What::DraftRejected(_)
                        if !loaded =>
                    {
                        conflict = Some(StoreError::NotInitialised)
                    }
                    What::Incident(change, version) => {
                        if let Some(sc) = tail.scenario.as_deref()
                            && let Some(c) = super::incidents::conflict(&tx, change, *version, actor.as_str(), sc)?
                        {
                            conflict = Some(c);
                        }
                    }
                    What::Placement(_) | What::Record => {}
                    What::ProvisionRecord(r) => {
                        if let Some(c) = super::records::conflict(&tx, None, &r.record.claims, &r.record.incidents)? {
                            conflict = Some(c);
                        } else if let Some(c) = super::records::detainees_conflict(&tx, &r.record.detainees_named())? {
                            conflict = Some(c);
                        }
                    }
                    What::Erase(e) => {
                        if let Some(c) = super::records::erase_conflict(&tx, &e.record)? {
                            conflict = Some(c);
                        }
                    }
                    What::RecordLinks(l) => {
                        if let Some(c) = super::records::conflict(&tx, Some(&l.record), &l.claims, &l.incidents)? {
                            conflict = Some(c);
                        }
                    }
                    What::Account(a) => {
                        if let Some(c) = project::account_conflict(&tx, a)? {
                            conflict = Some(c);
                        }
                    }
                    What::Claim(c) => {
                        // A claim accepting a draft: the draft must still be pending.
                        if let Some(d) = &c.draft
                            && let Some(e) = super::drafts::conflict(&tx, d)?
                        {
                            conflict = Some(e);
                        }
                    }
                    What::Article(a) => {
                        if let Some(e) = super::drafts::article_conflict(&tx, &a.sha256)? {
                            conflict = Some(e);
                        }
                    }
                    What::DraftRejected(r) => {
                        if let Some(e) = super::drafts::conflict(&tx, &r.draft)? {
                            conflict = Some(e);
                        }
                    }
                    What::Key(k) => {
                        if project::key_registered(&tx, &k.name, k.key_id)? {
                            conflict = Some(StoreError::Conflict(format!(
                                "the key {}+{:08x} is already registered",
                                k.name, k.key_id
                            )));
                        }
                    }
                }
            }
            if let Some(c) = conflict {
                out.push(Err(c));
                continue;
            }
            let mut appended: Vec<Appended> = Vec::with_capacity(job.len());
            for prepared in job {
                let a = match &prepared.what {
                    What::Placement(items) => {
                        // The claims of this job are appended: name them and journal where they went.
                        let claim_ids = appended.iter().enumerate().map(|(i, a)| (i, a.id)).collect();
                        let placements = super::incidents::resolve_placements(&tx, items, &claim_ids)?;
                        if placements.len() != items.len() {
                            return Err(StoreError::Internal("a placement was lost before it was journaled".into()));
                        }
                        let payload = truce_core::incidents::placed_payload(
                            &placements,
                            items.iter().map(|i| i.proposals_json.as_slice()),
                        );
                        let change = truce_core::incidents::IncidentChange::Placed { placements };
                        debug_assert_eq!(
                            Some(&payload),
                            truce_core::journal::canonical_json(&change).ok().as_ref(),
                            "the placement entry is its change's canonical JSON"
                        );
                        let digest = truce_core::journal::sha256(&payload);
                        let placed = Prepared {
                            kind: change.kind(),
                            payload,
                            digest,
                            what: What::Incident(Box::new(change), None),
                        };
                        // The claims' rows were just written: their seqs and features are known.
                        let known: super::incidents::KnownClaims<'_> = items
                            .iter()
                            .filter_map(|i| match (appended.get(i.claim_index), job.get(i.claim_index)) {
                                (Some(a), Some(Prepared { what: What::Claim(c), .. })) => {
                                    Some((ClaimId(a.id), (a.seq as i64, &c.features)))
                                }
                                _ => None,
                            })
                            .collect();
                        // Matching placed them, not the submitter.
                        append_one(&tx, &mut tail, &Actor::system(), &placed, &known)?
                    }
                    _ => append_one(&tx, &mut tail, actor, prepared, &HashMap::new())?,
                };
                appended.push(a);
            }
            out.push(Ok(appended));
        }
        log::write_tiles(&tx, tail.tiles)?;
        tx.commit()?;
        Ok(out)
    }

    /// Signs a checkpoint of everything appended and already flushed to disk: a checkpoint
    /// must never cover an entry that a crash could still take back.
    fn checkpoint(&mut self) -> Result<u64, StoreError> {
        let newest = *self.checkpointed.borrow();
        let Some(key) = &self.log_key else { return Ok(newest) };
        // Without a sync thread (benchmark fills) nothing is flushed and everything counts.
        let size = if self.syncer.is_some() {
            self.durable.load(std::sync::atomic::Ordering::SeqCst).min(self.tiles.size())
        } else {
            self.tiles.size()
        };
        if size <= newest {
            return Ok(newest);
        }
        let root = if size == self.tiles.size() {
            self.tiles.root()
        } else {
            truce_ledger::tree_root(&mut log::source(&self.conn), size).map_err(log::tile_err)?
        };
        log::store_checkpoint(&self.conn, key, size, root, Utc::now().timestamp_millis())?;
        self.checkpointed.send_replace(size);
        Ok(size)
    }

    fn cosign(&mut self, size: u64, lines: &[(String, String)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (witness, line) in lines {
            tx.prepare_cached(
                "INSERT INTO log_cosignatures (size, witness, line) VALUES (?1, ?2, ?3)
                 ON CONFLICT (size, witness) DO NOTHING",
            )?
            .execute(params![size as i64, witness, line])?;
        }
        tx.commit()?;
        Ok(())
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
                let prepared = project::prepare(command, scenario.as_deref())?;
                let entry = project::Entry { seq, id, received_at, actor: &actor };
                project::apply(&tx, &entry, &prepared, &mut scenario, &HashMap::new())?;
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
        self.reload_anchors()?;
        self.forget_tokens();
        Ok(n)
    }
}

/// What appending moves on: the next seq, the entry ids, the scenario and the log's tiles.
struct Tail<'w> {
    next_seq: &'w mut u64,
    ids: &'w mut ulid::Generator,
    scenario: &'w mut Option<Arc<Scenario>>,
    tiles: &'w mut TileWriter,
}

/// Appends one prepared command to the journal and projects it, inside `tx`.
fn append_one(
    tx: &rusqlite::Transaction<'_>,
    tail: &mut Tail<'_>,
    actor: &Actor,
    prepared: &Prepared,
    known: &super::incidents::KnownClaims<'_>,
) -> Result<Appended, StoreError> {
    let seq = *tail.next_seq;
    let id = tail.ids.generate().unwrap_or_else(|_| Ulid::new());
    let received_at = Utc::now();
    let id_text = id.to_string();
    tail.tiles.append(log::row_leaf(
        seq,
        &id_text,
        prepared.kind,
        actor.as_str(),
        received_at.timestamp_millis(),
        &prepared.digest,
    ));
    tx.prepare_cached(
        "INSERT INTO journal (seq, id, kind, actor, received_at, payload, payload_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        seq as i64,
        id_text,
        prepared.kind,
        actor.as_str(),
        received_at.timestamp_millis(),
        prepared.payload,
        &prepared.digest[..]
    ])?;
    let entry = project::Entry { seq, id, received_at, actor: actor.as_str() };
    let projected = project::apply(tx, &entry, prepared, tail.scenario, known)?;
    *tail.next_seq += 1;
    Ok(Appended { seq, id, kind: prepared.kind, received_at, projected })
}
