//! The decision: what the engine says about an application, and why.
//!
//! Ineligibility is a value here (`Outcome::NotEligible` with the failed criteria), never an
//! error. Every number in it names the parameter it came from, with citation and confidence.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::{Citation, Confidence, Line, Rate, Text, Vnd};

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every criterion is met for at least one requested line.
    Eligible,
    /// A criterion is not met for every requested line.
    NotEligible,
    /// Nothing failed yet, but answers are missing (see [`Decision::missing`]).
    NeedMoreAnswers,
}

/// The state of one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Met.
    Met,
    /// Not met.
    NotMet,
    /// Cannot tell yet: an answer is missing.
    Unknown,
}

/// A value the criterion compared (`employees 12 ≤ 100`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// What was compared: an input path (`size.employees`) or a parameter id.
    pub what: String,
    /// The applicant's value, as text (`12`, `Phường Hoàn Kiếm (phuong)`), or `?`.
    pub actual: String,
    /// The relation (`≤`, `=`, `∈`, `≠`).
    pub op: String,
    /// The limit or the accepted values, as text.
    pub limit: String,
}

/// The result of one legal criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// Stable id: `subject`, `sme_size`, `location`, `sector`, `equipment_new`,
    /// `no_double_funding`, `counterpart_funding`, `technology_new_locally`, `startup_area`.
    pub id: String,
    /// Met, not met, unknown.
    pub status: Status,
    /// The lines it applies to; empty means every requested line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<Line>,
    /// Plain-language reason.
    pub reason: Text,
    /// The values compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compared: Vec<Comparison>,
    /// Legal basis.
    pub citation: Citation,
    /// How sure the rule is.
    pub confidence: Confidence,
}

/// Which fund would pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fund {
    /// Khuyến công quốc gia (national, MOIT).
    National,
    /// Khuyến công địa phương (provincial budget, HĐND levels).
    Local,
}

/// A parameter value as used in a computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Used<T> {
    /// Parameter id (`machinery.cap`), or a derived name (`technology_line.cap`).
    pub param: String,
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

/// How the amount of a line was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// `min(rate × cost, cap) × multiplier`, rounded: a figure.
    Computed,
    /// Only a cap is known (no verified rate): `ceiling` is the most it can be.
    CeilingOnly,
    /// The province sets the amount and the pack has no value: no figure is invented.
    SetByProvince,
    /// Not enough answers yet (the cost is missing).
    NeedCost,
    /// No value in force for this fund on this date.
    NoValue,
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
    pub layer: Option<String>,
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
    /// Stable id: `difficult_area`, `women_owned`, `priority_sector`, …
    pub id: String,
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
    pub id: String,
    /// Why it is asked.
    pub why: Text,
}

/// A counterfactual the applicant can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hint {
    /// Stable id (`cap_binds`, `city_ward_craft_village`, …).
    pub id: String,
    /// The hint.
    pub text: Text,
}

/// A paper to prepare next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperRef {
    /// Paper id from the pack.
    pub id: String,
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
    /// Priority facts.
    pub priorities: Vec<PriorityFact>,
    /// Questions that could still change the result, in the order to ask them.
    pub missing: Vec<Question>,
    /// Counterfactuals.
    pub hints: Vec<Hint>,
    /// Papers to prepare next.
    pub papers: Vec<PaperRef>,
    /// The rule pack that produced this.
    pub pack_id: String,
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
