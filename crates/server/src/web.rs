//! The web UI, built from `web/` by build.rs and embedded: `/` is its page, `/assets/…` its
//! files (named by content hash, so cached for a year).

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::Embed)]
#[folder = "$OUT_DIR/web"]
struct Assets;

fn file(path: &str, immutable: bool) -> Response {
    match Assets::get(path) {
        Some(f) => {
            let mime = f.metadata.mimetype().to_owned();
            let cache = if immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
                ],
                f.data,
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// `GET /`: the UI's page.
pub(crate) async fn index() -> Response {
    file("index.html", false)
}

/// `GET /assets/{file}`.
pub(crate) async fn asset(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.contains("..") {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    file(path, true)
}
