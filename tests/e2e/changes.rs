//! The changes feed: token, paging, no gaps and no duplicates under concurrent writes.

use std::collections::BTreeSet;
use std::sync::Arc;

use reqwest::StatusCode;
use tests::{TestApp, sample_submission};

crate::both!(changes_need_a_token, paging_under_concurrent_writes_sees_every_change_once, bad_paging_is_400);

async fn changes_need_a_token(app: TestApp) {
    let response = app.client.get(app.api("/changes")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app.client.get(app.api("/changes")).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: kc_api::ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, "unauthorized");
}

async fn bad_paging_is_400(app: TestApp) {
    for query in ["cursor=-1", "limit=0", "limit=5000", "cursor=abc", "limit=1.5"] {
        let response =
            app.client.get(app.api(&format!("/changes?{query}"))).bearer_auth(&app.token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: kc_api::ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, "bad_query");
    }
}

async fn paging_under_concurrent_writes_sees_every_change_once(app: TestApp) {
    const WRITERS: usize = 8;
    const EACH: usize = 15;
    let app = Arc::new(app);
    let writers: Vec<_> = (0..WRITERS)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                for _ in 0..EACH {
                    assert_eq!(app.submit(&sample_submission()).await.status(), StatusCode::CREATED);
                }
            })
        })
        .collect();
    // Read while writing, small pages, until every write is seen.
    let mut seen = Vec::new();
    let mut cursor = 0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while seen.len() < WRITERS * EACH {
        assert!(std::time::Instant::now() < deadline, "feed stalled at {}", seen.len());
        let page: serde_json::Value = app.changes(cursor, 7).await.json().await.unwrap();
        for c in page["changes"].as_array().unwrap() {
            seen.push((c["seq"].as_i64().unwrap(), c["application"]["receipt_code"].as_str().unwrap().to_owned()));
        }
        cursor = page["next_cursor"].as_i64().unwrap();
        tokio::task::yield_now().await;
    }
    for w in writers {
        w.await.unwrap();
    }
    let seqs: Vec<i64> = seen.iter().map(|(s, _)| *s).collect();
    let expected: Vec<i64> = (1..=i64::try_from(WRITERS * EACH).unwrap()).collect();
    assert_eq!(seqs, expected, "in order, no gaps, no duplicates");
    let receipts: BTreeSet<&String> = seen.iter().map(|(_, r)| r).collect();
    assert_eq!(receipts.len(), WRITERS * EACH);
    let empty: serde_json::Value = app.changes(cursor, 7).await.json().await.unwrap();
    assert_eq!(empty["changes"].as_array().unwrap().len(), 0);
    assert_eq!(empty["next_cursor"].as_i64().unwrap(), cursor);
}
