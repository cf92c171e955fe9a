//! What to ask next (docs/engine.md, "Missing questions").
//!
//! A question is asked only while its answer could still change the outcome or an amount:
//! it is left out once answered, once its criterion is decided by other answers, or when no
//! requested line still in play uses it. When every line has failed, only questions that
//! belong to a failed criterion are kept. Only the questions kept are built.

use rust_decimal::Decimal;

use crate::context::{Criteria, Ctx, applies_to};
use crate::criteria::limits;
use crate::pack::SectorCondition;
use crate::{
    Basis, CriterionId, Fund, Line, OldUnit, ParamId, Question, QuestionId, RulesError, SizeSector, Status, Subject,
    SupportResult, Text,
};

/// Why a question is asked, Vietnamese then English.
fn why(q: QuestionId) -> Text {
    let (vi, en) = match q {
        QuestionId::Lines => ("Cơ sở đề nghị hỗ trợ nội dung nào?", "Which support lines do you ask for?"),
        QuestionId::Subject => (
            "Loại hình cơ sở quyết định có thuộc đối tượng khuyến công không.",
            "The kind of establishment decides whether it is a khuyến công subject.",
        ),
        QuestionId::CommuneCode => (
            "Xã, phường, đặc khu nơi sản xuất quyết định tiêu chí địa bàn và mức hỗ trợ của địa phương.",
            "The commune of production decides the location test and the local levels.",
        ),
        QuestionId::OldUnit => (
            "Trước cải cách năm 2025, loại địa bàn (xã, thị trấn, thị xã, phường...) quyết định tiêu chí địa bàn.",
            "Before the 2025 reform the kind of place decides the location test.",
        ),
        QuestionId::WardConvertedOn => (
            "Phường của thành phố loại 1: ngày chuyển từ xã thành phường quyết định tiêu chí địa bàn.",
            "A ward of a grade-1 city: the date it became a ward decides the location test.",
        ),
        QuestionId::CraftVillage => (
            "Phường của thành phố trực thuộc trung ương chỉ đạt khi nằm trong làng nghề được UBND tỉnh công nhận.",
            "A ward of a centrally-run city qualifies only inside a recognised craft village.",
        ),
        QuestionId::FormerProvince => (
            "Tỉnh đã hợp nhất: nghị quyết của tỉnh cũ nơi sản xuất quyết định mức hỗ trợ địa phương.",
            "A merged province: the former province's resolution decides the local levels.",
        ),
        QuestionId::Sector => (
            "Ngành, nghề sản xuất quyết định có thuộc danh mục khuyến công không.",
            "The sector decides whether the activity is in the khuyến công list.",
        ),
        QuestionId::FiredClayManualKiln => (
            "Gạch nung bằng lò thủ công cải tiến, lò vòng không được hỗ trợ.",
            "Bricks from improved manual or ring kilns get no support.",
        ),
        QuestionId::DifficultArea => (
            "Địa bàn có điều kiện kinh tế – xã hội khó khăn quyết định một số nội dung hỗ trợ và mức ưu tiên.",
            "A difficult area decides some lines and the priority level.",
        ),
        QuestionId::SizeSectorGroup => {
            ("Nhóm lĩnh vực quyết định ngưỡng doanh nghiệp nhỏ và vừa.", "The sector group sets the SME limits.")
        }
        QuestionId::Employees => (
            "Số lao động tham gia BHXH bình quân năm quyết định quy mô doanh nghiệp.",
            "Average insured employees decide the enterprise size.",
        ),
        QuestionId::Revenue => (
            "Doanh thu năm trước (bỏ trống nếu chưa có doanh thu) quyết định quy mô doanh nghiệp.",
            "Last year's revenue (leave empty if none yet) decides the enterprise size.",
        ),
        QuestionId::Capital => (
            "Tổng nguồn vốn cuối năm trước quyết định quy mô doanh nghiệp.",
            "Total capital at last year's end decides the enterprise size.",
        ),
        QuestionId::TrainingLearners => (
            "Số học viên quyết định giá trị khóa học miễn phí.",
            "The number of learners decides the value of the free courses.",
        ),
        QuestionId::EquipmentNew => ("Máy móc được hỗ trợ phải là máy mới.", "Supported machinery must be new."),
        QuestionId::TechnologyNewLocally => {
            ("Mô hình trình diễn phải là công nghệ mới tại địa phương.", "A demonstration model must be new locally.")
        }
        QuestionId::NoOtherStateFunding => (
            "Không được nhận hai lần hỗ trợ ngân sách cho cùng nội dung.",
            "No double state funding for the same item.",
        ),
        QuestionId::CounterpartFunding => {
            ("Cơ sở phải cam kết bố trí phần kinh phí còn lại.", "The establishment must commit to fund the rest.")
        }
        QuestionId::MachineryCost
        | QuestionId::TechnologyLineCost
        | QuestionId::DemoModelCost
        | QuestionId::ReplicationModelCost
        | QuestionId::CleanerProductionModelCost
        | QuestionId::StartupCost
        | QuestionId::TrainingCost => {
            ("Chi phí của nội dung này quyết định số tiền hỗ trợ.", "The cost of this line decides the support amount.")
        }
    };
    Text::fixed(vi, en)
}

/// The questions still worth asking, in the asking order of docs/engine.md.
pub(crate) fn missing(
    ctx: &Ctx<'_>,
    crits: Criteria<'_>,
    support: &[SupportResult],
    statuses: &[(Line, Status)],
    ask_former: bool,
) -> Result<Vec<Question>, RulesError> {
    let app = ctx.app;
    let alive = |l: Line| statuses.iter().any(|(x, s)| *x == l && *s != Status::NotMet);
    let any_alive = statuses.iter().any(|(_, s)| *s != Status::NotMet);
    let all_failed = !statuses.is_empty() && !any_alive;
    // A criterion is open when it is unknown and applies to a line still in play (or no
    // line is requested yet).
    let open = |id: CriterionId| {
        crits.get(id).is_some_and(|c| {
            c.status == Status::Unknown
                && (statuses.is_empty() || statuses.iter().any(|(l, s)| *s != Status::NotMet && applies_to(c, *l)))
        })
    };
    let failed = |id: CriterionId| crits.status(id) == Some(Status::NotMet);

    let mut out = Vec::new();
    // Keeps `q` when it is relevant and, once every line failed, when it can turn a failed
    // criterion.
    let mut ask = |q: QuestionId, turns: Option<CriterionId>, relevant: bool| {
        if relevant && (!all_failed || turns.is_some_and(failed)) {
            out.push(Question { id: q, why: why(q) });
        }
    };

    let loc = &app.location;
    let test_2025 = ctx.test_2025();
    let location = Some(CriterionId::Location);
    ask(QuestionId::Lines, None, ctx.lines.is_empty());
    ask(QuestionId::Subject, Some(CriterionId::Subject), app.subject.is_none());
    let location_open = open(CriterionId::Location);
    let need_commune =
        loc.commune_code.is_none() && ((test_2025 && location_open && loc.craft_village != Some(true)) || any_alive);
    ask(QuestionId::CommuneCode, location, need_commune);
    ask(QuestionId::OldUnit, location, !test_2025 && location_open && loc.old_unit.is_none());
    ask(
        QuestionId::WardConvertedOn,
        location,
        !test_2025
            && location_open
            && loc.old_unit == Some(OldUnit::PhuongCityGrade1)
            && loc.ward_converted_on.is_none(),
    );
    ask(
        QuestionId::CraftVillage,
        location,
        test_2025 && location_open && ctx.city_ward() && loc.craft_village.is_none(),
    );
    ask(QuestionId::FormerProvince, None, ask_former && any_alive && loc.former_province.is_none());

    let sector = Some(CriterionId::Sector);
    ask(QuestionId::Sector, sector, app.sector.is_none());
    let cond = ctx.sector.and_then(|s| s.condition);
    ask(
        QuestionId::FiredClayManualKiln,
        sector,
        cond == Some(SectorCondition::NoManualOrRingKiln) && app.fired_clay_manual_kiln.is_none(),
    );
    let need_area = loc.difficult_area.is_none()
        && ((cond == Some(SectorCondition::DifficultAreaOnly) && open(CriterionId::Sector))
            || open(CriterionId::StartupArea)
            || (!ctx.priority && uplift_could_apply(ctx, support)?));
    ask(QuestionId::DifficultArea, sector, need_area);

    let sme = Some(CriterionId::SmeSize);
    let enterprise = app.subject == Some(Subject::Enterprise) && open(CriterionId::SmeSize);
    if enterprise {
        let group = app.size.sector_group;
        let medium = limits(ctx, group.unwrap_or(SizeSector::AgricultureIndustryConstruction), 2)?;
        let thresholds = medium.is_some();
        ask(QuestionId::SizeSectorGroup, sme, group.is_none());
        ask(QuestionId::Employees, sme, thresholds && app.size.employees.is_none());
        ask(QuestionId::Revenue, sme, thresholds && app.size.revenue.is_none() && app.size.capital.is_none());
        let revenue_over = match (&medium, app.size.revenue) {
            (Some(m), Some(r)) => r > m.revenue.value,
            _ => true,
        };
        ask(QuestionId::Capital, sme, thresholds && app.size.capital.is_none() && revenue_over);
    }

    for line in ctx.lines.iter().filter(|l| alive(*l)) {
        let mut results = support.iter().filter(|s| s.line == line);
        let need = results.clone().any(|s| s.basis == Basis::NeedCost);
        let cost_missing = app.line(line).and_then(|r| r.cost).is_none();
        let per_learner_only = line == Line::Training && results.all(|s| s.rate.is_none() && s.cap.is_none());
        ask(QuestionId::cost(line), None, need && cost_missing && !per_learner_only);
    }
    if alive(Line::Training) {
        ask(QuestionId::TrainingLearners, None, app.line(Line::Training).and_then(|r| r.learners).is_none());
    }
    let c = &app.conditions;
    for (q, id, answer) in [
        (QuestionId::EquipmentNew, CriterionId::EquipmentNew, c.equipment_new),
        (QuestionId::TechnologyNewLocally, CriterionId::TechnologyNewLocally, c.technology_new_locally),
        (QuestionId::NoOtherStateFunding, CriterionId::NoDoubleFunding, c.no_other_state_funding),
        (QuestionId::CounterpartFunding, CriterionId::CounterpartFunding, c.counterpart_funding),
    ] {
        ask(q, Some(id), answer.is_none() && open(id));
    }
    Ok(out)
}

/// A national uplift above 1 is in force and a national line still in play has a figure it
/// could raise.
fn uplift_could_apply(ctx: &Ctx<'_>, support: &[SupportResult]) -> Result<bool, RulesError> {
    let amount_lines = support.iter().any(|s| {
        s.fund == Fund::National
            && s.status != Status::NotMet
            && matches!(s.basis, Basis::Computed | Basis::NeedCost | Basis::CeilingOnly)
    });
    Ok(amount_lines && ctx.p.need::<Decimal>(ParamId::PriorityCapMultiplier)?.is_some_and(|m| m.value > Decimal::ONE))
}
