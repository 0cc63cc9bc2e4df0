-- Projections: query tables derived from the journal. This file is applied whole; when
-- its text changes, every projection is dropped and rebuilt by replaying the journal.
DROP TABLE IF EXISTS scenario;
DROP TABLE IF EXISTS places;
DROP TABLE IF EXISTS place_names;
DROP TABLE IF EXISTS claims;
DROP TABLE IF EXISTS claims_rtree;
DROP TABLE IF EXISTS claims_fts;

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

CREATE TABLE claims (
    seq           INTEGER PRIMARY KEY,   -- journal seq of the submission
    id            TEXT    NOT NULL UNIQUE,
    claimant      TEXT    NOT NULL,
    accused       TEXT,
    event_type    TEXT    NOT NULL,
    occurred_from INTEGER NOT NULL,      -- ms UTC
    occurred_to   INTEGER NOT NULL,
    received_at   INTEGER NOT NULL,
    body          TEXT    NOT NULL       -- the Claim as served
) STRICT;
CREATE INDEX claims_claimant ON claims (claimant);
CREATE INDEX claims_accused ON claims (accused);
CREATE INDEX claims_event_type ON claims (event_type);
CREATE INDEX claims_occurred ON claims (occurred_from, occurred_to);

-- Space and time: lon, lat and hours since the epoch. R*Tree stores 32-bit floats and
-- rounds outwards, so it over-selects; exact time bounds are checked on claims.
CREATE VIRTUAL TABLE claims_rtree USING rtree (seq, min_lon, max_lon, min_lat, max_lat, min_t, max_t);

-- Terms are normalised and stemmed in Rust (truce_core::text) before they reach FTS5.
CREATE VIRTUAL TABLE claims_fts USING fts5 (terms, content = '', tokenize = 'unicode61 remove_diacritics 0');
