use std::borrow::Cow;

use super::{R, applies, cmp, result, rural_line};
use crate::context::Ctx;
use crate::text::{Piece, cat};
use crate::{
    Citation, Confidence, CriterionId, CriterionResult, ParamId, QuestionId, SizeSector, Status, Subject, Text, Used,
    Vnd,
};

/// What the size criterion says of each class found, smallest first (a `static`: a `const`
/// array of texts would be built and dropped on every use).
static CLASSES: [Text; 3] = [
    Text::fixed("Doanh nghiệp siêu nhỏ: thuộc doanh nghiệp nhỏ và vừa.", "A micro enterprise: an SME."),
    Text::fixed("Doanh nghiệp nhỏ: thuộc doanh nghiệp nhỏ và vừa.", "A small enterprise: an SME."),
    Text::fixed("Doanh nghiệp vừa: thuộc doanh nghiệp nhỏ và vừa.", "A medium enterprise: an SME."),
];

/// The medium class, the SME ceiling.
pub(crate) const MEDIUM: usize = 2;

/// One class's limits on a date.
pub(crate) struct Limits {
    pub(crate) employees: Used<u32>,
    pub(crate) revenue: Used<Vnd>,
    pub(crate) capital: Used<Vnd>,
}

/// The limits of one class (0 micro, 1 small, 2 medium) of `group`, if all three are in
/// force on the date.
pub(crate) fn limits(ctx: &Ctx<'_>, group: SizeSector, class: usize) -> R<Option<Limits>> {
    let [e, r, c] = ParamId::sme(group, class);
    let e = ctx.p.need::<u32>(e)?;
    let r = ctx.p.need::<Vnd>(r)?;
    let c = ctx.p.need::<Vnd>(c)?;
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
        let reason = Text::fixed(
            "Chưa chọn nhóm lĩnh vực (nông, lâm, thủy sản, công nghiệp, xây dựng hay thương mại, dịch vụ) để xác định quy mô doanh nghiệp.",
            "The sector group (agriculture/industry/construction or trade/services) that sets the size limits is not answered yet.",
        );
        let src = (Citation::fixed("Nghị định 80/2021/NĐ-CP", "Điều 5, 6"), Confidence::V);
        let limit = "nông, lâm nghiệp, thủy sản, công nghiệp và xây dựng; thương mại, dịch vụ";
        let compared = vec![cmp(QuestionId::SizeSectorGroup, "?", "∈", limit)];
        return Ok(Some(result(ctx, CriterionId::SmeSize, &lines, Status::Unknown, reason, compared, src)));
    };
    let Some(medium) = limits(ctx, group, MEDIUM)? else {
        let reason = Text::fixed(
            "Gói quy tắc không có ngưỡng doanh nghiệp nhỏ và vừa cho ngày này (Nghị định 56/2009 không có trong gói): chưa thể xác định.",
            "The pack has no SME thresholds for this date (Decree 56/2009 is not in the pack): cannot decide.",
        );
        let src = (Citation::fixed("Nghị định 56/2009/NĐ-CP", "Điều 3"), Confidence::R);
        return Ok(Some(result(ctx, CriterionId::SmeSize, &lines, Status::Unknown, reason, Vec::new(), src)));
    };
    let medium_fit = fits(ctx, &medium);
    let mut found = None;
    for class in 0..MEDIUM {
        if let Some(l) = limits(ctx, group, class)?
            && fits(ctx, &l) == Some(true)
        {
            found = Some((class, l));
            break;
        }
    }
    let (status, reason, shown) = match found {
        Some((class, l)) => (Status::Met, CLASSES[class].clone(), l),
        None if medium_fit == Some(true) => (Status::Met, CLASSES[MEDIUM].clone(), medium),
        None if medium_fit == Some(false) => (
            Status::NotMet,
            Text::fixed(
                "Vượt ngưỡng doanh nghiệp vừa: doanh nghiệp lớn không được hỗ trợ khuyến công (trừ mô hình sản xuất sạch hơn).",
                "Above the medium-enterprise limits: a large enterprise gets no khuyến công support (except the cleaner-production model).",
            ),
            medium,
        ),
        None => (
            Status::Unknown,
            Text::fixed(
                "Cần thêm số lao động, doanh thu hoặc tổng nguồn vốn để xác định quy mô.",
                "Employees, revenue or total capital are still needed to tell the size.",
            ),
            medium,
        ),
    };
    let vnd = |v: Vnd| Cow::Owned(cat(&[Piece::Vnd(v)]));
    let count = |n: u32| Cow::Owned(cat(&[Piece::N(n)]));
    let unanswered = || Cow::Borrowed("?");
    // The limits are the pack's values: their texts are written once per value.
    let (e, r, c) = (&shown.employees, &shown.revenue, &shown.capital);
    let e_limit = ctx.p.shown(e.param).map_or_else(|| count(e.value), Cow::Borrowed);
    let r_limit = ctx.p.shown(r.param).map_or_else(|| vnd(r.value), Cow::Borrowed);
    let c_limit = ctx.p.shown(c.param).map_or_else(|| vnd(c.value), Cow::Borrowed);
    let compared = vec![
        cmp(QuestionId::Employees, s.employees.map_or_else(unanswered, count), "≤", e_limit),
        cmp(QuestionId::Revenue, s.revenue.map_or_else(unanswered, vnd), "≤", r_limit),
        cmp(QuestionId::Capital, s.capital.map_or_else(unanswered, vnd), "≤", c_limit),
    ];
    let conf = shown.employees.confidence.min(shown.revenue.confidence).min(shown.capital.confidence);
    let src = (shown.employees.citation.clone(), conf);
    Ok(Some(result(ctx, CriterionId::SmeSize, &lines, status, reason, compared, src)))
}
