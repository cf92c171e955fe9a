//! The codec against serde_json: the same text out, the same values in.

use std::collections::BTreeMap;

use kc_rules::{Application, Line, LineRequest, Subject, Vnd};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{from_str, to_string};
use crate::state::{Draft, OutboxItem, ReceiptView, SendState};

fn same_both_ways<T>(value: &T)
where
    T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
{
    let ours = to_string(value).expect("writes");
    assert_eq!(ours, serde_json::to_string(value).unwrap(), "same text as serde_json");
    assert_eq!(from_str::<T>(&ours).as_ref(), Some(value), "reads back");
    let pretty = serde_json::to_string_pretty(value).unwrap();
    assert_eq!(from_str::<T>(&pretty).as_ref(), Some(value), "reads serde_json's pretty text");
}

fn draft() -> Draft {
    let mut app = Application {
        lines: vec![LineRequest { line: Line::Machinery, cost: Some(Vnd::from_const(700_000_000)), learners: None }],
        subject: Some(Subject::HouseholdBusiness),
        sector: Some("food_processing".into()),
        ..Application::default()
    };
    app.location.commune_code = Some(16591);
    app.conditions.equipment_new = Some(true);
    let mut d = Draft::new(Uuid::from_u128(7), app);
    d.raw.insert("lines.machinery.cost".into(), "700 triệu \"máy\"\tsấy\\ \u{1}".into());
    d.contact.name = "Hợp tác xã Đồng Tâm".into();
    d.submitted = true;
    d
}

#[test]
fn the_widgets_own_types_round_trip_as_serde_json_writes_them() {
    same_both_ways(&draft());
    same_both_ways(&crate::state::Options::default());
    let failed = SendState::Failed { reason_vi: "Thiếu số điện thoại".into(), reason_en: "No phone".into() };
    same_both_ways(&failed);
    same_both_ways(&vec![SendState::Waiting, SendState::Sending, failed]);
    let mut map = BTreeMap::new();
    map.insert(16591u32, "Xã Các Sơn".to_owned());
    map.insert(7, String::new());
    same_both_ways(&map);
    same_both_ways(&(i64::MIN, u64::MAX, -1i8, None::<bool>, 'đ'));
}

#[test]
fn a_full_server_receipt_reads_into_the_view_and_the_outbox_keeps_it() {
    let server = r#"{"code":"KC-AAAA-BBBB-CCCC","client_id":"00000000-0000-0000-0000-000000000001",
        "received_at":"2026-01-15T08:30:00Z","drift":false,"extra":{"nested":[1.5,-2e3,true,null,{"a":"\u00e0"}]},
        "decision":{"outcome":"eligible","pack_id":"p","as_of":"2026-01-15","score":0.25,
        "papers":[{"id":"x","label":{"vi":"Giấy đăng ký","en":"Registration"}}]}}"#;
    let ours: ReceiptView = from_str(server).expect("unknown fields, floats among them, are skipped");
    assert_eq!(Some(&ours), serde_json::from_str::<ReceiptView>(server).ok().as_ref());
    let item: OutboxItem = from_str(
        &serde_json::to_string(&serde_json::json!({
            "client_id": "00000000-0000-0000-0000-000000000001", "body": "{\"a\":1}", "lines": ["machinery"],
            "client_pack_id": "p", "state": {"sent": serde_json::from_str::<serde_json::Value>(server).unwrap()},
            "attempts": 2, "next_try_ms": 1_700_000_000_000u64, "last_error": ["Mất mạng", "Offline"],
        }))
        .unwrap(),
    )
    .expect("an outbox item");
    assert!(matches!(&item.state, SendState::Sent(r) if *r == ours));
    same_both_ways(&item);
}

#[test]
fn escapes_decode_like_serde_json() {
    for text in [
        r#""Hòa \"Bình\" \\ \/ \b\f\n\r\t""#,
        r#""\u0048\u00f2a \u1ea1 \ud83d\ude00 end""#,
        r#""lone \ud800 surrogate""#,
        r#""""#,
    ] {
        let ours: String = from_str(text).unwrap();
        let theirs: String = serde_json::from_str(text).unwrap_or_else(|_| ours.clone());
        assert_eq!(ours, theirs, "{text}");
    }
    assert_eq!(from_str::<String>(r#""lone \ud800 x""#).as_deref(), Some("lone \u{fffd} x"));
}

#[test]
fn what_is_not_json_or_not_the_type_is_refused() {
    for bad in [
        "",
        " ",
        "nul",
        "tru",
        "{",
        "[1,]",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{1:2}",
        "\"open",
        "\"bad \\x escape\"",
        "\"\\u12\"",
        "\"raw \n newline\"",
        "01",
        "-",
        "1.5",
        "1e3",
        "18446744073709551616",
        "[1] x",
        "{}{}",
    ] {
        assert_eq!(from_str::<serde_json::Value>(bad).map(|_| ()), None, "{bad:?}");
    }
    assert_eq!(from_str::<u8>("256"), None);
    assert_eq!(from_str::<i64>("-9223372036854775808"), Some(i64::MIN));
    assert_eq!(from_str::<i64>("-9223372036854775809"), None);
    assert_eq!(from_str::<Vec<u8>>(" [ 1 , 2 ] "), Some(vec![1, 2]));
    let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
    assert_eq!(from_str::<serde_json::Value>(&deep).map(|_| ()), None, "too deep");
    let fine = format!("{}{}", "[".repeat(64), "]".repeat(64));
    assert!(from_str::<serde_json::Value>(&fine).is_some());
    assert_eq!(to_string(&1.5f64), None, "floats are not written");
}

#[test]
fn enums_of_every_shape() {
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum E {
        Unit,
        New(u32),
        Tuple(u8, String),
        Struct { a: Option<u8> },
    }
    same_both_ways(&vec![E::Unit, E::New(3), E::Tuple(1, "đ".into()), E::Struct { a: None }]);
    assert_eq!(from_str::<E>(r#"{"Unit":1}"#), None);
    assert_eq!(from_str::<E>(r#""New""#), None);
    assert_eq!(from_str::<E>(r#"{"New":1,"x":2}"#), None);
}
