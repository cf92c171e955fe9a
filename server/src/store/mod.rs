//! Storage: SQLite (embedded default) or PostgreSQL (several instances behind a balancer).
//!
//! Handlers talk to [`Store`], never to SQL. Both backends run the same migrations in their
//! own flavour (`migrations/sqlite`, `migrations/postgres`) and behave the same; the e2e
//! suite runs against both. Money is integer đồng (`i64`), never a float.

mod group;
mod postgres;
mod sqlite;

use std::time::Duration;

use anyhow::Context;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub(crate) use sqlite::{parse_ts, ts};

/// An application ready to store: the submission, both decisions and what is derived from them.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub client_id: Uuid,
    /// SHA-256 of the canonical submission: same client id + same hash = a replay.
    pub content_hash: String,
    pub received_at: OffsetDateTime,
    pub answers_json: String,
    pub contact_json: Option<String>,
    pub centre_id: Option<String>,
    pub client_as_of: Date,
    pub client_decision_json: String,
    pub client_pack_id: String,
    pub server_as_of: Date,
    pub server_decision_json: String,
    pub server_pack_id: String,
    pub drift: bool,
    pub outcome: String,
    pub amount_national: Option<i64>,
    pub amount_local: Option<i64>,
    pub province_code: Option<i32>,
    pub commune_code: Option<i64>,
    pub support_line: Option<String>,
    /// Requested line ids, comma-separated, in request order.
    pub support_lines: String,
    /// The receipt code, drawn by the handler (the attestation signs it).
    pub receipt_code: String,
    /// The receipt's attestation (`kc_api::Attestation` as JSON), signed over this code.
    pub attestation_json: Option<String>,
}

/// What the applicant's receipt is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    pub receipt_code: String,
    pub client_id: Uuid,
    pub received_at: OffsetDateTime,
    pub server_decision_json: String,
    pub drift: bool,
    /// The stored attestation (JSON), `None` for applications stored before receipts were signed.
    pub attestation_json: Option<String>,
}

/// The result of storing a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// First time this client id was seen.
    Created(StoredReceipt),
    /// Same client id, same content: the receipt stored the first time.
    Replayed(StoredReceipt),
    /// Same client id, different content.
    Conflict,
    /// The receipt code drawn for it belongs to another application: nothing was stored; draw
    /// another code, sign again and resubmit (with ≥ 60 random bits, practically never).
    CodeTaken,
}

/// The applicant's status view of one application.
#[derive(Debug, Clone)]
pub struct StatusRow {
    pub receipt_code: String,
    pub status: String,
    pub received_at: OffsetDateTime,
    pub outcome: String,
    pub support_lines: String,
    pub amount_national: Option<i64>,
    pub amount_local: Option<i64>,
    pub applicant_comment: Option<String>,
}

/// What the applicant's printable receipt shows: the stored documents as JSON text.
#[derive(Debug, Clone)]
pub struct PrintRow {
    pub receipt_code: String,
    pub status: String,
    pub received_at: OffsetDateTime,
    pub centre_id: Option<String>,
    pub contact_json: Option<String>,
    pub answers_json: String,
    pub server_decision_json: String,
    pub applicant_comment: Option<String>,
    /// The receipt's attestation (JSON), when signed.
    pub attestation_json: Option<String>,
}

/// What a signed receipt (`GET /applications/{code}/receipt`) is made from.
#[derive(Debug, Clone)]
pub struct SignedRow {
    pub receipt_code: String,
    pub client_id: Uuid,
    pub received_at: OffsetDateTime,
    /// The applicant's answers as submitted.
    pub answers_json: String,
    /// The server's original decision.
    pub server_decision_json: String,
    pub server_pack_id: String,
    pub server_as_of: Date,
    pub attestation_json: Option<String>,
}

/// What an impact run re-evaluates of one stored application.
#[derive(Debug, Clone)]
pub struct ImpactRow {
    pub receipt_code: String,
    pub province_code: Option<i32>,
    pub answers_json: String,
    /// The date the server decided it at (the rules' date of the stored decision).
    pub server_as_of: Date,
}

/// A parked draft.
#[derive(Debug, Clone)]
pub struct DraftRow {
    pub resume_code: String,
    pub client_id: Uuid,
    pub answers_json: String,
    pub expires_at: OffsetDateTime,
}

/// The result of parking a draft.
#[derive(Debug, Clone)]
pub enum Parked {
    /// A new draft with a new resume code.
    Created(DraftRow),
    /// The client id had a live draft: its answers were replaced, its code kept, expiry renewed.
    Updated(DraftRow),
}

/// One entry of the changes feed, with the application as it is now.
#[derive(Debug, Clone)]
pub struct ChangeRow {
    pub seq: i64,
    pub kind: String,
    pub at: OffsetDateTime,
    pub receipt_code: String,
    pub client_id: Uuid,
    pub received_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub status: String,
    pub province_code: Option<i32>,
    pub commune_code: Option<i64>,
    pub support_line: Option<String>,
    pub support_lines: String,
    pub outcome: String,
    pub amount_national: Option<i64>,
    pub amount_local: Option<i64>,
    pub drift: bool,
    pub client_pack_id: String,
    pub server_pack_id: String,
    pub centre_id: Option<String>,
    pub contact_json: Option<String>,
    pub answers_json: String,
    pub client_decision_json: String,
    pub server_decision_json: String,
}

/// The store: one of the two backends.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// How to open the store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://path` (created when missing) or `postgres://…`.
    pub url: String,
    /// Pool size (readers for SQLite; SQLite always writes through one connection).
    pub max_connections: u32,
    /// How long a query waits for a connection before failing as unavailable (PostgreSQL).
    pub acquire_timeout: Duration,
}

impl Store {
    /// Connects (creating the SQLite file when missing). Does not migrate.
    pub async fn connect(options: &StoreOptions) -> anyhow::Result<Store> {
        let url = options.url.as_str();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(PgStore::connect(url, options.max_connections, options.acquire_timeout).await?))
        } else if url.starts_with("sqlite:") {
            Ok(Store::Sqlite(SqliteStore::connect(url, options.max_connections).await?))
        } else {
            anyhow::bail!("database URL must start with sqlite: or postgres:// (got another scheme)")
        }
    }

    /// Applies the migrations of this backend (idempotent; safe from several instances).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Store::Sqlite(s) => s.migrate().await,
            Store::Postgres(s) => s.migrate().await,
        }
        .context("running database migrations")
    }

    /// Which backend, for logs and `/readyz`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> anyhow::Result<()> {
        let check = async {
            match self {
                Store::Sqlite(s) => s.ping().await,
                Store::Postgres(s) => s.ping().await,
            }
        };
        tokio::time::timeout(Duration::from_secs(2), check).await.context("database ping timed out")?
    }

    /// Stores a submission once per client id (see [`Submitted`]) under the receipt code it
    /// carries, and assigns the change sequence number inside the writing transaction.
    /// Submissions are group-committed (several per transaction, see `group.rs`); this returns
    /// only after the transaction holding this one committed.
    pub async fn submit(&self, app: NewApplication) -> anyhow::Result<Submitted> {
        match self {
            Store::Sqlite(s) => s.submit(app).await,
            Store::Postgres(s) => s.submit(app).await,
        }
    }

    /// The status view of a receipt code (already normalised).
    pub async fn status(&self, receipt_code: &str) -> anyhow::Result<Option<StatusRow>> {
        match self {
            Store::Sqlite(s) => s.status(receipt_code).await,
            Store::Postgres(s) => s.status(receipt_code).await,
        }
    }

    /// What the printable receipt of a receipt code (already normalised) shows.
    pub async fn printable(&self, receipt_code: &str) -> anyhow::Result<Option<PrintRow>> {
        match self {
            Store::Sqlite(s) => s.printable(receipt_code).await,
            Store::Postgres(s) => s.printable(receipt_code).await,
        }
    }

    /// What the signed receipt of a receipt code (already normalised) holds.
    pub async fn signed(&self, receipt_code: &str) -> anyhow::Result<Option<SignedRow>> {
        match self {
            Store::Sqlite(s) => s.signed(receipt_code).await,
            Store::Postgres(s) => s.signed(receipt_code).await,
        }
    }

    /// Parks a draft (one live draft per client id), purging expired drafts.
    pub async fn park_draft(
        &self,
        client_id: Uuid,
        answers_json: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> anyhow::Result<Parked> {
        match self {
            Store::Sqlite(s) => s.park_draft(client_id, answers_json, now, expires_at).await,
            Store::Postgres(s) => s.park_draft(client_id, answers_json, now, expires_at).await,
        }
    }

    /// A live (not expired at `now`) draft by resume code.
    pub async fn draft(&self, resume_code: &str, now: OffsetDateTime) -> anyhow::Result<Option<DraftRow>> {
        match self {
            Store::Sqlite(s) => s.draft(resume_code, now).await,
            Store::Postgres(s) => s.draft(resume_code, now).await,
        }
    }

    /// Changes with `seq > cursor`, in `seq` order, at most `limit`.
    pub async fn changes(&self, cursor: i64, limit: i64) -> anyhow::Result<Vec<ChangeRow>> {
        match self {
            Store::Sqlite(s) => s.changes(cursor, limit).await,
            Store::Postgres(s) => s.changes(cursor, limit).await,
        }
    }

    /// Every stored application (of one province, when given) as an impact run needs it, in
    /// receipt order.
    pub async fn impact_rows(&self, province: Option<i32>) -> anyhow::Result<Vec<ImpactRow>> {
        match self {
            Store::Sqlite(s) => s.impact_rows(province).await,
            Store::Postgres(s) => s.impact_rows(province).await,
        }
    }

    /// Number of stored applications (tests and the bench use it).
    pub async fn count_applications(&self) -> anyhow::Result<i64> {
        match self {
            Store::Sqlite(s) => s.count_applications().await,
            Store::Postgres(s) => s.count_applications().await,
        }
    }
}

/// The database could not be reached (connection refused or lost, no free connection within
/// the acquire timeout, the server shutting down or starting up). Callers answer 503 with
/// `Retry-After`; nothing was stored.
#[derive(Debug, thiserror::Error)]
#[error("the database is unavailable")]
pub struct Unavailable;

/// Whether `e` (anywhere in its chain) says the database could not be reached, rather than
/// that a statement failed.
pub fn is_unavailable(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        if cause.is::<Unavailable>() {
            return true;
        }
        match cause.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_)) => {
                true
            }
            Some(sqlx::Error::WorkerCrashed) => true,
            // 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot
            // connect now (starting up).
            Some(sqlx::Error::Database(d)) => {
                d.code().is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03"))
            }
            _ => false,
        }
    })
}

/// Tries `attempt` again (at most 5 times) when a fresh random code collided with a stored one.
/// With ≥ 60 random bits a retry practically never happens; the loop keeps it correct anyway.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Truncates to microseconds, the precision both backends store.
pub(crate) fn to_micros(t: OffsetDateTime) -> OffsetDateTime {
    let micros = t.microsecond();
    t.replace_microsecond(micros).unwrap_or(t)
}
