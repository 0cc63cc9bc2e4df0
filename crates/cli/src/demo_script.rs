//! The demo's verification script (`demo/verification.toml` of a scenario): steps replayed
//! after the demo claims are loaded, as the demo accounts, so the first start shows incidents
//! in several states. Every step is an ordinary command: the store checks it like one from
//! the API and journals it.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::Value;
use truce_core::FieldErrors;
use truce_core::claims::ClaimInput;
use truce_core::ids::{ClaimId, UserName};
use truce_core::incidents::{
    Endorsement, FindingInput, IncidentChange, IncidentId, SourceGrade, State, Transition, parse_evidence,
};
use truce_core::journal::{Actor, Command};
use truce_store::Store;

/// A scenario's script as found: where it came from, its text, and the counter-claims its
/// disputes submit (file name, JSON text).
#[derive(Debug, Clone)]
pub struct ScriptFiles {
    /// Where it came from, for error messages.
    pub name: String,
    /// The TOML text.
    pub text: String,
    /// `demo/disputes/*.json`.
    pub disputes: Vec<(String, String)>,
}

/// The script.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    /// Incidents to work on.
    #[serde(default)]
    pub incidents: Vec<ScriptIncident>,
}

/// One incident of the script.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptIncident {
    /// Demo claim files that belong to one incident.
    pub claims: Vec<String>,
    /// What is done to it, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// One step.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The demo account that acts.
    pub by: String,
    /// A transition to this state.
    pub to: Option<String>,
    /// Why (transitions, disputes).
    pub reason: Option<String>,
    /// Evidence of a transition.
    #[serde(default)]
    pub evidence: Vec<Value>,
    /// The finding of a transition to `finding_proposed`.
    pub finding: Option<Value>,
    /// An endorsement (true) or dissent (false).
    pub endorse: Option<bool>,
    /// The endorsement's reasons.
    pub reasons: Option<String>,
    /// Grade the source of this claim file.
    pub grade: Option<String>,
    /// Reliability A-F.
    pub reliability: Option<String>,
    /// Credibility 1-6.
    pub credibility: Option<u8>,
    /// The grade's note.
    pub note: Option<String>,
    /// Submit this file of `demo/disputes/` as `by` and contest the published finding.
    pub dispute: Option<String>,
}

/// Parses a script.
pub fn parse(name: &str, text: &str) -> Result<Script> {
    toml::from_str(text).with_context(|| format!("parsing {name}"))
}

/// Replaces `{"claim": "<file>"}` evidence items by the claim's id.
fn map_evidence(items: &mut [Value], claims: &HashMap<String, ClaimId>) {
    for item in items {
        if let Some(file) = item.get("claim").and_then(Value::as_str)
            && let Some(id) = claims.get(file)
        {
            item["claim"] = Value::String(id.to_string());
        }
    }
}

fn fields(e: FieldErrors) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Replays the script. `claims` maps demo claim files to the claims' ids; `disputes` holds
/// the files of `demo/disputes/`; `monitor` attaches claims that matching placed elsewhere.
pub async fn run(
    store: &Store,
    script: &Script,
    claims: &HashMap<String, ClaimId>,
    disputes: &[(String, String)],
    monitor: &str,
) -> Result<usize> {
    let scenario = store.scenario().context("the database has no scenario")?;
    let claim = |file: &str| claims.get(file).copied().with_context(|| format!("no demo claim {file}"));
    let actor = |name: &str| -> Result<Actor> { Ok(Actor::user(&UserName::parse(name)?)) };
    let mut steps = 0;
    for (n, inc) in script.incidents.iter().enumerate() {
        let what = format!("verification script, incident {}", n + 1);
        let first = claim(inc.claims.first().with_context(|| format!("{what}: no claims"))?)?;
        let id = store.incident_of_claim(first).await?.with_context(|| format!("{what}: claim in no incident"))?;
        let incident = IncidentId::parse(&id).map_err(anyhow::Error::msg)?;
        let version = |store: &Store| {
            let store = store.clone();
            async move { store.incident_state(incident).await?.with_context(|| format!("no incident {incident}")) }
        };
        for file in &inc.claims[1..] {
            let c = claim(file)?;
            let Some(other) = store.incident_of_claim(c).await? else { bail!("{what}: {file} is in no incident") };
            if other == id {
                continue;
            }
            let reason = "Same event as the incident's other accounts (demo script).".to_string();
            let other = IncidentId::parse(&other).map_err(anyhow::Error::msg)?;
            let alone = store
                .incident(other, false, truce_core::claims::PersonalData::default())
                .await?
                .is_some_and(|d| d.summary.claims == 1);
            // A claim alone in its incident brings the incident along: merge it.
            let (change, v) = if alone {
                let (_, v, _) = store.incident_state(other).await?.with_context(|| format!("no incident {other}"))?;
                (IncidentChange::Merged { from: other, into: incident, reason }, v)
            } else {
                let (_, v, _) = version(store).await?;
                (IncidentChange::Attached { incident, claim: c, reason }, v)
            };
            store
                .execute_incident(actor(monitor)?, change, Some(v as u64))
                .await
                .with_context(|| format!("{what}: bringing {file} into the incident"))?;
        }
        for (i, step) in inc.steps.iter().enumerate() {
            let at = format!("{what}, step {}", i + 1);
            let by = actor(&step.by).with_context(|| at.clone())?;
            let (state, v, round) = version(store).await?;
            let change = if let Some(to) = &step.to {
                let to = State::parse(to).map_err(anyhow::Error::msg).with_context(|| at.clone())?;
                let mut e = FieldErrors::new();
                let mut evidence = step.evidence.clone();
                map_evidence(&mut evidence, claims);
                let evidence = parse_evidence(&evidence, "evidence", &mut e);
                let finding = match &step.finding {
                    Some(f) => {
                        let mut f = f.clone();
                        if let Some(items) = f.get_mut("evidence").and_then(Value::as_array_mut) {
                            map_evidence(items, claims);
                        }
                        let input: FindingInput = serde_json::from_value(f).with_context(|| at.clone())?;
                        input.validate(&scenario, "finding.", &mut e)
                    }
                    None => None,
                };
                if !e.is_empty() {
                    return Err(fields(e)).with_context(|| at.clone());
                }
                let reason = step.reason.clone().unwrap_or_default();
                IncidentChange::Transitioned(Transition { incident, from: state, to, reason, evidence, finding })
            } else if let Some(endorse) = step.endorse {
                let reasons = step.reasons.clone().unwrap_or_default();
                IncidentChange::Endorsed(Endorsement { incident, round: round as u32, endorse, reasons })
            } else if let Some(file) = &step.grade {
                let reliability = step.reliability.as_deref().and_then(|r| r.chars().next()).unwrap_or('F');
                IncidentChange::Graded(SourceGrade {
                    claim: claim(file)?,
                    reliability,
                    credibility: step.credibility.unwrap_or(6),
                    note: step.note.clone().unwrap_or_default(),
                })
            } else if let Some(file) = &step.dispute {
                let text = disputes
                    .iter()
                    .find(|(name, _)| name.ends_with(file.as_str()))
                    .map(|(_, t)| t.as_str())
                    .with_context(|| format!("{at}: no dispute file {file}"))?;
                let input: ClaimInput = serde_json::from_str(text).with_context(|| format!("{at}: parsing {file}"))?;
                let body = input.validate(&scenario).map_err(fields).with_context(|| format!("{at}: {file}"))?;
                let counter = store.execute(by.clone(), Command::SubmitClaim(Box::new(body))).await?;
                let reason = step.reason.clone().unwrap_or_default();
                IncidentChange::Disputed { incident, claim: ClaimId(counter.id), reason }
            } else {
                bail!("{at}: a step needs `to`, `endorse`, `grade` or `dispute`");
            };
            // A dispute is filed against the published finding, whatever else changed since.
            let v = (step.dispute.is_none()).then_some(v as u64);
            store.execute_incident(by, change, v).await.with_context(|| at.clone())?;
            steps += 1;
        }
    }
    Ok(steps)
}

/// Loads a scenario's demo provision records (`demo/records.json`): a JSON array of records
/// in the API's input format, each with `claim_files` (demo claim files to link) and
/// optionally `incidents_of` (demo claim files whose incidents to link). A detainee a status
/// or an exchange names may be written `#N`: the file's N-th record (from 0). Each is
/// recorded by `monitor`. Returns how many.
pub async fn load_records(
    store: &Store,
    name: &str,
    text: &str,
    claim_ids: &HashMap<String, ClaimId>,
    monitor: &str,
) -> Result<usize> {
    let items: Vec<Value> = serde_json::from_str(text).with_context(|| format!("parsing {name}"))?;
    let Some(scenario) = store.scenario() else { bail!("the database has no scenario") };
    let actor = Actor::user(&UserName::parse(monitor).map_err(|e| anyhow::anyhow!("{e}"))?);
    let claim = |i: usize, f: &Value| -> Result<ClaimId> {
        let file = f.as_str().unwrap_or_default();
        claim_ids.get(file).copied().with_context(|| format!("{name}[{i}]: no demo claim file {file:?}"))
    };
    let mut added: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut item = item.clone();
        // `#N` names the N-th record of this file.
        let mut refs: Vec<&mut Value> = Vec::new();
        if let Some(r) = item.get_mut("record") {
            let (detainee, transfers) = match r.as_object_mut() {
                Some(o) => {
                    let mut d = None;
                    let mut t = None;
                    for (k, v) in o.iter_mut() {
                        match k.as_str() {
                            "detainee" => d = Some(v),
                            "transfers" => t = Some(v),
                            _ => {}
                        }
                    }
                    (d, t)
                }
                None => (None, None),
            };
            refs.extend(detainee);
            for t in transfers.and_then(Value::as_array_mut).into_iter().flatten() {
                for d in t.get_mut("detainees").and_then(Value::as_array_mut).into_iter().flatten() {
                    refs.push(d);
                }
            }
        }
        for v in refs {
            if let Some(n) = v.as_str().and_then(|s| s.strip_prefix('#')) {
                let n: usize = n.parse().with_context(|| format!("{name}[{i}]: {n:?} is not a record number"))?;
                let id = added.get(n).with_context(|| format!("{name}[{i}]: #{n} is not an earlier record"))?;
                *v = Value::String(id.clone());
            }
        }
        let obj = item.as_object_mut().with_context(|| format!("{name}[{i}]: not an object"))?;
        let files = obj.remove("claim_files").unwrap_or_default();
        let incidents_of = obj.remove("incidents_of").unwrap_or_default();
        let mut claims = Vec::new();
        for f in files.as_array().into_iter().flatten() {
            claims.push(claim(i, f)?);
        }
        let mut incidents = Vec::new();
        for f in incidents_of.as_array().into_iter().flatten() {
            let c = claim(i, f)?;
            let id = store
                .incident_of_claim(c)
                .await?
                .with_context(|| format!("{name}[{i}]: claim {c:?} is in no incident"))?;
            incidents.push(IncidentId::parse(&id).map_err(|e| anyhow::anyhow!("{e}"))?);
        }
        let mut record = truce_core::provisions::Record::from_json(item)
            .map_err(|e| anyhow::anyhow!("{name}[{i}] is not a record: {e}"))?;
        record.claims = claims;
        record.incidents = incidents;
        let (mut record, _) = record.validate(&scenario).map_err(|e| anyhow::anyhow!("{name}[{i}]: {e}"))?;
        let person = record.take_person()?;
        let appended = store
            .execute(actor.clone(), Command::AddRecord(Box::new(record), person))
            .await
            .with_context(|| format!("recording {name}[{i}]"))?;
        added.push(appended.id.to_string());
    }
    Ok(items.len())
}
