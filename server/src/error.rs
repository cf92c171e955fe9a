//! `ApiError`: every failure a handler can return, and how it looks on the wire.
//!
//! Bad input is a 4xx with a stable `code`, a Vietnamese-then-English message and the field
//! errors ([`kc_api::ErrorBody`]). Internal failures are an opaque 500: the cause travels in
//! the response extensions to [`log_internal_errors`], which logs it (no personal data: the
//! causes are store and engine errors, never request bodies).

use std::sync::Arc;

use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kc_api::{ErrorBody, FieldError};

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON, or not the JSON we expect (400/422).
    #[error("{message}")]
    BadInput { status: StatusCode, code: &'static str, message: String, fields: Vec<FieldError> },
    /// The body is larger than the limit (413).
    #[error("payload too large")]
    TooLarge,
    /// The body is not `application/json` (415).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Nothing under this id or code (404).
    #[error("not found")]
    NotFound { what: &'static str },
    /// No such route (404) or method (405).
    #[error("no route")]
    NoRoute { status: StatusCode },
    /// Same client id, different content (409).
    #[error("conflict")]
    Conflict,
    /// Missing or wrong bearer token (401).
    #[error("unauthorized")]
    Unauthorized,
    /// Too many submissions from this address (429).
    #[error("rate limited")]
    RateLimited,
    /// The database is not answering (503, `/readyz`).
    #[error("unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything else: opaque 500, cause logged.
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for ApiError {
    /// A store error that says the database is unreachable is a 503 (`Retry-After`), not a 500.
    fn from(e: anyhow::Error) -> ApiError {
        if crate::store::is_unavailable(&e) { ApiError::Unavailable(e) } else { ApiError::Internal(e) }
    }
}

impl ApiError {
    /// A JSON document the server stored, read back; one that no longer parses is a 500
    /// (`stored {what} does not parse`), never the client's fault.
    pub fn parse_stored<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, ApiError> {
        serde_json::from_str(text)
            .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context(format!("stored {what} does not parse"))))
    }
}

/// Seconds a client is asked to wait after a 503.
pub const RETRY_AFTER_UNAVAILABLE: &str = "2";

/// The logged cause of a 5xx, carried in the response extensions.
#[derive(Clone)]
pub struct InternalCause(pub Arc<anyhow::Error>);

impl ApiError {
    /// A 422 about one field.
    pub fn invalid_field(path: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::BadInput {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "validation",
            message: "Dữ liệu không hợp lệ / Invalid data".to_owned(),
            fields: vec![FieldError { path: path.into(), message: message.into() }],
        }
    }

    /// The HTTP status of this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadInput { status, .. } => *status,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::NoRoute { status } => *status,
            ApiError::Conflict => StatusCode::CONFLICT,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let (code, message, fields): (&str, String, Vec<FieldError>) = match self {
            ApiError::BadInput { code, message, fields, .. } => (code, message.clone(), fields.clone()),
            ApiError::TooLarge => {
                ("payload_too_large", "Dữ liệu gửi lên quá lớn / Request body too large".to_owned(), Vec::new())
            }
            ApiError::UnsupportedMediaType => (
                "unsupported_media_type",
                "Cần gửi JSON (Content-Type: application/json) / Expected JSON (Content-Type: application/json)"
                    .to_owned(),
                Vec::new(),
            ),
            ApiError::NotFound { what } => {
                ("not_found", format!("Không tìm thấy {what} / {what} not found"), Vec::new())
            }
            ApiError::NoRoute { status } if *status == StatusCode::METHOD_NOT_ALLOWED => {
                ("method_not_allowed", "Phương thức không được hỗ trợ / Method not allowed".to_owned(), Vec::new())
            }
            ApiError::NoRoute { .. } => ("no_route", "Không có địa chỉ này / No such route".to_owned(), Vec::new()),
            ApiError::Conflict => (
                "conflict",
                "Mã hồ sơ (client_id) này đã được gửi với nội dung khác; hãy tạo hồ sơ mới / \
                 This client_id was already submitted with different content; start a new application"
                    .to_owned(),
                Vec::new(),
            ),
            ApiError::Unauthorized => (
                "unauthorized",
                "Thiếu hoặc sai mã truy cập (Authorization: Bearer …) / Missing or wrong access token".to_owned(),
                Vec::new(),
            ),
            ApiError::RateLimited => (
                "rate_limited",
                "Gửi quá nhiều lần, vui lòng thử lại sau ít phút / Too many submissions, please retry in a few minutes"
                    .to_owned(),
                Vec::new(),
            ),
            ApiError::Unavailable(_) => (
                "unavailable",
                "Máy chủ tạm thời chưa sẵn sàng / Server temporarily unavailable".to_owned(),
                Vec::new(),
            ),
            ApiError::Internal(_) => (
                "internal",
                "Lỗi máy chủ, vui lòng thử lại / Internal server error, please retry".to_owned(),
                Vec::new(),
            ),
        };
        ErrorBody { code: code.to_owned(), message, fields }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let mut response = (status, Json(self.body())).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS {
            response.headers_mut().insert("retry-after", axum::http::HeaderValue::from_static("60"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert("retry-after", axum::http::HeaderValue::from_static(RETRY_AFTER_UNAVAILABLE));
        }
        match self {
            ApiError::Internal(e) | ApiError::Unavailable(e) => {
                response.extensions_mut().insert(InternalCause(Arc::new(e)));
            }
            _ => {}
        }
        response
    }
}

/// Logs the cause of every 5xx produced by [`ApiError`] (middleware).
pub async fn log_internal_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "?".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    if let Some(InternalCause(cause)) = response.extensions().get::<InternalCause>() {
        tracing::error!(%method, %path, status = response.status().as_u16(), cause = format!("{cause:#}"), "request failed");
    }
    response
}

/// The body a caught panic turns into: the same opaque 500.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// `404` for unknown routes, in our error format.
pub async fn no_route() -> ApiError {
    ApiError::NoRoute { status: StatusCode::NOT_FOUND }
}

/// `405` for a known route with another method, in our error format.
pub async fn method_not_allowed() -> ApiError {
    ApiError::NoRoute { status: StatusCode::METHOD_NOT_ALLOWED }
}
