//! `cargo xtask dist`: build the widget bundle into `dist/` and print its size report.
//!
//! Layout (what the server serves, `KC_STATIC_DIR`):
//!
//! ```text
//! dist/index.html                      demo host page (a provincial centre's site)
//! dist/widget/khuyencong-widget.js     the embed loader (custom element, CSS inlined)
//! dist/widget/kc_widget.js             wasm-bindgen glue
//! dist/widget/kc_widget_bg.wasm        the widget (wasm-opt -Oz)
//! dist/widget/widget.css               the stylesheet (also inlined in the loader)
//! dist/**/FILE.gz                      each file precompressed (Zopfli), what is sent
//! ```
//!
//! Steps: `cargo build -p web --target wasm32-unknown-unknown --profile wasm-release`,
//! `wasm-bindgen --target web` (CLI pinned to the crate's version), `wasm-opt -Oz` from the npm
//! package `binaryen` (web/node_modules), copy the static files, minify the JavaScript with
//! terser (npm), precompress everything with Zopfli.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::{root, run_cmd, tools};

/// What the host downloads may weigh at most, gzipped (the issue's budget).
const BUDGET_GZ: u64 = 250 * 1024;

/// The wasm features rustc's wasm32 target emits by default; wasm-opt must accept them.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    let dist = build()?;
    report(&dist)
}

/// Cargo's target directory (respects `CARGO_TARGET_DIR` and config), from `cargo metadata`.
pub(crate) fn target_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return Ok(if dir.is_absolute() { dir } else { root().join(dir) });
    }
    let out = Command::new("cargo")
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root())
        .output()
        .context("cargo metadata")?;
    anyhow::ensure!(out.status.success(), "cargo metadata failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let key = "\"target_directory\":\"";
    let start = text.find(key).context("no target_directory in cargo metadata")? + key.len();
    let end = text[start..].find('"').context("malformed cargo metadata")? + start;
    Ok(PathBuf::from(text[start..end].replace("\\\\", "\\")))
}

/// `npm ci` (or `npm install` without a lock file) in `web/` unless the tools are there.
pub(crate) fn ensure_npm() -> anyhow::Result<()> {
    let web = root().join("web");
    let have = ["wasm-opt", "playwright-core", "terser"].iter().all(|b| web.join("node_modules/.bin").join(b).exists())
        && web.join("node_modules/axe-core/axe.min.js").exists();
    if have {
        return Ok(());
    }
    let cmd = if web.join("package-lock.json").exists() { "ci" } else { "install" };
    eprintln!("xtask: npm {cmd} in web/ (wasm-opt, terser, playwright-core, axe-core)");
    let status = Command::new("npm")
        .args([cmd, "--no-audit", "--no-fund"])
        .current_dir(&web)
        .status()
        .context("npm (is Node.js installed?)")?;
    anyhow::ensure!(status.success(), "npm {cmd} failed in web/");
    Ok(())
}

/// Builds the bundle and returns the `dist/` directory.
pub(crate) fn build() -> anyhow::Result<PathBuf> {
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    ensure_npm()?;

    run_cmd(Command::new("cargo").args([
        "build",
        "-p",
        "web",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let wasm = target_dir()?.join("wasm32-unknown-unknown/wasm-release/web.wasm");
    anyhow::ensure!(wasm.exists(), "{} was not built", wasm.display());

    let dist = root().join("dist");
    let widget = dist.join("widget");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).with_context(|| format!("clearing {}", dist.display()))?;
    }
    std::fs::create_dir_all(&widget)?;

    run_cmd(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-name", "kc_widget", "--out-dir"])
            .arg(&widget)
            .arg(&wasm),
    )?;

    let bg = widget.join("kc_widget_bg.wasm");
    let wasm_opt = root().join("web/node_modules/.bin/wasm-opt");
    run_cmd(
        Command::new(&wasm_opt)
            .arg("-Oz")
            .arg("--converge")
            // Inline a function into its only caller only when it is tiny. Binaryen's default
            // (any size) builds a few huge functions with hundreds of locals whose code gzip
            // compresses badly: 670 KB raw but 247 KB gzipped, against 660 KB and 268 KB.
            .arg("--one-caller-inline-max-function-size=5")
            .args(WASM_FEATURES)
            .arg("--strip-debug")
            .arg("--strip-producers")
            .arg(&bg)
            .arg("-o")
            .arg(&bg),
    )
    .context("wasm-opt (npm package binaryen in web/node_modules)")?;

    let stat = root().join("web/static");
    let css = std::fs::read_to_string(stat.join("widget.css"))?;
    let loader = std::fs::read_to_string(stat.join("khuyencong-widget.js"))?;
    anyhow::ensure!(loader.contains("\"/*KC_CSS*/\""), "the loader lost its CSS placeholder");
    let loader = loader.replace("\"/*KC_CSS*/\"", &js_string(&minify_css(&css)));
    std::fs::write(widget.join("khuyencong-widget.js"), loader)?;
    std::fs::write(widget.join("widget.css"), &css)?;
    std::fs::copy(stat.join("index.html"), dist.join("index.html"))?;
    for js in ["khuyencong-widget.js", "kc_widget.js"] {
        minify_js(&widget.join(js))?;
    }
    for file in ["kc_widget_bg.wasm", "kc_widget.js", "khuyencong-widget.js", "widget.css"] {
        precompress(&widget.join(file))?;
    }
    precompress(&dist.join("index.html"))?;
    eprintln!("xtask: bundle in {}", dist.display());
    Ok(dist)
}

/// Minifies an ES module in place with terser (npm, pinned in web/package.json): both the
/// loader and wasm-bindgen's glue are modules, so top-level names may be mangled too.
fn minify_js(path: &Path) -> anyhow::Result<()> {
    let terser = root().join("web/node_modules/.bin/terser");
    run_cmd(
        Command::new(terser)
            .arg(path)
            .args(["--module", "--ecma", "2020", "--compress", "passes=2", "--mangle", "--output"])
            .arg(path),
    )
    .with_context(|| format!("terser on {}", path.display()))
}

/// Writes `FILE.gz` beside `FILE`, compressed once with Zopfli (gzip format, ~5 % smaller than
/// `gzip -9`). The server sends it to every browser that accepts gzip (`ServeDir`'s
/// precompressed mode), so this is the size that crosses the network.
fn precompress(path: &Path) -> anyhow::Result<()> {
    let data = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut gz = Vec::new();
    zopfli::compress(zopfli::Options::default(), zopfli::Format::Gzip, &data[..], &mut gz)
        .with_context(|| format!("compressing {}", path.display()))?;
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    std::fs::write(&name, gz).with_context(|| format!("writing {}", PathBuf::from(&name).display()))
}

/// Drops comments and collapses whitespace (enough for our own stylesheet).
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A JavaScript string literal.
fn js_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Size of the precompressed `FILE.gz` the server sends.
fn gzipped(path: &Path) -> anyhow::Result<u64> {
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    Ok(std::fs::metadata(PathBuf::from(&name)).with_context(|| format!("{} is missing", path.display()))?.len())
}

/// Prints raw and gzipped sizes of what a host page downloads; fails over budget.
pub(crate) fn report(dist: &Path) -> anyhow::Result<()> {
    let w = dist.join("widget");
    let css = w.join("widget.css");
    let rows = [
        ("wasm", w.join("kc_widget_bg.wasm")),
        ("js (loader)", w.join("khuyencong-widget.js")),
        ("js (glue)", w.join("kc_widget.js")),
    ];
    let kb = |b: u64| format!("{}.{} KB", b / 1024, (b % 1024) * 10 / 1024);
    println!("widget bundle size (what the host page downloads; gzipped = the .gz files served)");
    println!("{:<22} {:>10} {:>10}", "file", "raw", "gzipped");
    let (mut raw_total, mut gz_total) = (0, 0);
    for (name, path) in &rows {
        let raw = std::fs::metadata(path)?.len();
        let gz = gzipped(path)?;
        raw_total += raw;
        gz_total += gz;
        println!("{:<22} {:>10} {:>10}", name, kb(raw), kb(gz));
    }
    let (css_raw, css_gz) = (std::fs::metadata(&css)?.len(), gzipped(&css)?);
    println!("{:<22} {:>10} {:>10}", "css (inlined in loader)", kb(css_raw), kb(css_gz));
    println!("{:<22} {:>10} {:>10}", "total", kb(raw_total), kb(gz_total));
    println!(
        "budget {} gzipped (aim 150 KB): {}",
        kb(BUDGET_GZ),
        if gz_total <= BUDGET_GZ { "within" } else { "OVER" }
    );
    anyhow::ensure!(gz_total <= BUDGET_GZ, "the widget bundle is over budget");
    Ok(())
}
