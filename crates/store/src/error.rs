//! Store errors.

use thiserror::Error;

/// What went wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite refused an operation.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored entry could not be read back.
    #[error("journal entry {seq} is unreadable: {source}")]
    Decode {
        /// Its sequence number.
        seq: u64,
        /// Why.
        source: truce_core::journal::DecodeError,
    },
    /// A payload could not be encoded.
    #[error("could not encode the payload: {0}")]
    Encode(#[from] serde_json::Error),
    /// The command conflicts with the journal's state.
    #[error("{0}")]
    Conflict(String),
    /// The database holds no scenario yet.
    #[error("the database has no scenario; run `truce init --scenario DIR --db FILE` first")]
    NotInitialised,
    /// A migration on disk differs from the one this version ships.
    #[error(
        "migration {version} ({name}) was changed after it was applied: checksum {stored} on disk, {expected} expected"
    )]
    MigrationChanged {
        /// Version number.
        version: i64,
        /// File name.
        name: String,
        /// Checksum in the database.
        stored: String,
        /// Checksum of the shipped file.
        expected: String,
    },
    /// The store has stopped taking writes.
    #[error("the store accepts no writes: {0}")]
    Stopped(String),
    /// Another process has the database open for writing.
    #[error("{0} is in use by another truce process (serve, rebuild or init); stop it first")]
    Locked(String),
    /// The writer thread has stopped.
    /// A proof or tile was asked for outside the log.
    #[error("{0}")]
    OutOfRange(String),
    /// What a command names does not exist (a user, a token).
    #[error("{0}")]
    NotFound(String),
    /// The actor may not make this change (e.g. not a member of the endorsing body).
    #[error("{0}")]
    Forbidden(String),
    #[error("the store is closed")]
    Closed,
    /// A blocking task failed.
    #[error("internal error: {0}")]
    Internal(String),
}
