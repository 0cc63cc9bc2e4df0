//! Rebuilding the projections from the journal gives the same answers to every query.

mod common;

use common::{TestApp, claim};
use serde_json::{Value, json};

fn answers(app: &TestApp) -> Vec<Value> {
    let queries: Vec<Vec<(&str, &str)>> = vec![
        vec![("limit", "500")],
        vec![("limit", "4")],
        vec![("bbox", "45.0,39.0,47.0,40.5")],
        vec![("from", "2021-11-01"), ("to", "2021-11-30")],
        vec![("bbox", "45.5,39.3,46.5,40.0"), ("from", "2021-01-01"), ("to", "2022-12-31")],
        vec![("type", "shelling,armed_clash")],
        vec![("claimant", "ARM")],
        vec![("accused", "AZE")],
        vec![("q", "اشتباكات")],
        vec![("q", "обстрел")],
        vec![("q", "shelling")],
    ];
    let mut out = Vec::new();
    for q in &queries {
        let a = app.get("/api/v1/claims", q);
        assert_eq!(a.status, 200, "{q:?}");
        out.push(a.body);
    }
    for id in app.claim_ids(&[("limit", "500")]) {
        out.push(app.get(&format!("/api/v1/claims/{id}"), &[]).body);
    }
    for q in ["Lachin", "Лачин", "لاتشين", "Kilisali", "Shusha"] {
        out.push(app.get("/api/v1/places", &[("q", q)]).body);
    }
    out.push(app.get("/api/v1/scenario", &[]).body);
    out
}

#[test]
fn rebuilt_projections_answer_every_query_identically() {
    let app = TestApp::spawn_demo();
    let mut ru = claim();
    ru["narrative"] = json!({"lang": "ru", "text": "Обстрел позиций у Сотка."});
    assert_eq!(app.post_claim(&ru).status, 201);
    let before = answers(&app);
    assert!(before[0]["items"].as_array().map(Vec::len).unwrap_or(0) > 20);

    let replayed = app.store.rebuild_blocking().expect("rebuild");
    assert_eq!(replayed, app.journal_len());
    let after = answers(&app);
    assert_eq!(before, after);
}

#[test]
fn truce_rebuild_command_replays_the_journal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("truce.db");
    let scenario = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/nagorno-karabakh-2020");
    let bin = env!("CARGO_BIN_EXE_truce");
    let init = std::process::Command::new(bin)
        .args(["init", "--with-demo-claims", "--scenario"])
        .arg(&scenario)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("init");
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let out = std::process::Command::new(bin).args(["rebuild", "--db"]).arg(&db).output().expect("rebuild");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    // The scenario, and each demo claim with the entry that placed it in an incident.
    let n = truce::bundle::demo_claims().len() * 2 + 1;
    assert!(text.contains(&format!("from {n} journal entries")), "{text}");
}
