//! Which incident a claim may belong to: a score from time, place, event type and parties,
//! each with a plain explanation.
//!
//! Every part is a number in 0..1; the score is their weighted sum. Candidates farther apart
//! than [`MAX_GAP_M`] beyond their uncertainty, or more than [`MAX_GAP_H`] hours apart, are
//! not proposed at all.

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::geo::BBox;
use crate::ids::PartyId;
use crate::taxonomy::{EventGroup, EventType};

/// Beyond this distance in metres (after both uncertainty radii) nothing is proposed: the
/// place part is below 0.14 there, and such a candidate scores at most 0.70.
pub const MAX_GAP_M: f64 = 10_000.0;
/// Beyond this gap in hours between the intervals nothing is proposed: the time part is
/// below 0.14 there, and such a candidate scores at most 0.74.
pub const MAX_GAP_H: f64 = 48.0;

/// The mean radius of the Earth that [`Haversine`] measures with, in metres.
const MEAN_EARTH_RADIUS_M: f64 = 6_371_008.8;
/// How fast the place score falls with distance beyond the radii (metres).
const SPACE_SCALE_M: f64 = 5_000.0;
/// How fast the time score falls with the gap between the intervals (hours).
const TIME_SCALE_H: f64 = 24.0;
/// Weights of place, time, type and parties; they sum to 1.
const WEIGHTS: [f64; 4] = [0.35, 0.30, 0.20, 0.15];

/// What matching needs to know of a claim, or of an incident (its claims taken together).
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// Where: the box of the location(s), if any.
    pub bbox: Option<BBox>,
    /// Uncertainty radius in metres (the smallest among an incident's claims).
    pub radius_m: f64,
    /// When: ms UTC, inclusive.
    pub from_ms: i64,
    /// When: ms UTC, inclusive.
    pub to_ms: i64,
    /// Event types (one for a claim), shared with the taxonomy.
    pub event_types: Vec<std::sync::Arc<EventType>>,
    /// Who claims.
    pub claimants: Vec<PartyId>,
    /// Who is accused.
    pub accused: Vec<PartyId>,
}

impl Features {
    /// Folds another claim's features into an incident's.
    pub fn absorb(&mut self, other: &Features) {
        self.bbox = match (self.bbox, other.bbox) {
            (Some(a), Some(b)) => Some(union(a, b)),
            (a, b) => a.or(b),
        };
        self.radius_m = self.radius_m.min(other.radius_m);
        self.from_ms = self.from_ms.min(other.from_ms);
        self.to_ms = self.to_ms.max(other.to_ms);
        for t in &other.event_types {
            if !self.event_types.iter().any(|x| x.id == t.id) {
                self.event_types.push(t.clone());
            }
        }
        for (mine, theirs) in [(&mut self.claimants, &other.claimants), (&mut self.accused, &other.accused)] {
            for p in theirs {
                if !mine.contains(p) {
                    mine.push(p.clone());
                }
            }
        }
    }
}

fn union(a: BBox, b: BBox) -> BBox {
    BBox {
        min_lon: a.min_lon.min(b.min_lon),
        min_lat: a.min_lat.min(b.min_lat),
        max_lon: a.max_lon.max(b.max_lon),
        max_lat: a.max_lat.max(b.max_lat),
    }
}

/// The parts of a score, each 0..1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Parts {
    /// Place.
    pub place: f64,
    /// Time.
    pub time: f64,
    /// Event type.
    pub event_type: f64,
    /// Parties.
    pub parties: f64,
}

/// A proposed incident for a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Proposal {
    /// 0..1, rounded to three decimals.
    pub score: f64,
    /// The parts of the score.
    pub parts: Parts,
    /// In words: "2.1 km apart, same day, both report armed clash, mutual accusation".
    pub explanation: String,
}

/// Distance in metres between the closest points of two boxes (0 when they overlap).
pub fn box_distance_m(a: &BBox, b: &BBox) -> f64 {
    let clamp = |v: f64, lo: f64, hi: f64| v.max(lo).min(hi);
    // The point of each box nearest the other box's centre, then their distance.
    let (ac_lon, ac_lat) = ((a.min_lon + a.max_lon) / 2.0, (a.min_lat + a.max_lat) / 2.0);
    let nb = Point::new(clamp(ac_lon, b.min_lon, b.max_lon), clamp(ac_lat, b.min_lat, b.max_lat));
    let na = Point::new(clamp(nb.x(), a.min_lon, a.max_lon), clamp(nb.y(), a.min_lat, a.max_lat));
    Haversine.distance(na, nb)
}

/// The distance between two boxes and the gap left beyond both uncertainty radii (`ra`,
/// `rb`), or `None` when that gap is more than [`MAX_GAP_M`]. Boxes far apart in latitude
/// alone are ruled out without trigonometry: a great circle is never shorter than the
/// meridian arc between its ends' latitudes (the bound is taken a little short, so that
/// rounding never rules out a fit).
pub fn place_gap_m(a: &BBox, ra: f64, b: &BBox, rb: f64) -> Option<(f64, f64)> {
    let lat_gap = (b.min_lat - a.max_lat).max(a.min_lat - b.max_lat).max(0.0);
    if lat_gap.to_radians() * MEAN_EARTH_RADIUS_M * 0.999 - ra - rb > MAX_GAP_M {
        return None;
    }
    let d = box_distance_m(a, b);
    let gap = (d - ra - rb).max(0.0);
    (gap <= MAX_GAP_M).then_some((d, gap))
}

fn km(m: f64) -> String {
    if m < 1_000.0 { format!("{:.0} m", m) } else { format!("{:.1} km", m / 1_000.0) }
}

/// How well `claim` fits `incident`, or `None` when they are too far apart in place or time
/// to be the same event.
pub fn score(claim: &Features, incident: &Features) -> Option<Proposal> {
    let (score, parts, words) = fit(claim, incident, true)?;
    Some(Proposal { score, parts, explanation: words.join(", ") })
}

/// [`score`] without the words: the same score and parts, for ranking candidates before the
/// few kept are explained.
pub fn score_only(claim: &Features, incident: &Features) -> Option<(f64, Parts)> {
    fit(claim, incident, false).map(|(score, parts, _)| (score, parts))
}

/// The score, its parts and (when `explain`) the words of each part.
fn fit(claim: &Features, incident: &Features, explain: bool) -> Option<(f64, Parts, Vec<String>)> {
    let mut words = Vec::new();
    // Time first, as it is the cheaper to rule out with.
    let gap_ms = (claim.from_ms.max(incident.from_ms) - claim.to_ms.min(incident.to_ms)).max(0);
    let gap_h = gap_ms as f64 / 3_600_000.0;
    if gap_h > MAX_GAP_H {
        return None;
    }

    // Place: the gap between the locations beyond both uncertainty radii.
    let place = match (&claim.bbox, &incident.bbox) {
        (Some(a), Some(b)) => {
            let (d, gap) = place_gap_m(a, claim.radius_m, b, incident.radius_m)?;
            if explain {
                words.push(if d < 1.0 {
                    "same place".to_string()
                } else if gap == 0.0 {
                    format!("{} apart, within the locations' uncertainty", km(d))
                } else {
                    format!("{} apart", km(d))
                });
            }
            (-gap / SPACE_SCALE_M).exp()
        }
        _ => {
            if explain {
                words.push("no location to compare".into());
            }
            0.5
        }
    };

    // Time: the gap between the intervals, which carry their precision (a day-precise
    // claim spans its whole day).
    let time = (-gap_h / TIME_SCALE_H).exp();
    if explain {
        words.push(if gap_ms == 0 {
            "overlapping times".to_string()
        } else if gap_h < 0.5 {
            "less than 1 h apart".to_string()
        } else if gap_h < 24.0 {
            format!("{gap_h:.0} h apart")
        } else {
            let days = (gap_h / 24.0).round();
            if days == 1.0 { "1 day apart".to_string() } else { format!("{days:.0} days apart") }
        });
    }

    // Event type: the best fit between the claim's type and any of the incident's; the last
    // of the best pairs is put in words.
    let best = claim
        .event_types
        .iter()
        .flat_map(|c| incident.event_types.iter().map(move |i| (type_fit_score(c, i), c, i)))
        .reduce(|best, next| if next.0 >= best.0 { next } else { best });
    let event_type = best.map_or(0.1, |b| b.0);
    if explain {
        words.push(best.map_or_else(|| String::from("no event type to compare"), |(_, c, i)| type_fit(c, i).1));
    }

    // Parties: a mutual accusation fits best.
    let (parties, why) = party_fit(claim, incident, explain);
    if explain {
        words.push(why);
    }

    let parts = Parts { place, time, event_type, parties };
    let total = WEIGHTS[0] * place + WEIGHTS[1] * time + WEIGHTS[2] * event_type + WEIGHTS[3] * parties;
    Some(((total * 1000.0).round() / 1000.0, parts, words))
}

fn label(t: &EventType) -> String {
    t.label.en().to_lowercase()
}

/// How compatible two event types are, by the taxonomy's own grouping and ACLED mapping.
pub fn type_fit_score(a: &EventType, b: &EventType) -> f64 {
    use EventGroup::{Violation, Violence};
    if a.id == b.id {
        1.0
    } else if a.acled_sub_event_type == b.acled_sub_event_type && a.acled_sub_event_type != "Other" {
        0.9
    } else if a.acled_event_type == b.acled_event_type && a.acled_event_type != "Strategic developments" {
        0.8
    } else if matches!((a.group, b.group), (Violence, Violation) | (Violation, Violence)) {
        0.7
    } else if a.group == b.group {
        0.6
    } else {
        0.1
    }
}

/// [`type_fit_score`], with the words.
fn type_fit(a: &EventType, b: &EventType) -> (f64, String) {
    let score = type_fit_score(a, b);
    let both = format!("{} and {}", label(a), label(b));
    let why = match score {
        1.0 => format!("both report {}", label(a)),
        0.9 => format!("{both} (both {})", a.acled_sub_event_type.to_lowercase()),
        0.8 => format!("{both} (both {})", a.acled_event_type.to_lowercase()),
        0.7 => format!("{both}: an act of violence and a violation claimed"),
        0.6 => format!("{both}, of the same kind"),
        _ => format!("{both}: different kinds of event"),
    };
    (score, why)
}

/// How the parties fit: 1 a mutual accusation, 0.9 the same claimant and accused, 0.6
/// parties in common, 0.3 none. Party ids as text, so a caller can pass them unparsed.
pub fn party_fit_score<C: AsRef<str>, I: AsRef<str>>(
    claimants: &[C],
    accused: &[C],
    inc_claimants: &[I],
    inc_accused: &[I],
) -> f64 {
    let has = |list: &[I], p: &C| list.iter().any(|x| x.as_ref() == p.as_ref());
    let mutual = claimants.iter().any(|c| has(inc_accused, c)) && accused.iter().any(|a| has(inc_claimants, a));
    let same = claimants.iter().all(|c| has(inc_claimants, c))
        && !accused.is_empty()
        && accused.iter().all(|a| has(inc_accused, a));
    let common = claimants.iter().chain(accused).any(|p| has(inc_claimants, p) || has(inc_accused, p));
    if mutual {
        1.0
    } else if same {
        0.9
    } else if common {
        0.6
    } else {
        0.3
    }
}

fn party_fit(claim: &Features, incident: &Features, explain: bool) -> (f64, String) {
    let score = party_fit_score(&claim.claimants, &claim.accused, &incident.claimants, &incident.accused);
    if !explain {
        return (score, String::new());
    }
    fn ids(ps: &[PartyId]) -> Vec<&str> {
        ps.iter().map(PartyId::as_str).collect()
    }
    let (c, a) = (ids(&claim.claimants), ids(&claim.accused));
    let why = match score {
        1.0 => format!("mutual accusation ({} and {})", c.join("/"), a.join("/")),
        0.9 => format!("same claimant and accused ({} against {})", c.join("/"), a.join("/")),
        0.6 => "parties in common".into(),
        _ => "no party in common".into(),
    };
    (score, why)
}

/// How two event types fit, as [`type_fit_score`] grades them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeFit {
    /// The same ACLED sub-event type.
    AcledSubEventType,
    /// The same ACLED event type.
    AcledEventType,
    /// An act of violence and a violation claimed.
    ViolenceAndViolation,
    /// The same group of the taxonomy.
    SameGroup,
    /// Different kinds of event.
    Different,
}

/// One part of a matching explanation, with its values, for a reader to put in words of
/// their own language. [`because`] reads them back from the English of [`score`].
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Because {
    /// The locations coincide.
    SamePlace,
    /// The locations are this far apart (rounded as the English says it).
    Apart {
        /// Metres.
        metres: f64,
        /// Closer than the locations' uncertainty.
        within_uncertainty: bool,
    },
    /// One of them has no location.
    NoLocation,
    /// The times overlap.
    OverlappingTimes,
    /// The times are this many hours apart (0: less than one).
    HoursApart {
        /// Hours.
        hours: u32,
    },
    /// The times are this many days apart.
    DaysApart {
        /// Days.
        days: u32,
    },
    /// Both report this event type.
    SameType {
        /// The event type id.
        event_type: String,
    },
    /// Two event types and how they fit.
    Types {
        /// The claim's event type id.
        a: String,
        /// The incident's event type id.
        b: String,
        /// How they fit.
        fit: TypeFit,
    },
    /// One of them has no event type.
    NoType,
    /// Each accuses the other.
    MutualAccusation {
        /// The claim's claimants.
        claimants: Vec<String>,
        /// The claim's accused.
        accused: Vec<String>,
    },
    /// The same claimant accuses the same party.
    SameParties {
        /// The claimants.
        claimants: Vec<String>,
        /// The accused.
        accused: Vec<String>,
    },
    /// Some party in common.
    PartiesInCommon,
    /// No party in common.
    NoPartyInCommon,
    /// Words this reader does not know (kept as they are).
    Text {
        /// The words.
        text: String,
    },
}

/// Reads an explanation written by [`score`] back into its parts, given the taxonomy its
/// event types come from. Anything not in that grammar is kept as [`Because::Text`].
pub fn because(explanation: &str, types: &[std::sync::Arc<EventType>]) -> Vec<Because> {
    let pieces: Vec<&str> = explanation.split(", ").collect();
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let piece = pieces[i];
        let next = pieces.get(i + 1).copied();
        i += 1;
        let parties = |s: &str, sep: &str| -> Option<(Vec<String>, Vec<String>)> {
            let (c, a) = s.split_once(sep)?;
            let ids = |x: &str| x.split('/').map(str::to_owned).collect::<Vec<_>>();
            Some((ids(c), ids(a)))
        };
        let part = match piece {
            "same place" => Because::SamePlace,
            "no location to compare" => Because::NoLocation,
            "overlapping times" => Because::OverlappingTimes,
            "less than 1 h apart" => Because::HoursApart { hours: 0 },
            "1 day apart" => Because::DaysApart { days: 1 },
            "no event type to compare" => Because::NoType,
            "parties in common" => Because::PartiesInCommon,
            "no party in common" => Because::NoPartyInCommon,
            _ => {
                if let Some(d) = piece.strip_suffix(" apart").and_then(distance) {
                    let within = next == Some("within the locations' uncertainty");
                    if within {
                        i += 1;
                    }
                    Because::Apart { metres: d, within_uncertainty: within }
                } else if let Some(h) = piece.strip_suffix(" h apart").and_then(|h| h.parse().ok()) {
                    Because::HoursApart { hours: h }
                } else if let Some(d) = piece.strip_suffix(" days apart").and_then(|d| d.parse().ok()) {
                    Because::DaysApart { days: d }
                } else if let Some((c, a)) = piece
                    .strip_prefix("mutual accusation (")
                    .and_then(|r| r.strip_suffix(')'))
                    .and_then(|r| parties(r, " and "))
                {
                    Because::MutualAccusation { claimants: c, accused: a }
                } else if let Some((c, a)) = piece
                    .strip_prefix("same claimant and accused (")
                    .and_then(|r| r.strip_suffix(')'))
                    .and_then(|r| parties(r, " against "))
                {
                    Because::SameParties { claimants: c, accused: a }
                } else if let Some(t) =
                    piece.strip_prefix("both report ").and_then(|l| types.iter().find(|t| label(t) == l))
                {
                    Because::SameType { event_type: t.id.as_str().to_owned() }
                } else if let Some((a, b, fit, words)) = type_pair(piece, next, types) {
                    i += words - 1;
                    Because::Types { a, b, fit }
                } else {
                    Because::Text { text: piece.to_owned() }
                }
            }
        };
        out.push(part);
    }
    out
}

/// "1.7 km" or "450 m", as [`km`] writes it, in metres.
fn distance(s: &str) -> Option<f64> {
    if let Some(k) = s.strip_suffix(" km") {
        k.parse::<f64>().ok().map(|k| k * 1_000.0)
    } else {
        s.strip_suffix(" m").and_then(|m| m.parse().ok())
    }
}

/// "x and y (both …)", "x and y: …" or "x and y" followed by "of the same kind": the two
/// types, their fit by the taxonomy, and how many pieces the words took.
fn type_pair(
    piece: &str,
    next: Option<&str>,
    types: &[std::sync::Arc<EventType>],
) -> Option<(String, String, TypeFit, usize)> {
    for a in types {
        let Some(rest) = piece.strip_prefix(label(a).as_str()).and_then(|r| r.strip_prefix(" and ")) else { continue };
        for b in types {
            let Some(tail) = rest.strip_prefix(label(b).as_str()) else { continue };
            let (words, pair) = type_fit(a, b);
            if words >= 1.0 {
                continue;
            }
            let expected = pair.strip_prefix(&format!("{} and {}", label(a), label(b))).unwrap_or_default();
            let (fits, used) = if tail.is_empty() && next.is_some_and(|n| expected == format!(", {n}")) {
                (true, 2)
            } else {
                (tail == expected, 1)
            };
            if !fits {
                continue;
            }
            let fit = match words {
                s if s >= 0.9 => TypeFit::AcledSubEventType,
                s if s >= 0.8 => TypeFit::AcledEventType,
                s if s >= 0.7 => TypeFit::ViolenceAndViolation,
                s if s >= 0.6 => TypeFit::SameGroup,
                _ => TypeFit::Different,
            };
            return Some((a.id.as_str().to_owned(), b.id.as_str().to_owned(), fit, used));
        }
    }
    None
}

/// The score from its parts' inputs: the gap in place (metres beyond both radii, `None`
/// when either has no location) and time (hours), the type fit and the party fit. What
/// [`score`] computes, without the words.
pub fn estimate(place_gap_m: Option<f64>, time_gap_h: f64, type_fit: f64, party_fit: f64) -> f64 {
    let place = place_gap_m.map_or(0.5, |g| (-g.max(0.0) / SPACE_SCALE_M).exp());
    WEIGHTS[0] * place
        + WEIGHTS[1] * (-time_gap_h.max(0.0) / TIME_SCALE_H).exp()
        + WEIGHTS[2] * type_fit
        + WEIGHTS[3] * party_fit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Taxonomy;

    fn features(t: &str, claimant: &str, accused: Option<&str>, lon: f64, lat: f64, day: u32) -> Features {
        let taxonomy = Taxonomy::from_toml(include_str!("../../../../data/taxonomy.toml")).expect("taxonomy");
        let ty = taxonomy.shared(t).expect("type").clone();
        let from = chrono::NaiveDate::from_ymd_opt(2021, 11, day)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date")
            .and_utc()
            .timestamp_millis();
        Features {
            bbox: Some(BBox { min_lon: lon, min_lat: lat, max_lon: lon, max_lat: lat }),
            radius_m: 5_000.0,
            from_ms: from,
            to_ms: from + 86_399_999,
            event_types: vec![ty],
            claimants: vec![PartyId::parse(claimant).expect("party")],
            accused: accused.map(|a| PartyId::parse(a).expect("party")).into_iter().collect(),
        }
    }

    #[test]
    fn the_score_alone_is_the_explained_score() {
        let types = ["shelling", "small_arms_fire", "ceasefire_agreed", "capture_detention"];
        let parties = [("ARM", Some("AZE")), ("AZE", Some("ARM")), ("ARM", None), ("RUS", Some("ARM"))];
        let mut compared = 0;
        for (i, t) in types.iter().enumerate() {
            for (j, (c, a)) in parties.iter().enumerate() {
                let claim = features(t, c, *a, 46.6, 39.5, 16);
                for (k, u) in types.iter().enumerate() {
                    let (ic, ia) = parties[(i + j + k) % parties.len()];
                    for (dlon, day) in [(0.0, 16), (0.02, 16), (0.09, 17), (0.5, 16), (0.01, 19)] {
                        let incident = features(u, ic, ia, 46.6 + dlon, 39.5, day);
                        let full = score(&claim, &incident).map(|p| (p.score, p.parts));
                        assert_eq!(score_only(&claim, &incident), full);
                        compared += usize::from(full.is_some());
                    }
                }
            }
        }
        assert!(compared > 100, "only {compared} pairs were near enough to score");
    }

    #[test]
    fn the_latitude_shortcut_never_rules_out_a_pair_within_reach() {
        // Due north of each other, the pair is as far apart as the latitudes alone say: just
        // within and just beyond the reach (10 km beyond both 5 km radii), on either side of
        // the equator and at high latitude.
        for lat in [-60.0, -1.0, 39.5, 70.0] {
            let claim = features("shelling", "ARM", Some("AZE"), 46.6, lat, 16);
            let reach_deg = (MAX_GAP_M + 2.0 * 5_000.0) / MEAN_EARTH_RADIUS_M * 180.0 / std::f64::consts::PI;
            for (north, fits) in [(reach_deg * 0.9999, true), (reach_deg * 1.0001, false)] {
                let incident = features("shelling", "AZE", Some("ARM"), 46.6, lat + north, 16);
                let gap = box_distance_m(claim.bbox.as_ref().expect("box"), incident.bbox.as_ref().expect("box"));
                assert_eq!(gap <= MAX_GAP_M + 10_000.0, fits, "{lat}: {gap} m");
                assert_eq!(score_only(&claim, &incident).is_some(), fits, "{lat}: {gap} m");
                assert_eq!(score(&incident, &claim).is_some(), fits, "{lat}: {gap} m");
            }
        }
    }

    #[test]
    fn mutual_accounts_of_one_clash_fit_well_and_say_why() {
        let a = features("armed_clash", "AAA", Some("BBB"), 46.0, 39.5, 16);
        let b = features("shelling", "BBB", Some("AAA"), 46.02, 39.5, 16);
        let p = score(&b, &a).expect("a candidate");
        assert!(p.score > 0.85, "{p:?}");
        assert!(
            p.explanation.contains("1.7 km apart") && p.explanation.contains("overlapping times"),
            "{}",
            p.explanation
        );
        assert!(p.explanation.contains("mutual accusation"), "{}", p.explanation);
    }

    #[test]
    fn every_explanation_reads_back_into_its_four_parts() {
        let taxonomy = Taxonomy::from_toml(include_str!("../../../../data/taxonomy.toml")).expect("taxonomy");
        let types = &taxonomy.event_types;
        let a = features("armed_clash", "AAA", Some("BBB"), 46.0, 39.5, 16);
        let mut seen = std::collections::BTreeSet::new();
        for (n, t) in types.iter().enumerate() {
            for (lon, day, claimant, accused) in [
                (46.0, 16, "BBB", Some("AAA")),
                (46.004, 17, "AAA", Some("BBB")),
                (46.1, 17, "CCC", Some("BBB")),
                (46.15, 18, "CCC", None),
            ] {
                let mut claim = features(t.id.as_str(), claimant, accused, lon, 39.5, day);
                if n % 7 == 0 {
                    claim.bbox = None;
                }
                if n % 5 == 0 {
                    claim.from_ms += 5 * 3_600_000;
                }
                let Some(p) = score(&claim, &a) else { continue };
                let parts = because(&p.explanation, types);
                assert_eq!(parts.len(), 4, "{} -> {parts:?}", p.explanation);
                assert!(!parts.iter().any(|b| matches!(b, Because::Text { .. })), "{} -> {parts:?}", p.explanation);
                for b in parts {
                    seen.insert(
                        serde_json::to_value(&b).expect("json")["code"].as_str().unwrap_or_default().to_owned(),
                    );
                }
            }
        }
        for code in
            ["same_place", "apart", "no_location", "overlapping_times", "hours_apart", "days_apart", "same_type"]
        {
            assert!(seen.contains(code), "{code} never came up: {seen:?}");
        }
        for code in ["types", "mutual_accusation", "same_parties", "parties_in_common", "no_party_in_common"] {
            assert!(seen.contains(code), "{code} never came up: {seen:?}");
        }
        // Words from elsewhere are kept as they are.
        assert_eq!(because("checked by hand", types), vec![Because::Text { text: "checked by hand".into() }]);
    }

    #[test]
    fn time_gaps_read_as_plain_english() {
        let a = features("armed_clash", "AAA", Some("BBB"), 46.0, 39.5, 16);
        let said =
            |day| score(&features("armed_clash", "BBB", Some("AAA"), 46.0, 39.5, day), &a).expect("c").explanation;
        assert!(said(17).contains("less than 1 h apart"), "{}", said(17));
        assert!(said(18).contains(", 1 day apart,"), "{}", said(18));
    }

    #[test]
    fn the_score_falls_with_distance_time_and_unrelated_types() {
        let a = features("armed_clash", "AAA", Some("BBB"), 46.0, 39.5, 16);
        let near = score(&features("armed_clash", "BBB", Some("AAA"), 46.0, 39.5, 16), &a).expect("near").score;
        let later = score(&features("armed_clash", "BBB", Some("AAA"), 46.0, 39.5, 18), &a).expect("later").score;
        let farther = score(&features("armed_clash", "BBB", Some("AAA"), 46.2, 39.5, 16), &a).expect("far").score;
        let other = score(&features("meeting_negotiation", "CCC", None, 46.0, 39.5, 16), &a).expect("other").score;
        assert!(near > later && near > farther && near > other, "{near} {later} {farther} {other}");
        assert!(score(&features("armed_clash", "BBB", Some("AAA"), 46.3, 39.5, 16), &a).is_none(), "26 km");
        assert!(score(&features("armed_clash", "BBB", Some("AAA"), 46.0, 39.5, 19), &a).is_none(), "three days");
        // The estimate that ranks candidates is the score, without the words.
        for (lon, day, t) in [(46.0, 16, "shelling"), (46.1, 17, "armed_clash"), (46.2, 18, "meeting_negotiation")] {
            let c = features(t, "BBB", Some("AAA"), lon, 39.5, day);
            let full = score(&c, &a).expect("candidate");
            let gap_m = (box_distance_m(&c.bbox.expect("b"), &a.bbox.expect("b")) - 10_000.0).max(0.0);
            let gap_h = ((c.from_ms - a.to_ms).max(0) as f64) / 3_600_000.0;
            let fit = type_fit_score(&c.event_types[0], &a.event_types[0]);
            let est = estimate(Some(gap_m), gap_h, fit, party_fit_score(&["BBB"], &["AAA"], &["AAA"], &["BBB"]));
            assert!((est - full.score).abs() < 0.001, "{est} vs {full:?}");
        }
    }

    #[test]
    fn an_incident_absorbs_its_claims() {
        let mut i = features("armed_clash", "AAA", Some("BBB"), 46.0, 39.5, 16);
        i.absorb(&features("shelling", "BBB", Some("AAA"), 46.1, 39.6, 17));
        assert_eq!(i.bbox.map(|b| (b.max_lon, b.max_lat)), Some((46.1, 39.6)));
        assert_eq!(i.event_types.len(), 2);
        assert_eq!(i.claimants.len(), 2);
        assert!(i.to_ms > i.from_ms + 86_400_000);
    }
}
