//! A small migration runner: numbered SQL files, applied once each, with a checksum so a
//! changed migration is caught rather than silently skipped.

use crate::StoreError;
use rusqlite::{Connection, OptionalExtension, params};

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "0001_journal.sql", sql: include_str!("../migrations/0001_journal.sql") },
    Migration { version: 2, name: "0002_ledger.sql", sql: include_str!("../migrations/0002_ledger.sql") },
    Migration { version: 3, name: "0003_personal_data.sql", sql: include_str!("../migrations/0003_personal_data.sql") },
];

/// The projection schema, applied whole (it drops what it creates).
pub const PROJECTIONS_SQL: &str = include_str!("../migrations/projections.sql");

fn checksum(sql: &str) -> String {
    truce_core::journal::sha256(sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The checksum that identifies the projection schema.
pub fn projections_checksum() -> String {
    checksum(PROJECTIONS_SQL)
}

/// Applies every migration not yet applied; refuses if an applied one changed.
pub fn run(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT;",
    )?;
    for m in MIGRATIONS {
        let expected = checksum(m.sql);
        let stored: Option<String> = conn
            .query_row("SELECT checksum FROM schema_migrations WHERE version = ?1", [m.version], |r| r.get(0))
            .optional()?;
        match stored {
            Some(s) if s == expected => continue,
            Some(stored) => {
                return Err(StoreError::MigrationChanged { version: m.version, name: m.name.into(), stored, expected });
            }
            None => {
                let tx = conn.transaction()?;
                tx.execute_batch(m.sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
                    params![m.version, m.name, expected, chrono::Utc::now().timestamp_millis()],
                )?;
                tx.commit()?;
                tracing::info!(version = m.version, name = m.name, "applied migration");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_detect_changes() {
        let mut c = Connection::open_in_memory().expect("opens");
        run(&mut c).expect("first run");
        run(&mut c).expect("second run is a no-op");
        let n: i64 = c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).expect("count");
        assert_eq!(n, MIGRATIONS.len() as i64);
        c.execute("UPDATE schema_migrations SET checksum = 'x' WHERE version = 1", []).expect("tamper");
        assert!(matches!(run(&mut c), Err(StoreError::MigrationChanged { version: 1, .. })));
    }
}
