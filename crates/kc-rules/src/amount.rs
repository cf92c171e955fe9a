//! Support amounts (docs/engine.md, "Amounts").
//!
//! `amount = round(min(rate × cost, cap × multiplier))`, with the rounding mode of the pack
//! (`rounding.mode`, whole đồng toward zero: the calculator's convention, not law). The
//! priority multiplier raises the **cap** only, so the support never exceeds the cost share.
//! Every figure carries the parameter it came from.

use std::borrow::Cow;

use rust_decimal::Decimal;
use time::Date;

use crate::context::Ctx;
use crate::pack::Layer;
use crate::params::Params;
use crate::text::{Piece, Piece::S, cat};
use crate::{
    Basis, Citation, Confidence, Fund, Line, ParamId, Rate, Reference, RulesError, Status, SupportResult, Text, Used,
    Vnd,
};

type R<T> = Result<T, RulesError>;

/// The figures of one capped computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Figures {
    /// The support, whole đồng.
    pub(crate) amount: Vnd,
    /// `rate × cost > cap × multiplier`.
    pub(crate) cap_applied: bool,
    /// The cost above which the cap binds (`cap × multiplier ÷ rate`, rounded up).
    pub(crate) cap_binds_above: Option<Vnd>,
    /// `cap × multiplier`, whole đồng toward zero.
    pub(crate) effective_cap: Vnd,
}

/// `min(rate × cost, cap × multiplier)`, rounded toward zero to whole đồng.
///
/// Pure and total: every input is in range by its type, and the result is at most `cap ×
/// multiplier` and at most `cost`.
pub(crate) fn capped(rate: Rate, cost: Vnd, cap: Vnd, multiplier: Decimal) -> Figures {
    capped_whole(rate, cost, cap, multiplier).unwrap_or_else(|| capped_decimal(rate, cost, cap, multiplier))
}

/// A non-negative decimal as `(mantissa, scale)` when it has at most 6 decimals (every rate
/// and factor of the pack has one or two).
fn small_parts(d: Decimal) -> Option<(u64, u32)> {
    (d.scale() <= 6).then(|| u64::try_from(d.mantissa()).ok()).flatten().map(|m| (m, d.scale()))
}

/// [`capped`] in whole numbers: `rate = m / 10^s`, so every comparison and quotient is an
/// exact integer one and the figures are the same as [`capped_decimal`]'s (tested below).
/// `None` (the decimal path decides) for more than 6 decimals or beyond 64 bits (64-bit
/// arithmetic is native in the widget's WebAssembly; 128-bit division is not).
fn capped_whole(rate: Rate, cost: Vnd, cap: Vnd, multiplier: Decimal) -> Option<Figures> {
    let (rm, rs) = small_parts(rate.fraction())?;
    let (mm, ms) = small_parts(multiplier)?;
    let max = crate::MAX_VND.unsigned_abs();
    let rpow = 10u64.pow(rs);
    let effective = (cap.to_u64().checked_mul(mm)? / 10u64.pow(ms)).min(max);
    let share = rm.checked_mul(cost.to_u64())?;
    let limit = effective.checked_mul(rpow)?;
    let cap_applied = share > limit;
    let amount = if cap_applied { effective } else { share / rpow };
    let cap_binds_above = if rm == 0 { None } else { Some(limit.div_ceil(rm)).filter(|q| *q <= max) };
    Some(Figures {
        amount: Vnd::whole_u64(amount)?,
        cap_applied,
        cap_binds_above: match cap_binds_above {
            Some(q) => Some(Vnd::whole_u64(q)?),
            None => None,
        },
        effective_cap: Vnd::whole_u64(effective)?,
    })
}

/// [`capped`] in decimals.
fn capped_decimal(rate: Rate, cost: Vnd, cap: Vnd, multiplier: Decimal) -> Figures {
    let effective = cap.as_decimal().checked_mul(multiplier).unwrap_or(Decimal::MAX);
    let effective_cap = Vnd::from_decimal_toward_zero(effective).unwrap_or(Vnd::from_const(crate::MAX_VND));
    let share = rate.of(cost);
    let cap_applied = share > effective_cap.as_decimal();
    let raw = if cap_applied { effective_cap.as_decimal() } else { share };
    let amount = Vnd::from_decimal_toward_zero(raw).unwrap_or(effective_cap);
    let cap_binds_above = if rate.fraction().is_zero() {
        None
    } else {
        effective_cap.as_decimal().checked_div(rate.fraction()).and_then(|d| Vnd::try_from(d.ceil()).ok())
    };
    Figures { amount, cap_applied, cap_binds_above, effective_cap }
}

/// A line's rate and cap from one source, each if known.
type RateCap = (Option<Used<Rate>>, Option<Used<Vnd>>);

/// Where the values of a line's support come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    /// The national parameters.
    National,
    /// A provincial layer in force.
    Layer(&'static Layer),
}

/// A parameter of the source, typed.
fn get<T: crate::params::FromValue>(ctx: &Ctx<'_>, src: Source, id: ParamId) -> R<Option<Used<T>>> {
    match src {
        Source::National => ctx.p.opt(id),
        Source::Layer(l) => ctx.p.layer(l, id),
    }
}

/// The rate and cap of a line from one source. A technology line takes the machinery rate
/// and, without its own cap, `machinery.cap × technology_line.cap_multiplier` of the same
/// source; a layer with neither states no technology-line level.
fn rate_and_cap(ctx: &Ctx<'_>, src: Source, line: Line) -> R<RateCap> {
    if line != Line::TechnologyLine {
        return Ok((get(ctx, src, ParamId::rate(line))?, get(ctx, src, ParamId::cap(line))?));
    }
    let rate = match get::<Rate>(ctx, src, ParamId::TechnologyLineRate)? {
        Some(r) => Some(r),
        None => get(ctx, src, ParamId::MachineryRate)?,
    };
    if let Some(cap) = get::<Vnd>(ctx, src, ParamId::TechnologyLineCap)? {
        return Ok((rate, Some(cap)));
    }
    let Some(machinery) = get::<Vnd>(ctx, src, ParamId::MachineryCap)? else {
        return Ok((rate, None));
    };
    // A layer states what its resolution states: without its own multiplier (or line cap) it
    // has no level for a technology line, and none is borrowed from the national rule.
    let Some(factor) = get::<Decimal>(ctx, src, ParamId::TechnologyLineCapMultiplier)? else {
        return Ok(match src {
            Source::National => (rate, Some(machinery)),
            Source::Layer(_) => (None, None),
        });
    };
    let value =
        machinery.value.times(factor.value).map_err(|_| RulesError::BadPack { id: factor.param.id().to_owned() })?;
    let cap = Used {
        param: ParamId::TechnologyLineCap,
        value,
        from: machinery.from.max(factor.from),
        citation: factor.citation,
        confidence: machinery.confidence.min(factor.confidence),
    };
    Ok((rate, Some(cap)))
}

/// The multiplier for a source: the source's `priority.cap_multiplier` when a priority area
/// or sector fact holds, else 1 (a layer without its own multiplier has none).
fn multiplier(ctx: &Ctx<'_>, src: Source, as_of: Date) -> R<(Used<Decimal>, bool)> {
    let param = match src {
        Source::National => ctx.p.need::<Decimal>(ParamId::PriorityCapMultiplier)?,
        Source::Layer(l) => ctx.p.layer::<Decimal>(l, ParamId::PriorityCapMultiplier)?,
    };
    let holds = ctx.priority;
    Ok(match param {
        Some(mut u) => {
            let applied = holds && u.value != Decimal::ONE;
            if !holds {
                u.value = Decimal::ONE;
            }
            (u, applied)
        }
        None => (
            Used {
                param: ParamId::PriorityCapMultiplier,
                value: Decimal::ONE,
                from: as_of,
                citation: Citation::fixed("Không có hệ số ưu tiên trong gói quy tắc vào ngày này", ""),
                confidence: Confidence::S,
            },
            false,
        ),
    })
}

/// Checks the rounding mode the pack declares (only `toward_zero` is known).
pub(crate) fn check_rounding(p: &Params) -> R<()> {
    match p.need::<&str>(ParamId::RoundingMode)? {
        Some(u) if u.value == "toward_zero" => Ok(()),
        _ => Err(RulesError::BadPack { id: ParamId::RoundingMode.id().to_owned() }),
    }
}

/// An empty result to fill in.
fn blank(
    line: Line,
    fund: Fund,
    layer: Option<Cow<'static, str>>,
    status: Status,
    basis: Basis,
    multiplier: Used<Decimal>,
) -> SupportResult {
    SupportResult {
        line,
        fund,
        layer,
        status,
        basis,
        eligible_cost: None,
        rate: None,
        cap: None,
        multiplier,
        amount: None,
        amount_if_eligible: None,
        ceiling: None,
        cap_applied: false,
        cap_binds_above: None,
        note: None,
        references: Vec::new(),
        confidence: Confidence::S,
    }
}

/// The training reference norms (not khuyến công rules), times the learners when given.
fn training_references(ctx: &Ctx<'_>) -> R<Vec<Reference>> {
    let Some(per) = ctx.p.need::<Vnd>(ParamId::TrainingReferencePerLearner)? else {
        return Ok(Vec::new());
    };
    let learners = ctx.app.line(Line::Training).and_then(|r| r.learners);
    let per_vnd = Piece::Vnd(per.value);
    let (amount, vi, en) = match learners {
        Some(n) => (
            per.value.times(Decimal::from(n)).ok(),
            cat(&[
                S("Giá trị tham chiếu khóa học miễn phí: "),
                per_vnd,
                S(" /học viên/khóa × "),
                Piece::N(n),
                S(" học viên (định mức tham chiếu, không phải quy định khuyến công)"),
            ]),
            cat(&[
                S("Reference value of free courses: "),
                per_vnd,
                S(" per learner per course × "),
                Piece::N(n),
                S(" learners (a reference norm, not a khuyến công rule)"),
            ]),
        ),
        None => (
            Some(per.value),
            cat(&[S("Định mức tham chiếu: "), per_vnd, S(" /học viên/khóa (không phải quy định khuyến công)")]),
            cat(&[S("Reference norm: "), per_vnd, S(" per learner per course (not a khuyến công rule)")]),
        ),
    };
    Ok(vec![Reference { label: Text::new(vi, en), amount, citation: per.citation, confidence: per.confidence }])
}

/// The support of one requested line from one source, pushed onto `out` (built in place: a
/// result is large). A line that is not met carries no `amount`: the figure it would have is
/// `amount_if_eligible`, never shown as the support.
pub(crate) fn support(ctx: &Ctx<'_>, out: &mut Vec<SupportResult>, line: Line, status: Status, src: Source) -> R<()> {
    let out = match src {
        Source::Layer(l) if l.levels_unread => unread_layer(ctx, out, line, status, l)?,
        _ => figures(ctx, out, line, status, src)?,
    };
    if status == Status::NotMet {
        out.amount_if_eligible = out.amount.take();
        out.ceiling = None;
    }
    if let Source::Layer(l) = src
        && l.start_assumed
        && let Some(from) = ctx.p.layer_from(l)
    {
        let (vi, en) = (
            format!(
                "Ngày bắt đầu áp dụng {} là giả định của gói quy tắc: chưa thấy ngày hiệu lực của văn bản.",
                crate::iso_date::vi(from)
            ),
            format!("The start date {from} is the pack's assumption: the resolution's effective date was not seen."),
        );
        out.note = Some(match out.note.take() {
            Some(n) => Text::new(format!("{} {vi}", n.vi), format!("{} {en}", n.en)),
            None => Text::new(vi, en),
        });
    }
    Ok(())
}

/// A layer whose resolution is known but whose levels are not in the pack.
fn unread_layer<'v>(
    ctx: &Ctx<'_>,
    out: &'v mut Vec<SupportResult>,
    line: Line,
    status: Status,
    l: &'static Layer,
) -> R<&'v mut SupportResult> {
    let resolution = l
        .params
        .iter()
        .find(|p| p.id == ParamId::LayerInForce)
        .and_then(|p| p.at(ctx.as_of))
        .map_or(l.name.as_str(), |v| &*v.citation.document);
    let out = no_layer(
        ctx,
        out,
        line,
        status,
        Text::new(
            format!("Tỉnh có nghị quyết: {resolution}; mức hỗ trợ chưa có trong gói quy tắc."),
            format!("The province has a resolution ({resolution}); its levels are not in the rule pack yet."),
        ),
    )?;
    out.layer = Some(Cow::Borrowed(&l.id));
    Ok(out)
}

/// The figures of one line from one source.
fn figures<'v>(
    ctx: &Ctx<'_>,
    out: &'v mut Vec<SupportResult>,
    line: Line,
    status: Status,
    src: Source,
) -> R<&'v mut SupportResult> {
    let (fund, layer_id) = match src {
        Source::National => (Fund::National, None),
        Source::Layer(l) => (Fund::Local, Some(Cow::Borrowed(l.id.as_str()))),
    };
    let (mult, mult_applied) = multiplier(ctx, src, ctx.as_of)?;
    let request = ctx.app.line(line);
    let cost = request.and_then(|r| r.cost);
    let (rate, cap) = rate_and_cap(ctx, src, line)?;
    let mult_value = mult.value;
    let mult_confidence = mult.confidence;
    let out = out.push_mut(blank(line, fund, layer_id, status, Basis::NoValue, mult));
    out.eligible_cost = cost;

    if line == Line::Training && rate.is_none() && cap.is_none() {
        if let Some(per) = get::<Vnd>(ctx, src, ParamId::TrainingPerLearner)? {
            return training_per_learner(ctx, out, per, src);
        }
        out.basis = Basis::SetByProvince;
        out.references = training_references(ctx)?;
        out.note = Some(Text::fixed(
            "Đào tạo nghề được hỗ trợ bằng khóa học miễn phí cho người lao động; mức chi do tỉnh quyết định theo định mức chi chung. Không có mức khuyến công quốc gia cho mỗi học viên.",
            "Training is support in kind (free courses for workers); levels are set by the province under general spending norms. There is no national khuyến công amount per learner.",
        ));
        return Ok(out);
    }
    if rate.is_none() && cap.is_none() {
        match src {
            Source::National => {
                out.basis = Basis::NoValue;
                out.note = Some(Text::fixed(
                    "Không có mức hỗ trợ khuyến công quốc gia đã xác minh cho nội dung này vào ngày này.",
                    "No verified national khuyến công level for this line on this date.",
                ));
            }
            Source::Layer(l) => {
                out.basis = Basis::SetByProvince;
                out.note = Some(Text::new(
                    cat(&[S(&l.name), S(": nghị quyết của tỉnh không quy định mức cho nội dung này.")]),
                    cat(&[S(&l.name), S(": the provincial resolution sets no level for this line.")]),
                ));
            }
        }
        return Ok(out);
    }
    let mut conf = [rate.as_ref().map(|r| r.confidence), cap.as_ref().map(|c| c.confidence)]
        .into_iter()
        .flatten()
        .fold(Confidence::V, Confidence::min);
    if mult_applied {
        conf = conf.min(mult_confidence);
    }
    out.confidence = conf;
    let figures = (rate.as_ref().map(|r| r.value), cap.as_ref().map(|c| c.value));
    out.rate = rate;
    out.cap = cap;
    let Some(cost) = cost else {
        out.basis = Basis::NeedCost;
        return Ok(out);
    };
    match figures {
        (Some(r), Some(c)) => {
            let f = capped(r, cost, c, mult_value);
            out.basis = Basis::Computed;
            out.amount = Some(f.amount);
            out.cap_applied = f.cap_applied;
            out.cap_binds_above = f.cap_binds_above;
        }
        (None, Some(c)) => {
            let f = capped(Rate::FULL, cost, c, mult_value);
            out.basis = Basis::CeilingOnly;
            out.ceiling = Some(f.amount);
            out.note = Some(Text::fixed(
                "Chưa xác minh được tỷ lệ hỗ trợ: chỉ biết mức tối đa, số tiền thực tế có thể thấp hơn.",
                "The support rate is not verified: only the cap is known; the actual amount may be lower.",
            ));
        }
        (Some(r), None) => {
            out.basis = Basis::Computed;
            out.amount = Vnd::from_decimal_toward_zero(r.of(cost)).ok();
        }
        (None, None) => {}
    }
    Ok(out)
}

/// Training from a layer's per-learner level: `per_learner × learners`, within
/// `training.cap` when the layer has one.
fn training_per_learner<'v>(
    ctx: &Ctx<'_>,
    out: &'v mut SupportResult,
    per: Used<Vnd>,
    src: Source,
) -> R<&'v mut SupportResult> {
    out.confidence = per.confidence;
    let Some(n) = ctx.app.line(Line::Training).and_then(|r| r.learners) else {
        out.basis = Basis::NeedCost;
        return Ok(out);
    };
    let total = per.value.times(Decimal::from(n)).map_err(|_| RulesError::InvalidInput {
        field: "lines.training.learners".into(),
        message: "quá lớn / too large".into(),
    })?;
    let cap = match src {
        Source::Layer(l) => ctx.p.layer::<Vnd>(l, ParamId::TrainingCap)?,
        Source::National => None,
    };
    let f = capped(Rate::FULL, total, cap.as_ref().map_or(Vnd::from_const(crate::MAX_VND), |c| c.value), Decimal::ONE);
    out.basis = Basis::Computed;
    out.eligible_cost = Some(total);
    out.amount = Some(f.amount);
    out.cap_applied = cap.is_some() && f.cap_applied;
    out.cap = cap;
    Ok(out)
}

/// The local result when no layer applies: the province sets the level and the pack has
/// none, or the province (or former province) is not known yet.
pub(crate) fn no_layer<'v>(
    ctx: &Ctx<'_>,
    out: &'v mut Vec<SupportResult>,
    line: Line,
    status: Status,
    why: Text,
) -> R<&'v mut SupportResult> {
    let (mult, _) = multiplier(ctx, Source::Layer(&EMPTY_LAYER), ctx.as_of)?;
    let out = out.push_mut(blank(line, Fund::Local, None, status, Basis::SetByProvince, mult));
    out.eligible_cost = ctx.app.line(line).and_then(|r| r.cost);
    out.note = Some(why);
    if line == Line::Training {
        out.references = training_references(ctx)?;
    }
    Ok(out)
}

/// A layer with no parameters, for look-ups that must find nothing.
static EMPTY_LAYER: Layer = Layer {
    id: String::new(),
    province_code: 0,
    former_province: None,
    name: String::new(),
    levels_unread: false,
    start_assumed: false,
    params: Vec::new(),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(s: &str) -> Rate {
        Rate::new(s.parse().unwrap()).unwrap()
    }

    #[test]
    fn times_is_the_decimal_product_toward_zero() {
        let factors = ["0", "1", "1.5", "1.05", "2.25", "0.333333", "1.0000001", "30", "1000000.5"];
        let amounts = [0, 1, 7, 999, 300_000_000, 3_333_333_334, 999_999_999_999_999, crate::MAX_VND];
        for f in factors {
            let f: Decimal = f.parse().unwrap();
            for a in amounts {
                let v = Vnd::from_const(a);
                let d = v
                    .as_decimal()
                    .checked_mul(f)
                    .map_or(Err(crate::MoneyError::TooLarge), Vnd::from_decimal_toward_zero);
                assert_eq!(v.times(f), d, "{a} × {f}");
            }
        }
    }

    #[test]
    fn machinery_example() {
        let f = capped(rate("0.5"), Vnd::from_const(700_000_000), Vnd::from_const(300_000_000), Decimal::ONE);
        assert_eq!(f.amount, Vnd::from_const(300_000_000));
        assert!(f.cap_applied);
        assert_eq!(f.cap_binds_above, Some(Vnd::from_const(600_000_000)));
    }

    #[test]
    fn below_cap_and_at_binding_point() {
        let f = capped(rate("0.5"), Vnd::from_const(400_000_000), Vnd::from_const(300_000_000), Decimal::ONE);
        assert_eq!(f.amount, Vnd::from_const(200_000_000));
        assert!(!f.cap_applied);
        let f = capped(rate("0.5"), Vnd::from_const(600_000_000), Vnd::from_const(300_000_000), Decimal::ONE);
        assert_eq!(f.amount, Vnd::from_const(300_000_000));
        assert!(!f.cap_applied, "at exactly the binding point the cap does not yet cut");
    }

    #[test]
    fn rounds_toward_zero_and_binding_point_up() {
        let f = capped(rate("0.3"), Vnd::from_const(1_000_000_001), Vnd::from_const(1_000_000_000), Decimal::ONE);
        assert_eq!(f.amount, Vnd::from_const(300_000_000));
        assert_eq!(f.cap_binds_above, Some(Vnd::from_const(3_333_333_334)));
    }

    #[test]
    fn multiplier_raises_cap_not_share() {
        let m: Decimal = "1.5".parse().unwrap();
        let f = capped(Rate::FULL, Vnd::from_const(12_000_000), Vnd::from_const(10_000_000), m);
        assert_eq!(f.amount, Vnd::from_const(12_000_000), "never more than the cost");
        let f = capped(rate("0.5"), Vnd::from_const(2_000_000_000), Vnd::from_const(300_000_000), m);
        assert_eq!(f.amount, Vnd::from_const(450_000_000));
    }

    fn m15() -> Decimal {
        "1.5".parse().unwrap()
    }

    #[test]
    fn whole_numbers_give_the_decimal_figures() {
        let rates = ["0", "0.3", "0.5", "0.35", "0.7", "1", "0.333333", "0.000001"];
        let mults = ["1", "1.5", "1.2", "2", "1.000001", "1000000"];
        let amounts =
            [0, 1, 7, 999, 1_000_001, 12_000_000, 300_000_000, 3_333_333_334, 999_999_999_999_999, crate::MAX_VND];
        let mut fast = 0;
        for r in rates {
            for m in mults {
                let m: Decimal = m.parse().unwrap();
                for cost in amounts {
                    for cap in amounts {
                        let (cost, cap) = (Vnd::from_const(cost), Vnd::from_const(cap));
                        match capped_whole(rate(r), cost, cap, m) {
                            Some(whole) => {
                                assert_eq!(whole, capped_decimal(rate(r), cost, cap, m), "{r} {m} {cost} {cap}");
                                fast += 1;
                            }
                            None => assert_eq!(capped(rate(r), cost, cap, m), capped_decimal(rate(r), cost, cap, m)),
                        }
                    }
                }
            }
        }
        // The pack's figures (rates of two decimals, factors like 1.5, caps of billions) take
        // the whole-number path.
        assert!(fast > 3000, "{fast}");
        let pack_like = capped_whole(rate("0.5"), Vnd::from_const(700_000_000), Vnd::from_const(300_000_000), m15());
        assert!(pack_like.is_some());
        let fine: Decimal = "0.12345678".parse().unwrap();
        assert!(capped_whole(rate("0.5"), Vnd::ZERO, Vnd::ZERO, fine).is_none());
    }

    #[test]
    fn zero_rate_has_no_binding_point() {
        let f = capped(rate("0"), Vnd::from_const(5), Vnd::from_const(3), Decimal::ONE);
        assert_eq!(f.amount, Vnd::ZERO);
        assert_eq!(f.cap_binds_above, None);
    }
}
