//! Money in Vietnamese words, and Vietnamese-style money entry.
//!
//! [`vnd_in_words`] reads an amount the way Vietnamese banks print it on payment orders
//! ("Số tiền bằng chữ"); [`parse_vnd_vi`] accepts what people type in a form.
//!
//! # Reading convention (the common banking convention)
//!
//! The amount is split into groups of three digits from the right; the group scales are
//! *nghìn* (10^3), *triệu* (10^6) and *tỷ* (10^9); above 999 tỷ the scales repeat before
//! *tỷ*: *nghìn tỷ* (10^12), *triệu tỷ* (10^15, the largest amount accepted, [`crate::MAX_VND`]).
//!
//! - The leading group is read as it stands: `5` → "năm", `21` → "hai mươi mốt".
//! - Every later group that is not zero is read with all three places, so a zero hundreds
//!   place is said: `1.005.000` → "một triệu **không trăm linh năm** nghìn",
//!   `2.030.000` → "hai triệu không trăm ba mươi nghìn".
//! - A group that is zero is left out with its scale: `1.000.005` → "một triệu không trăm
//!   linh năm" (not "... không nghìn ...").
//! - Inside a group: *linh* for a zero tens place before a unit (`105` → "một trăm linh năm");
//!   *mười* for ten, *mươi* for twenty and up; a final 1 after *mươi* is *mốt* (`21`), a
//!   final 4 after *mươi* is *tư* (`24`), a final 5 after *mười*/*mươi* is *lăm* (`15`, `25`);
//!   after *linh* the plain digit stays (`104` → "một trăm linh bốn", `101` → "một trăm
//!   linh một", `105` → "một trăm linh năm").
//! - Zero is "không đồng". The words end with "đồng"; the text is lower case (callers
//!   capitalise the first letter where a form wants it).
//!
//! # Entry habits accepted by [`parse_vnd_vi`]
//!
//! - plain digits `1000000`; thousands separated by dots `1.000.000` or spaces `1 000 000`
//!   (groups after the first must have exactly three digits);
//! - shorthand with scale words: `300 triệu`, `300tr`, `1,5 tỷ` (comma = decimal separator),
//!   `2 tỷ 300 triệu`, `500 nghìn`, `500 ngàn`, `500k`, `1 nghìn tỷ`; the words may be
//!   written without diacritics (`ty`, `trieu`, `nghin`, `ngan`) and in capitals;
//! - a currency suffix `đ`, `đồng`, `dong`, `₫`, `VND`, `VNĐ`.
//!
//! Refused: negatives ([`MoneyError::Negative`]); a result with a fraction of a đồng, or a
//! comma in an amount without a scale word (`1.000,5`, `300,000`: ambiguous, so refused
//! rather than guessed) ([`MoneyError::Fraction`]); more than 10^15 đồng
//! ([`MoneyError::TooLarge`]); anything else ([`MoneyError::NotANumber`]).

use rust_decimal::Decimal;

use crate::{MAX_VND, MoneyError, Vnd};

const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// The amount in Vietnamese words, e.g. `300.000.000` → "ba trăm triệu đồng".
///
/// See the module documentation for the convention.
///
/// ```
/// use kc_rules::{Vnd, vnd_in_words};
/// assert_eq!(vnd_in_words(Vnd::from_const(300_000_000)), "ba trăm triệu đồng");
/// assert_eq!(vnd_in_words(Vnd::from_const(1_005_000)), "một triệu không trăm linh năm nghìn đồng");
/// ```
pub fn vnd_in_words(amount: Vnd) -> String {
    let n = u64::try_from(amount.to_i64()).unwrap_or(0);
    if n == 0 {
        return "không đồng".to_owned();
    }
    let mut words: Vec<&'static str> = Vec::new();
    let billions = n / 1_000_000_000;
    let rest = n % 1_000_000_000;
    let mut leading = true;
    if billions > 0 {
        // The tỷ count (at most 10^6) is read as a number of its own, then "tỷ".
        read_below_billion(billions, &mut words, &mut leading);
        words.push("tỷ");
    }
    read_below_billion(rest, &mut words, &mut leading);
    words.push("đồng");
    words.join(" ")
}

/// Reads `n < 10^9` (or the tỷ count ≤ 10^6) group by group, scales triệu / nghìn / none.
fn read_below_billion(n: u64, words: &mut Vec<&'static str>, leading: &mut bool) {
    let groups = [(n / 1_000_000, Some("triệu")), ((n / 1_000) % 1_000, Some("nghìn")), (n % 1_000, None)];
    for (group, scale) in groups {
        if group == 0 {
            continue;
        }
        read_group(group, *leading, words);
        *leading = false;
        if let Some(scale) = scale {
            words.push(scale);
        }
    }
}

/// Reads one group `1..=999`; `leading` leaves out a zero hundreds place.
fn read_group(group: u64, leading: bool, words: &mut Vec<&'static str>) {
    let h = usize::try_from(group / 100).unwrap_or(0);
    let t = usize::try_from((group / 10) % 10).unwrap_or(0);
    let u = usize::try_from(group % 10).unwrap_or(0);
    let full = !leading || h > 0;
    if full {
        words.push(DIGITS[h]);
        words.push("trăm");
    }
    match t {
        0 => {
            if u > 0 {
                if full {
                    words.push("linh");
                }
                words.push(DIGITS[u]);
            }
        }
        1 => {
            words.push("mười");
            match u {
                0 => {}
                5 => words.push("lăm"),
                _ => words.push(DIGITS[u]),
            }
        }
        _ => {
            words.push(DIGITS[t]);
            words.push("mươi");
            match u {
                0 => {}
                1 => words.push("mốt"),
                4 => words.push("tư"),
                5 => words.push("lăm"),
                _ => words.push(DIGITS[u]),
            }
        }
    }
}

/// Parses an amount the way Vietnamese users type it: `1.000.000`, `300 triệu`, `1,5 tỷ`,
/// `2 tỷ 300 triệu`, `500 ngàn`, `300tr`, with an optional `đ` / `đồng` / `VND` suffix.
///
/// See the module documentation for what is accepted and refused.
///
/// ```
/// use kc_rules::{Vnd, parse_vnd_vi};
/// assert_eq!(parse_vnd_vi("1,5 tỷ"), Ok(Vnd::from_const(1_500_000_000)));
/// assert_eq!(parse_vnd_vi("300.000.000 đ"), Ok(Vnd::from_const(300_000_000)));
/// ```
pub fn parse_vnd_vi(input: &str) -> Result<Vnd, MoneyError> {
    let text: Vec<char> = input.trim().chars().map(lower_vi).collect();
    if text.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    if matches!(text[0], '-' | '−' | '–') {
        return Err(MoneyError::Negative);
    }
    if text[0] == '+' {
        return Err(MoneyError::NotANumber);
    }

    let mut pos = 0;
    let mut total = Decimal::ZERO;
    let mut terms = 0usize;
    let mut last_scale: Option<Decimal> = None;
    let mut plain = false;
    let mut saw_currency = false;
    loop {
        skip_space(&text, &mut pos);
        if pos >= text.len() {
            break;
        }
        if saw_currency {
            return Err(MoneyError::NotANumber);
        }
        if !text[pos].is_ascii_digit() {
            // Only a currency word may stand without a number, and only at the end.
            let word = read_word(&text, &mut pos);
            if terms > 0 && is_currency(&word) {
                saw_currency = true;
                continue;
            }
            return Err(MoneyError::NotANumber);
        }
        if plain {
            return Err(MoneyError::NotANumber);
        }
        let number = read_number(&text, &mut pos)?;
        // Scale words (possibly several: "nghìn tỷ"), then maybe a currency word.
        let mut scale: Option<Decimal> = None;
        loop {
            let save = pos;
            skip_space(&text, &mut pos);
            if pos >= text.len() || text[pos].is_ascii_digit() {
                pos = save;
                break;
            }
            let word = read_word(&text, &mut pos);
            if let Some(s) = scale_of(&word) {
                scale = Some(scale.unwrap_or(Decimal::ONE) * s);
            } else if is_currency(&word) {
                saw_currency = true;
                break;
            } else {
                return Err(MoneyError::NotANumber);
            }
        }
        match scale {
            None => {
                // A plain number: must be the only term, and whole.
                if terms > 0 {
                    return Err(MoneyError::NotANumber);
                }
                if number.has_comma {
                    return Err(MoneyError::Fraction);
                }
                plain = true;
                total = number.value;
            }
            Some(scale) => {
                if let Some(last) = last_scale {
                    // Descending scales, and a later term below the previous scale.
                    if scale >= last || number.value * scale >= last {
                        return Err(MoneyError::NotANumber);
                    }
                }
                last_scale = Some(scale);
                total += number.value * scale;
            }
        }
        terms += 1;
        if total > Decimal::from(MAX_VND) {
            return Err(MoneyError::TooLarge);
        }
    }
    if terms == 0 {
        return Err(MoneyError::NotANumber);
    }
    Vnd::try_from(total)
}

/// A number as typed: its value and whether it had a decimal comma.
struct Number {
    value: Decimal,
    has_comma: bool,
}

fn skip_space(text: &[char], pos: &mut usize) {
    while *pos < text.len() && is_space(text[*pos]) {
        *pos += 1;
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'
}

/// Reads digits with thousands separators (`.` or a space followed by a digit) and an
/// optional decimal comma. Checks the grouping.
fn read_number(text: &[char], pos: &mut usize) -> Result<Number, MoneyError> {
    let mut groups: Vec<String> = vec![String::new()];
    let mut separator: Option<char> = None;
    let mut fraction: Option<String> = None;
    while *pos < text.len() {
        let c = text[*pos];
        let next_is_digit = text.get(*pos + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() {
            match &mut fraction {
                Some(f) => f.push(c),
                None => groups.last_mut().map_or((), |g| g.push(c)),
            }
        } else if (c == '.' || is_space(c)) && next_is_digit && fraction.is_none() {
            let kind = if c == '.' { '.' } else { ' ' };
            if separator.is_some_and(|s| s != kind) {
                return Err(MoneyError::NotANumber);
            }
            separator = Some(kind);
            groups.push(String::new());
        } else if c == ',' && next_is_digit && fraction.is_none() {
            fraction = Some(String::new());
        } else if c == '.' || c == ',' {
            // A trailing or doubled separator ("1.", "1,,5").
            return Err(MoneyError::NotANumber);
        } else {
            break;
        }
        *pos += 1;
    }
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return Err(MoneyError::NotANumber);
        }
    }
    let int: String = groups.concat();
    let frac = fraction.unwrap_or_default();
    if int.len() > 20 {
        return Err(MoneyError::TooLarge);
    }
    if frac.len() > 15 {
        return Err(MoneyError::Fraction);
    }
    let has_comma = !frac.is_empty();
    let literal = if has_comma { format!("{int}.{frac}") } else { int };
    let value: Decimal = literal.parse().map_err(|_| MoneyError::NotANumber)?;
    Ok(Number { value, has_comma })
}

/// Reads a word: letters and combining marks (so decomposed Vietnamese works), or `₫`.
fn read_word(text: &[char], pos: &mut usize) -> String {
    let start = *pos;
    if text.get(*pos) == Some(&'₫') {
        *pos += 1;
        return "₫".to_owned();
    }
    while *pos < text.len() && (is_letter_vi(text[*pos]) || is_combining(text[*pos])) {
        *pos += 1;
    }
    if *pos == start {
        // Not a word: consume one character so the caller reports it.
        *pos += 1;
    }
    text[start..*pos].iter().filter(|c| !is_combining(**c)).collect()
}

/// The small letter of a Vietnamese letter (ASCII, Latin-1, `Ă Đ Ĩ Ũ Ơ Ư` and the precomposed
/// letters with tone marks); any other character is returned as it is.
///
/// `char::to_lowercase` would link Unicode's whole case table (about 12 KB) into the widget
/// for the only alphabet its users type.
pub fn lower_vi(c: char) -> char {
    let u = c as u32;
    let low = match u {
        0x41..=0x5a => u + 0x20,
        0xc0..=0xde if u != 0xd7 => u + 0x20,
        0x102 | 0x110 | 0x128 | 0x168 | 0x1a0 => u + 1,
        0x1af => 0x1b0,
        0x1ea0..=0x1ef8 if u.is_multiple_of(2) => u + 1,
        _ => u,
    };
    char::from_u32(low).unwrap_or(c)
}

/// The capital of a Vietnamese letter, the inverse of [`lower_vi`]; any other character is
/// returned as it is.
pub fn upper_vi(c: char) -> char {
    let u = c as u32;
    let up = match u {
        0x61..=0x7a => u - 0x20,
        0xe0..=0xfe if u != 0xf7 => u - 0x20,
        0x103 | 0x111 | 0x129 | 0x169 | 0x1a1 => u - 1,
        0x1b0 => 0x1af,
        0x1ea1..=0x1ef9 if !u.is_multiple_of(2) => u - 1,
        _ => u,
    };
    char::from_u32(up).unwrap_or(c)
}

/// Whether `c` is a letter of the Latin alphabets Vietnamese is written in: ASCII letters,
/// Latin-1 letters, Latin Extended-A and -B, and Latin Extended Additional (the precomposed
/// Vietnamese letters with tone marks). Other scripts count as non-letters.
pub fn is_letter_vi(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32, 0xc0..=0x24f if c != '×' && c != '÷')
        || ('\u{1e00}'..='\u{1eff}').contains(&c)
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The value of a scale word (diacritics optional; decomposed marks were already dropped).
fn scale_of(word: &str) -> Option<Decimal> {
    match word {
        "tỷ" | "tỉ" | "ty" | "ti" => Some(Decimal::from(1_000_000_000u64)),
        "triệu" | "trieu" | "tr" => Some(Decimal::from(1_000_000u64)),
        "nghìn" | "ngàn" | "nghin" | "ngan" | "k" => Some(Decimal::from(1_000u64)),
        _ => None,
    }
}

fn is_currency(word: &str) -> bool {
    matches!(word, "đ" | "đồng" | "dong" | "d" | "₫" | "vnd" | "vnđ" | "đông" | "đong")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: i64) -> Vnd {
        Vnd::new(n).unwrap()
    }

    #[test]
    fn words_table() {
        let cases: &[(i64, &str)] = &[
            (0, "không đồng"),
            (1, "một đồng"),
            (5, "năm đồng"),
            (10, "mười đồng"),
            (11, "mười một đồng"),
            (14, "mười bốn đồng"),
            (15, "mười lăm đồng"),
            (20, "hai mươi đồng"),
            (21, "hai mươi mốt đồng"),
            (24, "hai mươi tư đồng"),
            (25, "hai mươi lăm đồng"),
            (55, "năm mươi lăm đồng"),
            (91, "chín mươi mốt đồng"),
            (99, "chín mươi chín đồng"),
            (100, "một trăm đồng"),
            (101, "một trăm linh một đồng"),
            (104, "một trăm linh bốn đồng"),
            (105, "một trăm linh năm đồng"),
            (110, "một trăm mười đồng"),
            (115, "một trăm mười lăm đồng"),
            (121, "một trăm hai mươi mốt đồng"),
            (999, "chín trăm chín mươi chín đồng"),
            (1_000, "một nghìn đồng"),
            (1_001, "một nghìn không trăm linh một đồng"),
            (1_010, "một nghìn không trăm mười đồng"),
            (1_015, "một nghìn không trăm mười lăm đồng"),
            (1_100, "một nghìn một trăm đồng"),
            (10_000, "mười nghìn đồng"),
            (15_000, "mười lăm nghìn đồng"),
            (21_000, "hai mươi mốt nghìn đồng"),
            (105_000, "một trăm linh năm nghìn đồng"),
            (500_000, "năm trăm nghìn đồng"),
            (1_000_000, "một triệu đồng"),
            (1_000_005, "một triệu không trăm linh năm đồng"),
            (1_005_000, "một triệu không trăm linh năm nghìn đồng"),
            (1_500_000, "một triệu năm trăm nghìn đồng"),
            (2_030_000, "hai triệu không trăm ba mươi nghìn đồng"),
            (4_000_000, "bốn triệu đồng"),
            (10_000_000, "mười triệu đồng"),
            (25_000_000, "hai mươi lăm triệu đồng"),
            (100_000_000, "một trăm triệu đồng"),
            (150_000_001, "một trăm năm mươi triệu không trăm linh một đồng"),
            (300_000_000, "ba trăm triệu đồng"),
            (450_000_000, "bốn trăm năm mươi triệu đồng"),
            (
                999_999_999,
                "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
            ),
            (1_000_000_000, "một tỷ đồng"),
            (1_000_000_001, "một tỷ không trăm linh một đồng"),
            (1_005_000_000, "một tỷ không trăm linh năm triệu đồng"),
            (1_500_000_000, "một tỷ năm trăm triệu đồng"),
            (2_300_000_000, "hai tỷ ba trăm triệu đồng"),
            (21_000_000_000, "hai mươi mốt tỷ đồng"),
            (100_000_000_000, "một trăm tỷ đồng"),
            (1_000_000_000_000, "một nghìn tỷ đồng"),
            (1_000_000_000_005, "một nghìn tỷ không trăm linh năm đồng"),
            (1_234_000_000_000, "một nghìn hai trăm ba mươi tư tỷ đồng"),
            (1_005_000_000_000, "một nghìn không trăm linh năm tỷ đồng"),
            (999_999_000_000_000, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ đồng"),
            (MAX_VND, "một triệu tỷ đồng"),
        ];
        for &(n, want) in cases {
            assert_eq!(vnd_in_words(v(n)), want, "{n}");
        }
    }

    #[test]
    fn words_never_have_double_spaces_or_zero_scales() {
        for n in [7, 70, 700, 7_007, 70_070, 700_700, 7_000_007, 70_000_000_070, MAX_VND - 1] {
            let w = vnd_in_words(v(n));
            assert!(!w.contains("  "), "{n}: {w}");
            assert!(!w.contains("không nghìn") && !w.contains("không triệu"), "{n}: {w}");
            assert!(w.ends_with(" đồng"), "{n}: {w}");
        }
    }

    #[test]
    fn parse_accepts() {
        let cases: &[(&str, i64)] = &[
            ("0", 0),
            ("1000000", 1_000_000),
            ("1.000.000", 1_000_000),
            ("1 000 000", 1_000_000),
            ("1\u{a0}000\u{a0}000", 1_000_000),
            ("  300000000  ", 300_000_000),
            ("300.000.000 đ", 300_000_000),
            ("300.000.000đ", 300_000_000),
            ("300.000.000 đồng", 300_000_000),
            ("300.000.000 VND", 300_000_000),
            ("300.000.000 VNĐ", 300_000_000),
            ("300.000.000 ₫", 300_000_000),
            ("300 triệu", 300_000_000),
            ("300 Triệu", 300_000_000),
            ("300 trieu", 300_000_000),
            ("300tr", 300_000_000),
            ("300 tr đồng", 300_000_000),
            ("1,5 tỷ", 1_500_000_000),
            ("1,5tỷ", 1_500_000_000),
            ("1,5 tỉ", 1_500_000_000),
            ("1,5 ty", 1_500_000_000),
            ("1,25 triệu", 1_250_000),
            ("1,5 nghìn đồng", 1_500),
            ("2 tỷ 300 triệu", 2_300_000_000),
            ("2 tỷ 300 triệu đồng", 2_300_000_000),
            ("2 tỷ 300 triệu 500 nghìn", 2_300_500_000),
            ("1 tỷ 5 nghìn", 1_000_005_000),
            ("500 nghìn", 500_000),
            ("500 ngàn", 500_000),
            ("500 nghin", 500_000),
            ("500k", 500_000),
            ("1.500 nghìn", 1_500_000),
            ("1 nghìn tỷ", 1_000_000_000_000),
            ("1 triệu tỷ", MAX_VND),
            ("1000000000000000", MAX_VND),
            // Decomposed (NFD) Vietnamese: "triệu" typed with combining marks.
            ("300 trie\u{323}\u{302}u", 300_000_000),
        ];
        for &(s, want) in cases {
            assert_eq!(parse_vnd_vi(s), Ok(v(want)), "{s:?}");
        }
    }

    #[test]
    fn parse_refuses() {
        use MoneyError::*;
        let cases: &[(&str, MoneyError)] = &[
            ("", NotANumber),
            ("   ", NotANumber),
            ("abc", NotANumber),
            ("đ", NotANumber),
            ("-5", Negative),
            ("-1.000.000", Negative),
            ("−300 triệu", Negative),
            ("1.000,5", Fraction),
            ("300,000", Fraction),
            ("1,5", Fraction),
            ("1,0000000001 tỷ", Fraction),
            ("1,0005 nghìn", Fraction),
            ("1.5 tỷ", NotANumber),
            ("1.00.000", NotANumber),
            ("1000.000.00", NotANumber),
            ("1.000 000", NotANumber),
            ("1.", NotANumber),
            ("1..000", NotANumber),
            ("12 34", NotANumber),
            ("300 triệu 300 triệu", NotANumber),
            ("300 triệu 2 tỷ", NotANumber),
            ("2 tỷ 1500 triệu", NotANumber),
            ("2 tỷ 500", NotANumber),
            ("300 đô", NotANumber),
            ("300 đ 5", NotANumber),
            ("1e6", NotANumber),
            ("+5", NotANumber),
            ("1000000000000001", TooLarge),
            ("2 triệu tỷ", TooLarge),
            ("99999999999999999999999999", TooLarge),
        ];
        for (s, want) in cases {
            assert_eq!(parse_vnd_vi(s).as_ref(), Err(want), "{s:?}");
        }
    }

    #[test]
    fn round_trip_with_display() {
        for n in [0, 1, 999, 1_000, 1_234_567, 300_000_000, 1_000_000_000_000, MAX_VND] {
            let shown = v(n).to_string();
            assert_eq!(parse_vnd_vi(&shown), Ok(v(n)), "{shown}");
        }
    }
}

#[cfg(test)]
mod case_tests {
    use super::{is_letter_vi, lower_vi, upper_vi};

    /// `lower_vi` and `upper_vi` agree with Unicode on every Vietnamese letter, both ways.
    #[test]
    fn vietnamese_case_matches_unicode() {
        let small = "abcdefghijklmnopqrstuvwxyzàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";
        for c in small.chars() {
            let capital = c.to_uppercase().next().unwrap();
            assert_eq!(upper_vi(c), capital, "{c}");
            assert_eq!((lower_vi(capital), lower_vi(c)), (c, c), "{capital}");
            assert_eq!(upper_vi(capital), capital, "{capital}");
            assert!(is_letter_vi(c) && is_letter_vi(capital), "{c}");
        }
        for c in ['1', ' ', '-', '×', '÷', '₫', '\u{301}'] {
            assert_eq!((lower_vi(c), upper_vi(c)), (c, c));
            assert!(!is_letter_vi(c), "{c}");
        }
    }
}
