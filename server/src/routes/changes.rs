//! `GET /changes?cursor=…&limit=…` (bearer token): created and updated applications in
//! change order, for tools that mirror the data.
//!
//! Each change has a number (`seq`) assigned inside the transaction that wrote it, in a way
//! that makes numbers commit in order (see `store`). A client keeps `next_cursor` and asks
//! again: it sees every change exactly once, even while submissions are being written.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use kc_api::{ErrorBody, FieldError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::ApiToken;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::ChangeRow;

/// Largest page.
pub const MAX_LIMIT: i64 = 1000;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/changes", get(changes))
}

/// Query of `/changes`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// Return changes after this one (`next_cursor` of the previous page; 0 to start).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64, default = 0, example = 0)]
    pub cursor: Option<i64>,
    /// Page size, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000, default = 100, example = 100)]
    pub limit: Option<i64>,
}

/// One page of the changes feed.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChangesPage {
    /// Changes in `seq` order.
    pub changes: Vec<Change>,
    /// The cursor for the next page (the last `seq`, or the given cursor when empty).
    pub next_cursor: i64,
}

/// One change, with the application as it is now.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Change {
    /// Change number: increasing, no gaps, no duplicates.
    pub seq: i64,
    /// `created` or `updated`.
    pub kind: String,
    /// When the change was written (server clock).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    /// The application now.
    pub application: ApplicationRecord,
}

/// A stored application, as tools see it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApplicationRecord {
    /// Receipt code.
    pub receipt_code: String,
    /// The widget's idempotency key.
    pub client_id: Uuid,
    /// Server receive time.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: OffsetDateTime,
    /// Last change time.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    /// Review state (`received`, `under_review`, …).
    pub status: String,
    /// Province code (from the commune).
    pub province_code: Option<i32>,
    /// Commune code.
    pub commune_code: Option<i64>,
    /// First requested support line.
    pub support_line: Option<String>,
    /// All requested lines, in request order.
    pub support_lines: Vec<String>,
    /// Server outcome.
    pub outcome: String,
    /// National-fund total, đồng.
    pub amount_national: Option<i64>,
    /// Local-fund total, đồng.
    pub amount_local: Option<i64>,
    /// Server and client decisions differ.
    pub drift: bool,
    /// The widget's pack.
    pub client_pack_id: String,
    /// The server's pack.
    pub server_pack_id: String,
    /// Embedding centre.
    pub centre_id: Option<String>,
    /// Contact (personal data).
    #[schema(value_type = Option<Object>)]
    pub contact: Option<serde_json::Value>,
    /// The answers.
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    /// The widget's decision.
    #[schema(value_type = Object)]
    pub client_decision: serde_json::Value,
    /// The server's decision.
    #[schema(value_type = Object)]
    pub server_decision: serde_json::Value,
}

/// The changes feed.
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    tag = "changes",
    params(ChangesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of changes", body = ChangesPage),
        (status = 400, description = "Bad cursor or limit", body = ErrorBody),
        (status = 401, description = "Missing or wrong token", body = ErrorBody),
        (status = 503, description = "Database unavailable; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn changes(
    token: ApiToken,
    State(state): State<AppState>,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<ApiJson<ChangesPage>, ApiError> {
    let Query(query) = query.map_err(|e| bad_query("", &e.body_text()))?;
    let cursor = query.cursor.unwrap_or(0);
    if cursor < 0 {
        return Err(bad_query("cursor", "phải ≥ 0 / must be ≥ 0"));
    }
    let limit = query.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad_query("limit", "phải từ 1 đến 1000 / must be 1 to 1000"));
    }
    let rows = state.store.changes(cursor, limit).await?;
    let next_cursor = rows.last().map_or(cursor, |r| r.seq);
    // A staff token sees its province only; the cursor still moves past what it skips.
    let changes = rows
        .into_iter()
        .filter(|r| token.scope.allows(r.province_code.map(i64::from)))
        .map(change)
        .collect::<Result<_, _>>()?;
    Ok(ApiJson(ChangesPage { changes, next_cursor }))
}

fn bad_query(path: &str, message: &str) -> ApiError {
    ApiError::BadInput {
        status: StatusCode::BAD_REQUEST,
        code: "bad_query",
        message: "Tham số truy vấn không hợp lệ / Invalid query parameters".to_owned(),
        fields: vec![FieldError { path: path.to_owned(), message: message.to_owned() }],
    }
}

fn change(r: ChangeRow) -> Result<Change, ApiError> {
    let json = |s: &str| -> Result<serde_json::Value, ApiError> {
        serde_json::from_str(s).map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("stored JSON")))
    };
    Ok(Change {
        seq: r.seq,
        kind: r.kind,
        at: r.at,
        application: ApplicationRecord {
            receipt_code: r.receipt_code,
            client_id: r.client_id,
            received_at: r.received_at,
            updated_at: r.updated_at,
            status: r.status,
            province_code: r.province_code,
            commune_code: r.commune_code,
            support_line: r.support_line,
            support_lines: r.support_lines.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            outcome: r.outcome,
            amount_national: r.amount_national,
            amount_local: r.amount_local,
            drift: r.drift,
            client_pack_id: r.client_pack_id,
            server_pack_id: r.server_pack_id,
            centre_id: r.centre_id,
            contact: r.contact_json.as_deref().map(json).transpose()?,
            answers: json(&r.answers_json)?,
            client_decision: json(&r.client_decision_json)?,
            server_decision: json(&r.server_decision_json)?,
        },
    })
}
