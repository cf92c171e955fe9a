//! The applicant's answers as staff read and correct them: every answered field with its
//! label and value in words, and the fields a staff correction may set.

use kc_rules::{Application, Line, Subject, Vnd};

use super::html::Lang;
use super::labels::{self, Kind};

/// How an answer is typed in a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Đồng, Vietnamese number entry (`700.000.000`, `700000000`, `700 triệu`).
    Money,
    /// A whole number.
    Count,
    /// Có / không.
    YesNo,
    /// One of the kinds of establishment.
    Subject,
}

/// The answers a staff correction may set (place and sector are not among them: the place
/// decides the scope, and both are checked against the official lists at submission).
pub fn correctable(app: &Application) -> Vec<(String, Input)> {
    let mut out: Vec<(String, Input)> =
        app.lines.iter().map(|r| (format!("lines.{}.cost", r.line.id()), Input::Money)).collect();
    if app.line(Line::Training).is_some() {
        out.push(("lines.training.learners".to_owned(), Input::Count));
    }
    for (id, kind) in [
        ("subject", Input::Subject),
        ("size.employees", Input::Count),
        ("size.revenue", Input::Money),
        ("size.capital", Input::Money),
        ("conditions.equipment_new", Input::YesNo),
        ("conditions.no_other_state_funding", Input::YesNo),
        ("conditions.counterpart_funding", Input::YesNo),
        ("conditions.technology_new_locally", Input::YesNo),
        ("location.craft_village", Input::YesNo),
        ("location.difficult_area", Input::YesNo),
        ("fired_clay_manual_kiln", Input::YesNo),
        ("priority.workers", Input::Count),
    ] {
        out.push((id.to_owned(), kind));
    }
    out
}

fn yes_no(lang: Lang, v: bool) -> String {
    lang.t(if v { "Có" } else { "Không" }, if v { "Yes" } else { "No" }).to_owned()
}

fn enum_id<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The value of answer `id` in words, if answered.
pub fn value(app: &Application, id: &str, lang: Lang) -> Option<String> {
    let pack = kc_rulepack::bundled();
    let yn = |v: Option<bool>| v.map(|v| yes_no(lang, v));
    let money = |v: Option<Vnd>| v.map(|v| v.to_string());
    let loc = &app.location;
    let c = &app.conditions;
    let p = &app.priority;
    match id {
        "subject" => app.subject.map(|s| labels::label(lang, Kind::Subject, &enum_id(&s))),
        "location.commune_code" => loc.commune_code.map(|code| match pack.commune(code) {
            Some(c) => format!("{} ({code})", super::filter::commune_option(c)),
            None => code.to_string(),
        }),
        "location.craft_village" => yn(loc.craft_village),
        "location.former_province" => loc.former_province.as_ref().map(|f| {
            pack.provinces
                .iter()
                .flat_map(|p| &p.formed_from)
                .find(|x| &x.codename == f)
                .map_or_else(|| f.clone(), |x| x.name.clone())
        }),
        "location.difficult_area" => yn(loc.difficult_area),
        "location.old_unit" => loc.old_unit.map(|u| labels::label(lang, Kind::OldUnit, &enum_id(&u))),
        "location.ward_converted_on" => loc.ward_converted_on.map(kc_rules::iso_date::vi),
        "sector" => app.sector.as_ref().map(|s| match pack.sector(s) {
            Some(x) => lang.t(&x.label_vi, &x.label_en).to_owned(),
            None => s.clone(),
        }),
        "fired_clay_manual_kiln" => yn(app.fired_clay_manual_kiln),
        "size.sector_group" => app.size.sector_group.map(|g| labels::label(lang, Kind::SizeSector, &enum_id(&g))),
        "size.employees" => app.size.employees.map(|n| n.to_string()),
        "size.revenue" => money(app.size.revenue),
        "size.capital" => money(app.size.capital),
        "conditions.equipment_new" => yn(c.equipment_new),
        "conditions.no_other_state_funding" => yn(c.no_other_state_funding),
        "conditions.counterpart_funding" => yn(c.counterpart_funding),
        "conditions.technology_new_locally" => yn(c.technology_new_locally),
        "priority.women_owned" => yn(p.women_owned),
        "priority.ethnic_minority_owned" => yn(p.ethnic_minority_owned),
        "priority.ethnic_minority_workers" => yn(p.ethnic_minority_workers),
        "priority.ethnic_minority_area" => yn(p.ethnic_minority_area),
        "priority.typical_rural_product" => yn(p.typical_rural_product),
        "priority.exports" => yn(p.exports),
        "priority.local_materials_percent" => p.local_materials_percent.map(|n| format!("{n} %")),
        "priority.workers" => p.workers.map(|n| n.to_string()),
        "lines.training.learners" => app.line(Line::Training).and_then(|r| r.learners).map(|n| n.to_string()),
        _ => {
            let line = id.strip_prefix("lines.")?.strip_suffix(".cost")?;
            let r = app.lines.iter().find(|r| r.line.id() == line)?;
            Some(r.cost.map_or_else(|| lang.t("(chưa khai chi phí)", "(no cost given)").to_owned(), |v| v.to_string()))
        }
    }
}

/// Every answer id, in the order the widget asks them.
pub fn all_ids(app: &Application) -> Vec<String> {
    let mut ids: Vec<String> = app.lines.iter().map(|r| format!("lines.{}.cost", r.line.id())).collect();
    ids.push("lines.training.learners".to_owned());
    for id in [
        "subject",
        "location.commune_code",
        "location.old_unit",
        "location.ward_converted_on",
        "location.craft_village",
        "location.former_province",
        "location.difficult_area",
        "sector",
        "fired_clay_manual_kiln",
        "size.sector_group",
        "size.employees",
        "size.revenue",
        "size.capital",
        "conditions.equipment_new",
        "conditions.technology_new_locally",
        "conditions.no_other_state_funding",
        "conditions.counterpart_funding",
        "priority.women_owned",
        "priority.ethnic_minority_owned",
        "priority.ethnic_minority_workers",
        "priority.ethnic_minority_area",
        "priority.typical_rural_product",
        "priority.exports",
        "priority.local_materials_percent",
        "priority.workers",
    ] {
        ids.push(id.to_owned());
    }
    ids
}

/// The answered fields: (id, label, value).
pub fn answered(app: &Application, lang: Lang) -> Vec<(String, String, String)> {
    all_ids(app)
        .into_iter()
        .filter_map(|id| {
            let v = value(app, &id, lang)?;
            Some((id.clone(), labels::label(lang, Kind::Answer, &id), v))
        })
        .collect()
}

/// Sets answer `id` from what staff typed; the error is in Vietnamese and English.
pub fn set(app: &mut Application, id: &str, typed: &str) -> Result<(), (&'static str, &'static str)> {
    let typed = typed.trim();
    let Some((_, input)) = correctable(app).into_iter().find(|(x, _)| x == id) else {
        return Err(("Câu trả lời này không sửa được ở đây.", "This answer cannot be corrected here."));
    };
    let yes_no = || -> Result<bool, (&'static str, &'static str)> {
        match super::filter::fold(typed).as_str() {
            "co" | "yes" | "1" | "true" => Ok(true),
            "khong" | "no" | "0" | "false" => Ok(false),
            _ => Err(("Hãy ghi “có” hoặc “không”.", "Write “yes” or “no”.")),
        }
    };
    let count = || -> Result<u32, (&'static str, &'static str)> {
        typed.replace('.', "").parse::<u32>().map_err(|_| ("Hãy ghi một số nguyên.", "Write a whole number."))
    };
    let money = || -> Result<Vnd, (&'static str, &'static str)> {
        kc_rules::parse_vnd_vi(typed)
            .map_err(|_| ("Số tiền không hợp lệ (ví dụ 700.000.000).", "Not an amount (e.g. 700.000.000)."))
    };
    match (id, input) {
        ("subject", _) => {
            let s = [
                Subject::Enterprise,
                Subject::Cooperative,
                Subject::CooperativeGroup,
                Subject::UnionOfCooperatives,
                Subject::HouseholdBusiness,
                Subject::Unregistered,
            ]
            .into_iter()
            .find(|s| enum_id(s) == typed)
            .ok_or(("Hãy chọn một loại hình.", "Choose a kind of establishment."))?;
            app.subject = Some(s);
        }
        ("size.employees", _) => app.size.employees = Some(count()?),
        ("size.revenue", _) => app.size.revenue = Some(money()?),
        ("size.capital", _) => app.size.capital = Some(money()?),
        ("priority.workers", _) => app.priority.workers = Some(count()?),
        ("conditions.equipment_new", _) => app.conditions.equipment_new = Some(yes_no()?),
        ("conditions.no_other_state_funding", _) => app.conditions.no_other_state_funding = Some(yes_no()?),
        ("conditions.counterpart_funding", _) => app.conditions.counterpart_funding = Some(yes_no()?),
        ("conditions.technology_new_locally", _) => app.conditions.technology_new_locally = Some(yes_no()?),
        ("location.craft_village", _) => app.location.craft_village = Some(yes_no()?),
        ("location.difficult_area", _) => app.location.difficult_area = Some(yes_no()?),
        ("fired_clay_manual_kiln", _) => app.fired_clay_manual_kiln = Some(yes_no()?),
        ("lines.training.learners", _) => {
            let n = count()?;
            if let Some(r) = app.lines.iter_mut().find(|r| r.line == Line::Training) {
                r.learners = Some(n);
            }
        }
        (_, Input::Money) => {
            let v = money()?;
            let line = id.strip_prefix("lines.").and_then(|x| x.strip_suffix(".cost")).unwrap_or_default();
            if let Some(r) = app.lines.iter_mut().find(|r| r.line.id() == line) {
                r.cost = Some(v);
            }
        }
        _ => return Err(("Câu trả lời này không sửa được ở đây.", "This answer cannot be corrected here.")),
    }
    Ok(())
}

/// The subject choices for the correction form: (id, label).
pub fn subject_choices(lang: Lang) -> Vec<(String, String)> {
    ["household_business", "cooperative", "cooperative_group", "union_of_cooperatives", "enterprise", "unregistered"]
        .iter()
        .map(|id| ((*id).to_owned(), labels::label(lang, Kind::Subject, id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cost_typed_the_vietnamese_way_is_set_and_every_answer_has_a_label() {
        let mut app = Application {
            lines: vec![kc_rules::LineRequest {
                line: Line::Machinery,
                cost: Some(Vnd::new(1).unwrap()),
                learners: None,
            }],
            ..Application::default()
        };
        set(&mut app, "lines.machinery.cost", "700.000.000").unwrap();
        assert_eq!(app.lines[0].cost, Some(Vnd::new(700_000_000).unwrap()));
        set(&mut app, "conditions.equipment_new", "Có").unwrap();
        assert_eq!(app.conditions.equipment_new, Some(true));
        assert!(set(&mut app, "location.commune_code", "1").is_err());
        assert!(set(&mut app, "size.employees", "nhiều").is_err());
        for id in all_ids(&app) {
            assert!(labels::lookup(Kind::Answer, &id).is_some(), "{id}");
        }
    }
}
