//! Bearer tokens for tool endpoints (`/changes`).
//!
//! Two kinds of token are accepted: the configured `api_tokens` (every province, for the
//! centre's own tools) and staff accounts' API tokens (`kcs_…`, made on `/staff/tokens` or
//! with `kc-server staff token`), which see only their account's province.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;

/// Proof that the request carried a configured token (sees every province) or a staff
/// account's API token (sees that account's scope).
#[derive(Debug, Clone, Copy)]
pub struct ApiToken {
    /// What the token may see.
    pub scope: crate::staff::auth::Scope,
}

impl FromRequestParts<AppState> for ApiToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer)
            .ok_or(ApiError::Unauthorized)?;
        let ok = state.settings.api_tokens.iter().fold(false, |ok, t| ok | same(t.as_bytes(), given.as_bytes()));
        if ok && !given.is_empty() {
            return Ok(ApiToken { scope: crate::staff::auth::Scope::All });
        }
        let db = crate::staff::db::Db::of(&state.store);
        match crate::staff::store::api_token_account(&db, given).await? {
            Some(account) if !given.is_empty() => Ok(ApiToken { scope: account.scope() }),
            _ => Err(ApiError::Unauthorized),
        }
    }
}

/// The credentials of an `Authorization: Bearer …` value; the scheme is case-insensitive
/// (RFC 9110 §11.1).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, rest) = value.trim_start().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

/// Constant-time equality (for equal lengths; lengths are not secret).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        assert_eq!(super::bearer("Bearer abc"), Some("abc"));
        assert_eq!(super::bearer("bearer abc"), Some("abc"));
        assert_eq!(super::bearer("BEARER   abc "), Some("abc"));
        assert_eq!(super::bearer("Basic abc"), None);
        assert_eq!(super::bearer("Bearerabc"), None);
    }
}
