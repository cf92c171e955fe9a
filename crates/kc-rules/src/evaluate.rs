//! `evaluate`: the calculation of docs/engine.md, in order: dates, criteria, per-line status
//! and outcome, amounts per fund, priority facts, missing questions, hints, papers.

use time::Date;

use crate::amount::{self, Source};
use crate::pack::{Commune, Layer, Province};
use crate::params::Params;
use crate::{
    Application, Citation, Confidence, CriterionResult, Decision, Line, Outcome, PaperRef, PriorityFact, RulePack,
    RulesError, Status, Subject, Text, Used, criteria, questions,
};

/// Everything the criteria and amounts read: the pack on the date, the answers, and what the
/// answers resolve to (commune, province, location test in force).
pub(crate) struct Ctx<'a> {
    /// The pack.
    pub(crate) pack: &'a RulePack,
    /// Parameter look-ups on `as_of`.
    pub(crate) p: Params<'a>,
    /// The answers.
    pub(crate) app: &'a Application,
    /// The date the rules are taken at.
    pub(crate) as_of: Date,
    /// Requested lines, in the order asked.
    pub(crate) lines: Vec<Line>,
    /// The commune of production, if answered.
    pub(crate) commune: Option<&'a Commune>,
    /// Its province.
    pub(crate) province: Option<&'a Province>,
    /// `location.test` on `as_of` (`"2012"` or `"2025"`).
    pub(crate) location_test: Used<String>,
    /// A priority area or sector fact holds (TTLT 26/2014 Art. 6 cl. 2 point t: priority
    /// programmes, areas and sectors), which lets a dated priority multiplier apply.
    pub(crate) priority: bool,
}

/// Which provincial layer the local fund uses.
pub(crate) enum Local<'a> {
    /// This layer.
    Layer(&'a Layer),
    /// No layer: the reason, shown as the local result's note.
    None(Text),
    /// A merged province with former-province layers: which former province is not answered.
    AskFormer(Text),
}

/// Picks the local layer: a whole-province layer in force wins (the newest); otherwise the
/// layer of the answered former province; with former-province layers and no answer, ask.
pub(crate) fn local_layer<'a>(ctx: &Ctx<'a>) -> Result<Local<'a>, RulesError> {
    let Some(p) = ctx.province else {
        return Ok(Local::None(Text::new(
            "Chưa biết tỉnh, thành phố: chọn xã, phường, đặc khu nơi sản xuất để xem mức hỗ trợ của địa phương.",
            "The province is not known yet: choose the commune of production to see the local levels.",
        )));
    };
    let mut in_force = Vec::new();
    for l in ctx.pack.layers_of(p.code) {
        if ctx.p.layer_in_force(l)? {
            in_force.push(l);
        }
    }
    if let Some(whole) = in_force.iter().filter(|l| l.former_province.is_none()).max_by_key(|l| ctx.p.layer_from(l)) {
        return Ok(Local::Layer(whole));
    }
    let none = || {
        Local::None(Text::new(
            format!(
                "Mức hỗ trợ từ ngân sách địa phương do HĐND {} quyết định; gói quy tắc chưa có nghị quyết của tỉnh cho địa bàn này.",
                p.name
            ),
            format!(
                "Local-fund levels are set by the People's Council of {}; the pack has no resolution of it for this area.",
                p.name
            ),
        ))
    };
    if in_force.is_empty() {
        return Ok(none());
    }
    // The commune decides the former province (the pack carries it); the answer is only a
    // fallback for a commune the pack has no former province for.
    let former = ctx.commune.and_then(|c| c.former_province.as_deref());
    match former.or(ctx.app.location.former_province.as_deref()) {
        Some(f) => {
            Ok(in_force.into_iter().find(|l| l.former_province.as_deref() == Some(f)).map_or_else(none, Local::Layer))
        }
        None => Ok(Local::AskFormer(Text::new(
            format!(
                "{} được hợp nhất từ nhiều tỉnh; mỗi tỉnh cũ có thể còn áp dụng nghị quyết riêng: cho biết nơi sản xuất thuộc tỉnh cũ nào.",
                p.name
            ),
            format!(
                "{} was merged from several provinces that may keep their own resolutions: say which former province the place was in.",
                p.name
            ),
        ))),
    }
}

/// Evaluates `app` under the rules of `pack` in force on `as_of`.
///
/// Returns a [`Decision`] (ineligibility is a value), or [`RulesError::NoRulesInForce`] before
/// the first rules, [`RulesError::InvalidInput`] for codes the pack does not know, and
/// [`RulesError::BadPack`] when a parameter the engine needs is missing or malformed.
pub fn evaluate(pack: &RulePack, app: &Application, as_of: Date) -> Result<Decision, RulesError> {
    let p = Params::new(pack, as_of);
    if p.need::<bool>("subject.rules_start")?.is_none() {
        return Err(RulesError::NoRulesInForce { date: as_of });
    }
    app.check(pack)?;
    let location_test = p
        .need::<String>("location.test")?
        .filter(|t| t.value == "2012" || t.value == "2025")
        .ok_or_else(|| RulesError::BadPack { id: "location.test".to_owned() })?;
    let commune = app.location.commune_code.and_then(|c| pack.commune(c));
    let province = commune.and_then(|c| pack.province(c.province_code));
    let ctx = Ctx {
        pack,
        p,
        app,
        as_of,
        lines: app.lines.iter().map(|r| r.line).collect(),
        commune,
        province,
        location_test,
        priority: false,
    };
    amount::check_rounding(&ctx)?;
    let priorities = priorities(&ctx)?;
    let priority = priorities.iter().any(|f| UPLIFT_FACTS.contains(&f.id.as_str()) && f.status == Status::Met);
    let ctx = Ctx { priority, ..ctx };

    let mut crits: Vec<CriterionResult> = Vec::new();
    crits.extend(criteria::subject(&ctx)?);
    crits.extend(criteria::sme_size(&ctx)?);
    crits.extend(criteria::location(&ctx)?);
    crits.extend(criteria::sector(&ctx)?);
    crits.extend(criteria::conditions(&ctx)?);
    crits.extend(criteria::startup_area(&ctx)?);

    let statuses: Vec<(Line, Status)> = ctx.lines.iter().map(|l| (*l, line_status(&crits, *l))).collect();
    let outcome = if statuses.is_empty() {
        Outcome::NeedMoreAnswers
    } else if statuses.iter().any(|(_, s)| *s == Status::Met) {
        Outcome::Eligible
    } else if statuses.iter().all(|(_, s)| *s == Status::NotMet) {
        Outcome::NotEligible
    } else {
        Outcome::NeedMoreAnswers
    };

    let local = local_layer(&ctx)?;
    let mut support = Vec::new();
    for (line, status) in &statuses {
        support.push(amount::support(&ctx, *line, *status, Source::National)?);
        support.push(match &local {
            Local::Layer(l) => amount::support(&ctx, *line, *status, Source::Layer(l))?,
            Local::None(why) | Local::AskFormer(why) => amount::no_layer(&ctx, *line, *status, why.clone())?,
        });
    }

    let ask_former = matches!(local, Local::AskFormer(_));
    let missing = questions::missing(&ctx, &crits, &support, &statuses, ask_former)?;
    let hints = questions::hints(&ctx, &crits, &support)?;
    let papers = papers(&ctx);

    Ok(Decision {
        outcome,
        criteria: crits,
        support,
        priorities,
        missing,
        hints,
        papers,
        pack_id: pack.id.clone(),
        as_of,
    })
}

/// Whether a criterion applies to `line` (an empty `lines` list means every requested line).
pub(crate) fn applies_to(c: &CriterionResult, line: Line) -> bool {
    c.lines.is_empty() || c.lines.contains(&line)
}

/// A line's status: not met if any criterion that applies is not met; else unknown if any is
/// unknown; else met.
pub(crate) fn line_status(crits: &[CriterionResult], line: Line) -> Status {
    let mut status = Status::Met;
    for c in crits.iter().filter(|c| applies_to(c, line)) {
        match c.status {
            Status::NotMet => return Status::NotMet,
            Status::Unknown => status = Status::Unknown,
            Status::Met => {}
        }
    }
    status
}

fn fact(
    id: &str,
    status: Status,
    reason: Text,
    document: &str,
    provision: &str,
    confidence: Confidence,
) -> PriorityFact {
    PriorityFact {
        id: id.to_owned(),
        status,
        reason,
        citation: Citation { document: document.to_owned(), provision: provision.to_owned() },
        confidence,
    }
}

fn yes(b: Option<bool>) -> Status {
    match b {
        Some(true) => Status::Met,
        Some(false) => Status::NotMet,
        None => Status::Unknown,
    }
}

/// The priority facts of areas (Decree 45/2012 Art. 6 cl. 1) and sectors (cl. 2) that a
/// dated priority multiplier may reward. No answer says "priority programme" yet.
const UPLIFT_FACTS: [&str; 7] = [
    "difficult_area",
    "ethnic_minority_area",
    "priority_sector",
    "typical_rural_product",
    "exports",
    "local_materials",
    "labour_intensive",
];

/// Priority facts (Decree 45/2012 Art. 6; TT 46/2012 Art. 6; Decree 235/2025; TT 64/2024).
/// They never change eligibility.
fn priorities(ctx: &Ctx<'_>) -> Result<Vec<PriorityFact>, RulesError> {
    let a = &ctx.app;
    let d45 = "Nghị định 45/2012/NĐ-CP";
    let t46 = "Thông tư 46/2012/TT-BCT";
    let mut out = vec![
        fact(
            "difficult_area",
            yes(a.location.difficult_area),
            Text::new(
                "Địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn",
                "Area with difficult socio-economic conditions",
            ),
            d45,
            "Điều 6 khoản 1",
            Confidence::V,
        ),
        fact(
            "ethnic_minority_area",
            yes(a.priority.ethnic_minority_area),
            Text::new(
                "Vùng đồng bào dân tộc thiểu số, miền núi, biên giới, hải đảo",
                "Ethnic-minority, highland, border or island area",
            ),
            d45,
            "Điều 6 khoản 1",
            Confidence::V,
        ),
    ];
    // The owners' and workers' priorities start with the text that names them: dated in the pack.
    let owners = [
        ("women_owned", a.priority.women_owned, "Cơ sở do phụ nữ làm chủ", "Owned by a woman"),
        (
            "ethnic_minority_owned",
            a.priority.ethnic_minority_owned,
            "Cơ sở do người dân tộc thiểu số làm chủ",
            "Owned by a member of an ethnic minority",
        ),
        (
            "ethnic_minority_workers",
            a.priority.ethnic_minority_workers,
            "Sử dụng lao động là người dân tộc thiểu số",
            "Employs ethnic-minority workers",
        ),
    ];
    for (id, answer, vi, en) in owners {
        if let Some(u) = ctx.p.need::<bool>(&format!("priority.{id}"))?
            && u.value
        {
            out.push(PriorityFact {
                id: id.to_owned(),
                status: yes(answer),
                reason: Text::new(vi, en),
                citation: u.citation,
                confidence: u.confidence,
            });
        }
    }
    let sector = a.sector.as_deref().and_then(|s| ctx.pack.sector(s));
    out.push(fact(
        "priority_sector",
        match sector {
            Some(s) => yes(Some(s.priority)),
            None => Status::Unknown,
        },
        Text::new("Ngành, nghề ưu tiên (cơ khí, hóa chất phục vụ nông nghiệp, chế biến nông lâm thủy sản, công nghiệp hỗ trợ, sản xuất sạch hơn)", "Priority sector (agricultural machinery and chemicals, agro-forestry-aquatic processing, supporting industry, cleaner production)"),
        d45,
        "Điều 6 khoản 2 điểm a",
        Confidence::V,
    ));
    out.push(fact(
        "typical_rural_product",
        yes(a.priority.typical_rural_product),
        Text::new(
            "Có sản phẩm công nghiệp nông thôn tiêu biểu được chứng nhận",
            "Holds a typical rural industrial product certificate",
        ),
        t46,
        "Điều 6",
        Confidence::V,
    ));
    out.push(fact(
        "exports",
        yes(a.priority.exports),
        Text::new(
            "Có hợp đồng xuất khẩu hoặc sản xuất hàng xuất khẩu",
            "Has an export contract or produces for export",
        ),
        t46,
        "Điều 6",
        Confidence::V,
    ));
    if let Some(limit) = ctx.p.need::<u32>("priority.local_materials_percent")? {
        let status = match a.priority.local_materials_percent {
            Some(p) => yes(Some(u32::from(p) > limit.value)),
            None => Status::Unknown,
        };
        out.push(PriorityFact {
            id: "local_materials".into(),
            status,
            reason: Text::new(
                format!("Nguyên liệu chính tại chỗ trên {} % giá trị đầu vào", limit.value),
                format!("Main inputs from the same province above {} % of input value", limit.value),
            ),
            citation: limit.citation,
            confidence: limit.confidence,
        });
    }
    if let Some(limit) = ctx.p.need::<u32>("priority.labour_intensive_workers")? {
        let status = match a.priority.workers {
            Some(w) => yes(Some(w >= limit.value)),
            None => Status::Unknown,
        };
        out.push(PriorityFact {
            id: "labour_intensive".into(),
            status,
            reason: Text::new(
                format!("Sử dụng từ {} lao động trở lên", limit.value),
                format!("Employs {} workers or more", limit.value),
            ),
            citation: limit.citation,
            confidence: limit.confidence,
        });
    }
    Ok(out)
}

/// Papers to prepare: common ones, those of the requested lines, and enterprise-only ones
/// when the subject is an enterprise (domain §9).
fn papers(ctx: &Ctx<'_>) -> Vec<PaperRef> {
    let enterprise = ctx.app.subject == Some(Subject::Enterprise);
    ctx.pack
        .papers
        .iter()
        .filter(|p| p.lines.is_empty() || p.lines.iter().any(|l| ctx.lines.contains(l)))
        .filter(|p| !p.enterprises_only || enterprise)
        .map(|p| PaperRef {
            id: p.id.clone(),
            label: Text::new(&p.label_vi, &p.label_en),
            citation: p.citation.clone(),
            confidence: p.confidence,
        })
        .collect()
}
