//! `cargo xtask bench-wasm [--n N] [--widget]`: times `kc_rules::evaluate` compiled to
//! WebAssembly under Node and prints evaluations per second.
//!
//! Builds `crates/kc-bench-wasm` (a tiny cdylib exporting `bench(n, full)`) for
//! `wasm32-unknown-unknown` in release (`--widget`: in the widget's own `wasm-release` profile,
//! the code the browser runs), runs `wasm-bindgen --target nodejs` on it, and runs a
//! small script under `node` that times `bench` with `performance.now()` (warm-up first, best
//! of 5 rounds). The same two applications are timed natively by
//! `cargo bench -p kc-rulepack --bench evaluate`.

use std::path::PathBuf;
use std::process::Command;

use crate::{run_cmd, tools};

const SCRIPT: &str = r#"
const { performance } = require('node:perf_hooks');
const kc = require('./kc_bench_wasm.js');
const n = Number(process.argv[2] || 20000);
const pack = kc.prepare();
console.log(`pack ${pack}, node ${process.version}, ${n} evaluations per round, best of 5`);
for (const [label, full] of [['machinery', false], ['full_multi_line', true]]) {
  kc.bench(Math.max(1, Math.floor(n / 10)), full); // warm-up
  let best = Infinity;
  let total = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    total = kc.bench(n, full);
    best = Math.min(best, performance.now() - t0);
  }
  const perSecond = Math.round(n / (best / 1000));
  const micros = (best * 1000 / n).toFixed(2);
  console.log(`wasm ${label}: ${perSecond} evaluations/s (${micros} µs each; national total ${total} đ)`);
}
"#;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| crate::root().join("target"), PathBuf::from)
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let mut n: u32 = 20_000;
    let mut profile = "release";
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--widget" => profile = "wasm-release",
            "--n" => {
                let v = it.next().ok_or_else(|| anyhow::anyhow!("--n needs a number"))?;
                n = v.parse().map_err(|e| anyhow::anyhow!("--n {v}: {e}"))?;
            }
            other => anyhow::bail!("usage: cargo xtask bench-wasm [--n N] [--widget] (unknown argument {other})"),
        }
    }
    anyhow::ensure!(n > 0, "--n must be positive");

    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_node()?;

    run_cmd(Command::new("cargo").args([
        "build",
        "-p",
        "kc-bench-wasm",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
    ]))?;
    let target = target_dir();
    let wasm = target.join("wasm32-unknown-unknown").join(profile).join("kc_bench_wasm.wasm");
    anyhow::ensure!(wasm.exists(), "{} was not built", wasm.display());

    eprintln!("xtask bench-wasm: profile {profile}");
    let out = target.join("bench-wasm").join(profile);
    std::fs::create_dir_all(&out)?;
    run_cmd(
        Command::new("wasm-bindgen").args(["--target", "nodejs", "--no-typescript", "--out-dir"]).arg(&out).arg(&wasm),
    )?;
    let script = out.join("run.cjs");
    std::fs::write(&script, SCRIPT)?;
    run_cmd(Command::new("node").arg(&script).arg(n.to_string()))
}
