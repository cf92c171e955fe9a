//! One application (`GET /staff/applications/{code}`): every answer with its label, the
//! criteria with label, mark, reason and citation, each fund's amount or why there is none,
//! both decisions when they drifted or were corrected, the history, the review, assignment
//! and correction forms, and an A4 print slip (`@media print`).

use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use kc_rules::{Application, Basis, Decision, Fund, Status, Vnd};
use maud::{Markup, html};

use super::answers::{self, Input};
use super::html::{Lang, money, url_enc, when};
use super::labels::{self, Kind};
use super::list::{commune_name, contact_of, province_name};
use super::session::{Session, internal};
use super::store::{self, Detail, STATES};
use crate::state::AppState;

/// This page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/applications/{code}", get(detail))
}

/// The review form's values when it comes back with an error.
#[derive(Debug, Default, Clone)]
pub struct ReviewValues {
    /// Target state.
    pub to: String,
    /// Comment.
    pub comment: String,
    /// Show to the applicant.
    pub for_applicant: bool,
    /// The message.
    pub error: Option<String>,
}

/// The correction form's values when it comes back with an error.
#[derive(Debug, Default, Clone)]
pub struct CorrectionValues {
    /// Answer id.
    pub field: String,
    /// Typed value.
    pub value: String,
    /// Why.
    pub comment: String,
    /// The message.
    pub error: Option<String>,
}

/// What a re-rendered detail page carries back.
#[derive(Debug, Default, Clone)]
pub struct Forms {
    /// Review form.
    pub review: ReviewValues,
    /// Correction form.
    pub correction: CorrectionValues,
}

/// `GET /staff/applications/{code}`.
pub async fn detail(s: Session, Path(code): Path<String>) -> Response {
    render(&s, &code, Forms::default(), StatusCode::OK).await
}

fn mark(lang: Lang, st: Status) -> Markup {
    let (sym, word, class) = match st {
        Status::Met => ("✓", lang.t("Đạt", "Met"), "mark-met"),
        Status::NotMet => ("✗", lang.t("Không đạt", "Not met"), "mark-not_met"),
        Status::Unknown => ("?", lang.t("Chưa rõ", "Unknown"), "mark-unknown"),
    };
    html! { span class=(class) { (sym) " " (word) } }
}

fn confidence(lang: Lang, c: kc_rules::Confidence) -> &'static str {
    match c {
        kc_rules::Confidence::V => lang.t("đã đối chiếu văn bản", "checked against the text"),
        kc_rules::Confidence::S => lang.t("nguồn thứ cấp", "secondary source"),
        kc_rules::Confidence::R => lang.t("chưa kiểm chứng", "not verified"),
    }
}

/// The labels of the criteria a decision does not meet.
pub fn failing_criteria(lang: Lang, d: &Decision) -> Vec<String> {
    d.criteria
        .iter()
        .filter(|c| c.status == Status::NotMet)
        .map(|c| labels::label(lang, Kind::Criterion, &c.id))
        .collect()
}

/// Per requested line and fund: the amount, or the reason there is none.
fn support_cell(lang: Lang, d: &Decision, line: kc_rules::Line, fund: Fund) -> Markup {
    let Some(sr) = d.support.iter().find(|x| x.line == line && x.fund == fund) else {
        return html! { span.muted { (lang.t("Nguồn này không hỗ trợ nội dung này.", "This fund does not support this line.")) } };
    };
    let why: String = match (sr.amount, sr.status, sr.basis) {
        (Some(a), _, _) => {
            return html! {
                strong { (a.to_string()) }
                @if sr.cap_applied { " " span.muted { (lang.t("(áp mức trần)", "(cap applied)")) } }
                @if let Some(n) = &sr.note { br; span.muted { (lang.text(&n)) } }
            };
        }
        (None, Status::NotMet, _) => {
            let failing: Vec<String> = d
                .criteria
                .iter()
                .filter(|c| c.status == Status::NotMet && (c.lines.is_empty() || c.lines.contains(&line)))
                .map(|c| labels::label(lang, Kind::Criterion, &c.id))
                .collect();
            format!("{}: {}", lang.t("Không đạt tiêu chí", "Criteria not met"), failing.join("; "))
        }
        (None, _, Basis::CeilingOnly) => match sr.ceiling {
            Some(c) => format!("{} {c}", lang.t("Chỉ biết mức trần: tối đa", "Only the cap is known: at most")),
            None => lang.t("Chỉ biết mức trần.", "Only the cap is known.").to_owned(),
        },
        (None, _, Basis::SetByProvince) => lang
            .t(
                "Mức hỗ trợ do tỉnh quyết định; bộ quy tắc chưa có nghị quyết của tỉnh này.",
                "The province sets this amount; the rule pack has no resolution of this province.",
            )
            .to_owned(),
        (None, _, Basis::NeedCost) => lang.t("Chưa khai chi phí.", "No cost given.").to_owned(),
        (None, _, Basis::NoValue) => lang
            .t(
                "Không có mức hỗ trợ có hiệu lực cho nguồn này vào ngày xét.",
                "No value in force for this fund on that date.",
            )
            .to_owned(),
        (None, Status::Unknown, _) => lang.t("Cần thêm thông tin để tính.", "More answers are needed.").to_owned(),
        (None, Status::Met, Basis::Computed) => lang.t("Không có số tiền.", "No amount.").to_owned(),
    };
    let note = sr.note.as_ref().map(|n| lang.text(&n).to_owned());
    html! {
        span.muted { (lang.t("Không có số tiền", "No amount")) ": " (why) }
        @if let Some(n) = note { br; span.muted { (n) } }
    }
}

fn criteria_table(lang: Lang, d: &Decision, caption: &str) -> Markup {
    html! {
        table {
            caption { (caption) }
            thead {
                tr {
                    th scope="col" { (lang.t("Tiêu chí", "Criterion")) }
                    th scope="col" { (lang.t("Kết quả", "Result")) }
                    th scope="col" { (lang.t("Giải thích", "Reason")) }
                    th scope="col" { (lang.t("Căn cứ", "Citation")) }
                }
            }
            tbody {
                @for c in &d.criteria {
                    tr {
                        th scope="row" { (labels::label(lang, Kind::Criterion, &c.id)) }
                        td { (mark(lang, c.status)) }
                        td { (lang.text(&c.reason)) }
                        td { (c.citation.to_string()) br; span.muted { "(" (confidence(lang, c.confidence)) ")" } }
                    }
                }
            }
        }
    }
}

fn support_table(lang: Lang, app: &Application, d: &Decision, caption: &str) -> Markup {
    html! {
        table {
            caption { (caption) }
            thead {
                tr {
                    th scope="col" { (lang.t("Nội dung", "Line")) }
                    th scope="col" { (lang.t("Chi phí đề nghị", "Requested cost")) }
                    th scope="col" { (labels::label(lang, Kind::Fund, "national")) }
                    th scope="col" { (labels::label(lang, Kind::Fund, "local")) }
                }
            }
            tbody {
                @for r in &app.lines {
                    tr {
                        th scope="row" { (labels::label(lang, Kind::Line, r.line.id())) }
                        td.num { @if let Some(c) = r.cost { (c.to_string()) } @else { "—" } }
                        td { (support_cell(lang, d, r.line, Fund::National)) }
                        td { (support_cell(lang, d, r.line, Fund::Local)) }
                    }
                }
            }
        }
    }
}

fn summary_row(lang: Lang, label: &str, d: &Decision) -> Markup {
    let outcome = crate::recheck::outcome_id(d);
    html! {
        tr {
            th scope="row" { (label) }
            td { (labels::label(lang, Kind::Outcome, outcome)) }
            td.num { (d.total(Fund::National).to_string()) }
            td.num { (d.total(Fund::Local).to_string()) }
            td { (lang.text(&kc_rules::pack_label(&d.pack_id))) }
        }
    }
}

fn requested(app: &Application) -> Vnd {
    app.lines.iter().filter_map(|l| l.cost).fold(Vnd::ZERO, Vnd::saturating_add)
}

/// Renders the page, with the forms' values when one came back with an error.
pub async fn render(s: &Session, code: &str, forms: Forms, status: StatusCode) -> Response {
    let l = s.lang;
    let d: Detail = match store::detail(&s.db, s.account.scope(), code).await {
        Ok(Some(d)) => d,
        Ok(None) => return s.not_found(),
        Err(e) => return internal(e),
    };
    let officers =
        match store::officers(&s.db, super::auth::Scope::of(super::auth::Role::ProvinceStaff, d.row.province_code))
            .await
        {
            Ok(o) => o,
            Err(e) => return internal(e),
        };
    // Adoption of a new rule pack: the running pack's decision beside the received one.
    let adopted = match crate::adopt::current_of(&s.db, &d.row.code, &s.pack.id).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let original_decision: Option<Decision> = serde_json::from_str(&d.server_decision_json).ok();
    let client: Option<Decision> = serde_json::from_str(&d.client_decision_json).ok();
    let original: Option<Application> = serde_json::from_str(&d.original_answers_json).ok();
    let current_app: Option<Application> = serde_json::from_str(&d.row.answers_json).ok();
    let latest = d.versions.last();
    let current: Option<Decision> = match latest {
        Some(v) => serde_json::from_str(&v.decision_json).ok(),
        None => original_decision.clone(),
    };
    let (Some(app), Some(dec), Some(orig_app), Some(orig_dec)) = (current_app, current, original, original_decision)
    else {
        return internal(anyhow::anyhow!("stored application {code} does not parse"));
    };
    let r = &d.row;
    let (name, phone, email) = contact_of(r);
    let total = Vnd::new(r.amount_national.unwrap_or(0).max(r.amount_local.unwrap_or(0))).unwrap_or(Vnd::ZERO);
    let corrected = latest.is_some();
    let answered_now = answers::answered(&app, l);
    let answered_orig = answers::answered(&orig_app, l);
    let review_values = if forms.review.to.is_empty() {
        ReviewValues { to: r.status.clone(), ..forms.review.clone() }
    } else {
        forms.review.clone()
    };
    let cv = &forms.correction;
    let can_review = s.account.role.can_review();
    let place = format!("{} · {}", commune_name(r.commune_code), province_name(r.province_code));
    let receipt_check = super::verify::block(s, &r.code).await;
    let body = html! {
        div.screen-only {
        section aria-labelledby="h-summary" {
            h2 id="h-summary" { (l.t("Tóm tắt", "Summary")) }
            table {
                tbody {
                    tr { th scope="row" { (l.t("Mã hồ sơ", "Receipt")) } td { strong { (r.code) } } }
                    tr { th scope="row" { (l.t("Ngày nhận", "Received")) } td { (when(r.received_at)) } }
                    @if let Some(c) = &r.centre_id {
                        tr { th scope="row" { (l.t("Gửi qua trang của", "Sent through the page of")) } td { (s.settings.centre_name(c)) } }
                    }
                    tr { th scope="row" { (l.t("Người đề nghị", "Applicant")) } td { (name) } }
                    tr { th scope="row" { (l.t("Liên hệ", "Contact")) } td { (phone) @if !email.is_empty() { " · " (email) } } }
                    tr { th scope="row" { (l.t("Địa bàn", "Place")) } td { (place) } }
                    tr { th scope="row" { (l.t("Trạng thái", "Status")) } td { strong { (labels::label(l, Kind::State, &r.status)) } } }
                    tr { th scope="row" { (l.t("Cán bộ phụ trách", "Assigned officer")) } td { (r.assigned_email.clone().unwrap_or_else(|| l.t("Chưa phân công", "Unassigned").to_owned())) } }
                    tr { th scope="row" { (l.t("Kết quả (máy chủ)", "Outcome (server)")) } td { (labels::label(l, Kind::Outcome, &r.outcome)) @if corrected { " " span.muted { (l.t("(sau khi cán bộ sửa)", "(after the staff correction)")) } } } }
                    tr { th scope="row" { (l.t("Kinh phí hỗ trợ", "Support amount")) } td { strong { (total.to_string()) } br; em { (kc_rules::vnd_in_words(total)) } } }
                    tr { th scope="row" { (l.t("Kinh phí đề nghị", "Requested")) } td { (requested(&app).to_string()) } }
                    tr { th scope="row" { (l.t("Bộ quy tắc", "Rule pack")) } td { (l.text(&kc_rules::pack_label(&dec.pack_id))) } }
                }
            }
            p.no-print { (l.t("In phiếu hồ sơ (A4): dùng lệnh In của trình duyệt (Ctrl+P).", "Print the A4 dossier slip with the browser's Print (Ctrl+P).")) }
        }
        (receipt_check)
        (super::decisions::block(l, adopted.as_ref(), s.policy))
        @if r.drift || corrected {
            section aria-labelledby="h-both" {
                h2 id="h-both" class=[r.drift.then_some("drift")] {
                    @if corrected { (l.t("Kết quả trước và sau khi cán bộ sửa", "Results before and after the staff correction")) }
                    @else { (l.t("Kết quả của máy chủ khác kết quả người nộp đã thấy", "The server's result differs from what the applicant saw")) }
                }
                table {
                    thead { tr {
                        th scope="col" { (l.t("Kết quả", "Result")) }
                        th scope="col" { (l.t("Đánh giá", "Outcome")) }
                        th scope="col" { (labels::label(l, Kind::Fund, "national")) }
                        th scope="col" { (labels::label(l, Kind::Fund, "local")) }
                        th scope="col" { (l.t("Bộ quy tắc", "Rule pack")) }
                    } }
                    tbody {
                        @if let Some(c) = &client { (summary_row(l, l.t("Người nộp thấy (widget)", "Applicant saw (widget)"), c)) }
                        (summary_row(l, l.t("Máy chủ, theo câu trả lời của người nộp", "Server, on the applicant's answers"), &orig_dec))
                        @if corrected { (summary_row(l, l.t("Máy chủ, sau khi cán bộ sửa", "Server, after the staff correction"), &dec)) }
                    }
                }
            }
        }
        section aria-labelledby="h-answers" {
            h2 id="h-answers" { (l.t("Câu trả lời", "Answers")) " (" (answered_now.len()) ")" }
            table {
                thead { tr {
                    th scope="col" { (l.t("Câu hỏi", "Question")) }
                    th scope="col" { (l.t("Người nộp trả lời", "Applicant's answer")) }
                    @if corrected { th scope="col" { (l.t("Sau khi cán bộ sửa", "After the staff correction")) } }
                } }
                tbody {
                    @for (id, label, value) in &answered_now {
                        @let orig = answered_orig.iter().find(|(x, _, _)| x == id).map(|(_, _, v)| v.clone());
                        tr {
                            th scope="row" { (label) }
                            @if corrected {
                                td { (orig.clone().unwrap_or_else(|| "—".to_owned())) }
                                td { @if orig.as_deref() != Some(value.as_str()) { strong { (value) } } @else { (value) } }
                            } @else {
                                td { (value) }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="h-criteria" {
            h2 id="h-criteria" { (l.t("Tiêu chí", "Criteria")) }
            (criteria_table(l, &dec, l.t("Tiêu chí của kết quả hiện tại", "Criteria of the current result")))
        }
        section aria-labelledby="h-support" {
            h2 id="h-support" { (l.t("Hỗ trợ theo nguồn kinh phí", "Support by fund")) }
            (support_table(l, &app, &dec, l.t("Số tiền hoặc lý do không có", "Amount, or why there is none")))
        }
        section aria-labelledby="h-history" {
            h2 id="h-history" { (l.t("Lịch sử", "History")) }
            table {
                thead { tr {
                    th scope="col" { (l.t("Thời điểm", "When")) }
                    th scope="col" { (l.t("Người", "Who")) }
                    th scope="col" { (l.t("Thay đổi", "Change")) }
                    th scope="col" { (l.t("Ý kiến", "Comment")) }
                } }
                tbody {
                    @for e in &d.history {
                        tr {
                            td { (when(e.at)) }
                            td { (e.actor) }
                            td { (labels::label(l, Kind::State, &e.from_status)) " → " (labels::label(l, Kind::State, &e.to_status)) }
                            td { (e.comment) @if e.for_applicant { " " em { (l.t("(gửi người nộp)", "(to the applicant)")) } } }
                        }
                    }
                    @for v in &d.versions {
                        tr {
                            td { (when(v.at)) }
                            td { (v.actor) }
                            td { (l.t("Sửa", "Corrected")) " " (labels::label(l, Kind::Answer, &v.field)) ": " (v.old_value) " → " (v.new_value) " (" (l.t("phiên bản", "version")) " " (v.version) ")" }
                            td { (v.comment) }
                        }
                    }
                    @if d.history.is_empty() && d.versions.is_empty() {
                        tr { td colspan="4" { (l.t("Chưa có thay đổi.", "No changes yet.")) } }
                    }
                }
            }
        }
        @if can_review {
            section.no-print aria-labelledby="h-review" {
                h2 id="h-review" { (l.t("Xét duyệt", "Review")) }
                form method="post" action={ "/staff/applications/" (url_enc(&r.code)) "/review" } {
                    input type="hidden" name="csrf" value=(s.csrf);
                    @if let Some(e) = &review_values.error { p.err role="alert" id="review-error" { (e) } }
                    div.field {
                        label for="to" { (l.t("Trạng thái mới", "New status")) }
                        select id="to" name="to" {
                            @for st in STATES.iter().filter(|to| store::transition_allowed(&r.status, to)) {
                                option value=(st) selected[review_values.to == *st] { (labels::label(l, Kind::State, st)) }
                            }
                        }
                    }
                    div.field {
                        label for="comment" { (l.t("Ý kiến (bắt buộc khi từ chối hoặc gửi người nộp)", "Comment (required when rejecting or shown to the applicant)")) }
                        textarea id="comment" name="comment" rows="3" cols="80" maxlength="2000"
                            aria-invalid=[review_values.error.as_ref().map(|_| "true")] aria-describedby=[review_values.error.as_ref().map(|_| "review-error")] { (review_values.comment) }
                    }
                    div.field {
                        label { input type="checkbox" name="for_applicant" value="1" checked[review_values.for_applicant]; " " (l.t("Gửi ý kiến này cho người nộp", "Show this comment to the applicant")) }
                    }
                    p { button.primary { (l.t("Lưu", "Save")) } }
                }
                h2 id="h-assign" { (l.t("Phân công", "Assignment")) }
                form method="post" action={ "/staff/applications/" (url_enc(&r.code)) "/assign" } {
                    input type="hidden" name="csrf" value=(s.csrf);
                    div.filters {
                        div.field {
                            label for="officer" { (l.t("Cán bộ phụ trách", "Assigned officer")) }
                            select id="officer" name="officer" {
                                option value="" { (l.t("— chưa phân công —", "— unassigned —")) }
                                @for o in &officers { option value=(o.id) selected[r.assigned_to == Some(o.id)] { (o.email) } }
                            }
                        }
                        div.field { button.primary { (l.t("Phân công", "Assign")) } }
                    }
                }
                h2 id="h-correct" { (l.t("Sửa câu trả lời", "Correct an answer")) }
                p.muted { (l.t(
                    "Câu trả lời của người nộp được giữ nguyên; bản sửa được lưu thành phiên bản mới và tính lại bằng bộ quy tắc.",
                    "The applicant's answers are kept; the correction is stored as a new version and recomputed by the rules engine."
                )) }
                form method="post" action={ "/staff/applications/" (url_enc(&r.code)) "/correct" } {
                    input type="hidden" name="csrf" value=(s.csrf);
                    @if let Some(e) = &cv.error { p.err role="alert" id="correct-error" { (e) } }
                    div.filters {
                        div.field {
                            label for="field" { (l.t("Câu trả lời", "Answer")) }
                            select id="field" name="field" {
                                @for (id, input) in answers::correctable(&app) {
                                    option value=(id) selected[cv.field == id] {
                                        (labels::label(l, Kind::Answer, &id))
                                        @if let Some(v) = answers::value(&app, &id, l) { " — " (v) }
                                        @if input == Input::Subject { " (" (l.t("ghi mã loại hình", "type the kind id")) ")" }
                                    }
                                }
                            }
                        }
                        div.field {
                            label for="value" { (l.t("Giá trị đúng", "Correct value")) }
                            input id="value" name="value" value=(cv.value) required list="correct-values"
                                aria-invalid=[cv.error.as_ref().map(|_| "true")] aria-describedby=[cv.error.as_ref().map(|_| "correct-error")];
                            datalist id="correct-values" {
                                option value="có" {} option value="không" {}
                                @for (id, label) in answers::subject_choices(l) { option value=(id) { (label) } }
                            }
                        }
                        div.field {
                            label for="why" { (l.t("Lý do sửa (bắt buộc)", "Why (required)")) }
                            input id="why" name="comment" value=(cv.comment) required maxlength="500" size="40";
                        }
                        div.field { button.primary { (l.t("Lưu bản sửa", "Save the correction")) } }
                    }
                }
            }
        }
        }
        (slip(l, &d, &app, &dec, &name, &phone, &email, &place, total))
    };
    s.page(status, &format!("{} {}", l.t("Hồ sơ", "Application"), r.code), body)
}

/// The A4 dossier slip, shown only in print.
#[allow(clippy::too_many_arguments)]
fn slip(
    l: Lang,
    d: &Detail,
    app: &Application,
    dec: &Decision,
    name: &str,
    phone: &str,
    email: &str,
    place: &str,
    total: Vnd,
) -> Markup {
    let r = &d.row;
    let national = dec.total(Fund::National);
    let local = dec.total(Fund::Local);
    html! {
        section.slip aria-label=(l.t("Phiếu hồ sơ", "Dossier slip")) {
            p { strong { (l.t("PHIẾU TIẾP NHẬN HỒ SƠ TỰ KIỂM TRA KHUYẾN CÔNG", "INDUSTRIAL EXTENSION SELF-CHECK DOSSIER SLIP")) } }
            table {
                tbody {
                    tr { th { (l.t("Mã hồ sơ", "Receipt")) } td { strong { (r.code) } } th { (l.t("Ngày nhận", "Received")) } td { (when(r.received_at)) } }
                    tr { th { (l.t("Người đề nghị", "Applicant")) } td colspan="3" { (name) @if let Some(s) = app.subject { " — " (labels::label(l, Kind::Subject, &serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())) } } }
                    tr { th { (l.t("Liên hệ", "Contact")) } td colspan="3" { (phone) @if !email.is_empty() { " · " (email) } } }
                    tr { th { (l.t("Địa bàn", "Place")) } td colspan="3" { (place) } }
                    tr { th { (l.t("Trạng thái", "Status")) } td { (labels::label(l, Kind::State, &r.status)) } th { (l.t("Kết quả", "Outcome")) } td { (labels::label(l, Kind::Outcome, &r.outcome)) } }
                }
            }
            h2 { (l.t("Nội dung đề nghị hỗ trợ", "Requested support")) }
            (support_table(l, app, dec, l.t("Chi phí và số tiền hỗ trợ theo nguồn", "Costs and support by fund")))
            p {
                (l.t("Tổng hỗ trợ", "Total support")) ": " strong { (money(total.to_i64())) } " — " em { (kc_rules::vnd_in_words(total)) }
                br;
                (labels::label(l, Kind::Fund, "national")) ": " (national.to_string()) " · "
                (labels::label(l, Kind::Fund, "local")) ": " (local.to_string())
            }
            h2 { (l.t("Tiêu chí", "Criteria")) }
            ul {
                @for c in &dec.criteria {
                    li { (mark(l, c.status)) " " strong { (labels::label(l, Kind::Criterion, &c.id)) } " — " (l.text(&c.reason)) " (" (c.citation.to_string()) ")" }
                }
            }
            @if !dec.papers.is_empty() {
                h2 { (l.t("Giấy tờ cần mang theo", "Papers to bring")) }
                ol { @for p in dec.papers.iter() { li { (l.text(&p.label)) } } }
            }
            p.muted { (l.t("Kết quả tự kiểm tra chỉ để tham khảo; trung tâm xét duyệt theo hồ sơ đề án.", "The self-check is for guidance; the centre decides on the full dossier.")) " · " (l.t("bộ quy tắc", "rule pack")) " " (l.text(&kc_rules::pack_label(&dec.pack_id))) }
        }
    }
}
