//! Typed look-up of rule-pack parameters at a date.
//!
//! A parameter's value on a date is its last value whose `from` is not after the date
//! ([`crate::pack::Param::at`]). The look-ups here turn that value into the type the engine
//! needs and wrap it in a [`Used`], which carries the citation and confidence mark into the
//! decision. A value that does not parse as its type is [`RulesError::BadPack`]; so is a
//! parameter the engine needs that the pack lacks entirely.

use rust_decimal::Decimal;
use time::Date;

use crate::pack::{Layer, Param, Typed, Value};
use crate::resolved::{Period, Resolved};
use crate::{ParamId, Rate, RulePack, RulesError, Used, Vnd};

/// The national parameters the engine reads. The rule-pack data tests check that each one
/// exists in the bundled pack.
pub const PARAM_IDS: &[ParamId] = &[
    ParamId::RulesStart,
    ParamId::UnionOfCooperatives,
    ParamId::SustainableProduction,
    ParamId::LocationTest,
    ParamId::ConvertedWardMaxYears,
    ParamId::RoundingMode,
    ParamId::MachineryRate,
    ParamId::MachineryCap,
    ParamId::TechnologyLineCapMultiplier,
    ParamId::DemoModelRate,
    ParamId::DemoModelCap,
    ParamId::ReplicationModelCap,
    ParamId::StartupRate,
    ParamId::StartupCap,
    ParamId::PriorityCapMultiplier,
    ParamId::LocalMaterialsPercent,
    ParamId::LabourIntensiveWorkers,
    ParamId::WomenOwned,
    ParamId::EthnicMinorityOwned,
    ParamId::EthnicMinorityWorkers,
    ParamId::EquipmentNew,
    ParamId::TechnologyNewLocally,
    ParamId::CounterpartFunding,
    ParamId::NoDoubleFunding,
    ParamId::TrainingReferencePerLearner,
    ParamId::AicMicroEmployees,
    ParamId::AicMicroRevenue,
    ParamId::AicMicroCapital,
    ParamId::AicSmallEmployees,
    ParamId::AicSmallRevenue,
    ParamId::AicSmallCapital,
    ParamId::AicMediumEmployees,
    ParamId::AicMediumRevenue,
    ParamId::AicMediumCapital,
    ParamId::TsMicroEmployees,
    ParamId::TsMicroRevenue,
    ParamId::TsMicroCapital,
    ParamId::TsSmallEmployees,
    ParamId::TsSmallRevenue,
    ParamId::TsSmallCapital,
    ParamId::TsMediumEmployees,
    ParamId::TsMediumRevenue,
    ParamId::TsMediumCapital,
];

/// The words a `choice` parameter may hold. The data tests check them.
pub const CHOICES: &[(ParamId, &[&str])] =
    &[(ParamId::LocationTest, &["2012", "2025"]), (ParamId::RoundingMode, &["toward_zero"])];

fn bad(id: ParamId) -> RulesError {
    RulesError::BadPack { id: id.id().to_owned() }
}

/// A value of the engine's type, from a parsed pack value.
pub(crate) trait FromValue: Sized {
    /// The value as `Self`, or `None` when the parameter holds another kind.
    fn from_typed(t: Typed, text: &'static str) -> Option<Self>;
}

impl FromValue for Vnd {
    fn from_typed(t: Typed, _: &'static str) -> Option<Vnd> {
        if let Typed::Vnd(v) = t { Some(v) } else { None }
    }
}

impl FromValue for Rate {
    fn from_typed(t: Typed, _: &'static str) -> Option<Rate> {
        if let Typed::Rate(v) = t { Some(v) } else { None }
    }
}

impl FromValue for Decimal {
    /// A factor: a decimal greater than zero.
    fn from_typed(t: Typed, _: &'static str) -> Option<Decimal> {
        if let Typed::Factor(v) = t { Some(v) } else { None }
    }
}

impl FromValue for u32 {
    fn from_typed(t: Typed, _: &'static str) -> Option<u32> {
        if let Typed::Count(v) = t { Some(v) } else { None }
    }
}

impl FromValue for bool {
    fn from_typed(t: Typed, _: &'static str) -> Option<bool> {
        if let Typed::Bool(v) = t { Some(v) } else { None }
    }
}

impl FromValue for &'static str {
    /// A choice: the word itself, borrowed from the pack.
    fn from_typed(t: Typed, text: &'static str) -> Option<&'static str> {
        (t == Typed::Word).then(|| text.trim())
    }
}

/// One parameter's value on `date`, typed; its citation borrowed from the pack.
pub(crate) fn typed<T: FromValue>(param: &'static Param, date: Date) -> Result<Option<Used<T>>, RulesError> {
    param.at(date).map(|v| typed_value(param, v)).transpose()
}

/// One parameter value, typed; its citation borrowed from the pack.
fn typed_value<T: FromValue>(param: &'static Param, v: &'static Value) -> Result<Used<T>, RulesError> {
    used(param, v, v.typed(param.kind))
}

/// One parameter value parsed as `t`, as `T`; its citation borrowed from the pack.
fn used<T: FromValue>(param: &'static Param, v: &'static Value, t: Option<Typed>) -> Result<Used<T>, RulesError> {
    let value = t.and_then(|t| T::from_typed(t, &v.value)).ok_or_else(|| bad(param.id))?;
    Ok(Used { param: param.id, value, from: v.from, citation: v.citation.borrowed(), confidence: v.confidence })
}

/// Look-ups of national and layer parameters on one date.
#[derive(Clone, Copy)]
pub(crate) struct Params {
    /// The date rules are taken at.
    pub(crate) as_of: Date,
    /// The pack on that date (national values in force, memoised texts).
    pub(crate) period: &'static Period,
}

impl Params {
    /// Makes the look-up (the pack is resolved for the date once, see [`crate::resolved`]).
    pub(crate) fn new(pack: &'static RulePack, as_of: Date) -> Params {
        Params { as_of, period: Resolved::period(pack, as_of) }
    }

    /// A national parameter the engine needs: `BadPack` if the pack lacks it or its value
    /// does not parse; `None` if it has no value yet on the date.
    pub(crate) fn need<T: FromValue>(&self, id: ParamId) -> Result<Option<Used<T>>, RulesError> {
        match self.period.national(id) {
            (None, _) => Err(bad(id)),
            (Some(_), None) => Ok(None),
            (Some(p), Some((v, t))) => used(p, v, t).map(Some),
        }
    }

    /// The national value of `id` in force as a decision shows it, written once per value
    /// ([`Value::shown`]).
    pub(crate) fn shown(&self, id: ParamId) -> Option<&'static str> {
        match self.period.national(id) {
            (Some(p), Some((v, _))) => v.shown(p.kind),
            _ => None,
        }
    }

    /// A national parameter that may be absent from the pack (e.g. a line with no national
    /// value at all): `None` when absent or without a value on the date.
    pub(crate) fn opt<T: FromValue>(&self, id: ParamId) -> Result<Option<Used<T>>, RulesError> {
        match self.period.national(id) {
            (Some(p), Some((v, t))) => used(p, v, t).map(Some),
            _ => Ok(None),
        }
    }

    /// A parameter of a provincial layer: `None` when the layer does not set it or has no
    /// value on the date.
    pub(crate) fn layer<T: FromValue>(
        &self,
        layer: &'static Layer,
        id: ParamId,
    ) -> Result<Option<Used<T>>, RulesError> {
        match layer.params.iter().find(|p| p.id == id) {
            None => Ok(None),
            Some(p) => typed(p, self.as_of),
        }
    }

    /// Whether a layer is in force on the date: it has some value in force, and its
    /// `layer.in_force` switch (when present) is `true`.
    pub(crate) fn layer_in_force(&self, layer: &'static Layer) -> Result<bool, RulesError> {
        if let Some(flag) = self.layer::<bool>(layer, ParamId::LayerInForce)? {
            return Ok(flag.value);
        }
        if layer.params.iter().any(|p| p.id == ParamId::LayerInForce) {
            // The switch exists but has no value yet: not in force.
            return Ok(false);
        }
        Ok(layer.params.iter().any(|p| p.at(self.as_of).is_some()))
    }

    /// The start of the layer's values in force (for display).
    pub(crate) fn layer_from(&self, layer: &Layer) -> Option<Date> {
        layer.params.iter().filter_map(|p| p.at(self.as_of)).map(|v| v.from).max()
    }
}
