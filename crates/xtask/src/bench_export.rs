//! `cargo xtask bench-export [--rows N] [--no-build]`: time and peak RSS of the staff CSV and XLSX exports.
//!
//! Builds the release `kc-server`, seeds N applications (default 100,000) into a temporary
//! SQLite file with `kc-server staff bench-seed` (realistic rows decided by the server's own
//! recheck, inserted in one transaction), creates an admin, starts the server on a loopback
//! port, logs in over plain HTTP, and fetches `/staff/export.csv` and `/staff/export.xlsx`.
//! Peak RSS is the server's `VmHWM` from `/proc/<pid>/status`, reset before each export by
//! writing `5` to `/proc/<pid>/clear_refs`. Targets: CSV ≤ 2 s, XLSX ≤ 10 s, RSS ≤ 200 MB.
//! Loopback only; every wait is bounded; the server is stopped at the end.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

const CSV_TARGET: Duration = Duration::from_secs(2);
const XLSX_TARGET: Duration = Duration::from_secs(10);
const RSS_TARGET_KB: u64 = 200 * 1024;
const PASSWORD: &str = "bench-export-password";

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let mut rows: usize = 100_000;
    let mut build = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rows" => rows = it.next().context("--rows needs a number")?.parse()?,
            // Reuse the release binary already built (e.g. while the tree does not build).
            "--no-build" => build = false,
            other => {
                anyhow::bail!("unknown argument {other:?}; usage: cargo xtask bench-export [--rows N] [--no-build]")
            }
        }
    }
    if build {
        crate::run_cmd(Command::new(env!("CARGO")).args(["build", "--release", "-p", "server", "--bin", "kc-server"]))?;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| crate::root().join("target"), PathBuf::from);
    let bin = target.join("release").join("kc-server");
    let dir = std::env::temp_dir().join(format!("kc-bench-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = bench(&bin, &dir, rows);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn server_cmd(bin: &PathBuf, db_url: &str) -> Command {
    let mut c = Command::new(bin);
    c.env("KC_DATABASE_URL", db_url)
        .env("KC_STATIC_DIR", "/nonexistent")
        .env_remove("KC_CONFIG")
        .env("RUST_LOG", "warn");
    c
}

fn bench(bin: &PathBuf, dir: &std::path::Path, rows: usize) -> anyhow::Result<()> {
    let db_url = format!("sqlite://{}", dir.join("bench.sqlite3").display());
    let t = Instant::now();
    let status = server_cmd(bin, &db_url).args(["staff", "bench-seed", "--rows", &rows.to_string()]).status()?;
    anyhow::ensure!(status.success(), "seeding failed");
    println!("seeded {rows} rows in {:.1} s", t.elapsed().as_secs_f64());
    let status = server_cmd(bin, &db_url)
        .env("KC_STAFF_PASSWORD", PASSWORD)
        .args(["staff", "add", "--email", "bench@kc.vn", "--role", "admin"])
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "creating the admin failed");

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = server_cmd(bin, &db_url)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stderr(Stdio::null())
        .spawn()?;
    let server = Server(child);
    let pid = server.0.id();
    wait_ready(port)?;

    let cookie = login(port)?;
    println!("baseline RSS {:.1} MB", f64::from(u32::try_from(vm_kb(pid, "VmRSS")?)?) / 1024.0);
    let mut failed = Vec::new();
    for (path, target) in [("/staff/export.csv", CSV_TARGET), ("/staff/export.xlsx", XLSX_TARGET)] {
        std::fs::write(format!("/proc/{pid}/clear_refs"), "5").context("resetting VmHWM")?;
        let t = Instant::now();
        let (status, body) = http(port, "GET", path, &format!("kc_staff={cookie}"), None)?;
        let took = t.elapsed();
        anyhow::ensure!(status == 200, "{path}: HTTP {status}");
        let peak_kb = vm_kb(pid, "VmHWM")?;
        let lines = if path.ends_with(".csv") {
            format!(", {} lines", body.iter().filter(|b| **b == b'\n').count())
        } else {
            String::new()
        };
        let peak_mb = f64::from(u32::try_from(peak_kb)?) / 1024.0;
        println!(
            "{path}: {:.2} s (target {} s), {:.1} MB body{lines}, peak RSS {peak_mb:.1} MB (target 200 MB)",
            took.as_secs_f64(),
            target.as_secs(),
            f64::from(u32::try_from(body.len())?) / 1_048_576.0,
        );
        if took > target {
            failed.push(format!("{path} took {:.2} s", took.as_secs_f64()));
        }
        if peak_kb > RSS_TARGET_KB {
            failed.push(format!("{path} peak RSS {peak_mb:.1} MB"));
        }
    }
    drop(server);
    anyhow::ensure!(failed.is_empty(), "over target: {}", failed.join("; "));
    Ok(())
}

/// The server process; killed and reaped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn vm_kb(pid: u32, key: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with(key)).with_context(|| format!("{key} in /proc/{pid}/status"))?;
    Ok(line.split_whitespace().nth(1).context("a number")?.parse()?)
}

fn wait_ready(port: u16) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok((200, _)) = http(port, "GET", "/healthz", "", None) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    anyhow::bail!("the server did not become ready in 30 s")
}

fn login(port: u16) -> anyhow::Result<String> {
    let (_, head) = http_head(port, "GET", "/staff/login", "", None)?;
    let csrf = set_cookie(&head, "kc_login_csrf").context("login CSRF cookie")?;
    let form = format!("email=bench%40kc.vn&password={PASSWORD}&csrf={csrf}");
    let (status, head) = http_head(port, "POST", "/staff/login", &format!("kc_login_csrf={csrf}"), Some(&form))?;
    anyhow::ensure!(status == 303, "login: HTTP {status}");
    set_cookie(&head, "kc_staff").context("session cookie")
}

fn set_cookie(head: &str, name: &str) -> Option<String> {
    head.lines().filter(|l| l.to_ascii_lowercase().starts_with("set-cookie:")).find_map(|l| {
        let v = l.split_once(':')?.1.trim();
        let (k, rest) = v.split_once('=')?;
        (k == name).then(|| rest.split(';').next().unwrap_or("").to_owned())
    })
}

/// One HTTP/1.1 request over loopback; returns (status, headers text).
fn http_head(port: u16, method: &str, path: &str, cookie: &str, form: Option<&str>) -> anyhow::Result<(u16, String)> {
    let (status, head, _) = request(port, method, path, cookie, form)?;
    Ok((status, head))
}

/// One HTTP/1.1 request over loopback; returns (status, de-chunked body).
fn http(port: u16, method: &str, path: &str, cookie: &str, form: Option<&str>) -> anyhow::Result<(u16, Vec<u8>)> {
    let (status, _, body) = request(port, method, path, cookie, form)?;
    Ok((status, body))
}

fn request(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    form: Option<&str>,
) -> anyhow::Result<(u16, String, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if let Some(body) = form {
        req.push_str(&format!("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    if let Some(body) = form {
        req.push_str(body);
    }
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").context("no end of headers")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status: u16 = head.split_whitespace().nth(1).context("status")?.parse()?;
    let mut body = raw[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body)?;
    }
    Ok((status, head, body))
}

fn dechunk(mut b: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").context("chunk size line")?;
        let size_text = std::str::from_utf8(&b[..eol])?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)?;
        b = &b[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        anyhow::ensure!(b.len() >= size + 2, "truncated chunk");
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}
