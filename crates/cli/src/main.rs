//! The `truce` command.

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use truce::client::{Client, expect};
use truce::{bundle, logkey, scenario_dir, server, verify};
use truce_ledger::{Policy, VerifierKey};
use truce_store::{Store, StoreOptions};

// The server allocates per request on every worker; mimalloc's per-thread heaps keep that
// off glibc malloc's shared arenas (measured: see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// truce: ceasefire monitoring and verification.
///
/// Claims from each party, from monitors and from the press, kept in one append-only
/// journal that every party can check.
#[derive(Debug, Parser)]
#[command(name = "truce", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Create a fresh database with the demo scenario and demo claims, and serve it.
    Demo {
        /// Database file to create (must not exist). Default: a new temporary file.
        #[arg(long, env = "TRUCE_DB")]
        db: Option<PathBuf>,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", env = "TRUCE_LISTEN")]
        listen: SocketAddr,
        /// Scenario directory to use instead of the bundled one; its demo/claims/*.json are loaded too.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// A C2SP tlog-policy naming the witnesses (with URLs) to push checkpoints to, and the quorum.
        #[arg(long)]
        witnesses: Option<PathBuf>,
    },
    /// Create a database and load a scenario into it.
    Init {
        /// Scenario directory (scenario.toml, zones.geojson, posts.geojson, gazetteer.json, …).
        #[arg(long)]
        scenario: PathBuf,
        /// Database file to create.
        #[arg(long, env = "TRUCE_DB")]
        db: PathBuf,
        /// Also load the scenario's demo claims (demo/claims/*.json).
        #[arg(long)]
        with_demo_claims: bool,
    },
    /// Serve the HTTP API on an initialised database.
    Serve {
        /// Database file.
        #[arg(long, env = "TRUCE_DB")]
        db: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", env = "TRUCE_LISTEN")]
        listen: SocketAddr,
        /// A C2SP tlog-policy naming the witnesses (with URLs) to push checkpoints to, and the quorum.
        #[arg(long)]
        witnesses: Option<PathBuf>,
    },
    /// Submit a claim (a JSON file, or - for standard input) to a running server.
    Submit {
        /// The claim as JSON, in the API's input format.
        file: PathBuf,
        /// Sign the claim with this private key file (`truce keys new`); the key must be
        /// registered for the claimant.
        #[arg(long)]
        sign: Option<PathBuf>,
        #[command(flatten)]
        server: ServerArg,
    },
    /// Read claims from a running server.
    Claims {
        #[command(subcommand)]
        command: ClaimsCmd,
    },
    /// Drop every projection and rebuild it by replaying the journal (server stopped).
    Rebuild {
        /// Database file.
        #[arg(long, env = "TRUCE_DB")]
        db: PathBuf,
    },
    /// Organisations' signing keys for signed claims.
    Keys {
        #[command(subcommand)]
        command: KeysCmd,
    },
    /// The log's key and checkpoints.
    Log {
        #[command(subcommand)]
        command: LogCmd,
    },
    /// Check a log without trusting its server: the checkpoint's signature, a full audit of
    /// every entry and tree hash, consistency with checkpoints saved earlier, inclusion of an
    /// entry; or an offline tlog-proof file under a tlog-policy.
    Verify(VerifyArgs),
    /// Run or set up a witness (C2SP tlog-witness) that cosigns a log's checkpoints.
    Witness {
        #[command(subcommand)]
        command: WitnessCmd,
    },
    /// Export claims or incidents from a running server, as the token's user may see them:
    /// claims.csv, claims.geojson, claims.ndjson, incidents.csv, incidents.geojson or
    /// incidents.ndjson (CSV with ACLED's column names and codes).
    Export {
        /// What and in which format, e.g. `incidents.csv`.
        what: String,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        filters: FilterArgs,
        /// Incidents: states, comma-separated.
        #[arg(long)]
        state: Option<String>,
        /// Incidents: attributed to this party (or shared, not_attributable, not_assessed).
        #[arg(long)]
        attribution: Option<String>,
        #[command(flatten)]
        server: ServerArg,
    },
    /// Users and their API tokens, on a database file (server stopped).
    User {
        #[command(subcommand)]
        command: UserCmd,
    },
    /// Print the permission matrix (docs/access.md) as Markdown.
    AccessMatrix,
    /// Provision records on a running server: add, list, link to claims and incidents.
    Record {
        #[command(subcommand)]
        command: RecordCmd,
    },
    /// Each provision's compliance from a running server: status, reasons, indicators.
    Provisions {
        /// One provision (e.g. P6); all when left out.
        id: Option<String>,
        /// Print the JSON answer instead of a summary.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        server: ServerArg,
    },
    /// Read news articles (a file, or every .txt file of a directory) into draft claims,
    /// every field with the words it came from. A file may start with `url:`, `date:`,
    /// `lang:` and `source:` lines and a blank line. Nothing is sent anywhere, unless --post
    /// gives each article to a server's review queue (as a monitor).
    Ingest {
        /// An article file or a directory of them.
        path: PathBuf,
        /// The publication date (YYYY-MM-DD), for relative dates; else the file's `date:`.
        #[arg(long)]
        published: Option<String>,
        /// auto (from the letters), ar, ru or en.
        #[arg(long, default_value = "auto")]
        lang: String,
        /// The outlet's name.
        #[arg(long)]
        source: Option<String>,
        /// The article's address.
        #[arg(long)]
        url: Option<String>,
        /// Print JSON (one line per article) instead of a summary.
        #[arg(long)]
        json: bool,
        /// Send each article to the server's intake (POST /api/v1/intake), whose drafts wait
        /// there for a monitor's review, instead of reading it here.
        #[arg(long)]
        post: bool,
        #[command(flatten)]
        server: ServerArg,
    },
    /// Score the news intake on a directory of annotated articles (`NNN-LANG.txt` and
    /// `gold.jsonl`): claim precision and recall per language and overall, and field
    /// accuracy. Fails below --min-precision or --min-recall.
    IntakeEval {
        /// The directory.
        dir: PathBuf,
        /// Also write what was extracted, in the gold format, one line per article.
        #[arg(long)]
        predictions: Option<PathBuf>,
        /// Fail when any language's precision is below this.
        #[arg(long)]
        min_precision: Option<f64>,
        /// Fail when any language's recall is below this.
        #[arg(long)]
        min_recall: Option<f64>,
    },
    /// Write a C2SP tlog-proof file for one entry: its leaf, its inclusion proof and the
    /// newest cosigned checkpoint. Anyone can check it offline with `truce verify --proof`.
    Proof {
        /// The entry's sequence number.
        seq: u64,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        server: ServerArg,
    },
}

#[derive(Debug, Subcommand)]
enum UserCmd {
    /// Add a user; the password is read from TRUCE_PASSWORD or standard input.
    Add {
        /// Sign-in name (a-z, 0-9, - _ .).
        name: String,
        /// Organisation: a party of the scenario.
        #[arg(long)]
        org: String,
        /// monitor, party, mediator, analyst or admin.
        #[arg(long)]
        role: String,
        /// Database file.
        #[arg(long, env = "TRUCE_DB")]
        db: PathBuf,
    },
    /// List users and their tokens.
    List {
        /// Database file.
        #[arg(long, env = "TRUCE_DB")]
        db: PathBuf,
    },
    /// Disable a user: their tokens and sessions stop working.
    Disable {
        /// Sign-in name.
        name: String,
        /// Database file.
        #[arg(long, env = "TRUCE_DB")]
        db: PathBuf,
    },
    /// Issue an API token for a user (printed once), or revoke one with --revoke ID.
    Token {
        /// Sign-in name (to issue a token).
        name: Option<String>,
        /// What the token is for.
        #[arg(long, default_value = "")]
        label: String,
        /// Days until it expires.
        #[arg(long, default_value_t = 90)]
        days: i64,
        /// Revoke the token with this id instead.
        #[arg(long, conflicts_with = "name")]
        revoke: Option<String>,
        /// Database file.
        #[arg(long, env = "TRUCE_DB")]
        db: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCmd {
    /// Create a signing key (private key file, mode 0600); print its verifier key.
    New {
        /// The key's name (e.g. mod.am/liaison).
        #[arg(long)]
        name: String,
        /// Private key file to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// Register a verifier key for a party on a running server.
    Register {
        /// The party the key signs for.
        #[arg(long)]
        party: String,
        /// The verifier key, or a file holding it.
        #[arg(long)]
        key: String,
        #[command(flatten)]
        server: ServerArg,
    },
    /// List the registered keys.
    List {
        #[command(flatten)]
        server: ServerArg,
    },
}

#[derive(Debug, Subcommand)]
enum WitnessCmd {
    /// Serve `POST /add-checkpoint`: cosign checkpoints of the trusted logs that extend the
    /// last one cosigned, and refuse forks.
    Serve {
        /// The witness's private key file (from `truce witness key`).
        #[arg(long)]
        key: PathBuf,
        /// Directory for the last cosigned checkpoint of each log, and every one cosigned.
        #[arg(long)]
        state: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8090")]
        listen: SocketAddr,
        /// A trusted log's verifier key (`truce log key`), or a file holding it. May repeat.
        #[arg(long = "log", required = true)]
        logs: Vec<String>,
    },
    /// Create a witness key; print its cosignature verifier key for the log's policy.
    Key {
        /// The witness's name (e.g. witness.arm.example).
        #[arg(long)]
        name: String,
        /// Private key file to create (mode 0600).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum LogCmd {
    /// Print the log's verifier key (give it to every party).
    Key {
        /// Database file.
        #[arg(long, env = "TRUCE_DB")]
        db: PathBuf,
    },
    /// Have a running server sign a checkpoint now, and print it.
    Checkpoint {
        #[command(flatten)]
        server: ServerArg,
    },
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// The log as a database file (server stopped, or a copy).
    #[arg(long, conflicts_with = "server")]
    db: Option<PathBuf>,
    /// The log as a running server's base URL.
    #[arg(long)]
    server: Option<String>,
    /// With --server: an API token; a full audit reads every entry's header, which only the
    /// mission's monitors and analysts may (docs/access.md), and a party reads its own entries.
    #[arg(long, env = "TRUCE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The log's verifier key (`name+keyid+key`), or a file holding it.
    #[arg(long)]
    key: Option<String>,
    /// A checkpoint saved earlier; the log must still extend it. May repeat.
    #[arg(long = "checkpoint")]
    checkpoints: Vec<PathBuf>,
    /// Prove that this entry is in the log.
    #[arg(long)]
    seq: Option<u64>,
    /// With --seq: the entry must be a claim signed with this submitter key (verifier key or
    /// file), exactly as recorded.
    #[arg(long)]
    signed_by: Option<String>,
    /// Skip the full audit (check signatures and proofs only).
    #[arg(long)]
    no_audit: bool,
    /// Save the log's checkpoint here once verified, for the next run's --checkpoint.
    #[arg(long)]
    save: Option<PathBuf>,
    /// An offline tlog-proof file to check (with --policy; no log needed).
    #[arg(long, requires = "policy", conflicts_with_all = ["db", "server"])]
    proof: Option<PathBuf>,
    /// The tlog-policy file that says which log and witnesses to trust.
    #[arg(long)]
    policy: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum RecordCmd {
    /// Add a record (a JSON file, or - for standard input, in the API's input format:
    /// {"provision", "record": {"kind", …}, "source", "claims", "incidents"}).
    Add {
        /// The record as JSON.
        file: PathBuf,
        #[command(flatten)]
        server: ServerArg,
    },
    /// List records, newest first.
    List {
        /// Only this kind (closure, return, control_change, …).
        #[arg(long)]
        kind: Option<String>,
        /// Only this provision.
        #[arg(long)]
        provision: Option<String>,
        /// Only records about this party.
        #[arg(long)]
        party: Option<String>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
        /// Print the JSON answer.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        server: ServerArg,
    },
    /// Link a record to claims and incidents.
    Link {
        /// The record's id.
        id: String,
        /// A claim id (repeatable).
        #[arg(long = "claim")]
        claims: Vec<String>,
        /// An incident id (repeatable).
        #[arg(long = "incident")]
        incidents: Vec<String>,
        #[command(flatten)]
        server: ServerArg,
    },
}

#[derive(Debug, Args)]
struct ServerArg {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "TRUCE_SERVER")]
    server: String,
    /// API token of the user to act as (`truce user token`).
    #[arg(long, env = "TRUCE_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

impl ServerArg {
    fn client(&self) -> Client {
        Client::new(&self.server).with_token(self.token.clone())
    }
}

#[derive(Debug, Subcommand)]
enum ClaimsCmd {
    /// List claims, newest submission first.
    List(ListArgs),
}

/// The filters claims and incidents share, as query parameters of the list endpoints.
#[derive(Debug, Args)]
struct FilterArgs {
    /// Box: min_lon,min_lat,max_lon,max_lat.
    #[arg(long)]
    bbox: Option<String>,
    /// Occurred at or after (RFC 3339, YYYY-MM-DD or YYYY-MM).
    #[arg(long)]
    from: Option<String>,
    /// Occurred at or before.
    #[arg(long)]
    to: Option<String>,
    /// Event type id(s), comma-separated.
    #[arg(long = "type")]
    event_type: Option<String>,
    /// Claimant party id.
    #[arg(long)]
    claimant: Option<String>,
    /// Accused party id.
    #[arg(long)]
    accused: Option<String>,
}

impl FilterArgs {
    /// The filters given, as query parameters.
    fn query(&self) -> Vec<(&'static str, String)> {
        [
            ("bbox", &self.bbox),
            ("from", &self.from),
            ("to", &self.to),
            ("type", &self.event_type),
            ("claimant", &self.claimant),
            ("accused", &self.accused),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
        .collect()
    }
}

#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    filters: FilterArgs,
    /// Full-text search in any language.
    #[arg(long, short)]
    q: Option<String>,
    /// Page size (1-500).
    #[arg(long)]
    limit: Option<u32>,
    /// Cursor from a previous page.
    #[arg(long)]
    cursor: Option<String>,
    /// Follow the cursor through every page.
    #[arg(long)]
    all: bool,
    /// Print one JSON object per line instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    server: ServerArg,
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Cmd::Demo { db, listen, scenario, witnesses } => demo(db, listen, scenario, witnesses.as_deref()),
        Cmd::Init { scenario, db, with_demo_claims } => init(&scenario, &db, with_demo_claims),
        Cmd::Serve { db, listen, witnesses } => serve(&db, listen, witnesses.as_deref()),
        Cmd::Submit { file, sign, server } => submit(&file, sign.as_deref(), &server),
        Cmd::Keys { command } => keys(command),
        Cmd::Claims { command: ClaimsCmd::List(args) } => list(args),
        Cmd::Rebuild { db } => rebuild(&db),
        Cmd::Log { command: LogCmd::Key { db } } => log_key(&db),
        Cmd::Log { command: LogCmd::Checkpoint { server } } => log_checkpoint(&server),
        Cmd::Verify(args) => verify_cmd(args),
        Cmd::Proof { seq, output, server } => proof(seq, output.as_deref(), &server),
        Cmd::Ingest { path, published, lang, source, url, json, post, server } => {
            let send = post.then(|| server.client());
            ingest(&path, published.as_deref(), &lang, source, url, json, send.as_ref())
        }
        Cmd::IntakeEval { dir, predictions, min_precision, min_recall } => {
            intake_eval(&dir, predictions.as_deref(), min_precision, min_recall)
        }
        Cmd::Witness { command: WitnessCmd::Serve { key, state, listen, logs } } => {
            witness_serve(&key, &state, listen, &logs)
        }
        Cmd::Witness { command: WitnessCmd::Key { name, out } } => witness_key(&name, &out),
        Cmd::User { command } => user(command),
        Cmd::Export { what, output, filters, state, attribution, server } => {
            let mut query = filters.query();
            query.extend(state.map(|v| ("state", v)));
            query.extend(attribution.map(|v| ("attribution", v)));
            let (status, body) = server.client().get_raw(&format!("/api/v1/export/{what}"), &query)?;
            if status != 200 {
                let answer = truce::client::Answer { status, body: serde_json::from_slice(&body).unwrap_or_default() };
                bail!("the server refused the export: {}", truce::client::describe_error(&answer));
            }
            match output {
                Some(p) => std::fs::write(&p, body).with_context(|| format!("writing {}", p.display()))?,
                None => std::io::Write::write_all(&mut std::io::stdout(), &body).context("writing the export")?,
            }
            Ok(())
        }
        Cmd::Record { command } => record_cmd(command),
        Cmd::Provisions { id, json, server } => provisions_cmd(id, json, &server),
        Cmd::AccessMatrix => {
            print!("{}", truce_core::access::render_markdown());
            Ok(())
        }
    }
}

fn user(command: UserCmd) -> Result<()> {
    use truce::accounts;
    match command {
        UserCmd::Add { name, org, role, db } => {
            let password = match std::env::var("TRUCE_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("password for {name} (one line on standard input):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line).context("reading the password")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let store = open_existing(&db)?;
            accounts::add_user(&store, &name, &org, &role, &password)?;
            println!("added {name} ({role} of {org})");
        }
        UserCmd::List { db } => {
            let store = open_existing(&db)?;
            runtime()?.block_on(async {
                for u in store.users().await? {
                    let state = if u.disabled { " (disabled)" } else { "" };
                    println!("{}\t{}\t{}{state}", u.name, u.org, u.role.as_str());
                    for t in store.tokens(Some(u.name.clone())).await? {
                        let state = if t.revoked { "revoked" } else { "active" };
                        println!("  token {}\t{}\texpires {}\t{state}", t.id, t.label, t.expires_at);
                    }
                }
                anyhow::Ok(())
            })?;
        }
        UserCmd::Disable { name, db } => {
            accounts::disable(&open_existing(&db)?, &name)?;
            println!("disabled {name}");
        }
        UserCmd::Token { revoke: Some(id), db, .. } => {
            let store = open_existing(&db)?;
            store.execute_blocking(
                truce_core::journal::Actor::system(),
                truce_core::journal::Command::RevokeToken(truce_core::users::TokenRevoked { id: id.clone() }),
            )?;
            println!("revoked token {id}");
        }
        UserCmd::Token { name: Some(name), label, days, db, .. } => {
            let (token, id) = accounts::add_token(&open_existing(&db)?, &name, &label, days)?;
            eprintln!("token {id} for {name}, valid {days} days; it is shown only now:");
            println!("{token}");
        }
        UserCmd::Token { name: None, revoke: None, .. } => bail!("name a user to issue a token for, or --revoke ID"),
    }
    Ok(())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

fn create_store(db: &Path, scenario_id: &str) -> Result<Store> {
    if db.exists() {
        bail!("{} already exists; choose a new file (init and demo never overwrite a database)", db.display());
    }
    let key_path = logkey::path_for(db);
    if key_path.exists() {
        bail!("{} already exists; remove it or choose another database file", key_path.display());
    }
    let key = logkey::create(db, &logkey::default_origin(scenario_id))?;
    Store::open_with(db, StoreOptions { log_key: Some(key), ..StoreOptions::default() })
        .with_context(|| format!("creating {}", db.display()))
}

fn open_existing(db: &Path) -> Result<Store> {
    if !db.exists() {
        bail!("{} does not exist; create it with `truce init --scenario DIR --db {}`", db.display(), db.display());
    }
    let log_key = logkey::load(db)?;
    if log_key.is_none() {
        tracing::warn!(key = %logkey::path_for(db).display(), "no log key beside the database: no checkpoints will be signed");
    }
    Store::open_with(db, StoreOptions { log_key, ..StoreOptions::default() })
        .with_context(|| format!("opening {}", db.display()))
}

/// The server's state, with its witness policy if one is given; starts pushing checkpoints
/// to the witnesses (call inside the runtime).
fn app_state(store: Store, witnesses: Option<&Path>) -> Result<truce_server::AppState> {
    let state = truce_server::AppState::new(store.clone());
    let Some(path) = witnesses else { return Ok(state) };
    let key = store.log_key().context("a witness policy needs the log key beside the database")?;
    let policy = truce::witness::load_policy(path, &key.note_verifier())?;
    tokio::spawn(truce::witness::push_checkpoints(store, policy.clone()));
    Ok(state.with_witness_policy(policy))
}

fn demo(db: Option<PathBuf>, listen: SocketAddr, scenario: Option<PathBuf>, witnesses: Option<&Path>) -> Result<()> {
    let (_tmp, db) = match db {
        Some(db) => (None, db),
        None => {
            let dir =
                tempfile::Builder::new().prefix("truce-demo-").tempdir().context("creating a temporary directory")?;
            let path = dir.path().join("truce.db");
            (Some(dir), path)
        }
    };
    let (sc, claims, script, records) = match &scenario {
        Some(dir) => (
            scenario_dir::load(dir)?,
            scenario_dir::demo_claims(dir)?,
            scenario_dir::demo_script(dir)?,
            scenario_dir::demo_records(dir)?,
        ),
        None => (bundle::scenario()?, bundle::demo_claims(), Some(bundle::demo_script()), Some(bundle::demo_records())),
    };
    let store = create_store(&db, &sc.id)?;
    let title = sc.title.en().to_owned();
    let plan = sc.witnesses.clone();
    bundle::init(&store, sc)?;
    let accounts = truce::accounts::create_demo_accounts(&store)?;
    let loaded = bundle::load_claims_as(&store, &claims, &accounts)?;
    let n = loaded.len();
    let script = script.map(|f| truce::demo_script::parse(&f.name, &f.text).map(|s| (s, f.disputes))).transpose()?;
    println!("truce demo: {title}");
    println!("database: {} ({n} demo claims)", db.display());
    println!("accounts (sign in with name and password; API clients send the token as `Authorization: Bearer`):");
    for a in &accounts {
        println!("  {:<16} {:<9} {:<6} password {}  token {}", a.name, a.role.as_str(), a.org, a.password, a.token);
    }
    let log_vkey = store.log_key().map(|k| k.note_verifier()).context("the demo store has no log key")?;
    println!("log key:  {log_vkey}");
    runtime()?.block_on(async move {
        let ids = loaded.into_iter().collect();
        let monitor = accounts
            .iter()
            .find(|a| a.role == truce_core::access::Role::Monitor)
            .map(|a| a.name.clone())
            .context("the demo has no monitor account")?;
        if let Some((script, disputes)) = &script {
            let steps = truce::demo_script::run(&store, script, &ids, disputes, &monitor).await?;
            println!("verification: {steps} demo steps replayed ({} incidents)", script.incidents.len());
        }
        if let Some((name, text)) = &records {
            let n = truce::demo_script::load_records(&store, name, text, &ids, &monitor).await?;
            println!("provisions: {n} demo records");
        }
        // The scenario's witnesses, run here with fresh keys unless a policy names real ones.
        let mut policy_path = witnesses.map(Path::to_path_buf);
        if let (None, Some(plan)) = (&policy_path, &plan) {
            let dir = PathBuf::from(format!("{}.witnesses", db.display()));
            let policy = truce::witness::start_local_witnesses(plan, &log_vkey, &dir).await?;
            let path = PathBuf::from(format!("{}.policy", db.display()));
            std::fs::write(&path, policy).with_context(|| format!("writing {}", path.display()))?;
            println!(
                "witnesses: {} ({} must cosign); tlog-policy for offline proofs: {}",
                plan.parties.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", "),
                plan.quorum,
                path.display()
            );
            policy_path = Some(path);
        }
        let state = app_state(store, policy_path.as_deref())?;
        server::run_with(state, listen, |addr| {
            println!("open:   http://{addr}/");
            println!("API:    http://{addr}/api/v1/claims (OpenAPI at /api/v1/openapi.json)");
            println!("listening on http://{addr}");
        })
        .await
    })
}

fn init(dir: &Path, db: &Path, with_demo_claims: bool) -> Result<()> {
    let sc = scenario_dir::load(dir)?;
    let (id, places) = (sc.id.clone(), sc.places.len());
    let store = create_store(db, &id)?;
    bundle::init(&store, sc)?;
    let mut n = 0;
    if with_demo_claims {
        n = bundle::load_claims(&store, &scenario_dir::demo_claims(dir)?)?;
    }
    store.checkpoint_blocking().context("signing the first checkpoint")?;
    println!("initialised {} with scenario {id} ({places} places, {n} demo claims)", db.display());
    if let Some(k) = store.log_key() {
        println!("log key {} (private key in {})", k.note_verifier(), logkey::path_for(db).display());
    }
    Ok(())
}

fn serve(db: &Path, listen: SocketAddr, witnesses: Option<&Path>) -> Result<()> {
    let store = open_existing(db)?;
    let Some(sc) = store.scenario() else {
        bail!("{} has no scenario; run `truce init --scenario DIR --db {}` first", db.display(), db.display());
    };
    println!("serving {} ({})", db.display(), sc.title.en());
    runtime()?.block_on(async move {
        let state = app_state(store, witnesses)?;
        server::run_with(state, listen, |addr| println!("listening on http://{addr}")).await
    })
}

fn record_cmd(command: RecordCmd) -> Result<()> {
    match command {
        RecordCmd::Add { file, server } => {
            let text = if file == Path::new("-") {
                std::io::read_to_string(std::io::stdin()).context("reading standard input")?
            } else {
                std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?
            };
            let answer = server.client().post_raw("/api/v1/records", &text)?;
            let record = expect(answer, 201).with_context(|| format!("the server refused {}", file.display()))?;
            println!("{}", record["id"].as_str().unwrap_or_default());
            Ok(())
        }
        RecordCmd::List { kind, provision, party, limit, json, server } => {
            let mut query = Vec::new();
            query.extend(kind.map(|v| ("kind", v)));
            query.extend(provision.map(|v| ("provision", v)));
            query.extend(party.map(|v| ("party", v)));
            query.extend(limit.map(|v| ("limit", v.to_string())));
            let rows = expect(server.client().get("/api/v1/records", &query)?, 200)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            println!("{:<26} {:<9} {:<18} SUMMARY", "ID", "PROVISION", "KIND");
            for r in rows.as_array().into_iter().flatten() {
                let data = truce_core::provisions::Record::from_json(serde_json::json!({"record": r["record"]}))
                    .ok()
                    .map(|r| r.record);
                println!(
                    "{:<26} {:<9} {:<18} {}",
                    r["id"].as_str().unwrap_or_default(),
                    r["provision"].as_str().unwrap_or("-"),
                    r["kind"].as_str().unwrap_or_default(),
                    data.as_ref().map(truce_core::provisions::compliance::summary).unwrap_or_default()
                );
            }
            Ok(())
        }
        RecordCmd::Link { id, claims, incidents, server } => {
            let body = serde_json::json!({"claims": claims, "incidents": incidents});
            let answer = server.client().post_raw(&format!("/api/v1/records/{id}/links"), &body.to_string())?;
            expect(answer, 200).with_context(|| format!("the server refused to link {id}"))?;
            println!("linked {id}");
            Ok(())
        }
    }
}

fn provisions_cmd(id: Option<String>, json: bool, server: &ServerArg) -> Result<()> {
    let path = match &id {
        Some(id) => format!("/api/v1/provisions/{id}"),
        None => "/api/v1/provisions".to_string(),
    };
    let answer = expect(server.client().get(&path, &[])?, 200)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(());
    }
    let all = if answer.is_array() { answer.as_array().cloned().unwrap_or_default() } else { vec![answer] };
    for p in all {
        println!(
            "{} {:<20} {}",
            p["provision"].as_str().unwrap_or_default(),
            p["status"].as_str().unwrap_or_default(),
            p["title"].as_str().unwrap_or_default()
        );
        for reason in p["reasons"].as_array().into_iter().flatten() {
            println!("     - {}", reason["text"].as_str().unwrap_or_default());
        }
    }
    Ok(())
}

fn submit(file: &Path, sign: Option<&Path>, server: &ServerArg) -> Result<()> {
    let mut text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("reading standard input")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    };
    if let Some(keyfile) = sign {
        let key = logkey::read(keyfile)?;
        let claim: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?;
        text = truce_core::claims::signing::sign_claim(&claim, &key)?.to_string();
    }
    let answer = server.client().post_raw("/api/v1/claims", &text)?;
    let claim = expect(answer, 201).with_context(|| format!("the server refused {}", file.display()))?;
    println!("{}", claim["id"].as_str().unwrap_or_default());
    Ok(())
}

fn list(a: ListArgs) -> Result<()> {
    let client = a.server.client();
    let mut query = a.filters.query();
    query.extend(a.q.clone().map(|v| ("q", v)));
    if let Some(l) = a.limit {
        query.push(("limit", l.to_string()));
    }
    let mut cursor = a.cursor.clone();
    if !a.json {
        println!("{:<26} {:<10} {:<5} {:<5} {:<28} {:<22} PLACE", "ID", "OCCURRED", "BY", "VS", "TYPE", "SOURCE");
    }
    loop {
        let mut q = query.clone();
        if let Some(c) = &cursor {
            q.push(("cursor", c.clone()));
        }
        let page = expect(client.get("/api/v1/claims", &q)?, 200)?;
        for c in page["items"].as_array().into_iter().flatten() {
            if a.json {
                println!("{c}");
            } else {
                let s = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_owned();
                let date: String = s(&c["occurred"]["from"]).chars().take(10).collect();
                let source: String = s(&c["source"]["name"]).chars().take(22).collect();
                println!(
                    "{:<26} {:<10} {:<5} {:<5} {:<28} {:<22} {}",
                    s(&c["id"]),
                    date,
                    s(&c["claimant"]),
                    s(&c["accused"]),
                    s(&c["event_type"]),
                    source,
                    s(&c["location"]["place"]["name"])
                );
            }
        }
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        match (&cursor, a.all) {
            (Some(_), true) => continue,
            (Some(c), false) => {
                eprintln!("more: --cursor {c} (or --all)");
                break;
            }
            _ => break,
        }
    }
    Ok(())
}

fn rebuild(db: &Path) -> Result<()> {
    let store = open_existing(db)?;
    let n = store.rebuild_blocking().context("rebuilding the projections")?;
    println!("rebuilt the projections of {} from {n} journal entries", db.display());
    Ok(())
}

fn log_key(db: &Path) -> Result<()> {
    let key = logkey::load(db)?.with_context(|| format!("{} has no log key", db.display()))?;
    println!("{}", key.note_verifier());
    Ok(())
}

fn log_checkpoint(server: &ServerArg) -> Result<()> {
    let body = expect(server.client().post_raw("/api/v1/log/checkpoint", "")?, 200)?;
    print!("{}", body["checkpoint"]["note"].as_str().unwrap_or("(the log is empty)\n"));
    Ok(())
}

/// An Ed25519 verifier key (type 0x01) given as text or in a file; `what` names the option.
fn read_key(arg: &str, what: &str) -> Result<VerifierKey> {
    let text = if Path::new(arg).is_file() {
        std::fs::read_to_string(arg).with_context(|| format!("{what}: reading {arg}"))?
    } else {
        arg.to_string()
    };
    let key = VerifierKey::parse(text.trim()).map_err(|e| anyhow::anyhow!("{what}: {e}"))?;
    if key.sig_type() != truce_ledger::note::TYPE_ED25519 {
        bail!("{what}: {key} is a cosignature (witness) key; a log or signing key is needed");
    }
    Ok(key)
}

fn verify_cmd(a: VerifyArgs) -> Result<()> {
    let lines = if let Some(proof) = &a.proof {
        let policy_path = a.policy.as_deref().context("--proof needs --policy")?;
        let policy_text =
            std::fs::read_to_string(policy_path).with_context(|| format!("reading {}", policy_path.display()))?;
        let policy = Policy::parse(&policy_text).map_err(|e| anyhow::anyhow!("{}: {e}", policy_path.display()))?;
        let text = std::fs::read_to_string(proof).with_context(|| format!("reading {}", proof.display()))?;
        verify::verify_proof(&text, &policy)?
    } else {
        let key = read_key(a.key.as_deref().context("--key is required (the log's verifier key)")?, "--key")?;
        let mut saved = Vec::new();
        for p in &a.checkpoints {
            saved.push((
                p.display().to_string(),
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
            ));
        }
        let signed_by = a.signed_by.as_deref().map(|k| read_key(k, "--signed-by")).transpose()?;
        if signed_by.is_some() && a.seq.is_none() {
            bail!("--signed-by needs --seq (the entry of the signed claim)");
        }
        let checks = verify::Checks { audit: !a.no_audit, saved, seq: a.seq, signed_by };
        let mut src: Box<dyn verify::LogSource> = match (&a.db, &a.server) {
            (Some(db), _) => Box::new(verify::DbSource(
                truce_store::LogFile::open(db).with_context(|| format!("opening {}", db.display()))?,
            )),
            (None, Some(url)) => Box::new(verify::HttpSource(Client::new(url).with_token(a.token.clone()))),
            (None, None) => bail!("give the log as --db FILE or --server URL (or a --proof FILE with --policy)"),
        };
        let verified = verify::verify(src.as_mut(), &key, &checks)?;
        if let Some(path) = &a.save {
            // The checkpoint just verified, not a fresh fetch that could differ.
            std::fs::write(path, &verified.note).with_context(|| format!("writing {}", path.display()))?;
        }
        verified.lines
    };
    for l in lines {
        println!("{l}");
    }
    Ok(())
}

fn proof(seq: u64, output: Option<&Path>, server: &ServerArg) -> Result<()> {
    let proof = verify::make_proof(&server.client(), seq)?.to_string();
    match output {
        Some(p) => std::fs::write(p, proof).with_context(|| format!("writing {}", p.display()))?,
        None => print!("{proof}"),
    }
    Ok(())
}

fn witness_serve(key: &Path, state: &Path, listen: SocketAddr, logs: &[String]) -> Result<()> {
    let key = logkey::read(key)?;
    let logs = logs.iter().map(|l| read_key(l, "--log")).collect::<Result<Vec<_>>>()?;
    let state = truce::witness::WitnessState::open(state, key.clone(), logs.clone())?;
    runtime()?.block_on(truce::witness::serve(state, listen, |addr| {
        println!("witness {}", key.cosignature_verifier());
        for l in &logs {
            println!("trusts  {l}");
        }
        println!("listening on http://{addr}");
    }))
}

fn witness_key(name: &str, out: &Path) -> Result<()> {
    let key = truce_ledger::SigningKeyPair::generate(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    logkey::write_new(out, &key)?;
    println!("{}", key.cosignature_verifier());
    Ok(())
}

fn keys(command: KeysCmd) -> Result<()> {
    match command {
        KeysCmd::New { name, out } => {
            let key = truce_ledger::SigningKeyPair::generate(&name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
            logkey::write_new(&out, &key)?;
            println!("{}", key.note_verifier());
        }
        KeysCmd::Register { party, key, server } => {
            let vkey = read_key(&key, "--key")?;
            let body = serde_json::json!({"party": party, "key": vkey.to_string()}).to_string();
            let answer = expect(server.client().post_raw("/api/v1/keys", &body)?, 201)?;
            println!("registered {} for {} (entry {})", vkey, party, answer["seq"]);
        }
        KeysCmd::List { server } => {
            let list = expect(server.client().get("/api/v1/keys", &[])?, 200)?;
            for k in list.as_array().into_iter().flatten() {
                println!("{:<6} {}", k["party"].as_str().unwrap_or("-"), k["key"].as_str().unwrap_or("-"));
            }
        }
    }
    Ok(())
}

fn intake_eval(
    dir: &Path,
    predictions: Option<&Path>,
    min_precision: Option<f64>,
    min_recall: Option<f64>,
) -> Result<()> {
    let report = truce::intake::eval(dir, predictions)?;
    println!(
        "{:<8} {:>8} {:>5} {:>9} {:>7} {:>9} {:>7} {:>9} {:>10} {:>7}",
        "lang", "articles", "gold", "predicted", "matched", "precision", "recall", "accused", "casualties", "places"
    );
    let mut below = Vec::new();
    let rows =
        report.languages.iter().map(|(l, t)| (l.as_str(), t)).chain(std::iter::once(("overall", &report.overall)));
    for (lang, t) in rows {
        let frac = |a: usize, b: usize| if b == 0 { "-".to_string() } else { format!("{a}/{b}") };
        println!(
            "{lang:<8} {:>8} {:>5} {:>9} {:>7} {:>9.3} {:>7.3} {:>9} {:>10} {:>7}",
            t.articles,
            t.gold,
            t.predicted,
            t.matched,
            t.precision(),
            t.recall(),
            frac(t.accused_right, t.matched),
            frac(t.casualty_right, t.casualty_figures),
            frac(t.places_resolved, t.places)
        );
        if lang != "overall" {
            if min_precision.is_some_and(|m| t.precision() < m) {
                below.push(format!("{lang} precision {:.3} < {:.2}", t.precision(), min_precision.unwrap_or_default()));
            }
            if min_recall.is_some_and(|m| t.recall() < m) {
                below.push(format!("{lang} recall {:.3} < {:.2}", t.recall(), min_recall.unwrap_or_default()));
            }
        }
    }
    for e in &report.errors {
        eprintln!("unreadable: {e}");
    }
    if !below.is_empty() {
        bail!("below the thresholds: {}", below.join("; "));
    }
    Ok(())
}

fn ingest(
    path: &Path,
    published: Option<&str>,
    lang: &str,
    source: Option<String>,
    url: Option<String>,
    json: bool,
    post: Option<&Client>,
) -> Result<()> {
    let published = match published {
        Some(p) => Some(
            chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d")
                .with_context(|| format!("--published: {p:?} is not YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let lang = match lang {
        "auto" => None,
        l => Some(truce_intake::Lang::parse(l).with_context(|| format!("--lang: {l:?} is not auto, ar, ru or en"))?),
    };
    let intake = truce::intake::bundled()?;
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("reading {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let bar = (files.len() > 1).then(|| {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles, {per_sec}, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let (mut drafts, mut failed) = (0usize, 0usize);
    // A line on standard output (or error), above the progress bar when there is one.
    let say = |error: bool, line: String| {
        let print = || if error { eprintln!("{line}") } else { println!("{line}") };
        match &bar {
            Some(b) => b.suspend(print),
            None => print(),
        }
    };
    for f in &files {
        if let Some(client) = post {
            // The server reads it: its drafts wait in the review queue.
            match truce::intake::post(client, f, published, lang, source.clone(), url.clone()) {
                Ok((id, n)) => {
                    drafts += n;
                    say(false, format!("{}: article {id}, {n} drafts in the review queue", f.display()));
                }
                Err(e) => {
                    failed += 1;
                    say(true, format!("{e:#}"));
                }
            }
            if let Some(b) = &bar {
                b.inc(1);
            }
            continue;
        }
        match truce::intake::read(&intake, f, published, lang, source.clone()) {
            Ok((x, offset)) => {
                drafts += x.drafts.len();
                if json {
                    let line = serde_json::json!({"file": f.display().to_string(), "url": url, "body_offset": offset, "extraction": x});
                    println!("{line}");
                } else if bar.is_none() {
                    print_drafts(&x);
                }
            }
            Err(e) => {
                failed += 1;
                say(true, format!("{e:#}"));
            }
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
        eprintln!("{} articles read, {drafts} drafts, {failed} unreadable", files.len());
    }
    if failed == files.len() {
        bail!("no article could be read");
    }
    Ok(())
}

fn print_drafts(x: &truce_intake::Extraction) {
    println!("language {}, published {}", x.lang.as_str(), x.published.map_or("unknown".into(), |d| d.to_string()));
    for w in &x.warnings {
        println!("  ! {w}");
    }
    for (i, d) in x.drafts.iter().enumerate() {
        let types: Vec<&str> = d.event_types.iter().map(|t| t.value.as_str()).collect();
        println!("{}. {} ({}) says: {}", i + 1, d.claimant.value.name, d.claimant.value.party, types.join(", "));
        if let Some(a) = &d.accused {
            println!("   against {} ({}) «{}»", a.value.name, a.value.party, a.span.text);
        }
        if d.polarity.value == truce_intake::extract::Polarity::Denial {
            println!("   DENIAL «{}»", d.polarity.span.text);
        }
        if let Some(w) = &d.date {
            println!("   when {} «{}»", w.value.date, w.span.text);
        }
        if let Some(p) = &d.place {
            println!("   where {} «{}»", p.value.places.join(" or "), p.span.text);
        }
        for c in &d.casualties {
            println!(
                "   {} {:?} of {} «{}»",
                c.value.kind,
                c.value.count,
                c.value.party.as_deref().unwrap_or("?"),
                c.span.text
            );
        }
        if let Some(p) = &d.positions {
            println!("   positions {:?} «{}»", p.value, p.span.text);
        }
        for w in &d.warnings {
            println!("   ! {w}");
        }
        for t in &d.event_types {
            println!("   {} «{}» {:.1}", t.value, t.span.text, t.confidence);
        }
    }
}
