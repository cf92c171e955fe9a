//! The decision: what the engine says about an application, and why.
//!
//! Ineligibility is a value here (`Outcome::NotEligible` with the failed criteria), never an
//! error. Every number in it names the parameter it came from, with citation and confidence.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    Basis, Citation, Confidence, CriterionId, Fund, HintId, Line, Outcome, ParamId, PriorityId, QuestionId, Rate,
    Status, Text, Vnd,
};

/// A value the criterion compared (`employees 12 ≤ 100`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// What was compared: an input path (`size.employees`, a [`QuestionId`]).
    pub what: Cow<'static, str>,
    /// The applicant's value, as text (`12`, `household_business`, `có`), or `?`.
    pub actual: Cow<'static, str>,
    /// The relation (`≤`, `=`, `∈`, `≠`).
    pub op: Cow<'static, str>,
    /// The limit or the accepted values, as text.
    pub limit: Cow<'static, str>,
}

/// The result of one legal criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// Which criterion (`sme_size` on the wire).
    pub id: CriterionId,
    /// Met, not met, unknown.
    pub status: Status,
    /// The lines it applies to; empty means every requested line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<Line>,
    /// Plain-language reason.
    pub reason: Text,
    /// The values compared (borrowed when they follow from the pack and a fixed answer).
    #[serde(default, skip_serializing_if = "<[Comparison]>::is_empty")]
    pub compared: Cow<'static, [Comparison]>,
    /// Legal basis.
    pub citation: Citation,
    /// How sure the rule is.
    pub confidence: Confidence,
}

/// A parameter value as used in a computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Used<T> {
    /// Parameter id (`machinery.cap`), or the id of a derived value (`technology_line.cap`).
    pub param: ParamId,
    /// The value.
    pub value: T,
    /// In force from.
    #[serde(with = "crate::iso_date")]
    pub from: Date,
    /// Legal basis.
    pub citation: Citation,
    /// How sure.
    pub confidence: Confidence,
}

/// A reference figure shown beside a line that has no rule of its own (training).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// What it is.
    pub label: Text,
    /// The figure, if it is money.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Vnd>,
    /// Source.
    pub citation: Citation,
    /// How sure.
    pub confidence: Confidence,
}

/// The support for one requested line from one fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportResult {
    /// The line.
    pub line: Line,
    /// The fund.
    pub fund: Fund,
    /// The provincial layer used (local fund only), e.g. `dong_thap.nq_08_2024`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Cow<'static, str>>,
    /// Whether this line is eligible, from the criteria that apply to it.
    pub status: Status,
    /// How the amount was found.
    pub basis: Basis,
    /// The cost the rate applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_cost: Option<Vnd>,
    /// The rate used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Used<Rate>>,
    /// The cap used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Used<Vnd>>,
    /// The priority multiplier used (1 unless a dated uplift is in force and a flag holds).
    pub multiplier: Used<Decimal>,
    /// The support amount, when `basis` is `computed` and the line is not failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Vnd>,
    /// For a line that is not met: what `amount` would be if it were eligible. Never the
    /// support, never counted in a total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_if_eligible: Option<Vnd>,
    /// The most it can be, when only a cap is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling: Option<Vnd>,
    /// Whether the cap bound (`rate × cost > cap`).
    pub cap_applied: bool,
    /// The cost above which the cap binds (`cap ÷ rate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_binds_above: Option<Vnd>,
    /// What the reader must know about this figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Reference figures (training norms), marked as references, not rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// The weakest confidence of the values used.
    pub confidence: Confidence,
}

/// A priority fact (never changes eligibility).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityFact {
    /// Which fact (`difficult_area`, `women_owned`, `priority_sector`, …).
    pub id: PriorityId,
    /// Holds, does not hold, unknown.
    pub status: Status,
    /// Plain-language statement.
    pub reason: Text,
    /// Legal basis.
    pub citation: Citation,
    /// How sure.
    pub confidence: Confidence,
}

/// A question whose answer could still change the outcome or the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The input path it fills: `subject`, `location.commune_code`, `lines.machinery.cost`…
    pub id: QuestionId,
    /// Why it is asked.
    pub why: Text,
}

/// A counterfactual the applicant can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hint {
    /// Which hint (`cap_binds`, `city_ward_craft_village`, …).
    pub id: HintId,
    /// The hint.
    pub text: Text,
}

/// A paper to prepare next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperRef {
    /// Paper id from the pack.
    pub id: Cow<'static, str>,
    /// Its name.
    pub label: Text,
    /// Basis.
    pub citation: Citation,
    /// How sure.
    pub confidence: Confidence,
}

/// Everything the engine says about one application on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Eligible, not eligible, or more answers needed.
    pub outcome: Outcome,
    /// One result per legal criterion that applies.
    pub criteria: Vec<CriterionResult>,
    /// One result per requested line and fund.
    pub support: Vec<SupportResult>,
    /// Priority facts (borrowed when the application answers no priority question: the
    /// same facts, kept once per period).
    pub priorities: Cow<'static, [PriorityFact]>,
    /// Questions that could still change the result, in the order to ask them.
    pub missing: Vec<Question>,
    /// Counterfactuals.
    pub hints: Vec<Hint>,
    /// Papers to prepare next (borrowed: the same lines and subject get the same papers, kept
    /// once per pack).
    pub papers: Cow<'static, [PaperRef]>,
    /// The rule pack that produced this.
    pub pack_id: Cow<'static, str>,
    /// The date the rules were taken at.
    #[serde(with = "crate::iso_date")]
    pub as_of: Date,
}

impl Decision {
    /// The support results of one line.
    pub fn support_for(&self, line: Line) -> impl Iterator<Item = &SupportResult> {
        self.support.iter().filter(move |s| s.line == line)
    }

    /// The criterion with this id.
    pub fn criterion(&self, id: &str) -> Option<&CriterionResult> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// The sum of the computed amounts of one fund's lines that are not failed.
    pub fn total(&self, fund: Fund) -> Vnd {
        fund_total(fund, self.support.iter().map(|s| (s.fund, s.status, s.amount)))
    }
}

/// What a fund's total counts: the computed amounts of its lines that are eligible or not yet
/// decided, as `(fund, status, amount)` per line. [`Decision::total`] and summaries of a
/// decision (the widget's receipt) add up the same way.
pub fn fund_total(fund: Fund, lines: impl IntoIterator<Item = (Fund, Status, Option<Vnd>)>) -> Vnd {
    lines
        .into_iter()
        .filter(|(f, status, _)| *f == fund && *status != Status::NotMet)
        .filter_map(|(_, _, amount)| amount)
        .fold(Vnd::ZERO, Vnd::saturating_add)
}
