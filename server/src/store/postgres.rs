//! The PostgreSQL backend: the multi-instance path (stateless servers, one database).
//!
//! Change numbers come from a single-row counter locked inside the writing transaction
//! (see `migrations/postgres/0001_applications.sql` for why not a SEQUENCE): the row lock
//! makes numbers commit in order, so the changes feed has neither gaps nor skips.
//!
//! Submissions are group-committed (see `group.rs`): each instance's writer task stores a
//! batch of up to 256 in one transaction, so the counter lock is taken once per batch, not
//! once per submission. Several instances still take turns on that row (one batch at a
//! time across all of them); within an instance, batches amortise the wait.

use std::collections::HashMap;

use anyhow::Context;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

use super::group::{BatchError, BatchWriter, GroupCommit};
use super::{
    ChangeRow, DraftRow, ImpactRow, NewApplication, Parked, PrintRow, SignedRow, StatusRow, StoredReceipt, Submitted,
    is_unique_violation,
};
use crate::codes;

/// PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    group: GroupCommit,
}

const EXISTING: &str = "SELECT client_id, content_hash, receipt_code, received_at,
                               server_decision::text AS server_decision, drift, attestation
                        FROM applications WHERE client_id = ANY($1)";

impl PgStore {
    /// The pool, for the staff module's queries.
    pub(crate) fn pool(&self) -> PgPool {
        self.pool.clone()
    }

    pub(super) async fn connect(
        url: &str,
        max_connections: u32,
        acquire_timeout: std::time::Duration,
    ) -> anyhow::Result<PgStore> {
        // A short acquire timeout: with the database gone, a request fails within a few
        // seconds (503, the widget's outbox retries) instead of waiting 30 s. Connections are
        // checked before use, so the first request after the database returns gets a fresh one.
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(acquire_timeout)
            .test_before_acquire(true)
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        let group = GroupCommit::start(PgBatches { pool: pool.clone() });
        Ok(PgStore { pool, group })
    }

    pub(super) async fn migrate(&self) -> anyhow::Result<()> {
        // sqlx takes an advisory lock, so instances starting together migrate once.
        sqlx::migrate!("./migrations/postgres").run(&self.pool).await?;
        Ok(())
    }

    pub(super) async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub(super) async fn submit(&self, app: NewApplication) -> anyhow::Result<Submitted> {
        self.group.submit(app).await
    }

    pub(super) async fn status(&self, receipt_code: &str) -> anyhow::Result<Option<StatusRow>> {
        let row = sqlx::query(
            "SELECT receipt_code, status, received_at, outcome, support_lines, amount_national,
                    amount_local, applicant_comment
             FROM applications WHERE receipt_code = $1",
        )
        .bind(receipt_code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(StatusRow {
                receipt_code: r.try_get("receipt_code")?,
                status: r.try_get("status")?,
                received_at: r.try_get("received_at")?,
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
            "SELECT receipt_code, status, received_at, centre_id, CAST(contact AS TEXT) AS contact, CAST(answers AS TEXT) AS answers,
                    CAST(server_decision AS TEXT) AS server_decision, applicant_comment, attestation
             FROM applications WHERE receipt_code = $1",
        )
        .bind(receipt_code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(PrintRow {
                receipt_code: r.try_get("receipt_code")?,
                status: r.try_get("status")?,
                received_at: r.try_get("received_at")?,
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
            "SELECT receipt_code, client_id, received_at, CAST(answers AS TEXT) AS answers,
                    CAST(server_decision AS TEXT) AS server_decision, server_pack_id, server_as_of,
                    attestation
             FROM applications WHERE receipt_code = $1",
        )
        .bind(receipt_code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(SignedRow {
                receipt_code: r.try_get("receipt_code")?,
                client_id: r.try_get("client_id")?,
                received_at: r.try_get("received_at")?,
                answers_json: r.try_get("answers")?,
                server_decision_json: r.try_get("server_decision")?,
                server_pack_id: r.try_get("server_pack_id")?,
                server_as_of: r.try_get("server_as_of")?,
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
        sqlx::query("DELETE FROM drafts WHERE expires_at <= $1").bind(now).execute(&self.pool).await?;
        for _ in 0..5 {
            let code = codes::resume();
            // `xmax = 0` tells a fresh insert from an update of the client's live draft.
            let row = sqlx::query(
                "INSERT INTO drafts (resume_code, client_id, answers, created_at, expires_at)
                 VALUES ($1, $2, $3::jsonb, $4, $5)
                 ON CONFLICT (client_id) DO UPDATE SET answers = EXCLUDED.answers, expires_at = EXCLUDED.expires_at
                 RETURNING resume_code, (xmax = 0) AS inserted",
            )
            .bind(&code)
            .bind(client_id)
            .bind(answers_json)
            .bind(now)
            .bind(expires_at)
            .fetch_one(&self.pool)
            .await;
            match row {
                Ok(r) => {
                    let draft = DraftRow {
                        resume_code: r.try_get("resume_code")?,
                        client_id,
                        answers_json: answers_json.to_owned(),
                        expires_at,
                    };
                    return Ok(if r.try_get("inserted")? { Parked::Created(draft) } else { Parked::Updated(draft) });
                }
                Err(e) if is_unique_violation(&e) => continue,
                Err(e) => return Err(e).context("parking the draft"),
            }
        }
        anyhow::bail!("five resume codes in a row collided")
    }

    pub(super) async fn draft(&self, resume_code: &str, now: OffsetDateTime) -> anyhow::Result<Option<DraftRow>> {
        let row = sqlx::query(
            "SELECT resume_code, client_id, answers::text AS answers, expires_at FROM drafts
             WHERE resume_code = $1 AND expires_at > $2",
        )
        .bind(resume_code)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(DraftRow {
                resume_code: r.try_get("resume_code")?,
                client_id: r.try_get("client_id")?,
                answers_json: r.try_get("answers")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    pub(super) async fn changes(&self, cursor: i64, limit: i64) -> anyhow::Result<Vec<ChangeRow>> {
        let rows = sqlx::query(
            "SELECT c.seq, c.kind, c.at, a.receipt_code, a.client_id, a.received_at, a.updated_at,
                    a.status, a.province_code, a.commune_code, a.support_line, a.support_lines,
                    a.outcome, a.amount_national, a.amount_local, a.drift, a.client_pack_id,
                    a.server_pack_id, a.centre_id, a.contact::text AS contact, a.answers::text AS answers,
                    a.client_decision::text AS client_decision, a.server_decision::text AS server_decision
             FROM changes c JOIN applications a ON a.id = c.application_id
             WHERE c.seq > $1 ORDER BY c.seq LIMIT $2",
        )
        .bind(cursor)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(change_row).collect()
    }

    pub(super) async fn impact_rows(&self, province: Option<i32>) -> anyhow::Result<Vec<ImpactRow>> {
        let rows = sqlx::query(
            "SELECT receipt_code, province_code, answers::text AS answers, server_as_of FROM applications
             WHERE $1 IS NULL OR province_code = $1 ORDER BY id",
        )
        .bind(province)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ImpactRow {
                    receipt_code: r.try_get("receipt_code")?,
                    province_code: r.try_get("province_code")?,
                    answers_json: r.try_get("answers")?,
                    server_as_of: r.try_get("server_as_of")?,
                })
            })
            .collect()
    }

    pub(super) async fn count_applications(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&self.pool).await?)
    }
}

/// Stores batches of submissions in one transaction each (see `group.rs`).
struct PgBatches {
    pool: PgPool,
}

impl BatchWriter for PgBatches {
    async fn write_batch(&self, apps: &[&NewApplication]) -> Result<Vec<Submitted>, BatchError> {
        let whole = |e: sqlx::Error, what: &'static str| BatchError::Batch(anyhow::Error::new(e).context(what));
        let mut tx = self.pool.begin().await.map_err(|e| whole(e, "beginning the batch"))?;
        // The counter row first: it is held until commit, so every transaction that inserts
        // applications (from any instance) runs after the previous one committed, and the
        // look-up below (a fresh snapshot per statement) sees every stored client id.
        let start: i64 = sqlx::query_scalar("SELECT value FROM change_counter WHERE id = 1 FOR UPDATE")
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| whole(e, "locking the change counter"))?;
        let ids: Vec<Uuid> = apps.iter().map(|a| a.client_id).collect();
        let rows = sqlx::query(EXISTING)
            .bind(&ids)
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| whole(e, "looking up the client ids"))?;
        // client id -> (content hash, receipt), stored or created earlier in this batch.
        let mut known: HashMap<Uuid, (String, StoredReceipt)> = HashMap::with_capacity(apps.len());
        for row in &rows {
            let stored = stored(row).map_err(BatchError::Batch)?;
            known.insert(stored.1.client_id, stored);
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
            fresh.push(Fresh { index, app, seq, code: receipt.receipt_code.clone() });
            results.push(Submitted::Created(receipt));
        }
        // Insert them, several rows per statement (one round trip each). A batch of one takes
        // the one-row path, which answers `CodeTaken` on a receipt code collision (the handler
        // draws and signs another); in a bigger batch any failure or skipped row sends every
        // item back as a batch of one.
        let (mut seqs, mut app_ids, mut ats) = (Vec::new(), Vec::new(), Vec::new());
        if apps.len() == 1 {
            if let Some(f) = fresh.first() {
                match insert(&mut tx, f.app, f.seq).await {
                    Ok(Inserted::New(id)) => {
                        seqs.push(f.seq);
                        app_ids.push(id);
                        ats.push(f.app.received_at);
                    }
                    Ok(Inserted::Existing(hash, receipt)) => {
                        // Not inserted: its number is not used either.
                        seq = start;
                        results[0] =
                            if hash == f.app.content_hash { Submitted::Replayed(receipt) } else { Submitted::Conflict };
                    }
                    Ok(Inserted::CodeTaken) => {
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
                    Ok(ids) => {
                        for (f, id) in chunk.iter().zip(ids) {
                            seqs.push(f.seq);
                            app_ids.push(id);
                            ats.push(f.app.received_at);
                        }
                    }
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
                 SELECT s, a, 'created', t FROM UNNEST($1::bigint[], $2::bigint[], $3::timestamptz[]) AS u (s, a, t)",
            )
            .bind(&seqs)
            .bind(&app_ids)
            .bind(&ats)
            .execute(&mut *tx)
            .await
            .map_err(|e| whole(e, "recording the changes"))?;
            sqlx::query("UPDATE change_counter SET value = $1 WHERE id = 1")
                .bind(seq)
                .execute(&mut *tx)
                .await
                .map_err(|e| whole(e, "advancing the change counter"))?;
        }
        tx.commit().await.map_err(|e| whole(e, "committing the batch"))?;
        Ok(results)
    }
}

/// Rows per multi-row INSERT: bounds the prepared-statement cache to a few dozen shapes.
const ROWS_PER_INSERT: usize = 32;

/// A new application of a batch, decided before it is inserted.
struct Fresh<'a> {
    /// Position in the batch.
    index: usize,
    app: &'a NewApplication,
    seq: i64,
    code: String,
}

/// The column list of every application INSERT; [`bind_row`] binds them in this order
/// (`updated_at` reuses `received_at`'s parameter).
const INSERT_APPLICATIONS: &str = "INSERT INTO applications (
    client_id, receipt_code, content_hash, received_at, updated_at, answers, contact,
    centre_id, client_as_of, client_decision, client_pack_id, server_as_of,
    server_decision, server_pack_id, drift, outcome, amount_national, amount_local,
    province_code, commune_code, support_line, support_lines, last_change_seq, attestation)";

type PgQuery<'q> = sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>;

/// Binds one application's 23 values, in [`INSERT_APPLICATIONS`] order.
fn bind_row<'q>(q: PgQuery<'q>, app: &'q NewApplication, code: &'q str, seq: i64) -> PgQuery<'q> {
    q.bind(app.client_id)
        .bind(code)
        .bind(&app.content_hash)
        .bind(app.received_at)
        .bind(&app.answers_json)
        .bind(&app.contact_json)
        .bind(&app.centre_id)
        .bind(app.client_as_of)
        .bind(&app.client_decision_json)
        .bind(&app.client_pack_id)
        .bind(app.server_as_of)
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

/// Inserts `rows` in one statement; returns their ids in `rows` order. A row skipped by
/// `ON CONFLICT` (its receipt code or client id exists) is an error: the batch is retried
/// item by item.
async fn insert_rows(tx: &mut Transaction<'static, Postgres>, rows: &[Fresh<'_>]) -> anyhow::Result<Vec<i64>> {
    const COLUMNS: usize = 23;
    let mut sql = format!("{INSERT_APPLICATIONS} VALUES ");
    for r in 0..rows.len() {
        let p = |k: usize| r * COLUMNS + k;
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${}::jsonb, ${}::jsonb, ${}, ${}, ${}::jsonb, ${}, ${}, ${}::jsonb, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
            p(1), p(2), p(3), p(4), p(4), p(5), p(6), p(7), p(8), p(9), p(10), p(11), p(12), p(13), p(14), p(15), p(16),
            p(17), p(18), p(19), p(20), p(21), p(22), p(23)
        ));
    }
    sql.push_str(" ON CONFLICT DO NOTHING RETURNING id, receipt_code");
    let mut q = sqlx::query(&sql);
    for f in rows {
        q = bind_row(q, f.app, &f.code, f.seq);
    }
    let returned = q.fetch_all(&mut **tx).await.context("inserting the applications")?;
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(returned.len());
    for row in &returned {
        ids.insert(row.try_get("receipt_code")?, row.try_get("id")?);
    }
    rows.iter().map(|f| ids.get(&f.code).copied().context("an application was skipped by ON CONFLICT")).collect()
}

enum Inserted {
    /// Inserted: its id.
    New(i64),
    /// The client id was already stored (only possible if something inserted applications
    /// without the counter lock): (content hash, receipt).
    Existing(String, StoredReceipt),
    /// Its receipt code belongs to another application.
    CodeTaken,
}

/// Inserts one application with change number `seq` under its receipt code.
/// `ON CONFLICT DO NOTHING` keeps a colliding code or client id from aborting the batch's
/// transaction; the look-up after tells which one it was.
async fn insert(tx: &mut Transaction<'static, Postgres>, app: &NewApplication, seq: i64) -> anyhow::Result<Inserted> {
    let sql = format!(
        "{INSERT_APPLICATIONS}
         VALUES ($1, $2, $3, $4, $4, $5::jsonb, $6::jsonb, $7, $8, $9::jsonb, $10, $11,
                 $12::jsonb, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
         ON CONFLICT DO NOTHING
         RETURNING id"
    );
    let inserted = bind_row(sqlx::query(&sql), app, &app.receipt_code, seq)
        .fetch_optional(&mut **tx)
        .await
        .context("inserting the application")?;
    if let Some(row) = inserted {
        return Ok(Inserted::New(row.try_get(0)?));
    }
    match sqlx::query(EXISTING).bind([app.client_id]).fetch_optional(&mut **tx).await? {
        Some(row) => {
            let (hash, receipt) = stored(&row)?;
            Ok(Inserted::Existing(hash, receipt))
        }
        None => Ok(Inserted::CodeTaken),
    }
}

/// A stored application's (content hash, receipt), for replays.
fn stored(row: &PgRow) -> anyhow::Result<(String, StoredReceipt)> {
    Ok((
        row.try_get("content_hash")?,
        StoredReceipt {
            receipt_code: row.try_get("receipt_code")?,
            client_id: row.try_get("client_id")?,
            received_at: row.try_get("received_at")?,
            server_decision_json: row.try_get("server_decision")?,
            drift: row.try_get("drift")?,
            attestation_json: row.try_get("attestation")?,
        },
    ))
}

fn change_row(r: &PgRow) -> anyhow::Result<ChangeRow> {
    Ok(ChangeRow {
        seq: r.try_get("seq")?,
        kind: r.try_get("kind")?,
        at: r.try_get("at")?,
        receipt_code: r.try_get("receipt_code")?,
        client_id: r.try_get("client_id")?,
        received_at: r.try_get("received_at")?,
        updated_at: r.try_get("updated_at")?,
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
