//! `GET /api/v1/openapi.json`: the OpenAPI document, generated from the handlers' and wire
//! types' annotations (utoipa). The e2e suite checks every documented operation is routed.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Khuyến công sync API", version = "1", description = "Submissions, receipts, drafts, rule pack, changes feed. Errors are kc_api::ErrorBody with Vietnamese then English messages."),
    paths(
        super::applications::submit,
        super::applications::status,
        super::drafts::park,
        super::drafts::resume,
        super::rulepack::info,
        super::rulepack::full,
        super::changes::changes,
        super::health::healthz,
        super::health::readyz,
        openapi_json,
    ),
    components(schemas(kc_api::ErrorBody, kc_api::FieldError, kc_api::ReviewState)),
    modifiers(&Bearer),
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
