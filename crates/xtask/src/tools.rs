//! Installing what the tests and the bundle need on a fresh machine.
//!
//! Each `ensure_*` is idempotent: it checks first and installs only what is missing, from the
//! package registries this project may use (rustup's target, crates.io, Debian, npm).

use std::process::{Command, Stdio};

use anyhow::Context;

use crate::run_cmd;

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate pinned in the root manifest.
pub(crate) const WASM_BINDGEN_VERSION: &str = "0.2.130";

/// True when `cmd args…` runs and exits 0.
fn succeeds(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// The standard output of `cmd args…`, if it runs.
fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `rustup target add wasm32-unknown-unknown` unless installed.
pub(crate) fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// `wasm-bindgen` and `wasm-bindgen-test-runner` at exactly [`WASM_BINDGEN_VERSION`].
pub(crate) fn ensure_wasm_bindgen() -> anyhow::Result<()> {
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if !have.contains(WASM_BINDGEN_VERSION) || !succeeds("wasm-bindgen-test-runner", &["--version"]) {
        eprintln!("xtask: installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (a few minutes, once)");
        let version = format!("={WASM_BINDGEN_VERSION}");
        run_cmd(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    Ok(())
}

/// Debian packages, installed with apt-get when one of `probes` (paths) is missing.
pub(crate) fn ensure_debian(packages: &[&str], probes: &[&str]) -> anyhow::Result<()> {
    if probes.iter().all(|p| std::path::Path::new(p).exists()) {
        return Ok(());
    }
    eprintln!("xtask: installing Debian packages {packages:?}");
    let sudo = output("id", &["-u"]).is_none_or(|u| u.trim() != "0");
    let apt = |args: &[&str]| {
        let mut cmd = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
        if sudo {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run_cmd(&mut cmd)
    };
    apt(&["update", "-qq"]).context("apt-get update")?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args).with_context(|| format!("apt-get install {packages:?}"))
}

/// Headless Chromium and its WebDriver, for the browser tests.
pub(crate) fn ensure_chromium() -> anyhow::Result<()> {
    ensure_debian(&["chromium", "chromium-driver"], &["/usr/bin/chromium", "/usr/bin/chromedriver"])
}

/// PostgreSQL 15 server binaries (the API suite runs against it too).
pub(crate) fn ensure_postgres() -> anyhow::Result<()> {
    ensure_debian(&["postgresql"], &["/usr/lib/postgresql/15/bin/initdb"])
}

/// Node.js and npm (the browser tests and wasm-opt come from npm packages).
pub(crate) fn ensure_node() -> anyhow::Result<()> {
    if succeeds("node", &["--version"]) && succeeds("npm", &["--version"]) {
        return Ok(());
    }
    ensure_debian(&["nodejs", "npm"], &["/usr/bin/node", "/usr/bin/npm"])
}
