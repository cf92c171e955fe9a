//! The pack resolved for a date, once per pack and period (issue 11).
//!
//! A pack's values change only on the dates some value starts (its breakpoints). The first
//! evaluation on a pack cuts its timeline at those dates into [`Period`]s, each holding the
//! national value in force per parameter (an array indexed by [`ParamId`]), so a look-up is
//! an index instead of a map search and a scan of the dated values. What follows from the
//! pack alone is made once and borrowed by every decision after: per period, the checked
//! location test, the conditions' switches, the priority facts and the cap hints; per pack,
//! each commune's and sector's comparison and reason, and the papers of each set of lines.
//!
//! The cache lives in the pack ([`RulePack`]'s skipped field, a `OnceLock`): no global state,
//! no I/O; it is filled only through `&'static RulePack`, so what it borrows cannot move.
//! A keyed [`Slot`] keeps the key it was written for and is used only when the key matches: a
//! text from the cache is always the text the same figures would build.

use std::borrow::Cow;
use std::sync::OnceLock;

use time::Date;

use crate::pack::{Commune, Param, Sector, Typed, Value};
use crate::{Comparison, Decimal, Line, PaperRef, ParamId, RulePack, RulesError, Text, Used};

/// The per-pack cache ([`RulePack`]'s `resolved` field). Empty until first used; a clone of
/// a pack starts empty (the copy may be changed before it is used).
///
/// Few distinct cell types on purpose: each is code in the widget's WebAssembly.
#[derive(Default)]
pub(crate) struct Resolved {
    periods: OnceLock<Box<[Period]>>,
    /// Each sector's reason when it is in the list, and its answer compared, by position.
    sectors: Cells<(Text, Comparison)>,
    /// Each commune's answer compared (`Xã Mỹ Hiệp, Đồng Tháp`), by position.
    units: Cells<Comparison>,
    /// Why each commune meets the 2025 location test, by position (not for a ward of a
    /// centrally-run city: a craft village decides).
    places: Cells<Text>,
    /// The papers to prepare, by [`paper_set`].
    papers: Cells<[PaperRef]>,
}

/// `n` values, each made on first use and borrowed after (boxed: an empty cell is two
/// words, and a pack has cells per commune).
pub(crate) struct Cells<T: ?Sized>(OnceLock<Box<[OnceLock<Box<T>>]>>);

impl<T: ?Sized> Default for Cells<T> {
    fn default() -> Cells<T> {
        Cells(OnceLock::new())
    }
}

impl<T: ?Sized> Cells<T> {
    /// Value `i` of `n`, made by `make` the first time; `None` when `i` is out of range.
    fn get(&'static self, n: usize, i: usize, make: impl FnOnce() -> Box<T>) -> Option<&'static T> {
        let cells = self.0.get_or_init(|| (0..n).map(|_| OnceLock::new()).collect());
        Some(&**cells.get(i)?.get_or_init(make))
    }
}

/// The position of `item` in `all` (an element of it, by address: no search).
pub(crate) fn position<T>(all: &'static [T], item: &'static T) -> Option<usize> {
    let offset = (item as *const T as usize).checked_sub(all.as_ptr() as usize)?;
    let i = offset / std::mem::size_of::<T>().max(1);
    all.get(i).filter(|x| std::ptr::eq(*x, item)).map(|_| i)
}

/// The index of a set of papers: the requested lines as bits, and whether the subject is an
/// enterprise (the only answers that choose papers).
fn paper_set(lines: u32, enterprise: bool) -> usize {
    (lines as usize) << 1 | usize::from(enterprise)
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
/// value in force (none yet: `None`), parsed as the parameter's kind (`None`: it does not
/// parse).
pub(crate) type National = (Option<&'static Param>, Option<(&'static Value, Option<Typed>)>);

/// The pack between two breakpoints.
pub(crate) struct Period {
    /// First day of the period (`Date::MIN` for the time before any value).
    from: Date,
    /// National parameters, by `ParamId as usize`.
    national: [National; ParamId::COUNT],
    /// Texts of this period.
    pub(crate) texts: Texts,
    /// `location.test` in force, checked with `rounding.mode` ([`crate::evaluate`]).
    pub(crate) location_test: OnceLock<Result<Used<&'static str>, RulesError>>,
}

/// Memo slots of the texts of one period.
#[derive(Default)]
pub(crate) struct Texts {
    /// The priority facts, statuses aside.
    pub(crate) priorities: OnceLock<Result<crate::priorities::Facts, RulesError>>,
    /// The request conditions' switches.
    pub(crate) conditions: OnceLock<Result<crate::criteria::Switches, RulesError>>,
    /// The technology-line cap hint (key: the factor and the line cap in đồng).
    pub(crate) technology_line_cap: Slot,
    /// The cap hints, by source × line × priority (key: the binding cost and the cap).
    cap_binds: Slots,
}

/// What a memoised text was written for: the figures in it, exactly (a decimal by its
/// representation: equal keys print the same).
pub(crate) type Key = (u128, u128);

/// One memoised text and the key it was written for (boxed: an empty slot is two words, and
/// a pack has a slot per commune).
#[derive(Default)]
pub(crate) struct Slot(OnceLock<Box<(Key, Text)>>);

/// Slots made on first use, `n` of them.
#[derive(Default)]
pub(crate) struct Slots(OnceLock<Box<[Slot]>>);

impl Slots {
    fn get(&'static self, n: usize, i: usize) -> Option<&'static Slot> {
        self.0.get_or_init(|| (0..n).map(|_| Slot::default()).collect()).get(i)
    }
}

impl Slot {
    /// The text for `key`: borrowed from the slot when it holds that key; else `make()`,
    /// kept when the slot is still empty.
    /// (`make` is a trait object: one copy of this code in the widget, not one per text.)
    pub(crate) fn text(&'static self, key: Key, make: &dyn Fn() -> Text) -> Text {
        if let Some(kt) = self.0.get() {
            return if kt.0 == key { kt.1.borrowed() } else { make() };
        }
        match self.0.set(Box::new((key, make()))) {
            Ok(()) => self.0.get().map_or_else(|| Text::fixed("", ""), |kt| kt.1.borrowed()),
            Err(kt) => kt.1,
        }
    }
}

/// The value kept in `memo`, made by `make` the first time. An error is kept like a value: it
/// follows from the pack alone, so it would only recur.
pub(crate) fn kept<T>(
    memo: &'static OnceLock<Result<T, RulesError>>,
    make: impl FnOnce() -> Result<T, RulesError>,
) -> Result<&'static T, RulesError> {
    memo.get_or_init(make).as_ref().map_err(RulesError::clone)
}

/// A decimal as a key part.
pub(crate) fn decimal_key(d: Decimal) -> u128 {
    u128::from_le_bytes(d.serialize())
}

impl Text {
    /// The same text, borrowing a text that lives for the program (no copy).
    pub(crate) fn borrowed(&'static self) -> Text {
        Text { vi: Cow::Borrowed(&self.vi), en: Cow::Borrowed(&self.en) }
    }
}

impl Comparison {
    /// The same comparison, borrowing one that lives for the program (no copy).
    pub(crate) fn borrowed(&'static self) -> Comparison {
        let b = |s: &'static Cow<'static, str>| Cow::Borrowed(&**s);
        Comparison { what: b(&self.what), actual: b(&self.actual), op: b(&self.op), limit: b(&self.limit) }
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

    /// The papers of `pack` to prepare for the requested `lines` (bit `1 << line`) and
    /// subject, made by `make` the first time.
    pub(crate) fn papers(
        pack: &'static RulePack,
        lines: u32,
        enterprise: bool,
        make: impl FnOnce() -> Box<[PaperRef]>,
    ) -> Cow<'static, [PaperRef]> {
        let (n, i) = (paper_set((1 << Line::COUNT) - 1, true) + 1, paper_set(lines, enterprise));
        if i >= n {
            return Cow::Owned(make().into_vec());
        }
        pack.resolved.papers.get(n, i, make).map_or(Cow::Borrowed(&[]), Cow::Borrowed)
    }

    /// Sector `s` of `pack`: its reason when in the list and its answer compared, made by
    /// `make` the first time (`None`: not a sector of the pack).
    pub(crate) fn sector(
        pack: &'static RulePack,
        s: &'static Sector,
        make: impl FnOnce() -> (Text, Comparison),
    ) -> Option<&'static (Text, Comparison)> {
        pack.resolved.sectors.get(pack.sectors.len(), position(&pack.sectors, s)?, || Box::new(make()))
    }

    /// Commune `c` of `pack` as a comparison shows it, made by `make` the first time.
    pub(crate) fn unit(
        pack: &'static RulePack,
        c: &'static Commune,
        make: impl FnOnce() -> Comparison,
    ) -> Option<&'static Comparison> {
        pack.resolved.units.get(pack.communes.len(), position(&pack.communes, c)?, || Box::new(make()))
    }

    /// Why commune `c` of `pack` meets the 2025 location test, made by `make` the first time.
    pub(crate) fn place(
        pack: &'static RulePack,
        c: &'static Commune,
        make: impl FnOnce() -> Text,
    ) -> Option<&'static Text> {
        pack.resolved.places.get(pack.communes.len(), position(&pack.communes, c)?, || Box::new(make()))
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
    ) -> Option<&'static Slot> {
        let source = source.map_or(0, |i| i + 1);
        let n = (pack.layers.len() + 1) * Line::COUNT * 2;
        self.texts.cap_binds.get(n, (source * Line::COUNT + line as usize) * 2 + usize::from(priority))
    }
}

/// Cuts the pack's timeline at every date a value (national or of a layer) or a sector starts.
fn periods(pack: &'static RulePack) -> Box<[Period]> {
    // Sorted and unique as they come (a few dozen dates: no sort code in the widget).
    let mut dates = vec![Date::MIN];
    let mut add = |d: Date| {
        let i = dates.partition_point(|x| *x < d);
        if dates.get(i) != Some(&d) {
            dates.insert(i, d);
        }
    };
    for p in pack.params.values().chain(pack.layers.iter().flat_map(|l| &l.params)) {
        for v in &p.values {
            add(v.from);
        }
    }
    for s in &pack.sectors {
        add(s.from);
    }
    let mut out = Vec::with_capacity(dates.len());
    for from in dates {
        let mut national: [National; ParamId::COUNT] = [(None, None); ParamId::COUNT];
        for (slot, id) in national.iter_mut().zip(ParamId::ALL) {
            let param = pack.param(id);
            *slot = (param, param.and_then(|p| p.at(from).map(|v| (v, v.typed(p.kind)))));
        }
        out.push(Period { from, national, texts: Texts::default(), location_test: OnceLock::new() });
    }
    out.into_boxed_slice()
}
