//! Identifiers. Each kind of id is its own type, parsed once at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct IdError(pub String);

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $check:expr, $expect:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses an identifier, refusing anything that is not of the expected shape.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                let check: fn(&str) -> bool = $check;
                if check(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(IdError(format!("{:?} is not {}", s, $expect)))
                }
            }
            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
    };
}

fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=16).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=64).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn is_user_name(s: &str) -> bool {
    let b = s.as_bytes();
    (3..=64).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'.'))
}

fn is_lang(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

string_id!(
    /// A party to the agreement or an organisation taking part in it: `ARM`, `JMC`, `UNHCR`.
    PartyId, is_code, "a party code (2-16 characters: A-Z, 0-9, _; starting with a letter)"
);
string_id!(
    /// A provision of the agreement: `P1`.
    ProvisionId, is_slug, "a provision id (1-64 characters: letters, digits, - _ .)"
);
string_id!(
    /// A gazetteer place: `lachin`, `mount-kilisali`.
    PlaceId, is_slug, "a place id (1-64 characters: letters, digits, - _ .)"
);
string_id!(
    /// A zone of the scenario: the line of contact, a corridor, a district.
    ZoneId, is_slug, "a zone id (1-64 characters: letters, digits, - _ .)"
);
string_id!(
    /// An observation post or checkpoint.
    PostId, is_slug, "a post id (1-64 characters: letters, digits, - _ .)"
);
string_id!(
    /// An event type of the taxonomy: `shelling`.
    EventTypeId, is_slug, "an event type id (1-64 characters: letters, digits, - _ .)"
);
string_id!(
    /// A free label on a claim: `demo`.
    Tag, is_slug, "a tag (1-64 characters: letters, digits, - _ .)"
);
string_id!(
    /// A BCP 47 language tag such as `ar` or `ru`.
    Lang, is_lang, "a language tag such as \"en\", \"ar\" or \"ru\""
);

string_id!(
    /// A user's sign-in name: `arm.liaison`.
    UserName, is_user_name, "a user name (3-64 characters: a-z, 0-9, - _ .; starting with a letter)"
);

/// A claim's id: the ULID of the journal entry that submitted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClaimId(pub ulid::Ulid);

impl ClaimId {
    /// Parses the 26-character Crockford base-32 form.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        ulid::Ulid::from_string(s)
            .map(ClaimId)
            .map_err(|_| IdError(format!("{s:?} is not a claim id (26 characters of Crockford base 32)")))
    }
}

impl fmt::Display for ClaimId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_codes_are_upper_case() {
        assert!(PartyId::parse("ARM").is_ok());
        assert!(PartyId::parse("UNHCR").is_ok());
        assert!(PartyId::parse("arm").is_err());
        assert!(PartyId::parse("A").is_err());
        assert!(PartyId::parse("").is_err());
    }

    #[test]
    fn slugs_refuse_spaces_and_empty() {
        assert!(PlaceId::parse("mount-kilisali").is_ok());
        assert!(PlaceId::parse("mount kilisali").is_err());
        assert!(PlaceId::parse("").is_err());
        assert!(PlaceId::parse("-x").is_err());
    }

    #[test]
    fn claim_ids_are_ulids() {
        let id = ClaimId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").expect("valid");
        assert_eq!(id.to_string(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assert!(ClaimId::parse("not-an-id").is_err());
        assert!(ClaimId::parse("").is_err());
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "ar", "ru", "hy", "az", "az-Latn", "zh-Hant-TW"] {
            assert!(Lang::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "EN", "e", "english", "en-", "en_US"] {
            assert!(Lang::parse(bad).is_err(), "{bad}");
        }
    }
}
