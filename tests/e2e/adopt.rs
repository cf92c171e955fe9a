//! Adopting a new rule pack: applications received under the bundled pack, the server
//! restarted with a changed pack (`pack_file`, as `KC_PACK_FILE` sets it). Each keeps the
//! decision it was received with, byte for byte, and gains the new pack's beside it; the
//! status view, the receipt page and the staff detail page show both and say which one the
//! centre uses (`decision_policy`).

use kc_api::{DecisionUsed, StatusView};
use kc_rules::{Outcome, Vnd};
use reqwest::StatusCode;
use server::config::DecisionPolicy;
use server::staff::auth::Role;
use tests::TestApp;

use crate::impact::{machinery_900, raised_cap, submit, training};
use crate::staff::{add_account, login};

crate::both!(a_new_pack_is_adopted_beside_the_received_decision, a_pack_file_that_is_not_a_pack_stops_the_start);

/// What must never change: every decision column of every stored application.
async fn stored(app: &TestApp) -> Vec<(String, String, String, String, Option<i64>, Option<i64>, String)> {
    let changes = app.store.changes(0, 1000).await.unwrap();
    changes
        .into_iter()
        .map(|c| {
            (
                c.receipt_code,
                c.server_decision_json,
                c.client_decision_json,
                c.outcome,
                c.amount_national,
                c.amount_local,
                c.server_pack_id,
            )
        })
        .collect()
}

async fn status(app: &TestApp, code: &str) -> StatusView {
    let r = app.get(&format!("/applications/{code}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn a_new_pack_is_adopted_beside_the_received_decision(mut app: TestApp) {
    // Arrange: received under the bundled pack, nothing to adopt.
    assert_eq!(app.adopted().await, server::adopt::Counts::default());
    let a = submit(&app, &machinery_900()).await;
    let t = submit(&app, &training()).await;
    let before = stored(&app).await;
    let received = status(&app, &a.code).await;
    assert_eq!((received.decision_used, received.current.as_ref()), (DecisionUsed::Received, None));

    // Act: the centre deploys a pack with the machinery cap raised to 400 tr.
    let candidate = raised_cap();
    let file = app.temp_file("candidate.json", &serde_json::to_vec(candidate).unwrap());
    let mut next = app.restart_with(|s| s.pack_file = Some(file.clone())).await;
    let counts = next.adopted().await;

    // Assert: both decided again; only the machinery request differs.
    assert_eq!((counts.considered, counts.adopted, counts.differ, counts.failed), (2, 2, 1, 0));
    let info: kc_api::RulepackInfo = next.get("/rulepack").await.json().await.unwrap();
    assert_eq!(info.pack_id, candidate.id, "the server decides with the pack file");
    let view = status(&next, &a.code).await;
    assert_eq!(view.outcome, Outcome::Eligible);
    assert_eq!(view.amount, Some(Vnd::from_const(300_000_000)), "what the applicant was told");
    assert_eq!(view.decision_used, DecisionUsed::Received, "the default policy");
    let current = view.current.clone().expect("the new pack's decision beside it");
    assert_eq!(current.outcome, Outcome::Eligible);
    assert_eq!(current.amount_national, Some(Vnd::from_const(400_000_000)));
    assert_eq!(current.amount, Some(Vnd::from_const(400_000_000)));
    assert_eq!(current.pack_id, candidate.id);
    let note = view.decision_note.expect("a note says which one the centre uses");
    assert!(note.vi.contains("kết quả khi nhận hồ sơ") && note.en.contains("result at receipt"), "{note:?}");
    let training_view = status(&next, &t.code).await;
    assert_eq!((training_view.current, training_view.decision_note), (None, None), "same decision: nothing shown");

    // The whole decision is kept where it differs; where it agrees, the received one stands.
    let db = server::staff::db::Db::of(&next.store);
    let kept = server::adopt::current_of(&db, &a.code, &candidate.id).await.unwrap().unwrap();
    let kept: kc_rules::Decision = serde_json::from_str(&kept.decision_json.unwrap()).unwrap();
    assert_eq!(kept.pack_id, candidate.id);
    let same = server::adopt::current_of(&db, &t.code, &candidate.id).await.unwrap().unwrap();
    assert!(!same.differs() && same.decision_json.is_none());

    // Nothing stored was overwritten, and a second pass has nothing to do.
    assert_eq!(stored(&next).await, before);
    let again = server::adopt::run(&next.store, candidate).await.unwrap();
    assert_eq!(again, server::adopt::Counts::default());

    // The receipt page says it, Vietnamese then English.
    let page = next.client.get(format!("{}/receipt/{}", next.address, a.code)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    let (vi, en) = (page.find("Quy định đã thay đổi").expect("vi"), page.find("The rules changed").expect("en"));
    assert!(vi < en && page.contains("400.000.000 đ"), "{page}");
    assert!(page.contains("Kinh phí khuyến công quốc gia"), "fund labels from kc_rules::Fund");

    // Staff see both decisions and the difference, in words.
    add_account(&next, "admin@kc.vn", Role::Admin, None).await;
    let admin = login(&next, "admin@kc.vn").await;
    let detail = admin.get(&format!("/staff/applications/{}", a.code)).await.text().await.unwrap();
    for shown in ["Khi nhận hồ sơ", "Theo bộ quy tắc đang áp dụng", "300.000.000 đ", "400.000.000 đ", "+100.000.000 đ"]
    {
        assert!(detail.contains(shown), "{shown} on the detail page");
    }
    assert!(detail.contains("Trung tâm dùng kết quả khi nhận hồ sơ"));
    let plain = admin.get(&format!("/staff/applications/{}", t.code)).await.text().await.unwrap();
    assert!(!plain.contains("h-adopted"), "no block when both decisions agree");

    // With `decision_policy = current` the centre uses the new pack's decision.
    let mut third = app
        .restart_with(|s| {
            s.pack_file = Some(file);
            s.decision_policy = DecisionPolicy::Current;
        })
        .await;
    assert_eq!(third.adopted().await.considered, 0, "already adopted: resumable, idempotent");
    let view = status(&third, &a.code).await;
    assert_eq!(view.decision_used, DecisionUsed::Current);
    assert_eq!(view.amount, Some(Vnd::from_const(300_000_000)), "the received decision is still reported");
    assert!(view.decision_note.unwrap().vi.contains("quy định đang áp dụng"));
    assert_eq!(stored(&third).await, before);

    // Back on the bundled pack, the adopted decision is not shown (it is not the running pack's).
    let back = status(&app, &a.code).await;
    assert_eq!((back.decision_used, back.current), (DecisionUsed::Received, None));
}

async fn a_pack_file_that_is_not_a_pack_stops_the_start(app: TestApp) {
    let file = app.temp_file("broken.json", br#"{"id": "x", "params": 3}"#);
    let mut settings = server::Settings { pack_file: Some(file), ..server::Settings::default() };
    settings.database_url.clone_from(&app.database_url);
    let err = server::Application::build(settings).await.err().expect("refused");
    let text = format!("{err:#}");
    assert!(text.contains("broken.json") && text.contains("không phải bộ quy tắc"), "{text}");
}
