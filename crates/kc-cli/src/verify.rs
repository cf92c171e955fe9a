//! `kc verify RECEIPT --key KEY [--pack FILE]`: checks a signed receipt (the JSON of
//! `GET /api/v1/applications/{code}/receipt`, a file or `-` for stdin): the server's
//! signature over it, and the decision reproduced from its answers at its date under its
//! rule pack (docs/receipts.md).
//!
//! `KEY` is the server's public key: 64 hex digits, a file holding them, or the JSON of
//! `GET /api/v1/keys` (the key whose id the receipt names is used).
//!
//! Exit codes: 0 both checks pass; 1 a check failed (the signature, the decision, or the
//! receipt is not signed); 2 bad input or usage; 3 the signature is valid but the receipt's
//! rule pack is not this `kc`'s bundled pack and no `--pack` with that id was given.

use std::io::Read;
use std::process::ExitCode;

use kc_attest::{Check, PublicKey, Reproduction, SignatureCheck};
use kc_rules::{Decision, Fund, RulePack};
use serde_json::Value;

const USAGE: &str = "usage: kc verify RECEIPT.json|- --key HEX|KEYFILE [--pack PACK.json]";

/// Runs `kc verify` with the arguments after `verify`.
pub(crate) fn main(args: &[String]) -> ExitCode {
    match run(args) {
        Ok((report, code)) => {
            print!("{report}");
            if code != 0 {
                eprintln!("kc: {}", summary(code));
            }
            ExitCode::from(code)
        }
        Err(message) => {
            eprintln!("kc: {message}");
            ExitCode::from(2)
        }
    }
}

fn summary(code: u8) -> &'static str {
    match code {
        3 => {
            "chưa tái lập được quyết định: thiếu bộ quy tắc (--pack) / the decision was not reproduced: pack missing (--pack)"
        }
        _ => "biên nhận không qua kiểm tra / the receipt failed verification",
    }
}

struct Options {
    receipt: String,
    key: String,
    pack: Option<String>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let (mut receipt, mut key, mut pack) = (None, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value =
            |name: &str| it.next().cloned().ok_or_else(|| format!("{name}: thiếu giá trị / missing value; {USAGE}"));
        match arg.as_str() {
            "--key" => key = Some(value("--key")?),
            "--pack" => pack = Some(value("--pack")?),
            a if a.starts_with("--") => return Err(format!("tùy chọn không rõ / unknown option `{a}`; {USAGE}")),
            a if receipt.is_none() => receipt = Some(a.to_owned()),
            a => return Err(format!("thừa tham số / extra argument `{a}`; {USAGE}")),
        }
    }
    let receipt = receipt.ok_or_else(|| format!("thiếu tệp biên nhận / missing the receipt file; {USAGE}"))?;
    let key = key.ok_or_else(|| {
        format!(
            "--key: cần khóa công khai của máy chủ (GET /api/v1/keys) / the server's public key is needed \
             (GET /api/v1/keys); {USAGE}"
        )
    })?;
    Ok(Options { receipt, key, pack })
}

fn run(args: &[String]) -> Result<(String, u8), String> {
    let o = options(args)?;
    let text = if o.receipt == "-" {
        let mut t = String::new();
        std::io::stdin().read_to_string(&mut t).map_err(|e| format!("stdin: không đọc được / cannot read: {e}"))?;
        t
    } else {
        std::fs::read_to_string(&o.receipt).map_err(|e| format!("{}: không đọc được / cannot read: {e}", o.receipt))?
    };
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: không phải JSON / not JSON: {e}", o.receipt))?;
    if doc.is_object() && doc.get("answers").is_none() && doc.get("decision").is_some() {
        return Err(format!(
            "answers: thiếu câu trả lời; lấy biên nhận có chữ ký tại GET /api/v1/applications/MÃ/receipt / \
             no answers: fetch the signed receipt at GET /api/v1/applications/CODE/receipt ({})",
            o.receipt
        ));
    }
    let wanted = doc.pointer("/attestation/key_id").and_then(Value::as_str).unwrap_or("");
    let key = public_key(&o.key, wanted)?;
    let extra: Option<&'static RulePack> = match &o.pack {
        Some(path) => Some(crate::load_pack(path, true).map_err(|f| f.message)?),
        None => None,
    };
    let packs = |id: &str| {
        if let Some(p) = extra.filter(|p| p.id == id) {
            Some(p)
        } else {
            (id == kc_rulepack::PACK_ID).then(kc_rulepack::bundled)
        }
    };
    let check = kc_attest::verify(&doc, &key, packs).map_err(|f| {
        let at = if f.path.is_empty() { o.receipt.clone() } else { format!("{}: {}", o.receipt, f.path) };
        format!("{at}: {}", f.message)
    })?;
    Ok(report(&check, &doc, extra))
}

/// `--key`: hex, a file of hex, or the `/api/v1/keys` JSON (the key named `wanted`).
fn public_key(given: &str, wanted: &str) -> Result<PublicKey, String> {
    if let Some(k) = PublicKey::from_hex(given) {
        return Ok(k);
    }
    let text = std::fs::read_to_string(given).map_err(|e| {
        format!("--key: không phải 64 chữ số hex, không đọc được tệp / not 64 hex digits, cannot read a file: {e}")
    })?;
    if let Some(k) = PublicKey::from_hex(text.trim()) {
        return Ok(k);
    }
    let bad =
        || format!("--key {given}: không phải khóa Ed25519 / not an Ed25519 public key (hex or GET /api/v1/keys)");
    let doc: Value = serde_json::from_str(&text).map_err(|_| bad())?;
    let keys: Vec<&Value> = match doc.get("keys").and_then(Value::as_array) {
        Some(list) => list.iter().collect(),
        None => vec![&doc],
    };
    let pick = keys.iter().find(|k| k["key_id"] == wanted).or(keys.first()).ok_or_else(bad)?;
    pick["public_key"].as_str().and_then(PublicKey::from_hex).ok_or_else(bad)
}

fn report(c: &Check, doc: &Value, extra: Option<&RulePack>) -> (String, u8) {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("Biên nhận / Receipt: {}", c.code));
    line(format!("Bộ quy tắc / Rule pack: {} · ngày áp dụng / as of: {}", c.pack_id, c.as_of));
    let signed = match &c.signature {
        SignatureCheck::Valid => {
            line(format!("✓ Chữ ký hợp lệ / signature valid (khóa / key {})", c.key_id.as_deref().unwrap_or("")));
            true
        }
        SignatureCheck::Missing => {
            line(
                "✗ Không có chữ ký / not signed: biên nhận này không có chữ ký số / this receipt carries no signature"
                    .into(),
            );
            false
        }
        SignatureCheck::OtherKey { receipt, given } => {
            line(format!(
                "✗ Sai khóa / wrong key: biên nhận do khóa {receipt} ký, khóa được cung cấp là {given} / \
                 signed by key {receipt}, the key given is {given}"
            ));
            false
        }
        SignatureCheck::ContentChanged => {
            line(
                "✗ Chữ ký không hợp lệ / signature invalid: nội dung khác nội dung đã ký (câu trả lời, quyết định, mã, \
                 thời điểm, bộ quy tắc hoặc ngày) / the content is not what was signed (answers, decision, code, time, \
                 pack id or date)"
                    .into(),
            );
            false
        }
        SignatureCheck::Invalid => {
            line("✗ Chữ ký không hợp lệ / signature invalid: chữ ký không khớp mã kiểm tra / the signature does not match the digest".into());
            false
        }
    };
    let reproduced = match &c.reproduction {
        Reproduction::Matches => {
            line("✓ Quyết định tái lập khớp / decision reproduced".into());
            Some(true)
        }
        Reproduction::Differs(diffs) => {
            line("✗ Quyết định không khớp / decision differs:".into());
            for d in diffs {
                line(format!(
                    "    decision.{}: biên nhận / receipt {} · tính lại / recomputed {}",
                    d.path, d.receipt, d.recomputed
                ));
            }
            Some(false)
        }
        Reproduction::PackUnavailable(id) => {
            let given = extra.map(|p| format!("; --pack là / is {}", p.id)).unwrap_or_default();
            line(format!(
                "? Bộ quy tắc không có / unknown pack id: {id} — kc này kèm / this kc bundles {}{given}; \
                 dùng / use --pack FILE (kc pack export)",
                kc_rulepack::PACK_ID
            ));
            None
        }
        Reproduction::AnswersInvalid(e) => {
            line(format!("✗ Câu trả lời không đọc được / the answers do not read: {e}"));
            Some(false)
        }
        Reproduction::Refused(e) => {
            line(format!("✗ Bộ quy tắc từ chối câu trả lời / the rules refuse the answers: {e}"));
            Some(false)
        }
    };
    if let Ok(d) = serde_json::from_value::<Decision>(doc["decision"].clone()) {
        let amount = d.total(Fund::National).max(d.total(Fund::Local));
        line(format!(
            "Theo biên nhận / Per the receipt: {} / {} · hỗ trợ / support: {amount}",
            d.outcome.label_vi(),
            d.outcome.label_en()
        ));
    }
    let code = match (signed, reproduced) {
        (true, Some(true)) => 0,
        (true, None) => 3,
        _ => 1,
    };
    (out, code)
}
