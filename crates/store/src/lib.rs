//! truce-store: the journal and its projections.
//!
//! Every write arrives as a `truce_core::journal::Command`, already validated. One writer
//! thread appends it to the journal and updates the projections in the same transaction,
//! committing commands in groups: many commands share one transaction and one fsync, and
//! each caller is answered only once its group is durable. Reads use a pool of read-only
//! connections. Projections can be dropped and rebuilt from the journal at any time.
//!
//! This crate knows SQL and files; it knows nothing of HTTP.

mod error;
mod migrate;
mod sqlite;

pub use error::StoreError;
pub use sqlite::{
    Appended, ArticleRow, AuditEntry, ClaimAccess, ClaimPage, DraftRow, EntryHeader, IncidentDetail, IncidentPage,
    IncidentSummary, LogFile, PersonKept, PlaceMatch, Projected, RecordFilter, RecordLink, RecordRow, RegisteredKey,
    Store, StoreOptions, StoredCheckpoint, linked_incidents,
};
