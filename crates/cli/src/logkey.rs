//! The log's signing key: created beside the database by `init` and `demo`, readable by its
//! owner only, loaded by `serve`.

use anyhow::{Context, Result, bail};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use truce_ledger::SigningKeyPair;

/// Where the key of the database at `db` lives: `<db>.key`.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".key");
    PathBuf::from(p)
}

/// The default log origin for a scenario: `truce/<scenario id>`.
pub fn default_origin(scenario_id: &str) -> String {
    format!("truce/{scenario_id}")
}

/// Writes `key` to `path` with mode 0600; refuses to overwrite.
pub fn write_new(path: &Path, key: &SigningKeyPair) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).with_context(|| format!("creating the key file {}", path.display()))?;
    writeln!(f, "{}", key.to_private_string()).with_context(|| format!("writing {}", path.display()))?;
    f.sync_all().with_context(|| format!("flushing {}", path.display()))?;
    Ok(())
}

/// Creates the log key of a new database.
pub fn create(db: &Path, origin: &str) -> Result<SigningKeyPair> {
    let key = SigningKeyPair::generate(origin).map_err(|e| anyhow::anyhow!("log origin {origin:?}: {e}"))?;
    write_new(&path_for(db), &key)?;
    Ok(key)
}

/// Reads a private key file (`PRIVATE+KEY+name+id+key`), refusing one others may read.
pub fn read(path: &Path) -> Result<SigningKeyPair> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.permissions().mode();
        if mode & 0o077 != 0 {
            bail!("{} is readable by others (mode {:o}); run chmod 600 on it", path.display(), mode & 0o777);
        }
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    SigningKeyPair::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// The key of the database at `db`, if it has one.
pub fn load(db: &Path) -> Result<Option<SigningKeyPair>> {
    let path = path_for(db);
    if !path.exists() {
        return Ok(None);
    }
    read(&path).map(Some)
}
