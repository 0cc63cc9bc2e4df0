//! truce-core: the domain of ceasefire monitoring.
//!
//! Scenarios (the agreement, its parties, provisions, zones and gazetteer), the event
//! taxonomy, claims and their validation, search-text normalisation, and the commands that
//! become journal entries. Everything outside input passes through a parser here and comes
//! out as typed values, or as a list of every field error at once.
//!
//! This crate knows no SQL, no HTTP and no files: callers hand it strings and get values.

pub mod access;
pub mod claims;
pub mod error;
pub mod export;
pub mod geo;
pub mod ids;
pub mod incidents;
pub mod intake;
pub mod journal;
pub mod keys;
pub mod names;
pub mod provisions;
pub mod scenario;
pub mod taxonomy;
pub mod text;
pub mod time;
pub mod users;

pub use error::{FieldError, FieldErrors};
