//! `POST /applications` (submit, idempotent by `client_id`),
//! `GET /applications/{receipt}` (the applicant's status view) and
//! `GET /applications/{receipt}/receipt` (the signed receipt, to check with `kc verify`).

use std::time::Instant;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use kc_api::{CurrentDecision, DecisionUsed, ErrorBody, Receipt, ReviewState, SignedReceipt, StatusView, Submission};
use kc_rules::{Line, Outcome, Text};
use time::OffsetDateTime;

use crate::codes;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::recheck::recheck;
use crate::state::AppState;
use crate::store::{StoredReceipt, Submitted, to_micros};

/// The routes of this module.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/applications", post(submit).route_layer(middleware::from_fn_with_state(state.clone(), rate_limit)))
        .route("/applications/{receipt}", get(status))
        .route("/applications/{receipt}/receipt", get(signed))
}

/// Submits a self-check. Idempotent by `client_id`.
#[utoipa::path(
    post,
    path = "/api/v1/applications",
    tag = "applications",
    request_body = Submission,
    responses(
        (status = 201, description = "Stored for the first time", body = Receipt),
        (status = 200, description = "Replay of the same content: the same receipt", body = Receipt),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "Same client_id, different content", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "Invalid answers (unknown codes, wrong types, missing fields)", body = ErrorBody),
        (status = 429, description = "Too many submissions from this address", body = ErrorBody),
        (status = 503, description = "Database unavailable; nothing stored, retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    ApiJson(submission): ApiJson<Submission>,
) -> Result<(StatusCode, ApiJson<Receipt>), ApiError> {
    let now = to_micros(OffsetDateTime::now_utc());
    let pack = state.pack;
    // The engine takes tens of microseconds (under 1 % of a submission's CPU in
    // `cargo xtask bench-server` profiles): run it in place. A `spawn_blocking` hop cost more
    // in thread wake-ups than the evaluation itself.
    // The receipt code is drawn here, not in the store, because the signature covers it.
    // Signing (a SHA-256 over the canonical documents and one Ed25519 signature) runs here
    // on the request's thread, not in the store's single writer task. A replay is signed
    // too and the new signature dropped: the stored receipt is returned as it was.
    for _ in 0..5 {
        let mut row = recheck(pack, &submission, now)?;
        crate::attest::seal(&state.receipt_keys.signer, &mut row, codes::receipt())?;
        return match state.store.submit(row).await? {
            Submitted::Created(r) => Ok((StatusCode::CREATED, ApiJson(receipt(r)?))),
            Submitted::Replayed(r) => Ok((StatusCode::OK, ApiJson(receipt(r)?))),
            Submitted::Conflict => Err(ApiError::Conflict),
            Submitted::CodeTaken => continue,
        };
    }
    Err(ApiError::Internal(anyhow::anyhow!("five receipt codes in a row collided")))
}

fn receipt(r: StoredReceipt) -> Result<Receipt, ApiError> {
    let decision = ApiError::parse_stored("server decision", &r.server_decision_json)?;
    Ok(Receipt {
        code: r.receipt_code,
        client_id: r.client_id,
        received_at: r.received_at,
        decision,
        drift: r.drift,
        attestation: crate::attest::stored(r.attestation_json.as_deref())?,
    })
}

/// The signed receipt: the answers as submitted, the server's decision and the signature,
/// so that anyone holding the code can check it (`kc verify`, docs/receipts.md).
#[utoipa::path(
    get,
    path = "/api/v1/applications/{receipt}/receipt",
    tag = "applications",
    params(("receipt" = String, Path, description = "Receipt code, e.g. KC-7F3K-92QD-M4TX-8HJW (any case, dashes optional)")),
    responses(
        (status = 200, description = "The signed receipt; check it with `kc verify FILE --key KEY` and the key from /api/v1/keys", body = SignedReceipt),
        (status = 404, description = "No such receipt", body = ErrorBody),
        (status = 503, description = "Database unavailable; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn signed(
    State(state): State<AppState>,
    receipt: Result<Path<String>, PathRejection>,
) -> Result<ApiJson<SignedReceipt>, ApiError> {
    let code = receipt_code(receipt)?;
    let Some(row) = state.store.signed(&code).await? else { return Err(NOT_FOUND) };
    Ok(ApiJson(SignedReceipt {
        code: row.receipt_code,
        client_id: row.client_id,
        received_at: row.received_at,
        answers: ApiError::parse_stored("answers", &row.answers_json)?,
        decision: ApiError::parse_stored("server decision", &row.server_decision_json)?,
        attestation: crate::attest::stored(row.attestation_json.as_deref())?,
    }))
}

/// The applicant's view of one application: state, times, amount, next step, last comment.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{receipt}",
    tag = "applications",
    params(("receipt" = String, Path, description = "Receipt code, e.g. KC-7F3K-92QD-M4TX-8HJW (any case, dashes optional)")),
    responses(
        (status = 200, description = "Status view", body = StatusView),
        (status = 404, description = "No such receipt", body = ErrorBody),
        (status = 503, description = "Database unavailable; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    receipt: Result<Path<String>, PathRejection>,
) -> Result<ApiJson<StatusView>, ApiError> {
    let code = receipt_code(receipt)?;
    let Some(row) = state.store.status(&code).await? else { return Err(NOT_FOUND) };
    let current = crate::adopt::current_of(&crate::staff::db::Db::of(&state.store), &code, &state.pack.id)
        .await?
        .filter(crate::adopt::Current::differs);
    let state_: ReviewState = stored_enum(&row.status, "status")?;
    let outcome: Outcome = stored_enum(&row.outcome, "outcome")?;
    let lines = row
        .support_lines
        .split(',')
        .filter(|s| !s.is_empty())
        .filter_map(|id| Line::ALL.into_iter().find(|l| l.id() == id))
        .collect();
    let amount = larger(row.amount_national, row.amount_local);
    let policy = state.settings.decision_policy;
    let used =
        if current.as_ref().is_some_and(|c| c.used(policy)) { DecisionUsed::Current } else { DecisionUsed::Received };
    let current = current
        .map(|c| {
            let vnd = |v: Option<i64>| v.and_then(|v| kc_rules::Vnd::new(v).ok());
            Ok::<_, ApiError>(CurrentDecision {
                outcome: stored_enum(&c.outcome, "current_outcome")?,
                amount: larger(c.amount_national, c.amount_local),
                amount_national: vnd(c.amount_national),
                amount_local: vnd(c.amount_local),
                pack_id: c.pack_id,
            })
        })
        .transpose()?;
    let used_outcome = match (&current, used) {
        (Some(c), DecisionUsed::Current) => c.outcome,
        _ => outcome,
    };
    Ok(ApiJson(StatusView {
        code: row.receipt_code,
        state: state_,
        received_at: row.received_at,
        outcome,
        lines,
        amount,
        next_step: next_step(state_, used_outcome),
        comment: row.applicant_comment,
        decision_note: current.as_ref().map(|_| decision_note(used)),
        decision_used: used,
        current,
    }))
}

const NOT_FOUND: ApiError = ApiError::NotFound { what: "hồ sơ / application" };

/// The receipt code of the path, normalised (any case, dashes optional); 404 when it cannot
/// be one.
fn receipt_code(receipt: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Ok(Path(receipt)) = receipt else { return Err(NOT_FOUND) };
    codes::normalize_receipt(&receipt).ok_or(NOT_FOUND)
}

/// One line is paid by one fund: the larger of the two totals, not their sum.
fn larger(national: Option<i64>, local: Option<i64>) -> Option<kc_rules::Vnd> {
    match (national, local) {
        (None, None) => None,
        (a, b) => kc_rules::Vnd::new(a.unwrap_or(0).max(b.unwrap_or(0))).ok(),
    }
}

/// Which decision the centre uses, when the rule pack it runs now decides differently from
/// the one the application was received under.
pub fn decision_note(used: DecisionUsed) -> Text {
    match used {
        DecisionUsed::Received => Text::new(
            "Quy định đã thay đổi sau khi trung tâm nhận hồ sơ. Trung tâm vẫn xét theo kết quả khi nhận hồ sơ \
             (quy định có hiệu lực lúc đó, như bạn đã được thông báo); kết quả theo quy định mới được ghi bên cạnh để tham khảo.",
            "The rules changed after the centre received the application. The centre still uses the result at \
             receipt (the rules then in force, as you were told); the result under the new rules is shown beside it for reference.",
        ),
        DecisionUsed::Current => Text::new(
            "Quy định đã thay đổi sau khi trung tâm nhận hồ sơ. Trung tâm xét theo kết quả theo quy định đang áp dụng; \
             kết quả khi nhận hồ sơ (như bạn đã được thông báo) vẫn được lưu nguyên.",
            "The rules changed after the centre received the application. The centre uses the result under the rules \
             in force now; the result at receipt (as you were told) is kept unchanged.",
        ),
    }
}

/// A stored snake_case id back into its enum.
pub(crate) fn stored_enum<T: serde::de::DeserializeOwned>(id: &str, column: &'static str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(id.to_owned()))
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context(format!("stored {column} is unknown"))))
}

/// What the applicant should expect next.
pub fn next_step(state: ReviewState, outcome: Outcome) -> Text {
    match (state, outcome) {
        (ReviewState::Received, Outcome::Eligible) => Text::new(
            "Trung tâm khuyến công đã nhận hồ sơ và sẽ liên hệ với bạn. Hãy chuẩn bị các giấy tờ trong danh sách.",
            "The centre has received the application and will contact you. Prepare the papers listed.",
        ),
        (ReviewState::Received, Outcome::NotEligible) => Text::new(
            "Theo các câu trả lời, cơ sở chưa đủ điều kiện. Trung tâm có thể liên hệ để tư vấn thêm.",
            "By the answers given, the establishment is not eligible. The centre may contact you with advice.",
        ),
        (ReviewState::Received, Outcome::NeedMoreAnswers) => Text::new(
            "Trung tâm đã nhận hồ sơ và sẽ liên hệ để bổ sung thông tin còn thiếu.",
            "The centre has received the application and will contact you for the missing answers.",
        ),
        (ReviewState::UnderReview, _) => {
            Text::new("Cán bộ trung tâm đang xem xét hồ sơ.", "A centre officer is reviewing the application.")
        }
        (ReviewState::NeedsChanges, _) => Text::new(
            "Trung tâm đề nghị bổ sung hoặc sửa hồ sơ: xem ghi chú.",
            "The centre asks you to complete or correct the application: see the comment.",
        ),
        (ReviewState::Accepted, _) => Text::new(
            "Hồ sơ đã được đưa vào kế hoạch khuyến công. Trung tâm sẽ hướng dẫn lập đề án.",
            "The application is in the extension plan. The centre will guide you through the project dossier.",
        ),
        (ReviewState::Rejected, _) => Text::new(
            "Hồ sơ không được chấp nhận: xem ghi chú của trung tâm.",
            "The application was not accepted: see the centre's comment.",
        ),
    }
}

/// Per-IP token bucket in front of `POST /applications`.
async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, ApiError> {
    let ip = crate::ratelimit::client_ip(request.headers(), request.extensions(), state.settings.trust_forwarded_for);
    if let Some(ip) = ip
        && !state.limiter.check(ip, Instant::now())
    {
        return Err(ApiError::RateLimited);
    }
    Ok(next.run(request).await)
}
