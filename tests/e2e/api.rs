//! Submissions, receipts, idempotency, drift, validation, the status view.

use kc_api::{ErrorBody, Receipt, StatusView};
use kc_rules::Outcome;
use reqwest::StatusCode;
use serde_json::json;
use tests::{TestApp, sample_submission};
use time::OffsetDateTime;

crate::both!(
    first_submit_is_201_with_a_readable_receipt,
    replaying_the_same_content_returns_the_same_receipt,
    same_client_id_with_other_content_is_409,
    fifty_concurrent_submits_of_one_client_id_store_one_row,
    concurrent_submits_of_one_client_id_with_two_contents_give_one_row_and_409s,
    a_differing_client_decision_is_stored_with_drift,
    the_server_clock_decides_not_the_client,
    unknown_codes_are_422_with_the_field_path,
    bad_bodies_are_4xx_json_with_fields,
    status_view_shows_state_and_next_step,
    unknown_receipts_are_404_json,
    vietnamese_text_survives_the_database,
);

async fn first_submit_is_201_with_a_readable_receipt(app: TestApp) {
    // Arrange
    let s = sample_submission();
    // Act
    let response = app.submit(&s).await;
    // Assert
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: Receipt = response.json().await.unwrap();
    assert_eq!(receipt.client_id, s.client_id);
    assert!(receipt.code.starts_with("KC-") && receipt.code.len() == 22, "{}", receipt.code);
    assert!(!receipt.code[3..].contains(['0', 'O', '1', 'I', 'L']));
    assert!(!receipt.drift);
    assert_eq!(receipt.decision.pack_id, kc_rulepack::PACK_ID);
    let age = OffsetDateTime::now_utc() - receipt.received_at;
    assert!(age.whole_seconds().abs() < 60);
}

async fn replaying_the_same_content_returns_the_same_receipt(app: TestApp) {
    let s = sample_submission();
    let first: Receipt = app.submit(&s).await.json().await.unwrap();
    let again = app.submit(&s).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Receipt = again.json().await.unwrap();
    assert_eq!(again, first);
    assert_eq!(app.store.count_applications().await.unwrap(), 1);
}

async fn same_client_id_with_other_content_is_409(app: TestApp) {
    let s = sample_submission();
    assert_eq!(app.submit(&s).await.status(), StatusCode::CREATED);
    let mut other = s.clone();
    other.application.conditions.equipment_new = Some(false);
    let response = app.submit(&other).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, "conflict");
    assert!(body.message.contains("client_id") && body.message.contains(" / "), "{}", body.message);
}

async fn fifty_concurrent_submits_of_one_client_id_store_one_row(app: TestApp) {
    let s = sample_submission();
    let app = std::sync::Arc::new(app);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (app, s) = (app.clone(), s.clone());
            tokio::spawn(async move {
                let r = app.submit(&s).await;
                let status = r.status();
                (status, r.json::<Receipt>().await.unwrap())
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    assert_eq!(results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count(), 1);
    assert!(results.iter().all(|(s, _)| *s == StatusCode::CREATED || *s == StatusCode::OK));
    assert!(results.iter().all(|(_, r)| *r == results[0].1), "every response carries the same receipt");
    assert_eq!(app.store.count_applications().await.unwrap(), 1);
}

/// Submissions queued together are group-committed in one transaction: an item must be
/// checked against earlier items of its own batch, not only against stored rows.
async fn concurrent_submits_of_one_client_id_with_two_contents_give_one_row_and_409s(app: TestApp) {
    let a = sample_submission();
    let mut b = a.clone();
    b.application.conditions.equipment_new = Some(false);
    let app = std::sync::Arc::new(app);
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let (app, s, variant) = (app.clone(), if i % 2 == 0 { a.clone() } else { b.clone() }, i % 2);
            tokio::spawn(async move {
                let r = app.submit(&s).await;
                let status = r.status();
                let receipt =
                    if status == StatusCode::CONFLICT { None } else { Some(r.json::<Receipt>().await.unwrap()) };
                (variant, status, receipt)
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let created: Vec<_> = results.iter().filter(|(_, s, _)| *s == StatusCode::CREATED).collect();
    assert_eq!(created.len(), 1, "{results:?}");
    let (winner, _, receipt) = created[0].clone();
    for (variant, status, r) in &results {
        if *variant == winner {
            assert!(*status == StatusCode::CREATED || *status == StatusCode::OK, "{status}");
            assert_eq!(r, &receipt, "same content, same receipt");
        } else {
            assert_eq!(*status, StatusCode::CONFLICT, "other content is a conflict");
        }
    }
    assert_eq!(app.store.count_applications().await.unwrap(), 1);
    let page: serde_json::Value = app.changes(0, 100).await.json().await.unwrap();
    assert_eq!(page["changes"].as_array().unwrap().len(), 1, "one change for one row");
    assert_eq!(page["next_cursor"], 1);
}

async fn a_differing_client_decision_is_stored_with_drift(app: TestApp) {
    // Amount drift: the client shows another outcome.
    let mut s = sample_submission();
    s.client_decision.outcome = match s.client_decision.outcome {
        Outcome::Eligible => Outcome::NotEligible,
        _ => Outcome::Eligible,
    };
    let receipt: Receipt = app.submit(&s).await.json().await.unwrap();
    assert!(receipt.drift);
    // Pack drift: the client ran an older pack.
    let mut old = sample_submission();
    old.client_pack_id = "2024-01-01.000000000000".to_owned();
    old.client_decision.pack_id = old.client_pack_id.clone().into();
    let receipt: Receipt = app.submit(&old).await.json().await.unwrap();
    assert!(receipt.drift);
    // Stored, not only answered.
    let page: serde_json::Value = app.changes(0, 10).await.json().await.unwrap();
    let drifts: Vec<bool> =
        page["changes"].as_array().unwrap().iter().map(|c| c["application"]["drift"].as_bool().unwrap()).collect();
    assert_eq!(drifts, [true, true]);
    // And a matching decision is not drift.
    let same: Receipt = app.submit(&sample_submission()).await.json().await.unwrap();
    assert!(!same.drift);
}

async fn the_server_clock_decides_not_the_client(app: TestApp) {
    let mut s = sample_submission();
    s.client_as_of = time::macros::date!(1999 - 01 - 01);
    let receipt: Receipt = app.submit(&s).await.json().await.unwrap();
    assert_eq!(receipt.decision.as_of, tests::today());
    assert!((OffsetDateTime::now_utc() - receipt.received_at).whole_seconds().abs() < 60);
}

async fn unknown_codes_are_422_with_the_field_path(app: TestApp) {
    let mut s = sample_submission();
    s.application.location.commune_code = Some(999_999_999);
    let response = app.submit(&s).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.fields[0].path, "application.location.commune_code");
    let mut s = sample_submission();
    s.application.sector = Some("không-có-ngành-này".to_owned());
    let body: ErrorBody = app.submit(&s).await.json().await.unwrap();
    assert_eq!(body.fields[0].path, "application.sector");
    // 28468 (Xã Tân Hội) was in Tiền Giang before 2025: another former province is refused.
    let mut s = sample_submission();
    s.application.location.commune_code = Some(28468);
    s.application.location.former_province = Some("dong_thap".to_owned());
    let response = app.submit(&s).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.fields[0].path, "application.location.former_province");
    assert_eq!(app.store.count_applications().await.unwrap(), 0);
}

async fn bad_bodies_are_4xx_json_with_fields(app: TestApp) {
    let valid = serde_json::to_value(sample_submission()).unwrap();
    let mut wrong_type = valid.clone();
    wrong_type["application"]["lines"][0]["cost"] = json!(-5);
    let mut float_money = valid.clone();
    float_money["application"]["lines"][0]["cost"] = json!(1.5);
    let mut missing = valid.clone();
    missing.as_object_mut().unwrap().remove("client_id");
    let mut unknown_field = valid.clone();
    unknown_field["surprise"] = json!(1);
    let mut bad_enum = valid.clone();
    bad_enum["application"]["subject"] = json!("pirate");
    let cases: Vec<(&str, &str, Vec<u8>, StatusCode, &str)> = vec![
        ("malformed", "application/json", b"{\"client_id\": ".to_vec(), StatusCode::BAD_REQUEST, ""),
        (
            "trailing",
            "application/json",
            [serde_json::to_vec(&valid).unwrap(), b"x".to_vec()].concat(),
            StatusCode::BAD_REQUEST,
            "",
        ),
        ("empty", "application/json", Vec::new(), StatusCode::BAD_REQUEST, ""),
        ("bad utf-8", "application/json", b"{\"client_id\": \"\xff\xfe\"}".to_vec(), StatusCode::BAD_REQUEST, ""),
        (
            "negative money",
            "application/json",
            serde_json::to_vec(&wrong_type).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "application.lines[0].cost",
        ),
        (
            "float money",
            "application/json",
            serde_json::to_vec(&float_money).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "application.lines[0].cost",
        ),
        (
            "missing field",
            "application/json",
            serde_json::to_vec(&missing).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            "unknown field",
            "application/json",
            serde_json::to_vec(&unknown_field).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            "bad enum",
            "application/json",
            serde_json::to_vec(&bad_enum).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "application.subject",
        ),
        (
            "wrong content type",
            "text/plain",
            serde_json::to_vec(&valid).unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "",
        ),
        ("oversized", "application/json", vec![b' '; 100 * 1024], StatusCode::PAYLOAD_TOO_LARGE, ""),
    ];
    for (name, content_type, body, status, path) in cases {
        let response = app.post_raw("/applications", content_type, body).await;
        assert_eq!(response.status(), status, "{name}");
        let body: ErrorBody = response.json().await.unwrap_or_else(|e| panic!("{name}: body is not ErrorBody: {e}"));
        assert!(!body.code.is_empty() && body.message.contains(" / "), "{name}: {body:?}");
        if !path.is_empty() {
            assert_eq!(body.fields[0].path, path, "{name}");
        }
    }
    let missing = app.post_raw("/applications", "application/json", serde_json::to_vec(&missing).unwrap()).await;
    let missing: ErrorBody = missing.json().await.unwrap();
    assert!(missing.fields[0].message.contains("client_id"), "{missing:?}");
    assert_eq!(app.store.count_applications().await.unwrap(), 0);
}

async fn status_view_shows_state_and_next_step(app: TestApp) {
    let receipt: Receipt = app.submit(&sample_submission()).await.json().await.unwrap();
    let response = app.get(&format!("/applications/{}", receipt.code)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let raw: serde_json::Value = response.json().await.unwrap();
    // Nothing about the person or the answers beyond the view's own fields.
    let keys: Vec<&str> = raw.as_object().unwrap().keys().map(String::as_str).collect();
    assert!(
        keys.iter().all(|k| [
            "code",
            "state",
            "received_at",
            "outcome",
            "lines",
            "amount",
            "next_step",
            "comment",
            "decision_used",
            "current",
            "decision_note"
        ]
        .contains(k)),
        "{keys:?}"
    );
    let view: StatusView = serde_json::from_value(raw).unwrap();
    assert_eq!(view.code, receipt.code);
    assert_eq!(view.state, kc_api::ReviewState::Received);
    assert_eq!(view.received_at, receipt.received_at);
    assert_eq!(view.outcome, receipt.decision.outcome);
    assert_eq!(view.lines, [kc_rules::Line::Machinery]);
    assert!(!view.next_step.vi.is_empty() && !view.next_step.en.is_empty());
    assert_eq!((view.decision_used, view.current, view.decision_note), (kc_api::DecisionUsed::Received, None, None));
    // Typed by a person: lower case, spaces for dashes.
    let typed = receipt.code.to_lowercase().replace('-', " ");
    let response = app.get(&format!("/applications/{}", typed.replace(' ', "%20"))).await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn unknown_receipts_are_404_json(app: TestApp) {
    for code in ["KC-2222-2222-2222-2222", "nonsense", "KC-0000", "%FF%FE"] {
        let response = app.get(&format!("/applications/{code}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{code}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, "not_found");
    }
}

async fn vietnamese_text_survives_the_database(app: TestApp) {
    let mut s = sample_submission();
    let name = "Hộ kinh doanh Nguyễn Thị Ánh — làng nghề gốm Bát Tràng ẵ ỹ Đ đ";
    s.contact = Some(kc_api::Contact { name: name.to_owned(), phone: Some("0912 345 678".to_owned()), email: None });
    s.centre_id = Some("trung-tâm-khuyến-công-hà-nội".to_owned());
    assert_eq!(app.submit(&s).await.status(), StatusCode::CREATED);
    let page: serde_json::Value = app.changes(0, 10).await.json().await.unwrap();
    let record = &page["changes"][0]["application"];
    assert_eq!(record["contact"]["name"], name);
    assert_eq!(record["centre_id"], "trung-tâm-khuyến-công-hà-nội");
    // Replaying after the round trip is still the same content.
    assert_eq!(app.submit(&s).await.status(), StatusCode::OK);
}
