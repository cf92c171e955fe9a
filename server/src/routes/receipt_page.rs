//! `GET /receipt/{code}`: the applicant's printable receipt, one A4 page rendered by the
//! server, so it prints without the host site's header, menu and footer and without growing
//! the widget's bundle. The receipt code (≥ 60 random bits) is the capability, as for the
//! status view; the page is `noindex` and never cached by shared caches.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use kc_api::Contact;
use kc_rules::{Application, Decision, Fund, Status, Vnd, vnd_in_words};
use serde::Deserialize;

use crate::codes;
use crate::error::ApiError;
use crate::recheck::outcome_id;
use crate::routes::applications::stored_enum;
use crate::staff::html::{Lang, esc, line_label, money, outcome_label, state_label, subject_label, when};
use crate::state::AppState;
use crate::store::PrintRow;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/receipt", get(by_query)).route("/receipt/{code}", get(by_path))
}

/// `?lang=vi|en`, and the code when it comes from the widget's lookup form.
#[derive(Deserialize)]
struct PageQuery {
    lang: Option<String>,
    code: Option<String>,
}

async fn by_path(
    state: State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    receipt_page(state, &code, q.lang.as_deref()).await
}

async fn by_query(state: State<AppState>, Query(q): Query<PageQuery>) -> Result<Response, ApiError> {
    receipt_page(state, q.code.as_deref().unwrap_or(""), q.lang.as_deref()).await
}

async fn receipt_page(State(state): State<AppState>, code: &str, lang: Option<&str>) -> Result<Response, ApiError> {
    let lang = lang.and_then(Lang::parse).unwrap_or(Lang::Vi);
    let row = match codes::normalize_receipt(code) {
        Some(code) => state.store.printable(&code).await?,
        None => None,
    };
    let adopted = match &row {
        Some(r) => crate::adopt::current_of(&crate::staff::db::Db::of(&state.store), &r.receipt_code, &state.pack.id)
            .await?
            .filter(crate::adopt::Current::differs),
        None => None,
    };
    let (status, body) = match row {
        Some(row) => {
            let note = adopted.as_ref().map(|c| adopted_note(c, state.settings.decision_policy)).unwrap_or_default();
            (StatusCode::OK, render(lang, state.pack, &state.settings, &row, &note)?)
        }
        None => (StatusCode::NOT_FOUND, not_found(lang)),
    };
    let mut response = (status, Html(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(response)
}

/// `700.000.000 đ (Bảy trăm triệu đồng)`.
fn amount(v: Vnd) -> String {
    let words = vnd_in_words(v);
    let mut c = words.chars();
    let words = c.next().map(|f| String::from(kc_rules::upper_vi(f)) + c.as_str()).unwrap_or_default();
    format!("<strong>{}</strong><br><span class=\"words\" lang=\"vi\">{}</span>", money(v.to_i64()), esc(&words))
}

/// Which decision the centre uses when the rule pack it runs now decides the application
/// differently from the one it was received under: Vietnamese, then English, whatever the
/// page's language, with the new outcome and each fund's amount.
fn adopted_note(c: &crate::adopt::Current, policy: crate::config::DecisionPolicy) -> String {
    let used = if c.used(policy) { kc_api::DecisionUsed::Current } else { kc_api::DecisionUsed::Received };
    let note = crate::routes::applications::decision_note(used);
    let line = |lang: Lang| {
        let fund = |f: Fund, v: Option<i64>| {
            format!(
                "{}: {}",
                esc(if lang == Lang::Vi { f.label_vi() } else { f.label_en() }),
                v.map_or_else(|| "—".to_owned(), money)
            )
        };
        format!(
            "{} {}; {}; {}",
            esc(lang.t("Kết quả theo quy định mới:", "Result under the new rules:")),
            esc(&outcome_label(lang, &c.outcome)),
            fund(Fund::National, c.amount_national),
            fund(Fund::Local, c.amount_local),
        )
    };
    format!(
        "<section class=\"adopted\"><h2>{} / {}</h2><p lang=\"vi\">{}<br>{}</p><p lang=\"en\">{}<br>{}</p></section>",
        "Quy định đã thay đổi",
        "The rules changed",
        esc(&note.vi),
        line(Lang::Vi),
        esc(&note.en),
        line(Lang::En),
    )
}

/// The page; `adopted` is the already-escaped [`adopted_note`] block, or empty.
fn render(
    lang: Lang,
    pack: &kc_rules::RulePack,
    settings: &crate::config::Settings,
    row: &PrintRow,
    adopted: &str,
) -> Result<String, ApiError> {
    let t = |vi, en| lang.t(vi, en);
    let app: Application = ApiError::parse_stored("answers", &row.answers_json)?;
    let decision: Decision = ApiError::parse_stored("server decision", &row.server_decision_json)?;
    let contact: Option<Contact> =
        row.contact_json.as_deref().map(|j| ApiError::parse_stored("contact", j)).transpose()?;

    let mut dl = String::new();
    let mut item = |term: &str, value: String| dl.push_str(&format!("<dt>{}</dt><dd>{value}</dd>", esc(term)));
    item(t("Mã biên nhận", "Receipt code"), format!("<strong class=\"code\">{}</strong>", esc(&row.receipt_code)));
    item(
        t("Thời điểm trung tâm nhận", "Received"),
        format!("{} ({})", when(row.received_at), t("giờ Việt Nam", "Vietnam time")),
    );
    if let Some(c) = &row.centre_id {
        item(t("Trung tâm tiếp nhận", "Receiving centre"), esc(settings.centre_name(c)));
    }
    item(t("Tình trạng", "Status"), format!("<strong>{}</strong>", esc(&state_label(lang, &row.status))));
    if let Ok(review) = stored_enum::<kc_api::ReviewState>(&row.status, "status") {
        let next = crate::routes::applications::next_step(review, decision.outcome);
        item(t("Bước tiếp theo", "Next step"), esc(if lang == Lang::Vi { &next.vi } else { &next.en }));
    }
    if let Some(c) = &contact {
        item(t("Cơ sở / người liên hệ", "Establishment / contact"), esc(&c.name));
        if let Some(p) = &c.phone {
            item(t("Điện thoại", "Phone"), esc(p));
        }
        if let Some(e) = &c.email {
            item(t("Thư điện tử", "E-mail"), esc(e));
        }
    }
    if let Some(s) = app.subject.and_then(|s| serde_json::to_value(s).ok()).and_then(|v| v.as_str().map(str::to_owned))
    {
        item(t("Loại hình", "Kind of establishment"), esc(&subject_label(lang, &s)));
    }
    if let Some(c) = app.location.commune_code.and_then(|c| pack.commune(c)) {
        let province = pack.province(c.province_code).map(|p| p.name.as_str()).unwrap_or("");
        item(t("Nơi sản xuất", "Place of production"), esc(&format!("{}, {province}", c.name)));
    }
    item(t("Kết quả (theo máy chủ)", "Result (server)"), esc(&outcome_label(lang, outcome_id(&decision))));
    if let Some((digest, key)) = crate::attest::short(row.attestation_json.as_deref()) {
        item(
            t("Mã kiểm tra (chữ ký số)", "Digest (signed)"),
            format!("<span class=\"code\">{}</span> · {} {}", esc(&digest), t("khóa", "key"), esc(&key)),
        );
    }

    let mut rows = String::new();
    for r in &app.lines {
        let fund = |f: Fund| {
            decision
                .support
                .iter()
                .find(|s| s.line == r.line && s.fund == f)
                .map(|s| match (s.status, s.amount) {
                    (Status::NotMet, _) => t("Không đạt", "Not met").to_owned(),
                    (_, Some(v)) => amount(v),
                    (_, None) => s
                        .ceiling
                        .map(|c| format!("{} {}", t("Tối đa", "At most"), amount(c)))
                        .unwrap_or_else(|| t("chưa xác định", "not determined").to_owned()),
                })
                .unwrap_or_else(|| "—".to_owned())
        };
        let cost = r.cost.map(amount).unwrap_or_else(|| t("chưa nhập", "not given").to_owned());
        let learners = r.learners.map(|n| format!("<br>{n} {}", t("học viên", "learners"))).unwrap_or_default();
        rows.push_str(&format!(
            // On a phone the columns stack; each cell then says what it is (`data-label`).
            "<tr><th scope=\"row\">{}</th><td data-label=\"{}\">{cost}{learners}</td>\
             <td data-label=\"{}\">{}</td><td data-label=\"{}\">{}</td></tr>",
            esc(&line_label(lang, r.line.id())),
            esc(t("Chi phí dự kiến", "Expected cost")),
            esc(t(Fund::National.label_vi(), Fund::National.label_en())),
            fund(Fund::National),
            esc(t(Fund::Local.label_vi(), Fund::Local.label_en())),
            fund(Fund::Local),
        ));
    }
    let papers: String = decision
        .papers
        .iter()
        .map(|p| format!("<li>{}</li>", esc(if lang == Lang::Vi { &p.label.vi } else { &p.label.en })))
        .collect();
    let comment = row
        .applicant_comment
        .as_deref()
        .map(|c| {
            format!(
                "<h2>{}</h2><p class=\"comment\">{}</p>",
                t("Ghi chú của trung tâm", "The centre's comment"),
                esc(c)
            )
        })
        .unwrap_or_default();
    let other = match lang {
        Lang::Vi => "<a href=\"?lang=en\" lang=\"en\">English</a>",
        Lang::En => "<a href=\"?lang=vi\" lang=\"vi\">Tiếng Việt</a>",
    };
    Ok(format!(
        r#"<!doctype html>
<html lang="{code}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title} {receipt}</title>
<style>{CSS}</style></head>
<body><main>
<p class="noprint">{other}</p>
<h1>{title}</h1>
<dl>{dl}</dl>
{adopted}
{comment}
<h2>{requested}</h2>
<table><thead><tr><th scope="col">{line}</th><th scope="col">{cost}</th><th scope="col">{national}</th><th scope="col">{local}</th></tr></thead>
<tbody>{rows}</tbody></table>
<h2>{papers_h}</h2>
<ul>{papers}</ul>
<p class="note">{note}</p>
<p class="noprint">{print_hint}</p>
</main></body></html>
"#,
        code = lang.code(),
        title = t("Biên nhận hồ sơ tự kiểm tra khuyến công", "Industrial-extension self-check receipt"),
        receipt = esc(&row.receipt_code),
        requested = t("Nội dung đề nghị hỗ trợ", "Support requested"),
        line = t("Nội dung", "Line"),
        cost = t("Chi phí dự kiến", "Expected cost"),
        national = esc(t(Fund::National.label_vi(), Fund::National.label_en())),
        local = esc(t(Fund::Local.label_vi(), Fund::Local.label_en())),
        papers_h = t("Giấy tờ cần mang theo khi làm việc với trung tâm", "Papers to bring to the centre"),
        papers = if papers.is_empty() {
            format!("<li>{}</li>", t("Trung tâm sẽ hướng dẫn.", "The centre will advise."))
        } else {
            papers
        },
        note = t(
            "Mức hỗ trợ là kết quả tự kiểm tra theo quy định hiện hành; trung tâm khuyến công xem xét và quyết định. Giữ mã biên nhận để tra cứu tình trạng hồ sơ.",
            "The amounts are a self-check under the rules in force; the centre reviews and decides. Keep the receipt code to look up the application.",
        ),
        print_hint = t(
            "In trang này bằng lệnh In của trình duyệt (Ctrl+P).",
            "Print this page with the browser's Print command (Ctrl+P)."
        ),
    ))
}

fn not_found(lang: Lang) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head>\
         <body><main><h1>{}</h1><p>{}</p></main></body></html>",
        lang.code(),
        lang.t("Không tìm thấy biên nhận", "Receipt not found"),
        lang.t("Không tìm thấy biên nhận", "Receipt not found"),
        lang.t(
            "Hãy kiểm tra lại mã biên nhận (không phân biệt chữ hoa, chữ thường; có thể bỏ dấu gạch).",
            "Check the receipt code (any case, dashes optional).",
        ),
    )
}

const CSS: &str = "body{margin:0;font:16px/1.5 'Noto Sans','DejaVu Sans',Roboto,Arial,sans-serif;color:#111;background:#fff}\
main{max-width:780px;margin:0 auto;padding:16px}h1{font-size:1.4em;margin:0 0 12px}h2{font-size:1.1em;margin:18px 0 6px}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}dt{color:#333}dd{margin:0}\
.code{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em;font-size:1.15em}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #666;padding:6px;text-align:left;vertical-align:top}\
.words{font-style:italic;font-size:.9em}.adopted{border:2px solid #444;padding:0 10px;margin-top:12px}.note{font-size:.9em;color:#333;margin-top:18px}.comment{border-left:4px solid #444;padding-left:8px}\
@media (max-width:520px){dl{grid-template-columns:1fr}td,th{display:block}thead{display:none}\
td[data-label]::before{content:attr(data-label) \": \";font-weight:600}}\
@media print{.noprint{display:none}main{padding:0;max-width:none}@page{size:A4;margin:15mm}}";
