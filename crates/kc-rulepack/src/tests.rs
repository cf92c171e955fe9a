//! Data-validation tests of the bundled pack, and behaviour tests of the engine on it.

use std::collections::BTreeSet;

use kc_rules::Decimal;
use kc_rules::pack::{CommuneKind, Kind, Param, ProvinceKind};
use kc_rules::{
    Application, Basis, Fund, Line, LineRequest, OldUnit, Outcome, Rate, RulePack, RulesError, Status, Subject, Vnd,
};
use time::Date;
use time::macros::date;

use crate::bundled;

fn pack() -> &'static RulePack {
    bundled()
}

/// Every parameter of the pack, national and provincial, with where it sits.
fn all_params(pack: &RulePack) -> Vec<(String, &Param)> {
    let mut v: Vec<(String, &Param)> = pack.params.values().map(|p| ("national".to_owned(), p)).collect();
    for l in &pack.layers {
        v.extend(l.params.iter().map(|p| (l.id.clone(), p)));
    }
    v
}

#[test]
fn values_sorted_ascending_by_date() {
    for (place, p) in all_params(pack()) {
        assert!(!p.values.is_empty(), "{place}/{}: no values", p.id);
        for w in p.values.windows(2) {
            assert!(w[0].from < w[1].from, "{place}/{}: dates not strictly ascending", p.id);
        }
    }
}

#[test]
fn every_value_parses_as_its_kind() {
    for (place, p) in all_params(pack()) {
        for v in &p.values {
            let s = v.value.as_str();
            let ok = match p.kind {
                Kind::Vnd => Vnd::parse(s).is_ok(),
                Kind::Rate => s.parse::<Decimal>().ok().is_some_and(|d| Rate::new(d).is_ok()),
                Kind::Factor => s.parse::<Decimal>().ok().is_some_and(|d| d > Decimal::ZERO),
                Kind::Count => s.parse::<u32>().is_ok(),
                Kind::Bool => s == "true" || s == "false",
                Kind::Choice => {
                    kc_rules::CHOICES.iter().find(|(id, _)| *id == p.id).is_some_and(|(_, words)| words.contains(&s))
                }
            };
            assert!(ok, "{place}/{} from {}: {s:?} is not a valid {:?}", p.id, v.from, p.kind);
        }
    }
}

#[test]
fn every_value_is_cited_and_labelled() {
    for (place, p) in all_params(pack()) {
        assert!(!p.label_vi.trim().is_empty() && !p.label_en.trim().is_empty(), "{place}/{}: label", p.id);
        for v in &p.values {
            assert!(!v.citation.document.trim().is_empty(), "{place}/{} from {}: no citation", p.id, v.from);
        }
    }
    for s in &pack().sectors {
        assert!(!s.citation.document.is_empty(), "sector {}", s.id);
    }
    for p in &pack().papers {
        assert!(!p.citation.document.is_empty(), "paper {}", p.id);
    }
}

#[test]
fn units_counts_and_codes() {
    let pack = pack();
    assert_eq!(pack.provinces.len(), 34);
    assert_eq!(pack.provinces.iter().filter(|p| p.kind == ProvinceKind::Tinh).count(), 28);
    assert_eq!(pack.provinces.iter().filter(|p| p.kind == ProvinceKind::ThanhPhoTrucThuocTrungUong).count(), 6);
    assert_eq!(pack.communes.len(), 3321);
    let count = |k| pack.communes.iter().filter(|c| c.kind == k).count();
    assert_eq!(count(CommuneKind::Xa), 2621);
    assert_eq!(count(CommuneKind::Phuong), 687);
    assert_eq!(count(CommuneKind::DacKhu), 13);
    let codes: BTreeSet<u32> = pack.communes.iter().map(|c| c.code).collect();
    assert_eq!(codes.len(), pack.communes.len(), "commune codes unique");
    let pcodes: BTreeSet<u16> = pack.provinces.iter().map(|p| p.code).collect();
    assert_eq!(pcodes.len(), 34, "province codes unique");
    for c in &pack.communes {
        assert!(
            pack.province(c.province_code).is_some(),
            "commune {} has unknown province {}",
            c.code,
            c.province_code
        );
    }
}

#[test]
fn mergers_cover_23_provinces() {
    let pack = pack();
    let merged: Vec<_> = pack.provinces.iter().filter(|p| !p.formed_from.is_empty()).collect();
    assert_eq!(merged.len(), 23);
    for p in merged {
        assert!(p.formed_from.len() >= 2, "{}: a merger has at least two former provinces", p.name);
    }
    let names: Vec<&str> = pack.provinces.iter().flat_map(|p| &p.formed_from).map(|f| f.codename.as_str()).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(names.len(), unique.len(), "former province codenames unique");
    assert_eq!(names.len(), 52, "52 former provinces merged into 23");
}

#[test]
fn layers_point_at_existing_provinces_and_former_provinces() {
    let pack = pack();
    let ids: BTreeSet<&str> = pack.layers.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), pack.layers.len(), "layer ids unique");
    for l in &pack.layers {
        let p = pack.province(l.province_code).unwrap_or_else(|| panic!("{}: unknown province", l.id));
        if let Some(f) = &l.former_province {
            assert!(
                p.formed_from.iter().any(|x| &x.codename == f),
                "{}: {f} is not a former province of {}",
                l.id,
                p.name
            );
        }
    }
}

#[test]
fn layer_caps_within_national_caps() {
    let pack = pack();
    for l in &pack.layers {
        for lp in l.params.iter().filter(|p| p.kind == Kind::Vnd && p.id.ends_with(".cap")) {
            let Some(national) = pack.param(lp.id) else {
                continue;
            };
            for (i, v) in lp.values.iter().enumerate() {
                let until = lp.values.get(i + 1).map(|n| n.from);
                // Every date the layer value is in force: its start and every national change.
                let mut dates = vec![v.from];
                dates.extend(
                    national.values.iter().map(|n| n.from).filter(|d| *d > v.from && until.is_none_or(|u| *d < u)),
                );
                for d in dates {
                    let Some(n) = national.at(d) else { continue };
                    let (lv, nv) = (Vnd::parse(&v.value).unwrap(), Vnd::parse(&n.value).unwrap());
                    let allowed = v.note.as_deref().is_some_and(|n| n.contains("law allows more"));
                    assert!(lv <= nv || allowed, "{}/{} on {d}: {lv} above the national {nv}", l.id, lp.id);
                }
            }
        }
    }
}

#[test]
fn every_param_the_engine_reads_exists() {
    for id in kc_rules::PARAM_IDS {
        assert!(pack().param(*id).is_some(), "the engine reads {id}, the pack lacks it");
    }
    for (id, _) in kc_rules::CHOICES {
        assert!(pack().param(*id).is_some_and(|p| p.kind == Kind::Choice), "{id} is a choice");
    }
}

#[test]
fn sectors_unique_and_known_exclusions() {
    let ids: BTreeSet<&str> = pack().sectors.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), pack().sectors.len());
    for id in ["trading_services", "primary_agriculture"] {
        assert!(!pack().sector(id).unwrap().eligible);
    }
    assert_eq!(pack().sector("high_tech").unwrap().from, date!(2025 - 10 - 15));
}

#[test]
fn unknown_keys_and_ids_rejected() {
    let text = r#"
id = "machinery.cap"
kind = "vnd"
label_vi = "x"
label_en = "x"
colour = "red"
[[values]]
from = "2020-01-01"
value = "1"
citation = { document = "d" }
confidence = "S"
"#;
    assert!(toml::from_str::<Param>(text).is_err(), "an extra key must be refused");
    let ok = text.replace("colour = \"red\"\n", "");
    assert!(toml::from_str::<Param>(&ok).is_ok(), "the same text without it parses");
    let value_extra = ok.replace("confidence = \"S\"", "confidence = \"S\"\nsource = \"x\"");
    assert!(toml::from_str::<Param>(&value_extra).is_err());
    // A parameter id the engine does not know (a misspelling) does not parse.
    let misspelt = ok.replace("machinery.cap", "machinary.cap");
    assert!(toml::from_str::<Param>(&misspelt).is_err(), "an unknown parameter id must be refused");
}

// ---- Behaviour of the engine on the bundled pack. ----

const XA_THANH_HOA: u32 = 16591;
const PHUONG_HOAN_KIEM: u32 = 70;
/// Xã Tân Hồng, formerly Đồng Tháp.
const XA_DONG_THAP: u32 = 29926;
/// Xã Tân Hội (28468), formerly Tiền Giang, now Đồng Tháp.
const XA_TIEN_GIANG: u32 = 28468;
/// Xã Nam Sách, formerly Hải Dương, now Hải Phòng.
const XA_HAI_DUONG: u32 = 10606;
const XA_DAK_LAK: u32 = 24175;
/// Xã Đà Bắc, formerly Hòa Bình, now Phú Thọ.
const XA_HOA_BINH: u32 = 4831;
const TODAY: Date = date!(2026 - 11 - 22);

fn vnd(v: i64) -> Vnd {
    Vnd::from_const(v)
}

fn machinery_app(commune: u32, cost: i64) -> Application {
    let mut app = Application {
        lines: vec![LineRequest { line: Line::Machinery, cost: Some(vnd(cost)), learners: None }],
        subject: Some(Subject::HouseholdBusiness),
        sector: Some("food_processing".into()),
        ..Application::default()
    };
    app.location.commune_code = Some(commune);
    app.location.difficult_area = Some(false);
    app.conditions.equipment_new = Some(true);
    app.conditions.no_other_state_funding = Some(true);
    app.conditions.counterpart_funding = Some(true);
    app
}

#[test]
fn machinery_in_a_xa_of_a_tinh() {
    let d = kc_rules::evaluate(pack(), &machinery_app(XA_THANH_HOA, 700_000_000), TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::Eligible, "{d:#?}");
    let n = d.support_for(Line::Machinery).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.basis, Basis::Computed);
    assert_eq!(n.amount, Some(vnd(300_000_000)));
    assert!(n.cap_applied);
    assert_eq!(n.cap_binds_above, Some(vnd(600_000_000)));
    assert_eq!(n.cap.as_ref().unwrap().param, "machinery.cap");
    let local = d.support_for(Line::Machinery).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!(local.basis, Basis::SetByProvince);
    assert!(d.missing.is_empty(), "{:#?}", d.missing);
    assert!(d.hints.iter().any(|h| h.id == "cap_binds"));
    assert!(d.hints.iter().any(|h| h.id == "technology_line_cap"));
    assert!(d.papers.iter().any(|p| p.id == "M1"));
    assert!(!d.papers.iter().any(|p| p.id == "C9"), "no SME declaration for a household business");
}

#[test]
fn city_ward_without_craft_village() {
    let mut app = machinery_app(PHUONG_HOAN_KIEM, 700_000_000);
    app.location.craft_village = Some(false);
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.criterion("location").unwrap().status, Status::NotMet);
    assert_eq!(d.outcome, Outcome::NotEligible);
    assert!(d.hints.iter().any(|h| h.id == "city_ward_craft_village"));
    app.location.craft_village = None;
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.criterion("location").unwrap().status, Status::Unknown);
    assert_eq!(d.missing.first().map(|q| q.id.as_str()), Some("location.craft_village"));
    app.location.craft_village = Some(true);
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::Eligible);
}

#[test]
fn old_test_before_2025_10_15() {
    let mut app = machinery_app(PHUONG_HOAN_KIEM, 700_000_000);
    let on = date!(2025 - 10 - 14);
    let d = kc_rules::evaluate(pack(), &app, on).unwrap();
    assert_eq!(d.criterion("location").unwrap().status, Status::Unknown);
    assert!(d.missing.iter().any(|q| q.id == "location.old_unit"));
    app.location.old_unit = Some(OldUnit::PhuongQuan);
    app.location.craft_village = Some(true);
    let d = kc_rules::evaluate(pack(), &app, on).unwrap();
    assert_eq!(d.criterion("location").unwrap().status, Status::NotMet, "craft village is no route before 2025-10-15");
    app.location.old_unit = Some(OldUnit::Xa);
    let d = kc_rules::evaluate(pack(), &app, on).unwrap();
    assert_eq!(d.outcome, Outcome::Eligible);
    app.location.old_unit = Some(OldUnit::PhuongCityGrade1);
    // Plan year 2025: converted on or after (2025 − 1 − 5)-12-31 = 2019-12-31.
    app.location.ward_converted_on = Some(date!(2019 - 12 - 31));
    let d = kc_rules::evaluate(pack(), &app, on).unwrap();
    assert_eq!(d.criterion("location").unwrap().status, Status::Met);
    app.location.ward_converted_on = Some(date!(2019 - 12 - 30));
    let d = kc_rules::evaluate(pack(), &app, on).unwrap();
    assert_eq!(d.criterion("location").unwrap().status, Status::NotMet);
}

#[test]
fn national_values_by_date() {
    let d = kc_rules::evaluate(pack(), &machinery_app(XA_THANH_HOA, 700_000_000), date!(2016 - 01 - 01)).unwrap();
    let n = d.support_for(Line::Machinery).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.amount, Some(vnd(200_000_000)), "TTLT 26/2014: 200 tr");
    let d = kc_rules::evaluate(pack(), &machinery_app(XA_THANH_HOA, 700_000_000), date!(2013 - 06 - 01)).unwrap();
    let n = d.support_for(Line::Machinery).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.basis, Basis::NoValue);
    assert!(matches!(
        kc_rules::evaluate(pack(), &Application::default(), date!(2012 - 07 - 04)),
        Err(kc_rules::RulesError::NoRulesInForce { .. })
    ));
}

#[test]
fn priority_multiplier_2016_raises_cap() {
    let mut app = machinery_app(XA_THANH_HOA, 1_000_000_000);
    app.location.difficult_area = Some(true);
    let d = kc_rules::evaluate(pack(), &app, date!(2016 - 01 - 01)).unwrap();
    let n = d.support_for(Line::Machinery).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.amount, Some(vnd(300_000_000)), "1.5 × 200 tr");
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    let n = d.support_for(Line::Machinery).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.amount, Some(vnd(300_000_000)), "no uplift under TT 28/2018");
}

#[test]
fn empty_application_asks_lines_first() {
    let d = kc_rules::evaluate(pack(), &Application::default(), TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::NeedMoreAnswers);
    let ids: Vec<&str> = d.missing.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids[..3], ["lines", "subject", "location.commune_code"]);
    assert!(ids.contains(&"sector"));
}

#[test]
fn enterprise_size() {
    let mut app = machinery_app(XA_THANH_HOA, 700_000_000);
    app.subject = Some(Subject::Enterprise);
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.criterion("sme_size").unwrap().status, Status::Unknown);
    assert_eq!(d.missing.first().map(|q| q.id.as_str()), Some("size.sector_group"));
    app.size.sector_group = Some(kc_rules::SizeSector::AgricultureIndustryConstruction);
    app.size.employees = Some(40);
    app.size.revenue = Some(vnd(30_000_000_000));
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.criterion("sme_size").unwrap().status, Status::Met);
    assert!(d.missing.is_empty(), "capital not needed: {:#?}", d.missing);
    assert!(d.papers.iter().any(|p| p.id == "C9"));
    app.size.employees = Some(250);
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::NotEligible);
    assert!(d.hints.iter().any(|h| h.id == "large_enterprise"));
    // The cleaner-production line has no size limit.
    app.lines.push(LineRequest { line: Line::CleanerProductionModel, cost: Some(vnd(2_000_000_000)), learners: None });
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::Eligible);
    let n = d.support_for(Line::CleanerProductionModel).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.basis, Basis::NoValue);
}

#[test]
fn sectors_and_conditions() {
    let mut app = machinery_app(XA_THANH_HOA, 700_000_000);
    app.sector = Some("trading_services".into());
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::NotEligible);
    assert!(d.hints.iter().any(|h| h.id == "sector_excluded"));
    app.sector = Some("high_tech".into());
    let d = kc_rules::evaluate(pack(), &app, date!(2025 - 10 - 14)).unwrap();
    assert_eq!(d.criterion("sector").unwrap().status, Status::NotMet);
    app.sector = Some("mining_processing".into());
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.criterion("sector").unwrap().status, Status::NotMet);
    app.sector = Some("building_materials".into());
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert!(d.missing.iter().any(|q| q.id == "fired_clay_manual_kiln"));
    app.fired_clay_manual_kiln = Some(false);
    app.conditions.counterpart_funding = Some(false);
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::NotEligible);
    assert!(d.hints.iter().any(|h| h.id == "conditions"));
}

#[test]
fn provincial_layers() {
    // Đồng Tháp: the former province follows from the commune, it is not asked.
    let mut app = machinery_app(XA_DONG_THAP, 700_000_000);
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert!(!d.missing.iter().any(|q| q.id == "location.former_province"));
    let l = d.support_for(Line::Machinery).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!(l.layer.as_deref(), Some("dong_thap.nq_08_2024"));
    assert_eq!(l.amount, Some(vnd(300_000_000)));
    // An answer that agrees is accepted; one that contradicts the commune is refused.
    app.location.former_province = Some("dong_thap".into());
    assert_eq!(kc_rules::evaluate(pack(), &app, TODAY).unwrap(), d);
    app.location.former_province = Some("tien_giang".into());
    let e = kc_rules::evaluate(pack(), &app, TODAY).unwrap_err();
    assert!(matches!(&e, RulesError::InvalidInput { field, .. } if field == "location.former_province"), "{e:?}");
    // Formerly Tiền Giang: no resolution of it in the pack.
    let d = kc_rules::evaluate(pack(), &machinery_app(XA_TIEN_GIANG, 700_000_000), TODAY).unwrap();
    let l = d.support_for(Line::Machinery).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!(l.basis, Basis::SetByProvince);
    let mut app = machinery_app(XA_TIEN_GIANG, 700_000_000);
    app.location.former_province = Some("hai_duong".into());
    assert!(kc_rules::evaluate(pack(), &app, TODAY).is_err());
    // Hải Dương in Hải Phòng: 250 tr cap; no technology-line level borrowed from the nation.
    let mut app = machinery_app(XA_HAI_DUONG, 700_000_000);
    app.lines.push(LineRequest { line: Line::TechnologyLine, cost: Some(vnd(1_000_000_000)), learners: None });
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    let l = d.support_for(Line::Machinery).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!(l.amount, Some(vnd(250_000_000)));
    let t = d.support_for(Line::TechnologyLine).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!((t.basis, t.amount, t.cap.as_ref()), (Basis::SetByProvince, None, None));
    assert!(t.note.as_ref().unwrap().vi.contains("không quy định mức cho nội dung này"), "{:?}", t.note);
    // Đắk Lắk: whole province, demo model 800 tr; machinery not in the layer.
    let mut app = machinery_app(XA_DAK_LAK, 700_000_000);
    app.lines.push(LineRequest { line: Line::DemoModel, cost: Some(vnd(4_000_000_000)), learners: None });
    app.conditions.technology_new_locally = Some(true);
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert!(!d.missing.iter().any(|q| q.id == "location.former_province"));
    let l = d.support_for(Line::DemoModel).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!(l.amount, Some(vnd(800_000_000)));
    let n = d.support_for(Line::DemoModel).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.amount, Some(vnd(1_000_000_000)));
    let l = d.support_for(Line::Machinery).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!(l.basis, Basis::SetByProvince);
    // Hòa Bình: in force in 2025, replaced by Phú Thọ's resolution from 2026-01-01.
    let mut app = machinery_app(XA_HOA_BINH, 700_000_000);
    app.lines = vec![LineRequest { line: Line::ReplicationModel, cost: Some(vnd(500_000_000)), learners: None }];
    let d = kc_rules::evaluate(pack(), &app, date!(2025 - 11 - 01)).unwrap();
    let l = d.support_for(Line::ReplicationModel).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!(l.layer.as_deref(), Some("phu_tho.hoa_binh_qd_20_2019"));
    assert_eq!(l.basis, Basis::CeilingOnly);
    assert_eq!(l.ceiling, Some(vnd(100_000_000)));
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    let l = d.support_for(Line::ReplicationModel).find(|s| s.fund == Fund::Local).unwrap();
    assert_eq!(l.layer.as_deref(), Some("phu_tho.nq_23_2025"));
    assert_eq!(l.basis, Basis::SetByProvince);
    let note = &l.note.as_ref().unwrap().vi;
    assert!(note.contains("Nghị quyết 23/2025") && note.contains("chưa có trong gói quy tắc"), "{note}");
}

#[test]
fn every_commune_has_a_former_province_of_its_province() {
    let pack = pack();
    for c in &pack.communes {
        let p = pack.province(c.province_code).unwrap();
        let f = c.former_province.as_deref().unwrap_or_else(|| panic!("commune {}: no former province", c.code));
        let ok = if p.formed_from.is_empty() { f == p.codename } else { p.formed_from.iter().any(|x| x.codename == f) };
        assert!(ok, "commune {} ({}): {f} is not a former province of {}", c.code, c.name, p.name);
    }
    assert_eq!(pack.commune(28468).unwrap().former_province.as_deref(), Some("tien_giang"));
    assert_eq!(pack.commune(11674).unwrap().former_province.as_deref(), Some("hai_phong"));
    assert_eq!(pack.commune(8515).unwrap().former_province.as_deref(), Some("phu_tho"));
}

#[test]
fn technology_line_training_startup_replication() {
    let mut app = machinery_app(XA_THANH_HOA, 700_000_000);
    app.lines = vec![
        LineRequest { line: Line::TechnologyLine, cost: Some(vnd(2_000_000_000)), learners: None },
        LineRequest { line: Line::ReplicationModel, cost: Some(vnd(50_000_000)), learners: None },
        LineRequest { line: Line::Training, cost: None, learners: Some(30) },
    ];
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    let n = d.support_for(Line::TechnologyLine).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.amount, Some(vnd(450_000_000)));
    assert_eq!(n.cap.as_ref().unwrap().param, "technology_line.cap");
    let r = d.support_for(Line::ReplicationModel).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!((r.basis, r.ceiling, r.amount), (Basis::CeilingOnly, Some(vnd(50_000_000)), None));
    let t = d.support_for(Line::Training).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(t.basis, Basis::SetByProvince);
    assert_eq!(t.references[0].amount, Some(vnd(120_000_000)), "4 tr × 30 (Decree 338/2025)");
    assert!(d.missing.is_empty(), "{:#?}", d.missing);

    let mut app = machinery_app(XA_THANH_HOA, 0);
    app.lines = vec![LineRequest { line: Line::Startup, cost: Some(vnd(15_000_000)), learners: None }];
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.criterion("startup_area").unwrap().status, Status::NotMet);
    app.subject = Some(Subject::Enterprise);
    app.location.difficult_area = Some(true);
    app.size.sector_group = Some(kc_rules::SizeSector::AgricultureIndustryConstruction);
    app.size.employees = Some(3);
    app.size.capital = Some(vnd(500_000_000));
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::Eligible, "{:#?}", d.criteria);
    let n = d.support_for(Line::Startup).find(|s| s.fund == Fund::National).unwrap();
    assert_eq!(n.amount, Some(vnd(10_000_000)));
}

#[test]
fn missing_cost_is_asked() {
    let mut app = machinery_app(XA_THANH_HOA, 0);
    app.lines[0].cost = None;
    let d = kc_rules::evaluate(pack(), &app, TODAY).unwrap();
    assert_eq!(d.outcome, Outcome::Eligible);
    assert_eq!(d.support[0].basis, Basis::NeedCost);
    assert_eq!(d.missing.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(), ["lines.machinery.cost"]);
}

#[test]
fn union_of_cooperatives_from_2025() {
    let mut app = machinery_app(XA_THANH_HOA, 700_000_000);
    app.subject = Some(Subject::UnionOfCooperatives);
    app.location.old_unit = Some(OldUnit::Xa);
    let d = kc_rules::evaluate(pack(), &app, date!(2025 - 10 - 14)).unwrap();
    assert_eq!(d.outcome, Outcome::NotEligible);
    assert!(d.hints.iter().any(|h| h.id == "union_from_2025"));
    assert!(d.missing.is_empty());
    let d = kc_rules::evaluate(pack(), &app, date!(2025 - 10 - 15)).unwrap();
    assert_eq!(d.outcome, Outcome::Eligible);
}

#[test]
fn decision_json_round_trip_on_the_pack() {
    let d = kc_rules::evaluate(pack(), &machinery_app(XA_THANH_HOA, 700_000_000), TODAY).unwrap();
    let json = serde_json::to_string(&d).unwrap();
    let back: kc_rules::Decision = serde_json::from_str(&json).unwrap();
    assert_eq!(back, d);
}
