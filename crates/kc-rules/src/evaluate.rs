//! `evaluate`: placeholder until the criteria land (see issue 3).

use time::Date;

use crate::{Application, Decision, Outcome, RulePack, RulesError};

/// Evaluates `app` under the rules of `pack` in force on `as_of`.
pub fn evaluate(pack: &RulePack, app: &Application, as_of: Date) -> Result<Decision, RulesError> {
    app.check(pack)?;
    Ok(Decision {
        outcome: Outcome::NeedMoreAnswers,
        criteria: Vec::new(),
        support: Vec::new(),
        priorities: Vec::new(),
        missing: Vec::new(),
        hints: Vec::new(),
        papers: Vec::new(),
        pack_id: pack.id.clone(),
        as_of,
    })
}
