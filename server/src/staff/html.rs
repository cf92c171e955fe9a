//! HTML for the staff pages: the page frame, form fields and formatting.
//!
//! Pages are [maud] templates: checked at compile time, and every spliced value is escaped
//! unless it is explicitly `PreEscaped` (only the constant style sheet and server-drawn SVG
//! charts are). [`esc`] stays for the applicant's receipt page, which is still `format!`ed.

use std::fmt::Write as _;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::labels::{self, Kind};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query-string value.
pub fn url_enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Vietnamese (the default).
    Vi,
    /// English.
    En,
}

impl Lang {
    /// From `?lang=` or the `kc_lang` cookie value.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Picks the text of this language.
    pub fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// The engine's text in this language.
    pub fn text(self, t: &kc_rules::Text) -> &str {
        self.t(&t.vi, &t.en)
    }
}

/// Label of a review state id.
pub fn state_label(lang: Lang, s: &str) -> String {
    labels::label(lang, Kind::State, s)
}

/// Label of an outcome id.
pub fn outcome_label(lang: Lang, s: &str) -> String {
    labels::label(lang, Kind::Outcome, s)
}

/// Label of a support line id.
pub fn line_label(lang: Lang, s: &str) -> String {
    labels::label(lang, Kind::Line, s)
}

/// Labels of a comma-separated line list, `; `-joined.
pub fn lines_label(lang: Lang, ids: &str) -> String {
    ids.split(',').filter(|s| !s.is_empty()).map(|l| line_label(lang, l)).collect::<Vec<_>>().join("; ")
}

/// Label of a subject (kind of establishment), from its serde id.
pub fn subject_label(lang: Lang, s: &str) -> String {
    labels::label(lang, Kind::Subject, s)
}

/// Figures the Vietnamese way: `1.234.567 đ`.
pub fn money(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    if v < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out.push_str(" đ");
    out
}

/// Formats a time in Vietnam time: `03/11/2025 09:30`.
pub fn when(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(kc_rules::VIETNAM);
    format!("{:02}/{:02}/{} {:02}:{:02}", t.day(), u8::from(t.month()), t.year(), t.hour(), t.minute())
}

/// The signed-in account, for the page frame's navigation.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    /// E-mail.
    pub email: &'a str,
    /// The session's CSRF token (for the logout form).
    pub csrf: &'a str,
    /// Whether the account is an admin (audit log, accounts).
    pub admin: bool,
}

const STYLE: &str = r#"
:root{--ink:#1d2733;--muted:#4d5966;--line:#c5ccd4;--accent:#0b5cad;--bad:#a8071a;--ok:#1d6b2f;--bg-soft:#f3f6f9}
*{box-sizing:border-box}
body{font-family:system-ui,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--ink);line-height:1.45}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.5rem 1rem;background:#0b3d6e;color:#fff}
header.top a,header.top button{color:#fff}
header.top nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header.top .brand{font-weight:700;margin-right:1rem}
header.top .who{margin-left:auto}
header.top form{display:inline}
header.top button{background:none;border:1px solid #fff;border-radius:4px;padding:.1rem .5rem;cursor:pointer;font:inherit}
main{max-width:1240px;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:var(--accent)}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--bg-soft)}
th a{color:inherit}
td.num,th.num{text-align:right;white-space:nowrap}
.drift{color:var(--bad);font-weight:700}
.err{color:var(--bad);font-weight:600}
.ok{color:var(--ok)}
.muted{color:var(--muted)}
.mark-met{color:var(--ok);font-weight:700}.mark-not_met{color:var(--bad);font-weight:700}.mark-unknown{color:var(--muted);font-weight:700}
fieldset{border:1px solid var(--line);border-radius:6px;margin:0 0 1rem;padding:.5rem 1rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.field{display:flex;flex-direction:column;align-items:flex-start;gap:.15rem;margin-bottom:.4rem}
.field .err{font-size:.9rem;max-width:22rem}
#f-q{min-width:20rem}
input,select,textarea,button{font:inherit}
input,select,textarea{border:1px solid #6b7784;border-radius:4px;padding:.25rem .4rem}
input[aria-invalid=true],select[aria-invalid=true]{border:2px solid var(--bad)}
button.primary,.button{background:var(--accent);color:#fff;border:0;border-radius:4px;padding:.35rem .9rem;cursor:pointer;text-decoration:none;display:inline-block}
.lang{font-size:.9rem}
.cards{display:flex;flex-wrap:wrap;gap:1rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;background:var(--bg-soft)}
.chart{margin:.5rem 0 1rem}
.chart svg{max-width:100%;height:auto}
.two{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.slip{display:none}
@media (max-width:800px){.two{grid-template-columns:1fr}}
@media print{
 @page{size:A4;margin:12mm}
 body{font-size:9pt;line-height:1.3;color:#000}
 main>h1{display:none}
 th,td{padding:.1rem .3rem}
 caption{display:none}
 ul,ol{margin:.2rem 0;padding-left:1.2rem}
 p{margin:.3rem 0}
 header.top,.no-print,form,.screen-only{display:none!important}
 main{max-width:none;padding:0}
 .slip{display:block}
 a{color:#000;text-decoration:none}
 table{page-break-inside:auto}
 tr{page-break-inside:avoid}
 h2{font-size:10.5pt;margin:.5rem 0 .2rem}
}
"#;

/// The page frame around `body`; `who` is the signed-in account, if any.
pub fn page(lang: Lang, title: &str, who: Option<Who<'_>>, body: Markup) -> String {
    let other = match lang {
        Lang::Vi => ("?lang=en", "English", "en"),
        Lang::En => ("?lang=vi", "Tiếng Việt", "vi"),
    };
    let m = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Khuyến công" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.top {
                    span.brand { "Khuyến công · " (lang.t("Cán bộ", "Staff")) }
                    @if let Some(w) = who {
                        nav aria-label=(lang.t("Trang cán bộ", "Staff pages")) {
                            ul {
                                li { a href="/staff/applications" { (lang.t("Hồ sơ", "Applications")) } }
                                li { a href="/staff/overview" { (lang.t("Tổng quan", "Overview")) } }
                                @if w.admin {
                                    li { a href="/staff/accounts" { (lang.t("Tài khoản", "Accounts")) } }
                                    li { a href="/staff/audit" { (lang.t("Nhật ký", "Audit log")) } }
                                    li { a href="/staff/impact" { (lang.t("Ảnh hưởng quy tắc mới", "Rule-change impact")) } }
                                }
                                li { a href="/staff/tokens" { (lang.t("Mã truy cập API", "API tokens")) } }
                                li { a href="/staff/password" { (lang.t("Đổi mật khẩu", "Change password")) } }
                            }
                        }
                        span.who {
                            (w.email) " "
                            form method="post" action="/staff/logout" {
                                input type="hidden" name="csrf" value=(w.csrf);
                                button { (lang.t("Đăng xuất", "Log out")) }
                            }
                        }
                    }
                    a.lang href=(other.0) lang=(other.2) { (other.1) }
                }
                main id="main" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    };
    m.into_string()
}

/// A `<select>` in a labelled field, with an "any" first option.
pub fn select_field(
    lang: Lang,
    name: &str,
    label: &str,
    current: Option<&str>,
    options: &[(String, String)],
    error: Option<&str>,
) -> Markup {
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    html! {
        div.field {
            label for=(id) { (label) }
            select id=(id) name=(name) aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| err_id.as_str())] {
                option value="" { (lang.t("— tất cả —", "— any —")) }
                @for (v, l) in options {
                    option value=(v) selected[current == Some(v.as_str())] { (l) }
                }
            }
            @if let Some(e) = error { span.err id=(err_id) { (e) } }
        }
    }
}

/// A labelled `<input>` field; `error` shows beside it.
pub fn input_field(
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    error: Option<&str>,
    extra: Option<&str>,
) -> Markup {
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) type=(kind) name=(name) value=(value) list=[extra]
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| err_id.as_str())];
            @if let Some(e) = error { span.err id=(err_id) role="alert" { (e) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_attribute_quotes() {
        assert_eq!(
            esc(r#"<script>"x" & 'y'</script>"#),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(esc("Đồng Tháp"), "Đồng Tháp");
    }

    #[test]
    fn money_uses_dots_for_thousands() {
        assert_eq!(money(300_000_000), "300.000.000 đ");
        assert_eq!(money(0), "0 đ");
    }

    #[test]
    fn url_encoding_keeps_unreserved_only() {
        assert_eq!(url_enc("a b&c=đ"), "a%20b%26c%3D%C4%91");
    }
}
