use super::{R, Source, applies, cmp, result, yes_no};
use crate::context::Ctx;
use crate::{
    Citation, Confidence, CriterionId, CriterionResult, Line, ParamId, QuestionId, Status, Subject, Text, Vnd,
};

/// **Start-up area** (start-up line only) — TT 28/2018 Art. 8 cl. 1: support to found a rural
/// industrial production enterprise in an area with difficult or extremely difficult
/// socio-economic conditions; the subject is the enterprise.
pub(crate) fn startup_area(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    let Some(lines) = applies(ctx, true, |l| l == Line::Startup) else {
        return Ok(None);
    };
    let src: Source = match ctx.p.need::<Vnd>(ParamId::StartupCap)? {
        Some(u) => (u.citation, u.confidence),
        None => (Citation::fixed("Nghị định 45/2012/NĐ-CP", "Điều 4 khoản 2"), Confidence::S),
    };
    let area = ctx.app.location.difficult_area;
    let subject = ctx.app.subject;
    let compared = vec![
        cmp(QuestionId::DifficultArea, yes_no(area), "=", "có"),
        cmp(QuestionId::Subject, subject.map_or("?", Subject::id), "=", Subject::Enterprise.label_vi()),
    ];
    let (status, reason) = match (subject, area) {
        (Some(s), _) if s != Subject::Enterprise => (
            Status::NotMet,
            Text::fixed(
                "Hỗ trợ thành lập doanh nghiệp chỉ dành cho doanh nghiệp sản xuất công nghiệp nông thôn được thành lập.",
                "Start-up support is for a rural industrial production enterprise being founded.",
            ),
        ),
        (_, Some(false)) => (
            Status::NotMet,
            Text::fixed(
                "Hỗ trợ thành lập doanh nghiệp chỉ áp dụng tại địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn.",
                "Start-up support applies only in areas with difficult socio-economic conditions.",
            ),
        ),
        (Some(_), Some(true)) => (
            Status::Met,
            Text::fixed(
                "Doanh nghiệp thành lập tại địa bàn khó khăn: đạt điều kiện hỗ trợ thành lập doanh nghiệp.",
                "An enterprise founded in a difficult area: start-up support applies.",
            ),
        ),
        _ => (
            Status::Unknown,
            Text::fixed(
                "Cần biết loại hình cơ sở và địa bàn có khó khăn không.",
                "The kind of establishment and whether the area is difficult decide.",
            ),
        ),
    };
    Ok(Some(result(ctx, CriterionId::StartupArea, &lines, status, reason, compared, src)))
}
