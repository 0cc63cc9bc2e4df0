//! Submitters' signing keys. Each organisation (a party of the scenario) registers Ed25519
//! public keys as C2SP verifier keys (`name+keyid+base64`); a claim signed with one of them
//! can later be shown to be exactly what that organisation signed.

use serde::{Deserialize, Serialize};
use truce_ledger::VerifierKey;
use truce_ledger::note::TYPE_ED25519;
use utoipa::ToSchema;

use crate::error::FieldErrors;
use crate::ids::PartyId;
use crate::scenario::Scenario;

/// A key registration as submitted.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyInput {
    /// The party (organisation) the key signs for (required).
    #[schema(required = true)]
    pub party: Option<String>,
    /// The Ed25519 verifier key, `name+keyid+base64` (required; `truce keys new` makes one).
    #[schema(required = true)]
    pub key: Option<String>,
}

/// A validated key registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct KeyRegistration {
    /// The party the key signs for.
    #[schema(value_type = String)]
    pub party: PartyId,
    /// The verifier key, as given.
    pub key: String,
}

impl KeyRegistration {
    /// The parsed key.
    pub fn verifier(&self) -> Option<VerifierKey> {
        VerifierKey::parse(&self.key).ok()
    }
}

impl KeyInput {
    /// Checks the party and the key.
    pub fn validate(self, scenario: &Scenario) -> Result<KeyRegistration, FieldErrors> {
        let mut e = FieldErrors::new();
        let party = match self.party.as_deref().map(str::trim) {
            None | Some("") => {
                e.push("party", "is required");
                None
            }
            Some(p) => match PartyId::parse(p) {
                Ok(id) if scenario.party(id.as_str()).is_some() => Some(id),
                Ok(id) => {
                    e.push("party", format!("no party {:?} in the scenario", id.as_str()));
                    None
                }
                Err(err) => {
                    e.push("party", err.to_string());
                    None
                }
            },
        };
        let key = match self.key.as_deref().map(str::trim) {
            None | Some("") => {
                e.push("key", "is required");
                None
            }
            Some(k) => match VerifierKey::parse(k) {
                Ok(v) if v.sig_type() != TYPE_ED25519 => {
                    e.push("key", "must be an Ed25519 signing key (type 0x01), not a cosignature key");
                    None
                }
                Ok(v) if v.public_key().is_weak() => {
                    e.push("key", "is a weak (small-order) Ed25519 key");
                    None
                }
                Ok(v) => Some(v.to_string()),
                Err(err) => {
                    e.push("key", err.to_string());
                    None
                }
            },
        };
        match (party, key) {
            (Some(party), Some(key)) if e.is_empty() => Ok(KeyRegistration { party, key }),
            _ => Err(e),
        }
    }
}
