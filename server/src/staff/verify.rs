//! The detail page's "Kiểm tra biên nhận" block: does the stored signature verify with this
//! server's key, and does the engine, from the applicant's answers at the receipt's date under
//! the receipt's pack, give exactly the stored decision? The same checks as `kc verify`
//! (`kc_attest::verify`), on the stored documents.

use anyhow::Context;
use kc_attest::{Check, Reproduction, SignatureCheck};
use maud::{Markup, html};
use sqlx::Row;

use super::db::{parse_ts, read};
use super::html::Lang;
use super::session::Session;

/// The block for the application `code` (already in the session's scope).
pub async fn block(s: &Session, code: &str) -> Markup {
    let l = s.lang;
    let found = match document(s, code).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "receipt check: reading the application");
            None
        }
    };
    let checked = found.as_ref().map(|(doc, digest)| {
        // The running pack (a pack file, after an adoption) or the one built in.
        let running = s.pack;
        let packs = move |id: &str| {
            if id == running.id { Some(running) } else { (id == kc_rulepack::PACK_ID).then(kc_rulepack::bundled) }
        };
        let (key, current) = s.receipt_keys.for_id(doc.pointer("/attestation/key_id").and_then(|v| v.as_str()));
        (kc_attest::verify(doc, key, packs), digest.clone(), current)
    });
    html! {
        section aria-labelledby="h-receipt-check" {
            h2 id="h-receipt-check" { (l.t("Kiểm tra biên nhận", "Receipt check")) }
            @match checked {
                None => p.err { (l.t("Không đọc được hồ sơ để kiểm tra.", "The application could not be read for the check.")) },
                Some((Err(e), _, _)) => p.err { (l.t("Biên nhận lưu trữ không đọc được", "The stored receipt does not read")) ": " (e.message) },
                Some((Ok(c), digest, current)) => (rows(l, &c, digest.as_deref(), current)),
            }
        }
    }
}

fn rows(l: Lang, c: &Check, digest: Option<&str>, current_key: bool) -> Markup {
    let (sig_ok, sig) = match &c.signature {
        SignatureCheck::Valid if current_key => {
            (true, l.t("Hợp lệ: do khóa của máy chủ này ký.", "Valid: signed by this server's key."))
        }
        SignatureCheck::Valid => (
            true,
            l.t("Hợp lệ: do một khóa trước đây của máy chủ này ký.", "Valid: signed by an earlier key of this server."),
        ),
        SignatureCheck::Missing => (
            false,
            l.t("Không có: hồ sơ nhận trước khi biên nhận được ký số.", "None: received before receipts were signed."),
        ),
        SignatureCheck::OtherKey { .. } => (
            false,
            l.t(
                "Ký bằng một khóa máy chủ không biết (khóa cũ chưa được khai báo cho máy chủ?).",
                "Signed by a key the server does not know (an old key not configured on the server?).",
            ),
        ),
        SignatureCheck::ContentChanged => (
            false,
            l.t(
                "Không hợp lệ: câu trả lời hoặc kết quả lưu trữ đã thay đổi sau khi ký.",
                "Invalid: the stored answers or result changed after signing.",
            ),
        ),
        SignatureCheck::Invalid => (false, l.t("Không hợp lệ.", "Invalid.")),
    };
    let (rep_ok, rep) = match &c.reproduction {
        Reproduction::Matches => (
            true,
            l.t(
                "Khớp: tính lại từ câu trả lời của người nộp theo bộ quy tắc và ngày của biên nhận cho đúng kết quả đã lưu.",
                "Matches: recomputing from the applicant's answers under the receipt's rules and date gives the stored result.",
            )
            .to_owned(),
        ),
        Reproduction::Differs(d) => (
            false,
            format!(
                "{} {} {}",
                l.t("Không khớp: kết quả tính lại khác ở", "Does not match: the recomputed result differs in"),
                d.len(),
                l.t("chỗ (xem chi tiết bằng lệnh kc verify).", "places (run kc verify for the details)."),
            ),
        ),
        Reproduction::PackUnavailable(_) => (
            false,
            l.t(
                "Chưa tái lập được: máy chủ không có bộ quy tắc của biên nhận này.",
                "Not reproduced: the server does not have this receipt's rule pack.",
            )
            .to_owned(),
        ),
        Reproduction::AnswersInvalid(_) | Reproduction::Refused(_) => (
            false,
            l.t(
                "Không tái lập được: bộ quy tắc không nhận các câu trả lời đã lưu.",
                "Not reproduced: the rules refuse the stored answers.",
            )
            .to_owned(),
        ),
    };
    html! {
        table {
            tbody {
                tr { th scope="row" { (l.t("Chữ ký số", "Signature")) } td class=(if sig_ok { "ok" } else { "err" }) { (sig) } }
                tr { th scope="row" { (l.t("Tái lập kết quả", "Result reproduced")) } td class=(if rep_ok { "ok" } else { "err" }) { (rep) } }
                @if let Some(d) = digest {
                    tr { th scope="row" { (l.t("Mã kiểm tra", "Digest")) } td { code { (d.get(..16).unwrap_or(d)) "…" } " · " (l.t("khóa", "key")) " " code { (c.key_id.as_deref().unwrap_or("")) } } }
                }
            }
        }
    }
}

/// The stored receipt as the document `kc verify` reads, and its stated digest.
async fn document(s: &Session, code: &str) -> anyhow::Result<Option<(serde_json::Value, Option<String>)>> {
    let sql = format!(
        "SELECT receipt_code, CAST(client_id AS TEXT) AS client_text, {} AS received_text,
                CAST(answers AS TEXT) AS answers_text, CAST(server_decision AS TEXT) AS decision_text,
                attestation
         FROM applications WHERE receipt_code = $1",
        s.db.time_col("received_at")
    );
    // (code, client id, received at, answers, decision, attestation), as text.
    type Texts = (String, String, String, String, String, Option<String>);
    let texts: Option<Texts> = read!(&s.db, pool => {
        match sqlx::query(&sql).bind(code.to_owned()).fetch_optional(pool).await.context("reading the receipt")? {
            None => None,
            Some(r) => Some((
                r.try_get("receipt_code")?,
                r.try_get("client_text")?,
                r.try_get("received_text")?,
                r.try_get("answers_text")?,
                r.try_get("decision_text")?,
                r.try_get("attestation")?,
            )),
        }
    });
    let Some((code, client_id, received, answers, decision, attestation)) = texts else { return Ok(None) };
    let attestation: Option<serde_json::Value> = attestation.map(|a| serde_json::from_str(&a)).transpose()?;
    let digest = attestation.as_ref().and_then(|a| a["digest"].as_str()).map(str::to_owned);
    let doc = serde_json::json!({
        "code": code,
        "client_id": client_id,
        "received_at": parse_ts(&received)?.format(&time::format_description::well_known::Rfc3339)?,
        "answers": serde_json::from_str::<serde_json::Value>(&answers)?,
        "decision": serde_json::from_str::<serde_json::Value>(&decision)?,
        "attestation": attestation,
    });
    Ok(Some((doc, digest)))
}
