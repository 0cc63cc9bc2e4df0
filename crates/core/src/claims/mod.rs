//! Claims: what a party, a monitor or an open source says happened.
//!
//! A claim never changes once accepted; corrections are new claims. `ClaimInput` is the
//! shape a client sends; `ClaimInput::validate` turns it into a `ClaimBody` (what the
//! journal stores) or into every field error at once. `Claim` is the claim as read back,
//! with its id, sequence number and resolved location.

mod input;
mod query;
pub mod signing;

pub use input::{
    AttachmentInput, CasualtyInput, ClaimInput, IntervalInput, LocationInput, NarrativeInput, PersonInput, SourceInput,
};
pub use input::{ClaimBatch, MAX_BATCH_CLAIMS, check_url};
pub use query::{
    ClaimFilter, ClaimQuery, DEFAULT_LIMIT, MAX_LIMIT, PersonalData, Visibility, decode_cursor, encode_cursor,
};

use crate::geo::Geometry;
use crate::ids::{EventTypeId, Lang, PartyId, PlaceId, ProvisionId, Tag};
use crate::scenario::Scenario;
use crate::time::Interval;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a claim comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Submitted by a party's liaison officer.
    PartyReport,
    /// A monitoring team's own report.
    MonitorReport,
    /// An official statement (ministry, government).
    OfficialStatement,
    /// A news report.
    Media,
    /// Social media.
    SocialMedia,
    /// A witness account.
    Witness,
    /// Anything else.
    Other,
}

/// The source of a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Source {
    /// Kind of source.
    pub kind: SourceKind,
    /// Who or what: "Ministry of Defence of Armenia", "Sputnik Arabic".
    pub name: String,
    /// Where it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// How to reach the source (phone, e-mail, address): personal data, shown only to those
    /// who may read it (`personal_data.read` in docs/access.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The intake's draft this claim accepts (an article read by the news intake): set by
    /// the server when a monitor accepts the draft, never by a client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<crate::intake::DraftRef>,
}

/// What a claim says of a person it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// Detained, captured or held.
    Detained,
    /// Killed.
    Killed,
    /// Wounded.
    Wounded,
    /// Missing.
    Missing,
    /// Saw or heard what happened.
    Witness,
    /// Named for another reason.
    Other,
}

impl PersonRole {
    /// Every role, in the order the docs list them.
    pub const ALL: [PersonRole; 6] = [
        PersonRole::Detained,
        PersonRole::Killed,
        PersonRole::Wounded,
        PersonRole::Missing,
        PersonRole::Witness,
        PersonRole::Other,
    ];

    /// The role's name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Detained => "detained",
            PersonRole::Killed => "killed",
            PersonRole::Wounded => "wounded",
            PersonRole::Missing => "missing",
            PersonRole::Witness => "witness",
            PersonRole::Other => "other",
        }
    }
}

/// A person a claim names: personal data. Their name is shown only to those who may read
/// personal data; everyone else who reads the claim sees the role, party and category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    /// The name as the claim gives it.
    pub name: String,
    /// What the claim says of them.
    pub role: PersonRole,
    /// The party they belong to or serve, if the claim says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub party: Option<PartyId>,
    /// Military or civilian, if the claim says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CasualtyCategory>,
}

/// How precisely a location is known, with the radius it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocationPrecision {
    /// Within about 100 m.
    Exact,
    /// Within about 1 km.
    Approximate,
    /// The named place (village, height): within about 5 km.
    Locality,
    /// The district: within about 25 km.
    District,
    /// The region: within about 100 km.
    Region,
}

impl LocationPrecision {
    /// Parses `exact`, `approximate`, `locality`, `district` or `region`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "exact" => Ok(Self::Exact),
            "approximate" => Ok(Self::Approximate),
            "locality" => Ok(Self::Locality),
            "district" => Ok(Self::District),
            "region" => Ok(Self::Region),
            _ => Err(format!("{s:?} is not one of exact, approximate, locality, district, region")),
        }
    }

    /// The uncertainty radius this precision stands for, in metres.
    pub fn radius_m(self) -> u32 {
        match self {
            Self::Exact => 100,
            Self::Approximate => 1_000,
            Self::Locality => 5_000,
            Self::District => 25_000,
            Self::Region => 100_000,
        }
    }
}

/// Where a claim says the event happened: a gazetteer place, a geometry, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Location {
    /// Gazetteer place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub place: Option<PlaceId>,
    /// Geometry given by the claimant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geometry: Option<Geometry>,
    /// How precisely the location is known.
    pub precision: LocationPrecision,
}

/// Military or civilian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CasualtyCategory {
    /// Members of armed forces.
    Military,
    /// Civilians.
    Civilian,
}

/// A count that may be exact or bounded: `12`, `{"min": 10}` ("more than ten"),
/// `{"min": 20, "max": 50}` ("dozens").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// Lower bound (inclusive).
    pub min: u32,
    /// Upper bound (inclusive); none when unbounded.
    pub max: Option<u32>,
}

impl Count {
    /// An exact count.
    pub fn exact(n: u32) -> Self {
        Self { min: n, max: Some(n) }
    }
}

impl utoipa::PartialSchema for Count {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .description(Some("An exact count, or bounds {\"min\", \"max\"} (max absent: unbounded)"))
            .item(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))
            .item(
                ObjectBuilder::new()
                    .property("min", ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))
                    .property("max", ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))
                    .required("min"),
            )
            .into()
    }
}

impl ToSchema for Count {}

impl Serialize for Count {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.max == Some(self.min) {
            return s.serialize_u32(self.min);
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("min", &self.min)?;
        if let Some(max) = self.max {
            m.serialize_entry("max", &max)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        input::parse_count(&v).map_err(serde::de::Error::custom)
    }
}

/// Casualties of one party in one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Casualty {
    /// Whose casualties.
    #[schema(value_type = String)]
    pub party: PartyId,
    /// Military or civilian.
    pub category: CasualtyCategory,
    /// Killed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed: Option<Count>,
    /// Wounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wounded: Option<Count>,
    /// Captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured: Option<Count>,
    /// Missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Count>,
}

/// The claim's own words, in their original language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Narrative {
    /// Language tag.
    #[schema(value_type = String)]
    pub lang: Lang,
    /// The text.
    pub text: String,
}

/// Evidence attached by content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attachment {
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Media type, e.g. `image/jpeg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// A validated claim as the journal stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ClaimBody {
    /// Who makes the claim.
    #[schema(value_type = String)]
    pub claimant: PartyId,
    /// Where the claim comes from.
    pub source: Source,
    /// Whom the claim accuses, if anyone.
    #[schema(value_type = Option<String>)]
    pub accused: Option<PartyId>,
    /// Event type from the taxonomy.
    #[schema(value_type = String)]
    pub event_type: EventTypeId,
    /// When it happened.
    pub occurred: Interval,
    /// Where it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Casualties by party and category.
    #[serde(default)]
    pub casualties: Vec<Casualty>,
    /// Provisions the claim says were violated.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub provisions_violated: Vec<ProvisionId>,
    /// The claim's words.
    pub narrative: Narrative,
    /// Evidence.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Labels.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub tags: Vec<Tag>,
    /// The submitter's signature over the claim as submitted, if it was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<signing::ClaimSignature>,
    /// People the claim names (personal data). Left out of the payload when empty, so
    /// claims without any keep the bytes (and hashes) they had before the field existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<Person>,
    /// Random bytes (base64url) in the payload of a claim with personal data, withheld with
    /// it: without them, a reader shown the redacted claim and its entry's payload hash
    /// could confirm a guessed name or number by hashing the rebuilt payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub personal_salt: Option<String>,
}

impl ClaimBody {
    /// Whether the claim holds personal data: a person's name or the source's contact.
    pub fn has_personal_data(&self) -> bool {
        !self.persons.is_empty() || self.source.contact.is_some()
    }
}

/// Who signed a claim: the key and the signature (the signed JSON is in the journal entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignatureView {
    /// The key, `name+keyid`.
    pub key: String,
    /// The Ed25519 signature, base64.
    pub sig: String,
}

/// A location with its place resolved against the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LocationView {
    /// The gazetteer place, if one was named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRef>,
    /// The geometry: the claimant's, or else the place's point.
    pub geometry: Geometry,
    /// How precisely the location is known.
    pub precision: LocationPrecision,
    /// Uncertainty radius in metres.
    pub radius_m: u32,
}

/// A gazetteer place named by a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlaceRef {
    /// Place id.
    pub id: String,
    /// English name.
    pub name: String,
}

/// A claim as read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Claim {
    /// Claim id (the ULID of the journal entry that submitted it).
    pub id: String,
    /// Sequence number of that journal entry.
    pub seq: u64,
    /// When the journal received it.
    #[serde(with = "crate::time::millis_rfc3339")]
    pub received_at: DateTime<Utc>,
    /// Who submitted it.
    pub actor: String,
    /// Who makes the claim.
    pub claimant: String,
    /// Where the claim comes from.
    pub source: Source,
    /// Whom the claim accuses.
    pub accused: Option<String>,
    /// Event type.
    pub event_type: String,
    /// When it happened.
    pub occurred: Interval,
    /// Where it happened.
    pub location: Option<LocationView>,
    /// Casualties by party and category.
    pub casualties: Vec<Casualty>,
    /// Provisions the claim says were violated.
    pub provisions_violated: Vec<String>,
    /// The claim's words.
    pub narrative: Narrative,
    /// Evidence.
    pub attachments: Vec<Attachment>,
    /// Labels.
    pub tags: Vec<String>,
    /// The submitter's signature, if the claim was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureView>,
    /// People the claim names; `name` is absent for a reader who may not read personal data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<PersonView>,
    /// The personal data this reader is not shown (`persons.name`, `source.contact`, and the
    /// `signature`, which covers them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<String>,
}

/// A person as a claim's reader sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonView {
    /// The name, for readers of personal data only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the claim says of them.
    pub role: PersonRole,
    /// Their party, if the claim says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// Military or civilian, if the claim says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CasualtyCategory>,
}

impl PersonView {
    fn of(p: &Person, personal: bool) -> PersonView {
        PersonView {
            name: personal.then(|| p.name.clone()),
            role: p.role,
            party: p.party.as_ref().map(|x| x.as_str().to_owned()),
            category: p.category,
        }
    }
}

/// The personal data of `body` a reader who may not read it is not shown.
fn withheld(body: &ClaimBody) -> Vec<String> {
    let mut out = Vec::new();
    if !body.persons.is_empty() {
        out.push("persons.name".to_owned());
    }
    if body.source.contact.is_some() {
        out.push("source.contact".to_owned());
    }
    // The signature covers the names: with the public key it would confirm a guess.
    if !out.is_empty() && body.signature.is_some() {
        out.push("signature".to_owned());
    }
    out
}

/// The fields of a claim's view that do not depend on the journal entry, serialised in
/// the order `Claim` has them.
#[derive(Serialize)]
struct ViewTail<'a> {
    claimant: &'a str,
    source: &'a Source,
    accused: Option<&'a str>,
    event_type: &'a str,
    occurred: &'a Interval,
    location: Option<LocationView>,
    casualties: &'a [Casualty],
    provisions_violated: Vec<&'a str>,
    narrative: &'a Narrative,
    attachments: &'a [Attachment],
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<SignatureView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    persons: Vec<PersonView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    withheld: Vec<String>,
}

/// Resolves a claim's location against the gazetteer.
pub fn resolve_location(location: Option<&Location>, scenario: &Scenario) -> Option<LocationView> {
    let l = location?;
    let place = l.place.as_ref().and_then(|p| scenario.place(p.as_str()));
    let geometry = l.geometry.clone().or_else(|| place.map(|p| Geometry::Point(p.position())))?;
    Some(LocationView {
        place: place.map(|p| PlaceRef { id: p.id.to_string(), name: p.names.en().to_owned() }),
        geometry,
        precision: l.precision,
        radius_m: l.precision.radius_m(),
    })
}

/// The JSON of a claim's view without its entry fields (id, seq, received_at, actor).
/// It can be computed before the claim reaches the journal; `assemble_view` completes it.
/// Without `personal`, persons' names and the source's contact are left out and listed in
/// `withheld`.
pub fn view_tail(body: &ClaimBody, scenario: &Scenario, personal: bool) -> Result<String, serde_json::Error> {
    let redacted;
    let source = if personal || body.source.contact.is_none() {
        &body.source
    } else {
        redacted = Source { contact: None, ..body.source.clone() };
        &redacted
    };
    serde_json::to_string(&ViewTail {
        claimant: body.claimant.as_str(),
        source,
        accused: body.accused.as_ref().map(PartyId::as_str),
        event_type: body.event_type.as_str(),
        occurred: &body.occurred,
        location: resolve_location(body.location.as_ref(), scenario),
        casualties: &body.casualties,
        provisions_violated: body.provisions_violated.iter().map(ProvisionId::as_str).collect(),
        narrative: &body.narrative,
        attachments: &body.attachments,
        tags: body.tags.iter().map(Tag::as_str).collect(),
        signature: body
            .signature
            .as_ref()
            .filter(|_| personal || !body.has_personal_data())
            .map(|s| SignatureView { key: s.key.clone(), sig: s.sig.clone() }),
        persons: body.persons.iter().map(|p| PersonView::of(p, personal)).collect(),
        withheld: if personal { Vec::new() } else { withheld(body) },
    })
}

/// The JSON of a claim's view: the entry fields followed by `tail` from `view_tail`.
pub fn assemble_view(id: &str, seq: u64, received_at: DateTime<Utc>, actor: &str, tail: &str) -> String {
    let actor = serde_json::Value::String(actor.to_owned());
    let rest = tail.strip_prefix('{').unwrap_or(tail);
    format!(
        "{{\"id\":\"{id}\",\"seq\":{seq},\"received_at\":\"{}\",\"actor\":{actor},{rest}",
        crate::time::fmt(received_at)
    )
}

impl Claim {
    /// The claim as read back, its location resolved against the scenario's gazetteer,
    /// with its personal data only if `personal`.
    pub fn view(
        id: String,
        seq: u64,
        received_at: DateTime<Utc>,
        actor: String,
        body: ClaimBody,
        scenario: &Scenario,
        personal: bool,
    ) -> Claim {
        let location = resolve_location(body.location.as_ref(), scenario);
        let withheld = if personal { Vec::new() } else { withheld(&body) };
        let persons = body.persons.iter().map(|p| PersonView::of(p, personal)).collect();
        let signature = body.signature.filter(|_| personal || withheld.is_empty());
        let mut source = body.source;
        if !personal {
            source.contact = None;
        }
        Claim {
            id,
            seq,
            received_at,
            actor,
            claimant: body.claimant.into(),
            source,
            accused: body.accused.map(Into::into),
            event_type: body.event_type.into(),
            occurred: body.occurred,
            location,
            casualties: body.casualties,
            provisions_violated: body.provisions_violated.into_iter().map(Into::into).collect(),
            narrative: body.narrative,
            attachments: body.attachments,
            tags: body.tags.into_iter().map(Into::into).collect(),
            signature: signature.map(|s| SignatureView { key: s.key, sig: s.sig }),
            persons,
            withheld,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::scenario;

    #[test]
    fn assembled_view_is_the_view() {
        for personal in [true, false] {
            assembled_view_is_the_view_with(personal);
        }
    }

    fn assembled_view_is_the_view_with(personal: bool) {
        let input: ClaimInput = serde_json::from_value(serde_json::json!({
            "claimant": "AAA",
            "source": {"kind": "media", "name": "Paper \"quoted\"", "contact": "+1 555 0100"},
            "persons": [{"name": "Anna Petrosyan", "role": "killed", "party": "AAA", "category": "civilian"}],
            "accused": "BBB",
            "event_type": "shelling",
            "occurred": {"from": "2021-11-16"},
            "location": {"place": "town"},
            "casualties": [{"party": "AAA", "category": "civilian", "killed": {"min": 3, "max": 5}}],
            "narrative": {"lang": "ru", "text": "Обстрел"},
            "tags": ["x"]
        }))
        .expect("shape");
        let sc = scenario();
        let mut body = input.validate(&sc).expect("valid");
        assert!(body.personal_salt.as_deref().is_some_and(|s| s.len() >= 40), "salted: {:?}", body.personal_salt);
        body.signature =
            Some(signing::ClaimSignature { key: "k+00000001".into(), sig: "c2ln".into(), signed: "{}".into() });
        let at = crate::time::from_millis(1_637_000_000_123);
        let tail = view_tail(&body, &sc, personal).expect("serialises");
        let text = assemble_view("01ARZ3NDEKTSV4RRFFQ69G5FAV", 7, at, "demo \"x\"", &tail);
        let parsed: Claim = serde_json::from_str(&text).expect("valid JSON");
        let direct = Claim::view("01ARZ3NDEKTSV4RRFFQ69G5FAV".into(), 7, at, "demo \"x\"".into(), body, &sc, personal);
        assert_eq!(parsed, direct);
        assert_eq!(text, serde_json::to_string(&direct).expect("serialises"));
        assert_eq!(text.contains("Anna Petrosyan"), personal, "{text}");
        assert_eq!(text.contains("555 0100"), personal, "{text}");
        assert_eq!(parsed.persons[0].role, PersonRole::Killed);
        assert_eq!(parsed.persons[0].party.as_deref(), Some("AAA"));
        // The signature covers the names: withheld with them. The salt is in no view.
        let withheld: &[&str] = if personal { &[] } else { &["persons.name", "source.contact", "signature"] };
        assert_eq!(parsed.withheld, withheld);
        assert_eq!(parsed.signature.is_some(), personal);
        assert!(!text.contains("personal_salt"), "{text}");
    }

    #[test]
    fn a_claim_without_personal_data_keeps_its_payload_bytes() {
        // Claims journalled before persons and contacts existed hash as they did.
        let input: ClaimInput = serde_json::from_value(serde_json::json!({
            "claimant": "AAA",
            "source": {"kind": "media", "name": "Paper"},
            "event_type": "shelling",
            "occurred": {"from": "2021-11-16"},
            "narrative": {"lang": "en", "text": "Shelling"}
        }))
        .expect("shape");
        let body = input.validate(&scenario()).expect("valid");
        assert!(!body.has_personal_data() && body.personal_salt.is_none());
        let json = serde_json::to_string(&body).expect("serialises");
        assert!(!json.contains("persons") && !json.contains("contact"), "{json}");
        let back: ClaimBody = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, body);
    }

    #[test]
    fn persons_are_checked_field_by_field() {
        let input: ClaimInput = serde_json::from_value(serde_json::json!({
            "claimant": "AAA",
            "source": {"kind": "media", "name": "Paper", "contact": "x".repeat(501)},
            "event_type": "shelling",
            "occurred": {"from": "2021-11-16"},
            "narrative": {"lang": "en", "text": "Shelling"},
            "persons": [
                {"name": " ", "role": "detained"},
                {"name": "A B", "role": "hostage", "party": "ZZZ", "category": "police"},
                {"role": "witness"}
            ]
        }))
        .expect("shape");
        let e = input.validate(&scenario()).expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "source.contact",
                "persons[0].name",
                "persons[1].role",
                "persons[1].party",
                "persons[1].category",
                "persons[2].name"
            ],
            "{e:?}"
        );
        assert!(e.0[2].reason.contains("detained, killed, wounded, missing, witness, other"), "{e:?}");
    }
}
