//! Scenarios: the agreement being monitored, as data.
//!
//! A scenario names the parties, the provisions, the zones (line of contact, corridors,
//! districts, sectors), the gazetteer of places, the observation posts and checkpoints,
//! and the event taxonomy. Nothing in truce is specific to one ceasefire: all of that
//! arrives here. `load` parses a scenario directory's files (handed in as text) and checks
//! them; every error names the file and the field.

mod load;
mod places;

pub use load::{ScenarioError, ScenarioFiles, ScenarioIssue};
pub use places::{PlaceQuery, PlaceSearch};

use crate::geo::{BBox, Geometry, Position};
use crate::ids::{Lang, PartyId, PlaceId, PostId, ProvisionId, ZoneId};
use crate::names::Names;
use crate::taxonomy::Taxonomy;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A ceasefire agreement and everything truce needs to know about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Scenario {
    /// Stable id of the scenario, e.g. `nagorno-karabakh-2020`.
    pub id: String,
    /// Title per language.
    pub title: Names,
    /// When the agreement was signed (UTC).
    #[serde(with = "crate::time::millis_rfc3339")]
    pub signed_at: DateTime<Utc>,
    /// When it took effect (UTC).
    #[serde(with = "crate::time::millis_rfc3339")]
    pub effective_at: DateTime<Utc>,
    /// Languages the scenario's names are given in.
    #[schema(value_type = Vec<String>)]
    pub languages: Vec<Lang>,
    /// The area of interest.
    pub bbox: BBox,
    /// True when the geometry is an approximation for illustration only.
    pub illustrative_geometry: bool,
    /// Tunable settings.
    pub settings: Settings,
    /// Parties and organisations.
    pub parties: Vec<Party>,
    /// The agreement's provisions.
    pub provisions: Vec<Provision>,
    /// Zones: line of contact, corridors, districts, sectors.
    pub zones: Vec<Zone>,
    /// The gazetteer.
    pub places: Vec<Place>,
    /// Observation posts and checkpoints.
    pub posts: Vec<Post>,
    /// The event taxonomy.
    pub taxonomy: Taxonomy,
    /// Which parties run a witness of the log, and how many must cosign a checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witnesses: Option<WitnessPlan>,
    /// Who endorses findings, and how long each stage of verification may take.
    #[serde(default, skip_serializing_if = "Verification::is_empty")]
    pub verification: Verification,
    /// Who speaks and who is named in the region's press, for the news intake
    /// (`intake-actors.toml`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intake_actors: Vec<IntakeActor>,
}

/// An actor of the region's press: its party code and the words that name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntakeActor {
    /// A party id of the scenario, or NK-style codes of other actors, MEDIA or OTHER.
    pub party: String,
    /// Its name in English.
    pub name: String,
    /// body (a ministry, an office), country, or forces (a side's armed forces).
    pub kind: IntakeActorKind,
    /// Its names per language (`en = [...]`, `ru = [...]`).
    #[serde(flatten)]
    #[schema(value_type = BTreeMap<String, Vec<String>>)]
    pub names: BTreeMap<String, Vec<String>>,
}

/// What kind of actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntakeActorKind {
    /// A ministry, an office, a person speaking for one.
    Body,
    /// A state.
    Country,
    /// Armed forces, a side.
    Forces,
}

/// How the mission verifies incidents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// The joint body that endorses findings before they can be published. Without one, a
    /// proposed finding cannot be endorsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<EndorsementRule>,
    /// Hours an incident may stay in a state before it is overdue, by state name
    /// (`reported = 24`: a team on site within a day).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub deadlines_hours: BTreeMap<String, u32>,
}

impl Verification {
    /// Nothing configured.
    pub fn is_empty(&self) -> bool {
        self.endorsement.is_none() && self.deadlines_hours.is_empty()
    }
}

/// The endorsing body and its rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndorsementRule {
    /// The body's name per language.
    pub body: Names,
    /// Its members: users, each in a group (e.g. the state that seconded them).
    pub members: Vec<BoardMember>,
    /// How many endorsements a finding needs.
    pub required: u32,
    /// Groups that must each have at least one member among the endorsers.
    #[serde(default)]
    pub groups_required: Vec<String>,
}

/// A member of the endorsing body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BoardMember {
    /// The member's user name.
    pub user: String,
    /// The member's group.
    pub group: String,
}

/// The agreement's rule for trusting the log: each listed party runs a witness (C2SP
/// tlog-witness), and a checkpoint counts once `quorum` of them have cosigned it. Witness keys
/// and addresses belong to a deployment and come with a tlog-policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WitnessPlan {
    /// Parties that each run a witness.
    #[schema(value_type = Vec<String>)]
    pub parties: Vec<PartyId>,
    /// How many of them must cosign (1..=number of parties).
    pub quorum: u32,
}

/// Scenario settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Score above which a claim is attached to an incident without a monitor (0..1).
    #[serde(default = "default_threshold")]
    pub incident_auto_attach_threshold: f64,
    /// The organisation that runs the monitoring mission: a party with the `monitor` role.
    /// Its users are the mission's monitors, analysts and administrators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub mission: Option<PartyId>,
}

fn default_threshold() -> f64 {
    0.8
}

impl Default for Settings {
    fn default() -> Self {
        Self { incident_auto_attach_threshold: default_threshold(), mission: None }
    }
}

/// What a party is to the agreement. A party may have several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// A side of the conflict.
    Belligerent,
    /// Brokers or guarantees the agreement.
    Mediator,
    /// Deploys peacekeepers.
    PeacekeepingForce,
    /// Monitors the ceasefire.
    Monitor,
    /// Humanitarian organisation.
    Humanitarian,
}

/// A party to the agreement or an organisation taking part in its monitoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Code, e.g. `ARM`.
    #[schema(value_type = String)]
    pub id: PartyId,
    /// Roles.
    pub roles: Vec<PartyRole>,
    /// Name per language.
    pub names: Names,
    /// Short name per language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<Names>,
}

/// The kind of obligation a provision sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionKind {
    /// Cease fire, halt at positions.
    Ceasefire,
    /// Hand over territory by a date.
    Handover,
    /// Deploy peacekeepers.
    PeacekeepingDeployment,
    /// Terms of the peacekeepers' mandate.
    PeacekeepingMandate,
    /// A monitoring mechanism.
    Monitoring,
    /// A corridor and its safe passage.
    Corridor,
    /// Return of displaced persons and refugees.
    DisplacedReturn,
    /// Exchange of prisoners, detainees and remains.
    DetaineeExchange,
    /// Unblocking of transport and economic links.
    TransportLinks,
}

/// One provision of the agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// Id, e.g. `P1`.
    #[schema(value_type = String)]
    pub id: ProvisionId,
    /// Number in the agreement's text.
    pub number: u32,
    /// Kind of obligation.
    pub kind: ProvisionKind,
    /// Short title per language.
    pub title: Names,
    /// The text per language.
    pub text: Names,
    /// Parties bound by it.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub obligated: Vec<PartyId>,
    /// Scheduled obligations.
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
}

/// A scheduled obligation with a due date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// Id, e.g. `agdam-handover`.
    pub id: String,
    /// What is due, per language.
    pub what: Names,
    /// When it is due (UTC).
    #[serde(with = "crate::time::millis_rfc3339")]
    pub due: DateTime<Utc>,
    /// The zone it concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub zone: Option<ZoneId>,
    /// Parties that must act.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub obligated: Vec<PartyId>,
}

/// The kind of a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// The line separating the forces.
    LineOfContact,
    /// A protected corridor.
    Corridor,
    /// An administrative district.
    District,
    /// A monitoring sector.
    Sector,
    /// A buffer zone.
    Buffer,
    /// Any other area.
    Area,
}

/// A zone: a line or area of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Zone {
    /// Id, e.g. `lachin-corridor`.
    #[schema(value_type = String)]
    pub id: ZoneId,
    /// Kind.
    pub kind: ZoneKind,
    /// Name per language.
    pub names: Names,
    /// Geometry.
    pub geometry: Geometry,
    /// True when the geometry is an approximation.
    pub illustrative: bool,
    /// From when this geometry holds.
    #[serde(default, with = "opt_millis", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub valid_from: Option<DateTime<Utc>>,
    /// Where the geometry comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Provisions the zone concerns.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub provisions: Vec<ProvisionId>,
}

/// The kind of a gazetteer place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A city.
    City,
    /// A town.
    Town,
    /// A village.
    Village,
    /// A district.
    District,
    /// A region.
    Region,
    /// A mountain.
    Mountain,
    /// A height or hill.
    Height,
    /// A mountain pass.
    Pass,
    /// A monitoring or military sector ("the eastern direction").
    Sector,
    /// A point of a corridor.
    CorridorPoint,
    /// A crossing or bridge.
    Crossing,
    /// A river.
    River,
    /// Anything else.
    Other,
}

/// A gazetteer place. Names in every language share the one id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Place {
    /// Id, e.g. `lachin`.
    #[schema(value_type = String)]
    pub id: PlaceId,
    /// Kind.
    pub kind: PlaceKind,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Preferred name per language.
    pub names: Names,
    /// Other names per language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = BTreeMap<String, Vec<String>>)]
    pub aliases: BTreeMap<Lang, Vec<String>>,
    /// GeoNames id, when it comes from GeoNames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u64>,
    /// Reviewer's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Place {
    /// The place's position.
    pub fn position(&self) -> Position {
        // Positions are range-checked on load, so clamping never moves a loaded place.
        Position::clamped(self.lon, self.lat)
    }

    /// Every name and alias, with its language and whether it is the preferred name.
    pub fn all_names(&self) -> impl Iterator<Item = (&Lang, &str, bool)> {
        self.names
            .0
            .iter()
            .map(|(l, n)| (l, n.as_str(), true))
            .chain(self.aliases.iter().flat_map(|(l, ns)| ns.iter().map(move |n| (l, n.as_str(), false))))
    }
}

/// The kind of a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// A peacekeepers' or monitors' observation post.
    ObservationPost,
    /// A checkpoint on a corridor or road.
    Checkpoint,
}

/// An observation post or checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Post {
    /// Id.
    #[schema(value_type = String)]
    pub id: PostId,
    /// Kind.
    pub kind: PostKind,
    /// Name per language.
    pub names: Names,
    /// Where it is.
    #[schema(value_type = Vec<f64>)]
    pub position: Position,
    /// Who runs it.
    #[schema(value_type = String)]
    pub operator: PartyId,
    /// When it opened.
    #[serde(default, with = "opt_millis", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub opened_at: Option<DateTime<Utc>>,
    /// The zone it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub zone: Option<ZoneId>,
    /// True when the position is an approximation.
    #[serde(default)]
    pub illustrative: bool,
}

impl Scenario {
    /// The party with this id.
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.id.as_str() == id)
    }
    /// The provision with this id.
    pub fn provision(&self, id: &str) -> Option<&Provision> {
        self.provisions.iter().find(|p| p.id.as_str() == id)
    }
    /// The place with this id.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id.as_str() == id)
    }
    /// The zone with this id.
    pub fn zone(&self, id: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.id.as_str() == id)
    }
}

mod opt_millis {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&crate::time::fmt(*t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// A small scenario for unit tests across the crate.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A two-party agreement with one provision.
    pub(crate) const SCENARIO_TOML: &str = r#"
format = 1
id = "test"
title = { en = "Test agreement" }
signed_at = "2020-11-09T20:30:00Z"
effective_at = "2020-11-09T21:00:00Z"
languages = ["en"]
bbox = [44.0, 38.0, 50.0, 42.0]
[[parties]]
id = "AAA"
roles = ["belligerent"]
names = { en = "A" }
[[parties]]
id = "BBB"
roles = ["belligerent"]
names = { en = "B" }
[[provisions]]
id = "P1"
number = 1
kind = "ceasefire"
title = { en = "Ceasefire" }
text = { en = "Cease fire." }
obligated = ["AAA"]
"#;

    /// A one-type taxonomy.
    pub(crate) const TAXONOMY_TOML: &str = r#"
format = 1
[[event_types]]
id = "shelling"
label = { en = "Shelling" }
group = "violence"
acled_event_type = "Explosions/Remote violence"
acled_sub_event_type = "Shelling/artillery/missile attack"
"#;

    /// An empty FeatureCollection.
    pub(crate) const NO_FEATURES: &str = r#"{"type":"FeatureCollection","features":[]}"#;

    /// A one-place gazetteer.
    pub(crate) const GAZETTEER: &str = r#"{"format":1,"places":[{"id":"town","kind":"town","lat":39.0,"lon":46.0,"names":{"en":"Town","ru":"Город"}}]}"#;

    pub(crate) fn files() -> ScenarioFiles {
        ScenarioFiles {
            scenario: ("scenario.toml".into(), SCENARIO_TOML.into()),
            zones: ("zones.geojson".into(), NO_FEATURES.into()),
            posts: ("posts.geojson".into(), NO_FEATURES.into()),
            gazetteer: ("gazetteer.json".into(), GAZETTEER.into()),
            overlay: None,
            taxonomy: ("taxonomy.toml".into(), TAXONOMY_TOML.into()),
            intake_actors: None,
        }
    }

    pub(crate) fn scenario() -> Scenario {
        match Scenario::load(&files()) {
            Ok(s) => s,
            Err(e) => panic!("test scenario: {e}"),
        }
    }
}
