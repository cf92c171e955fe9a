//! The legal criteria, one function each (docs/engine.md, "Criteria").
//!
//! Each function reads the answers and the parameters in force on `as_of` and returns one
//! [`CriterionResult`], or `None` when the criterion does not apply to any requested line.
//! Thresholds, switches and citations come from the rule pack; the legal basis of each test
//! is named in the function's doc comment.

use time::{Date, Month};

use crate::evaluate::Ctx;
use crate::pack::{CommuneKind, ProvinceKind, SectorCondition};
use crate::{
    Citation, Comparison, Confidence, CriterionResult, Line, OldUnit, RulesError, SizeSector, Status, Subject, Text,
    Used, Vnd,
};

type R<T> = Result<T, RulesError>;

fn cmp(what: &str, actual: impl Into<String>, op: &str, limit: impl Into<String>) -> Comparison {
    Comparison { what: what.to_owned(), actual: actual.into(), op: op.to_owned(), limit: limit.into() }
}

fn from_bool(answer: Option<bool>) -> Status {
    match answer {
        Some(true) => Status::Met,
        Some(false) => Status::NotMet,
        None => Status::Unknown,
    }
}

fn yes_no(answer: Option<bool>) -> &'static str {
    match answer {
        Some(true) => "có",
        Some(false) => "không",
        None => "?",
    }
}

fn cite<T>(u: &Used<T>) -> (Citation, Confidence) {
    (u.citation.clone(), u.confidence)
}

fn fixed(document: &str, provision: &str) -> Citation {
    Citation { document: document.to_owned(), provision: provision.to_owned() }
}

/// Builds a result for the lines in `applies` (empty list in the result when it is every
/// requested line).
fn result(
    ctx: &Ctx<'_>,
    id: &str,
    applies: &[Line],
    status: Status,
    reason: Text,
    compared: Vec<Comparison>,
    (citation, confidence): (Citation, Confidence),
) -> CriterionResult {
    let lines = if applies.len() == ctx.lines.len() { Vec::new() } else { applies.to_vec() };
    CriterionResult { id: id.to_owned(), status, lines, reason, compared, citation, confidence }
}

/// The requested lines a criterion applies to: `None` if it applies to none of them.
/// With no line requested yet, only general criteria (`line_specific == false`) apply.
fn applies(ctx: &Ctx<'_>, line_specific: bool, pred: impl Fn(Line) -> bool) -> Option<Vec<Line>> {
    if ctx.lines.is_empty() {
        return if line_specific { None } else { Some(Vec::new()) };
    }
    let v: Vec<Line> = ctx.lines.iter().copied().filter(|l| pred(*l)).collect();
    if v.is_empty() { None } else { Some(v) }
}

/// Lines that carry the size and location tests: all but the cleaner-production pilot
/// model, whose subject clause (b) has no size and no location limit
/// (TT 46/2012 Art. 3 cl. 2; Decree 235/2025 Art. 1 cl. 1).
pub(crate) fn rural_line(line: Line) -> bool {
    line != Line::CleanerProductionModel
}

/// **Subject** — Decree 45/2012 Art. 1 cl. 2 as amended by Decree 235/2025 Art. 1 cl. 1;
/// TT 28/2018 Art. 2. Household businesses, cooperatives, cooperative groups and enterprises
/// are subjects (an enterprise's size is [`sme_size`]); a union of cooperatives only while
/// `subject.union_of_cooperatives` is true; an unregistered person is not an establishment.
pub(crate) fn subject(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    let Some(lines) = applies(ctx, false, |_| true) else {
        return Ok(None);
    };
    let union = ctx.p.need::<bool>("subject.union_of_cooperatives")?;
    let sustainable = ctx.p.need::<bool>("subject.sustainable_production")?.is_some_and(|u| u.value);
    let union_ok = union.as_ref().is_some_and(|u| u.value);
    let source = match &union {
        Some(u) => cite(u),
        None => (fixed("Nghị định 45/2012/NĐ-CP", "Điều 1 khoản 2"), Confidence::V),
    };
    let accepted = if union_ok {
        "doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp hợp tác xã, tổ hợp tác, hộ kinh doanh"
    } else {
        "doanh nghiệp nhỏ và vừa, hợp tác xã, tổ hợp tác, hộ kinh doanh"
    };
    let (status, vi, en, actual) = match ctx.app.subject {
        None => (Status::Unknown, "Chưa chọn loại hình cơ sở.".to_owned(), "The kind of establishment is not answered yet.".to_owned(), "?"),
        Some(Subject::HouseholdBusiness) => (Status::Met, "Hộ kinh doanh là đối tượng được hỗ trợ khuyến công.".into(), "A household business is a khuyến công subject.".into(), "household_business"),
        Some(Subject::Cooperative) => (Status::Met, "Hợp tác xã là đối tượng được hỗ trợ khuyến công.".into(), "A cooperative is a khuyến công subject.".into(), "cooperative"),
        Some(Subject::CooperativeGroup) => (Status::Met, "Tổ hợp tác là đối tượng được hỗ trợ khuyến công.".into(), "A cooperative group is a khuyến công subject.".into(), "cooperative_group"),
        Some(Subject::Enterprise) => (Status::Met, "Doanh nghiệp là đối tượng nếu là doanh nghiệp nhỏ và vừa (xem tiêu chí quy mô).".into(), "An enterprise is a subject if it is an SME (see the size criterion).".into(), "enterprise"),
        Some(Subject::UnionOfCooperatives) if union_ok => (Status::Met, "Liên hiệp hợp tác xã là đối tượng được hỗ trợ (từ Nghị định 235/2025).".into(), "A union of cooperatives is a subject (since Decree 235/2025).".into(), "union_of_cooperatives"),
        Some(Subject::UnionOfCooperatives) => (Status::NotMet, "Vào ngày này liên hiệp hợp tác xã chưa là đối tượng khuyến công (chỉ từ 15/10/2025).".into(), "On this date a union of cooperatives is not yet a khuyến công subject (only from 2025-10-15).".into(), "union_of_cooperatives"),
        Some(Subject::Unregistered) => (Status::NotMet, "Cơ sở chưa đăng ký (doanh nghiệp, hợp tác xã, tổ hợp tác hoặc hộ kinh doanh) không phải là đối tượng được hỗ trợ.".into(), "An establishment that is not registered (enterprise, cooperative, cooperative group or household business) is not a subject.".into(), "unregistered"),
    };
    let (mut vi, mut en) = (vi, en);
    if ctx.lines.contains(&Line::CleanerProductionModel) && status != Status::Unknown {
        if sustainable {
            vi.push_str(" Mô hình sản xuất sạch hơn/bền vững mở cho mọi cơ sở sản xuất công nghiệp, không giới hạn quy mô và địa bàn.");
            en.push_str(" The cleaner/sustainable-production model is open to any industrial establishment, with no size or location limit.");
        } else {
            vi.push_str(
                " Mô hình sản xuất sạch hơn mở cho mọi cơ sở sản xuất công nghiệp, không giới hạn quy mô và địa bàn.",
            );
            en.push_str(" The cleaner-production model is open to any industrial establishment, with no size or location limit.");
        }
    }
    let compared = vec![cmp("subject", actual, "∈", accepted)];
    Ok(Some(result(ctx, "subject", &lines, status, Text::new(vi, en), compared, source)))
}

/// The three size classes, smallest first.
const CLASSES: [(&str, &str, &str); 3] =
    [("micro", "siêu nhỏ", "micro"), ("small", "nhỏ", "small"), ("medium", "vừa", "medium")];

/// One class's limits on a date.
pub(crate) struct Limits {
    pub(crate) employees: Used<u32>,
    pub(crate) revenue: Used<Vnd>,
    pub(crate) capital: Used<Vnd>,
}

/// The limits of one class of `group`, if all three are in force on the date.
pub(crate) fn limits(ctx: &Ctx<'_>, group: SizeSector, class: &str) -> R<Option<Limits>> {
    let g = match group {
        SizeSector::AgricultureIndustryConstruction => "agriculture_industry_construction",
        SizeSector::TradeServices => "trade_services",
    };
    let e = ctx.p.need::<u32>(&format!("sme.{g}.{class}.employees"))?;
    let r = ctx.p.need::<Vnd>(&format!("sme.{g}.{class}.revenue"))?;
    let c = ctx.p.need::<Vnd>(&format!("sme.{g}.{class}.capital"))?;
    Ok(match (e, r, c) {
        (Some(employees), Some(revenue), Some(capital)) => Some(Limits { employees, revenue, capital }),
        _ => None,
    })
}

/// Whether the answers fit a class: `Some(true)` / `Some(false)` when decided, else `None`.
/// Employees within the limit AND (revenue OR capital within its limit) (Decree 80/2021
/// Art. 5); with no revenue, capital alone decides (Art. 9); the most favourable criterion is
/// taken (TT 06/2022 Art. 3 cl. 2).
pub(crate) fn fits(ctx: &Ctx<'_>, l: &Limits) -> Option<bool> {
    let s = &ctx.app.size;
    let emp = s.employees.map(|e| e <= l.employees.value);
    let rev = s.revenue.map(|r| r <= l.revenue.value);
    let cap = s.capital.map(|c| c <= l.capital.value);
    let fin = match (rev, cap) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) | (None, Some(false)) => Some(false),
        _ => None,
    };
    match (emp, fin) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// **SME size** (enterprises only; not for the cleaner-production line) — Law 04/2017/QH14
/// Art. 4; Decree 80/2021 Art. 5–9; TT 06/2022/TT-BKHĐT Art. 3 cl. 2. The size is the
/// smallest class whose employee limit holds and whose revenue or capital limit holds.
pub(crate) fn sme_size(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    if ctx.app.subject != Some(Subject::Enterprise) {
        return Ok(None);
    }
    let Some(lines) = applies(ctx, false, rural_line) else {
        return Ok(None);
    };
    let s = &ctx.app.size;
    let Some(group) = s.sector_group else {
        let reason = Text::new(
            "Chưa chọn nhóm lĩnh vực (nông, lâm, thủy sản, công nghiệp, xây dựng hay thương mại, dịch vụ) để xác định quy mô doanh nghiệp.",
            "The sector group (agriculture/industry/construction or trade/services) that sets the size limits is not answered yet.",
        );
        let src = (fixed("Nghị định 80/2021/NĐ-CP", "Điều 5, 6"), Confidence::V);
        return Ok(Some(result(
            ctx,
            "sme_size",
            &lines,
            Status::Unknown,
            reason,
            vec![cmp("size.sector_group", "?", "∈", "agriculture_industry_construction, trade_services")],
            src,
        )));
    };
    let Some(medium) = limits(ctx, group, "medium")? else {
        let reason = Text::new(
            "Gói quy tắc không có ngưỡng doanh nghiệp nhỏ và vừa cho ngày này (Nghị định 56/2009 không có trong gói): chưa thể xác định.",
            "The pack has no SME thresholds for this date (Decree 56/2009 is not in the pack): cannot decide.",
        );
        let src = (fixed("Nghị định 56/2009/NĐ-CP", "Điều 3"), Confidence::R);
        return Ok(Some(result(ctx, "sme_size", &lines, Status::Unknown, reason, Vec::new(), src)));
    };
    let mut found: Option<(&str, &str, Limits)> = None;
    for (id, vi, en) in CLASSES {
        if id == "medium" {
            break;
        }
        if let Some(l) = limits(ctx, group, id)?
            && fits(ctx, &l) == Some(true)
        {
            found = Some((vi, en, l));
            break;
        }
    }
    let medium_fit = fits(ctx, &medium);
    if found.is_none() && medium_fit == Some(true) {
        found = Some(("vừa", "medium", medium));
    }
    let fmt_opt = |v: Option<Vnd>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
    let (status, reason, shown) = match found {
        Some((vi, en, l)) => (
            Status::Met,
            Text::new(
                format!("Doanh nghiệp {vi}: thuộc doanh nghiệp nhỏ và vừa."),
                format!("A {en} enterprise: an SME."),
            ),
            l,
        ),
        None => {
            // `medium` was moved only when found; rebuild it for display.
            let medium =
                limits(ctx, group, "medium")?.ok_or_else(|| RulesError::BadPack { id: "sme.medium".into() })?;
            match medium_fit {
                Some(false) => (
                    Status::NotMet,
                    Text::new(
                        "Vượt ngưỡng doanh nghiệp vừa: doanh nghiệp lớn không được hỗ trợ khuyến công (trừ mô hình sản xuất sạch hơn).",
                        "Above the medium-enterprise limits: a large enterprise gets no khuyến công support (except the cleaner-production model).",
                    ),
                    medium,
                ),
                _ => (
                    Status::Unknown,
                    Text::new(
                        "Cần thêm số lao động, doanh thu hoặc tổng nguồn vốn để xác định quy mô.",
                        "Employees, revenue or total capital are still needed to tell the size.",
                    ),
                    medium,
                ),
            }
        }
    };
    let compared = vec![
        cmp(
            "size.employees",
            s.employees.map_or_else(|| "?".to_owned(), |e| e.to_string()),
            "≤",
            shown.employees.value.to_string(),
        ),
        cmp("size.revenue", fmt_opt(s.revenue), "≤", shown.revenue.value.to_string()),
        cmp("size.capital", fmt_opt(s.capital), "≤", shown.capital.value.to_string()),
    ];
    let conf = shown.employees.confidence.min(shown.revenue.confidence).min(shown.capital.confidence);
    let src = (shown.employees.citation.clone(), conf);
    Ok(Some(result(ctx, "sme_size", &lines, status, reason, compared, src)))
}

/// **Location** (not for the cleaner-production line). From 2025-10-15 (Decree 235/2025
/// Art. 1 cl. 1): any xã, phường or đặc khu of a tỉnh; only xã and đặc khu of a centrally-run
/// city; a recognised craft village anywhere. Before (Decree 45/2012 Art. 1 cl. 2; TT 46/2012
/// Art. 3 cl. 1): xã, thị trấn, thị xã, wards of grade-2/3 cities, wards of grade-1 cities
/// converted from a commune at most 5 years before; wards of urban districts excluded.
pub(crate) fn location(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    let Some(lines) = applies(ctx, false, rural_line) else {
        return Ok(None);
    };
    let test = &ctx.location_test;
    let loc = &ctx.app.location;
    if test.value == "2025" {
        let src = cite(test);
        let cv = cmp("location.craft_village", yes_no(loc.craft_village), "=", "có");
        if loc.craft_village == Some(true) {
            let reason = Text::new(
                "Cơ sở nằm trong làng nghề được UBND cấp tỉnh công nhận: đạt tiêu chí địa bàn.",
                "Inside a craft village recognised by the provincial People's Committee: the location test is met.",
            );
            return Ok(Some(result(ctx, "location", &lines, Status::Met, reason, vec![cv], src)));
        }
        let (Some(c), Some(p)) = (ctx.commune, ctx.province) else {
            let reason = Text::new(
                "Chưa chọn xã, phường, đặc khu nơi sản xuất.",
                "The commune, ward or special zone of production is not answered yet.",
            );
            return Ok(Some(result(
                ctx,
                "location",
                &lines,
                Status::Unknown,
                reason,
                vec![cmp("location.commune_code", "?", "∈", "xã, phường, đặc khu")],
                src,
            )));
        };
        let kind = match c.kind {
            CommuneKind::Xa => "xa",
            CommuneKind::Phuong => "phuong",
            CommuneKind::DacKhu => "dac_khu",
        };
        let unit = cmp(
            "location.commune_code",
            format!("{} ({kind}), {}", c.name, p.name),
            "∈",
            "xã, đặc khu; phường của tỉnh",
        );
        let city = p.kind == ProvinceKind::ThanhPhoTrucThuocTrungUong;
        let (status, reason, compared) = match (c.kind, city) {
            (CommuneKind::Xa | CommuneKind::DacKhu, _) => (
                Status::Met,
                Text::new(
                    format!("{} thuộc {}: đạt tiêu chí địa bàn.", c.name, p.name),
                    format!("{} in {}: the location test is met.", c.name, p.name),
                ),
                vec![unit],
            ),
            (CommuneKind::Phuong, false) => (
                Status::Met,
                Text::new(
                    format!("{} thuộc tỉnh {}: phường của tỉnh đạt tiêu chí địa bàn.", c.name, p.name),
                    format!("{} in the province {}: a ward of a province meets the location test.", c.name, p.name),
                ),
                vec![unit],
            ),
            (CommuneKind::Phuong, true) => match loc.craft_village {
                Some(false) => (
                    Status::NotMet,
                    Text::new(
                        format!(
                            "{} là phường của {} (thành phố trực thuộc trung ương): chỉ đạt nếu sản xuất trong làng nghề được công nhận.",
                            c.name, p.name
                        ),
                        format!(
                            "{} is a ward of {} (a centrally-run city): it qualifies only inside a recognised craft village.",
                            c.name, p.name
                        ),
                    ),
                    vec![unit, cv],
                ),
                _ => (
                    Status::Unknown,
                    Text::new(
                        format!(
                            "{} là phường của {}: cần biết cơ sở có nằm trong làng nghề được công nhận không.",
                            c.name, p.name
                        ),
                        format!(
                            "{} is a ward of {}: whether it lies in a recognised craft village decides.",
                            c.name, p.name
                        ),
                    ),
                    vec![unit, cv],
                ),
            },
        };
        return Ok(Some(result(ctx, "location", &lines, status, reason, compared, src)));
    }
    // The 2012 test, from the declared pre-2025 unit.
    let src = cite(test);
    let Some(unit) = loc.old_unit else {
        let reason = Text::new(
            "Chưa chọn loại địa bàn nơi sản xuất (trước 15/10/2025).",
            "The kind of place of production (before 2025-10-15) is not answered yet.",
        );
        return Ok(Some(result(
            ctx,
            "location",
            &lines,
            Status::Unknown,
            reason,
            vec![cmp(
                "location.old_unit",
                "?",
                "∈",
                "xa, thi_tran, thi_xa, phuong_city_grade2_or3, phuong_city_grade1 (≤ 5 năm)",
            )],
            src,
        )));
    };
    let name = match unit {
        OldUnit::Xa => "xa",
        OldUnit::ThiTran => "thi_tran",
        OldUnit::ThiXa => "thi_xa",
        OldUnit::PhuongCityGrade2Or3 => "phuong_city_grade2_or3",
        OldUnit::PhuongCityGrade1 => "phuong_city_grade1",
        OldUnit::PhuongQuan => "phuong_quan",
    };
    let declared = cmp(
        "location.old_unit",
        name,
        "∈",
        "xa, thi_tran, thi_xa, phuong_city_grade2_or3, phuong_city_grade1 (≤ 5 năm)",
    );
    let out = match unit {
        OldUnit::Xa | OldUnit::ThiTran | OldUnit::ThiXa | OldUnit::PhuongCityGrade2Or3 => result(
            ctx,
            "location",
            &lines,
            Status::Met,
            Text::new(
                "Xã, thị trấn, thị xã hoặc phường của thành phố loại 2, 3: đạt tiêu chí địa bàn.",
                "A commune, township, district-level town or ward of a grade-2/3 city: the location test is met.",
            ),
            vec![declared],
            src,
        ),
        OldUnit::PhuongQuan => result(
            ctx,
            "location",
            &lines,
            Status::NotMet,
            Text::new(
                "Phường thuộc quận của thành phố trực thuộc trung ương không thuộc địa bàn được hỗ trợ (trước 15/10/2025, kể cả trong làng nghề).",
                "A ward of an urban district of a centrally-run city is outside the eligible area (before 2025-10-15, craft villages included).",
            ),
            vec![declared],
            src,
        ),
        OldUnit::PhuongCityGrade1 => grade1_ward(ctx, &lines, declared)?,
    };
    Ok(Some(out))
}

/// A ward of a grade-1 city under the 2012 test: converted from a commune on or after
/// 31 December of (plan year − 1 − max years) (TT 46/2012 Art. 3 cl. 1 point đ).
fn grade1_ward(ctx: &Ctx<'_>, lines: &[Line], declared: Comparison) -> R<CriterionResult> {
    let years = ctx.p.need::<u32>("location.converted_ward_max_years")?;
    let Some(years) = years else {
        let reason = Text::new(
            "Chưa có quy định chi tiết về phường đô thị loại 1 vào ngày này (Thông tư 46/2012 có hiệu lực từ 10/02/2013).",
            "No detailed rule for grade-1 city wards on this date (TT 46/2012 in force from 2013-02-10).",
        );
        return Ok(result(ctx, "location", lines, Status::Unknown, reason, vec![declared], cite(&ctx.location_test)));
    };
    let src = cite(&years);
    let threshold = i32::try_from(years.value)
        .ok()
        .and_then(|y| Date::from_calendar_date(ctx.as_of.year() - 1 - y, Month::December, 31).ok());
    let Some(threshold) = threshold else {
        return Err(RulesError::BadPack { id: years.param });
    };
    let Some(on) = ctx.app.location.ward_converted_on else {
        let reason = Text::new(
            format!(
                "Phường của thành phố loại 1: cần ngày chuyển từ xã thành phường (đạt nếu từ {threshold} trở về sau)."
            ),
            format!(
                "A ward of a grade-1 city: the date it was converted from a commune decides (met if on or after {threshold})."
            ),
        );
        return Ok(result(
            ctx,
            "location",
            lines,
            Status::Unknown,
            reason,
            vec![declared, cmp("location.ward_converted_on", "?", "≥", threshold.to_string())],
            src,
        ));
    };
    let ok = on >= threshold;
    let reason = if ok {
        Text::new(
            format!("Phường được chuyển từ xã ngày {on}, chưa quá {} năm: đạt tiêu chí địa bàn.", years.value),
            format!("Ward converted from a commune on {on}, within {} years: the location test is met.", years.value),
        )
    } else {
        Text::new(
            format!("Phường được chuyển từ xã ngày {on}, đã quá {} năm: không đạt tiêu chí địa bàn.", years.value),
            format!(
                "Ward converted from a commune on {on}, more than {} years ago: the location test is not met.",
                years.value
            ),
        )
    };
    let status = if ok { Status::Met } else { Status::NotMet };
    Ok(result(
        ctx,
        "location",
        lines,
        status,
        reason,
        vec![declared, cmp("location.ward_converted_on", on.to_string(), "≥", threshold.to_string())],
        src,
    ))
}

/// **Sector** — Decree 45/2012 Art. 5 cl. 1 (as amended by Decree 235/2025); TT 46/2012
/// Art. 5 (no support for fired-clay bricks from improved manual or ring kilns); mining only
/// in difficult areas (Art. 5 cl. 1 point e). Trading, services and primary agriculture are
/// not in the list.
pub(crate) fn sector(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    let Some(lines) = applies(ctx, false, |_| true) else {
        return Ok(None);
    };
    let Some(s) = ctx.app.sector.as_deref().and_then(|id| ctx.pack.sector(id)) else {
        let reason = Text::new("Chưa chọn ngành, nghề sản xuất.", "The production sector is not answered yet.");
        let src = (fixed("Nghị định 45/2012/NĐ-CP", "Điều 5 khoản 1"), Confidence::V);
        return Ok(Some(result(
            ctx,
            "sector",
            &lines,
            Status::Unknown,
            reason,
            vec![cmp("sector", "?", "∈", "danh mục ngành nghề khuyến công")],
            src,
        )));
    };
    let src = (s.citation.clone(), s.confidence);
    let mut compared = vec![cmp("sector", s.id.clone(), "∈", "danh mục ngành nghề khuyến công")];
    let (status, reason) = if !s.eligible {
        (
            Status::NotMet,
            Text::new(
                format!(
                    "{}: không thuộc ngành, nghề được hưởng khuyến công (chỉ sản xuất công nghiệp – tiểu thủ công nghiệp).",
                    s.label_vi
                ),
                format!("{}: not an eligible sector (only industrial and cottage-industry production).", s.label_en),
            ),
        )
    } else if s.from > ctx.as_of {
        (
            Status::NotMet,
            Text::new(
                format!("{}: chỉ được đưa vào danh mục từ {}.", s.label_vi, s.from),
                format!("{}: in the list only from {}.", s.label_en, s.from),
            ),
        )
    } else {
        match s.condition {
            None => (
                Status::Met,
                Text::new(
                    format!("{}: thuộc danh mục ngành, nghề khuyến công.", s.label_vi),
                    format!("{}: in the eligible sector list.", s.label_en),
                ),
            ),
            Some(SectorCondition::NoManualOrRingKiln) => {
                compared.push(cmp("fired_clay_manual_kiln", yes_no(ctx.app.fired_clay_manual_kiln), "=", "không"));
                match ctx.app.fired_clay_manual_kiln {
                    Some(true) => (
                        Status::NotMet,
                        Text::new(
                            "Gạch đất sét nung bằng lò thủ công cải tiến, lò vòng gây ô nhiễm không được hỗ trợ.",
                            "Fired-clay bricks from improved manual or ring kilns get no support.",
                        ),
                    ),
                    Some(false) => (
                        Status::Met,
                        Text::new(
                            "Vật liệu xây dựng không dùng lò thủ công cải tiến, lò vòng: thuộc danh mục.",
                            "Building materials without manual or ring kilns: in the list.",
                        ),
                    ),
                    None => (
                        Status::Unknown,
                        Text::new(
                            "Vật liệu xây dựng: cần biết có sản xuất gạch nung bằng lò thủ công cải tiến, lò vòng không.",
                            "Building materials: whether bricks are fired in improved manual or ring kilns decides.",
                        ),
                    ),
                }
            }
            Some(SectorCondition::DifficultAreaOnly) => {
                compared.push(cmp("location.difficult_area", yes_no(ctx.app.location.difficult_area), "=", "có"));
                match ctx.app.location.difficult_area {
                    Some(true) => (
                        Status::Met,
                        Text::new(
                            "Khai thác, chế biến khoáng sản tại địa bàn khó khăn: thuộc danh mục.",
                            "Mining and mineral processing in a difficult area: in the list.",
                        ),
                    ),
                    Some(false) => (
                        Status::NotMet,
                        Text::new(
                            "Khai thác, chế biến khoáng sản chỉ được hỗ trợ tại địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn.",
                            "Mining and mineral processing is supported only in areas with difficult socio-economic conditions.",
                        ),
                    ),
                    None => (
                        Status::Unknown,
                        Text::new(
                            "Khai thác khoáng sản: cần biết cơ sở có ở địa bàn khó khăn không.",
                            "Mining: whether the place is a difficult area decides.",
                        ),
                    ),
                }
            }
        }
    };
    Ok(Some(result(ctx, "sector", &lines, status, reason, compared, src)))
}

/// The request conditions that apply on the date, as (criterion id, parameter id, answer,
/// line filter, reason when met, reason when not met, reason when unknown).
type CondSpec = (&'static str, &'static str, Option<bool>, fn(Line) -> bool, [&'static str; 6]);

/// **Request conditions** — new equipment (TT 46/2012 Art. 4 cl. 4), technology new locally
/// for a demonstration model (Art. 4 cl. 2), counterpart funding and no double funding
/// (TTLT 26/2014 Art. 7 cl. 3–4, carried into TT 28/2018 [R]). Each applies only while its
/// `conditions.*` switch is true.
pub(crate) fn conditions(ctx: &Ctx<'_>) -> R<Vec<CriterionResult>> {
    let c = &ctx.app.conditions;
    let specs: [CondSpec; 4] = [
        (
            "equipment_new",
            "conditions.equipment_new",
            c.equipment_new,
            Line::buys_equipment,
            [
                "Máy móc, thiết bị là máy mới.",
                "The machinery is new.",
                "Máy móc, thiết bị được hỗ trợ phải là máy mới.",
                "Supported machinery must be new.",
                "Chưa trả lời máy móc, thiết bị có phải là máy mới không.",
                "Whether the machinery is new is not answered yet.",
            ],
        ),
        (
            "no_double_funding",
            "conditions.no_double_funding",
            c.no_other_state_funding,
            |_| true,
            [
                "Cam kết không nhận hỗ trợ ngân sách khác cho cùng nội dung.",
                "Commits to no other state funding for the same item.",
                "Nội dung đã nhận hỗ trợ từ nguồn ngân sách nhà nước khác thì không được hỗ trợ lại.",
                "An item already funded by the state cannot be funded again.",
                "Chưa trả lời về việc nhận hỗ trợ từ nguồn ngân sách khác.",
                "Other state funding for the same item is not answered yet.",
            ],
        ),
        (
            "counterpart_funding",
            "conditions.counterpart_funding",
            c.counterpart_funding,
            |_| true,
            [
                "Cam kết bố trí vốn đối ứng phần còn lại.",
                "Commits to fund the rest of the cost.",
                "Cơ sở phải cam kết bố trí phần kinh phí còn lại (vốn đối ứng).",
                "The establishment must commit to fund the rest of the cost.",
                "Chưa trả lời về vốn đối ứng.",
                "Counterpart funding is not answered yet.",
            ],
        ),
        (
            "technology_new_locally",
            "conditions.technology_new_locally",
            c.technology_new_locally,
            |l| l == Line::DemoModel,
            [
                "Công nghệ, sản phẩm của mô hình chưa được áp dụng tại địa phương.",
                "The model's technology or product is not yet applied locally.",
                "Mô hình trình diễn phải là công nghệ, sản phẩm mới, chưa được áp dụng tại địa phương.",
                "A demonstration model must show a technology or product not yet applied locally.",
                "Chưa trả lời công nghệ, sản phẩm có mới tại địa phương không.",
                "Whether the technology is new locally is not answered yet.",
            ],
        ),
    ];
    let mut out = Vec::new();
    for (id, param, answer, filter, t) in specs {
        let Some(switch) = ctx.p.need::<bool>(param)? else {
            continue;
        };
        if !switch.value {
            continue;
        }
        let line_specific = id == "equipment_new" || id == "technology_new_locally";
        let Some(lines) = applies(ctx, line_specific, filter) else {
            continue;
        };
        let status = from_bool(answer);
        let reason = match status {
            Status::Met => Text::new(t[0], t[1]),
            Status::NotMet => Text::new(t[2], t[3]),
            Status::Unknown => Text::new(t[4], t[5]),
        };
        let path = match id {
            "equipment_new" => "conditions.equipment_new",
            "no_double_funding" => "conditions.no_other_state_funding",
            "counterpart_funding" => "conditions.counterpart_funding",
            _ => "conditions.technology_new_locally",
        };
        let compared = vec![cmp(path, yes_no(answer), "=", "có")];
        out.push(result(ctx, id, &lines, status, reason, compared, cite(&switch)));
    }
    Ok(out)
}

/// **Start-up area** (start-up line only) — TT 28/2018 Art. 8 cl. 1: support to found a rural
/// industrial production enterprise in an area with difficult or extremely difficult
/// socio-economic conditions; the subject is the enterprise.
pub(crate) fn startup_area(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    let Some(lines) = applies(ctx, true, |l| l == Line::Startup) else {
        return Ok(None);
    };
    let src = match ctx.p.need::<Vnd>("startup.cap")? {
        Some(u) => cite(&u),
        None => (fixed("Nghị định 45/2012/NĐ-CP", "Điều 4 khoản 2"), Confidence::S),
    };
    let area = ctx.app.location.difficult_area;
    let subject = ctx.app.subject;
    let compared = vec![
        cmp("location.difficult_area", yes_no(area), "=", "có"),
        cmp(
            "subject",
            subject.map_or("?", |s| if s == Subject::Enterprise { "enterprise" } else { "other" }),
            "=",
            "enterprise",
        ),
    ];
    let (status, reason) = match (subject, area) {
        (Some(s), _) if s != Subject::Enterprise => (
            Status::NotMet,
            Text::new(
                "Hỗ trợ thành lập doanh nghiệp chỉ dành cho doanh nghiệp sản xuất công nghiệp nông thôn được thành lập.",
                "Start-up support is for a rural industrial production enterprise being founded.",
            ),
        ),
        (_, Some(false)) => (
            Status::NotMet,
            Text::new(
                "Hỗ trợ thành lập doanh nghiệp chỉ áp dụng tại địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn.",
                "Start-up support applies only in areas with difficult socio-economic conditions.",
            ),
        ),
        (Some(_), Some(true)) => (
            Status::Met,
            Text::new(
                "Doanh nghiệp thành lập tại địa bàn khó khăn: đạt điều kiện hỗ trợ thành lập doanh nghiệp.",
                "An enterprise founded in a difficult area: start-up support applies.",
            ),
        ),
        _ => (
            Status::Unknown,
            Text::new(
                "Cần biết loại hình cơ sở và địa bàn có khó khăn không.",
                "The kind of establishment and whether the area is difficult decide.",
            ),
        ),
    };
    Ok(Some(result(ctx, "startup_area", &lines, status, reason, compared, src)))
}
