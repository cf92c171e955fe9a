//! Property tests of `evaluate` against the real bundled pack: random valid applications on
//! random dates never make it fail or panic; amounts stay within their caps and grow with
//! the cost; the result is deterministic; decisions and applications survive JSON.
#![cfg(not(target_arch = "wasm32"))]

use kc_rules::{
    Application, Basis, ConditionAnswers, Decision, Line, LineRequest, LocationAnswers, OldUnit, PriorityAnswers,
    SizeAnswers, SizeSector, Subject, Vnd, evaluate,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use time::{Date, Duration};

fn pack() -> &'static kc_rules::RulePack {
    kc_rulepack::bundled()
}

/// Dates from Decree 45/2012's first day to 2030.
fn date() -> impl Strategy<Value = Date> {
    let start = time::macros::date!(2012 - 07 - 05);
    (0i64..=6_750).prop_map(move |d| start + Duration::days(d))
}

/// Money, weighted towards the interesting range (caps are 10 tr – 1 bn).
fn vnd() -> impl Strategy<Value = Vnd> {
    prop_oneof![
        4 => 0i64..=4_000_000_000,
        1 => 0i64..=kc_rules::MAX_VND,
        1 => Just(0i64),
    ]
    .prop_map(|n| Vnd::new(n).expect("in range"))
}

fn subject() -> impl Strategy<Value = Subject> {
    select(vec![
        Subject::Enterprise,
        Subject::Cooperative,
        Subject::CooperativeGroup,
        Subject::UnionOfCooperatives,
        Subject::HouseholdBusiness,
        Subject::Unregistered,
    ])
}

fn old_unit() -> impl Strategy<Value = OldUnit> {
    select(vec![
        OldUnit::Xa,
        OldUnit::ThiTran,
        OldUnit::ThiXa,
        OldUnit::PhuongCityGrade2Or3,
        OldUnit::PhuongCityGrade1,
        OldUnit::PhuongQuan,
    ])
}

fn lines() -> impl Strategy<Value = Vec<LineRequest>> {
    (
        subsequence(Line::ALL.to_vec(), 0..=Line::ALL.len()),
        proptest::collection::vec((proptest::option::of(vnd()), proptest::option::of(0u32..200)), 7),
    )
        .prop_map(|(lines, extras)| {
            lines
                .into_iter()
                .zip(extras)
                .map(|(line, (cost, learners))| LineRequest {
                    line,
                    cost,
                    learners: if line == Line::Training { learners } else { None },
                })
                .collect()
        })
}

fn location() -> impl Strategy<Value = LocationAnswers> {
    let communes: Vec<u32> = pack().communes.iter().map(|c| c.code).collect();
    let formers: Vec<String> =
        pack().provinces.iter().flat_map(|p| &p.formed_from).map(|f| f.codename.clone()).collect();
    (
        proptest::option::of(select(communes)),
        proptest::option::of(any::<bool>()),
        proptest::option::of(select(formers)),
        proptest::option::of(any::<bool>()),
        proptest::option::of(old_unit()),
        proptest::option::of(date()),
    )
        .prop_map(|(commune_code, craft_village, former_province, difficult_area, old_unit, ward_converted_on)| {
            // A valid application's former province, when answered, is the commune's own
            // (a contradicting one is refused, see the golden cases).
            let derived = commune_code.and_then(|c| pack().commune(c)).and_then(|c| c.former_province.clone());
            let former_province = match (former_province, derived) {
                (Some(_), Some(d)) => Some(d),
                (answer, _) => answer,
            };
            LocationAnswers {
                commune_code,
                craft_village,
                former_province,
                difficult_area,
                old_unit,
                ward_converted_on,
            }
        })
}

fn size() -> impl Strategy<Value = SizeAnswers> {
    (
        proptest::option::of(select(vec![SizeSector::AgricultureIndustryConstruction, SizeSector::TradeServices])),
        proptest::option::of(0u32..400),
        proptest::option::of(vnd()),
        proptest::option::of(vnd()),
    )
        .prop_map(|(sector_group, employees, revenue, capital)| SizeAnswers {
            sector_group,
            employees,
            revenue,
            capital,
        })
}

fn opt_bool() -> impl Strategy<Value = Option<bool>> {
    proptest::option::of(any::<bool>())
}

fn application() -> impl Strategy<Value = Application> {
    let sectors: Vec<String> = pack().sectors.iter().map(|s| s.id.clone()).collect();
    (
        lines(),
        proptest::option::of(subject()),
        size(),
        location(),
        proptest::option::of(select(sectors)),
        opt_bool(),
        (opt_bool(), opt_bool(), opt_bool(), opt_bool()),
        (
            opt_bool(),
            opt_bool(),
            opt_bool(),
            opt_bool(),
            opt_bool(),
            opt_bool(),
            proptest::option::of(0u8..=100),
            proptest::option::of(0u32..500),
        ),
    )
        .prop_map(|(lines, subject, size, location, sector, fired_clay_manual_kiln, c, p)| Application {
            lines,
            subject,
            size,
            location,
            sector,
            fired_clay_manual_kiln,
            conditions: ConditionAnswers {
                equipment_new: c.0,
                no_other_state_funding: c.1,
                counterpart_funding: c.2,
                technology_new_locally: c.3,
            },
            priority: PriorityAnswers {
                women_owned: p.0,
                ethnic_minority_owned: p.1,
                ethnic_minority_workers: p.2,
                ethnic_minority_area: p.3,
                typical_rural_product: p.4,
                exports: p.5,
                local_materials_percent: p.6,
                workers: p.7,
            },
        })
}

fn decide(app: &Application, as_of: Date) -> Decision {
    evaluate(pack(), app, as_of).unwrap_or_else(|e| panic!("evaluate failed on a valid application: {e}\n{app:?}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Valid input never errs, and every figure is within its cap and its cost.
    #[test]
    fn amounts_within_caps(app in application(), as_of in date()) {
        prop_assert!(app.check(pack()).is_ok(), "generator made an invalid application");
        let d = decide(&app, as_of);
        for s in &d.support {
            if let Some(amount) = s.amount {
                prop_assert_eq!(s.basis, Basis::Computed);
                prop_assert!(amount >= Vnd::ZERO);
                let cost = s.eligible_cost.expect("a computed amount has its cost");
                prop_assert!(amount <= cost, "{:?}/{:?}: amount {} above cost {}", s.line, s.fund, amount, cost);
                if let Some(cap) = &s.cap {
                    let limit = cap.value.as_decimal() * s.multiplier.value;
                    prop_assert!(amount.as_decimal() <= limit, "{:?}/{:?}: amount {} above cap {} × {}", s.line, s.fund, amount, cap.value, s.multiplier.value);
                }
                // Without a priority uplift the figure is exactly min(rate × cost, cap), toward zero.
                if let (Some(rate), Some(cap)) = (&s.rate, &s.cap)
                    && s.multiplier.value == rust_decimal::Decimal::ONE
                {
                    let raw = rate.value.of(cost);
                    let cap = cap.value.as_decimal();
                    prop_assert_eq!(s.cap_applied, raw > cap, "{:?}/{:?}: cap_applied", s.line, s.fund);
                    let want = Vnd::from_decimal_toward_zero(raw.min(cap)).expect("in range");
                    prop_assert_eq!(amount, want, "{:?}/{:?}: min(rate × cost, cap)", s.line, s.fund);
                }
            }
            if let Some(ceiling) = s.ceiling {
                prop_assert_eq!(s.basis, Basis::CeilingOnly);
                if let Some(cost) = s.eligible_cost { prop_assert!(ceiling <= cost); }
                if let Some(cap) = &s.cap { prop_assert!(ceiling.as_decimal() <= cap.value.as_decimal() * s.multiplier.value); }
            }
            if s.basis != Basis::Computed { prop_assert!(s.amount.is_none(), "{:?}: amount without computed basis", s.basis); }
        }
        prop_assert_eq!(&d.pack_id, &pack().id);
        prop_assert_eq!(d.as_of, as_of);
    }

    /// Raising one line's cost never lowers any computed amount.
    #[test]
    fn amount_non_decreasing_in_cost(app in application(), as_of in date(), which in 0usize..7, extra in 0i64..2_000_000_000) {
        prop_assume!(!app.lines.is_empty());
        let i = which % app.lines.len();
        let Some(cost) = app.lines[i].cost else { return Ok(()) };
        let Ok(higher) = Vnd::new(cost.to_i64().saturating_add(extra).min(kc_rules::MAX_VND)) else { return Ok(()) };
        let mut more = app.clone();
        more.lines[i].cost = Some(higher);
        let (a, b) = (decide(&app, as_of), decide(&more, as_of));
        let line = app.lines[i].line;
        for s in a.support_for(line) {
            if let (Some(x), Some(y)) = (s.amount, b.support_for(line).find(|t| t.fund == s.fund).and_then(|t| t.amount)) {
                prop_assert!(y >= x, "{:?}/{:?}: cost {} → {} but amount {} → {}", line, s.fund, cost, higher, x, y);
            }
            if let (Some(x), Some(y)) = (s.ceiling, b.support_for(line).find(|t| t.fund == s.fund).and_then(|t| t.ceiling)) {
                prop_assert!(y >= x);
            }
        }
    }

    /// Same input, same decision.
    #[test]
    fn deterministic(app in application(), as_of in date()) {
        prop_assert_eq!(decide(&app, as_of), decide(&app, as_of));
    }

    /// Applications and decisions survive a JSON round trip unchanged.
    #[test]
    fn json_round_trips(app in application(), as_of in date()) {
        let text = serde_json::to_string(&app).expect("serialise application");
        let back: Application = serde_json::from_str(&text).expect("parse application");
        prop_assert_eq!(&back, &app);
        let d = decide(&app, as_of);
        let text = serde_json::to_string(&d).expect("serialise decision");
        let back: Decision = serde_json::from_str(&text).expect("parse decision");
        prop_assert_eq!(back, d);
    }
}
