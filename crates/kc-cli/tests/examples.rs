//! Every documented example (`docs/examples/<line>.json`) runs through `kc evaluate` and
//! gives the results written beside it (`docs/examples/<line>.expect.toml`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value as Json;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples")
}

fn evaluate(json: &str, as_of: &str) -> Json {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kc"))
        .args(["evaluate", "--as-of", as_of])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kc runs");
    child.stdin.take().expect("stdin").write_all(json.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("kc finishes");
    assert!(out.status.success(), "kc failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("Decision JSON")
}

/// Compares the stated keys of one fund's expectation; `"absent"` means no value.
fn check_fund(errors: &mut Vec<String>, example: &str, decision: &Json, fund: &str, want: &toml::Table) {
    let Some(result) = decision["support"].as_array().and_then(|a| a.iter().find(|s| s["fund"] == fund)) else {
        errors.push(format!("{example}: no {fund} support result"));
        return;
    };
    for (key, value) in want {
        let actual = &result[key];
        let ok = match value {
            toml::Value::String(s) if s == "absent" => actual.is_null(),
            toml::Value::String(s) => actual.as_str() == Some(s),
            toml::Value::Integer(i) => actual.as_i64() == Some(*i),
            toml::Value::Boolean(b) => actual.as_bool() == Some(*b),
            other => panic!("{example}: unsupported expectation {key} = {other}"),
        };
        if !ok {
            errors.push(format!("{example}: {fund}.{key}: expected {value}, got {actual}"));
        }
    }
}

#[test]
fn documented_examples_give_documented_results() {
    let lines = [
        "machinery",
        "technology_line",
        "demo_model",
        "replication_model",
        "cleaner_production_model",
        "startup",
        "training",
    ];
    let dir = examples_dir();
    let mut errors = Vec::new();
    for line in lines {
        let json =
            std::fs::read_to_string(dir.join(format!("{line}.json"))).unwrap_or_else(|e| panic!("{line}.json: {e}"));
        let expect_text = std::fs::read_to_string(dir.join(format!("{line}.expect.toml")))
            .unwrap_or_else(|e| panic!("{line}.expect.toml: {e}"));
        let expect: toml::Table = toml::from_str(&expect_text).unwrap_or_else(|e| panic!("{line}.expect.toml: {e}"));
        // The example requests exactly its own line.
        let app: kc_rules::Application = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{line}.json: {e}"));
        assert_eq!(app.lines.len(), 1, "{line}.json requests one line");
        assert_eq!(app.lines[0].line.id(), line, "{line}.json requests its own line");

        let as_of = expect["as_of"].as_str().expect("as_of");
        let d = evaluate(&json, as_of);
        if let Some(outcome) = expect.get("outcome").and_then(toml::Value::as_str)
            && d["outcome"].as_str() != Some(outcome)
        {
            errors.push(format!("{line}: outcome: expected {outcome}, got {}", d["outcome"]));
        }
        for fund in ["national", "local"] {
            if let Some(want) = expect.get(fund).and_then(toml::Value::as_table) {
                check_fund(&mut errors, line, &d, fund, want);
            }
        }
        if let Some(amount) = expect.get("reference_amount").and_then(toml::Value::as_integer) {
            let found = d["support"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|s| s["references"].as_array().cloned().unwrap_or_default())
                .any(|r| r["amount"].as_i64() == Some(amount));
            if !found {
                errors.push(format!("{line}: no reference figure of {amount}"));
            }
        }
    }
    assert!(errors.is_empty(), "documented examples disagree with kc evaluate:\n{}", errors.join("\n"));
}

/// No stray example without expectations, and no expectation without its example.
#[test]
fn every_example_has_expectations() {
    for entry in std::fs::read_dir(examples_dir()).expect("docs/examples") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".expect.toml") {
            assert!(examples_dir().join(format!("{stem}.json")).exists(), "{name} has no {stem}.json");
        } else if let Some(stem) = name.strip_suffix(".json") {
            assert!(examples_dir().join(format!("{stem}.expect.toml")).exists(), "{name} has no {stem}.expect.toml");
        }
    }
}
