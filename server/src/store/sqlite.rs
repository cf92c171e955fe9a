//! The SQLite backend: one file, WAL, `synchronous = FULL` (an acknowledged commit is on disk).
//!
//! Every write goes through a pool of exactly one connection, so SQLite's single writer
//! never sees lock contention (no `SQLITE_BUSY` retries) and change numbers commit in order.
//! Submissions are group-committed (see `group.rs`): the writer task borrows that one
//! connection for a whole batch, one transaction and one sync for up to 256 submissions.
//! Drafts and the staff side use the same connection for their own short transactions, in
//! turn with the batches. Reads use a separate pool and, thanks to WAL, never wait for the
//! writer.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, Sqlite, Transaction, sqlite::SqliteRow};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

use super::group::{BatchError, BatchWriter, GroupCommit};
use super::{
    ChangeRow, DraftRow, ImpactRow, NewApplication, Parked, PrintRow, SignedRow, StatusRow, StoredReceipt, Submitted,
    is_unique_violation,
};
use crate::codes;

/// SQLite store: a one-connection writer pool and a reader pool over the same file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    group: GroupCommit,
}

impl SqliteStore {
    /// The (writer, reader) pools, for the staff module's queries.
    pub(crate) fn pools(&self) -> (SqlitePool, SqlitePool) {
        (self.writer.clone(), self.reader.clone())
    }

    pub(super) async fn connect(url: &str, max_connections: u32) -> anyhow::Result<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)
            .context("parsing the SQLite URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        // The file cannot go away under an open connection: no ping before each batch.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .context("opening the SQLite database")?;
        let reader = SqlitePoolOptions::new()
            .max_connections(max_connections.max(1))
            .connect_with(options)
            .await
            .context("opening the SQLite database for reading")?;
        let group = GroupCommit::start(SqliteBatches { writer: writer.clone() });
        Ok(SqliteStore { writer, reader, group })
    }

    pub(super) async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("./migrations/sqlite").run(&self.writer).await?;
        Ok(())
    }

    pub(super) async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    pub(super) async fn submit(&self, app: NewApplication) -> anyhow::Result<Submitted> {
        self.group.submit(app).await
    }

    pub(super) async fn status(&self, receipt_code: &str) -> anyhow::Result<Option<StatusRow>> {
        let row = sqlx::query(
            "SELECT receipt_code, status, received_at, outcome, support_lines, amount_national,
                    amount_local, applicant_comment
             FROM applications WHERE receipt_code = ?1",
        )
        .bind(receipt_code)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(StatusRow {
                receipt_code: r.try_get("receipt_code")?,
                status: r.try_get("status")?,
                received_at: parse_ts(&r.try_get::<String, _>("received_at")?)?,
                outcome: r.try_get("outcome")?,
                support_lines: r.try_get("support_lines")?,
                amount_national: r.try_get("amount_national")?,
                amount_local: r.try_get("amount_local")?,
                applicant_comment: r.try_get("applicant_comment")?,
            })
        })
        .transpose()
    }

    pub(super) async fn printable(&self, receipt_code: &str) -> anyhow::Result<Option<PrintRow>> {
        let row = sqlx::query(
            "SELECT receipt_code, status, received_at, centre_id, contact, answers,
                    server_decision, applicant_comment, attestation
             FROM applications WHERE receipt_code = ?1",
        )
        .bind(receipt_code)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(PrintRow {
                receipt_code: r.try_get("receipt_code")?,
                status: r.try_get("status")?,
                received_at: parse_ts(&r.try_get::<String, _>("received_at")?)?,
                centre_id: r.try_get("centre_id")?,
                contact_json: r.try_get("contact")?,
                answers_json: r.try_get("answers")?,
                server_decision_json: r.try_get("server_decision")?,
                applicant_comment: r.try_get("applicant_comment")?,
                attestation_json: r.try_get("attestation")?,
            })
        })
        .transpose()
    }

    pub(super) async fn signed(&self, receipt_code: &str) -> anyhow::Result<Option<SignedRow>> {
        let row = sqlx::query(
            "SELECT receipt_code, client_id, received_at, answers, server_decision, server_pack_id,
                    server_as_of, attestation
             FROM applications WHERE receipt_code = ?1",
        )
        .bind(receipt_code)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(SignedRow {
                receipt_code: r.try_get("receipt_code")?,
                client_id: Uuid::parse_str(&r.try_get::<String, _>("client_id")?)?,
                received_at: parse_ts(&r.try_get::<String, _>("received_at")?)?,
                answers_json: r.try_get("answers")?,
                server_decision_json: r.try_get("server_decision")?,
                server_pack_id: r.try_get("server_pack_id")?,
                server_as_of: parse_date(&r.try_get::<String, _>("server_as_of")?)?,
                attestation_json: r.try_get("attestation")?,
            })
        })
        .transpose()
    }

    pub(super) async fn park_draft(
        &self,
        client_id: Uuid,
        answers_json: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> anyhow::Result<Parked> {
        let client = client_id.to_string();
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM drafts WHERE expires_at <= ?1").bind(ts(now)).execute(&mut *tx).await?;
        let existing: Option<String> = sqlx::query_scalar("SELECT resume_code FROM drafts WHERE client_id = ?1")
            .bind(&client)
            .fetch_optional(&mut *tx)
            .await?;
        let parked = if let Some(code) = existing {
            sqlx::query("UPDATE drafts SET answers = ?1, expires_at = ?2 WHERE resume_code = ?3")
                .bind(answers_json)
                .bind(ts(expires_at))
                .bind(&code)
                .execute(&mut *tx)
                .await?;
            Parked::Updated(DraftRow {
                resume_code: code,
                client_id,
                answers_json: answers_json.to_owned(),
                expires_at,
            })
        } else {
            let mut attempts = 0;
            loop {
                let code = codes::resume();
                let inserted = sqlx::query(
                    "INSERT INTO drafts (resume_code, client_id, answers, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .bind(&code)
                .bind(&client)
                .bind(answers_json)
                .bind(ts(now))
                .bind(ts(expires_at))
                .execute(&mut *tx)
                .await;
                match inserted {
                    Ok(_) => {
                        break Parked::Created(DraftRow {
                            resume_code: code,
                            client_id,
                            answers_json: answers_json.to_owned(),
                            expires_at,
                        });
                    }
                    Err(e) if is_unique_violation(&e) && attempts < 5 => attempts += 1,
                    Err(e) => return Err(e).context("inserting the draft"),
                }
            }
        };
        tx.commit().await?;
        Ok(parked)
    }

    pub(super) async fn draft(&self, resume_code: &str, now: OffsetDateTime) -> anyhow::Result<Option<DraftRow>> {
        let row = sqlx::query(
            "SELECT resume_code, client_id, answers, expires_at FROM drafts
             WHERE resume_code = ?1 AND expires_at > ?2",
        )
        .bind(resume_code)
        .bind(ts(now))
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(DraftRow {
                resume_code: r.try_get("resume_code")?,
                client_id: Uuid::parse_str(&r.try_get::<String, _>("client_id")?)?,
                answers_json: r.try_get("answers")?,
                expires_at: parse_ts(&r.try_get::<String, _>("expires_at")?)?,
            })
        })
        .transpose()
    }

    pub(super) async fn changes(&self, cursor: i64, limit: i64) -> anyhow::Result<Vec<ChangeRow>> {
        let rows = sqlx::query(
            "SELECT c.seq, c.kind, c.at, a.receipt_code, a.client_id, a.received_at, a.updated_at,
                    a.status, a.province_code, a.commune_code, a.support_line, a.support_lines,
                    a.outcome, a.amount_national, a.amount_local, a.drift, a.client_pack_id,
                    a.server_pack_id, a.centre_id, a.contact, a.answers, a.client_decision,
                    a.server_decision
             FROM changes c JOIN applications a ON a.id = c.application_id
             WHERE c.seq > ?1 ORDER BY c.seq LIMIT ?2",
        )
        .bind(cursor)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(change_row).collect()
    }

    pub(super) async fn impact_rows(&self, province: Option<i32>) -> anyhow::Result<Vec<ImpactRow>> {
        let rows = sqlx::query(
            "SELECT receipt_code, province_code, answers, server_as_of FROM applications
             WHERE ?1 IS NULL OR province_code = ?1 ORDER BY id",
        )
        .bind(province)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ImpactRow {
                    receipt_code: r.try_get("receipt_code")?,
                    province_code: r.try_get("province_code")?,
                    answers_json: r.try_get("answers")?,
                    server_as_of: parse_date(&r.try_get::<String, _>("server_as_of")?)?,
                })
            })
            .collect()
    }

    pub(super) async fn count_applications(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&self.reader).await?)
    }
}

/// Stores batches of submissions through the one writer connection (see `group.rs`).
struct SqliteBatches {
    writer: SqlitePool,
}

impl BatchWriter for SqliteBatches {
    async fn write_batch(&self, apps: &[&NewApplication]) -> Result<Vec<Submitted>, BatchError> {
        let whole = |e: sqlx::Error, what: &'static str| BatchError::Batch(anyhow::Error::new(e).context(what));
        let mut tx = self.writer.begin().await.map_err(|e| whole(e, "beginning the batch"))?;
        // Idempotency look-up for the whole batch in one statement. This connection is the
        // only writer, so nothing can insert these client ids between here and the commit.
        let ids: Vec<String> = apps.iter().map(|a| a.client_id.to_string()).collect();
        let ids = serde_json::to_string(&ids).map_err(|e| BatchError::Batch(e.into()))?;
        // One round trip for the change counter and the stored rows of these client ids (the
        // counter row is always there, so the LEFT JOIN returns at least one row).
        let rows = sqlx::query(
            "SELECT c.value AS counter, a.client_id, a.content_hash, a.receipt_code, a.received_at,
                    a.server_decision, a.drift, a.attestation
             FROM change_counter c
             LEFT JOIN applications a ON a.client_id IN (SELECT value FROM json_each(?1))
             WHERE c.id = 1",
        )
        .bind(ids)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| whole(e, "looking up the client ids"))?;
        let start: i64 = match rows.first() {
            Some(row) => row.try_get("counter").map_err(|e| whole(e, "reading the change counter"))?,
            None => {
                return Err(BatchError::Batch(anyhow::anyhow!("the change counter row is missing")));
            }
        };
        // client id -> (content hash, receipt), stored or created earlier in this batch.
        let mut known: HashMap<Uuid, (String, StoredReceipt)> = HashMap::with_capacity(apps.len());
        for row in &rows {
            if row.try_get::<Option<String>, _>("client_id").map_err(|e| whole(e, "reading a stored row"))?.is_some() {
                let stored = stored(row).map_err(BatchError::Batch)?;
                known.insert(stored.1.client_id, stored);
            }
        }
        // Decide every item first: replay, conflict, or new (with its number and code).
        let mut seq = start;
        let mut fresh: Vec<Fresh<'_>> = Vec::new();
        let mut results = Vec::with_capacity(apps.len());
        for (index, app) in apps.iter().enumerate() {
            if let Some((hash, receipt)) = known.get(&app.client_id) {
                results.push(if *hash == app.content_hash {
                    Submitted::Replayed(StoredReceipt { client_id: app.client_id, ..receipt.clone() })
                } else {
                    Submitted::Conflict
                });
                continue;
            }
            seq += 1;
            let receipt = StoredReceipt {
                receipt_code: app.receipt_code.clone(),
                client_id: app.client_id,
                received_at: app.received_at,
                server_decision_json: app.server_decision_json.clone(),
                drift: app.drift,
                attestation_json: app.attestation_json.clone(),
            };
            known.insert(app.client_id, (app.content_hash.clone(), receipt.clone()));
            fresh.push(Fresh { index, app, seq, received_at: ts(app.received_at), code: receipt.receipt_code.clone() });
            results.push(Submitted::Created(receipt));
        }
        // Insert them, several rows per statement (each statement is a round trip to the
        // connection's worker thread). A batch of one takes the one-row path, which answers
        // `CodeTaken` on the (practically impossible) receipt code collision, so the handler
        // draws and signs another; in a bigger batch any failure sends every item back as a
        // batch of one.
        let mut changes = Vec::with_capacity(fresh.len());
        if apps.len() == 1 {
            if let Some(f) = fresh.first_mut() {
                match insert(&mut tx, f.app, &f.received_at, f.seq).await {
                    Ok(Some(id)) => changes.push(serde_json::json!([f.seq, id, f.received_at])),
                    Ok(None) => {
                        // Not inserted: its number is not used either.
                        seq = start;
                        results[0] = Submitted::CodeTaken;
                    }
                    Err(e) => {
                        let _ = tx.rollback().await;
                        return Err(BatchError::Item(f.index, e));
                    }
                }
            }
        } else {
            for chunk in fresh.chunks(ROWS_PER_INSERT) {
                match insert_rows(&mut tx, chunk).await {
                    Ok(ids) => changes
                        .extend(chunk.iter().zip(ids).map(|(f, id)| serde_json::json!([f.seq, id, f.received_at]))),
                    Err(e) => {
                        let _ = tx.rollback().await;
                        return Err(BatchError::Item(chunk[0].index, e));
                    }
                }
            }
        }
        if seq > start {
            sqlx::query(
                "INSERT INTO changes (seq, application_id, kind, at)
                 SELECT value ->> 0, value ->> 1, 'created', value ->> 2 FROM json_each(?1)",
            )
            .bind(serde_json::Value::Array(changes).to_string())
            .execute(&mut *tx)
            .await
            .map_err(|e| whole(e, "recording the changes"))?;
            sqlx::query("UPDATE change_counter SET value = ?1 WHERE id = 1")
                .bind(seq)
                .execute(&mut *tx)
                .await
                .map_err(|e| whole(e, "advancing the change counter"))?;
        }
        tx.commit().await.map_err(|e| whole(e, "committing the batch"))?;
        Ok(results)
    }
}

/// Rows per multi-row INSERT: bounds the statement cache to a few dozen shapes.
const ROWS_PER_INSERT: usize = 32;

/// A new application of a batch, decided before it is inserted.
struct Fresh<'a> {
    /// Position in the batch.
    index: usize,
    app: &'a NewApplication,
    seq: i64,
    received_at: String,
    code: String,
}

/// The column list of every application INSERT; [`bind_row`] binds them in this order
/// (`updated_at` reuses `received_at`'s parameter).
const INSERT_APPLICATIONS: &str = "INSERT INTO applications (
    client_id, receipt_code, content_hash, received_at, updated_at, answers, contact,
    centre_id, client_as_of, client_decision, client_pack_id, server_as_of,
    server_decision, server_pack_id, drift, outcome, amount_national, amount_local,
    province_code, commune_code, support_line, support_lines, last_change_seq, attestation)";

type SqliteQuery<'q> = sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// Binds one application's 23 values, in [`INSERT_APPLICATIONS`] order.
fn bind_row<'q>(
    q: SqliteQuery<'q>,
    app: &'q NewApplication,
    code: &'q str,
    received_at: &'q str,
    seq: i64,
) -> SqliteQuery<'q> {
    q.bind(app.client_id.to_string())
        .bind(code)
        .bind(&app.content_hash)
        .bind(received_at)
        .bind(&app.answers_json)
        .bind(&app.contact_json)
        .bind(&app.centre_id)
        .bind(date(app.client_as_of))
        .bind(&app.client_decision_json)
        .bind(&app.client_pack_id)
        .bind(date(app.server_as_of))
        .bind(&app.server_decision_json)
        .bind(&app.server_pack_id)
        .bind(app.drift)
        .bind(&app.outcome)
        .bind(app.amount_national)
        .bind(app.amount_local)
        .bind(app.province_code)
        .bind(app.commune_code)
        .bind(&app.support_line)
        .bind(&app.support_lines)
        .bind(seq)
        .bind(&app.attestation_json)
}

/// Inserts `rows` in one statement; returns their ids in `rows` order.
async fn insert_rows(tx: &mut Transaction<'static, Sqlite>, rows: &[Fresh<'_>]) -> anyhow::Result<Vec<i64>> {
    const COLUMNS: usize = 23;
    let mut sql = format!("{INSERT_APPLICATIONS} VALUES ");
    for r in 0..rows.len() {
        let p = |k: usize| r * COLUMNS + k;
        sql.push_str(if r == 0 { "(" } else { ", (" });
        let places: Vec<String> = (1..=COLUMNS).map(|k| format!("?{}", p(k))).collect();
        // updated_at = received_at: the 4th parameter twice.
        let mut cols = places[..4].to_vec();
        cols.push(places[3].clone());
        cols.extend_from_slice(&places[4..]);
        sql.push_str(&cols.join(", "));
        sql.push(')');
    }
    sql.push_str(" RETURNING id, receipt_code");
    let mut q = sqlx::query(&sql);
    for f in rows {
        q = bind_row(q, f.app, &f.code, &f.received_at, f.seq);
    }
    let returned = q.fetch_all(&mut **tx).await.context("inserting the applications")?;
    // RETURNING order is unspecified: match rows by receipt code.
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(returned.len());
    for row in &returned {
        ids.insert(row.try_get("receipt_code")?, row.try_get("id")?);
    }
    rows.iter().map(|f| ids.get(&f.code).copied().context("an inserted application was not returned")).collect()
}

/// Inserts one application with change number `seq` under its receipt code; `None` when
/// that code is taken (a failed statement leaves SQLite's transaction intact).
async fn insert(
    tx: &mut Transaction<'static, Sqlite>,
    app: &NewApplication,
    received_at: &str,
    seq: i64,
) -> anyhow::Result<Option<i64>> {
    let sql = format!(
        "{INSERT_APPLICATIONS}
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 ?17, ?18, ?19, ?20, ?21, ?22, ?23)
         RETURNING id"
    );
    let inserted = bind_row(sqlx::query(&sql), app, &app.receipt_code, received_at, seq).fetch_one(&mut **tx).await;
    match inserted {
        Ok(row) => Ok(Some(row.try_get::<i64, _>(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e).context("inserting the application"),
    }
}

/// A stored application's (content hash, receipt), for replays.
fn stored(row: &SqliteRow) -> anyhow::Result<(String, StoredReceipt)> {
    Ok((
        row.try_get("content_hash")?,
        StoredReceipt {
            receipt_code: row.try_get("receipt_code")?,
            client_id: Uuid::parse_str(&row.try_get::<String, _>("client_id")?)?,
            received_at: parse_ts(&row.try_get::<String, _>("received_at")?)?,
            server_decision_json: row.try_get("server_decision")?,
            drift: row.try_get("drift")?,
            attestation_json: row.try_get("attestation")?,
        },
    ))
}

fn change_row(r: &SqliteRow) -> anyhow::Result<ChangeRow> {
    Ok(ChangeRow {
        seq: r.try_get("seq")?,
        kind: r.try_get("kind")?,
        at: parse_ts(&r.try_get::<String, _>("at")?)?,
        receipt_code: r.try_get("receipt_code")?,
        client_id: Uuid::parse_str(&r.try_get::<String, _>("client_id")?)?,
        received_at: parse_ts(&r.try_get::<String, _>("received_at")?)?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at")?)?,
        status: r.try_get("status")?,
        province_code: r.try_get("province_code")?,
        commune_code: r.try_get("commune_code")?,
        support_line: r.try_get("support_line")?,
        support_lines: r.try_get("support_lines")?,
        outcome: r.try_get("outcome")?,
        amount_national: r.try_get("amount_national")?,
        amount_local: r.try_get("amount_local")?,
        drift: r.try_get("drift")?,
        client_pack_id: r.try_get("client_pack_id")?,
        server_pack_id: r.try_get("server_pack_id")?,
        centre_id: r.try_get("centre_id")?,
        contact_json: r.try_get("contact")?,
        answers_json: r.try_get("answers")?,
        client_decision_json: r.try_get("client_decision")?,
        server_decision_json: r.try_get("server_decision")?,
    })
}

/// Times are stored as RFC 3339 in UTC with exactly six fraction digits, so that text order
/// is time order (the drafts' expiry query relies on it).
pub(crate) fn ts(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// Parses a time written by [`ts`].
pub(crate) fn parse_ts(s: &str) -> anyhow::Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).with_context(|| format!("stored time {s:?} is not RFC 3339"))
}

fn parse_date(s: &str) -> anyhow::Result<Date> {
    Ok(Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))?)
}

fn date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_sort_as_text_and_round_trip() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_767_225_600_123_456_000).unwrap();
        assert_eq!(ts(t), "2026-01-01T00:00:00.123456Z");
        assert_eq!(parse_ts(&ts(t)).unwrap(), t);
    }
}
