//! The `truce` binary: help, submit, claims list, init errors.

mod common;

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_truce");

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN).args(args).output().expect("run truce");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_documents_every_command() {
    let (ok, help, _) = run(&["--help"]);
    assert!(ok);
    for cmd in ["demo", "init", "serve", "submit", "claims", "rebuild", "keys", "log", "verify", "witness", "proof"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(cmd)), "{cmd} in --help:\n{help}");
    }
    for (cmd, flag) in [
        (vec!["demo", "--help"], "--listen"),
        (vec!["init", "--help"], "--scenario"),
        (vec!["serve", "--help"], "--db"),
        (vec!["submit", "--help"], "--server"),
        (vec!["claims", "list", "--help"], "--bbox"),
        (vec!["rebuild", "--help"], "--db"),
    ] {
        let (ok, text, _) = run(&cmd);
        assert!(ok, "{cmd:?}");
        assert!(text.contains(flag), "{cmd:?} documents {flag}");
    }
}

#[test]
fn submit_and_list_through_the_api() {
    let app = common::TestApp::spawn();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("claim.json");
    std::fs::write(&file, common::claim().to_string()).expect("write claim");
    let path = file.to_string_lossy().into_owned();
    let (ok, out, err) = run(&["submit", &path, "--server", &app.base]);
    assert!(!ok && err.contains("401") || err.contains("signed-in"), "anonymous submission refused: {err}");
    let (ok, out2, err) = run(&["submit", &path, "--server", &app.base, "--token", &app.token]);
    assert!(ok, "{err} {out}");
    let out = out2;
    let id = out.trim().to_owned();
    assert_eq!(id.len(), 26, "a ULID: {out}");

    let (ok, table, err) = run(&["claims", "list", "--server", &app.base, "--token", &app.token, "--claimant", "ARM"]);
    assert!(ok, "{err}");
    assert!(table.contains(&id), "{table}");
    let (ok, json, _) =
        run(&["claims", "list", "--server", &app.base, "--token", &app.token, "--json", "--all", "--limit", "1"]);
    assert!(ok);
    let first: serde_json::Value = serde_json::from_str(json.lines().next().expect("one line")).expect("JSON line");
    assert_eq!(first["id"], id.as_str());

    let mut bad = common::claim();
    bad["location"] = serde_json::json!({"geometry": {"type": "Point", "coordinates": [46.0, 95.0]}});
    std::fs::write(&file, bad.to_string()).expect("write claim");
    let (ok, _, err) = run(&["submit", &path, "--server", &app.base, "--token", &app.token]);
    assert!(!ok);
    assert!(err.contains("location.geometry.coordinates[1]"), "{err}");
}

#[test]
fn init_names_the_file_and_field_of_a_scenario_error() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/nagorno-karabakh-2020");
    let dir = tempfile::tempdir().expect("temp dir");
    for f in ["scenario.toml", "zones.geojson", "posts.geojson", "gazetteer.json", "gazetteer-overlay.toml"] {
        std::fs::copy(src.join(f), dir.path().join(f)).expect("copy");
    }
    let posts = std::fs::read_to_string(dir.path().join("posts.geojson")).expect("read");
    let broken = posts.replacen("\"operator\": \"RUS\"", "\"operator\": \"XYZ\"", 1);
    assert_ne!(broken, posts, "the fixture has a RUS operator to break");
    std::fs::write(dir.path().join("posts.geojson"), broken).expect("write");
    let db = dir.path().join("x.db");
    let (ok, _, err) = run(&["init", "--scenario", &dir.path().to_string_lossy(), "--db", &db.to_string_lossy()]);
    assert!(!ok);
    assert!(err.contains("posts.geojson") && err.contains(".operator") && err.contains("XYZ"), "{err}");
    assert!(!db.exists(), "nothing is created for a bad scenario");
}

#[test]
fn serve_refuses_a_missing_database() {
    let (ok, _, err) = run(&["serve", "--db", "/nonexistent/truce.db", "--listen", "127.0.0.1:0"]);
    assert!(!ok);
    assert!(err.contains("truce init"), "{err}");
}

#[test]
fn demo_serves_the_seed_articles_claims_at_mount_kilisali() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    let (mut child, url, lines) =
        common::spawn_truce_lines(&["demo", "--listen", "127.0.0.1:0", "--db", &db.to_string_lossy()]);
    // One account per role, each with a token.
    for name in ["jmc.monitor", "jmc.analyst", "jmc.admin", "arm.liaison", "aze.liaison", "rus.mediator"] {
        common::demo_token(&lines, name);
    }
    let client = truce::client::Client::new(&url).with_token(Some(common::demo_token(&lines, "jmc.monitor")));
    let page = client.get("/api/v1/claims", &[("limit", "500".into())]).expect("answer");
    // A party's liaison sees its own party's claims and published ones; the public only these.
    let arm = truce::client::Client::new(&url).with_token(Some(common::demo_token(&lines, "arm.liaison")));
    let own = arm.get("/api/v1/claims", &[("limit", "500".into())]).expect("answer");
    let public = truce::client::Client::new(&url).get("/api/v1/claims", &[("limit", "500".into())]).expect("answer");
    // The demo's incidents, in the states its verification script left them.
    let incidents = client.get("/api/v1/incidents", &[("limit", "500".into())]).expect("answer");
    let details: Vec<serde_json::Value> = incidents.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| client.get(&format!("/api/v1/incidents/{}", i["id"].as_str().expect("id")), &[]).expect("a").body)
        .collect();
    let by_provision = client.get("/api/v1/incidents", &[("provision", "P1".into())]).expect("answer");
    let unknown_provision = client.get("/api/v1/incidents", &[("provision", "P99".into())]).expect("answer");
    // Every provision has something true to say on first start, to anyone.
    let provisions = truce::client::Client::new(&url).get("/api/v1/provisions", &[]).expect("answer");
    child.kill().expect("stop demo");
    child.wait().expect("reap");
    assert_eq!(page.status, 200);
    let provisions = provisions.body.as_array().expect("provisions").clone();
    assert_eq!(provisions.len(), 9);
    for p in &provisions {
        assert_ne!(p["status"], "no_data", "{p}");
        assert!(!p["latest"].as_array().expect("latest").is_empty(), "{p}");
    }
    let statuses: std::collections::BTreeSet<&str> = provisions.iter().filter_map(|p| p["status"].as_str()).collect();
    assert_eq!(statuses.len(), 3, "kept, disputed and violations verified all appear: {statuses:?}");
    let both = |d: &serde_json::Value| {
        let c: Vec<&str> = d["accounts"].as_array().expect("a").iter().filter_map(|a| a["claimant"].as_str()).collect();
        c.contains(&"ARM") && c.contains(&"AZE")
    };
    let with = |state: &str, occurrence: Option<&str>| {
        details
            .iter()
            .filter(|d| d["state"] == state && occurrence.is_none_or(|o| d["occurrence"] == o) && both(d))
            .count()
    };
    assert_eq!(with("published", Some("verified")), 1, "a published, endorsed finding");
    assert_eq!(with("published", Some("unfounded")), 1, "an unfounded one");
    assert_eq!(with("under_review", None), 1);
    assert_eq!(with("access_denied", None), 1);
    assert_eq!(with("disputed", None), 1, "one disputed after publication");
    // The provision filter finds exactly the incidents whose finding names it as breached.
    let mut naming_p1: Vec<&str> = details
        .iter()
        .filter(|d| d["finding"]["provisions_breached"].as_array().is_some_and(|p| p.iter().any(|p| p == "P1")))
        .filter_map(|d| d["id"].as_str())
        .collect();
    let mut listed: Vec<&str> =
        by_provision.body["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_str()).collect();
    naming_p1.sort();
    listed.sort();
    assert!(naming_p1.len() >= 2, "{naming_p1:?}");
    assert_eq!(listed, naming_p1);
    assert_eq!(unknown_provision.status, 400);
    assert_eq!(unknown_provision.body["error"]["fields"][0]["field"], "provision");
    let verified = details.iter().find(|d| d["occurrence"] == "verified").expect("verified");
    let dissents: Vec<&serde_json::Value> = verified["endorsement"]["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter(|a| a["endorse"] == false)
        .collect();
    assert_eq!(dissents.len(), 1, "one officer's dissent, recorded with the finding");
    let public_claims: Vec<&str> = details
        .iter()
        .filter(|d| d["public"] == true)
        .flat_map(|d| d["accounts"].as_array().expect("a").iter())
        .flat_map(|a| a["claims"].as_array().expect("c").iter())
        .filter_map(|c| c["claim"]["id"].as_str())
        .collect();
    let public = public.body["items"].as_array().expect("items");
    assert_eq!(public.len(), public_claims.len());
    assert!(public.iter().all(|c| public_claims.contains(&c["id"].as_str().unwrap_or_default())));
    let own = own.body["items"].as_array().expect("items");
    assert!(
        own.iter()
            .all(|c| c["actor"] == "arm.liaison" || public_claims.contains(&c["id"].as_str().unwrap_or_default())),
        "{own:?}"
    );
    assert!(own.iter().any(|c| c["claimant"] == "AZE"), "published accounts of the other side are readable");
    let items = page.body["items"].as_array().expect("items");
    // Every demo claim, and the counter-claim of the dispute.
    assert_eq!(items.len(), truce::bundle::demo_claims().len() + 1);
    let seed: Vec<&serde_json::Value> =
        items.iter().filter(|c| c["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "seed-article"))).collect();
    assert_eq!(seed.len(), 3);
    assert!(seed.iter().all(|c| c["location"]["place"]["id"] == "mount-kilisali"));
    let (ok, _, err) = run(&["demo", "--db", &db.to_string_lossy(), "--listen", "127.0.0.1:0"]);
    assert!(!ok && err.contains("already exists"), "demo never overwrites a database: {err}");
}
