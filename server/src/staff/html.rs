//! HTML for the staff pages: escaping, the page frame, and the Vietnamese/English labels.
//!
//! Pages are built with `format!` and [`esc`]; every value that did not come from this file
//! goes through [`esc`] (text and attribute values alike).

use std::fmt::Write as _;

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
}

/// Label of a review state id.
pub fn state_label(lang: Lang, s: &str) -> String {
    let (vi, en) = match s {
        "received" => ("Đã nhận", "Received"),
        "under_review" => ("Đang xem xét", "Under review"),
        "needs_changes" => ("Cần bổ sung", "Needs changes"),
        "accepted" => ("Chấp nhận", "Accepted"),
        "rejected" => ("Từ chối", "Rejected"),
        other => (other, other),
    };
    lang.t(vi, en).to_owned()
}

/// Label of an outcome id.
pub fn outcome_label(lang: Lang, s: &str) -> String {
    let (vi, en) = match s {
        "eligible" => ("Đủ điều kiện", "Eligible"),
        "not_eligible" => ("Không đủ điều kiện", "Not eligible"),
        "need_more_answers" => ("Cần thêm thông tin", "Needs more answers"),
        other => (other, other),
    };
    lang.t(vi, en).to_owned()
}

/// Label of a support line id.
pub fn line_label(lang: Lang, s: &str) -> String {
    let (vi, en) = match s {
        "machinery" => ("Máy móc thiết bị tiên tiến", "Advanced machinery"),
        "technology_line" => ("Dây chuyền công nghệ", "Technology line"),
        "demo_model" => ("Mô hình trình diễn", "Demonstration model"),
        "replication_model" => ("Mô hình nhân rộng", "Replication model"),
        "cleaner_production_model" => ("Sản xuất sạch hơn", "Cleaner production"),
        "startup" => ("Thành lập doanh nghiệp", "Founding an enterprise"),
        "training" => ("Đào tạo nghề, truyền nghề", "Vocational training"),
        other => (other, other),
    };
    lang.t(vi, en).to_owned()
}

/// Labels of a comma-separated line list, `; `-joined.
pub fn lines_label(lang: Lang, ids: &str) -> String {
    ids.split(',').filter(|s| !s.is_empty()).map(|l| line_label(lang, l)).collect::<Vec<_>>().join("; ")
}

/// Label of a subject (kind of establishment), from its serde id.
pub fn subject_label(lang: Lang, s: &str) -> String {
    let (vi, en) = match s {
        "enterprise" => ("Doanh nghiệp", "Enterprise"),
        "cooperative" => ("Hợp tác xã", "Cooperative"),
        "cooperative_group" => ("Tổ hợp tác", "Cooperative group"),
        "union_of_cooperatives" => ("Liên hiệp hợp tác xã", "Union of cooperatives"),
        "household_business" => ("Hộ kinh doanh", "Household business"),
        "unregistered" => ("Chưa đăng ký kinh doanh", "Unregistered"),
        other => (other, other),
    };
    lang.t(vi, en).to_owned()
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
    let t = t.to_offset(time::UtcOffset::from_hms(7, 0, 0).expect("valid"));
    format!("{:02}/{:02}/{} {:02}:{:02}", t.day(), u8::from(t.month()), t.year(), t.hour(), t.minute())
}

/// The page frame. `body` is already-escaped HTML; `who` is the signed-in e-mail, if any.
pub fn page(lang: Lang, title: &str, who: Option<(&str, &str)>, body: &str) -> String {
    let nav = match who {
        Some((email, csrf)) => format!(
            r#"<nav><a href="/staff/applications">{apps}</a> · <a href="/staff/audit">{audit}</a> · <a href="/staff/tokens">{tokens}</a>
<form method="post" action="/staff/logout" class="inline"><input type="hidden" name="csrf" value="{csrf}"><button>{logout}</button></form>
<span class="who">{email}</span></nav>"#,
            apps = lang.t("Hồ sơ", "Applications"),
            audit = lang.t("Nhật ký", "Audit log"),
            tokens = lang.t("Mã truy cập API", "API tokens"),
            logout = lang.t("Đăng xuất", "Log out"),
            csrf = esc(csrf),
            email = esc(email),
        ),
        None => String::new(),
    };
    let other = match lang {
        Lang::Vi => r#"<a href="?lang=en">English</a>"#,
        Lang::En => r#"<a href="?lang=vi">Tiếng Việt</a>"#,
    };
    format!(
        r#"<!doctype html>
<html lang="{code}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Khuyến công</title>
<style>
body{{font-family:system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1rem;color:#222}}
nav{{margin-bottom:1rem}} .inline{{display:inline}} .who{{float:right;color:#666}} .lang{{float:right}}
table{{border-collapse:collapse;width:100%}} th,td{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}}
td.num{{text-align:right;white-space:nowrap}} .drift{{color:#b00;font-weight:bold}} .err{{color:#b00}}
form.filters label{{display:inline-block;margin:.2rem .5rem .2rem 0}}
</style></head>
<body><div class="lang">{other}</div>{nav}<h1>{title}</h1>
{body}
</body></html>"#,
        code = lang.code(),
        title = esc(title),
    )
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
