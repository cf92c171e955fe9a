//! The khuyến công law as data: every amount, rate, cap, threshold and date the engine uses,
//! each with its effective date, citation and confidence mark, plus the 34 provinces and
//! 3,321 communes in force since 2025-07-01.
//!
//! The TOML topic files under `data/` are compiled by `build.rs` into one JSON document that
//! is embedded in the binary, so the pack works the same natively and in WebAssembly.
//!
//! ```
//! let pack = kc_rulepack::bundled();
//! assert_eq!(pack.provinces.len(), 34);
//! assert_eq!(pack.communes.len(), 3321);
//! assert_eq!(pack.id, kc_rulepack::PACK_ID);
//! ```

use std::sync::OnceLock;

use kc_rules::RulePack;

/// The bundled pack's id: newest effective date + content hash.
pub const PACK_ID: &str = include!(concat!(env!("OUT_DIR"), "/pack_id.rs"));

/// The pack as compact JSON (what `bundled` parses; the server also serves it).
pub const PACK_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/pack.json"));

/// The bundled rule pack, parsed once.
pub fn bundled() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| serde_json::from_str(PACK_JSON).expect("bundled pack is valid JSON (checked at build)"))
}

#[cfg(test)]
mod tests;
