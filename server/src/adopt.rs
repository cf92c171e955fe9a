//! Adopting a new rule pack: stored applications keep the decision they were received with
//! and gain the running pack's decision beside it. Nothing is overwritten.
//!
//! The decision an application was received with (`server_decision`, `server_pack_id`, and
//! the indexed `outcome` / `amount_*`, which follow a staff correction) is what the applicant
//! was told. When the server starts with another pack (`pack_file`), every application whose
//! `server_pack_id` and `current_pack_id` both differ from the running pack's id is decided
//! again, from its answers as they stand (the newest staff correction's, else the
//! applicant's), at its stored `server_as_of` date, and the result goes into
//! `application_current`, one row per application beside it (migration `0302`; the
//! applications' own rows are never written). Rows decided under the running pack need
//! nothing.
//!
//! The pass runs in the background at start ([`spawn`]: serving does not wait), in batches
//! by id, each batch evaluated off the async runtime and written in one statement; it is
//! idempotent (a row done under this pack is skipped) and resumable (a restart picks up the
//! rows not done yet). `kc-server adopt` runs it synchronously and prints the counts.
//!
//! Which decision the centre uses is a setting (`decision_policy`, [`DecisionPolicy`]); the
//! status view, the receipt page and the staff detail page say which, and show both when
//! they differ; the staff list, the overview and the exports count the one used and the
//! exports carry both (`crate::staff::store::Decisions`).

use anyhow::Context;
use kc_rules::{Application, Fund, RulePack};
use serde::Serialize;
use sqlx::Row;
use time::{Date, OffsetDateTime};
use tokio::sync::watch;

use crate::config::DecisionPolicy;
use crate::staff::db::{Db, bind_all, parse_ts, read, ts, write};
use crate::store::Store;

/// Applications read, decided and written at a time.
pub const BATCH: i64 = 2000;

/// What one adoption pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Applications decided under another pack and not yet under this one.
    pub considered: u64,
    /// Given this pack's decision.
    pub adopted: u64,
    /// Of those, how many this pack decides differently (outcome or either fund's amount).
    pub differ: u64,
    /// Whose answers no longer decode or that the engine refused (logged, left as they were).
    pub failed: u64,
}

/// The running pack's decision of one stored application, ready to write.
#[derive(Debug, Clone)]
struct Decided {
    id: i64,
    /// The whole decision, only when it differs from the received one (see [`run`]).
    decision_json: Option<String>,
    outcome: &'static str,
    amount_national: Option<i64>,
    amount_local: Option<i64>,
    differs: bool,
}

/// A stored application to decide again.
#[derive(Debug, Clone)]
struct Pending {
    id: i64,
    receipt_code: String,
    answers_json: String,
    as_of: Date,
    outcome: String,
    amount_national: Option<i64>,
    amount_local: Option<i64>,
}

/// Each fund's requested support as the store indexes it: `None` when no line of that fund
/// has an amount (the same rule as a submission's).
pub fn amounts(d: &kc_rules::Decision) -> (Option<i64>, Option<i64>) {
    let amount = |fund| d.support.iter().any(|s| s.fund == fund && s.amount.is_some()).then(|| d.total(fund).to_i64());
    (amount(Fund::National), amount(Fund::Local))
}

/// Starts the adoption pass in the background; the receiver holds its counts once done
/// (`None` while it runs, or when it failed: the failure is logged and the next start
/// resumes).
pub fn spawn(store: Store, pack: &'static RulePack) -> watch::Receiver<Option<Counts>> {
    let (tx, rx) = watch::channel(None);
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match run(&store, pack).await {
            Ok(c) => {
                if c.considered > 0 {
                    tracing::info!(
                        pack = %pack.id,
                        considered = c.considered,
                        adopted = c.adopted,
                        differ = c.differ,
                        failed = c.failed,
                        secs = started.elapsed().as_secs_f64(),
                        "stored applications decided under the running pack (beside their received decision)"
                    );
                }
                let _ = tx.send(Some(c));
            }
            Err(e) => tracing::error!(error = ?e, "adopting the running pack stopped; the next start resumes"),
        }
    });
    rx
}

/// One whole pass: every application not yet decided under `pack`, in batches.
///
/// Every application gets `current_pack_id`, `current_outcome`, `current_amount_*` and `current_at`;
/// the whole decision (`current_decision`, ~10 KB of JSON) only where it differs from the
/// received one in the outcome or a fund's amount. Where it agrees, the received decision
/// stands for it: writing 100,000 decisions that say the same thing again cost 40 s of disk
/// writes on SQLite (two shared cores), more than everything else together.
pub async fn run(store: &Store, pack: &'static RulePack) -> anyhow::Result<Counts> {
    let db = Db::of(store);
    let mut counts = Counts::default();
    let mut after = 0_i64;
    loop {
        let batch = pending(&db, &pack.id, after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        counts.considered += batch.len() as u64;
        let (decided, failed) =
            tokio::task::spawn_blocking(move || decide(pack, &batch)).await.context("the adoption worker stopped")?;
        counts.failed += failed;
        counts.differ += decided.iter().filter(|d| d.differs).count() as u64;
        counts.adopted += write_current(&db, &pack.id, &decided, OffsetDateTime::now_utc()).await?;
    }
    Ok(counts)
}

fn decide(pack: &'static RulePack, batch: &[Pending]) -> (Vec<Decided>, u64) {
    let mut failed = 0;
    let mut out = Vec::with_capacity(batch.len());
    for p in batch {
        let decided = serde_json::from_str::<Application>(&p.answers_json)
            .map_err(|e| e.to_string())
            .and_then(|app| kc_rules::evaluate(pack, &app, p.as_of).map_err(|e| e.to_string()))
            .and_then(|d| {
                let (amount_national, amount_local) = amounts(&d);
                let outcome = d.outcome.id();
                let differs =
                    outcome != p.outcome || amount_national != p.amount_national || amount_local != p.amount_local;
                let json = differs.then(|| serde_json::to_string(&d)).transpose().map_err(|e| e.to_string())?;
                Ok(Decided { id: p.id, decision_json: json, outcome, amount_national, amount_local, differs })
            });
        match decided {
            Ok(d) => out.push(d),
            Err(e) => {
                failed += 1;
                tracing::warn!(receipt = %p.receipt_code, error = %e, "could not decide a stored application under the running pack");
            }
        }
    }
    (out, failed)
}

async fn pending(db: &Db, pack_id: &str, after: i64, limit: i64) -> anyhow::Result<Vec<Pending>> {
    let sql = "SELECT a.id, a.receipt_code, a.outcome, CAST(a.amount_national AS BIGINT) AS amount_national,
                      CAST(a.amount_local AS BIGINT) AS amount_local, CAST(a.server_as_of AS TEXT) AS as_of_text,
                      CAST(COALESCE((SELECT v.answers FROM application_versions v
                                     WHERE v.application_id = a.id
                                     ORDER BY v.version DESC LIMIT 1), a.answers) AS TEXT) AS answers_text
               FROM applications a LEFT JOIN application_current c ON c.application_id = a.id
               WHERE a.id > $1 AND a.server_pack_id <> $2 AND (c.current_pack_id IS NULL OR c.current_pack_id <> $2)
               ORDER BY a.id LIMIT $3";
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    read!(db, pool => {
        let rows = sqlx::query(sql).bind(after).bind(pack_id).bind(limit).fetch_all(pool).await
            .context("reading applications to adopt")?;
        rows.iter()
            .map(|r| {
                Ok(Pending {
                    id: r.try_get("id")?,
                    receipt_code: r.try_get("receipt_code")?,
                    answers_json: r.try_get("answers_text")?,
                    as_of: Date::parse(&r.try_get::<String, _>("as_of_text")?, &fmt)?,
                    outcome: r.try_get("outcome")?,
                    amount_national: r.try_get("amount_national")?,
                    amount_local: r.try_get("amount_local")?,
                })
            })
            .collect()
    })
}

/// Writes a batch in one statement, into `application_current` only.
async fn write_current(db: &Db, pack_id: &str, decided: &[Decided], now: OffsetDateTime) -> anyhow::Result<u64> {
    if decided.is_empty() {
        return Ok(0);
    }
    let rows: Vec<serde_json::Value> = decided
        .iter()
        .map(|d| serde_json::json!([d.id, d.decision_json, d.outcome, d.amount_national, d.amount_local]))
        .collect();
    let rows = serde_json::Value::Array(rows).to_string();
    let sql = if db.is_postgres() {
        "INSERT INTO application_current (application_id, current_pack_id, current_decision, current_outcome,
                                          current_amount_national, current_amount_local, current_at)
         SELECT (j.value ->> 0)::bigint, $1, (j.value ->> 1)::jsonb, j.value ->> 2, (j.value ->> 3)::bigint,
                (j.value ->> 4)::bigint, $3::timestamptz
         FROM jsonb_array_elements($2::jsonb) AS j(value)
         ON CONFLICT (application_id) DO UPDATE SET current_pack_id = EXCLUDED.current_pack_id,
             current_decision = EXCLUDED.current_decision, current_outcome = EXCLUDED.current_outcome,
             current_amount_national = EXCLUDED.current_amount_national,
             current_amount_local = EXCLUDED.current_amount_local, current_at = EXCLUDED.current_at"
    } else {
        // `WHERE true`: SQLite's parser needs it before an upsert's ON CONFLICT after a SELECT.
        "INSERT INTO application_current (application_id, current_pack_id, current_decision, current_outcome,
                                          current_amount_national, current_amount_local, current_at)
         SELECT j.value ->> 0, $1, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, $3
         FROM json_each($2) AS j WHERE true
         ON CONFLICT (application_id) DO UPDATE SET current_pack_id = excluded.current_pack_id,
             current_decision = excluded.current_decision, current_outcome = excluded.current_outcome,
             current_amount_national = excluded.current_amount_national,
             current_amount_local = excluded.current_amount_local, current_at = excluded.current_at"
    };
    let done = write!(db, pool => {
        sqlx::query(sql).bind(pack_id).bind(&rows).bind(ts(now)).execute(pool).await
            .context("storing the running pack's decisions")?.rows_affected()
    });
    Ok(done)
}

/// The running pack's decision of a stored application, beside the one it was received with.
#[derive(Debug, Clone)]
pub struct Current {
    /// The running pack's id.
    pub pack_id: String,
    /// The date both decisions are taken at (`server_as_of`).
    pub as_of: String,
    /// The whole decision, stored when it differs from the received one.
    pub decision_json: Option<String>,
    /// Its outcome id.
    pub outcome: String,
    /// Its national fund total, when some line of that fund has an amount.
    pub amount_national: Option<i64>,
    /// Its local fund total, likewise.
    pub amount_local: Option<i64>,
    /// When it was decided.
    pub at: Option<OffsetDateTime>,
    /// The stored (received) outcome id.
    pub received_outcome: String,
    /// The stored national total.
    pub received_national: Option<i64>,
    /// The stored local total.
    pub received_local: Option<i64>,
}

impl Current {
    /// Whether the running pack decides differently (outcome or either fund's amount).
    pub fn differs(&self) -> bool {
        self.outcome != self.received_outcome
            || self.amount_national != self.received_national
            || self.amount_local != self.received_local
    }

    /// Whether the centre uses this decision rather than the received one.
    pub fn used(&self, policy: DecisionPolicy) -> bool {
        policy == DecisionPolicy::Current && self.differs()
    }
}

/// The running pack's (`running`) decision of the application with this (normalised)
/// receipt code, if it has one: `None` for an application received under the running pack,
/// not yet adopted, or adopted under another pack since replaced.
pub async fn current_of(db: &Db, receipt_code: &str, running: &str) -> anyhow::Result<Option<Current>> {
    let sql = format!(
        "SELECT a.server_pack_id, CAST(a.server_as_of AS TEXT) AS as_of_text, a.outcome,
                CAST(a.amount_national AS BIGINT) AS amount_national, CAST(a.amount_local AS BIGINT) AS amount_local,
                c.current_pack_id, CAST(c.current_decision AS TEXT) AS current_decision_text, c.current_outcome,
                CAST(c.current_amount_national AS BIGINT) AS current_amount_national,
                CAST(c.current_amount_local AS BIGINT) AS current_amount_local, {} AS current_at_text
         FROM applications a LEFT JOIN application_current c ON c.application_id = a.id
         WHERE a.receipt_code = $1",
        db.time_col("c.current_at")
    );
    let params = [crate::staff::db::Param::Text(receipt_code.to_owned())];
    read!(db, pool => {
        let Some(r) = bind_all!(sqlx::query(&sql), &params).fetch_optional(pool).await
            .context("reading the running pack's decision")? else { return Ok(None) };
        let server_pack: String = r.try_get("server_pack_id")?;
        let current_pack: Option<String> = r.try_get("current_pack_id")?;
        let (Some(pack_id), Some(outcome)) = (
            current_pack.filter(|p| p == running && server_pack != running),
            r.try_get::<Option<String>, _>("current_outcome")?,
        ) else {
            return Ok(None);
        };
        let decision_json = r.try_get::<Option<String>, _>("current_decision_text")?;
        Ok(Some(Current {
            pack_id,
            as_of: r.try_get("as_of_text")?,
            decision_json,
            outcome,
            amount_national: r.try_get("current_amount_national")?,
            amount_local: r.try_get("current_amount_local")?,
            at: r.try_get::<Option<String>, _>("current_at_text")?.map(|t| parse_ts(&t)).transpose()?,
            received_outcome: r.try_get("outcome")?,
            received_national: r.try_get("amount_national")?,
            received_local: r.try_get("amount_local")?,
        }))
    })
}

const USAGE: &str = "usage: kc-server adopt [--config FILE]
  Decides every stored application received under another rule pack again under the running
  one (`pack_file`, else the bundled pack), at its stored date, and keeps that decision beside
  the received one. Nothing is overwritten; running it again does nothing new.";

/// `kc-server adopt [--config FILE]`: the pass, synchronously, with its counts.
pub async fn cli(args: Vec<String>) -> anyhow::Result<()> {
    let mut config = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--config" => {
                config = Some(std::path::PathBuf::from(
                    it.next().ok_or_else(|| anyhow::anyhow!("--config needs a file\n{USAGE}"))?,
                ))
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => anyhow::bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let settings = crate::Settings::load(config.as_deref())?;
    let pack = settings.pack()?;
    let store = crate::startup::connect(&settings).await?;
    store.migrate().await?;
    let started = std::time::Instant::now();
    let c = run(&store, pack).await?;
    println!("bộ quy tắc đang áp dụng / running pack: {}", pack.id);
    println!(
        "{} hồ sơ cần đánh giá lại / to decide again; {} đã có kết quả mới bên cạnh kết quả cũ / given the new decision beside the received one; {} khác kết quả khi nhận / differ from the received one; {} lỗi / failed",
        c.considered, c.adopted, c.differ, c.failed
    );
    eprintln!("{:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}
