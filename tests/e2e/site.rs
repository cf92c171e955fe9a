//! Health, rule pack, static files, CORS, rate limit.

use kc_api::RulepackInfo;
use reqwest::StatusCode;
use tests::{Backend, TestApp, sample_submission, spawn_app_with};

crate::both!(health_and_readiness_answer, rulepack_names_the_pack_and_its_dates);

async fn health_and_readiness_answer(app: TestApp) {
    let health = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ready: serde_json::Value =
        app.client.get(format!("{}/readyz", app.address)).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["status"], "ok");
    assert_eq!(ready["database"], if app.backend == Backend::Sqlite { "sqlite" } else { "postgres" });
}

async fn rulepack_names_the_pack_and_its_dates(app: TestApp) {
    let info: RulepackInfo = app.get("/rulepack").await.json().await.unwrap();
    assert_eq!(info.pack_id, kc_rulepack::PACK_ID);
    assert!(!info.effective_dates.is_empty());
    assert!(info.effective_dates.windows(2).all(|w| w[0] < w[1]));
    assert!(!info.local_layers.is_empty());
    let full: kc_rules::RulePack = app.get("/rulepack/full").await.json().await.unwrap();
    assert_eq!(&full, kc_rulepack::bundled());
}

#[tokio::test]
async fn without_a_bundle_the_home_page_says_how_to_build_it() {
    let app = tests::spawn_app(Backend::Sqlite).await.unwrap();
    let response = app.client.get(&app.address).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains("cargo xtask serve") && page.contains("Chưa có"), "{page}");
}

#[tokio::test]
async fn the_demo_page_and_widget_bundle_are_served_from_static_dir() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<p>trang demo</p>").unwrap();
    std::fs::write(dist.path().join("khuyencong-widget.js"), "export {};").unwrap();
    let dir = dist.path().to_path_buf();
    let app = spawn_app_with(Backend::Sqlite, |s| s.static_dir = dir).await.unwrap();
    let page = app.client.get(&app.address).send().await.unwrap().text().await.unwrap();
    assert_eq!(page, "<p>trang demo</p>");
    let js = app.client.get(format!("{}/widget/khuyencong-widget.js", app.address)).send().await.unwrap();
    assert_eq!(js.status(), StatusCode::OK);
    assert_eq!(js.text().await.unwrap(), "export {};");
    let missing = app.client.get(format!("{}/widget/nope.js", app.address)).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app =
        spawn_app_with(Backend::Sqlite, |s| s.cors_origins = vec!["https://sct.example.vn".to_owned()]).await.unwrap();
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.api("/applications"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let ok = preflight("https://sct.example.vn").await.unwrap();
    assert_eq!(ok.headers().get("access-control-allow-origin").unwrap(), "https://sct.example.vn");
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn submissions_are_rate_limited_per_address() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.submit_rate_per_minute = 1;
        s.submit_burst = 2;
    })
    .await
    .unwrap();
    assert_eq!(app.submit(&sample_submission()).await.status(), StatusCode::CREATED);
    assert_eq!(app.submit(&sample_submission()).await.status(), StatusCode::CREATED);
    let limited = app.submit(&sample_submission()).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: kc_api::ErrorBody = limited.json().await.unwrap();
    assert_eq!(body.code, "rate_limited");
    // Reads are not limited.
    assert_eq!(app.get("/rulepack").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_json_errors() {
    let app = tests::spawn_app(Backend::Sqlite).await.unwrap();
    let response = app.get("/nope").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.json::<kc_api::ErrorBody>().await.unwrap().code, "no_route");
    let response = app.client.delete(app.api("/applications")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.json::<kc_api::ErrorBody>().await.unwrap().code, "method_not_allowed");
}
