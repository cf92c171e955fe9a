use serde_json::{Value, json};
use time::macros::{date, datetime};

use super::*;

fn canonical(v: &Value) -> String {
    let mut out = Vec::new();
    canonical_json(v, &mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn canonical_json_sorts_keys_and_drops_spacing() {
    let a: Value = serde_json::from_str(r#"{ "b": [1, {"y": null, "x": true}], "a": "Đồng \"x\"\n" }"#).unwrap();
    let b: Value = serde_json::from_str(r#"{"a":"Đồng \"x\"\n","b":[1,{"x":true,"y":null}]}"#).unwrap();
    assert_eq!(canonical(&a), r#"{"a":"Đồng \"x\"\n","b":[1,{"x":true,"y":null}]}"#);
    assert_eq!(canonical(&a), canonical(&b));
    assert_eq!(canonical(&json!({"é": 1, "z": 2, "Z": 3})), r#"{"Z":3,"z":2,"é":1}"#);
    assert_eq!(canonical(&json!(1_000_000_000_000_000_u64)), "1000000000000000");
}

/// The documented example application (`docs/examples/machinery.json`), the bundled pack's
/// decision on it, and the signed document.
fn signed(signer: &Signer) -> Value {
    let pack = kc_rulepack::bundled();
    let app: kc_rules::Application =
        serde_json::from_str(include_str!("../../../docs/examples/machinery.json")).unwrap();
    let as_of = date!(2026 - 03 - 02);
    let decision = kc_rules::evaluate(pack, &app, as_of).unwrap();
    let content = Content {
        code: "KC-7F3K-92QD-M4TX-8HJW".to_owned(),
        client_id: Uuid::from_u128(7),
        received_at: datetime!(2026-03-02 03:04:05.123456 UTC),
        pack_id: decision.pack_id.to_string(),
        as_of,
        answers: serde_json::to_value(&app).unwrap(),
        decision: serde_json::to_value(&decision).unwrap(),
    };
    let attestation = signer.sign(&content);
    json!({
        "code": content.code,
        "client_id": content.client_id,
        "received_at": "2026-03-02T03:04:05.123456Z",
        "answers": content.answers,
        "decision": content.decision,
        "attestation": attestation,
    })
}

fn signer() -> Signer {
    Signer::from_seed(&[7; 32])
}

fn check(doc: &Value, key: &PublicKey) -> Check {
    verify(doc, key, |id| (id == kc_rulepack::PACK_ID).then(kc_rulepack::bundled)).unwrap()
}

#[test]
fn a_signed_receipt_verifies_and_its_decision_reproduces() {
    let s = signer();
    let doc = signed(&s);
    let c = check(&doc, s.public());
    assert_eq!(c.signature, SignatureCheck::Valid);
    assert_eq!(c.reproduction, Reproduction::Matches);
    assert!(c.ok());
    // Key order and spacing do not matter (a jsonb column reorders keys).
    let reordered: Value = serde_json::from_str(&serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    assert!(check(&reordered, s.public()).ok());
    // The key round-trips through hex; its id is 16 hex digits.
    let key = PublicKey::from_hex(&s.public().to_hex()).unwrap();
    assert_eq!(key, *s.public());
    assert_eq!(key.id().len(), 16);
    assert_eq!(Signer::from_seed(&unhex(&s.seed_hex()).unwrap().try_into().unwrap()).public(), s.public());
}

#[test]
fn the_encoding_is_pinned() {
    // A change here breaks every receipt already handed out: add a version instead.
    let content = Content {
        code: "KC-2222-2222-2222-2222".to_owned(),
        client_id: Uuid::from_u128(1),
        received_at: datetime!(2026-01-01 00:00:00.5 UTC),
        pack_id: "2025-07-01+abc".to_owned(),
        as_of: date!(2026 - 01 - 01),
        answers: json!({"subject": "household_business", "lines": []}),
        decision: json!({"outcome": "eligible"}),
    };
    assert_eq!(
        String::from_utf8(content.canonical_bytes()).unwrap(),
        "kc-receipt-v1\n{\"answers\":{\"lines\":[],\"subject\":\"household_business\"},\"as_of\":\"2026-01-01\",\
         \"client_id\":\"00000000-0000-0000-0000-000000000001\",\"code\":\"KC-2222-2222-2222-2222\",\
         \"decision\":{\"outcome\":\"eligible\"},\"pack_id\":\"2025-07-01+abc\",\
         \"received_at\":\"2026-01-01T00:00:00.5Z\",\"v\":1}"
    );
    let a = signer().sign(&content);
    assert_eq!(a.digest, "af62830bfa1dbe1c25e9fbad1cde2ae874de1527b5be0fa93ab91555cb6038d6");
    assert_eq!(a.digest, hex(&content.digest()));
    assert_eq!((a.digest.len(), a.signature.len(), a.v, a.alg.as_str()), (64, 128, 1, "Ed25519"));
    // Ed25519 is deterministic: the same key and content give the same signature.
    assert_eq!(signer().sign(&content), a);
}

#[test]
fn a_tampered_answer_is_detected() {
    let s = signer();
    let mut doc = signed(&s);
    doc["answers"]["lines"][0]["cost"] = json!(900_000_000);
    let c = check(&doc, s.public());
    assert_eq!(c.signature, SignatureCheck::ContentChanged);
    assert!(matches!(c.reproduction, Reproduction::Differs(_)), "{:?}", c.reproduction);
}

#[test]
fn a_tampered_amount_is_detected_with_its_path() {
    let s = signer();
    let mut doc = signed(&s);
    let amount = doc["decision"]["support"][0]["amount"].as_u64().unwrap();
    doc["decision"]["support"][0]["amount"] = json!(amount + 1_000_000);
    let c = check(&doc, s.public());
    assert_eq!(c.signature, SignatureCheck::ContentChanged);
    let Reproduction::Differs(d) = &c.reproduction else { panic!("{:?}", c.reproduction) };
    assert_eq!(d[0].path, "support[0].amount");
    assert_eq!(d[0].recomputed, amount.to_string());
}

#[test]
fn a_tampered_pack_id_is_detected() {
    let s = signer();
    let mut doc = signed(&s);
    doc["attestation"]["pack_id"] = json!("2099-01-01+forged");
    let c = check(&doc, s.public());
    assert_eq!(c.signature, SignatureCheck::ContentChanged);
    assert_eq!(c.reproduction, Reproduction::PackUnavailable("2099-01-01+forged".to_owned()));
    // In the decision only: the signature fails and the reproduction names the field.
    let mut doc = signed(&s);
    doc["decision"]["pack_id"] = json!("2099-01-01+forged");
    let c = check(&doc, s.public());
    assert_eq!(c.signature, SignatureCheck::ContentChanged);
    let Reproduction::Differs(d) = &c.reproduction else { panic!("{:?}", c.reproduction) };
    assert_eq!(d[0].path, "pack_id");
}

#[test]
fn other_keys_forged_signatures_and_missing_signatures_fail() {
    let s = signer();
    let doc = signed(&s);
    let other = Signer::from_seed(&[8; 32]);
    assert!(matches!(check(&doc, other.public()).signature, SignatureCheck::OtherKey { .. }));
    // Re-signed by another key that claims this key's id.
    let mut forged = signed(&other);
    forged["attestation"]["key_id"] = json!(s.public().id());
    assert_eq!(check(&forged, s.public()).signature, SignatureCheck::Invalid);
    // A flipped signature bit.
    let mut flipped = doc.clone();
    let sig = flipped["attestation"]["signature"].as_str().unwrap().to_owned();
    let first = if sig.starts_with('0') { "1" } else { "0" };
    flipped["attestation"]["signature"] = json!(format!("{first}{}", &sig[1..]));
    assert_eq!(check(&flipped, s.public()).signature, SignatureCheck::Invalid);
    // The code and the time are signed too.
    let mut code = doc.clone();
    code["code"] = json!("KC-AAAA-AAAA-AAAA-AAAA");
    assert_eq!(check(&code, s.public()).signature, SignatureCheck::ContentChanged);
    let mut unsigned = doc.clone();
    unsigned.as_object_mut().unwrap().remove("attestation");
    let c = check(&unsigned, s.public());
    assert_eq!((c.signature, c.reproduction), (SignatureCheck::Missing, Reproduction::Matches));
}

#[test]
fn what_is_not_a_receipt_names_the_field() {
    let s = signer();
    let key = s.public();
    let err = |doc: Value| verify(&doc, key, |_| None).unwrap_err().path;
    assert_eq!(err(json!([])), "");
    let mut doc = signed(&s);
    doc.as_object_mut().unwrap().remove("answers");
    assert_eq!(err(doc), "answers");
    let mut doc = signed(&s);
    doc["received_at"] = json!("yesterday");
    assert_eq!(err(doc), "received_at");
    let mut doc = signed(&s);
    doc["attestation"]["v"] = json!(2);
    assert_eq!(err(doc), "attestation.v");
    let mut doc = signed(&s);
    doc["attestation"]["digest"] = json!(5);
    assert_eq!(err(doc), "attestation.digest");
}

#[test]
fn timing_of_signing_and_checking() {
    // Not an assertion on speed (benchmarks measure that): prints the figures for the report
    // with `cargo test -p kc-attest --release -- --nocapture timing`.
    let s = signer();
    let doc = signed(&s);
    let content = super::check::content_for_timing(&doc);
    let n = if cfg!(debug_assertions) { 5 } else { 200 };
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(s.sign(&content));
    }
    let sign = t.elapsed() / n;
    // What the server's handler does: parse the two stored JSON texts, then sign.
    let (answers, decision) = (doc["answers"].to_string(), doc["decision"].to_string());
    let t = std::time::Instant::now();
    for _ in 0..n {
        let c = Content::from_json(
            &content.code,
            content.client_id,
            content.received_at,
            &content.pack_id,
            content.as_of,
            &answers,
            &decision,
        )
        .unwrap();
        std::hint::black_box(s.sign(&c));
    }
    let seal = t.elapsed() / n;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(check(&doc, s.public()));
    }
    let verify = t.elapsed() / n;
    let t = std::time::Instant::now();
    let digest = content.digest();
    for _ in 0..n {
        std::hint::black_box(s.public().verifies(&digest, doc["attestation"]["signature"].as_str().unwrap()));
    }
    let signature_only = t.elapsed() / n;
    let bytes = serde_json::to_string(&doc["attestation"]).unwrap().len();
    let canonical = content.canonical_bytes().len();
    eprintln!(
        "timing: sign {sign:?}, parse + sign {seal:?}, verify + reproduce {verify:?}, Ed25519 verify alone \
         {signature_only:?}; attestation {bytes} bytes in the receipt JSON (\"attestation\": adds 16 more), \
         canonical content {canonical} bytes"
    );
}
