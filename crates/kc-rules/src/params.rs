//! Typed look-up of rule-pack parameters at a date.
//!
//! A parameter's value on a date is its last value whose `from` is not after the date
//! ([`crate::pack::Param::at`]). The look-ups here turn that value into the type the engine
//! needs and wrap it in a [`Used`], which carries the citation and confidence mark into the
//! decision. A value that does not parse as its type is [`RulesError::BadPack`]; so is a
//! parameter the engine needs that the pack lacks entirely.

use rust_decimal::Decimal;
use time::Date;

use crate::pack::{Layer, Param, Value};
use crate::{Rate, RulePack, RulesError, Used, Vnd};

/// The national parameter ids the engine reads. The rule-pack data tests check that each one
/// exists in the bundled pack.
pub const PARAM_IDS: &[&str] = &[
    "subject.rules_start",
    "subject.union_of_cooperatives",
    "subject.sustainable_production",
    "location.test",
    "location.converted_ward_max_years",
    "rounding.mode",
    "machinery.rate",
    "machinery.cap",
    "technology_line.cap_multiplier",
    "demo_model.rate",
    "demo_model.cap",
    "replication_model.cap",
    "startup.rate",
    "startup.cap",
    "priority.cap_multiplier",
    "priority.local_materials_percent",
    "priority.labour_intensive_workers",
    "priority.women_owned",
    "priority.ethnic_minority_owned",
    "priority.ethnic_minority_workers",
    "conditions.equipment_new",
    "conditions.technology_new_locally",
    "conditions.counterpart_funding",
    "conditions.no_double_funding",
    "training.reference_per_learner",
    "sme.agriculture_industry_construction.micro.employees",
    "sme.agriculture_industry_construction.micro.revenue",
    "sme.agriculture_industry_construction.micro.capital",
    "sme.agriculture_industry_construction.small.employees",
    "sme.agriculture_industry_construction.small.revenue",
    "sme.agriculture_industry_construction.small.capital",
    "sme.agriculture_industry_construction.medium.employees",
    "sme.agriculture_industry_construction.medium.revenue",
    "sme.agriculture_industry_construction.medium.capital",
    "sme.trade_services.micro.employees",
    "sme.trade_services.micro.revenue",
    "sme.trade_services.micro.capital",
    "sme.trade_services.small.employees",
    "sme.trade_services.small.revenue",
    "sme.trade_services.small.capital",
    "sme.trade_services.medium.employees",
    "sme.trade_services.medium.revenue",
    "sme.trade_services.medium.capital",
];

/// The words a `choice` parameter may hold, by parameter id. The data tests check them.
pub const CHOICES: &[(&str, &[&str])] = &[("location.test", &["2012", "2025"]), ("rounding.mode", &["toward_zero"])];

/// The value of `param` on `date`, if any.
fn value_at(param: &Param, date: Date) -> Option<&Value> {
    param.at(date)
}

fn bad(id: &str) -> RulesError {
    RulesError::BadPack { id: id.to_owned() }
}

fn used<T>(id: &str, v: &Value, value: T) -> Used<T> {
    Used { param: id.to_owned(), value, from: v.from, citation: v.citation.clone(), confidence: v.confidence }
}

/// Parses a value string as `T`; the error is `BadPack` naming `id`.
pub(crate) trait FromValue: Sized {
    /// Parses the value text.
    fn parse_value(s: &str) -> Option<Self>;
}

impl FromValue for Vnd {
    fn parse_value(s: &str) -> Option<Vnd> {
        Vnd::parse(s).ok()
    }
}

impl FromValue for Rate {
    fn parse_value(s: &str) -> Option<Rate> {
        s.trim().parse::<Decimal>().ok().and_then(|d| Rate::new(d).ok())
    }
}

impl FromValue for Decimal {
    /// A factor: a decimal greater than zero.
    fn parse_value(s: &str) -> Option<Decimal> {
        s.trim().parse::<Decimal>().ok().filter(|d| *d > Decimal::ZERO).map(|d| d.normalize())
    }
}

impl FromValue for u32 {
    fn parse_value(s: &str) -> Option<u32> {
        s.trim().parse().ok()
    }
}

impl FromValue for bool {
    fn parse_value(s: &str) -> Option<bool> {
        match s.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

impl FromValue for String {
    fn parse_value(s: &str) -> Option<String> {
        Some(s.trim().to_owned())
    }
}

/// Parses one parameter's value on `date`.
pub(crate) fn typed<T: FromValue>(param: &Param, date: Date) -> Result<Option<Used<T>>, RulesError> {
    match value_at(param, date) {
        None => Ok(None),
        Some(v) => T::parse_value(&v.value).map(|t| Some(used(&param.id, v, t))).ok_or_else(|| bad(&param.id)),
    }
}

/// Look-ups of national and layer parameters on one date.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params<'a> {
    /// The pack.
    pub(crate) pack: &'a RulePack,
    /// The date rules are taken at.
    pub(crate) as_of: Date,
}

impl<'a> Params<'a> {
    /// Makes the look-up.
    pub(crate) fn new(pack: &'a RulePack, as_of: Date) -> Params<'a> {
        Params { pack, as_of }
    }

    /// A national parameter the engine needs: `BadPack` if the pack lacks it or its value
    /// does not parse; `None` if it has no value yet on the date.
    pub(crate) fn need<T: FromValue>(&self, id: &str) -> Result<Option<Used<T>>, RulesError> {
        let param = self.pack.param(id).ok_or_else(|| bad(id))?;
        typed(param, self.as_of)
    }

    /// A national parameter that may be absent from the pack (e.g. a line with no national
    /// value at all): `None` when absent or without a value on the date.
    pub(crate) fn opt<T: FromValue>(&self, id: &str) -> Result<Option<Used<T>>, RulesError> {
        match self.pack.param(id) {
            None => Ok(None),
            Some(p) => typed(p, self.as_of),
        }
    }

    /// A parameter of a provincial layer: `None` when the layer does not set it or has no
    /// value on the date.
    pub(crate) fn layer<T: FromValue>(&self, layer: &Layer, id: &str) -> Result<Option<Used<T>>, RulesError> {
        match layer.params.iter().find(|p| p.id == id) {
            None => Ok(None),
            Some(p) => typed(p, self.as_of),
        }
    }

    /// Whether a layer is in force on the date: it has some value in force, and its
    /// `layer.in_force` switch (when present) is `true`.
    pub(crate) fn layer_in_force(&self, layer: &Layer) -> Result<bool, RulesError> {
        if let Some(flag) = self.layer::<bool>(layer, "layer.in_force")? {
            return Ok(flag.value);
        }
        if layer.params.iter().any(|p| p.id == "layer.in_force") {
            // The switch exists but has no value yet: not in force.
            return Ok(false);
        }
        Ok(layer.params.iter().any(|p| p.at(self.as_of).is_some()))
    }

    /// The start of the layer's first value (for display).
    pub(crate) fn layer_from(&self, layer: &Layer) -> Option<Date> {
        layer.params.iter().filter_map(|p| p.at(self.as_of)).map(|v| v.from).max()
    }
}
