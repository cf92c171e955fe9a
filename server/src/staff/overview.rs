//! The centre's picture at a glance (`GET /staff/overview`): counts and requested amounts
//! by status, line, fund, commune and month for the officer's scope and the list's filter,
//! as bar charts drawn on the server in inline SVG (no script), each with its data table;
//! the computed support per fund beside the year's plan, which officers may set
//! (`POST /staff/overview/plan`).

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Query, RawForm};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use kc_rules::{Application, Vnd};
use maud::{Markup, html};

use super::filter::RawFilter;
use super::html::{Lang, money};
use super::labels::{self, Kind};
use super::list::{commune_name, filter_form};
use super::session::{Session, internal, see_other};
use super::store::{self, AppRow, STATES};
use crate::recheck::VIETNAM;
use crate::state::AppState;

/// This page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/overview", get(overview)).route("/staff/overview/plan", post(set_plan))
}

/// Counts and sums of one group.
#[derive(Debug, Default, Clone, Copy)]
struct Cell {
    count: i64,
    requested: i64,
}

impl Cell {
    fn add(&mut self, requested: i64) {
        self.count += 1;
        self.requested = self.requested.saturating_add(requested);
    }
}

/// The aggregates of a filter.
#[derive(Debug, Default)]
struct Picture {
    total: Cell,
    status: BTreeMap<String, Cell>,
    line: BTreeMap<String, Cell>,
    fund: BTreeMap<String, (i64, i64)>,
    commune: BTreeMap<i64, Cell>,
    month: BTreeMap<(i32, u8), Cell>,
}

fn add_row(p: &mut Picture, r: &AppRow) {
    let app: Option<Application> = serde_json::from_str(&r.answers_json).ok();
    let lines = app.as_ref().map(|a| a.lines.clone()).unwrap_or_default();
    let requested = lines.iter().filter_map(|l| l.cost).fold(Vnd::ZERO, Vnd::saturating_add).to_i64();
    p.total.add(requested);
    p.status.entry(r.status.clone()).or_default().add(requested);
    for l in &lines {
        p.line.entry(l.line.id().to_owned()).or_default().add(l.cost.map_or(0, Vnd::to_i64));
    }
    for (fund, amount) in [("national", r.amount_national), ("local", r.amount_local)] {
        if let Some(a) = amount.filter(|a| *a > 0) {
            let e = p.fund.entry(fund.to_owned()).or_default();
            e.0 += 1;
            e.1 = e.1.saturating_add(a);
        }
    }
    if let Some(c) = r.commune_code {
        p.commune.entry(c).or_default().add(requested);
    }
    let t = r.received_at.to_offset(VIETNAM);
    p.month.entry((t.year(), u8::from(t.month()))).or_default().add(requested);
}

/// A horizontal bar chart: one bar per row, its length `value` against the largest (or
/// `scale`, when larger), the figure written after it.
fn bars(title: &str, rows: &[(String, i64, String)], scale: Option<i64>) -> Markup {
    const W: i64 = 1160;
    const LABEL: i64 = 280;
    const BAR: i64 = 520;
    const H: i64 = 26;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(scale.unwrap_or(0)).max(1);
    let height = H * rows.len().max(1) as i64 + 8;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(W) height=(height) viewBox={ "0 0 " (W) " " (height) } role="img" aria-label=(title) {
            title { (title) }
            @for (i, (label, value, shown)) in rows.iter().enumerate() {
                @let y = i as i64 * H + 4;
                @let len = (value.max(&0) * BAR / max).max(if *value > 0 { 2 } else { 0 });
                text x=(LABEL - 8) y=(y + 17) text-anchor="end" font-size="13" fill="#1d2733" { (label) }
                rect x=(LABEL) y=(y + 3) width=(len) height=(H - 8) fill="#0b5cad" rx="2" {}
                text x=(LABEL + len + 6) y=(y + 17) font-size="13" fill="#1d2733" { (shown) }
            }
            @if let Some(s) = scale {
                @let x = LABEL + s * BAR / max;
                line x1=(x) x2=(x) y1="0" y2=(height) stroke="#a8071a" stroke-width="2" stroke-dasharray="4 3" {}
            }
            @if rows.is_empty() { text x="8" y="20" font-size="13" fill="#4d5966" { "—" } }
        }
    }
}

fn chart(l: Lang, id: &str, title: &str, rows: &[(String, Cell)], by_amount: bool) -> Markup {
    let bar_rows: Vec<(String, i64, String)> = rows
        .iter()
        .map(|(label, c)| {
            if by_amount {
                (
                    label.clone(),
                    c.requested,
                    format!("{} · {} {}", money(c.requested), c.count, l.t("hồ sơ", "applications")),
                )
            } else {
                (
                    label.clone(),
                    c.count,
                    format!("{} {} · {}", c.count, l.t("hồ sơ", "applications"), money(c.requested)),
                )
            }
        })
        .collect();
    html! {
        figure.chart aria-labelledby=(id) {
            figcaption id=(id) { strong { (title) } }
            (bars(title, &bar_rows, None))
            details {
                summary { (l.t("Bảng số liệu", "Data table")) }
                table {
                    thead { tr {
                        th scope="col" { (l.t("Nhóm", "Group")) }
                        th.num scope="col" { (l.t("Số hồ sơ", "Applications")) }
                        th.num scope="col" { (l.t("Kinh phí đề nghị", "Requested")) }
                    } }
                    tbody {
                        @for (label, c) in rows { tr { th scope="row" { (label) } td.num { (c.count) } td.num { (money(c.requested)) } } }
                    }
                }
            }
        }
    }
}

/// `GET /staff/overview`.
pub async fn overview(s: Session, Query(raw): Query<RawFilter>) -> Response {
    let l = s.lang;
    let scope = s.account.scope();
    let parsed = raw.parse(l, scope);
    let form = match filter_form(&s, &raw, &parsed, "/staff/overview").await {
        Ok(f) => f,
        Err(e) => return internal(e),
    };
    let title = l.t("Tổng quan", "Overview");
    if !parsed.errors.is_empty() {
        return s.page(StatusCode::BAD_REQUEST, title, html! { (form) });
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel(512);
    let (db, filter, decisions) = (s.db.clone(), parsed.filter.clone(), s.decisions());
    let reader = tokio::spawn(async move { store::export_rows(&db, scope, &decisions, &filter, tx).await });
    let mut p = Picture::default();
    while let Some(r) = rx.recv().await {
        match r {
            Ok(r) => add_row(&mut p, &r),
            Err(e) => return internal(e),
        }
    }
    match reader.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return internal(e),
        Err(e) => return internal(e.into()),
    }
    let year = time::OffsetDateTime::now_utc().to_offset(VIETNAM).year();
    let plans = match store::plans(&s.db, scope, year).await {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    let plan = |fund: &str| plans.iter().find(|(f, _)| f == fund).map(|(_, a)| *a);
    let status_rows: Vec<(String, Cell)> = STATES
        .iter()
        .map(|st| (labels::label(l, Kind::State, st), p.status.get(*st).copied().unwrap_or_default()))
        .collect();
    let line_rows: Vec<(String, Cell)> = kc_rules::Line::ALL
        .iter()
        .filter_map(|x| p.line.get(x.id()).map(|c| (labels::label(l, Kind::Line, x.id()), *c)))
        .collect();
    let mut communes: Vec<(i64, Cell)> = p.commune.iter().map(|(k, v)| (*k, *v)).collect();
    communes.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(b.1.requested.cmp(&a.1.requested)));
    let more_communes = communes.len().saturating_sub(15);
    let commune_rows: Vec<(String, Cell)> =
        communes.into_iter().take(15).map(|(c, cell)| (commune_name(Some(c)), cell)).collect();
    let month_rows: Vec<(String, Cell)> = p.month.iter().map(|((y, m), c)| (format!("{m:02}/{y}"), *c)).collect();
    let q = raw.query(&["page", "sort", "dir"]);
    let can_plan = s.account.role.can_review();
    let body = html! {
        (form)
        p.no-print { a href={ "/staff/applications?" (q) } { (l.t("Xem danh sách hồ sơ của bộ lọc này", "See the list of this filter")) } }
        @if s.decisions().current {
            p.muted id="decision-used" {
                (l.t("Hỗ trợ tính được theo bộ quy tắc đang áp dụng nếu khác kết quả khi nhận hồ sơ (decision_policy = current).",
                     "Computed support under the rules in force now where it differs from the result at receipt (decision_policy = current)."))
            }
        }
        div.cards {
            div.card { (l.t("Số hồ sơ", "Applications")) br; strong { (p.total.count) } }
            div.card { (l.t("Kinh phí đề nghị", "Requested")) br; strong { (money(p.total.requested)) } }
            @for fund in ["national", "local"] {
                @let (n, a) = p.fund.get(fund).copied().unwrap_or_default();
                div.card {
                    (l.t("Hỗ trợ tính được", "Computed support")) " — " (labels::label(l, Kind::Fund, fund)) br;
                    strong { (money(a)) } " · " (n) " " (l.t("hồ sơ", "applications"))
                    @if let Some(pl) = plan(fund) {
                        br; (l.t("Kế hoạch", "Plan")) " " (year) ": " (money(pl))
                        " (" (if pl > 0 { a.saturating_mul(100) / pl } else { 0 }) " %)"
                    }
                }
            }
        }
        (chart(l, "c-status", l.t("Số hồ sơ theo trạng thái", "Applications by status"), &status_rows, false))
        (chart(l, "c-line", l.t("Kinh phí đề nghị theo nội dung hỗ trợ", "Requested amount by support line"), &line_rows, true))
        figure.chart aria-labelledby="c-fund" {
            figcaption id="c-fund" {
                strong { (l.t("Hỗ trợ tính được theo nguồn kinh phí, so với kế hoạch năm", "Computed support by fund against the year's plan")) " " (year) }
            }
            @for fund in ["national", "local"] {
                @let (n, a) = p.fund.get(fund).copied().unwrap_or_default();
                @let label = labels::label(l, Kind::Fund, fund);
                (bars(&label, &[(label.clone(), a, format!("{} · {n} {}", money(a), l.t("hồ sơ", "applications")))], plan(fund)))
                @if let Some(pl) = plan(fund) { p.muted { (l.t("Vạch đỏ: kế hoạch", "Red line: plan")) " " (money(pl)) } }
            }
        }
        (chart(l, "c-commune", l.t("Hồ sơ theo xã, phường (15 nơi nhiều nhất)", "Applications by commune (top 15)"), &commune_rows, false))
        @if more_communes > 0 { p.muted { "+" (more_communes) " " (l.t("xã, phường khác", "more communes")) } }
        (chart(l, "c-month", l.t("Hồ sơ theo tháng nhận", "Applications by month received"), &month_rows, false))
        @if can_plan {
            section.no-print aria-labelledby="h-plan" {
                h2 id="h-plan" { (l.t("Kế hoạch kinh phí năm", "The year's fund plan")) }
                form method="post" action="/staff/overview/plan" {
                    input type="hidden" name="csrf" value=(s.csrf);
                    input type="hidden" name="year" value=(year);
                    div.filters {
                        div.field {
                            label for="plan-fund" { (l.t("Nguồn kinh phí", "Fund")) }
                            select id="plan-fund" name="fund" {
                                @for f in ["national", "local"] { option value=(f) { (labels::label(l, Kind::Fund, f)) } }
                            }
                        }
                        div.field {
                            label for="plan-amount" { (l.t("Kế hoạch năm", "Plan for")) " " (year) " (" (l.t("đồng; để trống để xoá", "đồng; empty clears")) ")" }
                            input id="plan-amount" name="amount" inputmode="numeric";
                        }
                        div.field { button.primary { (l.t("Lưu kế hoạch", "Save the plan")) } }
                    }
                }
            }
        }
    };
    s.page(StatusCode::OK, title, body)
}

/// `POST /staff/overview/plan`.
pub async fn set_plan(s: Session, RawForm(body): RawForm) -> Response {
    let l = s.lang;
    let p: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let get = |n: &str| p.iter().find(|(k, _)| k == n).map_or("", |(_, v)| v.as_str());
    if let Err(r) = s.check_csrf(get("csrf")) {
        return r;
    }
    if !s.account.role.can_review() {
        return s.forbidden();
    }
    let fund = get("fund");
    let year: Option<i32> = get("year").parse().ok().filter(|y| (2000..=2100).contains(y));
    let amount = match get("amount").trim() {
        "" => Ok(None),
        a => kc_rules::parse_vnd_vi(a).map(|v| Some(v.to_i64())),
    };
    let (Some(year), Ok(amount), true) = (year, amount, matches!(fund, "national" | "local")) else {
        return s.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            l.t("Tổng quan", "Overview"),
            html! {
                p.err role="alert" { (l.t("Số tiền kế hoạch không hợp lệ (ví dụ 5.000.000.000).", "Not a valid plan amount (e.g. 5.000.000.000).")) }
                p { a href="/staff/overview" { (l.t("Quay lại", "Back")) } }
            },
        );
    };
    match store::set_plan(&s.db, &s.account.email, s.account.scope(), year, fund, amount).await {
        Ok(()) => see_other("/staff/overview"),
        Err(e) => internal(e),
    }
}
