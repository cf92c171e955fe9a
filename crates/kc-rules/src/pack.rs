//! The rule pack schema: the law as dated, cited data (OpenFisca style).
//!
//! Every number the engine uses is a [`Param`] with one [`Value`] per effective date, each
//! carrying its [`Citation`] and [`Confidence`]. Provincial [`Layer`]s hold the local fund's
//! values, keyed by the current province and, for merged provinces, the former province.
//! The data itself lives in the `kc-rulepack` crate; this module only says its shape.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

pub use crate::vocab::{CommuneKind, ProvinceKind};
use crate::{Confidence, Line, ParamId, Rate, Text, Vnd};

/// Where a value comes from in the law.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The document, e.g. `Thông tư 28/2018/TT-BTC`.
    pub document: Cow<'static, str>,
    /// Article, clause, point, e.g. `Điều 8 khoản 4`; empty when not known.
    #[serde(default)]
    pub provision: Cow<'static, str>,
}

impl Citation {
    /// A citation written in the engine (a criterion's legal basis).
    pub const fn fixed(document: &'static str, provision: &'static str) -> Citation {
        Citation { document: Cow::Borrowed(document), provision: Cow::Borrowed(provision) }
    }

    /// The same citation, borrowing the pack's text (no copy).
    pub fn borrowed(&'static self) -> Citation {
        Citation { document: Cow::Borrowed(&self.document), provision: Cow::Borrowed(&self.provision) }
    }
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.provision.is_empty() {
            f.write_str(&self.document)
        } else {
            write!(f, "{}, {}", self.document, self.provision)
        }
    }
}

/// What kind of value a parameter holds; its `value` strings must parse as this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Whole đồng.
    Vnd,
    /// A fraction `0..=1`.
    Rate,
    /// A positive decimal factor (e.g. the technology-line cap multiplier 1.5).
    Factor,
    /// A whole count (employees, years, times).
    Count,
    /// `true` / `false`.
    Bool,
    /// One of a fixed set of words the engine knows (e.g. the location test in force).
    Choice,
}

/// One dated value of a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// In force from this date (inclusive) until the next value's `from`.
    #[serde(with = "crate::iso_date")]
    pub from: Date,
    /// The value as text: decimals as strings (`"300000000"`, `"0.5"`), or a word.
    pub value: String,
    /// Where it comes from.
    pub citation: Citation,
    /// How sure we are.
    pub confidence: Confidence,
    /// Anything a reviewer should know (e.g. "verify against TT 64/2024").
    #[serde(default)]
    pub note: Option<String>,
    /// `value` parsed as its parameter's kind, on first use.
    #[serde(skip)]
    pub(crate) parsed: Parsed,
}

/// A value parsed once (the pack is read far more often than it is built). Two packs are
/// equal whether or not their values were parsed yet.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed(OnceLock<Option<Typed>>, OnceLock<String>);

impl PartialEq for Parsed {
    fn eq(&self, _: &Parsed) -> bool {
        true
    }
}

impl Eq for Parsed {}

/// A value as its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typed {
    Vnd(Vnd),
    Rate(Rate),
    Factor(Decimal),
    Count(u32),
    Bool(bool),
    /// A choice: the text itself is the value.
    Word,
}

impl Typed {
    fn parse(kind: Kind, s: &str) -> Option<Typed> {
        let s = s.trim();
        Some(match kind {
            Kind::Vnd => Typed::Vnd(Vnd::parse(s).ok()?),
            Kind::Rate => Typed::Rate(Rate::new(s.parse().ok()?).ok()?),
            Kind::Factor => Typed::Factor(s.parse::<Decimal>().ok().filter(|d| *d > Decimal::ZERO)?.normalize()),
            Kind::Count => Typed::Count(s.parse().ok()?),
            Kind::Bool => Typed::Bool(match s {
                "true" => true,
                "false" => false,
                _ => return None,
            }),
            Kind::Choice => Typed::Word,
        })
    }
}

impl Value {
    /// The value as `kind`, parsed on first use; `None` if it does not parse.
    pub(crate) fn typed(&self, kind: Kind) -> Option<Typed> {
        *self.parsed.0.get_or_init(|| Typed::parse(kind, &self.value))
    }

    /// The value as a decision shows it (`50.000.000.000 đ`, `100`), written on first use;
    /// `None` for kinds shown otherwise.
    pub(crate) fn shown(&'static self, kind: Kind) -> Option<&'static str> {
        use crate::text::{Piece, cat};
        let piece = match self.typed(kind)? {
            Typed::Vnd(v) => Piece::Vnd(v),
            Typed::Count(n) => Piece::N(n),
            _ => return None,
        };
        Some(self.parsed.1.get_or_init(|| cat(&[piece])))
    }

    /// A value made in code (a candidate pack in a test or a tool; packs are otherwise read
    /// from their data).
    pub fn new(from: Date, value: impl Into<String>, citation: Citation, confidence: Confidence) -> Value {
        Value { from, value: value.into(), citation, confidence, note: None, parsed: Parsed::default() }
    }

    /// The value as a decimal; `None` if it is not one (the data tests make sure it is).
    pub fn decimal(&self) -> Option<Decimal> {
        self.value.parse().ok()
    }
}

/// A named, dated parameter of the law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Stable id used by the engine, the trace, the widget and the exports
    /// (e.g. `machinery.cap`); an id the engine does not know does not parse.
    pub id: ParamId,
    /// What the value strings hold.
    pub kind: Kind,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Values in ascending `from` order.
    pub values: Vec<Value>,
}

impl Param {
    /// The value in force on `date`: the last one whose `from` is not after it.
    pub fn at(&self, date: Date) -> Option<&Value> {
        self.values.iter().rev().find(|v| v.from <= date)
    }
}

/// The local fund's values of one province (or of one former province inside a merged one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Stable id, e.g. `dong_thap.nq_08_2024`.
    pub id: String,
    /// Current (post-2025) province code the layer applies in.
    pub province_code: u16,
    /// Codename of the former province whose territory it covers, for merged provinces
    /// that keep their former provinces' resolutions (e.g. `hai_duong`).
    #[serde(default)]
    pub former_province: Option<String>,
    /// Vietnamese name of the layer's issuer and territory, for display.
    pub name: String,
    /// The resolution is known (its number and date were read) but its levels are not in the
    /// pack: every line says so instead of "no resolution".
    #[serde(default)]
    pub levels_unread: bool,
    /// The start date of the layer's values is the calculator's assumption, not read in the
    /// resolution (each value's note says why that date).
    #[serde(default)]
    pub start_assumed: bool,
    /// Parameter overrides, same ids as the national ones.
    pub params: Vec<Param>,
}

/// A former (pre-2025) province that is now part of a current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormerProvince {
    /// ASCII codename, e.g. `hai_duong`.
    pub codename: String,
    /// Vietnamese name, e.g. `Hải Dương`.
    pub name: String,
}

/// A province-level unit in force since 2025-07-01.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Province {
    /// GSO code.
    pub code: u16,
    /// Vietnamese name with diacritics.
    pub name: String,
    /// Province or centrally-run city.
    pub kind: ProvinceKind,
    /// ASCII codename.
    pub codename: String,
    /// Former provinces merged into it (empty when unchanged).
    #[serde(default)]
    pub formed_from: Vec<FormerProvince>,
    /// How sure the merger composition is.
    pub merger_confidence: Confidence,
}

/// A commune-level unit in force since 2025-07-01.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commune {
    /// GSO code.
    pub code: u32,
    /// Vietnamese name with diacritics, e.g. `Phường Hoàn Kiếm`.
    pub name: String,
    /// Xã, phường or đặc khu.
    pub kind: CommuneKind,
    /// Code of the province it belongs to.
    pub province_code: u16,
    /// Codename of the pre-2025 province it was in (`tien_giang`): a 2025 commune keeps the
    /// GSO code of one of the communes it was formed from, so this follows from the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_province: Option<String>,
}

/// An extra condition attached to a sector of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectorCondition {
    /// Only in areas with difficult or extremely difficult socio-economic conditions (mining).
    DifficultAreaOnly,
    /// Not fired-clay bricks from improved manual or ring kilns (building materials).
    NoManualOrRingKiln,
}

/// One entry of the eligible-sector list (Decree 45/2012 Art. 5, as amended), or an
/// activity that is explicitly out (trading, services, primary agriculture).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    /// Stable id, e.g. `agro_processing`.
    pub id: String,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Whether producing in this sector is eligible at all.
    pub eligible: bool,
    /// In the list from this date (sectors added by Decree 235/2025 start 2025-10-15).
    #[serde(with = "crate::iso_date")]
    pub from: Date,
    /// Extra condition, if any.
    #[serde(default)]
    pub condition: Option<SectorCondition>,
    /// A priority sector (Decree 45/2012 Art. 6 cl. 2).
    #[serde(default)]
    pub priority: bool,
    /// Legal basis.
    pub citation: Citation,
    /// How sure we are.
    pub confidence: Confidence,
}

/// A paper the applicant prepares next (domain file §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paper {
    /// Stable id, e.g. `C4`.
    pub id: String,
    /// Vietnamese name.
    pub label_vi: String,
    /// English name.
    pub label_en: String,
    /// Lines it is needed for; empty means every line.
    #[serde(default)]
    pub lines: Vec<Line>,
    /// Only for enterprises (e.g. the SME size declaration).
    #[serde(default)]
    pub enterprises_only: bool,
    /// Legal basis.
    pub citation: Citation,
    /// How sure we are.
    pub confidence: Confidence,
}

/// The whole rule pack: national parameters, provincial layers, units, sectors, papers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulePack {
    /// `PACK_ID`: newest effective date + content hash, e.g. `2026-01-01.5d41402abc4b`.
    pub id: String,
    /// National parameters by id.
    pub params: BTreeMap<ParamId, Param>,
    /// Provincial (local fund) layers.
    pub layers: Vec<Layer>,
    /// The 34 provinces, sorted by code.
    pub provinces: Vec<Province>,
    /// The 3,321 communes, sorted by code (binary formats store them as columns).
    #[serde(with = "crate::commune_table")]
    pub communes: Vec<Commune>,
    /// The sector list.
    pub sectors: Vec<Sector>,
    /// Papers to prepare.
    pub papers: Vec<Paper>,
    /// The pack resolved per period and the texts that follow from it alone, filled on first
    /// use (never serialised; a clone starts empty).
    #[serde(skip)]
    pub(crate) resolved: crate::resolved::Resolved,
}

impl RulePack {
    /// A pack from its parts (the id is the caller's: `kc-rulepack`'s build computes it).
    pub fn new(
        id: String,
        params: BTreeMap<ParamId, Param>,
        layers: Vec<Layer>,
        provinces: Vec<Province>,
        communes: Vec<Commune>,
        sectors: Vec<Sector>,
        papers: Vec<Paper>,
    ) -> RulePack {
        RulePack { id, params, layers, provinces, communes, sectors, papers, resolved: Default::default() }
    }

    /// A national parameter by id.
    pub fn param(&self, id: ParamId) -> Option<&Param> {
        self.params.get(&id)
    }

    /// A commune by code.
    pub fn commune(&self, code: u32) -> Option<&Commune> {
        self.communes.binary_search_by_key(&code, |c| c.code).ok().map(|i| &self.communes[i])
    }

    /// A province by code.
    pub fn province(&self, code: u16) -> Option<&Province> {
        self.provinces.binary_search_by_key(&code, |p| p.code).ok().map(|i| &self.provinces[i])
    }

    /// A sector by id.
    pub fn sector(&self, id: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.id == id)
    }

    /// The Vietnamese name of a former province (`tien_giang` → `Tiền Giang`); a province
    /// that was not merged is its own former province. Falls back to the codename.
    pub fn former_name<'a>(&'a self, codename: &'a str) -> &'a str {
        let merged = self.provinces.iter().flat_map(|p| &p.formed_from).find(|f| f.codename == codename);
        let unchanged = || self.provinces.iter().find(|p| p.formed_from.is_empty() && p.codename == codename);
        merged.map(|f| f.name.as_str()).or_else(|| unchanged().map(|p| p.name.as_str())).unwrap_or(codename)
    }

    /// The provincial layers of a province (all former provinces included).
    pub fn layers_of(&self, province_code: u16) -> impl Iterator<Item = &Layer> {
        self.layers.iter().filter(move |l| l.province_code == province_code)
    }

    /// The newest effective date of any value in the pack.
    pub fn newest_date(&self) -> Option<Date> {
        let national = self.params.values().flat_map(|p| &p.values);
        let local = self.layers.iter().flat_map(|l| &l.params).flat_map(|p| &p.values);
        national.chain(local).map(|v| v.from).max()
    }

    /// Bilingual label of a parameter: the pack's, else the vocabulary's.
    pub fn label(&self, id: ParamId) -> Text {
        match self.param(id) {
            Some(p) => Text::new(p.label_vi.clone(), p.label_en.clone()),
            None => Text::new(id.label_vi(), id.label_en()),
        }
    }

    /// The layer with this id.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }
}

/// A rule pack id in words for people: `2026-02-01.5e1278a4904b` (the pack's newest effective
/// date and a hash of its content) reads `cập nhật đến 01/02/2026 · 5e1278a4`. An id of another
/// form is shown as it is.
pub fn pack_label(id: &str) -> Text {
    let date = id.get(..10).and_then(crate::iso_date::parse);
    let hash = id.get(11..).filter(|h| !h.is_empty() && matches!(id.as_bytes().get(10), Some(b'.' | b'+')));
    match (date, hash) {
        (Some(d), Some(hash)) => {
            let short = hash.get(..8).unwrap_or(hash);
            Text::new(
                format!("cập nhật đến {} · {short}", crate::iso_date::vi(d)),
                format!("updated to {} · {short}", crate::iso_date::format(d)),
            )
        }
        _ => Text::new(id.to_owned(), id.to_owned()),
    }
}

#[cfg(test)]
mod label_tests {
    use super::pack_label;

    #[test]
    fn a_pack_id_reads_as_its_date_and_a_short_hash() {
        let t = pack_label("2026-02-01.5e1278a4904b");
        assert_eq!((&*t.vi, &*t.en), ("cập nhật đến 01/02/2026 · 5e1278a4", "updated to 2026-02-01 · 5e1278a4"));
        assert_eq!(&*pack_label("2025-07-01+abc").vi, "cập nhật đến 01/07/2025 · abc");
        for other in ["p", "2099-01-01", "2099-01-01.", "2025-13-01.abc", "moi"] {
            assert_eq!(&*pack_label(other).vi, other);
        }
    }
}
