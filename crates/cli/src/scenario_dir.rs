//! Reading a scenario directory from disk.

use anyhow::{Context, Result};
use std::path::Path;
use truce_core::scenario::{Scenario, ScenarioFiles};

/// The taxonomy used when a scenario carries none of its own.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../../data/taxonomy.toml");

fn read(dir: &Path, name: &str) -> Result<(String, String)> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok((path.display().to_string(), text))
}

/// Reads the files of the scenario directory `dir`.
pub fn files(dir: &Path) -> Result<ScenarioFiles> {
    let overlay = dir.join("gazetteer-overlay.toml");
    let taxonomy = dir.join("taxonomy.toml");
    let actors = dir.join("intake-actors.toml");
    Ok(ScenarioFiles {
        scenario: read(dir, "scenario.toml")?,
        zones: read(dir, "zones.geojson")?,
        posts: read(dir, "posts.geojson")?,
        gazetteer: read(dir, "gazetteer.json")?,
        overlay: if overlay.exists() { Some(read(dir, "gazetteer-overlay.toml")?) } else { None },
        taxonomy: if taxonomy.exists() {
            read(dir, "taxonomy.toml")?
        } else {
            ("data/taxonomy.toml (built in)".into(), DEFAULT_TAXONOMY.into())
        },
        intake_actors: if actors.exists() { Some(read(dir, "intake-actors.toml")?) } else { None },
    })
}

/// Reads and checks the scenario in `dir`.
pub fn load(dir: &Path) -> Result<Scenario> {
    let files = files(dir)?;
    Ok(Scenario::load(&files)?)
}

/// Reads the claim fixtures in `dir/demo/claims/*.json`, sorted by name.
pub fn demo_claims(dir: &Path) -> Result<Vec<(String, String)>> {
    let claims = dir.join("demo").join("claims");
    if !claims.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&claims).with_context(|| format!("reading {}", claims.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            out.push((path.display().to_string(), text));
        }
    }
    out.sort();
    Ok(out)
}

/// A scenario directory's demo provision records (`demo/records.json`), if it has them.
pub fn demo_records(dir: &Path) -> Result<Option<(String, String)>> {
    let path = dir.join("demo").join("records.json");
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Some((path.display().to_string(), text)))
}

/// A scenario directory's verification script (`demo/verification.toml`) and the
/// counter-claims of its disputes (`demo/disputes/*.json`), if it has a script.
pub fn demo_script(dir: &Path) -> Result<Option<crate::demo_script::ScriptFiles>> {
    let script = dir.join("demo").join("verification.toml");
    if !script.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&script).with_context(|| format!("reading {}", script.display()))?;
    let mut disputes = Vec::new();
    let dir = dir.join("demo").join("disputes");
    if dir.exists() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json") {
                let t = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
                disputes.push((path.display().to_string(), t));
            }
        }
    }
    disputes.sort();
    Ok(Some(crate::demo_script::ScriptFiles { name: script.display().to_string(), text, disputes }))
}
