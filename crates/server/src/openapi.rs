//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::OpenApi;

/// The truce HTTP API.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "truce API",
        description = "Ceasefire monitoring and verification: claims, scenario, gazetteer. \
                       Errors are JSON: {\"error\": {\"code\", \"message\", \"fields\": [{\"field\", \"reason\"}]}}. \
                       Callers authenticate with `Authorization: Bearer <token>` or a session cookie from \
                       POST /api/v1/session (then every state-changing request carries X-CSRF-Token); \
                       without either they are the public. Who may do what: docs/access.md."
    ),
    modifiers(&SecuritySchemes),
    paths(
        crate::routes::claims::submit,
        crate::routes::claims::submit_batch,
        crate::routes::claims::get_one,
        crate::routes::claims::list,
        crate::routes::meta::get_scenario,
        crate::routes::places::search,
        crate::routes::meta::health,
        crate::routes::meta::openapi,
        crate::routes::log::info,
        crate::routes::log::sign_now,
        crate::routes::log::checkpoints,
        crate::routes::log::entry,
        crate::routes::keys::register,
        crate::routes::keys::list,
        crate::routes::log::inclusion,
        crate::routes::log::consistency,
        crate::routes::accounts::sign_in,
        crate::routes::accounts::sign_out,
        crate::routes::accounts::me,
        crate::routes::accounts::list_users,
        crate::routes::accounts::add_user,
        crate::routes::accounts::disable_user,
        crate::routes::accounts::issue,
        crate::routes::accounts::list_tokens,
        crate::routes::accounts::revoke,
        crate::routes::incidents::list,
        crate::routes::incidents::weeks,
        crate::routes::incidents::get_one,
        crate::routes::incidents::attach,
        crate::routes::incidents::detach,
        crate::routes::incidents::merge,
        crate::routes::incidents::split,
        crate::routes::incidents::verification,
        crate::routes::incidents::endorse,
        crate::routes::incidents::dispute,
        crate::routes::incidents::grade,
        crate::routes::export::export,
        crate::routes::records::add,
        crate::routes::records::list,
        crate::routes::records::get_one,
        crate::routes::records::link,
        crate::routes::records::erase,
        crate::routes::records::provisions,
        crate::routes::records::provision,
        crate::routes::records::control_changes,
        crate::routes::intake::ingest,
        crate::routes::intake::drafts,
        crate::routes::intake::article,
        crate::routes::intake::accept,
        crate::routes::intake::reject,
    ),
    tags(
        (name = "claims", description = "What each party, monitor or source says happened"),
        (name = "incidents", description = "The mission's record of each event: accounts side by side, verification, findings"),
        (name = "provisions", description = "Every provision tracked: its records (positions, deadlines, posts, patrols, observations, access restrictions, crossings, closures, returns, mediation) and its compliance"),
        (name = "intake", description = "News articles read into draft claims, and the monitors' review of the drafts"),
        (name = "scenario", description = "The agreement and its gazetteer"),
        (name = "keys", description = "Organisations' signing keys for signed claims"),
        (name = "ledger", description = "The tamper-evident log: checkpoints and proofs (tiles at /log/)"),
        (name = "accounts", description = "Signing in, users and API tokens"),
        (name = "exports", description = "Claims and incidents as GeoJSON, ACLED-style CSV or NDJSON"),
        (name = "meta", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

/// The two ways to authenticate: a bearer token, or the browser's session cookie.
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token from `truce user token` or POST /api/v1/users/{name}/tokens"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The browser session from POST /api/v1/session; send X-CSRF-Token with writes",
            ))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The API's shape, reviewed when it changes (`cargo insta review`, or rerun with
    /// `INSTA_UPDATE=always` and read the diff).
    #[test]
    fn openapi_document_snapshot() {
        insta::assert_json_snapshot!("openapi", ApiDoc::openapi());
    }
}
