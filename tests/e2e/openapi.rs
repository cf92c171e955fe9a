//! The OpenAPI document matches the routes: every documented operation is routed, and the
//! routes we serve are all documented.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use tests::Backend;

/// Every (method, path) the server serves (besides `/` and `/widget/*`, which are pages).
const ROUTES: &[(&str, &str)] = &[
    ("post", "/api/v1/applications"),
    ("get", "/api/v1/applications/{receipt}"),
    ("get", "/api/v1/applications/{receipt}/receipt"),
    ("get", "/api/v1/keys"),
    ("post", "/api/v1/drafts"),
    ("get", "/api/v1/drafts/{resume_code}"),
    ("get", "/api/v1/rulepack"),
    ("get", "/api/v1/rulepack/full"),
    ("get", "/api/v1/changes"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/healthz"),
    ("get", "/readyz"),
];

#[tokio::test]
async fn openapi_document_matches_the_routes() {
    let app = tests::spawn_app(Backend::Sqlite).await.unwrap();
    let doc: serde_json::Value = app.get("/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> = ROUTES.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    assert_eq!(documented, served);
    // Each documented operation is routed: the answer is never our "no route" error.
    for (method, path) in &documented {
        let url = format!(
            "{}{}",
            app.address,
            path.replace("{receipt}", "KC-2222-2222-2222-2222").replace("{resume_code}", "D-22222-22222")
        );
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let response = app
            .client
            .request(method.clone(), &url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        if response.status() == StatusCode::NOT_FOUND {
            let body: kc_api::ErrorBody = response.json().await.unwrap();
            assert_ne!(body.code, "no_route", "{method} {path} is documented but not routed");
        }
    }
    // The wire types are in the document.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "Submission",
        "Receipt",
        "StatusView",
        "ErrorBody",
        "ParkedDraft",
        "RulepackInfo",
        "ChangesPage",
        "SignedReceipt",
        "Attestation",
        "Keys",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
}
