//! Claims signed by their submitter: keys registered per party, signatures checked on
//! submission (bad ones refused with nothing written), kept in the entry, and provable later.

mod common;

use std::process::Command;

use serde_json::{Value, json};
use truce::client::Client;
use truce_core::claims::signing::sign_claim;
use truce_ledger::SigningKeyPair;

const BIN: &str = env!("CARGO_BIN_EXE_truce");

fn truce(args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN).args(args).output().expect("run truce");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn entries(c: &Client) -> u64 {
    c.get("/api/v1/health", &[]).expect("health").body["journal_entries"].as_u64().expect("count")
}

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["field"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn signed_claims_are_checked_kept_and_provable() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.db");
    let (mut child, url, lines) =
        common::spawn_truce_lines(&["demo", "--listen", "127.0.0.1:0", "--db", db.to_str().expect("p")]);
    // Armenia's liaison submits; the mission's admin registers keys for any organisation.
    let arm_token = common::demo_token(&lines, "arm.liaison");
    let admin_token = common::demo_token(&lines, "jmc.admin");
    let c = Client::new(&url).with_token(Some(arm_token.clone()));
    let admin = Client::new(&url).with_token(Some(admin_token.clone()));

    let arm = SigningKeyPair::generate("mod.am/liaison").expect("key");
    let aze = SigningKeyPair::generate("mod.gov.az/liaison").expect("key");
    let register = |party: &str, key: &str| {
        admin.post_raw("/api/v1/keys", &json!({"party": party, "key": key}).to_string()).expect("answer")
    };
    // A liaison registers keys for its own organisation only.
    let foreign =
        c.post_raw("/api/v1/keys", &json!({"party": "AZE", "key": aze.note_verifier().to_string()}).to_string());
    assert_eq!(foreign.expect("answer").status, 403);
    assert_eq!(register("ARM", &arm.note_verifier().to_string()).status, 201);
    assert_eq!(register("AZE", &aze.note_verifier().to_string()).status, 201);
    assert_eq!(register("ARM", &arm.note_verifier().to_string()).status, 409, "a key is registered once");
    let bad = register("XXX", "not-a-key");
    assert_eq!((bad.status, fields(&bad.body)), (422, vec!["party".to_string(), "key".to_string()]));
    let cosign_key = arm.cosignature_verifier().to_string();
    assert_eq!(fields(&register("ARM", &cosign_key).body), vec!["key".to_string()]);

    // With personal data, so the payload also holds the server's salt, which is not signed.
    let mut claim = common::claim();
    claim["persons"] = json!([{"name": "Signed Example", "role": "wounded", "party": "ARM"}]);
    assert_eq!(claim["claimant"], "ARM");
    let before = entries(&c);
    // Signed by the claimant's registered key: accepted, and the signature is kept.
    let signed = sign_claim(&claim, &arm).expect("sign");
    let ok = c.post_raw("/api/v1/claims", &signed.to_string()).expect("answer");
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.body["signature"]["key"], format!("{}+{:08x}", arm.name(), arm.note_verifier().key_id()));
    let seq = ok.body["seq"].as_u64().expect("seq");

    // Changed after signing; signed by another party's key; by an unknown key; garbled.
    let mut altered = signed.clone();
    altered["narrative"]["text"] = json!("Something else entirely");
    let by_aze = sign_claim(&claim, &aze).expect("sign");
    let unknown = sign_claim(&claim, &SigningKeyPair::generate("someone").expect("key")).expect("sign");
    let mut garbled = signed.clone();
    garbled["signature"]["sig"] = json!("AAAA");
    // R is the identity point (small order): batch verification alone would not refuse it.
    let mut small_order = signed.clone();
    let mut weak = [0u8; 64];
    weak[0] = 1;
    small_order["signature"]["sig"] = json!(base64::Engine::encode(&base64::engine::general_purpose::STANDARD, weak));
    for (what, body, field) in [
        ("altered", &altered, "signature.sig"),
        ("other party's key", &by_aze, "signature.key"),
        ("unknown key", &unknown, "signature.key"),
        ("garbled", &garbled, "signature.sig"),
        ("small-order R", &small_order, "signature.sig"),
    ] {
        let a = c.post_raw("/api/v1/claims", &body.to_string()).expect("answer");
        assert_eq!((a.status, fields(&a.body)), (422, vec![field.to_string()]), "{what}: {}", a.body);
    }
    // The accepted claim and its placement in an incident.
    assert_eq!(entries(&c), before + 2, "refused signed claims write nothing");

    // A batch: all signatures checked together; one bad one refuses the whole batch.
    let batch: Vec<Value> = (0..3).map(|_| sign_claim(&claim, &arm).expect("sign")).collect();
    let mut bad_batch = batch.clone();
    bad_batch[1]["narrative"]["text"] = json!("changed");
    let a = c.post_raw("/api/v1/claims/batch", &json!({"claims": bad_batch}).to_string()).expect("answer");
    assert_eq!((a.status, fields(&a.body)), (422, vec!["claims[1].signature.sig".to_string()]), "{}", a.body);
    // A signature member spelled with an escape is still found and checked.
    let escaped = altered.to_string().replacen("\"signature\"", "\"signatur\\u0065\"", 1);
    let a = c.post_raw("/api/v1/claims", &escaped).expect("answer");
    assert_eq!((a.status, fields(&a.body)), (422, vec!["signature.sig".to_string()]), "{}", a.body);
    assert_eq!(entries(&c), before + 2);
    let a = c.post_raw("/api/v1/claims/batch", &json!({"claims": batch}).to_string()).expect("answer");
    assert_eq!(a.status, 201, "{}", a.body);

    // `truce submit --sign`, then the party proves what it signed from the log alone.
    let keyfile = dir.path().join("arm.key");
    truce::logkey::write_new(&keyfile, &arm).expect("key file");
    let claimfile = dir.path().join("claim.json");
    std::fs::write(&claimfile, claim.to_string()).expect("claim file");
    let (ok, out) = truce(&[
        "submit",
        claimfile.to_str().expect("p"),
        "--sign",
        keyfile.to_str().expect("p"),
        "--server",
        &url,
        "--token",
        &arm_token,
    ]);
    assert!(ok, "{out}");
    let (ok, out) = truce(&["log", "checkpoint", "--server", &url, "--token", &admin_token]);
    assert!(ok, "{out}");
    let (_, log_vkey) = truce(&["log", "key", "--db", db.to_str().expect("p")]);
    let vkey = arm.note_verifier().to_string();
    // The party proves its own entry without the full audit (entry headers are the mission's).
    let (ok, out) = truce(&[
        "verify",
        "--server",
        &url,
        "--token",
        &arm_token,
        "--no-audit",
        "--key",
        log_vkey.trim(),
        "--seq",
        &seq.to_string(),
        "--signed-by",
        &vkey,
    ]);
    assert!(ok && out.contains(&format!("signature: entry {seq} is a claim signed by")), "{out}");
    let other = aze.note_verifier().to_string();
    let (ok, out) = truce(&[
        "verify",
        "--server",
        &url,
        "--token",
        &arm_token,
        "--no-audit",
        "--key",
        log_vkey.trim(),
        "--seq",
        &seq.to_string(),
        "--signed-by",
        &other,
    ]);
    assert!(!ok && out.contains("not with"), "{out}");
    child.kill().expect("stop");
    child.wait().expect("reap");
    let (ok, out) = truce(&[
        "verify",
        "--db",
        db.to_str().expect("p"),
        "--key",
        log_vkey.trim(),
        "--seq",
        &seq.to_string(),
        "--signed-by",
        &vkey,
    ]);
    assert!(ok, "from the stopped database too: {out}");
}
