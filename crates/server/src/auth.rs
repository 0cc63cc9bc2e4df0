//! Who is calling, and whether they may.
//!
//! API clients send `Authorization: Bearer <token>`; browsers sign in at
//! `POST /api/v1/session` and get a session cookie (HttpOnly, SameSite=Strict) and a CSRF
//! token that every state-changing request must echo in `X-CSRF-Token`. No credentials is
//! the anonymous public. Sign-ins are rate limited per account and per address. Every
//! decision goes through the permission matrix of `truce_core::access`.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, header};
use truce_core::access::{self, Action, Relation, Role, Viewer};
use truce_core::claims::{PersonalData, Visibility};
use truce_core::ids::{PartyId, UserName};
use truce_core::journal::Actor;
use truce_core::users::{UserView, random_secret, token_sha256};

use crate::AppState;
use crate::error::ApiError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "truce_session";
/// The header that carries the CSRF token of a cookie session.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts without use.
pub const SESSION_IDLE: Duration = Duration::from_secs(8 * 3600);
/// Failed sign-ins allowed per account within [`LOGIN_WINDOW`].
pub const LOGIN_FAILURES_PER_ACCOUNT: usize = 5;
/// Sign-in attempts allowed per client address within [`LOGIN_WINDOW`].
pub const LOGIN_ATTEMPTS_PER_ADDRESS: usize = 30;
/// The window of the sign-in limits.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct User {
    /// Sign-in name.
    pub name: UserName,
    /// Organisation.
    pub org: PartyId,
    /// Role.
    pub role: Role,
}

impl User {
    fn from_view(v: UserView) -> Result<User, ApiError> {
        Ok(User {
            name: UserName::parse(&v.name).map_err(|e| ApiError::Internal(format!("stored user name: {e}")))?,
            org: PartyId::parse(&v.org).map_err(|e| ApiError::Internal(format!("stored user org: {e}")))?,
            role: v.role,
        })
    }
}

/// Who is calling.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credentials.
    Public,
    /// A user, by token or session.
    User(User),
}

impl Caller {
    /// The matrix column.
    pub fn viewer(&self) -> Viewer {
        match self {
            Caller::Public => Viewer::Public,
            Caller::User(u) => Viewer::User(u.role),
        }
    }

    /// Who the journal records as acting.
    pub fn actor(&self) -> Actor {
        match self {
            Caller::Public => Actor::anonymous(),
            Caller::User(u) => Actor::user(&u.name),
        }
    }

    /// The caller's organisation.
    pub fn org(&self) -> Option<&PartyId> {
        match self {
            Caller::Public => None,
            Caller::User(u) => Some(&u.org),
        }
    }

    /// How an object of organisation `org` relates to the caller (before publication).
    pub fn relation_to(&self, org: Option<&str>) -> Relation {
        match (self.org(), org) {
            (Some(mine), Some(theirs)) if mine.as_str() == theirs => Relation::Own,
            _ => Relation::Other,
        }
    }

    /// Whether the caller may `action` (a read) on a claim with this access: as its own
    /// organisation's or another's, or as published.
    pub fn may_read_claim(&self, action: Action, access: &truce_store::ClaimAccess) -> bool {
        self.may(action, self.relation_to(access.org.as_deref()))
            || (access.public && self.may(action, Relation::Published))
    }

    /// Whether the matrix allows this.
    pub fn may(&self, action: Action, relation: Relation) -> bool {
        access::allowed(self.viewer(), action, relation)
    }

    /// Refuses what the matrix does not allow: 401 for the public (signing in may help),
    /// 403 for a user.
    pub fn require(&self, action: Action, relation: Relation) -> Result<(), ApiError> {
        if self.may(action, relation) {
            return Ok(());
        }
        Err(match self {
            Caller::Public => ApiError::Unauthorized(format!("{} needs a signed-in user", action.describe())),
            Caller::User(u) => ApiError::Forbidden(format!(
                "a {} user may not {}{}",
                u.role.as_str(),
                action.describe(),
                match relation {
                    Relation::Other => " of another organisation",
                    _ => "",
                }
            )),
        })
    }

    /// Which claims the caller may list, search and export.
    pub fn claim_visibility(&self) -> Visibility {
        if self.may(Action::ClaimRead, Relation::Other) {
            Visibility::All
        } else if let (true, Some(org)) = (self.may(Action::ClaimRead, Relation::Own), self.org()) {
            Visibility::Org(org.clone())
        } else {
            Visibility::Published
        }
    }

    /// Whose personal data the caller sees in the claims they read, from the matrix.
    pub fn personal_data(&self) -> PersonalData {
        PersonalData {
            org: self.org().cloned(),
            own: self.may(Action::PersonalDataRead, Relation::Own),
            other: self.may(Action::PersonalDataRead, Relation::Other),
            published: self.may(Action::PersonalDataRead, Relation::Published),
        }
    }
}

/// A browser session.
#[derive(Debug, Clone)]
struct Session {
    user: String,
    csrf: String,
    last_used: Instant,
}

/// Sessions and sign-in limits, in memory: a restart signs everyone out.
#[derive(Debug, Default)]
pub struct AuthState {
    /// By SHA-256 of the session id.
    sessions: Mutex<HashMap<String, Session>>,
    /// Failed sign-ins by account, and attempts by address.
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    attempts: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

fn recent(q: &mut VecDeque<Instant>, now: Instant) -> usize {
    while q.front().is_some_and(|t| now.duration_since(*t) > LOGIN_WINDOW) {
        q.pop_front();
    }
    q.len()
}

fn retry_after(q: &VecDeque<Instant>, now: Instant) -> u64 {
    q.front().map_or(1, |t| LOGIN_WINDOW.saturating_sub(now.duration_since(*t)).as_secs().max(1))
}

impl AuthState {
    /// Counts a sign-in attempt from `addr` for `account`; refuses it (429) when either has
    /// reached its limit.
    pub fn admit_login(&self, account: &str, addr: Option<IpAddr>) -> Result<(), ApiError> {
        let now = Instant::now();
        if let Some(ip) = addr {
            let mut attempts =
                self.attempts.lock().map_err(|_| ApiError::Internal("sign-in limiter poisoned".into()))?;
            attempts.retain(|_, q| recent(q, now) > 0);
            let q = attempts.entry(ip).or_default();
            if recent(q, now) >= LOGIN_ATTEMPTS_PER_ADDRESS {
                return Err(ApiError::TooManyRequests {
                    message: format!("too many sign-in attempts from {ip}; try again later"),
                    retry_after: retry_after(q, now),
                });
            }
            q.push_back(now);
        }
        let mut failures = self.failures.lock().map_err(|_| ApiError::Internal("sign-in limiter poisoned".into()))?;
        if let Some(q) = failures.get_mut(account)
            && recent(q, now) >= LOGIN_FAILURES_PER_ACCOUNT
        {
            return Err(ApiError::TooManyRequests {
                message: format!("too many failed sign-ins for {account:?}; try again later"),
                retry_after: retry_after(q, now),
            });
        }
        Ok(())
    }

    /// Records a failed sign-in for `account`.
    pub fn login_failed(&self, account: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            let now = Instant::now();
            failures.retain(|_, q| recent(q, now) > 0);
            failures.entry(account.to_owned()).or_default().push_back(now);
        }
    }

    /// Forgets the failures of an account that signed in.
    pub fn login_succeeded(&self, account: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(account);
        }
    }

    /// Opens a session for `user`: the session id (the cookie) and its CSRF token.
    pub fn open_session(&self, user: &str) -> Result<(String, String), ApiError> {
        let id = random_secret("");
        let csrf = random_secret("");
        let mut sessions = self.sessions.lock().map_err(|_| ApiError::Internal("sessions poisoned".into()))?;
        let now = Instant::now();
        sessions.retain(|_, s| now.duration_since(s.last_used) < SESSION_IDLE);
        sessions.insert(token_sha256(&id), Session { user: user.to_owned(), csrf: csrf.clone(), last_used: now });
        Ok((id, csrf))
    }

    /// Ends a session.
    pub fn close_session(&self, id: &str) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.remove(&token_sha256(id));
        }
    }

    /// The user of a live session and its CSRF token, refreshing its idle timer.
    fn session(&self, id: &str) -> Option<(String, String)> {
        let mut sessions = self.sessions.lock().ok()?;
        let key = token_sha256(id);
        let now = Instant::now();
        match sessions.get_mut(&key) {
            Some(s) if now.duration_since(s.last_used) < SESSION_IDLE => {
                s.last_used = now;
                Some((s.user.clone(), s.csrf.clone()))
            }
            Some(_) => {
                sessions.remove(&key);
                None
            }
            None => None,
        }
    }
}

/// The session id in a request's cookies, if any.
pub fn session_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
}

/// The client's address, when the server was started with connection info.
pub fn client_ip(parts: &Parts) -> Option<IpAddr> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token =
                value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).ok_or_else(|| {
                    ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".into())
                })?;
            let now = chrono::Utc::now().timestamp_millis();
            let user = state.store.user_for_token(token_sha256(token), now).await?.ok_or_else(|| {
                ApiError::Unauthorized(
                    "the bearer token is unknown, expired or revoked, or its user is disabled".into(),
                )
            })?;
            return Ok(Caller::User(User::from_view(user)?));
        }
        let Some(id) = session_cookie(parts) else { return Ok(Caller::Public) };
        let Some((name, csrf)) = state.auth.session(&id) else {
            return Err(ApiError::Unauthorized("the session has ended; sign in again".into()));
        };
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if sent != Some(csrf.as_str()) {
                return Err(ApiError::Forbidden(format!(
                    "a signed-in browser request that changes anything must carry the session's CSRF token in {CSRF_HEADER}"
                )));
            }
        }
        match state.store.user(name).await? {
            Some(u) if !u.disabled => Ok(Caller::User(User::from_view(u)?)),
            _ => {
                state.auth.close_session(&id);
                Err(ApiError::Unauthorized("the account is disabled".into()))
            }
        }
    }
}
