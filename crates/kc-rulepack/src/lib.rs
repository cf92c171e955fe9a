//! The khuyến công law as data: every amount, rate, cap, threshold and date the engine uses,
//! each with its effective date, citation and confidence mark, plus the 34 provinces and
//! 3,321 communes in force since 2025-07-01.
//!
//! The TOML topic files under `data/` are compiled by `build.rs` into one JSON document (served
//! by the server as is) and the same content in postcard, a compact binary encoding that
//! [`bundled`] decodes: decoding it needs far less code and time than JSON, which matters in
//! the widget's WebAssembly bundle. The pack works the same natively and in WebAssembly; the
//! WebAssembly copy only leaves out the reviewers' `note`s and the parameters' labels, which
//! neither the engine nor the widget reads.
//!
//! ```
//! let pack = kc_rulepack::bundled();
//! assert_eq!(pack.provinces.len(), 34);
//! assert_eq!(pack.communes.len(), 3321);
//! assert_eq!(pack.id, kc_rulepack::PACK_ID);
//! ```
//!
//! The worked example of `docs/engine.md`: a household business processing food in a xã of a
//! tỉnh buys a new machine for 700,000,000 đ on 2026-11-22. The national rate is 50 % and the
//! cap 300,000,000 đ (TT 28/2018 Art. 8 cl. 4), so the cap applies; costs above 600,000,000 đ
//! add nothing.
//!
//! ```
//! use kc_rules::{evaluate, Application, Basis, Fund, Line, LineRequest, Outcome, Subject, Vnd};
//! use time::macros::date;
//!
//! let mut app = Application {
//!     lines: vec![LineRequest { line: Line::Machinery, cost: Some(Vnd::from_const(700_000_000)), learners: None }],
//!     subject: Some(Subject::HouseholdBusiness),
//!     sector: Some("food_processing".into()),
//!     ..Application::default()
//! };
//! app.location.commune_code = Some(16591); // Xã Các Sơn, Thanh Hóa
//! app.location.difficult_area = Some(false);
//! app.conditions.equipment_new = Some(true);
//! app.conditions.no_other_state_funding = Some(true);
//! app.conditions.counterpart_funding = Some(true);
//!
//! let decision = evaluate(kc_rulepack::bundled(), &app, date!(2026 - 11 - 22)).unwrap();
//! assert_eq!(decision.outcome, Outcome::Eligible);
//! let national = decision.support_for(Line::Machinery).find(|s| s.fund == Fund::National).unwrap();
//! assert_eq!(national.basis, Basis::Computed);
//! assert_eq!(national.amount, Some(Vnd::from_const(300_000_000)));
//! assert!(national.cap_applied);
//! assert_eq!(national.cap_binds_above, Some(Vnd::from_const(600_000_000)));
//! assert_eq!(national.amount.unwrap().to_string(), "300.000.000 đ");
//! ```

use std::sync::OnceLock;

use kc_rules::RulePack;

/// The bundled pack's id: newest effective date + content hash.
pub const PACK_ID: &str = include!(concat!(env!("OUT_DIR"), "/pack_id.rs"));

/// The pack as compact JSON (what the server serves at `/rulepack/full`). Unused constants
/// are not linked, so it costs the widget nothing.
pub const PACK_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/pack.json"));

/// The pack in postcard, what [`bundled`] decodes: the full pack natively, the pack without
/// the reviewers' notes in WebAssembly.
#[cfg(not(target_arch = "wasm32"))]
const PACK_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pack.bin"));
#[cfg(target_arch = "wasm32")]
const PACK_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pack-lite.bin"));

/// The bundled rule pack, decoded once.
pub fn bundled() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| postcard::from_bytes(PACK_BIN).expect("bundled pack decodes (written by build.rs)"))
}

/// Why a JSON text is not a usable rule pack.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackError {
    /// The text is not JSON, or not a pack: `path` is where (`layers[3].params[0].kind`, `.`
    /// for the document itself).
    Parse {
        /// JSON path of the offending value.
        path: String,
        /// What is wrong there (serde's words, on one line).
        message: String,
    },
    /// A parameter the engine reads is missing (`params.<id>`).
    MissingParam {
        /// The parameter id.
        id: &'static str,
    },
}

#[cfg(not(target_arch = "wasm32"))]
impl PackError {
    /// The JSON path the error is at.
    pub fn path(&self) -> String {
        match self {
            PackError::Parse { path, .. } => path.clone(),
            PackError::MissingParam { id } => format!("params.{id}"),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackError::Parse { path, message } => {
                write!(f, "{path}: không phải bộ quy tắc / not a rule pack: {message}")
            }
            PackError::MissingParam { id } => write!(
                f,
                "params.{id}: bộ quy tắc thiếu tham số mà bộ máy tính cần / the pack lacks a parameter the engine reads"
            ),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl std::error::Error for PackError {}

/// A rule pack from its JSON (as `kc pack export` writes it), checked for what the engine
/// needs: every parameter of [`kc_rules::PARAM_IDS`]. The error names the JSON path.
///
/// Decisions borrow their words from the pack they were made with, so the pack lives for
/// the rest of the process (`&'static`): load one per command run, server start or admin
/// upload (a few MiB each).
///
/// ```
/// let pack = kc_rulepack::from_json(kc_rulepack::PACK_JSON).unwrap();
/// assert_eq!(pack.id, kc_rulepack::PACK_ID);
/// let err = kc_rulepack::from_json(r#"{"id": 7}"#).unwrap_err();
/// assert_eq!(err.path(), "id");
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn from_json(json: &str) -> Result<&'static RulePack, PackError> {
    let pack = parse_json(json)?;
    if let Some(missing) = kc_rules::PARAM_IDS.iter().find(|id| pack.param(**id).is_none()) {
        return Err(PackError::MissingParam { id: missing.id() });
    }
    Ok(Box::leak(Box::new(pack)))
}

/// The parsing half of [`from_json`], without its check of the engine's parameters: for a
/// pack that is only compared, never decided with (the old side of `kc pack diff`, which may
/// predate a parameter the engine reads now).
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_json(json: &str) -> Result<RulePack, PackError> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| PackError::Parse {
        path: e.path().to_string(),
        message: e.inner().to_string().split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

#[cfg(test)]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod encoding {
    use kc_rules::RulePack;

    /// The served JSON and the decoded binary are the same pack.
    #[test]
    fn json_and_binary_agree() {
        let json: RulePack = serde_json::from_str(super::PACK_JSON).unwrap();
        assert_eq!(&json, super::bundled());
        assert_eq!(json.id, super::PACK_ID);
    }

    /// The widget's copy is the full pack less the notes and the parameters' labels, nothing else.
    #[test]
    fn lite_is_full_without_notes() {
        let lite_bin = include_bytes!(concat!(env!("OUT_DIR"), "/pack-lite.bin"));
        let lite: RulePack = postcard::from_bytes(lite_bin).unwrap();
        let mut full = super::bundled().clone();
        let params = full.params.values_mut().chain(full.layers.iter_mut().flat_map(|l| &mut l.params));
        for p in params {
            p.label_vi = String::new();
            p.label_en = String::new();
            for v in &mut p.values {
                v.note = None;
            }
        }
        assert_eq!(lite, full);
    }
}
