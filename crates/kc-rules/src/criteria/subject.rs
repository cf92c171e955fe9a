use super::{R, Source, applies, cite, fixed_cmp, result};
use crate::context::Ctx;
use crate::{
    Citation, Comparison, Confidence, CriterionId, CriterionResult, Line, ParamId, QuestionId, Status, Subject, Text,
};

/// The subjects accepted without and with a union of cooperatives.
const ACCEPTED: [&str; 2] = [
    "doanh nghiệp nhỏ và vừa, hợp tác xã, tổ hợp tác, hộ kinh doanh",
    "doanh nghiệp nhỏ và vừa, hợp tác xã, liên hiệp hợp tác xã, tổ hợp tác, hộ kinh doanh",
];

/// The answer compared with the accepted subjects, by answer (`Subject as usize`, then
/// unanswered) and by [`ACCEPTED`]: borrowed by every decision.
static COMPARED: [[Comparison; 2]; Subject::COUNT + 1] = {
    const fn row(answer: &'static str) -> [Comparison; 2] {
        [
            fixed_cmp(QuestionId::Subject, answer, "∈", ACCEPTED[0]),
            fixed_cmp(QuestionId::Subject, answer, "∈", ACCEPTED[1]),
        ]
    }
    let s = Subject::ALL;
    [row(s[0].id()), row(s[1].id()), row(s[2].id()), row(s[3].id()), row(s[4].id()), row(s[5].id()), row("?")]
};

/// **Subject** — Decree 45/2012 Art. 1 cl. 2 as amended by Decree 235/2025 Art. 1 cl. 1;
/// TT 28/2018 Art. 2. Household businesses, cooperatives, cooperative groups and enterprises
/// are subjects (an enterprise's size is [`super::sme_size`]); a union of cooperatives only
/// while `subject.union_of_cooperatives` is true; an unregistered person is not an
/// establishment.
pub(crate) fn subject(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    let Some(lines) = applies(ctx, false, |_| true) else {
        return Ok(None);
    };
    let union = ctx.p.need::<bool>(ParamId::UnionOfCooperatives)?;
    let sustainable = ctx.p.need::<bool>(ParamId::SustainableProduction)?.is_some_and(|u| u.value);
    let union_ok = union.as_ref().is_some_and(|u| u.value);
    let source: Source = match &union {
        Some(u) => cite(u),
        None => (Citation::fixed("Nghị định 45/2012/NĐ-CP", "Điều 1 khoản 2"), Confidence::V),
    };
    let (status, reason) = match ctx.app.subject {
        None => (
            Status::Unknown,
            Text::fixed("Chưa chọn loại hình cơ sở.", "The kind of establishment is not answered yet."),
        ),
        Some(Subject::HouseholdBusiness) => (
            Status::Met,
            Text::fixed(
                "Hộ kinh doanh là đối tượng được hỗ trợ khuyến công.",
                "A household business is a khuyến công subject.",
            ),
        ),
        Some(Subject::Cooperative) => (
            Status::Met,
            Text::fixed("Hợp tác xã là đối tượng được hỗ trợ khuyến công.", "A cooperative is a khuyến công subject."),
        ),
        Some(Subject::CooperativeGroup) => (
            Status::Met,
            Text::fixed(
                "Tổ hợp tác là đối tượng được hỗ trợ khuyến công.",
                "A cooperative group is a khuyến công subject.",
            ),
        ),
        Some(Subject::Enterprise) => (
            Status::Met,
            Text::fixed(
                "Doanh nghiệp là đối tượng nếu là doanh nghiệp nhỏ và vừa (xem tiêu chí quy mô).",
                "An enterprise is a subject if it is an SME (see the size criterion).",
            ),
        ),
        Some(Subject::UnionOfCooperatives) if union_ok => (
            Status::Met,
            Text::fixed(
                "Liên hiệp hợp tác xã là đối tượng được hỗ trợ (từ Nghị định 235/2025).",
                "A union of cooperatives is a subject (since Decree 235/2025).",
            ),
        ),
        Some(Subject::UnionOfCooperatives) => {
            let from = ctx.switch_date(ParamId::UnionOfCooperatives, "true");
            let (vi, en) = from.map_or_else(Default::default, |d| (crate::iso_date::vi(d), crate::iso_date::format(d)));
            (
                Status::NotMet,
                Text::new(
                    format!("Vào ngày này liên hiệp hợp tác xã chưa là đối tượng khuyến công (chỉ từ {vi})."),
                    format!("On this date a union of cooperatives is not yet a khuyến công subject (only from {en})."),
                ),
            )
        }
        Some(Subject::Unregistered) => (
            Status::NotMet,
            Text::fixed(
                "Cơ sở chưa đăng ký (doanh nghiệp, hợp tác xã, tổ hợp tác hoặc hộ kinh doanh) không phải là đối tượng được hỗ trợ.",
                "An establishment that is not registered (enterprise, cooperative, cooperative group or household business) is not a subject.",
            ),
        ),
    };
    let reason = if ctx.lines.contains(Line::CleanerProductionModel) && status != Status::Unknown {
        let (vi, en) = if sustainable {
            (
                " Mô hình sản xuất sạch hơn/bền vững mở cho mọi cơ sở sản xuất công nghiệp, không giới hạn quy mô và địa bàn.",
                " The cleaner/sustainable-production model is open to any industrial establishment, with no size or location limit.",
            )
        } else {
            (
                " Mô hình sản xuất sạch hơn mở cho mọi cơ sở sản xuất công nghiệp, không giới hạn quy mô và địa bàn.",
                " The cleaner-production model is open to any industrial establishment, with no size or location limit.",
            )
        };
        use crate::text::{Piece::S, cat};
        Text::new(cat(&[S(&reason.vi), S(vi)]), cat(&[S(&reason.en), S(en)]))
    } else {
        reason
    };
    let row = ctx.app.subject.map_or(Subject::COUNT, |s| s as usize);
    let compared = std::slice::from_ref(&COMPARED[row][usize::from(union_ok)]);
    Ok(Some(result(ctx, CriterionId::Subject, &lines, status, reason, compared, source)))
}
