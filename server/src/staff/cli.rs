//! `kc-server staff …`: account and token administration from the command line.
//!
//! ```text
//! kc-server staff add --email E --role admin|province_staff|viewer [--province CODE] [--config FILE]
//! kc-server staff token --email E --label L [--config FILE]
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
    let (mut email, mut role, mut province, mut label, mut config) = (None, None, None, None, None);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| anyhow::anyhow!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--email" => email = Some(value()?),
            "--role" => role = Some(value()?),
            "--province" => province = Some(value()?),
            "--label" => label = Some(value()?),
            "--config" => config = Some(PathBuf::from(value()?)),
            other => anyhow::bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let settings = Settings::load(config.as_deref())?;
    let store = crate::startup::connect(&settings).await?;
    store.migrate().await?;
    let db = Db::of(&store);
    let email = email.ok_or_else(|| anyhow::anyhow!("--email is required\n{USAGE}"))?.trim().to_lowercase();
    match sub.as_str() {
        "add" => {
            let role_s = role.ok_or_else(|| anyhow::anyhow!("--role is required\n{USAGE}"))?;
            let role = Role::parse(&role_s).ok_or_else(|| anyhow::anyhow!("unknown role {role_s:?}\n{USAGE}"))?;
            let province = province.map(|p| p.parse::<i64>().context("--province must be a province code")).transpose()?;
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
            anyhow::ensure!(password.chars().count() >= MIN_PASSWORD, "the password needs at least {MIN_PASSWORD} characters");
            let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
            let id = store::create_account(&db, &email, &hash, role, province).await?;
            let detail = format!("role={} province={}", role.id(), province.map(|p| p.to_string()).unwrap_or_default());
            store::audit(&db, "cli", "account_create", &email, &detail).await?;
            println!("created staff account {id}: {email} ({detail})");
        }
        "token" => {
            let label = label.ok_or_else(|| anyhow::anyhow!("--label is required\n{USAGE}"))?;
            let (account, _) = store::account_by_email(&db, &email).await?.ok_or_else(|| anyhow::anyhow!("no active account {email}"))?;
            let token = store::create_api_token(&db, account.id, &label).await?;
            store::audit(&db, "cli", "token_create", &email, &label).await?;
            println!("{token}");
        }
        other => anyhow::bail!("unknown staff command {other:?}\n{USAGE}"),
    }
    Ok(())
}
