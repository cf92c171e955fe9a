//! Receipt and resume codes: short, unguessable, easy to read aloud and to type.
//!
//! The alphabet leaves out `0 O 1 I L` (and `U`, to keep 30 symbols that read apart over
//! the phone). A receipt is `KC-` and four groups of four symbols: 16 × log2(30) ≈ 78.5
//! random bits (the brief asks ≥ 60; three groups would give only 58.9). A resume code is
//! `D-` and two groups of five (≈ 49 bits): drafts hold no contact data and live 30 days.

/// The code alphabet: digits 2–9 and A–Z without I, L, O, U.
pub const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh receipt code, e.g. `KC-7F3K-92QD-M4TX-8HJW`.
pub fn receipt() -> String {
    format!("KC-{}", grouped(16, 4))
}

/// A fresh draft resume code, e.g. `D-7F3K9-2QDM4`.
pub fn resume() -> String {
    format!("D-{}", grouped(10, 5))
}

/// Normalises what a person typed: any case, spaces or dashes in any place.
/// Returns `None` when it cannot be one of our receipt codes.
pub fn normalize_receipt(input: &str) -> Option<String> {
    normalize(input, "KC", 16, 4)
}

/// Normalises a typed resume code (see [`normalize_receipt`]).
pub fn normalize_resume(input: &str) -> Option<String> {
    normalize(input, "D", 10, 5)
}

fn normalize(input: &str, prefix: &str, len: usize, group: usize) -> Option<String> {
    if input.len() > 64 {
        return None;
    }
    let cleaned: String =
        input.chars().filter(|c| !matches!(c, '-' | ' ' | '_' | '.')).map(|c| c.to_ascii_uppercase()).collect();
    let body = cleaned.strip_prefix(prefix)?;
    if body.len() != len || !body.bytes().all(|b| ALPHABET.contains(&b)) {
        return None;
    }
    let groups: Vec<&str> = body.as_bytes().chunks(group).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
    Some(format!("{prefix}-{}", groups.join("-")))
}

fn grouped(len: usize, group: usize) -> String {
    let symbols = random_symbols(len);
    let mut out = String::with_capacity(len + len / group);
    for (i, s) in symbols.iter().enumerate() {
        if i > 0 && i % group == 0 {
            out.push('-');
        }
        out.push(char::from(*s));
    }
    out
}

/// Uniform symbols by rejection sampling (bytes ≥ 240 are dropped, so `b % 30` is unbiased).
fn random_symbols(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut buf = [0u8; 32];
    while out.len() < len {
        getrandom::fill(&mut buf).expect("the operating system's random source works");
        for b in buf {
            if b < 240 && out.len() < len {
                out.push(ALPHABET[usize::from(b % 30)]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_have_the_documented_shape() {
        let code = receipt();
        assert_eq!(code.len(), "KC-XXXX-XXXX-XXXX-XXXX".len());
        assert_eq!(normalize_receipt(&code).as_deref(), Some(code.as_str()));
        assert!(!code[3..].contains(['0', 'O', '1', 'I', 'L']));
    }

    #[test]
    fn typed_codes_are_normalised() {
        let code = receipt();
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(normalize_receipt(&typed), Some(code));
        assert_eq!(normalize_receipt("KC-0000-0000-0000-0000"), None);
        assert_eq!(normalize_receipt("nonsense"), None);
        let resume_code = resume();
        assert_eq!(normalize_resume(&resume_code.to_lowercase()), Some(resume_code));
    }
}
