//! Compliance per provision: every rule deriving a provision's status and indicators from
//! the records and the published findings lives here (documented in `docs/provisions.md`).
//!
//! Only what the mission has published or recorded counts: a finding enters once its
//! incident is published (or disputed after publication), so the view may be shown to
//! anyone.

use super::{DeadlineState, LinkState, Record, RecordData, RecordId};
use crate::incidents::IncidentId;
use crate::scenario::{Provision, ProvisionKind, Scenario};
use crate::time::fmt;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A record as stored: what it says, when it was recorded, and every link made to it.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    /// Its id.
    pub id: RecordId,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// What it says (provision filled in).
    pub record: Record,
    /// Incidents linked, at creation or later.
    pub incidents: Vec<IncidentId>,
}

/// A published incident as the compliance view sees it.
#[derive(Debug, Clone)]
pub struct PublicIncident {
    /// Its id.
    pub id: IncidentId,
    /// Disputed by a party after publication.
    pub disputed: bool,
    /// When it happened (start), ms UTC.
    pub occurred_from_ms: i64,
    /// The provisions its finding says were breached.
    pub breached: Vec<String>,
    /// The centre of where its claims place it, if they do.
    pub at: Option<crate::geo::Position>,
}

/// Where violations outside every sector of the scenario are counted.
pub const NO_SECTOR: &str = "outside_sectors";

/// The first sector zone of the scenario holding `at`, or [`NO_SECTOR`].
fn sector_of<'a>(scenario: &'a Scenario, at: Option<&crate::geo::Position>) -> &'a str {
    at.and_then(|p| scenario.zones.iter().find(|z| z.kind == crate::scenario::ZoneKind::Sector && z.geometry.covers(p)))
        .map_or(NO_SECTOR, |z| z.id.as_str())
}

/// How a provision is being kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Records show it kept, and no violation is verified or disputed.
    Kept,
    /// At least one violation is verified.
    ViolationsVerified,
    /// Violations are alleged or disputed, none verified.
    Disputed,
    /// Nothing recorded.
    NoData,
}

/// One measure of a provision.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Indicator {
    /// Machine name, e.g. `days_closed`.
    pub name: String,
    /// What it measures, in words.
    pub label: String,
    /// The value.
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
}

/// Why a provision has its status: a rule that decided it, by a stable code with its
/// values (for a reader to put in words of their own language) and in English.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Reason {
    /// The rule, e.g. `still_held`.
    pub code: &'static str,
    /// Its values: `count`, and per rule `deadline`, `state`, `days`, `due`, `per_party`.
    #[schema(value_type = Object)]
    pub values: serde_json::Map<String, serde_json::Value>,
    /// In English.
    pub text: String,
}

fn reason(code: &'static str, values: serde_json::Value, text: String) -> Reason {
    let values = match values {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    Reason { code, values, text }
}

/// A recent record, in one line.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Item {
    /// The record's id.
    pub record: String,
    /// Its kind.
    pub kind: String,
    /// When it happened (RFC 3339).
    pub at: String,
    /// In words.
    pub summary: String,
}

/// A provision's compliance.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Compliance {
    /// The provision's id.
    pub provision: String,
    /// Its number in the agreement.
    pub number: u32,
    /// Its kind.
    #[schema(value_type = String)]
    pub kind: ProvisionKind,
    /// Its title in English (or the first language it has).
    pub title: String,
    /// The derived status.
    pub status: Status,
    /// Why: each rule that decided the status.
    pub reasons: Vec<Reason>,
    /// The measures that fit its kind.
    pub indicators: Vec<Indicator>,
    /// The latest records, newest first.
    pub latest: Vec<Item>,
}

/// Latest items shown per provision.
pub const LATEST: usize = 5;

fn indicator(name: &str, label: &str, value: impl Serialize) -> Indicator {
    Indicator {
        name: name.into(),
        label: label.into(),
        value: serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
    }
}

fn time_of(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// When a record's event happened, for ordering and the latest items.
fn when(r: &RecordData) -> &str {
    match r {
        RecordData::LineVersion { valid_from, .. } => valid_from,
        RecordData::Position { since, .. } => since,
        RecordData::ControlChange { at, .. }
        | RecordData::AccessRestriction { at, .. }
        | RecordData::Crossing { at, .. } => at,
        RecordData::DeadlineStatus { done_on, .. } => done_on.as_deref().unwrap_or(""),
        RecordData::Post { opened, .. } => opened,
        RecordData::Patrol { from, .. }
        | RecordData::Observation { from, .. }
        | RecordData::CrossingCount { from, .. }
        | RecordData::Closure { from, .. } => from,
        RecordData::Return { date, .. } | RecordData::Mediation { date, .. } | RecordData::Exchange { date, .. } => {
            date
        }
        RecordData::Detainee { captured_at, .. } => captured_at,
        RecordData::DetaineeStatus { at, .. } => at,
    }
}

/// A record in one line.
pub fn summary(r: &RecordData) -> String {
    match r {
        RecordData::LineVersion { .. } => "line of contact: new version".into(),
        RecordData::Position { name, holder, .. } => format!("{name}: held by {holder}"),
        RecordData::ControlChange { what, from, to, .. } => format!("{what}: from {from} to {to}"),
        RecordData::DeadlineStatus { deadline, status, done_on, .. } => match status {
            DeadlineState::Done => {
                let on = done_on.as_deref().unwrap_or("?");
                format!("{deadline}: done on {}", on.get(..10).unwrap_or(on))
            }
            DeadlineState::Pending => format!("{deadline}: pending"),
            DeadlineState::Missed => format!("{deadline}: missed"),
        },
        RecordData::Post { name, contingent, closed, .. } => {
            format!("post {name} ({contingent}){}", if closed.is_some() { ", closed" } else { "" })
        }
        RecordData::Patrol { contingent, .. } => format!("patrol by {contingent}"),
        RecordData::Observation { observer, counts, .. } => format!(
            "{observer} observed {} explosions, {} bursts, {} single shots",
            counts.explosions_undetermined + counts.explosions_outgoing + counts.explosions_incoming,
            counts.bursts,
            counts.single_shots
        ),
        RecordData::AccessRestriction { restriction, by, .. } => {
            format!("monitors' access: {} by {by}", super::snake(restriction))
        }
        RecordData::CrossingCount { checkpoint, people, .. } => format!("{checkpoint}: {people} people crossed"),
        RecordData::Crossing { checkpoint, description, .. } => format!("{checkpoint}: {description}"),
        RecordData::Closure { link, state, by, .. } => format!(
            "{link} {} by {by}",
            match state {
                LinkState::Closed => "closed",
                LinkState::Restricted => "restricted",
            }
        ),
        RecordData::Return { to, persons, households, .. } => {
            format!("{persons} persons ({households} households) returned to {to}")
        }
        RecordData::Detainee { held_by, side, count, category, .. } => format!(
            "{count} {} of {side} held by {held_by}",
            match category {
                super::DetaineeCategory::PrisonerOfWar => "prisoner(s) of war",
                super::DetaineeCategory::Civilian => "civilian detainee(s)",
                super::DetaineeCategory::Hostage => "hostage(s)",
            }
        ),
        RecordData::DetaineeStatus { detainee, status, .. } => format!("detainee {detainee}: {}", status.as_str()),
        RecordData::Exchange { place, transfers, .. } => {
            let persons: usize = transfers.iter().map(|t| t.detainees.len()).sum();
            let remains: u64 = transfers.iter().map(|t| t.remains).sum();
            format!("exchange at {place}: {persons} detainee record(s), {remains} remains")
        }
        RecordData::Mediation { item, participants, .. } => {
            format!("{}: {}", super::snake(item), participants.join(", "))
        }
    }
}

/// The state of a link on one day: closed beats restricted beats open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayState {
    /// Open.
    Open,
    /// Restricted for some of the day.
    Restricted,
    /// Closed for some of the day.
    Closed,
}

/// A stretch of days in one state.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Stretch {
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day.
    pub to: String,
    /// The state.
    pub state: DayState,
}

/// A link's status day by day from `start` to `end` (UTC days), from its closure records:
/// a day is closed (or restricted) when any closure of that state covers part of it.
pub fn link_timeline(closures: &[(&RecordData, bool)], start: NaiveDate, end: NaiveDate) -> Vec<Stretch> {
    let mut out: Vec<Stretch> = Vec::new();
    let mut day = start;
    while day <= end {
        let (d0, d1) = (
            day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
            day.and_hms_milli_opt(23, 59, 59, 999).map(|t| t.and_utc()),
        );
        let mut state = DayState::Open;
        if let (Some(d0), Some(d1)) = (d0, d1) {
            for (r, _) in closures {
                if let RecordData::Closure { state: s, from, to, .. } = r {
                    let f = time_of(from);
                    let t = to.as_deref().and_then(time_of);
                    let covers = f.is_some_and(|f| f <= d1) && t.is_none_or(|t| t >= d0);
                    if covers {
                        state = state.max(match s {
                            LinkState::Closed => DayState::Closed,
                            LinkState::Restricted => DayState::Restricted,
                        });
                    }
                }
            }
        }
        let text = day.format("%Y-%m-%d").to_string();
        match out.last_mut() {
            Some(last) if last.state == state => last.to = text,
            _ => out.push(Stretch { from: text.clone(), to: text, state }),
        }
        match day.succ_opt() {
            Some(d) => day = d,
            None => break,
        }
    }
    out
}

fn days_in(stretches: &[Stretch], state: DayState) -> i64 {
    stretches
        .iter()
        .filter(|s| s.state == state)
        .filter_map(|s| {
            let f = NaiveDate::parse_from_str(&s.from, "%Y-%m-%d").ok()?;
            let t = NaiveDate::parse_from_str(&s.to, "%Y-%m-%d").ok()?;
            Some((t - f).num_days() + 1)
        })
        .sum()
}

/// Where a change of control stands, from the incidents linked to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    /// Linked to a published incident.
    Verified,
    /// Linked to an incident disputed after publication.
    Disputed,
    /// Resting on claims only.
    Claimed,
}

/// A change of control's status from the incidents linked to it: verified when one is
/// published, disputed when one is disputed after publication, otherwise claimed.
pub fn change_status(incidents: &[IncidentId], public: &BTreeMap<IncidentId, &PublicIncident>) -> ChangeStatus {
    let linked: Vec<_> = incidents.iter().filter_map(|i| public.get(i)).collect();
    if linked.iter().any(|i| i.disputed) {
        ChangeStatus::Disputed
    } else if linked.is_empty() {
        ChangeStatus::Claimed
    } else {
        ChangeStatus::Verified
    }
}

/// One step of a detainee's history.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StatusStep {
    /// When (RFC 3339).
    pub at: String,
    /// The status from then.
    #[schema(value_type = String)]
    pub status: super::DetaineeState,
    /// The record that says so (the detainee record itself, a status change or an exchange).
    pub record: String,
}

/// Each detainee record's status history, oldest first: held from capture, then every
/// status record and every exchange that hands the detainee over, in time order.
pub fn detainee_histories(records: &[StoredRecord]) -> BTreeMap<RecordId, Vec<StatusStep>> {
    let mut out: BTreeMap<RecordId, Vec<StatusStep>> = BTreeMap::new();
    for r in records {
        if let RecordData::Detainee { captured_at, .. } = &r.record.record {
            out.entry(r.id).or_default().push(StatusStep {
                at: captured_at.clone(),
                status: super::DetaineeState::Held,
                record: r.id.to_string(),
            });
        }
    }
    for r in records {
        match &r.record.record {
            RecordData::DetaineeStatus { detainee, status, at } => {
                if let Some(h) = out.get_mut(detainee) {
                    h.push(StatusStep { at: at.clone(), status: *status, record: r.id.to_string() });
                }
            }
            RecordData::Exchange { date, transfers, .. } => {
                for d in transfers.iter().flat_map(|t| &t.detainees) {
                    if let Some(h) = out.get_mut(d) {
                        h.push(StatusStep {
                            at: date.clone(),
                            status: super::DetaineeState::Exchanged,
                            record: r.id.to_string(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    for h in out.values_mut() {
        // Stable: on the same instant, the later record wins.
        h.sort_by(|a, b| a.at.cmp(&b.at));
    }
    out
}

/// Persons held per holding party after each day on which the number changed: from each
/// detainee record's history, a person counts from a held status to the next status that
/// is not held.
fn held_over_time(
    records: &[&StoredRecord],
    histories: &BTreeMap<RecordId, Vec<StatusStep>>,
) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut deltas: BTreeMap<String, BTreeMap<&str, i64>> = BTreeMap::new();
    for r in records {
        let RecordData::Detainee { held_by, count, .. } = &r.record.record else { continue };
        let mut held = false;
        for step in histories.get(&r.id).into_iter().flatten() {
            if step.status.held() == held {
                continue;
            }
            held = step.status.held();
            let day = step.at.chars().take(10).collect::<String>();
            let n = i64::try_from(*count).unwrap_or(i64::MAX);
            *deltas.entry(day).or_default().entry(held_by.as_str()).or_default() += if held { n } else { -n };
        }
    }
    let mut now: BTreeMap<String, i64> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for (day, changes) in deltas {
        for (holder, d) in changes {
            *now.entry(holder.to_owned()).or_default() += d;
        }
        out.insert(day, now.iter().map(|(h, n)| (h.clone(), u64::try_from(*n).unwrap_or(0))).collect());
    }
    out
}

/// Derives every provision's compliance. `start` is when the agreement took effect (the
/// scenario's), `now` the day the view is for.
pub fn derive(
    scenario: &Scenario,
    records: &[StoredRecord],
    incidents: &[PublicIncident],
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<Compliance> {
    let public: BTreeMap<IncidentId, &PublicIncident> = incidents.iter().map(|i| (i.id, i)).collect();
    scenario.provisions.iter().map(|p| derive_one(p, scenario, records, incidents, &public, start, now)).collect()
}

#[allow(clippy::too_many_arguments)]
fn derive_one(
    p: &Provision,
    scenario: &Scenario,
    records: &[StoredRecord],
    incidents: &[PublicIncident],
    public: &BTreeMap<IncidentId, &PublicIncident>,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Compliance {
    let id = p.id.as_str();
    let mine: Vec<&StoredRecord> = records.iter().filter(|r| r.record.provision.as_deref() == Some(id)).collect();
    let breaches: Vec<&PublicIncident> = incidents.iter().filter(|i| i.breached.iter().any(|b| b == id)).collect();
    let verified = breaches.iter().filter(|i| !i.disputed).count();
    let disputed = breaches.len() - verified;
    let (mut violations, mut alleged, mut kept) = (verified, disputed, false);
    let mut reasons = Vec::new();
    if verified > 0 {
        reasons.push(reason(
            "breach_findings",
            json!({ "count": verified }),
            format!("{verified} published finding(s) of a breach"),
        ));
    }
    if disputed > 0 {
        reasons.push(reason(
            "breach_findings_disputed",
            json!({ "count": disputed }),
            format!("{disputed} finding(s) of a breach disputed by a party"),
        ));
    }
    // Violations verified per ISO week (Monday), from the published findings, and per
    // week and the scenario's monitoring sector they fall in.
    let mut weekly: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_sector: BTreeMap<String, BTreeMap<&str, u64>> = BTreeMap::new();
    for i in breaches.iter().filter(|i| !i.disputed) {
        let d = crate::time::from_millis(i.occurred_from_ms).date_naive();
        let monday = (d - Duration::days(i64::from(d.weekday().num_days_from_monday()))).format("%Y-%m-%d").to_string();
        *weekly.entry(monday.clone()).or_default() += 1;
        *by_sector.entry(monday).or_default().entry(sector_of(scenario, i.at.as_ref())).or_default() += 1;
    }
    let mut indicators = vec![
        indicator("violations_verified_per_week", "violations verified, by week (Monday)", &weekly),
        indicator(
            "violations_verified_per_week_and_sector",
            "violations verified, by week (Monday) and monitoring sector",
            &by_sector,
        ),
    ];

    // Every scheduled obligation of the provision: done on time, done late, missed,
    // overdue (due and nothing recorded) or pending.
    if !p.deadlines.is_empty() {
        let mut rows = Vec::new();
        for d in &p.deadlines {
            let latest = mine.iter().rev().find_map(|r| match &r.record.record {
                RecordData::DeadlineStatus { deadline, status, done_on, .. } if deadline == &d.id => {
                    Some((*status, done_on.clone()))
                }
                _ => None,
            });
            let (state, late_days) = match latest {
                Some((DeadlineState::Done, Some(on))) => {
                    // By calendar days (UTC): done on the due date is on time, the next day one
                    // day late, whatever the hour the deadline falls at.
                    let late = time_of(&on).map_or(0, |t| (t.date_naive() - d.due.date_naive()).num_days().max(0));
                    (if late > 0 { "done_late" } else { "done" }, late)
                }
                Some((DeadlineState::Missed, _)) => ("missed", (now - d.due).num_days().max(0)),
                _ if now > d.due => ("overdue", (now - d.due).num_days().max(0)),
                _ => ("pending", 0),
            };
            match state {
                "done_late" | "missed" => {
                    violations += 1;
                    reasons.push(reason(
                        "deadline_late",
                        json!({ "deadline": d.id, "state": state, "count": late_days, "due": fmt(d.due) }),
                        format!("{}: {state} ({late_days} days after {})", d.id, fmt(d.due)),
                    ));
                }
                // Not known to be kept or broken: said, but no evidence either way.
                "overdue" => reasons.push(reason(
                    "deadline_overdue",
                    json!({ "deadline": d.id, "due": fmt(d.due) }),
                    format!("{}: due {}, no record of it done", d.id, fmt(d.due)),
                )),
                "done" => kept = true,
                _ => {}
            }
            rows.push(serde_json::json!({"deadline": d.id, "due": fmt(d.due), "state": state, "days_late": late_days}));
        }
        indicators.push(indicator("deadlines", "each deadline: due, state, days late", rows));
    }

    match p.kind {
        ProvisionKind::Ceasefire => {
            let changes: Vec<_> =
                mine.iter().filter(|r| matches!(r.record.record, RecordData::ControlChange { .. })).collect();
            let after: Vec<_> =
                changes.iter().filter(|r| time_of(when(&r.record.record)).is_some_and(|t| t >= start)).collect();
            let mut by_status: BTreeMap<&str, u64> = BTreeMap::new();
            for r in &after {
                let s = change_status(&r.incidents, public);
                *by_status
                    .entry(match s {
                        ChangeStatus::Verified => "verified",
                        ChangeStatus::Disputed => "disputed",
                        ChangeStatus::Claimed => "claimed",
                    })
                    .or_default() += 1;
                match s {
                    ChangeStatus::Verified => violations += 1,
                    _ => alleged += 1,
                }
            }
            if !after.is_empty() {
                reasons.push(reason(
                    "control_changes_after_start",
                    json!({ "count": after.len() }),
                    format!(
                        "{} change(s) of control since the ceasefire took effect: an advance beyond the line in force",
                        after.len()
                    ),
                ));
            }
            indicators.push(indicator(
                "control_changes_since_start",
                "changes of control since the ceasefire, by status",
                &by_status,
            ));
            let observations: u64 = mine
                .iter()
                .filter_map(|r| match &r.record.record {
                    RecordData::Observation { counts, .. } => Some(
                        counts.explosions_undetermined
                            + counts.explosions_outgoing
                            + counts.explosions_incoming
                            + counts.bursts
                            + counts.single_shots,
                    ),
                    _ => None,
                })
                .sum();
            indicators.push(indicator(
                "observed_ceasefire_violations",
                "explosions, bursts and shots the mission observed",
                observations,
            ));
            kept = !mine.is_empty();
        }
        // Deadlines are derived for every provision that has them, above.
        ProvisionKind::Handover => {}
        ProvisionKind::PeacekeepingDeployment | ProvisionKind::PeacekeepingMandate => {
            let open = mine
                .iter()
                .filter(|r| matches!(&r.record.record, RecordData::Post { closed, .. } if closed.as_deref().and_then(time_of).is_none_or(|c| c > now)))
                .count();
            let since = now - Duration::days(30);
            let patrols = mine
                .iter()
                .filter(|r| matches!(&r.record.record, RecordData::Patrol { from, .. } if time_of(from).is_some_and(|t| t >= since)))
                .count();
            indicators.push(indicator("posts_open", "observation posts open", open));
            indicators.push(indicator("patrols_last_30_days", "patrols in the last 30 days", patrols));
            kept = open > 0 || patrols > 0;
        }
        ProvisionKind::Monitoring => {
            let mut per_party: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
            for r in &mine {
                if let RecordData::AccessRestriction { restriction, by, .. } = &r.record.record {
                    let k = super::snake(restriction);
                    *per_party.entry(by.clone()).or_default().entry(k).or_default() += 1;
                }
            }
            let restrictions: u64 = per_party.values().flat_map(|m| m.values()).sum();
            if restrictions > 0 {
                // Obstructing the monitors is itself a violation.
                violations += restrictions as usize;
                reasons.push(reason(
                    "access_restrictions",
                    json!({ "count": restrictions }),
                    format!("{restrictions} restriction(s) of the monitors' freedom of movement"),
                ));
            }
            indicators.push(indicator(
                "access_restrictions_per_party",
                "restrictions of the monitors' movement, per party and kind",
                &per_party,
            ));
            let observations =
                mine.iter().filter(|r| matches!(r.record.record, RecordData::Observation { .. })).count();
            indicators.push(indicator("observations", "observations recorded", observations));
            kept = observations > 0;
        }
        ProvisionKind::Corridor | ProvisionKind::TransportLinks => {
            let closures: Vec<(&RecordData, bool)> = mine
                .iter()
                .filter_map(|r| match &r.record.record {
                    // Only what was closed while the agreement was in force counts against it.
                    c @ RecordData::Closure { disputed, to, .. }
                        if to.as_deref().and_then(time_of).is_none_or(|t| t >= start) =>
                    {
                        Some((c, *disputed))
                    }
                    _ => None,
                })
                .collect();
            let first = start.date_naive();
            let timeline = link_timeline(&closures, first, now.date_naive().max(first));
            let (closed, restricted) = (days_in(&timeline, DayState::Closed), days_in(&timeline, DayState::Restricted));
            let disputed_closures = closures.iter().filter(|(_, d)| *d).count();
            let undisputed = closures.len() - disputed_closures;
            if undisputed > 0 {
                violations += undisputed;
                reasons.push(reason(
                    "closures_undisputed",
                    json!({ "count": undisputed }),
                    format!("{undisputed} closure(s) or restriction(s) recorded and not disputed"),
                ));
            }
            if disputed_closures > 0 {
                alleged += disputed_closures;
                reasons.push(reason(
                    "closures_disputed",
                    json!({ "count": disputed_closures }),
                    format!("{disputed_closures} closure(s) disputed by the party named"),
                ));
            }
            let (mut people, mut vehicles, mut military, mut notable) = (0u64, 0u64, 0u64, 0u64);
            for r in &mine {
                match &r.record.record {
                    RecordData::CrossingCount { people: p, vehicles: v, cargo, .. } => {
                        people += p;
                        vehicles += v.cars + v.buses + v.trucks + v.other;
                        military += cargo.military_prohibited;
                    }
                    // Notable crossings are told, not counted again (the period's counts hold them).
                    RecordData::Crossing { cargo, .. } => {
                        notable += 1;
                        military += cargo.military_prohibited;
                    }
                    _ => {}
                }
            }
            if military > 0 {
                violations += 1;
                reasons.push(reason(
                    "military_cargo",
                    json!({ "count": military }),
                    format!("{military} consignment(s) of prohibited military cargo counted"),
                ));
            }
            indicators.push(indicator("days_closed", "days closed since the agreement took effect", closed));
            indicators.push(indicator(
                "days_restricted",
                "days restricted since the agreement took effect",
                restricted,
            ));
            indicators.push(indicator("status_timeline", "open, restricted or closed, day by day", &timeline));
            indicators.push(indicator("people_crossed", "people counted crossing", people));
            indicators.push(indicator("vehicles_crossed", "vehicles counted crossing", vehicles));
            indicators.push(indicator("notable_crossings", "notable crossings recorded", notable));
            kept = !mine.is_empty();
        }
        ProvisionKind::DisplacedReturn => {
            let mut per_place: BTreeMap<String, u64> = BTreeMap::new();
            let (mut persons, mut households, mut verified_persons) = (0u64, 0u64, 0u64);
            let mut monthly: BTreeMap<String, u64> = BTreeMap::new();
            for r in &mine {
                if let RecordData::Return { to, persons: n, households: h, unhcr_verified, date, .. } = &r.record.record
                {
                    persons += n;
                    households += h;
                    if *unhcr_verified {
                        verified_persons += n;
                    }
                    *per_place
                        .entry(scenario.place(to).map_or(to.clone(), |p| p.names.en().to_owned()))
                        .or_default() += n;
                    *monthly.entry(date.chars().take(7).collect()).or_default() += n;
                }
            }
            indicators.push(indicator("returns_to_date", "persons returned to date", persons));
            indicators.push(indicator("households_to_date", "households returned to date", households));
            indicators.push(indicator(
                "returns_verified_by_unhcr",
                "persons whose return UNHCR verified",
                verified_persons,
            ));
            indicators.push(indicator("returns_per_settlement", "persons returned, per settlement", &per_place));
            indicators.push(indicator("returns_per_month", "persons returned, per month", &monthly));
            kept = persons > 0;
        }
        ProvisionKind::DetaineeExchange => {
            // Persons by holder and current status (counts only: names are personal data).
            let histories = detainee_histories(records);
            let mut by_holder: BTreeMap<String, BTreeMap<&str, u64>> = BTreeMap::new();
            let mut still_held: BTreeMap<String, u64> = BTreeMap::new();
            for r in &mine {
                if let RecordData::Detainee { held_by, count, .. } = &r.record.record {
                    let status =
                        histories.get(&r.id).and_then(|h| h.last()).map_or(super::DetaineeState::Held, |s| s.status);
                    *by_holder.entry(held_by.clone()).or_default().entry(status.as_str()).or_default() += count;
                    if status.held() {
                        *still_held.entry(held_by.clone()).or_default() += count;
                    }
                }
            }
            let (mut exchanges, mut remains) = (0u64, 0u64);
            for r in &mine {
                if let RecordData::Exchange { transfers, .. } = &r.record.record {
                    exchanges += 1;
                    remains += transfers.iter().map(|t| t.remains).sum::<u64>();
                }
            }
            let held: u64 = still_held.values().sum();
            if held > 0 {
                alleged += 1;
                reasons.push(reason(
                    "still_held",
                    json!({ "count": held, "per_party": &still_held }),
                    format!(
                        "{held} person(s) still held: {}",
                        still_held.iter().map(|(p, n)| format!("{n} by {p}")).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            // A death in custody stays a violation whatever follows it (remains returned).
            let died: u64 = mine
                .iter()
                .filter_map(|r| match &r.record.record {
                    RecordData::Detainee { count, .. }
                        if histories
                            .get(&r.id)
                            .is_some_and(|h| h.iter().any(|s| s.status == super::DetaineeState::DiedInCustody)) =>
                    {
                        Some(*count)
                    }
                    _ => None,
                })
                .sum();
            if died > 0 {
                violations += 1;
                reasons.push(reason(
                    "died_in_custody",
                    json!({ "count": died }),
                    format!("{died} person(s) died in custody"),
                ));
            }
            indicators.push(indicator(
                "detainees_by_holder_and_status",
                "persons, by holding party and status",
                &by_holder,
            ));
            indicators.push(indicator("still_held_per_party", "persons still held, by holding party", &still_held));
            indicators.push(indicator(
                "held_per_party_over_time",
                "persons held, by holding party, after each day with a change",
                held_over_time(&mine, &histories),
            ));
            indicators.push(indicator("exchanges", "exchange operations", exchanges));
            indicators.push(indicator("remains_returned", "remains handed over in exchanges", remains));
            kept = !mine.is_empty();
        }
    }

    let status = if violations > 0 {
        Status::ViolationsVerified
    } else if alleged > 0 {
        Status::Disputed
    } else if kept || !mine.is_empty() {
        if reasons.is_empty() {
            reasons.push(reason(
                "records_no_violation",
                json!({ "count": mine.len() }),
                format!("{} record(s), no violation verified or alleged", mine.len()),
            ));
        }
        Status::Kept
    } else {
        reasons.push(reason("nothing_recorded", json!({}), "nothing recorded for this provision".into()));
        Status::NoData
    };
    let mut latest: Vec<&StoredRecord> = mine.clone();
    latest.sort_by(|a, b| when(&b.record.record).cmp(when(&a.record.record)).then(b.id.cmp(&a.id)));
    let latest = latest
        .into_iter()
        .take(LATEST)
        .map(|r| Item {
            record: r.id.to_string(),
            kind: r.record.record.kind().into(),
            at: when(&r.record.record).into(),
            summary: summary(&r.record.record),
        })
        .collect();
    Compliance {
        provision: id.into(),
        number: p.number,
        kind: p.kind,
        title: p.title.en().to_owned(),
        status,
        reasons,
        indicators,
        latest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provisions::{Record, RecordId};
    use crate::scenario::tests_support::scenario;
    use serde_json::json;

    fn stored(v: serde_json::Value, incidents: Vec<IncidentId>) -> StoredRecord {
        let (record, _) = Record::from_json(v).expect("reads").validate(&scenario()).expect("valid");
        StoredRecord { id: RecordId(ulid::Ulid::new()), recorded_at: Utc::now(), record, incidents }
    }

    fn closure(from: &str, to: &str, state: &str) -> RecordData {
        let mut r = Record::from_json(json!({"record": {"kind": "closure", "link": "z", "state": state, "by": "AAA",
            "from": from, "to": to, "reason_claimed": "r"}}))
        .expect("reads");
        // Times as validation writes them.
        if let RecordData::Closure { from, to, .. } = &mut r.record {
            *from = format!("{from}T00:00:00.000Z");
            *to = to.as_ref().map(|t| format!("{t}T23:59:59.999Z"));
        }
        r.record
    }

    #[test]
    fn a_days_state_is_the_worst_closure_covering_it() {
        let c = closure("2022-12-12", "2022-12-14", "closed");
        let r = closure("2022-12-14", "2022-12-16", "restricted");
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        let t = link_timeline(&[(&c, false), (&r, false)], day("2022-12-10"), day("2022-12-20"));
        let got: Vec<(&str, &str, DayState)> = t.iter().map(|s| (s.from.as_str(), s.to.as_str(), s.state)).collect();
        assert_eq!(
            got,
            [
                ("2022-12-10", "2022-12-11", DayState::Open),
                ("2022-12-12", "2022-12-14", DayState::Closed),
                ("2022-12-15", "2022-12-16", DayState::Restricted),
                ("2022-12-17", "2022-12-20", DayState::Open),
            ]
        );
        assert_eq!(days_in(&t, DayState::Closed), 3);
    }

    #[test]
    fn a_change_of_control_is_verified_by_a_published_incident_and_flagged_after_the_start() {
        let sc = scenario();
        let published = IncidentId::new();
        let disputed = IncidentId::new();
        let incidents = vec![
            PublicIncident { id: published, disputed: false, occurred_from_ms: 0, breached: vec![], at: None },
            PublicIncident { id: disputed, disputed: true, occurred_from_ms: 0, breached: vec![], at: None },
        ];
        let change = |at: &str, inc: Vec<IncidentId>| {
            stored(
                json!({"record": {"kind": "control_change", "what": "h", "location": [46.0, 39.0], "from": "AAA",
                                  "to": "BBB", "at": at}}),
                inc,
            )
        };
        let public: BTreeMap<IncidentId, &PublicIncident> = incidents.iter().map(|i| (i.id, i)).collect();
        assert_eq!(change_status(&change("2021-01-01", vec![published]).incidents, &public), ChangeStatus::Verified);
        assert_eq!(
            change_status(&change("2021-01-01", vec![published, disputed]).incidents, &public),
            ChangeStatus::Disputed
        );
        assert_eq!(
            change_status(&change("2021-01-01", vec![IncidentId::new()]).incidents, &public),
            ChangeStatus::Claimed
        );
        let now = Utc::now();
        // Before the ceasefire took effect: recorded, not an advance against it.
        let before = derive(&sc, &[change("2020-10-01", vec![])], &[], sc.effective_at, now);
        assert_eq!(before[0].status, Status::Kept, "{:?}", before[0].reasons);
        let claimed = derive(&sc, &[change("2021-01-01", vec![])], &[], sc.effective_at, now);
        assert_eq!(claimed[0].status, Status::Disputed);
        let verified = derive(&sc, &[change("2021-01-01", vec![published])], &incidents, sc.effective_at, now);
        assert_eq!(verified[0].status, Status::ViolationsVerified);
        // A published breach finding counts by the week it happened in.
        let breach = PublicIncident {
            id: IncidentId::new(),
            disputed: false,
            occurred_from_ms: chrono::NaiveDate::from_ymd_opt(2021, 11, 18)
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .map(|t| t.and_utc().timestamp_millis())
                .unwrap_or_default(),
            breached: vec!["P1".into()],
            at: crate::geo::Position::new(46.0, 39.0).ok(),
        };
        let out = derive(&sc, &[], std::slice::from_ref(&breach), sc.effective_at, now);
        assert_eq!(out[0].status, Status::ViolationsVerified);
        assert_eq!(out[0].indicators[0].value, json!({"2021-11-15": 1}));
        assert_eq!(out[0].indicators[1].value, json!({"2021-11-15": {"outside_sectors": 1}}));
        // With a sector around it, the breach counts there; one placed nowhere stays outside.
        let mut sc = sc;
        let ring = [(45.5, 38.5), (46.5, 38.5), (46.5, 39.5), (45.5, 39.5), (45.5, 38.5)]
            .map(|(lon, lat)| crate::geo::Position::new(lon, lat).expect("position"));
        sc.zones.push(crate::scenario::Zone {
            id: crate::ids::ZoneId::parse("south").expect("id"),
            kind: crate::scenario::ZoneKind::Sector,
            names: crate::names::Names(Default::default()),
            geometry: crate::geo::Geometry::Polygon(vec![ring.to_vec()]),
            illustrative: true,
            valid_from: None,
            source: None,
            provisions: Vec::new(),
        });
        let unplaced = PublicIncident { id: IncidentId::new(), at: None, ..breach.clone() };
        let out = derive(&sc, &[], &[breach, unplaced], sc.effective_at, now);
        assert_eq!(out[0].indicators[1].value, json!({"2021-11-15": {"outside_sectors": 1, "south": 1}}));
        assert_eq!(derive(&sc, &[], &[], sc.effective_at, now)[0].status, Status::NoData);
    }
}

#[cfg(test)]
mod detainee_tests {
    use super::*;
    use crate::provisions::{Record, RecordId};
    use serde_json::json;

    fn stored(v: serde_json::Value) -> StoredRecord {
        let record = Record::from_json(v).expect("reads");
        StoredRecord { id: RecordId(ulid::Ulid::new()), recorded_at: Utc::now(), record, incidents: Vec::new() }
    }

    #[test]
    fn a_death_in_custody_stays_in_the_history_whatever_follows() {
        let d = stored(json!({"provision": "P8", "record": {"kind": "detainee", "held_by": "AAA", "side": "BBB",
            "category": "prisoner_of_war", "captured_at": "2021-01-01T00:00:00.000Z"}}));
        let step = |status: &str, at: &str| {
            stored(
                json!({"provision": "P8", "record": {"kind": "detainee_status", "detainee": d.id, "status": status, "at": at}}),
            )
        };
        // Written out of order: the history is by time.
        let records = vec![
            d.clone(),
            step("remains_returned", "2021-03-01T00:00:00.000Z"),
            step("died_in_custody", "2021-02-01T00:00:00.000Z"),
        ];
        let mine: Vec<&StoredRecord> = records.iter().collect();
        let over_time = held_over_time(&mine, &detainee_histories(&records));
        assert_eq!(
            serde_json::to_value(&over_time).expect("json"),
            json!({"2021-01-01": {"AAA": 1}, "2021-02-01": {"AAA": 0}}),
            "held from capture until the death; the remains change nothing"
        );
        let h = detainee_histories(&records).remove(&d.id).expect("history");
        let states: Vec<&str> = h.iter().map(|s| s.status.as_str()).collect();
        assert_eq!(states, ["held", "died_in_custody", "remains_returned"]);
    }
}

#[cfg(test)]
mod deadline_tests {
    use super::*;
    use crate::provisions::{Record, RecordId};
    use crate::scenario::Deadline;
    use crate::scenario::tests_support::scenario;
    use serde_json::json;

    #[test]
    fn lateness_is_counted_in_calendar_days() {
        let mut sc = scenario();
        let due = chrono::DateTime::parse_from_rfc3339("2020-11-20T20:59:59Z").expect("t").with_timezone(&Utc);
        sc.provisions[0].deadlines.push(Deadline {
            id: "d".into(),
            what: crate::names::Names(Default::default()),
            due,
            zone: None,
            obligated: Vec::new(),
        });
        let done = |on: &str| {
            let (record, _) = Record::from_json(json!({"record": {"kind": "deadline_status", "deadline": "d",
                "status": "done", "done_on": on, "evidence": "seen"}}))
            .expect("reads")
            .validate(&sc)
            .expect("valid");
            StoredRecord { id: RecordId(ulid::Ulid::new()), recorded_at: Utc::now(), record, incidents: Vec::new() }
        };
        let now = Utc::now();
        let row = |on: &str| {
            let c = derive(&sc, &[done(on)], &[], sc.effective_at, now).remove(0);
            let d = c.indicators.iter().find(|i| i.name == "deadlines").expect("deadlines").value[0].clone();
            (c.status, d["state"].as_str().unwrap_or_default().to_owned(), d["days_late"].as_i64().unwrap_or(-1))
        };
        assert_eq!(row("2020-11-20"), (Status::Kept, "done".into(), 0));
        assert_eq!(row("2020-11-21"), (Status::ViolationsVerified, "done_late".into(), 1));
        assert_eq!(row("2020-11-25"), (Status::ViolationsVerified, "done_late".into(), 5));
    }
}
