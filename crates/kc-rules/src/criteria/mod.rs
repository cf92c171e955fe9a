//! The legal criteria, one file each (docs/engine.md, "Criteria").
//!
//! Each function reads the answers and the parameters in force on `as_of` and returns one
//! [`CriterionResult`], or `None` when the criterion does not apply to any requested line.
//! Thresholds, switches and citations come from the rule pack; the legal basis of each test
//! is named in the function's doc comment.

mod conditions;
mod location;
mod sector;
mod sme_size;
mod startup_area;
mod subject;

use std::borrow::Cow;

pub(crate) use conditions::{Switches, conditions};
pub(crate) use location::location;
pub(crate) use sector::sector;
pub(crate) use sme_size::{limits, sme_size};
pub(crate) use startup_area::startup_area;
pub(crate) use subject::subject;

use crate::context::Ctx;
use crate::{
    Citation, Comparison, Confidence, CriterionId, CriterionResult, Line, QuestionId, RulesError, Status, Text, Used,
};

pub(crate) type R<T> = Result<T, RulesError>;

/// A legal basis and its mark.
pub(crate) type Source = (Citation, Confidence);

/// One value compared: the question it answers, the answer, the relation, the limit.
pub(crate) fn cmp(
    what: QuestionId,
    actual: impl Into<Cow<'static, str>>,
    op: &'static str,
    limit: impl Into<Cow<'static, str>>,
) -> Comparison {
    Comparison { what: Cow::Borrowed(what.id()), actual: actual.into(), op: Cow::Borrowed(op), limit: limit.into() }
}

/// [`cmp`] of words only, for the tables of comparisons a decision borrows instead of
/// building.
pub(crate) const fn fixed_cmp(
    what: QuestionId,
    actual: &'static str,
    op: &'static str,
    limit: &'static str,
) -> Comparison {
    Comparison {
        what: Cow::Borrowed(what.id()),
        actual: Cow::Borrowed(actual),
        op: Cow::Borrowed(op),
        limit: Cow::Borrowed(limit),
    }
}

/// The three comparisons of a yes-no answer with `limit` (yes, no, unanswered), indexed by
/// the status [`Status::of_answer`] gives the answer (`Status as usize`: met, not met,
/// unknown).
pub(crate) const fn yes_no_cmps(what: QuestionId, limit: &'static str) -> [Comparison; 3] {
    const _: () = assert!(Status::Met as usize == 0 && Status::NotMet as usize == 1 && Status::Unknown as usize == 2);
    [fixed_cmp(what, "có", "=", limit), fixed_cmp(what, "không", "=", limit), fixed_cmp(what, "?", "=", limit)]
}

/// A yes-no answer as the comparison shows it.
pub(crate) fn yes_no(answer: Option<bool>) -> &'static str {
    answer.map_or("?", crate::vocab::yes_no_vi)
}

/// The legal basis of a parameter value.
pub(crate) fn cite<T>(u: &Used<T>) -> Source {
    (u.citation.clone(), u.confidence)
}

/// Builds a result for the lines in `applies` (empty list in the result when it is every
/// requested line).
pub(crate) fn result(
    ctx: &Ctx<'_>,
    id: CriterionId,
    applies: &Applies,
    status: Status,
    reason: Text,
    compared: impl Into<Cow<'static, [Comparison]>>,
    (citation, confidence): Source,
) -> CriterionResult {
    let lines = if applies.len == ctx.lines.len() { Vec::new() } else { applies.lines().to_vec() };
    CriterionResult { id, status, lines, reason, compared: compared.into(), citation, confidence }
}

/// The requested lines a criterion applies to.
pub(crate) struct Applies {
    items: [Line; 7],
    len: usize,
}

impl Applies {
    pub(crate) fn lines(&self) -> &[Line] {
        &self.items[..self.len]
    }
}

/// The requested lines a criterion applies to: `None` if it applies to none of them.
/// With no line requested yet, only general criteria (`line_specific == false`) apply.
pub(crate) fn applies(ctx: &Ctx<'_>, line_specific: bool, pred: impl Fn(Line) -> bool) -> Option<Applies> {
    let mut out = Applies { items: [Line::Machinery; 7], len: 0 };
    if ctx.lines.is_empty() {
        return (!line_specific).then_some(out);
    }
    for l in ctx.lines.iter().filter(|l| pred(*l)) {
        out.items[out.len] = l;
        out.len += 1;
    }
    (out.len > 0).then_some(out)
}

/// Lines that carry the size and location tests: all but the cleaner-production pilot
/// model, whose subject clause (b) has no size and no location limit
/// (TT 46/2012 Art. 3 cl. 2; Decree 235/2025 Art. 1 cl. 1).
pub(crate) fn rural_line(line: Line) -> bool {
    line != Line::CleanerProductionModel
}
