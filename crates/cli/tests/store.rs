//! The store directly: sequence numbers, conflicts, canonical payloads, rebuild on a changed
//! projection schema.

use truce_core::claims::{ClaimFilter, ClaimInput};
use truce_core::journal::{Actor, Command, sha256};
use truce_store::{Store, StoreError};

fn claim_command(store: &Store, i: usize) -> Command {
    let mut c = serde_json::json!({
        "claimant": "ARM",
        "source": {"kind": "party_report", "name": "Liaison"},
        "accused": "AZE",
        "event_type": "shelling",
        "occurred": {"from": "2021-06-01", "precision": "day"},
        "location": {"place": "lachin"},
        "narrative": {"lang": "en", "text": "Shelling"}
    });
    c["narrative"]["text"] = serde_json::json!(format!("Shelling number {i}"));
    let input: ClaimInput = serde_json::from_value(c).expect("shape");
    Command::SubmitClaim(Box::new(input.validate(&store.scenario().expect("scenario")).expect("valid")))
}

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("t.db")).expect("open");
    (dir, store)
}

#[test]
fn a_second_writer_on_the_same_database_is_refused() {
    let (dir, store) = fresh();
    let second = Store::open(dir.path().join("t.db"));
    assert!(matches!(second, Err(StoreError::Locked(_))), "{second:?}");
    store.close().expect("close");
    Store::open(dir.path().join("t.db")).expect("free again once closed").close().expect("close");
}

#[test]
fn a_claim_before_the_scenario_is_refused_and_nothing_written() {
    let (dir, store) = fresh();
    store.close().expect("close");
    // Build a command against the bundled scenario, then offer it to an empty store.
    let (_d2, loaded) = fresh();
    truce::bundle::init(&loaded, truce::bundle::scenario().expect("scenario")).expect("init");
    let cmd = claim_command(&loaded, 0);
    let empty = Store::open(dir.path().join("t.db")).expect("open");
    assert!(matches!(empty.execute_blocking(Actor::anonymous(), cmd), Err(StoreError::NotInitialised)));
    assert_eq!(empty.journal_len_blocking().expect("len"), 0);
}

#[test]
fn a_second_scenario_is_a_conflict() {
    let (_dir, store) = fresh();
    truce::bundle::init(&store, truce::bundle::scenario().expect("scenario")).expect("init");
    let again = store.execute_blocking(
        Actor::system(),
        Command::LoadScenario(Box::new(truce::bundle::scenario().expect("scenario"))),
    );
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(store.journal_len_blocking().expect("len"), 1);
}

#[test]
fn concurrent_writers_get_gapless_sequence_numbers_and_canonical_payloads() {
    let (_dir, store) = fresh();
    truce::bundle::init(&store, truce::bundle::scenario().expect("scenario")).expect("init");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let mut seqs: Vec<u64> = rt.block_on(async {
        let tasks: Vec<_> = (0..300)
            .map(|i| {
                let s = store.clone();
                let cmd = claim_command(&store, i);
                tokio::spawn(async move { s.execute(Actor::anonymous(), cmd).await.expect("append").seq })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    });
    // Each claim is followed by the entry that placed it in an incident.
    seqs.sort();
    assert_eq!(seqs, (0..300).map(|i| 1 + 2 * i).collect::<Vec<u64>>());

    let entries = rt.block_on(store.entries(0, 1000)).expect("entries");
    assert_eq!(entries.len(), 601);
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.seq, i as u64);
    }
    // The stored hash is the SHA-256 of the stored payload, and the payload is canonical.
    let conn = rusqlite_conn(store.path());
    let mut stmt = conn.prepare("SELECT kind, payload, payload_sha256 FROM journal").expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, Vec<u8>>(2)?)))
        .expect("query");
    for row in rows {
        let (kind, payload, digest) = row.expect("row");
        assert_eq!(sha256(&payload).to_vec(), digest);
        let again = Command::decode(&kind, &payload).expect("decodes").canonical_payload().expect("encodes");
        assert_eq!(again, payload, "the stored payload is its own canonical form");
    }
}

fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("open")
}

#[test]
fn a_changed_projection_schema_is_rebuilt_on_open_with_the_same_answers() {
    let (dir, store) = fresh();
    truce::bundle::init(&store, truce::bundle::scenario().expect("scenario")).expect("init");
    truce::bundle::load_claims(&store, &truce::bundle::demo_claims()).expect("demo");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let filter = ClaimFilter { limit: 500, visible: truce_core::claims::Visibility::All, ..Default::default() };
    let before: Vec<String> =
        rt.block_on(store.claims(filter.clone())).expect("list").items.iter().map(|r| r.get().to_owned()).collect();
    store.close().expect("close");
    let conn = rusqlite_conn(&dir.path().join("t.db"));
    conn.execute("UPDATE meta SET value = 'old' WHERE key = 'projections_checksum'", []).expect("tamper");
    conn.execute("DELETE FROM claims", []).expect("damage the projection");
    drop(conn);
    let store = Store::open(dir.path().join("t.db")).expect("reopen");
    let after: Vec<String> =
        rt.block_on(store.claims(filter)).expect("list").items.iter().map(|r| r.get().to_owned()).collect();
    assert_eq!(before.len(), truce::bundle::demo_claims().len());
    assert_eq!(before, after);
}
