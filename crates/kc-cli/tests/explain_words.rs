//! `kc explain` speaks Vietnamese: rendered for every golden case, its text holds no engine
//! id (`sme_size`, `lines.machinery.cost`, `hai_phong.hai_duong`, `food_processing`) and no
//! English fragment.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use kc_rules::vocab::{
    Basis, CommuneKind, CriterionId, Fund, HintId, Line, OldUnit, Outcome, ParamId, PriorityId, ProvinceKind,
    QuestionId, SizeSector, Status, Subject,
};

/// Every id the engine and the pack put on the wire.
fn ids() -> BTreeSet<&'static str> {
    let mut ids = BTreeSet::new();
    ids.extend(Line::ALL.iter().map(|v| v.id()));
    ids.extend(Subject::ALL.iter().map(|v| v.id()));
    ids.extend(SizeSector::ALL.iter().map(|v| v.id()));
    ids.extend(OldUnit::ALL.iter().map(|v| v.id()));
    ids.extend(CommuneKind::ALL.iter().map(|v| v.id()));
    ids.extend(ProvinceKind::ALL.iter().map(|v| v.id()));
    ids.extend(Outcome::ALL.iter().map(|v| v.id()));
    ids.extend(Status::ALL.iter().map(|v| v.id()));
    ids.extend(Fund::ALL.iter().map(|v| v.id()));
    ids.extend(Basis::ALL.iter().map(|v| v.id()));
    ids.extend(CriterionId::ALL.iter().map(|v| v.id()));
    ids.extend(QuestionId::ALL.iter().map(|v| v.id()));
    ids.extend(PriorityId::ALL.iter().map(|v| v.id()));
    ids.extend(HintId::ALL.iter().map(|v| v.id()));
    ids.extend(ParamId::ALL.iter().map(|v| v.id()));
    let pack = kc_rulepack::bundled();
    ids.extend(pack.layers.iter().map(|l| l.id.as_str()));
    ids.extend(pack.sectors.iter().map(|s| s.id.as_str()));
    ids.extend(pack.provinces.iter().flat_map(|p| &p.formed_from).map(|f| f.codename.as_str()));
    ids
}

/// English words that would mark an untranslated fragment.
const ENGLISH: &[&str] = &[
    "the", "and", "of", "from", "for", "with", "not", "only", "is", "are", "cap", "rate", "line", "lines", "support",
    "carried", "over", "per", "this", "that", "no", "yes", "met", "unknown", "none", "pack", "layer", "set", "by",
];

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).map(|w| w.trim_matches('.'))
}

fn explain(application: &str, as_of: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kc"))
        .args(["explain", "--as-of", as_of])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kc runs");
    child.stdin.take().expect("stdin").write_all(application.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("kc finishes");
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).expect("UTF-8"))
}

#[test]
fn explain_of_every_golden_case_shows_no_id_and_no_english() {
    let ids = ids();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kc-rulepack/tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("golden cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() > 100, "the golden cases are found");
    let mut problems = Vec::new();
    let mut rendered = 0;
    for file in &files {
        let case: toml::Table = toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let as_of = case["as_of"].to_string().trim_matches('"').to_owned();
        let app = case.get("application").cloned().unwrap_or(toml::Value::Table(toml::Table::new()));
        let json = serde_json::to_string(&app).unwrap();
        let (code, text) = explain(&json, &as_of);
        if code != 0 {
            continue; // error cases: no decision to explain
        }
        rendered += 1;
        let name = file.file_name().unwrap().to_string_lossy();
        for (n, line) in text.lines().enumerate() {
            // The pack id line names the pack by its id on purpose.
            if line.starts_with("Ngày áp dụng quy định") {
                continue;
            }
            for w in words(line) {
                let raw = ids.contains(w) && (w.contains('_') || w.contains('.') || w.len() > 2);
                let english = ENGLISH.contains(&w.to_ascii_lowercase().as_str());
                if raw || english {
                    problems.push(format!("{name}:{}: {w:?} in {line:?}", n + 1));
                }
            }
        }
    }
    assert!(rendered > 100, "most golden cases give a decision");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
