//! The server's receipt signing key: where it lives, how it is made, and signing a new
//! application (the encoding is `kc_attest`; docs/receipts.md).
//!
//! The key file holds the 32-byte Ed25519 seed as 64 hex digits (one line). It is
//! `signing_key_file` / `KC_SIGNING_KEY_FILE` when set; otherwise `<database file>.signing-key`
//! beside the SQLite database, or `kc-signing-key` in the working directory for PostgreSQL.
//! A missing file is created (mode 0600) on first start and reused after. Several instances
//! behind a balancer must share one key: point them all at the same file.
//!
//! After a key change, the old keys' public halves go in `previous_receipt_keys`: they are
//! served at `GET /api/v1/keys` after the current one, and the staff receipt check uses them
//! for receipts they signed.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use kc_api::Attestation;
use kc_attest::{Content, PublicKey, Signer};

use crate::config::Settings;
use crate::error::ApiError;
use crate::store::NewApplication;

/// Where the key file is for these settings; `None` for an in-memory SQLite database (the
/// key is then made for this run only).
pub fn key_path(settings: &Settings) -> Option<PathBuf> {
    if let Some(p) = &settings.signing_key_file {
        return Some(p.clone());
    }
    let url = settings.database_url.as_str();
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let file = rest.trim_start_matches("//");
        let file = file.split('?').next().unwrap_or(file);
        if file.is_empty() || file.starts_with(":memory:") || url.contains("mode=memory") {
            return None;
        }
        return Some(PathBuf::from(format!("{file}.signing-key")));
    }
    Some(PathBuf::from("kc-signing-key"))
}

/// The current signing key and the public halves of earlier ones.
#[derive(Debug)]
pub struct ReceiptKeys {
    /// Signs new receipts.
    pub signer: Signer,
    /// Keys that signed earlier receipts (`previous_receipt_keys`).
    pub previous: Vec<PublicKey>,
}

impl ReceiptKeys {
    /// The signing key (see [`load`]) and the configured earlier keys.
    pub fn load(settings: &Settings) -> anyhow::Result<ReceiptKeys> {
        let previous = settings
            .previous_receipt_keys
            .iter()
            .map(|hex| {
                PublicKey::from_hex(hex).ok_or_else(|| {
                    anyhow::anyhow!("previous_receipt_keys: {hex:?} is not an Ed25519 public key (64 hex digits)")
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(ReceiptKeys { signer: load(settings)?, previous })
    }

    /// Every public key, the current one first (as `GET /api/v1/keys` serves them).
    pub fn public(&self) -> impl Iterator<Item = &PublicKey> {
        std::iter::once(self.signer.public()).chain(&self.previous)
    }

    /// The key with this id, else the current one; and whether it is the current one.
    pub fn for_id(&self, key_id: Option<&str>) -> (&PublicKey, bool) {
        let current = self.signer.public();
        match key_id.and_then(|id| self.previous.iter().find(|k| k.id() == id && k.id() != current.id())) {
            Some(k) => (k, false),
            None => (current, true),
        }
    }
}

/// Loads the signing key the settings name, creating the file when it is missing.
pub fn load(settings: &Settings) -> anyhow::Result<Signer> {
    let signer = match key_path(settings) {
        Some(path) => load_or_create(&path)?,
        None => {
            tracing::warn!("in-memory database: receipts are signed with a key made for this run only");
            Signer::from_seed(&fresh_seed()?)
        }
    };
    tracing::info!(key_id = signer.public().id(), "receipt signing key loaded");
    Ok(signer)
}

/// Reads the key file at `path`, or creates it (0600) with a fresh key.
pub fn load_or_create(path: &Path) -> anyhow::Result<Signer> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            warn_if_readable_by_others(path);
            parse_key(&text).with_context(|| format!("{}: not a signing key file", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(e).with_context(|| format!("reading the signing key {}", path.display())),
    }
}

/// A key file others can read is logged (not refused: a secret mount may show other modes).
fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(path)
            && m.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(path = %path.display(), mode = format!("{:o}", m.permissions().mode() & 0o777), "the receipt signing key is readable by others: chmod 600");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn parse_key(text: &str) -> anyhow::Result<Signer> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
    let seed: [u8; 32] = kc_attest::unhex(line)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| anyhow::anyhow!("expected one line of 64 hex digits (the Ed25519 seed)"))?;
    Ok(Signer::from_seed(&seed))
}

fn create(path: &Path) -> anyhow::Result<Signer> {
    let signer = Signer::from_seed(&fresh_seed()?);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(path) {
        Ok(f) => f,
        // Another instance created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return load_or_create(path),
        Err(e) => return Err(e).with_context(|| format!("creating the signing key {}", path.display())),
    };
    let text = format!(
        "# kc-server receipt signing key (Ed25519 seed, hex). Keep it secret; back it up.\n{}\n",
        signer.seed_hex()
    );
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing the signing key {}", path.display()))?;
    tracing::warn!(path = %path.display(), key_id = signer.public().id(), "made a new receipt signing key");
    Ok(signer)
}

fn fresh_seed() -> anyhow::Result<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness for the signing key: {e}"))?;
    Ok(seed)
}

/// Gives `row` the receipt code `code` and signs its receipt.
pub fn seal(signer: &Signer, row: &mut NewApplication, code: String) -> Result<(), ApiError> {
    // The signed time is the stored one: both backends keep microseconds.
    row.received_at = crate::store::to_micros(row.received_at);
    let content = Content::from_json(
        &code,
        row.client_id,
        row.received_at,
        &row.server_pack_id,
        row.server_as_of,
        &row.answers_json,
        &row.server_decision_json,
    )
    .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("the stored documents do not parse")))?;
    let attestation = signer.sign(&content);
    row.attestation_json = Some(
        serde_json::to_string(&attestation)
            .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("serialising the attestation")))?,
    );
    row.receipt_code = code;
    Ok(())
}

/// A stored attestation back into its type (`None`: stored before receipts were signed).
pub fn stored(json: Option<&str>) -> Result<Option<Attestation>, ApiError> {
    json.map(|j| ApiError::parse_stored("attestation", j)).transpose()
}

/// The printable receipt's line: the digest's first 16 hex digits and the key id.
pub fn short(json: Option<&str>) -> Option<(String, String)> {
    let a = stored(json).ok().flatten()?;
    let digest = format!("{}…", a.digest.get(..16).unwrap_or(&a.digest));
    Some((digest, a.key_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_made_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/kc.signing-key");
        let made = load_or_create(&path).unwrap();
        let again = load_or_create(&path).unwrap();
        assert_eq!(made.public(), again.public());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key\n").unwrap();
        assert!(load_or_create(&path).is_err());
    }

    #[test]
    fn the_key_sits_beside_the_sqlite_file_unless_configured() {
        let s = |url: &str, file: Option<&str>| Settings {
            database_url: url.to_owned(),
            signing_key_file: file.map(PathBuf::from),
            ..Settings::default()
        };
        assert_eq!(key_path(&s("sqlite://data/kc.sqlite3", None)), Some(PathBuf::from("data/kc.sqlite3.signing-key")));
        assert_eq!(key_path(&s("sqlite:kc.db?mode=rwc", None)), Some(PathBuf::from("kc.db.signing-key")));
        assert_eq!(key_path(&s("sqlite::memory:", None)), None);
        assert_eq!(key_path(&s("postgres://h/db", None)), Some(PathBuf::from("kc-signing-key")));
        assert_eq!(key_path(&s("postgres://h/db", Some("/etc/kc/key"))), Some(PathBuf::from("/etc/kc/key")));
    }
}
