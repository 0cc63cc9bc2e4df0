//! Incidents: the mission's own record of an event, grouping the claims that describe it,
//! and its verification.
//!
//! Claims never change; the incident moves. Its main path is
//! `reported → under_review → finding_proposed → endorsed → published`, with the side states
//! `merged`, `access_denied`, `disputed` and `reopened`. Every change is a journal entry
//! (an [`IncidentChange`]); the store projects them into the incident's current state.

pub mod matching;
pub mod query;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldErrors;
use crate::ids::{ClaimId, PartyId, ProvisionId};
use crate::scenario::Scenario;

pub use matching::{Features, Parts, Proposal};

/// An incident's id: a ULID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IncidentId(pub ulid::Ulid);

impl IncidentId {
    /// A fresh id.
    pub fn new() -> Self {
        Self(ulid::Ulid::new())
    }
    /// Parses the 26-character form.
    pub fn parse(s: &str) -> Result<Self, String> {
        ulid::Ulid::from_string(s)
            .map(IncidentId)
            .map_err(|_| format!("{s:?} is not an incident id (26 characters of Crockford base 32)"))
    }
}

impl Default for IncidentId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for IncidentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Claims received, nobody has looked yet.
    Reported,
    /// Monitors are investigating.
    UnderReview,
    /// Monitors could not reach the site; blocks until access is had or a conclusion is
    /// reached without it.
    AccessDenied,
    /// A finding awaits the joint body's endorsement.
    FindingProposed,
    /// The joint body endorsed the finding; publishing is a separate decision.
    Endorsed,
    /// Public, with its finding.
    Published,
    /// A party contests the published finding; its counter-claim is linked.
    Disputed,
    /// New evidence on a published incident.
    Reopened,
    /// Merged into another incident (terminal).
    Merged,
}

impl State {
    /// Every state.
    pub const ALL: [State; 9] = [
        State::Reported,
        State::UnderReview,
        State::AccessDenied,
        State::FindingProposed,
        State::Endorsed,
        State::Published,
        State::Disputed,
        State::Reopened,
        State::Merged,
    ];

    /// As stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Reported => "reported",
            State::UnderReview => "under_review",
            State::AccessDenied => "access_denied",
            State::FindingProposed => "finding_proposed",
            State::Endorsed => "endorsed",
            State::Published => "published",
            State::Disputed => "disputed",
            State::Reopened => "reopened",
            State::Merged => "merged",
        }
    }

    /// Parses a state name.
    pub fn parse(s: &str) -> Result<State, String> {
        State::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("unknown state {s:?}; one of {}", State::ALL.map(State::as_str).join(", ")))
    }

    /// Where a monitor may move an incident from here with `POST .../verification`.
    /// `endorsed` is reached by endorsements, `merged` by a merge and `disputed` by a
    /// party's dispute, never by a transition request.
    pub fn next(self) -> &'static [State] {
        use State::*;
        match self {
            Reported => &[UnderReview, AccessDenied],
            UnderReview => &[FindingProposed, AccessDenied],
            AccessDenied => &[UnderReview, FindingProposed],
            FindingProposed => &[UnderReview],
            Endorsed => &[Published, UnderReview],
            Published => &[Reopened],
            Disputed | Reopened => &[UnderReview],
            Merged => &[],
        }
    }

    /// Whether the incident and its finding are public.
    pub fn is_public(self) -> bool {
        matches!(self, State::Published | State::Disputed | State::Reopened)
    }
}

/// Did it happen?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Occurrence {
    /// Established by the mission's own observation or conclusive evidence.
    Verified,
    /// More likely than not.
    Probable,
    /// Could not be established either way.
    NotVerified,
    /// Shown not to have happened as claimed.
    Unfounded,
}

/// How sure the mission is of an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// High.
    High,
    /// Moderate.
    Moderate,
    /// Low.
    Low,
}

/// Who is responsible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Attribution {
    /// To one party, with a confidence.
    Party {
        /// The party.
        #[schema(value_type = String)]
        party: PartyId,
        /// How sure.
        confidence: Confidence,
    },
    /// Several parties share responsibility.
    Shared,
    /// Responsibility cannot be attributed.
    NotAttributable,
    /// Not assessed (e.g. the event did not occur).
    NotAssessed,
}

/// Was it meant?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Deliberate.
    Deliberate,
    /// Accidental.
    Accidental,
    /// Unknown.
    Unknown,
}

/// What a finding relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// A claim, by id (checked to be a claim id when given).
    Claim(String),
    /// An attachment, by SHA-256.
    Attachment(String),
    /// An observation report or other record, by reference.
    Report(String),
    /// A provision record of the mission (an observation, a patrol's report, an access
    /// restriction…), by id: checked to exist when the finding is journaled.
    Record(String),
}

impl Evidence {
    /// Every record the evidence names.
    pub fn records(items: &[Evidence]) -> impl Iterator<Item = &str> {
        items.iter().filter_map(|e| match e {
            Evidence::Record(id) => Some(id.as_str()),
            _ => None,
        })
    }
}

/// The mission's conclusion on an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Finding {
    /// Did it happen?
    pub occurrence: Occurrence,
    /// Who is responsible.
    pub attribution: Attribution,
    /// Provisions breached (none is a finding too).
    #[schema(value_type = Vec<String>)]
    pub provisions_breached: Vec<ProvisionId>,
    /// Was it meant?
    pub intent: Intent,
    /// What it relies on.
    pub evidence: Vec<Evidence>,
    /// Why, in free text.
    pub rationale: String,
}

/// A finding as submitted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingInput {
    /// verified, probable, not_verified or unfounded (required).
    #[schema(required = true)]
    pub occurrence: Option<String>,
    /// `{"kind": "party", "party": "AZE", "confidence": "high"}`, or kind `shared`,
    /// `not_attributable` or `not_assessed` (required).
    #[schema(required = true, value_type = Object)]
    pub attribution: Option<serde_json::Value>,
    /// Provision ids (may be empty).
    #[serde(default)]
    pub provisions_breached: Vec<String>,
    /// deliberate, accidental or unknown (required).
    #[schema(required = true)]
    pub intent: Option<String>,
    /// `{"claim": id}`, `{"attachment": sha256}` or `{"report": reference}` (at least one).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub evidence: Vec<serde_json::Value>,
    /// Why (required).
    #[schema(required = true)]
    pub rationale: Option<String>,
}

fn enum_field<T: serde::de::DeserializeOwned>(
    e: &mut FieldErrors,
    field: &str,
    v: Option<&str>,
    one_of: &str,
) -> Option<T> {
    match v {
        None | Some("") => {
            e.push(field, "is required");
            None
        }
        Some(s) => match serde_json::from_value(serde_json::Value::String(s.to_owned())) {
            Ok(t) => Some(t),
            Err(_) => {
                e.push(field, format!("{s:?} is not one of {one_of}"));
                None
            }
        },
    }
}

/// Parses evidence references; `prefix` names the field.
pub fn parse_evidence(items: &[serde_json::Value], prefix: &str, e: &mut FieldErrors) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("{prefix}[{i}]");
        let obj = item.as_object().filter(|o| o.len() == 1);
        let parsed = obj.and_then(|o| o.iter().next()).and_then(|(k, v)| {
            let s = v.as_str()?;
            match k.as_str() {
                "claim" => ClaimId::parse(s).ok().map(|id| Evidence::Claim(id.to_string())),
                "attachment"
                    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) =>
                {
                    Some(Evidence::Attachment(s.to_owned()))
                }
                "report" if !s.trim().is_empty() && s.len() <= 500 => Some(Evidence::Report(s.trim().to_owned())),
                "record" => crate::provisions::RecordId::parse(s).ok().map(|id| Evidence::Record(id.to_string())),
                _ => None,
            }
        });
        match parsed {
            Some(ev) => out.push(ev),
            None => e.push(
                field,
                "must be {\"claim\": claim id}, {\"record\": record id}, {\"attachment\": lower-case SHA-256 hex} or {\"report\": reference}",
            ),
        }
    }
    out
}

impl FindingInput {
    /// Checks every field against the scenario; field names start with `prefix`.
    pub fn validate(self, scenario: &Scenario, prefix: &str, e: &mut FieldErrors) -> Option<Finding> {
        let f = |name: &str| format!("{prefix}{name}");
        let occurrence: Option<Occurrence> =
            enum_field(e, &f("occurrence"), self.occurrence.as_deref(), "verified, probable, not_verified, unfounded");
        let intent: Option<Intent> =
            enum_field(e, &f("intent"), self.intent.as_deref(), "deliberate, accidental, unknown");
        let attribution = match self.attribution {
            None => {
                e.push(f("attribution"), "is required");
                None
            }
            Some(v) => match serde_json::from_value::<Attribution>(v) {
                Ok(Attribution::Party { party, .. }) if scenario.party(party.as_str()).is_none() => {
                    e.push(f("attribution.party"), format!("no party {:?} in the scenario", party.as_str()));
                    None
                }
                Ok(a) => Some(a),
                Err(err) => {
                    e.push(
                        f("attribution"),
                        format!(
                            "{err}; expected {{\"kind\": \"party\", \"party\": ID, \"confidence\": \"high|moderate|low\"}} or kind shared, not_attributable, not_assessed"
                        ),
                    );
                    None
                }
            },
        };
        let mut provisions = Vec::new();
        for (i, p) in self.provisions_breached.iter().enumerate() {
            match ProvisionId::parse(p) {
                Ok(id) if scenario.provisions.iter().any(|x| x.id == id) => provisions.push(id),
                _ => e.push(f(&format!("provisions_breached[{i}]")), format!("no provision {p:?} in the scenario")),
            }
        }
        let evidence = parse_evidence(&self.evidence, &f("evidence"), e);
        if self.evidence.is_empty() {
            e.push(f("evidence"), "name at least one claim, attachment or report the finding relies on");
        }
        let rationale = match self.rationale.as_deref().map(str::trim) {
            None | Some("") => {
                e.push(f("rationale"), "is required");
                None
            }
            Some(r) if r.chars().count() > 20_000 => {
                e.push(f("rationale"), "must be at most 20000 characters");
                None
            }
            Some(r) => Some(r.to_owned()),
        };
        Some(Finding {
            occurrence: occurrence?,
            attribution: attribution?,
            provisions_breached: provisions,
            intent: intent?,
            evidence,
            rationale: rationale?,
        })
    }
}

/// One claim placed by matching when it was submitted: attached to an incident whose
/// score passed the scenario's threshold, or opening a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Placement {
    /// The claim.
    #[schema(value_type = String)]
    pub claim: ClaimId,
    /// Its incident.
    #[schema(value_type = String)]
    pub incident: IncidentId,
    /// Whether the claim opened the incident.
    pub opened: bool,
    /// The incidents it was scored against, best first (at most three).
    pub proposals: Vec<Candidate>,
}

/// The journal payload of `IncidentChange::Placed { placements }`, RFC 8785 canonical JSON
/// exactly as [`crate::journal::canonical_json`] writes it, built from each placement's
/// proposals canonicalised beforehand (`proposals_json[i]` is the canonical JSON of
/// `placements[i].proposals`). Proposals are scored and canonicalised where the claims are
/// matched, so the one writer thread only joins the parts: the ids are ASCII and the keys
/// (`claim`, `incident`, `opened`, `proposals`) are already in canonical order. The caller
/// gives one proposals text per placement (a shorter list would leave placements out).
pub fn placed_payload<'a>(placements: &[Placement], proposals_json: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + placements.len() * 400);
    out.extend_from_slice(br#"{"placed":{"placements":["#);
    for (i, (p, proposals)) in placements.iter().zip(proposals_json).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"claim":""#);
        out.extend_from_slice(p.claim.0.to_string().as_bytes());
        out.extend_from_slice(br#"","incident":""#);
        out.extend_from_slice(p.incident.0.to_string().as_bytes());
        out.extend_from_slice(br#"","opened":"#);
        out.extend_from_slice(if p.opened { b"true" } else { b"false" });
        out.extend_from_slice(br#","proposals":"#);
        out.extend_from_slice(proposals);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}}");
    out
}

/// An incident proposed for a claim, with its score and why.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct Candidate {
    /// The incident.
    #[schema(value_type = String)]
    pub incident: IncidentId,
    /// Score, parts and explanation.
    #[serde(flatten)]
    pub proposal: Proposal,
}

/// The same fields as a flattened [`Candidate`], written directly: serde's `flatten` goes
/// through a buffered map, and every placement writes up to three candidates.
impl Serialize for Candidate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Candidate", 4)?;
        out.serialize_field("incident", &self.incident)?;
        out.serialize_field("score", &self.proposal.score)?;
        out.serialize_field("parts", &self.proposal.parts)?;
        out.serialize_field("explanation", &self.proposal.explanation)?;
        out.end()
    }
}

/// A verification step: who moved the incident where, why, on what evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Transition {
    /// The incident.
    #[schema(value_type = String)]
    pub incident: IncidentId,
    /// From.
    pub from: State,
    /// To.
    pub to: State,
    /// Why.
    pub reason: String,
    /// On what evidence.
    pub evidence: Vec<Evidence>,
    /// The proposed finding (moving to `finding_proposed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<Finding>,
}

/// A member of the endorsing body endorses or dissents from the proposed finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Endorsement {
    /// The incident.
    #[schema(value_type = String)]
    pub incident: IncidentId,
    /// Which proposal of the incident's finding (1 for the first; a new proposal starts a
    /// new round).
    pub round: u32,
    /// Endorse or dissent.
    pub endorse: bool,
    /// The member's reasons (required for a dissent; published with the finding).
    pub reasons: String,
}

/// Admiralty grading of a claim's source: reliability A–F, credibility 1–6.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SourceGrade {
    /// The claim graded.
    #[schema(value_type = String)]
    pub claim: ClaimId,
    /// A (completely reliable) to F (cannot be judged).
    pub reliability: char,
    /// 1 (confirmed) to 6 (cannot be judged).
    pub credibility: u8,
    /// Why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A change to incidents, as journaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentChange {
    /// Claims placed by matching at submission.
    Placed {
        /// One per claim.
        placements: Vec<Placement>,
    },
    /// A monitor attached a claim to an incident (taking it from its current one).
    Attached {
        /// The incident.
        incident: IncidentId,
        /// The claim.
        claim: ClaimId,
        /// Why.
        reason: String,
    },
    /// A monitor detached a claim into a new incident of its own.
    Detached {
        /// The incident it leaves.
        incident: IncidentId,
        /// The claim.
        claim: ClaimId,
        /// The new incident it forms.
        into: IncidentId,
        /// Why.
        reason: String,
    },
    /// A monitor merged one incident into another.
    Merged {
        /// The incident merged away.
        from: IncidentId,
        /// The incident that remains.
        into: IncidentId,
        /// Why.
        reason: String,
    },
    /// A monitor split claims off into a new incident.
    Split {
        /// The incident split.
        from: IncidentId,
        /// The new incident.
        into: IncidentId,
        /// The claims that move.
        claims: Vec<ClaimId>,
        /// Why.
        reason: String,
    },
    /// A verification step.
    Transitioned(Transition),
    /// An endorsement or dissent.
    Endorsed(Endorsement),
    /// A party contests the published finding with a counter-claim.
    Disputed {
        /// The incident.
        incident: IncidentId,
        /// The counter-claim.
        claim: ClaimId,
        /// Why.
        reason: String,
    },
    /// A monitor graded a claim's source.
    Graded(SourceGrade),
}

impl IncidentChange {
    /// The journal entry kind.
    pub fn kind(&self) -> &'static str {
        match self {
            IncidentChange::Placed { .. } => "incident.placed",
            IncidentChange::Attached { .. } => "incident.claim_attached",
            IncidentChange::Detached { .. } => "incident.claim_detached",
            IncidentChange::Merged { .. } => "incident.merged",
            IncidentChange::Split { .. } => "incident.split",
            IncidentChange::Transitioned(_) => "incident.transitioned",
            IncidentChange::Endorsed(_) => "incident.endorsement",
            IncidentChange::Disputed { .. } => "incident.disputed",
            IncidentChange::Graded(_) => "claim.graded",
        }
    }

    /// Every kind, for decoding.
    pub const KINDS: [&'static str; 9] = [
        "incident.placed",
        "incident.claim_attached",
        "incident.claim_detached",
        "incident.merged",
        "incident.split",
        "incident.transitioned",
        "incident.endorsement",
        "incident.disputed",
        "claim.graded",
    ];

    /// The incidents this change concerns (for version checks and the history).
    pub fn incidents(&self) -> Vec<IncidentId> {
        match self {
            IncidentChange::Placed { placements } => placements.iter().map(|p| p.incident).collect(),
            IncidentChange::Attached { incident, .. }
            | IncidentChange::Disputed { incident, .. }
            | IncidentChange::Detached { incident, .. } => vec![*incident],
            IncidentChange::Merged { from, into, .. } | IncidentChange::Split { from, into, .. } => vec![*from, *into],
            IncidentChange::Transitioned(t) => vec![t.incident],
            IncidentChange::Endorsed(e) => vec![e.incident],
            IncidentChange::Graded(_) => Vec::new(),
        }
    }
}

/// Whether the endorsements of a round satisfy the rule: enough endorsements, and at least
/// one from each required group. `endorsers` are the groups of the members who endorsed.
pub fn endorsement_met(rule: &crate::scenario::EndorsementRule, endorser_groups: &[&str]) -> bool {
    endorser_groups.len() >= rule.required as usize
        && rule.groups_required.iter().all(|g| endorser_groups.contains(&g.as_str()))
}

/// Whether the rule can still be met once the dissenters are counted out.
pub fn endorsement_possible(rule: &crate::scenario::EndorsementRule, dissenters: &[&str]) -> bool {
    let remaining: Vec<&crate::scenario::BoardMember> =
        rule.members.iter().filter(|m| !dissenters.contains(&m.user.as_str())).collect();
    remaining.len() >= rule.required as usize
        && rule.groups_required.iter().all(|g| remaining.iter().any(|m| &m.group == g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_candidate_is_written_flat_and_read_back() {
        let c = Candidate {
            incident: IncidentId(ulid::Ulid(7)),
            proposal: Proposal {
                score: 0.548,
                parts: Parts { place: 0.25, time: 1.0, event_type: 0.9, parties: 0.3 },
                explanation: "2.1 km apart, same day".into(),
            },
        };
        let v = serde_json::to_value(&c).expect("json");
        assert_eq!(
            v,
            serde_json::json!({
                "incident": IncidentId(ulid::Ulid(7)).to_string(),
                "score": 0.548,
                "parts": {"place": 0.25, "time": 1.0, "event_type": 0.9, "parties": 0.3},
                "explanation": "2.1 km apart, same day"
            })
        );
        assert_eq!(serde_json::from_value::<Candidate>(v).expect("back"), c);
        assert_eq!(
            String::from_utf8(crate::journal::canonical_json(&c).expect("canonical")).expect("utf-8"),
            format!(
                r#"{{"explanation":"2.1 km apart, same day","incident":"{}","parts":{{"event_type":0.9,"parties":0.3,"place":0.25,"time":1}},"score":0.548}}"#,
                IncidentId(ulid::Ulid(7))
            )
        );
    }

    proptest::proptest! {
        #[test]
        fn placed_payload_is_the_canonical_json_of_the_change(
            items in proptest::collection::vec(
                (proptest::prelude::any::<u128>(), proptest::prelude::any::<u128>(), proptest::prelude::any::<bool>(),
                 proptest::collection::vec((proptest::prelude::any::<u128>(), 0.0f64..1.0, ".{0,40}"), 0..4)),
                0..5,
            )
        ) {
            let placements: Vec<Placement> = items
                .into_iter()
                .map(|(c, i, opened, proposals)| Placement {
                    claim: ClaimId(ulid::Ulid(c)),
                    incident: IncidentId(ulid::Ulid(i)),
                    opened,
                    proposals: proposals
                        .into_iter()
                        .map(|(id, score, explanation)| Candidate {
                            incident: IncidentId(ulid::Ulid(id)),
                            proposal: Proposal {
                                score,
                                parts: Parts { place: 1.0 - score, time: score / 2.0, event_type: 0.25, parties: score },
                                explanation,
                            },
                        })
                        .collect(),
                })
                .collect();
            let pre: Vec<Vec<u8>> =
                placements.iter().map(|p| crate::journal::canonical_json(&p.proposals).expect("json")).collect();
            let expected = crate::journal::canonical_json(&IncidentChange::Placed { placements: placements.clone() })
                .expect("json");
            let fast = placed_payload(&placements, pre.iter().map(Vec::as_slice));
            proptest::prop_assert_eq!(String::from_utf8_lossy(&fast), String::from_utf8_lossy(&expected));
        }
    }

    #[test]
    fn the_state_machine_has_one_main_path_and_its_side_states() {
        use State::*;
        let path = [Reported, UnderReview, FindingProposed];
        for w in path.windows(2) {
            assert!(w[0].next().contains(&w[1]), "{:?} -> {:?}", w[0], w[1]);
        }
        // Endorsement, merging and disputes are not transitions a monitor asks for.
        for s in State::ALL {
            assert!(!s.next().contains(&Endorsed) && !s.next().contains(&Merged) && !s.next().contains(&Disputed));
        }
        assert!(Endorsed.next().contains(&Published));
        assert!(!Reported.next().contains(&Published));
        assert!(Merged.next().is_empty());
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Ok(s));
        }
    }

    #[test]
    fn a_finding_names_every_bad_field() {
        let sc = crate::scenario::tests_support::scenario();
        let input: FindingInput = serde_json::from_value(serde_json::json!({
            "occurrence": "maybe",
            "attribution": {"kind": "party", "party": "ZZZ", "confidence": "high"},
            "provisions_breached": ["P9"],
            "evidence": [{"claim": "nope"}],
        }))
        .expect("shape");
        let mut e = FieldErrors::new();
        assert!(input.validate(&sc, "finding.", &mut e).is_none());
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "finding.occurrence",
                "finding.intent",
                "finding.attribution.party",
                "finding.provisions_breached[0]",
                "finding.evidence[0]",
                "finding.rationale"
            ]
        );
        let ok: FindingInput = serde_json::from_value(serde_json::json!({
            "occurrence": "verified",
            "attribution": {"kind": "party", "party": "BBB", "confidence": "moderate"},
            "provisions_breached": ["P1"],
            "intent": "deliberate",
            "evidence": [{"report": "Patrol report 12/2021"}],
            "rationale": "Craters and fragments consistent with mortar fire from the south."
        }))
        .expect("shape");
        let mut e = FieldErrors::new();
        let f = ok.validate(&sc, "finding.", &mut e).expect("valid");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            f.attribution,
            Attribution::Party { party: PartyId::parse("BBB").expect("id"), confidence: Confidence::Moderate }
        );
    }
}
