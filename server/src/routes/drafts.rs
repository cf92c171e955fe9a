//! `POST /drafts` and `GET /drafts/{resume_code}`: park a draft, resume it on another device.

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use kc_api::{DraftPark, ErrorBody, ParkedDraft};
use time::{Duration, OffsetDateTime};

use crate::codes;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::{DraftRow, Parked, to_micros};

/// How long a parked draft lives.
pub const DRAFT_TTL: Duration = Duration::days(30);

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/drafts", post(park)).route("/drafts/{resume_code}", get(resume))
}

/// Parks a draft. One live draft per `client_id`: parking again replaces the answers, keeps
/// the resume code and renews the 30 days.
#[utoipa::path(
    post,
    path = "/api/v1/drafts",
    tag = "drafts",
    request_body = DraftPark,
    responses(
        (status = 201, description = "Parked", body = ParkedDraft),
        (status = 200, description = "The client's live draft, updated", body = ParkedDraft),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "Invalid answers (wrong types, unknown fields, a line twice)", body = ErrorBody),
        (status = 503, description = "Database unavailable; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn park(
    State(state): State<AppState>,
    ApiJson(draft): ApiJson<DraftPark>,
) -> Result<(StatusCode, ApiJson<ParkedDraft>), ApiError> {
    draft.application.check(state.pack).map_err(|e| crate::recheck::rules_error(e, "application."))?;
    let answers = serde_json::to_string(&draft.application).map_err(|e| ApiError::Internal(e.into()))?;
    let now = to_micros(OffsetDateTime::now_utc());
    let parked = state.store.park_draft(draft.client_id, &answers, now, now + DRAFT_TTL).await?;
    let (status, row) = match parked {
        Parked::Created(row) => (StatusCode::CREATED, row),
        Parked::Updated(row) => (StatusCode::OK, row),
    };
    Ok((status, ApiJson(wire(row)?)))
}

/// Resumes a parked draft by its code (any case, dashes optional).
#[utoipa::path(
    get,
    path = "/api/v1/drafts/{resume_code}",
    tag = "drafts",
    params(("resume_code" = String, Path, description = "Resume code, e.g. D-7F3K9-2QDM4")),
    responses(
        (status = 200, description = "The draft", body = ParkedDraft),
        (status = 404, description = "No such draft, or expired", body = ErrorBody),
        (status = 503, description = "Database unavailable; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn resume(
    State(state): State<AppState>,
    code: Result<Path<String>, PathRejection>,
) -> Result<ApiJson<ParkedDraft>, ApiError> {
    let not_found = ApiError::NotFound { what: "bản nháp / draft" };
    let Ok(Path(code)) = code else { return Err(not_found) };
    let Some(code) = codes::normalize_resume(&code) else { return Err(not_found) };
    match state.store.draft(&code, OffsetDateTime::now_utc()).await? {
        Some(row) => Ok(ApiJson(wire(row)?)),
        None => Err(not_found),
    }
}

fn wire(row: DraftRow) -> Result<ParkedDraft, ApiError> {
    let application = ApiError::parse_stored("draft", &row.answers_json)?;
    Ok(ParkedDraft { resume_code: row.resume_code, client_id: row.client_id, application, expires_at: row.expires_at })
}
