//! Users, their passwords and their API tokens.
//!
//! A user belongs to an organisation (a party of the scenario, the mission's monitors among
//! them) and has one [`Role`]. Passwords are kept only as argon2id PHC strings; API tokens
//! are random, shown once, and kept only as their SHA-256. Adding and disabling users and
//! issuing and revoking tokens are journal entries like every other write; the journal's
//! payloads of these kinds are never served (see `docs/access.md`).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::Role;
use crate::error::FieldErrors;
use crate::ids::{PartyId, UserName};
use crate::scenario::Scenario;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted (argon2 takes any length; this bounds the work per login).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Prefix of every API token, so a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "truce_";

/// A new user as submitted (CLI or API).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Sign-in name: 3-64 characters of a-z, 0-9, `-`, `_`, `.` (required).
    #[schema(required = true)]
    pub name: Option<String>,
    /// The user's organisation: a party of the scenario (required).
    #[schema(required = true)]
    pub org: Option<String>,
    /// monitor, party, mediator, analyst or admin (required).
    #[schema(required = true)]
    pub role: Option<String>,
    /// At least 12 characters (required).
    #[schema(required = true)]
    pub password: Option<String>,
}

/// A user as the journal records its creation. The password is kept only as its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAdded {
    /// Sign-in name.
    pub name: UserName,
    /// Organisation.
    pub org: PartyId,
    /// Role.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// A user disabled: their sessions and tokens stop working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDisabled {
    /// Sign-in name.
    pub name: UserName,
}

/// An API token issued to a user. The token itself is shown once and never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenIssued {
    /// The token's id (a ULID), to list and revoke it by.
    pub id: String,
    /// Whose token.
    pub user: UserName,
    /// What it is for, e.g. "intake robot".
    pub label: String,
    /// When it stops working.
    #[serde(with = "crate::time::millis_rfc3339")]
    pub expires_at: DateTime<Utc>,
    /// SHA-256 of the token, lower-case hex.
    pub sha256: String,
}

/// A token revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRevoked {
    /// The token's id.
    pub id: String,
}

impl UserInput {
    /// Checks every field and hashes the password (argon2id, a fresh salt).
    pub fn validate(self, scenario: &Scenario) -> Result<UserAdded, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = match self.name.as_deref() {
            None | Some("") => {
                e.push("name", "is required");
                None
            }
            Some(n) => e.take("name", UserName::parse(n)),
        };
        let org = match self.org.as_deref() {
            None | Some("") => {
                e.push("org", "is required");
                None
            }
            Some(o) => match PartyId::parse(o) {
                Ok(id) if scenario.party(id.as_str()).is_some() => Some(id),
                Ok(id) => {
                    e.push("org", format!("no party {:?} in the scenario", id.as_str()));
                    None
                }
                Err(err) => {
                    e.push("org", err.to_string());
                    None
                }
            },
        };
        let role = match self.role.as_deref() {
            None | Some("") => {
                e.push("role", "is required");
                None
            }
            Some(r) => e.take("role", Role::parse(r)),
        };
        let password = match self.password {
            None => {
                e.push("password", "is required");
                None
            }
            Some(p) if p.chars().count() < MIN_PASSWORD_CHARS => {
                e.push("password", format!("must be at least {MIN_PASSWORD_CHARS} characters"));
                None
            }
            Some(p) if p.len() > MAX_PASSWORD_BYTES => {
                e.push("password", format!("must be at most {MAX_PASSWORD_BYTES} bytes"));
                None
            }
            Some(p) => Some(p),
        };
        match (name, org, role, password) {
            (Some(name), Some(org), Some(role), Some(password)) if e.is_empty() => {
                let password_hash = hash_password(&password).map_err(|err| {
                    let mut e = FieldErrors::new();
                    e.push("password", err);
                    e
                })?;
                Ok(UserAdded { name, org, role, password_hash })
            }
            _ => Err(e),
        }
    }
}

/// Hashes a password with argon2id and a fresh random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("could not be hashed: {e}"))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    password.len() <= MAX_PASSWORD_BYTES && Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// A fresh random secret (32 bytes from the OS), as URL-safe base64 after `prefix`.
pub fn random_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A new API token for `user`: the token to show once, and the record to journal.
pub fn issue_token(
    user: UserName,
    label: &str,
    expires_at: DateTime<Utc>,
) -> Result<(String, TokenIssued), FieldErrors> {
    let mut e = FieldErrors::new();
    let label = label.trim();
    if label.chars().count() > 200 {
        e.push("label", "must be at most 200 characters");
    }
    if expires_at <= Utc::now() {
        e.push("expires_at", "must be in the future");
    }
    e.into_result(())?;
    let token = random_secret(TOKEN_PREFIX);
    let record = TokenIssued {
        id: ulid::Ulid::new().to_string(),
        user,
        label: label.to_string(),
        expires_at,
        sha256: token_sha256(&token),
    };
    Ok((token, record))
}

/// SHA-256 of a token, lower-case hex: what is stored and looked up.
pub fn token_sha256(token: &str) -> String {
    crate::journal::sha256(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A user as listed (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    /// Sign-in name.
    pub name: String,
    /// Organisation.
    pub org: String,
    /// Role.
    pub role: Role,
    /// Whether the account is disabled.
    pub disabled: bool,
}

/// A token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    /// The token's id.
    pub id: String,
    /// Whose token.
    pub user: String,
    /// What it is for.
    pub label: String,
    /// When it stops working.
    pub expires_at: String,
    /// Whether it was revoked.
    pub revoked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tests_support::scenario;

    fn input(name: &str, org: &str, role: &str, password: &str) -> UserInput {
        UserInput {
            name: Some(name.into()),
            org: Some(org.into()),
            role: Some(role.into()),
            password: Some(password.into()),
        }
    }

    #[test]
    fn a_valid_user_keeps_only_the_password_hash() {
        let u = input("aaa.liaison", "AAA", "party", "correct horse battery").validate(&scenario()).expect("valid");
        assert_eq!(u.role, Role::Party);
        assert!(u.password_hash.starts_with("$argon2id$"), "{}", u.password_hash);
        assert!(!u.password_hash.contains("correct horse"));
        assert!(verify_password("correct horse battery", &u.password_hash));
        assert!(!verify_password("correct horse batterz", &u.password_hash));
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = input("X", "ZZZ", "root", "short").validate(&scenario()).expect_err("invalid");
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "org", "role", "password"]);
        let e = UserInput::default().validate(&scenario()).expect_err("invalid");
        assert!(e.0.iter().all(|f| f.reason == "is required"), "{e:?}");
    }

    #[test]
    fn tokens_are_random_and_stored_as_their_hash() {
        let user = UserName::parse("aaa.liaison").expect("name");
        let later = Utc::now() + chrono::Duration::days(1);
        let (t1, r1) = issue_token(user.clone(), "robot", later).expect("token");
        let (t2, r2) = issue_token(user.clone(), "robot", later).expect("token");
        assert_ne!(t1, t2);
        assert!(t1.starts_with(TOKEN_PREFIX) && t1.len() == TOKEN_PREFIX.len() + 43, "{t1}");
        assert_eq!(r1.sha256, token_sha256(&t1));
        assert_ne!(r1.sha256, r2.sha256);
        assert!(!serde_json::to_string(&r1).expect("json").contains(&t1));
        let e = issue_token(user, "x", Utc::now() - chrono::Duration::seconds(1)).expect_err("expired");
        assert_eq!(e.0[0].field, "expires_at");
    }
}
