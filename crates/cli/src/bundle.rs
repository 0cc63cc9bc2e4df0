//! The bundled demo scenario (`scenarios/nagorno-karabakh-2020`), embedded in the binary,
//! and loading a scenario and its demo claims into a store.

use anyhow::{Context, Result, bail};
use truce_core::claims::ClaimInput;
use truce_core::journal::{Actor, Command};
use truce_core::scenario::{Scenario, ScenarioFiles};
use truce_store::Store;

include!(concat!(env!("OUT_DIR"), "/demo_claims.rs"));

const DIR: &str = "scenarios/nagorno-karabakh-2020";

/// The bundled scenario's files.
pub fn files() -> ScenarioFiles {
    let f = |name: &str, text: &str| (format!("{DIR}/{name} (built in)"), text.to_owned());
    ScenarioFiles {
        scenario: f("scenario.toml", include_str!("../../../scenarios/nagorno-karabakh-2020/scenario.toml")),
        zones: f("zones.geojson", include_str!("../../../scenarios/nagorno-karabakh-2020/zones.geojson")),
        posts: f("posts.geojson", include_str!("../../../scenarios/nagorno-karabakh-2020/posts.geojson")),
        gazetteer: f("gazetteer.json", include_str!("../../../scenarios/nagorno-karabakh-2020/gazetteer.json")),
        overlay: Some(f(
            "gazetteer-overlay.toml",
            include_str!("../../../scenarios/nagorno-karabakh-2020/gazetteer-overlay.toml"),
        )),
        taxonomy: ("data/taxonomy.toml (built in)".into(), crate::scenario_dir::DEFAULT_TAXONOMY.into()),
        intake_actors: Some(f("intake-actors.toml", INTAKE_ACTORS)),
    }
}

/// The bundled scenario's actors file for the news intake.
pub const INTAKE_ACTORS: &str = include_str!("../../../scenarios/nagorno-karabakh-2020/intake-actors.toml");

/// The bundled scenario, checked.
pub fn scenario() -> Result<Scenario> {
    Ok(Scenario::load(&files())?)
}

/// The bundled demo claims: (file name, JSON text).
pub fn demo_claims() -> Vec<(String, String)> {
    DEMO_CLAIMS.iter().map(|(n, t)| (format!("{DIR}/demo/claims/{n}"), (*t).to_owned())).collect()
}

/// Loads `scenario` into an empty store.
pub fn init(store: &Store, scenario: Scenario) -> Result<()> {
    store
        .execute_blocking(Actor::system(), Command::LoadScenario(Box::new(scenario)))
        .context("loading the scenario into the journal")?;
    Ok(())
}

/// The bundled demo provision records (file name, JSON text).
pub fn demo_records() -> (String, String) {
    (
        format!("{DIR}/demo/records.json (built in)"),
        include_str!("../../../scenarios/nagorno-karabakh-2020/demo/records.json").to_owned(),
    )
}

/// The bundled verification script and the counter-claims of its disputes.
pub fn demo_script() -> crate::demo_script::ScriptFiles {
    crate::demo_script::ScriptFiles {
        name: format!("{DIR}/demo/verification.toml (built in)"),
        text: DEMO_SCRIPT.to_owned(),
        disputes: DEMO_DISPUTES.iter().map(|(n, t)| (format!("{DIR}/demo/disputes/{n}"), (*t).to_owned())).collect(),
    }
}

/// Validates and submits each claim fixture as the `demo` actor. Returns how many.
pub fn load_claims(store: &Store, claims: &[(String, String)]) -> Result<usize> {
    Ok(load_claims_as(store, claims, &[])?.len())
}

/// Validates and submits each claim fixture as a demo account: the claimant's liaison when
/// there is one, else the mission's monitor, else the `demo` actor. Returns each file's name
/// with the id of the claim it became.
pub fn load_claims_as(
    store: &Store,
    claims: &[(String, String)],
    accounts: &[crate::accounts::Credentials],
) -> Result<Vec<(String, truce_core::ids::ClaimId)>> {
    let mut out = Vec::with_capacity(claims.len());
    let Some(scenario) = store.scenario() else { bail!("the database has no scenario") };
    for (name, text) in claims {
        let input: ClaimInput = serde_json::from_str(text).with_context(|| format!("parsing {name}"))?;
        let body = input.validate(&scenario).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        use truce_core::access::Role;
        let by = accounts
            .iter()
            .find(|a| a.role == Role::Party && a.org == body.claimant.as_str())
            .or_else(|| accounts.iter().find(|a| a.role == Role::Monitor));
        let actor = match by.map(|a| truce_core::ids::UserName::parse(&a.name)) {
            Some(Ok(name)) => Actor::user(&name),
            _ => Actor::demo(),
        };
        let appended = store
            .execute_blocking(actor, Command::SubmitClaim(Box::new(body)))
            .with_context(|| format!("submitting {name}"))?;
        let file = std::path::Path::new(name).file_name().and_then(|f| f.to_str()).unwrap_or(name);
        out.push((file.to_owned(), truce_core::ids::ClaimId(appended.id)));
    }
    Ok(out)
}
