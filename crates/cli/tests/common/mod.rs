//! `TestApp`: the real server on 127.0.0.1:0 over a fresh temporary database, with typed
//! client helpers. Every test gets its own.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use truce::client::{Answer, Client};
use truce_store::Store;

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: Client,
    pub store: Store,
    pub db: PathBuf,
    /// The default client's token (a monitor's).
    pub token: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// The bundled scenario, no claims.
    pub fn spawn() -> TestApp {
        Self::spawn_with(false)
    }

    /// The bundled scenario and its demo claims.
    pub fn spawn_demo() -> TestApp {
        Self::spawn_with(true)
    }

    /// The bundled scenario, no claims, and a log key: checkpoints are signed.
    pub fn spawn_with_log_key() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("truce.db");
        let key = truce_ledger::SigningKeyPair::generate("truce/test").expect("log key");
        let options = truce_store::StoreOptions { log_key: Some(key), ..Default::default() };
        let store = Store::open_with(&db, options).expect("open store");
        truce::bundle::init(&store, truce::bundle::scenario().expect("bundled scenario")).expect("init");
        Self::serve(store, db, dir)
    }

    fn spawn_with(demo: bool) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("truce.db");
        let store = Store::open(&db).expect("open store");
        truce::bundle::init(&store, truce::bundle::scenario().expect("bundled scenario")).expect("init");
        if demo {
            truce::bundle::load_claims(&store, &truce::bundle::demo_claims()).expect("demo claims");
        }
        Self::serve(store, db, dir)
    }

    /// A user of `org` with `role` (added unless it exists), and a new API token for them.
    pub fn token_for(store: &Store, name: &str, org: &str, role: &str) -> String {
        if let Err(e) = truce::accounts::add_user(store, name, org, role, "a test password") {
            assert!(e.to_string().contains("exists already"), "add user: {e}");
        }
        truce::accounts::add_token(store, name, "test", 1).expect("token").0
    }

    /// A client of this server acting as a new user of `org` with `role`.
    pub fn client_as(&self, name: &str, org: &str, role: &str) -> Client {
        Client::new(&self.base).with_token(Some(Self::token_for(&self.store, name, org, role)))
    }

    /// Serves an already prepared store.
    pub fn serve(store: Store, db: PathBuf, dir: tempfile::TempDir) -> TestApp {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        // The default client is a monitor of the mission: it may submit for any party and
        // read everything. Permission tests make their own clients.
        let token = Self::token_for(&store, "test.monitor", "JMC", "monitor");
        let state = truce_server::AppState::new(store.clone());
        let thread = std::thread::spawn(move || {
            rt.block_on(truce_server::serve(listener, state, async {
                let _ = rx.await;
            }))
            .expect("server ran");
        });
        let base = format!("http://{addr}");
        TestApp {
            addr,
            client: Client::new(&base).with_token(Some(token.clone())),
            token,
            base,
            store,
            db,
            shutdown: Some(tx),
            thread: Some(thread),
            _dir: dir,
        }
    }

    pub fn post_claim(&self, claim: &Value) -> Answer {
        self.client.post_raw("/api/v1/claims", &claim.to_string()).expect("answer")
    }

    pub fn post_raw(&self, body: &str) -> Answer {
        self.client.post_raw("/api/v1/claims", body).expect("answer")
    }

    pub fn get(&self, path: &str, query: &[(&str, &str)]) -> Answer {
        let q: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        self.client.get(path, &q).expect("answer")
    }

    /// Claims listed for a query, as ids.
    pub fn claim_ids(&self, query: &[(&str, &str)]) -> Vec<String> {
        let a = self.get("/api/v1/claims", query);
        assert_eq!(a.status, 200, "{:?}", a.body);
        a.body["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect()
    }

    pub fn journal_len(&self) -> u64 {
        self.store.journal_len_blocking().expect("journal length")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A valid claim to vary.
pub fn claim() -> Value {
    json!({
        "claimant": "ARM",
        "source": {"kind": "party_report", "name": "Liaison officer, test", "url": "https://example.org/report/1"},
        "accused": "AZE",
        "event_type": "small_arms_fire",
        "occurred": {"from": "2021-05-12T22:10:00Z", "to": "2021-05-12T23:40:00Z", "precision": "exact"},
        "location": {"geometry": {"type": "Point", "coordinates": [45.62, 40.03]}, "precision": "approximate"},
        "casualties": [{"party": "ARM", "category": "military", "wounded": 2}],
        "provisions_violated": ["P1"],
        "narrative": {"lang": "en", "text": "Small-arms fire at our positions near the border; two soldiers wounded."},
        "tags": ["test"]
    })
}

/// Starts the `truce` binary with `args` and returns it with the base URL it printed in
/// its `listening on` line.
pub fn spawn_truce(args: &[&str]) -> (std::process::Child, String) {
    let (child, url, _) = spawn_truce_lines(args);
    (child, url)
}

/// The API token `truce demo` printed for the account `name`.
pub fn demo_token(lines: &[String], name: &str) -> String {
    lines
        .iter()
        .find_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (words.first() == Some(&name) && words.len() > 2 && words[words.len() - 2] == "token")
                .then(|| words[words.len() - 1].to_owned())
        })
        .unwrap_or_else(|| panic!("truce demo printed no token for {name}: {lines:?}"))
}

/// [`spawn_truce`], also returning every line printed before the address.
pub fn spawn_truce_lines(args: &[&str]) -> (std::process::Child, String, Vec<String>) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start truce");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut before = Vec::new();
    let url = loop {
        let line = lines.next().expect("truce printed its address").expect("line");
        if let Some(url) = line.strip_prefix("listening on ") {
            break url.trim().to_owned();
        }
        before.push(line);
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url, before)
}

/// Adds a user to a database file with `truce user add` and returns the token that
/// `truce user token` printed for them.
pub fn cli_token(db: &std::path::Path, name: &str, org: &str, role: &str) -> String {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_truce");
    let out = Command::new(bin)
        .args(["user", "add", name, "--org", org, "--role", role, "--db"])
        .arg(db)
        .env("TRUCE_PASSWORD", "a test password")
        .output()
        .expect("truce user add");
    assert!(out.status.success(), "user add: {}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(bin).args(["user", "token", name, "--days", "1", "--db"]).arg(db).output().expect("token");
    assert!(out.status.success(), "user token: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The incident a claim is in, read as a monitor.
pub fn incident_of(app: &TestApp, claim: &str) -> Option<String> {
    let page = app.get("/api/v1/incidents", &[("limit", "500")]);
    assert_eq!(page.status, 200, "{}", page.body);
    for i in page.body["items"].as_array().expect("items") {
        let id = i["id"].as_str().expect("id");
        let d = app.get(&format!("/api/v1/incidents/{id}"), &[]);
        let holds = d.body["accounts"].as_array().is_some_and(|accs| {
            accs.iter().any(|a| a["claims"].as_array().is_some_and(|cs| cs.iter().any(|c| c["claim"]["id"] == claim)))
        });
        if holds {
            return Some(id.to_owned());
        }
    }
    None
}

/// A minimal finding.
pub fn finding() -> Value {
    json!({
        "occurrence": "verified",
        "attribution": {"kind": "party", "party": "AZE", "confidence": "high"},
        "provisions_breached": ["P1"],
        "intent": "deliberate",
        "evidence": [{"report": "Patrol report 1"}],
        "rationale": "Craters consistent with mortar fire from the east."
    })
}

/// The incident of `claim`, taken through review, a proposed finding, three endorsements
/// of the scenario's board (creating its members) and publication. Returns its id.
pub fn publish_incident(app: &TestApp, claim: &str) -> String {
    let id = incident_of(app, claim).expect("the claim's incident");
    let version =
        |app: &TestApp| app.get(&format!("/api/v1/incidents/{id}"), &[]).body["version"].as_u64().expect("version");
    let step = |body: Value| {
        let a =
            app.client.post_raw(&format!("/api/v1/incidents/{id}/verification"), &body.to_string()).expect("answer");
        assert_eq!(a.status, 200, "{body}: {}", a.body);
    };
    step(json!({"to": "under_review", "reason": "Tasked a team.", "version": version(app)}));
    step(json!({"to": "finding_proposed", "reason": "Team report.", "finding": finding(), "version": version(app)}));
    for (name, org) in [("rus.officer1", "JMC"), ("tur.officer1", "JMC"), ("rus.officer2", "JMC")] {
        let member = Client::new(&app.base).with_token(Some(TestApp::token_for(&app.store, name, org, "monitor")));
        let body = json!({"endorse": true, "reasons": "", "version": version(app)}).to_string();
        let a = member.post_raw(&format!("/api/v1/incidents/{id}/endorsements"), &body).expect("answer");
        assert_eq!(a.status, 200, "{}", a.body);
    }
    step(json!({"to": "published", "reason": "Endorsed.", "version": version(app)}));
    id
}
