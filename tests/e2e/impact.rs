//! Impact of a candidate rule pack on stored applications: submitted through the API, then
//! re-evaluated from the store under the running pack and a candidate, nothing stored changed.

use kc_api::{Receipt, Submission};
use kc_rules::Decimal;
use kc_rules::pack::{Citation, Value};
use kc_rules::{Application, Confidence, Line, LineRequest, Outcome, ParamId, Subject, Vnd};
use reqwest::StatusCode;
use tests::{TestApp, client_decision, sample_submission, today};

crate::both!(a_raised_cap_shows_per_application_and_in_totals_and_changes_nothing, impact_is_scoped_by_province);

/// A household business in Xã Các Sơn (Thanh Hóa) asking for a 900,000,000 đ machine.
pub(crate) fn machinery_900() -> Submission {
    let mut app = Application {
        lines: vec![LineRequest { line: Line::Machinery, cost: Some(Vnd::from_const(900_000_000)), learners: None }],
        subject: Some(Subject::HouseholdBusiness),
        sector: Some("food_processing".to_owned()),
        ..Application::default()
    };
    app.location.commune_code = Some(16591);
    app.conditions.equipment_new = Some(true);
    app.conditions.no_other_state_funding = Some(true);
    app.conditions.counterpart_funding = Some(true);
    with_application(app)
}

/// A training request in the same commune: the machinery cap does not touch it.
pub(crate) fn training() -> Submission {
    let mut s = machinery_900();
    s.application.lines =
        vec![LineRequest { line: Line::Training, cost: Some(Vnd::from_const(90_000_000)), learners: Some(30) }];
    with_application(s.application)
}

pub(crate) fn with_application(application: Application) -> Submission {
    let client_decision = client_decision(&application);
    Submission {
        client_pack_id: client_decision.pack_id.to_string(),
        client_decision,
        application,
        ..sample_submission()
    }
}

/// The bundled pack with the national machinery cap raised to 400 tr from 2026-01-01.
pub(crate) fn raised_cap() -> &'static kc_rules::RulePack {
    let mut pack = kc_rulepack::bundled().clone();
    pack.id = "candidate-raised-cap".to_owned();
    let cap = pack.params.get_mut(&ParamId::from_id("machinery.cap").unwrap()).unwrap();
    cap.values.retain(|v| v.from < time::macros::date!(2026 - 01 - 01));
    cap.values.push(Value::new(
        time::macros::date!(2026 - 01 - 01),
        "400000000",
        Citation { document: "Thông tư thay thế (diễn tập)".into(), provision: "".into() },
        Confidence::R,
    ));
    Box::leak(Box::new(pack))
}

pub(crate) async fn submit(app: &TestApp, s: &Submission) -> Receipt {
    let r = app.submit(s).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

async fn a_raised_cap_shows_per_application_and_in_totals_and_changes_nothing(app: TestApp) {
    // Arrange: two machinery requests and one training request stored.
    let a = submit(&app, &machinery_900()).await;
    let b = submit(&app, &machinery_900()).await;
    let t = submit(&app, &training()).await;
    let stored_before = app.store.impact_rows(None).await.unwrap();
    let status_before = app.get(&format!("/applications/{}", a.code)).await.text().await.unwrap();

    // Act
    let report = server::impact::run(kc_rulepack::bundled(), raised_cap(), &stored_before, None);

    // Assert: 50 % of 900 tr = 450 tr, capped at 300 tr before and 400 tr after.
    assert_eq!(report.evaluated, 3);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let changed: Vec<&str> = report.changed.iter().map(|c| c.receipt_code.as_str()).collect();
    assert_eq!(changed, [a.code.as_str(), b.code.as_str()], "the training request {} does not change", t.code);
    for c in &report.changed {
        assert_eq!(c.delta_national, Decimal::from(100_000_000));
        assert_eq!(c.delta_local, Decimal::ZERO);
        assert_eq!((c.impact.outcome_before, c.impact.outcome_after), (Outcome::Eligible, Outcome::Eligible));
        assert_eq!(c.as_of, today());
    }
    assert_eq!(report.total.changed, 2);
    assert_eq!(report.total.delta_national, Decimal::from(200_000_000));
    assert_eq!(report.by_line[&Line::Machinery].delta_national, Decimal::from(200_000_000));
    assert!(!report.by_line.contains_key(&Line::Training));
    assert_eq!(report.by_province[&Some(38)].changed, 2, "Thanh Hóa");
    assert!(report.outcomes.is_empty());
    let text = server::impact::render(&report);
    assert!(text.contains("+200.000.000 đ") && text.contains("Thanh Hóa"), "{text}");

    // Nothing stored changed.
    let status_after = app.get(&format!("/applications/{}", a.code)).await.text().await.unwrap();
    assert_eq!(status_before, status_after);
    let again = server::impact::run(kc_rulepack::bundled(), kc_rulepack::bundled(), &stored_before, None);
    assert_eq!(again.total.changed, 0, "the running pack against itself changes nothing");
}

async fn impact_is_scoped_by_province(app: TestApp) {
    submit(&app, &machinery_900()).await;
    let thanh_hoa = app.store.impact_rows(Some(38)).await.unwrap();
    let ha_noi = app.store.impact_rows(Some(1)).await.unwrap();
    assert_eq!((thanh_hoa.len(), ha_noi.len()), (1, 0));
    let report = server::impact::run(kc_rulepack::bundled(), raised_cap(), &ha_noi, None);
    assert_eq!((report.evaluated, report.total.changed), (0, 0));
}
