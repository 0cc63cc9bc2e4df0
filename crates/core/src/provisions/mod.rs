//! Provision records: what the mission records about each provision of the agreement
//! besides claims of shooting — the line of contact and changes of control, handover
//! deadlines, peacekeepers' posts and patrols, the mission's own observations, restrictions
//! of its freedom of movement, the corridor's crossings and closures, returns of displaced
//! people, and the mediation record.
//!
//! A record is one journal entry (`record.added`) whose payload is the validated [`Record`]
//! in canonical JSON; links to claims and incidents made later are entries of their own
//! (`record.linked`). What the records say about each provision is derived in
//! [`compliance`]; `docs/provisions.md` documents both.

pub mod compliance;

use crate::error::FieldErrors;
use crate::geo::{Geometry, Position};
use crate::ids::ClaimId;
use crate::incidents::IncidentId;
use crate::scenario::{ProvisionKind, Scenario};
use crate::time::{TimeInput, fmt};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Longest free text accepted in a record (a summary, a report, a quoted reason).
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Most claims or incidents one record or link entry may name.
pub const MAX_LINKS: usize = 100;
/// Largest count accepted (people, vehicles, explosions).
pub const MAX_COUNT: u64 = 10_000_000;

/// A record's id: the ULID of the journal entry that added it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub ulid::Ulid);

impl RecordId {
    /// Parses the 26-character form.
    pub fn parse(s: &str) -> Result<Self, String> {
        ulid::Ulid::from_string(s)
            .map(RecordId)
            .map_err(|_| format!("{s:?} is not a record id (26 characters of Crockford base 32)"))
    }
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A provision record, as submitted and as journaled (after [`Record::validate`] has checked
/// it against the scenario and written its times in one form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "provision": "P6",
    "record": {"kind": "closure", "link": "lachin-corridor", "by": "AZE", "state": "closed",
               "from": "2022-12-12", "reason_claimed": "environmental protest", "disputed": true},
    "source": "Mission patrol report 2022-12-12"
}))]
pub struct Record {
    /// The provision it concerns (`P6`). May be left out when only one provision of the
    /// scenario fits the record's kind; a mediation item may concern none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// What was recorded: an object with its `kind` and that kind's fields.
    #[serde(with = "kinded")]
    #[schema(value_type = Object)]
    pub record: RecordData,
    /// Where the mission has it from: a report, a statement, a document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Claims this record rests on or answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub claims: Vec<ClaimId>,
    /// Incidents it concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub incidents: Vec<IncidentId>,
}

/// Links added to a record after it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordLinks {
    /// The record linked.
    #[serde(default = "nil_record")]
    #[schema(value_type = String)]
    pub record: RecordId,
    /// Claims to link.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub claims: Vec<ClaimId>,
    /// Incidents to link.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub incidents: Vec<IncidentId>,
}

fn nil_record() -> RecordId {
    RecordId(ulid::Ulid::nil())
}

impl RecordLinks {
    /// Checks the counts; whether the targets exist is the store's to check.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.claims.is_empty() && self.incidents.is_empty() {
            e.push("claims", "name at least one claim or incident to link");
        }
        links_within_bounds(&self.claims, &self.incidents, &mut e);
        e.into_result(())
    }
}

fn links_within_bounds(claims: &[ClaimId], incidents: &[IncidentId], e: &mut FieldErrors) {
    if claims.len() > MAX_LINKS {
        e.push("claims", format!("{} claims; at most {MAX_LINKS}", claims.len()));
    }
    if incidents.len() > MAX_LINKS {
        e.push("incidents", format!("{} incidents; at most {MAX_LINKS}", incidents.len()));
    }
    for (i, c) in claims.iter().enumerate() {
        if claims[..i].contains(c) {
            e.push(format!("claims[{i}]"), format!("{} is named twice", c.0));
        }
    }
    for (i, c) in incidents.iter().enumerate() {
        if incidents[..i].contains(c) {
            e.push(format!("incidents[{i}]"), format!("{} is named twice", c.0));
        }
    }
}

/// What a record says, by kind. Written as one object with its `kind` beside the kind's
/// fields (see [`kinded`]); held here externally tagged, which lets a wrong field be named
/// by its path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RecordData {
    /// A version of the line of contact: its geometry from a time, on a source.
    LineVersion {
        /// From when this line holds.
        valid_from: String,
        /// LineString or MultiLineString.
        #[schema(value_type = Object)]
        geometry: Geometry,
    },
    /// A position and who holds it.
    Position {
        /// A name for the position (`Height 1,200 north of Khtsaberd`).
        name: String,
        /// The party holding it.
        holder: String,
        /// Where it is.
        #[schema(value_type = Vec<f64>)]
        location: Position,
        /// Since when the holder is known to hold it.
        since: String,
    },
    /// A change of control: a position or area passing from one party to another.
    ControlChange {
        /// What changed hands, in words (`two combat positions near Mount Kilisali`).
        what: String,
        /// Where.
        #[schema(value_type = Vec<f64>)]
        location: Position,
        /// The party that held it.
        from: String,
        /// The party holding it now.
        to: String,
        /// When it changed hands.
        at: String,
        /// How many positions, when counted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        positions: Option<u64>,
    },
    /// Where a scheduled obligation (a scenario deadline) stands.
    DeadlineStatus {
        /// The scenario's deadline id (`agdam-handover`).
        deadline: String,
        /// `done`, `pending` or `missed`; lateness is derived from the dates.
        status: DeadlineState,
        /// When it was done (for `done`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        done_on: Option<String>,
        /// What shows it.
        evidence: String,
    },
    /// A peacekeepers' observation post.
    Post {
        /// Its name or number.
        name: String,
        /// The contingent manning it.
        contingent: String,
        /// Where it is.
        #[schema(value_type = Vec<f64>)]
        location: Position,
        /// When it opened.
        opened: String,
        /// When it closed, if it has.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        closed: Option<String>,
    },
    /// A patrol: its route, its time and its report.
    Patrol {
        /// Who patrolled.
        contingent: String,
        /// The route, a LineString.
        #[schema(value_type = Object)]
        route: Geometry,
        /// Start.
        from: String,
        /// End.
        to: String,
        /// What the patrol reported.
        report: String,
    },
    /// The mission's own observation, counted the way the OSCE SMM counted.
    Observation {
        /// Who observed (team or post).
        observer: String,
        /// How: heard, saw, camera or drone (one or more).
        means: Vec<Means>,
        /// Start of the observation window.
        from: String,
        /// End of the observation window.
        to: String,
        /// Where the observer was.
        #[schema(value_type = Vec<f64>)]
        location: Position,
        /// What was counted.
        counts: ObservationCounts,
        /// Distance to what was observed, metres, as a range.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        distance_m: Option<Range>,
        /// Bearing to what was observed, degrees from north, as a range.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bearing_deg: Option<Range>,
        /// The party controlling the place observed from.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        controlled_by: Option<String>,
    },
    /// A restriction of the monitors' freedom of movement.
    AccessRestriction {
        /// denial, delay, conditional, threat or interference.
        restriction: RestrictionKind,
        /// The party restricting.
        by: String,
        /// Where.
        #[schema(value_type = Vec<f64>)]
        location: Position,
        /// When.
        at: String,
        /// For a delay: minutes lost.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delay_minutes: Option<u64>,
        /// The reason given, quoted verbatim.
        reason_given: String,
    },
    /// Crossings at a checkpoint of a corridor or transport link over a period.
    CrossingCount {
        /// The checkpoint (`Lachin corridor, Kornidzor`).
        checkpoint: String,
        /// The link's scenario zone, if it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link: Option<String>,
        /// Start of the period.
        from: String,
        /// End of the period.
        to: String,
        /// Direction, in words (`towards Stepanakert`).
        direction: String,
        /// People crossing.
        people: u64,
        /// Vehicles by type.
        #[serde(default)]
        vehicles: Vehicles,
        /// Cargo by category, in consignments.
        #[serde(default)]
        cargo: Cargo,
    },
    /// One notable crossing (a convoy, an evacuation, a turned-back vehicle).
    Crossing {
        /// The checkpoint.
        checkpoint: String,
        /// The link's scenario zone, if it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link: Option<String>,
        /// When.
        at: String,
        /// Direction, in words.
        direction: String,
        /// What crossed, and what happened.
        description: String,
        /// People in it.
        #[serde(default)]
        people: u64,
        /// Vehicles by type.
        #[serde(default)]
        vehicles: Vehicles,
        /// Cargo by category, in consignments.
        #[serde(default)]
        cargo: Cargo,
    },
    /// A closure or restriction of a corridor or transport link.
    Closure {
        /// The link's scenario zone.
        link: String,
        /// `closed` or `restricted`.
        state: LinkState,
        /// The party responsible.
        by: String,
        /// From when.
        from: String,
        /// Until when, if it has ended.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// The reason claimed, quoted.
        reason_claimed: String,
        /// Whether the party named disputes that it closed or restricted the link.
        #[serde(default)]
        disputed: bool,
    },
    /// A return movement of displaced people.
    Return {
        /// When.
        date: String,
        /// From where, in words.
        from: String,
        /// To which settlement (gazetteer place id).
        to: String,
        /// Households.
        households: u64,
        /// Persons.
        persons: u64,
        /// Organised (true) or spontaneous.
        organised: bool,
        /// Verified by UNHCR.
        unhcr_verified: bool,
    },
    /// Persons held: one named person, or a group counted without names ("12 soldiers
    /// captured"). The person's particulars are personal data: kept beside the journal,
    /// which holds only their salted hash, and erasable.
    Detainee {
        /// The party holding them.
        held_by: String,
        /// The party they belong to.
        side: String,
        /// prisoner_of_war, civilian or hostage.
        category: DetaineeCategory,
        /// How many persons this entry counts (1 for a named person).
        #[serde(default = "one")]
        count: u64,
        /// When they were captured.
        captured_at: String,
        /// Where, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        captured_place: Option<String>,
        /// The person's particulars (one person only). Personal data: never journaled, only
        /// shown to those the permission matrix lets read it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        person: Option<Person>,
        /// SHA-256 (hex) of the salted particulars as kept; set by the server.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        person_sha256: Option<String>,
    },
    /// A change in a detainee's status.
    DetaineeStatus {
        /// The detainee record.
        #[schema(value_type = String)]
        detainee: RecordId,
        /// The new status.
        status: DetaineeState,
        /// When.
        at: String,
    },
    /// An exchange operation: who handed over whom, and remains.
    Exchange {
        /// When.
        date: String,
        /// Where, in words.
        place: String,
        /// Who mediated (ICRC, a state).
        intermediary: String,
        /// Each handover, one direction each.
        transfers: Vec<Transfer>,
    },
    /// A meeting, call, statement or agreement of the mediation.
    Mediation {
        /// meeting, call, statement or agreement.
        item: MediationKind,
        /// Who took part.
        participants: Vec<String>,
        /// When.
        date: String,
        /// Where, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        place: Option<String>,
        /// What was said or agreed.
        summary: String,
    },
}

/// (De)serializes [`RecordData`] as `{"kind": …, fields…}`.
pub mod kinded {
    use super::RecordData;
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{Map, Value};

    /// `{"closure": {…}}` becomes `{"kind": "closure", …}`.
    pub fn serialize<S: Serializer>(d: &RecordData, s: S) -> Result<S::Ok, S::Error> {
        let v = serde_json::to_value(d).map_err(S::Error::custom)?;
        let Value::Object(outer) = v else { return Err(S::Error::custom("a record kind is an object")) };
        let mut out = Map::new();
        for (kind, inner) in outer {
            if let Value::Object(fields) = inner {
                out.extend(fields);
            }
            out.insert("kind".into(), Value::String(kind));
        }
        out.serialize(s)
    }

    /// `{"kind": "closure", …}` read as the `closure` variant.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RecordData, D::Error> {
        let map = Map::deserialize(d)?;
        super::data_from_map(map).map_err(|e| D::Error::custom(e.to_string()))
    }
}

/// The record's data from its object, `kind` included; a refused field is named by its path
/// under `record`.
fn data_from_map(mut map: serde_json::Map<String, serde_json::Value>) -> Result<RecordData, FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = match map.remove("kind") {
        Some(serde_json::Value::String(k)) if RecordData::KINDS.contains(&k.as_str()) => k,
        Some(serde_json::Value::String(k)) => {
            e.push("record.kind", format!("unknown record kind {k:?}; one of {}", RecordData::KINDS.join(", ")));
            return Err(e);
        }
        Some(_) => {
            e.push("record.kind", "must be a string");
            return Err(e);
        }
        None => {
            e.push("record.kind", format!("is required: one of {}", RecordData::KINDS.join(", ")));
            return Err(e);
        }
    };
    let tagged = serde_json::Value::Object(std::iter::once((kind.clone(), serde_json::Value::Object(map))).collect());
    serde_path_to_error::deserialize::<_, RecordData>(tagged).map_err(|err| {
        let path = err.path().to_string();
        let field = path.strip_prefix(&kind).unwrap_or(&path).trim_start_matches('.');
        let mut e = FieldErrors::new();
        e.push(if field.is_empty() { "record".to_owned() } else { format!("record.{field}") }, err.inner().to_string());
        e
    })
}

impl Record {
    /// Reads a record as submitted, naming every refused field by its path (a wrong type
    /// inside `record` included).
    pub fn from_json(mut value: serde_json::Value) -> Result<Record, FieldErrors> {
        let mut e = FieldErrors::new();
        let data = match value.as_object_mut().map(|o| o.remove("record")) {
            None => {
                e.push("", "a record is a JSON object");
                return Err(e);
            }
            Some(None) => {
                e.push("record", "is required");
                None
            }
            Some(Some(serde_json::Value::Object(m))) => match data_from_map(m) {
                Ok(d) => Some(d),
                Err(errs) => {
                    e.0.extend(errs.0);
                    None
                }
            },
            Some(Some(_)) => {
                e.push("record", "must be an object with its kind and fields");
                None
            }
        };
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Envelope {
            #[serde(default)]
            provision: Option<String>,
            #[serde(default)]
            source: Option<String>,
            #[serde(default)]
            claims: Vec<ClaimId>,
            #[serde(default)]
            incidents: Vec<IncidentId>,
        }
        let envelope = match serde_path_to_error::deserialize::<_, Envelope>(value) {
            Ok(v) => Some(v),
            Err(err) => {
                e.push(err.path().to_string(), err.inner().to_string());
                None
            }
        };
        if let Some(RecordData::Detainee { person_sha256: Some(_), .. }) = &data {
            e.push("record.person_sha256", "is set by the server from `person`; send the person only");
        }
        match (envelope, data) {
            (Some(env), Some(record)) if e.is_empty() => Ok(Record {
                provision: env.provision,
                record,
                source: env.source,
                claims: env.claims,
                incidents: env.incidents,
            }),
            _ => Err(e),
        }
    }
}

fn one() -> u64 {
    1
}

/// A detainee's particulars: personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The name as known.
    pub name: String,
    /// Date of birth (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Military unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// What is kept of a person beside the journal: the particulars and the salt that keeps
/// their hash from confirming a guessed name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptPerson {
    /// 32 random bytes, base64url.
    pub salt: String,
    /// The particulars.
    pub person: Person,
}

/// A detainee's category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DetaineeCategory {
    /// A prisoner of war.
    PrisonerOfWar,
    /// A civilian detainee.
    Civilian,
    /// A hostage.
    Hostage,
}

/// A detainee's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DetaineeState {
    /// Held.
    Held,
    /// Held, and visited by the ICRC.
    VisitedByIcrc,
    /// Released.
    Released,
    /// Exchanged.
    Exchanged,
    /// Died in custody.
    DiedInCustody,
    /// Their remains were returned.
    RemainsReturned,
}

impl DetaineeState {
    /// Still in the holder's hands.
    pub fn held(self) -> bool {
        matches!(self, DetaineeState::Held | DetaineeState::VisitedByIcrc)
    }
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            DetaineeState::Held => "held",
            DetaineeState::VisitedByIcrc => "visited_by_icrc",
            DetaineeState::Released => "released",
            DetaineeState::Exchanged => "exchanged",
            DetaineeState::DiedInCustody => "died_in_custody",
            DetaineeState::RemainsReturned => "remains_returned",
        }
    }
}

/// One direction of an exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The party handing over.
    pub from: String,
    /// The party receiving.
    pub to: String,
    /// Detainee records handed over (each entry's whole count).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub detainees: Vec<RecordId>,
    /// Remains handed over.
    #[serde(default)]
    pub remains: u64,
}

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// Done (on `done_on`).
    Done,
    /// Not done yet.
    Pending,
    /// Not done, and the mission records it as missed.
    Missed,
}

/// How an observation was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Means {
    /// Heard.
    Heard,
    /// Seen.
    Saw,
    /// By a fixed camera.
    Camera,
    /// By a drone.
    Drone,
}

/// A kind of restriction of the monitors' freedom of movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RestrictionKind {
    /// Access denied.
    Denial,
    /// Access delayed.
    Delay,
    /// Access granted on conditions.
    Conditional,
    /// Monitors threatened.
    Threat,
    /// A drone or camera interfered with (jamming, fire, removal).
    Interference,
}

/// A link's state in a closure record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// Nothing passes.
    Closed,
    /// Passage limited.
    Restricted,
}

/// A kind of mediation item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediationKind {
    /// A meeting.
    Meeting,
    /// A telephone call.
    Call,
    /// A statement.
    Statement,
    /// An agreement.
    Agreement,
}

/// A range of values, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lowest.
    pub min: f64,
    /// Highest.
    pub max: f64,
}

/// An observation's counts by class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ObservationCounts {
    /// Explosions whose direction could not be told.
    pub explosions_undetermined: u64,
    /// Outgoing explosions (fire leaving).
    pub explosions_outgoing: u64,
    /// Incoming explosions (impacts).
    pub explosions_incoming: u64,
    /// Projectiles in flight, by direction.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub projectiles: Vec<Projectiles>,
    /// Bursts of fire.
    pub bursts: u64,
    /// Single shots.
    pub single_shots: u64,
    /// Illumination flares.
    pub illumination_flares: u64,
}

/// Projectiles seen in flight in one direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Projectiles {
    /// How many.
    pub count: u64,
    /// Direction of flight, in words (`east to west`).
    pub direction: String,
}

/// Vehicles by type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Vehicles {
    /// Cars.
    pub cars: u64,
    /// Buses.
    pub buses: u64,
    /// Trucks.
    pub trucks: u64,
    /// Other vehicles.
    pub other: u64,
}

/// Cargo by category, in consignments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Cargo {
    /// Humanitarian.
    pub humanitarian: u64,
    /// Commercial.
    pub commercial: u64,
    /// Military cargo, which the corridor prohibits.
    pub military_prohibited: u64,
}

/// What the store indexes a record by.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordIndex {
    /// The record's kind, as in `record.kind`.
    pub kind: &'static str,
    /// The provision it concerns.
    pub provision: Option<String>,
    /// The party it is about (holder, restricting or closing party, destination side).
    pub party: Option<String>,
    /// When, ms UTC: start and end.
    pub from_ms: i64,
    /// End, ms UTC (the start for an instant; i64::MAX for an open closure or post).
    pub to_ms: i64,
    /// Where: lon, lat of its point, or the box of its line.
    pub bbox: Option<crate::geo::BBox>,
}

impl RecordData {
    /// The kind's name.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordData::LineVersion { .. } => "line_version",
            RecordData::Position { .. } => "position",
            RecordData::ControlChange { .. } => "control_change",
            RecordData::DeadlineStatus { .. } => "deadline_status",
            RecordData::Post { .. } => "post",
            RecordData::Patrol { .. } => "patrol",
            RecordData::Observation { .. } => "observation",
            RecordData::AccessRestriction { .. } => "access_restriction",
            RecordData::CrossingCount { .. } => "crossing_count",
            RecordData::Crossing { .. } => "crossing",
            RecordData::Closure { .. } => "closure",
            RecordData::Return { .. } => "return",
            RecordData::Detainee { .. } => "detainee",
            RecordData::DetaineeStatus { .. } => "detainee_status",
            RecordData::Exchange { .. } => "exchange",
            RecordData::Mediation { .. } => "mediation",
        }
    }

    /// Every kind's name.
    pub const KINDS: [&'static str; 16] = [
        "line_version",
        "position",
        "control_change",
        "deadline_status",
        "post",
        "patrol",
        "observation",
        "access_restriction",
        "crossing_count",
        "crossing",
        "closure",
        "return",
        "detainee",
        "detainee_status",
        "exchange",
        "mediation",
    ];

    /// The provision kinds a record of this kind may concern; empty: any provision, or none.
    pub fn fits(&self) -> &'static [ProvisionKind] {
        use ProvisionKind as P;
        match self {
            RecordData::LineVersion { .. } | RecordData::Position { .. } | RecordData::ControlChange { .. } => {
                &[P::Ceasefire]
            }
            RecordData::DeadlineStatus { .. } => &[P::Handover, P::Corridor],
            RecordData::Post { .. } | RecordData::Patrol { .. } => &[P::PeacekeepingDeployment, P::PeacekeepingMandate],
            RecordData::Observation { .. } => &[P::Monitoring, P::Ceasefire],
            RecordData::AccessRestriction { .. } => &[P::Monitoring],
            RecordData::CrossingCount { .. } | RecordData::Crossing { .. } | RecordData::Closure { .. } => {
                &[P::Corridor, P::TransportLinks]
            }
            RecordData::Return { .. } => &[P::DisplacedReturn],
            RecordData::Detainee { .. } | RecordData::DetaineeStatus { .. } | RecordData::Exchange { .. } => {
                &[P::DetaineeExchange]
            }
            RecordData::Mediation { .. } => &[],
        }
    }
}

/// A time field: parsed, and written back as RFC 3339 UTC with milliseconds. `end` takes a
/// day or month to its last millisecond.
fn time(value: &mut String, field: &str, end: bool, e: &mut FieldErrors) -> Option<DateTime<Utc>> {
    let t = e.take(field, TimeInput::parse(value))?;
    let t = if end { t.end() } else { t.start() };
    *value = fmt(t);
    Some(t)
}

fn text(value: &str, field: &str, e: &mut FieldErrors) {
    if value.trim().is_empty() {
        e.push(field, "must not be empty");
    } else if value.chars().count() > MAX_TEXT_CHARS {
        e.push(field, format!("is longer than {MAX_TEXT_CHARS} characters"));
    }
}

fn party(value: &str, field: &str, scenario: &Scenario, e: &mut FieldErrors) {
    if scenario.party(value).is_none() {
        e.push(
            field,
            format!(
                "no party {value:?} in the scenario; one of {}",
                scenario.parties.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        );
    }
}

fn count(value: u64, field: &str, e: &mut FieldErrors) {
    if value > MAX_COUNT {
        e.push(field, format!("{value} is more than {MAX_COUNT}"));
    }
}

fn order(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>, field: &str, e: &mut FieldErrors) {
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        e.push(field, format!("ends ({}) before it starts ({})", fmt(t), fmt(f)));
    }
}

fn range(r: &Option<Range>, lo: f64, hi: f64, field: &str, e: &mut FieldErrors) {
    if let Some(r) = r {
        if !(r.min.is_finite() && r.max.is_finite()) || r.min < lo || r.max > hi {
            e.push(field, format!("must lie within {lo}..{hi}"));
        } else if r.max < r.min {
            e.push(format!("{field}.max"), format!("{} is below min {}", r.max, r.min));
        }
    }
}

/// The fields a crossing count and a notable crossing share: where, which way, how many.
fn passage(
    checkpoint: &str,
    link: Option<&str>,
    direction: &str,
    (people, vehicles, cargo): (u64, &Vehicles, &Cargo),
    sc: &Scenario,
    e: &mut FieldErrors,
) {
    text(checkpoint, "record.checkpoint", e);
    text(direction, "record.direction", e);
    if let Some(l) = link
        && sc.zone(l).is_none()
    {
        e.push("record.link", format!("no zone {l:?} in the scenario"));
    }
    for (name, v) in [
        ("people", people),
        ("vehicles.cars", vehicles.cars),
        ("vehicles.buses", vehicles.buses),
        ("vehicles.trucks", vehicles.trucks),
        ("vehicles.other", vehicles.other),
        ("cargo.humanitarian", cargo.humanitarian),
        ("cargo.commercial", cargo.commercial),
        ("cargo.military_prohibited", cargo.military_prohibited),
    ] {
        count(v, &format!("record.{name}"), e);
    }
}

fn point_box(p: &Position) -> crate::geo::BBox {
    crate::geo::BBox { min_lon: p.lon(), min_lat: p.lat(), max_lon: p.lon(), max_lat: p.lat() }
}

impl Record {
    /// Moves a detainee's particulars out of the record: they are kept beside the journal
    /// (salted, as the returned bytes) and the record keeps only their SHA-256. Call after
    /// `validate`; records without a person give `None`.
    pub fn take_person(&mut self) -> Result<Option<Vec<u8>>, serde_json::Error> {
        let RecordData::Detainee { person, person_sha256, .. } = &mut self.record else { return Ok(None) };
        let Some(p) = person.take() else { return Ok(None) };
        let kept = KeptPerson { salt: crate::users::random_secret(""), person: p };
        let bytes = crate::journal::canonical_json(&kept)?;
        *person_sha256 = Some(hex::encode(crate::journal::sha256(&bytes)));
        Ok(Some(bytes))
    }

    /// The records this one names, which must exist: a status's detainee, an exchange's.
    pub fn detainees_named(&self) -> Vec<RecordId> {
        match &self.record {
            RecordData::DetaineeStatus { detainee, .. } => vec![*detainee],
            RecordData::Exchange { transfers, .. } => {
                transfers.iter().flat_map(|t| t.detainees.iter().copied()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Checks the record against the scenario, names its provision when only one fits, and
    /// writes its times in one form. Every refused field is reported.
    pub fn validate(mut self, scenario: &Scenario) -> Result<(Record, RecordIndex), FieldErrors> {
        let mut e = FieldErrors::new();
        links_within_bounds(&self.claims, &self.incidents, &mut e);
        if let Some(s) = &self.source {
            text(s, "source", &mut e);
        }
        let fits = self.record.fits();
        // A deadline names its provision, whatever that provision's kind.
        let owner = match &self.record {
            RecordData::DeadlineStatus { deadline, .. } => {
                scenario.provisions.iter().find(|p| p.deadlines.iter().any(|d| &d.id == deadline))
            }
            _ => None,
        };
        if let Some(owner) = owner {
            match &self.provision {
                Some(p) if p != owner.id.as_str() => {
                    let deadline = match &self.record {
                        RecordData::DeadlineStatus { deadline, .. } => deadline.as_str(),
                        _ => "",
                    };
                    e.push("provision", format!("the deadline {deadline} belongs to {}, not {p}", owner.id.as_str()))
                }
                _ => self.provision = Some(owner.id.as_str().to_owned()),
            }
        } else if matches!(self.record, RecordData::DeadlineStatus { .. }) {
            // The deadline itself is refused below; no provision to infer.
        } else {
            match &self.provision {
                Some(id) => match scenario.provision(id) {
                    None => e.push("provision", format!("no provision {id:?} in the scenario")),
                    Some(p) if !fits.is_empty() && !fits.contains(&p.kind) => e.push(
                        "provision",
                        format!(
                            "{id} is a {} provision; a {} record concerns {}",
                            kind_name(p.kind),
                            self.record.kind(),
                            fitting(scenario, fits)
                        ),
                    ),
                    Some(_) => {}
                },
                None if fits.is_empty() => {}
                None => {
                    let candidates: Vec<_> = scenario.provisions.iter().filter(|p| fits.contains(&p.kind)).collect();
                    match candidates.as_slice() {
                        [one] => self.provision = Some(one.id.as_str().to_owned()),
                        _ => e.push(
                            "provision",
                            format!(
                                "is required: a {} record concerns {}",
                                self.record.kind(),
                                fitting(scenario, fits)
                            ),
                        ),
                    }
                }
            }
        }
        let index = self.validate_data(scenario, &mut e);
        let index = e.into_result(index)?;
        let index = index.map(|mut i| {
            i.provision = self.provision.clone();
            i
        });
        match index {
            Some(i) => Ok((self, i)),
            None => Err(FieldErrors(vec![crate::error::FieldError {
                field: "record".into(),
                reason: "could not be read".into(),
            }])),
        }
    }

    fn validate_data(&mut self, sc: &Scenario, e: &mut FieldErrors) -> Option<RecordIndex> {
        let kind = self.record.kind();
        let idx = |party: Option<&str>, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>, bbox| {
            let from = from?.timestamp_millis();
            Some(RecordIndex {
                kind,
                provision: None,
                party: party.map(str::to_owned),
                from_ms: from,
                to_ms: to.map_or(from, |t| t.timestamp_millis()),
                bbox,
            })
        };
        match &mut self.record {
            RecordData::LineVersion { valid_from, geometry } => {
                let t = time(valid_from, "record.valid_from", false, e);
                if !matches!(geometry, Geometry::LineString(_) | Geometry::MultiLineString(_)) {
                    e.push("record.geometry.type", "the line of contact is a LineString or a MultiLineString");
                }
                idx(None, t, None, Some(geometry.bbox()))
            }
            RecordData::Position { name, holder, location, since } => {
                text(name, "record.name", e);
                party(holder, "record.holder", sc, e);
                let t = time(since, "record.since", false, e);
                idx(Some(holder), t, None, Some(point_box(location)))
            }
            RecordData::ControlChange { what, location, from, to, at, positions } => {
                text(what, "record.what", e);
                party(from, "record.from", sc, e);
                party(to, "record.to", sc, e);
                if from == to {
                    e.push("record.to", format!("is the same party as record.from ({from}): nothing changed hands"));
                }
                if let Some(n) = positions {
                    count(*n, "record.positions", e);
                }
                let t = time(at, "record.at", false, e);
                idx(Some(to), t, None, Some(point_box(location)))
            }
            RecordData::DeadlineStatus { deadline, status, done_on, evidence } => {
                text(evidence, "record.evidence", e);
                let due = sc.provisions.iter().flat_map(|p| &p.deadlines).find(|d| &d.id == deadline);
                if due.is_none() {
                    let known: Vec<_> =
                        sc.provisions.iter().flat_map(|p| &p.deadlines).map(|d| d.id.as_str()).collect();
                    e.push(
                        "record.deadline",
                        format!("no deadline {deadline:?} in the scenario; one of {}", known.join(", ")),
                    );
                }
                let done = match (status, done_on.as_mut()) {
                    (DeadlineState::Done, Some(d)) => time(d, "record.done_on", false, e),
                    (DeadlineState::Done, None) => {
                        e.push("record.done_on", "is required when the status is done");
                        None
                    }
                    (_, Some(_)) => {
                        e.push("record.done_on", "is only given when the status is done");
                        None
                    }
                    (_, None) => None,
                };
                let party = due.and_then(|d| d.obligated.first()).map(|p| p.as_str().to_owned());
                let at = done.or(due.map(|d| d.due));
                idx(party.as_deref(), at, None, None)
            }
            RecordData::Post { name, contingent, location, opened, closed } => {
                text(name, "record.name", e);
                text(contingent, "record.contingent", e);
                let from = time(opened, "record.opened", false, e);
                let to = closed.as_mut().and_then(|c| time(c, "record.closed", true, e));
                order(from, to, "record.closed", e);
                let mut i = idx(None, from, None, Some(point_box(location)))?;
                i.to_ms = to.map_or(i64::MAX, |t| t.timestamp_millis());
                Some(i)
            }
            RecordData::Patrol { contingent, route, from, to, report } => {
                text(contingent, "record.contingent", e);
                text(report, "record.report", e);
                if !matches!(route, Geometry::LineString(_)) {
                    e.push("record.route.type", "a patrol's route is a LineString");
                }
                let (f, t) = (time(from, "record.from", false, e), time(to, "record.to", true, e));
                order(f, t, "record.to", e);
                idx(None, f, t, Some(route.bbox()))
            }
            RecordData::Observation {
                observer,
                means,
                from,
                to,
                location,
                counts,
                distance_m,
                bearing_deg,
                controlled_by,
            } => {
                text(observer, "record.observer", e);
                if means.is_empty() {
                    e.push("record.means", "name at least one: heard, saw, camera or drone");
                }
                let (f, t) = (time(from, "record.from", false, e), time(to, "record.to", true, e));
                order(f, t, "record.to", e);
                for (name, v) in [
                    ("explosions_undetermined", counts.explosions_undetermined),
                    ("explosions_outgoing", counts.explosions_outgoing),
                    ("explosions_incoming", counts.explosions_incoming),
                    ("bursts", counts.bursts),
                    ("single_shots", counts.single_shots),
                    ("illumination_flares", counts.illumination_flares),
                ] {
                    count(v, &format!("record.counts.{name}"), e);
                }
                for (i, p) in counts.projectiles.iter().enumerate() {
                    count(p.count, &format!("record.counts.projectiles[{i}].count"), e);
                    text(&p.direction, &format!("record.counts.projectiles[{i}].direction"), e);
                }
                range(distance_m, 0.0, 100_000.0, "record.distance_m", e);
                range(bearing_deg, 0.0, 360.0, "record.bearing_deg", e);
                if let Some(p) = controlled_by {
                    party(p, "record.controlled_by", sc, e);
                }
                idx(controlled_by.as_deref(), f, t, Some(point_box(location)))
            }
            RecordData::AccessRestriction { restriction, by, location, at, delay_minutes, reason_given } => {
                party(by, "record.by", sc, e);
                text(reason_given, "record.reason_given", e);
                match (restriction, delay_minutes) {
                    (RestrictionKind::Delay, None) => e.push("record.delay_minutes", "is required for a delay"),
                    (RestrictionKind::Delay, Some(m)) => count(*m, "record.delay_minutes", e),
                    (_, Some(_)) => e.push("record.delay_minutes", "is only given for a delay"),
                    (_, None) => {}
                }
                let t = time(at, "record.at", false, e);
                idx(Some(by), t, None, Some(point_box(location)))
            }
            RecordData::CrossingCount { checkpoint, link, from, to, direction, people, vehicles, cargo } => {
                passage(checkpoint, link.as_deref(), direction, (*people, vehicles, cargo), sc, e);
                let (f, t) = (time(from, "record.from", false, e), time(to, "record.to", true, e));
                order(f, t, "record.to", e);
                idx(None, f, t, None)
            }
            RecordData::Crossing { checkpoint, link, at, direction, description, people, vehicles, cargo } => {
                text(description, "record.description", e);
                passage(checkpoint, link.as_deref(), direction, (*people, vehicles, cargo), sc, e);
                let t = time(at, "record.at", false, e);
                idx(None, t, None, None)
            }
            RecordData::Closure { link, state: _, by, from, to, reason_claimed, disputed: _ } => {
                if sc.zone(link).is_none() {
                    e.push("record.link", format!("no zone {link:?} in the scenario"));
                }
                party(by, "record.by", sc, e);
                text(reason_claimed, "record.reason_claimed", e);
                let f = time(from, "record.from", false, e);
                let t = to.as_mut().and_then(|t| time(t, "record.to", true, e));
                order(f, t, "record.to", e);
                let mut i = idx(Some(by), f, None, None)?;
                i.to_ms = t.map_or(i64::MAX, |t| t.timestamp_millis());
                Some(i)
            }
            RecordData::Return { date, from, to, households, persons, organised: _, unhcr_verified: _ } => {
                text(from, "record.from", e);
                let place = sc.place(to);
                if place.is_none() {
                    e.push("record.to", format!("no place {to:?} in the gazetteer"));
                }
                count(*households, "record.households", e);
                count(*persons, "record.persons", e);
                if persons < households {
                    e.push("record.persons", format!("{persons} persons in {households} households"));
                }
                let t = time(date, "record.date", false, e);
                idx(
                    None,
                    t,
                    None,
                    place.map(|p| crate::geo::BBox { min_lon: p.lon, min_lat: p.lat, max_lon: p.lon, max_lat: p.lat }),
                )
            }
            RecordData::Detainee {
                held_by,
                side,
                category: _,
                count: n,
                captured_at,
                captured_place,
                person,
                person_sha256,
            } => {
                party(held_by, "record.held_by", sc, e);
                party(side, "record.side", sc, e);
                if *n == 0 {
                    e.push("record.count", "must be at least 1");
                }
                count(*n, "record.count", e);
                if let Some(p) = captured_place {
                    text(p, "record.captured_place", e);
                }
                if let Some(p) = person {
                    if *n != 1 {
                        e.push("record.person", format!("names one person; this entry counts {n}"));
                    }
                    text(&p.name, "record.person.name", e);
                    if let Some(b) = &p.birth_date
                        && chrono::NaiveDate::parse_from_str(b, "%Y-%m-%d").is_err()
                    {
                        e.push("record.person.birth_date", format!("{b:?} is not a date (YYYY-MM-DD)"));
                    }
                    if let Some(u) = &p.unit {
                        text(u, "record.person.unit", e);
                    }
                    if person_sha256.is_some() {
                        e.push("record.person_sha256", "is set by the server; send the person only");
                    }
                }
                if let Some(h) = person_sha256
                    && (h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
                {
                    e.push("record.person_sha256", "is 64 hexadecimal digits");
                }
                let t = time(captured_at, "record.captured_at", false, e);
                idx(Some(held_by), t, None, None)
            }
            RecordData::DetaineeStatus { detainee: _, status: _, at } => {
                let t = time(at, "record.at", false, e);
                idx(None, t, None, None)
            }
            RecordData::Exchange { date, place, intermediary, transfers } => {
                text(place, "record.place", e);
                text(intermediary, "record.intermediary", e);
                if transfers.is_empty() {
                    e.push("record.transfers", "name at least one transfer");
                }
                let mut seen = Vec::new();
                for (i, t) in transfers.iter().enumerate() {
                    party(&t.from, &format!("record.transfers[{i}].from"), sc, e);
                    party(&t.to, &format!("record.transfers[{i}].to"), sc, e);
                    count(t.remains, &format!("record.transfers[{i}].remains"), e);
                    if t.detainees.is_empty() && t.remains == 0 {
                        e.push(format!("record.transfers[{i}]"), "hands over nobody: name detainees or remains");
                    }
                    if t.detainees.len() > MAX_LINKS {
                        e.push(format!("record.transfers[{i}].detainees"), format!("at most {MAX_LINKS}"));
                    }
                    for (j, d) in t.detainees.iter().enumerate() {
                        if seen.contains(d) {
                            e.push(
                                format!("record.transfers[{i}].detainees[{j}]"),
                                format!("{d} is handed over twice"),
                            );
                        }
                        seen.push(*d);
                    }
                }
                let t = time(date, "record.date", false, e);
                idx(None, t, None, None)
            }
            RecordData::Mediation { item: _, participants, date, place, summary } => {
                if participants.is_empty() {
                    e.push("record.participants", "name at least one participant");
                }
                for (i, p) in participants.iter().enumerate() {
                    text(p, &format!("record.participants[{i}]"), e);
                }
                if let Some(p) = place {
                    text(p, "record.place", e);
                }
                text(summary, "record.summary", e);
                let t = time(date, "record.date", false, e);
                idx(None, t, None, None)
            }
        }
    }
}

/// A unit enum's name as serialized (`snake_case`).
pub(crate) fn snake(v: impl Serialize) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn kind_name(k: ProvisionKind) -> String {
    snake(k)
}

fn fitting(scenario: &Scenario, fits: &[ProvisionKind]) -> String {
    let ids: Vec<_> =
        scenario.provisions.iter().filter(|p| fits.contains(&p.kind)).map(|p| p.id.as_str().to_owned()).collect();
    if ids.is_empty() {
        format!(
            "a provision of kind {} (the scenario has none)",
            fits.iter().map(|k| kind_name(*k)).collect::<Vec<_>>().join(" or ")
        )
    } else {
        ids.join(" or ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::scenario;
    use proptest::prelude::*;
    use serde_json::json;

    fn change(at: &str) -> serde_json::Value {
        json!({"record": {"kind": "control_change", "what": "a height", "location": [46.1, 39.6],
                          "from": "AAA", "to": "BBB", "at": at, "positions": 2}})
    }

    fn fields(e: &FieldErrors) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn the_only_fitting_provision_is_inferred_and_times_take_one_form() {
        let sc = scenario();
        let r = Record::from_json(change("2021-11-16")).expect("reads");
        let (r, index) = r.validate(&sc).expect("valid");
        assert_eq!(r.provision.as_deref(), Some("P1"));
        assert_eq!(index.provision.as_deref(), Some("P1"));
        assert_eq!(index.party.as_deref(), Some("BBB"));
        let RecordData::ControlChange { at, .. } = &r.record else { panic!("kind") };
        assert_eq!(at, "2021-11-16T00:00:00.000Z");
        // A kind no provision of the scenario fits.
        let ret = json!({"record": {"kind": "return", "date": "2020-12-03", "from": "x", "to": "town",
                                    "households": 1, "persons": 3, "organised": true, "unhcr_verified": false}});
        let e = Record::from_json(ret).expect("reads").validate(&sc).expect_err("no provision");
        assert!(e.0.iter().any(|f| f.field == "provision" && f.reason.contains("the scenario has none")), "{e}");
    }

    #[test]
    fn a_wrong_value_anywhere_is_named_by_its_path() {
        let mut v = change("2021-11-16");
        v["record"]["positions"] = json!("two");
        assert_eq!(fields(&Record::from_json(v).expect_err("type")), ["record.positions"]);
        let mut v = change("2021-11-16");
        v["record"]["location"] = json!([46.1, 99.0]);
        assert_eq!(fields(&Record::from_json(v).expect_err("range")), ["record.location"]);
        let e = Record::from_json(json!({"record": {"kind": "nonsense"}})).expect_err("kind");
        assert_eq!(fields(&e), ["record.kind"]);
        let e = Record::from_json(json!({"source": "s"})).expect_err("no record");
        assert_eq!(fields(&e), ["record"]);
        let mut v = change("2021-11-16");
        v["colour"] = json!("red");
        assert!(fields(&Record::from_json(v).expect_err("unknown")).contains(&"colour"));
        let e = Record::from_json(change("soon")).expect("reads").validate(&scenario()).expect_err("time");
        assert_eq!(fields(&e), ["record.at"]);
    }

    #[test]
    fn a_persons_particulars_leave_the_record_salted() {
        let sc = scenario();
        let body = json!({"provision": "P1", "record": {"kind": "detainee", "held_by": "AAA", "side": "BBB",
            "category": "civilian", "captured_at": "2021-01-01", "person": {"name": "N. N."}}});
        // Detainees concern a detainee-exchange provision, which this scenario lacks.
        let e = Record::from_json(body.clone()).expect("reads").validate(&sc).expect_err("provision");
        assert_eq!(fields(&e), ["provision"]);
        let mut r = Record::from_json(body).expect("reads");
        let bytes = r.take_person().expect("json").expect("a person");
        let RecordData::Detainee { person, person_sha256, .. } = &r.record else { panic!("kind") };
        assert!(person.is_none());
        assert_eq!(person_sha256.as_deref(), Some(hex::encode(crate::journal::sha256(&bytes)).as_str()));
        let kept: KeptPerson = serde_json::from_slice(&bytes).expect("kept");
        assert_eq!(kept.person.name, "N. N.");
        assert!(kept.salt.len() >= 40);
        let payload = String::from_utf8(crate::journal::canonical_json(&r).expect("json")).expect("utf-8");
        assert!(!payload.contains("N. N."), "{payload}");
        // Sent by a client, the hash is refused: the server computes it.
        let forged = json!({"record": {"kind": "detainee", "held_by": "AAA", "side": "BBB", "category": "civilian",
            "captured_at": "2021-01-01", "person": {"name": "x"}, "person_sha256": "00"}});
        let e = Record::from_json(forged).expect_err("forged");
        assert_eq!(fields(&e), ["record.person_sha256"]);
        let hash_only = json!({"record": {"kind": "detainee", "held_by": "AAA", "side": "BBB", "category": "civilian",
            "captured_at": "2021-01-01", "person_sha256": "00".repeat(32)}});
        assert_eq!(fields(&Record::from_json(hash_only).expect_err("a hash of nothing")), ["record.person_sha256"]);
    }

    proptest! {
        #[test]
        fn records_read_back_as_written(
            lon in -180.0f64..180.0, lat in -90.0f64..90.0, day in 1u32..28, n in proptest::option::of(0u64..1000),
            what in "[a-zA-Z ]{1,20}",
        ) {
            let mut v = change(&format!("2021-03-{day:02}"));
            v["record"]["location"] = json!([lon, lat]);
            v["record"]["what"] = json!(what);
            match n {
                Some(n) => v["record"]["positions"] = json!(n),
                None => { v["record"].as_object_mut().expect("object").remove("positions"); }
            }
            let r = Record::from_json(v).expect("reads");
            let written = serde_json::to_value(&r).expect("json");
            prop_assert_eq!(written["record"]["kind"].as_str(), Some("control_change"));
            let again = Record::from_json(written).expect("reads back");
            prop_assert_eq!(&again, &r);
            let bytes = crate::journal::canonical_json(&r).expect("canonical");
            let decoded: Record = serde_json::from_slice(&bytes).expect("decodes");
            prop_assert_eq!(decoded, r);
        }

        #[test]
        fn any_json_is_read_or_refused_without_panicking(s in "\\PC{0,200}", k in "[a-z_]{0,16}") {
            let _ = Record::from_json(serde_json::from_str(&s).unwrap_or(serde_json::Value::Null));
            let _ = Record::from_json(json!({"record": {"kind": k, "x": s}}));
        }
    }
}
