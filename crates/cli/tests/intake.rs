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
    assert_eq!(words(&aze["event_types"][0]["span"]), "اتهمت");
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
    assert_eq!(lines.len(), 18, "one line per article");
    assert!(lines.iter().all(|l| l["file"].is_string() && l["claims"].is_array()));
    // An impossible threshold fails, naming what fell short.
    let out = truce(&["intake-eval", &own.to_string_lossy(), "--min-precision", "1.01"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("precision"), "{}", String::from_utf8_lossy(&out.stderr));
}
