//! Errors of the engine. Ineligibility is not one of them: it is a [`crate::Decision`].

/// Why the engine could not decide at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// The pack has no rules in force on the date asked (before the first effective date).
    #[error("no rules in force on {date}")]
    NoRulesInForce {
        /// The date asked.
        date: time::Date,
    },
    /// Input the types could not rule out: an unknown code, a duplicate line.
    #[error("{field}: {message}")]
    InvalidInput {
        /// Path of the offending field, e.g. `location.commune_code`.
        field: String,
        /// What is wrong, Vietnamese then English.
        message: String,
    },
    /// A parameter the engine needs is missing from the pack or does not parse.
    #[error("rule pack: parameter {id} is missing or malformed")]
    BadPack {
        /// The parameter id.
        id: String,
    },
}
