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
pub const STATES: [&str; 5] = {
    let all = kc_api::ReviewState::ALL;
    [all[0].id(), all[1].id(), all[2].id(), all[3].id(), all[4].id()]
};

/// Whether a review may move from `from` to `to` (stored ids; see
/// [`kc_api::ReviewState::can_move_to`]).
pub fn transition_allowed(from: &str, to: &str) -> bool {
    use kc_api::ReviewState as S;
    matches!((S::from_id(from), S::from_id(to)), (Some(f), Some(t)) if f.can_move_to(t))
}

/// Sortable list columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Receive time (the default, newest first).
    #[default]
    Received,
    /// Receipt code.
    Code,
    /// Commune code (province first).
    Place,
    /// Review state.
    Status,
    /// Outcome.
    Outcome,
    /// Computed support (the larger fund total).
    Amount,
    /// Assigned officer.
    Assigned,
}

impl Sort {
    /// The ids of the `sort` query field.
    pub const IDS: [&'static str; 7] = ["received", "code", "place", "status", "outcome", "amount", "assigned"];

    /// From its id.
    pub fn parse(s: &str) -> Option<Sort> {
        Some(match s {
            "received" => Sort::Received,
            "code" => Sort::Code,
            "place" => Sort::Place,
            "status" => Sort::Status,
            "outcome" => Sort::Outcome,
            "amount" => Sort::Amount,
            "assigned" => Sort::Assigned,
            _ => return None,
        })
    }

    /// Its id.
    pub fn id(self) -> &'static str {
        Sort::IDS[self as usize]
    }

    fn sql(self) -> &'static str {
        match self {
            Sort::Received => "received_text",
            Sort::Code => "receipt_code",
            Sort::Place => "province_code {dir}, commune_code",
            Sort::Status => "status",
            Sort::Outcome => "outcome",
            Sort::Amount => {
                "CASE WHEN COALESCE(amount_national, 0) >= COALESCE(amount_local, 0) \
                 THEN COALESCE(amount_national, 0) ELSE COALESCE(amount_local, 0) END"
            }
            Sort::Assigned => "assigned_email",
        }
    }
}

/// The assigned-officer filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assigned {
    /// Not assigned to anyone.
    Nobody,
    /// Assigned to this account.
    Account(i64),
}

/// The list's filters (all optional; they also drive the exports and the overview).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Search text: receipt code, applicant name or phone (see [`resolve_search`]).
    pub q: Option<String>,
    /// Province code.
    pub province: Option<i64>,
    /// Commune codes (any of them); empty: any commune.
    pub communes: Vec<i64>,
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
    /// Assigned officer.
    pub assigned: Option<Assigned>,
    /// Received on or after this day (Vietnam time).
    pub from: Option<Date>,
    /// Received on or before this day (Vietnam time).
    pub to: Option<Date>,
    /// Sort column of the list.
    pub sort: Sort,
    /// Descending.
    pub desc: bool,
    /// The application ids a search resolved to (set by [`resolve_search`]).
    pub ids: Option<Vec<i64>>,
}

/// Most search matches a list or export takes.
pub const SEARCH_LIMIT: usize = 2000;

/// Resolves `f.q` into `f.ids`: the applications in scope (and in the rest of the filter)
/// whose receipt code, applicant name or phone match. Names and phones sit in the contact
/// JSON and Vietnamese case folding is not in SQLite, so the match runs here.
pub async fn resolve_search(db: &Db, scope: Scope, d: &Decisions, mut f: Filter) -> anyhow::Result<Filter> {
    let Some(q) = f.q.clone() else { return Ok(f) };
    let mut base = f.clone();
    base.q = None;
    base.ids = None;
    let mut ps = Vec::new();
    let cols = Cols::of(db, d, &mut ps);
    let (w, ps) = where_on(db, scope, &base, &cols, ps);
    let sql = format!(
        "SELECT applications.id AS id, receipt_code, CAST(contact AS TEXT) AS contact_text FROM applications{}{w}",
        cols.join
    );
    let mut ids = Vec::new();
    read!(db, pool => {
        let mut rows = bind_all!(sqlx::query(&sql), &ps).fetch(pool);
        while let Some(r) = rows.try_next().await.context("searching applications")? {
            let code: String = r.try_get("receipt_code")?;
            let contact: Option<kc_api::Contact> =
                r.try_get::<Option<String>, _>("contact_text")?.and_then(|c| serde_json::from_str(&c).ok());
            let (name, phone) = contact.map(|c| (c.name, c.phone.unwrap_or_default())).unwrap_or_default();
            if super::filter::matches_search(&q, &code, &name, &phone) {
                ids.push(r.try_get::<i64, _>("id")?);
                if ids.len() >= SEARCH_LIMIT {
                    break;
                }
            }
        }
    });
    f.ids = Some(ids);
    Ok(f)
}

fn vietnam_midnight_utc(d: Date) -> OffsetDateTime {
    d.midnight().assume_offset(kc_rules::VIETNAM).to_offset(UtcOffset::UTC)
}

/// Which decision the list, the overview and the exports show, filter, sort and sum
/// (`decision_policy`, docs/rule-changes.md): under `current`, the running pack's adopted
/// decision (`application_current`, for the running pack id) where there is one, else the
/// one the application was received with; under `received`, always the received one. The
/// adopted decision, where it differs, is read beside it either way, so nothing is hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decisions {
    /// The running pack's id: a decision adopted under another pack is not read.
    pub running: String,
    /// `decision_policy = current`.
    pub current: bool,
}

impl Decisions {
    /// What the server's setting says.
    pub fn of(running: &str, policy: crate::config::DecisionPolicy) -> Decisions {
        Decisions { running: running.to_owned(), current: policy == crate::config::DecisionPolicy::Current }
    }
}

/// The SQL of the decision columns a query reads: the join to the adopted decisions and the
/// expressions of the outcome and amounts used (the received columns' names kept as aliases).
struct Cols {
    /// ` LEFT JOIN application_current c …`, or empty.
    join: String,
    outcome: String,
    national: String,
    local: String,
    /// The decision document the failing criteria come from.
    decision: String,
    /// True where the running pack's adopted decision differs from the received one.
    differs: String,
    /// True where the centre uses the adopted decision (policy `current` and it differs).
    used: String,
}

const VERSION_DECISION: &str = "(SELECT v.decision FROM application_versions v WHERE v.application_id = applications.id
                        ORDER BY v.version DESC LIMIT 1)";

impl Cols {
    /// The received decision only (the detail page reads the adopted one itself).
    fn received_only() -> Cols {
        Cols {
            join: String::new(),
            outcome: "applications.outcome".to_owned(),
            national: "applications.amount_national".to_owned(),
            local: "applications.amount_local".to_owned(),
            decision: format!("COALESCE({VERSION_DECISION}, applications.server_decision)"),
            differs: "1 = 0".to_owned(),
            used: "1 = 0".to_owned(),
        }
    }

    /// The decisions `d` says, the running pack id pushed onto `ps` for the join. One
    /// LEFT JOIN on the adopted table's primary key and plain expressions, in both
    /// dialects: the 100k export stays one streamed query.
    fn of(db: &Db, d: &Decisions, ps: &mut Vec<Param>) -> Cols {
        ps.push(Param::Text(d.running.clone()));
        let n = ps.len();
        // A null-safe "differs" (an amount is NULL when no line of that fund has one).
        let ne = if db.is_postgres() { "IS DISTINCT FROM" } else { "IS NOT" };
        let differs = format!(
            "(c.application_id IS NOT NULL AND (c.current_outcome <> applications.outcome
              OR c.current_amount_national {ne} applications.amount_national
              OR c.current_amount_local {ne} applications.amount_local))"
        );
        let received = Cols::received_only();
        let join = format!(
            " LEFT JOIN application_current c ON c.application_id = applications.id
              AND c.current_pack_id = ${n} AND applications.server_pack_id <> ${n}"
        );
        if d.current {
            // Where the adopted decision agrees, its figures are the received ones; its
            // document is kept only where it differs (else the received one stands).
            Cols {
                join,
                outcome: "COALESCE(c.current_outcome, applications.outcome)".to_owned(),
                national: "CASE WHEN c.application_id IS NULL THEN applications.amount_national \
                           ELSE c.current_amount_national END"
                    .to_owned(),
                local: "CASE WHEN c.application_id IS NULL THEN applications.amount_local \
                        ELSE c.current_amount_local END"
                    .to_owned(),
                decision: format!("COALESCE(c.current_decision, {})", received.decision),
                used: differs.clone(),
                differs,
            }
        } else {
            Cols { join, differs, ..received }
        }
    }
}

/// `WHERE …` (always present) and its parameters, numbered from `$1`, on the received
/// decision.
fn where_clause(db: &Db, scope: Scope, f: &Filter) -> (String, Vec<Param>) {
    where_on(db, scope, f, &Cols::received_only(), Vec::new())
}

/// `WHERE …` on the decision columns `cols`, its parameters numbered after `ps`.
fn where_on(db: &Db, scope: Scope, f: &Filter, cols: &Cols, mut ps: Vec<Param>) -> (String, Vec<Param>) {
    let mut sql = String::from(" WHERE 1 = 1");
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
    if !f.communes.is_empty() {
        sql.push_str(" AND commune_code IN (");
        for (i, c) in f.communes.iter().enumerate() {
            push(&mut sql, if i == 0 { "$?" } else { ", $?" }, Param::I64(*c));
        }
        sql.push(')');
    }
    if let Some(ids) = &f.ids {
        if ids.is_empty() {
            sql.push_str(" AND 1 = 0");
        } else {
            // Ids are integers the server itself read: inline, so any number of them fits.
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            sql.push_str(&format!(" AND id IN ({})", list.join(", ")));
        }
    }
    match f.assigned {
        Some(Assigned::Nobody) => sql.push_str(" AND assigned_to IS NULL"),
        Some(Assigned::Account(a)) => push(&mut sql, " AND assigned_to = $?", Param::I64(a)),
        None => {}
    }
    if let Some(l) = &f.line {
        push(&mut sql, " AND (',' || support_lines || ',') LIKE $?", Param::Text(format!("%,{l},%")));
    }
    match f.fund.as_deref() {
        Some("national") => sql.push_str(&format!(" AND {} > 0", cols.national)),
        Some("local") => sql.push_str(&format!(" AND {} > 0", cols.local)),
        _ => {}
    }
    if let Some(s) = &f.status {
        push(&mut sql, " AND status = $?", Param::Text(s.clone()));
    }
    if let Some(o) = &f.outcome {
        push(&mut sql, &format!(" AND {} = $?", cols.outcome), Param::Text(o.clone()));
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

/// One decision's indexed figures: the outcome id and each fund's total (`None` when no line
/// of that fund has an amount).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub outcome: String,
    pub amount_national: Option<i64>,
    pub amount_local: Option<i64>,
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
    /// The outcome the centre uses ([`Decisions`]): the adopted decision's under `current`
    /// where there is one, else the received one.
    pub outcome: String,
    pub status: String,
    pub drift: bool,
    /// The national fund total the centre uses (as `outcome`).
    pub amount_national: Option<i64>,
    /// The local fund total the centre uses (as `outcome`).
    pub amount_local: Option<i64>,
    /// The decision it was received with (what the applicant was told; a staff correction's).
    pub received: Figures,
    /// The running pack's adopted decision, when it differs from the received one.
    pub adopted: Option<Figures>,
    /// Whether `outcome` and `amount_*` are the adopted decision's.
    pub uses_adopted: bool,
    pub server_pack_id: String,
    /// The `centre-id` of the page it was sent from.
    pub centre_id: Option<String>,
    pub contact_json: Option<String>,
    pub answers_json: String,
    pub assigned_to: Option<i64>,
    pub assigned_email: Option<String>,
    /// The decision used (the adopted one's where it is used, else the newest correction's,
    /// else the server's).
    pub decision_json: String,
}

fn row_columns(db: &Db, c: &Cols) -> String {
    format!(
        "applications.id AS id, receipt_code, {} AS received_text, CAST(province_code AS BIGINT) AS province_code,
         CAST(commune_code AS BIGINT) AS commune_code, support_lines, {} AS outcome, status,
         CAST(CASE WHEN drift THEN 1 ELSE 0 END AS BIGINT) AS drift_int,
         CAST({} AS BIGINT) AS amount_national, CAST({} AS BIGINT) AS amount_local,
         applications.outcome AS received_outcome, CAST(applications.amount_national AS BIGINT) AS received_national,
         CAST(applications.amount_local AS BIGINT) AS received_local,
         CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS adopted_differs,
         CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS adopted_used,
         {} AS adopted_outcome, {} AS adopted_national, {} AS adopted_local,
         server_pack_id, centre_id, CAST(contact AS TEXT) AS contact_text,
         CAST(COALESCE((SELECT v.answers FROM application_versions v WHERE v.application_id = applications.id
                        ORDER BY v.version DESC LIMIT 1), answers) AS TEXT) AS answers_text,
         CAST({} AS TEXT) AS decision_text,
         CAST(assigned_to AS BIGINT) AS assigned_to,
         (SELECT s.email FROM staff_accounts s WHERE s.id = applications.assigned_to) AS assigned_email",
        db.time_col("received_at"),
        c.outcome,
        c.national,
        c.local,
        c.differs,
        c.used,
        if c.join.is_empty() { "CAST(NULL AS TEXT)" } else { "c.current_outcome" },
        if c.join.is_empty() { "CAST(NULL AS BIGINT)" } else { "CAST(c.current_amount_national AS BIGINT)" },
        if c.join.is_empty() { "CAST(NULL AS BIGINT)" } else { "CAST(c.current_amount_local AS BIGINT)" },
        c.decision,
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
            received: Figures {
                outcome: r.try_get("received_outcome")?,
                amount_national: r.try_get("received_national")?,
                amount_local: r.try_get("received_local")?,
            },
            adopted: match (r.try_get::<i64, _>("adopted_differs")?, r.try_get::<Option<String>, _>("adopted_outcome")?)
            {
                (1, Some(outcome)) => Some(Figures {
                    outcome,
                    amount_national: r.try_get("adopted_national")?,
                    amount_local: r.try_get("adopted_local")?,
                }),
                _ => None,
            },
            uses_adopted: r.try_get::<i64, _>("adopted_used")? != 0,
            server_pack_id: r.try_get("server_pack_id")?,
            centre_id: r.try_get("centre_id")?,
            contact_json: r.try_get("contact_text")?,
            answers_json: r.try_get("answers_text")?,
            assigned_to: r.try_get("assigned_to")?,
            assigned_email: r.try_get("assigned_email")?,
            decision_json: r.try_get("decision_text")?,
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
pub async fn list(
    db: &Db,
    scope: Scope,
    d: &Decisions,
    f: &Filter,
    page: i64,
) -> anyhow::Result<(Vec<AppRow>, Totals)> {
    let f = &resolve_search(db, scope, d, f.clone()).await?;
    let mut ps = Vec::new();
    let cols = Cols::of(db, d, &mut ps);
    let (w, ps) = where_on(db, scope, f, &cols, ps);
    let join = &cols.join;
    let n = ps.len();
    let dir = if f.desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT * FROM (SELECT {} FROM applications{join}{w}) AS t ORDER BY {} {dir}, id {dir} LIMIT ${} OFFSET ${}",
        row_columns(db, &cols),
        f.sort.sql().replace("{dir}", dir),
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
    let (nat, loc) = (&cols.national, &cols.local);
    let sql = format!(
        "SELECT status, COUNT(*) AS n,
                CAST(COALESCE(SUM(CASE WHEN COALESCE({nat}, 0) >= COALESCE({loc}, 0)
                                       THEN COALESCE({nat}, 0) ELSE COALESCE({loc}, 0) END), 0) AS BIGINT) AS amount
         FROM applications{join}{w} GROUP BY status"
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
    d: &Decisions,
    f: &Filter,
    tx: tokio::sync::mpsc::Sender<anyhow::Result<AppRow>>,
) -> anyhow::Result<()> {
    let f = &resolve_search(db, scope, d, f.clone()).await?;
    let mut ps = Vec::new();
    let cols = Cols::of(db, d, &mut ps);
    let (w, ps) = where_on(db, scope, f, &cols, ps);
    let sql = format!(
        "SELECT {} FROM applications{}{w} ORDER BY received_at, applications.id",
        row_columns(db, &cols),
        cols.join
    );
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
    pub server_as_of: String,
    pub history: Vec<ReviewEvent>,
    /// Staff corrections, oldest first.
    pub versions: Vec<Version>,
    /// The applicant's own answers (`row.answers_json` is the current version's).
    pub original_answers_json: String,
}

/// One staff correction of the answers.
#[derive(Debug, Clone)]
pub struct Version {
    pub version: i64,
    pub at: OffsetDateTime,
    pub actor: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub comment: String,
    pub answers_json: String,
    pub decision_json: String,
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
                CAST(server_decision AS TEXT) AS server_decision_text, client_pack_id, applicant_comment,
                CAST(server_as_of AS TEXT) AS server_as_of_text, CAST(answers AS TEXT) AS original_answers_text
         FROM applications{w} AND receipt_code = ${}",
        row_columns(db, &Cols::received_only()),
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
                server_as_of: r.try_get("server_as_of_text")?,
                history: Vec::new(),
                versions: Vec::new(),
                original_answers_json: r.try_get("original_answers_text")?,
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
    let sql = format!(
        "SELECT version, {} AS at_text, actor, field, old_value, new_value, comment,
                CAST(answers AS TEXT) AS answers_text, CAST(decision AS TEXT) AS decision_text
         FROM application_versions WHERE application_id = $1 ORDER BY version",
        db.time_col("at")
    );
    read!(db, pool => {
        for r in sqlx::query(&sql).bind(d.row.id).fetch_all(pool).await.context("reading the versions")? {
            d.versions.push(Version {
                version: r.try_get("version")?,
                at: parse_ts(&r.try_get::<String, _>("at_text")?)?,
                actor: r.try_get("actor")?,
                field: r.try_get("field")?,
                old_value: r.try_get("old_value")?,
                new_value: r.try_get("new_value")?,
                comment: r.try_get("comment")?,
                answers_json: r.try_get("answers_text")?,
                decision_json: r.try_get("decision_text")?,
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
    review_many(db, actor, &[code.to_owned()], to, comment, for_applicant, now).await
}

/// [`review`] for several applications at once, all or none: one not in scope is
/// [`ReviewError::NotFound`], one the workflow refuses is [`ReviewError::Transition`], and
/// then nothing changes.
pub async fn review_many(
    db: &Db,
    actor: &Account,
    codes: &[String],
    to: &str,
    comment: &str,
    for_applicant: bool,
    now: OffsetDateTime,
) -> Result<(), ReviewError> {
    let (w, ps) = where_clause(db, actor.scope(), &Filter::default());
    let select = format!("SELECT id, status FROM applications{w} AND receipt_code = ${}", ps.len() + 1);
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
        for code in codes {
            let mut ps = ps.clone();
            ps.push(Param::Text(code.clone()));
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
            let detail = format!(
                "{} → {}{}{}{}{comment}",
                state_vi(&from),
                state_vi(to),
                if for_applicant { " (gửi người nộp)" } else { "" },
                if codes.len() > 1 { " (hàng loạt)" } else { "" },
                if comment.is_empty() { "" } else { ": " }
            );
            sqlx::query(&audit).bind(&at).bind(&actor.email).bind(action).bind(code).bind(detail)
                .execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    Ok(())
}

/// Assigns an application in the actor's scope to `officer` (an active reviewing account
/// whose scope covers it) or to nobody. Audited.
pub async fn assign(db: &Db, actor: &Account, code: &str, officer: Option<i64>) -> Result<(), ReviewError> {
    let (w, mut ps) = where_clause(db, actor.scope(), &Filter::default());
    ps.push(Param::Text(code.to_owned()));
    let select = format!(
        "SELECT id, CAST(province_code AS BIGINT) AS province_code FROM applications{w} AND receipt_code = ${}",
        ps.len()
    );
    let audit = format!(
        "INSERT INTO staff_audit (at, actor, action, target, detail) VALUES ({}, $2, 'assign', $3, $4)",
        db.time_param(1)
    );
    let at = ts(OffsetDateTime::now_utc());
    write!(db, pool => {
        let mut tx = pool.begin().await?;
        let Some(r) = bind_all!(sqlx::query(&select), &ps).fetch_optional(&mut *tx).await? else {
            return Err(ReviewError::NotFound);
        };
        let (id, province): (i64, Option<i64>) = (r.try_get("id")?, r.try_get("province_code")?);
        let email = match officer {
            None => String::new(),
            Some(o) => {
                let acc = sqlx::query(
                    "SELECT id, email, role, CAST(province_code AS BIGINT) AS province_code FROM staff_accounts
                     WHERE id = $1 AND active",
                )
                .bind(o)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(acc) = acc else { return Err(ReviewError::NotFound) };
                let acc = account_of(acc.try_get("id")?, acc.try_get("email")?, &acc.try_get::<String, _>("role")?, acc.try_get("province_code")?)?;
                if !acc.role.can_review() || !acc.scope().allows(province) {
                    return Err(ReviewError::NotFound);
                }
                acc.email
            }
        };
        sqlx::query("UPDATE applications SET assigned_to = $1 WHERE id = $2").bind(officer).bind(id).execute(&mut *tx).await?;
        let detail = if email.is_empty() { "—".to_owned() } else { email };
        sqlx::query(&audit).bind(&at).bind(&actor.email).bind(code).bind(detail).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// The accounts an application in `province` can be assigned to: active admins and
/// province staff of that province (all reviewers when `province` is `None`).
pub async fn officers(db: &Db, scope: Scope) -> anyhow::Result<Vec<Account>> {
    let all = accounts(db).await?;
    Ok(all
        .into_iter()
        .filter(|(a, active)| *active && a.role.can_review())
        .filter(|(a, _)| match scope {
            Scope::All => true,
            Scope::Province(p) => a.role == Role::Admin || a.province_code == Some(p),
        })
        .map(|(a, _)| a)
        .collect())
}

/// A staff correction to store: the whole corrected answers and the engine's decision.
#[derive(Debug, Clone)]
pub struct Correction {
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub comment: String,
    pub answers_json: String,
    pub decision_json: String,
    pub outcome: String,
    pub amount_national: Option<i64>,
    pub amount_local: Option<i64>,
    pub support_lines: String,
    pub drift: bool,
}

/// Stores a correction as the next version of an application in the actor's scope; the
/// application's indexed outcome and amounts follow the new decision (the applicant's
/// original answers and decision stay as they were) and a decision adopted on the old
/// answers is dropped. One transaction with the changes feed and the audit log.
pub async fn correct(
    db: &Db,
    actor: &Account,
    code: &str,
    c: &Correction,
    now: OffsetDateTime,
) -> Result<i64, ReviewError> {
    let (w, mut ps) = where_clause(db, actor.scope(), &Filter::default());
    ps.push(Param::Text(code.to_owned()));
    let select = format!("SELECT id FROM applications{w} AND receipt_code = ${}", ps.len());
    let json = |n: usize| if db.is_postgres() { format!("${n}::jsonb") } else { format!("${n}") };
    let insert = format!(
        "INSERT INTO application_versions (application_id, version, at, actor, field, old_value, new_value, comment,
                                           answers, decision, outcome, amount_national, amount_local)
         VALUES ($1, $2, {}, $4, $5, $6, $7, $8, {}, {}, $11, $12, $13)",
        db.time_param(3),
        json(9),
        json(10)
    );
    let update = format!(
        "UPDATE applications SET outcome = $1, amount_national = $2, amount_local = $3, support_lines = $4,
                updated_at = {}, last_change_seq = $6, drift = $7 WHERE id = $8",
        db.time_param(5)
    );
    let change =
        format!("INSERT INTO changes (seq, application_id, kind, at) VALUES ($1, $2, 'updated', {})", db.time_param(3));
    let audit = format!(
        "INSERT INTO staff_audit (at, actor, action, target, detail) VALUES ({}, $2, 'correction', $3, $4)",
        db.time_param(1)
    );
    let at = ts(now);
    let version = write!(db, pool => {
        let mut tx = pool.begin().await?;
        let Some(r) = bind_all!(sqlx::query(&select), &ps).fetch_optional(&mut *tx).await? else {
            return Err(ReviewError::NotFound);
        };
        let id: i64 = r.try_get("id")?;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM application_versions WHERE application_id = $1")
            .bind(id).fetch_one(&mut *tx).await?;
        let version = last.unwrap_or(0) + 1;
        sqlx::query(&insert)
            .bind(id).bind(version).bind(&at).bind(&actor.email).bind(&c.field).bind(&c.old_value).bind(&c.new_value)
            .bind(&c.comment).bind(&c.answers_json).bind(&c.decision_json).bind(&c.outcome)
            .bind(c.amount_national).bind(c.amount_local)
            .execute(&mut *tx).await?;
        let seq: i64 = sqlx::query_scalar("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value")
            .fetch_one(&mut *tx).await?;
        sqlx::query(&update)
            .bind(&c.outcome).bind(c.amount_national).bind(c.amount_local).bind(&c.support_lines).bind(&at).bind(seq)
            .bind(c.drift).bind(id)
            .execute(&mut *tx).await?;
        sqlx::query(&change).bind(seq).bind(id).bind(&at).execute(&mut *tx).await?;
        // The correction is decided under the running pack, on the new answers: a decision
        // adopted before it, on the old answers, no longer holds (the next adoption pass
        // decides the corrected answers again where the pack differs).
        sqlx::query("DELETE FROM application_current WHERE application_id = $1").bind(id).execute(&mut *tx).await?;
        let detail = format!(
            "phiên bản {version}, {}: {} → {}; {}",
            super::labels::label(super::html::Lang::Vi, super::labels::Kind::Answer, &c.field),
            c.old_value,
            c.new_value,
            c.comment
        );
        sqlx::query(&audit).bind(&at).bind(&actor.email).bind(code).bind(detail).execute(&mut *tx).await?;
        tx.commit().await?;
        version
    });
    Ok(version)
}

fn state_vi(id: &str) -> String {
    super::labels::label(super::html::Lang::Vi, super::labels::Kind::State, id)
}

/// An account's role and province in words, for the audit log.
pub fn account_detail(role: Role, province_code: Option<i64>) -> String {
    let role_vi = super::labels::label(super::html::Lang::Vi, super::labels::Kind::Role, role.id());
    match province_code.and_then(|p| u16::try_from(p).ok()).and_then(|p| kc_rulepack::bundled().province(p)) {
        Some(p) => format!("{role_vi}, {}", p.name),
        None => role_vi,
    }
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

// ---- account management --------------------------------------------------------------------

/// Every account (active or not), by e-mail.
pub async fn accounts(db: &Db) -> anyhow::Result<Vec<(Account, bool)>> {
    let mut out = Vec::new();
    read!(db, pool => {
        let rows = sqlx::query(
            "SELECT id, email, role, CAST(province_code AS BIGINT) AS province_code,
                    CAST(CASE WHEN active THEN 1 ELSE 0 END AS BIGINT) AS active_int
             FROM staff_accounts ORDER BY email",
        )
        .fetch_all(pool)
        .await?;
        for r in rows {
            let a = account_of(r.try_get("id")?, r.try_get("email")?, &r.try_get::<String, _>("role")?, r.try_get("province_code")?)?;
            out.push((a, r.try_get::<i64, _>("active_int")? != 0));
        }
    });
    Ok(out)
}

/// Why an account change was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// No such account.
    #[error("no such account")]
    NotFound,
    /// It would leave no active admin.
    #[error("last admin")]
    LastAdmin,
    /// Anything else.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        AccountError::Other(e.into())
    }
}

/// Sets an account's role, province and active flag, refusing to leave no active admin.
/// Disabling ends the account's sessions (they require an active account). Audited.
pub async fn update_account(
    db: &Db,
    actor: &str,
    id: i64,
    role: Role,
    province_code: Option<i64>,
    active: bool,
) -> Result<(), AccountError> {
    let audit = format!(
        "INSERT INTO staff_audit (at, actor, action, target, detail) VALUES ({}, $2, $3, $4, $5)",
        db.time_param(1)
    );
    let at = ts(OffsetDateTime::now_utc());
    write!(db, pool => {
        let mut tx = pool.begin().await?;
        let Some(r) = sqlx::query(
            "SELECT email, role, CAST(CASE WHEN active THEN 1 ELSE 0 END AS BIGINT) AS active_int FROM staff_accounts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Err(AccountError::NotFound);
        };
        let (email, was_role, was_active): (String, String, bool) =
            (r.try_get("email")?, r.try_get("role")?, r.try_get::<i64, _>("active_int")? != 0);
        if was_role == "admin" && was_active && (role != Role::Admin || !active) {
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM staff_accounts WHERE role = 'admin' AND active AND id <> $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if others == 0 {
                return Err(AccountError::LastAdmin);
            }
        }
        let province_code = if role == Role::Admin { None } else { province_code };
        sqlx::query("UPDATE staff_accounts SET role = $1, province_code = $2, active = $3 WHERE id = $4")
            .bind(role.id()).bind(province_code).bind(active).bind(id)
            .execute(&mut *tx).await?;
        let action = match (was_active, active) {
            (true, false) => "account_disable",
            (false, true) => "account_enable",
            _ => "account_update",
        };
        let detail = account_detail(role, province_code);
        sqlx::query(&audit).bind(&at).bind(actor).bind(action).bind(&email).bind(detail.trim()).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Sets an account's password hash and ends its other sessions (all of them when
/// `keep_session` is `None`).
pub async fn set_password(db: &Db, id: i64, hash: &str, keep_session: Option<&str>) -> anyhow::Result<bool> {
    let keep = keep_session.map(super::auth::token_hash).unwrap_or_default();
    let n = write!(db, pool => {
        let mut tx = pool.begin().await?;
        let n = sqlx::query("UPDATE staff_accounts SET password_hash = $1 WHERE id = $2")
            .bind(hash).bind(id).execute(&mut *tx).await?.rows_affected();
        sqlx::query("DELETE FROM staff_sessions WHERE account_id = $1 AND token_hash <> $2")
            .bind(id).bind(&keep).execute(&mut *tx).await?;
        tx.commit().await?;
        n
    });
    Ok(n == 1)
}

/// The password hash of an account.
pub async fn password_hash(db: &Db, id: i64) -> anyhow::Result<Option<String>> {
    let h = read!(db, pool => {
        sqlx::query_scalar::<_, String>("SELECT password_hash FROM staff_accounts WHERE id = $1").bind(id).fetch_optional(pool).await?
    });
    Ok(h)
}

/// One API token (never the token itself).
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: i64,
    pub email: String,
    pub label: String,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

/// API tokens: an account's own, or everyone's (`None`).
pub async fn api_tokens(db: &Db, account: Option<i64>) -> anyhow::Result<Vec<TokenInfo>> {
    let sql = format!(
        "SELECT t.id, a.email, t.label, {} AS created_text, {} AS revoked_text
         FROM staff_api_tokens t JOIN staff_accounts a ON a.id = t.account_id
         WHERE ($1 = 0 OR t.account_id = $1) ORDER BY t.id DESC",
        db.time_col("t.created_at"),
        db.time_col("t.revoked_at")
    );
    let mut out = Vec::new();
    read!(db, pool => {
        for r in sqlx::query(&sql).bind(account.unwrap_or(0)).fetch_all(pool).await? {
            out.push(TokenInfo {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                label: r.try_get("label")?,
                created_at: parse_ts(&r.try_get::<String, _>("created_text")?)?,
                revoked_at: r.try_get::<Option<String>, _>("revoked_text")?.map(|t| parse_ts(&t)).transpose()?,
            });
        }
    });
    Ok(out)
}

/// Revokes a token (of `account` only, unless `None`: an admin). Returns the label when
/// one was revoked.
pub async fn revoke_api_token(db: &Db, id: i64, account: Option<i64>) -> anyhow::Result<Option<String>> {
    let sql = format!(
        "UPDATE staff_api_tokens SET revoked_at = {} WHERE id = $2 AND ($3 = 0 OR account_id = $3) AND revoked_at IS NULL
         RETURNING label",
        db.time_param(1)
    );
    let label = write!(db, pool => {
        sqlx::query_scalar::<_, String>(&sql)
            .bind(ts(OffsetDateTime::now_utc())).bind(id).bind(account.unwrap_or(0))
            .fetch_optional(pool).await?
    });
    Ok(label)
}

// ---- yearly fund plans ----------------------------------------------------------------------

/// The planned amounts of `year` for a scope: (fund id, amount).
pub async fn plans(db: &Db, scope: Scope, year: i32) -> anyhow::Result<Vec<(String, i64)>> {
    let province = match scope {
        Scope::All => -1,
        Scope::Province(p) => p,
    };
    let mut out = Vec::new();
    read!(db, pool => {
        let rows = sqlx::query(
            "SELECT fund, CAST(amount AS BIGINT) AS amount FROM staff_fund_plans
             WHERE year = $1 AND COALESCE(province_code, -1) = $2 ORDER BY fund",
        )
        .bind(i64::from(year)).bind(province)
        .fetch_all(pool)
        .await?;
        for r in rows {
            out.push((r.try_get("fund")?, r.try_get("amount")?));
        }
    });
    Ok(out)
}

/// Sets (or, with `None`, clears) the planned amount of a fund for a year and a scope. Audited.
pub async fn set_plan(
    db: &Db,
    actor: &str,
    scope: Scope,
    year: i32,
    fund: &str,
    amount: Option<i64>,
) -> anyhow::Result<()> {
    let province = match scope {
        Scope::All => None,
        Scope::Province(p) => Some(p),
    };
    let insert = format!(
        "INSERT INTO staff_fund_plans (year, province_code, fund, amount, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, {}, $6)",
        db.time_param(5)
    );
    let audit = format!(
        "INSERT INTO staff_audit (at, actor, action, target, detail) VALUES ({}, $2, 'plan_set', $3, $4)",
        db.time_param(1)
    );
    let at = ts(OffsetDateTime::now_utc());
    write!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM staff_fund_plans WHERE year = $1 AND COALESCE(province_code, -1) = $2 AND fund = $3")
            .bind(i64::from(year)).bind(province.unwrap_or(-1)).bind(fund)
            .execute(&mut *tx).await?;
        if let Some(a) = amount {
            sqlx::query(&insert).bind(i64::from(year)).bind(province).bind(fund).bind(a).bind(&at).bind(actor)
                .execute(&mut *tx).await?;
        }
        let target = format!("{year} {fund} {}", province.map(|p| p.to_string()).unwrap_or_default());
        sqlx::query(&audit).bind(&at).bind(actor).bind(target.trim()).bind(amount.map(|a| a.to_string()).unwrap_or_default())
            .execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
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
