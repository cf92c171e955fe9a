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
mod context;
mod criteria;
mod decision;
pub mod diff;
mod error;
mod evaluate;
mod hints;
mod input;
pub mod iso_date;
mod money;
pub mod pack;
mod params;
mod priorities;
mod questions;
mod resolved;
#[cfg(test)]
mod tests;
mod text;
pub mod vocab;
mod words;

pub use decision::{
    Comparison, CriterionResult, Decision, Hint, PaperRef, PriorityFact, Question, Reference, SupportResult, Used,
    fund_total,
};
pub use error::RulesError;
pub use evaluate::evaluate;
pub use input::{Application, ConditionAnswers, LineRequest, LocationAnswers, PriorityAnswers, SizeAnswers};
pub use money::{MAX_VND, MoneyError, Rate, RateError, Vnd};
pub use pack::{Citation, RulePack, pack_label};
pub use params::{CHOICES, PARAM_IDS};
/// The decimal type of rates, factors and multipliers (re-exported for users of [`Used`]).
pub use rust_decimal::Decimal;
pub use vocab::{
    Basis, CommuneKind, Confidence, CriterionId, Fund, HintId, Line, OldUnit, Outcome, ParamId, PriorityId,
    ProvinceKind, QuestionId, SizeSector, Status, Subject,
};
pub use words::{is_letter_vi, lower_vi, parse_vnd_vi, upper_vi, vnd_in_words};

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// Vietnam's time zone (UTC+7, no daylight saving): the date rules are taken at is the date
/// in Vietnam. The one definition; the server, the exports and the tests use it.
pub const VIETNAM: time::UtcOffset = match time::UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("+07:00 is a valid offset"),
};

/// A user-facing text in Vietnamese (first) and English. The engine's own words are borrowed
/// (`&'static str`); only texts with figures in them are built.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    /// Vietnamese.
    pub vi: Cow<'static, str>,
    /// English.
    pub en: Cow<'static, str>,
}

impl Text {
    /// Makes a text from both languages.
    pub fn new(vi: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Text {
        Text { vi: vi.into(), en: en.into() }
    }

    /// A text of two literals (no allocation; usable in constants).
    pub const fn fixed(vi: &'static str, en: &'static str) -> Text {
        Text { vi: Cow::Borrowed(vi), en: Cow::Borrowed(en) }
    }
}
