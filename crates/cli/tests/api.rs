//! The HTTP API against the real server: every endpoint, every filter, every bad input.

mod common;

use common::{TestApp, claim};
use serde_json::{Value, json};

#[test]
fn submitted_claim_is_durable_and_readable() {
    let app = TestApp::spawn();
    let before = app.journal_len();
    let a = app.post_claim(&claim());
    assert_eq!(a.status, 201, "{:?}", a.body);
    let id = a.body["id"].as_str().expect("id").to_owned();
    // The claim, and the entry that placed it in an incident.
    assert_eq!(app.journal_len(), before + 2);
    assert_eq!(a.body["claimant"], "ARM");
    assert_eq!(a.body["occurred"]["from"], "2021-05-12T22:10:00.000Z");
    assert_eq!(a.body["casualties"][0]["wounded"], 2);
    assert_eq!(a.body["location"]["radius_m"], 1000);

    let got = app.get(&format!("/api/v1/claims/{id}"), &[]);
    assert_eq!(got.status, 200);
    assert_eq!(got.body, a.body);
}

#[test]
fn unknown_claim_is_404_json() {
    let app = TestApp::spawn();
    let a = app.get("/api/v1/claims/01HZZZZZZZZZZZZZZZZZZZZZZZ", &[]);
    assert_eq!(a.status, 404);
    assert_eq!(a.body["error"]["code"], "not_found");
    let a = app.get("/api/v1/nothing-here", &[]);
    assert_eq!(a.status, 404);
    assert_eq!(a.body["error"]["code"], "not_found");
    let a = app.client.post_raw("/api/v1/scenario", "{}").expect("answer");
    assert_eq!(a.status, 405);
    assert_eq!(a.body["error"]["code"], "method_not_allowed");
}

#[test]
fn kilisali_claims_are_listed_at_the_gazetteer_place() {
    let app = TestApp::spawn_demo();
    let a = app.get("/api/v1/claims", &[("limit", "500")]);
    assert_eq!(a.status, 200);
    let items = a.body["items"].as_array().expect("items");
    let kilisali: Vec<&Value> =
        items.iter().filter(|c| c["tags"].as_array().is_some_and(|t| t.contains(&json!("seed-article")))).collect();
    assert_eq!(kilisali.len(), 3, "the three claims of the seed article");
    let claimants: Vec<&str> = kilisali.iter().map(|c| c["claimant"].as_str().unwrap_or_default()).collect();
    for party in ["ARM", "AZE", "RUS"] {
        assert!(claimants.contains(&party), "{party} has a claim: {claimants:?}");
    }
    let place = app.get("/api/v1/places", &[("q", "Kilisali")]);
    let kilisali_place = &place.body["items"][0]["place"];
    assert_eq!(kilisali_place["id"], "mount-kilisali");
    for c in kilisali {
        assert_eq!(c["location"]["place"]["id"], "mount-kilisali");
        assert_eq!(c["location"]["geometry"]["type"], "Point");
        assert_eq!(c["location"]["geometry"]["coordinates"], json!([kilisali_place["lon"], kilisali_place["lat"]]));
        assert_eq!(c["occurred"]["from"], "2021-11-16T00:00:00.000Z");
    }
}

#[test]
fn filters_select_exactly_the_matching_claims() {
    let app = TestApp::spawn();
    let mut ids = Vec::new();
    let variants = [
        // (claimant, accused, type, date, lon, lat)
        ("ARM", "AZE", "shelling", "2021-05-01", 45.6, 40.0),
        ("AZE", "ARM", "shelling", "2021-05-02", 45.7, 40.1),
        ("AZE", "ARM", "sniper_fire", "2021-06-15", 46.7, 39.8),
        ("ARM", "AZE", "drone_strike", "2022-09-13", 45.5, 39.6),
    ];
    for (claimant, accused, t, d, lon, lat) in variants {
        let mut c = claim();
        c["claimant"] = json!(claimant);
        c["accused"] = json!(accused);
        c["event_type"] = json!(t);
        c["occurred"] = json!({"from": d, "precision": "day"});
        c["location"] = json!({"geometry": {"type": "Point", "coordinates": [lon, lat]}});
        let a = app.post_claim(&c);
        assert_eq!(a.status, 201, "{:?}", a.body);
        ids.push(a.body["id"].as_str().expect("id").to_owned());
    }
    let pick = |is: &[usize]| -> Vec<String> { is.iter().rev().map(|&i| ids[i].clone()).collect() };
    assert_eq!(app.claim_ids(&[]), pick(&[0, 1, 2, 3]));
    assert_eq!(app.claim_ids(&[("bbox", "45.5,39.9,45.8,40.2")]), pick(&[0, 1]));
    assert_eq!(app.claim_ids(&[("from", "2021-05-02"), ("to", "2021-12-31")]), pick(&[1, 2]));
    assert_eq!(app.claim_ids(&[("bbox", "45.5,39.9,45.8,40.2"), ("from", "2021-05-02")]), pick(&[1]));
    assert_eq!(app.claim_ids(&[("type", "shelling")]), pick(&[0, 1]));
    assert_eq!(app.claim_ids(&[("type", "sniper_fire,drone_strike")]), pick(&[2, 3]));
    assert_eq!(app.claim_ids(&[("claimant", "AZE")]), pick(&[1, 2]));
    assert_eq!(app.claim_ids(&[("accused", "AZE")]), pick(&[0, 3]));
    assert_eq!(app.claim_ids(&[("claimant", "AZE"), ("type", "shelling")]), pick(&[1]));
    assert!(app.claim_ids(&[("bbox", "10,10,11,11")]).is_empty());
}

#[test]
fn cursor_pagination_walks_every_claim_once() {
    let app = TestApp::spawn();
    let mut submitted = Vec::new();
    for _ in 0..7 {
        let a = app.post_claim(&claim());
        submitted.push(a.body["id"].as_str().expect("id").to_owned());
    }
    submitted.reverse();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = vec![("limit", "3".to_owned())];
        if let Some(c) = &cursor {
            q.push(("cursor", c.clone()));
        }
        let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let a = app.get("/api/v1/claims", &q);
        assert_eq!(a.status, 200);
        let items = a.body["items"].as_array().expect("items");
        assert!(items.len() <= 3);
        seen.extend(items.iter().map(|c| c["id"].as_str().expect("id").to_owned()));
        match a.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, submitted);
}

#[test]
fn full_text_search_in_arabic_russian_and_english() {
    let app = TestApp::spawn_demo();
    // The seed article's Arabic narrative has «الاشتباكات»; the query has no article.
    let hits = app.get("/api/v1/claims", &[("q", "اشتباكات")]);
    let items = hits.body["items"].as_array().expect("items");
    assert!(!items.is_empty(), "Arabic query finds the seed article's claim");
    assert!(items.iter().all(|c| c["narrative"]["text"].as_str().unwrap_or_default().contains("اشتباكات")));

    let mut ru = claim();
    ru["narrative"] = json!({"lang": "ru", "text": "Азербайджанская сторона обстреляла позиции у села Сотк; обстрелы продолжались до утра."});
    let ru_id = app.post_claim(&ru).body["id"].as_str().expect("id").to_owned();
    let mut en = claim();
    en["narrative"] = json!({"lang": "en", "text": "Positions were shelled overnight near Jermuk."});
    let en_id = app.post_claim(&en).body["id"].as_str().expect("id").to_owned();

    assert!(app.claim_ids(&[("q", "обстрел")]).contains(&ru_id));
    assert!(app.claim_ids(&[("q", "Обстрелы")]).contains(&ru_id));
    assert!(app.claim_ids(&[("q", "shelling")]).contains(&en_id));
    assert!(!app.claim_ids(&[("q", "shelling")]).contains(&ru_id));
    assert!(app.claim_ids(&[("q", "jermuk shelled")]).contains(&en_id));
    assert!(app.claim_ids(&[("q", "ceasefire-nonexistentword")]).is_empty());
}

#[test]
fn gazetteer_search_finds_one_place_in_three_scripts() {
    let app = TestApp::spawn();
    let mut ids = Vec::new();
    for q in ["Lachin", "Лачин", "لاتشين", "lach", "LAÇIN"] {
        let a = app.get("/api/v1/places", &[("q", q)]);
        assert_eq!(a.status, 200, "{q}");
        let first = &a.body["items"][0]["place"];
        ids.push(first["id"].as_str().unwrap_or_default().to_owned());
    }
    assert!(ids.iter().all(|i| i == &ids[0]), "{ids:?}");
    assert_eq!(ids[0], "lachin");
    let a = app.get("/api/v1/places", &[("q", "")]);
    assert_eq!(a.status, 400);
    assert_eq!(a.body["error"]["fields"][0]["field"], "q");
}

#[test]
fn scenario_health_and_index() {
    let app = TestApp::spawn();
    let s = app.get("/api/v1/scenario", &[]);
    assert_eq!(s.status, 200);
    assert_eq!(s.body["provisions"].as_array().map(Vec::len), Some(9));
    assert!(s.body["places"].as_array().map(Vec::len).unwrap_or(0) >= 150);
    let parties: Vec<&str> =
        s.body["parties"].as_array().expect("parties").iter().filter_map(|p| p["id"].as_str()).collect();
    for p in ["ARM", "AZE", "RUS", "TUR", "JMC", "UNHCR", "ICRC"] {
        assert!(parties.contains(&p), "{p}");
    }
    let h = app.get("/api/v1/health", &[]);
    assert_eq!(h.body["status"], "ok");
    // The scenario, and the test monitor's account and token.
    assert_eq!(h.body["journal_entries"], 3);
    let index = ureq_get_text(&format!("{}/api/v1", app.base));
    assert!(index.contains("/api/v1/openapi.json"));
    // The web UI: its page, and its script under /assets/ (cached for good: hashed names).
    let ui = ureq_get_text(&format!("{}/", app.base));
    let script = ui.split("src=\"/assets/").nth(1).and_then(|s| s.split('"').next()).expect("the UI's script");
    let r = ureq::get(&format!("{}/assets/{script}", app.base)).call().expect("asset");
    assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/javascript"));
    assert!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("immutable")));
    let missing = ureq::get(&format!("{}/assets/nothing.js", app.base)).call();
    assert!(matches!(missing, Err(ureq::Error::StatusCode(404))), "{missing:?}");
}

fn ureq_get_text(url: &str) -> String {
    let mut r = ureq::get(url).call().expect("get");
    r.body_mut().read_to_string().expect("text")
}

#[test]
fn openapi_document_describes_every_endpoint() {
    let app = TestApp::spawn();
    let doc = app.get("/api/v1/openapi.json", &[]);
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
    let paths = doc.body["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/claims",
        "/api/v1/claims/{id}",
        "/api/v1/scenario",
        "/api/v1/places",
        "/api/v1/health",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains_key(p), "{p} documented");
    }
    assert!(paths["/api/v1/claims"]["post"]["responses"]["422"].is_object());
    assert!(doc.body["components"]["schemas"]["ClaimInput"].is_object());
}

/// Each bad input: its status, and fields that must be named. The journal must not grow.
#[test]
fn bad_input_is_refused_with_every_field_named_and_nothing_written() {
    let app = TestApp::spawn();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = claim();
        f(&mut c);
        c.to_string()
    };
    let cases: Vec<(&str, String, u16, Vec<&str>)> = vec![
        ("malformed JSON", "{\"claimant\": ".into(), 400, vec![]),
        ("not an object", "[1,2]".into(), 422, vec![]),
        ("missing claimant", with(&|c| drop(c.as_object_mut().map(|o| o.remove("claimant")))), 422, vec!["claimant"]),
        ("unknown claimant", with(&|c| c["claimant"] = json!("ZZZ")), 422, vec!["claimant"]),
        ("unknown accused", with(&|c| c["accused"] = json!("NOPE")), 422, vec!["accused"]),
        ("unknown event type", with(&|c| c["event_type"] = json!("teleportation")), 422, vec!["event_type"]),
        (
            "interval ends before it starts",
            with(&|c| c["occurred"] = json!({"from": "2021-11-16", "to": "2021-11-15"})),
            422,
            vec!["occurred.to"],
        ),
        (
            "latitude 95",
            with(&|c| c["location"] = json!({"geometry": {"type": "Point", "coordinates": [46.0, 95.0]}})),
            422,
            vec!["location.geometry.coordinates[1]"],
        ),
        ("unknown place", with(&|c| c["location"] = json!({"place": "atlantis"})), 422, vec!["location.place"]),
        ("unknown field", with(&|c| c["colour"] = json!("red")), 422, vec!["colour"]),
        ("wrong type", with(&|c| c["claimant"] = json!(5)), 422, vec!["claimant"]),
        (
            "several wrong types",
            with(&|c| {
                c["claimant"] = json!(5);
                c["event_type"] = json!(["shelling"]);
                c["casualties"][0]["party"] = json!(true);
                c["tags"] = json!([1, 2]);
            }),
            422,
            vec!["claimant", "event_type", "casualties[0].party", "tags[0]"],
        ),
        (
            "everything at once",
            with(&|c| {
                c["claimant"] = Value::Null;
                c["event_type"] = json!("teleportation");
                c["occurred"] = json!({"from": "2021-11-16", "to": "2021-11-15"});
                c["location"] = json!({"place": "atlantis"});
                c["provisions_violated"] = json!(["P99"]);
            }),
            422,
            vec!["claimant", "event_type", "occurred.to", "location.place", "provisions_violated[0]"],
        ),
    ];
    for (name, body, status, fields) in cases {
        let before = app.journal_len();
        let a = app.post_raw(&body);
        assert_eq!(a.status, status, "{name}: {:?}", a.body);
        assert!(a.body["error"]["code"].is_string(), "{name}: JSON error shape");
        assert!(a.body["error"]["message"].is_string(), "{name}: JSON error shape");
        let named: Vec<&str> =
            a.body["error"]["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
        for f in fields {
            assert!(named.contains(&f), "{name}: {f} named in {named:?}");
        }
        assert_eq!(app.journal_len(), before, "{name}: nothing written");
    }
}

/// Sends a request over a raw socket, writing the body while reading the answer, as
/// curl does: a server that refuses a body early may close before the body is sent.
fn post_streaming(addr: std::net::SocketAddr, token: &str, body: Vec<u8>) -> (u16, Value) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    let mut writer = stream.try_clone().expect("clone");
    let head = format!(
        "POST /api/v1/claims HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(head.as_bytes()).and_then(|_| writer.write_all(&body));
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    let _ = sender.join();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).and_then(|b| serde_json::from_str(b).ok()).unwrap_or(Value::Null);
    (status, body)
}

#[test]
fn a_20_mb_body_is_refused_with_413_and_nothing_written() {
    let app = TestApp::spawn();
    let before = app.journal_len();
    let mut c = claim();
    c["narrative"]["text"] = json!("x".repeat(20 * 1024 * 1024));
    let (status, body) = post_streaming(app.addr, &app.token, c.to_string().into_bytes());
    assert_eq!(status, 413, "{body:?}");
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert_eq!(app.journal_len(), before);
}

#[test]
fn bad_query_parameters_are_400_naming_each() {
    let app = TestApp::spawn();
    let a = app.get("/api/v1/claims", &[("bbox", "1,2,3"), ("from", "yesterday"), ("limit", "0"), ("claimant", "ZZZ")]);
    assert_eq!(a.status, 400);
    let named: Vec<&str> =
        a.body["error"]["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(named, ["bbox", "from", "claimant", "limit"]);
}

#[test]
fn a_batch_is_recorded_whole_or_not_at_all() {
    let app = TestApp::spawn();
    let before = app.journal_len();
    let claims: Vec<Value> = (0..5)
        .map(|i| {
            let mut c = claim();
            c["narrative"]["text"] = json!(format!("Batch claim {i}"));
            c
        })
        .collect();
    let a = app.client.post_raw("/api/v1/claims/batch", &json!({"claims": claims}).to_string()).expect("answer");
    assert_eq!(a.status, 201, "{:?}", a.body);
    let items = a.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    // Five claims, and one entry placing them all in incidents.
    assert_eq!(app.journal_len(), before + 6);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["narrative"]["text"], format!("Batch claim {i}"));
        let id = item["id"].as_str().expect("id");
        assert_eq!(app.get(&format!("/api/v1/claims/{id}"), &[]).body, *item);
    }

    let mut bad = claims.clone();
    bad[1]["accused"] = json!("NOPE");
    bad[3]["location"] = json!({"place": "atlantis"});
    let before = app.journal_len();
    let a = app.client.post_raw("/api/v1/claims/batch", &json!({"claims": bad}).to_string()).expect("answer");
    assert_eq!(a.status, 422);
    let named: Vec<&str> =
        a.body["error"]["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(named, ["claims[1].accused", "claims[3].location.place"]);
    assert_eq!(app.journal_len(), before, "nothing of a bad batch is written");

    for body in [json!({"claims": []}), json!({"claims": vec![claim(); 1001]})] {
        let a = app.client.post_raw("/api/v1/claims/batch", &body.to_string()).expect("answer");
        assert_eq!(a.status, 422);
        assert_eq!(a.body["error"]["fields"][0]["field"], "claims");
    }
    assert_eq!(app.journal_len(), before);
}
