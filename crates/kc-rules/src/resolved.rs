//! The pack resolved for a date, once per pack and period (issue 11).
//!
//! A pack's values change only on the dates some value starts (its breakpoints). The first
//! evaluation on a pack cuts its timeline at those dates into [`Period`]s, each holding the
//! national value in force per parameter (an array indexed by [`ParamId`]), so a look-up is
//! an index instead of a map search and a scan of the dated values. Texts with figures that
//! follow from the pack alone (a priority fact's threshold, a cap hint) are written once per
//! period into memo slots and borrowed by every decision after.
//!
//! The cache lives in the pack ([`RulePack`]'s skipped field, a `OnceLock`): no global state,
//! no I/O; it is filled only through `&'static RulePack`, so what it borrows cannot move.
//! A slot keeps the key it was written for and is used only when the key matches: a text
//! from the cache is always the text the same figures would build.

use std::borrow::Cow;
use std::sync::OnceLock;

use time::Date;

use crate::pack::{Param, Value};
use crate::{Line, ParamId, RulePack, Text};

/// The per-pack cache ([`RulePack`]'s `resolved` field). Empty until first used; a clone of
/// a pack starts empty (the copy may be changed before it is used).
#[derive(Default)]
pub(crate) struct Resolved {
    periods: OnceLock<Box<[Period]>>,
    /// The "in the sector list" reason of each sector of the pack, by position.
    sectors: OnceLock<Box<[Slot<()>]>>,
    /// The texts of each commune of the pack, by position (written on its first use).
    places: OnceLock<Box<[OnceLock<Box<Place>>]>>,
}

/// The texts of a commune under the 2025 location test that follow from the pack alone.
pub(crate) struct Place {
    /// `Xã Mỹ Hiệp, Đồng Tháp`, the value compared.
    pub(crate) unit: String,
    /// Why it meets the test, unless a craft village decides (a ward of a centrally-run city).
    pub(crate) met: Option<Text>,
}

impl Clone for Resolved {
    fn clone(&self) -> Resolved {
        Resolved::default()
    }
}

impl PartialEq for Resolved {
    fn eq(&self, _: &Resolved) -> bool {
        true
    }
}

impl Eq for Resolved {}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Resolved")
    }
}

/// A national parameter on a period: the parameter (absent from the pack: `None`) and its
/// value in force (none yet: `None`).
pub(crate) type National = (Option<&'static Param>, Option<&'static Value>);

/// The pack between two breakpoints.
pub(crate) struct Period {
    /// First day of the period (`Date::MIN` for the time before any value).
    from: Date,
    /// National parameters, by `ParamId as usize`.
    national: [National; ParamId::COUNT],
    /// Texts of this period.
    pub(crate) texts: Texts,
}

/// Memo slots of the texts of one period.
#[derive(Default)]
pub(crate) struct Texts {
    /// The local-materials priority fact (its threshold).
    pub(crate) local_materials: Slot<u32>,
    /// The labour-intensive priority fact (its threshold).
    pub(crate) labour_intensive: Slot<u32>,
    /// The technology-line cap hint (`(factor, line cap)` in đồng).
    pub(crate) technology_line_cap: Slot<(crate::Decimal, crate::Vnd)>,
    /// The cap hints, by [`cap_slot`] (source × line × priority).
    cap_binds: OnceLock<Box<[Slot<(crate::Vnd, crate::Vnd)>]>>,
}

/// One memoised text and the key it was written for.
pub(crate) struct Slot<K>(OnceLock<(K, Text)>);

impl<K> Default for Slot<K> {
    fn default() -> Slot<K> {
        Slot(OnceLock::new())
    }
}

impl<K: PartialEq> Slot<K> {
    /// The text for `key`: borrowed from the slot when it holds that key; else `make()`,
    /// kept when the slot is still empty.
    pub(crate) fn text(&'static self, key: K, make: impl FnOnce() -> Text) -> Text {
        if let Some((k, t)) = self.0.get() {
            return if *k == key { borrowed(t) } else { make() };
        }
        match self.0.set((key, make())) {
            Ok(()) => self.0.get().map_or_else(|| Text::fixed("", ""), |(_, t)| borrowed(t)),
            Err((_, t)) => t,
        }
    }
}

fn borrowed(t: &'static Text) -> Text {
    t.borrowed()
}

impl Text {
    /// The same text, borrowing a text that lives for the program (no copy).
    pub(crate) fn borrowed(&'static self) -> Text {
        Text { vi: Cow::Borrowed(&self.vi), en: Cow::Borrowed(&self.en) }
    }
}

impl Resolved {
    /// The period of `pack` that holds `date`.
    pub(crate) fn period(pack: &'static RulePack, date: Date) -> &'static Period {
        let periods = pack.resolved.periods.get_or_init(|| periods(pack));
        let i = periods.partition_point(|p| p.from <= date);
        // `periods[0]` starts at `Date::MIN`, so `i >= 1`.
        &periods[i.saturating_sub(1)]
    }

    /// The memo slot of the reason of sector number `index` of `pack`.
    pub(crate) fn sector(pack: &'static RulePack, index: usize) -> Option<&'static Slot<()>> {
        pack.resolved.sectors.get_or_init(|| pack.sectors.iter().map(|_| Slot::default()).collect()).get(index)
    }
}

impl Resolved {
    /// The memoised texts of the commune `code` of `pack` (`make` writes them on first use).
    pub(crate) fn place(pack: &'static RulePack, code: u32, make: impl FnOnce() -> Place) -> Option<&'static Place> {
        let slots = pack.resolved.places.get_or_init(|| pack.communes.iter().map(|_| OnceLock::new()).collect());
        let i = pack.communes.binary_search_by_key(&code, |c| c.code).ok()?;
        Some(&**slots.get(i)?.get_or_init(|| Box::new(make())))
    }
}

impl Period {
    /// The national parameter `id` in this period.
    pub(crate) fn national(&self, id: ParamId) -> National {
        self.national[id as usize]
    }

    /// The memo slot of the cap hint of `line` from `source` (`None`: national, else the
    /// position of the layer in the pack) with or without a priority fact.
    pub(crate) fn cap_binds(
        &'static self,
        pack: &'static RulePack,
        source: Option<usize>,
        line: Line,
        priority: bool,
    ) -> Option<&'static Slot<(crate::Vnd, crate::Vnd)>> {
        let slots = self
            .texts
            .cap_binds
            .get_or_init(|| (0..(pack.layers.len() + 1) * Line::COUNT * 2).map(|_| Slot::default()).collect());
        let source = source.map_or(0, |i| i + 1);
        slots.get((source * Line::COUNT + line as usize) * 2 + usize::from(priority))
    }
}

/// Cuts the pack's timeline at every date a value (national or of a layer) or a sector starts.
fn periods(pack: &'static RulePack) -> Box<[Period]> {
    let national = pack.params.values().flat_map(|p| &p.values).map(|v| v.from);
    let local = pack.layers.iter().flat_map(|l| &l.params).flat_map(|p| &p.values).map(|v| v.from);
    let mut dates: Vec<Date> = std::iter::once(Date::MIN).chain(national).chain(local).collect();
    dates.extend(pack.sectors.iter().map(|s| s.from));
    dates.sort_unstable();
    dates.dedup();
    dates
        .into_iter()
        .map(|from| {
            let mut national: [National; ParamId::COUNT] = [(None, None); ParamId::COUNT];
            for (slot, id) in national.iter_mut().zip(ParamId::ALL) {
                let param = pack.param(id);
                *slot = (param, param.and_then(|p| p.at(from)));
            }
            Period { from, national, texts: Texts::default() }
        })
        .collect()
}
