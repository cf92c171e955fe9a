//! Configuration: defaults, then an optional TOML file, then `KC_…` environment variables.
//!
//! The file is `--config PATH`, else `$KC_CONFIG`, else `kc-server.toml` when it exists.
//! Every key can be overridden by `KC_<KEY>` (upper case); lists are comma-separated.
//! `KC_DATABASE_URL` falls back to `DATABASE_URL`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The server's settings. `Debug` hides tokens and database passwords.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port (tests).
    pub bind: String,
    /// `sqlite://FILE` (default `sqlite://kc-server.sqlite3`, created on first start) or
    /// `postgres://…`.
    pub database_url: String,
    /// Database pool size (SQLite: readers; it always writes through one connection).
    pub max_connections: u32,
    /// Directory with `index.html` (demo page) and the widget bundle served under `/widget/`.
    pub static_dir: PathBuf,
    /// Origins allowed to call the API from a browser (the pages that embed the widget).
    pub cors_origins: Vec<String>,
    /// Bearer tokens accepted on staff/tool endpoints (`/changes`) until staff accounts exist.
    pub api_tokens: Vec<String>,
    /// Submissions per minute per client IP (per instance); 0 turns the limit off.
    pub submit_rate_per_minute: u32,
    /// Submissions a client IP may send in a burst.
    pub submit_burst: u32,
    /// Use the left-most `X-Forwarded-For` address as the client IP (only behind a proxy).
    pub trust_forwarded_for: bool,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Seconds a client has to send a request's headers, from its first byte (or from the
    /// connection's opening for the first request).
    pub header_timeout_secs: u64,
    /// Seconds a handler waits for a request body to arrive in full; then the connection is
    /// closed.
    pub body_timeout_secs: u64,
    /// Seconds a kept-alive connection may sit idle between requests.
    pub idle_timeout_secs: u64,
    /// Largest request head (request line and headers), bytes (at least 8192); larger is 431.
    pub max_header_bytes: usize,
    /// Open client connections; when full, the idlest one is closed for a new one. Capped by
    /// the process's open-file limit.
    pub connection_limit: usize,
    /// Password checks (argon2, ~19 MiB each) running at once; 0 = sized to the machine.
    pub hash_concurrency: usize,
    /// Logins waiting for a password check before the server answers 503.
    pub hash_queue: usize,
    /// Seconds to wait for a database connection before answering 503 (PostgreSQL).
    pub db_acquire_timeout_secs: u64,
    /// The receipt signing key (Ed25519 seed, 64 hex digits), created 0600 when missing.
    /// Unset: `<database file>.signing-key` beside the SQLite file, `kc-signing-key` for
    /// PostgreSQL. Several instances must share one file (see docs/receipts.md).
    pub signing_key_file: Option<PathBuf>,
    /// A rule pack JSON file (`kc pack export` format) to decide with instead of the pack
    /// built in: how a centre deploys a new pack without rebuilding. `None`: the bundled pack.
    pub pack_file: Option<PathBuf>,
    /// Which decision the centre uses when the running pack decides a stored application
    /// differently from the pack it was received under (see [`DecisionPolicy`]).
    pub decision_policy: DecisionPolicy,
    /// Largest candidate pack an admin may upload on the impact page, in bytes (the only
    /// route allowed more than `body_limit`).
    pub pack_upload_limit: usize,
    /// Public halves (64 hex digits) of earlier signing keys, still served at `/api/v1/keys`
    /// so that the receipts they signed keep verifying.
    pub previous_receipt_keys: Vec<String>,
    /// The names of the centres whose pages embed the widget, by the `centre-id` the widget
    /// sends: the applicant's receipt page and the staff detail page show the name, not the id.
    pub centres: BTreeMap<String, String>,
}

/// Which of an application's two decisions the centre uses once a new pack is adopted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionPolicy {
    /// The decision under the rules in force when the application was received: what the
    /// applicant was told (the default).
    #[default]
    Received,
    /// The running pack's decision on the same answers and date.
    Current,
}

impl DecisionPolicy {
    /// `received` / `current`.
    pub fn id(self) -> &'static str {
        match self {
            DecisionPolicy::Received => "received",
            DecisionPolicy::Current => "current",
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            bind: "127.0.0.1:8080".to_owned(),
            database_url: "sqlite://kc-server.sqlite3".to_owned(),
            max_connections: 8,
            static_dir: PathBuf::from("dist"),
            cors_origins: Vec::new(),
            api_tokens: Vec::new(),
            submit_rate_per_minute: 30,
            submit_burst: 10,
            trust_forwarded_for: false,
            body_limit: 64 * 1024,
            header_timeout_secs: 10,
            body_timeout_secs: 30,
            idle_timeout_secs: 60,
            max_header_bytes: 16 * 1024,
            connection_limit: 4096,
            hash_concurrency: 0,
            hash_queue: 64,
            db_acquire_timeout_secs: 2,
            signing_key_file: None,
            pack_file: None,
            decision_policy: DecisionPolicy::Received,
            pack_upload_limit: 4 * 1024 * 1024,
            previous_receipt_keys: Vec::new(),
            centres: BTreeMap::new(),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("database_url", &redact_url(&self.database_url))
            .field("max_connections", &self.max_connections)
            .field("static_dir", &self.static_dir)
            .field("cors_origins", &self.cors_origins)
            .field("api_tokens", &format_args!("[{} hidden]", self.api_tokens.len()))
            .field("submit_rate_per_minute", &self.submit_rate_per_minute)
            .field("submit_burst", &self.submit_burst)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("body_limit", &self.body_limit)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("body_timeout_secs", &self.body_timeout_secs)
            .field("idle_timeout_secs", &self.idle_timeout_secs)
            .field("max_header_bytes", &self.max_header_bytes)
            .field("connection_limit", &self.connection_limit)
            .field("hash_concurrency", &self.hash_concurrency)
            .field("hash_queue", &self.hash_queue)
            .field("db_acquire_timeout_secs", &self.db_acquire_timeout_secs)
            .field("signing_key_file", &self.signing_key_file)
            .field("pack_file", &self.pack_file)
            .field("decision_policy", &self.decision_policy)
            .field("pack_upload_limit", &self.pack_upload_limit)
            .field("previous_receipt_keys", &self.previous_receipt_keys)
            .field("centres", &self.centres)
            .finish()
    }
}

impl Settings {
    /// The name of centre `id` when the settings give one, else the id as the page sent it.
    pub fn centre_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.centres.get(id).map_or(id, String::as_str)
    }

    /// Loads defaults, the file (explicit path, `$KC_CONFIG`, or `kc-server.toml` if present)
    /// and the process environment.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<Settings> {
        let env_path = std::env::var_os("KC_CONFIG").map(PathBuf::from);
        let path = explicit.map(Path::to_path_buf).or(env_path);
        let mut settings = match path {
            Some(p) => Settings::from_file(&p)?,
            None if Path::new("kc-server.toml").exists() => Settings::from_file(Path::new("kc-server.toml"))?,
            None => Settings::default(),
        };
        settings.apply_env(|k| std::env::var(k).ok())?;
        Ok(settings)
    }

    /// The rule pack these settings name: the file's (checked, with the JSON path of any
    /// error), else the bundled one.
    pub fn pack(&self) -> anyhow::Result<&'static kc_rules::RulePack> {
        match &self.pack_file {
            None => Ok(kc_rulepack::bundled()),
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                kc_rulepack::from_json(&text).with_context(|| format!("pack_file {}", path.display()))
            }
        }
    }

    /// Reads a TOML file (unknown keys are an error).
    pub fn from_file(path: &Path) -> anyhow::Result<Settings> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// Applies `KC_…` overrides from `get` (the environment, or a map in tests).
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        fn list(v: &str) -> Vec<String> {
            v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
        }
        fn num<T: std::str::FromStr>(key: &str, v: &str) -> anyhow::Result<T> {
            v.trim().parse().map_err(|_| anyhow::anyhow!("{key}: not a number: {v:?}"))
        }
        if let Some(v) = get("KC_BIND") {
            self.bind = v;
        }
        if let Some(v) = get("KC_DATABASE_URL").or_else(|| get("DATABASE_URL")) {
            self.database_url = v;
        }
        if let Some(v) = get("KC_MAX_CONNECTIONS") {
            self.max_connections = num("KC_MAX_CONNECTIONS", &v)?;
        }
        if let Some(v) = get("KC_STATIC_DIR") {
            self.static_dir = PathBuf::from(v);
        }
        if let Some(v) = get("KC_CORS_ORIGINS") {
            self.cors_origins = list(&v);
        }
        if let Some(v) = get("KC_API_TOKENS") {
            self.api_tokens = list(&v);
        }
        if let Some(v) = get("KC_SUBMIT_RATE_PER_MINUTE") {
            self.submit_rate_per_minute = num("KC_SUBMIT_RATE_PER_MINUTE", &v)?;
        }
        if let Some(v) = get("KC_SUBMIT_BURST") {
            self.submit_burst = num("KC_SUBMIT_BURST", &v)?;
        }
        if let Some(v) = get("KC_TRUST_FORWARDED_FOR") {
            self.trust_forwarded_for = matches!(v.trim(), "1" | "true" | "yes");
        }
        if let Some(v) = get("KC_SIGNING_KEY_FILE") {
            self.signing_key_file = Some(PathBuf::from(v)).filter(|p| !p.as_os_str().is_empty());
        }
        if let Some(v) = get("KC_PREVIOUS_RECEIPT_KEYS") {
            self.previous_receipt_keys = list(&v);
        }
        if let Some(v) = get("KC_BODY_LIMIT") {
            self.body_limit = num("KC_BODY_LIMIT", &v)?;
        }
        if let Some(v) = get("KC_PACK_FILE") {
            self.pack_file = (!v.trim().is_empty()).then(|| PathBuf::from(v.trim()));
        }
        if let Some(v) = get("KC_CENTRES") {
            // `id=Name` pairs separated by `;` (a centre's name may hold a comma).
            self.centres.clear();
            for pair in v.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                let (id, name) = pair
                    .split_once('=')
                    .map(|(i, n)| (i.trim(), n.trim()))
                    .filter(|(i, n)| !i.is_empty() && !n.is_empty())
                    .ok_or_else(|| anyhow::anyhow!("KC_CENTRES: expected `id=Name; id=Name`, got {pair:?}"))?;
                self.centres.insert(id.to_owned(), name.to_owned());
            }
        }
        if let Some(v) = get("KC_DECISION_POLICY") {
            self.decision_policy = match v.trim() {
                "received" => DecisionPolicy::Received,
                "current" => DecisionPolicy::Current,
                other => anyhow::bail!("KC_DECISION_POLICY: expected `received` or `current`, got {other:?}"),
            };
        }
        macro_rules! nums {
            ($($key:literal => $field:ident),* $(,)?) => {$(
                if let Some(v) = get($key) {
                    self.$field = num($key, &v)?;
                }
            )*};
        }
        nums! {
            "KC_HEADER_TIMEOUT_SECS" => header_timeout_secs,
            "KC_BODY_TIMEOUT_SECS" => body_timeout_secs,
            "KC_IDLE_TIMEOUT_SECS" => idle_timeout_secs,
            "KC_MAX_HEADER_BYTES" => max_header_bytes,
            "KC_CONNECTION_LIMIT" => connection_limit,
            "KC_HASH_CONCURRENCY" => hash_concurrency,
            "KC_HASH_QUEUE" => hash_queue,
            "KC_DB_ACQUIRE_TIMEOUT_SECS" => db_acquire_timeout_secs,
            "KC_PACK_UPLOAD_LIMIT" => pack_upload_limit,
        }
        Ok(())
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file_and_database_url_is_a_fallback() {
        let mut s: Settings = toml::from_str("bind = \"0.0.0.0:9000\"\napi_tokens = [\"a\"]").unwrap();
        s.apply_env(|k| match k {
            "DATABASE_URL" => Some("postgres://u:p@h/db".to_owned()),
            "KC_API_TOKENS" => Some("x, y".to_owned()),
            "KC_SIGNING_KEY_FILE" => Some("/run/secrets/kc-key".to_owned()),
            "KC_PREVIOUS_RECEIPT_KEYS" => Some("aa, bb".to_owned()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.signing_key_file.as_deref(), Some(Path::new("/run/secrets/kc-key")));
        assert_eq!(s.previous_receipt_keys, ["aa", "bb"]);
        assert_eq!(s.bind, "0.0.0.0:9000");
        assert_eq!(s.database_url, "postgres://u:p@h/db");
        assert_eq!(s.api_tokens, ["x", "y"]);
        let shown = format!("{s:?}");
        assert!(!shown.contains(":p@") && shown.contains("u:***@h"));
    }

    #[test]
    fn pack_file_and_decision_policy_from_file_and_environment() {
        let mut s: Settings = toml::from_str("pack_file = \"/srv/pack.json\"\ndecision_policy = \"current\"").unwrap();
        assert_eq!(s.pack_file.as_deref(), Some(Path::new("/srv/pack.json")));
        assert_eq!(s.decision_policy, DecisionPolicy::Current);
        s.apply_env(|k| (k == "KC_DECISION_POLICY").then(|| "received".to_owned())).unwrap();
        assert_eq!(s.decision_policy, DecisionPolicy::Received);
        assert!(s.apply_env(|k| (k == "KC_DECISION_POLICY").then(|| "newest".to_owned())).is_err());
        assert!(Settings::default().pack_file.is_none());
        assert_eq!(Settings::default().pack().unwrap().id, kc_rulepack::PACK_ID);
        let missing = Settings { pack_file: Some("/nonexistent/pack.json".into()), ..Settings::default() };
        assert!(missing.pack().is_err());
    }

    #[test]
    fn centre_names_from_file_and_environment() {
        let mut s: Settings = toml::from_str("[centres]\n\"ttkc-tn\" = \"Trung tâm Khuyến công Thái Nguyên\"").unwrap();
        assert_eq!(s.centre_name("ttkc-tn"), "Trung tâm Khuyến công Thái Nguyên");
        assert_eq!(s.centre_name("khac"), "khac", "an unnamed centre keeps the id its page sent");
        let env = "a = Trung tâm A, phía Bắc ; b=Trung tâm B;";
        s.apply_env(|k| (k == "KC_CENTRES").then(|| env.to_owned())).unwrap();
        assert_eq!(s.centre_name("a"), "Trung tâm A, phía Bắc");
        assert_eq!(s.centre_name("b"), "Trung tâm B");
        assert_eq!(s.centre_name("ttkc-tn"), "ttkc-tn", "the environment replaces the file's list");
        for bad in ["a", "=Tên", "a="] {
            assert!(s.apply_env(|k| (k == "KC_CENTRES").then(|| bad.to_owned())).is_err(), "{bad}");
        }
    }
}
