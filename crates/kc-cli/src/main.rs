//! `kc`: the khuyến công rules from the command line.
//!
//! ```text
//! kc evaluate [--as-of YYYY-MM-DD]   Application JSON on stdin → Decision JSON on stdout
//! kc explain  [--as-of YYYY-MM-DD]   Application JSON on stdin → the decision as Vietnamese text
//! kc pack     [--as-of YYYY-MM-DD]   every national and provincial value in force on the date
//! kc pack export                     the bundled pack as JSON (to diff against later)
//! kc pack diff OLD [NEW] [--json]    what NEW (default: the bundled pack) changes from OLD;
//!                                    each is a pack JSON file or `bundled`
//! kc verify RECEIPT --key KEY [--pack FILE]
//!                                    checks a signed receipt: the server's signature and the
//!                                    decision reproduced (exit 1 failed, 3 pack missing)
//! ```
//!
//! The date defaults to today (UTC) from the system clock; the engine itself never reads a
//! clock. Exit codes: 0 success, 2 bad input or usage (one line on stderr naming the field),
//! 1 an internal fault (the bundled pack lacks a parameter).

mod diff;
mod explain;
mod pack;
mod verify;

use std::io::Read;
use std::process::ExitCode;

use kc_rules::{Application, Decision, RulesError};
use time::Date;

const USAGE: &str = "cách dùng / usage: kc <evaluate|explain|pack> [--as-of YYYY-MM-DD]
  evaluate   đọc hồ sơ (JSON) từ stdin, in quyết định (JSON) / read an Application JSON on stdin, print the Decision JSON
  explain    như evaluate, in bằng lời tiếng Việt / the same decision as readable Vietnamese text
  pack       liệt kê các giá trị đang có hiệu lực / list every national and provincial value in force
  pack export            in bộ quy tắc kèm theo dạng JSON / print the bundled pack as JSON
  pack diff CŨ [MỚI] [--json]
             so sánh hai bộ quy tắc (tệp JSON hoặc `bundled`; MỚI mặc định là bộ kèm theo) /
             what changes between two packs (JSON files or `bundled`; NEW defaults to the bundled one)
  verify BIÊN-NHẬN.json --key KHÓA [--pack TỆP]
             kiểm tra biên nhận có chữ ký: chữ ký của máy chủ và quyết định tính lại (0 đạt, 1 không đạt,
             3 thiếu bộ quy tắc) / check a signed receipt (GET /api/v1/applications/CODE/receipt): the server's
             signature (KEY: hex, or the JSON of GET /api/v1/keys) and the decision reproduced
             (0 pass, 1 fail, 3 pack missing); docs/receipts.md";

const USAGE_LINE: &str =
    "usage: kc <evaluate|explain|pack> [--as-of YYYY-MM-DD] | kc pack <export|diff> | kc verify (kc --help)";

/// A failure with its exit code and one-line message.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into() }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(("verify", rest)) = args.split_first().map(|(c, r)| (c.as_str(), r)) {
        return verify::main(rest);
    }
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(f) => {
            eprintln!("kc: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(args: &[String]) -> Result<String, Failure> {
    let (cmd, rest) = match args.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => return Err(Failure::input(format!("thiếu lệnh / missing command; {USAGE_LINE}"))),
    };
    if matches!(cmd, "-h" | "--help" | "help") {
        return Ok(format!("{USAGE}\n"));
    }
    match (cmd, rest.first().map(String::as_str)) {
        ("pack", Some("export")) if rest.len() == 1 => return Ok(format!("{}\n", kc_rulepack::PACK_JSON)),
        ("pack", Some("diff")) => return pack_diff(&rest[1..]),
        _ => {}
    }
    let as_of = parse_options(rest)?;
    let pack = kc_rulepack::bundled();
    match cmd {
        "evaluate" => {
            let decision = decide(&read_stdin()?, as_of)?;
            let json = serde_json::to_string_pretty(&decision)
                .map_err(|e| Failure { code: 1, message: format!("serialising the decision: {e}") })?;
            Ok(format!("{json}\n"))
        }
        "explain" => {
            let decision = decide(&read_stdin()?, as_of)?;
            Ok(explain::render(&decision, pack))
        }
        "pack" => {
            if pack.param(kc_rules::ParamId::RulesStart).and_then(|p| p.at(as_of)).is_none() {
                return Err(rules_failure(RulesError::NoRulesInForce { date: as_of }));
            }
            Ok(pack::render(pack, as_of))
        }
        other => Err(Failure::input(format!("lệnh không rõ / unknown command `{other}`; {USAGE_LINE}"))),
    }
}

/// `kc pack diff OLD [NEW] [--json]`.
fn pack_diff(args: &[String]) -> Result<String, Failure> {
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    if let Some(flag) = files.iter().find(|a| a.starts_with("--")) {
        return Err(Failure::input(format!("tùy chọn không rõ / unknown option `{flag}`; {USAGE_LINE}")));
    }
    let (old, new) = match files[..] {
        [old] => (load_pack(old, false)?, load_pack("bundled", true)?),
        [old, new] => (load_pack(old, false)?, load_pack(new, true)?),
        _ => {
            return Err(Failure::input(format!(
                "pack diff: cần một hoặc hai bộ quy tắc / one or two packs; {USAGE_LINE}"
            )));
        }
    };
    let d = kc_rules::diff::diff(old, new);
    if json {
        let text = serde_json::to_string_pretty(&d)
            .map_err(|e| Failure { code: 1, message: format!("serialising the diff: {e}") })?;
        Ok(format!("{text}\n"))
    } else {
        Ok(diff::render(&d, new))
    }
}

/// A pack from a JSON file (as `kc pack export` writes it), or the bundled one. The new side
/// of a diff is checked as one to decide with ([`kc_rulepack::from_json`]); the old side may
/// predate a parameter the engine reads now.
fn load_pack(path: &str, checked: bool) -> Result<&'static kc_rules::RulePack, Failure> {
    if path == "bundled" {
        return Ok(kc_rulepack::bundled());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::input(format!("{path}: không đọc được / cannot read: {e}")))?;
    let fail = |e: kc_rulepack::PackError| Failure::input(format!("{path}: {e}"));
    if checked {
        kc_rulepack::from_json(&text).map_err(fail)
    } else {
        kc_rulepack::parse_json(&text).map(|p| &*Box::leak(Box::new(p))).map_err(fail)
    }
}

/// `--as-of YYYY-MM-DD` or `--as-of=YYYY-MM-DD`; default: today (UTC).
fn parse_options(rest: &[String]) -> Result<Date, Failure> {
    let mut as_of = None;
    let mut i = 0;
    while i < rest.len() {
        let arg = rest[i].as_str();
        let value = if let Some(v) = arg.strip_prefix("--as-of=") {
            v.to_owned()
        } else if arg == "--as-of" {
            i += 1;
            rest.get(i).cloned().ok_or_else(|| Failure::input("--as-of: thiếu ngày / missing date (YYYY-MM-DD)"))?
        } else {
            return Err(Failure::input(format!("tùy chọn không rõ / unknown option `{arg}`; {USAGE_LINE}")));
        };
        if as_of.is_some() {
            return Err(Failure::input("--as-of: chỉ được nêu một lần / given twice"));
        }
        as_of = Some(parse_date(&value)?);
        i += 1;
    }
    Ok(as_of.unwrap_or_else(|| time::OffsetDateTime::now_utc().date()))
}

fn parse_date(s: &str) -> Result<Date, Failure> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format)
        .map_err(|e| Failure::input(format!("--as-of: ngày không hợp lệ `{s}` (cần YYYY-MM-DD) / bad date: {e}")))
}

fn read_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::input(format!("stdin: không đọc được (cần JSON UTF-8) / cannot read stdin: {e}")))?;
    if text.trim().is_empty() {
        return Err(Failure::input("stdin: trống, cần một hồ sơ JSON / empty, an Application JSON is expected"));
    }
    Ok(text)
}

/// Parses the application (naming the field path of any error), checks it and evaluates it.
fn decide(text: &str, as_of: Date) -> Result<Decision, Failure> {
    let app = parse_application(text)?;
    let pack = kc_rulepack::bundled();
    if pack.param(kc_rules::ParamId::RulesStart).and_then(|p| p.at(as_of)).is_none() {
        return Err(rules_failure(RulesError::NoRulesInForce { date: as_of }));
    }
    app.check(pack).map_err(rules_failure)?;
    kc_rules::evaluate(pack, &app, as_of).map_err(rules_failure)
}

/// Parses an Application; the error names the JSON path (`lines[0].cost: ...`).
///
/// Objects must be JSON objects: serde would otherwise also accept a struct written as an
/// array (`"location": [4]`), which silently assigns fields by position.
fn parse_application(text: &str) -> Result<Application, Failure> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Failure::input(format!("JSON không hợp lệ / malformed JSON: {}", one_line(&e.to_string()))))?;
    require_objects(&value)?;
    let de = &mut serde_json::Deserializer::from_str(text);
    let app: Application = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = one_line(&inner.to_string());
        if inner.is_syntax() || inner.is_eof() {
            Failure::input(format!("JSON không hợp lệ / malformed JSON: {msg}"))
        } else if path == "." {
            Failure::input(format!("hồ sơ / application: {msg}"))
        } else {
            Failure::input(format!("{path}: {msg}"))
        }
    })?;
    Ok(app)
}

/// The application and its nested answer groups must be objects.
fn require_objects(app: &serde_json::Value) -> Result<(), Failure> {
    let not_object =
        |path: &str| Failure::input(format!("{path}: phải là một đối tượng JSON {{...}} / must be a JSON object"));
    let Some(map) = app.as_object() else { return Err(not_object("hồ sơ / application")) };
    for key in ["size", "location", "conditions", "priority"] {
        if map.get(key).is_some_and(|v| !v.is_object()) {
            return Err(not_object(key));
        }
    }
    if let Some(lines) = map.get("lines").and_then(serde_json::Value::as_array) {
        for (i, line) in lines.iter().enumerate() {
            if !line.is_object() {
                return Err(not_object(&format!("lines[{i}]")));
            }
        }
    }
    Ok(())
}

fn rules_failure(e: RulesError) -> Failure {
    match e {
        RulesError::InvalidInput { field, message } => Failure::input(format!("{field}: {}", one_line(&message))),
        RulesError::NoRulesInForce { date } => Failure::input(format!(
            "--as-of: không có quy định khuyến công nào có hiệu lực ngày {date} / no rules in force on {date}"
        )),
        other @ RulesError::BadPack { .. } => Failure { code: 1, message: other.to_string() },
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
