//! Reading incidents: lists with filters, and one incident with the parties' accounts side
//! by side, where they differ, its verification history and the entries behind each item.

use rusqlite::{Connection, OptionalExtension, ToSql, params};
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use truce_core::claims::{ClaimBody, Count, PersonalData, encode_cursor};
use truce_core::incidents::query::IncidentFilter;
use truce_core::incidents::{IncidentId, State};
use truce_core::scenario::Scenario;

use super::Store;
use super::anchors::hours;
use super::query::claim_view;
use crate::StoreError;

/// An incident in a list.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentSummary {
    /// Id.
    pub id: String,
    /// State.
    pub state: String,
    /// Whether it is public (published, disputed or reopened).
    pub public: bool,
    /// Version: send it back with a change, so a change made meanwhile is not overwritten.
    pub version: i64,
    /// Since when it is in its state.
    pub state_since: String,
    /// When its state's deadline passes, if the scenario sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Whether that deadline has passed.
    pub overdue: bool,
    /// The time its claims cover.
    pub occurred: Interval,
    /// The box its claims' locations cover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
    /// Event types claimed.
    pub event_types: Vec<String>,
    /// Claimants.
    pub claimants: Vec<String>,
    /// Accused.
    pub accused: Vec<String>,
    /// How many claims it holds.
    pub claims: i64,
    /// The finding's occurrence, if a finding was proposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<String>,
    /// The finding's attribution (party id or kind).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// The incident it was merged into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

/// A time span.
#[derive(Debug, Clone, Serialize)]
pub struct Interval {
    /// Start.
    pub from: String,
    /// End.
    pub to: String,
}

/// A page of incidents.
#[derive(Debug, Serialize)]
pub struct IncidentPage {
    /// Newest first.
    pub items: Vec<IncidentSummary>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// One incident with everything behind it.
#[derive(Debug, Serialize)]
pub struct IncidentDetail {
    /// The summary.
    #[serde(flatten)]
    pub summary: IncidentSummary,
    /// The current finding, with who proposed it and in which entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<FindingView>,
    /// The endorsing body's answers on the current finding, and whether its rule is met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<EndorsementView>,
    /// The accounts, grouped by claimant.
    pub accounts: Vec<AccountView>,
    /// Where the accounts differ.
    pub differences: Differences,
    /// Every journal entry that changed the incident, oldest first.
    pub history: Vec<HistoryItem>,
    /// Other incidents that matching proposed for this one's claims when it placed them, with
    /// score and explanation, best first. Only for readers of unpublished incidents: the ids
    /// would reveal them; everyone else gets none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub proposed: Vec<Value>,
    /// The claims whose personal data the accounts show (to be journaled as read).
    #[serde(skip)]
    pub personal_shown: Vec<String>,
}

/// The finding as proposed.
#[derive(Debug, Serialize)]
pub struct FindingView {
    /// The finding.
    #[serde(flatten)]
    pub finding: Value,
    /// The proposing monitor.
    pub proposed_by: String,
    /// The entry that proposed it.
    pub seq: i64,
    /// Which proposal this is (1 for the first).
    pub round: i64,
}

/// Endorsements of the current finding.
#[derive(Debug, Serialize)]
pub struct EndorsementView {
    /// The endorsing body.
    pub body: String,
    /// How many endorsements are needed.
    pub required: u32,
    /// Groups that must each be among the endorsers.
    pub groups_required: Vec<String>,
    /// Each member's answer so far.
    pub answers: Vec<Answer>,
    /// Whether the rule is met.
    pub met: bool,
}

/// One member's answer.
#[derive(Debug, Serialize)]
pub struct Answer {
    /// Member.
    pub member: String,
    /// Their group.
    pub group: String,
    /// Endorsed (true) or dissented.
    pub endorse: bool,
    /// Their reasons; a dissent is published with the finding.
    pub reasons: String,
    /// The entry.
    pub seq: i64,
}

/// One claimant's account.
#[derive(Debug, Serialize)]
pub struct AccountView {
    /// Who claims.
    pub claimant: String,
    /// Their claims in this incident.
    pub claims: Vec<AccountClaim>,
}

/// A claim in an incident.
#[derive(Debug, Serialize)]
pub struct AccountClaim {
    /// The claim as recorded.
    pub claim: Box<RawValue>,
    /// Attached by matching without a monitor.
    pub auto: bool,
    /// The matching score and its explanation, when matching placed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Why matching placed it here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// The explanation's parts, for a reader to put in their own language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<truce_core::incidents::matching::Because>,
    /// The entry that put it in this incident.
    pub placed_seq: i64,
    /// The monitors' grade of its source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Inclusion proof of the claim's entry in the newest checkpoint.
    pub proof: String,
}

/// An Admiralty grade.
#[derive(Debug, Serialize)]
pub struct Grade {
    /// A–F.
    pub reliability: String,
    /// 1–6.
    pub credibility: i64,
    /// `B2`.
    pub code: String,
    /// Why.
    pub note: String,
    /// Who graded.
    pub by: String,
    /// The entry.
    pub seq: i64,
}

/// Where the accounts differ: each aspect by claimant, and whether the claimants disagree.
#[derive(Debug, Default, Serialize)]
pub struct Differences {
    /// Casualties per party and category, as each claimant counts them.
    pub casualties: Vec<CasualtyDifference>,
    /// Place by claimant.
    pub place: Aspect,
    /// Time by claimant.
    pub time: Aspect,
    /// Accused by claimant.
    pub accused: Aspect,
    /// Event type by claimant.
    pub event_type: Aspect,
}

/// One aspect of the accounts.
#[derive(Debug, Default, Serialize)]
pub struct Aspect {
    /// Each claimant's values.
    pub by_claimant: BTreeMap<String, Vec<String>>,
    /// Whether claimants give different values.
    pub differ: bool,
}

/// One party's casualties of one category, by claimant.
#[derive(Debug, Serialize)]
pub struct CasualtyDifference {
    /// Whose casualties.
    pub party: String,
    /// Military or civilian.
    pub category: String,
    /// Each claimant's figures: `killed ≥1, wounded ≥1, captured 12`.
    pub by_claimant: BTreeMap<String, String>,
    /// Whether claimants give different figures.
    pub differ: bool,
}

/// A journal entry in the incident's history.
#[derive(Debug, Serialize)]
pub struct HistoryItem {
    /// Sequence number.
    pub seq: i64,
    /// Kind.
    pub kind: String,
    /// Who.
    pub actor: String,
    /// When.
    pub at: String,
    /// What, as journaled.
    pub change: Value,
    /// Inclusion proof of this entry in the newest checkpoint.
    pub proof: String,
}

const SUMMARY: &str = "i.rid, i.id, i.state, i.public, i.version, i.state_since, i.occurred_from, i.occurred_to, \
     i.min_lon, i.min_lat, i.max_lon, i.max_lat, i.event_types, i.claimants, i.accused, \
     (SELECT count(*) FROM incident_claims c WHERE c.incident = i.id), i.occurrence, i.attribution, i.merged_into";

fn split(s: String) -> Vec<String> {
    s.split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

fn fmt_ms(ms: i64) -> String {
    truce_core::time::fmt(truce_core::time::from_millis(ms))
}

fn summary(r: &rusqlite::Row<'_>, scenario: &Scenario, now_ms: i64) -> rusqlite::Result<(i64, IncidentSummary)> {
    let state: String = r.get(2)?;
    let since: i64 = r.get(5)?;
    let deadline = scenario.verification.deadlines_hours.get(&state).map(|h| since + i64::from(*h) * 3_600_000);
    let bbox = match (r.get::<_, Option<f64>>(8)?, r.get(9)?, r.get(10)?, r.get(11)?) {
        (Some(a), Some(b), Some(c), Some(d)) => Some([a, b, c, d]),
        _ => None,
    };
    Ok((
        r.get(0)?,
        IncidentSummary {
            id: r.get(1)?,
            public: r.get(3)?,
            version: r.get(4)?,
            state_since: fmt_ms(since),
            deadline: deadline.map(fmt_ms),
            overdue: deadline.is_some_and(|d| d < now_ms),
            state,
            occurred: Interval { from: fmt_ms(r.get(6)?), to: fmt_ms(r.get(7)?) },
            bbox,
            event_types: split(r.get(12)?),
            claimants: split(r.get(13)?),
            accused: split(r.get(14)?),
            claims: r.get(15)?,
            occurrence: r.get(16)?,
            attribution: r.get(17)?,
            merged_into: r.get(18)?,
        },
    ))
}

fn count_text(c: &Count) -> String {
    match c.max {
        Some(max) if max == c.min => c.min.to_string(),
        Some(max) => format!("{}–{max}", c.min),
        None => format!("≥{}", c.min),
    }
}

fn differences(claims: &[(String, ClaimBody)], scenario: &Scenario) -> Differences {
    let mut d = Differences::default();
    let mut casualties: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
    for (claimant, body) in claims {
        let push = |a: &mut Aspect, v: String| {
            let e = a.by_claimant.entry(claimant.clone()).or_default();
            if !e.contains(&v) {
                e.push(v);
            }
        };
        let place = match &body.location {
            Some(l) => match &l.place {
                Some(p) => scenario
                    .places
                    .iter()
                    .find(|x| &x.id == p)
                    .map_or_else(|| p.to_string(), |x| format!("{} ({})", x.names.en(), p)),
                None => truce_core::claims::resolve_location(Some(l), scenario)
                    .map(|v| {
                        let b = v.geometry.bbox();
                        format!("{:.4},{:.4}", (b.min_lon + b.max_lon) / 2.0, (b.min_lat + b.max_lat) / 2.0)
                    })
                    .unwrap_or_default(),
            },
            None => "not given".into(),
        };
        push(&mut d.place, place);
        push(
            &mut d.time,
            format!(
                "{} – {} ({})",
                truce_core::time::fmt(body.occurred.from),
                truce_core::time::fmt(body.occurred.to),
                serde_json::to_value(body.occurred.precision)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            ),
        );
        push(&mut d.accused, body.accused.as_ref().map_or_else(|| "nobody".into(), |a| a.to_string()));
        push(&mut d.event_type, body.event_type.to_string());
        for c in &body.casualties {
            let key = (
                c.party.to_string(),
                serde_json::to_value(c.category).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            );
            let figures: Vec<String> =
                [("killed", &c.killed), ("wounded", &c.wounded), ("captured", &c.captured), ("missing", &c.missing)]
                    .iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {}", count_text(v))))
                    .collect();
            casualties.entry(key).or_default().insert(claimant.clone(), figures.join(", "));
        }
    }
    let claimants: Vec<&String> = {
        let mut v: Vec<&String> = claims.iter().map(|(c, _)| c).collect();
        v.dedup();
        v
    };
    for a in [&mut d.place, &mut d.time, &mut d.accused, &mut d.event_type] {
        let mut values: Vec<&Vec<String>> = a.by_claimant.values().collect();
        values.dedup();
        a.differ = values.len() > 1;
    }
    for ((party, category), mut by) in casualties {
        for c in &claimants {
            by.entry((*c).clone()).or_insert_with(|| "not given".into());
        }
        let mut values: Vec<&String> = by.values().collect();
        values.sort();
        values.dedup();
        d.casualties.push(CasualtyDifference { party, category, differ: values.len() > 1, by_claimant: by });
    }
    d
}

fn proof_url(seq: i64) -> String {
    format!("/api/v1/log/proof/inclusion?seq={seq}")
}

fn detail(
    conn: &Connection,
    scenario: &Scenario,
    id: &str,
    now_ms: i64,
    personal: &PersonalData,
) -> Result<Option<IncidentDetail>, StoreError> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {SUMMARY}, i.finding, i.finding_by, i.finding_seq, i.round FROM incidents i WHERE i.id = ?1"
        ))?
        .query_row([id], |r| {
            let (_, s) = summary(r, scenario, now_ms)?;
            Ok((
                s,
                r.get::<_, Option<String>>(19)?,
                r.get::<_, Option<String>>(20)?,
                r.get::<_, Option<i64>>(21)?,
                r.get::<_, i64>(22)?,
            ))
        })
        .optional()?;
    let Some((summary, finding, finding_by, finding_seq, round)) = row else { return Ok(None) };
    let finding = match (finding, finding_by, finding_seq) {
        (Some(f), Some(by), Some(seq)) => {
            Some(FindingView { finding: serde_json::from_str(&f)?, proposed_by: by, seq, round })
        }
        _ => None,
    };
    let endorsement = match (&finding, &scenario.verification.endorsement) {
        (Some(_), Some(rule)) => {
            let answers: Vec<Answer> = conn
                .prepare_cached(
                    "SELECT member, grp, endorse, reasons, seq FROM endorsements WHERE incident = ?1 AND round = ?2 ORDER BY seq",
                )?
                .query_map(params![id, round], |r| {
                    Ok(Answer { member: r.get(0)?, group: r.get(1)?, endorse: r.get(2)?, reasons: r.get(3)?, seq: r.get(4)? })
                })?
                .collect::<Result<_, _>>()?;
            let groups: Vec<&str> = answers.iter().filter(|a| a.endorse).map(|a| a.group.as_str()).collect();
            Some(EndorsementView {
                body: rule.body.en().to_owned(),
                required: rule.required,
                groups_required: rule.groups_required.clone(),
                met: truce_core::incidents::endorsement_met(rule, &groups),
                answers,
            })
        }
        _ => None,
    };
    // The accounts: each claim's view, placement and grade.
    let mut stmt = conn.prepare_cached(
        "SELECT j.seq, j.id, j.received_at, j.actor, j.payload, c.auto, c.score, c.explanation, c.seq,
                g.reliability, g.credibility, g.note, g.by, g.seq, cl.claimant, cl.org
         FROM incident_claims c
         JOIN journal j ON j.seq = c.claim_seq
         JOIN claims cl ON cl.seq = c.claim_seq
         LEFT JOIN source_grades g ON g.claim_seq = c.claim_seq
         WHERE c.incident = ?1 ORDER BY cl.claimant, j.seq",
    )?;
    let mut rows = stmt.query([id])?;
    let mut accounts: Vec<AccountView> = Vec::new();
    let mut bodies: Vec<(String, ClaimBody)> = Vec::new();
    let mut personal_shown = Vec::new();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let payload: Vec<u8> = r.get(4)?;
        let body: ClaimBody = serde_json::from_slice(&payload)?;
        // The claims of a public incident are published.
        let org: Option<String> = r.get(15)?;
        let shows = body.has_personal_data() && personal.shows(org.as_deref(), summary.public);
        let claim_id: String = r.get(1)?;
        if shows {
            personal_shown.push(claim_id.clone());
        }
        let view = claim_view(seq as u64, claim_id, r.get(2)?, r.get(3)?, &body, scenario, shows)?;
        let claimant: String = r.get(14)?;
        let grade = match (r.get::<_, Option<String>>(9)?, r.get::<_, Option<i64>>(10)?) {
            (Some(rel), Some(cred)) => Some(Grade {
                code: format!("{rel}{cred}"),
                reliability: rel,
                credibility: cred,
                note: r.get(11)?,
                by: r.get(12)?,
                seq: r.get(13)?,
            }),
            _ => None,
        };
        let explanation: Option<String> = r.get(7)?;
        let item = AccountClaim {
            claim: view,
            auto: r.get(5)?,
            score: r.get(6)?,
            because: explanation
                .as_deref()
                .map(|e| truce_core::incidents::matching::because(e, &scenario.taxonomy.event_types))
                .unwrap_or_default(),
            explanation,
            placed_seq: r.get(8)?,
            grade,
            proof: proof_url(seq),
        };
        match accounts.iter_mut().find(|a| a.claimant == claimant) {
            Some(a) => a.claims.push(item),
            None => accounts.push(AccountView { claimant: claimant.clone(), claims: vec![item] }),
        }
        bodies.push((claimant, body));
    }
    let mut proposed: Vec<Value> = Vec::new();
    let history = conn
        .prepare_cached(
            "WITH h (seq) AS (SELECT seq FROM incident_history WHERE incident = ?1
                              UNION SELECT opened_seq FROM incidents WHERE id = ?1)
             SELECT j.seq, j.kind, j.actor, j.received_at, j.payload FROM h
             JOIN journal j ON j.seq = h.seq ORDER BY j.seq",
        )?
        .query_map([id], |r| {
            let payload: Vec<u8> = r.get(4)?;
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, payload))
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|(seq, kind, actor, at, payload)| {
            let mut change: Value = serde_json::from_slice(&payload)?;
            // A placement entry covers a whole job: keep this incident's part of it, and set
            // aside what it proposed of other incidents.
            if let Some(list) = change.pointer_mut("/placed/placements").and_then(Value::as_array_mut) {
                list.retain(|p| p["incident"] == id);
                for p in list.iter_mut() {
                    let claim = p["claim"].clone();
                    if let Some(props) = p.get_mut("proposals").and_then(Value::as_array_mut) {
                        for c in props.iter().filter(|c| c["incident"] != id) {
                            let mut c = c.clone();
                            if let Some(o) = c.as_object_mut() {
                                o.insert("claim".into(), claim.clone());
                                if let Some(e) = o.get("explanation").and_then(Value::as_str) {
                                    let parts =
                                        truce_core::incidents::matching::because(e, &scenario.taxonomy.event_types);
                                    o.insert("because".into(), serde_json::to_value(parts)?);
                                }
                            }
                            proposed.push(c);
                        }
                        props.retain(|c| c["incident"] == id);
                    }
                }
            }
            Ok(HistoryItem { seq, kind, actor, at: fmt_ms(at), change, proof: proof_url(seq) })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // The best score per incident, best first; only live incidents.
    proposed.sort_by(|a, b| b["score"].as_f64().unwrap_or(0.0).total_cmp(&a["score"].as_f64().unwrap_or(0.0)));
    let mut seen = std::collections::HashSet::new();
    proposed.retain(|c| seen.insert(c["incident"].as_str().unwrap_or_default().to_owned()));
    Ok(Some(IncidentDetail {
        proposed,
        differences: differences(&bodies, scenario),
        summary,
        finding,
        endorsement,
        accounts,
        history,
        personal_shown,
    }))
}

impl Store {
    /// How many incidents there are, merged ones left out.
    pub async fn incident_total(&self) -> Result<u64, StoreError> {
        self.read(|c| {
            Ok(c.query_row("SELECT count(*) FROM incidents WHERE state <> 'merged'", [], |r| r.get::<_, i64>(0))?
                as u64)
        })
        .await
    }

    /// How many claims there are.
    pub async fn claim_total(&self) -> Result<u64, StoreError> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM claims", [], |r| r.get::<_, i64>(0))? as u64)).await
    }

    /// One incident, if it exists and (with `public_only`) is public.
    pub async fn incident(
        &self,
        id: IncidentId,
        public_only: bool,
        personal: PersonalData,
    ) -> Result<Option<IncidentDetail>, StoreError> {
        let Some(scenario) = self.scenario() else { return Ok(None) };
        let now = chrono::Utc::now().timestamp_millis();
        self.read(move |c| {
            let found = detail(c, &scenario, &id.to_string(), now, &personal)?;
            Ok(found.filter(|d| !public_only || d.summary.public).map(|mut d| {
                if public_only {
                    d.proposed.clear();
                }
                d
            }))
        })
        .await
    }

    /// Where an incident stands: its state, version and current finding round.
    pub async fn incident_state(&self, id: IncidentId) -> Result<Option<(State, i64, i64)>, StoreError> {
        self.read(move |c| {
            let row: Option<(String, i64, i64)> = c
                .prepare_cached("SELECT state, version, round FROM incidents WHERE id = ?1")?
                .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            row.map(|(s, v, r)| Ok((State::parse(&s).map_err(StoreError::Internal)?, v, r))).transpose()
        })
        .await
    }

    /// The incident a claim is in.
    pub async fn incident_of_claim(&self, claim: truce_core::ids::ClaimId) -> Result<Option<String>, StoreError> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT ic.incident FROM incident_claims ic JOIN journal j ON j.seq = ic.claim_seq WHERE j.id = ?1",
            )?
            .query_row([claim.to_string()], |r| r.get(0))
            .optional()?)
        })
        .await
    }

    /// Incidents matching a filter, newest first.
    ///
    /// A filter by place is answered one of two ways. The newest incidents are first read in
    /// order, each checked against the box, up to a bound: a box over much of the map fills
    /// its page there. A page still short then comes from the R*Trees, which find the few
    /// incidents of a small box wherever they are in time.
    pub async fn incidents(&self, filter: IncidentFilter) -> Result<IncidentPage, StoreError> {
        let Some(scenario) = self.scenario() else { return Err(StoreError::NotInitialised) };
        self.read(move |c| {
            let now = chrono::Utc::now().timestamp_millis();
            let Selection { mut clauses, mut args, near } = select(&filter, &scenario);
            let f = &filter.claims;
            // A cursor past any rid reads from the newest.
            let before = f.before_seq.map(|b| i64::try_from(b).unwrap_or(i64::MAX));
            if let Some(before) = before {
                args.push(Box::new(before));
                clauses.push(format!("i.rid < ?{}", args.len()));
            }
            let limit = i64::from(f.limit);
            args.push(Box::new(limit + 1));
            let limit_arg = format!("?{}", args.len());
            let page = |clauses: &[String], args: &[Box<dyn ToSql>]| -> Result<IncidentPage, StoreError> {
                let sql = format!(
                    "SELECT {SUMMARY} FROM incidents i WHERE {} ORDER BY i.rid DESC LIMIT {limit_arg}",
                    clauses.join(" AND ")
                );
                let mut stmt = c.prepare(&sql)?;
                let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
                let mut rows = stmt.query(params.as_slice())?;
                let mut items = Vec::new();
                let mut last = None;
                let mut more = false;
                while let Some(r) = rows.next()? {
                    if items.len() as i64 == limit {
                        more = true;
                        break;
                    }
                    let (rid, s) = summary(r, &scenario, now)?;
                    last = Some(rid as u64);
                    items.push(s);
                }
                Ok(IncidentPage { items, next_cursor: if more { last.map(encode_cursor) } else { None } })
            };
            let Some(near) = near else { return page(&clauses, &args) };
            // The newest incidents, in order, up to the bound.
            let top: i64 = match before {
                Some(before) => before,
                None => c.query_row("SELECT coalesce(max(rid), 0) + 1 FROM incidents", [], |r| r.get(0))?,
            };
            let lowest = top.saturating_sub(walk_rows(limit));
            let mut walk = clauses.clone();
            walk.push(format!("i.rid >= {lowest}"));
            let walked = page(&walk, &args)?;
            if walked.next_cursor.is_some() || lowest <= 1 {
                return Ok(walked);
            }
            clauses.push(near);
            page(&clauses, &args)
        })
        .await
    }
}

/// How many of the newest incidents a list by place reads in order before it asks the
/// R*Trees: enough for a box over a tenth of the incidents to fill its page.
fn walk_rows(limit: i64) -> i64 {
    10 * (limit + 1)
}

/// How many incidents a filter finds, per week of their start.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekCount {
    /// The Monday the week begins (UTC), `YYYY-MM-DD`.
    pub week: String,
    /// Incidents that began in it.
    pub count: u64,
}

impl Store {
    /// Incidents matching a filter, counted per week (Monday, UTC) of when they began, oldest
    /// first; weeks without any are left out. The page size and cursor are ignored.
    pub async fn incident_weeks(&self, filter: IncidentFilter) -> Result<Vec<WeekCount>, StoreError> {
        let Some(scenario) = self.scenario() else { return Err(StoreError::NotInitialised) };
        self.read(move |c| {
            let Selection { mut clauses, args, near } = select(&filter, &scenario);
            clauses.extend(near);
            // Days since 1970-01-01 (a Thursday): a week starting Monday begins 3 days after a
            // multiple of 7.
            let sql = format!(
                "SELECT ((i.occurred_from / 86400000) + 3) / 7 AS w, count(*) FROM incidents i WHERE {} GROUP BY w ORDER BY w",
                clauses.join(" AND ")
            );
            let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt.query_map(params.as_slice(), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (w, n) = row?;
                let monday = truce_core::time::from_millis((w * 7 - 3) * 86_400_000);
                out.push(WeekCount { week: monday.format("%Y-%m-%d").to_string(), count: n as u64 });
            }
            Ok(out)
        })
        .await
    }
}

/// The conditions and arguments of a filter on `incidents i`.
struct Selection {
    clauses: Vec<String>,
    args: Vec<Box<dyn ToSql>>,
    /// For a filter by place: the incidents the R*Trees find in its box and period (the
    /// exact box is among `clauses`). An incident a placement opened has no entry of its own
    /// in `incidents_area`: its box and time are its one claim's, in `claims_rtree`.
    near: Option<String>,
}

fn select(filter: &IncidentFilter, scenario: &Scenario) -> Selection {
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let arg = |v: Box<dyn ToSql>, args: &mut Vec<Box<dyn ToSql>>| {
        args.push(v);
        format!("?{}", args.len())
    };
    let f = &filter.claims;
    let mut clauses: Vec<String> = Vec::new();
    let mut near = None;
    if let Some(b) = f.bbox {
        let (x0, x1) = (arg(Box::new(b.min_lon), &mut args), arg(Box::new(b.max_lon), &mut args));
        let (y0, y1) = (arg(Box::new(b.min_lat), &mut args), arg(Box::new(b.max_lat), &mut args));
        // A merged incident has no place of its own: its claims are in the one it went into
        // (its row keeps the box it last had, but neither R*Tree lists it).
        clauses.push(format!(
            "i.min_lon <= {x1} AND i.max_lon >= {x0} AND i.min_lat <= {y1} AND i.max_lat >= {y0} AND i.merged_into IS NULL"
        ));
        // The R*Trees hold 32-bit floats rounded outwards: they narrow, the exact bounds on
        // the incident's own columns decide.
        let mut tree = |t: &str| {
            let mut on = vec![
                format!("{t}.min_lon <= {x1}"),
                format!("{t}.max_lon >= {x0}"),
                format!("{t}.min_lat <= {y1}"),
                format!("{t}.max_lat >= {y0}"),
            ];
            if let Some(from) = f.from {
                on.push(format!("{t}.max_t >= {}", arg(Box::new(hours(from.timestamp_millis())), &mut args)));
            }
            if let Some(to) = f.to {
                on.push(format!("{t}.min_t <= {}", arg(Box::new(hours(to.timestamp_millis())), &mut args)));
            }
            on.join(" AND ")
        };
        let (area, claim) = (tree("r"), tree("cr"));
        near = Some(format!(
            "i.rid IN (SELECT r.rid FROM incidents_area r WHERE {area}
                       UNION SELECT o.rid FROM claims_rtree cr JOIN incident_claims ic ON ic.claim_seq = cr.seq
                                          JOIN incidents o ON o.id = ic.incident WHERE {claim})"
        ));
    }
    if let Some(from) = f.from {
        clauses.push(format!("i.occurred_to >= {}", arg(Box::new(from.timestamp_millis()), &mut args)));
    }
    if let Some(to) = f.to {
        clauses.push(format!("i.occurred_from <= {}", arg(Box::new(to.timestamp_millis()), &mut args)));
    }
    let listed = |col: &str, v: &str, args: &mut Vec<Box<dyn ToSql>>| {
        format!("(',' || i.{col} || ',') LIKE {}", arg(Box::new(format!("%,{v},%")), args))
    };
    if !f.event_types.is_empty() {
        let any: Vec<String> = f.event_types.iter().map(|t| listed("event_types", t.as_str(), &mut args)).collect();
        clauses.push(format!("({})", any.join(" OR ")));
    }
    if let Some(p) = &f.claimant {
        clauses.push(listed("claimants", p.as_str(), &mut args));
    }
    if let Some(p) = &f.accused {
        clauses.push(listed("accused", p.as_str(), &mut args));
    }
    if filter.states.is_empty() {
        clauses.push("i.state <> 'merged'".into());
    } else {
        let any: Vec<String> = filter.states.iter().map(|s| arg(Box::new(s.as_str().to_owned()), &mut args)).collect();
        clauses.push(format!("i.state IN ({})", any.join(", ")));
    }
    if let Some(a) = &filter.attribution {
        clauses.push(format!("i.attribution = {}", arg(Box::new(a.clone()), &mut args)));
    }
    if let Some(p) = &filter.provision {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM json_each(i.finding, '$.provisions_breached') WHERE value = {})",
            arg(Box::new(p.to_string()), &mut args)
        ));
    }
    if let Some(at) = filter.overdue_at {
        let mut any = Vec::new();
        for (state, hours) in &scenario.verification.deadlines_hours {
            let s = arg(Box::new(state.clone()), &mut args);
            let before = arg(Box::new(at.timestamp_millis() - i64::from(*hours) * 3_600_000), &mut args);
            any.push(format!("(i.state = {s} AND i.state_since < {before})"));
        }
        clauses.push(if any.is_empty() { "0".into() } else { format!("({})", any.join(" OR ")) });
    }
    if filter.public_only {
        clauses.push("i.public = 1".into());
    }
    Selection { clauses, args, near }
}
