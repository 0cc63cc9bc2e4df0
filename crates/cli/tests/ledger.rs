//! The ledger end to end: `truce verify` against a live demo and against database copies
//! tampered with in each way it must catch, naming the first bad sequence number.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::{Connection, params};
use truce_ledger::SigningKeyPair;
use truce_store::{Store, StoreOptions};

const BIN: &str = env!("CARGO_BIN_EXE_truce");

fn truce(args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN).args(args).output().expect("run truce");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// A database of a few hundred entries (so the tree has level-1 tiles), with checkpoints
/// saved at 250 and 251 entries, closed. Returns (dir, db, verifier key, checkpoint files).
struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    key: SigningKeyPair,
    vkey: String,
    cp250: PathBuf,
    cp251: PathBuf,
}

/// Without incident matching: every entry after the scenario is then a claim, which the
/// tampering below relies on.
fn open(db: &Path, key: &SigningKeyPair) -> Store {
    let options = StoreOptions { log_key: Some(key.clone()), match_incidents: false, ..StoreOptions::default() };
    Store::open_with(db, options).expect("open")
}

fn save_checkpoint(store: &Store, path: &Path) {
    let size = store.checkpoint_blocking().expect("checkpoint");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let cp = rt.block_on(store.log_checkpoint(Some(size))).expect("read").expect("stored");
    std::fs::write(path, cp.cosigned_note()).expect("write checkpoint");
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("log.db");
    let key = SigningKeyPair::generate("truce/test-log").expect("key");
    let store = open(&db, &key);
    truce::bundle::init(&store, truce::bundle::scenario().expect("scenario")).expect("init");
    let claims = truce::bundle::demo_claims();
    let (cp250, cp251) = (dir.path().join("cp250.txt"), dir.path().join("cp251.txt"));
    while truce_len(&store) < 250 {
        let missing = (250 - truce_len(&store)) as usize;
        truce::bundle::load_claims(&store, &claims[..missing.min(claims.len())]).expect("claims");
    }
    save_checkpoint(&store, &cp250);
    truce::bundle::load_claims(&store, &claims[..1]).expect("claim");
    save_checkpoint(&store, &cp251);
    for _ in 0..4 {
        truce::bundle::load_claims(&store, &claims).expect("claims");
    }
    store.checkpoint_blocking().expect("checkpoint");
    store.close().expect("close");
    let vkey = key.note_verifier().to_string();
    Fixture { _dir: dir, db, key, vkey, cp250, cp251 }
}

fn truce_len(store: &Store) -> u64 {
    store.journal_len_blocking().expect("len")
}

fn copy(f: &Fixture, name: &str) -> PathBuf {
    let to = f.db.with_file_name(name);
    std::fs::copy(&f.db, &to).expect("copy db");
    to
}

fn verify(db: &Path, f: &Fixture, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["verify", "--db", db.to_str().expect("utf-8"), "--key", &f.vkey];
    args.extend_from_slice(extra);
    truce(&args)
}

fn assert_fails_at(db: &Path, f: &Fixture, seq: u64, extra: &[&str]) {
    let (ok, out) = verify(db, f, extra);
    assert!(!ok, "verify passed a tampered log:\n{out}");
    assert!(out.contains(&format!("verification failed at seq {seq}:")), "expected failure at seq {seq}:\n{out}");
}

fn sql(db: &Path, statements: &str) {
    Connection::open(db).expect("open copy").execute_batch(statements).expect("tamper");
}

#[test]
fn tampering_is_caught_at_the_first_bad_sequence_number() {
    let f = fixture();
    let (ok, out) = verify(&f.db, &f, &["--checkpoint", f.cp250.to_str().expect("p"), "--seq", "17"]);
    assert!(ok, "an untouched log verifies:\n{out}");
    let n: i64 =
        Connection::open(&f.db).expect("db").query_row("SELECT count(*) FROM journal", [], |r| r.get(0)).expect("n");
    assert!(n > 256 && out.contains(&format!("audit: {n} entries")), "{out}");
    assert!(out.contains("inclusion: entry 17") && out.contains("consistency: the log extends"), "{out}");

    // One byte of a stored payload.
    let db = copy(&f, "payload.db");
    sql(
        &db,
        "UPDATE journal SET payload = CAST(replace(CAST(payload AS TEXT), '\"claimant\":\"', '\"claimant\":\"X') AS BLOB) WHERE seq = 100",
    );
    assert_fails_at(&db, &f, 100, &[]);

    // One byte of a stored header field.
    let db = copy(&f, "header.db");
    sql(&db, "UPDATE journal SET actor = 'demO' WHERE seq = 150");
    assert_fails_at(&db, &f, 150, &[]);

    // An entry deleted.
    let db = copy(&f, "deleted.db");
    sql(&db, "DELETE FROM journal WHERE seq = 200");
    assert_fails_at(&db, &f, 200, &[]);

    // Two entries swapped.
    let db = copy(&f, "swapped.db");
    sql(
        &db,
        "CREATE TEMP TABLE a AS SELECT * FROM journal WHERE seq = 120;
         CREATE TEMP TABLE b AS SELECT * FROM journal WHERE seq = 121;
         DELETE FROM journal WHERE seq IN (120, 121);
         INSERT INTO journal SELECT 121, id, kind, actor, received_at, payload, payload_sha256 FROM a;
         INSERT INTO journal SELECT 120, id, kind, actor, received_at, payload, payload_sha256 FROM b;",
    );
    assert_fails_at(&db, &f, 120, &[]);

    // A stored tree hash: leaf hash 77 of the first level-0 tile, and hash 10 of the second.
    for (pos, tile, seq) in [(77u64, 0i64, 77u64), (10, 1, 266)] {
        let db = copy(&f, &format!("tile{tile}.db"));
        let conn = Connection::open(&db).expect("open");
        let mut data: Vec<u8> = conn
            .query_row("SELECT data FROM log_tiles WHERE level = 0 AND idx = ?1", [tile], |r| r.get(0))
            .expect("tile");
        data[(pos * 32 + 5) as usize] ^= 0x01;
        conn.execute("UPDATE log_tiles SET data = ?1 WHERE level = 0 AND idx = ?2", params![data, tile])
            .expect("tamper");
        drop(conn);
        assert_fails_at(&db, &f, seq, &[]);
    }

    // A level-1 tree hash (the root of entries 0..255).
    let db = copy(&f, "level1.db");
    sql(&db, "UPDATE log_tiles SET data = CAST(zeroblob(32) || substr(data, 33) AS BLOB) WHERE level = 1 AND idx = 0");
    assert_fails_at(&db, &f, 0, &[]);
}

#[test]
fn a_log_truncated_and_regrown_differently_is_a_fork() {
    let f = fixture();
    // Cutting the journal under the log's tiles and checkpoints: the store refuses to open.
    let cut = copy(&f, "cut.db");
    sql(&cut, "DELETE FROM journal WHERE seq >= 250;");
    let err = Store::open_with(&cut, StoreOptions { log_key: Some(f.key.clone()), ..StoreOptions::default() })
        .expect_err("a cut-back journal is refused");
    assert!(err.to_string().contains("refusing to open"), "{err}");

    let db = copy(&f, "fork.db");
    // Whoever holds the server and its key cuts the log at 250 and grows it again.
    sql(
        &db,
        "DELETE FROM journal WHERE seq >= 250; DELETE FROM log_tiles; DELETE FROM log_cosignatures;
         DELETE FROM log_checkpoints; DELETE FROM meta WHERE key = 'projections_checksum';",
    );
    let store = open(&db, &f.key);
    let claims = truce::bundle::demo_claims();
    truce::bundle::load_claims(&store, &claims[5..]).expect("different claims");
    store.checkpoint_blocking().expect("checkpoint");
    store.close().expect("close");

    let (ok, out) = verify(&db, &f, &[]);
    assert!(ok, "on its own the re-grown log is internally consistent:\n{out}");
    let cps = ["--checkpoint", f.cp250.to_str().expect("p"), "--checkpoint", f.cp251.to_str().expect("p")];
    assert_fails_at(&db, &f, 250, &cps);
    let (_, out) = verify(&db, &f, &cps);
    assert!(out.contains("fork"), "{out}");
    // Proofs alone (no audit) catch it too.
    let (ok, out) = verify(&db, &f, &["--no-audit", "--checkpoint", f.cp251.to_str().expect("p")]);
    assert!(!ok && out.contains("fork"), "{out}");
}

#[test]
fn verify_runs_against_a_live_demo_and_its_stopped_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    let db_s = db.to_str().expect("utf-8");
    let (mut child, url, lines) = common::spawn_truce_lines(&["demo", "--listen", "127.0.0.1:0", "--db", db_s]);
    let token = common::demo_token(&lines, "jmc.monitor");
    let (ok, vkey) = truce(&["log", "key", "--db", db_s]);
    assert!(ok, "{vkey}");
    let vkey = vkey.trim().to_string();
    // The first demo claim's entry (the demo's accounts and their tokens come before it).
    let first = {
        let c = truce::client::Client::new(&url).with_token(Some(token.clone()));
        let page = c.get("/api/v1/claims", &[("limit", "500".into())]).expect("claims");
        page.body["items"].as_array().expect("items").iter().filter_map(|c| c["seq"].as_u64()).min().expect("a claim")
    };
    let first_s = first.to_string();
    let mut live = (false, String::new());
    for _ in 0..40 {
        live = truce(&["verify", "--server", &url, "--token", &token, "--key", &vkey, "--seq", &first_s]);
        if live.0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(live.0, "verify against the live demo:\n{}", live.1);
    assert!(live.1.contains(&format!("inclusion: entry {first}")), "{}", live.1);
    // Without a token the full audit is refused: entry headers are the mission's to read.
    let public = truce(&["verify", "--server", &url, "--key", &vkey]);
    assert!(!public.0 && public.1.contains("401"), "{}", public.1);

    // The scenario's witnesses (ARM, AZE, JMC; 2 must cosign) run in the demo and cosign.
    let client = truce::client::Client::new(&url).with_token(Some(token.clone()));
    let mut info = serde_json::Value::Null;
    for _ in 0..100 {
        info = client.get("/api/v1/log", &[]).expect("log").body;
        // Cosigned by all three, and covering everything the demo wrote at start.
        if info["checkpoint"]["cosigned_by"].as_array().is_some_and(|c| c.len() == 3)
            && info["checkpoint"]["size"] == info["entries"]
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(info["checkpoint"]["cosigned_by"], serde_json::json!(["ARM", "AZE", "JMC"]), "{info}");
    assert_eq!(info["checkpoint"]["quorum_met"], true);
    let page = String::from_utf8(client.get_bytes("/api/v1").expect("index").expect("page")).expect("utf-8");
    assert!(page.contains("Cosigned by ARM, AZE, JMC of the witnesses ARM, AZE, JMC; quorum met."), "{page}");

    // A new entry is covered by a signed checkpoint within a second.
    let before = info["checkpoint"]["size"].as_u64().expect("size");
    let posted = client.post_raw("/api/v1/claims", &common::claim().to_string()).expect("post");
    assert_eq!(posted.status, 201);
    let started = std::time::Instant::now();
    let mut size = before;
    while started.elapsed() < std::time::Duration::from_millis(1000) && size < before + 2 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        size = client.get("/api/v1/log", &[]).expect("log").body["checkpoint"]["size"].as_u64().expect("size");
    }
    // The claim and the entry placing it in an incident.
    assert_eq!(size, before + 2, "checkpoint signed {:?} after the entry", started.elapsed());
    // The witnesses cosign it too (a proof is made from the newest checkpoint below).
    for _ in 0..100 {
        let cp = client.get("/api/v1/log", &[]).expect("log").body["checkpoint"].clone();
        if cp["cosigned_by"].as_array().is_some_and(|c| c.len() == 3) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    let proof = dir.path().join("claim.tlog-proof");
    let (ok, out) = truce(&["proof", &first_s, "--server", &url, "--token", &token, "-o", proof.to_str().expect("p")]);
    assert!(ok, "{out}");
    child.kill().expect("stop");
    child.wait().expect("reap");

    let (ok, out) = truce(&["verify", "--db", db_s, "--key", &vkey]);
    assert!(ok, "verify against the stopped database:\n{out}");
    let policy = dir.path().join("demo.db.policy");
    let (ok, out) = truce(&["verify", "--proof", proof.to_str().expect("p"), "--policy", policy.to_str().expect("p")]);
    assert!(
        ok && out.contains(&format!("proof OK: entry {first}")) && out.contains("cosigned by ARM, AZE, JMC"),
        "{out}"
    );
    let other = SigningKeyPair::generate("truce/nagorno-karabakh-2020").expect("key").note_verifier().to_string();
    let (ok, out) = truce(&["verify", "--db", db_s, "--key", &other]);
    assert!(!ok && out.contains("does not verify"), "a checkpoint under another key is refused:\n{out}");
}
