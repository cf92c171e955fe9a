//! `cargo xtask pg`: a throwaway PostgreSQL 15 on a free loopback port.
//!
//! [`start`] installs the Debian `postgresql` package when its binaries are missing, makes a
//! cluster in a fresh directory under `/tmp` (owned by `postgres`: as root, `initdb` and the
//! server run as that user through `runuser`), starts it listening on 127.0.0.1 only with
//! trust authentication, and returns a [`Postgres`] whose `url` the tests and the bench use
//! (`KC_TEST_POSTGRES_URL`). Dropping it stops the server and deletes the directory.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

const BIN: &str = "/usr/lib/postgresql/15/bin";

/// A running throwaway cluster.
pub(crate) struct Postgres {
    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub(crate) url: String,
    data_dir: PathBuf,
}

/// Creates and starts a cluster; see the module docs.
pub(crate) fn start() -> anyhow::Result<Postgres> {
    crate::tools::ensure_postgres()?;
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let data_dir = PathBuf::from(format!("/tmp/kc-pg-{}-{port}", std::process::id()));
    if data_dir.exists() {
        std::fs::remove_dir_all(&data_dir)?;
    }
    std::fs::create_dir_all(&data_dir)?;
    let as_root = is_root();
    if as_root {
        run_quiet(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&data_dir))?;
    }
    let pg = Postgres { url: format!("postgres://postgres@127.0.0.1:{port}/postgres"), data_dir };
    let dir = pg.data_dir.to_str().context("temp path is UTF-8")?.to_owned();
    run_quiet(&mut as_postgres(
        as_root,
        "initdb",
        &["-D", &format!("{dir}/data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
    ))
    .context("initdb")?;
    let options =
        format!("-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB");
    run_quiet(&mut as_postgres(
        as_root,
        "pg_ctl",
        &["-D", &format!("{dir}/data"), "-l", &format!("{dir}/server.log"), "-o", &options, "-w", "-t", "60", "start"],
    ))
    .context("pg_ctl start (see the server.log in the data directory)")?;
    wait_ready(port)?;
    Ok(pg)
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data_dir.join("data");
        let data = data.to_string_lossy().into_owned();
        let _ = as_postgres(is_root(), "pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// `cargo xtask pg`: start, print the URL, wait for Enter (or end of input), stop.
pub(crate) fn run(_args: &[String]) -> anyhow::Result<()> {
    let pg = start()?;
    println!("{}", pg.url);
    eprintln!("PostgreSQL 15 is running. For the API tests:");
    eprintln!("  KC_TEST_POSTGRES_URL={} cargo test -p tests", pg.url);
    eprintln!("Press Enter to stop it and delete its data.");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(pg);
    Ok(())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `BIN/tool args…`, as the `postgres` user when we are root.
fn as_postgres(as_root: bool, tool: &str, args: &[&str]) -> Command {
    let exe = Path::new(BIN).join(tool);
    let mut cmd = if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(exe);
        c
    } else {
        Command::new(exe)
    };
    cmd.args(args).current_dir("/tmp");
    cmd
}

fn run_quiet(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("{cmd:?}"))?;
    anyhow::ensure!(out.status.success(), "{cmd:?} failed: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    Ok(())
}

fn wait_ready(port: u16) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = Command::new(Path::new(BIN).join("pg_isready"))
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "PostgreSQL did not become ready on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
