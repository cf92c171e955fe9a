use std::borrow::Cow;

use super::{R, applies, cmp, fixed_cmp, result, yes_no};
use crate::context::Ctx;
use crate::pack::SectorCondition;
use crate::resolved::Resolved;
use crate::text::{Piece::S, cat};
use crate::{Citation, Comparison, Confidence, CriterionId, CriterionResult, QuestionId, Status, Text, iso_date};

/// The list the sector is compared with.
const LIST: &str = "danh mục ngành nghề khuyến công";

/// **Sector** — Decree 45/2012 Art. 5 cl. 1 (as amended by Decree 235/2025); TT 46/2012
/// Art. 5 (no support for fired-clay bricks from improved manual or ring kilns); mining only
/// in difficult areas (Art. 5 cl. 1 point e). Trading, services and primary agriculture are
/// not in the list.
pub(crate) fn sector(ctx: &Ctx<'_>) -> R<Option<CriterionResult>> {
    let Some(lines) = applies(ctx, false, |_| true) else {
        return Ok(None);
    };
    let id = CriterionId::Sector;
    let Some(s) = ctx.sector else {
        let reason = Text::fixed("Chưa chọn ngành, nghề sản xuất.", "The production sector is not answered yet.");
        let src = (Citation::fixed("Nghị định 45/2012/NĐ-CP", "Điều 5 khoản 1"), Confidence::V);
        static NO_SECTOR: Comparison = fixed_cmp(QuestionId::Sector, "?", "∈", LIST);
        return Ok(Some(result(ctx, id, &lines, Status::Unknown, reason, std::slice::from_ref(&NO_SECTOR), src)));
    };
    let src = (s.citation.borrowed(), s.confidence);
    // The sector's reason when listed and its answer compared follow from the pack: written
    // once per sector.
    let make = || {
        let listed = Text::new(
            cat(&[S(&s.label_vi), S(": thuộc danh mục ngành, nghề khuyến công.")]),
            cat(&[S(&s.label_en), S(": in the eligible sector list.")]),
        );
        (listed, cmp(QuestionId::Sector, s.id.as_str(), "∈", LIST))
    };
    let memo = Resolved::sector(ctx.pack, s, make);
    let listed = || memo.map_or_else(|| make().0, |m| m.0.borrowed());
    let answer = || memo.map_or_else(|| make().1, |m| m.1.borrowed());
    let mut compared: Cow<'static, [Comparison]> = match memo {
        Some(m) => Cow::Borrowed(std::slice::from_ref(&m.1)),
        None => Cow::Owned(vec![answer()]),
    };
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
                format!("{}: chỉ được đưa vào danh mục từ {}.", s.label_vi, iso_date::vi(s.from)),
                format!("{}: in the list only from {}.", s.label_en, iso_date::format(s.from)),
            ),
        )
    } else {
        match s.condition {
            None => (Status::Met, listed()),
            Some(SectorCondition::NoManualOrRingKiln) => {
                let kiln = ctx.app.fired_clay_manual_kiln;
                compared = vec![answer(), cmp(QuestionId::FiredClayManualKiln, yes_no(kiln), "=", "không")].into();
                match kiln {
                    Some(true) => (
                        Status::NotMet,
                        Text::fixed(
                            "Gạch đất sét nung bằng lò thủ công cải tiến, lò vòng gây ô nhiễm không được hỗ trợ.",
                            "Fired-clay bricks from improved manual or ring kilns get no support.",
                        ),
                    ),
                    Some(false) => (
                        Status::Met,
                        Text::fixed(
                            "Vật liệu xây dựng không dùng lò thủ công cải tiến, lò vòng: thuộc danh mục.",
                            "Building materials without manual or ring kilns: in the list.",
                        ),
                    ),
                    None => (
                        Status::Unknown,
                        Text::fixed(
                            "Vật liệu xây dựng: cần biết có sản xuất gạch nung bằng lò thủ công cải tiến, lò vòng không.",
                            "Building materials: whether bricks are fired in improved manual or ring kilns decides.",
                        ),
                    ),
                }
            }
            Some(SectorCondition::DifficultAreaOnly) => {
                let area = ctx.app.location.difficult_area;
                compared = vec![answer(), cmp(QuestionId::DifficultArea, yes_no(area), "=", "có")].into();
                match area {
                    Some(true) => (
                        Status::Met,
                        Text::fixed(
                            "Khai thác, chế biến khoáng sản tại địa bàn khó khăn: thuộc danh mục.",
                            "Mining and mineral processing in a difficult area: in the list.",
                        ),
                    ),
                    Some(false) => (
                        Status::NotMet,
                        Text::fixed(
                            "Khai thác, chế biến khoáng sản chỉ được hỗ trợ tại địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn.",
                            "Mining and mineral processing is supported only in areas with difficult socio-economic conditions.",
                        ),
                    ),
                    None => (
                        Status::Unknown,
                        Text::fixed(
                            "Khai thác khoáng sản: cần biết cơ sở có ở địa bàn khó khăn không.",
                            "Mining: whether the place is a difficult area decides.",
                        ),
                    ),
                }
            }
        }
    };
    Ok(Some(result(ctx, id, &lines, status, reason, compared, src)))
}
