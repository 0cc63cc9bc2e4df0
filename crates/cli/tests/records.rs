//! Provision records over HTTP: every kind created, read and listed; links to claims and
//! incidents shown only to those who may read what they name; bad input refused field by
//! field with nothing written; the compliance view derived from records and findings.

mod common;

use serde_json::{Value, json};

/// The demo's records (every kind), without their links to demo claims.
fn samples() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/nagorno-karabakh-2020/demo/records.json"
    ))
    .expect("demo records");
    let mut items: Vec<Value> = serde_json::from_str(&text).expect("JSON");
    for i in &mut items {
        let o = i.as_object_mut().expect("object");
        o.remove("claim_files");
        o.remove("incidents_of");
    }
    items
}

/// `#N` in a status's `detainee` or an exchange's `detainees`: the N-th sample's id.
fn resolve(sample: &Value, ids: &[String]) -> Value {
    let mut s = sample.clone();
    let fix = |v: &mut Value| {
        if let Some(n) = v.as_str().and_then(|t| t.strip_prefix('#')) {
            *v = json!(ids[n.parse::<usize>().expect("number")]);
        }
    };
    if let Some(d) = s["record"].get_mut("detainee") {
        fix(d);
    }
    if let Some(ts) = s["record"].get_mut("transfers").and_then(Value::as_array_mut) {
        for t in ts {
            for d in t["detainees"].as_array_mut().into_iter().flatten() {
                fix(d);
            }
        }
    }
    s
}

/// Posts every sample as the app's monitor; their answers in order.
fn post_samples(app: &common::TestApp) -> Vec<Value> {
    let mut ids = Vec::new();
    let mut out = Vec::new();
    for s in samples() {
        let s = resolve(&s, &ids);
        let a = app.client.post_raw("/api/v1/records", &s.to_string()).expect("answer");
        assert_eq!(a.status, 201, "{s}: {}", a.body);
        ids.push(a.body["id"].as_str().expect("id").to_owned());
        out.push(a.body);
    }
    out
}

#[test]
fn every_kind_is_recorded_read_and_listed_and_is_a_journal_entry() {
    let app = common::TestApp::spawn_with_log_key();
    let samples = samples();
    // A claim and its incident to link every record to.
    let claim = app.post_claim(&common::claim()).body["id"].as_str().expect("id").to_owned();
    let incident = common::incident_of(&app, &claim).expect("incident");
    let mut kinds = std::collections::BTreeSet::new();
    let mut ids: Vec<String> = Vec::new();
    for s in &samples {
        let s = &resolve(s, &ids);
        let before = app.journal_len();
        let a = app.client.post_raw("/api/v1/records", &s.to_string()).expect("answer");
        assert_eq!(a.status, 201, "{s}: {}", a.body);
        // One entry per record; a named detainee's answer shows the particulars to the
        // monitor who recorded them, and that read is journaled too.
        let shown = if a.body["person"].is_object() { 1 } else { 0 };
        assert_eq!(app.journal_len(), before + 1 + shown, "one entry per record");
        ids.push(a.body["id"].as_str().expect("id").to_owned());
        let kind = s["record"]["kind"].as_str().expect("kind");
        assert_eq!(a.body["kind"], kind);
        assert!(a.body["provision"].is_string() || kind == "mediation", "{}", a.body);
        kinds.insert(kind.to_owned());
        // Read back as stored: one by id, and its journal entry.
        let id = a.body["id"].as_str().expect("id");
        let one = app.get(&format!("/api/v1/records/{id}"), &[]);
        assert!(one.body.get("withheld").is_none(), "the monitor sees everything: {}", one.body);
        assert_eq!(one.status, 200);
        assert_eq!(one.body["record"], a.body["record"]);
        let entry = app.get(&format!("/api/v1/log/entries/{}", a.body["seq"]), &[]);
        assert_eq!(entry.status, 200, "{}", entry.body);
        assert!(entry.body["leaf"].as_str().is_some_and(|l| l.contains("kind record.added")), "{}", entry.body);
        // Linked afterwards, and found through the link.
        let body = json!({"claims": [claim], "incidents": [incident]}).to_string();
        let linked = app.client.post_raw(&format!("/api/v1/records/{id}/links"), &body).expect("answer");
        assert_eq!(linked.status, 200, "{kind}: {}", linked.body);
        assert_eq!(linked.body["claims"], json!([claim]));
        let found = app.get("/api/v1/records", &[("linked", &incident), ("kind", kind)]).body;
        assert!(found.as_array().expect("list").iter().any(|r| r["id"] == id), "{kind}: {found}");
    }
    assert_eq!(kinds.len(), truce_core::provisions::RecordData::KINDS.len(), "the samples cover every kind");
    // Times are stored in one form.
    let closures = app.get("/api/v1/records", &[("kind", "closure"), ("provision", "P6")]);
    assert_eq!(closures.status, 200);
    let items = closures.body.as_array().expect("list");
    assert_eq!(items.len(), 1, "{}", closures.body);
    assert_eq!(items[0]["record"]["from"], "2022-12-12T00:00:00.000Z");
    assert_eq!(items[0]["record"]["to"], "2022-12-20T23:59:59.999Z", "a day as an end covers the day");
    // Filters: party, time, and a kind with no provision given (inferred: P7 is the only
    // displaced-return provision).
    let returns = app.get("/api/v1/records", &[("kind", "return")]);
    assert!(returns.body.as_array().expect("list").iter().all(|r| r["provision"] == "P7"));
    let by_aze = app.get("/api/v1/records", &[("party", "AZE")]).body;
    assert!(by_aze.as_array().expect("list").iter().all(|r| r["kind"] != "return"), "{by_aze}");
    let in_2020 = app.get("/api/v1/records", &[("from", "2020-11"), ("to", "2020-12")]).body;
    let n2020 = in_2020.as_array().expect("list").len();
    assert!(n2020 > 3 && n2020 < samples.len(), "{n2020}");
    let everything = app.get("/api/v1/records", &[("linked", &claim), ("limit", "500")]).body;
    assert_eq!(everything.as_array().map(|a| a.len()), Some(samples.len()));
    // The public reads records (the compliance view is the mission's public account) but
    // not their journal entries, which may name unpublished claims.
    let public = truce::client::Client::new(&app.base);
    assert_eq!(public.get("/api/v1/records", &[]).expect("answer").status, 200);
    let seq = items[0]["seq"].to_string();
    assert!(matches!(public.get(&format!("/api/v1/log/entries/{seq}"), &[]).expect("answer").status, 401 | 403 | 404));
    // A rebuild of the projections from the journal gives the same records.
    let all_before = app.get("/api/v1/records", &[("limit", "500")]).body;
    app.store.rebuild_blocking().expect("rebuild");
    assert_eq!(app.get("/api/v1/records", &[("limit", "500")]).body, all_before);
}

#[test]
fn bad_records_are_refused_field_by_field_and_nothing_is_written() {
    let app = common::TestApp::spawn();
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"record": {"kind": "return", "date": "2020-12-03", "from": "Yerevan", "to": "atlantis", "households": 3,
                           "persons": 10, "organised": true, "unhcr_verified": false}}),
            "record.to",
        ),
        (
            json!({"record": {"kind": "return", "date": "2020-12-03", "from": "Yerevan", "to": "martuni", "households": 30,
                           "persons": 10, "organised": true, "unhcr_verified": false}}),
            "record.persons",
        ),
        (
            json!({"provision": "P6", "record": {"kind": "closure", "link": "lachin-corridor", "state": "closed", "by": "XXX",
                           "from": "2022-12-12", "reason_claimed": "protest"}}),
            "record.by",
        ),
        (
            json!({"provision": "P6", "record": {"kind": "closure", "link": "lachin-corridor", "state": "closed", "by": "AZE",
                           "from": "2022-12-12", "to": "2022-12-01", "reason_claimed": "protest"}}),
            "record.to",
        ),
        (
            json!({"record": {"kind": "closure", "link": "lachin-corridor", "state": "closed", "by": "AZE",
                           "from": "2022-12-12", "reason_claimed": "protest"}}),
            "provision",
        ),
        (
            json!({"provision": "P7", "record": {"kind": "closure", "link": "lachin-corridor", "state": "closed", "by": "AZE",
                           "from": "2022-12-12", "reason_claimed": "protest"}}),
            "provision",
        ),
        (
            json!({"record": {"kind": "control_change", "what": "a height", "location": [46.1, 39.6], "from": "ARM",
                           "to": "ARM", "at": "2021-11-16"}}),
            "record.to",
        ),
        (
            json!({"record": {"kind": "control_change", "what": "a height", "location": [46.1, 39.6], "from": "ARM",
                           "to": "AZE", "at": "yesterday"}}),
            "record.at",
        ),
        (
            json!({"record": {"kind": "deadline_status", "deadline": "agdam-handover", "status": "done",
                           "evidence": "seen"}}),
            "record.done_on",
        ),
        (
            json!({"record": {"kind": "deadline_status", "deadline": "no-such", "status": "pending",
                           "evidence": "seen"}}),
            "record.deadline",
        ),
        (
            json!({"record": {"kind": "access_restriction", "restriction": "delay", "by": "ARM", "location": [46.1, 39.6],
                           "at": "2022-09-13", "reason_given": "\"No.\""}}),
            "record.delay_minutes",
        ),
        (
            json!({"record": {"kind": "observation", "observer": "team", "means": [], "from": "2021-11-16T19:00:00Z",
                           "to": "2021-11-16T21:00:00Z", "location": [46.1, 39.6], "counts": {},
                           "bearing_deg": {"min": 10, "max": 400}}}),
            "record.means",
        ),
        (
            json!({"record": {"kind": "mediation", "item": "meeting", "participants": [], "date": "2021-11-16",
                           "summary": "met"}}),
            "record.participants",
        ),
        (
            json!({"record": {"kind": "patrol", "contingent": "RU", "route": {"type": "Point", "coordinates": [46.1, 39.6]},
                           "from": "2021-11-17", "to": "2021-11-17", "report": "quiet"}}),
            "record.route.type",
        ),
        (
            json!({"record": {"kind": "return", "date": "2020-12-03", "from": "Yerevan", "to": "martuni", "households": -1,
                           "persons": 10, "organised": true, "unhcr_verified": false}}),
            "record",
        ),
        (json!({"record": {"kind": "unknown_kind"}}), "record.kind"),
        (
            json!({"record": {"kind": "line_version", "valid_from": "2020-11-10",
                           "geometry": {"type": "Point", "coordinates": [46.1, 39.6]}}}),
            "record.geometry.type",
        ),
        (
            json!({"record": {"kind": "position", "name": " ", "holder": "ARM", "location": [46.1, 39.6],
                           "since": "2020-11-10"}}),
            "record.name",
        ),
        (
            json!({"provision": "P3", "record": {"kind": "post", "name": "7", "contingent": "RU", "location": [46.1, 39.6],
                           "opened": "2020-11-12", "closed": "2020-11-01"}}),
            "record.closed",
        ),
        (
            json!({"provision": "P6", "record": {"kind": "crossing_count", "checkpoint": "K", "link": "nowhere",
                           "from": "2022-12-01", "to": "2022-12-07", "direction": "east", "people": 1}}),
            "record.link",
        ),
        (
            json!({"provision": "P6", "record": {"kind": "crossing", "checkpoint": "K", "at": "2022-12-21",
                           "direction": "east", "description": ""}}),
            "record.description",
        ),
        (
            json!({"record": {"kind": "detainee", "held_by": "AZE", "side": "ARM", "category": "civilian", "count": 3,
                           "captured_at": "2021-01-01", "person": {"name": "N"}}}),
            "record.person",
        ),
        (
            json!({"record": {"kind": "exchange", "date": "2021-12-04", "place": "p", "intermediary": "i",
                           "transfers": [{"from": "AZE", "to": "ARM"}]}}),
            "record.transfers[0]",
        ),
        (
            json!({"record": {"kind": "post", "name": "P1", "contingent": "RU", "location": [46.1, 99.0],
                           "opened": "2020-11-12"}}),
            "record.location",
        ),
        (
            json!({"provision": 6, "record": {"kind": "mediation", "item": "call", "participants": ["A"],
                           "date": "2021-11-16", "summary": "s"}}),
            "provision",
        ),
        (
            json!({"record": {"kind": "mediation", "item": "call", "participants": ["A"], "date": "2021-11-16",
                           "summary": "s", "colour": "red"}}),
            "record",
        ),
    ];
    let before = app.journal_len();
    for (body, field) in &cases {
        let a = app.client.post_raw("/api/v1/records", &body.to_string()).expect("answer");
        assert_eq!(a.status, 422, "{body}: {}", a.body);
        let fields: Vec<&str> = a.body["error"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["field"].as_str().unwrap_or_default())
            .collect();
        assert!(fields.iter().any(|f| f.starts_with(field)), "{body}: expected {field} in {fields:?}");
    }
    // A link to a claim or incident that does not exist: 404 naming it, nothing written.
    let mut ok = samples()[0].clone();
    ok["claims"] = json!(["01ARZ3NDEKTSV4RRFFQ69G5FAV"]);
    let a = app.client.post_raw("/api/v1/records", &ok.to_string()).expect("answer");
    assert_eq!(a.status, 404, "{}", a.body);
    assert!(a.body["error"]["message"].as_str().is_some_and(|m| m.contains("claims[0]")), "{}", a.body);
    assert_eq!(app.journal_len(), before, "nothing was written");
    // Only monitors record.
    let party = app.client_as("r.arm", "ARM", "party");
    let before = app.journal_len();
    assert_eq!(party.post_raw("/api/v1/records", &samples()[0].to_string()).expect("answer").status, 403);
    let public = truce::client::Client::new(&app.base);
    assert_eq!(public.post_raw("/api/v1/records", &samples()[0].to_string()).expect("answer").status, 401);
    assert_eq!(app.journal_len(), before, "nothing was written");
}

#[test]
fn links_are_shown_only_to_those_who_may_read_what_they_name() {
    let app = common::TestApp::spawn();
    let arm = app.client_as("l.arm", "ARM", "party");
    let aze = app.client_as("l.aze", "AZE", "party");
    let public = truce::client::Client::new(&app.base);
    let posted = arm.post_raw("/api/v1/claims", &common::claim().to_string()).expect("answer");
    assert_eq!(posted.status, 201, "{}", posted.body);
    let claim = posted.body["id"].as_str().expect("id").to_owned();
    let incident = common::incident_of(&app, &claim).expect("incident");
    let rec = app.client.post_raw("/api/v1/records", &samples()[2].to_string()).expect("answer");
    assert_eq!(rec.status, 201, "{}", rec.body);
    let id = rec.body["id"].as_str().expect("id").to_owned();
    // Linked afterwards: an entry of its own.
    let before = app.journal_len();
    let body = json!({"claims": [claim], "incidents": [incident]}).to_string();
    let linked = app.client.post_raw(&format!("/api/v1/records/{id}/links"), &body).expect("answer");
    assert_eq!(linked.status, 200, "{}", linked.body);
    assert_eq!(app.journal_len(), before + 1);
    assert_eq!(linked.body["claims"], json!([claim]));
    assert_eq!(linked.body["incidents"], json!([incident]));
    // Bad links: empty, unknown record, unknown incident; nothing written.
    let len = app.journal_len();
    let empty = app.client.post_raw(&format!("/api/v1/records/{id}/links"), "{}").expect("answer");
    assert_eq!(empty.status, 422, "{}", empty.body);
    let nobody = app.client.post_raw("/api/v1/records/01ARZ3NDEKTSV4RRFFQ69G5FAV/links", &body).expect("answer");
    assert_eq!(nobody.status, 404, "{}", nobody.body);
    let bad = json!({"incidents": ["01ARZ3NDEKTSV4RRFFQ69G5FAV"]}).to_string();
    let unknown = app.client.post_raw(&format!("/api/v1/records/{id}/links"), &bad).expect("answer");
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert_eq!(app.journal_len(), len);
    // The ARM liaison sees its own claim; AZE and the public see the record without the
    // unpublished claim and incident, and cannot find the record through them.
    let seen = |c: &truce::client::Client| c.get(&format!("/api/v1/records/{id}"), &[]).expect("answer").body;
    assert_eq!(seen(&arm)["claims"], json!([claim]));
    assert_eq!(seen(&arm)["incidents"], json!([]), "an unpublished incident is the mission's");
    for c in [&aze, &public] {
        let v = seen(c);
        assert_eq!(v["claims"], json!([]), "{v}");
        assert_eq!(v["incidents"], json!([]), "{v}");
        let by_link = c.get("/api/v1/records", &[("linked", claim.clone())]).expect("answer");
        assert_eq!(by_link.body, json!([]), "a record found through a claim one may not read reveals the claim");
    }
    let by_link = app.get("/api/v1/records", &[("linked", &claim)]);
    assert_eq!(by_link.body.as_array().map(Vec::len), Some(1));
}

#[test]
fn compliance_is_derived_from_records_and_published_findings() {
    let app = common::TestApp::spawn();
    let status = |p: &str| app.get(&format!("/api/v1/provisions/{p}"), &[]).body["status"].clone();
    // Nothing yet: no data anywhere.
    let all = app.get("/api/v1/provisions", &[]);
    assert_eq!(all.status, 200);
    assert!(all.body.as_array().expect("list").iter().all(|p| p["status"] == "no_data"), "{}", all.body);
    let p2 = app.get("/api/v1/provisions/P2", &[]).body;
    assert!(
        p2["reasons"].as_array().expect("reasons").iter().any(|r| r["code"] == "deadline_overdue"
            && r["text"].as_str().is_some_and(|t| t.contains("no record of it done"))
            && r["values"]["deadline"].is_string()),
        "an overdue deadline is named: {p2}"
    );
    assert_eq!(app.get("/api/v1/provisions/P99", &[]).status, 404);
    post_samples(&app);
    // A disputed closure: disputed; an undisputed restriction: a violation; obstruction of
    // the monitors is a violation; returns and a handover on time: kept.
    assert_eq!(status("P6"), "disputed");
    assert_eq!(status("P9"), "violations_verified");
    assert_eq!(status("P5"), "violations_verified");
    assert_eq!(status("P7"), "kept");
    assert_eq!(status("P2"), "kept");
    let p6 = app.get("/api/v1/provisions/P6", &[]).body;
    let ind = |p: &Value, n: &str| {
        p["indicators"].as_array().expect("ind").iter().find(|i| i["name"] == n).map(|i| i["value"].clone())
    };
    assert_eq!(ind(&p6, "days_closed"), Some(json!(9)), "12 to 20 December");
    let deadlines = ind(&p6, "deadlines").expect("deadlines");
    assert!(deadlines.as_array().expect("rows").iter().all(|d| d["state"] == "done"), "{deadlines}");
    let p7 = app.get("/api/v1/provisions/P7", &[]).body;
    assert_eq!(ind(&p7, "returns_to_date"), Some(json!(1590)));
    // Two changes of control since the ceasefire, both only claimed.
    let changes = app.get("/api/v1/provisions/control-changes", &[]);
    assert_eq!(changes.status, 200, "{}", changes.body);
    let list = changes.body.as_array().expect("list");
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|c| c["status"] == "claimed" && c["after_ceasefire"] == true), "{}", changes.body);
    assert_eq!(status("P1"), "disputed", "claimed advances, none verified");
    // A published finding of a breach of P1, linked to a change of control: verified.
    let posted = app.post_claim(&common::claim());
    let claim = posted.body["id"].as_str().expect("id").to_owned();
    let incident = common::publish_incident(&app, &claim);
    let change = list[0]["id"].as_str().expect("id");
    let body = json!({"incidents": [incident]}).to_string();
    assert_eq!(app.client.post_raw(&format!("/api/v1/records/{change}/links"), &body).expect("answer").status, 200);
    assert_eq!(status("P1"), "violations_verified");
    let changes = app.get("/api/v1/provisions/control-changes", &[]).body;
    let verified = changes.as_array().expect("list").iter().filter(|c| c["status"] == "verified").count();
    assert_eq!(verified, 1, "{changes}");
    let p1 = app.get("/api/v1/provisions/P1", &[]).body;
    let weekly = ind(&p1, "violations_verified_per_week").expect("weekly");
    assert_eq!(weekly, json!({"2021-05-10": 1}), "the finding's week (Monday)");
}

#[test]
fn a_detainees_particulars_are_restricted_kept_out_of_the_journal_and_erasable_with_every_proof_valid() {
    let app = common::TestApp::spawn_with_log_key();
    let name = "Vardan Particularmarker";
    let body = json!({"provision": "P8", "record": {"kind": "detainee", "held_by": "AZE", "side": "ARM",
        "category": "civilian", "captured_at": "2020-12-13", "person": {"name": name, "birth_date": "1961-04-02"}}});
    let a = app.client.post_raw("/api/v1/records", &body.to_string()).expect("answer");
    assert_eq!(a.status, 201, "{}", a.body);
    let (id, seq) = (a.body["id"].as_str().expect("id").to_owned(), a.body["seq"].as_u64().expect("seq"));
    assert_eq!(a.body["person"]["name"], name);
    assert_eq!(a.body["history"][0]["status"], "held");
    // The journal holds only the salted hash: no entry's payload has the name.
    let conn = rusqlite::Connection::open(&app.db).expect("open");
    let mut stmt = conn.prepare("SELECT payload FROM journal").expect("prepare");
    let payloads: Vec<Vec<u8>> = stmt.query_map([], |r| r.get(0)).expect("query").map(|r| r.expect("row")).collect();
    assert!(payloads.iter().all(|p| !String::from_utf8_lossy(p).contains("Particularmarker")));
    let entry = app.get(&format!("/api/v1/log/entries/{seq}"), &[]).body;
    assert!(entry["payload"]["record"]["person_sha256"].as_str().is_some_and(|h| h.len() == 64), "{entry}");

    // Who sees the particulars: the detainee's side and monitors; every such read journaled.
    let arm = app.client_as("d.arm", "ARM", "party");
    let aze = app.client_as("d.aze", "AZE", "party");
    let admin = app.client_as("d.admin", "JMC", "admin");
    let public = truce::client::Client::new(&app.base);
    let before = app.journal_len();
    let seen = arm.get(&format!("/api/v1/records/{id}"), &[]).expect("answer").body;
    assert_eq!(seen["person"]["name"], name);
    assert_eq!(app.journal_len(), before + 1, "the read is journaled");
    let read = app.get(&format!("/api/v1/log/entries/{before}"), &[]).body;
    assert!(read["leaf"].as_str().is_some_and(|l| l.contains("kind personal_data.read")), "{read}");
    assert_eq!(read["payload"]["records"], json!([id]));
    for c in [&aze, &public, &admin] {
        let before = app.journal_len();
        let v = c.get(&format!("/api/v1/records/{id}"), &[]).expect("answer").body;
        assert!(v.get("person").is_none() && v["withheld"] == json!(["person"]), "{v}");
        let list = c.get("/api/v1/records", &[("kind", "detainee".to_owned())]).expect("answer").body.to_string();
        assert!(!list.contains("Particularmarker"), "{list}");
        assert_eq!(app.journal_len(), before, "nothing shown, nothing journaled");
    }

    // Erasure: the admin's act, journaled; refused to others, and when nothing is kept.
    let checkpoint_before = app.store.checkpoint_blocking().expect("checkpoint");
    let old = public.get_bytes("/log/checkpoint").expect("answer").expect("checkpoint");
    let dir = tempfile::tempdir().expect("dir");
    let old_path = dir.path().join("before.checkpoint");
    std::fs::write(&old_path, old).expect("save");
    let erase = |c: &truce::client::Client, body: &str| {
        c.post_raw(&format!("/api/v1/records/{id}/erase-personal-data"), body).expect("answer")
    };
    assert_eq!(erase(&app.client, r#"{"reason": "request"}"#).status, 403, "monitors do not erase");
    assert_eq!(erase(&admin, "{}").status, 422, "a reason is required");
    let before = app.journal_len();
    let done = erase(&admin, r#"{"reason": "The person's request of 1 March"}"#);
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["person_erased"], true);
    assert_eq!(app.journal_len(), before + 1);
    assert_eq!(erase(&admin, r#"{"reason": "again"}"#).status, 409, "nothing left to erase");
    let kept: i64 = conn.query_row("SELECT count(*) FROM personal_data", [], |r| r.get(0)).expect("count");
    assert_eq!(kept, 0);
    let v = arm.get(&format!("/api/v1/records/{id}"), &[]).expect("answer").body;
    assert!(v.get("person").is_none() && v["person_erased"] == true, "{v}");

    // Every proof is still valid: a full audit of the database (every payload re-hashed),
    // consistency with the checkpoint signed before the erasure, inclusion of the record.
    app.store.checkpoint_blocking().expect("checkpoint");
    let vkey = app.store.log_key().expect("key").note_verifier().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(["verify", "--db", app.db.to_str().expect("utf-8"), "--key", &vkey, "--checkpoint"])
        .arg(&old_path)
        .args(["--seq", &seq.to_string()])
        .output()
        .expect("truce verify");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "verify after the erasure:\n{text}");
    assert!(checkpoint_before > seq, "the saved checkpoint covered the record");
}

#[test]
fn an_exchange_closes_the_captured_and_the_counts_are_public() {
    let app = common::TestApp::spawn();
    let posted = post_samples(&app);
    let group = posted.iter().find(|r| r["record"]["count"] == 12).expect("the 12 captured");
    let v = app.get(&format!("/api/v1/records/{}", group["id"].as_str().expect("id")), &[]).body;
    let steps: Vec<&str> =
        v["history"].as_array().expect("history").iter().map(|s| s["status"].as_str().unwrap_or("")).collect();
    assert_eq!(steps, ["held", "exchanged"], "{v}");
    let public = truce::client::Client::new(&app.base);
    let p8 = public.get("/api/v1/provisions/P8", &[]).expect("answer").body;
    let ind =
        |n: &str| p8["indicators"].as_array().expect("ind").iter().find(|i| i["name"] == n).map(|i| i["value"].clone());
    assert_eq!(ind("detainees_by_holder_and_status"), Some(json!({"AZE": {"exchanged": 12, "visited_by_icrc": 1}})));
    assert_eq!(ind("still_held_per_party"), Some(json!({"AZE": 1})));
    assert_eq!(ind("remains_returned"), Some(json!(2)));
    assert_eq!(p8["status"], "disputed", "{p8}");
    assert!(!p8.to_string().contains("Fictitious"), "counts, never names");
    // A status of a record that is not a detainee: refused, nothing written.
    let not_detainee = posted.iter().find(|r| r["kind"] == "mediation").expect("mediation")["id"].clone();
    let body = json!({"record": {"kind": "detainee_status", "detainee": not_detainee, "status": "released", "at": "2022-01-01"}});
    let group_id = group["id"].clone();
    let cases = [
        (body, "record.detainee", "not a detainee"),
        (
            json!({"record": {"kind": "detainee_status", "detainee": group_id, "status": "released", "at": "2021-11-01"}}),
            "record.detainee",
            "before the capture",
        ),
        (
            json!({"record": {"kind": "exchange", "date": "2022-01-01", "place": "p", "intermediary": "i",
                              "transfers": [{"from": "ARM", "to": "AZE", "detainees": [group_id]}]}}),
            "record.transfers[0].detainees[0]",
            "handed over from AZE to ARM",
        ),
    ];
    let before = app.journal_len();
    for (body, field, why) in cases {
        let a = app.client.post_raw("/api/v1/records", &body.to_string()).expect("answer");
        assert_eq!(a.status, 422, "{body}: {}", a.body);
        let f = &a.body["error"]["fields"][0];
        assert!(f["field"] == field && f["reason"].as_str().is_some_and(|r| r.contains(why)), "{}", a.body);
    }
    assert_eq!(app.journal_len(), before);
}

#[test]
fn a_finding_cites_the_missions_observation_as_evidence() {
    let app = common::TestApp::spawn();
    let posted = post_samples(&app);
    let observation = posted.iter().find(|r| r["kind"] == "observation").expect("observation")["id"].clone();
    let claim = app.post_claim(&common::claim()).body["id"].as_str().expect("id").to_owned();
    let id = common::incident_of(&app, &claim).expect("incident");
    let version = || app.get(&format!("/api/v1/incidents/{id}"), &[]).body["version"].as_u64().expect("version");
    let step = |body: Value| app.client.post_raw(&format!("/api/v1/incidents/{id}/verification"), &body.to_string());
    let a = step(json!({"to": "under_review", "reason": "Tasked.", "version": version()})).expect("answer");
    assert_eq!(a.status, 200, "{}", a.body);
    let mut finding = common::finding();
    finding["evidence"] = json!([{"record": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}]);
    let before = app.journal_len();
    let body = json!({"to": "finding_proposed", "reason": "Report.", "finding": finding, "version": version()});
    let a = step(body).expect("answer");
    assert_eq!(a.status, 404, "a record that does not exist: {}", a.body);
    assert_eq!(app.journal_len(), before);
    finding["evidence"] = json!([{"record": observation}]);
    let body = json!({"to": "finding_proposed", "reason": "Report.", "finding": finding, "version": version()});
    let a = step(body).expect("answer");
    assert_eq!(a.status, 200, "{}", a.body);
    let d = app.get(&format!("/api/v1/incidents/{id}"), &[]).body;
    assert!(d.to_string().contains(&format!("{{\"record\":{observation}}}")), "the finding cites it: {d}");
}
