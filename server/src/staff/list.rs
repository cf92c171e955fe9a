//! The application list: search, filters, sortable columns, totals, export links, and the
//! bulk status change form (`GET /staff/applications`).

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use maud::{Markup, html};

use super::auth::Scope;
use super::filter::{self, OUTCOMES, Parsed, RawFilter};
use super::html::{Lang, input_field, money, select_field, url_enc, when};
use super::labels::{self, Kind};
use super::session::{Session, internal};
use super::store::{self, AppRow, PAGE_SIZE, STATES, Sort};
use crate::state::AppState;

/// This page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/applications", get(list))
}

/// What the bulk form had when it came back with an error.
#[derive(Debug, Default, Clone)]
pub struct BulkForm {
    /// Ticked receipt codes.
    pub codes: Vec<String>,
    /// Target state.
    pub to: String,
    /// Comment.
    pub comment: String,
    /// Show to the applicant.
    pub for_applicant: bool,
    /// The message.
    pub error: Option<String>,
}

/// `GET /staff/applications`.
pub async fn list(s: Session, Query(raw): Query<RawFilter>) -> Response {
    render(&s, &raw, None).await
}

/// Applicant name and phone from the stored contact.
pub fn contact_of(r: &AppRow) -> (String, String, String) {
    let c: Option<kc_api::Contact> = r.contact_json.as_deref().and_then(|c| serde_json::from_str(c).ok());
    c.map(|c| (c.name, c.phone.unwrap_or_default(), c.email.unwrap_or_default())).unwrap_or_default()
}

/// Province name of a code.
pub fn province_name(code: Option<i64>) -> String {
    code.and_then(|c| u16::try_from(c).ok())
        .and_then(|c| kc_rulepack::bundled().province(c))
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// Commune name of a code.
pub fn commune_name(code: Option<i64>) -> String {
    code.and_then(|c| u32::try_from(c).ok())
        .and_then(|c| kc_rulepack::bundled().commune(c))
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// The filter form (shared with the overview): every field keeps what was typed, and a
/// bad value has its message beside it.
pub async fn filter_form(s: &Session, raw: &RawFilter, parsed: &Parsed, action: &str) -> anyhow::Result<Markup> {
    let l = s.lang;
    let scope = s.account.scope();
    let pack = kc_rulepack::bundled();
    let provinces: Vec<(String, String)> = pack
        .provinces
        .iter()
        .filter(|p| scope.allows(Some(i64::from(p.code))))
        .map(|p| (p.code.to_string(), p.name.clone()))
        .collect();
    let lines: Vec<(String, String)> =
        kc_rules::Line::ALL.iter().map(|x| (x.id().to_owned(), labels::label(l, Kind::Line, x.id()))).collect();
    let states: Vec<(String, String)> =
        STATES.iter().map(|x| ((*x).to_owned(), labels::label(l, Kind::State, x))).collect();
    let outcomes: Vec<(String, String)> =
        OUTCOMES.iter().map(|x| ((*x).to_owned(), labels::label(l, Kind::Outcome, x))).collect();
    let funds: Vec<(String, String)> =
        ["national", "local"].iter().map(|x| ((*x).to_owned(), labels::label(l, Kind::Fund, x))).collect();
    let drifts = vec![
        ("1".to_owned(), l.t("Có lệch", "Drift").to_owned()),
        ("0".to_owned(), l.t("Không lệch", "No drift").to_owned()),
    ];
    let mut officers: Vec<(String, String)> = vec![("none".to_owned(), l.t("Chưa phân công", "Unassigned").to_owned())];
    officers.extend(store::officers(&s.db, scope).await?.into_iter().map(|a| (a.id.to_string(), a.email)));
    // The picker offers the communes of the chosen province, or of the scope.
    let picker_province = parsed.filter.province.or(match scope {
        Scope::Province(p) => Some(p),
        Scope::All => None,
    });
    let communes: Vec<String> = pack
        .communes
        .iter()
        .filter(|c| picker_province.is_none_or(|p| i64::from(c.province_code) == p))
        .map(filter::commune_option)
        .collect();
    let v = |name: &str| raw.get(name).unwrap_or("").to_owned();
    let e = |name: &str| parsed.error(name);
    Ok(html! {
        form.filters.no-print method="get" action=(action) role="search" aria-label=(l.t("Tìm và lọc hồ sơ", "Search and filter")) {
            (input_field("q", l.t("Tìm mã hồ sơ, tên hoặc số điện thoại", "Receipt code, name or phone"), "search", &v("q"), e("q"), None))
            (select_field(l, "province", l.t("Tỉnh", "Province"), raw.get("province"), &provinces, e("province")))
            (input_field("commune", l.t("Xã, phường, đặc khu", "Commune"), "text", &v("commune"), e("commune"), Some("communes")))
            datalist id="communes" {
                @for c in &communes { option value=(c) {} }
            }
            (select_field(l, "line", l.t("Nội dung hỗ trợ", "Support line"), raw.get("line"), &lines, e("line")))
            (select_field(l, "fund", l.t("Nguồn kinh phí", "Fund"), raw.get("fund"), &funds, e("fund")))
            (select_field(l, "outcome", l.t("Kết quả", "Outcome"), raw.get("outcome"), &outcomes, e("outcome")))
            (select_field(l, "status", l.t("Trạng thái", "Status"), raw.get("status"), &states, e("status")))
            (select_field(l, "assigned", l.t("Cán bộ phụ trách", "Assigned officer"), raw.get("assigned"), &officers, e("assigned")))
            (select_field(l, "drift", l.t("Lệch kết quả", "Drift"), raw.get("drift"), &drifts, e("drift")))
            (input_field("from", l.t("Nhận từ ngày", "Received from"), "date", &v("from"), e("from"), None))
            (input_field("to", l.t("Đến ngày", "Received to"), "date", &v("to"), e("to"), None))
            @if let Some(sort) = raw.get("sort") { input type="hidden" name="sort" value=(sort); }
            @if let Some(dir) = raw.get("dir") { input type="hidden" name="dir" value=(dir); }
            div.field {
                button.primary { (l.t("Tìm và lọc", "Search and filter")) }
                a href=(action) { (l.t("Xoá bộ lọc", "Clear")) }
            }
        }
        @for (field, msg) in &parsed.errors {
            @if matches!(*field, "sort" | "dir" | "page") { p.err role="alert" { (msg) } }
        }
    })
}

/// Renders the list for `raw`, with the bulk form's state when it came back with an error.
pub async fn render(s: &Session, raw: &RawFilter, bulk: Option<BulkForm>) -> Response {
    let l = s.lang;
    let parsed = raw.parse(l, s.account.scope());
    let form = match filter_form(s, raw, &parsed, "/staff/applications").await {
        Ok(f) => f,
        Err(e) => return internal(e),
    };
    let title = l.t("Hồ sơ tự kiểm tra", "Self-check applications");
    if !parsed.errors.is_empty() {
        let body = html! {
            p.err role="alert" {
                (l.t("Bộ lọc có giá trị không hợp lệ; hãy sửa ô được đánh dấu.", "A filter value is not valid; correct the marked field."))
            }
            (form)
        };
        return s.page(StatusCode::BAD_REQUEST, title, body);
    }
    let (f, page) = (&parsed.filter, parsed.page);
    let (rows, totals) = match store::list(&s.db, s.account.scope(), &s.decisions(), f, page).await {
        Ok(x) => x,
        Err(e) => return internal(e),
    };
    let q = raw.query(&["page"]);
    let q_nosort = raw.query(&["page", "sort", "dir"]);
    let can_review = s.account.role.can_review();
    let bulk = bulk.unwrap_or_default();
    let sort_link = |col: Sort, label: &str| -> Markup {
        let current = f.sort == col;
        let next_dir = match (current, f.desc) {
            (true, true) => "asc",
            (true, false) => "desc",
            // Newest and largest first; everything else from A.
            (false, _) if matches!(col, Sort::Received | Sort::Amount) => "desc",
            (false, _) => "asc",
        };
        let href = format!(
            "/staff/applications?{q_nosort}{}sort={}&dir={next_dir}",
            if q_nosort.is_empty() { "" } else { "&" },
            col.id()
        );
        let aria = if current { Some(if f.desc { "descending" } else { "ascending" }) } else { None };
        html! {
            th scope="col" aria-sort=[aria] {
                a href=(href) { (label) @if current { (if f.desc { " ▼" } else { " ▲" }) } }
            }
        }
    };
    let pages = (totals.count + PAGE_SIZE - 1) / PAGE_SIZE;
    let sep = if q.is_empty() { "" } else { "&" };
    let body = html! {
        (form)
        section aria-label=(l.t("Tổng hợp", "Summary")) {
            p {
                (l.t("Số hồ sơ", "Applications")) ": " strong { (totals.count) }
                " · " (l.t("Tổng kinh phí hỗ trợ tính được", "Total computed support")) ": " strong { (money(totals.amount)) }
                @for (st, n) in &totals.by_status { " · " (labels::label(l, Kind::State, st)) ": " (n) }
            }
            @if s.decisions().current {
                p.muted id="decision-used" {
                    (l.t("Kết quả và kinh phí theo bộ quy tắc đang áp dụng nếu khác kết quả khi nhận hồ sơ (decision_policy = current).",
                         "Outcomes and amounts under the rules in force now where they differ from the result at receipt (decision_policy = current)."))
                }
            }
            p.no-print {
                a href={ "/staff/export.xlsx?" (q) } { (l.t("Xuất Excel (XLSX)", "Export Excel (XLSX)")) }
                " · " a href={ "/staff/export.csv?" (q) } { (l.t("Xuất CSV", "Export CSV")) }
                " · " a href={ "/staff/overview?" (q) } { (l.t("Biểu đồ tổng quan theo bộ lọc này", "Overview charts of this filter")) }
            }
        }
        form method="post" action="/staff/applications/bulk" {
            input type="hidden" name="csrf" value=(s.csrf);
            input type="hidden" name="back" value=(q);
            table {
                caption.muted { (l.t("Danh sách hồ sơ", "Applications")) " — " (l.t("Trang", "Page")) " " (page + 1) " / " (pages.max(1)) }
                thead {
                    tr {
                        @if can_review { th scope="col" { span.muted { (l.t("Chọn", "Select")) } } }
                        (sort_link(Sort::Code, l.t("Mã hồ sơ", "Receipt")))
                        (sort_link(Sort::Received, l.t("Ngày nhận", "Received")))
                        th scope="col" { (l.t("Người đề nghị", "Applicant")) }
                        (sort_link(Sort::Place, l.t("Tỉnh / xã", "Province / commune")))
                        th scope="col" { (l.t("Nội dung", "Lines")) }
                        (sort_link(Sort::Outcome, l.t("Kết quả", "Outcome")))
                        (sort_link(Sort::Status, l.t("Trạng thái", "Status")))
                        (sort_link(Sort::Assigned, l.t("Cán bộ", "Officer")))
                        (sort_link(Sort::Amount, l.t("Hỗ trợ", "Support")))
                    }
                }
                tbody {
                    @for r in &rows {
                        @let (name, phone, _) = contact_of(r);
                        @let amount = r.amount_national.unwrap_or(0).max(r.amount_local.unwrap_or(0));
                        tr {
                            @if can_review {
                                td {
                                    input type="checkbox" name="code" value=(r.code) id={ "pick-" (r.code) }
                                        checked[bulk.codes.contains(&r.code)]
                                        aria-label={ (l.t("Chọn hồ sơ", "Select application")) " " (r.code) };
                                }
                            }
                            td { a href={ "/staff/applications/" (url_enc(&r.code)) } { (r.code) } }
                            td { (when(r.received_at)) }
                            td { (name) @if !phone.is_empty() { br; span.muted { (phone) } } }
                            td { (province_name(r.province_code)) br; (commune_name(r.commune_code)) }
                            td { (super::html::lines_label(l, &r.support_lines)) }
                            td { (labels::label(l, Kind::Outcome, &r.outcome)) }
                            td {
                                (labels::label(l, Kind::State, &r.status))
                                @if r.drift { br; span.drift { (l.t("Lệch kết quả", "Drift")) } }
                            }
                            td { @if let Some(e) = &r.assigned_email { (e) } @else { span.muted { "—" } } }
                            td.num {
                                (money(amount))
                                @if let Some(a) = &r.adopted {
                                    @let other = if r.uses_adopted { &r.received } else { a };
                                    @let other_amount = other.amount_national.unwrap_or(0).max(other.amount_local.unwrap_or(0));
                                    br;
                                    span.muted.adopted {
                                        @if r.uses_adopted { (l.t("Khi nhận hồ sơ: ", "At receipt: ")) }
                                        @else { (l.t("Theo quy định hiện hành: ", "Under the rules now: ")) }
                                        (money(other_amount))
                                    }
                                }
                            }
                        }
                    }
                    @if rows.is_empty() {
                        tr { td colspan="10" { (l.t("Không có hồ sơ nào khớp.", "No application matches.")) } }
                    }
                }
            }
            @if can_review && !rows.is_empty() {
                (bulk_fields(l, &bulk))
            }
        }
        nav.no-print aria-label=(l.t("Trang", "Pages")) {
            p {
                @if page > 0 { a href={ "/staff/applications?" (q) (sep) "page=" (page - 1) } { "« " (l.t("Trước", "Previous")) } " · " }
                (l.t("Trang", "Page")) " " (page + 1) " / " (pages.max(1))
                @if page + 1 < pages { " · " a href={ "/staff/applications?" (q) (sep) "page=" (page + 1) } { (l.t("Sau", "Next")) " »" } }
            }
        }
    };
    let status = if bulk.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    s.page(status, title, body)
}

fn bulk_fields(l: Lang, b: &BulkForm) -> Markup {
    let states: Vec<(String, String)> =
        STATES.iter().map(|x| ((*x).to_owned(), labels::label(l, Kind::State, x))).collect();
    html! {
        fieldset.no-print {
            legend { (l.t("Đổi trạng thái các hồ sơ đã chọn", "Change the status of the selected applications")) }
            @if let Some(e) = &b.error { p.err role="alert" id="bulk-error" { (e) } }
            div.filters {
                div.field {
                    label for="bulk-to" { (l.t("Trạng thái mới", "New status")) }
                    select id="bulk-to" name="to" {
                        @for (v, t) in &states { option value=(v) selected[b.to == *v] { (t) } }
                    }
                }
                div.field {
                    label for="bulk-comment" {
                        (l.t("Ý kiến (bắt buộc khi từ chối hoặc gửi người nộp)", "Comment (required when rejecting or shown to the applicant)"))
                    }
                    textarea id="bulk-comment" name="comment" rows="2" cols="50" maxlength="2000" { (b.comment) }
                }
                div.field {
                    label {
                        input type="checkbox" name="for_applicant" value="1" checked[b.for_applicant];
                        " " (l.t("Gửi ý kiến cho người nộp", "Show the comment to the applicant"))
                    }
                }
                div.field { button.primary { (l.t("Đổi trạng thái", "Change status")) } }
            }
        }
    }
}
