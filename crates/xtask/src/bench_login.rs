//! `cargo xtask bench-login [--logins N] [--idle N]`: the server under a login flood and a
//! socket hoard (issue 12), measured, never asserted.
//!
//! 1. Starts the release `kc-server` on a fresh SQLite file with `KC_TRUST_FORWARDED_FOR=1`
//!    and one staff account, then sends N (default 500) logins at once, each from its own
//!    `X-Forwarded-For` address and for its own e-mail (so the per-address and per-e-mail
//!    throttles let every one reach the password check), while a probe asks `/healthz` and
//!    submits every 100 ms. Prints the answers by status, the peak RSS of the server
//!    (`VmHWM`), and the probe's slowest answers.
//! 2. Opens N (default 1,100) idle sockets from this one process against a server started
//!    with a soft open-file limit of 1,024 (`prlimit`; the server raises it to the hard limit
//!    itself) and times `/healthz` on a fresh connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::bench_server::{Killed, between, get, target_dir, wait_ready};

const PASSWORD: &str = "mật-khẩu-đo-tải-đủ-dài";

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let (mut logins, mut idle) = (500usize, 1100usize);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--logins" => logins = it.next().context("--logins N")?.parse()?,
            "--idle" => idle = it.next().context("--idle N")?.parse()?,
            other => anyhow::bail!("unknown argument {other:?}"),
        }
    }
    crate::run_cmd(Command::new("cargo").args(["build", "--release", "-p", "server", "--bin", "kc-server"]))?;
    let exe = target_dir().join("release/kc-server");
    let dir = std::env::temp_dir().join(format!("kc-bench-login-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = login_flood(&exe, &dir, logins).and_then(|()| idle_sockets(&exe, &dir, idle));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn start(exe: &Path, dir: &Path, name: &str, nofile: Option<&str>) -> anyhow::Result<(Killed, String)> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = format!("127.0.0.1:{port}");
    let url = format!("sqlite://{}", dir.join(format!("{name}.sqlite3")).display());
    let mut cmd = match nofile {
        Some(limit) => {
            let mut c = Command::new("prlimit");
            c.arg(format!("--nofile={limit}")).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    let child = cmd
        .args(["serve", "--bind", &addr])
        .env("KC_DATABASE_URL", &url)
        .env("KC_TRUST_FORWARDED_FOR", "1")
        .env("KC_SUBMIT_RATE_PER_MINUTE", "0")
        .env("KC_STATIC_DIR", dir)
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", exe.display()))?;
    let server = Killed(child);
    wait_ready(&addr)?;
    let status = Command::new(exe)
        .args(["staff", "add", "--email", "bench@kc.vn", "--role", "admin"])
        .env("KC_DATABASE_URL", &url)
        .env("KC_STAFF_PASSWORD", PASSWORD)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "kc-server staff add failed");
    Ok((server, addr))
}

/// `prlimit` wraps the server: the server's pid is the child's (prlimit execs it).
fn peak_rss_mib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).context("VmHWM")?;
    Ok(line.split_whitespace().nth(1).context("VmHWM value")?.parse::<u64>()? / 1024)
}

/// One request on a new connection; the status and the body.
fn request(addr: &str, raw: &str) -> anyhow::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.write_all(raw.as_bytes())?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split_whitespace().nth(1).context("status line")?.parse()?;
    Ok((status, text))
}

fn login_flood(exe: &Path, dir: &Path, n: usize) -> anyhow::Result<()> {
    let (server, addr) = start(exe, dir, "flood", None)?;
    let pid = server.0.id();
    let (_, page) = request(&addr, "GET /staff/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
    let csrf = between(&page, "kc_login_csrf=", ";").context("login CSRF cookie")?;
    let idle_mib = peak_rss_mib(pid)?;
    let pack_id = between(&get(&addr, "/api/v1/rulepack")?, "\"pack_id\":\"", "\"").context("pack id")?;

    let stop = Arc::new(AtomicBool::new(false));
    let probe = {
        let (addr, stop) = (addr.clone(), stop.clone());
        std::thread::spawn(move || -> (Duration, Duration, usize) {
            let (mut worst_health, mut worst_submit, mut failed) = (Duration::ZERO, Duration::ZERO, 0);
            let mut i = 0u32;
            while !stop.load(Ordering::SeqCst) {
                let t = Instant::now();
                let ok = request(&addr, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .is_ok_and(|(s, _)| s == 200);
                worst_health = worst_health.max(t.elapsed());
                let body = format!(
                    r#"{{"client_id":"00000000-0000-4000-8000-{i:012}","application":{{}},"client_as_of":"2026-01-01","client_decision":{{"outcome":"need_more_answers","criteria":[],"support":[],"priorities":[],"missing":[],"hints":[],"papers":[],"pack_id":"{pack_id}","as_of":"2026-01-01"}},"client_pack_id":"{pack_id}","contact":{{"name":"Đo tải","phone":"0912345678"}}}}"#
                );
                let t = Instant::now();
                let submitted = request(
                    &addr,
                    &format!(
                        "POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                )
                .is_ok_and(|(s, _)| s == 201);
                worst_submit = worst_submit.max(t.elapsed());
                failed += usize::from(!ok) + usize::from(!submitted);
                i += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            (worst_health, worst_submit, failed)
        })
    };
    let started = Instant::now();
    let go = Arc::new(std::sync::Barrier::new(n));
    let logins: Vec<_> = (0..n)
        .map(|i| {
            let (addr, csrf, go) = (addr.clone(), csrf.clone(), go.clone());
            std::thread::spawn(move || -> u16 {
                let body = format!("email=user{i}%40kc.vn&password=sai&csrf={csrf}");
                let raw = format!(
                    "POST /staff/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                     Cookie: kc_login_csrf={csrf}\r\nX-Forwarded-For: 10.{}.{}.{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    i / 65536 % 256,
                    i / 256 % 256,
                    i % 256,
                    body.len()
                );
                go.wait();
                request(&addr, &raw).map_or(0, |(s, _)| s)
            })
        })
        .collect();
    let mut by_status = std::collections::BTreeMap::<u16, usize>::new();
    for l in logins {
        *by_status.entry(l.join().unwrap_or(0)).or_default() += 1;
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let (worst_health, worst_submit, failed) = probe.join().map_err(|_| anyhow::anyhow!("probe panicked"))?;
    let peak = peak_rss_mib(pid)?;
    println!(
        "bench-login: {n} parallel logins in {:.1} s: {by_status:?} (401 = password checked, 503 = hashing queue full, \
         429 = throttled); server RSS idle {idle_mib} MiB, peak (VmHWM) {peak} MiB; \
         probe: slowest /healthz {:?}, slowest submission {:?}, {failed} probe failures",
        elapsed.as_secs_f64(),
        worst_health,
        worst_submit
    );
    Ok(())
}

fn idle_sockets(exe: &Path, dir: &Path, n: usize) -> anyhow::Result<()> {
    for (label, nofile) in [("soft limit 1024, hard 20000", "1024:20000"), ("soft and hard limit 1024", "1024:1024")] {
        let (server, addr) = start(exe, dir, &format!("idle-{}", nofile.replace(':', "-")), Some(nofile))?;
        let mut held = Vec::with_capacity(n);
        let mut refused = 0usize;
        for _ in 0..n {
            match TcpStream::connect(&addr) {
                Ok(s) => held.push(s),
                Err(_) => refused += 1,
            }
        }
        std::thread::sleep(Duration::from_millis(500));
        let t = Instant::now();
        let health = request(&addr, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let took = t.elapsed();
        // How many of ours the server closed (a read returns 0 at once).
        let mut closed = 0usize;
        for s in &mut held {
            s.set_nonblocking(true)?;
            let mut b = [0u8; 1];
            if matches!(s.read(&mut b), Ok(0)) {
                closed += 1;
            }
        }
        println!(
            "bench-login: {label}: {} idle sockets open ({refused} refused), /healthz {} in {took:?}; \
             the server had closed {closed} of them (evicted idlest)",
            held.len(),
            health.map_or_else(|e| format!("failed ({e})"), |(s, _)| s.to_string()),
        );
        drop(held);
        drop(server);
    }
    Ok(())
}
