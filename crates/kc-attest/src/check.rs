//! Checking a signed receipt document: the signature, then the decision reproduced.

use kc_api::Attestation;
use kc_rules::{Application, RulePack};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::{ALGORITHM, Content, PublicKey, VERSION, hex};

/// The document is not a receipt (bad input, not tampering): the field and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// JSON path, e.g. `attestation.signature`.
    pub path: String,
    /// Vietnamese, then English.
    pub message: String,
}

/// The result of the signature check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// The key signed exactly this content.
    Valid,
    /// The receipt carries no signature (stored before receipts were signed).
    Missing,
    /// Signed by another key than the one given: (the receipt's key id, the given key's).
    OtherKey {
        /// `attestation.key_id`.
        receipt: String,
        /// The id of the key the check was given.
        given: String,
    },
    /// The content is not what was signed: an answer, the decision, the code, the time, the
    /// pack id or the date changed.
    ContentChanged,
    /// The content matches the stated digest but the signature is not the key's over it.
    Invalid,
}

/// One field where the recomputed decision differs from the receipt's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Path inside the decision, e.g. `support[0].amount`.
    pub path: String,
    /// The receipt's value (JSON text, `—` when absent).
    pub receipt: String,
    /// The recomputed value.
    pub recomputed: String,
}

/// The result of reproducing the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reproduction {
    /// The engine gives exactly the receipt's decision.
    Matches,
    /// It gives another decision (at most 20 differences listed).
    Differs(Vec<Difference>),
    /// No pack with this id at hand (give the pack's JSON).
    PackUnavailable(String),
    /// The answers are not an application: the path and the error.
    AnswersInvalid(String),
    /// The engine refused the answers or the date.
    Refused(String),
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Receipt code.
    pub code: String,
    /// The pack id and the date the receipt names (signed, when signed).
    pub pack_id: String,
    /// The date.
    pub as_of: time::Date,
    /// The signature.
    pub signature: SignatureCheck,
    /// The decision.
    pub reproduction: Reproduction,
    /// The key id the receipt names, if signed.
    pub key_id: Option<String>,
}

impl Check {
    /// Both checks passed.
    pub fn ok(&self) -> bool {
        self.signature == SignatureCheck::Valid && self.reproduction == Reproduction::Matches
    }
}

/// Checks a [`kc_api::SignedReceipt`] document: the signature against `key`, and the decision
/// recomputed from the answers at the receipt's date under the pack `pack_for` returns for
/// the receipt's pack id.
pub fn verify(
    doc: &Value,
    key: &PublicKey,
    pack_for: impl Fn(&str) -> Option<&'static RulePack>,
) -> Result<Check, Failure> {
    let content = content_of(doc)?;
    let attestation = attestation_of(doc)?;
    let signature = match &attestation {
        None => SignatureCheck::Missing,
        Some(a) => {
            let digest = content.digest();
            let same_digest = hex(&digest) == a.digest.to_ascii_lowercase();
            if same_digest && key.verifies(&digest, &a.signature) {
                SignatureCheck::Valid
            } else if a.key_id != key.id() {
                SignatureCheck::OtherKey { receipt: a.key_id.clone(), given: key.id().to_owned() }
            } else if !same_digest {
                SignatureCheck::ContentChanged
            } else {
                SignatureCheck::Invalid
            }
        }
    };
    let reproduction = reproduce(&content, pack_for);
    Ok(Check {
        code: content.code,
        pack_id: content.pack_id,
        as_of: content.as_of,
        signature,
        reproduction,
        key_id: attestation.map(|a| a.key_id),
    })
}

/// Recomputes the decision and compares it with the receipt's.
fn reproduce(content: &Content, pack_for: impl Fn(&str) -> Option<&'static RulePack>) -> Reproduction {
    let Some(pack) = pack_for(&content.pack_id) else {
        return Reproduction::PackUnavailable(content.pack_id.clone());
    };
    let app: Application = match serde_path_to_error::deserialize(&content.answers) {
        Ok(app) => app,
        Err(e) => return Reproduction::AnswersInvalid(format!("answers.{}: {}", e.path(), e.inner())),
    };
    let decision = match kc_rules::evaluate(pack, &app, content.as_of) {
        Ok(d) => d,
        Err(e) => return Reproduction::Refused(e.to_string()),
    };
    let recomputed = match serde_json::to_value(&decision) {
        Ok(v) => v,
        Err(e) => return Reproduction::Refused(e.to_string()),
    };
    let found = differences(&content.decision, &recomputed);
    if found.is_empty() { Reproduction::Matches } else { Reproduction::Differs(found) }
}

/// The fields where `recomputed` differs from `receipt` (at most 20), by path.
pub fn differences(receipt: &Value, recomputed: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    diff(receipt, recomputed, String::new(), &mut out);
    out
}

fn diff(a: &Value, b: &Value, path: String, out: &mut Vec<Difference>) {
    const MOST: usize = 20;
    if out.len() >= MOST || a == b {
        return;
    }
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => diff(p, q, join(k), out),
                    (p, q) => push(out, join(k), p, q),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(p, q, format!("{path}[{i}]"), out);
            }
        }
        _ => push(out, if path.is_empty() { "decision".to_owned() } else { path }, Some(a), Some(b)),
    }
}

fn push(out: &mut Vec<Difference>, path: String, a: Option<&Value>, b: Option<&Value>) {
    let show = |v: Option<&Value>| {
        let text = v.map_or_else(|| "—".to_owned(), Value::to_string);
        if text.chars().count() > 80 { format!("{}…", text.chars().take(80).collect::<String>()) } else { text }
    };
    out.push(Difference { path, receipt: show(a), recomputed: show(b) });
}

fn bad(path: &str, vi: &str, en: &str) -> Failure {
    Failure { path: path.to_owned(), message: format!("{vi} / {en}") }
}

fn text<'a>(doc: &'a Value, key: &str) -> Result<&'a str, Failure> {
    match doc.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(bad(key, "phải là chuỗi", "must be a string")),
        None => Err(bad(key, "thiếu trường này", "missing")),
    }
}

fn object<'a>(doc: &'a Value, key: &str) -> Result<&'a Value, Failure> {
    match doc.get(key) {
        Some(v @ Value::Object(_)) => Ok(v),
        Some(_) => Err(bad(key, "phải là đối tượng JSON", "must be a JSON object")),
        None => Err(bad(key, "thiếu trường này", "missing")),
    }
}

/// The signed content of a receipt document.
fn content_of(doc: &Value) -> Result<Content, Failure> {
    if !doc.is_object() {
        return Err(bad("", "biên nhận phải là một đối tượng JSON", "a receipt is a JSON object"));
    }
    let code = text(doc, "code")?.to_owned();
    let client_id =
        Uuid::parse_str(text(doc, "client_id")?).map_err(|_| bad("client_id", "không phải UUID", "not a UUID"))?;
    let received_at = OffsetDateTime::parse(text(doc, "received_at")?, &Rfc3339)
        .map_err(|_| bad("received_at", "không phải thời điểm RFC 3339", "not an RFC 3339 time"))?;
    let answers = object(doc, "answers")?.clone();
    let decision = object(doc, "decision")?.clone();
    // The pack id and date that were signed; an unsigned receipt only has the decision's.
    let from = match doc.get("attestation") {
        Some(a @ Value::Object(_)) => ("attestation", a),
        _ => ("decision", &decision),
    };
    let pack_id = text(from.1, "pack_id").map_err(|e| under(from.0, e))?.to_owned();
    let as_of = text(from.1, "as_of").map_err(|e| under(from.0, e))?;
    let as_of = time::Date::parse(as_of, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| bad(&format!("{}.as_of", from.0), "không phải ngày YYYY-MM-DD", "not a YYYY-MM-DD date"))?;
    Ok(Content { code, client_id, received_at, pack_id, as_of, answers, decision })
}

fn under(parent: &str, e: Failure) -> Failure {
    Failure { path: format!("{parent}.{}", e.path), ..e }
}

fn attestation_of(doc: &Value) -> Result<Option<Attestation>, Failure> {
    let Some(v) = doc.get("attestation").filter(|v| !v.is_null()) else { return Ok(None) };
    let a: Attestation = serde_path_to_error::deserialize(v).map_err(|e| Failure {
        path: format!("attestation.{}", e.path()),
        message: format!("chữ ký không đọc được / unreadable signature: {}", e.inner()),
    })?;
    if a.v != VERSION || a.alg != ALGORITHM {
        return Err(bad(
            "attestation.v",
            &format!("phiên bản {} / {} không được hỗ trợ (cần {VERSION} / {ALGORITHM})", a.v, a.alg),
            "unsupported version or algorithm",
        ));
    }
    Ok(Some(a))
}

/// The content of a document, for the timing test.
#[cfg(test)]
pub(crate) fn content_for_timing(doc: &Value) -> Content {
    content_of(doc).expect("a receipt")
}
