//! `kc verify`: a good receipt passes (exit 0); a tampered answer, amount or pack id, another
//! key and an unsigned receipt fail (exit 1); a receipt under another pack without `--pack`
//! exits 3; bad input exits 2 naming the field. The receipts are signed here with a fixed
//! key, as the server signs them.

use std::process::Command;

use kc_attest::{Content, Signer};
use serde_json::{Value, json};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn kc(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_kc")).args(args).output().expect("kc runs");
    Run {
        code: out.status.code().expect("kc exits normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn signer() -> Signer {
    Signer::from_seed(&[42; 32])
}

/// A signed receipt of a machinery application decided by the bundled pack.
fn receipt(signer: &Signer) -> Value {
    let pack = kc_rulepack::bundled();
    let answers = json!({
        "lines": [{ "line": "machinery", "cost": 700000000 }],
        "subject": "household_business",
        "location": { "commune_code": pack.communes[0].code },
        "conditions": { "equipment_new": true }
    });
    let app: kc_rules::Application = serde_json::from_value(answers).unwrap();
    let as_of = time::macros::date!(2026 - 03 - 02);
    let decision = kc_rules::evaluate(pack, &app, as_of).unwrap();
    let content = Content {
        code: "KC-7F3K-92QD-M4TX-8HJW".to_owned(),
        client_id: uuid_of(9),
        received_at: time::macros::datetime!(2026-03-02 03:04:05.25 UTC),
        pack_id: decision.pack_id.to_string(),
        as_of,
        answers: serde_json::to_value(&app).unwrap(),
        decision: serde_json::to_value(&decision).unwrap(),
    };
    json!({
        "code": content.code,
        "client_id": "00000000-0000-0000-0000-000000000009",
        "received_at": "2026-03-02T03:04:05.25Z",
        "answers": content.answers,
        "decision": content.decision,
        "attestation": signer.sign(&content),
    })
}

fn uuid_of(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

fn write(dir: &tempfile::TempDir, name: &str, v: &Value) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(v).unwrap()).unwrap();
    path.display().to_string()
}

fn key_hex() -> String {
    signer().public().to_hex()
}

#[test]
fn a_good_receipt_verifies_with_the_key_as_hex_or_as_the_keys_document() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "r.json", &receipt(&signer()));
    let r = kc(&["verify", &file, "--key", &key_hex()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Chữ ký hợp lệ / signature valid"), "{}", r.stdout);
    assert!(r.stdout.contains("Quyết định tái lập khớp / decision reproduced"), "{}", r.stdout);
    assert!(r.stdout.contains("KC-7F3K-92QD-M4TX-8HJW") && r.stderr.is_empty(), "{}{}", r.stdout, r.stderr);
    // The document GET /api/v1/keys serves, with another key first.
    let keys = json!({ "keys": [Signer::from_seed(&[1; 32]).public().info(), signer().public().info()] });
    let keys = write(&dir, "keys.json", &keys);
    assert_eq!(kc(&["verify", &file, "--key", &keys]).code, 0);
}

#[track_caller]
fn fails(doc: &Value, key: &str, needle: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "r.json", doc);
    let r = kc(&["verify", &file, "--key", key]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(needle), "stdout should say `{needle}`: {}", r.stdout);
    assert!(r.stderr.contains("không qua kiểm tra / the receipt failed verification"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

#[test]
fn a_tampered_answer_amount_or_pack_id_fails_with_the_check_that_failed() {
    let good = receipt(&signer());
    let mut answer = good.clone();
    answer["answers"]["lines"][0]["cost"] = json!(900_000_000);
    fails(&answer, &key_hex(), "Chữ ký không hợp lệ / signature invalid");

    let mut amount = good.clone();
    let was = amount["decision"]["support"][0]["amount"].as_i64().unwrap();
    amount["decision"]["support"][0]["amount"] = json!(was + 50_000_000);
    let r = fails(&amount, &key_hex(), "Chữ ký không hợp lệ / signature invalid");
    assert!(r.stdout.contains("Quyết định không khớp / decision differs"), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("decision.support[0].amount: biên nhận / receipt {}", was + 50_000_000)));
    assert!(r.stdout.contains(&format!("tính lại / recomputed {was}")), "{}", r.stdout);

    let mut pack = good.clone();
    pack["attestation"]["pack_id"] = json!("2030-01-01+forged");
    let r = fails(&pack, &key_hex(), "Chữ ký không hợp lệ / signature invalid");
    assert!(r.stdout.contains("unknown pack id: 2030-01-01+forged"), "{}", r.stdout);
}

#[test]
fn another_key_or_no_signature_fails() {
    let good = receipt(&signer());
    fails(&good, &Signer::from_seed(&[1; 32]).public().to_hex(), "Sai khóa / wrong key");
    let mut unsigned = good.clone();
    unsigned.as_object_mut().unwrap().remove("attestation");
    fails(&unsigned, &key_hex(), "Không có chữ ký / not signed");
}

#[test]
fn a_receipt_under_another_pack_needs_that_pack() {
    // A pack that is the bundled one under another id (as `kc pack export` of another
    // release would be), and a receipt signed under that id.
    let dir = tempfile::tempdir().unwrap();
    let mut pack: Value = serde_json::from_str(kc_rulepack::PACK_JSON).unwrap();
    pack["id"] = json!("2025-01-01+older");
    let pack_file = write(&dir, "older.json", &pack);
    let s = signer();
    let mut doc = receipt(&s);
    doc["decision"]["pack_id"] = json!("2025-01-01+older");
    let content = Content {
        code: doc["code"].as_str().unwrap().to_owned(),
        client_id: uuid_of(9),
        received_at: time::macros::datetime!(2026-03-02 03:04:05.25 UTC),
        pack_id: "2025-01-01+older".to_owned(),
        as_of: time::macros::date!(2026 - 03 - 02),
        answers: doc["answers"].clone(),
        decision: doc["decision"].clone(),
    };
    doc["attestation"] = serde_json::to_value(s.sign(&content)).unwrap();
    let file = write(&dir, "r.json", &doc);
    let r = kc(&["verify", &file, "--key", &key_hex()]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("signature valid") && r.stdout.contains("--pack FILE"), "{}", r.stdout);
    let r = kc(&["verify", &file, "--key", &key_hex(), "--pack", &pack_file]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn bad_input_exits_2_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let good = receipt(&signer());
    let file = write(&dir, "r.json", &good);
    let bad = |args: &[&str], needle: &str| {
        let r = kc(args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(needle), "stderr should name `{needle}`: {}", r.stderr);
        assert!(r.stdout.is_empty() && !r.stderr.contains("panicked"), "{}{}", r.stdout, r.stderr);
    };
    bad(&["verify", &file], "--key");
    bad(&["verify", "--key", &key_hex()], "missing the receipt file");
    bad(&["verify", &file, "--key", "abc"], "--key");
    bad(&["verify", "/nonexistent.json", "--key", &key_hex()], "cannot read");
    let not_json = write(&dir, "x.json", &json!("x"));
    std::fs::write(&not_json, "{ not json").unwrap();
    bad(&["verify", &not_json, "--key", &key_hex()], "not JSON");
    let mut no_time = good.clone();
    no_time["received_at"] = json!(5);
    bad(&["verify", &write(&dir, "t.json", &no_time), "--key", &key_hex()], "received_at");
    // The POST receipt has no answers: say where the signed one is.
    let mut post = good.clone();
    post.as_object_mut().unwrap().remove("answers");
    bad(&["verify", &write(&dir, "p.json", &post), "--key", &key_hex()], "/receipt");
    let mut v2 = good;
    v2["attestation"]["v"] = json!(2);
    bad(&["verify", &write(&dir, "v.json", &v2), "--key", &key_hex()], "attestation.v");
}
