//! Parking a draft and resuming it elsewhere.

use kc_api::{DraftPark, ErrorBody, ParkedDraft};
use reqwest::StatusCode;
use tests::{TestApp, sample_application};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

crate::both!(a_parked_draft_resumes_by_code_and_expires_after_30_days, unknown_drafts_are_404, invalid_drafts_are_422);

async fn a_parked_draft_resumes_by_code_and_expires_after_30_days(app: TestApp) {
    let park = DraftPark { client_id: Uuid::new_v4(), application: sample_application() };
    let response = app.client.post(app.api("/drafts")).json(&park).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let parked: ParkedDraft = response.json().await.unwrap();
    assert!(parked.resume_code.starts_with("D-"));
    let days = (parked.expires_at - OffsetDateTime::now_utc()).whole_days();
    assert!((29..=30).contains(&days), "{days}");

    // Resume on "another device", typing the code in lower case.
    let resumed: ParkedDraft =
        app.get(&format!("/drafts/{}", parked.resume_code.to_lowercase())).await.json().await.unwrap();
    assert_eq!(resumed, parked);

    // Parking again replaces the answers and keeps the code.
    let mut changed = park.clone();
    changed.application.subject = Some(kc_rules::Subject::Cooperative);
    let response = app.client.post(app.api("/drafts")).json(&changed).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let again: ParkedDraft = response.json().await.unwrap();
    assert_eq!(again.resume_code, parked.resume_code);
    assert_eq!(again.application, changed.application);

    // 31 days later it is gone.
    let later = OffsetDateTime::now_utc() + Duration::days(31);
    assert!(app.store.draft(&parked.resume_code, later).await.unwrap().is_none());
    assert!(app.store.draft(&parked.resume_code, OffsetDateTime::now_utc()).await.unwrap().is_some());
}

async fn unknown_drafts_are_404(app: TestApp) {
    for code in ["D-22222-22222", "x", "KC-2222-2222-2222-2222"] {
        let response = app.get(&format!("/drafts/{code}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, "not_found");
    }
}

async fn invalid_drafts_are_422(app: TestApp) {
    let mut park = DraftPark { client_id: Uuid::new_v4(), application: sample_application() };
    park.application.location.commune_code = Some(1);
    let response = app.client.post(app.api("/drafts")).json(&park).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.fields[0].path, "application.location.commune_code");
}
