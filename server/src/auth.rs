//! Bearer tokens for tool endpoints (`/changes`).
//!
//! Until staff accounts exist the accepted tokens come from configuration (`api_tokens`);
//! the staff issue replaces this with per-account tokens. No token configured = no access.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;

/// Proof that the request carried one of the configured tokens.
#[derive(Debug, Clone, Copy)]
pub struct ApiToken;

impl FromRequestParts<AppState> for ApiToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        let ok = state.settings.api_tokens.iter().fold(false, |ok, t| ok | same(t.as_bytes(), given.as_bytes()));
        if ok && !given.is_empty() { Ok(ApiToken) } else { Err(ApiError::Unauthorized) }
    }
}

/// Constant-time equality (for equal lengths; lengths are not secret).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
