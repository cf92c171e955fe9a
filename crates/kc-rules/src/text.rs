//! Texts with figures in them, built in one allocation: a decision writes many ("Chi phí
//! trên 600.000.000 đ …"), and `format!` would grow each one several times.

use rust_decimal::Decimal;

use crate::Vnd;

/// One piece of a text.
#[derive(Clone, Copy)]
pub(crate) enum Piece<'a> {
    /// Words.
    S(&'a str),
    /// An amount, `300.000.000 đ`.
    Vnd(Vnd),
    /// A whole number.
    N(u32),
    /// A decimal factor with the Vietnamese decimal comma (`1,5`).
    FactorVi(Decimal),
    /// A decimal factor with a decimal point (`1.5`).
    FactorEn(Decimal),
}

impl Piece<'_> {
    /// The exact length in bytes (an upper bound for factors).
    fn len(self) -> usize {
        match self {
            Piece::S(s) => s.len(),
            Piece::Vnd(v) => v.text_len(),
            Piece::N(n) => digits(u64::from(n)),
            Piece::FactorVi(_) | Piece::FactorEn(_) => 32,
        }
    }

    fn push_to(self, out: &mut String) {
        match self {
            Piece::S(s) => out.push_str(s),
            Piece::Vnd(v) => v.push_to(out),
            Piece::N(n) => push_u64(out, u64::from(n)),
            Piece::FactorVi(d) => push_decimal(out, d, ','),
            Piece::FactorEn(d) => push_decimal(out, d, '.'),
        }
    }
}

/// How many decimal digits `n` has.
pub(crate) fn digits(n: u64) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}

/// `000001002…999`: every group of three digits, so a number is written three digits at a
/// time from a `str` that needs no validation. Written once at run time (3 KB the widget
/// does not download).
fn groups() -> &'static str {
    static GROUPS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    GROUPS.get_or_init(|| {
        let mut out = String::with_capacity(3000);
        for i in 0..1000u32 {
            for d in [i / 100, i / 10 % 10, i % 10] {
                out.push(char::from(b'0' + d as u8));
            }
        }
        out
    })
}

/// The group `g` (< 1000) of `table` in three digits, or without its leading zeros.
fn group(table: &'static str, g: u64, full: bool) -> &'static str {
    let g = g as usize % 1000;
    let skip = if full || g >= 100 {
        0
    } else if g >= 10 {
        1
    } else {
        2
    };
    table.get(3 * g + skip..3 * g + 3).unwrap_or("")
}

/// Appends the digits of `n`, `sep` between groups of three (`300.000.000`), or none.
pub(crate) fn push_grouped(out: &mut String, n: u64, sep: Option<char>) {
    let table = groups();
    // At most 7 groups in a u64, least significant first.
    let mut parts = [0u64; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        parts[len] = rest % 1000;
        len += 1;
        rest /= 1000;
        if rest == 0 {
            break;
        }
    }
    let (first, others) = parts[..len].split_last().unwrap_or((&0, &[]));
    out.push_str(group(table, *first, false));
    for &g in others.iter().rev() {
        if let Some(c) = sep {
            out.push(c);
        }
        out.push_str(group(table, g, true));
    }
}

/// Appends the digits of `n`.
pub(crate) fn push_u64(out: &mut String, n: u64) {
    push_grouped(out, n, None);
}

/// A non-negative decimal without trailing zeros, `mark` between the whole and the fraction
/// (factors like 1.5: their mantissa fits a `u64`; 64-bit arithmetic keeps the widget small).
fn push_decimal(out: &mut String, d: Decimal, mark: char) {
    let d = d.normalize();
    let scale = d.scale().min(19);
    let m = u64::try_from(d.mantissa().unsigned_abs()).unwrap_or(u64::MAX);
    let pow = 10u64.pow(scale);
    push_u64(out, m / pow);
    if scale > 0 {
        out.push(mark);
        let f = m % pow;
        for _ in digits(f)..scale as usize {
            out.push('0');
        }
        push_u64(out, f);
    }
}

/// The pieces, joined.
pub(crate) fn cat(pieces: &[Piece<'_>]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for p in pieces {
        p.push_to(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_render_as_display_would() {
        let v = Vnd::from_const(1_234_567);
        let s = cat(&[Piece::S("a "), Piece::Vnd(v), Piece::S(" / "), Piece::N(50), Piece::S(" ")]);
        assert_eq!(s, format!("a {v} / 50 "));
        assert_eq!(cat(&[Piece::Vnd(Vnd::ZERO)]), "0 đ");
        assert_eq!(cat(&[Piece::Vnd(Vnd::from_const(999))]), "999 đ");
        assert_eq!(cat(&[Piece::Vnd(Vnd::from_const(1000))]), "1.000 đ");
        assert_eq!(cat(&[Piece::Vnd(Vnd::from_const(300_000_000))]), "300.000.000 đ");
        assert_eq!(cat(&[Piece::Vnd(Vnd::from_const(1_002_003_045))]), "1.002.003.045 đ");
        assert_eq!(cat(&[Piece::N(1_002_003)]), "1002003");
        assert_eq!(cat(&[Piece::N(u32::MAX)]), "4294967295");
        for n in [0, 5, 10, 99, 100, 1_000_005, 10_020_300, 999_999_999_999_999, crate::MAX_VND] {
            let v = Vnd::from_const(n);
            assert_eq!(cat(&[Piece::Vnd(v)]), format!("{v}"));
            assert_eq!(cat(&[Piece::Vnd(v)]).len(), v.text_len());
            assert_eq!(cat(&[Piece::N(n as u32 % 1_000_000_007)]), (n as u32 % 1_000_000_007).to_string());
        }
        assert_eq!(Vnd::from_const(300_000_000).text_len(), "300.000.000 đ".len());
        let f: Decimal = "1.50".parse().unwrap();
        assert_eq!(cat(&[Piece::FactorVi(f), Piece::S(" "), Piece::FactorEn(f)]), "1,5 1.5");
        let f: Decimal = "1.05".parse().unwrap();
        assert_eq!(cat(&[Piece::FactorVi(f)]), "1,05");
        assert_eq!(cat(&[Piece::FactorEn(Decimal::ONE)]), "1");
    }
}
