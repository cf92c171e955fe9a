//! The commune list in binary formats, column by column (`#[serde(with)]` on
//! [`RulePack::communes`](crate::RulePack)).
//!
//! The widget carries all 3,321 communes in its bundle. Row by row (code, name, kind,
//! province) they took 29 KB gzipped; as columns — code deltas, one kind byte each, province
//! runs, former-province runs, and the names without the kind word they start with (`Phường `, `Xã `, `Đặc khu `)
//! — they take about 17 KB. Human-readable formats (the `/rulepack` JSON) keep the plain list.

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::pack::{Commune, CommuneKind};

#[derive(Serialize, Deserialize)]
struct Columns {
    /// Code minus the previous code (codes ascending).
    code_deltas: Vec<u32>,
    /// Kind × 2, plus 1 when the name starts with the kind's word (stripped from `names`).
    kinds: Vec<u8>,
    /// (province code, how many consecutive communes).
    province_runs: Vec<(u16, u32)>,
    /// (former province codename, empty for none; how many consecutive communes): 68 runs
    /// cover the 3,321 communes, since GSO codes are grouped by the pre-2025 province.
    former_runs: Vec<(String, u32)>,
    /// The names, one per line.
    names: String,
}

const KINDS: [(CommuneKind, &str); 3] =
    [(CommuneKind::Xa, "Xã "), (CommuneKind::Phuong, "Phường "), (CommuneKind::DacKhu, "Đặc khu ")];

fn kind_index(kind: CommuneKind) -> usize {
    KINDS.iter().position(|(k, _)| *k == kind).unwrap_or(0)
}

/// Serializes the list (`with` attribute).
pub(crate) fn serialize<S: Serializer>(communes: &[Commune], s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        return communes.serialize(s);
    }
    let mut cols = Columns {
        code_deltas: Vec::new(),
        kinds: Vec::new(),
        province_runs: Vec::new(),
        former_runs: Vec::new(),
        names: String::new(),
    };
    let mut prev = 0;
    for (i, c) in communes.iter().enumerate() {
        let delta = c.code.checked_sub(prev).filter(|d| i == 0 || *d > 0);
        cols.code_deltas.push(delta.ok_or_else(|| S::Error::custom("communes must be sorted by code"))?);
        prev = c.code;
        if c.name.contains('\n') {
            return Err(S::Error::custom("a commune name holds a line break"));
        }
        let k = kind_index(c.kind);
        let (name, stripped) = match c.name.strip_prefix(KINDS[k].1) {
            Some(rest) => (rest, 1),
            None => (c.name.as_str(), 0),
        };
        cols.kinds.push(u8::try_from(k * 2 + stripped).unwrap_or(0));
        if i > 0 {
            cols.names.push('\n');
        }
        cols.names.push_str(name);
        match cols.province_runs.last_mut() {
            Some((p, n)) if *p == c.province_code => *n += 1,
            _ => cols.province_runs.push((c.province_code, 1)),
        }
        let former = c.former_province.as_deref().unwrap_or("");
        match cols.former_runs.last_mut() {
            Some((f, n)) if f == former => *n += 1,
            _ => cols.former_runs.push((former.to_owned(), 1)),
        }
    }
    cols.serialize(s)
}

/// Deserializes the list (`with` attribute).
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Commune>, D::Error> {
    if d.is_human_readable() {
        return Vec::<Commune>::deserialize(d);
    }
    let cols = Columns::deserialize(d)?;
    let n = cols.code_deltas.len();
    let runs_total: u64 = cols.province_runs.iter().map(|(_, k)| u64::from(*k)).sum();
    let former_total: u64 = cols.former_runs.iter().map(|(_, k)| u64::from(*k)).sum();
    if cols.names.is_empty() && n > 0 || cols.kinds.len() != n || runs_total != n as u64 || former_total != n as u64 {
        return Err(D::Error::custom("commune columns of different lengths"));
    }
    let provinces = cols.province_runs.iter().flat_map(|&(p, k)| std::iter::repeat_n(p, k as usize));
    let mut formers = cols.former_runs.iter().flat_map(|(f, k)| std::iter::repeat_n(f, *k as usize));
    let names = cols.names.split('\n').take(if n == 0 { 0 } else { usize::MAX });
    let mut out = Vec::with_capacity(n);
    let mut code = 0u32;
    for (((delta, &byte), province_code), name) in cols.code_deltas.iter().zip(&cols.kinds).zip(provinces).zip(names) {
        code = code.checked_add(*delta).ok_or_else(|| D::Error::custom("commune code overflows"))?;
        let (kind, word) = *KINDS.get(usize::from(byte / 2)).ok_or_else(|| D::Error::custom("bad commune kind"))?;
        let name = if byte % 2 == 1 {
            let mut full = String::with_capacity(word.len() + name.len());
            full.push_str(word);
            full.push_str(name);
            full
        } else {
            name.to_owned()
        };
        let former_province = formers.next().filter(|f| !f.is_empty()).cloned();
        out.push(Commune { code, name, kind, province_code, former_province });
    }
    if out.len() != n {
        return Err(D::Error::custom("fewer commune names than codes"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: u32, name: &str, kind: CommuneKind, province_code: u16) -> Commune {
        let former_province = (province_code == 79).then(|| "ba_ria_vung_tau".to_owned());
        Commune { code, name: name.to_owned(), kind, province_code, former_province }
    }

    #[test]
    fn columns_round_trip_in_postcard_and_stay_a_list_in_json() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct T(#[serde(with = "super")] Vec<Commune>);
        let list = T(vec![
            c(4, "Phường Ba Đình", CommuneKind::Phuong, 1),
            c(8, "Xã Đông Anh", CommuneKind::Xa, 1),
            c(9, "Đặc khu Côn Đảo", CommuneKind::DacKhu, 79),
            c(12, "Thị trấn Cũ", CommuneKind::Xa, 79),
        ]);
        let bin = postcard::to_allocvec(&list).unwrap();
        assert_eq!(postcard::from_bytes::<T>(&bin).unwrap(), list);
        let json = serde_json::to_string(&list).unwrap();
        assert!(json.starts_with(r#"[{"code":4,"name":"Phường Ba Đình","kind":"phuong","province_code":1}"#), "{json}");
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), list);
        let empty = T(vec![]);
        assert_eq!(postcard::from_bytes::<T>(&postcard::to_allocvec(&empty).unwrap()).unwrap(), empty);
    }

    #[test]
    fn unsorted_or_inconsistent_columns_are_errors() {
        #[derive(Serialize, Deserialize, Debug)]
        struct T(#[serde(with = "super")] Vec<Commune>);
        let unsorted = T(vec![c(8, "Xã A", CommuneKind::Xa, 1), c(4, "Xã B", CommuneKind::Xa, 1)]);
        assert!(postcard::to_allocvec(&unsorted).is_err());
        let bad = Columns {
            code_deltas: vec![1, 2],
            kinds: vec![0, 0],
            province_runs: vec![(1, 2)],
            former_runs: vec![(String::new(), 2)],
            names: "only one".to_owned(),
        };
        assert!(postcard::from_bytes::<T>(&postcard::to_allocvec(&bad).unwrap()).is_err());
        let bad_kind = Columns {
            code_deltas: vec![1],
            kinds: vec![9],
            province_runs: vec![(1, 1)],
            former_runs: vec![(String::new(), 1)],
            names: "x".into(),
        };
        assert!(postcard::from_bytes::<T>(&postcard::to_allocvec(&bad_kind).unwrap()).is_err());
    }
}
