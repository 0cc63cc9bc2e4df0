//! Incidents over HTTP: matching places claims, monitors attach, detach, merge and split,
//! the verification path with its endorsements, publication, disputes and grades; refusals
//! write nothing; every step is a journal entry inside the ledger's proofs.

mod common;

use common::{TestApp, finding};
use serde_json::{Value, json};
use truce::client::Client;

fn incident(app: &TestApp, id: &str) -> Value {
    let a = app.get(&format!("/api/v1/incidents/{id}"), &[]);
    assert_eq!(a.status, 200, "{}", a.body);
    a.body
}

fn version(app: &TestApp, id: &str) -> u64 {
    incident(app, id)["version"].as_u64().expect("version")
}

fn post(c: &Client, path: &str, body: Value) -> truce::client::Answer {
    c.post_raw(path, &body.to_string()).expect("answer")
}

/// Merges `from` into `into` at `from`'s current version; the merge must succeed.
fn merge(app: &TestApp, from: &str, into: &str, reason: &str) {
    let merged = post(
        &app.client,
        &format!("/api/v1/incidents/{from}/merge"),
        json!({"into": into, "reason": reason, "version": version(app, from)}),
    );
    assert_eq!(merged.status, 200, "{}", merged.body);
}

fn claim_at(claimant: &str, accused: &str, event_type: &str, lon: f64, lat: f64, from: &str) -> Value {
    let mut c = common::claim();
    c["claimant"] = json!(claimant);
    c["accused"] = json!(accused);
    c["event_type"] = json!(event_type);
    c["casualties"] = json!([]);
    c["occurred"] = json!({"from": from, "precision": "hour"});
    c["location"] = json!({"geometry": {"type": "Point", "coordinates": [lon, lat]}, "precision": "approximate"});
    c
}

fn submit(app: &TestApp, c: &Value) -> String {
    let a = app.post_claim(c);
    assert_eq!(a.status, 201, "{}", a.body);
    a.body["id"].as_str().expect("id").to_owned()
}

#[test]
fn the_two_accounts_of_mount_kilisali_land_in_one_incident() {
    let app = TestApp::spawn_demo();
    let seed = app.get("/api/v1/claims", &[("from", "2021-11-16"), ("to", "2021-11-16"), ("limit", "50")]);
    let by = |claimant: &str| {
        seed.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|c| {
                c["claimant"] == claimant && c["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "seed-article"))
            })
            .and_then(|c| c["id"].as_str())
            .expect("a seed claim")
            .to_owned()
    };
    let (arm, aze, rus) = (by("ARM"), by("AZE"), by("RUS"));
    let inc = common::incident_of(&app, &arm).expect("ARM's account is in an incident");
    assert_eq!(common::incident_of(&app, &aze).as_deref(), Some(inc.as_str()), "AZE's account is in the same one");
    assert_ne!(
        common::incident_of(&app, &rus).as_deref(),
        Some(inc.as_str()),
        "the ceasefire announcement is another event"
    );
    let d = incident(&app, &inc);
    assert_eq!(d["state"], "reported");
    let accounts = d["accounts"].as_array().expect("accounts");
    assert_eq!(accounts.iter().map(|a| a["claimant"].as_str().expect("c")).collect::<Vec<_>>(), ["ARM", "AZE"]);
    let aze_claim = &accounts[1]["claims"][0];
    assert_eq!(aze_claim["auto"], true, "attached automatically, and marked so");
    let explanation = aze_claim["explanation"].as_str().expect("explanation");
    assert!(explanation.contains("same place") && explanation.contains("mutual accusation"), "{explanation}");
    // The same, in parts a reader can word in any language.
    let codes: Vec<&str> =
        aze_claim["because"].as_array().expect("because").iter().filter_map(|b| b["code"].as_str()).collect();
    assert_eq!(codes.len(), 4, "{codes:?}");
    assert_eq!((codes[0], codes[3]), ("same_place", "mutual_accusation"));
    assert_eq!(aze_claim["because"][3]["claimants"], serde_json::json!(["AZE"]));
    assert!(aze_claim["score"].as_f64().expect("score") >= 0.8);
    // Where they differ: who is accused, the type, and the casualties only Armenia reports.
    assert_eq!(d["differences"]["accused"]["differ"], true);
    assert_eq!(d["differences"]["place"]["differ"], false);
    let cas = &d["differences"]["casualties"][0];
    assert_eq!((cas["party"].as_str(), cas["by_claimant"]["AZE"].as_str()), (Some("ARM"), Some("not given")));
    assert!(cas["by_claimant"]["ARM"].as_str().is_some_and(|s| s.contains("captured 12")), "{cas}");
}

#[test]
fn the_verification_path_with_its_refusals_endorsements_publication_and_dispute() {
    let app = TestApp::spawn_with_log_key();
    let arm = app.client_as("arm.liaison", "ARM", "party");
    let aze = app.client_as("aze.liaison", "AZE", "party");
    let arm_claim =
        post(&arm, "/api/v1/claims", claim_at("ARM", "AZE", "shelling", 45.70, 40.10, "2022-04-02T21:00:00Z"));
    let aze_claim =
        post(&aze, "/api/v1/claims", claim_at("AZE", "ARM", "shelling", 45.71, 40.10, "2022-04-02T21:30:00Z"));
    assert_eq!((arm_claim.status, aze_claim.status), (201, 201));
    let arm_id = arm_claim.body["id"].as_str().expect("id").to_owned();
    let id = common::incident_of(&app, &arm_id).expect("incident");
    assert_eq!(common::incident_of(&app, aze_claim.body["id"].as_str().expect("id")).as_deref(), Some(id.as_str()));
    let path = format!("/api/v1/incidents/{id}/verification");
    let m = &app.client;

    // Refusals write nothing: an illegal move, a stale version, an unknown incident, bad fields.
    let before = app.journal_len();
    let v = version(&app, &id);
    let illegal = post(m, &path, json!({"to": "published", "reason": "too soon", "version": v}));
    assert_eq!(illegal.status, 409, "{}", illegal.body);
    let msg = illegal.body["error"]["message"].as_str().expect("message");
    assert!(msg.contains("reported") && msg.contains("allowed: under_review, access_denied"), "{msg}");
    let stale = post(m, &path, json!({"to": "under_review", "reason": "x", "version": v - 1}));
    assert_eq!(stale.status, 409);
    assert!(stale.body["error"]["message"].as_str().is_some_and(|s| s.contains("reload")), "{}", stale.body);
    let unknown = post(
        m,
        "/api/v1/incidents/01ARZ3NDEKTSV4RRFFQ69G5FAV/verification",
        json!({"to": "under_review", "reason": "x", "version": 1}),
    );
    assert_eq!(unknown.status, 404);
    let bad = post(m, &path, json!({"to": "sideways", "finding": finding()}));
    assert_eq!(bad.status, 422);
    let fields: Vec<&str> =
        bad.body["error"]["fields"].as_array().expect("f").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["to", "reason", "finding", "version"]);
    let no_finding = post(m, &path, json!({"to": "finding_proposed", "reason": "x", "version": v}));
    assert_eq!(no_finding.body["error"]["fields"][0]["field"], "finding");
    assert_eq!(app.journal_len(), before, "refused steps write nothing");
    // Parties may not move incidents, nor read unpublished ones.
    assert_eq!(post(&arm, &path, json!({"to": "under_review", "reason": "x", "version": v})).status, 403);
    assert_eq!(arm.get(&format!("/api/v1/incidents/{id}"), &[]).expect("a").status, 404);

    // Review, access denied, review again, a finding.
    for to in ["under_review", "access_denied", "under_review"] {
        let a = post(
            m,
            &path,
            json!({"to": to, "reason": format!("to {to}"), "evidence": [{"report": "Log 7"}], "version": version(&app, &id)}),
        );
        assert_eq!((a.status, a.body["state"].as_str()), (200, Some(to)), "{}", a.body);
    }
    let proposed = post(
        m,
        &path,
        json!({"to": "finding_proposed", "reason": "Team report", "finding": finding(), "version": version(&app, &id)}),
    );
    assert_eq!(proposed.status, 200, "{}", proposed.body);
    assert_eq!(proposed.body["finding"]["proposed_by"], "test.monitor");
    assert_eq!(proposed.body["finding"]["attribution"]["party"], "AZE");

    // The board: only its members answer; 3 of 4 with both groups; a dissent is kept.
    let endorse = |name: &str, yes: bool, reasons: &str| {
        let c = app.client_as(name, "JMC", "monitor");
        post(
            &c,
            &format!("/api/v1/incidents/{id}/endorsements"),
            json!({"endorse": yes, "reasons": reasons, "version": version(&app, &id)}),
        )
    };
    let outsider = endorse("some.monitor", true, "");
    assert_eq!(outsider.status, 403, "{}", outsider.body);
    assert_eq!(endorse("rus.officer1", true, "").body["state"], "finding_proposed");
    assert_eq!(
        endorse("rus.officer2", true, "").body["state"],
        "finding_proposed",
        "two Russian officers are not enough"
    );
    let dissent = endorse("tur.officer1", false, "Attribution too strong.");
    assert_eq!(dissent.body["state"], "finding_proposed", "{}", dissent.body);
    let no_reason = app.client_as("x.monitor", "JMC", "monitor");
    let a = post(&no_reason, &format!("/api/v1/incidents/{id}/endorsements"), json!({"endorse": false, "version": 1}));
    assert_eq!(a.body["error"]["fields"][0]["field"], "reasons", "a dissent gives reasons");
    let endorsed = endorse("tur.officer2", true, "Agreed.");
    assert_eq!(endorsed.body["state"], "endorsed", "{}", endorsed.body);
    assert_eq!(endorsed.body["endorsement"]["met"], true);
    let answers = endorsed.body["endorsement"]["answers"].as_array().expect("answers");
    assert!(
        answers.iter().any(|a| a["member"] == "tur.officer1"
            && a["endorse"] == false
            && a["reasons"] == "Attribution too strong.")
    );
    assert_eq!(endorse("rus.officer1", true, "").status, 409, "one answer per member and finding");

    // Publication makes it public, with every account attributed.
    assert_eq!(
        arm.get(&format!("/api/v1/claims/{}", aze_claim.body["id"].as_str().expect("id")), &[]).expect("a").status,
        404
    );
    let published = post(m, &path, json!({"to": "published", "reason": "Endorsed", "version": version(&app, &id)}));
    assert_eq!(published.body["state"], "published", "{}", published.body);
    let public = Client::new(&app.base).get(&format!("/api/v1/incidents/{id}"), &[]).expect("a");
    assert_eq!(public.status, 200);
    assert_eq!(public.body["accounts"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        public.body["endorsement"]["answers"][2]["reasons"], "Attribution too strong.",
        "the dissent is published"
    );
    assert_eq!(
        arm.get(&format!("/api/v1/claims/{}", aze_claim.body["id"].as_str().expect("id")), &[]).expect("a").status,
        200
    );

    // Armenia contests with a counter-claim of its own; the monitors take it back.
    let counter = post(
        &arm,
        "/api/v1/claims",
        claim_at("ARM", "AZE", "ceasefire_violation_accusation", 45.70, 40.10, "2022-04-02T21:00:00Z"),
    );
    let counter_id = counter.body["id"].as_str().expect("id");
    let not_own =
        post(&arm, &format!("/api/v1/incidents/{id}/disputes"), json!({"claim": aze_claim.body["id"], "reason": "x"}));
    assert_eq!(not_own.status, 403, "{}", not_own.body);
    let disputed = post(
        &arm,
        &format!("/api/v1/incidents/{id}/disputes"),
        json!({"claim": counter_id, "reason": "Our log shows no fire."}),
    );
    assert_eq!(disputed.status, 200, "{}", disputed.body);
    assert_eq!(disputed.body["state"], "disputed");
    let back =
        post(m, &path, json!({"to": "under_review", "reason": "Dispute examined", "version": version(&app, &id)}));
    assert_eq!(back.body["state"], "under_review");
    assert_eq!(
        Client::new(&app.base).get(&format!("/api/v1/incidents/{id}"), &[]).expect("a").status,
        404,
        "no longer public"
    );

    // Every step is a journal entry, each inside the log's proofs.
    app.store.checkpoint_blocking().expect("checkpoint");
    let history = incident(&app, &id)["history"].as_array().expect("history").clone();
    let kinds: Vec<&str> = history.iter().filter_map(|h| h["kind"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "incident.transitioned").count(), 6, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "incident.endorsement").count(), 4);
    assert!(kinds.contains(&"incident.disputed") && kinds.contains(&"incident.placed"));
    for h in &history {
        let seq = h["seq"].as_u64().expect("seq");
        let proof = app.get("/api/v1/log/proof/inclusion", &[("seq", &seq.to_string())]);
        assert_eq!(proof.status, 200, "{}", proof.body);
        let entry = app.get(&format!("/api/v1/log/entries/{seq}"), &[]);
        let leaf = entry.body["leaf"].as_str().expect("leaf");
        let hashes: Vec<truce_ledger::Hash> = proof.body["proof"]
            .as_array()
            .expect("proof")
            .iter()
            .map(|h| truce_ledger::Hash::from_base64(h.as_str().expect("b64")).expect("hash"))
            .collect();
        let root = truce_ledger::Hash::from_base64(proof.body["root"].as_str().expect("root")).expect("root");
        let size = proof.body["size"].as_u64().expect("size");
        assert_eq!(proof.body["leaf"].as_str(), Some(leaf), "the proof is for the entry served");
        truce_ledger::verify_inclusion(seq, size, truce_ledger::leaf_hash(leaf.as_bytes()), &hashes, root)
            .unwrap_or_else(|e| panic!("entry {seq} is not in the log: {e:?}"));
    }
}

#[test]
fn monitors_attach_detach_merge_and_split_with_versions() {
    let app = TestApp::spawn();
    let m = &app.client;
    let a = submit(&app, &claim_at("ARM", "AZE", "shelling", 45.70, 40.10, "2022-05-01T10:00:00Z"));
    let b = submit(&app, &claim_at("AZE", "ARM", "shelling", 45.70, 40.10, "2022-05-01T10:00:00Z"));
    let far = submit(&app, &claim_at("ARM", "AZE", "shelling", 46.70, 39.50, "2022-08-01T10:00:00Z"));
    let one = common::incident_of(&app, &a).expect("incident");
    assert_eq!(common::incident_of(&app, &b).as_deref(), Some(one.as_str()));
    let other = common::incident_of(&app, &far).expect("incident");
    assert_ne!(one, other, "months and 100 km apart: another event");

    // Split b off; then attach it back; merge `other` in; detach `far` again.
    let before = app.journal_len();
    let bad = post(
        m,
        &format!("/api/v1/incidents/{one}/split"),
        json!({"claims": [a, b], "reason": "all", "version": version(&app, &one)}),
    );
    assert_eq!(bad.status, 409, "a split moves some claims, not all: {}", bad.body);
    assert_eq!(app.journal_len(), before);
    let split = post(
        m,
        &format!("/api/v1/incidents/{one}/split"),
        json!({"claims": [b], "reason": "Different positions", "version": version(&app, &one)}),
    );
    assert_eq!(split.status, 201, "{}", split.body);
    let new = split.body["id"].as_str().expect("id").to_owned();
    assert_eq!(split.body["claims"], 1);
    assert_eq!(incident(&app, &one)["claims"], 1);
    let stale = post(m, &format!("/api/v1/incidents/{one}/claims"), json!({"claim": far, "reason": "x", "version": 1}));
    assert_eq!(stale.status, 409, "{}", stale.body);
    let merged = post(
        m,
        &format!("/api/v1/incidents/{new}/merge"),
        json!({"into": one, "reason": "Same event after all", "version": version(&app, &new)}),
    );
    assert_eq!((merged.status, &merged.body["claims"]), (200, &json!(2)), "{}", merged.body);
    assert_eq!(incident(&app, &new)["state"], "merged");
    assert_eq!(incident(&app, &new)["merged_into"], one.as_str());
    let gone = post(
        m,
        &format!("/api/v1/incidents/{new}/merge"),
        json!({"into": one, "reason": "again", "version": version(&app, &new)}),
    );
    assert_eq!(gone.status, 409);
    let attached = post(
        m,
        &format!("/api/v1/incidents/{one}/claims"),
        json!({"claim": far, "reason": "Same battery", "version": version(&app, &one)}),
    );
    assert_eq!(attached.status, 409, "far is alone in its incident: merge that instead: {}", attached.body);
    let merged = post(
        m,
        &format!("/api/v1/incidents/{other}/merge"),
        json!({"into": one, "reason": "Same battery", "version": version(&app, &other)}),
    );
    assert_eq!(merged.body["claims"], 3, "{}", merged.body);
    let detached = post(
        m,
        &format!("/api/v1/incidents/{one}/claims/{far}/detach"),
        json!({"reason": "Months apart", "version": version(&app, &one)}),
    );
    assert_eq!(detached.status, 201, "{}", detached.body);
    assert_eq!(detached.body["claims"], 1);
    assert_eq!(incident(&app, &one)["claims"], 2);
    // A grade shows beside the account.
    let graded = post(
        m,
        &format!("/api/v1/claims/{a}/grade"),
        json!({"reliability": "B", "credibility": 2, "note": "Liaison report"}),
    );
    assert_eq!(graded.status, 200, "{}", graded.body);
    let accounts = graded.body["accounts"].as_array().expect("accounts");
    let arm = accounts.iter().find(|x| x["claimant"] == "ARM").expect("ARM");
    assert_eq!(arm["claims"][0]["grade"]["code"], "B2");
    let bad = post(m, &format!("/api/v1/claims/{a}/grade"), json!({"reliability": "G", "credibility": 9}));
    let fields: Vec<&str> =
        bad.body["error"]["fields"].as_array().expect("f").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["reliability", "credibility"]);
    // Rebuilding replays the same incidents.
    let before = app.get("/api/v1/incidents", &[("limit", "500")]).body;
    app.store.rebuild_blocking().expect("rebuild");
    assert_eq!(app.get("/api/v1/incidents", &[("limit", "500")]).body, before);
}

/// The ids of the incidents `GET /api/v1/incidents` lists with the query `q`.
fn incident_ids(app: &TestApp, q: &[(&str, &str)]) -> Vec<String> {
    let page = app.get("/api/v1/incidents", q);
    assert_eq!(page.status, 200, "{}", page.body);
    ids_of(&page.body)
}

/// The ids of the incidents on a page of `GET /api/v1/incidents`.
fn ids_of(page: &Value) -> Vec<String> {
    page["items"].as_array().expect("items").iter().map(|i| i["id"].as_str().expect("id").to_owned()).collect()
}

#[test]
fn a_list_by_place_finds_an_incident_by_each_claims_box_and_by_the_box_they_cover() {
    let app = TestApp::spawn();
    let m = &app.client;
    let a = submit(&app, &claim_at("ARM", "AZE", "shelling", 45.70, 40.10, "2022-05-01T10:00:00Z"));
    let far = submit(&app, &claim_at("ARM", "AZE", "shelling", 46.70, 39.50, "2022-08-01T10:00:00Z"));
    let (one, other) = (common::incident_of(&app, &a).expect("a"), common::incident_of(&app, &far).expect("far"));
    let ids = |q: &[(&str, &str)]| incident_ids(&app, q);
    let (near_a, near_far, between) = ("45.6,40.0,45.8,40.2", "46.6,39.4,46.8,39.6", "46.1,39.7,46.3,39.9");
    // One claim each: found by the claim's place and time.
    assert_eq!(ids(&[("bbox", near_a)]), vec![one.clone()]);
    assert_eq!(ids(&[("bbox", near_far)]), vec![other.clone()]);
    assert!(ids(&[("bbox", between)]).is_empty());
    assert_eq!(
        ids(&[("bbox", near_a), ("from", "2022-04-30T00:00:00Z"), ("to", "2022-05-02T00:00:00Z")]),
        vec![one.clone()]
    );
    assert!(ids(&[("bbox", near_a), ("from", "2022-06-01T00:00:00Z")]).is_empty());
    // Merged, the incident covers the box between its claims, and the merged one is gone.
    merge(&app, &other, &one, "Same battery");
    assert_eq!(ids(&[("bbox", between)]), vec![one.clone()]);
    assert_eq!(ids(&[("bbox", near_far)]), vec![one.clone()]);
    assert_eq!(
        ids(&[("bbox", between), ("from", "2022-06-01T00:00:00Z"), ("to", "2022-06-30T00:00:00Z")]),
        vec![one.clone()]
    );
    // Detached again, each is where its one claim is.
    let detached = post(
        m,
        &format!("/api/v1/incidents/{one}/claims/{far}/detach"),
        json!({"reason": "Months apart", "version": version(&app, &one)}),
    );
    assert_eq!(detached.status, 201, "{}", detached.body);
    let split = detached.body["id"].as_str().expect("id").to_owned();
    assert!(ids(&[("bbox", between)]).is_empty());
    assert_eq!(ids(&[("bbox", near_a)]), vec![one.clone()]);
    assert_eq!(ids(&[("bbox", near_far)]), vec![split]);
    // The same after the projections are rebuilt from the journal.
    let before = app.get("/api/v1/incidents", &[("bbox", "45,39,47,41")]).body;
    app.store.rebuild_blocking().expect("rebuild");
    assert_eq!(app.get("/api/v1/incidents", &[("bbox", "45,39,47,41")]).body, before);
    assert!(ids(&[("bbox", between)]).is_empty());
}

#[test]
fn a_list_by_place_pages_alike_from_the_newest_incidents_and_from_the_r_trees() {
    let app = TestApp::spawn();
    // Three incidents in the box, older than the 25 elsewhere that a page of one reads in
    // order (20 rows) before it asks the R*Trees; two of the three are merged, so that one
    // is listed by its own area entry and one by its claim's.
    let when = |i: usize| format!("2022-{:02}-{:02}T10:00:00Z", 1 + i / 9, 1 + 3 * (i % 9));
    let inside: Vec<String> = (0..3)
        .map(|i| {
            let c = submit(&app, &claim_at("ARM", "AZE", "shelling", 45.70 + 0.01 * i as f64, 40.10, &when(i)));
            common::incident_of(&app, &c).expect("incident")
        })
        .collect();
    for i in 3..28 {
        submit(&app, &claim_at("AZE", "ARM", "shelling", 46.70, 39.50, &when(i)));
    }
    merge(&app, &inside[1], &inside[0], "Same battery");
    let pages = |q: &[(&str, &str)]| {
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut query = q.to_vec();
            query.push(("limit", "1"));
            if let Some(c) = &cursor {
                query.push(("cursor", c));
            }
            let page = app.get("/api/v1/incidents", &query);
            assert_eq!(page.status, 200, "{}", page.body);
            ids.extend(ids_of(&page.body));
            match page.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return ids,
            }
        }
    };
    let in_box = ("bbox", "45.6,40.0,45.8,40.2");
    assert_eq!(pages(&[in_box]), vec![inside[2].clone(), inside[0].clone()]);
    assert_eq!(pages(&[in_box, ("from", "2022-01-05T00:00:00Z")]), vec![inside[2].clone()]);
    assert_eq!(pages(&[in_box, ("to", "2022-01-02T00:00:00Z")]), vec![inside[0].clone()]);
    // The box between the merged claims is in their incident's area alone.
    assert_eq!(pages(&[("bbox", "45.705,40.0,45.709,40.2")]), vec![inside[0].clone()]);
    assert_eq!(pages(&[("bbox", "45.6,40.0,47,40.2")]).len(), 2);
    assert_eq!(pages(&[("bbox", "45,39,47,41")]).len(), 27);
    let weeks = app.get("/api/v1/incidents/weeks", &[in_box]);
    assert_eq!(weeks.body, json!([{"week": "2021-12-27", "count": 1}, {"week": "2022-01-03", "count": 1}]));
    // A merged incident has no place of its own, whichever way the page is read: its row
    // keeps the box it had, where reading the newest first would meet it.
    let late: Vec<String> = (28..31)
        .map(|i| {
            let c = submit(&app, &claim_at("ARM", "AZE", "shelling", 46.20 + 0.01 * (i - 28) as f64, 39.80, &when(i)));
            common::incident_of(&app, &c).expect("incident")
        })
        .collect();
    for from in &late[1..] {
        merge(&app, from, &late[0], "Same strike");
    }
    let late_box = ("bbox", "46.1,39.7,46.3,39.9");
    assert_eq!(pages(&[late_box]), vec![late[0].clone()]);
    for q in [late_box, in_box, ("bbox", "45,39,47,41")] {
        assert!(pages(&[q, ("state", "merged")]).is_empty(), "{q:?}");
        assert_eq!(app.get("/api/v1/incidents/weeks", &[q, ("state", "merged")]).body, json!([]));
    }
    // A cursor past every incident reads from the newest.
    let far = app.get("/api/v1/incidents", &[in_box, ("limit", "1"), ("cursor", "s18446744073709551615")]);
    assert_eq!(far.status, 200, "{}", far.body);
    assert_eq!(far.body["items"][0]["id"], inside[2].as_str());
}

#[test]
fn incidents_filter_by_state_attribution_and_deadline() {
    // The bundled scenario with a reported-state deadline of zero hours: everything reported is overdue.
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.db");
    let store = truce_store::Store::open(&db).expect("open");
    let mut files = truce::bundle::files();
    files.scenario.1 = files.scenario.1.replace("reported = 24", "reported = 0");
    let sc = truce_core::scenario::Scenario::load(&files).expect("scenario");
    truce::bundle::init(&store, sc).expect("init");
    let app = TestApp::serve(store, db, dir);
    let a = submit(&app, &claim_at("ARM", "AZE", "shelling", 45.70, 40.10, "2022-05-01T10:00:00Z"));
    let b = submit(&app, &claim_at("ARM", "AZE", "drone_strike", 46.70, 39.50, "2022-08-01T10:00:00Z"));
    let (ia, ib) = (common::incident_of(&app, &a).expect("a"), common::incident_of(&app, &b).expect("b"));
    let v = version(&app, &ib);
    let moved = post(
        &app.client,
        &format!("/api/v1/incidents/{ib}/verification"),
        json!({"to": "under_review", "reason": "x", "version": v}),
    );
    assert_eq!(moved.status, 200);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let ids = |q: &[(&str, &str)]| incident_ids(&app, q);
    assert_eq!(ids(&[("overdue", "true")]), vec![ia.clone()]);
    assert_eq!(ids(&[("state", "under_review")]), vec![ib.clone()]);
    assert_eq!(ids(&[("type", "drone_strike")]), vec![ib.clone()]);
    assert_eq!(ids(&[("bbox", "45.6,40.0,45.8,40.2")]), vec![ia.clone()]);
    assert!(ids(&[("attribution", "AZE")]).is_empty());
    // The timeline: per week from Monday (1 May 2022 was a Sunday), with the list's filters.
    let weeks = app.get("/api/v1/incidents/weeks", &[]);
    assert_eq!(weeks.body, json!([{"week": "2022-04-25", "count": 1}, {"week": "2022-08-01", "count": 1}]));
    let weeks = app.get("/api/v1/incidents/weeks", &[("type", "drone_strike")]);
    assert_eq!(weeks.body, json!([{"week": "2022-08-01", "count": 1}]));
    let bad = app.get("/api/v1/incidents", &[("state", "sideways"), ("overdue", "maybe"), ("attribution", "XXX")]);
    assert_eq!(bad.status, 400);
    let fields: Vec<&str> =
        bad.body["error"]["fields"].as_array().expect("f").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["state", "attribution", "overdue"]);
}
