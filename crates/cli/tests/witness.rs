//! Witnesses over HTTP: the C2SP tlog-witness session vectors against `truce witness serve`,
//! and a log that gathers 2-of-3 cosignatures whose tlog-proof verifies offline.

mod common;

use std::process::Command;

use serde_json::Value;
use truce::client::Client;

const BIN: &str = env!("CARGO_BIN_EXE_truce");

fn truce(args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN).args(args).output().expect("run truce");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn witness_args<'a>(key: &'a std::path::Path, state: &'a std::path::Path, log: &'a str) -> Vec<&'a str> {
    let (key, state) = (key.to_str().expect("utf-8 path"), state.to_str().expect("utf-8 path"));
    vec!["witness", "serve", "--key", key, "--state", state, "--listen", "127.0.0.1:0", "--log", log]
}

fn spawn_witness(key: &std::path::Path, state: &std::path::Path, log: &str) -> (std::process::Child, String) {
    common::spawn_truce(&witness_args(key, state, log))
}

#[test]
fn witness_server_answers_the_tlog_witness_session_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testvectors/tlog/tlog-witness-add-checkpoint-vectors.json"
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(path).expect("vectors")).expect("json");
    let dir = tempfile::tempdir().expect("dir");
    let key = dir.path().join("w.key");
    let (ok, out) = truce(&[
        "witness",
        "key",
        "--name",
        doc["witness_name"].as_str().expect("name"),
        "--out",
        key.to_str().expect("p"),
    ]);
    assert!(ok, "{out}");
    let state = dir.path().join("state");
    let (child, url) = spawn_witness(&key, &state, doc["log_vkey"].as_str().expect("vkey"));
    let _child = Kill(child);
    // A second witness on the same state would let one key cosign both sides of a fork.
    let (ok, out) = truce(&witness_args(&key, &state, doc["log_vkey"].as_str().expect("vkey")));
    assert!(!ok && out.contains("in use by another witness"), "{out}");
    let client = Client::new(&url);
    for (i, step) in doc["steps"].as_array().expect("steps").iter().enumerate() {
        let (status, body) =
            client.post_text("/add-checkpoint", step["request_body"].as_str().expect("body")).expect("answer");
        assert_eq!(u64::from(status), step["want_status"].as_u64().expect("status"), "step {i}: {body}");
        if let Some(want) = step["want_body"].as_str() {
            assert_eq!(body, want, "step {i}");
        }
        if status == 200 {
            assert!(
                body.starts_with(&format!("\u{2014} {} ", doc["witness_name"].as_str().expect("n"))),
                "step {i}: {body}"
            );
        }
    }
    // The state survives a restart: the witness still holds size 5 and refuses to go back.
    drop(_child);
    let (child, url) = spawn_witness(&key, &state, doc["log_vkey"].as_str().expect("vkey"));
    let _child = Kill(child);
    let last = doc["steps"].as_array().expect("steps").last().expect("step");
    let (status, body) =
        Client::new(&url).post_text("/add-checkpoint", last["request_body"].as_str().expect("b")).expect("answer");
    assert_eq!((status, body.as_str()), (409, "5\n"));
    let history = std::fs::read_dir(&state)
        .expect("state")
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "cosigned"))
        .expect("history file");
    let text = std::fs::read_to_string(history.path()).expect("read");
    assert_eq!(text.matches("\u{2014} example.com/witness ").count(), 3, "every cosigned checkpoint is kept:\n{text}");
}

#[test]
fn a_log_gathers_two_of_three_cosignatures_and_its_proofs_verify_offline() {
    let dir = tempfile::tempdir().expect("dir");
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/nagorno-karabakh-2020");
    let (ok, out) = truce(&["init", "--scenario", scenario, "--db", &p("log.db"), "--with-demo-claims"]);
    assert!(ok, "{out}");
    let (ok, log_vkey) = truce(&["log", "key", "--db", &p("log.db")]);
    assert!(ok);
    let log_vkey = log_vkey.trim().to_string();
    let mut witnesses = Vec::new();
    let mut policy = format!("log {log_vkey}\n");
    for name in ["arm", "aze", "jmc"] {
        let (ok, vkey) = truce(&[
            "witness",
            "key",
            "--name",
            &format!("witness.{name}.example"),
            "--out",
            &p(&format!("{name}.key")),
        ]);
        assert!(ok, "{vkey}");
        let (child, url) = common::spawn_truce(&[
            "witness",
            "serve",
            "--key",
            &p(&format!("{name}.key")),
            "--state",
            &p(&format!("{name}-state")),
            "--listen",
            "127.0.0.1:0",
            "--log",
            &log_vkey,
        ]);
        policy.push_str(&format!("witness {name} {} {url}\n", vkey.trim()));
        witnesses.push(Kill(child));
    }
    policy.push_str("group parties 2 arm aze jmc\nquorum parties\n");
    std::fs::write(p("policy"), &policy).expect("policy");
    // The joint center's witness is down: two of three still make the quorum.
    witnesses.pop();
    // A monitor may read the demo claim whose proof is made below.
    let token = common::cli_token(std::path::Path::new(&p("log.db")), "test.monitor", "JMC", "monitor");
    let (child, url) =
        common::spawn_truce(&["serve", "--db", &p("log.db"), "--listen", "127.0.0.1:0", "--witnesses", &p("policy")]);
    let _server = Kill(child);
    let client = Client::new(&url);
    let mut info = Value::Null;
    for _ in 0..100 {
        info = client.get("/api/v1/log", &[]).expect("log").body;
        if info["checkpoint"]["cosigned_by"].as_array().is_some_and(|c| c.len() == 2) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let cp = &info["checkpoint"];
    assert_eq!(cp["cosigned_by"], serde_json::json!(["arm", "aze"]), "{info}");
    assert_eq!(cp["quorum_met"], true, "{info}");
    assert_eq!(cp["witnesses"], serde_json::json!(["arm", "aze", "jmc"]));

    let (ok, out) = truce(&["proof", "3", "--server", &url, "--token", &token, "-o", &p("3.tlog-proof")]);
    assert!(ok, "{out}");
    let (ok, out) = truce(&["verify", "--proof", &p("3.tlog-proof"), "--policy", &p("policy")]);
    assert!(ok && out.contains("cosigned by arm, aze"), "{out}");
    // A policy that needs all three is not met by this proof.
    std::fs::write(p("strict"), policy.replace("group parties 2", "group parties all")).expect("policy");
    let (ok, out) = truce(&["verify", "--proof", &p("3.tlog-proof"), "--policy", &p("strict")]);
    assert!(!ok && out.contains("quorum"), "{out}");
}
