use super::{R, applies, result, yes_no_cmps};
use crate::Comparison;
use crate::context::Ctx;
use crate::resolved::kept;
use crate::{Citation, Confidence, CriterionId, CriterionResult, Line, ParamId, QuestionId, Status, Text};

/// One request condition: its criterion, switch, the lines it applies to
/// (`None`: every line, also before any line is chosen) and its reasons when met, not met,
/// unknown, and its question's answer compared.
struct Condition {
    id: CriterionId,
    switch: ParamId,
    lines: Option<fn(Line) -> bool>,
    reasons: [Text; 3],
    /// The answer compared with "có", by its status (`Status as usize`).
    compared: [Comparison; 3],
}

/// A `static`, not a `const`: a `const` of texts would be built and dropped on every use.
static CONDITIONS: [Condition; 4] = [
    Condition {
        id: CriterionId::EquipmentNew,
        switch: ParamId::EquipmentNew,
        compared: yes_no_cmps(QuestionId::EquipmentNew, "có"),
        lines: Some(Line::buys_equipment),
        reasons: [
            Text::fixed("Máy móc, thiết bị là máy mới.", "The machinery is new."),
            Text::fixed("Máy móc, thiết bị được hỗ trợ phải là máy mới.", "Supported machinery must be new."),
            Text::fixed(
                "Chưa trả lời máy móc, thiết bị có phải là máy mới không.",
                "Whether the machinery is new is not answered yet.",
            ),
        ],
    },
    Condition {
        id: CriterionId::NoDoubleFunding,
        switch: ParamId::NoDoubleFunding,
        compared: yes_no_cmps(QuestionId::NoOtherStateFunding, "có"),
        lines: None,
        reasons: [
            Text::fixed(
                "Cam kết không nhận hỗ trợ ngân sách khác cho cùng nội dung.",
                "Commits to no other state funding for the same item.",
            ),
            Text::fixed(
                "Nội dung đã nhận hỗ trợ từ nguồn ngân sách nhà nước khác thì không được hỗ trợ lại.",
                "An item already funded by the state cannot be funded again.",
            ),
            Text::fixed(
                "Chưa trả lời về việc nhận hỗ trợ từ nguồn ngân sách khác.",
                "Other state funding for the same item is not answered yet.",
            ),
        ],
    },
    Condition {
        id: CriterionId::CounterpartFunding,
        switch: ParamId::CounterpartFunding,
        compared: yes_no_cmps(QuestionId::CounterpartFunding, "có"),
        lines: None,
        reasons: [
            Text::fixed("Cam kết bố trí vốn đối ứng phần còn lại.", "Commits to fund the rest of the cost."),
            Text::fixed(
                "Cơ sở phải cam kết bố trí phần kinh phí còn lại (vốn đối ứng).",
                "The establishment must commit to fund the rest of the cost.",
            ),
            Text::fixed("Chưa trả lời về vốn đối ứng.", "Counterpart funding is not answered yet."),
        ],
    },
    Condition {
        id: CriterionId::TechnologyNewLocally,
        switch: ParamId::TechnologyNewLocally,
        compared: yes_no_cmps(QuestionId::TechnologyNewLocally, "có"),
        lines: Some(|l| l == Line::DemoModel),
        reasons: [
            Text::fixed(
                "Công nghệ, sản phẩm của mô hình chưa được áp dụng tại địa phương.",
                "The model's technology or product is not yet applied locally.",
            ),
            Text::fixed(
                "Mô hình trình diễn phải là công nghệ, sản phẩm mới, chưa được áp dụng tại địa phương.",
                "A demonstration model must show a technology or product not yet applied locally.",
            ),
            Text::fixed(
                "Chưa trả lời công nghệ, sản phẩm có mới tại địa phương không.",
                "Whether the technology is new locally is not answered yet.",
            ),
        ],
    },
];

/// **Request conditions** — new equipment for machinery and technology lines (TT 46/2012
/// Art. 4 cl. 4), technology new locally for a demonstration model (Art. 4 cl. 2),
/// counterpart funding and no double funding (TTLT 26/2014 Art. 7 cl. 3–4, carried into
/// TT 28/2018 [R]). Each applies only while its `conditions.*` switch is true.
pub(crate) fn conditions(ctx: &Ctx<'_>, out: &mut Vec<CriterionResult>) -> R<()> {
    let c = &ctx.app.conditions;
    for (cond, switch) in CONDITIONS.iter().zip(switches(ctx)?) {
        let Some((citation, confidence)) = switch else {
            continue;
        };
        let Some(lines) = applies(ctx, cond.lines.is_some(), |l| cond.lines.is_none_or(|f| f(l))) else {
            continue;
        };
        let answer = match cond.id {
            CriterionId::EquipmentNew => c.equipment_new,
            CriterionId::NoDoubleFunding => c.no_other_state_funding,
            CriterionId::CounterpartFunding => c.counterpart_funding,
            _ => c.technology_new_locally,
        };
        let status = Status::of_answer(answer);
        let reason = &cond.reasons[status as usize];
        let compared = std::slice::from_ref(&cond.compared[status as usize]);
        let src = (citation.borrowed(), *confidence);
        out.push(result(ctx, cond.id, &lines, status, reason.borrowed(), compared, src));
    }
    Ok(())
}

/// The legal basis of each condition whose switch is on in the period of `ctx`, read once per
/// period.
fn switches(ctx: &Ctx<'_>) -> R<&'static Switches> {
    kept(&ctx.p.period.texts.conditions, || {
        let mut out: Switches = Default::default();
        for (slot, cond) in out.iter_mut().zip(&CONDITIONS) {
            *slot = ctx.p.need::<bool>(cond.switch)?.filter(|s| s.value).map(|s| (s.citation, s.confidence));
        }
        Ok(out)
    })
}

/// The switches of [`CONDITIONS`], in order: `None` when off.
pub(crate) type Switches = [Option<(Citation, Confidence)>; 4];
