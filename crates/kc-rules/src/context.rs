//! What every step of the calculation reads: the pack on the date, the answers, and what the
//! answers resolve to (commune, province, former province, location test, local layer).
//!
//! `evaluate` builds one [`Ctx`]; the criteria, amounts, questions and hints read it and
//! depend on nothing else of `evaluate`.

use time::Date;

use crate::pack::{Commune, Layer, Province, Sector};
use crate::params::Params;
use crate::{Application, CriterionId, CriterionResult, Line, ParamId, RulePack, RulesError, Status, Text, Used};

/// The requested lines, in the order asked (at most one of each: [`Application::check`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lines {
    items: [Line; 7],
    len: usize,
}

impl Lines {
    pub(crate) fn of(app: &Application) -> Lines {
        let mut items = [Line::Machinery; 7];
        let mut len = 0;
        for r in app.lines.iter().take(items.len()) {
            items[len] = r.line;
            len += 1;
        }
        Lines { items, len }
    }

    #[inline]
    pub(crate) fn as_slice(&self) -> &[Line] {
        &self.items[..self.len]
    }

    #[inline]
    pub(crate) fn iter(&self) -> impl Iterator<Item = Line> + '_ {
        self.as_slice().iter().copied()
    }

    #[inline]
    pub(crate) fn contains(&self, line: Line) -> bool {
        self.as_slice().contains(&line)
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Everything the criteria and amounts read.
pub(crate) struct Ctx<'a> {
    /// The pack (it lives for the program: decisions borrow its words).
    pub(crate) pack: &'static RulePack,
    /// Parameter look-ups on `as_of`.
    pub(crate) p: Params,
    /// The answers.
    pub(crate) app: &'a Application,
    /// The date the rules are taken at.
    pub(crate) as_of: Date,
    /// Requested lines, in the order asked.
    pub(crate) lines: Lines,
    /// The commune of production, if answered.
    pub(crate) commune: Option<&'static Commune>,
    /// Its province.
    pub(crate) province: Option<&'static Province>,
    /// The sector answered, as the pack lists it (looked up once).
    pub(crate) sector: Option<&'static Sector>,
    /// `location.test` on `as_of` (`"2012"` or `"2025"`).
    pub(crate) location_test: &'static Used<&'static str>,
    /// A priority area or sector fact holds (TTLT 26/2014 Art. 6 cl. 2 point t: priority
    /// programmes, areas and sectors), which lets a dated priority multiplier apply.
    pub(crate) priority: bool,
    /// The provincial layer of the local fund, once chosen ([`local_layer`]).
    pub(crate) layer: Option<&'static Layer>,
}

impl Ctx<'_> {
    /// The 2025 location test (Decree 235/2025) is in force.
    pub(crate) fn test_2025(&self) -> bool {
        self.location_test.value == "2025"
    }

    /// The first date of `id`'s first value that is `word` (`location.test` = `"2025"`:
    /// 2025-10-15), for texts that name the date a rule changed.
    pub(crate) fn switch_date(&self, id: ParamId, word: &str) -> Option<Date> {
        self.pack.param(id)?.values.iter().find(|v| v.value.trim() == word).map(|v| v.from)
    }

    /// The reform date in Vietnamese (`15/10/2025`), from the pack's `location.test`.
    pub(crate) fn reform_vi(&self) -> String {
        self.switch_date(ParamId::LocationTest, "2025").map(crate::iso_date::vi).unwrap_or_default()
    }

    /// A ward (phường) of a centrally-run city.
    pub(crate) fn city_ward(&self) -> bool {
        self.commune.is_some_and(|c| c.kind == crate::CommuneKind::Phuong)
            && self.province.is_some_and(|p| p.kind == crate::ProvinceKind::ThanhPhoTrucThuocTrungUong)
    }
}

/// A decision's criteria, found by id without a search.
#[derive(Clone, Copy)]
pub(crate) struct Criteria<'c> {
    all: &'c [CriterionResult],
    /// The position of each id in `all` (`u8::MAX`: not there).
    at: [u8; CriterionId::COUNT],
}

impl<'c> Criteria<'c> {
    pub(crate) fn of(all: &'c [CriterionResult]) -> Criteria<'c> {
        let mut at = [u8::MAX; CriterionId::COUNT];
        // Backwards: the first of an id wins, as a search would find it.
        for (i, c) in all.iter().enumerate().rev() {
            at[c.id as usize] = u8::try_from(i).unwrap_or(u8::MAX);
        }
        Criteria { all, at }
    }

    /// The criterion `id`, if it applies.
    pub(crate) fn get(&self, id: CriterionId) -> Option<&'c CriterionResult> {
        self.all.get(usize::from(self.at[id as usize]))
    }

    /// Its status.
    pub(crate) fn status(&self, id: CriterionId) -> Option<Status> {
        self.get(id).map(|c| c.status)
    }
}

/// Whether a criterion applies to `line` (an empty `lines` list means every requested line).
pub(crate) fn applies_to(c: &CriterionResult, line: Line) -> bool {
    c.lines.is_empty() || c.lines.contains(&line)
}

/// A line's status: not met if any criterion that applies is not met; else unknown if any is
/// unknown; else met.
pub(crate) fn line_status(crits: &[CriterionResult], line: Line) -> Status {
    let mut status = Status::Met;
    for c in crits.iter().filter(|c| applies_to(c, line)) {
        match c.status {
            Status::NotMet => return Status::NotMet,
            Status::Unknown => status = Status::Unknown,
            Status::Met => {}
        }
    }
    status
}

/// Which provincial layer the local fund uses.
pub(crate) enum Local {
    /// This layer.
    Layer(&'static Layer),
    /// No layer: the reason, shown as the local result's note.
    None(Text),
    /// A merged province with former-province layers and no way to tell the former province.
    AskFormer(Text),
}

/// Picks the local layer: a whole-province layer in force wins (the newest); otherwise the
/// layer of the commune's former province (the pack carries it; the answer is only a fallback
/// for a commune the pack has none for).
pub(crate) fn local_layer(ctx: &Ctx<'_>) -> Result<Local, RulesError> {
    let Some(p) = ctx.province else {
        return Ok(Local::None(Text::fixed(
            "Chưa biết tỉnh, thành phố: chọn xã, phường, đặc khu nơi sản xuất để xem mức hỗ trợ của địa phương.",
            "The province is not known yet: choose the commune of production to see the local levels.",
        )));
    };
    let mut whole: Option<&'static Layer> = None;
    let mut any = false;
    let former = ctx.commune.and_then(|c| c.former_province.as_deref());
    let former = former.or(ctx.app.location.former_province.as_deref());
    let mut of_former = None;
    for l in ctx.pack.layers_of(p.code) {
        if !ctx.p.layer_in_force(l)? {
            continue;
        }
        any = true;
        match &l.former_province {
            None => {
                if whole.is_none_or(|w| ctx.p.layer_from(l) > ctx.p.layer_from(w)) {
                    whole = Some(l);
                }
            }
            Some(f) if Some(f.as_str()) == former => of_former = of_former.or(Some(l)),
            Some(_) => {}
        }
    }
    if let Some(l) = whole.or(of_former) {
        return Ok(Local::Layer(l));
    }
    if any && former.is_none() {
        return Ok(Local::AskFormer(Text::new(
            format!(
                "{} được hợp nhất từ nhiều tỉnh; mỗi tỉnh cũ có thể còn áp dụng nghị quyết riêng: cho biết nơi sản xuất thuộc tỉnh cũ nào.",
                p.name
            ),
            format!(
                "{} was merged from several provinces that may keep their own resolutions: say which former province the place was in.",
                p.name
            ),
        )));
    }
    Ok(Local::None(Text::new(
        format!(
            "Mức hỗ trợ từ ngân sách địa phương do HĐND {} quyết định; gói quy tắc chưa có nghị quyết của tỉnh cho địa bàn này.",
            p.name
        ),
        format!(
            "Local-fund levels are set by the People's Council of {}; the pack has no resolution of it for this area.",
            p.name
        ),
    )))
}
