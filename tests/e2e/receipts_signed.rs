//! Signed receipts: a submission's receipt carries the server's signature; the signed
//! receipt document verifies with the key from `/api/v1/keys` and its decision reproduces;
//! a tampered answer, amount or pack id is detected; a replay returns the same signature;
//! the staff detail page checks the stored receipt and notices a changed row; the printable
//! receipt shows the digest; an earlier key, once configured, still vouches for its receipts.

use kc_api::{Keys, Receipt, SignedReceipt};
use kc_attest::{PublicKey, Reproduction, SignatureCheck};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::staff::auth::Role;
use server::staff::db::Db;
use tests::{TestApp, sample_submission};

use crate::staff::{add_account, login};

crate::both!(
    a_receipt_is_signed_and_verifies_with_the_served_key,
    tampering_with_an_answer_an_amount_or_the_pack_id_is_detected,
    a_replay_returns_the_same_signature,
    the_staff_page_checks_the_stored_receipt,
    a_taken_receipt_code_is_refused_by_the_store_not_overwritten,
);

async fn served_key(app: &TestApp) -> PublicKey {
    let response = app.get("/keys").await;
    assert_eq!(response.status(), StatusCode::OK);
    let keys: Keys = response.json().await.unwrap();
    // The current key first.
    let k = &keys.keys[0];
    assert_eq!(k.alg, "Ed25519");
    let key = PublicKey::from_hex(&k.public_key).expect("a valid Ed25519 key");
    assert_eq!(key.id(), k.key_id);
    key
}

/// Submits the sample; returns the POST receipt and the signed receipt document.
async fn submit_and_fetch(app: &TestApp) -> (Receipt, Value) {
    let response = app.submit(&sample_submission()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: Receipt = response.json().await.unwrap();
    // Any case and without dashes, like the status view.
    let path = format!("/applications/{}/receipt", receipt.code.to_lowercase().replace('-', ""));
    let response = app.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    (receipt, doc)
}

fn check(doc: &Value, key: &PublicKey) -> kc_attest::Check {
    kc_attest::verify(doc, key, |id| (id == kc_rulepack::PACK_ID).then(kc_rulepack::bundled)).expect("a receipt")
}

async fn a_receipt_is_signed_and_verifies_with_the_served_key(app: TestApp) {
    let key = served_key(&app).await;
    let keys: Keys = app.get("/keys").await.json().await.unwrap();
    assert_eq!(keys.keys.len(), 1, "no earlier keys configured");
    let (receipt, doc) = submit_and_fetch(&app).await;
    let attestation = receipt.attestation.clone().expect("a new receipt is signed");
    assert_eq!(attestation.key_id, key.id());
    assert_eq!(attestation.pack_id, kc_rulepack::PACK_ID);
    assert_eq!(attestation.as_of, receipt.decision.as_of);
    // The signed document is the typed wire type, with the same attestation and decision.
    let typed: SignedReceipt = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(typed.attestation.as_ref(), Some(&attestation));
    assert_eq!((typed.code.as_str(), typed.decision.clone()), (receipt.code.as_str(), receipt.decision.clone()));
    assert_eq!(typed.answers, sample_submission().application);
    let c = check(&doc, &key);
    assert_eq!(c.signature, SignatureCheck::Valid);
    assert_eq!(c.reproduction, Reproduction::Matches);
    // The printable receipt shows the digest's start and the key id.
    let page = app.client.get(format!("{}/receipt/{}", app.address, receipt.code)).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("Mã kiểm tra (chữ ký số)"), "{page}");
    assert!(page.contains(&format!("{}…", &attestation.digest[..16])) && page.contains(&attestation.key_id), "{page}");
    // Unknown codes are 404, as for the status view.
    assert_eq!(app.get("/applications/KC-2222-2222-2222-2222/receipt").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/applications/nonsense/receipt").await.status(), StatusCode::NOT_FOUND);
}

async fn tampering_with_an_answer_an_amount_or_the_pack_id_is_detected(app: TestApp) {
    let key = served_key(&app).await;
    let (_, doc) = submit_and_fetch(&app).await;

    let mut answer = doc.clone();
    answer["answers"]["lines"][0]["cost"] = json!(900_000_000);
    let c = check(&answer, &key);
    assert_eq!(c.signature, SignatureCheck::ContentChanged);
    assert!(matches!(c.reproduction, Reproduction::Differs(_)), "{:?}", c.reproduction);

    let mut amount = doc.clone();
    let was = amount["decision"]["support"][0]["amount"].as_i64().expect("the sample has an amount");
    amount["decision"]["support"][0]["amount"] = json!(was + 1);
    let c = check(&amount, &key);
    assert_eq!(c.signature, SignatureCheck::ContentChanged);
    let Reproduction::Differs(d) = &c.reproduction else { panic!("{:?}", c.reproduction) };
    assert_eq!((d[0].path.as_str(), d[0].recomputed.clone()), ("support[0].amount", was.to_string()));

    let mut pack = doc.clone();
    pack["attestation"]["pack_id"] = json!("2030-01-01+forged");
    let c = check(&pack, &key);
    assert_eq!(c.signature, SignatureCheck::ContentChanged);
    assert_eq!(c.reproduction, Reproduction::PackUnavailable("2030-01-01+forged".to_owned()));

    // Another server's key does not verify it.
    let other = kc_attest::Signer::from_seed(&[3; 32]);
    assert!(matches!(check(&doc, other.public()).signature, SignatureCheck::OtherKey { .. }));
}

async fn a_replay_returns_the_same_signature(app: TestApp) {
    let s = sample_submission();
    let first: Receipt = app.submit(&s).await.json().await.unwrap();
    let again = app.submit(&s).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Receipt = again.json().await.unwrap();
    assert_eq!(again.attestation, first.attestation);
    assert!(first.attestation.is_some());
    assert_eq!(again, first);
}

async fn the_staff_page_checks_the_stored_receipt(app: TestApp) {
    add_account(&app, "admin@example.vn", Role::Admin, None).await;
    let staff = login(&app, "admin@example.vn").await;
    let (receipt, _) = submit_and_fetch(&app).await;
    let page = staff.get(&format!("/staff/applications/{}", receipt.code)).await.text().await.unwrap();
    assert!(page.contains("Kiểm tra biên nhận"), "{page}");
    assert!(page.contains("Hợp lệ: do khóa của máy chủ này ký."), "{page}");
    assert!(page.contains("Khớp: tính lại từ câu trả lời"), "{page}");
    // A stored amount changed behind the server's back.
    let db = Db::of(&app.store);
    let sql = match &db {
        Db::Sqlite { .. } => {
            "UPDATE applications SET server_decision = json_set(server_decision, '$.support[0].amount', 1)
             WHERE receipt_code = $1"
        }
        Db::Postgres(_) => {
            "UPDATE applications SET server_decision = jsonb_set(server_decision, '{support,0,amount}', '1')
             WHERE receipt_code = $1"
        }
    };
    match &db {
        Db::Sqlite { writer, .. } => sqlx::query(sql).bind(&receipt.code).execute(writer).await.map(drop),
        Db::Postgres(pool) => sqlx::query(sql).bind(&receipt.code).execute(pool).await.map(drop),
    }
    .unwrap();
    let page = staff.get(&format!("/staff/applications/{}", receipt.code)).await.text().await.unwrap();
    assert!(page.contains("Không hợp lệ: câu trả lời hoặc kết quả lưu trữ đã thay đổi sau khi ký."), "{page}");
    assert!(page.contains("Không khớp: kết quả tính lại khác ở 1 chỗ"), "{page}");
    // The applicant's signed receipt now fails the check too.
    let doc: Value = app.get(&format!("/applications/{}/receipt", receipt.code)).await.json().await.unwrap();
    assert_eq!(check(&doc, &served_key(&app).await).signature, SignatureCheck::ContentChanged);
    // In English.
    let page = staff.get(&format!("/staff/applications/{}?lang=en", receipt.code)).await.text().await.unwrap();
    assert!(page.contains("Receipt check"), "{page}");
}

/// The handler draws the code (the signature covers it); the store never draws another but
/// answers `CodeTaken`, storing nothing, so the handler draws and signs again.
async fn a_taken_receipt_code_is_refused_by_the_store_not_overwritten(app: TestApp) {
    let (receipt, _) = submit_and_fetch(&app).await;
    let pack = kc_rulepack::bundled();
    let now = time::OffsetDateTime::now_utc();
    let mut row = server::recheck::recheck(pack, &sample_submission(), now).unwrap();
    row.receipt_code = receipt.code.clone();
    let taken = app.store.submit(row.clone()).await.unwrap();
    assert_eq!(taken, server::store::Submitted::CodeTaken);
    assert_eq!(app.store.count_applications().await.unwrap(), 1);
    row.receipt_code = "KC-2222-2222-2222-2222".to_owned();
    assert!(matches!(app.store.submit(row).await.unwrap(), server::store::Submitted::Created(_)));
    assert_eq!(app.store.count_applications().await.unwrap(), 2);
    // The first application is as it was: its receipt still verifies.
    let doc: Value = app.get(&format!("/applications/{}/receipt", receipt.code)).await.json().await.unwrap();
    assert!(check(&doc, &served_key(&app).await).ok());
}

/// After a key change, the old key's public half is configured: `/keys` serves it after the
/// current one, and receipts it signed still check out on the staff page.
async fn receipts_of_an_earlier_key_still_verify(app: TestApp, old: kc_attest::Signer) {
    let keys: Keys = app.get("/keys").await.json().await.unwrap();
    assert_eq!(keys.keys.len(), 2);
    assert_eq!(keys.keys[1], old.public().info());
    let current = served_key(&app).await;
    assert_ne!(current.id(), old.public().id());
    // An application the old key signed (stored as the server stored them before the change).
    let mut row =
        server::recheck::recheck(kc_rulepack::bundled(), &sample_submission(), time::OffsetDateTime::now_utc())
            .unwrap();
    server::attest::seal(&old, &mut row, "KC-3333-3333-3333-3333".to_owned()).unwrap();
    assert!(matches!(app.store.submit(row).await.unwrap(), server::store::Submitted::Created(_)));
    let doc: Value = app.get("/applications/KC-3333-3333-3333-3333/receipt").await.json().await.unwrap();
    assert!(check(&doc, old.public()).ok());
    assert!(matches!(check(&doc, &current).signature, SignatureCheck::OtherKey { .. }));
    add_account(&app, "admin@example.vn", Role::Admin, None).await;
    let staff = login(&app, "admin@example.vn").await;
    let page = staff.get("/staff/applications/KC-3333-3333-3333-3333").await.text().await.unwrap();
    assert!(page.contains("Hợp lệ: do một khóa trước đây của máy chủ này ký."), "{page}");
}

mod receipts_of_an_earlier_key {
    fn old() -> kc_attest::Signer {
        kc_attest::Signer::from_seed(&[5; 32])
    }

    fn tweak(s: &mut server::Settings) {
        s.previous_receipt_keys = vec![old().public().to_hex()];
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = tests::spawn_app_with(tests::Backend::Sqlite, tweak).await.expect("sqlite always runs");
        super::receipts_of_an_earlier_key_still_verify(app, old()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(app) = tests::spawn_app_with(tests::Backend::Postgres, tweak).await else { return };
        super::receipts_of_an_earlier_key_still_verify(app, old()).await;
    }
}
