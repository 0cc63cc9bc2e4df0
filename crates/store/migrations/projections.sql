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
DROP TABLE IF EXISTS incidents;
DROP TABLE IF EXISTS incidents_rtree;
DROP TABLE IF EXISTS incidents_area;
DROP TABLE IF EXISTS incident_claims;
DROP TABLE IF EXISTS incident_history;
DROP TABLE IF EXISTS endorsements;
DROP TABLE IF EXISTS source_grades;
DROP TABLE IF EXISTS records;
DROP TABLE IF EXISTS record_links;
DROP TABLE IF EXISTS articles;
DROP TABLE IF EXISTS drafts;

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
    max_lat       REAL,
    radius_m      REAL    NOT NULL       -- the location's uncertainty (100 km when none is given)
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

-- Incidents: the mission's records. rid keys the R*Tree; id is the public ULID.
CREATE TABLE incidents (
    rid           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    state         TEXT    NOT NULL,
    public        INTEGER NOT NULL DEFAULT 0,  -- published, disputed or reopened
    version       INTEGER NOT NULL,            -- +1 with every change, for optimistic concurrency
    state_since   INTEGER NOT NULL,            -- ms UTC
    opened_seq    INTEGER NOT NULL,
    merged_into   TEXT,
    -- Where and when its claims together say it happened:
    min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
    radius_m      REAL    NOT NULL,
    occurred_from INTEGER NOT NULL,
    occurred_to   INTEGER NOT NULL,
    event_types   TEXT    NOT NULL,            -- comma-separated ids
    claimants     TEXT    NOT NULL,
    accused       TEXT    NOT NULL,
    -- What matching compares place and time with: the first claim's (so a chain of claims
    -- each near the last cannot grow one incident over a region and a season).
    a_min_lon REAL, a_min_lat REAL, a_max_lon REAL, a_max_lat REAL,
    a_radius_m    REAL    NOT NULL DEFAULT 0,
    a_from        INTEGER NOT NULL DEFAULT 0,
    a_to          INTEGER NOT NULL DEFAULT 0,
    -- The current finding:
    round         INTEGER NOT NULL DEFAULT 0,  -- findings proposed so far
    finding       TEXT,                        -- JSON
    finding_by    TEXT,
    finding_seq   INTEGER,
    occurrence    TEXT,
    attribution   TEXT                         -- party id or the attribution's kind
) STRICT;
CREATE INDEX incidents_state ON incidents (state, state_since);
CREATE INDEX incidents_occurred ON incidents (occurred_from);
-- Matching reads the anchor columns (a_*) of live incidents through an index the store
-- keeps in memory (src/sqlite/anchors.rs); it was an R*Tree here before, and the DROP
-- above removes that from older databases.
-- For lists: the box and the time (hours since the epoch) all the incident's claims cover.
-- Time is an axis so that a list by place and dates reads only that period, and so that new
-- incidents, which are mostly recent, are inserted near each other.
-- An incident a placement opens has no entry here until its claims change: its box and time
-- are then its one claim's, and lists find it through claims_rtree.
CREATE VIRTUAL TABLE incidents_area USING rtree (rid, min_lon, max_lon, min_lat, max_lat, min_t, max_t);

-- Which incident each claim is in, and how it got there.
CREATE TABLE incident_claims (
    claim_seq   INTEGER PRIMARY KEY,
    incident    TEXT    NOT NULL,
    auto        INTEGER NOT NULL,   -- attached by matching without a monitor
    score       REAL,
    explanation TEXT,
    seq         INTEGER NOT NULL    -- the entry that put it there
) STRICT;
CREATE INDEX incident_claims_incident ON incident_claims (incident);

-- The journal entries that concern each incident besides the one that opened it
-- (incidents.opened_seq): its history.
CREATE TABLE incident_history (
    incident TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (incident, seq)
) STRICT, WITHOUT ROWID;

-- Endorsements and dissents of the joint body, per finding round.
CREATE TABLE endorsements (
    incident TEXT    NOT NULL,
    round    INTEGER NOT NULL,
    member   TEXT    NOT NULL,
    grp      TEXT    NOT NULL,
    endorse  INTEGER NOT NULL,
    reasons  TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (incident, round, member)
) STRICT;

-- Admiralty grades of claims' sources (the newest per claim).
CREATE TABLE source_grades (
    claim_seq   INTEGER PRIMARY KEY,
    reliability TEXT    NOT NULL,
    credibility INTEGER NOT NULL,
    note        TEXT    NOT NULL,
    by          TEXT    NOT NULL,
    seq         INTEGER NOT NULL
) STRICT;

-- Provision records (truce_core::provisions): filter columns only; the record is its
-- journal entry's payload (records.seq = journal.seq, records.id = journal.id).
CREATE TABLE records (
    seq       INTEGER PRIMARY KEY,
    id        TEXT    NOT NULL UNIQUE,
    kind      TEXT    NOT NULL,
    provision TEXT,
    party     TEXT,                -- the party it is about (holder, restricting or closing party)
    at_from   INTEGER NOT NULL,    -- ms UTC
    at_to     INTEGER NOT NULL,    -- ms UTC; the largest integer while open (a post, a closure)
    min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL
) STRICT;
CREATE INDEX records_kind ON records (kind, seq);
CREATE INDEX records_provision ON records (provision, seq);

-- Claims and incidents linked to records, at creation or later.
CREATE TABLE record_links (
    record_seq INTEGER NOT NULL,
    target     TEXT    NOT NULL,   -- claim or incident
    id         TEXT    NOT NULL,
    seq        INTEGER NOT NULL,   -- the entry that made the link
    PRIMARY KEY (record_seq, target, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX record_links_id ON record_links (id);

-- Articles read by the news intake (truce_core::intake): the text is the journal entry's
-- payload (articles.seq = journal.seq, articles.id = journal.id).
CREATE TABLE articles (
    seq       INTEGER PRIMARY KEY,
    id        TEXT    NOT NULL UNIQUE,
    sha256    TEXT    NOT NULL,
    url       TEXT,
    source    TEXT,
    lang      TEXT    NOT NULL,
    published TEXT,
    drafts    INTEGER NOT NULL
) STRICT;
CREATE INDEX articles_sha256 ON articles (sha256);

-- Each draft of an article, and what a monitor made of it: pending, accepted (as the
-- claim claim_seq) or rejected (with a reason).
CREATE TABLE drafts (
    article_seq INTEGER NOT NULL,
    idx         INTEGER NOT NULL,
    body        TEXT    NOT NULL,   -- the draft as the intake made it (JSON)
    event_type  TEXT,               -- its first event type, for grouping
    day         TEXT,               -- its date, for grouping
    status      TEXT    NOT NULL,   -- pending, accepted, rejected
    claim_seq   INTEGER,
    reason      TEXT,
    decided_seq INTEGER,
    PRIMARY KEY (article_seq, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX drafts_status ON drafts (status, article_seq);
