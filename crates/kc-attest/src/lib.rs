//! Signed receipts: what the server signs, how, and how anyone checks it.
//!
//! A receipt's **content** is the receipt code, the client id, the receive time, the pack id,
//! the as-of date, the applicant's answers and the server's decision. Its **canonical bytes**
//! are the prefix [`DOMAIN`] followed by the canonical JSON ([`canonical_json`]: object keys
//! sorted, no whitespace) of
//!
//! ```text
//! {"answers":…,"as_of":"YYYY-MM-DD","client_id":"…","code":"KC-…","decision":…,
//!  "pack_id":"…","received_at":"RFC 3339, UTC","v":1}
//! ```
//!
//! The **digest** is SHA-256 of those bytes; the **signature** is Ed25519 (RFC 8032) by the
//! server's key over the digest's 32 bytes. [`verify`] recomputes the digest from a
//! [`kc_api::SignedReceipt`] document, checks the signature against a given public key, and
//! reproduces the decision with `kc_rules::evaluate` from the answers at the as-of date under
//! the pack with that id, comparing it field by field.
//!
//! Pure: no I/O, no clock, no randomness (the server draws the key's seed). Used by the
//! server and by `kc verify`; never by the widget (it would grow the bundle).

mod canonical;
mod check;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use kc_api::Attestation;
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

pub use canonical::canonical_json;
pub use check::{Check, Failure, Reproduction, SignatureCheck, differences, verify};

/// Domain separation: the first bytes of every signed message of this version.
pub const DOMAIN: &str = "kc-receipt-v1\n";
/// The version in [`Attestation::v`].
pub const VERSION: u32 = 1;
/// [`Attestation::alg`].
pub const ALGORITHM: &str = "Ed25519";

/// What a receipt attests, as JSON values (the form both the signer and the checker have).
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// Receipt code.
    pub code: String,
    /// The submission's idempotency key.
    pub client_id: Uuid,
    /// Server receive time.
    pub received_at: OffsetDateTime,
    /// Rule pack id.
    pub pack_id: String,
    /// The date the rules were taken at.
    pub as_of: Date,
    /// The answers, as JSON.
    pub answers: Value,
    /// The server's decision, as JSON.
    pub decision: Value,
}

impl Content {
    /// The content of a receipt from the stored JSON texts of the answers and the decision.
    pub fn from_json(
        code: &str,
        client_id: Uuid,
        received_at: OffsetDateTime,
        pack_id: &str,
        as_of: Date,
        answers_json: &str,
        decision_json: &str,
    ) -> Result<Content, serde_json::Error> {
        Ok(Content {
            code: code.to_owned(),
            client_id,
            received_at,
            pack_id: pack_id.to_owned(),
            as_of,
            answers: serde_json::from_str(answers_json)?,
            decision: serde_json::from_str(decision_json)?,
        })
    }

    /// The bytes that are hashed: [`DOMAIN`] + the canonical JSON of the content.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(DOMAIN.as_bytes());
        let mut fields: [(&str, Value); 8] = [
            ("answers", Value::Null),
            ("as_of", Value::String(iso_date(self.as_of))),
            ("client_id", Value::String(self.client_id.to_string())),
            ("code", Value::String(self.code.clone())),
            ("decision", Value::Null),
            ("pack_id", Value::String(self.pack_id.clone())),
            ("received_at", Value::String(rfc3339(self.received_at))),
            ("v", Value::from(VERSION)),
        ];
        // The two documents are written in place, not cloned into the array.
        out.push(b'{');
        for (i, (key, value)) in fields.iter_mut().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            canonical::string(key, &mut out);
            out.push(b':');
            match *key {
                "answers" => canonical_json(&self.answers, &mut out),
                "decision" => canonical_json(&self.decision, &mut out),
                _ => canonical_json(value, &mut out),
            }
        }
        out.push(b'}');
        out
    }

    /// SHA-256 of [`Content::canonical_bytes`].
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.canonical_bytes()).into()
    }
}

/// The server's signing key.
pub struct Signer {
    key: SigningKey,
    public: PublicKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("key_id", &self.public.id).finish_non_exhaustive()
    }
}

impl Signer {
    /// The key with this 32-byte seed (the Ed25519 secret key).
    pub fn from_seed(seed: &[u8; 32]) -> Signer {
        let key = SigningKey::from_bytes(seed);
        let public = PublicKey::new(key.verifying_key());
        Signer { key, public }
    }

    /// The seed, 64 hex digits (what the key file holds).
    pub fn seed_hex(&self) -> String {
        hex(&self.key.to_bytes())
    }

    /// The public half.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// Signs `content`.
    pub fn sign(&self, content: &Content) -> Attestation {
        let digest = content.digest();
        let signature = self.key.sign(&digest);
        Attestation {
            v: VERSION,
            alg: ALGORITHM.to_owned(),
            key_id: self.public.id.clone(),
            pack_id: content.pack_id.clone(),
            as_of: content.as_of,
            digest: hex(&digest),
            signature: hex(&signature.to_bytes()),
        }
    }
}

/// A public key and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
    id: String,
}

impl PublicKey {
    fn new(key: VerifyingKey) -> PublicKey {
        let id = hex(&Sha256::digest(key.as_bytes())[..8]);
        PublicKey { key, id }
    }

    /// From 64 hex digits; `None` when they are not a valid Ed25519 public key.
    pub fn from_hex(s: &str) -> Option<PublicKey> {
        let bytes: [u8; 32] = unhex(s.trim())?.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok().map(PublicKey::new)
    }

    /// 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex(self.key.as_bytes())
    }

    /// 16 hex digits of SHA-256 of the key.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// As served at `GET /api/v1/keys`.
    pub fn info(&self) -> kc_api::PublicKeyInfo {
        kc_api::PublicKeyInfo { key_id: self.id.clone(), alg: ALGORITHM.to_owned(), public_key: self.to_hex() }
    }

    /// Whether `signature` (128 hex digits) is this key's signature of `digest` (strict
    /// RFC 8032 verification: no malleable or small-order forms).
    pub fn verifies(&self, digest: &[u8; 32], signature: &str) -> bool {
        let Some(bytes) = unhex(signature).and_then(|b| <[u8; 64]>::try_from(b).ok()) else { return false };
        self.key.verify_strict(digest, &Signature::from_bytes(&bytes)).is_ok()
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Hex (either case) to bytes; `None` for anything else.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    s.as_bytes().chunks(2).map(|p| Some(digit(p[0])? << 4 | digit(p[1])?)).collect()
}

/// `YYYY-MM-DD`.
fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// RFC 3339 in UTC, as `time::serde::rfc3339` writes it in the receipt.
fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC).format(&Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests;
