//! The event taxonomy: what kinds of event a claim can report, each mapped to ACLED's
//! event type and sub-event type so exports line up with the ACLED codebook.
//!
//! The taxonomy is a data file (`data/taxonomy.toml`, or a scenario's own); this module
//! parses and checks it.

use crate::ids::EventTypeId;
use crate::names::Names;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

/// ACLED's event types and their sub-event types (ACLED codebook, 2023).
pub const ACLED: &[(&str, &[&str])] = &[
    ("Battles", &["Armed clash", "Government regains territory", "Non-state actor overtakes territory"]),
    (
        "Explosions/Remote violence",
        &[
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        ],
    ),
    ("Violence against civilians", &["Sexual violence", "Attack", "Abduction/forced disappearance"]),
    ("Protests", &["Peaceful protest", "Protest with intervention", "Excessive force against protesters"]),
    ("Riots", &["Violent demonstration", "Mob violence"]),
    (
        "Strategic developments",
        &[
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ],
    ),
];

/// The broad group an event type belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventGroup {
    /// Use of force.
    Violence,
    /// Breaches of the agreement other than use of force.
    Violation,
    /// Captures, detentions, exchanges.
    Detention,
    /// Civilians, displacement, aid.
    Humanitarian,
    /// Corridors, crossings, freedom of movement.
    Movement,
    /// Talks, agreements, statements.
    Political,
}

/// One kind of event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventType {
    /// Stable id, e.g. `shelling`.
    #[schema(value_type = String)]
    pub id: EventTypeId,
    /// Label per language.
    pub label: Names,
    /// Broad group.
    pub group: EventGroup,
    /// ACLED event type.
    pub acled_event_type: String,
    /// ACLED sub-event type.
    pub acled_sub_event_type: String,
    /// What the type covers.
    #[serde(default)]
    pub description: String,
}

/// The list of event types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Format version; 1.
    pub format: u32,
    // Shared: matching keeps each claim's and each candidate's types, and a shared one
    // costs no copy of its labels and description.
    /// The event types.
    #[schema(value_type = Vec<EventType>)]
    pub event_types: Vec<Arc<EventType>>,
}

impl Taxonomy {
    /// Parses a taxonomy file and checks it; errors name the field.
    pub fn from_toml(text: &str) -> Result<Taxonomy, Vec<(String, String)>> {
        let t: Taxonomy = toml::from_str(text).map_err(|e| vec![(String::new(), e.to_string())])?;
        let errors = t.check();
        if errors.is_empty() { Ok(t) } else { Err(errors) }
    }

    /// Every problem with the taxonomy, as (field, reason).
    pub fn check(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        if self.format != 1 {
            errors.push(("format".into(), format!("format {} is not supported; expected 1", self.format)));
        }
        if self.event_types.is_empty() {
            errors.push(("event_types".into(), "at least one event type is required".into()));
        }
        for (i, t) in self.event_types.iter().enumerate() {
            let f = format!("event_types[{i}]");
            if self.event_types[..i].iter().any(|o| o.id == t.id) {
                errors.push((format!("{f}.id"), format!("duplicate event type id {:?}", t.id.as_str())));
            }
            if let Err(e) = t.label.check() {
                errors.push((format!("{f}.label"), e));
            }
            match ACLED.iter().find(|(et, _)| *et == t.acled_event_type) {
                None => errors.push((
                    format!("{f}.acled_event_type"),
                    format!("{:?} is not an ACLED event type", t.acled_event_type),
                )),
                Some((et, subs)) if !subs.contains(&t.acled_sub_event_type.as_str()) => errors.push((
                    format!("{f}.acled_sub_event_type"),
                    format!("{:?} is not a sub-event type of {et:?}", t.acled_sub_event_type),
                )),
                Some(_) => {}
            }
        }
        errors
    }

    /// The event type with this id.
    pub fn get(&self, id: &str) -> Option<&EventType> {
        self.shared(id).map(|t| &**t)
    }

    /// The event type with this id, shared.
    pub fn shared(&self, id: &str) -> Option<&Arc<EventType>> {
        self.event_types.iter().find(|t| t.id.as_str() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::TAXONOMY_TOML as ONE;

    #[test]
    fn parses_a_valid_taxonomy() {
        let t = Taxonomy::from_toml(ONE).expect("valid");
        assert_eq!(t.get("shelling").map(|t| t.group), Some(EventGroup::Violence));
    }

    #[test]
    fn refuses_a_sub_type_of_another_type() {
        let bad = ONE.replace("Shelling/artillery/missile attack", "Armed clash");
        let e = Taxonomy::from_toml(&bad).expect_err("invalid");
        assert_eq!(e[0].0, "event_types[0].acled_sub_event_type");
    }

    #[test]
    fn the_shipped_taxonomy_is_valid() {
        let text = include_str!("../../../data/taxonomy.toml");
        let t = Taxonomy::from_toml(text).expect("data/taxonomy.toml is valid");
        for id in ["armed_clash", "shelling", "small_arms_fire", "capture_detention", "ceasefire_agreed"] {
            assert!(t.get(id).is_some(), "{id} is in the taxonomy");
        }
    }
}
