//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::OpenApi;

/// The truce HTTP API.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "truce API",
        description = "Ceasefire monitoring and verification: claims, scenario, gazetteer. \
                       Errors are JSON: {\"error\": {\"code\", \"message\", \"fields\": [{\"field\", \"reason\"}]}}."
    ),
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
    ),
    tags(
        (name = "claims", description = "What each party, monitor or source says happened"),
        (name = "scenario", description = "The agreement and its gazetteer"),
        (name = "keys", description = "Organisations' signing keys for signed claims"),
        (name = "ledger", description = "The tamper-evident log: checkpoints and proofs (tiles at /log/)"),
        (name = "meta", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

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
