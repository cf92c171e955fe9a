//! Staff queries. Every query over applications takes a [`Scope`] and puts it in the SQL
//! `WHERE`, so a province's staff cannot reach another province's rows by any URL.

use anyhow::Context;
use futures_util::TryStreamExt;
use sqlx::Row;
use time::{Date, OffsetDateTime, UtcOffset};

use super::auth::{Account, Role, Scope};
use super::db::{Db, Param, bind_all, parse_ts, read, ts, write};

/// Rows per list page.
pub const PAGE_SIZE: i64 = 50;

/// Failed logins for one e-mail within [`LOCKOUT_WINDOW`] that lock it.
pub const LOCKOUT_FAILURES: i64 = 5;
/// How far back failures count.
pub const LOCKOUT_WINDOW: time::Duration = time::Duration::minutes(15);
/// How long a session lasts.
pub const SESSION_TTL: time::Duration = time::Duration::hours(12);

/// Review states (`kc_api::ReviewState` ids) in workflow order.
pub const STATES: [&str; 5] = ["received", "under_review", "needs_changes", "accepted", "rejected"];

/// Whether a review may move from `from` to `to` (equal states: a comment only).
pub fn transition_allowed(from: &str, to: &str) -> bool {
    from == to
        || matches!(
            (from, to),
            ("received", "under_review" | "rejected")
                | ("under_review", "needs_changes" | "accepted" | "rejected")
                | ("needs_changes", "under_review" | "accepted" | "rejected")
                | ("accepted" | "rejected", "under_review")
        )
}

/// The list's filters (all optional; they also drive the exports).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Province code.
    pub province: Option<i64>,
    /// Commune code.
    pub commune: Option<i64>,
    /// Support line id (`machinery`, …).
    pub line: Option<String>,
    /// Fund with a computed amount: `national` or `local`.
    pub fund: Option<String>,
    /// Review state id.
    pub status: Option<String>,
    /// Outcome id (`eligible`, `not_eligible`, `need_more_answers`).
    pub outcome: Option<String>,
    /// Drift flag.
    pub drift: Option<bool>,
    /// Received on or after this day (Vietnam time).
    pub from: Option<Date>,
    /// Received on or before this day (Vietnam time).
    pub to: Option<Date>,
}

fn vietnam_midnight_utc(d: Date) -> OffsetDateTime {
    d.midnight().assume_offset(UtcOffset::from_hms(7, 0, 0).expect("valid")).to_offset(UtcOffset::UTC)
}

/// `WHERE …` (always present) and its parameters, numbered from `$1`.
fn where_clause(db: &Db, scope: Scope, f: &Filter) -> (String, Vec<Param>) {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut ps: Vec<Param> = Vec::new();
    // `$?` is the next parameter; `$T` the next parameter as a time.
    let mut push = |sql: &mut String, cond: &str, p: Param| {
        ps.push(p);
        let n = ps.len();
        sql.push_str(&cond.replace("$?", &format!("${n}")).replace("$T", &db.time_param(n)));
    };
    if let Scope::Province(p) = scope {
        push(&mut sql, " AND province_code = $?", Param::I64(p));
    }
    if let Some(p) = f.province {
        push(&mut sql, " AND province_code = $?", Param::I64(p));
    }
    if let Some(c) = f.commune {
        push(&mut sql, " AND commune_code = $?", Param::I64(c));
    }
    if let Some(l) = &f.line {
        push(&mut sql, " AND (',' || support_lines || ',') LIKE $?", Param::Text(format!("%,{l},%")));
    }
    match f.fund.as_deref() {
        Some("national") => sql.push_str(" AND amount_national > 0"),
        Some("local") => sql.push_str(" AND amount_local > 0"),
        _ => {}
    }
    if let Some(s) = &f.status {
        push(&mut sql, " AND status = $?", Param::Text(s.clone()));
    }
    if let Some(o) = &f.outcome {
        push(&mut sql, " AND outcome = $?", Param::Text(o.clone()));
    }
    if let Some(d) = f.drift {
        push(&mut sql, " AND drift = $?", Param::Bool(d));
    }
    if let Some(d) = f.from {
        push(&mut sql, " AND received_at >= $T", Param::Text(ts(vietnam_midnight_utc(d))));
    }
    if let Some(d) = f.to.and_then(|d| d.next_day()) {
        push(&mut sql, " AND received_at < $T", Param::Text(ts(vietnam_midnight_utc(d))));
    }
    (sql, ps)
}

/// One row of the list (and of the export, before labels).
#[derive(Debug, Clone)]
pub struct AppRow {
    pub id: i64,
    pub code: String,
    pub received_at: OffsetDateTime,
    pub province_code: Option<i64>,
    pub commune_code: Option<i64>,
    pub support_lines: String,
    pub outcome: String,
    pub status: String,
    pub drift: bool,
    pub amount_national: Option<i64>,
    pub amount_local: Option<i64>,
    pub server_pack_id: String,
    pub contact_json: Option<String>,
    pub answers_json: String,
}

fn row_columns(db: &Db) -> String {
    format!(
        "id, receipt_code, {} AS received_text, CAST(province_code AS BIGINT) AS province_code,
         CAST(commune_code AS BIGINT) AS commune_code, support_lines, outcome, status,
         CAST(CASE WHEN drift THEN 1 ELSE 0 END AS BIGINT) AS drift_int,
         CAST(amount_national AS BIGINT) AS amount_national, CAST(amount_local AS BIGINT) AS amount_local,
         server_pack_id, CAST(contact AS TEXT) AS contact_text, CAST(answers AS TEXT) AS answers_text",
        db.time_col("received_at")
    )
}

macro_rules! app_row {
    ($r:expr) => {{
        let r = $r;
        AppRow {
            id: r.try_get("id")?,
            code: r.try_get("receipt_code")?,
            received_at: parse_ts(&r.try_get::<String, _>("received_text")?)?,
            province_code: r.try_get("province_code")?,
            commune_code: r.try_get("commune_code")?,
            support_lines: r.try_get("support_lines")?,
            outcome: r.try_get("outcome")?,
            status: r.try_get("status")?,
            drift: r.try_get::<i64, _>("drift_int")? != 0,
            amount_national: r.try_get("amount_national")?,
            amount_local: r.try_get("amount_local")?,
            server_pack_id: r.try_get("server_pack_id")?,
            contact_json: r.try_get("contact_text")?,
            answers_json: r.try_get("answers_text")?,
        }
    }};
}

/// Counts and totals of a filtered list.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    /// Applications matching.
    pub count: i64,
    /// Sum over applications of the computed support, đồng: per application the larger of
    /// the national and local totals (one line is paid by one fund), as the status view shows.
    pub amount: i64,
    /// Per review state: (state id, count).
    pub by_status: Vec<(String, i64)>,
}

/// One page of the list, newest first, and the totals of the whole filter.
pub async fn list(db: &Db, scope: Scope, f: &Filter, page: i64) -> anyhow::Result<(Vec<AppRow>, Totals)> {
    let (w, ps) = where_clause(db, scope, f);
    let n = ps.len();
    let sql = format!(
        "SELECT {} FROM applications{w} ORDER BY received_at DESC, id DESC LIMIT ${} OFFSET ${}",
        row_columns(db),
        n + 1,
        n + 2
    );
    let mut lps = ps.clone();
    lps.push(Param::I64(PAGE_SIZE));
    lps.push(Param::I64(page.max(0) * PAGE_SIZE));
    let rows = read!(db, pool => {
        let rows = bind_all!(sqlx::query(&sql), &lps).fetch_all(pool).await.context("listing applications")?;
        rows.iter().map(|r| Ok(app_row!(r))).collect::<anyhow::Result<Vec<AppRow>>>()?
    });
    let sql = format!(
        "SELECT status, COUNT(*) AS n,
                CAST(COALESCE(SUM(CASE WHEN COALESCE(amount_national, 0) >= COALESCE(amount_local, 0)
                                       THEN COALESCE(amount_national, 0) ELSE COALESCE(amount_local, 0) END), 0) AS BIGINT) AS amount
         FROM applications{w} GROUP BY status"
    );
    let mut totals = Totals::default();
    read!(db, pool => {
        let rows = bind_all!(sqlx::query(&sql), &ps).fetch_all(pool).await.context("counting applications")?;
        for r in rows {
            let (s, c, a): (String, i64, i64) = (r.try_get("status")?, r.try_get("n")?, r.try_get("amount")?);
            totals.count += c;
            totals.amount += a;
            totals.by_status.push((s, c));
        }
    });
    totals.by_status.sort_by_key(|(s, _)| STATES.iter().position(|x| x == s).unwrap_or(99));
    Ok((rows, totals))
}

/// Streams every row of the filter (no paging) into `tx`, oldest first. Stops early when the
/// receiver is gone.
pub async fn export_rows(
    db: &Db,
    scope: Scope,
    f: &Filter,
    tx: tokio::sync::mpsc::Sender<anyhow::Result<AppRow>>,
) -> anyhow::Result<()> {
    let (w, ps) = where_clause(db, scope, f);
    let sql = format!("SELECT {} FROM applications{w} ORDER BY received_at, id", row_columns(db));
    read!(db, pool => {
        let mut rows = bind_all!(sqlx::query(&sql), &ps).fetch(pool);
        loop {
            let next = rows.try_next().await.context("reading applications for export");
            let item = match next {
                Ok(Some(r)) => (|| Ok(app_row!(&r)))(),
                Ok(None) => break,
                Err(e) => Err(e),
            };
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                break;
            }
        }
    });
    Ok(())
}

/// Everything the detail page shows.
#[derive(Debug, Clone)]
pub struct Detail {
    pub row: AppRow,
    pub client_decision_json: String,
    pub server_decision_json: String,
    pub client_pack_id: String,
    pub applicant_comment: Option<String>,
    pub history: Vec<ReviewEvent>,
}

/// One review change.
#[derive(Debug, Clone)]
pub struct ReviewEvent {
    pub at: OffsetDateTime,
    pub actor: String,
    pub from_status: String,
    pub to_status: String,
    pub comment: String,
    pub for_applicant: bool,
}

/// One application by receipt code, if it exists and is in scope.
pub async fn detail(db: &Db, scope: Scope, code: &str) -> anyhow::Result<Option<Detail>> {
    let f = Filter::default();
    let (w, mut ps) = where_clause(db, scope, &f);
    ps.push(Param::Text(code.to_owned()));
    let sql = format!(
        "SELECT {}, CAST(client_decision AS TEXT) AS client_decision_text,
                CAST(server_decision AS TEXT) AS server_decision_text, client_pack_id, applicant_comment
         FROM applications{w} AND receipt_code = ${}",
        row_columns(db),
        ps.len()
    );
    let found = read!(db, pool => {
        match bind_all!(sqlx::query(&sql), &ps).fetch_optional(pool).await.context("reading an application")? {
            None => None,
            Some(r) => Some(Detail {
                row: app_row!(&r),
                client_decision_json: r.try_get("client_decision_text")?,
                server_decision_json: r.try_get("server_decision_text")?,
                client_pack_id: r.try_get("client_pack_id")?,
                applicant_comment: r.try_get("applicant_comment")?,
                history: Vec::new(),
            }),
        }
    });
    let Some(mut d) = found else { return Ok(None) };
    let sql = format!(
        "SELECT {} AS at_text, actor, from_status, to_status, comment,
                CAST(CASE WHEN for_applicant THEN 1 ELSE 0 END AS BIGINT) AS fa
         FROM review_events WHERE application_id = $1 ORDER BY id",
        db.time_col("at")
    );
    read!(db, pool => {
        for r in sqlx::query(&sql).bind(d.row.id).fetch_all(pool).await.context("reading the history")? {
            d.history.push(ReviewEvent {
                at: parse_ts(&r.try_get::<String, _>("at_text")?)?,
                actor: r.try_get("actor")?,
                from_status: r.try_get("from_status")?,
                to_status: r.try_get("to_status")?,
                comment: r.try_get("comment")?,
                for_applicant: r.try_get::<i64, _>("fa")? != 0,
            });
        }
    });
    Ok(Some(d))
}

/// Why a review change was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No such application in the caller's scope.
    #[error("not found")]
    NotFound,
    /// The workflow does not allow it.
    #[error("transition {0} → {1} not allowed")]
    Transition(String, String),
    /// Anything else.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ReviewError {
    fn from(e: sqlx::Error) -> Self {
        ReviewError::Other(e.into())
    }
}

/// Changes the review state (or only comments, when `to == from`) in one transaction: the
/// application row, the changes feed, the history and the audit log.
pub async fn review(
    db: &Db,
    actor: &Account,
    code: &str,
    to: &str,
    comment: &str,
    for_applicant: bool,
    now: OffsetDateTime,
) -> Result<(), ReviewError> {
    let (w, mut ps) = where_clause(db, actor.scope(), &Filter::default());
    ps.push(Param::Text(code.to_owned()));
    let select = format!("SELECT id, status FROM applications{w} AND receipt_code = ${}", ps.len());
    let (tp2, tp1) = (db.time_param(2), db.time_param(1));
    let update = format!(
        "UPDATE applications SET status = $1, updated_at = {tp2}, last_change_seq = $3,
                applicant_comment = CASE WHEN $4 THEN $5 ELSE applicant_comment END
         WHERE id = $6"
    );
    let change = format!("INSERT INTO changes (seq, application_id, kind, at) VALUES ($2, $3, 'updated', {tp1})");
    let event = format!(
        "INSERT INTO review_events (application_id, at, actor, from_status, to_status, comment, for_applicant)
         VALUES ($2, {tp1}, $3, $4, $5, $6, $7)"
    );
    let audit = format!("INSERT INTO staff_audit (at, actor, action, target, detail) VALUES ({tp1}, $2, $3, $4, $5)");
    let at = ts(now);
    write!(db, pool => {
        let mut tx = pool.begin().await?;
        let found = bind_all!(sqlx::query(&select), &ps).fetch_optional(&mut *tx).await?;
        let Some(r) = found else { return Err(ReviewError::NotFound) };
        let (id, from): (i64, String) = (r.try_get("id")?, r.try_get("status")?);
        if !transition_allowed(&from, to) {
            return Err(ReviewError::Transition(from, to.to_owned()));
        }
        let seq: i64 = sqlx::query_scalar("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value")
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(&update)
            .bind(to).bind(&at).bind(seq).bind(for_applicant).bind(comment).bind(id)
            .execute(&mut *tx).await?;
        sqlx::query(&change).bind(&at).bind(seq).bind(id).execute(&mut *tx).await?;
        sqlx::query(&event)
            .bind(&at).bind(id).bind(&actor.email).bind(&from).bind(to).bind(comment).bind(for_applicant)
            .execute(&mut *tx).await?;
        let action = if from == to { "comment" } else { "state_change" };
        let detail = format!("{from} → {to}{}: {comment}", if for_applicant { " (gửi người nộp)" } else { "" });
        sqlx::query(&audit).bind(&at).bind(&actor.email).bind(action).bind(code).bind(detail)
            .execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Writes one audit entry.
pub async fn audit(db: &Db, actor: &str, action: &str, target: &str, detail: &str) -> anyhow::Result<()> {
    let sql = format!(
        "INSERT INTO staff_audit (at, actor, action, target, detail) VALUES ({}, $2, $3, $4, $5)",
        db.time_param(1)
    );
    let at = ts(OffsetDateTime::now_utc());
    write!(db, pool => {
        sqlx::query(&sql).bind(at).bind(actor).bind(action).bind(target).bind(detail)
            .execute(pool).await.context("writing the audit log")?;
    });
    Ok(())
}

/// One audit entry.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// Audit entries, newest first.
pub async fn audit_log(db: &Db, page: i64) -> anyhow::Result<Vec<AuditEntry>> {
    let sql = format!(
        "SELECT {} AS at_text, actor, action, target, detail FROM staff_audit ORDER BY id DESC LIMIT $1 OFFSET $2",
        db.time_col("at")
    );
    let mut out = Vec::new();
    read!(db, pool => {
        for r in sqlx::query(&sql).bind(PAGE_SIZE * 2).bind(page.max(0) * PAGE_SIZE * 2).fetch_all(pool).await? {
            out.push(AuditEntry {
                at: parse_ts(&r.try_get::<String, _>("at_text")?)?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                target: r.try_get("target")?,
                detail: r.try_get("detail")?,
            });
        }
    });
    Ok(out)
}

// ---- accounts -------------------------------------------------------------------------------

/// Creates an account (e-mail lower-cased). Fails when the e-mail exists.
pub async fn create_account(
    db: &Db,
    email: &str,
    password_hash: &str,
    role: Role,
    province_code: Option<i64>,
) -> anyhow::Result<i64> {
    let sql = format!(
        "INSERT INTO staff_accounts (email, password_hash, role, province_code, created_at)
         VALUES ($1, $2, $3, $4, {}) RETURNING id",
        db.time_param(5)
    );
    let email = email.trim().to_lowercase();
    let now = ts(OffsetDateTime::now_utc());
    let id = write!(db, pool => {
        sqlx::query_scalar::<_, i64>(&sql)
            .bind(&email).bind(password_hash).bind(role.id()).bind(province_code).bind(now)
            .fetch_one(pool).await.context("creating the account (does the e-mail exist already?)")?
    });
    Ok(id)
}

/// Whether any active admin exists.
pub async fn has_admin(db: &Db) -> anyhow::Result<bool> {
    let n: i64 = read!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM staff_accounts WHERE role = 'admin' AND active")
            .fetch_one(pool).await?
    });
    Ok(n > 0)
}

fn account_of(id: i64, email: String, role: &str, province_code: Option<i64>) -> anyhow::Result<Account> {
    let role = Role::parse(role).with_context(|| format!("stored role {role:?}"))?;
    Ok(Account { id, email, role, province_code })
}

/// An active account and its password hash, by e-mail.
pub async fn account_by_email(db: &Db, email: &str) -> anyhow::Result<Option<(Account, String)>> {
    let email = email.trim().to_lowercase();
    read!(db, pool => {
        let r = sqlx::query(
            "SELECT id, email, role, CAST(province_code AS BIGINT) AS province_code, password_hash
             FROM staff_accounts WHERE email = $1 AND active",
        )
        .bind(&email)
        .fetch_optional(pool)
        .await?;
        match r {
            None => Ok(None),
            Some(r) => Ok(Some((
                account_of(r.try_get("id")?, r.try_get("email")?, &r.try_get::<String, _>("role")?, r.try_get("province_code")?)?,
                r.try_get("password_hash")?,
            ))),
        }
    })
}

// Login attempts: `super::throttle` (reserved before the hash, in `staff_login_attempts`).

// ---- sessions -------------------------------------------------------------------------------

/// Starts a session: returns (cookie token, CSRF token). Purges expired sessions.
pub async fn create_session(db: &Db, account_id: i64) -> anyhow::Result<(String, String)> {
    let (token, csrf) = (super::auth::random_token(), super::auth::random_token());
    let now = OffsetDateTime::now_utc();
    let purge = format!("DELETE FROM staff_sessions WHERE expires_at < {}", db.time_param(1));
    let insert = format!(
        "INSERT INTO staff_sessions (token_hash, account_id, csrf_token, created_at, expires_at)
         VALUES ($1, $2, $3, {}, {})",
        db.time_param(4),
        db.time_param(5)
    );
    write!(db, pool => {
        sqlx::query(&purge).bind(ts(now)).execute(pool).await?;
        sqlx::query(&insert)
            .bind(super::auth::token_hash(&token)).bind(account_id).bind(&csrf).bind(ts(now)).bind(ts(now + SESSION_TTL))
            .execute(pool).await.context("creating a session")?;
    });
    Ok((token, csrf))
}

/// The live session of a cookie token: the account and the session's CSRF token.
pub async fn session(db: &Db, token: &str) -> anyhow::Result<Option<(Account, String)>> {
    let sql = format!(
        "SELECT a.id, a.email, a.role, CAST(a.province_code AS BIGINT) AS province_code, s.csrf_token
         FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
         WHERE s.token_hash = $1 AND s.expires_at > {} AND a.active",
        db.time_param(2)
    );
    read!(db, pool => {
        let r = sqlx::query(&sql).bind(super::auth::token_hash(token)).bind(ts(OffsetDateTime::now_utc()))
            .fetch_optional(pool).await?;
        match r {
            None => Ok(None),
            Some(r) => Ok(Some((
                account_of(r.try_get("id")?, r.try_get("email")?, &r.try_get::<String, _>("role")?, r.try_get("province_code")?)?,
                r.try_get("csrf_token")?,
            ))),
        }
    })
}

/// Ends a session.
pub async fn delete_session(db: &Db, token: &str) -> anyhow::Result<()> {
    write!(db, pool => {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1").bind(super::auth::token_hash(token)).execute(pool).await?;
    });
    Ok(())
}

// ---- API tokens -----------------------------------------------------------------------------

/// Creates an API token for an account; returns the token (shown once; only its hash is kept).
pub async fn create_api_token(db: &Db, account_id: i64, label: &str) -> anyhow::Result<String> {
    let token = format!("kcs_{}", super::auth::random_token());
    let sql = format!(
        "INSERT INTO staff_api_tokens (account_id, token_hash, label, created_at) VALUES ($1, $2, $3, {})",
        db.time_param(4)
    );
    write!(db, pool => {
        sqlx::query(&sql).bind(account_id).bind(super::auth::token_hash(&token)).bind(label).bind(ts(OffsetDateTime::now_utc()))
            .execute(pool).await.context("creating an API token")?;
    });
    Ok(token)
}

/// The account behind a live API token.
pub async fn api_token_account(db: &Db, token: &str) -> anyhow::Result<Option<Account>> {
    read!(db, pool => {
        let r = sqlx::query(
            "SELECT a.id, a.email, a.role, CAST(a.province_code AS BIGINT) AS province_code
             FROM staff_api_tokens t JOIN staff_accounts a ON a.id = t.account_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.active",
        )
        .bind(super::auth::token_hash(token))
        .fetch_optional(pool)
        .await?;
        match r {
            None => Ok(None),
            Some(r) => Ok(Some(account_of(
                r.try_get("id")?, r.try_get("email")?, &r.try_get::<String, _>("role")?, r.try_get("province_code")?,
            )?)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_workflow_moves_forward_and_can_reopen() {
        assert!(transition_allowed("received", "under_review"));
        assert!(transition_allowed("under_review", "needs_changes"));
        assert!(transition_allowed("needs_changes", "accepted"));
        assert!(transition_allowed("accepted", "under_review"));
        assert!(transition_allowed("received", "received"));
        assert!(!transition_allowed("received", "accepted"));
        assert!(!transition_allowed("accepted", "rejected"));
        assert!(!transition_allowed("received", "bogus"));
    }
}
