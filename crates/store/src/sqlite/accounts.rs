//! Reading users and tokens: who a token or a password belongs to, and the account lists.

use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use truce_core::access::Role;
use truce_core::users::{TokenView, UserView};

use super::Store;
use crate::StoreError;

fn role(s: &str) -> Result<Role, StoreError> {
    Role::parse(s).map_err(|e| StoreError::Internal(format!("stored role: {e}")))
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, bool)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn view((name, org, role_name, disabled): (String, String, String, bool)) -> Result<UserView, StoreError> {
    Ok(UserView { name, org, role: role(&role_name)?, disabled })
}

/// Tokens already looked up: by SHA-256, the user and the token's expiry (ms). Every request
/// with a bearer token asks; without this each would be a database read on the blocking
/// pool. The writer empties it after committing any account change (a user disabled, a
/// token revoked), so a revocation takes effect with the commit that records it; only this
/// process writes the database, so nothing else can change accounts behind it.
pub(crate) type TokenCache = Arc<Mutex<HashMap<String, (UserView, i64)>>>;

/// Most tokens kept; past it the cache starts again empty.
const MAX_CACHED_TOKENS: usize = 10_000;

impl Store {
    /// The user an API token belongs to, if the token is known, unrevoked and unexpired and
    /// its user is not disabled. `sha256` is the token's hash (`users::token_sha256`).
    pub async fn user_for_token(&self, sha256: String, now_ms: i64) -> Result<Option<UserView>, StoreError> {
        if let Ok(cache) = self.inner.tokens.lock()
            && let Some((user, expires)) = cache.get(&sha256)
            && *expires > now_ms
        {
            return Ok(Some(user.clone()));
        }
        let cache = self.inner.tokens.clone();
        self.read(move |c| {
            let row = c
                .prepare_cached(
                    "SELECT u.name, u.org, u.role, u.disabled, t.expires_at FROM tokens t JOIN users u ON u.name = t.user
                     WHERE t.sha256 = ?1 AND t.revoked = 0 AND t.expires_at > ?2 AND u.disabled = 0",
                )?
                .query_row(params![sha256, now_ms], |r| Ok((user_row(r)?, r.get::<_, i64>(4)?)))
                .optional()?;
            let Some((row, expires)) = row else { return Ok(None) };
            let user = view(row)?;
            // Only known tokens are kept: unknown ones cannot fill the cache.
            if let Ok(mut cache) = cache.lock() {
                if cache.len() >= MAX_CACHED_TOKENS {
                    cache.clear();
                }
                cache.insert(sha256, (user.clone(), expires));
            }
            Ok(Some(user))
        })
        .await
    }

    /// A user and their password hash, to check a sign-in.
    pub async fn user_with_password(&self, name: String) -> Result<Option<(UserView, String)>, StoreError> {
        self.read(move |c| {
            let row = c
                .prepare_cached("SELECT name, org, role, disabled, password_hash FROM users WHERE name = ?1")?
                .query_row([name], |r| Ok((user_row(r)?, r.get::<_, String>(4)?)))
                .optional()?;
            row.map(|(u, hash)| Ok((view(u)?, hash))).transpose()
        })
        .await
    }

    /// One user, without secrets.
    pub async fn user(&self, name: String) -> Result<Option<UserView>, StoreError> {
        Ok(self.user_with_password(name).await?.map(|(u, _)| u))
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<UserView>, StoreError> {
        self.read(|c| {
            let rows = c
                .prepare_cached("SELECT name, org, role, disabled FROM users ORDER BY name")?
                .query_map([], user_row)?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(view).collect()
        })
        .await
    }

    /// Every token (of `user`, if given), oldest first; never the tokens themselves.
    pub async fn tokens(&self, user: Option<String>) -> Result<Vec<TokenView>, StoreError> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT id, user, label, expires_at, revoked FROM tokens WHERE ?1 IS NULL OR user = ?1 ORDER BY seq",
            )?
            .query_map([user], |r| {
                Ok(TokenView {
                    id: r.get(0)?,
                    user: r.get(1)?,
                    label: r.get(2)?,
                    expires_at: truce_core::time::fmt(truce_core::time::from_millis(r.get(3)?)),
                    revoked: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// Who may read the claim recorded at `seq` (`None` when no claim is there).
    pub async fn claim_access(&self, seq: u64) -> Result<Option<super::ClaimAccess>, StoreError> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT org, seq IN (SELECT ic.claim_seq FROM incident_claims ic JOIN incidents i ON i.id = ic.incident
                                     WHERE i.public = 1)
                 FROM claims WHERE seq = ?1",
            )?
            .query_row([seq as i64], |r| Ok(super::ClaimAccess { org: r.get(0)?, public: r.get(1)? }))
            .optional()?)
        })
        .await
    }
}
