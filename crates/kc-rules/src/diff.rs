//! What changed between two rule packs: every dated value added, changed or removed (national
//! and per provincial layer), layers that start or end, and the sectors, papers, provinces and
//! communes that differ; and [`impact`], what a candidate pack does to one application's
//! decision. Pure data in, data out; `kc pack diff` and `kc-server impact` render them.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use crate::pack::{Citation, Commune, Kind, Layer, Paper, Param, Province, Sector, Value};
use crate::{Confidence, Decision, Fund, Line, Outcome, ParamId, RulePack, Status, SupportResult, Text, Vnd};

/// Whether an entry is new, different, or gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new pack.
    Added,
    /// In both, different.
    Changed,
    /// Only in the old pack.
    Removed,
}

/// One dated value as the diff shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedValue<'a> {
    /// The value text (`"300000000"`, `"0.5"`, a word).
    pub value: &'a str,
    /// Its legal basis.
    pub citation: &'a Citation,
    /// How sure we are.
    pub confidence: Confidence,
}

impl<'a> From<&'a Value> for DatedValue<'a> {
    fn from(v: &'a Value) -> Self {
        DatedValue { value: &v.value, citation: &v.citation, confidence: v.confidence }
    }
}

/// A value of a parameter, in force from `from`, that differs between the packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueChange<'a> {
    /// Added, changed or removed.
    pub kind: ChangeKind,
    /// `None` for a national parameter, else the provincial layer's id.
    pub layer: Option<&'a str>,
    /// The layer's display name, when there is one.
    pub layer_name: Option<&'a str>,
    /// The province code of the layer.
    pub province_code: Option<u16>,
    /// Parameter id, e.g. `machinery.cap`.
    pub param: &'a str,
    /// Its label in both languages.
    pub label: Text,
    /// What its value strings hold.
    pub value_kind: Kind,
    /// The effective date of the value.
    pub from: Date,
    /// The value in the old pack.
    pub old: Option<DatedValue<'a>>,
    /// The value in the new pack.
    pub new: Option<DatedValue<'a>>,
    /// The value in force just before `from` in the new pack, for an added value (what it
    /// replaces from that date).
    pub replaces: Option<DatedValue<'a>>,
    /// This value switches a provincial layer off (`layer.in_force = false`).
    pub ends_layer: bool,
}

/// An entry of one of the pack's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Entry<'a> {
    /// A sector of the list.
    Sector(&'a Sector),
    /// A paper to prepare.
    Paper(&'a Paper),
    /// A province.
    Province(&'a Province),
    /// A commune.
    Commune(&'a Commune),
}

/// A keyed entry of a table (sector, paper, province, commune) that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryChange<'a> {
    /// Added, changed or removed.
    pub kind: ChangeKind,
    /// Which table: `sector`, `paper`, `province`, `commune`.
    pub table: &'static str,
    /// The entry's key (sector id, paper id, GSO code).
    pub key: String,
    /// Its name in Vietnamese (new pack's, else old's).
    pub name: &'a str,
    /// The old entry, when there is one.
    pub old: Option<Entry<'a>>,
    /// The new entry, when there is one.
    pub new: Option<Entry<'a>>,
}

/// Everything that differs between two packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackDiff<'a> {
    /// The old pack's id.
    pub old_pack: &'a str,
    /// The new pack's id.
    pub new_pack: &'a str,
    /// Provincial layers only in the new pack (their values are listed as added).
    pub layers_added: Vec<&'a str>,
    /// Provincial layers only in the old pack (their values are listed as removed).
    pub layers_removed: Vec<&'a str>,
    /// Dated values, national first, then by layer, parameter and date.
    pub values: Vec<ValueChange<'a>>,
    /// Sectors, papers, provinces and communes.
    pub entries: Vec<EntryChange<'a>>,
}

impl PackDiff<'_> {
    /// No difference at all (the ids may still differ).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.entries.is_empty()
            && self.layers_added.is_empty()
            && self.layers_removed.is_empty()
    }
}

/// Compares two packs.
pub fn diff<'a>(old: &'a RulePack, new: &'a RulePack) -> PackDiff<'a> {
    let mut values = Vec::new();
    params(&mut values, None, old.params.values(), new.params.values(), new);

    let old_layers: BTreeMap<&str, &Layer> = old.layers.iter().map(|l| (l.id.as_str(), l)).collect();
    let new_layers: BTreeMap<&str, &Layer> = new.layers.iter().map(|l| (l.id.as_str(), l)).collect();
    let mut layer_ids: Vec<&str> = old_layers.keys().chain(new_layers.keys()).copied().collect();
    layer_ids.sort_unstable();
    layer_ids.dedup();
    for id in &layer_ids {
        let (o, n) = (old_layers.get(id).copied(), new_layers.get(id).copied());
        let layer = n.or(o).expect("the id came from one of the maps");
        let scope = Some(layer);
        params(&mut values, scope, o.into_iter().flat_map(|l| &l.params), n.into_iter().flat_map(|l| &l.params), new);
    }

    let mut entries = Vec::new();
    table(&mut entries, "sector", &old.sectors, &new.sectors, |s| (s.id.clone(), &s.label_vi, Entry::Sector(s)));
    table(&mut entries, "paper", &old.papers, &new.papers, |p| (p.id.clone(), &p.label_vi, Entry::Paper(p)));
    table(&mut entries, "province", &old.provinces, &new.provinces, |p| {
        (format!("{:05}", p.code), &p.name, Entry::Province(p))
    });
    table(&mut entries, "commune", &old.communes, &new.communes, |c| {
        (format!("{:05}", c.code), &c.name, Entry::Commune(c))
    });

    PackDiff {
        old_pack: &old.id,
        new_pack: &new.id,
        layers_added: layer_ids.iter().copied().filter(|id| !old_layers.contains_key(id)).collect(),
        layers_removed: layer_ids.iter().copied().filter(|id| !new_layers.contains_key(id)).collect(),
        values,
        entries,
    }
}

/// The value changes of one scope (national, or one layer) between two parameter lists.
fn params<'a>(
    out: &mut Vec<ValueChange<'a>>,
    layer: Option<&'a Layer>,
    old: impl Iterator<Item = &'a Param>,
    new: impl Iterator<Item = &'a Param>,
    new_pack: &RulePack,
) {
    let old: BTreeMap<&'a str, &'a Param> = old.map(|p| (p.id.id(), p)).collect();
    let new: BTreeMap<&'a str, &'a Param> = new.map(|p| (p.id.id(), p)).collect();
    let mut ids: Vec<&str> = old.keys().chain(new.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let (o, n) = (old.get(id).copied(), new.get(id).copied());
        let label = match n.or(o) {
            Some(p) if !p.label_vi.is_empty() => Text::new(p.label_vi.clone(), p.label_en.clone()),
            _ => ParamId::from_id(id).map_or_else(|| Text::new(id.to_owned(), id.to_owned()), |p| new_pack.label(p)),
        };
        let mut dates: Vec<Date> = o.into_iter().chain(n).flat_map(|p| &p.values).map(|v| v.from).collect();
        dates.sort_unstable();
        dates.dedup();
        for from in dates {
            let at = |p: Option<&'a Param>| p.and_then(|p| p.values.iter().find(|v| v.from == from));
            let (ov, nv) = (at(o), at(n));
            let kind = match (ov, nv) {
                (Some(a), Some(b))
                    if a.value == b.value && a.citation == b.citation && a.confidence == b.confidence =>
                {
                    continue;
                }
                (Some(_), Some(_)) => ChangeKind::Changed,
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Removed,
                (None, None) => continue,
            };
            let replaces = match kind {
                ChangeKind::Added => {
                    n.and_then(|p| p.values.iter().rev().find(|v| v.from < from)).map(DatedValue::from)
                }
                _ => None,
            };
            out.push(ValueChange {
                kind,
                layer: layer.map(|l| l.id.as_str()),
                layer_name: layer.map(|l| l.name.as_str()),
                province_code: layer.map(|l| l.province_code),
                param: n.or(o).map_or(id, |p| p.id.as_str()),
                label: label.clone(),
                value_kind: n.or(o).map_or(Kind::Choice, |p| p.kind),
                from,
                old: ov.map(DatedValue::from),
                new: nv.map(DatedValue::from),
                replaces,
                ends_layer: layer.is_some() && id == "layer.in_force" && nv.is_some_and(|v| v.value == "false"),
            });
        }
    }
}

/// The entry changes of one keyed table. `entry` gives each row's key (sortable), name and
/// entry; GSO codes are zero-padded so they sort as numbers.
fn table<'a, T>(
    out: &mut Vec<EntryChange<'a>>,
    name: &'static str,
    old: &'a [T],
    new: &'a [T],
    entry: impl Fn(&'a T) -> (String, &'a String, Entry<'a>),
) {
    let old: BTreeMap<String, (&String, Entry)> = old.iter().map(&entry).map(|(k, n, e)| (k, (n, e))).collect();
    let new: BTreeMap<String, (&String, Entry)> = new.iter().map(&entry).map(|(k, n, e)| (k, (n, e))).collect();
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    for k in keys {
        let (o, n) = (old.get(k).copied(), new.get(k).copied());
        let kind = match (o, n) {
            (Some(a), Some(b)) if a.1 == b.1 => continue,
            (Some(_), Some(_)) => ChangeKind::Changed,
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
        };
        let label = n.or(o).expect("the key came from one of the maps").0;
        out.push(EntryChange {
            kind,
            table: name,
            key: k.trim_start_matches('0').to_owned(),
            name: label,
            old: o.map(|x| x.1),
            new: n.map(|x| x.1),
        });
    }
}

/// What a candidate pack does to one application: its outcome and each line's amount per
/// fund, before and after. Amounts are what the fund totals count (a line that is not met
/// counts nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// The outcome under the old pack.
    pub outcome_before: Outcome,
    /// The outcome under the candidate.
    pub outcome_after: Outcome,
    /// Every requested line and fund whose counted amount differs.
    pub lines: Vec<LineImpact>,
}

/// One line and fund whose amount a candidate changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineImpact {
    /// The line.
    pub line: Line,
    /// The fund.
    pub fund: Fund,
    /// Counted amount under the old pack.
    pub before: Option<Vnd>,
    /// Counted amount under the candidate.
    pub after: Option<Vnd>,
}

impl Impact {
    /// Whether anything the applicant would be told changes.
    pub fn changed(&self) -> bool {
        self.outcome_before != self.outcome_after || !self.lines.is_empty()
    }

    /// The change of one fund's total, in đồng (negative: less support).
    pub fn delta(&self, fund: Fund) -> Decimal {
        let v = |x: Option<Vnd>| x.map_or(Decimal::ZERO, Vnd::as_decimal);
        self.lines.iter().filter(|l| l.fund == fund).map(|l| v(l.after) - v(l.before)).sum()
    }
}

/// Compares the decisions of one application under two packs.
pub fn impact(before: &Decision, after: &Decision) -> Impact {
    let counted = |s: &SupportResult| if s.status == Status::NotMet { None } else { s.amount };
    let mut keys: Vec<(Line, Fund)> = before.support.iter().chain(&after.support).map(|s| (s.line, s.fund)).collect();
    keys.sort_unstable_by_key(|&(line, fund)| (line, fund == Fund::Local));
    keys.dedup();
    let find = |d: &Decision, (line, fund): (Line, Fund)| {
        d.support.iter().find(|s| s.line == line && s.fund == fund).and_then(counted)
    };
    let lines = keys
        .into_iter()
        .map(|k| LineImpact { line: k.0, fund: k.1, before: find(before, k), after: find(after, k) })
        .filter(|l| l.before != l.after)
        .collect();
    Impact { outcome_before: before.outcome, outcome_after: after.outcome, lines }
}
