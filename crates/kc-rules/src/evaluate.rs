//! `evaluate`: the calculation of docs/engine.md, in order: dates, criteria, per-line status
//! and outcome, priority facts, amounts per fund, missing questions, hints, papers.

use std::borrow::Cow;

use time::Date;

use crate::amount::{self, Source};
use crate::context::{Criteria, Ctx, Lines, Local, line_status, local_layer};
use crate::params::Params;
use crate::resolved::{Resolved, kept};
use crate::{
    Application, CriterionResult, Decision, Line, Outcome, PaperRef, ParamId, RulePack, RulesError, Status, Subject,
    Text, Used, criteria, hints, priorities, questions,
};

/// Evaluates `app` under the rules of `pack` in force on `as_of`.
///
/// The pack lives for the program (`kc_rulepack::bundled()`): the decision borrows its words
/// and citations instead of copying them.
///
/// Returns a [`Decision`] (ineligibility is a value), or [`RulesError::NoRulesInForce`] before
/// the first rules, [`RulesError::InvalidInput`] for codes the pack does not know, and
/// [`RulesError::BadPack`] when a parameter the engine needs is missing or malformed.
pub fn evaluate(pack: &'static RulePack, app: &Application, as_of: Date) -> Result<Decision, RulesError> {
    let p = Params::new(pack, as_of);
    if p.need::<bool>(ParamId::RulesStart)?.is_none() {
        return Err(RulesError::NoRulesInForce { date: as_of });
    }
    let (commune, sector) = app.resolve(pack)?;
    let location_test = location_test(&p)?;
    let province = commune.and_then(|c| pack.province(c.province_code));
    let ctx = Ctx {
        pack,
        p,
        app,
        as_of,
        lines: Lines::of(app),
        commune,
        province,
        sector,
        location_test,
        priority: false,
        layer: None,
    };

    let mut crits: Vec<CriterionResult> = Vec::with_capacity(9);
    crits.extend(criteria::subject(&ctx)?);
    crits.extend(criteria::sme_size(&ctx)?);
    crits.extend(criteria::location(&ctx)?);
    crits.extend(criteria::sector(&ctx)?);
    criteria::conditions(&ctx, &mut crits)?;
    crits.extend(criteria::startup_area(&ctx)?);

    let mut statuses = [(Line::Machinery, Status::Met); 7];
    for (slot, line) in statuses.iter_mut().zip(ctx.lines.iter()) {
        *slot = (line, line_status(&crits, line));
    }
    let statuses = &statuses[..ctx.lines.len()];
    let outcome = if statuses.is_empty() {
        Outcome::NeedMoreAnswers
    } else if statuses.iter().any(|(_, s)| *s == Status::Met) {
        Outcome::Eligible
    } else if statuses.iter().all(|(_, s)| *s == Status::NotMet) {
        Outcome::NotEligible
    } else {
        Outcome::NeedMoreAnswers
    };

    let priorities = priorities::priorities(&ctx)?;
    let priority = priorities.iter().any(|f| f.id.rewarded() && f.status == Status::Met);
    let ctx = Ctx { priority, ..ctx };

    let local = local_layer(&ctx)?;
    let ctx = Ctx { layer: if let Local::Layer(l) = local { Some(l) } else { None }, ..ctx };
    let mut support = Vec::with_capacity(2 * statuses.len());
    for &(line, status) in statuses {
        amount::support(&ctx, &mut support, line, status, Source::National)?;
        match &local {
            Local::Layer(l) => amount::support(&ctx, &mut support, line, status, Source::Layer(l))?,
            Local::None(why) | Local::AskFormer(why) => {
                amount::no_layer(&ctx, &mut support, line, status, why.clone())?;
            }
        }
    }

    let ask_former = matches!(local, Local::AskFormer(_));
    let by_id = Criteria::of(&crits);
    let missing = questions::missing(&ctx, by_id, &support, statuses, ask_former)?;
    let hints = hints::hints(&ctx, by_id, &support)?;
    let papers = papers(&ctx);

    Ok(Decision {
        outcome,
        criteria: crits,
        support,
        priorities,
        missing,
        hints,
        papers,
        pack_id: Cow::Borrowed(&pack.id),
        as_of,
    })
}

/// `location.test` on the period of `p`, checked once per period with the rounding mode
/// (both follow from the pack alone).
fn location_test(p: &Params) -> Result<&'static Used<&'static str>, RulesError> {
    kept(&p.period.location_test, || {
        let test = p
            .need::<&str>(ParamId::LocationTest)?
            .filter(|t| t.value == "2012" || t.value == "2025")
            .ok_or_else(|| RulesError::BadPack { id: ParamId::LocationTest.id().to_owned() })?;
        amount::check_rounding(p)?;
        Ok(test)
    })
}

/// Papers to prepare: common ones, those of the requested lines, and enterprise-only ones
/// when the subject is an enterprise (domain §9). Chosen once per pack, lines and subject.
fn papers(ctx: &Ctx<'_>) -> Cow<'static, [PaperRef]> {
    let enterprise = ctx.app.subject == Some(Subject::Enterprise);
    let asked = ctx.lines.iter().fold(0u32, |m, l| m | 1 << l as u32);
    let pack = ctx.pack;
    Resolved::papers(pack, asked, enterprise, || {
        pack.papers
            .iter()
            .filter(|p| {
                (p.lines.is_empty() || p.lines.iter().any(|l| asked & 1 << *l as u32 != 0))
                    && (!p.enterprises_only || enterprise)
            })
            .map(|p| PaperRef {
                id: Cow::Borrowed(&p.id),
                label: Text::new(p.label_vi.as_str(), p.label_en.as_str()),
                citation: p.citation.borrowed(),
                confidence: p.confidence,
            })
            .collect()
    })
}
