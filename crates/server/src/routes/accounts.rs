//! Signing in and out, one's own account, and (for admins) users and their API tokens.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use truce_core::access::{Action, Relation};
use truce_core::ids::UserName;
use truce_core::journal::Command;
use truce_core::users::{TokenRevoked, TokenView, UserDisabled, UserInput, UserView, issue_token, verify_password};
use utoipa::ToSchema;

use super::claims::parse_json;
use super::scenario;
use crate::AppState;
use crate::auth::{Caller, SESSION_COOKIE, client_ip, session_cookie};
use crate::error::{ApiError, ErrorBody};

/// A sign-in.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignIn {
    /// User name (required).
    #[schema(required = true)]
    name: Option<String>,
    /// Password (required).
    #[schema(required = true)]
    password: Option<String>,
}

/// A browser session opened.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionView {
    /// Who signed in.
    user: UserView,
    /// Send this in `X-CSRF-Token` with every request that changes anything.
    csrf_token: String,
}

/// A password hash of nothing anyone knows, checked when the user name is unknown.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    truce_core::users::hash_password(&truce_core::users::random_secret("")).unwrap_or_default()
});

fn session_cookie_header(value: &str, max_age: Option<i64>) -> Result<HeaderValue, ApiError> {
    let mut c = cookie::Cookie::build((SESSION_COOKIE, value.to_owned()))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .path("/");
    if let Some(secs) = max_age {
        c = c.max_age(cookie::time::Duration::seconds(secs));
    }
    HeaderValue::from_str(&c.build().to_string()).map_err(|e| ApiError::Internal(format!("session cookie: {e}")))
}

/// Sign in with a name and password; answers with a session cookie and its CSRF token.
#[utoipa::path(
    post, path = "/api/v1/session", tag = "accounts",
    request_body = SignIn,
    responses(
        (status = 200, body = SessionView),
        (status = 401, description = "Wrong name or password, or the account is disabled", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    )
)]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    parts: Parts,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let input: SignIn = parse_json(body, crate::MAX_BODY_BYTES)?;
    let mut e = truce_core::FieldErrors::new();
    if input.name.as_deref().is_none_or(str::is_empty) {
        e.push("name", "is required");
    }
    if input.password.is_none() {
        e.push("password", "is required");
    }
    e.into_result(()).map_err(ApiError::Invalid)?;
    let (name, password) = (input.name.unwrap_or_default(), input.password.unwrap_or_default());
    state.auth.admit_login(&name, client_ip(&parts))?;
    let found = state.store.user_with_password(name.clone()).await?;
    let refused = || ApiError::Unauthorized("wrong user name or password".into());
    let user = match found {
        // argon2 runs on a blocking thread: it takes tens of milliseconds by design.
        Some((user, hash)) => {
            let pw = password.clone();
            let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
                .await
                .map_err(|e| ApiError::Internal(format!("password check: {e}")))?;
            if !ok {
                state.auth.login_failed(&name);
                return Err(refused());
            }
            user
        }
        None => {
            // The same work as a wrong password, so the answer's timing does not tell
            // which user names exist.
            let pw = password.clone();
            let _ = tokio::task::spawn_blocking(move || verify_password(&pw, &DUMMY_HASH)).await;
            state.auth.login_failed(&name);
            return Err(refused());
        }
    };
    if user.disabled {
        return Err(ApiError::Unauthorized("the account is disabled".into()));
    }
    state.auth.login_succeeded(&name);
    let (id, csrf_token) = state.auth.open_session(&user.name)?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session_cookie_header(&id, None)?);
    Ok((StatusCode::OK, headers, Json(SessionView { user, csrf_token })).into_response())
}

/// Sign out: ends the browser session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", responses((status = 204)))]
pub(crate) async fn sign_out(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    if let Some(id) = session_cookie(&parts) {
        state.auth.close_session(&id);
    }
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session_cookie_header("", Some(0))?);
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// The signed-in user's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody)))]
pub(crate) async fn me(State(state): State<AppState>, caller: Caller) -> Result<Json<UserView>, ApiError> {
    caller.require(Action::AccountSelf, Relation::Any)?;
    let Caller::User(u) = caller else { return Err(ApiError::Unauthorized("sign in first".into())) };
    state.store.user(u.name.to_string()).await?.map(Json).ok_or_else(|| ApiError::NotFound("no such user".into()))
}

/// Every user (admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts",
    responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_users(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<UserView>>, ApiError> {
    caller.require(Action::UserManage, Relation::Any)?;
    Ok(Json(state.store.users().await?))
}

/// Add a user (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = UserInput,
    responses((status = 201, body = UserView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::UserManage, Relation::Any)?;
    let input: UserInput = parse_json(body, crate::MAX_BODY_BYTES)?;
    let scenario = scenario(&state)?;
    let added = tokio::task::spawn_blocking(move || input.validate(&scenario))
        .await
        .map_err(|e| ApiError::Internal(format!("password hashing: {e}")))?
        .map_err(ApiError::Invalid)?;
    let view = UserView { name: added.name.to_string(), org: added.org.to_string(), role: added.role, disabled: false };
    state.store.execute(caller.actor(), Command::AddUser(Box::new(added))).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

fn user_name(name: &str) -> Result<UserName, ApiError> {
    UserName::parse(name).map_err(|_| ApiError::NotFound(format!("no user named {name:?}")))
}

/// Disable a user: their tokens and sessions stop working (admins).
#[utoipa::path(post, path = "/api/v1/users/{name}/disable", tag = "accounts",
    params(("name" = String, Path, description = "User name")),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<UserView>, ApiError> {
    caller.require(Action::UserManage, Relation::Any)?;
    let name = user_name(&name)?;
    state.store.execute(caller.actor(), Command::DisableUser(UserDisabled { name: name.clone() })).await?;
    state
        .store
        .user(name.to_string())
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no user named {name}")))
}

/// A token to issue.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenRequest {
    /// What the token is for.
    #[serde(default)]
    label: String,
    /// Days until it expires (1-730, default 90).
    expires_in_days: Option<i64>,
}

/// A token issued: the token is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IssuedToken {
    /// The bearer token; it is not stored and cannot be shown again.
    token: String,
    /// Its id, to revoke it by.
    id: String,
    /// When it expires.
    expires_at: String,
}

/// Issue an API token for a user (admins).
#[utoipa::path(post, path = "/api/v1/users/{name}/tokens", tag = "accounts", request_body = TokenRequest,
    params(("name" = String, Path, description = "User name")),
    responses((status = 201, body = IssuedToken), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.require(Action::UserManage, Relation::Any)?;
    let name = user_name(&name)?;
    let req: TokenRequest = parse_json(body, crate::MAX_BODY_BYTES)?;
    let days = req.expires_in_days.unwrap_or(90);
    if !(1..=730).contains(&days) {
        let mut e = truce_core::FieldErrors::new();
        e.push("expires_in_days", "must be between 1 and 730");
        return Err(ApiError::Invalid(e));
    }
    let (token, record) =
        issue_token(name, &req.label, chrono::Utc::now() + chrono::Duration::days(days)).map_err(ApiError::Invalid)?;
    let out = IssuedToken { token, id: record.id.clone(), expires_at: truce_core::time::fmt(record.expires_at) };
    state.store.execute(caller.actor(), Command::IssueToken(Box::new(record))).await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// A user's tokens, never the tokens themselves (admins).
#[utoipa::path(get, path = "/api/v1/users/{name}/tokens", tag = "accounts",
    params(("name" = String, Path, description = "User name")),
    responses((status = 200, body = Vec<TokenView>)))]
pub(crate) async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    caller.require(Action::UserManage, Relation::Any)?;
    Ok(Json(state.store.tokens(Some(name)).await?))
}

/// Revoke a token (admins).
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "accounts",
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::UserManage, Relation::Any)?;
    state.store.execute(caller.actor(), Command::RevokeToken(TokenRevoked { id })).await?;
    Ok(StatusCode::NO_CONTENT)
}
