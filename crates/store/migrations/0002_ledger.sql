-- The Merkle log over the journal, in C2SP tlog-tiles layout: one row per tile, holding
-- its hashes exactly as served at /log/tile/<level>/<index>. A full tile (256 hashes) is
-- written once; the partial tile at the right edge of each level is rewritten as it grows.
CREATE TABLE log_tiles (
    level INTEGER NOT NULL,       -- tile level L: hashes of tree level 8 L
    idx   INTEGER NOT NULL,       -- tile index within the level
    data  BLOB    NOT NULL CHECK (length(data) % 32 = 0 AND length(data) BETWEEN 32 AND 8192),
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- Every checkpoint the log signed (C2SP tlog-checkpoint as a signed note).
CREATE TABLE log_checkpoints (
    size       INTEGER PRIMARY KEY,
    root       BLOB    NOT NULL CHECK (length(root) = 32),
    note       TEXT    NOT NULL,  -- the note with the log's own signature only
    signed_at  INTEGER NOT NULL   -- ms since the Unix epoch
) STRICT;

-- Witness cosignatures (C2SP tlog-cosignature lines) on those checkpoints.
CREATE TABLE log_cosignatures (
    size      INTEGER NOT NULL REFERENCES log_checkpoints (size),
    witness   TEXT    NOT NULL,   -- the witness's verifier key
    line      TEXT    NOT NULL,   -- the signature line, with its em dash and newline
    PRIMARY KEY (size, witness)
) STRICT;
