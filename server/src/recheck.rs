//! Recheck: validate a submission, recompute its decision with the server's engine and
//! clock, compare with the client's, and derive what the store indexes.

use kc_api::Submission;
use kc_rules::{Decision, Fund, RulePack, RulesError};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};

use crate::error::ApiError;
use crate::store::NewApplication;

/// Vietnam's offset: the date rules are taken at is the date in Vietnam (the engine's one
/// definition).
pub const VIETNAM: UtcOffset = kc_rules::VIETNAM;

/// Longest accepted free-text fields (the body limit bounds the rest).
const MAX_TEXT: usize = 500;

/// Checks `submission`, decides it at `now` and returns the row to store.
pub fn recheck(
    pack: &'static RulePack,
    submission: &Submission,
    now: OffsetDateTime,
) -> Result<NewApplication, ApiError> {
    check_texts(submission)?;
    check_contact(submission)?;
    let app = &submission.application;
    app.check(pack).map_err(|e| rules_error(e, "application."))?;
    let as_of = now.to_offset(VIETNAM).date();
    let decision = kc_rules::evaluate(pack, app, as_of).map_err(|e| rules_error(e, "application."))?;
    let drift = drifted(&submission.client_decision, &submission.client_pack_id, &decision);

    let province_code = app.location.commune_code.and_then(|c| pack.commune(c)).map(|c| i32::from(c.province_code));
    let ids: Vec<&str> = app.lines.iter().map(|r| r.line.id()).collect();
    let amount = |fund| {
        let mut any = false;
        for s in decision.support.iter().filter(|s| s.fund == fund) {
            any |= s.amount.is_some();
        }
        any.then(|| decision.total(fund).to_i64())
    };
    Ok(NewApplication {
        client_id: submission.client_id,
        content_hash: content_hash(submission),
        received_at: now,
        answers_json: to_json(app)?,
        contact_json: submission.contact.as_ref().map(to_json).transpose()?,
        centre_id: submission.centre_id.clone(),
        client_as_of: submission.client_as_of,
        client_decision_json: to_json(&submission.client_decision)?,
        client_pack_id: submission.client_pack_id.clone(),
        server_as_of: as_of,
        server_decision_json: to_json(&decision)?,
        server_pack_id: decision.pack_id.to_string(),
        drift,
        outcome: outcome_id(&decision).to_owned(),
        amount_national: amount(Fund::National),
        amount_local: amount(Fund::Local),
        province_code,
        commune_code: app.location.commune_code.map(i64::from),
        support_line: ids.first().map(|s| (*s).to_owned()),
        support_lines: ids.join(","),
        // Drawn and signed by the handler (`crate::attest::seal`), which may draw again.
        receipt_code: String::new(),
        attestation_json: None,
    })
}

/// True when the server's decision differs from the client's in eligibility, amounts or pack.
pub fn drifted(client: &Decision, client_pack_id: &str, server: &Decision) -> bool {
    let key =
        |d: &Decision| d.support.iter().map(|s| (s.line, s.fund, s.status, s.amount, s.ceiling)).collect::<Vec<_>>();
    client.outcome != server.outcome
        || client_pack_id != server.pack_id
        || client.pack_id != server.pack_id
        || key(client) != key(server)
}

/// The decision's outcome as its wire id (`eligible`, `not_eligible`, `need_more_answers`).
pub fn outcome_id(d: &Decision) -> &'static str {
    d.outcome.id()
}

/// SHA-256 over the canonical JSON of the whole submission: equal content, equal hash
/// (the parsed form is re-serialised, so key order and spacing in the request do not matter).
pub fn content_hash(submission: &Submission) -> String {
    let canonical = serde_json::to_vec(submission).unwrap_or_default();
    let digest = Sha256::digest(&canonical);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("serialising for storage")))
}

/// An engine error as the API reports it: bad input is a 422 naming `prefix` + the field.
pub(crate) fn rules_error(e: RulesError, prefix: &str) -> ApiError {
    match e {
        RulesError::InvalidInput { field, message } => ApiError::invalid_field(format!("{prefix}{field}"), message),
        other => ApiError::Internal(anyhow::Error::new(other).context("the engine could not decide")),
    }
}

/// The centre must be able to answer: a name and a valid Vietnamese phone number or e-mail.
fn check_contact(s: &Submission) -> Result<(), ApiError> {
    let Some(c) = &s.contact else {
        return Err(ApiError::invalid_field(
            "contact",
            "Cần tên và số điện thoại hoặc thư điện tử để trung tâm liên hệ / \
             A name and a phone number or e-mail are needed so the centre can reach you",
        ));
    };
    match kc_api::contact_problems(c).first() {
        Some((field, vi, en)) => Err(ApiError::invalid_field(format!("contact.{field}"), format!("{vi} / {en}"))),
        None => Ok(()),
    }
}

fn check_texts(s: &Submission) -> Result<(), ApiError> {
    let too_long = |path: &str| {
        ApiError::invalid_field(
            path,
            format!("quá dài (tối đa {MAX_TEXT} ký tự) / too long (at most {MAX_TEXT} characters)"),
        )
    };
    let mut texts: Vec<(&str, &str)> = vec![("client_pack_id", s.client_pack_id.as_str())];
    if let Some(c) = &s.centre_id {
        texts.push(("centre_id", c));
    }
    if let Some(c) = &s.contact {
        texts.push(("contact.name", &c.name));
        if let Some(p) = &c.phone {
            texts.push(("contact.phone", p));
        }
        if let Some(e) = &c.email {
            texts.push(("contact.email", e));
        }
    }
    for (path, text) in texts {
        if text.chars().count() > MAX_TEXT {
            return Err(too_long(path));
        }
        if text.chars().any(|c| c.is_control()) {
            return Err(ApiError::invalid_field(path, "có ký tự điều khiển / contains control characters"));
        }
    }
    Ok(())
}
