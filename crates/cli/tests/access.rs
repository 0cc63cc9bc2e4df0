//! The permission matrix, walked over HTTP: every role × action × ownership cell of
//! `truce_core::access`, each probed by the request that exercises it, compared with what
//! the matrix says. A party must never learn of another party's unpublished claim, not by
//! reading it, nor from list items, counts, search hits or cursors.

mod common;

use common::TestApp;
use serde_json::{Value, json};
use truce::client::{Answer, Client};
use truce_core::access::{self, Action, Relation, Role, Viewer};
use truce_core::journal::{Actor, Command};

/// A user of each role, with the organisation whose objects are "own" to them.
struct Who {
    viewer: Viewer,
    org: Option<&'static str>,
    client: Client,
}

/// What the probes act on: a claim submitted by each organisation, with its journal entry,
/// and an unpublished and a published incident.
struct World {
    /// The server, running for the whole walk.
    app: TestApp,
    /// Claim id and journal seq by submitting organisation.
    claims: Vec<(&'static str, String, u64)>,
    unpublished: String,
    published: String,
    /// A claim of the published incident.
    published_claim: String,
}

impl World {
    fn claim_of(&self, org: &str) -> (&str, u64) {
        self.claims.iter().find(|(o, _, _)| *o == org).map(|(_, id, seq)| (id.as_str(), *seq)).expect("claim of org")
    }
}

/// A claim by `claimant`; each claimant's on its own day, so matching keeps them apart.
fn claim_for(claimant: &str, text: &str) -> Value {
    let mut c = common::claim();
    let month = match claimant {
        "ARM" => 1,
        "AZE" => 3,
        "JMC" => 5,
        "RUS" => 7,
        _ => 9,
    };
    c["occurred"] = json!({"from": format!("2021-{month:02}-10"), "precision": "day"});
    c["claimant"] = json!(claimant);
    c["accused"] = json!(if claimant == "ARM" { "AZE" } else { "ARM" });
    c["casualties"] = json!([]);
    c["narrative"]["text"] = json!(text);
    // Personal data, which only some of those who read the claim may see.
    c["persons"] = json!([{"name": PERSON, "role": "detained", "party": "ARM", "category": "military"}]);
    c["source"]["contact"] = json!(CONTACT);
    c
}

/// The name of the person every probed claim names, and its source's contact.
const PERSON: &str = "Narine Personmarker";
const CONTACT: &str = "+374 10 000 contactmarker";

/// Whether `text` shows the probed claims' personal data; both items or neither.
fn shows_personal(text: &str, what: &str) -> bool {
    let (name, contact) = (text.contains(PERSON), text.contains(CONTACT));
    assert_eq!(name, contact, "{what}: the name and the contact are shown together or not at all");
    name
}

/// Whether a write got past authorization: refused is 401 or 403; anything else (here a 422
/// for the empty body each probe sends, so nothing changes) means it was let through.
fn authorized(a: &Answer) -> bool {
    assert!(a.status != 500, "{}", a.body);
    !matches!(a.status, 401 | 403)
}

fn allowed_status(a: &Answer, ok: &[u16]) -> bool {
    if ok.contains(&a.status) {
        return true;
    }
    assert!(matches!(a.status, 401 | 403 | 404), "a refusal is 401, 403 or 404, not {}: {}", a.status, a.body);
    false
}

/// Probes one cell: `Some(true)` if the request was allowed, `Some(false)` if refused,
/// `None` if the cell cannot arise (nothing is the public's own).
fn probe(w: &World, who: &Who, action: Action, relation: Relation, n: usize) -> Option<bool> {
    let c = &who.client;
    // An object of the asker's own organisation, or of another.
    let org_for = |relation: Relation| -> Option<&'static str> {
        match relation {
            Relation::Own => who.org,
            _ => Some(if who.org == Some("AZE") { "ARM" } else { "AZE" }),
        }
    };
    Some(match action {
        Action::ClaimRead => {
            let (id, org) = match relation {
                Relation::Published => (w.published_claim.as_str(), "TUR"),
                _ => {
                    let org = org_for(relation)?;
                    (w.claim_of(org).0, org)
                }
            };
            let one = c.get(&format!("/api/v1/claims/{id}"), &[]).expect("answer");
            let read = allowed_status(&one, &[200]);
            // The same answer in a list, a search and a claimant filter: present iff readable.
            for query in [vec![], vec![("q", "marker".to_string())], vec![("claimant", org.to_string())]] {
                let page = c.get("/api/v1/claims", &query).expect("answer");
                assert_eq!(page.status, 200, "{}", page.body);
                let ids: Vec<&str> =
                    page.body["items"].as_array().expect("items").iter().filter_map(|x| x["id"].as_str()).collect();
                assert_eq!(ids.contains(&id), read, "{} lists {query:?}: {ids:?}", who.viewer.as_str());
                if !read && query.len() == 1 && query[0].0 == "claimant" {
                    assert!(ids.is_empty() && page.body["next_cursor"].is_null(), "no trace of hidden claims");
                }
            }
            // And in every export format.
            for what in ["claims.ndjson", "claims.csv", "claims.geojson"] {
                let (status, body) = c.get_raw(&format!("/api/v1/export/{what}"), &[]).expect("answer");
                assert_eq!(status, 200);
                let text = String::from_utf8(body).expect("utf-8");
                assert_eq!(text.contains(id), read, "{} exports {what}", who.viewer.as_str());
            }
            read
        }
        Action::PersonalDataRead => {
            let (id, seq) = match relation {
                Relation::Published => {
                    let seq = w.app.get(&format!("/api/v1/claims/{}", w.published_claim), &[]).body["seq"].as_u64();
                    (w.published_claim.as_str(), seq.expect("the published claim's seq"))
                }
                _ => w.claim_of(org_for(relation)?),
            };
            let one = c.get(&format!("/api/v1/claims/{id}"), &[]).expect("answer");
            if one.status != 200 {
                // A claim one may not read shows nothing at all (ClaimRead's cells).
                return Some(false);
            }
            let who_ = who.viewer.as_str();
            let seen = shows_personal(&one.body.to_string(), &format!("{who_} reads claim {id}"));
            // Every read of the claim shows as much: the role without the name, or both.
            assert_eq!(one.body["persons"][0]["role"], "detained", "{}", one.body);
            assert_eq!(one.body["withheld"].is_array(), !seen, "{}", one.body);
            let page = c.get("/api/v1/claims", &[("limit", "500".into())]).expect("answer");
            let item = page.body["items"].as_array().expect("items").iter().find(|x| x["id"] == id).cloned();
            assert_eq!(shows_personal(&item.expect("listed").to_string(), &format!("{who_} lists")), seen);
            let found = c.get("/api/v1/claims", &[("q", "Personmarker".into())]).expect("answer");
            assert!(found.body["items"].as_array().expect("items").is_empty(), "names are not searchable");
            for what in ["claims.ndjson", "claims.geojson"] {
                let (_, body) = c.get_raw(&format!("/api/v1/export/{what}"), &[]).expect("answer");
                let text = String::from_utf8(body).expect("utf-8");
                let line = text.split("\n").filter(|l| l.contains(id)).collect::<Vec<_>>().join("\n");
                let row = if what == "claims.geojson" {
                    let all: Value = serde_json::from_str(&text).expect("geojson");
                    all["features"]
                        .as_array()
                        .expect("features")
                        .iter()
                        .find(|f| f.to_string().contains(id))
                        .map(|f| f.to_string())
                        .unwrap_or_default()
                } else {
                    line
                };
                assert_eq!(shows_personal(&row, &format!("{who_} exports {what}")), seen);
            }
            let incident = match relation {
                Relation::Published => Some(w.published.clone()),
                _ => common::incident_of(&w.app, id),
            };
            let detail = c.get(&format!("/api/v1/incidents/{}", incident.expect("its incident")), &[]).expect("answer");
            if detail.status == 200 {
                assert_eq!(shows_personal(&detail.body.to_string(), &format!("{who_} reads its incident")), seen);
            }
            let entry = c.get(&format!("/api/v1/log/entries/{seq}"), &[]).expect("answer");
            if entry.status == 200 {
                assert_eq!(shows_personal(&entry.body.to_string(), &format!("{who_} reads entry {seq}")), seen);
                assert_eq!(entry.body["payload"].is_null(), !seen, "{}", entry.body);
            }
            seen
        }
        Action::ClaimSubmit => {
            // The public has nothing "own": that cell does not arise.
            let org = org_for(relation)?;
            let a = c.post_raw("/api/v1/claims", &claim_for(org, &format!("probe {n}")).to_string()).expect("answer");
            allowed_status(&a, &[201])
        }
        Action::ScenarioRead => allowed_status(&c.get("/api/v1/scenario", &[]).expect("answer"), &[200]),
        Action::LogRead => {
            let cp = c.get_bytes("/log/checkpoint").expect("answer").is_some();
            let tile = c.get_bytes("/log/tile/0/000.p/1").expect("answer").is_some();
            let proof = c.get("/api/v1/log/proof/consistency", &[("from", "1".into())]).expect("answer");
            assert_eq!(cp, tile);
            cp && allowed_status(&proof, &[200])
        }
        Action::EntryRead => {
            let seq = match relation {
                Relation::Published => 0, // the scenario
                _ => w.claim_of(org_for(relation)?).1,
            };
            let read = allowed_status(&c.get(&format!("/api/v1/log/entries/{seq}"), &[]).expect("answer"), &[200]);
            // The inclusion proof is anyone's, but the header only for those who read the entry.
            let proof = c.get("/api/v1/log/proof/inclusion", &[("seq", seq.to_string())]).expect("answer");
            assert_eq!(proof.status, 200, "{}", proof.body);
            assert_eq!(proof.body["leaf"].is_string(), read, "{} sees the header of entry {seq}", who.viewer.as_str());
            read
        }
        Action::EntryBundleRead => c.get_bytes("/log/tile/entries/000.p/1").is_ok_and(|b| b.is_some()),
        Action::CheckpointSign => allowed_status(&c.post_raw("/api/v1/log/checkpoint", "").expect("answer"), &[200]),
        Action::KeyList => allowed_status(&c.get("/api/v1/keys", &[]).expect("answer"), &[200]),
        Action::KeyRegister => {
            let org = org_for(relation)?;
            let key = truce_ledger::SigningKeyPair::generate(&format!("probe-{n}")).expect("key");
            let body = json!({"party": org, "key": key.note_verifier().to_string()}).to_string();
            allowed_status(&c.post_raw("/api/v1/keys", &body).expect("answer"), &[201])
        }
        Action::UserManage => {
            let list = allowed_status(&c.get("/api/v1/users", &[]).expect("answer"), &[200]);
            let body = json!({"name": format!("new.user{n}"), "org": "ARM", "role": "party", "password": "a long enough password"});
            let add = allowed_status(&c.post_raw("/api/v1/users", &body.to_string()).expect("answer"), &[201]);
            assert_eq!(list, add, "listing and adding users go together");
            list
        }
        Action::AccountSelf => allowed_status(&c.get("/api/v1/me", &[]).expect("answer"), &[200]),
        Action::IncidentRead => {
            let id = if relation == Relation::Published { &w.published } else { &w.unpublished };
            let one = allowed_status(&c.get(&format!("/api/v1/incidents/{id}"), &[]).expect("answer"), &[200]);
            let page = c.get("/api/v1/incidents", &[]).expect("answer");
            assert_eq!(page.status, 200, "{}", page.body);
            let listed = page.body["items"].as_array().expect("items").iter().any(|i| i["id"] == id.as_str());
            assert_eq!(one, listed, "{} reads and lists incident {id} alike", who.viewer.as_str());
            // The timeline counts exactly what the list shows.
            let weeks = c.get("/api/v1/incidents/weeks", &[]).expect("answer");
            assert_eq!(weeks.status, 200, "{}", weeks.body);
            let counted: u64 = weeks.body.as_array().expect("weeks").iter().filter_map(|w| w["count"].as_u64()).sum();
            assert!(page.body["next_cursor"].is_null());
            assert_eq!(counted as usize, page.body["items"].as_array().map_or(0, Vec::len), "{}", who.viewer.as_str());
            for what in ["incidents.ndjson", "incidents.csv", "incidents.geojson"] {
                let (status, body) = c.get_raw(&format!("/api/v1/export/{what}"), &[]).expect("answer");
                assert_eq!(status, 200);
                let text = String::from_utf8(body).expect("utf-8");
                assert_eq!(text.contains(id.as_str()), one, "{} exports {what}", who.viewer.as_str());
            }
            one
        }
        Action::IncidentManage => {
            authorized(&c.post_raw(&format!("/api/v1/incidents/{}/claims", w.unpublished), "{}").expect("answer"))
        }
        Action::IncidentTransition => {
            authorized(&c.post_raw(&format!("/api/v1/incidents/{}/verification", w.unpublished), "{}").expect("answer"))
        }
        Action::IncidentPublish => authorized(
            &c.post_raw(&format!("/api/v1/incidents/{}/verification", w.unpublished), r#"{"to": "published"}"#)
                .expect("answer"),
        ),
        Action::IncidentEndorse => {
            authorized(&c.post_raw(&format!("/api/v1/incidents/{}/endorsements", w.unpublished), "{}").expect("answer"))
        }
        Action::IncidentDispute => {
            let org = org_for(relation)?;
            let (claim, _) = w.claim_of(org);
            let body = if relation == Relation::Own {
                "{}".to_string()
            } else {
                json!({"claim": claim, "reason": "probe"}).to_string()
            };
            let a = c.post_raw(&format!("/api/v1/incidents/{}/disputes", w.published), &body).expect("answer");
            // Another organisation's claim is not the asker's to dispute with: refused, or
            // unknown to a caller who may not read it.
            if relation == Relation::Other { authorized(&a) && a.status != 404 } else { authorized(&a) }
        }
        Action::SourceGrade => {
            let (claim, _) = w.claim_of("ARM");
            authorized(&c.post_raw(&format!("/api/v1/claims/{claim}/grade"), "{}").expect("answer"))
        }
        Action::RecordRead => {
            let list = allowed_status(&c.get("/api/v1/records", &[]).expect("answer"), &[200]);
            let view = allowed_status(&c.get("/api/v1/provisions", &[]).expect("answer"), &[200]);
            assert_eq!(list, view, "records and the compliance view are read alike");
            list
        }
        Action::RecordWrite => authorized(&c.post_raw("/api/v1/records", "{}").expect("answer")),
        Action::PersonalDataErase => authorized(
            &c.post_raw("/api/v1/records/01ARZ3NDEKTSV4RRFFQ69G5FAV/erase-personal-data", "{}").expect("answer"),
        ),
        Action::IntakeReview => {
            // Reading, listing and deciding go together.
            let read = authorized(&c.post_raw("/api/v1/intake", "{}").expect("answer"));
            let list = allowed_status(&c.get("/api/v1/drafts", &[]).expect("answer"), &[200]);
            let decide =
                authorized(&c.post_raw("/api/v1/drafts/01ARZ3NDEKTSV4RRFFQ69G5FAV/0/reject", "{}").expect("answer"));
            assert_eq!((read, list), (decide, decide), "{} reads, lists and decides drafts alike", who.viewer.as_str());
            read
        }
    })
}

#[test]
fn every_cell_of_the_permission_matrix_holds_over_http() {
    let app = common::TestApp::spawn_with_log_key();
    let base = app.base.clone();
    let user = |name: &str, org: &'static str, role: Role| Who {
        viewer: Viewer::User(role),
        org: Some(org),
        client: app.client_as(name, org, role.as_str()),
    };
    let viewers = vec![
        Who { viewer: Viewer::Public, org: None, client: Client::new(&base) },
        user("p.monitor", "JMC", Role::Monitor),
        user("p.arm", "ARM", Role::Party),
        user("p.mediator", "RUS", Role::Mediator),
        user("p.analyst", "JMC", Role::Analyst),
        user("p.admin", "JMC", Role::Admin),
    ];
    // A claim submitted by a user of each organisation (RUS through the store: a mediator
    // may not submit over HTTP), each with the search marker.
    let aze = app.client_as("p.aze", "AZE", "party");
    let mut claims = Vec::new();
    for (org, client) in [("ARM", &viewers[2].client), ("AZE", &aze), ("JMC", &viewers[1].client)] {
        let a = client.post_raw("/api/v1/claims", &claim_for(org, "marker shelling").to_string()).expect("answer");
        assert_eq!(a.status, 201, "{}", a.body);
        claims.push((org, a.body["id"].as_str().expect("id").to_owned(), a.body["seq"].as_u64().expect("seq")));
    }
    let scenario = app.store.scenario().expect("scenario");
    let input: truce_core::claims::ClaimInput =
        serde_json::from_value(claim_for("RUS", "marker mediator")).expect("claim");
    let body = input.validate(&scenario).expect("valid");
    let name = truce_core::ids::UserName::parse("p.mediator").expect("name");
    let appended =
        app.store.execute_blocking(Actor::user(&name), Command::SubmitClaim(Box::new(body))).expect("append");
    claims.push(("RUS", appended.id.to_string(), appended.seq));
    // An incident published through the whole path (of a claim of its own, so the claims
    // above stay unpublished), and one left as reported.
    let own = viewers[1].client.post_raw("/api/v1/claims", &claim_for("TUR", "published marker").to_string());
    let own = own.expect("answer");
    assert_eq!(own.status, 201, "{}", own.body);
    let published = common::publish_incident(&app, own.body["id"].as_str().expect("id"));
    let unpublished = common::incident_of(&app, &claims[0].1).expect("the ARM claim's incident");
    assert_ne!(published, unpublished);
    app.store.checkpoint_blocking().expect("checkpoint");
    let published_claim = own.body["id"].as_str().expect("id").to_owned();
    let world = World { app, claims, unpublished, published, published_claim };

    let mut cells = 0;
    let mut n = 0;
    for action in Action::ALL {
        for &relation in action.relations() {
            for who in &viewers {
                n += 1;
                let expected = access::allowed(who.viewer, action, relation);
                match probe(&world, who, action, relation, n) {
                    Some(got) => {
                        assert_eq!(
                            got,
                            expected,
                            "{} may {}{} on {}: the matrix says {expected}, the server did {}",
                            who.viewer.as_str(),
                            if expected { "" } else { "not " },
                            action.as_str(),
                            relation.as_str(),
                            if got { "allow it" } else { "refuse it" }
                        );
                        cells += 1;
                    }
                    None => assert!(!expected, "{} / {} / {}", who.viewer.as_str(), action.as_str(), relation.as_str()),
                }
            }
        }
    }
    // Every cell but the public's "own" ones (the public owns nothing) was probed.
    let total: usize = Action::ALL.iter().map(|a| a.relations().len()).sum::<usize>() * viewers.len();
    let public_own = Action::ALL.iter().filter(|a| a.relations().contains(&Relation::Own)).count();
    assert_eq!(cells, total - public_own);
}
