//! Listing incidents: the claim filters, plus state, attribution and overdue.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::State;
use crate::claims::{ClaimFilter, ClaimQuery};
use crate::error::FieldErrors;
use crate::ids::ProvisionId;
use crate::scenario::Scenario;

/// `GET /api/v1/incidents` parameters, as given.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// `min_lon,min_lat,max_lon,max_lat`.
    pub bbox: Option<String>,
    /// Occurred on or after (RFC 3339, `YYYY-MM-DD` or `YYYY-MM`).
    pub from: Option<String>,
    /// Occurred on or before.
    pub to: Option<String>,
    /// Event type ids, comma-separated.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<String>,
    /// A claimant among the incident's accounts.
    pub claimant: Option<String>,
    /// A party accused in the incident's accounts.
    pub accused: Option<String>,
    /// States, comma-separated (`under_review,access_denied`).
    pub state: Option<String>,
    /// Attributed to this party, or `shared`, `not_attributable`, `not_assessed`.
    pub attribution: Option<String>,
    /// A provision id: only incidents whose finding names it as breached.
    pub provision: Option<String>,
    /// `true`: only incidents past their state's deadline.
    pub overdue: Option<String>,
    /// Page size (1-500, default 50).
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A checked incident filter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncidentFilter {
    /// The filters incidents share with claims (over the incident's claims together).
    pub claims: ClaimFilter,
    /// Any of these states (none: all but `merged`).
    pub states: Vec<State>,
    /// Attribution key.
    pub attribution: Option<String>,
    /// Only incidents whose finding names this provision as breached.
    pub provision: Option<ProvisionId>,
    /// Only those past their state's deadline at this time.
    pub overdue_at: Option<DateTime<Utc>>,
    /// Only public incidents (the caller may read no others).
    pub public_only: bool,
}

impl IncidentQuery {
    /// Checks every parameter; each bad one is named.
    pub fn parse(&self, scenario: &Scenario) -> Result<IncidentFilter, FieldErrors> {
        let shared = ClaimQuery {
            bbox: self.bbox.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            event_type: self.event_type.clone(),
            claimant: self.claimant.clone(),
            accused: self.accused.clone(),
            q: None,
            limit: self.limit.clone(),
            cursor: self.cursor.clone(),
        };
        let mut e = FieldErrors::new();
        let claims = match shared.parse(scenario) {
            Ok(f) => Some(f),
            Err(errs) => {
                e.0.extend(errs.0);
                None
            }
        };
        let mut states = Vec::new();
        for s in self.state.iter().flat_map(|s| s.split(',')).map(str::trim).filter(|s| !s.is_empty()) {
            match State::parse(s) {
                Ok(st) => states.push(st),
                Err(err) => e.push("state", err),
            }
        }
        let attribution = self.attribution.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned);
        if let Some(a) = &attribution
            && scenario.party(a).is_none()
            && !["shared", "not_attributable", "not_assessed"].contains(&a.as_str())
        {
            e.push("attribution", format!("{a:?} is neither a party nor shared, not_attributable, not_assessed"));
        }
        let provision = match self.provision.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => match ProvisionId::parse(p) {
                Ok(id) if scenario.provisions.iter().any(|x| x.id == id) => Some(id),
                _ => {
                    e.push("provision", format!("no provision {p:?} in the scenario"));
                    None
                }
            },
        };
        let overdue_at = match self.overdue.as_deref() {
            None | Some("") | Some("false") => None,
            Some("true") => Some(Utc::now()),
            Some(other) => {
                e.push("overdue", format!("{other:?} is not true or false"));
                None
            }
        };
        match claims {
            Some(claims) if e.is_empty() => {
                Ok(IncidentFilter { claims, states, attribution, provision, overdue_at, public_only: true })
            }
            _ => Err(e),
        }
    }
}
