//! Durability: a claim answered 201 survives SIGKILL of the server.

mod common;

use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use truce::client::Client;

const BIN: &str = env!("CARGO_BIN_EXE_truce");

fn scenario_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/nagorno-karabakh-2020")
}

fn serve(db: &std::path::Path) -> (Child, String) {
    common::spawn_truce(&["serve", "--listen", "127.0.0.1:0", "--db", &db.to_string_lossy()])
}

#[test]
fn every_claim_answered_201_survives_sigkill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("truce.db");
    let out =
        Command::new(BIN).args(["init", "--scenario"]).arg(scenario_dir()).arg("--db").arg(&db).output().expect("init");
    assert!(out.status.success(), "init: {}", String::from_utf8_lossy(&out.stderr));
    let token = common::cli_token(&db, "test.monitor", "JMC", "monitor");

    let (mut child, url) = serve(&db);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let body = common::claim().to_string();
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (acknowledged, stop, url, body) = (acknowledged.clone(), stop.clone(), url.clone(), body.clone());
            let token = token.clone();
            std::thread::spawn(move || {
                let client = Client::new(&url).with_token(Some(token));
                while !stop.load(Ordering::Relaxed) {
                    match client.post_raw("/api/v1/claims", &body) {
                        Ok(a) if a.status == 201 => {
                            let id = a.body["id"].as_str().expect("id").to_owned();
                            acknowledged.lock().expect("lock").push(id);
                        }
                        Ok(a) => panic!("unexpected answer {}: {:?}", a.status, a.body),
                        Err(_) => break, // the server is gone
                    }
                }
            })
        })
        .collect();

    let started = Instant::now();
    while acknowledged.lock().expect("lock").len() < 300 && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL the server");
    child.wait().expect("reap");
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writer thread");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= 300, "only {} claims were acknowledged", acknowledged.len());

    let (mut child, url) = serve(&db);
    let client = Client::new(&url).with_token(Some(token));
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|id| client.get(&format!("/api/v1/claims/{id}"), &[]).expect("answer").status != 200)
        .collect();
    child.kill().expect("stop");
    child.wait().expect("reap");
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged claims were lost: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
}
