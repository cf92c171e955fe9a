//! Type-to-search over the official communes: diacritic-insensitive, grouped by province.
//!
//! The normalized names are computed once ([`CommuneIndex::new`]); a search is a scan of
//! 3,321 short strings, well under a millisecond, and returns at most [`MAX_RESULTS`].

use kc_rules::RulePack;

/// At most this many communes are offered at once (the list stays short to read and fast).
pub const MAX_RESULTS: usize = 30;

/// Folds a character to its base ASCII letter: lower case, no tone or vowel marks, `đ` → `d`.
pub fn fold_char(c: char) -> Option<char> {
    const GROUPS: &[(char, &str)] = &[
        ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
        ('e', "èéẻẽẹêềếểễệ"),
        ('i', "ìíỉĩị"),
        ('o', "òóỏõọôồốổỗộơờớởỡợ"),
        ('u', "ùúủũụưừứửữự"),
        ('y', "ỳýỷỹỵ"),
        ('d', "đ"),
    ];
    // Combining marks (text typed in decomposed form) disappear.
    if ('\u{300}'..='\u{36f}').contains(&c) {
        return None;
    }
    let lower = kc_rules::lower_vi(c);
    if lower.is_ascii() {
        return Some(lower);
    }
    Some(GROUPS.iter().find(|(_, set)| set.contains(lower)).map_or(lower, |(base, _)| *base))
}

/// Lower case, without diacritics, punctuation as spaces, single spaces.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter_map(fold_char) {
        let c = if c.is_ascii_digit() || kc_rules::is_letter_vi(c) { c } else { ' ' };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// One commune as the picker shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Commune code.
    pub code: u32,
    /// Commune name, e.g. `Phường Phan Đình Phùng`.
    pub name: String,
}

/// The hits of one province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Province code.
    pub province_code: u16,
    /// Province name.
    pub province: String,
    /// Communes.
    pub hits: Vec<Hit>,
}

struct Entry {
    code: u32,
    province_code: u16,
    /// Normalized commune name.
    name: String,
    /// Normalized commune name without its kind word (`hoan kiem`).
    bare: String,
    /// Normalized province name.
    province: String,
}

/// The precomputed search index.
pub struct CommuneIndex {
    entries: Vec<Entry>,
}

fn strip_kind(n: &str) -> &str {
    for prefix in ["phuong ", "xa ", "dac khu "] {
        if let Some(rest) = n.strip_prefix(prefix) {
            return rest;
        }
    }
    n
}

impl CommuneIndex {
    /// Normalizes every commune and province name of `pack` once.
    pub fn new(pack: &RulePack) -> CommuneIndex {
        let entries = pack
            .communes
            .iter()
            .map(|c| {
                let name = normalize(&c.name);
                let province = pack.province(c.province_code).map(|p| normalize(&p.name)).unwrap_or_default();
                let province = province.strip_prefix("thanh pho ").map(str::to_owned).unwrap_or(province);
                Entry {
                    code: c.code,
                    province_code: c.province_code,
                    bare: strip_kind(&name).to_owned(),
                    name,
                    province,
                }
            })
            .collect();
        CommuneIndex { entries }
    }

    /// Communes matching `query` (every word must occur in the commune or its province name),
    /// best first, at most [`MAX_RESULTS`], grouped by province. `province` restricts the
    /// search to one province (a host page that fixed it).
    pub fn search(&self, pack: &RulePack, query: &str, province: Option<u16>) -> Vec<Group> {
        let q = normalize(query);
        let words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
        let mut scored: Vec<(u8, usize)> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if province.is_some_and(|p| p != e.province_code) {
                continue;
            }
            let score = if words.is_empty() {
                3
            } else if !words.iter().all(|w| e.name.contains(w) || e.province.contains(w)) {
                continue;
            } else if e.bare.starts_with(q.as_str()) || e.name.starts_with(q.as_str()) {
                0
            } else if e.name.contains(q.as_str()) {
                1
            } else if words.iter().all(|w| e.name.contains(w)) {
                2
            } else {
                3
            };
            scored.push((score, i));
        }
        scored.sort_by_key(|&(s, i)| (s, self.entries[i].bare.len(), i));
        scored.truncate(MAX_RESULTS);
        let mut groups: Vec<Group> = Vec::new();
        for (_, i) in scored {
            let e = &self.entries[i];
            let Some(c) = pack.commune(e.code) else { continue };
            let hit = Hit { code: c.code, name: c.name.clone() };
            match groups.iter_mut().find(|g| g.province_code == e.province_code) {
                Some(g) => g.hits.push(hit),
                None => groups.push(Group {
                    province_code: e.province_code,
                    province: pack.province(e.province_code).map(|p| p.name.clone()).unwrap_or_default(),
                    hits: vec![hit],
                }),
            }
        }
        groups
    }
}

/// The index of the bundled pack, built on first use.
pub fn index() -> &'static CommuneIndex {
    static INDEX: std::sync::OnceLock<CommuneIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| CommuneIndex::new(kc_rulepack::bundled()))
}

/// A province given by the host page as a code (`"19"`), codename (`"thai_nguyen"`) or name
/// (`"Thái Nguyên"`), resolved against the pack.
pub fn resolve_province(pack: &RulePack, given: &str) -> Option<u16> {
    let given = given.trim();
    if let Ok(code) = given.parse::<u16>() {
        return pack.province(code).map(|p| p.code);
    }
    let n = normalize(given);
    let n = n.strip_prefix("tinh ").unwrap_or(&n);
    pack.provinces
        .iter()
        .find(|p| {
            let name = normalize(&p.name);
            p.codename == given || name == n || name.strip_prefix("thanh pho ") == Some(n)
        })
        .map(|p| p.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(groups: &[Group]) -> Vec<(String, String)> {
        groups.iter().flat_map(|g| g.hits.iter().map(|h| (g.province.clone(), h.name.clone()))).collect()
    }

    #[test]
    fn normalization_strips_vietnamese_marks() {
        assert_eq!(normalize("Thái Nguyên"), "thai nguyen");
        assert_eq!(normalize("ĐẶC KHU Phú Quốc"), "dac khu phu quoc");
        assert_eq!(normalize("  Phường   Hoàn-Kiếm "), "phuong hoan kiem");
        // Decomposed input (a + combining acute) folds the same.
        assert_eq!(normalize("Tha\u{301}i"), "thai");
    }

    #[test]
    fn plain_ascii_finds_names_with_diacritics() {
        let pack = kc_rulepack::bundled();
        let index = CommuneIndex::new(pack);
        let hits = all(&index.search(pack, "thai nguyen", None));
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|(p, n)| normalize(&format!("{p} {n}")).contains("thai nguyen")));
        let hits = all(&index.search(pack, "dac khu", None));
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|(_, n)| n.starts_with("Đặc khu")), "{hits:?}");
    }

    #[test]
    fn results_are_capped_and_grouped_by_province() {
        let pack = kc_rulepack::bundled();
        let index = CommuneIndex::new(pack);
        let groups = index.search(pack, "xa", None);
        assert_eq!(groups.iter().map(|g| g.hits.len()).sum::<usize>(), MAX_RESULTS);
        let mut codes: Vec<u16> = groups.iter().map(|g| g.province_code).collect();
        codes.dedup();
        assert_eq!(codes.len(), groups.len(), "one group per province");
    }

    #[test]
    fn a_fixed_province_limits_the_search() {
        let pack = kc_rulepack::bundled();
        let index = CommuneIndex::new(pack);
        let code = resolve_province(pack, "thai_nguyen").expect("Thái Nguyên exists");
        assert_eq!(resolve_province(pack, "Thái Nguyên"), Some(code));
        assert_eq!(resolve_province(pack, &code.to_string()), Some(code));
        let groups = index.search(pack, "", Some(code));
        assert!(groups.iter().all(|g| g.province_code == code));
        assert!(!groups.is_empty());
    }
}
