//! The demo page at `/` and the widget bundle under `/widget/`, from `static_dir`.
//!
//! `/widget/FILE` is looked up in `<static_dir>/widget/FILE`, then `<static_dir>/FILE`, so
//! either bundle layout works, gzipped from `FILE.gz` when there is one and the browser
//! accepts it. Without a bundle, `/` explains how to build one.

use std::path::Path;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

/// Shown at `/` when `<static_dir>/index.html` is missing.
pub const NO_BUNDLE_PAGE: &str = "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
<title>Khuyến công</title></head><body>\
<h1>Chưa có gói giao diện (widget)</h1>\
<p>Máy chủ đang chạy nhưng chưa tìm thấy trang demo. Hãy chạy <code>cargo xtask serve</code> \
để dựng widget và mở trang này.</p>\
<p lang=\"en\">The server is running but the demo page is missing: run <code>cargo xtask serve</code>.</p>\
</body></html>\n";

/// The routes of this module. Files are sent gzipped from their precompressed `FILE.gz`
/// sibling (written by `cargo xtask dist`) when the browser accepts gzip.
pub fn router(static_dir: &Path) -> Router<AppState> {
    let files = ServeDir::new(static_dir.join("widget"))
        .precompressed_gzip()
        .fallback(ServeDir::new(static_dir).precompressed_gzip());
    // The bundle is public and fetched without credentials: a host page on any origin may
    // import the module scripts and fetch the wasm (module scripts and `fetch` need CORS).
    let widget = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
        .service(files);
    Router::new().route("/", get(index)).nest_service("/widget", widget)
}

async fn index(State(state): State<AppState>) -> Response {
    match tokio::fs::read_to_string(state.settings.static_dir.join("index.html")).await {
        Ok(page) => Html(page).into_response(),
        Err(_) => Html(NO_BUNDLE_PAGE).into_response(),
    }
}
