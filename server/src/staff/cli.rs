//! `kc-server staff …`: account and token administration from the command line.
//!
//! ```text
//! kc-server staff add --email E --role admin|province_staff|viewer [--province CODE] [--config FILE]
//! kc-server staff token --email E --label L [--config FILE]
//! kc-server staff bench-seed --rows N [--config FILE]     (SQLite; `cargo xtask bench-export`)
//! ```
//!
//! The password of `add` is read from `KC_STAFF_PASSWORD`, or else from the first line of
//! standard input, never from the command line (it would stay in the shell history).

use std::path::PathBuf;

use anyhow::Context;

use super::auth::{self, Role};
use super::db::Db;
use super::store;
use crate::config::Settings;

const USAGE: &str = "usage: kc-server staff add --email E --role admin|province_staff|viewer [--province CODE] [--config FILE]\n       kc-server staff token --email E --label L [--config FILE]";

/// Minimum password length.
pub const MIN_PASSWORD: usize = 10;

/// Runs a `staff` subcommand with the arguments after `staff`.
pub async fn run(args: Vec<String>) -> anyhow::Result<()> {
    let mut it = args.into_iter();
    let sub = it.next().ok_or_else(|| anyhow::anyhow!("{USAGE}"))?;
    let (mut email, mut role, mut province, mut label, mut config, mut rows) = (None, None, None, None, None, None);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| anyhow::anyhow!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--email" => email = Some(value()?),
            "--role" => role = Some(value()?),
            "--province" => province = Some(value()?),
            "--label" => label = Some(value()?),
            "--config" => config = Some(PathBuf::from(value()?)),
            "--rows" => rows = Some(value()?.parse::<usize>().context("--rows must be a number")?),
            other => anyhow::bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let settings = Settings::load(config.as_deref())?;
    let store = crate::startup::connect(&settings).await?;
    store.migrate().await?;
    let db = Db::of(&store);
    if sub == "bench-seed" {
        return bench_seed(&db, rows.unwrap_or(100_000)).await;
    }
    let email = email.ok_or_else(|| anyhow::anyhow!("--email is required\n{USAGE}"))?.trim().to_lowercase();
    match sub.as_str() {
        "add" => {
            let role_s = role.ok_or_else(|| anyhow::anyhow!("--role is required\n{USAGE}"))?;
            let role = Role::parse(&role_s).ok_or_else(|| anyhow::anyhow!("unknown role {role_s:?}\n{USAGE}"))?;
            let province =
                province.map(|p| p.parse::<i64>().context("--province must be a province code")).transpose()?;
            match (role, province) {
                (Role::Admin, Some(_)) => anyhow::bail!("an admin sees every province: leave out --province"),
                (Role::ProvinceStaff | Role::Viewer, None) => anyhow::bail!("{} needs --province CODE", role.id()),
                (_, Some(p)) => {
                    let known = u16::try_from(p).ok().and_then(|c| kc_rulepack::bundled().province(c)).is_some();
                    anyhow::ensure!(known, "unknown province code {p}");
                }
                _ => {}
            }
            anyhow::ensure!(email.contains('@'), "--email must be an e-mail address");
            let password = match std::env::var("KC_STAFF_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("password (one line on standard input):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            anyhow::ensure!(
                password.chars().count() >= MIN_PASSWORD,
                "the password needs at least {MIN_PASSWORD} characters"
            );
            let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
            let id = store::create_account(&db, &email, &hash, role, province).await?;
            let detail = format!("role={} province={}", role.id(), province.map(|p| p.to_string()).unwrap_or_default());
            store::audit(&db, "cli", "account_create", &email, &detail).await?;
            println!("created staff account {id}: {email} ({detail})");
        }
        "token" => {
            let label = label.ok_or_else(|| anyhow::anyhow!("--label is required\n{USAGE}"))?;
            let (account, _) = store::account_by_email(&db, &email)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no active account {email}"))?;
            let token = store::create_api_token(&db, account.id, &label).await?;
            store::audit(&db, "cli", "token_create", &email, &label).await?;
            println!("{token}");
        }
        other => anyhow::bail!("unknown staff command {other:?}\n{USAGE}"),
    }
    Ok(())
}

/// Inserts `rows` realistic applications in one transaction (SQLite only): 400 distinct
/// submissions across every province, decided by the server's own `recheck`, repeated with
/// fresh ids, receipt codes, contacts (Vietnamese names) and receive times over 180 days.
async fn bench_seed(db: &Db, rows: usize) -> anyhow::Result<()> {
    use kc_rules::{Line, LineRequest, Subject, Vnd};
    let Db::Sqlite { writer, .. } = db else { anyhow::bail!("bench-seed writes SQLite only") };
    let pack = kc_rulepack::bundled();
    let now = time::OffsetDateTime::now_utc();
    let names = [
        "Cơ sở mây tre đan Phú Vinh",
        "Hộ kinh doanh Nguyễn Thị Ánh",
        "HTX gốm sứ Bát Tràng",
        "Công ty TNHH cơ khí Đức Hưng",
        "Cơ sở chế biến chè Thái Nguyên",
    ];
    let lines = [Line::Machinery, Line::TechnologyLine, Line::DemoModel, Line::Training];
    let mut templates = Vec::new();
    for i in 0..400usize {
        let commune = &pack.communes[(i * 7919) % pack.communes.len()];
        let line = lines[i % lines.len()];
        let mut app = kc_rules::Application {
            lines: vec![LineRequest {
                line,
                cost: Some(Vnd::new(100_000_000 + (i as i64 % 40) * 25_000_000)?),
                learners: (line == Line::Training).then_some(20),
            }],
            subject: Some(if i % 3 == 0 { Subject::Cooperative } else { Subject::HouseholdBusiness }),
            ..kc_rules::Application::default()
        };
        app.location.commune_code = Some(commune.code);
        app.conditions.equipment_new = Some(true);
        app.conditions.no_other_state_funding = Some(true);
        app.conditions.counterpart_funding = Some(i % 5 != 0);
        let as_of = now.to_offset(kc_rules::VIETNAM).date();
        let decision = kc_rules::evaluate(pack, &app, as_of)?;
        let submission = kc_api::Submission {
            client_id: uuid::Uuid::nil(),
            client_pack_id: decision.pack_id.to_string(),
            client_as_of: as_of,
            client_decision: decision,
            application: app,
            contact: Some(kc_api::Contact {
                name: names[i % names.len()].to_owned(),
                phone: Some(format!("09{i:08}")),
                email: None,
            }),
            centre_id: None,
        };
        let row = crate::recheck::recheck(pack, &submission, now).map_err(|e| anyhow::anyhow!("recheck: {e}"))?;
        templates.push(row);
    }
    let mut tx = writer.begin().await?;
    let start: i64 = sqlx::query_scalar("SELECT value FROM change_counter WHERE id = 1").fetch_one(&mut *tx).await?;
    for i in 0..rows {
        let t = &templates[i % templates.len()];
        let seq = start + i as i64 + 1;
        let received = now - time::Duration::seconds(((rows - i) as i64 * 15_552_000) / rows.max(1) as i64);
        let at = super::db::ts(received);
        let contact = format!(r#"{{"name":"{} {}","phone":"09{:08}"}}"#, names[i % names.len()], i, i);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO applications (client_id, receipt_code, content_hash, received_at, updated_at, answers, contact,
                centre_id, client_as_of, client_decision, client_pack_id, server_as_of, server_decision, server_pack_id,
                drift, outcome, amount_national, amount_local, province_code, commune_code, support_line, support_lines,
                last_change_seq)
             VALUES ($1, $2, $3, $4, $4, $5, $6, NULL, $7, $8, $9, $7, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
             RETURNING id",
        )
        .bind({
            let mut b = [0u8; 16];
            getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
            uuid::Builder::from_random_bytes(b).into_uuid().to_string()
        })
        .bind(crate::codes::receipt())
        .bind(&t.content_hash)
        .bind(&at)
        .bind(&t.answers_json)
        .bind(&contact)
        .bind(t.server_as_of.to_string())
        .bind(&t.client_decision_json)
        .bind(&t.client_pack_id)
        .bind(&t.server_decision_json)
        .bind(&t.server_pack_id)
        .bind(i % 50 == 0)
        .bind(&t.outcome)
        .bind(t.amount_national)
        .bind(t.amount_local)
        .bind(t.province_code)
        .bind(t.commune_code)
        .bind(&t.support_line)
        .bind(&t.support_lines)
        .bind(seq)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO changes (seq, application_id, kind, at) VALUES ($1, $2, 'created', $3)")
            .bind(seq)
            .bind(id)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE change_counter SET value = $1 WHERE id = 1")
        .bind(start + rows as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    println!("seeded {rows} applications");
    Ok(())
}
