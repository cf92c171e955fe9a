//! The walk-through of docs/rule-changes.md, rehearsed end to end on a real example from the
//! domain file (§3.5): the resolution of the former Hải Dương province, now part of Hải Phòng,
//! machinery 50 % up to 250 tr and the demonstration model 30 % up to 800 tr (layer
//! `hai_phong.hai_duong`). The centre runs "the pack without that layer", an application from
//! that territory is received, the layer is added (the bundled pack), the diff lists exactly
//! its values with citations, the impact report shows the local support appearing, and once
//! deployed the stored decision stays and the new one stands beside it.

use kc_api::{StatusView, Submission};
use kc_rules::{Application, Decimal, Fund, Line, LineRequest, RulePack, Subject, Vnd};
use tests::TestApp;

use crate::impact::{submit, with_application};

crate::both!(a_provincial_resolution_from_the_pack_without_it_to_the_pack_with_it);

const LAYER: &str = "hai_phong.hai_duong";

/// The bundled pack less the Hải Dương layer: the pack before its levels were added.
fn without_layer() -> &'static RulePack {
    let mut pack = kc_rulepack::bundled().clone();
    pack.layers.retain(|l| l.id != LAYER);
    pack.id = format!("{}-without-{LAYER}", pack.id);
    Box::leak(Box::new(pack))
}

/// A household business processing food in Xã Nam Sách (Hải Phòng, former Hải Dương)
/// buying a 700,000,000 đ machine (golden case `hai_duong_machinery_local_cap`).
fn nam_sach_machinery() -> Submission {
    let mut app = Application {
        lines: vec![LineRequest { line: Line::Machinery, cost: Some(Vnd::from_const(700_000_000)), learners: None }],
        subject: Some(Subject::HouseholdBusiness),
        sector: Some("food_processing".to_owned()),
        ..Application::default()
    };
    app.location.commune_code = Some(10606);
    app.conditions.equipment_new = Some(true);
    app.conditions.no_other_state_funding = Some(true);
    app.conditions.counterpart_funding = Some(true);
    app.conditions.technology_new_locally = Some(true);
    with_application(app)
}

async fn a_provincial_resolution_from_the_pack_without_it_to_the_pack_with_it(app: TestApp) {
    // 1. Before: production runs the pack without the layer (`KC_PACK_FILE=before.json`).
    let before = without_layer();
    let before_file = app.temp_file("before.json", &serde_json::to_vec(before).unwrap());
    let production = app.restart_with(|s| s.pack_file = Some(before_file)).await;
    let received = submit(&production, &nam_sach_machinery()).await;
    assert_eq!(received.decision.total(Fund::Local), Vnd::ZERO, "no local level known yet");
    assert_eq!(received.decision.total(Fund::National), Vnd::from_const(300_000_000));

    // 2–3. The layer's values are added (the bundled pack carries them; its data tests and
    // the golden case `tests/changes/hai_duong_layer_added.toml` check them).
    let after = kc_rulepack::bundled();

    // 4. Diff: exactly the layer's four values, each with its citation and mark.
    let d = kc_rules::diff::diff(before, after);
    assert_eq!(d.layers_added, [LAYER]);
    assert!(d.layers_removed.is_empty() && d.entries.is_empty());
    let mut params: Vec<&str> = d.values.iter().map(|v| v.param).collect();
    params.sort_unstable();
    assert_eq!(params, ["demo_model.cap", "demo_model.rate", "machinery.cap", "machinery.rate"]);
    for v in &d.values {
        assert_eq!((v.layer, v.province_code), (Some(LAYER), Some(31)));
        let new = v.new.as_ref().expect("added");
        assert!(new.citation.document.contains("Hải Dương"), "{:?}", new.citation);
        assert_eq!(new.confidence, kc_rules::Confidence::S, "the domain file's mark");
    }

    // 5. Impact on the province's stored applications: the local support appears.
    let rows = production.store.impact_rows(Some(31)).await.unwrap();
    let report = server::impact::run(before, after, &rows, None);
    assert_eq!((report.evaluated, report.total.changed), (1, 1));
    assert_eq!(report.total.delta_local, Decimal::from(250_000_000), "50 % of 700 tr, capped at 250 tr");
    assert_eq!(report.total.delta_national, Decimal::ZERO);
    assert_eq!(report.by_province[&Some(31)].local_after, Decimal::from(250_000_000));
    let text = server::impact::render(&report);
    assert!(text.contains("Hải Phòng: 1 hồ sơ; quốc gia 0 đ, địa phương +250.000.000 đ"), "{text}");

    // 6. Deploy the new build (the bundled pack): the stored decision stays, the new one
    // stands beside it.
    let mut deployed = app.restart_with(|_| {}).await;
    let counts = deployed.adopted().await;
    assert_eq!((counts.adopted, counts.differ), (1, 1));
    let view: StatusView = deployed.get(&format!("/applications/{}", received.code)).await.json().await.unwrap();
    assert_eq!(view.amount, Some(Vnd::from_const(300_000_000)), "what the applicant was told");
    let current = view.current.expect("the deployed pack's decision");
    assert_eq!(current.amount_local, Some(Vnd::from_const(250_000_000)));
    assert_eq!(current.amount_national, Some(Vnd::from_const(300_000_000)));
}
