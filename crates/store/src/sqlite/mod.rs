//! The SQLite store: one file in WAL mode, one writer thread with group commit, a pool of
//! read-only connections.

mod project;
mod query;
mod writer;

pub use query::{ClaimPage, EntryHeader, PlaceMatch};
pub use writer::{Appended, Projected};

use crate::{StoreError, migrate};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{mpsc, oneshot};
use truce_core::journal::{Actor, Command};
use truce_core::scenario::Scenario;

/// Tuning for a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Most commands committed in one transaction.
    pub max_batch: usize,
    /// Commands that may wait for the writer before callers are held back.
    pub queue: usize,
    /// Answer a write only once it is flushed to disk. Only benchmark fills turn this off.
    pub durable: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { max_batch: 1024, queue: 8192, durable: true }
    }
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
    /// Held open for the store's life: its lock keeps a second writer out.
    _lock: std::fs::File,
}

pub(crate) fn configure(conn: &Connection, durable: bool) -> Result<(), StoreError> {
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
        let state = writer::WriterState::open(conn, options.max_batch, scenario.clone(), wal)?;
        let (tx, rx) = mpsc::channel(options.queue);
        let writer = std::thread::Builder::new()
            .name("truce-writer".into())
            .spawn(move || state.run(rx))
            .map_err(|e| StoreError::Internal(format!("cannot start the writer thread: {e}")))?;
        Ok(Store {
            inner: Arc::new(Inner {
                path,
                jobs: tx,
                readers: Mutex::new(Vec::new()),
                scenario,
                writer: Mutex::new(Some(writer)),
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
        let prepared =
            commands.into_iter().map(|c| project::prepare(c, scenario.as_deref())).collect::<Result<Vec<_>, _>>()?;
        let (reply, rx) = oneshot::channel();
        self.inner.jobs.send(writer::Job::Append { actor, prepared, reply }).await.map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// `execute` from synchronous code (CLI, tests outside a runtime).
    pub fn execute_blocking(&self, actor: Actor, command: Command) -> Result<Appended, StoreError> {
        let prepared = vec![project::prepare(command, self.scenario().as_deref())?];
        let (reply, rx) = oneshot::channel();
        self.inner
            .jobs
            .blocking_send(writer::Job::Append { actor, prepared, reply })
            .map_err(|_| StoreError::Closed)?;
        let mut v = rx.blocking_recv().map_err(|_| StoreError::Closed)??;
        v.pop().ok_or_else(|| StoreError::Internal("the writer answered no entry".into()))
    }

    /// Drops every projection and replays the journal into fresh ones. Returns the number
    /// of entries replayed.
    pub fn rebuild_blocking(&self) -> Result<u64, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner.jobs.blocking_send(writer::Job::Rebuild { reply }).map_err(|_| StoreError::Closed)?;
        rx.blocking_recv().map_err(|_| StoreError::Closed)?
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
                c
            }
        };
        let out = f(&conn);
        if let Ok(mut p) = self.inner.readers.lock()
            && p.len() < 16
        {
            p.push(conn);
        }
        out
    }
}
