//! Loading a scenario directory from its files' text.

use super::*;
use crate::error::FieldErrors;
use crate::geo::Allowed;
use crate::ids::Lang;
use std::fmt;

/// The text of a scenario directory's files, with their names for error messages.
#[derive(Debug, Clone)]
pub struct ScenarioFiles {
    /// `scenario.toml`: the agreement, parties, provisions, settings.
    pub scenario: (String, String),
    /// `zones.geojson`.
    pub zones: (String, String),
    /// `posts.geojson`.
    pub posts: (String, String),
    /// `gazetteer.json`, generated from GeoNames.
    pub gazetteer: (String, String),
    /// `gazetteer-overlay.toml`, reviewed additions, if present.
    pub overlay: Option<(String, String)>,
    /// The taxonomy file: the scenario's own `taxonomy.toml` or the shipped default.
    pub taxonomy: (String, String),
    /// `intake-actors.toml`: who speaks in the region's press, if present.
    pub intake_actors: Option<(String, String)>,
}

/// The actors file of the news intake.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorsFile {
    actors: Vec<super::IntakeActor>,
}

/// Reads `intake-actors.toml`: every actor names a party code and at least one name.
fn load_actors(file: Option<&(String, String)>, issues: &mut Issues) -> Vec<super::IntakeActor> {
    let Some((name, text)) = file else { return Vec::new() };
    let parsed: ActorsFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            issues.push(name, "", format!("is not a valid actors file: {e}"));
            return Vec::new();
        }
    };
    for (i, a) in parsed.actors.iter().enumerate() {
        if a.party.trim().is_empty() {
            issues.push(name, format!("actors[{i}].party"), "is empty");
        }
        if a.names.values().all(Vec::is_empty) {
            issues.push(name, format!("actors[{i}]"), "names the actor in no language");
        }
    }
    parsed.actors
}

/// One problem in a scenario's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioIssue {
    /// The file it is in.
    pub file: String,
    /// The field, as a path.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

/// Every problem found while loading a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub Vec<ScenarioIssue>);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the scenario has {} problem(s):", self.0.len())?;
        for i in &self.0 {
            if i.field.is_empty() {
                writeln!(f, "  {}: {}", i.file, i.reason)?;
            } else {
                writeln!(f, "  {}: {}: {}", i.file, i.field, i.reason)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    format: u32,
    id: String,
    title: Names,
    #[serde(with = "crate::time::millis_rfc3339")]
    signed_at: DateTime<Utc>,
    #[serde(with = "crate::time::millis_rfc3339")]
    effective_at: DateTime<Utc>,
    languages: Vec<Lang>,
    bbox: [f64; 4],
    #[serde(default)]
    illustrative_geometry: bool,
    #[serde(default)]
    settings: Settings,
    parties: Vec<Party>,
    provisions: Vec<Provision>,
    #[serde(default)]
    witnesses: Option<super::WitnessPlan>,
    #[serde(default)]
    verification: super::Verification,
}

#[derive(Deserialize)]
struct RawZoneProps {
    id: ZoneId,
    kind: ZoneKind,
    names: Names,
    #[serde(default)]
    illustrative: bool,
    #[serde(default, with = "super::opt_millis")]
    valid_from: Option<DateTime<Utc>>,
    source: String,
    #[serde(default)]
    provisions: Vec<ProvisionId>,
}

#[derive(Deserialize)]
struct RawPostProps {
    id: PostId,
    kind: PostKind,
    names: Names,
    operator: PartyId,
    #[serde(default, with = "super::opt_millis")]
    opened_at: Option<DateTime<Utc>>,
    #[serde(default)]
    zone: Option<ZoneId>,
    #[serde(default)]
    illustrative: bool,
}

#[derive(Deserialize)]
struct RawGazetteer {
    format: u32,
    #[serde(default)]
    #[allow(dead_code)]
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    license: String,
    places: Vec<Place>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverlay {
    places: Vec<OverlayPlace>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayPlace {
    id: PlaceId,
    kind: Option<PlaceKind>,
    lat: Option<f64>,
    lon: Option<f64>,
    country: Option<String>,
    #[serde(default)]
    names: Names,
    #[serde(default)]
    aliases: BTreeMap<Lang, Vec<String>>,
    /// Why the entry exists and how sure it is: required, the overlay is reviewed data.
    note: String,
    /// Date of the last human review (YYYY-MM-DD): required.
    reviewed: String,
}

struct Issues(Vec<ScenarioIssue>);

impl Issues {
    fn push(&mut self, file: &str, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(ScenarioIssue { file: file.to_owned(), field: field.into(), reason: reason.into() });
    }
}

impl Scenario {
    /// Parses and checks a scenario from its files' text. Every problem names its file
    /// and field.
    pub fn load(files: &ScenarioFiles) -> Result<Scenario, ScenarioError> {
        let mut issues = Issues(Vec::new());

        let (tax_name, tax_text) = &files.taxonomy;
        let taxonomy = match Taxonomy::from_toml(tax_text) {
            Ok(t) => Some(t),
            Err(es) => {
                for (field, reason) in es {
                    issues.push(tax_name, field, reason);
                }
                None
            }
        };

        let (sc_name, sc_text) = &files.scenario;
        let raw: Option<RawScenario> = match toml::from_str(sc_text) {
            Ok(r) => Some(r),
            Err(e) => {
                issues.push(sc_name, "", e.to_string().trim_end());
                None
            }
        };

        let zones = load_zones(&files.zones, &mut issues);
        let posts = load_posts(&files.posts, &mut issues);
        let places = load_places(&files.gazetteer, files.overlay.as_ref(), &mut issues);
        let intake_actors = load_actors(files.intake_actors.as_ref(), &mut issues);

        let (Some(raw), Some(taxonomy), Some(zones), Some(posts), Some(places)) = (raw, taxonomy, zones, posts, places)
        else {
            return Err(ScenarioError(issues.0));
        };

        let bbox = match BBox::from_array(raw.bbox) {
            Ok(b) => b,
            Err(e) => {
                issues.push(sc_name, "bbox", e);
                BBox { min_lon: -180.0, min_lat: -90.0, max_lon: 180.0, max_lat: 90.0 }
            }
        };
        let scenario = Scenario {
            id: raw.id,
            title: raw.title,
            signed_at: raw.signed_at,
            effective_at: raw.effective_at,
            languages: raw.languages,
            bbox,
            illustrative_geometry: raw.illustrative_geometry,
            settings: raw.settings,
            parties: raw.parties,
            provisions: raw.provisions,
            zones,
            places,
            posts,
            taxonomy,
            witnesses: raw.witnesses,
            verification: raw.verification,
            intake_actors,
        };
        if raw.format != 1 {
            issues.push(sc_name, "format", format!("format {} is not supported; expected 1", raw.format));
        }
        scenario.check(files, &mut issues);
        if issues.0.is_empty() { Ok(scenario) } else { Err(ScenarioError(issues.0)) }
    }

    fn check(&self, files: &ScenarioFiles, issues: &mut Issues) {
        let sc = files.scenario.0.as_str();
        let zf = files.zones.0.as_str();
        let pf = files.posts.0.as_str();
        let gf = files.gazetteer.0.as_str();

        let mut e = FieldErrors::new();
        if crate::ids::PlaceId::parse(&self.id).is_err() {
            e.push("id", format!("{:?} is not a slug (letters, digits, - _ .)", self.id));
        }
        if let Err(r) = self.title.check() {
            e.push("title", r);
        }
        if self.languages.is_empty() {
            e.push("languages", "at least one language is required");
        }
        if self.effective_at < self.signed_at {
            e.push("effective_at", "is before signed_at");
        }
        if !(0.0..=1.0).contains(&self.settings.incident_auto_attach_threshold) {
            e.push("settings.incident_auto_attach_threshold", "must be between 0 and 1");
        }
        if self.parties.is_empty() {
            e.push("parties", "at least one party is required");
        }
        if let Some(m) = &self.settings.mission {
            match self.party(m.as_str()) {
                None => e.push("settings.mission", format!("no party {:?} in parties", m.as_str())),
                Some(p) if !p.roles.contains(&PartyRole::Monitor) => {
                    e.push("settings.mission", format!("{:?} does not have the monitor role", m.as_str()))
                }
                Some(_) => {}
            }
        }
        if let Some(w) = &self.witnesses {
            for (i, p) in w.parties.iter().enumerate() {
                if self.party(p.as_str()).is_none() {
                    e.push(format!("witnesses.parties[{i}]"), format!("no party {:?} in parties", p.as_str()));
                } else if w.parties[..i].contains(p) {
                    e.push(format!("witnesses.parties[{i}]"), format!("{:?} is listed twice", p.as_str()));
                }
            }
            if w.quorum == 0 || w.quorum as usize > w.parties.len() {
                e.push("witnesses.quorum", format!("must be between 1 and the {} witnesses listed", w.parties.len()));
            }
        }
        for state in self.verification.deadlines_hours.keys() {
            match crate::incidents::State::parse(state) {
                Ok(crate::incidents::State::Merged | crate::incidents::State::Published) | Err(_) => e.push(
                    format!("verification.deadlines_hours.{state}"),
                    "not a state with a deadline: reported, under_review, access_denied, finding_proposed, endorsed, disputed, reopened",
                ),
                Ok(_) => {}
            }
        }
        if let Some(rule) = &self.verification.endorsement {
            let f = |n: &str| format!("verification.endorsement.{n}");
            if let Err(r) = rule.body.check() {
                e.push(f("body"), r);
            }
            for (i, m) in rule.members.iter().enumerate() {
                if let Err(err) = crate::ids::UserName::parse(&m.user) {
                    e.push(f(&format!("members[{i}].user")), err.to_string());
                } else if rule.members[..i].iter().any(|o| o.user == m.user) {
                    e.push(f(&format!("members[{i}].user")), format!("{:?} is listed twice", m.user));
                }
                if m.group.trim().is_empty() {
                    e.push(f(&format!("members[{i}].group")), "is required");
                }
            }
            if rule.required == 0 || rule.required as usize > rule.members.len() {
                e.push(f("required"), format!("must be between 1 and the {} members", rule.members.len()));
            }
            for (i, g) in rule.groups_required.iter().enumerate() {
                if !rule.members.iter().any(|m| &m.group == g) {
                    e.push(f(&format!("groups_required[{i}]")), format!("no member is in group {g:?}"));
                }
            }
        }
        for (i, p) in self.parties.iter().enumerate() {
            if self.parties[..i].iter().any(|o| o.id == p.id) {
                e.push(format!("parties[{i}].id"), format!("duplicate party id {:?}", p.id.as_str()));
            }
            if p.roles.is_empty() {
                e.push(format!("parties[{i}].roles"), "at least one role is required");
            }
            if let Err(r) = p.names.check() {
                e.push(format!("parties[{i}].names"), r);
            }
        }
        for (i, p) in self.provisions.iter().enumerate() {
            let f = format!("provisions[{i}]");
            if self.provisions[..i].iter().any(|o| o.id == p.id) {
                e.push(format!("{f}.id"), format!("duplicate provision id {:?}", p.id.as_str()));
            }
            if let Err(r) = p.title.check() {
                e.push(format!("{f}.title"), r);
            }
            if let Err(r) = p.text.check() {
                e.push(format!("{f}.text"), r);
            }
            self.check_parties(&p.obligated, &format!("{f}.obligated"), &mut e);
            for (j, d) in p.deadlines.iter().enumerate() {
                let g = format!("{f}.deadlines[{j}]");
                if self.provisions.iter().flat_map(|p| &p.deadlines).filter(|o| o.id == d.id).count() > 1 {
                    e.push(format!("{g}.id"), format!("duplicate deadline id {:?}", d.id));
                }
                if let Err(r) = d.what.check() {
                    e.push(format!("{g}.what"), r);
                }
                if let Some(z) = &d.zone
                    && self.zone(z.as_str()).is_none()
                {
                    e.push(format!("{g}.zone"), format!("no zone {:?} in {zf}", z.as_str()));
                }
                self.check_parties(&d.obligated, &format!("{g}.obligated"), &mut e);
            }
        }
        for err in e.0 {
            issues.push(sc, err.field, err.reason);
        }

        let mut e = FieldErrors::new();
        for (i, z) in self.zones.iter().enumerate() {
            let f = format!("features[{i}].properties");
            if self.zones[..i].iter().any(|o| o.id == z.id) {
                e.push(format!("{f}.id"), format!("duplicate zone id {:?}", z.id.as_str()));
            }
            for (j, p) in z.provisions.iter().enumerate() {
                if self.provision(p.as_str()).is_none() {
                    e.push(format!("{f}.provisions[{j}]"), format!("no provision {:?} in {sc}", p.as_str()));
                }
            }
        }
        for err in e.0 {
            issues.push(zf, err.field, err.reason);
        }

        let mut e = FieldErrors::new();
        for (i, p) in self.posts.iter().enumerate() {
            let f = format!("features[{i}].properties");
            if self.posts[..i].iter().any(|o| o.id == p.id) {
                e.push(format!("{f}.id"), format!("duplicate post id {:?}", p.id.as_str()));
            }
            if self.party(p.operator.as_str()).is_none() {
                e.push(format!("{f}.operator"), format!("no party {:?} in {sc}", p.operator.as_str()));
            }
            if let Some(z) = &p.zone
                && self.zone(z.as_str()).is_none()
            {
                e.push(format!("{f}.zone"), format!("no zone {:?} in {zf}", z.as_str()));
            }
        }
        for err in e.0 {
            issues.push(pf, err.field, err.reason);
        }

        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.places.iter().enumerate() {
            if !seen.insert(p.id.as_str()) {
                issues.push(gf, format!("places[{i}].id"), format!("duplicate place id {:?}", p.id.as_str()));
            }
        }
    }

    fn check_parties(&self, ids: &[PartyId], field: &str, e: &mut FieldErrors) {
        for (i, id) in ids.iter().enumerate() {
            if self.party(id.as_str()).is_none() {
                e.push(format!("{field}[{i}]"), format!("no party {:?}", id.as_str()));
            }
        }
    }
}

fn feature_collection(file: &(String, String), issues: &mut Issues) -> Option<geojson::FeatureCollection> {
    match file.1.parse::<geojson::GeoJson>() {
        Ok(geojson::GeoJson::FeatureCollection(fc)) => Some(fc),
        Ok(_) => {
            issues.push(&file.0, "type", "expected a GeoJSON FeatureCollection");
            None
        }
        Err(e) => {
            issues.push(&file.0, "", format!("is not valid GeoJSON: {e}"));
            None
        }
    }
}

fn properties<T: serde::de::DeserializeOwned>(
    file: &str,
    i: usize,
    feature: &geojson::Feature,
    issues: &mut Issues,
) -> Option<T> {
    let props = serde_json::Value::Object(feature.properties.clone().unwrap_or_default());
    match serde_json::from_value::<T>(props) {
        Ok(p) => Some(p),
        Err(e) => {
            issues.push(file, format!("features[{i}].properties"), e.to_string());
            None
        }
    }
}

fn load_zones(file: &(String, String), issues: &mut Issues) -> Option<Vec<Zone>> {
    let fc = feature_collection(file, issues)?;
    let before = issues.0.len();
    let mut zones = Vec::new();
    for (i, f) in fc.features.iter().enumerate() {
        let Some(p) = properties::<RawZoneProps>(&file.0, i, f, issues) else { continue };
        let mut e = FieldErrors::new();
        if let Err(r) = p.names.check() {
            e.push(format!("features[{i}].properties.names"), r);
        }
        let geometry = match &f.geometry {
            Some(g) => Geometry::from_geojson(&g.value, Allowed::Any, &format!("features[{i}].geometry"), &mut e),
            None => {
                e.push(format!("features[{i}].geometry"), "is required");
                None
            }
        };
        for err in e.0 {
            issues.push(&file.0, err.field, err.reason);
        }
        if let Some(geometry) = geometry {
            zones.push(Zone {
                id: p.id,
                kind: p.kind,
                names: p.names,
                geometry,
                illustrative: p.illustrative,
                valid_from: p.valid_from,
                source: Some(p.source),
                provisions: p.provisions,
            });
        }
    }
    (issues.0.len() == before).then_some(zones)
}

fn load_posts(file: &(String, String), issues: &mut Issues) -> Option<Vec<Post>> {
    let fc = feature_collection(file, issues)?;
    let before = issues.0.len();
    let mut posts = Vec::new();
    for (i, f) in fc.features.iter().enumerate() {
        let Some(p) = properties::<RawPostProps>(&file.0, i, f, issues) else { continue };
        let mut e = FieldErrors::new();
        if let Err(r) = p.names.check() {
            e.push(format!("features[{i}].properties.names"), r);
        }
        let position = match f.geometry.as_ref().map(|g| &g.value) {
            Some(v @ geojson::GeometryValue::Point { .. }) => {
                match Geometry::from_geojson(v, Allowed::Simple, &format!("features[{i}].geometry"), &mut e) {
                    Some(Geometry::Point(p)) => Some(p),
                    _ => None,
                }
            }
            _ => {
                e.push(format!("features[{i}].geometry"), "a post needs a Point geometry");
                None
            }
        };
        for err in e.0 {
            issues.push(&file.0, err.field, err.reason);
        }
        if let Some(position) = position {
            posts.push(Post {
                id: p.id,
                kind: p.kind,
                names: p.names,
                position,
                operator: p.operator,
                opened_at: p.opened_at,
                zone: p.zone,
                illustrative: p.illustrative,
            });
        }
    }
    (issues.0.len() == before).then_some(posts)
}

fn check_place(p: &Place, file: &str, field: &str, issues: &mut Issues) {
    if !p.lon.is_finite() || !(-180.0..=180.0).contains(&p.lon) {
        issues.push(file, format!("{field}.lon"), format!("longitude {} is outside -180..180", p.lon));
    }
    if !p.lat.is_finite() || !(-90.0..=90.0).contains(&p.lat) {
        issues.push(file, format!("{field}.lat"), format!("latitude {} is outside -90..90", p.lat));
    }
    if let Err(r) = p.names.check() {
        issues.push(file, format!("{field}.names"), r);
    }
    if let Some(c) = &p.country
        && !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        issues.push(file, format!("{field}.country"), format!("{c:?} is not an ISO 3166-1 alpha-2 code"));
    }
}

fn load_places(
    gazetteer: &(String, String),
    overlay: Option<&(String, String)>,
    issues: &mut Issues,
) -> Option<Vec<Place>> {
    let before = issues.0.len();
    let raw: RawGazetteer = match serde_json::from_str(&gazetteer.1) {
        Ok(r) => r,
        Err(e) => {
            issues.push(&gazetteer.0, "", e.to_string());
            return None;
        }
    };
    if raw.format != 1 {
        issues.push(&gazetteer.0, "format", format!("format {} is not supported; expected 1", raw.format));
    }
    let mut places = raw.places;
    for (i, p) in places.iter().enumerate() {
        check_place(p, &gazetteer.0, &format!("places[{i}]"), issues);
    }
    if let Some((name, text)) = overlay {
        match toml::from_str::<RawOverlay>(text) {
            Err(e) => issues.push(name, "", e.to_string().trim_end()),
            Ok(o) => {
                for (i, op) in o.places.into_iter().enumerate() {
                    let field = format!("places[{i}]");
                    merge_overlay(&mut places, op, name, &field, issues);
                }
            }
        }
    }
    places.sort_by(|a, b| a.id.cmp(&b.id));
    (issues.0.len() == before).then_some(places)
}

fn merge_overlay(places: &mut Vec<Place>, op: OverlayPlace, file: &str, field: &str, issues: &mut Issues) {
    if op.note.trim().is_empty() {
        issues.push(file, format!("{field}.note"), "must say what the entry is and how sure it is");
    }
    if chrono::NaiveDate::parse_from_str(&op.reviewed, "%Y-%m-%d").is_err() {
        issues.push(file, format!("{field}.reviewed"), format!("{:?} is not a date (YYYY-MM-DD)", op.reviewed));
    }
    if let Some(existing) = places.iter_mut().find(|p| p.id == op.id) {
        for (lang, name) in op.names.0 {
            if let Some(old) = existing.names.0.insert(lang.clone(), name.clone())
                && old != name
            {
                existing.aliases.entry(lang).or_default().push(old);
            }
        }
        for (lang, names) in op.aliases {
            let list = existing.aliases.entry(lang).or_default();
            for n in names {
                if !list.contains(&n) {
                    list.push(n);
                }
            }
        }
        if let Some(k) = op.kind {
            existing.kind = k;
        }
        match (op.lat, op.lon) {
            (Some(lat), Some(lon)) => {
                existing.lat = lat;
                existing.lon = lon;
            }
            (None, None) => {}
            _ => issues.push(file, field, "give lat and lon together"),
        }
        if let Some(c) = op.country {
            existing.country = Some(c).filter(|c| !c.is_empty());
        }
        existing.note = Some(op.note);
        check_place(existing, file, field, issues);
        return;
    }
    let (Some(kind), Some(lat), Some(lon)) = (op.kind, op.lat, op.lon) else {
        issues.push(file, field, "a new place needs kind, lat and lon");
        return;
    };
    let place = Place {
        id: op.id,
        kind,
        lat,
        lon,
        country: op.country.filter(|c| !c.is_empty()),
        names: op.names,
        aliases: op.aliases,
        geonames_id: None,
        note: Some(op.note),
    };
    check_place(&place, file, field, issues);
    places.push(place);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::{self, NO_FEATURES as NO_POSTS, SCENARIO_TOML as SCENARIO};

    fn files(scenario: &str, posts: &str, gazetteer: &str) -> ScenarioFiles {
        let mut f = tests_support::files();
        f.scenario.1 = scenario.into();
        f.posts.1 = posts.into();
        f.gazetteer.1 = gazetteer.into();
        f.zones.1 = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[46,39],[47,40]]},"properties":{"id":"loc","kind":"line_of_contact","names":{"en":"Line"},"illustrative":true,"source":"test"}}]}"#.into();
        f.overlay = Some((
            "gazetteer-overlay.toml".into(),
            "[[places]]\nid = \"hill\"\nkind = \"height\"\nlat = 39.5\nlon = 46.5\nnames = { en = \"Hill 1\" }\nnote = \"test\"\nreviewed = \"2026-11-29\"\n[[places]]\nid = \"town\"\nnames = { ar = \"بلدة\" }\nnote = \"test\"\nreviewed = \"2026-11-29\"\n".into(),
        ));
        f
    }

    const GAZ: &str =
        r#"{"format":1,"places":[{"id":"town","kind":"town","lat":39.0,"lon":46.0,"names":{"en":"Town"}}]}"#;

    #[test]
    fn loads_and_merges_the_overlay() {
        let s = Scenario::load(&files(SCENARIO, NO_POSTS, GAZ)).expect("valid");
        assert_eq!(s.places.len(), 2);
        let town = s.place("town").expect("present");
        assert_eq!(town.names.get("ar"), Some("بلدة"));
        assert_eq!(town.names.get("en"), Some("Town"));
        assert_eq!(s.zones[0].kind, ZoneKind::LineOfContact);
    }

    #[test]
    fn errors_name_file_and_field() {
        let bad_posts = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[46,95]},"properties":{"id":"op1","kind":"observation_post","names":{"en":"OP"},"operator":"ZZZ"}}]}"#;
        let bad_gaz =
            r#"{"format":1,"places":[{"id":"town","kind":"town","lat":39.0,"lon":46.0,"names":{"ru":"Город"}}]}"#;
        let scenario = SCENARIO.replace("obligated = [\"AAA\"]", "obligated = [\"ZZZ\"]");
        let err = Scenario::load(&files(&scenario, bad_posts, bad_gaz)).expect_err("invalid");
        let text = err.to_string();
        assert!(text.contains("posts.geojson: features[0].geometry.coordinates[1]: latitude 95"), "{text}");
        assert!(text.contains("gazetteer.json: places[0].names"), "{text}");
    }

    #[test]
    fn semantic_errors_are_all_reported() {
        let scenario = SCENARIO.replace("obligated = [\"AAA\"]", "obligated = [\"ZZZ\"]");
        let bad_posts = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[46,40]},"properties":{"id":"op1","kind":"observation_post","names":{"en":"OP"},"operator":"ZZZ"}}]}"#;
        let err = Scenario::load(&files(&scenario, bad_posts, GAZ)).expect_err("invalid");
        let fields: Vec<_> = err.0.iter().map(|i| format!("{}:{}", i.file, i.field)).collect();
        assert!(fields.contains(&"scenario.toml:provisions[0].obligated[0]".to_string()), "{fields:?}");
        assert!(fields.contains(&"posts.geojson:features[0].properties.operator".to_string()), "{fields:?}");
    }

    #[test]
    fn witness_plans_name_known_parties_and_a_reachable_quorum() {
        let with = |plan: &str| SCENARIO.replacen("[[parties]]", &format!("{plan}\n[[parties]]"), 1);
        let ok = Scenario::load(&files(&with("[witnesses]\nparties = [\"AAA\", \"BBB\"]\nquorum = 2"), NO_POSTS, GAZ))
            .expect("valid plan");
        let plan = ok.witnesses.expect("plan");
        assert_eq!((plan.parties.len(), plan.quorum), (2, 2));
        let err = Scenario::load(&files(
            &with("[witnesses]\nparties = [\"AAA\", \"ZZZ\", \"AAA\"]\nquorum = 4"),
            NO_POSTS,
            GAZ,
        ))
        .expect_err("invalid plan");
        let fields: Vec<_> = err.0.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["witnesses.parties[1]", "witnesses.parties[2]", "witnesses.quorum"]);
    }

    #[test]
    fn overlay_entries_must_be_reviewed() {
        let mut f = files(SCENARIO, NO_POSTS, GAZ);
        f.overlay = Some((
            "gazetteer-overlay.toml".into(),
            "[[places]]\nid = \"hill\"\nkind = \"height\"\nlat = 39.5\nlon = 46.5\nnames = { en = \"Hill\" }\nnote = \"\"\nreviewed = \"soon\"\n".into(),
        ));
        let err = Scenario::load(&f).expect_err("invalid");
        let fields: Vec<_> = err.0.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["places[0].note", "places[0].reviewed"]);
    }

    #[test]
    fn toml_errors_carry_the_file_name() {
        let err = Scenario::load(&files("format = ", NO_POSTS, GAZ)).expect_err("invalid");
        assert_eq!(err.0[0].file, "scenario.toml");
    }
}
