//! `cargo xtask schemathesis [--examples N] [--seed S] [--release]`: the server against its
//! own OpenAPI document, with schemathesis (a tool nobody here wrote).
//!
//! Installs schemathesis (pinned) from PyPI into `target/schemathesis-venv` once, starts
//! `kc-server` on a free port with a fresh SQLite file (no submission rate limit, one API
//! token), and runs every phase (examples, coverage, fuzzing, stateful) with a bounded number
//! of examples per operation and a fixed seed, so CI runs are reproducible and stay around
//! two minutes on two cores. Every check runs except `positive_data_acceptance`: some
//! schema-valid bodies are refused on purpose, and no JSON Schema can say so (a body over
//! `body_limit` is 413; an integer written `5.0` is not whole đồng; a contact phone must be a
//! Vietnamese number). Fails when schemathesis reports any failure.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::Context;

use crate::bench_server::{Killed, target_dir, wait_ready};
use crate::run_cmd;

/// The schemathesis release the document was checked with.
const VERSION: &str = "4.32.5";
const TOKEN: &str = "schemathesis-token";

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let mut examples = 20u32;
    let mut seed = 1u64;
    let mut release = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--examples" => examples = it.next().context("--examples N")?.parse()?,
            "--seed" => seed = it.next().context("--seed S")?.parse()?,
            "--release" => release = true,
            other => anyhow::bail!("unknown argument {other:?}"),
        }
    }
    let st = ensure_schemathesis()?;
    let mut build = Command::new("cargo");
    build.args(["build", "--locked", "-p", "server", "--bin", "kc-server"]);
    if release {
        build.arg("--release");
    }
    run_cmd(&mut build)?;
    let exe = target_dir().join(if release { "release" } else { "debug" }).join("kc-server");
    check(&st, &exe, examples, seed)
}

/// Runs schemathesis against a fresh server started from `exe`.
pub(crate) fn check(st: &Path, exe: &Path, examples: u32, seed: u64) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("kc-schemathesis-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = format!("127.0.0.1:{port}");
    let server = Command::new(exe)
        .args(["serve", "--bind", &addr])
        .env("KC_DATABASE_URL", format!("sqlite://{}", dir.join("kc.sqlite3").display()))
        .env("KC_API_TOKENS", TOKEN)
        .env("KC_SUBMIT_RATE_PER_MINUTE", "0")
        .env("KC_STATIC_DIR", &dir)
        .env("RUST_LOG", "warn")
        .current_dir(&dir)
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", exe.display()))?;
    let server = Killed(server);
    wait_ready(&addr)?;
    let started = Instant::now();
    let base = format!("http://{addr}");
    let status = Command::new(st)
        .args(["run", &format!("{base}/api/v1/openapi.json"), "--url", &base])
        .args(["-H", &format!("Authorization: Bearer {TOKEN}")])
        .args(["--max-examples", &examples.to_string(), "--seed", &seed.to_string()])
        .args(["--exclude-checks", "positive_data_acceptance", "--no-color"])
        .args(["--report", "junit", "--report-dir"])
        .arg(dir.join("report"))
        .status()
        .context("running schemathesis")?;
    drop(server);
    eprintln!("xtask schemathesis: {:.0} s", started.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(status.success(), "schemathesis found failures ({status})");
    Ok(())
}

/// The `schemathesis` executable of `target/schemathesis-venv`, installed from PyPI when
/// missing or of another version.
pub(crate) fn ensure_schemathesis() -> anyhow::Result<PathBuf> {
    let venv = target_dir().join("schemathesis-venv");
    let st = venv.join("bin/schemathesis");
    let have = Command::new(&st).arg("--version").output().ok().filter(|o| o.status.success());
    if have.is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(VERSION)) {
        return Ok(st);
    }
    eprintln!("xtask: installing schemathesis {VERSION} into {} (once)", venv.display());
    let python = ["python3.12", "python3.11", "python3"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success()))
        .context("schemathesis needs Python 3.10 or newer (python3)")?;
    run_cmd(Command::new(python).arg("-m").arg("venv").arg(&venv))?;
    run_cmd(Command::new(venv.join("bin/pip")).args(["install", "-q", &format!("schemathesis=={VERSION}")]))?;
    Ok(st)
}
