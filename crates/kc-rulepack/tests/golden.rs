//! Golden cases: `tests/cases/*.toml`, each an application, a date and the expected key
//! results, derived by hand from `docs/engine.md` and the domain file (never copied from
//! the engine's output). Only what a case states is compared (a partial match).
//!
//! Every case is embedded with `include_str!` through `tests/cases/list.rs`, so the same
//! runner builds natively and for `wasm32-unknown-unknown`:
//!
//! ```text
//! cargo test -p kc-rulepack --test golden
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!     cargo test -p kc-rulepack --target wasm32-unknown-unknown --test golden
//! ```
//!
//! Case format (see also `tests/cases/README.md`):
//!
//! ```toml
//! name = "machinery_cap_exact"
//! as_of = "2026-01-01"
//! description = "…"
//! [application]            # the Application JSON, written as TOML
//! [expected]
//! outcome = "eligible"     # or error = "no_rules_in_force" / "invalid_input"
//! missing = ["…"]          # exact ids in order; or missing_includes / missing_absent
//! hints = ["cap_binds"]    # present; hints_absent: not present
//! papers = ["C1"]          # present; papers_absent
//! [expected.criteria]      # id = "met" | "not_met" | "unknown" | "absent"
//! [expected.priorities]    # id = status
//! [[expected.support]]     # line + fund select; other keys compared; "absent" = no value
//! [[expected.references]]  # line + amount: a reference figure on some result of that line
//! ```

use std::fmt::Write as _;

use serde::Deserialize;
use serde_json::Value as Json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

/// `(file name, contents)` of every case.
const CASES: &[(&str, &str)] = include!("cases/list.rs");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    as_of: toml::Value,
    description: String,
    #[serde(default)]
    application: toml::Table,
    expected: Expected,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Expected {
    outcome: Option<String>,
    error: Option<String>,
    #[serde(default)]
    criteria: toml::Table,
    #[serde(default)]
    priorities: toml::Table,
    #[serde(default)]
    support: Vec<toml::Table>,
    #[serde(default)]
    references: Vec<toml::Table>,
    missing: Option<Vec<String>>,
    missing_prefix: Option<Vec<String>>,
    #[serde(default)]
    missing_includes: Vec<String>,
    #[serde(default)]
    missing_absent: Vec<String>,
    #[serde(default)]
    hints: Vec<String>,
    #[serde(default)]
    hints_absent: Vec<String>,
    #[serde(default)]
    papers: Vec<String>,
    #[serde(default)]
    papers_absent: Vec<String>,
}

/// One difference: the field and both sides.
struct Diff {
    field: String,
    expected: String,
    actual: String,
}

fn to_json(v: &toml::Value) -> Json {
    serde_json::to_value(v).expect("TOML values are JSON values")
}

fn show(v: &Json) -> String {
    match v {
        Json::Null => "(absent)".to_owned(),
        other => other.to_string(),
    }
}

/// Compares a TOML expectation with a JSON value; `"absent"` means null or missing.
fn same(expected: &toml::Value, actual: &Json) -> bool {
    match expected {
        toml::Value::String(s) if s == "absent" => actual.is_null(),
        toml::Value::Integer(i) => actual.as_i64() == Some(*i) || actual.as_str() == Some(&i.to_string()),
        other => &to_json(other) == actual,
    }
}

fn ids(list: &Json, key: &str) -> Vec<String> {
    list.as_array().map(|a| a.iter().filter_map(|x| x[key].as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

/// Runs one case; returns its differences (empty = pass).
fn run_case(file: &str, text: &str) -> Vec<Diff> {
    let mut diffs = Vec::new();
    let mut diff = |field: &str, expected: String, actual: String| {
        diffs.push(Diff { field: field.to_owned(), expected, actual });
    };
    let case: Case = match toml::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            diff("(case file)", "valid case TOML".into(), e.to_string());
            return diffs;
        }
    };
    if file.trim_end_matches(".toml") != case.name {
        diff("name", file.trim_end_matches(".toml").into(), case.name.clone());
    }
    let _ = &case.description;
    let as_of_text = match &case.as_of {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let as_of = match time::Date::parse(&as_of_text, time::macros::format_description!("[year]-[month]-[day]")) {
        Ok(d) => d,
        Err(e) => {
            diff("as_of", "YYYY-MM-DD".into(), format!("{as_of_text}: {e}"));
            return diffs;
        }
    };
    let app_json = serde_json::to_value(&case.application).expect("TOML is JSON");
    let app: kc_rules::Application = match serde_json::from_value(app_json) {
        Ok(a) => a,
        Err(e) => {
            diff("application", "a valid Application".into(), e.to_string());
            return diffs;
        }
    };
    let pack = kc_rulepack::bundled();
    let ex = &case.expected;
    let decision = match kc_rules::evaluate(pack, &app, as_of) {
        Ok(d) => d,
        Err(e) => {
            let kind = match e {
                kc_rules::RulesError::NoRulesInForce { .. } => "no_rules_in_force",
                kc_rules::RulesError::InvalidInput { .. } => "invalid_input",
                kc_rules::RulesError::BadPack { .. } => "bad_pack",
            };
            if ex.error.as_deref() != Some(kind) {
                diff("error", ex.error.clone().unwrap_or_else(|| "(a decision)".into()), format!("{kind}: {e}"));
            }
            return diffs;
        }
    };
    if let Some(err) = &ex.error {
        diff("error", err.clone(), "(a decision)".into());
        return diffs;
    }
    let d = serde_json::to_value(&decision).expect("a Decision serialises");

    if let Some(outcome) = &ex.outcome
        && d["outcome"].as_str() != Some(outcome)
    {
        diff("outcome", outcome.clone(), show(&d["outcome"]));
    }
    for (id, want) in &ex.criteria {
        let found = d["criteria"].as_array().and_then(|a| a.iter().find(|c| c["id"] == id.as_str()));
        let actual = found.map_or(Json::String("absent".into()), |c| c["status"].clone());
        if to_json(want) != actual {
            diff(&format!("criteria.{id}"), show(&to_json(want)), show(&actual));
        }
    }
    for (id, want) in &ex.priorities {
        let found = d["priorities"].as_array().and_then(|a| a.iter().find(|c| c["id"] == id.as_str()));
        let actual = found.map_or(Json::String("absent".into()), |c| c["status"].clone());
        if to_json(want) != actual {
            diff(&format!("priorities.{id}"), show(&to_json(want)), show(&actual));
        }
    }
    for want in &ex.support {
        let line = want.get("line").and_then(toml::Value::as_str).unwrap_or("?");
        let fund = want.get("fund").and_then(toml::Value::as_str).unwrap_or("?");
        let here = format!("support[{line}/{fund}]");
        let found = d["support"].as_array().and_then(|a| a.iter().find(|s| s["line"] == line && s["fund"] == fund));
        let absent = want.get("absent").and_then(toml::Value::as_bool) == Some(true);
        match (found, absent) {
            (None, true) => continue,
            (Some(_), true) => {
                diff(&here, "(absent)".into(), "(present)".into());
                continue;
            }
            (None, false) => {
                diff(&here, "(present)".into(), "(absent)".into());
                continue;
            }
            (Some(s), false) => {
                for (key, value) in want {
                    if matches!(key.as_str(), "line" | "fund" | "absent") {
                        continue;
                    }
                    // `cap` and `rate` compare the value used; other keys the field itself.
                    let actual = match key.as_str() {
                        "cap" | "rate" | "multiplier" => s[key]["value"].clone(),
                        _ => s[key].clone(),
                    };
                    if !same(value, &actual) {
                        diff(&format!("{here}.{key}"), show(&to_json(value)), show(&actual));
                    }
                }
            }
        }
    }
    for want in &ex.references {
        let line = want.get("line").and_then(toml::Value::as_str).unwrap_or("?");
        let amount = want.get("amount").and_then(toml::Value::as_integer).unwrap_or(-1);
        let all: Vec<i64> = d["support"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["line"] == line)
            .flat_map(|s| s["references"].as_array().cloned().unwrap_or_default())
            .filter_map(|r| r["amount"].as_i64())
            .collect();
        if !all.contains(&amount) {
            diff(&format!("references[{line}]"), format!("contains {amount}"), format!("{all:?}"));
        }
    }
    let missing = ids(&d["missing"], "id");
    if let Some(want) = &ex.missing
        && &missing != want
    {
        diff("missing", format!("{want:?}"), format!("{missing:?}"));
    }
    if let Some(prefix) = &ex.missing_prefix
        && !missing.starts_with(prefix)
    {
        diff("missing (prefix)", format!("{prefix:?}"), format!("{missing:?}"));
    }
    for q in &ex.missing_includes {
        if !missing.contains(q) {
            diff("missing (includes)", q.clone(), format!("{missing:?}"));
        }
    }
    for q in &ex.missing_absent {
        if missing.contains(q) {
            diff("missing (absent)", format!("no {q}"), format!("{missing:?}"));
        }
    }
    let hints = ids(&d["hints"], "id");
    for h in &ex.hints {
        if !hints.contains(h) {
            diff("hints (present)", h.clone(), format!("{hints:?}"));
        }
    }
    for h in &ex.hints_absent {
        if hints.contains(h) {
            diff("hints (absent)", format!("no {h}"), format!("{hints:?}"));
        }
    }
    let papers = ids(&d["papers"], "id");
    for p in &ex.papers {
        if !papers.contains(p) {
            diff("papers (present)", p.clone(), format!("{papers:?}"));
        }
    }
    for p in &ex.papers_absent {
        if papers.contains(p) {
            diff("papers (absent)", format!("no {p}"), format!("{papers:?}"));
        }
    }
    diffs
}

/// A framed report of every failing case.
fn report(failures: &[(&str, Vec<Diff>)]) -> String {
    let mut s = String::new();
    for (name, diffs) in failures {
        let _ = writeln!(s, "╔══ case {name} ══");
        for d in diffs {
            let _ = writeln!(s, "║ field:    {}", d.field);
            let _ = writeln!(s, "║ expected: {}", d.expected);
            let _ = writeln!(s, "║ actual:   {}", d.actual);
            let _ = writeln!(s, "╟──");
        }
        let _ = writeln!(s, "╚══");
    }
    s
}

fn run_all() {
    assert!(CASES.len() >= 60, "expected at least 60 golden cases, found {}", CASES.len());
    let only = option_env!("GOLDEN_ONLY");
    let failures: Vec<(&str, Vec<Diff>)> = CASES
        .iter()
        .filter(|(file, _)| only.is_none_or(|o| file.contains(o)))
        .map(|(file, text)| (*file, run_case(file, text)))
        .filter(|(_, diffs)| !diffs.is_empty())
        .collect();
    if !failures.is_empty() {
        panic!("{} of {} golden cases failed:\n{}", failures.len(), CASES.len(), report(&failures));
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn golden_cases() {
    run_all();
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test]
fn golden_cases() {
    run_all();
}

/// Every file in `tests/cases/` is in the list, and every listed file exists.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn case_list_is_complete() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/cases")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(n, _)| (*n).to_owned()).collect();
    listed.sort();
    assert_eq!(listed, on_disk, "tests/cases/list.rs is out of date: regenerate it with tests/cases/make-list.sh");
}
