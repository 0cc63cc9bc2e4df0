//! The claim a client sends, and its validation into a `ClaimBody`.

use super::*;
use crate::error::FieldErrors;
use crate::geo::Allowed;
use serde_json::Value;

/// Longest narrative accepted, in characters.
pub const MAX_NARRATIVE_CHARS: usize = 100_000;
const MAX_COUNT: u32 = 10_000_000;
/// Most persons one claim may name.
pub const MAX_PERSONS: usize = 1_000;

/// A claim as submitted. Every field is checked by `validate`; missing required fields are
/// reported with the rest rather than stopping at the first.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "claimant": "ARM",
    "source": {"kind": "official_statement", "name": "Ministry of Defence"},
    "accused": "AZE",
    "event_type": "armed_clash",
    "occurred": {"from": "2021-11-16", "precision": "day"},
    "location": {"place": "mount-kilisali", "precision": "locality"},
    "casualties": [{"party": "ARM", "category": "military", "captured": 12}],
    "provisions_violated": ["P1"],
    "narrative": {"lang": "en", "text": "Clashes near Mount Kilisali; 12 soldiers captured."}
}))]
pub struct ClaimInput {
    /// Party making the claim (required).
    #[schema(required = true)]
    pub claimant: Option<String>,
    /// Source of the claim (required).
    #[schema(required = true)]
    pub source: Option<SourceInput>,
    /// Party accused, or null.
    pub accused: Option<String>,
    /// Event type id from the taxonomy (required).
    #[schema(required = true)]
    pub event_type: Option<String>,
    /// When it happened (required).
    #[schema(required = true)]
    pub occurred: Option<IntervalInput>,
    /// Where it happened.
    pub location: Option<LocationInput>,
    /// Casualties by party and category.
    #[serde(default)]
    pub casualties: Vec<CasualtyInput>,
    /// Provision ids the claim says were violated.
    #[serde(default)]
    pub provisions_violated: Vec<String>,
    /// The claim's words in their original language (required).
    #[schema(required = true)]
    pub narrative: Option<NarrativeInput>,
    /// Evidence by SHA-256.
    #[serde(default)]
    pub attachments: Vec<AttachmentInput>,
    /// Labels such as `demo`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The submitter's signature over this claim (see `truce submit --sign`).
    pub signature: Option<signing::SignatureInput>,
    /// People the claim names: detainees, the dead, wounded or missing, witnesses. Personal
    /// data: names are shown only to monitors and the submitting organisation.
    #[serde(default)]
    pub persons: Vec<PersonInput>,
}

/// A person as submitted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// The name as the source gives it (required).
    #[schema(required = true)]
    pub name: Option<String>,
    /// detained, killed, wounded, missing, witness or other (required).
    #[schema(required = true)]
    pub role: Option<String>,
    /// The party they belong to or serve.
    pub party: Option<String>,
    /// military or civilian.
    pub category: Option<String>,
}

/// Source as submitted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInput {
    /// party_report, monitor_report, official_statement, media, social_media, witness, other.
    #[schema(required = true)]
    pub kind: Option<String>,
    /// Name of the source.
    #[schema(required = true)]
    pub name: Option<String>,
    /// http(s) URL.
    pub url: Option<String>,
    /// How to reach the source (personal data: shown only to monitors and the submitting
    /// organisation).
    pub contact: Option<String>,
}

/// Interval as submitted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntervalInput {
    /// RFC 3339 with offset, `YYYY-MM-DD` or `YYYY-MM` (required).
    #[schema(required = true)]
    pub from: Option<String>,
    /// Same forms; defaults to the end of `from`'s precision.
    pub to: Option<String>,
    /// exact, hour, day, week or month; implied by `from` when absent.
    pub precision: Option<String>,
}

/// Location as submitted: a place, a geometry, or both.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    /// Gazetteer place id.
    pub place: Option<String>,
    /// GeoJSON Point, LineString or Polygon.
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<Value>,
    /// exact, approximate, locality, district or region.
    pub precision: Option<String>,
}

/// Casualties as submitted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CasualtyInput {
    /// Whose casualties (party id).
    #[schema(required = true)]
    pub party: Option<String>,
    /// military or civilian.
    #[schema(required = true)]
    pub category: Option<String>,
    /// Count: integer or {"min", "max"}.
    #[schema(value_type = Option<Object>)]
    pub killed: Option<Value>,
    /// Count: integer or {"min", "max"}.
    #[schema(value_type = Option<Object>)]
    pub wounded: Option<Value>,
    /// Count: integer or {"min", "max"}.
    #[schema(value_type = Option<Object>)]
    pub captured: Option<Value>,
    /// Count: integer or {"min", "max"}.
    #[schema(value_type = Option<Object>)]
    pub missing: Option<Value>,
}

/// Narrative as submitted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NarrativeInput {
    /// Language tag, e.g. `ar`.
    #[schema(required = true)]
    pub lang: Option<String>,
    /// The text.
    #[schema(required = true)]
    pub text: Option<String>,
}

/// Attachment as submitted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    /// SHA-256 of the content, hex.
    #[schema(required = true)]
    pub sha256: Option<String>,
    /// File name.
    pub name: Option<String>,
    /// Media type.
    pub media_type: Option<String>,
}

/// Most claims in one batch.
pub const MAX_BATCH_CLAIMS: usize = 1000;

/// A batch of claims as submitted, recorded all or none.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimBatch {
    /// The claims, 1 to 1000.
    #[schema(required = true)]
    pub claims: Vec<ClaimInput>,
}

impl ClaimBatch {
    /// Checks every claim; errors are named `claims[i].field`. All claims, or every error.
    pub fn validate(self, scenario: &Scenario) -> Result<Vec<ClaimBody>, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.claims.is_empty() {
            e.push("claims", "at least one claim is required");
        }
        if self.claims.len() > MAX_BATCH_CLAIMS {
            e.push("claims", format!("at most {MAX_BATCH_CLAIMS} claims per batch, not {}", self.claims.len()));
        }
        if !e.is_empty() {
            return Err(e);
        }
        let mut out = Vec::with_capacity(self.claims.len());
        for (i, input) in self.claims.into_iter().enumerate() {
            match input.validate(scenario) {
                Ok(c) => out.push(c),
                Err(errs) => {
                    for f in errs.0 {
                        e.push(format!("claims[{i}].{}", f.field), f.reason);
                    }
                }
            }
        }
        e.into_result(out)
    }
}

pub(super) fn parse_count(v: &Value) -> Result<Count, String> {
    let num = |v: &Value, what: &str| -> Result<u32, String> {
        v.as_u64()
            .filter(|n| *n <= u64::from(MAX_COUNT))
            .map(|n| n as u32)
            .ok_or_else(|| format!("{what} must be a whole number from 0 to {MAX_COUNT}, not {v}"))
    };
    match v {
        Value::Number(_) => num(v, "a count").map(Count::exact),
        Value::Object(m) => {
            if let Some(k) = m.keys().find(|k| *k != "min" && *k != "max") {
                return Err(format!("unknown key {k:?}; a bounded count has \"min\" and \"max\""));
            }
            let min = match m.get("min") {
                Some(v) => num(v, "min")?,
                None => return Err("a bounded count needs \"min\"".into()),
            };
            let max = m.get("max").map(|v| num(v, "max")).transpose()?;
            if let Some(max) = max
                && max < min
            {
                return Err(format!("max {max} is below min {min}"));
            }
            Ok(Count { min, max })
        }
        _ => Err(format!("a count is a whole number or {{\"min\", \"max\"}}, not {v}")),
    }
}

fn required<'a>(v: &'a Option<String>, field: &str, e: &mut FieldErrors) -> Option<&'a str> {
    match v.as_deref().map(str::trim) {
        None => {
            e.push(field, "is required");
            None
        }
        Some("") => {
            e.push(field, "must not be blank");
            None
        }
        Some(s) => Some(s),
    }
}

/// The scenario's party with id `s`, or an error recorded under `field`.
pub(super) fn party(s: &str, scenario: &Scenario, field: &str, e: &mut FieldErrors) -> Option<PartyId> {
    match PartyId::parse(s) {
        Ok(id) if scenario.party(id.as_str()).is_some() => Some(id),
        Ok(id) => {
            e.push(field, format!("no party {:?} in this scenario", id.as_str()));
            None
        }
        Err(err) => {
            e.push(field, err.to_string());
            None
        }
    }
}

/// The taxonomy's event type with id `s`, or an error recorded under `field`.
pub(super) fn event_type(s: &str, scenario: &Scenario, field: &str, e: &mut FieldErrors) -> Option<EventTypeId> {
    match EventTypeId::parse(s) {
        Ok(id) if scenario.taxonomy.get(id.as_str()).is_some() => Some(id),
        Ok(id) => {
            e.push(field, format!("no event type {:?} in the taxonomy", id.as_str()));
            None
        }
        Err(err) => {
            e.push(field, err.to_string());
            None
        }
    }
}

fn source_kind(s: &str) -> Result<SourceKind, String> {
    serde_json::from_value(Value::String(s.to_owned())).map_err(|_| {
        format!(
            "{s:?} is not one of party_report, monitor_report, official_statement, media, social_media, witness, other"
        )
    })
}

/// An http(s) URL of reasonable length, or why not.
pub fn check_url(s: &str) -> Result<String, String> {
    let lower = s.to_ascii_lowercase();
    if s.len() > 2048 {
        return Err("is longer than 2048 characters".into());
    }
    if !(lower.starts_with("http://") || lower.starts_with("https://"))
        || s.len() < 10
        || s.contains(char::is_whitespace)
    {
        return Err(format!("{s:?} is not an http(s) URL"));
    }
    Ok(s.to_owned())
}

fn bounded_text(s: &str, max: usize, field: &str, e: &mut FieldErrors) -> Option<String> {
    let t = s.trim();
    if t.chars().count() > max {
        e.push(field, format!("is longer than {max} characters"));
        return None;
    }
    Some(t.to_owned())
}

impl ClaimInput {
    /// Checks every field against the scenario. Returns the claim, or every error.
    pub fn validate(self, scenario: &Scenario) -> Result<ClaimBody, FieldErrors> {
        let mut e = FieldErrors::new();

        let claimant =
            required(&self.claimant, "claimant", &mut e).and_then(|s| party(s, scenario, "claimant", &mut e));

        let source = match &self.source {
            None => {
                e.push("source", "is required");
                None
            }
            Some(s) => {
                let kind = required(&s.kind, "source.kind", &mut e).and_then(|k| e.take("source.kind", source_kind(k)));
                let name =
                    required(&s.name, "source.name", &mut e).and_then(|n| bounded_text(n, 500, "source.name", &mut e));
                let url = s.url.as_deref().and_then(|u| e.take("source.url", check_url(u.trim())));
                let contact = s
                    .contact
                    .as_deref()
                    .filter(|c| !c.trim().is_empty())
                    .and_then(|c| bounded_text(c, 500, "source.contact", &mut e));
                match (kind, name) {
                    (Some(kind), Some(name)) => Some(Source { kind, name, url, contact, draft: None }),
                    _ => None,
                }
            }
        };

        let contact_given = source.as_ref().is_some_and(|s: &Source| s.contact.is_some());
        let accused = self.accused.as_deref().and_then(|s| party(s.trim(), scenario, "accused", &mut e));

        let event_type = required(&self.event_type, "event_type", &mut e)
            .and_then(|s| event_type(s, scenario, "event_type", &mut e));

        let occurred = match &self.occurred {
            None => {
                e.push("occurred", "is required");
                None
            }
            Some(i) => Interval::parse(i.from.as_deref(), i.to.as_deref(), i.precision.as_deref(), "occurred", &mut e),
        };

        let location = self.location.as_ref().and_then(|l| validate_location(l, scenario, &mut e));

        let mut casualties = Vec::with_capacity(self.casualties.len());
        for (i, c) in self.casualties.iter().enumerate() {
            let f = format!("casualties[{i}]");

            let p = required(&c.party, &format!("{f}.party"), &mut e)
                .and_then(|s| party(s, scenario, &format!("{f}.party"), &mut e));
            let cat = required(&c.category, &format!("{f}.category"), &mut e)
                .and_then(|s| casualty_category(s, &format!("{f}.category"), &mut e));
            let mut count = |v: &Option<Value>, name: &str| {
                v.as_ref().filter(|v| !v.is_null()).and_then(|v| e.take(format!("{f}.{name}"), parse_count(v)))
            };
            let killed = count(&c.killed, "killed");
            let wounded = count(&c.wounded, "wounded");
            let captured = count(&c.captured, "captured");
            let missing = count(&c.missing, "missing");
            let given = [&c.killed, &c.wounded, &c.captured, &c.missing]
                .iter()
                .any(|v| v.as_ref().is_some_and(|v| !v.is_null()));
            if !given {
                e.push(f.clone(), "give at least one of killed, wounded, captured, missing");
            }
            if let (Some(party), Some(category)) = (p, cat) {
                if casualties.iter().any(|o: &Casualty| o.party == party && o.category == category) {
                    e.push(f, format!("{} {:?} casualties are listed twice", party.as_str(), category));
                } else {
                    casualties.push(Casualty { party, category, killed, wounded, captured, missing });
                }
            }
        }

        if self.persons.len() > MAX_PERSONS {
            e.push("persons", format!("at most {MAX_PERSONS} persons in one claim"));
        }
        let mut persons = Vec::with_capacity(self.persons.len());
        for (i, p) in self.persons.iter().enumerate().take(MAX_PERSONS) {
            let f = format!("persons[{i}]");
            let name = required(&p.name, &format!("{f}.name"), &mut e)
                .and_then(|n| bounded_text(n, 200, &format!("{f}.name"), &mut e));
            let role = required(&p.role, &format!("{f}.role"), &mut e).and_then(|r| {
                let found = PersonRole::ALL.into_iter().find(|x| x.as_str() == r.trim());
                if found.is_none() {
                    let all: Vec<&str> = PersonRole::ALL.iter().map(|x| x.as_str()).collect();
                    e.push(format!("{f}.role"), format!("{r:?} is not one of {}", all.join(", ")));
                }
                found
            });
            let party = p.party.as_deref().and_then(|s| party(s.trim(), scenario, &format!("{f}.party"), &mut e));
            let category =
                p.category.as_deref().and_then(|s| casualty_category(s.trim(), &format!("{f}.category"), &mut e));
            if let (Some(name), Some(role)) = (name, role) {
                persons.push(Person { name, role, party, category });
            }
        }

        let mut provisions_violated: Vec<ProvisionId> = Vec::new();
        for (i, p) in self.provisions_violated.iter().enumerate() {
            let f = format!("provisions_violated[{i}]");
            match ProvisionId::parse(p.trim()) {
                Ok(id) if scenario.provision(id.as_str()).is_none() => {
                    e.push(f, format!("no provision {:?} in this scenario", id.as_str()))
                }
                Ok(id) if provisions_violated.contains(&id) => e.push(f, format!("{:?} is listed twice", id.as_str())),
                Ok(id) => provisions_violated.push(id),
                Err(err) => e.push(f, err.to_string()),
            }
        }

        let narrative = match &self.narrative {
            None => {
                e.push("narrative", "is required");
                None
            }
            Some(n) => {
                let lang =
                    required(&n.lang, "narrative.lang", &mut e).and_then(|l| e.take("narrative.lang", Lang::parse(l)));
                let text = required(&n.text, "narrative.text", &mut e)
                    .and_then(|t| bounded_text(t, MAX_NARRATIVE_CHARS, "narrative.text", &mut e));
                match (lang, text) {
                    (Some(lang), Some(text)) => Some(Narrative { lang, text }),
                    _ => None,
                }
            }
        };

        let mut attachments = Vec::with_capacity(self.attachments.len());
        for (i, a) in self.attachments.iter().enumerate() {
            let f = format!("attachments[{i}]");
            let sha = required(&a.sha256, &format!("{f}.sha256"), &mut e).and_then(|s| {
                let s = s.to_ascii_lowercase();
                if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
                    Some(s)
                } else {
                    e.push(format!("{f}.sha256"), "is not 64 hexadecimal digits");
                    None
                }
            });
            let name = a.name.as_deref().and_then(|n| bounded_text(n, 255, &format!("{f}.name"), &mut e));
            let media_type =
                a.media_type.as_deref().and_then(|m| bounded_text(m, 255, &format!("{f}.media_type"), &mut e));
            if let Some(sha256) = sha {
                attachments.push(Attachment { sha256, name, media_type });
            }
        }

        let mut tags = Vec::with_capacity(self.tags.len());
        if self.tags.len() > 32 {
            e.push("tags", "at most 32 tags");
        }
        for (i, t) in self.tags.iter().enumerate() {
            if let Some(t) = e.take(format!("tags[{i}]"), Tag::parse(t.trim()))
                && !tags.contains(&t)
            {
                tags.push(t);
            }
        }

        match (claimant, source, event_type, occurred, narrative) {
            (Some(claimant), Some(source), Some(event_type), Some(occurred), Some(narrative)) if e.is_empty() => {
                Ok(ClaimBody {
                    claimant,
                    source,
                    accused,
                    event_type,
                    occurred,
                    location,
                    casualties,
                    provisions_violated,
                    narrative,
                    attachments,
                    tags,
                    signature: None,
                    personal_salt: (contact_given || !persons.is_empty()).then(|| crate::users::random_secret("")),
                    persons,
                })
            }
            _ => Err(e),
        }
    }
}

fn casualty_category(s: &str, field: &str, e: &mut FieldErrors) -> Option<CasualtyCategory> {
    match s {
        "military" => Some(CasualtyCategory::Military),
        "civilian" => Some(CasualtyCategory::Civilian),
        _ => {
            e.push(field, format!("{s:?} is not military or civilian"));
            None
        }
    }
}

fn validate_location(l: &LocationInput, scenario: &Scenario, e: &mut FieldErrors) -> Option<Location> {
    let place = l.place.as_deref().map(str::trim).and_then(|p| match PlaceId::parse(p) {
        Ok(id) if scenario.place(id.as_str()).is_some() => Some(id),
        Ok(id) => {
            e.push("location.place", format!("no place {:?} in the gazetteer", id.as_str()));
            None
        }
        Err(err) => {
            e.push("location.place", err.to_string());
            None
        }
    });
    let geometry = l
        .geometry
        .as_ref()
        .filter(|g| !g.is_null())
        .and_then(|g| Geometry::parse(g, Allowed::Simple, "location.geometry", e));
    let precision =
        l.precision.as_deref().and_then(|p| e.take("location.precision", LocationPrecision::parse(p.trim())));
    if l.place.is_none() && l.geometry.as_ref().is_none_or(Value::is_null) {
        e.push("location", "give a place, a geometry, or both");
        return None;
    }
    if place.is_none() && geometry.is_none() {
        return None;
    }
    let precision =
        precision.unwrap_or(if geometry.is_some() { LocationPrecision::Exact } else { LocationPrecision::Locality });
    Some(Location { place, geometry, precision })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::scenario;
    use serde_json::json;

    fn input(v: Value) -> ClaimInput {
        serde_json::from_value(v).expect("shape is right")
    }

    fn good() -> Value {
        json!({
            "claimant": "AAA",
            "source": {"kind": "official_statement", "name": "MoD A", "url": "https://example.org/a"},
            "accused": "BBB",
            "event_type": "shelling",
            "occurred": {"from": "2021-11-16", "precision": "day"},
            "location": {"place": "town"},
            "casualties": [{"party": "AAA", "category": "military", "killed": {"min": 1}, "captured": 12}],
            "provisions_violated": ["P1"],
            "narrative": {"lang": "en", "text": "Shelling near the town."},
            "tags": ["demo"]
        })
    }

    #[test]
    fn a_good_claim_validates() {
        let c = input(good()).validate(&scenario()).expect("valid");
        assert_eq!(c.claimant.as_str(), "AAA");
        assert_eq!(c.casualties[0].captured, Some(Count::exact(12)));
        assert_eq!(c.casualties[0].killed, Some(Count { min: 1, max: None }));
        assert_eq!(c.location.as_ref().map(|l| l.precision), Some(LocationPrecision::Locality));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut v = good();
        v["claimant"] = Value::Null;
        v["accused"] = json!("ZZZ");
        v["event_type"] = json!("teleportation");
        v["occurred"] = json!({"from": "2021-11-16", "to": "2021-11-10"});
        v["location"] = json!({"geometry": {"type": "Point", "coordinates": [46.0, 95.0]}});
        v["provisions_violated"] = json!(["P9"]);
        v["casualties"][0]["wounded"] = json!(-3);
        let err = input(v).validate(&scenario()).expect_err("invalid");
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "claimant",
                "accused",
                "event_type",
                "occurred.to",
                "location.geometry.coordinates[1]",
                "casualties[0].wounded",
                "provisions_violated[0]"
            ]
        );
    }

    #[test]
    fn unknown_place_is_refused() {
        let mut v = good();
        v["location"] = json!({"place": "atlantis"});
        let err = input(v).validate(&scenario()).expect_err("invalid");
        assert_eq!(err.0[0].field, "location.place");
    }

    #[test]
    fn counts_accept_numbers_and_bounds_only() {
        assert_eq!(parse_count(&json!(3)), Ok(Count::exact(3)));
        assert_eq!(parse_count(&json!({"min": 2, "max": 5})), Ok(Count { min: 2, max: Some(5) }));
        assert!(parse_count(&json!({"min": 5, "max": 2})).is_err());
        assert!(parse_count(&json!(1.5)).is_err());
        assert!(parse_count(&json!("three")).is_err());
        assert!(parse_count(&json!({"max": 2})).is_err());
    }

    #[test]
    fn counts_round_trip() {
        for c in [Count::exact(4), Count { min: 10, max: None }, Count { min: 20, max: Some(99) }] {
            let v = serde_json::to_value(c).expect("serialises");
            assert_eq!(parse_count(&v), Ok(c));
        }
    }

    proptest::proptest! {
        #[test]
        fn validation_never_panics(
            claimant in proptest::option::of("[A-Za-z]{0,5}"),
            from in proptest::option::of("[0-9T:Z-]{0,25}"),
            lat in -200.0f64..200.0,
            lon in -400.0f64..400.0,
            killed in proptest::option::of(-5i64..5),
        ) {
            let v = json!({
                "claimant": claimant,
                "source": {"kind": "media", "name": "x"},
                "event_type": "shelling",
                "occurred": {"from": from},
                "location": {"geometry": {"type": "Point", "coordinates": [lon, lat]}},
                "casualties": [{"party": "AAA", "category": "civilian", "killed": killed}],
                "narrative": {"lang": "en", "text": "t"}
            });
            let ok_pos = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
            let r = input(v).validate(&scenario());
            if let Ok(c) = &r {
                proptest::prop_assert!(ok_pos);
                proptest::prop_assert!(c.occurred.from <= c.occurred.to);
            }
            if !ok_pos {
                proptest::prop_assert!(r.is_err());
            }
        }
    }
}
