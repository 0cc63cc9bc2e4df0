//! Witnesses (C2SP tlog-witness). A party runs `truce witness serve` on its own machine:
//! it cosigns each checkpoint a log pushes to it, once it has checked the log's signature
//! and that the new tree extends the last one it cosigned. The log side pushes every new
//! checkpoint to the witnesses a tlog-policy names, and keeps their cosignatures.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;
use truce_ledger::witness::{AddCheckpoint, decide};
use truce_ledger::{Hash, Policy, SigningKeyPair, VerifierKey, parse_note};

/// What a witness keeps for one log origin: the last checkpoint it cosigned.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Latest {
    size: u64,
    root: Hash,
}

/// The witness's state directory: per origin, `<hash>.latest` (size and root of the last
/// cosigned checkpoint, replaced atomically) and `<hash>.cosigned` (every checkpoint it
/// cosigned with its cosignature, appended, so misbehaviour can be proven later).
#[derive(Debug)]
pub struct WitnessState {
    dir: PathBuf,
    key: SigningKeyPair,
    logs: Vec<VerifierKey>,
    latest: Mutex<HashMap<String, Latest>>,
    /// Held for the witness's life: a second witness on the same state could cosign a fork.
    _lock: std::fs::File,
}

fn file_stem(origin: &str) -> String {
    Sha256::digest(origin.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

impl WitnessState {
    /// Opens (creating) the state directory and reads what was cosigned before.
    pub fn open(dir: &Path, key: SigningKeyPair, logs: Vec<VerifierKey>) -> Result<WitnessState> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let lock_path = dir.join("lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("opening {}", lock_path.display()))?;
        lock.try_lock().map_err(|_| anyhow::anyhow!("{} is in use by another witness", dir.display()))?;
        let mut latest = HashMap::new();
        for log in &logs {
            let path = dir.join(format!("{}.latest", file_stem(log.name())));
            if let Ok(text) = std::fs::read_to_string(&path) {
                let mut parts = text.split_whitespace();
                let size = parts.next().and_then(|s| s.parse().ok());
                let root = parts.next().and_then(Hash::from_base64);
                let (Some(size), Some(root)) = (size, root) else {
                    anyhow::bail!("{} is damaged: expected `<size> <root>`", path.display());
                };
                latest.insert(log.name().to_string(), Latest { size, root });
            }
        }
        Ok(WitnessState { dir: dir.to_path_buf(), key, logs, latest: Mutex::new(latest), _lock: lock })
    }

    /// Handles one add-checkpoint request body: `(status, content type, body)`.
    pub async fn add_checkpoint(&self, body: &[u8]) -> (u16, &'static str, String) {
        let req = match AddCheckpoint::parse(body) {
            Ok(r) => r,
            Err(refusal) => return (refusal.status, "text/plain; charset=utf-8", format!("{}\n", refusal.message)),
        };
        // The check and the update happen under one lock, so two requests cannot roll the
        // recorded size back.
        let mut latest = self.latest.lock().await;
        let decided = decide(&req, &self.logs, |origin| latest.get(origin).map(|l| (l.size, l.root)));
        let cp = match decided {
            Ok(cp) => cp,
            Err(refusal) if refusal.latest_size.is_some() => return (409, "text/x.tlog.size", refusal.message),
            Err(refusal) => return (refusal.status, "text/plain; charset=utf-8", format!("{}\n", refusal.message)),
        };
        let line = self.key.cosign_line(&cp.body(), now_secs());
        if let Err(e) = self.persist(&cp.origin, cp.size, cp.root, &req.note, &line) {
            tracing::error!(error = %e, "could not record the cosigned checkpoint");
            return (500, "text/plain; charset=utf-8", "the witness could not record the checkpoint\n".into());
        }
        latest.insert(cp.origin.clone(), Latest { size: cp.size, root: cp.root });
        (200, "text/plain; charset=utf-8", line)
    }

    fn persist(&self, origin: &str, size: u64, root: Hash, note: &str, line: &str) -> Result<()> {
        let stem = file_stem(origin);
        let history = self.dir.join(format!("{stem}.cosigned"));
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&history)?;
        // Each record: the note as received, then our cosignature line, then a blank line.
        writeln!(f, "{note}{line}")?;
        f.sync_data()?;
        let tmp = self.dir.join(format!("{stem}.latest.tmp"));
        let mut t = std::fs::File::create(&tmp)?;
        writeln!(t, "{size} {}", root.to_base64())?;
        t.sync_all()?;
        std::fs::rename(&tmp, self.dir.join(format!("{stem}.latest")))?;
        std::fs::File::open(&self.dir)?.sync_all()?;
        Ok(())
    }
}

async fn add_checkpoint(State(state): State<Arc<WitnessState>>, body: Bytes) -> Response {
    let (status, ctype, text) = state.add_checkpoint(&body).await;
    let mut r = (StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), text).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r
}

/// The witness's HTTP application: `POST /add-checkpoint`.
pub fn router(state: Arc<WitnessState>) -> Router {
    Router::new().route("/add-checkpoint", axum::routing::post(add_checkpoint)).with_state(state)
}

/// Serves a witness until Ctrl-C or SIGTERM.
pub async fn serve(state: WitnessState, listen: SocketAddr, banner: impl FnOnce(SocketAddr)) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    banner(addr);
    axum::serve(listener, router(Arc::new(state))).with_graceful_shutdown(crate::server::shutdown_signal()).await?;
    Ok(())
}

/// The log side: pushes each new checkpoint to every witness of `policy` that has a URL, and
/// stores the cosignatures that verify. One task per witness, so a slow or absent witness
/// holds up no other; a witness that missed a checkpoint is retried every few seconds.
pub async fn push_checkpoints(store: truce_store::Store, policy: Policy) {
    for w in policy.witnesses.into_iter().filter(|w| w.url.is_some()) {
        tokio::spawn(push_loop(store.clone(), w));
    }
}

async fn push_loop(store: truce_store::Store, w: truce_ledger::policy::PolicyWitness) {
    let mut watch = store.watch_checkpoints();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    let mut held: HashMap<String, u64> = HashMap::new();
    let mut failing = false;
    loop {
        let size = *watch.borrow_and_update();
        if size > 0 && held.get(&w.name) != Some(&size) {
            match push_one(&store, &w, size, &mut held).await {
                Ok(()) => failing = false,
                Err(e) if !failing => {
                    tracing::warn!(witness = %w.name, size, error = %e, "witness did not cosign; retrying every 5 s");
                    failing = true;
                }
                Err(_) => {}
            }
        }
        tokio::select! {
            changed = watch.changed() => if changed.is_err() { break },
            _ = tick.tick() => {}
        }
    }
}

async fn push_one(
    store: &truce_store::Store,
    w: &truce_ledger::policy::PolicyWitness,
    size: u64,
    held: &mut HashMap<String, u64>,
) -> Result<()> {
    let cp = store.log_checkpoint(Some(size)).await?.context("the checkpoint is gone")?;
    let url = format!("{}/add-checkpoint", w.url.as_deref().unwrap_or_default().trim_end_matches('/'));
    // Two tries: the first may learn the size the witness holds from a 409.
    for _ in 0..2 {
        let old = held.get(&w.name).copied().unwrap_or(0).min(size);
        let proof = if old == 0 || old == size { Vec::new() } else { store.consistency_proof(old, size).await?.0 };
        let body = AddCheckpoint { old_size: old, proof, note: cp.note.clone() }.to_body();
        let url2 = url.clone();
        let (status, text) = tokio::task::spawn_blocking(move || -> Result<(u16, String)> {
            crate::client::Client::new("").post_text(&url2, &body)
        })
        .await??;
        match status {
            200 => {
                let signed = format!("{}{text}", cp.note);
                let note = parse_note(signed.as_bytes())?;
                // Keep exactly the lines that verify under this witness's key, nothing else.
                let lines: Vec<(String, String)> = note
                    .signatures
                    .iter()
                    .filter(|sig| {
                        sig.name == w.key.name() && sig.key_id == w.key.key_id() && w.key.verify(&note.text, &sig.sig)
                    })
                    .take(1)
                    .map(|sig| (w.key.to_string(), sig.to_line()))
                    .collect();
                anyhow::ensure!(!lines.is_empty(), "the witness answered no valid cosignature");
                store.add_cosignatures(size, lines).await?;
                held.insert(w.name.clone(), size);
                tracing::info!(witness = %w.name, size, "cosigned");
                return Ok(());
            }
            409 => {
                let theirs: u64 = text.trim().parse().context("a 409 without a size")?;
                anyhow::ensure!(
                    theirs <= size,
                    "the witness holds size {theirs}, newer than this log's {size}: a fork or a rollback"
                );
                held.insert(w.name.clone(), theirs);
            }
            s => anyhow::bail!("status {s}: {}", text.trim()),
        }
    }
    anyhow::bail!("the witness kept refusing the old size")
}

/// Checks and prepares a witness policy for the log whose key is `log`.
pub fn load_policy(path: &Path, log: &VerifierKey) -> Result<Policy> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let policy = Policy::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if !policy.logs.is_empty() && !policy.logs.iter().any(|(k, _)| k == log) {
        anyhow::bail!("{}: the policy does not name this log's key {log}", path.display());
    }
    Ok(policy)
}

/// Starts one witness per party of the scenario's plan inside this process, each with a fresh
/// key (written to `dir/<party>.key`) and its state under `dir/<party>/`, and returns the
/// tlog-policy naming them, their local URLs and the plan's quorum. For `truce demo`: a real
/// deployment has each party run `truce witness serve` on its own machine.
pub async fn start_local_witnesses(
    plan: &truce_core::scenario::WitnessPlan,
    log: &VerifierKey,
    dir: &Path,
) -> Result<String> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut policy = format!("log {log}\n");
    let mut names = Vec::new();
    for party in &plan.parties {
        let name = format!("{}/witness/{}", log.name(), party.as_str());
        let key = SigningKeyPair::generate(&name).map_err(|e| anyhow::anyhow!("witness key {name:?}: {e}"))?;
        crate::logkey::write_new(&dir.join(format!("{}.key", party.as_str())), &key)?;
        let state = WitnessState::open(&dir.join(party.as_str()), key.clone(), vec![log.clone()])?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("binding a witness")?;
        let addr = listener.local_addr().context("reading a witness address")?;
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router(Arc::new(state))).await {
                tracing::error!(error = %e, "a demo witness stopped");
            }
        });
        policy.push_str(&format!("witness {} {} http://{addr}\n", party.as_str(), key.cosignature_verifier()));
        names.push(party.as_str().to_string());
    }
    policy.push_str(&format!("group parties {} {}\nquorum parties\n", plan.quorum, names.join(" ")));
    Ok(policy)
}
