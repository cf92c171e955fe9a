//! Helpers for the end-to-end suite: spawn the real server on port 0 with a fresh database
//! (a temp SQLite file, or a new PostgreSQL database on `KC_TEST_POSTGRES_URL`), and typed
//! request helpers.
//!
//! PostgreSQL tests are skipped with a notice when `KC_TEST_POSTGRES_URL` is unset, except
//! under CI (`CI` set), where that is a failure: CI must not skip them silently.

use std::sync::Once;

use kc_api::Submission;
use kc_rules::{Application, Decision, Line, LineRequest, Subject, Vnd};
use server::{Application as Server, Settings};
use sqlx::Connection;
use time::OffsetDateTime;
use uuid::Uuid;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file in a temp dir.
    Sqlite,
    /// A fresh database on `KC_TEST_POSTGRES_URL`.
    Postgres,
}

/// A running server.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The port.
    pub port: u16,
    /// A client without timeouts surprises.
    pub client: reqwest::Client,
    /// A valid token for `/changes`.
    pub token: String,
    /// The store behind the API (for checks the API cannot make).
    pub store: server::store::Store,
    /// Which backend.
    pub backend: Backend,
    /// The database URL (a restarted server opens the same one).
    pub database_url: String,
    /// The startup adoption pass of this server (`Some` once done).
    pub adoption: tokio::sync::watch::Receiver<Option<server::adopt::Counts>>,
    dir: std::sync::Arc<tempfile::TempDir>,
}

/// The token the test settings accept.
pub const TEST_TOKEN: &str = "test-token-not-secret";

/// Spawns a server with test settings (no rate limit). `None` = PostgreSQL skipped.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// Spawns a server with test settings changed by `tweak`. `None` = PostgreSQL skipped.
pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    init_logs();
    let dir = std::sync::Arc::new(tempfile::tempdir().expect("temp dir"));
    let database_url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("kc.sqlite3").display()),
        Backend::Postgres => fresh_postgres_database().await?,
    };
    Some(start(backend, dir, database_url, tweak).await)
}

async fn start(
    backend: Backend,
    dir: std::sync::Arc<tempfile::TempDir>,
    database_url: String,
    tweak: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = Settings {
        bind: "127.0.0.1:0".to_owned(),
        database_url: database_url.clone(),
        static_dir: dir.path().join("dist"),
        api_tokens: vec![TEST_TOKEN.to_owned()],
        submit_rate_per_minute: 0,
        max_connections: 8,
        // SQLite keeps its default (beside the database file); PostgreSQL's default is the
        // working directory, so its tests name a file in the temp dir.
        signing_key_file: (backend == Backend::Postgres).then(|| dir.path().join("kc.signing-key")),
        ..Settings::default()
    };
    tweak(&mut settings);
    let app = Server::build(settings).await.expect("server builds");
    let port = app.port();
    let store = app.store().clone();
    let adoption = app.adoption();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client: reqwest::Client::builder().timeout(std::time::Duration::from_secs(60)).build().expect("client"),
        token: TEST_TOKEN.to_owned(),
        store,
        backend,
        database_url,
        adoption,
        dir,
    }
}

/// The PostgreSQL URL for tests, or `None` (with a notice) when not configured locally.
///
/// # Panics
/// When `CI` is set and `KC_TEST_POSTGRES_URL` is not.
pub fn postgres_url() -> Option<String> {
    match std::env::var("KC_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!(
                "KC_TEST_POSTGRES_URL is not set but CI is: the PostgreSQL suite must run in CI (see docs/server.md)"
            )
        }
        _ => {
            static NOTICE: Once = Once::new();
            NOTICE.call_once(|| {
                eprintln!(
                    "notice: KC_TEST_POSTGRES_URL is not set: skipping the PostgreSQL tests (run `cargo xtask pg`)"
                );
            });
            None
        }
    }
}

/// Creates `kc_test_<uuid>` on the test server and returns its URL.
async fn fresh_postgres_database() -> Option<String> {
    let admin = postgres_url()?;
    let name = format!("kc_test_{}", Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect to KC_TEST_POSTGRES_URL");
    let create = format!("CREATE DATABASE {name}");
    sqlx::query(&create).execute(&mut conn).await.expect("create test database");
    let _ = conn.close().await;
    Some(with_database(&admin, &name))
}

/// Replaces the database name of a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

fn init_logs() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            server::telemetry::init();
        }
    });
}

impl TestApp {
    /// Another server on the same database (the first keeps running), with test settings
    /// changed by `tweak`: how a test restarts the centre with a new pack.
    pub async fn restart_with(&self, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        start(self.backend, self.dir.clone(), self.database_url.clone(), tweak).await
    }

    /// A file in this test's temp dir.
    pub fn temp_file(&self, name: &str, contents: &[u8]) -> std::path::PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("writing a temp file");
        path
    }

    /// Waits for the startup adoption pass and returns its counts.
    pub async fn adopted(&mut self) -> server::adopt::Counts {
        let seen = tokio::time::timeout(std::time::Duration::from_secs(60), self.adoption.wait_for(Option::is_some))
            .await
            .expect("the adoption pass ends within a minute")
            .expect("the adoption pass reports");
        let counts: Option<server::adopt::Counts> = *seen;
        drop(seen);
        counts.expect("counts")
    }

    /// `address` + `/api/v1` + `path`.
    pub fn api(&self, path: &str) -> String {
        format!("{}{}{}", self.address, kc_api::PREFIX, path)
    }

    /// POSTs a submission as JSON.
    pub async fn submit(&self, s: &Submission) -> reqwest::Response {
        self.client.post(self.api("/applications")).json(s).send().await.expect("request")
    }

    /// POSTs raw bytes with a content type.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
        self.client.post(self.api(path)).header("content-type", content_type).body(body).send().await.expect("request")
    }

    /// GETs an API path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.api(path)).send().await.expect("request")
    }

    /// GETs `/changes` with the token.
    pub async fn changes(&self, cursor: i64, limit: i64) -> reqwest::Response {
        self.client
            .get(self.api(&format!("/changes?cursor={cursor}&limit={limit}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("request")
    }
}

/// Today in Vietnam (the server's `as_of`).
pub fn today() -> time::Date {
    OffsetDateTime::now_utc().to_offset(kc_rules::VIETNAM).date()
}

/// A plausible application: a household business in the pack's first commune asking for
/// machinery worth 500,000,000 đ.
pub fn sample_application() -> Application {
    let pack = kc_rulepack::bundled();
    let mut app = Application {
        lines: vec![LineRequest { line: Line::Machinery, cost: Some(Vnd::from_const(500_000_000)), learners: None }],
        subject: Some(Subject::HouseholdBusiness),
        ..Application::default()
    };
    app.location.commune_code = Some(pack.communes[0].code);
    app.conditions.equipment_new = Some(true);
    app
}

/// The decision the widget would show today.
pub fn client_decision(app: &Application) -> Decision {
    kc_rules::evaluate(kc_rulepack::bundled(), app, today()).expect("sample application evaluates")
}

/// A submission with a new client id whose client decision matches the server's.
pub fn sample_submission() -> Submission {
    let application = sample_application();
    let client_decision = client_decision(&application);
    Submission {
        client_id: Uuid::new_v4(),
        client_pack_id: client_decision.pack_id.to_string(),
        client_as_of: today(),
        client_decision,
        application,
        contact: Some(kc_api::Contact {
            name: "Cơ sở cơ khí Hòa Bình".to_owned(),
            phone: Some("0912 345 678".to_owned()),
            email: None,
        }),
        centre_id: None,
    }
}
