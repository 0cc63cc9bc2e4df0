//! Personal data over HTTP: who sees persons' names and sources' contacts, and every read of
//! them journaled as a `personal_data.read` entry naming the reader, the claims and the
//! request (never the data), readable by the mission only.

mod common;

use serde_json::{Value, json};
use truce::client::Client;

/// The journal's newest entry as `reader` sees it, with its sequence number.
fn newest_entry(app: &common::TestApp, reader: &Client) -> (u64, Value) {
    let size = app.get("/api/v1/log", &[]).body["entries"].as_u64().expect("entries");
    let seq = size - 1;
    let entry = reader.get(&format!("/api/v1/log/entries/{seq}"), &[]).expect("answer");
    assert_eq!(entry.status, 200, "{}", entry.body);
    (seq, entry.body)
}

fn journal_size(app: &common::TestApp) -> u64 {
    app.get("/api/v1/log", &[]).body["entries"].as_u64().expect("entries")
}

#[test]
fn personal_data_is_shown_as_the_matrix_says_and_every_read_of_it_is_journaled() {
    let app = common::TestApp::spawn();
    let monitor = app.client_as("pd.monitor", "JMC", "monitor");
    let arm = app.client_as("pd.arm", "ARM", "party");
    let aze = app.client_as("pd.aze", "AZE", "party");
    let analyst = app.client_as("pd.analyst", "JMC", "analyst");

    let mut claim = common::claim();
    claim["persons"] = json!([
        {"name": "Armen Example", "role": "detained", "party": "ARM", "category": "military"},
        {"name": "Sona Example", "role": "witness"}
    ]);
    claim["source"]["contact"] = json!("+374 10 555 000");
    let posted = arm.post_raw("/api/v1/claims", &claim.to_string()).expect("answer");
    assert_eq!(posted.status, 201, "{}", posted.body);
    // The submitter's answer shows what it sent (a submission, not a read).
    assert_eq!(posted.body["persons"][0]["name"], "Armen Example");
    let id = posted.body["id"].as_str().expect("id").to_owned();

    // An analyst reads the claim without names or contact, and nothing is journaled.
    let before = journal_size(&app);
    let seen = analyst.get(&format!("/api/v1/claims/{id}"), &[]).expect("answer");
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert!(seen.body["persons"][0].get("name").is_none(), "{}", seen.body);
    assert_eq!(seen.body["persons"][1]["role"], "witness");
    assert!(seen.body["source"].get("contact").is_none(), "{}", seen.body);
    assert_eq!(seen.body["withheld"], json!(["persons.name", "source.contact"]));
    assert_eq!(journal_size(&app), before, "a read without personal data is not journaled");
    // Another party does not see the claim at all.
    assert_eq!(aze.get(&format!("/api/v1/claims/{id}"), &[]).expect("answer").status, 404);
    assert_eq!(journal_size(&app), before);

    // A monitor reads it with names: one entry, by the monitor, naming the claim and the
    // request, and not the data.
    let read = monitor.get(&format!("/api/v1/claims/{id}"), &[]).expect("answer");
    assert_eq!(read.body["persons"][1]["name"], "Sona Example");
    assert_eq!(read.body["source"]["contact"], "+374 10 555 000");
    assert!(read.body.get("withheld").is_none());
    let (seq, entry) = newest_entry(&app, &monitor);
    assert_eq!(seq, before);
    let leaf = entry["leaf"].as_str().expect("leaf");
    assert!(leaf.contains("kind personal_data.read\n") && leaf.contains("actor pd.monitor\n"), "{leaf}");
    assert_eq!(entry["payload"], json!({"claims": [id], "via": format!("GET /api/v1/claims/{id}")}));
    assert!(!entry.to_string().contains("Example"), "the entry names the claim, not the person");

    // The party lists its own claim with names: journaled with the list request.
    let page = arm.get("/api/v1/claims", &[]).expect("answer");
    assert_eq!(page.body["items"][0]["persons"][0]["name"], "Armen Example");
    let (_, entry) = newest_entry(&app, &monitor);
    assert_eq!(entry["payload"], json!({"claims": [id], "via": "GET /api/v1/claims"}));
    assert!(entry["leaf"].as_str().expect("leaf").contains("actor pd.arm\n"));

    // Exports that carry names are journaled; the CSV (ACLED columns, no names) is not.
    let size = journal_size(&app);
    let (status, body) = monitor.get_raw("/api/v1/export/claims.csv", &[]).expect("answer");
    assert_eq!(status, 200);
    assert!(!String::from_utf8(body).expect("utf-8").contains("Armen Example"));
    assert_eq!(journal_size(&app), size);
    let (status, body) = monitor.get_raw("/api/v1/export/claims.ndjson", &[]).expect("answer");
    assert_eq!(status, 200);
    assert!(String::from_utf8(body).expect("utf-8").contains("Armen Example"));
    let (_, entry) = newest_entry(&app, &monitor);
    assert_eq!(entry["payload"]["via"], "GET /api/v1/export/claims.ndjson");

    // The claim's own entry: the payload to those who may read the names (journaled), the
    // leaf alone to the analyst.
    let claim_seq = posted.body["seq"].as_u64().expect("seq");
    let to_analyst = analyst.get(&format!("/api/v1/log/entries/{claim_seq}"), &[]).expect("answer");
    assert_eq!(to_analyst.status, 200, "{}", to_analyst.body);
    assert!(to_analyst.body["payload"].is_null() && to_analyst.body["withheld"].is_string(), "{}", to_analyst.body);
    let size = journal_size(&app);
    let to_monitor = monitor.get(&format!("/api/v1/log/entries/{claim_seq}"), &[]).expect("answer");
    assert_eq!(to_monitor.body["payload"]["persons"][0]["name"], "Armen Example");
    assert_eq!(journal_size(&app), size + 1);
    // The payload (whose hash the public leaf names) holds random bytes that no view shows,
    // so a guessed name cannot be confirmed by hashing a rebuilt payload.
    let salt = to_monitor.body["payload"]["personal_salt"].as_str().expect("salt");
    assert!(salt.len() >= 40, "{salt}");
    assert!(!read.body.to_string().contains(salt) && !seen.body.to_string().contains(salt));

    // The journal of reads is the mission's: a party may not read its entries.
    let (seq, _) = newest_entry(&app, &monitor);
    assert_eq!(arm.get(&format!("/api/v1/log/entries/{seq}"), &[]).expect("answer").status, 404);
    assert_eq!(analyst.get(&format!("/api/v1/log/entries/{seq}"), &[]).expect("answer").status, 200);
}
