//! The Merkle log over the journal: tiles written with each group commit, checkpoints
//! signed by the writer, and the reads that serve tiles, entry bundles and proofs.

use rusqlite::{Connection, OptionalExtension, params};
use truce_core::journal::EntryHeader;
use truce_ledger::tiles::{TileKind, TileStore, TileWriter};
use truce_ledger::{Checkpoint, Hash, SigningKeyPair, TileId, TileSource, leaf_hash};

use crate::StoreError;

/// Reads hash tiles from `log_tiles`.
pub(crate) struct SqlTiles<'a>(pub &'a Connection);

impl TileStore for SqlTiles<'_> {
    type Error = rusqlite::Error;
    fn read_tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>, Self::Error> {
        self.0
            .prepare_cached("SELECT data FROM log_tiles WHERE level = ?1 AND idx = ?2")?
            .query_row(params![level, index as i64], |r| r.get(0))
            .optional()
    }
}

/// A tile-backed hash source on a connection.
pub(crate) fn source(conn: &Connection) -> TileSource<SqlTiles<'_>> {
    TileSource::new(SqlTiles(conn))
}

/// Maps a tile read failure to a store error.
pub(crate) fn tile_err<E: std::fmt::Display>(e: E) -> StoreError {
    StoreError::Internal(format!("the Merkle log's tiles are damaged: {e}"))
}

/// Stores the tiles a group changed, in its transaction.
pub(crate) fn write_tiles(tx: &Connection, writer: &mut TileWriter) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO log_tiles (level, idx, data) VALUES (?1, ?2, ?3)
         ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data",
    )?;
    for (id, bytes) in writer.take_writes() {
        if let TileKind::Hashes(level) = id.kind {
            stmt.execute(params![level, id.index as i64, bytes])?;
        }
    }
    Ok(())
}

/// The leaf hash of a journal row.
pub(crate) fn row_leaf(seq: u64, id: &str, kind: &str, actor: &str, received_at_ms: i64, digest: &[u8]) -> Hash {
    leaf_hash(&EntryHeader { seq, id, kind, actor, received_at_ms, payload_sha256: digest }.leaf_bytes())
}

/// The leaf bytes of a journal row selected as `seq, id, kind, actor, received_at,
/// payload_sha256` (in that order, first), read without copying its strings.
fn leaf_of_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<u8>> {
    let text = |i: usize| r.get_ref(i).and_then(|v| v.as_str().map_err(Into::into));
    Ok(EntryHeader {
        seq: r.get::<_, i64>(0)? as u64,
        id: text(1)?,
        kind: text(2)?,
        actor: text(3)?,
        received_at_ms: r.get(4)?,
        payload_sha256: r.get_ref(5)?.as_blob()?,
    }
    .leaf_bytes())
}

/// The tile writer for a journal of `size` entries, from its stored tiles. A database
/// made before the log existed has no tiles at all: they are computed from the journal
/// once. Missing tiles in a log that has some are damage, and are reported, not repaired.
pub(crate) fn restore(conn: &Connection, size: u64) -> Result<TileWriter, StoreError> {
    let has_tiles: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM log_tiles)", [], |r| r.get(0))?;
    let has_checkpoints: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM log_checkpoints)", [], |r| r.get(0))?;
    let writer = if !has_tiles && !has_checkpoints && size > 0 {
        let tx = conn.unchecked_transaction()?;
        let mut writer = TileWriter::new();
        {
            let mut stmt =
                tx.prepare("SELECT seq, id, kind, actor, received_at, payload_sha256 FROM journal ORDER BY seq")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let seq = r.get::<_, i64>(0)? as u64;
                if seq != writer.size() {
                    return Err(StoreError::Internal(format!("journal entry {} is missing", writer.size())));
                }
                writer.append(leaf_hash(&leaf_of_row(r)?));
            }
        }
        write_tiles(&tx, &mut writer)?;
        tx.commit()?;
        tracing::info!(entries = size, "built the Merkle log's tiles from the journal");
        writer
    } else {
        let mut tiles = SqlTiles(conn);
        let mut failure = None;
        let writer = TileWriter::restore(size, |id: TileId| {
            let TileKind::Hashes(level) = id.kind else { return None };
            match tiles.read_tile(level, id.index) {
                Ok(b) => b,
                Err(e) => {
                    failure = Some(e);
                    None
                }
            }
        });
        if let Some(e) = failure {
            return Err(e.into());
        }
        writer.map_err(|e| {
            StoreError::Internal(format!(
                "the Merkle log does not fit the journal's {size} entries ({e}): entries were removed or tiles damaged; \
                 refusing to open (check it with `truce verify --db`)"
            ))
        })?
    };
    // The log must still extend the newest checkpoint it signed.
    if let Some(cp) = checkpoint(conn, None)? {
        if cp.size > size {
            return Err(StoreError::Internal(format!(
                "the log signed a checkpoint of {} entries but the journal has {size}: entries were removed; refusing to open",
                cp.size
            )));
        }
        let root = truce_ledger::tree_root(&mut source(conn), cp.size).map_err(tile_err)?;
        if root != cp.root {
            return Err(StoreError::Internal(format!(
                "the journal no longer produces the root of the checkpoint of {} entries; refusing to open (check it with `truce verify --db`)",
                cp.size
            )));
        }
    }
    Ok(writer)
}

/// Signs and stores a checkpoint of the tree of `size` entries with head `root`. Returns its note.
pub(crate) fn store_checkpoint(
    conn: &Connection,
    key: &SigningKeyPair,
    size: u64,
    root: Hash,
    now_ms: i64,
) -> Result<String, StoreError> {
    let cp = Checkpoint { origin: key.name().to_string(), size, root, extensions: Vec::new() };
    let note = key.sign_note(&cp.body());
    conn.prepare_cached(
        "INSERT INTO log_checkpoints (size, root, note, signed_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (size) DO NOTHING",
    )?
    .execute(params![cp.size as i64, &cp.root.0[..], note, now_ms])?;
    Ok(note)
}

/// A checkpoint as stored, with the witness cosignature lines it has gathered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    /// Tree size.
    pub size: u64,
    /// Tree head.
    pub root: Hash,
    /// When the log signed it (ms since the Unix epoch).
    pub signed_at_ms: i64,
    /// The note signed by the log alone.
    pub note: String,
    /// Cosignature lines: (witness verifier key, line).
    pub cosignatures: Vec<(String, String)>,
}

impl StoredCheckpoint {
    /// The note with every cosignature line appended, as served.
    pub fn cosigned_note(&self) -> String {
        let mut out = self.note.clone();
        for (_, line) in &self.cosignatures {
            out.push_str(line);
        }
        out
    }
}

/// The newest checkpoint, or the one of `size`.
pub(crate) fn checkpoint(conn: &Connection, size: Option<u64>) -> Result<Option<StoredCheckpoint>, StoreError> {
    let sql = match size {
        Some(_) => "SELECT size, root, note, signed_at FROM log_checkpoints WHERE size = ?1",
        None => "SELECT size, root, note, signed_at FROM log_checkpoints WHERE ?1 IS NULL ORDER BY size DESC LIMIT 1",
    };
    let row = conn
        .prepare_cached(sql)?
        .query_row([size.map(|s| s as i64)], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, Vec<u8>>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
        })
        .optional()?;
    let Some((size, root, note, signed_at_ms)) = row else { return Ok(None) };
    let root = Hash::from_slice(&root).ok_or_else(|| tile_err("a checkpoint root is not 32 bytes"))?;
    let cosignatures = conn
        .prepare_cached("SELECT witness, line FROM log_cosignatures WHERE size = ?1 ORDER BY witness")?
        .query_map([size as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(StoredCheckpoint { size, root, signed_at_ms, note, cosignatures }))
}

/// The newest checkpoints, newest first (at most `limit`), with their cosignatures.
pub(crate) fn checkpoints(conn: &Connection, limit: u32) -> Result<Vec<StoredCheckpoint>, StoreError> {
    let sizes = conn
        .prepare_cached("SELECT size FROM log_checkpoints ORDER BY size DESC LIMIT ?1")?
        .query_map([limit], |r| r.get::<_, i64>(0).map(|s| s as u64))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(sizes.len());
    for size in sizes {
        out.extend(checkpoint(conn, Some(size))?);
    }
    Ok(out)
}

/// The stored bytes of hash tile `id`, cut to its width; `None` if the log has no such tile
/// at that width.
pub(crate) fn tile(conn: &Connection, level: u8, index: u64, width: u16) -> Result<Option<Vec<u8>>, StoreError> {
    let bytes = SqlTiles(conn).read_tile(level, index)?;
    let want = usize::from(width) * Hash::LEN;
    Ok(bytes.filter(|b| b.len() >= want).map(|mut b| {
        b.truncate(want);
        b
    }))
}

/// The leaf bytes of entries `[start, start + count)`, in order; fewer if the journal is shorter.
pub(crate) fn leaves(conn: &Connection, start: u64, count: u64) -> Result<Vec<Vec<u8>>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, id, kind, actor, received_at, payload_sha256 FROM journal WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
    )?;
    let end = start.saturating_add(count).min(i64::MAX as u64);
    let rows = stmt.query_map(params![start.min(i64::MAX as u64) as i64, end as i64], leaf_of_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Entries in the log (the journal's next sequence number).
pub(crate) fn size(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn.query_row("SELECT coalesce(max(seq) + 1, 0) FROM journal", [], |r| r.get::<_, i64>(0))? as u64)
}

/// One journal entry as an auditor reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its sequence number as stored.
    pub seq: u64,
    /// Its leaf bytes, rebuilt from the stored header.
    pub leaf: Vec<u8>,
    /// Whether the stored payload still hashes to the stored SHA-256.
    pub payload_matches: bool,
}

/// A database file opened read-only for an offline audit, with no server running.
#[derive(Debug)]
pub struct LogFile {
    conn: Connection,
}

impl LogFile {
    /// Opens `path` read-only.
    pub fn open(path: &std::path::Path) -> Result<LogFile, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // An audit reads the whole file once: map it rather than copy every page.
        conn.pragma_update(None, "mmap_size", 1i64 << 40)?;
        Ok(LogFile { conn })
    }

    /// Entries with `seq` in `[start, start + count)`, as stored (gaps show as missing seqs).
    pub fn entries(&self, start: u64, count: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, id, kind, actor, received_at, payload_sha256, payload FROM journal
             WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![start as i64, start.saturating_add(count) as i64])?;
        let mut out = Vec::with_capacity(count.min(4096) as usize);
        while let Some(r) = rows.next()? {
            let seq = r.get::<_, i64>(0)? as u64;
            let leaf = leaf_of_row(r)?;
            let blob = |i: usize| r.get_ref(i).and_then(|v| v.as_blob().map_err(Into::into));
            let payload_matches = truce_core::journal::sha256(blob(6)?)[..] == *blob(5)?;
            out.push(AuditEntry { seq, leaf, payload_matches });
        }
        Ok(out)
    }

    /// The stored payload of entry `seq`.
    pub fn payload(&self, seq: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(entry(&self.conn, seq)?.map(|(_, p)| p))
    }

    /// The stored bytes of hash tile `index` at `level`.
    pub fn tile(&self, level: u8, index: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(SqlTiles(&self.conn).read_tile(level, index)?)
    }

    /// The newest checkpoint the log stored.
    pub fn checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        checkpoint(&self.conn, None)
    }
}

/// An entry's leaf bytes and its stored payload.
pub type LeafAndPayload = (Vec<u8>, Vec<u8>);

/// Entry `seq`: its leaf bytes and its stored payload.
pub(crate) fn entry(conn: &Connection, seq: u64) -> Result<Option<LeafAndPayload>, StoreError> {
    let Some(leaf) = leaves(conn, seq, 1)?.pop() else { return Ok(None) };
    let payload: Vec<u8> =
        conn.prepare_cached("SELECT payload FROM journal WHERE seq = ?1")?.query_row([seq as i64], |r| r.get(0))?;
    Ok(Some((leaf, payload)))
}
