use time::{Date, Month};

use std::borrow::Cow;

use super::{Applies, R, applies, cite, cmp, fixed_cmp, result, rural_line, yes_no_cmps};
use crate::context::Ctx;
use crate::iso_date;
use crate::pack::{Commune, Province};
use crate::resolved::Resolved;
use crate::text::{Piece::S, cat};
use crate::{
    CommuneKind, Comparison, CriterionId, CriterionResult, OldUnit, ParamId, ProvinceKind, QuestionId, RulesError,
    Status, Text,
};

/// **Location** (not for the cleaner-production line). From 2025-10-15 (Decree 235/2025
/// Art. 1 cl. 1): any xã, phường or đặc khu of a tỉnh; only xã and đặc khu of a centrally-run
/// city; a recognised craft village anywhere. Before (Decree 45/2012 Art. 1 cl. 2; TT 46/2012
/// Art. 3 cl. 1): xã, thị trấn, thị xã, wards of grade-2/3 cities, wards of grade-1 cities
/// converted from a commune at most `location.converted_ward_max_years` before; wards of urban
/// districts excluded.
pub(crate) fn location(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    let Some(lines) = applies(ctx, false, rural_line) else {
        return Ok(None);
    };
    if ctx.test_2025() { test_2025(ctx, &lines).map(Some) } else { test_2012(ctx, &lines).map(Some) }
}

/// The craft-village answer compared, by its status (`Status as usize`).
static CRAFT_VILLAGE: [Comparison; 3] = yes_no_cmps(QuestionId::CraftVillage, "có");

fn test_2025(ctx: &Ctx<'_>, lines: &Applies) -> R<CriterionResult> {
    let src = cite(ctx.location_test);
    let loc = &ctx.app.location;
    let id = CriterionId::Location;
    let cv = || CRAFT_VILLAGE[Status::of_answer(loc.craft_village) as usize].borrowed();
    if loc.craft_village == Some(true) {
        let reason = Text::fixed(
            "Cơ sở nằm trong làng nghề được UBND cấp tỉnh công nhận: đạt tiêu chí địa bàn.",
            "Inside a craft village recognised by the provincial People's Committee: the location test is met.",
        );
        return Ok(result(ctx, id, lines, Status::Met, reason, std::slice::from_ref(&CRAFT_VILLAGE[0]), src));
    }
    let (Some(c), Some(p)) = (ctx.commune, ctx.province) else {
        let reason = Text::fixed(
            "Chưa chọn xã, phường, đặc khu nơi sản xuất.",
            "The commune, ward or special zone of production is not answered yet.",
        );
        static NO_COMMUNE: Comparison = fixed_cmp(QuestionId::CommuneCode, "?", "∈", "xã, phường, đặc khu");
        return Ok(result(ctx, id, lines, Status::Unknown, reason, std::slice::from_ref(&NO_COMMUNE), src));
    };
    // The commune's texts follow from the pack alone: written once per commune.
    let make_unit = || {
        let unit = cat(&[S(&c.name), S(", "), S(&p.name)]);
        cmp(QuestionId::CommuneCode, unit, "∈", "xã, đặc khu; phường của tỉnh")
    };
    let unit = Resolved::unit(ctx.pack, c, make_unit);
    let one_unit = || unit.map_or_else(|| Cow::Owned(vec![make_unit()]), |u| Cow::Borrowed(std::slice::from_ref(u)));
    let unit_and = |cv: Comparison| vec![unit.map_or_else(make_unit, Comparison::borrowed), cv].into();
    let city = p.kind == ProvinceKind::ThanhPhoTrucThuocTrungUong;
    let met = || Resolved::place(ctx.pack, c, || met_reason(c, p)).map_or_else(|| met_reason(c, p), Text::borrowed);
    let (status, reason, compared): (_, _, Cow<'static, [Comparison]>) = match (c.kind, city) {
        (CommuneKind::Xa | CommuneKind::DacKhu, _) | (CommuneKind::Phuong, false) => (Status::Met, met(), one_unit()),
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
                unit_and(cv()),
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
                unit_and(cv()),
            ),
        },
    };
    Ok(result(ctx, id, lines, status, reason, compared, src))
}

/// Why a xã or đặc khu, or a ward of a tỉnh, meets the 2025 test.
fn met_reason(c: &Commune, p: &Province) -> Text {
    let (c_name, p_name) = (c.name.as_str(), p.name.as_str());
    if c.kind == CommuneKind::Phuong {
        Text::new(
            cat(&[S(c_name), S(" thuộc tỉnh "), S(p_name), S(": phường của tỉnh đạt tiêu chí địa bàn.")]),
            cat(&[S(c_name), S(" in the province "), S(p_name), S(": a ward of a province meets the location test.")]),
        )
    } else {
        Text::new(
            cat(&[S(c_name), S(" thuộc "), S(p_name), S(": đạt tiêu chí địa bàn.")]),
            cat(&[S(c_name), S(" in "), S(p_name), S(": the location test is met.")]),
        )
    }
}

/// The places the 2012 test accepts, in words, with the grade-1 ward window from the pack.
fn accepted_2012(ctx: &Ctx<'_>) -> R<String> {
    let years = ctx.p.need::<u32>(ParamId::ConvertedWardMaxYears)?;
    let window = years.map(|y| format!(" (chuyển từ xã không quá {} năm)", y.value)).unwrap_or_default();
    Ok(format!("xã, thị trấn, thị xã, phường của thành phố loại II, III, phường của thành phố loại I{window}"))
}

fn test_2012(ctx: &Ctx<'_>, lines: &Applies) -> R<CriterionResult> {
    let src = cite(ctx.location_test);
    let id = CriterionId::Location;
    let Some(unit) = ctx.app.location.old_unit else {
        let reform = ctx.reform_vi();
        let reason = Text::new(
            format!("Chưa chọn loại địa bàn nơi sản xuất (trước {reform})."),
            "The kind of place of production (before the 2025 reform) is not answered yet.",
        );
        let compared = vec![cmp(QuestionId::OldUnit, "?", "∈", accepted_2012(ctx)?)];
        return Ok(result(ctx, id, lines, Status::Unknown, reason, compared, src));
    };
    let declared = cmp(QuestionId::OldUnit, unit.id(), "∈", accepted_2012(ctx)?);
    Ok(match unit {
        OldUnit::Xa | OldUnit::ThiTran | OldUnit::ThiXa | OldUnit::PhuongCityGrade2Or3 => result(
            ctx,
            id,
            lines,
            Status::Met,
            Text::fixed(
                "Xã, thị trấn, thị xã hoặc phường của thành phố loại 2, 3: đạt tiêu chí địa bàn.",
                "A commune, township, district-level town or ward of a grade-2/3 city: the location test is met.",
            ),
            vec![declared],
            src,
        ),
        OldUnit::PhuongQuan => result(
            ctx,
            id,
            lines,
            Status::NotMet,
            Text::new(
                format!(
                    "Phường thuộc quận của thành phố trực thuộc trung ương không thuộc địa bàn được hỗ trợ (trước {}, kể cả trong làng nghề).",
                    ctx.reform_vi()
                ),
                "A ward of an urban district of a centrally-run city is outside the eligible area (before the 2025 reform, craft villages included).",
            ),
            vec![declared],
            src,
        ),
        OldUnit::PhuongCityGrade1 => grade1_ward(ctx, lines, declared)?,
    })
}

/// A ward of a grade-1 city under the 2012 test: converted from a commune on or after
/// 31 December of (plan year − 1 − max years) (TT 46/2012 Art. 3 cl. 1 point đ).
fn grade1_ward(ctx: &Ctx<'_>, lines: &Applies, declared: Comparison) -> R<CriterionResult> {
    let id = CriterionId::Location;
    let Some(years) = ctx.p.need::<u32>(ParamId::ConvertedWardMaxYears)? else {
        let first = ctx.pack.param(ParamId::ConvertedWardMaxYears).and_then(|p| p.values.first()).map(|v| v.from);
        let (vi, en) = first.map_or_else(Default::default, |d| (iso_date::vi(d), iso_date::format(d)));
        let reason = Text::new(
            format!(
                "Chưa có quy định chi tiết về phường đô thị loại 1 vào ngày này (Thông tư 46/2012 có hiệu lực từ {vi})."
            ),
            format!("No detailed rule for grade-1 city wards on this date (TT 46/2012 in force from {en})."),
        );
        return Ok(result(ctx, id, lines, Status::Unknown, reason, vec![declared], cite(ctx.location_test)));
    };
    let src = cite(&years);
    let threshold = i32::try_from(years.value)
        .ok()
        .and_then(|y| Date::from_calendar_date(ctx.as_of.year() - 1 - y, Month::December, 31).ok())
        .ok_or_else(|| RulesError::BadPack { id: years.param.id().to_owned() })?;
    let (t_vi, t_en) = (iso_date::vi(threshold), iso_date::format(threshold));
    let Some(on) = ctx.app.location.ward_converted_on else {
        let reason = Text::new(
            format!("Phường của thành phố loại 1: cần ngày chuyển từ xã thành phường (đạt nếu từ {t_vi} trở về sau)."),
            format!(
                "A ward of a grade-1 city: the date it was converted from a commune decides (met if on or after {t_en})."
            ),
        );
        let compared = vec![declared, cmp(QuestionId::WardConvertedOn, "?", "≥", t_en)];
        return Ok(result(ctx, id, lines, Status::Unknown, reason, compared, src));
    };
    let ok = on >= threshold;
    let (on_vi, on_en) = (iso_date::vi(on), iso_date::format(on));
    let n = years.value;
    let reason = if ok {
        Text::new(
            format!("Phường được chuyển từ xã ngày {on_vi}, chưa quá {n} năm: đạt tiêu chí địa bàn."),
            format!("Ward converted from a commune on {on_en}, within {n} years: the location test is met."),
        )
    } else {
        Text::new(
            format!("Phường được chuyển từ xã ngày {on_vi}, đã quá {n} năm: không đạt tiêu chí địa bàn."),
            format!("Ward converted from a commune on {on_en}, more than {n} years ago: the location test is not met."),
        )
    };
    let status = if ok { Status::Met } else { Status::NotMet };
    let compared = vec![declared, cmp(QuestionId::WardConvertedOn, on_en, "≥", t_en)];
    Ok(result(ctx, id, lines, status, reason, compared, src))
}
