//! What to ask next and what the applicant could change (docs/engine.md, "Missing questions"
//! and "Hints").
//!
//! A question is asked only while its answer could still change the outcome or an amount:
//! it is left out once answered, once its criterion is decided by other answers, or when no
//! requested line still in play uses it. When every line has failed, only questions that
//! belong to a failed criterion are kept.

use rust_decimal::Decimal;

use crate::evaluate::{Ctx, applies_to};
use crate::pack::{CommuneKind, ProvinceKind, SectorCondition};
use crate::{
    Basis, CriterionResult, Fund, Hint, Line, OldUnit, Question, RulesError, SizeSector, Status, Subject,
    SupportResult, Text, criteria,
};

type R<T> = Result<T, RulesError>;

fn q(id: impl Into<String>, vi: impl Into<String>, en: impl Into<String>) -> (String, Text) {
    (id.into(), Text::new(vi, en))
}

/// The questions still worth asking, in the asking order of docs/engine.md.
pub(crate) fn missing(
    ctx: &Ctx<'_>,
    crits: &[CriterionResult],
    support: &[SupportResult],
    statuses: &[(Line, Status)],
    ask_former: bool,
) -> R<Vec<Question>> {
    let app = ctx.app;
    let alive: Vec<Line> = statuses.iter().filter(|(_, s)| *s != Status::NotMet).map(|(l, _)| *l).collect();
    let all_failed = !statuses.is_empty() && alive.is_empty();
    let crit = |id: &str| crits.iter().find(|c| c.id == id);
    // A criterion is open when it is unknown and applies to a line still in play (or no
    // line is requested yet).
    let open = |id: &str| {
        crit(id).is_some_and(|c| {
            c.status == Status::Unknown && (statuses.is_empty() || alive.iter().any(|l| applies_to(c, *l)))
        })
    };
    let failed = |id: &str| crit(id).is_some_and(|c| c.status == Status::NotMet);
    let any_alive = !alive.is_empty();
    let test_2025 = ctx.location_test.value == "2025";
    let loc = &app.location;

    // (question, criterion it can turn, relevant)
    let mut list: Vec<((String, Text), Option<&str>, bool)> = Vec::new();
    list.push((
        q("lines", "Cơ sở đề nghị hỗ trợ nội dung nào?", "Which support lines do you ask for?"),
        None,
        ctx.lines.is_empty(),
    ));
    list.push((
        q(
            "subject",
            "Loại hình cơ sở quyết định có thuộc đối tượng khuyến công không.",
            "The kind of establishment decides whether it is a khuyến công subject.",
        ),
        Some("subject"),
        app.subject.is_none(),
    ));

    let location_open = open("location");
    let need_commune =
        loc.commune_code.is_none() && ((test_2025 && location_open && loc.craft_village != Some(true)) || any_alive);
    list.push((
        q(
            "location.commune_code",
            "Xã, phường, đặc khu nơi sản xuất quyết định tiêu chí địa bàn và mức hỗ trợ của địa phương.",
            "The commune of production decides the location test and the local levels.",
        ),
        Some("location"),
        need_commune,
    ));
    list.push((
        q(
            "location.old_unit",
            "Trước 15/10/2025, loại địa bàn (xã, thị trấn, thị xã, phường...) quyết định tiêu chí địa bàn.",
            "Before 2025-10-15 the kind of place decides the location test.",
        ),
        Some("location"),
        !test_2025 && location_open && loc.old_unit.is_none(),
    ));
    list.push((
        q(
            "location.ward_converted_on",
            "Phường của thành phố loại 1: ngày chuyển từ xã thành phường quyết định tiêu chí địa bàn.",
            "A ward of a grade-1 city: the date it became a ward decides the location test.",
        ),
        Some("location"),
        !test_2025
            && location_open
            && loc.old_unit == Some(OldUnit::PhuongCityGrade1)
            && loc.ward_converted_on.is_none(),
    ));
    let city_ward = ctx.commune.is_some_and(|c| c.kind == CommuneKind::Phuong)
        && ctx.province.is_some_and(|p| p.kind == ProvinceKind::ThanhPhoTrucThuocTrungUong);
    list.push((
        q(
            "location.craft_village",
            "Phường của thành phố trực thuộc trung ương chỉ đạt khi nằm trong làng nghề được UBND tỉnh công nhận.",
            "A ward of a centrally-run city qualifies only inside a recognised craft village.",
        ),
        Some("location"),
        test_2025 && location_open && city_ward && loc.craft_village.is_none(),
    ));
    list.push((
        q(
            "location.former_province",
            "Tỉnh đã hợp nhất: nghị quyết của tỉnh cũ nơi sản xuất quyết định mức hỗ trợ địa phương.",
            "A merged province: the former province's resolution decides the local levels.",
        ),
        None,
        ask_former && any_alive && loc.former_province.is_none(),
    ));
    list.push((
        q(
            "sector",
            "Ngành, nghề sản xuất quyết định có thuộc danh mục khuyến công không.",
            "The sector decides whether the activity is in the khuyến công list.",
        ),
        Some("sector"),
        app.sector.is_none(),
    ));
    let cond = app.sector.as_deref().and_then(|s| ctx.pack.sector(s)).and_then(|s| s.condition);
    list.push((
        q(
            "fired_clay_manual_kiln",
            "Gạch nung bằng lò thủ công cải tiến, lò vòng không được hỗ trợ.",
            "Bricks from improved manual or ring kilns get no support.",
        ),
        Some("sector"),
        cond == Some(SectorCondition::NoManualOrRingKiln) && app.fired_clay_manual_kiln.is_none(),
    ));
    let uplift = ctx.p.need::<Decimal>("priority.cap_multiplier")?.is_some_and(|m| m.value > Decimal::ONE);
    let amount_lines = support.iter().any(|s| {
        s.fund == Fund::National
            && s.status != Status::NotMet
            && matches!(s.basis, Basis::Computed | Basis::NeedCost | Basis::CeilingOnly)
    });
    let need_area = app.location.difficult_area.is_none()
        && ((cond == Some(SectorCondition::DifficultAreaOnly) && open("sector"))
            || open("startup_area")
            || (uplift && amount_lines && !ctx.priority));
    list.push((
        q(
            "location.difficult_area",
            "Địa bàn có điều kiện kinh tế – xã hội khó khăn quyết định một số nội dung hỗ trợ và mức ưu tiên.",
            "A difficult area decides some lines and the priority level.",
        ),
        Some("sector"),
        need_area,
    ));

    let sme_open = open("sme_size");
    let group = app.size.sector_group;
    let enterprise = app.subject == Some(Subject::Enterprise);
    let medium = match (enterprise && sme_open, group) {
        (false, _) => None,
        (true, Some(g)) => criteria::limits(ctx, g, "medium")?,
        (true, None) => criteria::limits(ctx, SizeSector::AgricultureIndustryConstruction, "medium")?,
    };
    list.push((
        q(
            "size.sector_group",
            "Nhóm lĩnh vực quyết định ngưỡng doanh nghiệp nhỏ và vừa.",
            "The sector group sets the SME limits.",
        ),
        Some("sme_size"),
        enterprise && sme_open && group.is_none(),
    ));
    let thresholds = medium.is_some();
    list.push((
        q(
            "size.employees",
            "Số lao động tham gia BHXH bình quân năm quyết định quy mô doanh nghiệp.",
            "Average insured employees decide the enterprise size.",
        ),
        Some("sme_size"),
        enterprise && sme_open && thresholds && app.size.employees.is_none(),
    ));
    list.push((
        q(
            "size.revenue",
            "Doanh thu năm trước (bỏ trống nếu chưa có doanh thu) quyết định quy mô doanh nghiệp.",
            "Last year's revenue (leave empty if none yet) decides the enterprise size.",
        ),
        Some("sme_size"),
        enterprise && sme_open && thresholds && app.size.revenue.is_none() && app.size.capital.is_none(),
    ));
    let revenue_over = match (&medium, app.size.revenue) {
        (Some(m), Some(r)) => r > m.revenue.value,
        _ => true,
    };
    list.push((
        q(
            "size.capital",
            "Tổng nguồn vốn cuối năm trước quyết định quy mô doanh nghiệp.",
            "Total capital at last year's end decides the enterprise size.",
        ),
        Some("sme_size"),
        enterprise && sme_open && thresholds && app.size.capital.is_none() && revenue_over,
    ));

    for line in &alive {
        let results: Vec<&SupportResult> = support.iter().filter(|s| s.line == *line).collect();
        let need = results.iter().any(|s| s.basis == Basis::NeedCost);
        let cost_missing = app.line(*line).and_then(|r| r.cost).is_none();
        let per_learner_only = *line == Line::Training && results.iter().all(|s| s.rate.is_none() && s.cap.is_none());
        if need && cost_missing && !per_learner_only {
            list.push((
                q(
                    format!("lines.{}.cost", line.id()),
                    "Chi phí của nội dung này quyết định số tiền hỗ trợ.",
                    "The cost of this line decides the support amount.",
                ),
                None,
                true,
            ));
        }
    }
    if alive.contains(&Line::Training) {
        list.push((
            q(
                "lines.training.learners",
                "Số học viên quyết định giá trị khóa học miễn phí.",
                "The number of learners decides the value of the free courses.",
            ),
            None,
            app.line(Line::Training).and_then(|r| r.learners).is_none(),
        ));
    }
    let c = &app.conditions;
    for (id, crit_id, answer, vi, en) in [
        (
            "conditions.equipment_new",
            "equipment_new",
            c.equipment_new,
            "Máy móc được hỗ trợ phải là máy mới.",
            "Supported machinery must be new.",
        ),
        (
            "conditions.technology_new_locally",
            "technology_new_locally",
            c.technology_new_locally,
            "Mô hình trình diễn phải là công nghệ mới tại địa phương.",
            "A demonstration model must be new locally.",
        ),
        (
            "conditions.no_other_state_funding",
            "no_double_funding",
            c.no_other_state_funding,
            "Không được nhận hai lần hỗ trợ ngân sách cho cùng nội dung.",
            "No double state funding for the same item.",
        ),
        (
            "conditions.counterpart_funding",
            "counterpart_funding",
            c.counterpart_funding,
            "Cơ sở phải cam kết bố trí phần kinh phí còn lại.",
            "The establishment must commit to fund the rest.",
        ),
    ] {
        list.push((q(id, vi, en), Some(crit_id), answer.is_none() && open(crit_id)));
    }

    Ok(list
        .into_iter()
        .filter(|(_, tag, relevant)| *relevant && (!all_failed || tag.is_some_and(failed)))
        .map(|((id, why), _, _)| Question { id, why })
        .collect())
}

fn hint(id: &str, vi: String, en: String) -> Hint {
    Hint { id: id.to_owned(), text: Text::new(vi, en) }
}

/// Counterfactuals the applicant can act on.
pub(crate) fn hints(ctx: &Ctx<'_>, crits: &[CriterionResult], support: &[SupportResult]) -> R<Vec<Hint>> {
    let app = ctx.app;
    let mut out = Vec::new();
    let status = |id: &str| crits.iter().find(|c| c.id == id).map(|c| c.status);
    for s in support.iter().filter(|s| s.basis == Basis::Computed && s.status != Status::NotMet) {
        let (Some(cap), Some(above)) = (&s.cap, s.cap_binds_above) else {
            continue;
        };
        let fund_vi = if s.fund == Fund::National { "quốc gia" } else { "địa phương" };
        let fund_en = if s.fund == Fund::National { "national" } else { "local" };
        let cap_value = s.amount.filter(|_| s.cap_applied).unwrap_or(cap.value);
        if s.cap_applied {
            out.push(hint(
                "cap_binds",
                format!(
                    "Chi phí trên {above} không làm tăng hỗ trợ {fund_vi} cho {}: mức tối đa {cap_value} đã áp dụng.",
                    line_vi(s.line)
                ),
                format!(
                    "Costs above {above} add nothing to the {fund_en} support for {}: the {cap_value} cap binds.",
                    line_en(s.line)
                ),
            ));
        } else if let Some(amount) = s.amount {
            let top =
                crate::Vnd::from_decimal_toward_zero(cap.value.as_decimal() * s.multiplier.value).unwrap_or(cap.value);
            out.push(hint(
                "cap_room",
                format!("Hỗ trợ {fund_vi} hiện là {amount}; tăng theo chi phí đến {top} khi chi phí đạt {above}.",),
                format!(
                    "The {fund_en} support is {amount} now; it grows with the cost up to {top} at a cost of {above}."
                ),
            ));
        }
    }
    if ctx.lines.contains(&Line::Machinery) && !ctx.lines.contains(&Line::TechnologyLine) {
        let national = support.iter().find(|s| s.line == Line::Machinery && s.fund == Fund::National && s.cap_applied);
        let factor = ctx.p.opt::<Decimal>("technology_line.cap_multiplier")?;
        if let (Some(s), Some(f)) = (national, factor)
            && f.value > Decimal::ONE
            && let Some(cap) = &s.cap
        {
            let line_cap = crate::Vnd::from_decimal_toward_zero(cap.value.as_decimal() * f.value).unwrap_or(cap.value);
            out.push(hint(
                "technology_line_cap",
                format!(
                    "Nếu máy móc tạo thành một dây chuyền công nghệ, mức tối đa là {} lần: {line_cap}.",
                    f.value.normalize().to_string().replace('.', ",")
                ),
                format!("If the machines form a technology line, the cap is {}×: {line_cap}.", f.value),
            ));
        }
    }
    if ctx.location_test.value == "2025" {
        let city_ward = ctx.commune.is_some_and(|c| c.kind == CommuneKind::Phuong)
            && ctx.province.is_some_and(|p| p.kind == ProvinceKind::ThanhPhoTrucThuocTrungUong);
        if city_ward && app.location.craft_village != Some(true) {
            out.push(hint(
                "city_ward_craft_village",
                "Phường của thành phố trực thuộc trung ương chỉ được hỗ trợ khi cơ sở nằm trong làng nghề được UBND cấp tỉnh công nhận; xã và đặc khu của thành phố thì được.".into(),
                "A ward of a centrally-run city qualifies only inside a craft village recognised by the provincial People's Committee; the city's communes and special zones qualify.".into(),
            ));
        }
    }
    if app.subject == Some(Subject::UnionOfCooperatives) && status("subject") == Some(Status::NotMet) {
        out.push(hint(
            "union_from_2025",
            "Liên hiệp hợp tác xã là đối tượng khuyến công từ ngày 15/10/2025 (Nghị định 235/2025); các hợp tác xã thành viên có thể đề nghị riêng.".into(),
            "Unions of cooperatives are subjects from 2025-10-15 (Decree 235/2025); member cooperatives may apply on their own.".into(),
        ));
    }
    if status("sme_size") == Some(Status::NotMet) {
        out.push(hint(
            "large_enterprise",
            "Doanh nghiệp lớn chỉ có thể được hỗ trợ qua mô hình thí điểm sản xuất sạch hơn (không giới hạn quy mô)."
                .into(),
            "A large enterprise can be supported only through the cleaner-production pilot model (no size limit)."
                .into(),
        ));
    }
    let sector = app.sector.as_deref().and_then(|s| ctx.pack.sector(s));
    if sector.is_some_and(|s| !s.eligible) {
        out.push(hint(
            "sector_excluded",
            "Chỉ hoạt động sản xuất công nghiệp – tiểu thủ công nghiệp được hỗ trợ; nếu cơ sở có chế biến hoặc sản xuất, hãy chọn ngành đó.".into(),
            "Only industrial and cottage-industry production is supported; if you process or manufacture, choose that sector.".into(),
        ));
    }
    if sector.is_some_and(|s| s.condition == Some(SectorCondition::NoManualOrRingKiln))
        && app.fired_clay_manual_kiln == Some(true)
    {
        out.push(hint(
            "kiln",
            "Vật liệu xây dựng không nung, công nghệ mới được ưu tiên hỗ trợ; chuyển đổi khỏi lò thủ công cải tiến, lò vòng để đủ điều kiện.".into(),
            "Unfired, new-technology building materials qualify; moving away from manual or ring kilns makes the activity eligible.".into(),
        ));
    }
    if sector.is_some_and(|s| s.condition == Some(SectorCondition::DifficultAreaOnly))
        && app.location.difficult_area != Some(true)
    {
        out.push(hint(
            "mining_area",
            "Khai thác, chế biến khoáng sản chỉ được hỗ trợ tại địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn.".into(),
            "Mining and mineral processing is supported only in areas with difficult socio-economic conditions.".into(),
        ));
    }
    let failed_conditions: Vec<&str> =
        ["counterpart_funding", "equipment_new", "no_double_funding", "technology_new_locally"]
            .into_iter()
            .filter(|id| status(id) == Some(Status::NotMet))
            .collect();
    if !failed_conditions.is_empty() {
        out.push(hint(
            "conditions",
            "Để được hỗ trợ: cam kết bố trí vốn đối ứng, dùng máy móc mới, không nhận hỗ trợ ngân sách khác cho cùng nội dung, và mô hình trình diễn phải là công nghệ mới tại địa phương.".into(),
            format!("To be supported: commit counterpart funding, buy new equipment, take no other state funding for the same item, and show a technology new locally (not met: {}).", failed_conditions.join(", ")),
        ));
    }
    Ok(out)
}

/// Vietnamese name of a line.
pub(crate) fn line_vi(line: Line) -> &'static str {
    match line {
        Line::Machinery => "máy móc thiết bị",
        Line::TechnologyLine => "dây chuyền công nghệ",
        Line::DemoModel => "mô hình trình diễn",
        Line::ReplicationModel => "mô hình nhân rộng",
        Line::CleanerProductionModel => "mô hình sản xuất sạch hơn",
        Line::Startup => "thành lập doanh nghiệp",
        Line::Training => "đào tạo nghề",
    }
}

/// English name of a line.
pub(crate) fn line_en(line: Line) -> &'static str {
    match line {
        Line::Machinery => "machinery",
        Line::TechnologyLine => "a technology line",
        Line::DemoModel => "a demonstration model",
        Line::ReplicationModel => "a replication model",
        Line::CleanerProductionModel => "a cleaner-production model",
        Line::Startup => "start-up",
        Line::Training => "training",
    }
}
