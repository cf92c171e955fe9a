//! `cargo xtask bench-server [--requests N] [--concurrency C] [--pg URL | --pg-local] [--no-sqlite]`
//!
//! Starts a release `kc-server` on a temp SQLite file (and on PostgreSQL when a URL is given
//! or `--pg-local` starts a throwaway one), measures idle RSS from `/proc/<pid>/status`, then
//! drives `POST /api/v1/applications` from C keep-alive connections for N submissions (each
//! with a new client id) and reports submits/s and p50/p99 latency. Loopback only; bounded
//! by N and by a 120 s cap. The load generator shares the machine's cores with the server,
//! so figures are a floor. Targets: ≥ 3,000 submits/s, p99 ≤ 20 ms, idle RSS ≤ 30 MB.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

const TIME_CAP: Duration = Duration::from_secs(120);

struct Options {
    requests: usize,
    concurrency: usize,
    pg_url: Option<String>,
    pg_local: bool,
    sqlite: bool,
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let mut o = Options { requests: 20_000, concurrency: 16, pg_url: None, pg_local: false, sqlite: true };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--requests" => o.requests = it.next().context("--requests N")?.parse()?,
            "--concurrency" => o.concurrency = it.next().context("--concurrency C")?.parse()?,
            "--pg" => o.pg_url = Some(it.next().context("--pg URL")?.clone()),
            "--pg-local" => o.pg_local = true,
            "--no-sqlite" => o.sqlite = false,
            other => anyhow::bail!("unknown argument {other:?}"),
        }
    }
    o.requests = o.requests.clamp(1, 1_000_000);
    o.concurrency = o.concurrency.clamp(1, 256);
    crate::run_cmd(Command::new("cargo").args(["build", "--release", "-p", "server", "--bin", "kc-server"]))?;
    let exe = target_dir().join("release/kc-server");

    if o.sqlite {
        let dir = std::env::temp_dir().join(format!("kc-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let url = format!("sqlite://{}", dir.join("kc.sqlite3").display());
        let result = bench("SQLite", &exe, &url, &o);
        let _ = std::fs::remove_dir_all(&dir);
        result?;
    }
    let local = if o.pg_local && o.pg_url.is_none() { Some(crate::pg::start()?) } else { None };
    if let Some(url) = o.pg_url.clone().or_else(|| local.as_ref().map(|p| p.url.clone())) {
        bench("PostgreSQL", &exe, &url, &o)?;
    }
    Ok(())
}

pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| crate::root().join("target"), PathBuf::from)
}

pub(crate) struct Killed(pub(crate) Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn bench(label: &str, exe: &PathBuf, database_url: &str, o: &Options) -> anyhow::Result<()> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(exe)
        .args(["serve", "--bind", &addr])
        .env("KC_DATABASE_URL", database_url)
        .env("KC_SUBMIT_RATE_PER_MINUTE", "0")
        .env("KC_MAX_CONNECTIONS", "16")
        .env("RUST_LOG", "warn")
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", exe.display()))?;
    let server = Killed(child);
    let pid = server.0.id();
    wait_ready(&addr)?;
    std::thread::sleep(Duration::from_secs(1));
    let idle_rss = rss_kib(pid)?;

    let pack_id = between(&get(&addr, "/api/v1/rulepack")?, "\"pack_id\":\"", "\"").context("pack id")?;
    let full = get(&addr, "/api/v1/rulepack/full")?;
    let communes = full.find("\"communes\":[").context("communes in the pack")?;
    let commune = between(&full[communes..], "\"code\":", ",").context("a commune code")?;

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..o.concurrency)
        .map(|w| {
            let (next, addr, pack_id, commune) = (next.clone(), addr.clone(), pack_id.clone(), commune.clone());
            let total = o.requests;
            std::thread::spawn(move || -> anyhow::Result<(Vec<u32>, usize)> {
                let mut conn = Conn::open(&addr)?;
                let mut latencies = Vec::new();
                let mut errors = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total || started.elapsed() > TIME_CAP {
                        break;
                    }
                    let body = submission(w, i, &pack_id, &commune);
                    let t = Instant::now();
                    let status = conn.post("/api/v1/applications", &body)?;
                    latencies.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX));
                    if status != 201 {
                        errors += 1;
                    }
                }
                Ok((latencies, errors))
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.join().map_err(|_| anyhow::anyhow!("worker panicked"))??;
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    let loaded_rss = rss_kib(pid)?;
    latencies.sort_unstable();
    let pct = |p: usize| {
        latencies.get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1))).copied().unwrap_or(0)
    };
    let per_sec = u128::try_from(latencies.len()).unwrap_or(0) * 1_000_000 / elapsed.as_micros().max(1);
    println!("== kc-server on {label} ({} submissions, {} connections)", latencies.len(), o.concurrency);
    println!("   submits/s     {per_sec}");
    println!("   p50 latency   {}.{:03} ms", pct(50) / 1000, pct(50) % 1000);
    println!("   p99 latency   {}.{:03} ms", pct(99) / 1000, pct(99) % 1000);
    println!("   non-201       {errors}");
    println!("   idle RSS      {} KiB ({} MiB)", idle_rss, idle_rss / 1024);
    println!("   RSS after     {} KiB", loaded_rss);
    anyhow::ensure!(errors == 0, "{errors} submissions were not answered 201");
    Ok(())
}

/// A valid submission with a unique client id; the client decision is minimal (drift is
/// recorded, which is part of the work measured).
fn submission(worker: usize, i: usize, pack_id: &str, commune: &str) -> String {
    let pid = std::process::id();
    format!(
        concat!(
            "{{\"client_id\":\"{:08x}-{:04x}-4000-8000-{:012x}\",",
            "\"application\":{{\"lines\":[{{\"line\":\"machinery\",\"cost\":500000000}}],",
            "\"subject\":\"household_business\",\"location\":{{\"commune_code\":{}}},",
            "\"conditions\":{{\"equipment_new\":true,\"no_other_state_funding\":true,\"counterpart_funding\":true}}}},",
            "\"client_as_of\":\"2026-01-01\",",
            "\"client_decision\":{{\"outcome\":\"eligible\",\"criteria\":[],\"support\":[],\"priorities\":[],",
            "\"missing\":[],\"hints\":[],\"papers\":[],\"pack_id\":\"{}\",\"as_of\":\"2026-01-01\"}},",
            "\"contact\":{{\"name\":\"Cơ sở cơ khí Hòa Bình\",\"phone\":\"0912 345 678\"}},",
            "\"client_pack_id\":\"{}\"}}"
        ),
        pid, worker, i, commune, pack_id, pack_id
    )
}

pub(crate) fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let from = s.find(start)? + start.len();
    let to = s[from..].find(end)? + from;
    Some(s[from..to].trim().to_owned())
}

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).context("VmRSS")?;
    Ok(line.split_whitespace().nth(1).context("VmRSS value")?.parse()?)
}

pub(crate) fn wait_ready(addr: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if get(addr, "/readyz").is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    anyhow::bail!("kc-server did not become ready on {addr}")
}

pub(crate) fn get(addr: &str, path: &str) -> anyhow::Result<String> {
    let mut conn = Conn::open(addr)?;
    let (status, body) = conn.request("GET", path, None)?;
    anyhow::ensure!(status == 200, "GET {path}: {status}");
    Ok(body)
}

/// A minimal HTTP/1.1 keep-alive client (enough for our own server's answers).
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn open(addr: &str) -> anyhow::Result<Conn> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn { reader: BufReader::new(stream.try_clone()?), writer: stream })
    }

    fn post(&mut self, path: &str, body: &str) -> anyhow::Result<u16> {
        Ok(self.request("POST", path, Some(body))?.0)
    }

    fn request(&mut self, method: &str, path: &str, body: Option<&str>) -> anyhow::Result<(u16, String)> {
        let body = body.unwrap_or("");
        // One write per request: `write!` straight to a NODELAY socket sends a segment per
        // formatting piece, which costs both sides syscalls and wake-ups.
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.writer.write_all(request.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line.split_whitespace().nth(1).context("status line")?.parse()?;
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse()?;
            }
        }
        let mut buf = vec![0; length];
        self.reader.read_exact(&mut buf)?;
        Ok((status, String::from_utf8_lossy(&buf).into_owned()))
    }
}
