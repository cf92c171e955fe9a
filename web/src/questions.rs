//! The questions the form can ask, keyed by the engine's input paths (`Question::id`).
//!
//! The engine decides *which* questions matter ([`kc_rules::Decision::missing`]); this module
//! knows *how* to ask each one (its kind and label) and how an answer changes the
//! [`Application`]. No `web_sys` here: it is tested natively.

use kc_rules::{Application, Line, LineRequest, OldUnit, QuestionId, SizeSector, Subject, Vnd, parse_vnd_vi};
use time::Date;

use crate::lang::Lang;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Yes / no.
    YesNo,
    /// An amount of đồng typed the Vietnamese way.
    Money,
    /// A whole count.
    Count,
    /// One of fixed options: (wire id, Vietnamese, English).
    Choice(&'static [(&'static str, &'static str, &'static str)]),
    /// A sector from the pack's list.
    Sector,
    /// A former province of the chosen commune's (merged) province.
    FormerProvince,
    /// A calendar date.
    Date,
    /// The commune picker.
    Commune,
}

/// A choice list from the engine's vocabulary: `(wire id, Vietnamese, English)` per value.
macro_rules! choices {
    ($($v:expr),* $(,)?) => {
        &[$(($v.id(), $v.label_vi(), $v.label_en())),*]
    };
}

const SUBJECTS: &[(&str, &str, &str)] = choices![
    Subject::HouseholdBusiness,
    Subject::Cooperative,
    Subject::CooperativeGroup,
    Subject::UnionOfCooperatives,
    Subject::Enterprise,
    Subject::Unregistered,
];

const SIZE_SECTORS: &[(&str, &str, &str)] =
    choices![SizeSector::AgricultureIndustryConstruction, SizeSector::TradeServices];

const OLD_UNITS: &[(&str, &str, &str)] = choices![
    OldUnit::Xa,
    OldUnit::ThiTran,
    OldUnit::ThiXa,
    OldUnit::PhuongCityGrade2Or3,
    OldUnit::PhuongCityGrade1,
    OldUnit::PhuongQuan,
];

/// The order questions are shown in: the engine's asking order ([`QuestionId::ALL`]), less
/// the form's fixed start (the lines and the commune).
pub const ORDER: &[&str] = &ORDER_IDS;

const ORDER_IDS: [&str; QuestionId::COUNT - 2] = {
    let mut out = [""; QuestionId::COUNT - 2];
    let (mut i, mut n) = (0, 0);
    while i < QuestionId::COUNT {
        let q = QuestionId::ALL[i];
        if !matches!(q, QuestionId::Lines | QuestionId::CommuneCode) {
            out[n] = q.id();
            n += 1;
        }
        i += 1;
    }
    out
};

/// The line named in a `lines.<line>.…` id.
pub fn line_of(id: &str) -> Option<Line> {
    let rest = id.strip_prefix("lines.")?;
    let name = rest.split('.').next()?;
    Line::ALL.into_iter().find(|l| l.id() == name)
}

/// How `id` is asked; `None` for ids the form does not know (they are not shown).
pub fn kind(id: &str) -> Option<Kind> {
    Some(match id {
        "subject" => Kind::Choice(SUBJECTS),
        "location.commune_code" => Kind::Commune,
        "location.old_unit" => Kind::Choice(OLD_UNITS),
        "location.ward_converted_on" => Kind::Date,
        "location.former_province" => Kind::FormerProvince,
        "sector" => Kind::Sector,
        "size.sector_group" => Kind::Choice(SIZE_SECTORS),
        "size.employees" | "lines.training.learners" => Kind::Count,
        "size.revenue" | "size.capital" => Kind::Money,
        "location.craft_village"
        | "location.difficult_area"
        | "fired_clay_manual_kiln"
        | "conditions.equipment_new"
        | "conditions.technology_new_locally"
        | "conditions.no_other_state_funding"
        | "conditions.counterpart_funding" => Kind::YesNo,
        _ if id.starts_with("lines.") && id.ends_with(".cost") && line_of(id).is_some() => Kind::Money,
        _ => return None,
    })
}

/// The question as the applicant reads it.
pub fn label(id: &str, lang: Lang) -> String {
    let s = match id {
        "subject" => lang.pick("Cơ sở của bạn thuộc loại hình nào?", "What kind of establishment is it?"),
        "location.commune_code" => lang.pick(
            "Cơ sở sản xuất ở xã, phường hoặc đặc khu nào?",
            "In which commune, ward or special zone does it produce?",
        ),
        "location.old_unit" => lang.pick(
            "Trước ngày 15/10/2025, nơi sản xuất thuộc loại đơn vị hành chính nào?",
            "Before 15 Oct 2025, what kind of administrative unit was the place of production?",
        ),
        "location.ward_converted_on" => {
            lang.pick("Phường được chuyển từ xã lên vào ngày nào?", "When was the ward converted from a commune?")
        }
        "location.craft_village" => lang.pick(
            "Cơ sở có nằm trong làng nghề được UBND tỉnh công nhận không?",
            "Is it inside a craft village recognised by the provincial People's Committee?",
        ),
        "location.former_province" => lang.pick(
            "Trước khi sáp nhập tỉnh, nơi sản xuất thuộc tỉnh nào?",
            "Before the provinces merged, which province was the place of production in?",
        ),
        "location.difficult_area" => lang.pick(
            "Nơi sản xuất có thuộc địa bàn có điều kiện kinh tế - xã hội khó khăn hoặc đặc biệt khó khăn không?",
            "Is the place in an area with difficult or extremely difficult socio-economic conditions?",
        ),
        "sector" => lang.pick("Cơ sở sản xuất trong ngành nghề nào?", "In which sector does it produce?"),
        "fired_clay_manual_kiln" => lang.pick(
            "Cơ sở có sản xuất gạch đất sét nung bằng lò thủ công cải tiến hoặc lò vòng không?",
            "Does it make fired-clay bricks in improved manual or ring kilns?",
        ),
        "size.sector_group" => lang.pick(
            "Ngành kinh doanh chính của doanh nghiệp thuộc nhóm nào?",
            "Which group is the enterprise's main business line in?",
        ),
        "size.employees" => lang.pick(
            "Số lao động tham gia bảo hiểm xã hội bình quân năm trước",
            "Average employees with social insurance last year",
        ),
        "size.revenue" => lang.pick(
            "Tổng doanh thu năm trước (để trống nếu chưa có doanh thu)",
            "Total revenue last year (leave empty if none yet)",
        ),
        "size.capital" => lang.pick("Tổng nguồn vốn cuối năm trước", "Total capital at last year's end"),
        "lines.training.learners" => lang.pick("Số học viên dự kiến", "Expected number of learners"),
        "conditions.equipment_new" => lang.pick(
            "Máy móc, thiết bị có phải là hàng mới, chưa qua sử dụng không?",
            "Is the machinery or equipment new (never used)?",
        ),
        "conditions.technology_new_locally" => lang.pick(
            "Công nghệ hoặc sản phẩm của mô hình có phải chưa được áp dụng tại địa phương không?",
            "Is the technology or product not yet applied locally?",
        ),
        "conditions.no_other_state_funding" => lang.pick(
            "Khoản chi này đã hoặc sẽ được nguồn ngân sách nhà nước nào khác hỗ trợ không?",
            "Is this cost funded, now or later, by any other state budget source?",
        ),
        "conditions.counterpart_funding" => lang.pick(
            "Cơ sở có cam kết bố trí phần kinh phí đối ứng còn lại không?",
            "Do you commit to fund the rest of the cost yourself?",
        ),
        _ => {
            if let Some(line) = line_of(id) {
                return match lang {
                    Lang::Vi => format!("Chi phí dự kiến cho “{}”", lang.line(line)),
                    Lang::En => format!("Expected cost of “{}”", lang.line(line)),
                };
            }
            id
        }
    };
    s.to_owned()
}

/// The two answers of a yes/no question, as `(value, Vietnamese, English)`: plain "Có" /
/// "Không", except where the stored fact is the opposite of the question asked, so that no
/// answer is a double negative.
pub fn yes_no_options(id: &str) -> [(bool, &'static str, &'static str); 2] {
    match id {
        // The question asks about other funding; the fact stored is "no other funding".
        "conditions.no_other_state_funding" => [
            (false, "Có, có nguồn khác hỗ trợ", "Yes, another source funds it"),
            (true, "Không, chỉ đề nghị khuyến công", "No, only industrial extension"),
        ],
        _ => [(true, "Có", "Yes"), (false, "Không", "No")],
    }
}

/// Below this an equipment or model cost is probably a slip of the keyboard (a whole line
/// or machine costs millions): the form asks, it does not refuse.
const PLAUSIBLE_COST: Vnd = Vnd::from_const(1_000_000);

/// A gentle check of a parsed amount: `Some(message)` when it looks like a typing slip.
pub fn implausible(id: &str, v: Vnd) -> Option<(String, String)> {
    let line = line_of(id)?;
    if line == Line::Training || v >= PLAUSIBLE_COST {
        return None;
    }
    let figures = figures(v);
    Some((
        format!(
            "Chỉ {figures} đồng? Chi phí thiết bị, mô hình thường tính bằng triệu: ví dụ 700 triệu hoặc 700.000.000."
        ),
        format!("Only {figures} đồng? Equipment and model costs are usually millions: e.g. 700 triệu or 700.000.000."),
    ))
}

/// An answer to one question, as the form produces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Typed text (money, counts, dates): parsed here, kept raw by the caller.
    Text(String),
    /// Yes / no / cleared.
    Bool(Option<bool>),
    /// A choice by wire id, or cleared.
    Choice(Option<String>),
    /// A commune code, or cleared.
    Commune(Option<u32>),
}

/// Why typed text was not accepted (shown beside the field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl EntryError {
    fn new(vi: &str, en: &str) -> EntryError {
        EntryError { vi: vi.to_owned(), en: en.to_owned() }
    }
}

/// Parses a whole count: `12`, `1.200`, `1 200`.
pub fn parse_count(s: &str) -> Result<u32, EntryError> {
    let digits: String = s.chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | '_')).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EntryError::new("Hãy nhập một số nguyên, ví dụ 12", "Enter a whole number, e.g. 12"));
    }
    digits.parse().map_err(|_| EntryError::new("Số quá lớn", "Number too large"))
}

/// Parses a date typed as `YYYY-MM-DD` (the date input's value) or `DD/MM/YYYY`.
pub fn parse_date(s: &str) -> Result<Date, EntryError> {
    let bad = || EntryError::new("Hãy nhập ngày dạng ngày/tháng/năm", "Enter a date as day/month/year");
    let s = s.trim();
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    let [a, b, c] = parts[..] else { return Err(bad()) };
    let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    let month = time::Month::try_from(m).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, d).map_err(|_| bad())
}

fn money_error(e: &kc_rules::MoneyError) -> EntryError {
    let s = e.to_string();
    let (vi, en) = s.split_once(" / ").unwrap_or((&s, &s));
    let hint_vi = "; ví dụ: 300.000.000, 300 triệu, 1,5 tỷ";
    let hint_en = "; e.g. 300.000.000, 300 triệu, 1,5 tỷ";
    EntryError { vi: format!("{vi}{hint_vi}"), en: format!("{en}{hint_en}") }
}

/// Parses money typed the Vietnamese way.
pub fn parse_money(s: &str) -> Result<Vnd, EntryError> {
    parse_vnd_vi(s).map_err(|e| money_error(&e))
}

// A unit variant by its wire id, through serde's own string deserializer (no format).
fn choice<T: serde::de::DeserializeOwned>(v: &Option<String>) -> Option<T> {
    use serde::de::IntoDeserializer;
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = v.as_deref()?.into_deserializer();
    T::deserialize(de).ok()
}

fn wire_id<T: serde::Serialize>(v: &T) -> Option<String> {
    let s = crate::json::to_string(v)?;
    Some(s.strip_prefix('"')?.strip_suffix('"')?.to_owned())
}

fn line_mut(app: &mut Application, line: Line) -> &mut LineRequest {
    if let Some(i) = app.lines.iter().position(|r| r.line == line) {
        &mut app.lines[i]
    } else {
        app.lines.push(LineRequest { line, cost: None, learners: None });
        app.lines.last_mut().expect("just pushed")
    }
}

/// Applies `answer` to question `id`. Typed text that does not parse clears the value and
/// returns the reason (the raw text stays in the form).
pub fn apply(app: &mut Application, id: &str, answer: &Answer) -> Result<(), EntryError> {
    let text = |a: &Answer| match a {
        Answer::Text(t) => t.trim().to_owned(),
        _ => String::new(),
    };
    let money = |a: &Answer| -> Result<Option<Vnd>, EntryError> {
        let t = text(a);
        if t.is_empty() { Ok(None) } else { parse_money(&t).map(Some) }
    };
    let count = |a: &Answer| -> Result<Option<u32>, EntryError> {
        let t = text(a);
        if t.is_empty() { Ok(None) } else { parse_count(&t).map(Some) }
    };
    let flag = |a: &Answer| match a {
        Answer::Bool(b) => *b,
        _ => None,
    };
    let pick = |a: &Answer| match a {
        Answer::Choice(c) => c.clone().filter(|s| !s.is_empty()),
        _ => None,
    };
    // Parse first, assign after: a bad entry clears the stored value, never keeps a stale one.
    macro_rules! set {
        ($slot:expr, $parsed:expr) => {{
            match $parsed {
                Ok(v) => {
                    $slot = v;
                    Ok(())
                }
                Err(e) => {
                    $slot = None;
                    Err(e)
                }
            }
        }};
    }
    match id {
        "subject" => app.subject = choice(&pick(answer)),
        "location.commune_code" => {
            if let Answer::Commune(c) = answer {
                app.location.commune_code = *c;
                // A new place makes the former-province answer meaningless.
                app.location.former_province = None;
            }
        }
        "location.old_unit" => app.location.old_unit = choice(&pick(answer)),
        "location.ward_converted_on" => {
            let t = text(answer);
            return set!(
                app.location.ward_converted_on,
                if t.is_empty() { Ok(None) } else { parse_date(&t).map(Some) }
            );
        }
        "location.craft_village" => app.location.craft_village = flag(answer),
        "location.former_province" => app.location.former_province = pick(answer),
        "location.difficult_area" => app.location.difficult_area = flag(answer),
        "sector" => app.sector = pick(answer),
        "fired_clay_manual_kiln" => app.fired_clay_manual_kiln = flag(answer),
        "size.sector_group" => app.size.sector_group = choice(&pick(answer)),
        "size.employees" => return set!(app.size.employees, count(answer)),
        "size.revenue" => return set!(app.size.revenue, money(answer)),
        "size.capital" => return set!(app.size.capital, money(answer)),
        "conditions.equipment_new" => app.conditions.equipment_new = flag(answer),
        "conditions.technology_new_locally" => app.conditions.technology_new_locally = flag(answer),
        "conditions.no_other_state_funding" => app.conditions.no_other_state_funding = flag(answer),
        "conditions.counterpart_funding" => app.conditions.counterpart_funding = flag(answer),
        "lines.training.learners" => {
            let parsed = count(answer);
            return set!(line_mut(app, Line::Training).learners, parsed);
        }
        _ => {
            if let (Some(line), true) = (line_of(id), id.ends_with(".cost")) {
                let parsed = money(answer);
                return set!(line_mut(app, line).cost, parsed);
            }
        }
    }
    Ok(())
}

/// Whether `id` has an answer in `app`.
pub fn is_answered(app: &Application, id: &str) -> bool {
    current_text(app, id).is_some()
}

/// The stored answer of `id` as the form shows it: wire ids for choices, `"true"`/`"false"`
/// for yes/no, figures for money and counts, ISO for dates. `None` when unanswered.
pub fn current_text(app: &Application, id: &str) -> Option<String> {
    let flag = |b: Option<bool>| b.map(|b| b.to_string());
    match id {
        "subject" => app.subject.as_ref().and_then(wire_id),
        "location.commune_code" => app.location.commune_code.map(|c| c.to_string()),
        "location.old_unit" => app.location.old_unit.as_ref().and_then(wire_id),
        "location.ward_converted_on" => app.location.ward_converted_on.map(|d| d.to_string()),
        "location.craft_village" => flag(app.location.craft_village),
        "location.former_province" => app.location.former_province.clone(),
        "location.difficult_area" => flag(app.location.difficult_area),
        "sector" => app.sector.clone(),
        "fired_clay_manual_kiln" => flag(app.fired_clay_manual_kiln),
        "size.sector_group" => app.size.sector_group.as_ref().and_then(wire_id),
        "size.employees" => app.size.employees.map(|n| n.to_string()),
        "size.revenue" => app.size.revenue.map(figures),
        "size.capital" => app.size.capital.map(figures),
        "conditions.equipment_new" => flag(app.conditions.equipment_new),
        "conditions.technology_new_locally" => flag(app.conditions.technology_new_locally),
        "conditions.no_other_state_funding" => flag(app.conditions.no_other_state_funding),
        "conditions.counterpart_funding" => flag(app.conditions.counterpart_funding),
        "lines.training.learners" => app.line(Line::Training).and_then(|r| r.learners).map(|n| n.to_string()),
        _ => line_of(id).and_then(|l| app.line(l)).and_then(|r| r.cost).map(figures),
    }
}

/// `300.000.000` (figures without the currency sign, as typed back into a field).
pub fn figures(v: Vnd) -> String {
    v.to_string().trim_end_matches(" đ").to_owned()
}

/// The questions to show, in order: those the engine still asks plus those already
/// answered (so they can be changed). Lines and the commune are the form's fixed start and
/// are not listed here. Ids the form cannot ask are left out.
pub fn to_show(app: &Application, missing: &[kc_rules::Question]) -> Vec<String> {
    let asked = |id: &str| missing.iter().any(|q| q.id == id);
    let fixed = |id: &str| id == "lines" || id == "location.commune_code";
    let mut out: Vec<String> = ORDER
        .iter()
        .filter(|id| kind(id).is_some())
        .filter(|id| asked(id) || is_answered(app, id))
        // A cost answered for a line no longer requested is not shown.
        .filter(|id| line_of(id).is_none_or(|l| app.line(l).is_some()))
        .map(|id| (*id).to_owned())
        .collect();
    for q in missing {
        if !fixed(&q.id) && !out.iter().any(|s| q.id == s.as_str()) && kind(&q.id).is_some() {
            out.push(q.id.id().to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_of_the_keyboard_get_a_check_and_no_question_is_a_double_negative() {
        assert!(
            implausible("lines.machinery.cost", Vnd::from_const(7)).is_some_and(|(vi, _)| vi.contains("700 triệu"))
        );
        assert_eq!(implausible("lines.machinery.cost", Vnd::from_const(700_000_000)), None);
        assert_eq!(implausible("size.revenue", Vnd::from_const(7)), None, "only equipment and model costs");
        let [first, second] = yes_no_options("conditions.no_other_state_funding");
        assert_eq!(
            (first.0, second.0),
            (false, true),
            "“Có” (another source funds it) stores no_other_state_funding = false"
        );
        assert!(!label("conditions.no_other_state_funding", Lang::Vi).contains("không nhận"), "asked positively");
    }

    #[test]
    fn money_answers_parse_vietnamese_habits() {
        let mut app = Application::default();
        for typed in ["300.000.000", "300000000", "300 000 000", "300 triệu"] {
            apply(&mut app, "lines.machinery.cost", &Answer::Text(typed.into())).unwrap();
            assert_eq!(app.line(Line::Machinery).unwrap().cost, Some(Vnd::from_const(300_000_000)), "{typed}");
        }
        apply(&mut app, "size.capital", &Answer::Text("1,5 tỷ".into())).unwrap();
        assert_eq!(app.size.capital, Some(Vnd::from_const(1_500_000_000)));
    }

    #[test]
    fn a_bad_entry_clears_the_value_and_says_why() {
        let mut app = Application::default();
        apply(&mut app, "size.revenue", &Answer::Text("5 tỷ".into())).unwrap();
        let err = apply(&mut app, "size.revenue", &Answer::Text("abc".into())).unwrap_err();
        assert_eq!(app.size.revenue, None);
        assert!(err.vi.contains("300 triệu"));
    }

    #[test]
    fn choices_and_flags_round_trip_through_the_wire_ids() {
        let mut app = Application::default();
        apply(&mut app, "subject", &Answer::Choice(Some("household_business".into()))).unwrap();
        apply(&mut app, "conditions.equipment_new", &Answer::Bool(Some(true))).unwrap();
        assert_eq!(app.subject, Some(kc_rules::Subject::HouseholdBusiness));
        assert_eq!(current_text(&app, "subject").as_deref(), Some("household_business"));
        assert_eq!(current_text(&app, "conditions.equipment_new").as_deref(), Some("true"));
        apply(&mut app, "subject", &Answer::Choice(None)).unwrap();
        assert!(!is_answered(&app, "subject"));
    }

    #[test]
    fn only_asked_or_answered_questions_are_shown() {
        let mut app = Application::default();
        apply(&mut app, "subject", &Answer::Choice(Some("cooperative".into()))).unwrap();
        let missing = vec![kc_rules::Question { id: QuestionId::Sector, why: kc_rules::Text::new("", "") }];
        assert_eq!(to_show(&app, &missing), vec!["subject".to_owned(), "sector".to_owned()]);
    }

    #[test]
    fn the_form_knows_every_question_the_engine_asks() {
        for q in QuestionId::ALL {
            if q != QuestionId::Lines {
                assert!(kind(q.id()).is_some(), "{q}: no way to ask it");
            }
        }
        assert_eq!(ORDER.len() + 2, QuestionId::COUNT);
        assert_eq!(ORDER.first(), Some(&"subject"));
        assert!(!ORDER.contains(&"location.commune_code"));
    }

    #[test]
    fn counts_and_dates_accept_common_forms() {
        assert_eq!(parse_count("1.200"), Ok(1200));
        assert!(parse_count("12a").is_err());
        assert_eq!(parse_date("31/12/2020").unwrap().to_string(), "2020-12-31");
        assert_eq!(parse_date("2020-12-31").unwrap().to_string(), "2020-12-31");
    }
}
