//! The news intake from the command line: `truce ingest` on the article the project
//! started from, and `truce intake-eval` on the shared and our own annotated articles.

use serde_json::Value;
use std::process::Command;

const KILISALI: &str = "../../../shared/fixtures/news/dev/000-ar.txt";

fn truce(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_truce")).args(args).output().expect("run truce")
}

fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The draft of a claimant party whose event types include `t`.
fn draft<'a>(drafts: &'a [Value], party: &str, t: &str) -> &'a Value {
    drafts
        .iter()
        .find(|d| {
            d["claimant"]["value"]["party"] == party
                && d["event_types"].as_array().is_some_and(|ts| ts.iter().any(|x| x["value"] == t))
        })
        .unwrap_or_else(|| panic!("no {t} draft by {party}: {drafts:#?}"))
}

#[test]
fn the_kilisali_article_yields_its_drafts_with_every_field_on_its_words() {
    let path = fixture(KILISALI);
    let out = truce(&["ingest", &path.to_string_lossy(), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let line: Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    let file = std::fs::read_to_string(&path).expect("article");
    let offset = line["body_offset"].as_u64().expect("offset") as usize;
    let x = &line["extraction"];
    assert_eq!((x["lang"].as_str(), x["published"].as_str()), (Some("ar"), Some("2021-11-17")));
    let drafts = x["drafts"].as_array().expect("drafts");
    // Every span is the article's own words at its offsets.
    let words = |span: &Value| -> String {
        let (a, b) = (span["start"].as_u64().expect("start") as usize, span["end"].as_u64().expect("end") as usize);
        assert_eq!(&file[offset + a..offset + b], span["text"].as_str().expect("text"), "span {span}");
        span["text"].as_str().unwrap_or_default().to_owned()
    };

    // The Armenian MoD: 12 captured and two positions lost, against Azerbaijan, yesterday.
    let arm = draft(drafts, "ARM", "capture_detention");
    assert_eq!(words(&arm["claimant"]["span"]), "وزارة الدفاع الأرمينية");
    assert_eq!(arm["date"]["value"]["date"], "2021-11-16");
    assert!(words(&arm["date"]["span"]).contains("أمس الثلاثاء"));
    let captured = arm["casualties"]
        .as_array()
        .expect("casualties")
        .iter()
        .find(|c| c["value"]["kind"] == "captured")
        .expect("captured");
    assert_eq!(
        (captured["value"]["count"]["min"].as_u64(), captured["value"]["party"].as_str()),
        (Some(12), Some("ARM"))
    );
    assert_eq!(words(&captured["span"]), "12");
    assert_eq!(arm["positions"]["value"]["min"], 2);
    assert_eq!(words(&arm["positions"]["span"]), "موقعين");
    assert!(arm["event_types"].as_array().expect("types").iter().any(|t| t["value"] == "position_seized"));
    assert_eq!(arm["accused"]["value"]["party"], "AZE");
    assert_eq!(words(&arm["accused"]["span"]), "أذربيجان");

    // Azerbaijan's accusation against Armenia.
    let aze = draft(drafts, "AZE", "ceasefire_violation_accusation");
    assert_eq!(words(&aze["claimant"]["span"]), "أذربيجان");
    assert_eq!(aze["accused"]["value"]["party"], "ARM");
    assert_eq!(words(&aze["accused"]["span"]), "أرمينيا");
    // The type's words are the violation alleged ("deliberately escalating").
    let cva = aze["event_types"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["value"] == "ceasefire_violation_accusation"))
        .expect("the accusation's type");
    assert_eq!(words(&cva["span"]), "تتعمد تصعيد");
    assert_eq!(aze["date"]["value"]["date"], "2021-11-16");

    // The Russian MoD: the fighting near Mount Kilisali stopped.
    let rus = draft(drafts, "RUS", "ceasefire_agreed");
    assert_eq!(words(&rus["claimant"]["span"]), "وزارة الدفاع الروسية");
    assert_eq!(rus["place"]["value"]["places"], serde_json::json!(["mount-kilisali"]));
    assert!(words(&rus["place"]["span"]).contains("جبل كيليسالي"));
    assert_eq!(rus["date"]["value"]["date"], "2021-11-16");

    // The meeting in Moscow, today (17 November 2021).
    let meeting = drafts
        .iter()
        .find(|d| d["event_types"][0]["value"] == "meeting_negotiation" && d["date"]["value"]["date"] == "2021-11-17")
        .expect("the Moscow meeting");
    assert_eq!(meeting["place"]["value"]["places"], serde_json::json!(["moscow"]));
    assert_eq!(words(&meeting["place"]["span"]), "موسكو");
    assert_eq!(words(&meeting["date"]["span"]), "اليوم");
}

#[test]
fn ingest_refuses_bad_input_by_name_and_reads_directories() {
    let dir = tempfile::tempdir().expect("dir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").expect("write");
    let out = truce(&["ingest", &empty.to_string_lossy()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"), "{}", String::from_utf8_lossy(&out.stderr));
    let binary = dir.path().join("image.txt");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0xff]).expect("write");
    let out = truce(&["ingest", &binary.to_string_lossy()]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a text file"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = truce(&["ingest", &empty.to_string_lossy(), "--lang", "fr"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lang"), "{}", String::from_utf8_lossy(&out.stderr));
    // A directory: one JSON line per article, the unreadable one named on standard error.
    std::fs::copy(fixture(KILISALI), dir.path().join("000-ar.txt")).expect("copy");
    let out = truce(&["ingest", &dir.path().to_string_lossy(), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty.txt"));
}

#[test]
fn intake_eval_scores_a_directory_and_writes_predictions_in_the_gold_format() {
    let dir = tempfile::tempdir().expect("dir");
    let predictions = dir.path().join("p.jsonl");
    let own = fixture("../intake/corpus/own");
    let out = truce(&["intake-eval", &own.to_string_lossy(), "--predictions", &predictions.to_string_lossy()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8_lossy(&out.stdout);
    for lang in ["ar", "ru", "en", "overall"] {
        assert!(table.lines().any(|l| l.starts_with(lang)), "{table}");
    }
    let lines: Vec<Value> = std::fs::read_to_string(&predictions)
        .expect("predictions")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 21, "one line per article");
    assert!(lines.iter().all(|l| l["file"].is_string() && l["claims"].is_array()));
    // An impossible threshold fails, naming what fell short.
    let out = truce(&["intake-eval", &own.to_string_lossy(), "--min-precision", "1.01"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("precision"), "{}", String::from_utf8_lossy(&out.stderr));
}

mod common;

fn post(c: &truce::client::Client, path: &str, body: Value) -> truce::client::Answer {
    c.post_raw(path, &body.to_string()).expect("answer")
}

/// The Kilisali article's body (after its header lines).
fn kilisali_body() -> String {
    let text = std::fs::read_to_string(fixture(KILISALI)).expect("article");
    truce_intake::article::Article::parse(&text).body.to_owned()
}

#[test]
fn monitors_read_an_article_into_drafts_and_accept_or_reject_each() {
    let app = common::TestApp::spawn();
    let c = &app.client;
    let article = json_article(&kilisali_body());
    // Bad input is refused field by field, and nothing is written.
    let before = app.journal_len();
    let bad = post(c, "/api/v1/intake", serde_json::json!({"text": " ", "published": "17.11.2021", "lang": "fr"}));
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<&str> =
        bad.body["error"]["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["text", "published", "lang"]);
    let huge = post(c, "/api/v1/intake", serde_json::json!({"text": "Shelling was reported. ".repeat(200_000)}));
    assert_eq!((huge.status, huge.body["error"]["fields"][0]["field"].as_str()), (422, Some("text")), "over 4 MiB");
    let unknown = post(c, "/api/v1/intake", serde_json::json!({"text": "これは日本語の記事です。砲撃があった。"}));
    assert_eq!((unknown.status, unknown.body["error"]["fields"][0]["field"].as_str()), (422, Some("lang")));
    assert_eq!(app.journal_len(), before);
    // Only monitors read articles into drafts or see the queue.
    for who in [
        app.client_as("p.arm", "ARM", "party"),
        app.client_as("a.jmc", "JMC", "analyst"),
        truce::client::Client::new(&app.base),
    ] {
        assert!(post(&who, "/api/v1/intake", article.clone()).status >= 400);
        assert!(who.get("/api/v1/drafts", &[]).expect("answer").status >= 400);
    }

    // A long article (beyond the API's usual 1 MiB body) is read.
    let long = post(
        c,
        "/api/v1/intake",
        serde_json::json!({"text": format!("{}\n\n{}", kilisali_body(), "وأفادت مصادر محلية بأن الوضع هادئ. ".repeat(25_000)), "published": "2021-11-17"}),
    );
    assert_eq!(long.status, 201, "{}", long.body);
    let read = post(c, "/api/v1/intake", article.clone());
    assert_eq!(read.status, 201, "{}", read.body);
    let id = read.body["article"].as_str().expect("article id").to_owned();
    let drafts = read.body["drafts"].as_array().expect("drafts").clone();
    assert!(drafts.len() >= 4, "{drafts:#?}");
    assert!(drafts.iter().all(|d| d["status"] == "pending"));
    // Its journal entry is the monitors' too: nobody else reads its payload or header.
    let seq = drafts[0]["article"]["seq"].as_u64().expect("seq");
    assert_eq!(app.get(&format!("/api/v1/log/entries/{seq}"), &[]).status, 200);
    for who in [
        app.client_as("p.arm2", "ARM", "party"),
        app.client_as("a.jmc2", "JMC", "analyst"),
        truce::client::Client::new(&app.base),
    ] {
        assert_eq!(who.get(&format!("/api/v1/log/entries/{seq}"), &[]).expect("answer").status, 404);
    }
    // Articles, acceptances and rejections are the monitors' alone.
    let party = app.client_as("p.arm3", "ARM", "party");
    assert_eq!(party.get(&format!("/api/v1/articles/{id}"), &[]).expect("answer").status, 403);
    for decide in ["accept", "reject"] {
        let refused = post(&party, &format!("/api/v1/drafts/{id}/0/{decide}"), serde_json::json!({"reason": "x"}));
        assert_eq!(refused.status, 403, "{decide}: {}", refused.body);
    }
    // Only the server names a draft as a claim's source.
    let mut forged = common::claim();
    forged["source"]["draft"] = serde_json::json!({"article": id, "draft": 0});
    assert_eq!(app.post_claim(&forged).status, 422, "a client cannot set source.draft");
    // A mistyped body is refused, not taken as "no corrections".
    let typo = post(c, &format!("/api/v1/drafts/{id}/0/accept"), serde_json::json!({"correction": {}}));
    assert_eq!(typo.status, 422, "{}", typo.body);
    // The same text again is the same article.
    let again = post(c, "/api/v1/intake", article.clone());
    assert_eq!(again.status, 409);
    assert!(again.body["error"]["message"].as_str().is_some_and(|m| m.contains(&id)), "{}", again.body);
    // The source document: its text and SHA-256.
    let doc = app.get(&format!("/api/v1/articles/{id}"), &[]);
    assert_eq!(doc.body["article"]["text"].as_str(), Some(kilisali_body().as_str()));
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(kilisali_body().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(doc.body["article"]["sha256"].as_str(), Some(hex.as_str()));
    assert_eq!(doc.body["article"]["source"], "Sputnik Arabic");

    // Nothing extracted is a claim yet.
    assert!(app.claim_ids(&[]).is_empty());
    let n_of = |party: &str, t: &str| -> usize {
        drafts
            .iter()
            .position(|d| {
                d["body"]["claimant"]["value"]["party"] == party
                    && d["body"]["event_types"].as_array().is_some_and(|ts| ts.iter().any(|x| x["value"] == t))
            })
            .unwrap_or_else(|| panic!("no {t} draft by {party}"))
    };
    let arm = n_of("ARM", "capture_detention");
    // A correction that is no claim field's value is refused, named under corrections.
    let wrong = post(
        c,
        &format!("/api/v1/drafts/{id}/{arm}/accept"),
        serde_json::json!({"corrections": {"event_type": "nonsense"}}),
    );
    assert_eq!(
        (wrong.status, wrong.body["error"]["fields"][0]["field"].as_str()),
        (422, Some("corrections.event_type"))
    );
    // Accepted with the monitor's choice of type: a claim whose source names the article.
    let ok = post(
        c,
        &format!("/api/v1/drafts/{id}/{arm}/accept"),
        serde_json::json!({"corrections": {"event_type": "capture_detention"}}),
    );
    assert_eq!(ok.status, 201, "{}", ok.body);
    let claim = app.get(&format!("/api/v1/claims/{}", ok.body["claim"].as_str().expect("claim")), &[]).body;
    assert_eq!(claim["claimant"], "ARM");
    assert_eq!(claim["accused"], "AZE");
    assert_eq!(claim["event_type"], "capture_detention");
    assert_eq!(claim["source"]["kind"], "official_statement");
    assert_eq!(claim["source"]["draft"], serde_json::json!({"article": id, "draft": arm}));
    assert_eq!(claim["casualties"][0]["captured"], 12);
    assert!(claim["occurred"]["from"].as_str().is_some_and(|f| f.starts_with("2021-11-1")), "{claim}");
    assert!(
        common::incident_of(&app, claim["id"].as_str().expect("id")).is_some(),
        "an accepted claim is placed in an incident"
    );
    // Decided once only.
    assert_eq!(post(c, &format!("/api/v1/drafts/{id}/{arm}/accept"), serde_json::json!({})).status, 409);
    assert_eq!(post(c, &format!("/api/v1/drafts/{id}/{arm}/reject"), serde_json::json!({"reason": "x"})).status, 409);
    // Rejected with a reason; without one it is refused.
    let aze = n_of("AZE", "ceasefire_violation_accusation");
    let no_reason = post(c, &format!("/api/v1/drafts/{id}/{aze}/reject"), serde_json::json!({}));
    assert_eq!((no_reason.status, no_reason.body["error"]["fields"][0]["field"].as_str()), (422, Some("reason")));
    let rejected = post(
        c,
        &format!("/api/v1/drafts/{id}/{aze}/reject"),
        serde_json::json!({"reason": "Reported elsewhere already."}),
    );
    assert_eq!((rejected.status, rejected.body["status"].as_str()), (200, Some("rejected")), "{}", rejected.body);
    assert_eq!(post(c, &format!("/api/v1/drafts/{id}/99/reject"), serde_json::json!({"reason": "x"})).status, 404);
    // The queue holds what is still pending; every decision survives a rebuild.
    let pending = app.get("/api/v1/drafts", &[]);
    let listed: Vec<u64> = pending.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|d| d["article"]["id"] == id.as_str())
        .filter_map(|d| d["draft"].as_u64())
        .collect();
    assert_eq!(listed.len(), drafts.len() - 2);
    assert!(!listed.contains(&(arm as u64)) && !listed.contains(&(aze as u64)));
    let all = app.get("/api/v1/drafts", &[("status", "all")]).body;
    app.store.rebuild_blocking().expect("rebuild");
    assert_eq!(app.get("/api/v1/drafts", &[("status", "all")]).body, all);
    assert_eq!(app.get("/api/v1/drafts", &[("status", "sideways")]).status, 400);
}

#[test]
fn drafts_of_different_articles_about_one_event_are_grouped_with_their_figures() {
    let app = common::TestApp::spawn();
    let c = &app.client;
    assert_eq!(post(c, "/api/v1/intake", json_article(&kilisali_body())).status, 201);
    let english = "Armenia's Defence Ministry said on Tuesday that 12 servicemen were captured by Azerbaijani forces near Mount Kilisali.";
    let mut second = json_article(english);
    second["source"] = serde_json::json!("Wire, English");
    assert_eq!(post(c, "/api/v1/intake", second).status, 201);
    let q = app.get("/api/v1/drafts", &[]).body;
    let group = q["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["drafts"].as_array().is_some_and(|d| d.iter().any(|x| x["lang"] == "en")))
        .unwrap_or_else(|| panic!("the English draft is grouped with the Arabic one: {q:#}"));
    let langs: Vec<&str> =
        group["drafts"].as_array().expect("drafts").iter().filter_map(|d| d["lang"].as_str()).collect();
    assert!(langs.contains(&"ar") && langs.contains(&"en"), "{group}");
    // Side by side: each draft's figures.
    assert!(group["drafts"].as_array().expect("d").iter().all(|d| d["casualties"].is_array()));
}

#[test]
fn an_accepted_denial_is_the_speakers_statement_not_the_event() {
    let app = common::TestApp::spawn();
    let c = &app.client;
    let text = "Минобороны Азербайджана опровергло информацию об обстреле армянских позиций.";
    let read = post(c, "/api/v1/intake", serde_json::json!({"text": text, "published": "2021-11-17"}));
    assert_eq!(read.status, 201, "{}", read.body);
    let id = read.body["article"].as_str().expect("id");
    assert_eq!(read.body["drafts"][0]["body"]["polarity"]["value"], "denial");
    let ok = post(c, &format!("/api/v1/drafts/{id}/0/accept"), serde_json::json!({}));
    assert_eq!(ok.status, 201, "{}", ok.body);
    let claim = app.get(&format!("/api/v1/claims/{}", ok.body["claim"].as_str().expect("claim")), &[]).body;
    assert_eq!((claim["claimant"].as_str(), claim["event_type"].as_str()), (Some("AZE"), Some("statement")));
    assert!(claim["tags"].as_array().is_some_and(|t| t.iter().any(|x| x == "denial")), "{claim}");
}

fn json_article(text: &str) -> Value {
    serde_json::json!({"text": text, "published": "2021-11-17", "source": "Sputnik Arabic", "url": "https://example.invalid/kilisali"})
}

#[test]
fn ingest_post_gives_a_directory_to_the_servers_review_queue() {
    let app = common::TestApp::spawn();
    let dir = tempfile::tempdir().expect("dir");
    std::fs::copy(fixture(KILISALI), dir.path().join("000-ar.txt")).expect("copy");
    std::fs::write(dir.path().join("bad.txt"), "").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(["ingest", &dir.path().to_string_lossy(), "--post", "--server", &app.base])
        .env("TRUCE_TOKEN", &app.token)
        .output()
        .expect("run truce");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("000-ar.txt: article ") && stdout.contains("drafts in the review queue"), "{stdout}");
    assert!(
        stderr.contains("bad.txt") && stderr.contains("text"),
        "the empty file is refused by the server, named: {stderr}"
    );
    // The header's date and language went with it: the drafts wait, dated against it.
    let queue = app.get("/api/v1/drafts", &[]).body;
    let items = queue["items"].as_array().expect("items");
    assert!(items.len() >= 4);
    assert!(items.iter().all(|d| d["article"]["published"] == "2021-11-17" && d["article"]["lang"] == "ar"));
    // Without a monitor's token nothing is taken.
    let out = Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(["ingest", &dir.path().join("000-ar.txt").to_string_lossy(), "--post", "--server", &app.base])
        .env_remove("TRUCE_TOKEN")
        .output()
        .expect("run truce");
    assert!(!out.status.success());
}
