-- The journal: the single source of truth. Append-only; nothing here is ever updated
-- or deleted by truce.
CREATE TABLE journal (
    seq            INTEGER PRIMARY KEY,      -- 0-based, gapless, the Merkle leaf index
    id             TEXT    NOT NULL UNIQUE,  -- ULID
    kind           TEXT    NOT NULL,         -- e.g. claim.submitted
    actor          TEXT    NOT NULL,
    received_at    INTEGER NOT NULL,         -- ms since the Unix epoch, UTC
    payload        BLOB    NOT NULL,         -- RFC 8785 canonical JSON
    payload_sha256 BLOB    NOT NULL CHECK (length(payload_sha256) = 32)
) STRICT;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
