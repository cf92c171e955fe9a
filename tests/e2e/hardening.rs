//! The server under hostile load (issue 12), from outside: a parallel login burst checks at
//! most five passwords; idle, half-sent and slow-body connections are closed; huge heads are
//! refused; early rejections say `Connection: close`; the bearer scheme is case-insensitive;
//! a full connection table evicts its idlest connection; and a PostgreSQL outage under load
//! gives fast 503s, loses nothing acknowledged, and recovers within seconds.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use server::staff::auth::Role;
use tests::{Backend, TestApp, sample_submission};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::staff::{PASSWORD, add_account, post_login};

crate::both!(
    a_burst_of_forty_logins_checks_at_most_five_passwords,
    a_lower_case_bearer_scheme_is_accepted,
    structs_sent_as_arrays_are_refused_with_their_path,
);

async fn structs_sent_as_arrays_are_refused_with_their_path(app: TestApp) {
    // serde reads a struct from an array of its fields; the document does not allow it.
    let mut s = serde_json::to_value(sample_submission()).unwrap();
    s["application"]["size"] = serde_json::json!([null, 12]);
    let r = app.post_raw("/applications", "application/json", serde_json::to_vec(&s).unwrap()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: kc_api::ErrorBody = r.json().await.unwrap();
    assert_eq!(body.fields[0].path, "application.size");
    let mut s = serde_json::to_value(sample_submission()).unwrap();
    s["client_decision"]["criteria"][0]["reason"] = serde_json::json!(["vi", "en"]);
    let r = app.post_raw("/applications", "application/json", serde_json::to_vec(&s).unwrap()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: kc_api::ErrorBody = r.json().await.unwrap();
    assert_eq!(body.fields[0].path, "client_decision.criteria[0].reason");
}

async fn a_burst_of_forty_logins_checks_at_most_five_passwords(app: TestApp) {
    add_account(&app, "burst@kc.vn", Role::Admin, None).await;
    let app = Arc::new(app);
    let attempts: Vec<_> = (0..40)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { post_login(&app, "burst@kc.vn", "sai mật khẩu").await.status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for a in attempts {
        statuses.push(a.await.unwrap());
    }
    // 401: the password was checked (and wrong); 429: refused before any hash.
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let locked = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    eprintln!("login burst: 40 attempts, {checked} passwords checked, {locked} refused before hashing");
    assert_eq!(checked, 5, "{statuses:?}");
    assert_eq!(locked, 35, "{statuses:?}");
    // The right password is locked out too for the rest of the window.
    assert_eq!(post_login(&app, "burst@kc.vn", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn a_lower_case_bearer_scheme_is_accepted(app: TestApp) {
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let r = app
            .client
            .get(app.api("/changes"))
            .header("authorization", format!("{scheme} {}", app.token))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{scheme}");
    }
    let r = app.client.get(app.api("/changes")).header("authorization", "Basic abc").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

/// A server on SQLite with short timeouts.
async fn quick_app(tweak: impl FnOnce(&mut server::Settings)) -> TestApp {
    tests::spawn_app_with(Backend::Sqlite, |s| {
        s.header_timeout_secs = 1;
        s.body_timeout_secs = 1;
        s.idle_timeout_secs = 1;
        tweak(s);
    })
    .await
    .expect("sqlite always runs")
}

/// Reads until the server closes the connection (or `within` passes: then `None`).
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(("127.0.0.1", app.port)).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_half_sent_and_idle_connections_are_closed() {
    let app = quick_app(|_| {}).await;
    let started = Instant::now();
    // Sends nothing.
    let mut silent = connect(&app).await;
    // Half a request head.
    let mut half = connect(&app).await;
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    // One request, then idle on a kept-alive connection.
    let mut idle = connect(&app).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    for (name, stream) in [("silent", &mut silent), ("half", &mut half), ("idle", &mut idle)] {
        let got = read_until_closed(stream, Duration::from_secs(5)).await;
        let got = got.unwrap_or_else(|| panic!("the {name} connection was not closed within 5 s"));
        if name == "idle" {
            assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"), "{}", String::from_utf8_lossy(&got));
        }
    }
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_arriving_closes_the_connection() {
    let app = quick_app(|_| {}).await;
    let mut s = connect(&app).await;
    s.write_all(
        b"POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n{\"client_id\":",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let got = read_until_closed(&mut s, Duration::from_secs(6)).await.expect("closed");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    // No answer is owed to a request that never arrived; whatever came is not a 2xx.
    assert!(!String::from_utf8_lossy(&got).starts_with("HTTP/1.1 2"));
    // The server still serves.
    assert_eq!(app.client.get(format!("{}/healthz", app.address)).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_kib_of_headers_are_refused_with_431() {
    let app = quick_app(|_| {}).await;
    let mut s = connect(&app).await;
    let mut head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n".to_vec();
    for i in 0..200 {
        head.extend_from_slice(format!("X-Pad-{i}: {}\r\n", "a".repeat(1000)).as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    // The server may close before reading it all; a reset on write is fine.
    let _ = s.write_all(&head).await;
    let got = read_until_closed(&mut s, Duration::from_secs(5)).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 431"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn early_rejections_say_connection_close() {
    let app = quick_app(|s| {
        s.body_limit = 16 * 1024;
        s.submit_rate_per_minute = 1;
        s.submit_burst = 1;
    })
    .await;
    let cases: [(&str, &[u8]); 3] = [
        // 415: not JSON, body never read.
        ("415", b"POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\n0123456789"),
        // 413: announced larger than the limit.
        ("413", b"POST /api/v1/drafts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"a\":"),
        // 429 needs a first submission to empty the bucket: see below.
        ("429", b""),
    ];
    for (status, request) in cases {
        if status == "429" {
            // Spend the one token, then send a second submission with its body unsent.
            let mut first = connect(&app).await;
            let body = serde_json::to_vec(&sample_submission()).unwrap();
            let head = format!(
                "POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            first.write_all(head.as_bytes()).await.unwrap();
            first.write_all(&body).await.unwrap();
            read_until_closed(&mut first, Duration::from_secs(5)).await.expect("answered");
            let mut s = connect(&app).await;
            s.write_all(b"POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
                .await
                .unwrap();
            check_closed(&mut s, "429").await;
            continue;
        }
        let mut s = connect(&app).await;
        s.write_all(request).await.unwrap();
        check_closed(&mut s, status).await;
    }

    async fn check_closed(s: &mut TcpStream, status: &str) {
        let got = read_until_closed(s, Duration::from_secs(5)).await.expect("closed after the answer");
        let text = String::from_utf8_lossy(&got).to_lowercase();
        assert!(text.starts_with(&format!("http/1.1 {status}")), "expected {status}: {text:?}");
        assert!(text.contains("\r\nconnection: close\r\n"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_connection_table_evicts_the_idlest_and_healthz_answers() {
    let app = quick_app(|s| {
        s.connection_limit = 20;
        s.header_timeout_secs = 60;
        s.idle_timeout_secs = 60;
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..60 {
        idle.push(connect(&app).await);
    }
    let client = reqwest::Client::builder().timeout(Duration::from_secs(3)).build().unwrap();
    for _ in 0..5 {
        let r = client.get(format!("{}/healthz", app.address)).send().await.expect("healthz answers");
        assert_eq!(r.status(), StatusCode::OK);
    }
    // The oldest idle sockets were closed to make room.
    let closed = read_until_closed(&mut idle[0], Duration::from_secs(2)).await;
    assert!(closed.is_some(), "the idlest connection is evicted");
}

/// A TCP forwarder in front of PostgreSQL that can be cut (every connection dropped, new ones
/// refused) and restored: the database "stops" and "returns" as the server sees it.
struct Switch {
    port: u16,
    up: Arc<AtomicBool>,
    /// Cut by going silent (sockets kept, nothing forwarded) rather than by resetting.
    silent: Arc<AtomicBool>,
    target: Arc<std::sync::Mutex<Option<String>>>,
    epoch: Arc<std::sync::atomic::AtomicU64>,
}

impl Switch {
    async fn start() -> Switch {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let silent = Arc::new(AtomicBool::new(false));
        let target: Arc<std::sync::Mutex<Option<String>>> = Arc::default();
        let epoch = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (up2, target2, epoch2, silent2) = (up.clone(), target.clone(), epoch.clone(), silent.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else { continue };
                if !up2.load(Ordering::SeqCst) {
                    if silent2.load(Ordering::SeqCst) {
                        // A host gone silent: the connection is accepted and never answered;
                        // when the network heals, the database resets it.
                        let up = up2.clone();
                        tokio::spawn(async move {
                            while !up.load(Ordering::SeqCst) {
                                tokio::time::sleep(Duration::from_millis(20)).await;
                            }
                            drop(inbound);
                        });
                    } else {
                        drop(inbound);
                    }
                    continue;
                }
                let Some(to) = target2.lock().unwrap().clone() else { continue };
                let (up3, epoch3, silent3) = (up2.clone(), epoch2.clone(), silent2.clone());
                let born = epoch3.load(Ordering::SeqCst);
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(to).await else { return };
                    let copy = tokio::io::copy_bidirectional(&mut inbound, &mut outbound);
                    let cut = async {
                        while up3.load(Ordering::SeqCst) && epoch3.load(Ordering::SeqCst) == born {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    };
                    tokio::select! { _ = copy => {}, () = cut => {} }
                    if silent3.load(Ordering::SeqCst) {
                        // Keep both sockets open and say nothing while the network is down;
                        // when it heals, the database (restarted meanwhile) resets them.
                        while !up3.load(Ordering::SeqCst) {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                    drop((inbound, outbound));
                });
            }
        });
        Switch { port, up, silent, target, epoch }
    }

    /// `postgres://…@HOST:PORT/db` → the same through this switch (and remembers the target).
    fn route(&self, url: &str) -> String {
        let at = url.rfind('@').map_or_else(|| url.find("://").unwrap() + 3, |i| i + 1);
        let end = url[at..].find('/').map_or(url.len(), |i| at + i);
        *self.target.lock().unwrap() = Some(url[at..end].to_owned());
        format!("{}127.0.0.1:{}{}", &url[..at], self.port, &url[end..])
    }

    fn cut(&self, silent: bool) {
        self.silent.store(silent, Ordering::SeqCst);
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.up.store(false, Ordering::SeqCst);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_outage_under_load_fails_fast_loses_nothing_and_recovers() {
    outage(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_postgres_under_load_fails_within_seconds_and_recovers() {
    outage(true).await;
}

/// Cuts PostgreSQL under 8 writers: for 3 s with connections reset (`silent = false`), or for
/// 7 s with the host silent (`true`: nothing answers, nothing resets until it returns).
async fn outage(silent: bool) {
    let switch = Switch::start().await;
    let mut direct = None;
    let Some(app) = tests::spawn_app_with(Backend::Postgres, |s| {
        direct = Some(s.database_url.clone());
        s.database_url = switch.route(&s.database_url);
    })
    .await
    else {
        return;
    };
    let direct = direct.unwrap();
    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let t0 = Instant::now();
    // 8 clients submit continuously; each records (sent at, answered at, status, client id).
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (app, stop) = (app.clone(), stop.clone());
            tokio::spawn(async move {
                let mut log = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    let s = sample_submission();
                    let sent = t0.elapsed();
                    let r = app.submit(&s).await;
                    let status = r.status();
                    let retry_after = r.headers().get("retry-after").is_some();
                    log.push((sent, t0.elapsed(), status, retry_after, s.client_id));
                    if status == StatusCode::SERVICE_UNAVAILABLE {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
                log
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let cut_at = t0.elapsed();
    switch.cut(silent);
    // A silent host must outlast the acquire and batch timeouts (2 s, 5 s) to be noticed.
    tokio::time::sleep(Duration::from_secs(if silent { 7 } else { 3 })).await;
    let restored_at = t0.elapsed();
    switch.restore();
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::SeqCst);
    let mut log = Vec::new();
    for c in clients {
        log.extend(c.await.unwrap());
    }
    let acked: Vec<uuid::Uuid> = log
        .iter()
        .filter(|(_, _, s, _, _)| *s == StatusCode::CREATED || *s == StatusCode::OK)
        .map(|(_, _, _, _, id)| *id)
        .collect();
    let unavailable: Vec<_> = log.iter().filter(|(_, _, s, _, _)| *s == StatusCode::SERVICE_UNAVAILABLE).collect();
    let other: Vec<_> = log
        .iter()
        .filter(|(_, _, s, _, _)| ![StatusCode::CREATED, StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE].contains(s))
        .collect();
    let slowest = log.iter().map(|(sent, done, ..)| *done - *sent).max().unwrap();
    let first_503 = unavailable.iter().map(|(_, done, ..)| *done).min();
    let first_ok_after = log
        .iter()
        .filter(|(sent, _, s, _, _)| *sent >= restored_at && *s == StatusCode::CREATED)
        .map(|(_, done, ..)| *done)
        .min();
    eprintln!(
        "outage (silent: {silent}): {} requests, {} acknowledged, {} answered 503, {} other; slowest {:?}; \
         first 503 {:?} after the cut; first success {:?} after the return",
        log.len(),
        acked.len(),
        unavailable.len(),
        other.len(),
        slowest,
        first_503.map(|t| t - cut_at),
        first_ok_after.map(|t| t - restored_at),
    );
    assert!(other.is_empty(), "only 2xx and 503 during an outage: {other:?}");
    assert!(!unavailable.is_empty(), "the outage was seen");
    assert!(unavailable.iter().all(|(_, _, _, retry, _)| *retry), "503s carry Retry-After");
    assert!(slowest < Duration::from_secs(8), "no request waits long: {slowest:?}");
    assert!(first_503.unwrap() - cut_at < Duration::from_secs(6));
    assert!(first_ok_after.expect("service resumed") - restored_at < Duration::from_secs(3));
    // Every acknowledged submission is stored (checked on the database directly).
    let pool = sqlx::PgPool::connect(&direct).await.unwrap();
    let stored: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT client_id FROM applications").fetch_all(&pool).await.unwrap();
    let stored: std::collections::HashSet<_> = stored.into_iter().collect();
    let lost = acked.iter().filter(|id| !stored.contains(id)).count();
    assert_eq!(lost, 0, "acknowledged submissions lost");
}
