//! Money and rates. Invariant: no float ever touches a money value.
//!
//! [`Vnd`] is a whole number of đồng carried as a [`Decimal`]; [`Rate`] is a fraction
//! (`0.5` = 50 %). Multiplying them gives a [`Decimal`] that the rule pack's rounding
//! parameter turns back into [`Vnd`].

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// The largest amount accepted anywhere: 10^15 đồng (one million billion).
///
/// Keeps every amount exact in JavaScript numbers and in `i64` database columns.
pub const MAX_VND: i64 = 1_000_000_000_000_000;

/// An amount of money in whole Vietnamese đồng, `0 ..= MAX_VND`.
///
/// On the wire it is a JSON integer (`300000000`) or a string of digits (`"300000000"`);
/// fractions, negatives, exponents and floats are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Vnd(Decimal);

/// Why a value is not a valid [`Vnd`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Below zero.
    #[error("số tiền không được âm / amount must not be negative")]
    Negative,
    /// Has a fractional part.
    #[error("số tiền phải là số đồng nguyên / amount must be a whole number of đồng")]
    Fraction,
    /// Larger than [`MAX_VND`].
    #[error("số tiền quá lớn (tối đa 10^15 đồng) / amount too large (at most 10^15 đồng)")]
    TooLarge,
    /// Not a number at all.
    #[error("không phải là số / not a number")]
    NotANumber,
}

impl Vnd {
    /// Zero đồng.
    pub const ZERO: Vnd = Vnd(Decimal::ZERO);

    /// Makes an amount from whole đồng.
    pub fn new(dong: i64) -> Result<Vnd, MoneyError> {
        Vnd::try_from(Decimal::from(dong))
    }

    /// Makes an amount from whole đồng known to be valid (constants, tests).
    ///
    /// # Panics
    /// If `dong` is negative or above [`MAX_VND`].
    pub const fn from_const(dong: i64) -> Vnd {
        assert!(dong >= 0 && dong <= MAX_VND, "Vnd out of range");
        Vnd(Decimal::from_parts((dong as u64 & 0xFFFF_FFFF) as u32, ((dong as u64) >> 32) as u32, 0, false, 0))
    }

    /// The amount as a decimal number of đồng.
    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    /// The amount as `i64` đồng (always exact: the range is checked on construction).
    pub fn to_i64(self) -> i64 {
        i64::try_from(self.0.mantissa()).expect("Vnd is a whole number within i64")
    }

    /// Rounds a decimal amount to whole đồng toward zero and checks its range.
    pub fn from_decimal_toward_zero(value: Decimal) -> Result<Vnd, MoneyError> {
        let whole = if value.scale() == 0 { value } else { value.round_dp_with_strategy(0, RoundingStrategy::ToZero) };
        Vnd::whole(whole)
    }

    /// A decimal of scale 0 (a whole number) as an amount, range checked.
    fn whole(d: Decimal) -> Result<Vnd, MoneyError> {
        if d.is_zero() {
            return Ok(Vnd::ZERO);
        }
        if d.is_sign_negative() {
            return Err(MoneyError::Negative);
        }
        if d.mantissa() > i128::from(MAX_VND) {
            return Err(MoneyError::TooLarge);
        }
        Ok(Vnd(d))
    }

    /// Parses digits only (`"300000000"`); see the widget for Vietnamese-style entry.
    pub fn parse(s: &str) -> Result<Vnd, MoneyError> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(if s.starts_with('-') {
                MoneyError::Negative
            } else if s.contains(['.', ',']) && s.bytes().any(|b| b.is_ascii_digit()) {
                MoneyError::Fraction
            } else {
                MoneyError::NotANumber
            });
        }
        if s.len() > 16 {
            return Err(MoneyError::TooLarge);
        }
        let d: Decimal = s.parse().map_err(|_| MoneyError::NotANumber)?;
        Vnd::try_from(d)
    }

    /// `self - other`, or zero when `other` is larger.
    pub fn saturating_sub(self, other: Vnd) -> Vnd {
        if other >= self { Vnd::ZERO } else { Vnd(self.0 - other.0) }
    }

    /// `self + other`, capped at [`MAX_VND`].
    pub fn saturating_add(self, other: Vnd) -> Vnd {
        Vnd((self.0 + other.0).min(Decimal::from(MAX_VND)))
    }
}

impl TryFrom<Decimal> for Vnd {
    type Error = MoneyError;

    fn try_from(value: Decimal) -> Result<Vnd, MoneyError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError::Negative);
        }
        if value.scale() == 0 {
            return Vnd::whole(value);
        }
        if !value.fract().is_zero() {
            return Err(MoneyError::Fraction);
        }
        if value > Decimal::from(MAX_VND) {
            return Err(MoneyError::TooLarge);
        }
        Ok(Vnd(value.trunc().normalize()))
    }
}

/// The figures of `n` with a dot every three digits (`300.000.000`), right-aligned in `buf`;
/// returns where they start. ASCII only.
fn grouped(mut n: u64, buf: &mut [u8; 27]) -> usize {
    let mut at = buf.len();
    let mut digits = 0;
    loop {
        if digits > 0 && digits % 3 == 0 {
            at -= 1;
            buf[at] = b'.';
        }
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        digits += 1;
        n /= 10;
        if n == 0 {
            return at;
        }
    }
}

impl Vnd {
    /// Appends `300.000.000 đ` to `out` (for texts built piece by piece).
    pub(crate) fn push_to(self, out: &mut String) {
        crate::text::push_grouped(out, self.to_u64(), Some('.'));
        out.push_str(" đ");
    }

    /// The length in bytes of `300.000.000 đ`.
    pub(crate) fn text_len(self) -> usize {
        let digits = crate::text::digits(self.to_u64());
        digits + (digits - 1) / 3 + " đ".len()
    }

    /// `self × factor` rounded toward zero to whole đồng and range checked, as
    /// `from_decimal_toward_zero(self × factor)`; in 64-bit integers when the factor has at
    /// most 6 decimals (caps times multipliers, norms times learners).
    pub(crate) fn times(self, factor: Decimal) -> Result<Vnd, MoneyError> {
        if factor.scale() <= 6
            && !factor.is_sign_negative()
            && let Ok(m) = u64::try_from(factor.mantissa())
            && let Some(p) = self.to_u64().checked_mul(m)
        {
            return Vnd::whole_u64(p / 10u64.pow(factor.scale())).ok_or(MoneyError::TooLarge);
        }
        self.0.checked_mul(factor).map_or(Err(MoneyError::TooLarge), Vnd::from_decimal_toward_zero)
    }

    /// Whole đồng as an amount, range checked.
    pub(crate) fn whole_u64(n: u64) -> Option<Vnd> {
        (n <= MAX_VND.unsigned_abs()).then(|| Vnd(Decimal::from(n)))
    }

    /// The amount as `u64` đồng (the mantissa: a `Vnd` has scale 0 and is not negative).
    pub(crate) fn to_u64(self) -> u64 {
        u64::try_from(self.0.mantissa()).unwrap_or(0)
    }
}

/// Figures the Vietnamese way: `300.000.000 đ`, written from a stack buffer.
impl fmt::Display for Vnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 27];
        let at = grouped(self.to_i64().unsigned_abs(), &mut buf);
        f.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)?;
        f.write_str(" đ")
    }
}

impl Serialize for Vnd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.to_i64())
    }
}

impl<'de> Deserialize<'de> for Vnd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Vnd, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Vnd;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number of đồng (integer or string of digits)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vnd, E> {
                i64::try_from(v).map_err(|_| E::custom(MoneyError::TooLarge)).and_then(|v| self.visit_i64(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vnd, E> {
                Vnd::new(v).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Vnd, E> {
                Err(E::custom(MoneyError::Fraction))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Vnd, E> {
                Vnd::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A support rate as a fraction of the eligible cost, `0 ..= 1` (`0.5` = 50 %).
///
/// On the wire it is a decimal string (`"0.5"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(Decimal);

/// Why a value is not a valid [`Rate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tỷ lệ phải nằm trong khoảng 0..1 / rate must be between 0 and 1")]
pub struct RateError;

impl Rate {
    /// 100 %.
    pub const FULL: Rate = Rate(Decimal::ONE);

    /// Makes a rate from a fraction in `0 ..= 1`.
    pub fn new(fraction: Decimal) -> Result<Rate, RateError> {
        if fraction < Decimal::ZERO || fraction > Decimal::ONE {
            return Err(RateError);
        }
        Ok(Rate(fraction.normalize()))
    }

    /// The fraction (`0.5`).
    pub fn fraction(self) -> Decimal {
        self.0
    }

    /// The rate in percent (`50`).
    pub fn percent(self) -> Decimal {
        (self.0 * Decimal::ONE_HUNDRED).normalize()
    }

    /// `rate × amount`, exact (rounding is the caller's, by the rule pack's parameter).
    pub fn of(self, amount: Vnd) -> Decimal {
        self.0 * amount.as_decimal()
    }
}

/// `50 %`.
impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", self.percent().to_string().replace('.', ","))
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rate, D::Error> {
        let s = String::deserialize(d)?;
        let v: Decimal = s.parse().map_err(de::Error::custom)?;
        Rate::new(v).map_err(de::Error::custom)
    }
}
