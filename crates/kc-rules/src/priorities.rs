//! Priority facts (Decree 45/2012 Art. 6; TT 46/2012 Art. 6; Decree 235/2025; TT 64/2024).
//! They never change eligibility; a dated multiplier may reward the area and sector ones.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::context::Ctx;
use crate::resolved::kept;
use crate::text::{Piece, cat};
use crate::{Citation, Confidence, ParamId, PriorityAnswers, PriorityFact, PriorityId, RulesError, Status, Text};

const D45_ART6_CL1: Citation = Citation::fixed("Nghị định 45/2012/NĐ-CP", "Điều 6 khoản 1");
const T46_ART6: Citation = Citation::fixed("Thông tư 46/2012/TT-BCT", "Điều 6");

/// The priority facts of a period, statuses aside, and the thresholds two of them compare:
/// everything in a fact but its status follows from the pack, so it is written once per
/// period ([`crate::resolved::Texts::priorities`]).
pub(crate) struct Facts {
    facts: Box<[PriorityFact]>,
    local_materials: u32,
    workers: u32,
    /// The facts of an application that answers none of the priority questions, by the
    /// statuses of the two facts other answers decide (the area, the sector): made on first
    /// use and borrowed, as most applications leave those optional questions out.
    unanswered: [OnceLock<Box<[PriorityFact]>>; 9],
}

/// The priority facts of an application, in the order of docs/engine.md.
pub(crate) fn priorities(ctx: &Ctx<'_>) -> Result<Cow<'static, [PriorityFact]>, RulesError> {
    let t: &'static Facts = kept(&ctx.p.period.texts.priorities, || facts(ctx))?;
    let area = Status::of_answer(ctx.app.location.difficult_area);
    let sector = ctx.sector.map_or(Status::Unknown, |s| Status::of_answer(Some(s.priority)));
    let with_statuses = || t.facts.iter().map(|f| t.fact(f, ctx, area, sector));
    if ctx.app.priority == PriorityAnswers::default() {
        let key = area as usize * Status::COUNT + sector as usize;
        if let Some(set) = t.unanswered.get(key) {
            return Ok(Cow::Borrowed(set.get_or_init(|| with_statuses().collect())));
        }
    }
    Ok(Cow::Owned(with_statuses().collect()))
}

impl Facts {
    /// Fact `f` of the period with its status for `ctx` (`area` and `sector` as decided),
    /// its texts borrowed from the period: no text is copied.
    fn fact(&'static self, f: &'static PriorityFact, ctx: &Ctx<'_>, area: Status, sector: Status) -> PriorityFact {
        let p = &ctx.app.priority;
        let status = match f.id {
            PriorityId::DifficultArea => area,
            PriorityId::EthnicMinorityArea => Status::of_answer(p.ethnic_minority_area),
            PriorityId::WomenOwned => Status::of_answer(p.women_owned),
            PriorityId::EthnicMinorityOwned => Status::of_answer(p.ethnic_minority_owned),
            PriorityId::EthnicMinorityWorkers => Status::of_answer(p.ethnic_minority_workers),
            PriorityId::PrioritySector => sector,
            PriorityId::TypicalRuralProduct => Status::of_answer(p.typical_rural_product),
            PriorityId::Exports => Status::of_answer(p.exports),
            PriorityId::LocalMaterials => {
                Status::of_answer(p.local_materials_percent.map(|v| u32::from(v) > self.local_materials))
            }
            PriorityId::LabourIntensive => Status::of_answer(p.workers.map(|w| w >= self.workers)),
        };
        PriorityFact {
            id: f.id,
            status,
            reason: f.reason.borrowed(),
            citation: f.citation.borrowed(),
            confidence: f.confidence,
        }
    }
}

/// The facts of the period of `ctx`, every status unknown.
fn facts(ctx: &Ctx<'_>) -> Result<Facts, RulesError> {
    let fact =
        |id, reason, citation, confidence| PriorityFact { id, status: Status::Unknown, reason, citation, confidence };
    let mut out = Vec::with_capacity(PriorityId::ALL.len());
    out.push(fact(
        PriorityId::DifficultArea,
        Text::fixed(
            "Địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn",
            "Area with difficult socio-economic conditions",
        ),
        D45_ART6_CL1,
        Confidence::V,
    ));
    out.push(fact(
        PriorityId::EthnicMinorityArea,
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
        (PriorityId::WomenOwned, ParamId::WomenOwned, WOMEN),
        (PriorityId::EthnicMinorityOwned, ParamId::EthnicMinorityOwned, MINORITY_OWNED),
        (PriorityId::EthnicMinorityWorkers, ParamId::EthnicMinorityWorkers, MINORITY_WORKERS),
    ];
    for (id, param, reason) in owners {
        if let Some(u) = ctx.p.need::<bool>(param)?.filter(|u| u.value) {
            out.push(fact(id, reason, u.citation, u.confidence));
        }
    }
    out.push(fact(
        PriorityId::PrioritySector,
        Text::fixed(
            "Ngành, nghề ưu tiên (cơ khí, hóa chất phục vụ nông nghiệp, chế biến nông lâm thủy sản, công nghiệp hỗ trợ, sản xuất sạch hơn)",
            "Priority sector (agricultural machinery and chemicals, agro-forestry-aquatic processing, supporting industry, cleaner production)",
        ),
        Citation::fixed("Nghị định 45/2012/NĐ-CP", "Điều 6 khoản 2 điểm a"),
        Confidence::V,
    ));
    out.push(fact(
        PriorityId::TypicalRuralProduct,
        Text::fixed(
            "Có sản phẩm công nghiệp nông thôn tiêu biểu được chứng nhận",
            "Holds a typical rural industrial product certificate",
        ),
        T46_ART6,
        Confidence::V,
    ));
    out.push(fact(
        PriorityId::Exports,
        Text::fixed(
            "Có hợp đồng xuất khẩu hoặc sản xuất hàng xuất khẩu",
            "Has an export contract or produces for export",
        ),
        T46_ART6,
        Confidence::V,
    ));
    let mut thresholds = [0; 2];
    if let Some(limit) = ctx.p.need::<u32>(ParamId::LocalMaterialsPercent)? {
        let n = Piece::N(limit.value);
        let reason = Text::new(
            cat(&[Piece::S("Nguyên liệu chính tại chỗ trên "), n, Piece::S(" % giá trị đầu vào")]),
            cat(&[Piece::S("Main inputs from the same province above "), n, Piece::S(" % of input value")]),
        );
        thresholds[0] = limit.value;
        out.push(fact(PriorityId::LocalMaterials, reason, limit.citation, limit.confidence));
    }
    if let Some(limit) = ctx.p.need::<u32>(ParamId::LabourIntensiveWorkers)? {
        let n = Piece::N(limit.value);
        let reason = Text::new(
            cat(&[Piece::S("Sử dụng từ "), n, Piece::S(" lao động trở lên")]),
            cat(&[Piece::S("Employs "), n, Piece::S(" workers or more")]),
        );
        thresholds[1] = limit.value;
        out.push(fact(PriorityId::LabourIntensive, reason, limit.citation, limit.confidence));
    }
    let [local_materials, workers] = thresholds;
    Ok(Facts { facts: out.into_boxed_slice(), local_materials, workers, unanswered: Default::default() })
}
