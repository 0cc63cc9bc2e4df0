-- Projections: query tables derived from the journal. This file is applied whole; when
-- its text changes, every projection is dropped and rebuilt by replaying the journal.
DROP TABLE IF EXISTS scenario;
DROP TABLE IF EXISTS places;
DROP TABLE IF EXISTS place_names;
DROP TABLE IF EXISTS claims;
DROP TABLE IF EXISTS claims_rtree;
DROP TABLE IF EXISTS claims_fts;
DROP TABLE IF EXISTS submitter_keys;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS tokens;

CREATE TABLE scenario (
    one  INTEGER PRIMARY KEY CHECK (one = 1),
    seq  INTEGER NOT NULL,
    body TEXT    NOT NULL
) STRICT;

CREATE TABLE places (
    id   TEXT PRIMARY KEY,
    body TEXT NOT NULL
) STRICT;

CREATE TABLE place_names (
    place_id  TEXT    NOT NULL,
    lang      TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    norm      TEXT    NOT NULL,   -- text::fold(name)
    preferred INTEGER NOT NULL
) STRICT;
CREATE INDEX place_names_norm ON place_names (norm);

-- Filter columns only: a claim's id, time of receipt, actor and body are the journal
-- entry's (claims.seq = journal.seq), and its view is built from them when read.
CREATE TABLE claims (
    seq           INTEGER PRIMARY KEY,   -- journal seq of the submission
    org           TEXT,                  -- the submitting user's organisation (none for system/demo loads)
    claimant      TEXT    NOT NULL,
    accused       TEXT,
    event_type    TEXT    NOT NULL,
    occurred_from INTEGER NOT NULL,      -- ms UTC
    occurred_to   INTEGER NOT NULL,
    min_lon       REAL,                  -- exact bounding box of the location, if any
    min_lat       REAL,
    max_lon       REAL,
    max_lat       REAL
) STRICT;
-- Lists are read newest first by seq; party and type filters match large shares of the
-- claims, so they are checked while walking seq rather than through their own indexes.
CREATE INDEX claims_occurred ON claims (occurred_from);

-- Space and time: lon, lat and hours since the epoch. R*Tree stores 32-bit floats and
-- rounds outwards, so it over-selects; exact time bounds are checked on claims.
CREATE VIRTUAL TABLE claims_rtree USING rtree (seq, min_lon, max_lon, min_lat, max_lat, min_t, max_t);

-- Terms are normalised and stemmed in Rust (truce_core::text) before they reach FTS5.
CREATE VIRTUAL TABLE claims_fts USING fts5 (terms, content = '', tokenize = 'unicode61 remove_diacritics 0');

-- Submitters' registered signing keys (C2SP verifier keys), by name and key ID.
CREATE TABLE submitter_keys (
    name   TEXT    NOT NULL,
    key_id INTEGER NOT NULL,
    party  TEXT    NOT NULL,
    vkey   TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (name, key_id)
) STRICT;

-- Users: the newest state of each account. The password is only its argon2id PHC string.
CREATE TABLE users (
    name          TEXT    PRIMARY KEY,
    org           TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    seq           INTEGER NOT NULL   -- the user.added entry
) STRICT;

-- API tokens, by the SHA-256 of the token (the token itself is never stored).
CREATE TABLE tokens (
    id         TEXT    PRIMARY KEY,
    user       TEXT    NOT NULL,
    label      TEXT    NOT NULL,
    sha256     TEXT    NOT NULL UNIQUE,
    expires_at INTEGER NOT NULL,     -- ms UTC
    revoked    INTEGER NOT NULL DEFAULT 0,
    seq        INTEGER NOT NULL      -- the token.issued entry
) STRICT;
