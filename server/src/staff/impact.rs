//! What a candidate rule pack would do (`GET`/`POST /staff/impact`, admins): the admin
//! uploads a pack JSON (`kc pack export` of the candidate build), optionally a date and a
//! province, and sees the report of `kc-server impact` ([`crate::impact`], the one
//! implementation): totals by fund, province and line before, after and the difference,
//! outcome changes, and each changed application with a link to its page. Nothing stored
//! changes; each run is audited.
//!
//! The upload is the one request allowed more than `body_limit` (`pack_upload_limit`,
//! 4 MiB by default). The form is `multipart/form-data` (a file, or the JSON pasted into a
//! text area); a form-encoded post with the text area works too. The re-evaluation runs on
//! the blocking pool, never on the async runtime.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use kc_rules::{Decimal, Fund, Line, Outcome, RulePack};
use maud::{Markup, html};
use time::Date;

use super::auth::Role;
use super::decisions::delta;
use super::html::{Lang, money, url_enc};
use super::list::province_name;
use super::session::{Session, internal};
use super::store;
use crate::impact::{Report, Totals};
use crate::state::AppState;

/// The page's path.
pub const PATH: &str = "/staff/impact";

/// Changed applications listed on the page (the totals count them all).
const LISTED: usize = 1000;

/// This page's routes. The body limit is the session's `upload_limit`, applied while reading.
pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(form_page).post(run_report).layer(DefaultBodyLimit::disable()))
}

/// What the form had, and why it came back.
#[derive(Debug, Default, Clone)]
struct Values {
    as_of: String,
    province: String,
    error: Option<String>,
}

/// `GET /staff/impact` (admins).
pub async fn form_page(s: Session) -> Response {
    if s.account.role != Role::Admin {
        return s.forbidden();
    }
    page(&s, &Values::default(), None, StatusCode::OK)
}

fn page(s: &Session, v: &Values, report: Option<Markup>, status: StatusCode) -> Response {
    let l = s.lang;
    let limit_mib = s.upload_limit / (1024 * 1024);
    let body = html! {
        p { (l.t(
            "Tải lên một bộ quy tắc dự kiến (tệp JSON xuất bằng lệnh kc pack export của bản dựng mới). Mọi hồ sơ đã lưu được đánh giá lại theo bộ quy tắc đang áp dụng và theo bộ dự kiến, vào ngày của kết quả đã lưu (hoặc vào ngày bạn chọn). Không có gì đã lưu bị thay đổi.",
            "Upload a candidate rule pack (the JSON that kc pack export of the new build writes). Every stored application is decided under the running pack and under the candidate, on the date of its stored decision (or the date you choose). Nothing stored changes."
        )) }
        @if let Some(e) = &v.error { p.err role="alert" id="impact-error" { (e) } }
        form method="post" action=(PATH) enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(s.csrf);
            div.field {
                label for="f-pack" { (l.t("Tệp bộ quy tắc (JSON)", "Rule pack file (JSON)")) " " span.muted { "(" (l.t("tối đa", "at most")) " " (limit_mib) " MiB)" } }
                input id="f-pack" type="file" name="pack" accept=".json,application/json"
                    aria-invalid=[v.error.as_ref().map(|_| "true")] aria-describedby=[v.error.as_ref().map(|_| "impact-error")];
            }
            div.field {
                label for="f-pack-text" { (l.t("hoặc dán nội dung JSON", "or paste the JSON")) }
                textarea id="f-pack-text" name="pack_text" rows="3" cols="80" {}
            }
            div.filters {
                div.field {
                    label for="f-as-of" { (l.t("Ngày xét (để trống: ngày của kết quả đã lưu)", "Assessment date (empty: the stored decision's)")) }
                    input id="f-as-of" type="date" name="as_of" value=(v.as_of);
                }
                div.field {
                    label for="f-province" { (l.t("Tỉnh", "Province")) }
                    select id="f-province" name="province" {
                        option value="" { (l.t("— mọi tỉnh —", "— every province —")) }
                        @for p in &kc_rulepack::bundled().provinces {
                            option value=(p.code) selected[v.province == p.code.to_string()] { (p.name) }
                        }
                    }
                }
                div.field { button.primary { (l.t("Xem ảnh hưởng", "Show the impact")) } }
            }
        }
        @if let Some(r) = report { (r) }
    };
    s.page(status, l.t("Ảnh hưởng của bộ quy tắc mới", "Impact of a candidate rule pack"), body)
}

/// The fields of a `multipart/form-data` (parsed by `multer`) or form-encoded body, by name
/// (a repeated name keeps its first value); `None` when the body is neither or malformed.
async fn form_fields(content_type: &str, body: axum::body::Bytes) -> Option<HashMap<String, Vec<u8>>> {
    let mut out = HashMap::new();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).ok()?;
        for (k, v) in pairs {
            out.entry(k).or_insert_with(|| v.into_bytes());
        }
        return Some(out);
    }
    let boundary = multer::parse_boundary(content_type).ok()?;
    let whole = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(whole, boundary);
    while let Some(field) = form.next_field().await.ok()? {
        let Some(name) = field.name().map(str::to_owned) else { continue };
        let value = field.bytes().await.ok()?;
        out.entry(name).or_insert_with(|| value.to_vec());
    }
    Some(out)
}

/// `POST /staff/impact` (admins): the report for the uploaded candidate.
pub async fn run_report(State(state): State<AppState>, s: Session, request: Request) -> Response {
    let l = s.lang;
    if s.account.role != Role::Admin {
        return s.forbidden();
    }
    let content_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let fail = |v: Values, e: String, status: StatusCode| page(&s, &Values { error: Some(e), ..v }, None, status);
    let Ok(body) = axum::body::to_bytes(request.into_body(), s.upload_limit).await else {
        let mib = s.upload_limit / (1024 * 1024);
        return fail(
            Values::default(),
            format!(
                "{} {mib} MiB.",
                l.t(
                    "Tệp quá lớn hoặc gửi không trọn: tối đa",
                    "The file is too large or did not arrive whole: at most"
                )
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
        );
    };
    let Some(fields) = form_fields(&content_type, body).await else {
        return fail(
            Values::default(),
            l.t(
                "Biểu mẫu không đọc được: hãy gửi từ trang này (multipart/form-data).",
                "The form could not be read: send it from this page (multipart/form-data).",
            )
            .to_owned(),
            StatusCode::BAD_REQUEST,
        );
    };
    let text = |name: &str| fields.get(name).map(|v| String::from_utf8_lossy(v).trim().to_owned()).unwrap_or_default();
    if let Err(r) = s.check_csrf(&text("csrf")) {
        return r;
    }
    let v = Values { as_of: text("as_of"), province: text("province"), error: None };
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let as_of = if v.as_of.is_empty() {
        None
    } else {
        match Date::parse(&v.as_of, time::macros::format_description!("[year]-[month]-[day]")) {
            Ok(d) => Some(d),
            Err(_) => {
                let e = l.t(
                    "Ngày xét không hợp lệ (as_of): cần dạng YYYY-MM-DD.",
                    "Bad assessment date (as_of): YYYY-MM-DD.",
                );
                return fail(v.clone(), e.to_owned(), unprocessable);
            }
        }
    };
    let province = if v.province.is_empty() {
        None
    } else {
        match v.province.parse::<u16>().ok().filter(|c| kc_rulepack::bundled().province(*c).is_some()) {
            Some(c) => Some(i32::from(c)),
            None => {
                let e = l.t("Tỉnh không có trong danh sách (province).", "Unknown province (province).");
                return fail(v.clone(), e.to_owned(), unprocessable);
            }
        }
    };
    let file = fields.get("pack").filter(|f| !f.iter().all(u8::is_ascii_whitespace));
    let pasted = fields.get("pack_text").filter(|f| !f.iter().all(u8::is_ascii_whitespace));
    let Some(json) = file.or(pasted) else {
        let e = l.t(
            "Hãy chọn tệp bộ quy tắc (JSON xuất bằng lệnh kc pack export) hoặc dán nội dung của nó (pack).",
            "Choose a rule pack file (the JSON kc pack export writes) or paste it (pack).",
        );
        return fail(v.clone(), e.to_owned(), unprocessable);
    };
    let Ok(json) = String::from_utf8(json.clone()) else {
        let e = l.t(
            "Tệp không phải bộ quy tắc: không phải văn bản UTF-8 (pack).",
            "The file is not a rule pack: not UTF-8 text (pack).",
        );
        return fail(v.clone(), e.to_owned(), unprocessable);
    };
    let candidate = match tokio::task::spawn_blocking(move || kc_rulepack::from_json(&json)).await {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return fail(v.clone(), not_a_pack(l, &e), unprocessable),
        Err(e) => return internal(anyhow::Error::new(e).context("parsing a candidate pack")),
    };
    let started = std::time::Instant::now();
    let rows = match state.store.impact_rows(province).await {
        Ok(r) => r,
        Err(e) => return internal(e),
    };
    let read = started.elapsed();
    let current = s.pack;
    let report = match tokio::task::spawn_blocking(move || crate::impact::run(current, candidate, &rows, as_of)).await {
        Ok(r) => r,
        Err(e) => return internal(anyhow::Error::new(e).context("the impact report stopped")),
    };
    let total = started.elapsed();
    let detail = format!(
        "{} hồ sơ đánh giá lại, {} thay đổi; tỉnh {}; ngày xét {}",
        report.evaluated,
        report.total.changed,
        province.map_or_else(|| "mọi tỉnh".to_owned(), |p| province_name(Some(i64::from(p)))),
        if v.as_of.is_empty() { "của kết quả đã lưu" } else { &v.as_of },
    );
    if let Err(e) = store::audit(&s.db, &s.account.email, "impact_report", &candidate.id, &detail).await {
        return internal(e);
    }
    tracing::info!(
        candidate = %candidate.id,
        evaluated = report.evaluated,
        changed = report.total.changed,
        read_secs = read.as_secs_f64(),
        total_secs = total.as_secs_f64(),
        "impact report"
    );
    let shown = render(l, &report, current, candidate, (read, total));
    page(&s, &v, Some(shown), StatusCode::OK)
}

fn not_a_pack(l: Lang, e: &kc_rulepack::PackError) -> String {
    match e {
        kc_rulepack::PackError::Parse { path, message } => match l {
            Lang::Vi => format!("Tệp không phải bộ quy tắc: lỗi tại «{path}»: {message}"),
            Lang::En => format!("The file is not a rule pack: error at «{path}»: {message}"),
        },
        kc_rulepack::PackError::MissingParam { .. } => match l {
            Lang::Vi => format!("Bộ quy tắc thiếu một tham số mà bộ máy tính cần (tại «{}»).", e.path()),
            Lang::En => format!("The pack lacks a parameter the engine reads (at «{}»).", e.path()),
        },
    }
}

fn vnd(d: Decimal) -> String {
    money(i64::try_from(d).unwrap_or(i64::MAX))
}

fn signed(d: Decimal) -> String {
    delta(i64::try_from(d).unwrap_or(0))
}

fn outcome(l: Lang, o: Outcome) -> &'static str {
    l.t(o.label_vi(), o.label_en())
}

fn fund_label(l: Lang, f: Fund) -> &'static str {
    l.t(f.label_vi(), f.label_en())
}

fn line_label(l: Lang, line: Line) -> &'static str {
    l.t(line.label_vi(), line.label_en())
}

/// The head and cells of a totals row: evaluated, changed, each fund before / after / change.
fn totals_head(l: Lang, first: &str) -> Markup {
    html! {
        thead {
            tr {
                th scope="col" rowspan="2" { (first) }
                th scope="col" rowspan="2" class="num" { (l.t("Hồ sơ", "Applications")) }
                th scope="col" rowspan="2" class="num" { (l.t("Thay đổi", "Changing")) }
                @for f in [Fund::National, Fund::Local] { th scope="colgroup" colspan="3" { (fund_label(l, f)) } }
            }
            tr {
                @for _ in 0..2 {
                    th scope="col" class="num" { (l.t("Trước", "Before")) }
                    th scope="col" class="num" { (l.t("Sau", "After")) }
                    th scope="col" class="num" { (l.t("Chênh lệch", "Difference")) }
                }
            }
        }
    }
}

fn totals_cells(t: &Totals) -> Markup {
    html! {
        td.num { (t.evaluated) }
        td.num { (t.changed) }
        td.num { (vnd(t.national_before)) }
        td.num { (vnd(t.national_after)) }
        td.num { strong { (signed(t.national_after - t.national_before)) } }
        td.num { (vnd(t.local_before)) }
        td.num { (vnd(t.local_after)) }
        td.num { strong { (signed(t.local_after - t.local_before)) } }
    }
}

fn render(
    l: Lang,
    r: &Report,
    current: &RulePack,
    candidate: &RulePack,
    (read, total): (std::time::Duration, std::time::Duration),
) -> Markup {
    let t = &r.total;
    html! {
        section aria-labelledby="h-impact" {
            h2 id="h-impact" { (l.t("Kết quả", "Report")) }
            p role="status" {
                strong { (r.evaluated) } " " (l.t("hồ sơ được đánh giá lại", "applications re-evaluated")) "; "
                strong { (t.changed) } " " (l.t("hồ sơ thay đổi", "change")) ". "
                (l.t("Không có gì đã lưu bị thay đổi.", "Nothing stored changed."))
            }
            p.muted {
                (l.t("Đang áp dụng", "Running")) ": " (current.id) " → " (l.t("dự kiến", "candidate")) ": " (candidate.id)
                " · " (l.t("đọc", "read")) " " (format!("{:.2}", read.as_secs_f64())) " s, "
                (l.t("tổng", "total")) " " (format!("{:.2}", total.as_secs_f64())) " s"
            }
            table {
                caption { (l.t("Theo nguồn kinh phí (kinh phí đề nghị hỗ trợ của mọi hồ sơ)", "By fund (requested support of every application)")) }
                thead { tr {
                    th scope="col" { (l.t("Nguồn kinh phí", "Fund")) }
                    th scope="col" class="num" { (l.t("Trước", "Before")) }
                    th scope="col" class="num" { (l.t("Sau", "After")) }
                    th scope="col" class="num" { (l.t("Chênh lệch", "Difference")) }
                } }
                tbody {
                    @for (f, b, a) in [(Fund::National, t.national_before, t.national_after), (Fund::Local, t.local_before, t.local_after)] {
                        tr {
                            th scope="row" { (fund_label(l, f)) }
                            td.num { (vnd(b)) }
                            td.num { (vnd(a)) }
                            td.num { strong { (signed(a - b)) } }
                        }
                    }
                }
            }
            @if !r.outcomes.is_empty() {
                table {
                    caption { (l.t("Kết quả đánh giá thay đổi", "Outcomes that change")) }
                    thead { tr {
                        th scope="col" { (l.t("Trước", "Before")) }
                        th scope="col" { (l.t("Sau", "After")) }
                        th scope="col" class="num" { (l.t("Số hồ sơ", "Applications")) }
                    } }
                    tbody {
                        @for (b, a, n) in &r.outcomes {
                            tr { td { (outcome(l, *b)) } td { (outcome(l, *a)) } td.num { (n) } }
                        }
                    }
                }
            }
            @if !r.by_province.is_empty() {
                table {
                    caption { (l.t("Theo tỉnh (các tỉnh có thay đổi)", "By province (where something changes)")) }
                    (totals_head(l, l.t("Tỉnh", "Province")))
                    tbody {
                        @for (code, pt) in &r.by_province {
                            tr {
                                th scope="row" { @match code { Some(c) => (province_name(Some(i64::from(*c)))), None => (l.t("(chưa chọn xã)", "(no commune)")) } }
                                (totals_cells(pt))
                            }
                        }
                    }
                }
            }
            @if !r.by_line.is_empty() {
                table {
                    caption { (l.t("Theo nội dung hỗ trợ (các nội dung có thay đổi)", "By support line (where something changes)")) }
                    (totals_head(l, l.t("Nội dung", "Line")))
                    tbody {
                        @for (line, lt) in &r.by_line {
                            tr { th scope="row" { (line_label(l, *line)) } (totals_cells(lt)) }
                        }
                    }
                }
            }
            @if !r.changed.is_empty() {
                table {
                    caption {
                        (l.t("Hồ sơ thay đổi", "Changed applications"))
                        @if r.changed.len() > LISTED { " (" (l.t("hiện", "showing")) " " (LISTED) "/" (r.changed.len()) ")" }
                    }
                    thead { tr {
                        th scope="col" { (l.t("Mã hồ sơ", "Receipt")) }
                        th scope="col" { (l.t("Tỉnh", "Province")) }
                        th scope="col" { (l.t("Ngày xét", "Assessed on")) }
                        th scope="col" { (l.t("Kết quả", "Outcome")) }
                        th scope="col" class="num" { (fund_label(l, Fund::National)) }
                        th scope="col" class="num" { (fund_label(l, Fund::Local)) }
                    } }
                    tbody {
                        @for c in r.changed.iter().take(LISTED) {
                            tr {
                                th scope="row" { a href={ "/staff/applications/" (url_enc(&c.receipt_code)) } { (c.receipt_code) } }
                                td { (province_name(c.province_code.map(i64::from))) }
                                td { (kc_rules::iso_date::vi(c.as_of)) }
                                td {
                                    @if c.impact.outcome_before == c.impact.outcome_after { (outcome(l, c.impact.outcome_after)) }
                                    @else { strong { (outcome(l, c.impact.outcome_before)) " → " (outcome(l, c.impact.outcome_after)) } }
                                }
                                td.num { (signed(c.delta_national)) }
                                td.num { (signed(c.delta_local)) }
                            }
                        }
                    }
                }
            }
            @if !r.failed.is_empty() {
                h3 { (l.t("Không đánh giá được", "Could not be evaluated")) " (" (r.failed.len()) ")" }
                ul { @for (code, e) in r.failed.iter().take(100) { li { (code) ": " (e) } } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn multipart_and_form_encoded_fields() {
        let fields = |t: &'static str, b: &'static [u8]| form_fields(t, axum::body::Bytes::from_static(b));
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"pack\"; filename=\"p.json\"\r\nContent-Type: application/json\r\n\r\n{\"a\":\r\n1}\r\n--XyZ--\r\n";
        let f = fields("multipart/form-data; boundary=XyZ", body).await.unwrap();
        assert_eq!(f["csrf"], b"abc");
        assert_eq!(f["pack"], b"{\"a\":\r\n1}");
        let f = fields("application/x-www-form-urlencoded", b"csrf=a&pack_text=%7B%7D").await.unwrap();
        assert_eq!(f["pack_text"], b"{}");
        assert!(fields("text/plain", b"x").await.is_none());
        assert!(fields("multipart/form-data; boundary=XyZ", b"--XyZ\r\nbroken").await.is_none());
    }
}
