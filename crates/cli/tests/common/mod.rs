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

    /// Serves an already prepared store.
    pub fn serve(store: Store, db: PathBuf, dir: tempfile::TempDir) -> TestApp {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
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
            client: Client::new(&base),
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
    let url = loop {
        let line = lines.next().expect("truce printed its address").expect("line");
        if let Some(url) = line.strip_prefix("listening on ") {
            break url.trim().to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}
