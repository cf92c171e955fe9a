//! The list's filter as typed in the query string, parsed field by field so a bad value is
//! reported beside its own field while the rest of the form is kept; also the search
//! matching (receipt code, applicant name, phone) and the commune-name look-up.

use serde::Deserialize;

use super::auth::Scope;
use super::html::{Lang, url_enc};
use super::labels::{self, Kind};
use super::store::{Assigned, Filter, STATES, Sort};

/// Outcome ids.
pub const OUTCOMES: [&str; 3] = ["eligible", "not_eligible", "need_more_answers"];

/// The list's query string, as typed (empty fields are "any").
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RawFilter {
    /// Receipt code, applicant name or phone.
    pub q: Option<String>,
    /// Province code.
    pub province: Option<String>,
    /// Commune: a name from the official list (optionally "name (province)") or a code.
    pub commune: Option<String>,
    /// Support line id.
    pub line: Option<String>,
    /// `national` / `local`.
    pub fund: Option<String>,
    /// Review state id.
    pub status: Option<String>,
    /// Outcome id.
    pub outcome: Option<String>,
    /// `1` / `0`.
    pub drift: Option<String>,
    /// An account id, or `none`.
    pub assigned: Option<String>,
    /// First day (YYYY-MM-DD, Vietnam time).
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    /// Sort column.
    pub sort: Option<String>,
    /// `asc` / `desc`.
    pub dir: Option<String>,
    /// Page (from 0).
    pub page: Option<String>,
}

/// The fields of [`RawFilter`] as `(name, value)`, in form order.
const FIELDS: [&str; 14] = [
    "q", "province", "commune", "line", "fund", "status", "outcome", "drift", "assigned", "from", "to", "sort", "dir",
    "page",
];

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A parsed filter with the errors of the fields that did not parse (those are left out).
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The filter.
    pub filter: Filter,
    /// Page number.
    pub page: i64,
    /// `(field, message)` in the page language.
    pub errors: Vec<(&'static str, String)>,
}

impl Parsed {
    /// The error of one field.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
}

impl RawFilter {
    /// One field's raw value.
    pub fn get(&self, name: &str) -> Option<&str> {
        let v = match name {
            "q" => &self.q,
            "province" => &self.province,
            "commune" => &self.commune,
            "line" => &self.line,
            "fund" => &self.fund,
            "status" => &self.status,
            "outcome" => &self.outcome,
            "drift" => &self.drift,
            "assigned" => &self.assigned,
            "from" => &self.from,
            "to" => &self.to,
            "sort" => &self.sort,
            "dir" => &self.dir,
            "page" => &self.page,
            _ => return None,
        };
        nonempty(v)
    }

    /// The query string of the non-empty fields, leaving out `skip`.
    pub fn query(&self, skip: &[&str]) -> String {
        FIELDS
            .iter()
            .filter(|f| !skip.contains(f))
            .filter_map(|f| self.get(f).map(|v| format!("{f}={}", url_enc(v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Parses every field; a bad one is reported and left out of the filter.
    pub fn parse(&self, lang: Lang, scope: Scope) -> Parsed {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let mut f = Filter::default();
        let bad = |what: &str, v: &str| match lang {
            Lang::Vi => format!("{what} không hợp lệ: “{v}”"),
            Lang::En => format!("Not a valid {what}: “{v}”"),
        };
        if let Some(q) = self.get("q") {
            if q.chars().count() > 100 {
                errors.push(("q", lang.t("Tối đa 100 ký tự.", "At most 100 characters.").to_owned()));
            } else {
                f.q = Some(q.to_owned());
            }
        }
        if let Some(p) = self.get("province") {
            match p.parse::<i64>() {
                Ok(c)
                    if scope.allows(Some(c))
                        && u16::try_from(c).ok().and_then(|c| kc_rulepack::bundled().province(c)).is_some() =>
                {
                    f.province = Some(c);
                }
                Ok(_) => errors.push((
                    "province",
                    lang.t("Tỉnh này ngoài phạm vi tài khoản của bạn.", "This province is outside your scope.")
                        .to_owned(),
                )),
                Err(_) => errors.push(("province", bad(lang.t("mã tỉnh", "province code"), p))),
            }
        }
        if let Some(c) = self.get("commune") {
            match resolve_commune(c, f.province, scope) {
                Some(codes) => f.communes = codes,
                None => errors.push((
                    "commune",
                    match lang {
                        Lang::Vi => format!(
                            "Không có xã, phường, đặc khu “{c}” trong danh mục{}. Hãy chọn từ danh sách gợi ý.",
                            if f.province.is_some() || matches!(scope, Scope::Province(_)) {
                                " của tỉnh"
                            } else {
                                ""
                            }
                        ),
                        Lang::En => format!("No commune “{c}” in the official list. Pick one from the suggestions."),
                    },
                )),
            }
        }
        let lines: Vec<&str> = kc_rules::Line::ALL.iter().map(|l| l.id()).collect();
        let mut one_of = |name: &'static str, what: &str, allowed: &[&str]| -> Option<String> {
            let v = self.get(name)?;
            if allowed.contains(&v) {
                Some(v.to_owned())
            } else {
                errors.push((name, bad(what, v)));
                None
            }
        };
        f.line = one_of("line", lang.t("nội dung hỗ trợ", "support line"), &lines);
        f.fund = one_of("fund", lang.t("nguồn kinh phí", "fund"), &["national", "local"]);
        f.status = one_of("status", lang.t("trạng thái", "status"), &STATES);
        f.outcome = one_of("outcome", lang.t("kết quả", "outcome"), &OUTCOMES);
        f.drift = one_of("drift", lang.t("lệch kết quả", "drift"), &["1", "0"]).map(|d| d == "1");
        let sort = one_of("sort", lang.t("cột sắp xếp", "sort column"), &Sort::IDS);
        f.sort = sort.as_deref().and_then(Sort::parse).unwrap_or_default();
        let dir = one_of("dir", lang.t("chiều sắp xếp", "sort direction"), &["asc", "desc"]);
        f.desc = match dir.as_deref() {
            Some("asc") => false,
            Some(_) => true,
            None => f.sort == Sort::Received,
        };
        if let Some(a) = self.get("assigned") {
            match a {
                "none" => f.assigned = Some(Assigned::Nobody),
                _ => match a.parse::<i64>() {
                    Ok(id) => f.assigned = Some(Assigned::Account(id)),
                    Err(_) => errors.push(("assigned", bad(lang.t("cán bộ", "officer"), a))),
                },
            }
        }
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        for (name, slot) in [("from", &mut f.from), ("to", &mut f.to)] {
            if let Some(v) = self.get(name) {
                match time::Date::parse(v, &fmt) {
                    Ok(d) => *slot = Some(d),
                    Err(_) => errors.push((
                        if name == "from" { "from" } else { "to" },
                        bad(lang.t("ngày (năm-tháng-ngày)", "date (year-month-day)"), v),
                    )),
                }
            }
        }
        if let (Some(a), Some(b)) = (f.from, f.to)
            && a > b
        {
            errors.push(("to", lang.t("Ngày cuối trước ngày đầu.", "The last day is before the first.").to_owned()));
            f.to = None;
        }
        let page = match self.get("page") {
            None => 0,
            Some(p) => match p.parse::<i64>() {
                Ok(n) => n.max(0),
                Err(_) => {
                    errors.push(("page", bad(lang.t("số trang", "page number"), p)));
                    0
                }
            },
        };
        Parsed { filter: f, page, errors }
    }
}

/// The commune codes a typed commune means: a code, or a name from the official list
/// (case and diacritics ignored), optionally followed by " (province name)" as the picker
/// offers it. Limited to `province` and the scope. A name shared by several communes of
/// the allowed provinces gives all of them.
pub fn resolve_commune(typed: &str, province: Option<i64>, scope: Scope) -> Option<Vec<i64>> {
    let pack = kc_rulepack::bundled();
    let allowed = |p: u16| {
        let p = i64::from(p);
        scope.allows(Some(p)) && province.is_none_or(|x| x == p)
    };
    let typed = typed.trim();
    if let Ok(code) = typed.parse::<u32>() {
        return match pack.commune(code) {
            Some(c) if allowed(c.province_code) => Some(vec![i64::from(code)]),
            _ => None,
        };
    }
    let (name, prov) = match typed.rsplit_once(" (") {
        Some((n, p)) if p.ends_with(')') => (n.trim(), Some(fold(p.trim_end_matches(')')))),
        _ => (typed, None),
    };
    let want = fold(name);
    let codes: Vec<i64> = pack
        .communes
        .iter()
        .filter(|c| allowed(c.province_code))
        .filter(|c| prov.as_ref().is_none_or(|p| pack.province(c.province_code).is_some_and(|x| fold(&x.name) == *p)))
        .filter(|c| {
            let n = fold(&c.name);
            // "Tân An" finds "Xã Tân An" and "Phường Tân An".
            let bare =
                n.strip_prefix("xa ").or_else(|| n.strip_prefix("phuong ")).or_else(|| n.strip_prefix("dac khu "));
            n == want || bare == Some(want.as_str())
        })
        .map(|c| i64::from(c.code))
        .collect();
    if codes.is_empty() { None } else { Some(codes) }
}

/// The picker's text for a commune: "Xã Tân An (Tỉnh X)".
pub fn commune_option(c: &kc_rules::pack::Commune) -> String {
    let pack = kc_rulepack::bundled();
    match pack.province(c.province_code) {
        Some(p) => format!("{} ({})", c.name, p.name),
        None => c.name.clone(),
    }
}

/// Lower case without Vietnamese diacritics (đ → d), whitespace collapsed: what search and
/// the commune look-up compare.
pub fn fold(s: &str) -> String {
    const FROM: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
    const TO: &str = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd";
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().map(kc_rules::lower_vi) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match FROM.chars().position(|x| x == c) {
            Some(i) => out.push(TO.chars().nth(i).unwrap_or(c)),
            None => out.push(c),
        }
    }
    out
}

/// A receipt code or query reduced to its letters and digits, upper case: `kc-abcd` and
/// `KCABCD` compare equal.
pub fn code_key(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// The digits of a phone number, `+84`/`84` turned into the leading `0`.
pub fn phone_key(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("84") {
        Some(rest) if s.trim_start().starts_with('+') || digits.len() == 11 => format!("0{rest}"),
        _ => digits,
    }
}

/// Whether an application matches a search: part of its receipt code (any case, dashes
/// optional), of the applicant's name (case and diacritics ignored) or of the phone.
pub fn matches_search(q: &str, code: &str, name: &str, phone: &str) -> bool {
    let key = code_key(q);
    if key.len() >= 4 && code_key(code).contains(&key) {
        return true;
    }
    let digits = phone_key(q);
    let mostly_digits = q.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+'));
    if mostly_digits && digits.len() >= 4 && phone_key(phone).contains(&digits) {
        return true;
    }
    let q = fold(q);
    !q.is_empty() && fold(name).contains(&q)
}

/// The filter in words, for the export's info sheet and the audit log.
pub fn describe(f: &Filter, scope: Scope, assigned_name: Option<&str>) -> Vec<(String, String)> {
    let pack = kc_rulepack::bundled();
    let province_name = |c: i64| {
        u16::try_from(c)
            .ok()
            .and_then(|c| pack.province(c))
            .map_or_else(|| c.to_string(), |p| format!("{} ({c})", p.name))
    };
    let mut d = Vec::new();
    if let Scope::Province(p) = scope {
        d.push(("Phạm vi tài khoản".to_owned(), province_name(p)));
    }
    if let Some(q) = &f.q {
        d.push(("Tìm kiếm".to_owned(), q.clone()));
    }
    if let Some(p) = f.province {
        d.push(("Tỉnh/thành phố".to_owned(), province_name(p)));
    }
    if !f.communes.is_empty() {
        let names: Vec<String> = f
            .communes
            .iter()
            .map(|&c| {
                u32::try_from(c)
                    .ok()
                    .and_then(|c| pack.commune(c))
                    .map_or_else(|| c.to_string(), |x| format!("{} ({c})", x.name))
            })
            .collect();
        d.push(("Xã/phường".to_owned(), names.join("; ")));
    }
    if let Some(l) = &f.line {
        d.push(("Nội dung hỗ trợ".to_owned(), labels::label(Lang::Vi, Kind::Line, l)));
    }
    if let Some(v) = &f.fund {
        d.push(("Nguồn kinh phí".to_owned(), labels::label(Lang::Vi, Kind::Fund, v)));
    }
    if let Some(s) = &f.status {
        d.push(("Trạng thái".to_owned(), labels::label(Lang::Vi, Kind::State, s)));
    }
    if let Some(o) = &f.outcome {
        d.push(("Kết quả".to_owned(), labels::label(Lang::Vi, Kind::Outcome, o)));
    }
    if let Some(v) = f.drift {
        d.push(("Lệch kết quả".to_owned(), if v { "Có" } else { "Không" }.to_owned()));
    }
    match f.assigned {
        Some(Assigned::Nobody) => d.push(("Cán bộ phụ trách".to_owned(), "Chưa phân công".to_owned())),
        Some(Assigned::Account(id)) => {
            d.push(("Cán bộ phụ trách".to_owned(), assigned_name.map_or_else(|| id.to_string(), str::to_owned)))
        }
        None => {}
    }
    if let Some(v) = f.from {
        d.push(("Nhận từ ngày".to_owned(), v.to_string()));
    }
    if let Some(v) = f.to {
        d.push(("Nhận đến ngày".to_owned(), v.to_string()));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_matches_code_name_and_phone_loosely() {
        assert!(matches_search("kc-abcd-efgh", "KC-ABCD-EFGH-JKLM", "", ""));
        assert!(matches_search("abcdefgh", "KC-ABCD-EFGH-JKLM", "", ""));
        assert!(matches_search("nguyen thi anh", "KC-X", "Hộ kinh doanh Nguyễn Thị Ánh", ""));
        assert!(matches_search("NGUYỄN", "KC-X", "Hộ kinh doanh Nguyễn Thị Ánh", ""));
        assert!(matches_search("0912 345", "KC-X", "", "0912345678"));
        assert!(matches_search("+84 912 345 678", "KC-X", "", "0912 345 678"));
        assert!(!matches_search("Trần", "KC-X", "Nguyễn", "0912"));
    }

    #[test]
    fn communes_are_found_by_name_without_diacritics_or_kind() {
        let pack = kc_rulepack::bundled();
        let c = &pack.communes[0];
        let codes = resolve_commune(&c.name, None, Scope::All).unwrap();
        assert!(codes.contains(&i64::from(c.code)));
        let codes = resolve_commune(&commune_option(c), None, Scope::All).unwrap();
        assert_eq!(codes, vec![i64::from(c.code)]);
        let bare = fold(&c.name).split_once(' ').unwrap().1.to_owned();
        assert!(
            resolve_commune(&bare, Some(i64::from(c.province_code)), Scope::All).unwrap().contains(&i64::from(c.code))
        );
        assert!(resolve_commune("Không có xã này", None, Scope::All).is_none());
        // Outside the scope a name finds nothing.
        let other = pack.provinces.iter().find(|p| p.code != c.province_code).unwrap();
        assert!(resolve_commune(&commune_option(c), None, Scope::Province(i64::from(other.code))).is_none());
    }
}
