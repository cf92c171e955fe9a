//! `cargo xtask`: the project's automation, in Rust (matklad's xtask pattern).
//!
//! - `cargo xtask serve`        build the widget bundle and run the server with the demo page
//! - `cargo xtask test`         install what the tests need and run every test (CI runs this)
//! - `cargo xtask dist`         build the widget bundle and print the size report
//! - `cargo xtask schemathesis` the server against its OpenAPI document (schemathesis)
//! - `cargo xtask bench-server` load-generate against the server (SQLite and PostgreSQL)
//! - `cargo xtask bench-login`  peak RSS under 500 parallel logins; 1,100 idle sockets
//! - `cargo xtask bench-export` time and peak RSS of 100,000-row CSV and XLSX exports
//! - `cargo xtask bench-wasm`   time `evaluate` compiled to wasm under Node
//! - `cargo xtask pg`           start a throwaway PostgreSQL on loopback and print its URL

// Benchmarks report seconds, rates and megabytes as floats; no money passes through xtask.
#![allow(clippy::float_arithmetic)]

mod bench_export;
mod bench_login;
mod bench_server;
mod bench_wasm;
mod browser;
mod dist;
mod pg;
mod schemathesis;
mod serve;
mod test;
mod tools;

use std::path::{Path, PathBuf};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = args.split_first().map_or(("help", &[][..]), |(c, r)| (c.as_str(), r));
    match cmd {
        "serve" => serve::run(rest),
        "test" => test::run(rest),
        "dist" => dist::run(rest),
        "bench-server" => bench_server::run(rest),
        "bench-export" => bench_export::run(rest),
        "bench-wasm" => bench_wasm::run(rest),
        "bench-widget" => browser::bench(rest),
        "bench-journey" => browser::journey(rest),
        "browser" => browser::run(rest),
        "pg" => pg::run(rest),
        "schemathesis" => schemathesis::run(rest),
        "bench-login" => bench_login::run(rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <serve|test|dist|browser|schemathesis|bench-server|bench-login|bench-export|bench-wasm|bench-widget|bench-journey|pg>"
            );
            std::process::exit(2)
        }
    }
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).unwrap().to_path_buf()
}

/// Runs a command in the workspace root, failing with its name when it fails.
fn run_cmd(cmd: &mut std::process::Command) -> anyhow::Result<()> {
    let status = cmd.current_dir(root()).status().map_err(|e| anyhow::anyhow!("{cmd:?}: {e}"))?;
    anyhow::ensure!(status.success(), "{cmd:?} failed: {status}");
    Ok(())
}
