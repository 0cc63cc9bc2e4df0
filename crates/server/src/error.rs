//! The one mapping from errors to HTTP responses, and the JSON error shape:
//! `{"error": {"code", "message", "fields": [{"field", "reason"}]}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use truce_core::{FieldError, FieldErrors};
use truce_store::StoreError;
use utoipa::ToSchema;

/// An error answered to an API client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON.
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    /// The body is JSON but a field has the wrong shape.
    #[error("a field has the wrong type")]
    WrongShape(FieldErrors),
    /// Fields failed validation.
    #[error("the input has invalid fields")]
    Invalid(FieldErrors),
    /// Query parameters failed validation.
    #[error("the query has invalid parameters")]
    BadQuery(FieldErrors),
    /// No such resource.
    #[error("{0}")]
    NotFound(String),
    /// The body exceeds the limit.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// The database holds no scenario.
    #[error("the database has no scenario loaded; run `truce init` first")]
    NotInitialised,
    /// The service cannot take this request now.
    #[error("the service is unavailable: {0}")]
    Unavailable(String),
    /// The HTTP method is not one the route takes.
    #[error("this route does not take that method")]
    MethodNotAllowed,
    /// The command conflicts with the journal.
    #[error("{0}")]
    Conflict(String),
    /// No valid credentials where they are needed.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts; try again after `retry_after` seconds.
    #[error("{message}")]
    TooManyRequests {
        /// What was refused.
        message: String,
        /// Seconds to wait.
        retry_after: u64,
    },
    /// Anything else; details go to the log, not the client.
    #[error("internal error")]
    Internal(String),
}

/// The JSON error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// Each bad field and why.
    pub fields: Vec<FieldError>,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::MalformedJson(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            ApiError::WrongShape(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field_type"),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            ApiError::BadQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::NotInitialised => (StatusCode::SERVICE_UNAVAILABLE, "not_initialised"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let fields = match &self {
            ApiError::WrongShape(f) | ApiError::Invalid(f) | ApiError::BadQuery(f) => f.0.clone(),
            _ => Vec::new(),
        };
        let message = match &self {
            ApiError::MalformedJson(_)
            | ApiError::NotFound(_)
            | ApiError::TooLarge(_)
            | ApiError::Conflict(_)
            | ApiError::Unauthorized(_)
            | ApiError::Forbidden(_)
            | ApiError::TooManyRequests { .. }
            | ApiError::Unavailable(_) => self.to_string(),
            _ if !fields.is_empty() => format!("{}: {}", self, FieldErrors(fields.clone())),
            _ => self.to_string(),
        };
        let mut response = (status, Json(ErrorBody { error: ErrorDetail { code, message, fields } })).into_response();
        match &self {
            ApiError::Unauthorized(_) => {
                response
                    .headers_mut()
                    .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
            }
            ApiError::TooManyRequests { retry_after, .. } => {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, (*retry_after).into());
            }
            _ => {}
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotInitialised => ApiError::NotInitialised,
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::Stopped(m) => ApiError::Unavailable(m),
            StoreError::OutOfRange(m) | StoreError::NotFound(m) => ApiError::NotFound(m),
            StoreError::Forbidden(m) => ApiError::Forbidden(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}
