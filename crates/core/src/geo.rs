//! Geometry: WGS84 positions, the GeoJSON geometries truce stores, and bounding boxes.

use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A WGS84 position whose latitude and longitude are known to be in range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "[f64; 2]", into = "[f64; 2]")]
pub struct Position {
    lon: f64,
    lat: f64,
}

impl Position {
    /// A position from longitude and latitude in degrees, checked for range.
    pub fn new(lon: f64, lat: f64) -> Result<Self, String> {
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(format!("longitude {lon} is outside -180..180"));
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(format!("latitude {lat} is outside -90..90"));
        }
        Ok(Self { lon, lat })
    }
    /// A position with longitude and latitude clamped into range (NaN becomes 0).
    pub fn clamped(lon: f64, lat: f64) -> Self {
        let fix = |v: f64, m: f64| if v.is_nan() { 0.0 } else { v.clamp(-m, m) };
        Self { lon: fix(lon, 180.0), lat: fix(lat, 90.0) }
    }
    /// Longitude in degrees.
    pub fn lon(&self) -> f64 {
        self.lon
    }
    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        self.lat
    }
}

impl TryFrom<[f64; 2]> for Position {
    type Error = String;
    fn try_from([lon, lat]: [f64; 2]) -> Result<Self, String> {
        Self::new(lon, lat)
    }
}

impl From<Position> for [f64; 2] {
    fn from(p: Position) -> [f64; 2] {
        [p.lon, p.lat]
    }
}

/// A GeoJSON geometry with checked coordinates (RFC 7946 order: longitude, latitude).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "coordinates")]
#[schema(example = json!({"type": "Point", "coordinates": [45.95, 39.8]}))]
pub enum Geometry {
    /// One position.
    #[schema(value_type = Vec<f64>)]
    Point(Position),
    /// A line of two or more positions.
    #[schema(value_type = Vec<Vec<f64>>)]
    LineString(Vec<Position>),
    /// Several lines.
    #[schema(value_type = Vec<Vec<Vec<f64>>>)]
    MultiLineString(Vec<Vec<Position>>),
    /// An area: closed rings, the first one outer.
    #[schema(value_type = Vec<Vec<Vec<f64>>>)]
    Polygon(Vec<Vec<Position>>),
    /// Several areas.
    #[schema(value_type = Vec<Vec<Vec<Vec<f64>>>>)]
    MultiPolygon(Vec<Vec<Vec<Position>>>),
}

/// Which geometry types an input may use.
#[derive(Debug, Clone, Copy)]
pub enum Allowed {
    /// Point, LineString, Polygon (a claim's location).
    Simple,
    /// Every type truce stores.
    Any,
}

impl Geometry {
    /// Parses a GeoJSON geometry object, recording every bad coordinate under `field`.
    pub fn parse(
        value: &serde_json::Value,
        allowed: Allowed,
        field: &str,
        errors: &mut FieldErrors,
    ) -> Option<Geometry> {
        let parsed: geojson::Geometry = match serde_json::from_value(value.clone()) {
            Ok(g) => g,
            Err(e) => {
                errors.push(field, format!("is not a GeoJSON geometry: {e}"));
                return None;
            }
        };
        Self::from_geojson(&parsed.value, allowed, field, errors)
    }

    /// Converts a parsed GeoJSON geometry, checking every coordinate and ring.
    pub fn from_geojson(
        value: &geojson::GeometryValue,
        allowed: Allowed,
        field: &str,
        errors: &mut FieldErrors,
    ) -> Option<Geometry> {
        use geojson::GeometryValue as G;
        let before = errors.0.len();
        let coords = format!("{field}.coordinates");
        let geometry = match (value, allowed) {
            (G::Point { coordinates }, _) => position(coordinates, &coords, errors).map(Geometry::Point),
            (G::LineString { coordinates }, _) => line(coordinates, &coords, errors).map(Geometry::LineString),
            (G::Polygon { coordinates }, _) => polygon(coordinates, &coords, errors).map(Geometry::Polygon),
            (G::MultiLineString { coordinates }, Allowed::Any) => coordinates
                .iter()
                .enumerate()
                .map(|(i, l)| line(l, &format!("{coords}[{i}]"), errors))
                .collect::<Option<Vec<_>>>()
                .map(Geometry::MultiLineString),
            (G::MultiPolygon { coordinates }, Allowed::Any) => coordinates
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(p, &format!("{coords}[{i}]"), errors))
                .collect::<Option<Vec<_>>>()
                .map(Geometry::MultiPolygon),
            (other, _) => {
                let expected = match allowed {
                    Allowed::Simple => "Point, LineString or Polygon",
                    Allowed::Any => "Point, LineString, MultiLineString, Polygon or MultiPolygon",
                };
                errors.push(
                    format!("{field}.type"),
                    format!("{} is not supported here; use {expected}", other.type_name()),
                );
                None
            }
        };
        if errors.0.len() > before { None } else { geometry }
    }

    /// The smallest box holding the geometry.
    pub fn bbox(&self) -> BBox {
        let mut b = BBox::empty();
        self.for_each_position(&mut |p| b.extend(p));
        b
    }

    /// True when `p` lies inside an area of the geometry or on its edge (lines and points
    /// cover nothing).
    pub fn covers(&self, p: &Position) -> bool {
        use geo::{Coord, Intersects, LineString, Point, Polygon};
        let ring =
            |r: &[Position]| LineString::from(r.iter().map(|q| Coord { x: q.lon, y: q.lat }).collect::<Vec<_>>());
        let area = |rings: &[Vec<Position>]| {
            rings.split_first().is_some_and(|(outer, holes)| {
                Polygon::new(ring(outer), holes.iter().map(|h| ring(h)).collect()).intersects(&Point::new(p.lon, p.lat))
            })
        };
        match self {
            Geometry::Polygon(rings) => area(rings),
            Geometry::MultiPolygon(ps) => ps.iter().any(|rings| area(rings)),
            Geometry::Point(_) | Geometry::LineString(_) | Geometry::MultiLineString(_) => false,
        }
    }

    fn for_each_position(&self, f: &mut impl FnMut(&Position)) {
        match self {
            Geometry::Point(p) => f(p),
            Geometry::LineString(l) => l.iter().for_each(f),
            Geometry::MultiLineString(ls) | Geometry::Polygon(ls) => ls.iter().flatten().for_each(f),
            Geometry::MultiPolygon(ps) => ps.iter().flatten().flatten().for_each(f),
        }
    }
}

fn position(p: &geojson::Position, field: &str, errors: &mut FieldErrors) -> Option<Position> {
    let s = p.as_slice();
    if s.len() < 2 {
        errors.push(field, "a position needs a longitude and a latitude");
        return None;
    }
    let mut ok = true;
    if !s[0].is_finite() || !(-180.0..=180.0).contains(&s[0]) {
        errors.push(format!("{field}[0]"), format!("longitude {} is outside -180..180", s[0]));
        ok = false;
    }
    if !s[1].is_finite() || !(-90.0..=90.0).contains(&s[1]) {
        errors.push(format!("{field}[1]"), format!("latitude {} is outside -90..90", s[1]));
        ok = false;
    }
    ok.then_some(Position { lon: s[0], lat: s[1] })
}

fn line(l: &[geojson::Position], field: &str, errors: &mut FieldErrors) -> Option<Vec<Position>> {
    if l.len() < 2 {
        errors.push(field, "a line needs at least two positions");
        return None;
    }
    l.iter()
        .enumerate()
        .map(|(i, p)| position(p, &format!("{field}[{i}]"), errors))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

fn polygon(rings: &[Vec<geojson::Position>], field: &str, errors: &mut FieldErrors) -> Option<Vec<Vec<Position>>> {
    if rings.is_empty() {
        errors.push(field, "a polygon needs an outer ring");
        return None;
    }
    let mut out = Vec::with_capacity(rings.len());
    for (i, ring) in rings.iter().enumerate() {
        let f = format!("{field}[{i}]");
        if ring.len() < 4 {
            errors.push(&f, "a ring needs at least four positions");
            continue;
        }
        if ring.first() != ring.last() {
            errors.push(&f, "a ring must end where it starts");
            continue;
        }
        if let Some(r) = line(ring, &f, errors) {
            out.push(r);
        }
    }
    (out.len() == rings.len()).then_some(out)
}

/// A longitude/latitude box. `min_lon > max_lon` is refused (no antimeridian boxes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BBox {
    /// West edge.
    pub min_lon: f64,
    /// South edge.
    pub min_lat: f64,
    /// East edge.
    pub max_lon: f64,
    /// North edge.
    pub max_lat: f64,
}

impl BBox {
    fn empty() -> Self {
        Self { min_lon: f64::INFINITY, min_lat: f64::INFINITY, max_lon: f64::NEG_INFINITY, max_lat: f64::NEG_INFINITY }
    }

    fn extend(&mut self, p: &Position) {
        self.min_lon = self.min_lon.min(p.lon);
        self.min_lat = self.min_lat.min(p.lat);
        self.max_lon = self.max_lon.max(p.lon);
        self.max_lat = self.max_lat.max(p.lat);
    }

    /// True when `p` lies inside the box or on its edge.
    pub fn contains(&self, p: &Position) -> bool {
        (self.min_lon..=self.max_lon).contains(&p.lon) && (self.min_lat..=self.max_lat).contains(&p.lat)
    }

    /// Builds a box from `[min_lon, min_lat, max_lon, max_lat]`, checking range and order.
    pub fn from_array(a: [f64; 4]) -> Result<BBox, String> {
        let [min_lon, min_lat, max_lon, max_lat] = a;
        let sw = Position::new(min_lon, min_lat)?;
        let ne = Position::new(max_lon, max_lat)?;
        if sw.lon > ne.lon {
            return Err(format!("min_lon {min_lon} is east of max_lon {max_lon}"));
        }
        if sw.lat > ne.lat {
            return Err(format!("min_lat {min_lat} is north of max_lat {max_lat}"));
        }
        Ok(BBox { min_lon, min_lat, max_lon, max_lat })
    }

    /// Parses `min_lon,min_lat,max_lon,max_lat` as in a `bbox=` query parameter.
    pub fn parse(s: &str) -> Result<BBox, String> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        if parts.len() != 4 {
            return Err("expected four numbers: min_lon,min_lat,max_lon,max_lat".into());
        }
        let mut a = [0.0; 4];
        for (slot, part) in a.iter_mut().zip(&parts) {
            *slot = part.parse::<f64>().map_err(|_| format!("{part:?} is not a number"))?;
        }
        Self::from_array(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn latitude_95_is_refused_with_its_path() {
        let mut e = FieldErrors::new();
        let g = Geometry::parse(
            &json!({"type": "Point", "coordinates": [45.0, 95.0]}),
            Allowed::Simple,
            "location.geometry",
            &mut e,
        );
        assert!(g.is_none());
        assert_eq!(e.0[0].field, "location.geometry.coordinates[1]");
        assert!(e.0[0].reason.contains("latitude 95"));
    }

    #[test]
    fn polygon_must_close() {
        let mut e = FieldErrors::new();
        let g = Geometry::parse(
            &json!({"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]}),
            Allowed::Simple,
            "g",
            &mut e,
        );
        assert!(g.is_none());
        assert!(e.0[0].reason.contains("end where it starts"));
    }

    #[test]
    fn multipolygon_only_where_allowed() {
        let v = json!({"type": "MultiPolygon", "coordinates": [[[[0,0],[1,0],[1,1],[0,0]]]]});
        let mut e = FieldErrors::new();
        assert!(Geometry::parse(&v, Allowed::Simple, "g", &mut e).is_none());
        assert_eq!(e.0[0].field, "g.type");
        let mut e = FieldErrors::new();
        assert!(Geometry::parse(&v, Allowed::Any, "g", &mut e).is_some());
    }

    #[test]
    fn bbox_parse_and_order() {
        let b = BBox::parse("45,39,47,41").expect("valid");
        assert!(b.contains(&Position::new(46.0, 40.0).expect("valid")));
        assert!(BBox::parse("47,39,45,41").is_err());
        assert!(BBox::parse("45,39,47").is_err());
        assert!(BBox::parse("45,39,47,x").is_err());
    }

    #[test]
    fn geometry_round_trips_as_geojson() {
        let g = Geometry::LineString(vec![
            Position::new(1.0, 2.0).expect("valid"),
            Position::new(3.0, 4.0).expect("valid"),
        ]);
        let v = serde_json::to_value(&g).expect("serialises");
        assert_eq!(v, json!({"type": "LineString", "coordinates": [[1.0, 2.0], [3.0, 4.0]]}));
        let back: Geometry = serde_json::from_value(v).expect("parses");
        assert_eq!(back, g);
    }

    proptest::proptest! {
        #[test]
        fn bbox_parse_never_panics_and_keeps_order(s in "[-0-9.,eE ]{0,40}") {
            if let Ok(b) = BBox::parse(&s) {
                proptest::prop_assert!(b.min_lon <= b.max_lon && b.min_lat <= b.max_lat);
                proptest::prop_assert!((-180.0..=180.0).contains(&b.min_lon) && (-90.0..=90.0).contains(&b.max_lat));
            }
        }

        #[test]
        fn any_box_in_range_round_trips(a in -180.0f64..180.0, b in -90.0f64..90.0, w in 0.0f64..10.0, h in 0.0f64..10.0) {
            let (max_lon, max_lat) = ((a + w).min(180.0), (b + h).min(90.0));
            let text = format!("{a},{b},{max_lon},{max_lat}");
            let parsed = BBox::parse(&text).expect("in range");
            proptest::prop_assert_eq!(parsed, BBox { min_lon: a, min_lat: b, max_lon, max_lat });
        }
    }
}
