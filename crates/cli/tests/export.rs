//! Exports respect the caller's rights: a row is exported only if its reader may list it.

mod common;

use common::TestApp;
use serde_json::{Value, json};
use truce::client::Client;

fn claim_by(claimant: &str, accused: &str, lon: f64, day: &str) -> Value {
    let mut c = common::claim();
    c["claimant"] = json!(claimant);
    c["accused"] = json!(accused);
    c["occurred"] = json!({"from": day, "precision": "day"});
    c["location"] = json!({"geometry": {"type": "Point", "coordinates": [lon, 40.0]}, "precision": "approximate"});
    c
}

fn export(c: &Client, what: &str, query: &[(&str, &str)]) -> (u16, String) {
    let q: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    let (status, body) = c.get_raw(&format!("/api/v1/export/{what}"), &q).expect("answer");
    (status, String::from_utf8(body).expect("utf-8"))
}

#[test]
fn exports_show_each_reader_what_it_may_list() {
    let app = TestApp::spawn();
    let arm = app.client_as("arm.liaison", "ARM", "party");
    let aze = app.client_as("aze.liaison", "AZE", "party");
    let a1 = arm.post_raw("/api/v1/claims", &claim_by("ARM", "AZE", 45.5, "2022-01-10").to_string()).expect("a");
    let a2 = aze.post_raw("/api/v1/claims", &claim_by("AZE", "ARM", 45.5, "2022-01-10").to_string()).expect("a");
    let hidden = aze.post_raw("/api/v1/claims", &claim_by("AZE", "ARM", 46.5, "2022-06-10").to_string()).expect("a");
    assert_eq!((a1.status, a2.status, hidden.status), (201, 201, 201));
    let published = common::publish_incident(&app, a1.body["id"].as_str().expect("id"));
    let hidden_id = hidden.body["id"].as_str().expect("id");

    // The mission exports everything, as ACLED-style CSV.
    let (status, csv) = export(&app.client, "claims.csv", &[]);
    assert_eq!(status, 200, "{csv}");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().map(|h| h.split(',').collect::<Vec<_>>()),
        Some(truce_core::export::ACLED_COLUMNS.to_vec())
    );
    assert_eq!(lines.count(), 3);
    assert!(csv.contains("Explosions/Remote violence") || csv.contains("Battles"), "{csv}");

    // Armenia: its own claim and the published ones, never Azerbaijan's unpublished one.
    let (_, nd) = export(&arm, "claims.ndjson", &[]);
    let ids: Vec<String> = nd
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json")["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(!ids.iter().any(|i| i == hidden_id));
    let (_, csv) = export(&arm, "claims.csv", &[("claimant", "AZE")]);
    assert_eq!(csv.lines().count(), 2, "the header and the published AZE claim: {csv}");
    assert!(!csv.contains(hidden_id));

    // The public: published incidents only, as GeoJSON.
    let (status, geo) = export(&Client::new(&app.base), "incidents.geojson", &[]);
    assert_eq!(status, 200);
    let geo: Value = serde_json::from_str(&geo).expect("geojson");
    assert_eq!(geo["type"], "FeatureCollection");
    let ids: Vec<&str> =
        geo["features"].as_array().expect("features").iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids, [published.as_str()]);
    assert_eq!(geo["features"][0]["properties"]["state"], "published");
    let (_, csv) = export(&Client::new(&app.base), "claims.csv", &[]);
    assert_eq!(csv.lines().count(), 3, "the two accounts of the published incident: {csv}");

    // Bad names and filters are refused, naming why.
    let (status, body) = export(&app.client, "claims.xlsx", &[]);
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("geojson, csv or ndjson"));
    let (status, body) = export(&app.client, "incidents.csv", &[("state", "sideways")]);
    assert_eq!(status, 400, "{body}");

    // The same from the command line.
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("incidents.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(["export", "incidents.csv", "--server", &app.base, "--token", &app.token, "-o"])
        .arg(&out)
        .status()
        .expect("run");
    assert!(status.success());
    let text = std::fs::read_to_string(&out).expect("written");
    assert_eq!(text.lines().count(), 3, "header and both incidents: {text}");
    assert!(text.contains(&published));
}
