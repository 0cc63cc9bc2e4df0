//! Exports of claims and incidents: rows with ACLED's column names and codes for the fields
//! that map, GeoJSON features and newline-delimited JSON, all from the JSON views the API
//! serves (so an export shows exactly what its reader may read).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::scenario::Scenario;

/// What is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// Claims.
    Claims,
    /// Incidents.
    Incidents,
}

/// In which format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A GeoJSON FeatureCollection.
    GeoJson,
    /// CSV with ACLED's columns.
    Csv,
    /// One JSON object per line.
    NdJson,
}

impl Format {
    /// The HTTP content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::GeoJson => "application/geo+json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::NdJson => "application/x-ndjson",
        }
    }
}

/// Parses `claims.csv`, `incidents.geojson`, ….
pub fn parse_name(name: &str) -> Result<(Subject, Format), String> {
    let (subject, format) = name.split_once('.').ok_or_else(|| format!("{name:?} is not SUBJECT.FORMAT"))?;
    let subject = match subject {
        "claims" => Subject::Claims,
        "incidents" => Subject::Incidents,
        other => return Err(format!("{other:?} is not claims or incidents")),
    };
    let format = match format {
        "geojson" => Format::GeoJson,
        "csv" => Format::Csv,
        "ndjson" => Format::NdJson,
        other => return Err(format!("{other:?} is not geojson, csv or ndjson")),
    };
    Ok((subject, format))
}

/// ACLED's columns, in ACLED's order (those truce can fill; the rest are left out).
pub const ACLED_COLUMNS: [&str; 22] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "civilian_targeting",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
    "truce_status",
];

/// One CSV row, by ACLED column.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AcledRow(pub Vec<String>);

fn s(v: &Value) -> String {
    v.as_str().map(str::to_owned).unwrap_or_default()
}

/// The box of every position in a GeoJSON geometry's `coordinates`.
fn bbox_of(coords: &Value, b: &mut Option<[f64; 4]>) {
    match coords.as_array() {
        Some(a) if a.len() >= 2 && a[0].is_number() && a[1].is_number() => {
            let (x, y) = (a[0].as_f64().unwrap_or_default(), a[1].as_f64().unwrap_or_default());
            let e = b.get_or_insert([x, y, x, y]);
            *e = [e[0].min(x), e[1].min(y), e[2].max(x), e[3].max(y)];
        }
        Some(a) => a.iter().for_each(|c| bbox_of(c, b)),
        None => {}
    }
}

/// The centre of a box.
fn centre(b: [f64; 4]) -> (f64, f64) {
    ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0)
}

fn party_name(scenario: &Scenario, id: &str) -> String {
    scenario.party(id).map_or_else(|| id.to_owned(), |p| p.names.en().to_owned())
}

/// ACLED time precision: 1 a day or better, 2 a week, 3 a month.
fn time_precision(p: &str) -> &'static str {
    match p {
        "week" => "2",
        "month" => "3",
        _ => "1",
    }
}

/// ACLED geo precision: 1 the place itself, 2 near it or a part of a region, 3 a region.
fn geo_precision(p: &str) -> &'static str {
    match p {
        "district" => "2",
        "region" => "3",
        _ => "1",
    }
}

fn disorder_type(group: &str) -> &'static str {
    match group {
        "violence" | "violation" => "Political violence",
        "political" => "Demonstrations",
        _ => "Strategic developments",
    }
}

fn killed(casualties: &Value) -> u64 {
    casualties.as_array().map_or(0, |cs| {
        cs.iter()
            .map(|c| match &c["killed"] {
                Value::Number(n) => n.as_u64().unwrap_or(0),
                Value::Object(o) => o.get("min").and_then(Value::as_u64).unwrap_or(0),
                _ => 0,
            })
            .sum()
    })
}

/// A claim's ACLED row, from its JSON view.
pub fn claim_row(claim: &Value, scenario: &Scenario) -> AcledRow {
    let event_type = s(&claim["event_type"]);
    let ty = scenario.taxonomy.get(&event_type);
    let from = s(&claim["occurred"]["from"]);
    let mut b = None;
    bbox_of(&claim["location"]["geometry"]["coordinates"], &mut b);
    let (lon, lat) =
        b.map(centre).map_or((String::new(), String::new()), |(x, y)| (format!("{x:.5}"), format!("{y:.5}")));
    let claimant = s(&claim["claimant"]);
    let accused = s(&claim["accused"]);
    // ACLED's actor1 is the side said to have acted; the claimant reports it.
    let (actor1, actor2) = if accused.is_empty() {
        (party_name(scenario, &claimant), String::new())
    } else {
        (party_name(scenario, &accused), party_name(scenario, &claimant))
    };
    let civilians = claim["casualties"].as_array().is_some_and(|cs| cs.iter().any(|c| c["category"] == "civilian"))
        || event_type == "attack_on_civilians";
    let place = &claim["location"]["place"];
    let received = chrono::DateTime::parse_from_rfc3339(&s(&claim["received_at"])).map(|t| t.timestamp()).unwrap_or(0);
    let tags: Vec<String> = claim["tags"].as_array().map(|t| t.iter().map(s).collect()).unwrap_or_default();
    AcledRow(vec![
        s(&claim["id"]),
        from.get(..10).unwrap_or_default().to_owned(),
        from.get(..4).unwrap_or_default().to_owned(),
        time_precision(claim["occurred"]["precision"].as_str().unwrap_or("day")).to_owned(),
        ty.map(|t| disorder_type(&serde_json::to_value(t.group).map(|g| s(&g)).unwrap_or_default()).to_owned())
            .unwrap_or_default(),
        ty.map(|t| t.acled_event_type.clone()).unwrap_or_default(),
        ty.map(|t| t.acled_sub_event_type.clone()).unwrap_or_default(),
        actor1,
        actor2,
        if civilians { "Civilian targeting".into() } else { String::new() },
        scenario
            .places
            .iter()
            .find(|p| p.id.as_str() == place["id"].as_str().unwrap_or_default())
            .and_then(|p| p.country.clone())
            .unwrap_or_default(),
        s(&place["name"]),
        lat,
        lon,
        geo_precision(claim["location"]["precision"].as_str().unwrap_or("approximate")).to_owned(),
        s(&claim["source"]["name"]),
        s(&claim["source"]["kind"]),
        s(&claim["narrative"]["text"]),
        killed(&claim["casualties"]).to_string(),
        tags.join("; "),
        received.to_string(),
        format!("claim by {claimant}"),
    ])
}

/// An incident's ACLED row, from its JSON summary (list item).
pub fn incident_row(incident: &Value, scenario: &Scenario) -> AcledRow {
    let types: Vec<String> = incident["event_types"].as_array().map(|t| t.iter().map(s).collect()).unwrap_or_default();
    let ty = types.first().and_then(|t| scenario.taxonomy.get(t));
    let from = s(&incident["occurred"]["from"]);
    let bbox = incident["bbox"].as_array().and_then(|a| {
        let v: Vec<f64> = a.iter().filter_map(Value::as_f64).collect();
        (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
    });
    let (lon, lat) =
        bbox.map(centre).map_or((String::new(), String::new()), |(x, y)| (format!("{x:.5}"), format!("{y:.5}")));
    let names = |key: &str| {
        incident[key]
            .as_array()
            .map(|a| {
                a.iter().map(|p| party_name(scenario, p.as_str().unwrap_or_default())).collect::<Vec<_>>().join("; ")
            })
            .unwrap_or_default()
    };
    let attribution = s(&incident["attribution"]);
    let actor1 =
        if scenario.party(&attribution).is_some() { party_name(scenario, &attribution) } else { names("accused") };
    AcledRow(vec![
        s(&incident["id"]),
        from.get(..10).unwrap_or_default().to_owned(),
        from.get(..4).unwrap_or_default().to_owned(),
        "1".into(),
        ty.map(|t| disorder_type(&serde_json::to_value(t.group).map(|g| s(&g)).unwrap_or_default()).to_owned())
            .unwrap_or_default(),
        ty.map(|t| t.acled_event_type.clone()).unwrap_or_default(),
        ty.map(|t| t.acled_sub_event_type.clone()).unwrap_or_default(),
        actor1,
        names("claimants"),
        String::new(),
        String::new(),
        String::new(),
        lat,
        lon,
        String::new(),
        "truce incident".into(),
        "monitoring mission".into(),
        format!(
            "{} claim(s) by {}; state {}{}",
            incident["claims"],
            names("claimants"),
            s(&incident["state"]),
            incident["occurrence"].as_str().map(|o| format!("; occurrence {o}")).unwrap_or_default()
        ),
        String::new(),
        types.join("; "),
        String::new(),
        s(&incident["state"]),
    ])
}

/// A claim as a GeoJSON feature (no geometry when it has no location).
pub fn claim_feature(claim: &Value) -> Value {
    let mut props: Map<String, Value> = claim.as_object().cloned().unwrap_or_default();
    let geometry = props.get_mut("location").and_then(|l| l.as_object_mut()).and_then(|l| l.remove("geometry"));
    json!({"type": "Feature", "id": claim["id"], "geometry": geometry.unwrap_or(Value::Null), "properties": props})
}

/// An incident as a GeoJSON feature: the box its claims' locations cover.
pub fn incident_feature(incident: &Value) -> Value {
    let geometry = incident["bbox"].as_array().and_then(|a| {
        let v: Vec<f64> = a.iter().filter_map(Value::as_f64).collect();
        (v.len() == 4).then(|| {
            if v[0] == v[2] && v[1] == v[3] {
                json!({"type": "Point", "coordinates": [v[0], v[1]]})
            } else {
                json!({"type": "Polygon", "coordinates": [[[v[0], v[1]], [v[2], v[1]], [v[2], v[3]], [v[0], v[3]], [v[0], v[1]]]]})
            }
        })
    });
    json!({"type": "Feature", "id": incident["id"], "geometry": geometry.unwrap_or(Value::Null), "properties": incident})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::scenario;

    #[test]
    fn names_parse_and_bad_ones_say_why() {
        assert_eq!(parse_name("claims.csv"), Ok((Subject::Claims, Format::Csv)));
        assert_eq!(parse_name("incidents.geojson"), Ok((Subject::Incidents, Format::GeoJson)));
        assert!(parse_name("claims.xlsx").is_err_and(|e| e.contains("geojson, csv or ndjson")));
        assert!(parse_name("people.csv").is_err_and(|e| e.contains("claims or incidents")));
    }

    #[test]
    fn a_claim_row_uses_acled_codes() {
        let claim = json!({
            "id": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "received_at": "2021-11-17T10:00:00.000Z",
            "claimant": "AAA", "accused": "BBB", "event_type": "shelling",
            "source": {"kind": "party_report", "name": "Liaison"},
            "occurred": {"from": "2021-11-16T00:00:00.000Z", "to": "2021-11-16T23:59:59.999Z", "precision": "day"},
            "location": {"geometry": {"type": "Point", "coordinates": [46.1, 39.62]}, "precision": "district", "radius_m": 25000},
            "casualties": [{"party": "AAA", "category": "civilian", "killed": {"min": 2}}, {"party": "AAA", "category": "military", "killed": 1}],
            "narrative": {"lang": "en", "text": "Shelling."}, "tags": ["a", "b"]
        });
        let row = claim_row(&claim, &scenario());
        let get = |col: &str| row.0[ACLED_COLUMNS.iter().position(|c| *c == col).expect("column")].clone();
        assert_eq!(get("event_date"), "2021-11-16");
        assert_eq!(get("event_type"), "Explosions/Remote violence");
        assert_eq!(get("sub_event_type"), "Shelling/artillery/missile attack");
        assert_eq!((get("actor1"), get("actor2")), ("B".to_string(), "A".to_string()));
        assert_eq!((get("latitude"), get("longitude")), ("39.62000".to_string(), "46.10000".to_string()));
        assert_eq!((get("geo_precision"), get("time_precision")), ("2".to_string(), "1".to_string()));
        assert_eq!((get("fatalities"), get("civilian_targeting")), ("3".to_string(), "Civilian targeting".to_string()));
        assert_eq!(get("tags"), "a; b");
        assert_eq!(row.0.len(), ACLED_COLUMNS.len());
    }
}
