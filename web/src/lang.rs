//! The widget's two languages: Vietnamese first, English second.
//!
//! Every user-facing string is written in place as a pair (`lang.pick("Tiếp tục", "Continue")`),
//! so a reader sees both at once and a missing translation cannot compile. The names of the
//! engine's ids (lines, outcomes, statuses, funds, marks, criteria) are the engine's own
//! labels (`kc_rules::vocab`), the one place they are written.

use kc_rules::{Confidence, CriterionId, Fund, Line, Outcome, Status, Text};
use serde::{Deserialize, Serialize};

/// The display language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Tiếng Việt (default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// From an attribute value: anything starting with `en` is English, the rest Vietnamese.
    pub fn from_attr(s: &str) -> Lang {
        if s.trim().to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Vi }
    }

    /// The BCP 47 tag for `lang=`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Picks the string of this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Picks from an engine [`Text`].
    pub fn text(self, t: &Text) -> &str {
        self.pick(&t.vi, &t.en)
    }

    /// Name of a support line.
    pub fn line(self, line: Line) -> &'static str {
        self.pick(line.label_vi(), line.label_en())
    }

    /// The overall outcome in words.
    pub fn outcome(self, o: Outcome) -> &'static str {
        self.pick(o.label_vi(), o.label_en())
    }

    /// Mark and word of a criterion status (the mark is never the only signal).
    pub fn status(self, s: Status) -> (&'static str, &'static str) {
        let mark = match s {
            Status::Met => "✓",
            Status::NotMet => "✗",
            Status::Unknown => "?",
        };
        (mark, self.pick(s.label_vi(), s.label_en()))
    }

    /// The fund in words.
    pub fn fund(self, f: Fund) -> &'static str {
        self.pick(f.label_vi(), f.label_en())
    }

    /// The confidence mark explained.
    pub fn confidence(self, c: Confidence) -> &'static str {
        self.pick(c.label_vi(), c.label_en())
    }

    /// Name of a criterion, from its wire id; an id this build does not know is shown as
    /// "another criterion" rather than raw.
    pub fn criterion(self, id: &str) -> String {
        match CriterionId::from_id(id) {
            Some(c) => self.pick(c.label_vi(), c.label_en()).to_owned(),
            None => self.pick("Tiêu chí khác", "Another criterion").to_owned(),
        }
    }
}
