//! What a candidate rule pack would do to the stored applications, without changing any.
//!
//! Every application is decided twice from its stored answers, under the pack the server runs
//! and under the candidate, at the date its stored decision was taken (or one date for all,
//! e.g. the day a new circular takes effect). The report counts what changes — outcomes, and
//! each fund's requested support — per application and in totals by province, line and fund.
//! The work is pure (`kc_rules::evaluate`) and spread over the machine's cores.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;

use kc_rules::diff::{Impact, impact};
use kc_rules::{Application, Decimal, Fund, Line, Outcome, RulePack, evaluate};
use serde::Serialize;
use time::Date;

use crate::store::ImpactRow;

/// One application whose decision the candidate changes.
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    pub receipt_code: String,
    pub province_code: Option<i32>,
    pub as_of: Date,
    #[serde(flatten)]
    pub impact: Impact,
    pub delta_national: Decimal,
    pub delta_local: Decimal,
}

/// How many applications change and by how much, for one group: the requested support of
/// every application of the group re-evaluated, under the running pack and the candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Applications of the group re-evaluated.
    pub evaluated: u64,
    /// Applications in the group whose outcome or amount changes.
    pub changed: u64,
    /// Change of the national fund's requested support, in đồng.
    pub delta_national: Decimal,
    /// Change of the local fund's requested support, in đồng.
    pub delta_local: Decimal,
    /// The national fund's requested support under the running pack, in đồng.
    pub national_before: Decimal,
    /// … and under the candidate.
    pub national_after: Decimal,
    /// The local fund's requested support under the running pack, in đồng.
    pub local_before: Decimal,
    /// … and under the candidate.
    pub local_after: Decimal,
}

impl Totals {
    fn count(&mut self, national: (Decimal, Decimal), local: (Decimal, Decimal), changed: bool) {
        self.evaluated += 1;
        self.national_before += national.0;
        self.national_after += national.1;
        self.local_before += local.0;
        self.local_after += local.1;
        if changed {
            self.changed += 1;
            self.delta_national += national.1 - national.0;
            self.delta_local += local.1 - local.0;
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub current_pack: String,
    pub candidate_pack: String,
    /// Applications re-evaluated.
    pub evaluated: u64,
    /// Applications whose answers no longer decode or that the engine refused (listed, not
    /// counted as changes).
    pub failed: Vec<(String, String)>,
    /// Everything that changes, over all applications.
    pub total: Totals,
    /// `(before, after)` outcome pairs that differ, with their counts.
    pub outcomes: Vec<(Outcome, Outcome, u64)>,
    /// By province code (`None`: no commune answered), the provinces where something changes.
    pub by_province: BTreeMap<Option<i32>, Totals>,
    /// By requested line, the lines whose amounts change somewhere.
    pub by_line: BTreeMap<Line, Totals>,
    /// Each changed application.
    pub changed: Vec<Changed>,
}

/// Re-evaluates `rows` under `current` and `candidate`.
pub fn run(
    current: &'static RulePack,
    candidate: &'static RulePack,
    rows: &[ImpactRow],
    as_of: Option<Date>,
) -> Report {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get).min(8);
    let chunk = rows.len().div_ceil(threads).max(1);
    let results: Vec<Result<Evaluated, (String, String)>> = std::thread::scope(|s| {
        let workers: Vec<_> = rows
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|r| one(current, candidate, r, as_of)).collect::<Vec<_>>()))
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("impact worker panicked")).collect()
    });

    let mut report = Report {
        current_pack: current.id.clone(),
        candidate_pack: candidate.id.clone(),
        evaluated: rows.len() as u64,
        failed: Vec::new(),
        total: Totals::default(),
        outcomes: Vec::new(),
        by_province: BTreeMap::new(),
        by_line: BTreeMap::new(),
        changed: Vec::new(),
    };
    let mut outcomes: BTreeMap<(u8, u8), (Outcome, Outcome, u64)> = BTreeMap::new();
    for r in results {
        let e = match r {
            Ok(e) => e,
            Err(f) => {
                report.failed.push(f);
                continue;
            }
        };
        let fund = |f: Fund| {
            e.amounts.iter().filter(|a| a.1 == f).fold((Decimal::ZERO, Decimal::ZERO), |t, a| (t.0 + a.2, t.1 + a.3))
        };
        let changed = e.changed.is_some();
        report.total.count(fund(Fund::National), fund(Fund::Local), changed);
        report.by_province.entry(e.province_code).or_default().count(fund(Fund::National), fund(Fund::Local), changed);
        let mut lines: Vec<Line> = e.amounts.iter().map(|a| a.0).collect();
        lines.dedup();
        for line in lines {
            let sum = |f: Fund| {
                e.amounts
                    .iter()
                    .filter(|a| a.0 == line && a.1 == f)
                    .fold((Decimal::ZERO, Decimal::ZERO), |t, a| (t.0 + a.2, t.1 + a.3))
            };
            let (n, l) = (sum(Fund::National), sum(Fund::Local));
            report.by_line.entry(line).or_default().count(n, l, n.0 != n.1 || l.0 != l.1);
        }
        let Some(c) = e.changed else { continue };
        let (b, a) = (c.impact.outcome_before, c.impact.outcome_after);
        if b != a {
            outcomes.entry((b as u8, a as u8)).or_insert((b, a, 0)).2 += 1;
        }
        report.changed.push(c);
    }
    report.by_province.retain(|_, t| t.changed > 0);
    report.by_line.retain(|_, t| t.changed > 0);
    report.outcomes = outcomes.into_values().collect();
    report
}

/// One application re-evaluated: each requested line and fund's counted amount before and
/// after, and what changes (`None`: nothing).
struct Evaluated {
    province_code: Option<i32>,
    amounts: Vec<(Line, Fund, Decimal, Decimal)>,
    changed: Option<Changed>,
}

fn amount(v: Option<kc_rules::Vnd>) -> Decimal {
    v.map_or(Decimal::ZERO, kc_rules::Vnd::as_decimal)
}

/// One application under both packs.
fn one(
    current: &'static RulePack,
    candidate: &'static RulePack,
    row: &ImpactRow,
    as_of: Option<Date>,
) -> Result<Evaluated, (String, String)> {
    let fail = |e: String| (row.receipt_code.clone(), e);
    let app: Application = serde_json::from_str(&row.answers_json).map_err(|e| fail(e.to_string()))?;
    let as_of = as_of.unwrap_or(row.server_as_of);
    let before = evaluate(current, &app, as_of).map_err(|e| fail(e.to_string()))?;
    let after = evaluate(candidate, &app, as_of).map_err(|e| fail(e.to_string()))?;
    // What the applicant is told per line and fund: the amount, unless the line is not met
    // (the rule of `kc_rules::diff::impact`).
    let counted = |d: &kc_rules::Decision, line: Line, fund: Fund| {
        amount(
            d.support
                .iter()
                .find(|s| s.line == line && s.fund == fund)
                .and_then(|s| if s.status == kc_rules::Status::NotMet { None } else { s.amount }),
        )
    };
    let mut keys: Vec<(Line, Fund)> = before.support.iter().chain(&after.support).map(|s| (s.line, s.fund)).collect();
    keys.sort_unstable_by_key(|&(line, fund)| (line, fund == Fund::Local));
    keys.dedup();
    let amounts =
        keys.into_iter().map(|(l, f)| (l, f, counted(&before, l, f), counted(&after, l, f))).collect::<Vec<_>>();
    let impact = impact(&before, &after);
    let changed = impact.changed().then(|| Changed {
        receipt_code: row.receipt_code.clone(),
        province_code: row.province_code,
        as_of,
        delta_national: impact.delta(Fund::National),
        delta_local: impact.delta(Fund::Local),
        impact,
    });
    Ok(Evaluated { province_code: row.province_code, amounts, changed })
}

const USAGE: &str =
    "usage: kc-server impact --pack FILE [--as-of YYYY-MM-DD] [--province CODE] [--json] [--config FILE]
  FILE: a candidate rule pack as JSON (`kc pack export` of the candidate build).
  Each stored application is decided under the running pack and the candidate, at the date of
  its stored decision (or --as-of for all); nothing stored changes.";

/// `kc-server impact …`: the report for a candidate pack file, as text or JSON.
pub async fn cli(args: Vec<String>) -> anyhow::Result<()> {
    use anyhow::Context;
    let (mut pack, mut as_of, mut province, mut json, mut config) = (None, None, None, false, None);
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| anyhow::anyhow!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--pack" => pack = Some(value()?),
            "--as-of" => {
                let v = value()?;
                as_of = Some(
                    Date::parse(&v, time::macros::format_description!("[year]-[month]-[day]"))
                        .with_context(|| format!("--as-of {v}: expected YYYY-MM-DD"))?,
                );
            }
            "--province" => province = Some(value()?.parse::<i32>().context("--province must be a province code")?),
            "--json" => json = true,
            "--config" => config = Some(std::path::PathBuf::from(value()?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => anyhow::bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let path = pack.ok_or_else(|| anyhow::anyhow!("--pack is required\n{USAGE}"))?;
    let candidate = kc_rulepack::from_json(&std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?)
        .with_context(|| format!("{path}: not a rule pack"))?;
    let settings = crate::Settings::load(config.as_deref())?;
    let current = settings.pack()?;
    let store = crate::startup::connect(&settings).await?;
    store.migrate().await?;
    let started = std::time::Instant::now();
    let rows = store.impact_rows(province).await?;
    let read = started.elapsed();
    let report = run(current, candidate, &rows, as_of);
    let total = started.elapsed();
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report));
    }
    eprintln!(
        "{} hồ sơ / applications: đọc / read {:.2} s, đánh giá lại / re-evaluated {:.2} s",
        report.evaluated,
        read.as_secs_f64(),
        (total - read).as_secs_f64()
    );
    Ok(())
}

/// The report as text, Vietnamese first.
pub fn render(r: &Report) -> String {
    use std::fmt::Write as _;
    let money = |d: Decimal| {
        let v = kc_rules::Vnd::new(d.abs().try_into().unwrap_or(i64::MAX)).unwrap_or(kc_rules::Vnd::ZERO);
        format!(
            "{}{v}",
            if d.is_sign_negative() && !d.is_zero() {
                "−"
            } else if d.is_zero() {
                ""
            } else {
                "+"
            }
        )
    };
    let outcome = |o: Outcome| format!("{} / {}", o.label_vi(), o.label_en());
    let mut s = String::new();
    let _ = writeln!(s, "ẢNH HƯỞNG CỦA BỘ QUY TẮC MỚI / IMPACT OF A CANDIDATE PACK");
    let _ = writeln!(s, "đang dùng / current: {}  →  dự kiến / candidate: {}", r.current_pack, r.candidate_pack);
    let _ = writeln!(
        s,
        "{} hồ sơ được đánh giá lại / applications re-evaluated; {} thay đổi / change; không lưu gì / nothing stored changes",
        r.evaluated, r.total.changed
    );
    let _ = writeln!(
        s,
        "Tổng / total: quốc gia / national {}, địa phương / local {}",
        money(r.total.delta_national),
        money(r.total.delta_local)
    );
    for (b, a, n) in &r.outcomes {
        let _ = writeln!(s, "  {n} hồ sơ / applications: {} → {}", outcome(*b), outcome(*a));
    }
    if !r.by_province.is_empty() {
        let _ = writeln!(s, "\nTheo tỉnh / by province");
    }
    for (code, t) in &r.by_province {
        let name = code
            .and_then(|c| u16::try_from(c).ok())
            .and_then(|c| kc_rulepack::bundled().province(c))
            .map_or("(chưa chọn xã / no commune)", |p| p.name.as_str());
        let _ = writeln!(
            s,
            "  {name}: {} hồ sơ; quốc gia {}, địa phương {}",
            t.changed,
            money(t.delta_national),
            money(t.delta_local)
        );
    }
    if !r.by_line.is_empty() {
        let _ = writeln!(s, "\nTheo nội dung / by line");
    }
    for (line, t) in &r.by_line {
        let _ = writeln!(
            s,
            "  {} / {}: {} hồ sơ; quốc gia {}, địa phương {}",
            line.label_vi(),
            line.label_en(),
            t.changed,
            money(t.delta_national),
            money(t.delta_local)
        );
    }
    if !r.changed.is_empty() {
        let _ = writeln!(s, "\nHồ sơ thay đổi / changed applications");
    }
    for c in &r.changed {
        let _ = writeln!(
            s,
            "  {} (ngày áp dụng / as of {}): {} → {}; quốc gia {}, địa phương {}",
            c.receipt_code,
            c.as_of,
            outcome(c.impact.outcome_before),
            outcome(c.impact.outcome_after),
            money(c.delta_national),
            money(c.delta_local)
        );
    }
    for (code, e) in &r.failed {
        let _ = writeln!(s, "  {code}: không đánh giá được / could not be evaluated: {e}");
    }
    s
}
