//! Filters for listing claims.

use crate::error::FieldErrors;
use crate::geo::BBox;
use crate::ids::{EventTypeId, PartyId};
use crate::scenario::Scenario;
use crate::time::TimeInput;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest page size.
pub const MAX_LIMIT: u32 = 500;

/// Query parameters of `GET /claims`, as written in the URL.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClaimQuery {
    /// `min_lon,min_lat,max_lon,max_lat`: claims whose location meets the box.
    pub bbox: Option<String>,
    /// Claims whose occurrence ends at or after this time (RFC 3339, `YYYY-MM-DD` or `YYYY-MM`).
    pub from: Option<String>,
    /// Claims whose occurrence starts at or before this time.
    pub to: Option<String>,
    /// Event type id; several separated by commas.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<String>,
    /// Claimant party id.
    pub claimant: Option<String>,
    /// Accused party id.
    pub accused: Option<String>,
    /// Full-text search in the narratives, in any language.
    pub q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<String>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A checked claim filter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClaimFilter {
    /// Location box.
    pub bbox: Option<BBox>,
    /// Occurrence overlaps from this time on.
    pub from: Option<DateTime<Utc>>,
    /// Occurrence overlaps up to this time.
    pub to: Option<DateTime<Utc>>,
    /// Any of these event types.
    pub event_types: Vec<EventTypeId>,
    /// Claimant.
    pub claimant: Option<PartyId>,
    /// Accused.
    pub accused: Option<PartyId>,
    /// Search text.
    pub q: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Only claims with a sequence number below this.
    pub before_seq: Option<u64>,
    /// Which claims the reader may see at all (from the permission matrix).
    pub visible: Visibility,
    /// Whose personal data the reader sees in the claims shown.
    pub personal: PersonalData,
}

/// Whose personal data (persons' names, sources' contacts) a reader sees, from the
/// permission matrix's `personal_data.read` row. The default shows none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonalData {
    /// The reader's organisation, and whether they see its claims' personal data.
    pub org: Option<PartyId>,
    /// In their own organisation's claims.
    pub own: bool,
    /// In other organisations' unpublished claims.
    pub other: bool,
    /// In published claims.
    pub published: bool,
}

impl PersonalData {
    /// Everyone's (monitors).
    pub fn all() -> PersonalData {
        PersonalData { org: None, own: true, other: true, published: true }
    }

    /// Whether the reader sees the personal data of a claim submitted by `org` (none for
    /// claims the system loaded), published or not.
    pub fn shows(&self, org: Option<&str>, published: bool) -> bool {
        let own = matches!((&self.org, org), (Some(mine), Some(theirs)) if mine.as_str() == theirs);
        (if own { self.own } else { self.other }) || (published && self.published)
    }

    /// Whether the answer depends on publication (so a caller knows whether to look it up).
    pub fn needs_publication(&self, org: Option<&str>) -> bool {
        self.published && !self.shows(org, false)
    }
}

/// Which claims a reader may see: every list, search and export is narrowed to these, so
/// nothing else shows up in items, counts or cursors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Every claim (monitors, analysts).
    All,
    /// Those submitted by this organisation, and published ones (a party).
    Org(PartyId),
    /// Published ones only (the public, mediators, admins). The default: a filter nobody
    /// narrowed shows the least.
    #[default]
    Published,
}

/// Encodes a page position as an opaque cursor.
pub fn encode_cursor(seq: u64) -> String {
    format!("s{seq}")
}

/// Decodes a cursor made by [`encode_cursor`].
pub fn decode_cursor(s: &str) -> Result<u64, String> {
    s.strip_prefix('s')
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or_else(|| format!("{s:?} is not a cursor from a previous page"))
}

impl ClaimQuery {
    /// Checks the parameters; unknown parties and event types are errors, not empty pages.
    pub fn parse(&self, scenario: &Scenario) -> Result<ClaimFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        let bbox = self.bbox.as_deref().and_then(|b| e.take("bbox", BBox::parse(b)));
        let from = self.from.as_deref().and_then(|s| e.take("from", TimeInput::parse(s))).map(|t| t.start());
        let to = self.to.as_deref().and_then(|s| e.take("to", TimeInput::parse(s))).map(|t| t.end());
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.push("to", "is before from");
        }
        let event_types: Vec<EventTypeId> = self
            .event_type
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|t| super::input::event_type(t, scenario, "type", &mut e))
            .collect();
        let claimant =
            self.claimant.as_deref().and_then(|s| super::input::party(s.trim(), scenario, "claimant", &mut e));
        let accused = self.accused.as_deref().and_then(|s| super::input::party(s.trim(), scenario, "accused", &mut e));
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
        if q.as_ref().is_some_and(|q| q.chars().count() > 500) {
            e.push("q", "is longer than 500 characters");
        }
        let limit = match self.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(s) => match s.trim().parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    e.push("limit", format!("must be a whole number from 1 to {MAX_LIMIT}"));
                    DEFAULT_LIMIT
                }
            },
        };
        let before_seq = self.cursor.as_deref().and_then(|c| e.take("cursor", decode_cursor(c)));
        e.into_result(ClaimFilter {
            bbox,
            from,
            to,
            event_types,
            claimant,
            accused,
            q,
            limit,
            before_seq,
            visible: Visibility::default(),
            personal: PersonalData::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::scenario;

    #[test]
    fn personal_data_is_shown_by_relation() {
        let arm = PartyId::parse("ARM").expect("id");
        let party = PersonalData { org: Some(arm), own: true, other: false, published: false };
        assert!(party.shows(Some("ARM"), false) && party.shows(Some("ARM"), true));
        assert!(!party.shows(Some("AZE"), false) && !party.shows(Some("AZE"), true) && !party.shows(None, true));
        assert!(!party.needs_publication(Some("AZE")));
        let monitor = PersonalData::all();
        assert!(monitor.shows(Some("AZE"), false) && monitor.shows(None, true));
        let nobody = PersonalData::default();
        assert!(!nobody.shows(Some("ARM"), true) && !nobody.shows(None, false));
        let published_only = PersonalData { published: true, ..PersonalData::default() };
        assert!(published_only.needs_publication(Some("ARM")));
        assert!(published_only.shows(Some("ARM"), true) && !published_only.shows(Some("ARM"), false));
    }

    #[test]
    fn parses_every_parameter() {
        let q = ClaimQuery {
            bbox: Some("45,39,47,41".into()),
            from: Some("2021-11-01".into()),
            to: Some("2021-11-30".into()),
            event_type: Some("shelling".into()),
            claimant: Some("AAA".into()),
            accused: Some("BBB".into()),
            q: Some(" обстрел ".into()),
            limit: Some("10".into()),
            cursor: Some(encode_cursor(42)),
        };
        let f = q.parse(&scenario()).expect("valid");
        assert_eq!(f.limit, 10);
        assert_eq!(f.before_seq, Some(42));
        assert_eq!(f.q.as_deref(), Some("обстрел"));
        assert_eq!(crate::time::fmt(f.to.expect("set")), "2021-11-30T23:59:59.999Z");
    }

    #[test]
    fn bad_parameters_are_all_named() {
        let q = ClaimQuery {
            bbox: Some("1,2,3".into()),
            event_type: Some("nope".into()),
            claimant: Some("ZZZ".into()),
            limit: Some("0".into()),
            cursor: Some("garbage".into()),
            ..Default::default()
        };
        let e = q.parse(&scenario()).expect_err("invalid");
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["bbox", "type", "claimant", "limit", "cursor"]);
    }
}
