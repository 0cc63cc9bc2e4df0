//! Matching's proposals of other incidents, on an incident's page: shown to those who may
//! read unpublished incidents, never to anyone else (the ids would reveal them).

mod common;

use serde_json::Value;

#[test]
fn proposals_of_other_incidents_are_the_missions_alone() {
    let app = common::TestApp::spawn();
    let first = app.post_claim(&common::claim()).body["id"].as_str().expect("id").to_owned();
    let published = common::publish_incident(&app, &first);
    // The same event told again: a published incident is never joined automatically, so
    // this opens an incident of its own, with the published one proposed.
    let mut again = common::claim();
    again["claimant"] = serde_json::json!("AZE");
    again["accused"] = serde_json::json!("ARM");
    let second = app.post_claim(&again).body["id"].as_str().expect("id").to_owned();
    let opened = common::incident_of(&app, &second).expect("incident");
    assert_ne!(opened, published);
    let d = app.get(&format!("/api/v1/incidents/{opened}"), &[]).body;
    let proposed: Vec<&Value> = d["proposed"].as_array().expect("proposed").iter().collect();
    assert!(proposed.iter().any(|p| p["incident"] == published.as_str()), "{d}");
    assert!(proposed.iter().all(|p| p["explanation"].is_string()
        && p["score"].is_number()
        && p["claim"] == second.as_str()
        && p["because"].as_array().is_some_and(|b| b.len() == 4 && b.iter().all(|x| x["code"] != "text"))));
    // Unpublished, it is the mission's alone.
    let public = truce::client::Client::new(&app.base);
    let arm = app.client_as("p.arm", "ARM", "party");
    for c in [&public, &arm] {
        assert_eq!(c.get(&format!("/api/v1/incidents/{opened}"), &[]).expect("answer").status, 404);
    }
    // Published too, the public and a party read it without what matching proposed.
    assert_eq!(common::publish_incident(&app, &second), opened);
    assert!(
        app.get(&format!("/api/v1/incidents/{opened}"), &[]).body["proposed"].is_array(),
        "monitors still see them"
    );
    for c in [&public, &arm] {
        let v = c.get(&format!("/api/v1/incidents/{opened}"), &[]).expect("answer");
        assert_eq!(v.status, 200, "{}", v.body);
        assert!(v.body.get("proposed").is_none(), "{}", v.body);
        assert!(!v.body.to_string().contains(&format!("\"incident\":\"{published}\",\"parts\"")), "nor in the history");
    }
}
