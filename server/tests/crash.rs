//! Crash safety: the real `kc-server` binary is killed with SIGKILL while several clients
//! submit, several times over the same SQLite file; after a restart every acknowledged
//! receipt is stored and readable. (WAL + `synchronous = FULL`: an acknowledgement is sent
//! only after the commit reached the disk.)

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kc_api::{Receipt, Submission};
use kc_rules::{Application, Line, LineRequest, Subject, Vnd};
use uuid::Uuid;

const ROUNDS: usize = 4;
const CLIENTS: usize = 6;

struct Server {
    child: Child,
    base: String,
}

fn start(db: &str, dir: &std::path::Path) -> Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_kc-server"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("KC_DATABASE_URL", db)
        .env("KC_SUBMIT_RATE_PER_MINUTE", "0")
        .env("KC_STATIC_DIR", dir.join("dist"))
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kc-server starts");
    Server { child, base: format!("http://127.0.0.1:{port}") }
}

async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("kc-server did not become ready");
}

fn submission() -> Submission {
    let pack = kc_rulepack::bundled();
    let mut application = Application {
        lines: vec![LineRequest { line: Line::Machinery, cost: Some(Vnd::from_const(400_000_000)), learners: None }],
        subject: Some(Subject::Cooperative),
        ..Application::default()
    };
    application.location.commune_code = Some(pack.communes[7].code);
    let as_of = time::OffsetDateTime::now_utc().date();
    let client_decision = kc_rules::evaluate(pack, &application, as_of).unwrap();
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).unwrap();
    Submission {
        client_id: Uuid::from_bytes(id),
        client_pack_id: client_decision.pack_id.to_string(),
        client_as_of: as_of,
        client_decision,
        application,
        contact: Some(kc_api::Contact {
            name: "Hợp tác xã Đồng Tâm".to_owned(),
            phone: Some("0386 123 456".to_owned()),
            email: None,
        }),
        centre_id: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_receipt_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kc.sqlite3").display());
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let acked: Arc<Mutex<Vec<(Submission, Receipt)>>> = Arc::default();

    for round in 0..ROUNDS {
        let mut server = start(&db, dir.path());
        wait_healthy(&client, &server.base).await;
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (client, base, acked) = (client.clone(), server.base.clone(), acked.clone());
                tokio::spawn(async move {
                    // Bounded: stops at the first failed request (the kill) or after 2,000.
                    for _ in 0..2000 {
                        let s = submission();
                        let Ok(response) = client.post(format!("{base}/api/v1/applications")).json(&s).send().await
                        else {
                            break;
                        };
                        if !response.status().is_success() {
                            break;
                        }
                        let Ok(receipt) = response.json::<Receipt>().await else { break };
                        acked.lock().unwrap().push((s, receipt));
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(300 + 150 * round as u64)).await;
        server.child.kill().expect("SIGKILL"); // kill -9, mid-stream
        server.child.wait().unwrap();
        for c in clients {
            c.await.unwrap();
        }
    }

    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > 20, "the clients got through only {} submissions", acked.len());
    let mut server = start(&db, dir.path());
    wait_healthy(&client, &server.base).await;
    let mut lost = 0;
    for (s, receipt) in &acked {
        let status = client.get(format!("{}/api/v1/applications/{}", server.base, receipt.code)).send().await.unwrap();
        let replay = client.post(format!("{}/api/v1/applications", server.base)).json(s).send().await.unwrap();
        let replayed =
            replay.status() == reqwest::StatusCode::OK && replay.json::<Receipt>().await.unwrap() == *receipt;
        if !status.status().is_success() || !replayed {
            lost += 1;
        }
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    eprintln!("crash test: {} acknowledged over {ROUNDS} kills, {lost} lost", acked.len());
    assert_eq!(lost, 0, "acknowledged receipts lost after kill -9");
}
