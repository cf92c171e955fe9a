//! Engine tests on a small synthetic pack (the real pack lives in `kc-rulepack`, which
//! depends on this crate; its own tests run the engine on the bundled data).

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

use crate::amount::capped;
use crate::pack::{Commune, CommuneKind, Kind, Param, Province, ProvinceKind, Sector, Value};
use crate::{
    Application, Basis, Citation, Confidence, Decision, Fund, Line, LineRequest, Outcome, ParamId, Rate, RulePack,
    Subject, Vnd, evaluate,
};

fn param(id: ParamId, kind: Kind, values: &[(Date, &str)]) -> Param {
    Param {
        id,
        kind,
        label_vi: id.label_vi().to_owned(),
        label_en: id.label_en().to_owned(),
        values: values
            .iter()
            .map(|(from, v)| Value {
                from: *from,
                value: (*v).to_owned(),
                citation: Citation::fixed("test", ""),
                confidence: Confidence::V,
                note: None,
                parsed: Default::default(),
            })
            .collect(),
    }
}

const START: Date = date!(2012 - 07 - 05);
const TODAY: Date = date!(2026 - 11 - 22);

/// A pack with one tỉnh, one xã, one sector and the parameters the engine needs, with the
/// machinery rate and cap given.
fn synthetic_pack(rate: &str, cap: &str) -> &'static RulePack {
    Box::leak(Box::new(owned_pack(rate, cap)))
}

/// The synthetic pack, to change before it is leaked (`evaluate` takes a pack that lives for
/// the program).
fn owned_pack(rate: &str, cap: &str) -> RulePack {
    let mut params = BTreeMap::new();
    let mut add = |p: Param| {
        params.insert(p.id, p);
    };
    add(param(ParamId::RulesStart, Kind::Bool, &[(START, "true")]));
    add(param(ParamId::UnionOfCooperatives, Kind::Bool, &[(START, "false")]));
    add(param(ParamId::SustainableProduction, Kind::Bool, &[(START, "false")]));
    add(param(ParamId::LocationTest, Kind::Choice, &[(START, "2025")]));
    add(param(ParamId::RoundingMode, Kind::Choice, &[(START, "toward_zero")]));
    add(param(ParamId::PriorityCapMultiplier, Kind::Factor, &[(START, "1.5")]));
    add(param(ParamId::MachineryRate, Kind::Rate, &[(START, rate)]));
    add(param(ParamId::MachineryCap, Kind::Vnd, &[(START, cap)]));
    for id in
        [ParamId::EquipmentNew, ParamId::TechnologyNewLocally, ParamId::CounterpartFunding, ParamId::NoDoubleFunding]
    {
        add(param(id, Kind::Bool, &[(START, "true")]));
    }
    add(param(ParamId::LocalMaterialsPercent, Kind::Count, &[(START, "50")]));
    add(param(ParamId::LabourIntensiveWorkers, Kind::Count, &[(START, "50")]));
    for id in [ParamId::WomenOwned, ParamId::EthnicMinorityOwned, ParamId::EthnicMinorityWorkers] {
        add(param(id, Kind::Bool, &[(START, "true")]));
    }
    RulePack {
        id: "test".into(),
        params,
        layers: Vec::new(),
        provinces: vec![Province {
            code: 1,
            name: "Tỉnh Thử".into(),
            kind: ProvinceKind::Tinh,
            codename: "thu".into(),
            formed_from: Vec::new(),
            merger_confidence: Confidence::S,
        }],
        communes: vec![Commune {
            code: 10,
            name: "Xã Một".into(),
            kind: CommuneKind::Xa,
            province_code: 1,
            former_province: None,
        }],
        sectors: vec![Sector {
            id: "food_processing".into(),
            label_vi: "Chế biến thực phẩm".into(),
            label_en: "Food processing".into(),
            eligible: true,
            from: START,
            condition: None,
            priority: false,
            citation: Citation::fixed("test", ""),
            confidence: Confidence::V,
        }],
        papers: Vec::new(),
        resolved: Default::default(),
    }
}

fn app(cost: Vnd, difficult: Option<bool>) -> Application {
    let mut a = Application {
        lines: vec![LineRequest { line: Line::Machinery, cost: Some(cost), learners: None }],
        subject: Some(Subject::HouseholdBusiness),
        sector: Some("food_processing".into()),
        ..Application::default()
    };
    a.location.commune_code = Some(10);
    a.location.difficult_area = difficult;
    a.conditions.equipment_new = Some(true);
    a.conditions.no_other_state_funding = Some(true);
    a.conditions.counterpart_funding = Some(true);
    a
}

fn national(d: &Decision) -> &crate::SupportResult {
    d.support.iter().find(|s| s.fund == Fund::National).expect("a national result")
}

#[test]
fn synthetic_machinery_example() {
    let pack = synthetic_pack("0.5", "300000000");
    let d = evaluate(pack, &app(Vnd::from_const(700_000_000), Some(false)), TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::Eligible);
    let n = national(&d);
    assert_eq!(n.basis, Basis::Computed);
    assert_eq!(n.amount, Some(Vnd::from_const(300_000_000)));
    assert!(n.cap_applied);
    assert_eq!(n.cap_binds_above, Some(Vnd::from_const(600_000_000)));
    assert!(d.missing.is_empty(), "{:?}", d.missing);
}

#[test]
fn synthetic_priority_uplift_and_question() {
    let pack = synthetic_pack("0.5", "300000000");
    let d = evaluate(pack, &app(Vnd::from_const(900_000_000), Some(true)), TODAY).unwrap();
    assert_eq!(national(&d).amount, Some(Vnd::from_const(450_000_000)));
    let d = evaluate(pack, &app(Vnd::from_const(900_000_000), None), TODAY).unwrap();
    assert_eq!(national(&d).amount, Some(Vnd::from_const(300_000_000)));
    assert!(d.missing.iter().any(|q| q.id == "location.difficult_area"), "an uplift in force makes the area matter");
}

#[test]
fn missing_required_param_is_bad_pack() {
    let mut pack = owned_pack("0.5", "300000000");
    pack.params.remove(&ParamId::LocationTest);
    let pack: &'static RulePack = Box::leak(Box::new(pack));
    let e = evaluate(pack, &app(Vnd::from_const(1), None), TODAY).unwrap_err();
    assert_eq!(e, crate::RulesError::BadPack { id: "location.test".into() });
    let mut pack = owned_pack("0.5", "300000000");
    pack.params.get_mut(&ParamId::MachineryCap).unwrap().values[0].value = "lots".into();
    let pack: &'static RulePack = Box::leak(Box::new(pack));
    let e = evaluate(pack, &app(Vnd::from_const(1), None), TODAY).unwrap_err();
    assert_eq!(e, crate::RulesError::BadPack { id: "machinery.cap".into() });
}

#[test]
fn before_rules_start() {
    let pack = synthetic_pack("0.5", "300000000");
    let e = evaluate(pack, &Application::default(), date!(2000 - 01 - 01)).unwrap_err();
    assert!(matches!(e, crate::RulesError::NoRulesInForce { .. }));
}

fn arb_rate() -> impl Strategy<Value = (String, Rate)> {
    (0u32..=100).prop_map(|p| {
        let d = Decimal::new(i64::from(p), 2);
        (d.to_string(), Rate::new(d).unwrap())
    })
}

fn arb_vnd(max: i64) -> impl Strategy<Value = Vnd> {
    (0..=max).prop_map(Vnd::from_const)
}

proptest! {
    #[test]
    fn capped_within_bounds((_, rate) in arb_rate(), cost in arb_vnd(1_000_000_000_000), cap in arb_vnd(10_000_000_000), m in 10u32..=20) {
        let mult = Decimal::new(i64::from(m), 1);
        let f = capped(rate, cost, cap, mult);
        prop_assert!(f.amount >= Vnd::ZERO);
        prop_assert!(f.amount.as_decimal() <= cap.as_decimal() * mult);
        prop_assert!(f.amount <= cost);
        prop_assert_eq!(f.cap_applied, rate.of(cost) > f.effective_cap.as_decimal());
        if let Some(above) = f.cap_binds_above {
            // At the binding point the share reaches the cap; one đồng below it does not.
            prop_assert!(rate.of(above) >= f.effective_cap.as_decimal());
            prop_assert!(rate.of(above.saturating_sub(Vnd::from_const(1))) < f.effective_cap.as_decimal() || above == Vnd::ZERO);
        }
    }

    #[test]
    fn amount_bounded_monotone_deterministic(
        (rate_s, _) in arb_rate(),
        cap in arb_vnd(5_000_000_000),
        a in arb_vnd(100_000_000_000),
        b in arb_vnd(100_000_000_000),
        difficult in proptest::option::of(any::<bool>()),
    ) {
        let pack = synthetic_pack(&rate_s, &cap.to_i64().to_string());
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let d_lo = evaluate(pack, &app(lo, difficult), TODAY).unwrap();
        let d_hi = evaluate(pack, &app(hi, difficult), TODAY).unwrap();
        let (x, y) = (national(&d_lo).amount.unwrap(), national(&d_hi).amount.unwrap());
        let limit = if difficult == Some(true) { cap.as_decimal() * Decimal::new(15, 1) } else { cap.as_decimal() };
        prop_assert!(x.as_decimal() <= limit && y.as_decimal() <= limit);
        prop_assert!(x <= y, "non-decreasing in cost: {} > {}", x, y);
        let again = evaluate(pack, &app(lo, difficult), TODAY).unwrap();
        prop_assert_eq!(&again, &d_lo);
        let json = serde_json::to_string(&d_hi).unwrap();
        let back: Decision = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, d_hi);
    }

    #[test]
    fn application_json_round_trip(
        cost in proptest::option::of(arb_vnd(1_000_000_000_000)),
        learners in proptest::option::of(0u32..1000),
        employees in proptest::option::of(any::<u32>()),
        revenue in proptest::option::of(arb_vnd(1_000_000_000_000_000)),
        craft in proptest::option::of(any::<bool>()),
        percent in proptest::option::of(0u8..=100),
        subject in proptest::option::of(prop_oneof![
            Just(Subject::Enterprise), Just(Subject::Cooperative), Just(Subject::CooperativeGroup),
            Just(Subject::UnionOfCooperatives), Just(Subject::HouseholdBusiness), Just(Subject::Unregistered),
        ]),
    ) {
        let mut a = Application {
            lines: vec![
                LineRequest { line: Line::DemoModel, cost, learners: None },
                LineRequest { line: Line::Training, cost: None, learners },
            ],
            subject,
            ..Application::default()
        };
        a.size.employees = employees;
        a.size.revenue = revenue;
        a.location.craft_village = craft;
        a.location.ward_converted_on = Some(date!(2020 - 02 - 29));
        a.priority.local_materials_percent = percent;
        let json = serde_json::to_string(&a).unwrap();
        let back: Application = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, a);
    }
}

/// Texts memoised per period (`resolved.rs`) are the texts each date's values build: a
/// threshold that changes on a date, cap hints with and without the uplift, evaluations in
/// any order, and a clone of the pack (its cache starts empty) all agree with a fresh pack.
#[test]
fn memoised_texts_follow_the_date_and_the_figures() {
    let later = date!(2020 - 01 - 01);
    let with_change = || {
        let mut p = owned_pack("0.5", "300000000");
        p.params.insert(
            ParamId::LocalMaterialsPercent,
            param(ParamId::LocalMaterialsPercent, Kind::Count, &[(START, "50"), (later, "60")]),
        );
        p
    };
    let pack: &'static RulePack = Box::leak(Box::new(with_change()));
    let reason = |d: &Decision| {
        d.priorities.iter().find(|f| f.id == crate::PriorityId::LocalMaterials).map(|f| f.reason.vi.to_string())
    };
    let early = date!(2015 - 01 - 01);
    let cases = [
        (early, Some(false), "trên 50 %"),
        (TODAY, Some(false), "trên 60 %"),
        (early, Some(true), "trên 50 %"),
        (TODAY, Some(true), "trên 60 %"),
    ];
    for round in 0..2 {
        for (on, difficult, words) in cases {
            let a = app(Vnd::from_const(900_000_000), difficult);
            let d = evaluate(pack, &a, on).unwrap();
            assert!(reason(&d).is_some_and(|r| r.contains(words)), "round {round} {on}: {:?}", reason(&d));
            let fresh: &'static RulePack = Box::leak(Box::new(with_change()));
            assert_eq!(d, evaluate(fresh, &a, on).unwrap(), "round {round} {on} {difficult:?}");
            let copy: &'static RulePack = Box::leak(Box::new(pack.clone()));
            assert_eq!(d, evaluate(copy, &a, on).unwrap());
        }
    }
    // No priority question answered: the period's facts, borrowed; an answer builds them.
    let a = app(Vnd::from_const(900_000_000), None);
    assert!(matches!(evaluate(pack, &a, TODAY).unwrap().priorities, std::borrow::Cow::Borrowed(_)));
    let mut answered = a.clone();
    answered.priority.local_materials_percent = Some(70);
    let d = evaluate(pack, &answered, TODAY).unwrap();
    assert!(matches!(d.priorities, std::borrow::Cow::Owned(_)));
    let local = d.priorities.iter().find(|f| f.id == crate::PriorityId::LocalMaterials).map(|f| f.status);
    assert_eq!(local, Some(crate::Status::Met), "70 % is above the 60 % in force");
    assert_eq!(d, evaluate(Box::leak(Box::new(with_change())), &answered, TODAY).unwrap());
}
