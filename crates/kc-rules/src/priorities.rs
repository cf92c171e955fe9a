//! Priority facts (Decree 45/2012 Art. 6; TT 46/2012 Art. 6; Decree 235/2025; TT 64/2024).
//! They never change eligibility; a dated multiplier may reward the area and sector ones.

use crate::context::Ctx;
use crate::resolved::key;
use crate::text::{Piece, cat};
use crate::{Citation, Confidence, ParamId, PriorityFact, PriorityId, RulesError, Status, Text};

fn yes(b: Option<bool>) -> Status {
    match b {
        Some(true) => Status::Met,
        Some(false) => Status::NotMet,
        None => Status::Unknown,
    }
}

const D45_ART6_CL1: Citation = Citation::fixed("Nghị định 45/2012/NĐ-CP", "Điều 6 khoản 1");
const T46_ART6: Citation = Citation::fixed("Thông tư 46/2012/TT-BCT", "Điều 6");

/// The priority facts of an application, in the order of docs/engine.md.
pub(crate) fn priorities(ctx: &Ctx<'_>) -> Result<Vec<PriorityFact>, RulesError> {
    let a = &ctx.app;
    let fact = |id, status, reason, citation, confidence| PriorityFact { id, status, reason, citation, confidence };
    let mut out = Vec::with_capacity(PriorityId::ALL.len());
    out.push(fact(
        PriorityId::DifficultArea,
        yes(a.location.difficult_area),
        Text::fixed(
            "Địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn",
            "Area with difficult socio-economic conditions",
        ),
        D45_ART6_CL1,
        Confidence::V,
    ));
    out.push(fact(
        PriorityId::EthnicMinorityArea,
        yes(a.priority.ethnic_minority_area),
        Text::fixed(
            "Vùng đồng bào dân tộc thiểu số, miền núi, biên giới, hải đảo",
            "Ethnic-minority, highland, border or island area",
        ),
        D45_ART6_CL1,
        Confidence::V,
    ));
    // The owners' and workers' priorities start with the text that names them: dated in the pack.
    const fn named(id: PriorityId) -> Text {
        Text::fixed(id.label_vi(), id.label_en())
    }
    const WOMEN: Text = named(PriorityId::WomenOwned);
    const MINORITY_OWNED: Text = named(PriorityId::EthnicMinorityOwned);
    const MINORITY_WORKERS: Text = named(PriorityId::EthnicMinorityWorkers);
    let owners = [
        (PriorityId::WomenOwned, ParamId::WomenOwned, a.priority.women_owned, WOMEN),
        (
            PriorityId::EthnicMinorityOwned,
            ParamId::EthnicMinorityOwned,
            a.priority.ethnic_minority_owned,
            MINORITY_OWNED,
        ),
        (
            PriorityId::EthnicMinorityWorkers,
            ParamId::EthnicMinorityWorkers,
            a.priority.ethnic_minority_workers,
            MINORITY_WORKERS,
        ),
    ];
    for (id, param, answer, reason) in owners {
        if let Some(u) = ctx.p.need::<bool>(param)?.filter(|u| u.value) {
            out.push(fact(id, yes(answer), reason, u.citation, u.confidence));
        }
    }
    let sector = ctx.sector;
    out.push(fact(
        PriorityId::PrioritySector,
        sector.map_or(Status::Unknown, |s| yes(Some(s.priority))),
        Text::fixed(
            "Ngành, nghề ưu tiên (cơ khí, hóa chất phục vụ nông nghiệp, chế biến nông lâm thủy sản, công nghiệp hỗ trợ, sản xuất sạch hơn)",
            "Priority sector (agricultural machinery and chemicals, agro-forestry-aquatic processing, supporting industry, cleaner production)",
        ),
        Citation::fixed("Nghị định 45/2012/NĐ-CP", "Điều 6 khoản 2 điểm a"),
        Confidence::V,
    ));
    out.push(fact(
        PriorityId::TypicalRuralProduct,
        yes(a.priority.typical_rural_product),
        Text::fixed(
            "Có sản phẩm công nghiệp nông thôn tiêu biểu được chứng nhận",
            "Holds a typical rural industrial product certificate",
        ),
        T46_ART6,
        Confidence::V,
    ));
    out.push(fact(
        PriorityId::Exports,
        yes(a.priority.exports),
        Text::fixed(
            "Có hợp đồng xuất khẩu hoặc sản xuất hàng xuất khẩu",
            "Has an export contract or produces for export",
        ),
        T46_ART6,
        Confidence::V,
    ));
    if let Some(limit) = ctx.p.need::<u32>(ParamId::LocalMaterialsPercent)? {
        let status =
            a.priority.local_materials_percent.map_or(Status::Unknown, |p| yes(Some(u32::from(p) > limit.value)));
        let n = Piece::N(limit.value);
        let reason = ctx.p.period.texts.local_materials.text(key(limit.value.into()), &|| {
            Text::new(
                cat(&[Piece::S("Nguyên liệu chính tại chỗ trên "), n, Piece::S(" % giá trị đầu vào")]),
                cat(&[Piece::S("Main inputs from the same province above "), n, Piece::S(" % of input value")]),
            )
        });
        out.push(fact(PriorityId::LocalMaterials, status, reason, limit.citation, limit.confidence));
    }
    if let Some(limit) = ctx.p.need::<u32>(ParamId::LabourIntensiveWorkers)? {
        let status = a.priority.workers.map_or(Status::Unknown, |w| yes(Some(w >= limit.value)));
        let n = Piece::N(limit.value);
        let reason = ctx.p.period.texts.labour_intensive.text(key(limit.value.into()), &|| {
            Text::new(
                cat(&[Piece::S("Sử dụng từ "), n, Piece::S(" lao động trở lên")]),
                cat(&[Piece::S("Employs "), n, Piece::S(" workers or more")]),
            )
        });
        out.push(fact(PriorityId::LabourIntensive, status, reason, limit.citation, limit.confidence));
    }
    Ok(out)
}
