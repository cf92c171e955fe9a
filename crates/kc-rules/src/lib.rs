//! The khuyến công rules engine: eligibility and support amounts, explained.
//!
//! [`evaluate`] takes a [`RulePack`] (the law as dated data, see the `kc-rulepack` crate),
//! an [`Application`] (the applicant's answers) and the date the rules are taken at, and
//! returns a [`Decision`]: the outcome, one result per legal criterion with its citation and
//! confidence mark, the support per requested line and fund, the questions still worth
//! asking, and counterfactual hints.
//!
//! Invariants: no I/O, no clock, no randomness, no float in any money path. The same code
//! runs natively (server, CLI) and in WebAssembly (the widget).

mod amount;
mod commune_table;
mod criteria;
mod decision;
pub mod diff;
mod error;
mod evaluate;
mod input;
pub mod iso_date;
mod money;
pub mod pack;
mod params;
mod questions;
#[cfg(test)]
mod tests;
mod words;

pub use decision::{
    Basis, Comparison, CriterionResult, Decision, Fund, Hint, Outcome, PaperRef, PriorityFact, Question, Reference,
    Status, SupportResult, Used, fund_total,
};
pub use error::RulesError;
pub use evaluate::evaluate;
pub use input::{
    Application, ConditionAnswers, Line, LineRequest, LocationAnswers, OldUnit, PriorityAnswers, SizeAnswers,
    SizeSector, Subject,
};
pub use money::{MAX_VND, MoneyError, Rate, RateError, Vnd};
pub use pack::{Citation, Confidence, RulePack};
pub use params::{CHOICES, PARAM_IDS};
/// The decimal type of rates, factors and multipliers (re-exported for users of [`Used`]).
pub use rust_decimal::Decimal;
pub use words::{is_letter_vi, lower_vi, parse_vnd_vi, upper_vi, vnd_in_words};

use serde::{Deserialize, Serialize};

/// A user-facing text in Vietnamese (first) and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Makes a text from both languages.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Text {
        Text { vi: vi.into(), en: en.into() }
    }
}
