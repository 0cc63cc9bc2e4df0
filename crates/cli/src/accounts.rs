//! Users and tokens on a database file (`truce user ...`, the demo's accounts, tests).

use anyhow::{Context, Result, bail};
use chrono::{Duration, Utc};
use truce_core::access::Role;
use truce_core::ids::UserName;
use truce_core::journal::{Actor, Command};
use truce_core::scenario::{PartyRole, Scenario};
use truce_core::users::{UserDisabled, UserInput, issue_token, random_secret};
use truce_store::Store;

/// A user created with a password and an API token, to hand to its owner.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// Sign-in name.
    pub name: String,
    /// Organisation.
    pub org: String,
    /// Role.
    pub role: Role,
    /// Password.
    pub password: String,
    /// API token.
    pub token: String,
}

/// Adds a user to the store (as the `system` actor). Every bad field is reported.
pub fn add_user(store: &Store, name: &str, org: &str, role: &str, password: &str) -> Result<()> {
    let Some(scenario) = store.scenario() else { bail!("the database has no scenario") };
    let input = UserInput {
        name: Some(name.into()),
        org: Some(org.into()),
        role: Some(role.into()),
        password: Some(password.into()),
    };
    let user = input.validate(&scenario).map_err(|e| anyhow::anyhow!("{e}"))?;
    store.execute_blocking(Actor::system(), Command::AddUser(Box::new(user)))?;
    Ok(())
}

/// Issues an API token for `name`, valid for `days`; returns the token and its id.
pub fn add_token(store: &Store, name: &str, label: &str, days: i64) -> Result<(String, String)> {
    if !(1..=730).contains(&days) {
        bail!("--days must be between 1 and 730");
    }
    let user = UserName::parse(name)?;
    let (token, record) =
        issue_token(user, label, Utc::now() + Duration::days(days)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let id = record.id.clone();
    store.execute_blocking(Actor::system(), Command::IssueToken(Box::new(record)))?;
    Ok((token, id))
}

/// Disables a user.
pub fn disable(store: &Store, name: &str) -> Result<()> {
    store.execute_blocking(Actor::system(), Command::DisableUser(UserDisabled { name: UserName::parse(name)? }))?;
    Ok(())
}

/// A fresh password for a generated account.
pub fn new_password() -> String {
    random_secret("").chars().take(20).collect()
}

/// One account per role for a demonstration, named after the scenario's organisations: the
/// mission's organisation (`settings.mission`, else the first party with the `monitor` role)
/// holds the monitor, analyst and admin accounts; every `belligerent` party gets a liaison
/// (role `party`); the first `mediator` party a mediator.
pub fn demo_accounts(scenario: &Scenario) -> Vec<(String, String, Role)> {
    let with_role = |r: PartyRole| scenario.parties.iter().filter(move |p| p.roles.contains(&r));
    let mut out = Vec::new();
    let mission = scenario.settings.mission.as_ref().map(|m| m.to_string());
    let mission = mission.or_else(|| with_role(PartyRole::Monitor).next().map(|p| p.id.to_string()));
    if let Some(org) = mission {
        let lower = org.to_lowercase();
        out.push((format!("{lower}.monitor"), org.clone(), Role::Monitor));
        out.push((format!("{lower}.analyst"), org.clone(), Role::Analyst));
        out.push((format!("{lower}.admin"), org, Role::Admin));
    }
    for p in with_role(PartyRole::Belligerent) {
        out.push((format!("{}.liaison", p.id.as_str().to_lowercase()), p.id.to_string(), Role::Party));
    }
    if let Some(p) = with_role(PartyRole::Mediator).next() {
        out.push((format!("{}.mediator", p.id.as_str().to_lowercase()), p.id.to_string(), Role::Mediator));
    }
    // The endorsing body's members are the mission's monitors.
    let mission = out.first().map(|(_, org, _)| org.clone());
    if let (Some(rule), Some(org)) = (&scenario.verification.endorsement, mission) {
        for m in &rule.members {
            if !out.iter().any(|(n, _, _)| *n == m.user) {
                out.push((m.user.clone(), org.clone(), Role::Monitor));
            }
        }
    }
    out
}

/// Creates the demo accounts with fresh passwords and 30-day tokens.
pub fn create_demo_accounts(store: &Store) -> Result<Vec<Credentials>> {
    let Some(scenario) = store.scenario() else { bail!("the database has no scenario") };
    let mut out = Vec::new();
    for (name, org, role) in demo_accounts(&scenario) {
        let password = new_password();
        add_user(store, &name, &org, role.as_str(), &password).with_context(|| format!("adding {name}"))?;
        let (token, _) = add_token(store, &name, "demo", 30)?;
        out.push(Credentials { name, org, role, password, token });
    }
    Ok(out)
}
