//! The widget's browser tests: `node --test web/tests/browser/` in headless Chromium.
//!
//! The tests start and stop the server themselves (they need to take it offline and bring it
//! back); this module builds it and tells them how, through environment variables:
//!
//! - `KC_SERVER_BIN`  the `kc-server` binary (the debug build `cargo test` already made:
//!   the tests check behaviour, not speed, and CI saves a release build);
//! - `KC_STATIC_DIR`  the bundle (`dist/`);
//! - `KC_TEST_DB`     an SQLite file in a fresh temporary directory;
//! - `KC_CHROMIUM`    the browser (`/usr/bin/chromium`).

use std::path::Path;
use std::process::Command;

use crate::{dist, run_cmd, tools};

/// Builds the server, then runs the browser tests against the bundle in `dist`.
pub(crate) fn run_tests(dist: &Path) -> anyhow::Result<()> {
    node_with_server(dist, &["--test", "--test-concurrency=1", "web/tests/browser/"])
}

/// Runs `node ARGS` in the workspace root with the environment the browser scripts expect
/// (a freshly built server, the bundle in `dist`, an SQLite file in a temporary directory).
pub(crate) fn node_with_server(dist: &Path, args: &[&str]) -> anyhow::Result<()> {
    tools::ensure_chromium()?;
    dist::ensure_npm()?;
    run_cmd(Command::new("cargo").args(["build", "-p", "server", "--bin", "kc-server"]))?;
    let server = dist::target_dir()?.join("debug/kc-server");
    anyhow::ensure!(server.exists(), "{} was not built", server.display());

    let tmp = std::env::temp_dir().join(format!("kc-browser-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let result = run_cmd(
        Command::new("node")
            .args(args)
            .current_dir(crate::root())
            .env("KC_SERVER_BIN", &server)
            .env("KC_STATIC_DIR", dist)
            .env("KC_TEST_DB", tmp.join("kc-browser.sqlite3"))
            .env("KC_CHROMIUM", "/usr/bin/chromium"),
    );
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// `cargo xtask browser`: build the bundle, then run the browser tests.
pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    let dist = dist::build()?;
    run_tests(&dist)
}

/// `cargo xtask bench-widget [--n N]`: the bundle's size report, then the first render in
/// headless Chromium over N cold loads (web/bench/first-render.mjs).
pub(crate) fn bench(args: &[String]) -> anyhow::Result<()> {
    let n = match args {
        [] => 10,
        [flag, v] if flag == "--n" => v.parse::<u32>().map_err(|e| anyhow::anyhow!("--n {v}: {e}"))?.max(1),
        _ => anyhow::bail!("usage: cargo xtask bench-widget [--n N]"),
    };
    let dist = dist::build()?;
    dist::report(&dist)?;
    node_with_server(&dist, &["web/bench/first-render.mjs", &n.to_string()])
}

/// `cargo xtask bench-journey`: the applicant's journey on a phone (taps, typed fields, the
/// result's first screen, layout shift; web/bench/journey.mjs), then Lighthouse's mobile run
/// on the demo page (web/bench/lighthouse.mjs).
pub(crate) fn journey(args: &[String]) -> anyhow::Result<()> {
    anyhow::ensure!(args.is_empty(), "usage: cargo xtask bench-journey");
    let dist = dist::build()?;
    node_with_server(&dist, &["web/bench/journey.mjs"])?;
    node_with_server(&dist, &["web/bench/lighthouse.mjs"])
}
