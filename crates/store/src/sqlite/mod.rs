//! The SQLite store: one file in WAL mode, one writer thread with group commit, a pool of
//! read-only connections.

mod accounts;
mod anchors;
mod drafts;
mod incident_query;
mod incidents;
mod log;
mod project;
mod query;
mod records;
mod writer;

pub use drafts::{ArticleRow, DraftRow};
pub use incident_query::{IncidentDetail, IncidentPage, IncidentSummary};
pub use log::{AuditEntry, LogFile, StoredCheckpoint};
pub use query::{ClaimAccess, ClaimPage, EntryHeader, PlaceMatch, RegisteredKey};
pub use records::{Link as RecordLink, PersonKept, RecordFilter, RecordRow, linked_incidents};
pub use writer::{Appended, Projected};

use crate::{StoreError, migrate};
use project::Prepared;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{mpsc, oneshot, watch};
use truce_core::journal::{Actor, Command};
use truce_core::scenario::Scenario;
use truce_ledger::{Hash, SigningKeyPair};

/// Tuning for a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Most commands committed in one transaction.
    pub max_batch: usize,
    /// Commands that may wait for the writer before callers are held back.
    pub queue: usize,
    /// Answer a write only once it is flushed to disk. Only benchmark fills turn this off.
    pub durable: bool,
    /// The log's signing key. Without one the Merkle log is kept but no checkpoint is signed.
    pub log_key: Option<SigningKeyPair>,
    /// How often new entries are checked for and covered by a checkpoint.
    pub checkpoint_interval: std::time::Duration,
    /// Match each submitted claim to the incidents it may belong to (attach it, or open a
    /// new incident). Off only to measure what matching costs.
    pub match_incidents: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_batch: 1024,
            queue: 8192,
            durable: true,
            log_key: None,
            checkpoint_interval: std::time::Duration::from_millis(500),
            match_incidents: true,
        }
    }
}

/// Read connections kept open for reuse.
const MAX_POOLED_READERS: usize = 64;

/// The placement of a job's claims, as the job's last entry (see `incidents::place`).
fn place_job(
    conn: &Connection,
    anchors: &anchors::SharedAnchors,
    scenario: Option<&Scenario>,
    prepared: &[Prepared],
) -> Result<Prepared, StoreError> {
    let sc = scenario.ok_or(StoreError::NotInitialised)?;
    let claims: Vec<(usize, truce_core::incidents::Features)> = prepared
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match &p.what {
            project::What::Claim(c) => Some((i, c.features.clone())),
            _ => None,
        })
        .collect();
    let items = incidents::place(conn, anchors, sc, &claims, sc.settings.incident_auto_attach_threshold)?;
    Ok(Prepared {
        kind: "incident.placed",
        payload: Vec::new(),
        digest: [0; 32],
        what: project::What::Placement(items),
    })
}

/// A handle on an open store. Cheap to clone; the writer stops when the last clone drops.
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    jobs: mpsc::Sender<writer::Job>,
    readers: Mutex<Vec<Connection>>,
    scenario: Arc<RwLock<Option<Arc<Scenario>>>>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
    checkpoints: watch::Receiver<u64>,
    log_key: Option<SigningKeyPair>,
    match_incidents: bool,
    /// Matching's copy of the incidents' anchors (kept by the writer).
    anchors: anchors::SharedAnchors,
    /// Tokens looked up (emptied by the writer on account changes).
    tokens: accounts::TokenCache,
    /// Held open for the store's life: its lock keeps a second writer out.
    _lock: std::fs::File,
}

/// Plans that do not depend on bound values: without this, SQLite (built with STAT4) re-prepares
/// a cached statement whenever a value the planner looked at changes, as the R*Tree's
/// bounds do on every query, and preparing cost more than the query.
pub(crate) fn stable_plans(conn: &Connection) -> Result<(), StoreError> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

pub(crate) fn configure(conn: &Connection, durable: bool) -> Result<(), StoreError> {
    stable_plans(conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // Durable stores commit with NORMAL and have the writer's sync thread fdatasync the WAL
    // before answering (see writer::sync_loop); OFF is for benchmark fills only.
    conn.pragma_update(None, "synchronous", if durable { "NORMAL" } else { "OFF" })?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A larger page cache keeps the indexes' upper levels in memory; checkpoints run less
    // often, each moving more pages.
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "wal_autocheckpoint", 16_000)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

impl Store {
    /// Opens (or creates) the database at `path`, applies migrations, rebuilds projections
    /// whose schema changed, and starts the writer.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Self::open_with(path, StoreOptions::default())
    }

    /// `open` with tuning.
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        let lock_path = {
            let mut p = path.clone().into_os_string();
            p.push(".lock");
            PathBuf::from(p)
        };
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| StoreError::Internal(format!("cannot open {}: {e}", lock_path.display())))?;
        lock.try_lock().map_err(|_| StoreError::Locked(path.display().to_string()))?;
        let mut conn = Connection::open(&path)?;
        configure(&conn, options.durable)?;
        migrate::run(&mut conn)?;
        let scenario = Arc::new(RwLock::new(None));
        let wal = options.durable.then(|| {
            let mut p = path.clone().into_os_string();
            p.push("-wal");
            PathBuf::from(p)
        });
        let (checkpointed, checkpoints) = watch::channel(0);
        let anchors = anchors::SharedAnchors::default();
        let tokens = accounts::TokenCache::default();
        let state = writer::WriterState::open(
            conn,
            options.max_batch,
            scenario.clone(),
            wal,
            options.log_key.clone(),
            checkpointed,
            // What readers keep in memory and the writer keeps in step.
            (anchors.clone(), tokens.clone()),
        )?;
        let (tx, rx) = mpsc::channel(options.queue);
        let writer = std::thread::Builder::new()
            .name("truce-writer".into())
            .spawn(move || state.run(rx))
            .map_err(|e| StoreError::Internal(format!("cannot start the writer thread: {e}")))?;
        if options.log_key.is_some() {
            // Ticks until the store is closed: it holds only a weak handle on the writer.
            let weak = tx.downgrade();
            let interval = options.checkpoint_interval;
            std::thread::Builder::new()
                .name("truce-checkpointer".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(interval);
                        let Some(jobs) = weak.upgrade() else { break };
                        let _ = jobs.try_send(writer::Job::Checkpoint { reply: None });
                    }
                })
                .map_err(|e| StoreError::Internal(format!("cannot start the checkpoint thread: {e}")))?;
        }
        Ok(Store {
            inner: Arc::new(Inner {
                path,
                jobs: tx,
                readers: Mutex::new(Vec::new()),
                scenario,
                writer: Mutex::new(Some(writer)),
                checkpoints,
                log_key: options.log_key,
                match_incidents: options.match_incidents,
                anchors,
                tokens,
                _lock: lock,
            }),
        })
    }

    /// Stops the writer once every accepted command is answered, and waits for it. Fails,
    /// closing nothing, while other handles on the store are alive.
    pub fn close(self) -> Result<(), StoreError> {
        let inner = Arc::try_unwrap(self.inner)
            .map_err(|_| StoreError::Internal("the store is still in use elsewhere".into()))?;
        let Inner { jobs, writer, readers, _lock, .. } = inner;
        drop(jobs);
        drop(readers);
        if let Some(t) = writer.lock().ok().and_then(|mut w| w.take()) {
            t.join().map_err(|_| StoreError::Internal("the writer thread panicked".into()))?;
        }
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Validated command in, durable journal entry out. Returns once the entry's group is
    /// committed to disk.
    pub async fn execute(&self, actor: Actor, command: Command) -> Result<Appended, StoreError> {
        let mut v = self.execute_all(actor, vec![command]).await?;
        v.pop().ok_or_else(|| StoreError::Internal("the writer answered no entry".into()))
    }

    /// Appends several commands as one unit: all of them, in order and in one transaction,
    /// or none. Returns once they are committed to disk.
    pub async fn execute_all(&self, actor: Actor, commands: Vec<Command>) -> Result<Vec<Appended>, StoreError> {
        let scenario = self.scenario();
        let n = commands.len();
        let mut prepared =
            commands.into_iter().map(|c| project::prepare(c, scenario.as_deref())).collect::<Result<Vec<_>, _>>()?;
        if self.matching(&prepared, scenario.as_deref()) {
            let (store, sc) = (self.clone(), scenario.clone());
            let items = tokio::task::spawn_blocking(move || -> Result<(Vec<Prepared>, Prepared), StoreError> {
                let job = store.read_blocking(|c| place_job(c, &store.inner.anchors, sc.as_deref(), &prepared))?;
                Ok((prepared, job))
            })
            .await
            .map_err(|e| StoreError::Internal(format!("matching task failed: {e}")))??;
            prepared = items.0;
            prepared.push(items.1);
        }
        // The entry that placed the claims in incidents follows them; callers get their own.
        let mut appended = self.send(actor, prepared).await?;
        appended.truncate(n);
        Ok(appended)
    }

    /// An incident change, refused (409) unless the incident is still at `version` when
    /// the writer comes to it.
    pub async fn execute_incident(
        &self,
        actor: Actor,
        change: truce_core::incidents::IncidentChange,
        version: Option<u64>,
    ) -> Result<Appended, StoreError> {
        let mut prepared = project::prepare(Command::Incident(Box::new(change)), self.scenario().as_deref())?;
        if let project::What::Incident(_, v) = &mut prepared.what {
            *v = version;
        }
        let mut v = self.send(actor, vec![prepared]).await?;
        v.pop().ok_or_else(|| StoreError::Internal("the writer answered no entry".into()))
    }

    /// Whether the job submits claims that matching is to place.
    fn matching(&self, prepared: &[Prepared], scenario: Option<&Scenario>) -> bool {
        let claims = prepared.iter().any(|p| matches!(p.what, project::What::Claim(_)));
        self.inner.match_incidents && claims && scenario.is_some()
    }

    async fn send(&self, actor: Actor, prepared: Vec<Prepared>) -> Result<Vec<Appended>, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner.jobs.send(writer::Job::Append { actor, prepared, reply }).await.map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// `execute` from synchronous code (CLI, tests outside a runtime).
    pub fn execute_blocking(&self, actor: Actor, command: Command) -> Result<Appended, StoreError> {
        let scenario = self.scenario();
        let mut prepared = vec![project::prepare(command, scenario.as_deref())?];
        if self.matching(&prepared, scenario.as_deref()) {
            let job = self.read_blocking(|c| place_job(c, &self.inner.anchors, scenario.as_deref(), &prepared))?;
            prepared.push(job);
        }
        let (reply, rx) = oneshot::channel();
        self.inner
            .jobs
            .blocking_send(writer::Job::Append { actor, prepared, reply })
            .map_err(|_| StoreError::Closed)?;
        let mut v = rx.blocking_recv().map_err(|_| StoreError::Closed)??;
        // A submitted claim is followed by the entry that placed it in an incident.
        v.truncate(1);
        v.pop().ok_or_else(|| StoreError::Internal("the writer answered no entry".into()))
    }

    /// Drops every projection and replays the journal into fresh ones. Returns the number
    /// of entries replayed.
    pub fn rebuild_blocking(&self) -> Result<u64, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner.jobs.blocking_send(writer::Job::Rebuild { reply }).map_err(|_| StoreError::Closed)?;
        rx.blocking_recv().map_err(|_| StoreError::Closed)?
    }

    /// Signs a checkpoint now if entries were appended since the last one; returns the size
    /// of the newest checkpoint.
    pub async fn checkpoint_now(&self) -> Result<u64, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner.jobs.send(writer::Job::Checkpoint { reply: Some(reply) }).await.map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// `checkpoint_now` from synchronous code.
    pub fn checkpoint_blocking(&self) -> Result<u64, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner
            .jobs
            .blocking_send(writer::Job::Checkpoint { reply: Some(reply) })
            .map_err(|_| StoreError::Closed)?;
        rx.blocking_recv().map_err(|_| StoreError::Closed)?
    }

    /// The size of the newest checkpoint, updated as new ones are signed.
    pub fn watch_checkpoints(&self) -> watch::Receiver<u64> {
        self.inner.checkpoints.clone()
    }

    /// The log's signing key, if this store signs checkpoints.
    pub fn log_key(&self) -> Option<&SigningKeyPair> {
        self.inner.log_key.as_ref()
    }

    /// Records witness cosignature lines `(witness verifier key, line)` on a checkpoint.
    pub async fn add_cosignatures(&self, size: u64, lines: Vec<(String, String)>) -> Result<(), StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner.jobs.send(writer::Job::Cosign { size, lines, reply }).await.map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// The newest checkpoint, or the one of `size`, with its cosignatures.
    pub async fn log_checkpoint(&self, size: Option<u64>) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.read(move |c| log::checkpoint(c, size)).await
    }

    /// The newest checkpoints, newest first, with their cosignatures.
    pub async fn log_checkpoints(&self, limit: u32) -> Result<Vec<StoredCheckpoint>, StoreError> {
        self.read(move |c| log::checkpoints(c, limit)).await
    }

    /// The bytes of hash tile `index` at `level`, `width` hashes long, if the log has them.
    pub async fn log_tile(&self, level: u8, index: u64, width: u16) -> Result<Option<Vec<u8>>, StoreError> {
        self.read(move |c| log::tile(c, level, index, width)).await
    }

    /// The leaf bytes of entries `[start, start + count)`.
    pub async fn log_leaves(&self, start: u64, count: u64) -> Result<Vec<Vec<u8>>, StoreError> {
        self.read(move |c| log::leaves(c, start, count)).await
    }

    /// Entry `seq`: its leaf bytes and its canonical payload.
    pub async fn log_entry(&self, seq: u64) -> Result<Option<log::LeafAndPayload>, StoreError> {
        self.read(move |c| log::entry(c, seq)).await
    }

    /// The inclusion proof of entry `seq` in the tree of `size` entries, with that tree's root.
    pub async fn inclusion_proof(&self, seq: u64, size: u64) -> Result<(Vec<Hash>, Hash), StoreError> {
        self.read(move |c| {
            let len = log::size(c)?;
            if size > len || seq >= size {
                return Err(StoreError::OutOfRange(format!(
                    "no entry {seq} in a tree of size {size} (the log has {len} entries)"
                )));
            }
            let src = &mut log::source(c);
            let proof = truce_ledger::inclusion_proof(src, seq, size).map_err(log::tile_err)?;
            let root = truce_ledger::tree_root(src, size).map_err(log::tile_err)?;
            Ok((proof, root))
        })
        .await
    }

    /// The consistency proof from the tree of `from` entries to the tree of `to`, with both roots.
    pub async fn consistency_proof(&self, from: u64, to: u64) -> Result<(Vec<Hash>, Hash, Hash), StoreError> {
        self.read(move |c| {
            let len = log::size(c)?;
            if from == 0 || from > to || to > len {
                return Err(StoreError::OutOfRange(format!(
                    "no consistency proof from size {from} to size {to} (the log has {len} entries; 1 <= from <= to)"
                )));
            }
            let src = &mut log::source(c);
            let proof = truce_ledger::consistency_proof(src, from, to).map_err(log::tile_err)?;
            let r1 = truce_ledger::tree_root(src, from).map_err(log::tile_err)?;
            let r2 = truce_ledger::tree_root(src, to).map_err(log::tile_err)?;
            Ok((proof, r1, r2))
        })
        .await
    }

    /// The scenario, once loaded.
    pub fn scenario(&self) -> Option<Arc<Scenario>> {
        self.inner.scenario.read().ok().and_then(|s| s.clone())
    }

    /// Runs `f` on a pooled read-only connection, on the blocking thread pool.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.read_blocking(f))
            .await
            .map_err(|e| StoreError::Internal(format!("read task failed: {e}")))?
    }

    /// Runs `f` on a pooled read-only connection on this thread.
    pub(crate) fn read_blocking<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.inner.readers.lock().ok().and_then(|mut p| p.pop());
        let conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    &self.inner.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(10))?;
                stable_plans(&c)?;
                // Reads of tiles and rows come straight from the page cache, without a copy.
                c.pragma_update(None, "mmap_size", 1i64 << 36)?;
                c
            }
        };
        let out = f(&conn);
        // Kept for reuse up to a bound above the usual number of concurrent readers:
        // opening a connection costs far more than most reads.
        if let Ok(mut p) = self.inner.readers.lock()
            && p.len() < MAX_POOLED_READERS
        {
            p.push(conn);
        }
        out
    }
}
