//! `GET /api/v1/openapi.json`: the OpenAPI document, generated from the handlers' and wire
//! types' annotations (utoipa). The e2e suite checks every documented operation is routed.

use std::sync::OnceLock;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::{Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Khuyến công sync API", version = "1", description = "Submissions, signed receipts, drafts, rule pack, changes feed. Errors are kc_api::ErrorBody with Vietnamese then English messages."),
    paths(
        super::applications::submit,
        super::applications::status,
        super::applications::signed,
        super::keys::keys,
        super::drafts::park,
        super::drafts::resume,
        super::rulepack::info,
        super::rulepack::full,
        super::changes::changes,
        super::health::healthz,
        super::health::readyz,
        openapi_json,
    ),
    components(schemas(kc_api::ErrorBody, kc_api::FieldError, kc_api::ReviewState, kc_api::DecisionUsed, kc_api::CurrentDecision)),
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
pub async fn openapi_json() -> impl IntoResponse {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = TEXT.get_or_init(|| document().to_string());
    ([(header::CONTENT_TYPE, "application/json")], text.as_str())
}

/// The served document: utoipa's, with the engine's types described exactly
/// ([`super::schemas`]) where utoipa only knows them as objects, and examples.
pub fn document() -> Value {
    use super::schemas::{or_null, r};
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises");
    {
        let schemas = doc["components"]["schemas"].as_object_mut().expect("components.schemas");
        for (name, schema) in super::schemas::all() {
            schemas.insert(name.to_owned(), schema);
        }
    }
    let mut set = |schema: &str, property: &str, value: Value| {
        let slot = &mut doc["components"]["schemas"][schema]["properties"][property];
        assert!(!slot.is_null(), "{schema}.{property} is in the generated document");
        let description = slot.get("description").cloned();
        *slot = value;
        if let (Some(d), Some(o)) = (description, slot.as_object_mut())
            && !o.contains_key("$ref")
        {
            o.insert("description".to_owned(), d);
        }
    };
    set("Submission", "application", r("Application"));
    set("Submission", "client_decision", r("Decision"));
    set("Submission", "client_as_of", json!({ "type": "string", "format": "date" }));
    set("DraftPark", "application", r("Application"));
    set("ParkedDraft", "application", r("Application"));
    set("Receipt", "decision", r("Decision"));
    set("SignedReceipt", "answers", r("Application"));
    set("SignedReceipt", "decision", r("Decision"));
    // Signed receipts: the exact forms (docs/receipts.md).
    let hex = |n: usize| json!({ "type": "string", "pattern": format!("^[0-9a-f]{{{n}}}$") });
    set(
        "Attestation",
        "as_of",
        json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }),
    );
    set("Attestation", "v", json!({ "type": "integer", "enum": [kc_attest::VERSION] }));
    set("Attestation", "alg", json!({ "type": "string", "enum": [kc_attest::ALGORITHM] }));
    set("Attestation", "key_id", hex(16));
    set("Attestation", "digest", hex(64));
    set("Attestation", "signature", hex(128));
    set("PublicKeyInfo", "alg", json!({ "type": "string", "enum": [kc_attest::ALGORITHM] }));
    set("PublicKeyInfo", "key_id", hex(16));
    set("PublicKeyInfo", "public_key", hex(64));
    set("Keys", "keys", json!({ "type": "array", "minItems": 1, "items": r("PublicKeyInfo") }));
    set("StatusView", "outcome", r("Outcome"));
    set("StatusView", "lines", json!({ "type": "array", "items": r("Line") }));
    set("StatusView", "amount", or_null(r("Vnd")));
    set("StatusView", "next_step", r("Text"));
    set("StatusView", "current", or_null(r("CurrentDecision")));
    set("StatusView", "decision_note", or_null(r("Text")));
    set("StatusView", "decision_used", r("DecisionUsed"));
    set("CurrentDecision", "outcome", r("Outcome"));
    set("CurrentDecision", "amount", or_null(r("Vnd")));
    set("CurrentDecision", "amount_national", or_null(r("Vnd")));
    set("CurrentDecision", "amount_local", or_null(r("Vnd")));
    set("ApplicationRecord", "status", r("ReviewState"));
    set("ApplicationRecord", "outcome", r("Outcome"));
    set("ApplicationRecord", "support_line", or_null(r("Line")));
    set("ApplicationRecord", "support_lines", json!({ "type": "array", "items": r("Line") }));
    set("ApplicationRecord", "amount_national", or_null(r("Vnd")));
    set("ApplicationRecord", "amount_local", or_null(r("Vnd")));
    set("ApplicationRecord", "contact", or_null(r("Contact")));
    set("ApplicationRecord", "answers", r("Application"));
    set("ApplicationRecord", "client_decision", r("Decision"));
    set("ApplicationRecord", "server_decision", r("Decision"));
    set("Change", "kind", json!({ "type": "string", "enum": ["created", "updated"] }));
    // The server needs a contact (a name, and a phone or an e-mail).
    set("Submission", "contact", r("Contact"));
    if let Some(required) = doc["components"]["schemas"]["Submission"]["required"].as_array_mut() {
        required.push(json!("contact"));
    }
    let text = json!({ "type": "string", "maxLength": 500 });
    doc["components"]["schemas"]["Contact"] = json!({
        "type": "object", "required": ["name"], "additionalProperties": false,
        "anyOf": [{ "required": ["phone"] }, { "required": ["email"] }],
        "description": "A name and a Vietnamese phone number (mobile 10 digits, landline 11 from 02; spaces, dots, dashes, +84 allowed) or an e-mail address.",
        "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 500, "example": "Cơ sở cơ khí Hòa Bình" },
            "phone": or_null(json!({ "type": "string", "maxLength": 500, "example": "0912 345 678" })),
            "email": or_null(text),
        },
    });
    // Examples: a real submission (its decision computed now by the engine) and a draft.
    let (application, decision) = example();
    let submission = json!({
        "client_id": "0b5f9e36-3c1a-4c8e-9a57-2f1d7c0e6b21",
        "application": application,
        "client_as_of": decision["as_of"],
        "client_decision": decision,
        "client_pack_id": kc_rulepack::PACK_ID,
        "contact": { "name": "Cơ sở cơ khí Hòa Bình", "phone": "0912 345 678" }
    });
    let body = |path: &str| format!("/paths/{}/post/requestBody/content/application~1json", path.replace('/', "~1"));
    if let Some(content) = doc.pointer_mut(&body("/api/v1/applications")) {
        content["example"] = submission;
    }
    // A receipt's code leads to its status view and its signed receipt (schemathesis' stateful
    // phase follows these links, so the 200 answers are checked against their schemas too).
    for status in ["200", "201"] {
        if let Some(response) = doc.pointer_mut(&format!("/paths/~1api~1v1~1applications/post/responses/{status}")) {
            response["links"] = json!({
                "status": { "operationId": "status", "parameters": { "receipt": "$response.body#/code" } },
                "signed_receipt": { "operationId": "signed", "parameters": { "receipt": "$response.body#/code" } },
            });
        }
    }
    if let Some(content) = doc.pointer_mut(&body("/api/v1/drafts")) {
        content["example"] = json!({ "client_id": "6f1c2a9e-8d4b-4f0a-b3e2-5c7d9a1e0f43", "application": application });
    }
    doc
}

/// The documented example application (`docs/examples/machinery.json`: a household business's
/// 700,000,000 đ machine) and the engine's decision on it today.
fn example() -> (Value, Value) {
    let pack = kc_rulepack::bundled();
    let app: kc_rules::Application =
        serde_json::from_str(include_str!("../../../docs/examples/machinery.json")).unwrap_or_default();
    let today = time::OffsetDateTime::now_utc().to_offset(crate::recheck::VIETNAM).date();
    let decision = kc_rules::evaluate(pack, &app, today).ok();
    (serde_json::to_value(&app).unwrap_or(Value::Null), serde_json::to_value(decision).unwrap_or(Value::Null))
}
