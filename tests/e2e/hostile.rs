//! Hostile input: whatever arrives at `POST /applications`, the answer is never a 5xx.

use proptest::prelude::*;
use serde_json::{Value, json};
use tests::{Backend, TestApp};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        "\\PC{0,40}".prop_map(Value::String),
        Just(json!("Hộ kinh doanh Đ")),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("client_id".to_owned()),
                    Just("application".to_owned()),
                    Just("client_decision".to_owned()),
                    Just("lines".to_owned()),
                    Just("cost".to_owned()),
                    "[a-z_]{1,12}",
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A valid submission with one field replaced by something arbitrary.
fn mutated_submission() -> impl Strategy<Value = Vec<u8>> {
    let valid = serde_json::to_value(tests::sample_submission()).unwrap();
    let paths: Vec<Vec<&'static str>> = vec![
        vec!["client_id"],
        vec!["application"],
        vec!["application", "lines"],
        vec!["application", "location"],
        vec!["application", "location", "commune_code"],
        vec!["application", "size"],
        vec!["client_decision"],
        vec!["client_decision", "support"],
        vec!["client_decision", "outcome"],
        vec!["client_pack_id"],
        vec!["client_as_of"],
        vec!["contact"],
    ];
    (prop::sample::select(paths), json_value()).prop_map(move |(path, v)| {
        let mut doc = valid.clone();
        let mut at = &mut doc;
        for key in &path[..path.len() - 1] {
            at = &mut at[*key];
        }
        at[*path.last().unwrap()] = v;
        serde_json::to_vec(&doc).unwrap()
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => mutated_submission(),
        2 => json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => prop::collection::vec(any::<u8>(), 0..512),
        1 => (1usize..2000).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()),
        1 => (1usize..200).prop_map(|depth| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).into_bytes()),
        1 => (60_000usize..140_000).prop_map(|n| format!("{{\"client_id\":\"{}\"}}", "ẵ".repeat(n / 3)).into_bytes()),
    ]
}

fn server() -> (tokio::runtime::Runtime, TestApp) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let app = rt.block_on(tests::spawn_app(Backend::Sqlite)).unwrap();
    (rt, app)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_submit_body_gets_a_5xx(body in body(), json_type in any::<bool>()) {
        static SERVER: std::sync::OnceLock<(tokio::runtime::Runtime, TestApp)> = std::sync::OnceLock::new();
        let (rt, app) = SERVER.get_or_init(server);
        let content_type = if json_type { "application/json" } else { "application/json; charset=utf-8" };
        let (status, text) = rt.block_on(async {
            let r = app.post_raw("/applications", content_type, body).await;
            let status = r.status();
            (status, r.text().await.unwrap())
        });
        prop_assert!(status.is_success() || status.is_client_error(), "status {status}: {text}");
        if status.is_client_error() {
            let parsed: Result<kc_api::ErrorBody, _> = serde_json::from_str(&text);
            prop_assert!(parsed.is_ok(), "4xx body is not ErrorBody: {text}");
        }
    }
}
