//! `cargo xtask test`: everything CI checks, in one command.
//!
//! 1. installs what is missing (wasm target, wasm-bindgen CLI, Chromium, PostgreSQL, Node);
//! 2. starts a throwaway PostgreSQL on loopback for the API suite;
//! 3. `cargo test --workspace` (engine, rule-pack data, golden cases, CLI, server, API suite
//!    on SQLite and PostgreSQL, widget state);
//! 4. schemathesis against the served OpenAPI document (bounded examples, fixed seed);
//! 5. the golden cases again, compiled to wasm32 and run under Node;
//! 6. the widget bundle and the browser tests in headless Chromium.

use std::process::Command;
use std::time::Instant;

use crate::{browser, dist, pg, run_cmd, schemathesis, tools};

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    let started = Instant::now();
    let step = |name: &str| eprintln!("\n== xtask test: {name} ({}s)", started.elapsed().as_secs());

    step("tools");
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_node()?;
    tools::ensure_chromium()?;
    tools::ensure_postgres()?;

    step("postgresql");
    let postgres = pg::start()?;

    step("native tests");
    run_cmd(
        Command::new("cargo").args(["test", "--workspace", "--locked"]).env("KC_TEST_POSTGRES_URL", &postgres.url),
    )?;

    step("schemathesis (the server against its OpenAPI document)");
    let st = schemathesis::ensure_schemathesis()?;
    run_cmd(Command::new("cargo").args(["build", "--locked", "-p", "server", "--bin", "kc-server"]))?;
    schemathesis::check(&st, &crate::bench_server::target_dir().join("debug/kc-server"), 20, 1)?;

    step("golden cases in wasm32 (Node)");
    run_cmd(
        Command::new("cargo")
            .args(["test", "--locked", "-p", "kc-rulepack", "--target", "wasm32-unknown-unknown", "--test", "golden"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner"),
    )?;

    step("widget bundle");
    let dist = dist::build()?;

    step("browser tests (headless Chromium)");
    browser::run_tests(&dist)?;

    drop(postgres);
    step("all passed");
    Ok(())
}
