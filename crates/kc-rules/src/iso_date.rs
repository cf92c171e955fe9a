//! Serde for [`Date`] as `YYYY-MM-DD`, used with `#[serde(with = "kc_rules::iso_date")]`.
//!
//! `time`'s own human-readable serde goes through its general format-description parser and
//! formatter, about 35 KB of WebAssembly for the one format the API uses. This module reads
//! and writes exactly that format (years 0000–9999, the calendar date checked by `time`).
//! Binary formats (the bundled postcard pack) carry the Julian day number instead.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serializer};
use time::{Date, Month};

/// Formats `YYYY-MM-DD`.
pub fn format(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Formats a date the Vietnamese way, `DD/MM/YYYY` (`15/10/2025`), for texts in Vietnamese.
pub fn vi(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Parses exactly `YYYY-MM-DD`; `None` for anything else or a date that does not exist.
pub fn parse(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u16> {
        b[r].iter().try_fold(0u16, |n, &c| c.is_ascii_digit().then(|| n * 10 + u16::from(c - b'0')))
    };
    let month = Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    Date::from_calendar_date(i32::from(num(0..4)?), month, u8::try_from(num(8..10)?).ok()?).ok()
}

/// Serializes a date (`with` attribute).
pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() { s.serialize_str(&format(*d)) } else { s.serialize_i32(d.to_julian_day()) }
}

/// Deserializes a date (`with` attribute).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    if d.is_human_readable() {
        d.deserialize_str(DateVisitor)
    } else {
        Date::from_julian_day(i32::deserialize(d)?).map_err(de::Error::custom)
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date as YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// The same for `Option<Date>`.
pub mod option {
    use super::*;

    /// Serializes an optional date.
    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&Iso(*d)),
            None => s.serialize_none(),
        }
    }

    /// Deserializes an optional date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Ok(Option::<Iso>::deserialize(d)?.map(|i| i.0))
    }
}

/// The same for `Vec<Date>`.
pub mod vec {
    use super::*;

    /// Serializes dates.
    pub fn serialize<S: Serializer>(d: &[Date], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(d.iter().map(|d| Iso(*d)))
    }

    /// Deserializes dates.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Date>, D::Error> {
        Ok(Vec::<Iso>::deserialize(d)?.into_iter().map(|i| i.0).collect())
    }
}

/// A date that (de)serializes through this module, for containers.
struct Iso(Date);

impl serde::Serialize for Iso {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for Iso {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Iso, D::Error> {
        deserialize(d).map(Iso)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn round_trips_and_rejects() {
        for d in [date!(2025 - 10 - 15), date!(2014 - 04 - 08), date!(0001 - 01 - 01), date!(9999 - 12 - 31)] {
            assert_eq!(parse(&format(d)), Some(d));
        }
        assert_eq!(format(date!(2024 - 02 - 29)), "2024-02-29");
        for bad in
            ["2025-02-29", "2025-13-01", "2025-1-01", "2025/01/01", "20250101", "2025-01-01T00", "２025-01-01", ""]
        {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn json_is_a_string_and_matches_time() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct T {
            #[serde(with = "super")]
            a: Date,
            #[serde(with = "super::option", default)]
            b: Option<Date>,
            #[serde(with = "super::vec")]
            c: Vec<Date>,
        }
        let t = T { a: date!(2025 - 10 - 15), b: None, c: vec![date!(2018 - 05 - 11)] };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"a":"2025-10-15","b":null,"c":["2018-05-11"]}"#);
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), t);
        assert_eq!(serde_json::from_str::<T>(r#"{"a":"2025-10-15","c":[]}"#).unwrap().b, None);
        let err = serde_json::from_str::<T>(r#"{"a":"2025-02-30","c":[]}"#).unwrap_err().to_string();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }
}
