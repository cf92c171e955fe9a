//! Runs the built `kc` binary: success paths and every class of bad input.
//! Bad input must give exit code 2 and one line on stderr naming the field, never a panic.

use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn kc(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kc runs");
    // The binary may exit before reading stdin (usage errors): ignore a broken pipe.
    let _ = child.stdin.take().expect("stdin").write_all(stdin.as_bytes());
    let out = child.wait_with_output().expect("kc finishes");
    Run {
        code: out.status.code().expect("kc exits normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

const MACHINERY: &str = r#"{
  "lines": [{ "line": "machinery", "cost": 700000000 }],
  "subject": "household_business",
  "location": { "commune_code": 4 },
  "sector": "food_processing"
}"#;

/// A bad input: exit 2, one line on stderr that contains `needle`, nothing on stdout.
#[track_caller]
fn bad(args: &[&str], stdin: &str, needle: &str) {
    let r = kc(args, stdin);
    assert_eq!(r.code, 2, "exit code for {stdin:?}; stderr: {}", r.stderr);
    assert!(r.stdout.is_empty(), "stdout should be empty: {}", r.stdout);
    assert!(!r.stderr.contains("panicked"), "panic: {}", r.stderr);
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "one line: {}", r.stderr);
    assert!(r.stderr.contains(needle), "stderr should name `{needle}`: {}", r.stderr);
}

#[test]
fn evaluate_prints_decision_json() {
    let r = kc(&["evaluate", "--as-of", "2026-01-01"], MACHINERY);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d: kc_rules::Decision = serde_json::from_str(&r.stdout).expect("a Decision");
    assert_eq!(d.as_of.to_string(), "2026-01-01");
    assert_eq!(d.pack_id, kc_rulepack::PACK_ID);
}

#[test]
fn evaluate_accepts_as_of_with_equals_sign() {
    let r = kc(&["evaluate", "--as-of=2019-06-30"], "{}");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d: kc_rules::Decision = serde_json::from_str(&r.stdout).expect("a Decision");
    assert_eq!(d.as_of.to_string(), "2019-06-30");
}

#[test]
fn default_as_of_is_today() {
    let before = time::OffsetDateTime::now_utc().date();
    let r = kc(&["evaluate"], "{}");
    let after = time::OffsetDateTime::now_utc().date();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d: kc_rules::Decision = serde_json::from_str(&r.stdout).expect("a Decision");
    assert!(d.as_of == before || d.as_of == after);
}

#[test]
fn explain_prints_vietnamese_text() {
    let r = kc(&["explain", "--as-of", "2026-01-01"], MACHINERY);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("KẾT QUẢ TỰ KIỂM TRA KHUYẾN CÔNG"), "{}", r.stdout);
    assert!(r.stdout.contains("Kết luận:"), "{}", r.stdout);
    assert!(r.stdout.contains("01/01/2026"), "{}", r.stdout);
    assert!(!r.stdout.contains("sme_size") && !r.stdout.contains("lớp "), "{}", r.stdout);
}

#[test]
fn pack_lists_values_in_force() {
    let r = kc(&["pack", "--as-of", "2026-01-01"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("machinery.cap = 300.000.000 đ (ba trăm triệu đồng)"), "{}", r.stdout);
    assert!(r.stdout.contains("Thông tư 28/2018/TT-BTC"), "{}", r.stdout);
    assert!(r.stdout.contains("[S]"), "{}", r.stdout);
    assert!(r.stdout.contains("location.test = 2025"), "{}", r.stdout);
    // Before TT 28/2018: the joint circular's 200 tr.
    let old = kc(&["pack", "--as-of", "2016-01-01"], "");
    assert_eq!(old.code, 0, "{}", old.stderr);
    assert!(old.stdout.contains("machinery.cap = 200.000.000 đ (hai trăm triệu đồng)"), "{}", old.stdout);
    assert!(old.stdout.contains("location.test = 2012"), "{}", old.stdout);
}

#[test]
fn help_and_usage() {
    let r = kc(&["--help"], "");
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("evaluate"));
    bad(&[], "", "usage");
    bad(&["evaluate", "--as-of", "2026-01-01"], "{} {}", "JSON");
    bad(&["frobnicate"], "", "frobnicate");
    bad(&["evaluate", "--verbose"], "{}", "--verbose");
    bad(&["evaluate", "--as-of"], "{}", "--as-of");
    bad(&["evaluate", "--as-of", "2026-01-01", "--as-of", "2026-01-02"], "{}", "--as-of");
}

#[test]
fn malformed_json() {
    bad(&["evaluate", "--as-of", "2026-01-01"], "{\"lines\": [", "JSON");
    bad(&["evaluate", "--as-of", "2026-01-01"], "not json", "JSON");
    bad(&["explain", "--as-of", "2026-01-01"], "{\"subject\": }", "JSON");
    bad(&["evaluate", "--as-of", "2026-01-01"], "", "stdin");
    bad(&["evaluate", "--as-of", "2026-01-01"], "[]", "application");
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"location":[4]}"#, "location");
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"lines":[["machinery"]]}"#, "lines[0]");
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"lines":{"line":"machinery"}}"#, "lines");
}

#[test]
fn unknown_commune_code() {
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"location":{"commune_code":999999}}"#, "location.commune_code");
    bad(&["explain", "--as-of", "2026-01-01"], r#"{"location":{"commune_code":999999}}"#, "location.commune_code");
}

#[test]
fn former_province_contradicting_the_commune() {
    // 28468 (Xã Tân Hội) was in Tiền Giang before 2025.
    let app = r#"{"location":{"commune_code":28468,"former_province":"dong_thap"}}"#;
    bad(&["evaluate", "--as-of", "2026-01-01"], app, "location.former_province");
    bad(&["explain", "--as-of", "2026-01-01"], app, "Tiền Giang");
    let agreeing = kc(
        &["evaluate", "--as-of", "2026-01-01"],
        r#"{"location":{"commune_code":28468,"former_province":"tien_giang"}}"#,
    );
    assert_eq!(agreeing.code, 0, "{}", agreeing.stderr);
}

#[test]
fn negative_or_fractional_dong() {
    let neg = r#"{"lines":[{"line":"machinery","cost":-5}]}"#;
    bad(&["evaluate", "--as-of", "2026-01-01"], neg, "lines[0].cost");
    bad(&["evaluate", "--as-of", "2026-01-01"], neg, "âm");
    let frac = r#"{"lines":[{"line":"machinery","cost":1000.5}]}"#;
    bad(&["evaluate", "--as-of", "2026-01-01"], frac, "lines[0].cost");
    let str_frac = r#"{"size":{"revenue":"1000,5"}}"#;
    bad(&["evaluate", "--as-of", "2026-01-01"], str_frac, "size.revenue");
    let too_big = r#"{"size":{"capital":1000000000000000001}}"#;
    bad(&["evaluate", "--as-of", "2026-01-01"], too_big, "size.capital");
}

#[test]
fn unknown_enum_value_or_field() {
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"subject":"bank"}"#, "subject");
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"lines":[{"line":"boat"}]}"#, "lines[0].line");
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"location":{"old_unit":"quan"}}"#, "location.old_unit");
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"size":{"sector_group":"mining"}}"#, "size.sector_group");
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"location":{"commune":4}}"#, "location");
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"sector":"banking"}"#, "sector");
    bad(
        &["evaluate", "--as-of", "2026-01-01"],
        r#"{"location":{"former_province":"atlantis"}}"#,
        "location.former_province",
    );
    bad(&["evaluate", "--as-of", "2026-01-01"], r#"{"size":{"employees":-1}}"#, "size.employees");
}

#[test]
fn duplicate_line_and_misplaced_learners() {
    let dup = r#"{"lines":[{"line":"machinery"},{"line":"machinery"}]}"#;
    bad(&["evaluate", "--as-of", "2026-01-01"], dup, "lines[1].line");
    let learners = r#"{"lines":[{"line":"machinery","learners":3}]}"#;
    bad(&["evaluate", "--as-of", "2026-01-01"], learners, "lines[0].learners");
    let pct = r#"{"priority":{"local_materials_percent":150}}"#;
    bad(&["evaluate", "--as-of", "2026-01-01"], pct, "priority.local_materials_percent");
}

#[test]
fn bad_dates() {
    bad(&["evaluate", "--as-of", "2026-13-01"], "{}", "--as-of");
    bad(&["evaluate", "--as-of", "22/11/2026"], "{}", "--as-of");
    bad(&["pack", "--as-of", "2026-02-30"], "", "--as-of");
    bad(
        &["evaluate", "--as-of", "2026-01-01"],
        r#"{"location":{"ward_converted_on":"2020-02-30"}}"#,
        "location.ward_converted_on",
    );
    bad(
        &["evaluate", "--as-of", "2026-01-01"],
        r#"{"location":{"ward_converted_on":"yesterday"}}"#,
        "location.ward_converted_on",
    );
    // Before Decree 45/2012: no rules in force.
    bad(&["evaluate", "--as-of", "2010-01-01"], "{}", "2010-01-01");
    bad(&["pack", "--as-of", "2012-07-04"], "", "2012-07-04");
}

/// `kc pack diff` reads pack files through `kc_rulepack`'s loader: a file that is not a pack
/// names the JSON path; the new side must carry every parameter the engine reads, the old side
/// may predate one.
#[test]
fn pack_files_that_are_not_packs() {
    let dir = std::env::temp_dir().join(format!("kc-cli-packs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_a_pack = dir.join("not-a-pack.json");
    std::fs::write(&not_a_pack, r#"{"id": 7}"#).unwrap();
    let not_a_pack = not_a_pack.to_str().unwrap();
    bad(&["pack", "diff", not_a_pack], "", "id: không phải bộ quy tắc / not a rule pack");
    let mut lacking: serde_json::Value = serde_json::from_str(kc_rulepack::PACK_JSON).unwrap();
    lacking["params"].as_object_mut().unwrap().remove("machinery.cap");
    let lacking_path = dir.join("lacking.json");
    std::fs::write(&lacking_path, lacking.to_string()).unwrap();
    let lacking_path = lacking_path.to_str().unwrap();
    bad(&["pack", "diff", "bundled", lacking_path], "", "params.machinery.cap");
    let r = kc(&["pack", "diff", lacking_path], "");
    assert_eq!(r.code, 0, "an old pack may lack a parameter: {}", r.stderr);
    assert!(r.stdout.contains("machinery.cap"), "{}", r.stdout);
}
