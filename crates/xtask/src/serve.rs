//! `cargo xtask serve`: build the widget bundle, then run the server with the demo page.
//!
//! The server (`kc-server serve`) serves `dist/` (`KC_STATIC_DIR`) at `/` and `/widget/`, and
//! keeps its data in an SQLite file under `./data/` (created on first run).

use std::process::Command;

use crate::{dist, root, run_cmd};

const BIND: &str = "127.0.0.1:8080";

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let bind = args.windows(2).find(|w| w[0] == "--bind").map_or(BIND.to_owned(), |w| w[1].clone());
    let dist = dist::build()?;
    let data = root().join("data");
    std::fs::create_dir_all(&data)?;
    let db = format!("sqlite://{}", data.join("kc-server.sqlite3").display());
    println!();
    println!("  Trang demo / demo page:   http://{bind}/");
    println!("  Widget:                   http://{bind}/widget/khuyencong-widget.js");
    println!("  API:                      http://{bind}/api/v1/rulepack");
    println!();
    run_cmd(
        Command::new("cargo")
            .args(["run", "--release", "-p", "server", "--bin", "kc-server", "--", "serve", "--bind", &bind])
            .env("KC_STATIC_DIR", &dist)
            .env("KC_DATABASE_URL", db)
            // The demo page's `centre-id`, named as a centre would name it in its settings.
            .env("KC_CENTRES", DEMO_CENTRE),
    )
}

/// The name of the demo page's centre (`web/static/index.html`, `centre-id="lam-son-demo"`).
const DEMO_CENTRE: &str = "lam-son-demo=Trung tâm Khuyến công Lam Sơn (trang thử)";
