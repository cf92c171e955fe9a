//! `GET /keys`: the public keys receipts are signed with (docs/receipts.md).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use kc_api::Keys;

use crate::json::ApiJson;
use crate::state::AppState;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/keys", get(keys))
}

/// The server's receipt signing keys (public halves): the current one first, then earlier
/// ones that signed receipts still in circulation.
#[utoipa::path(get, path = "/api/v1/keys", tag = "receipts",
    responses((status = 200, description = "Public keys (Ed25519, hex) that sign receipts; `kc verify --key` takes this document or one key", body = Keys)))]
pub async fn keys(State(state): State<AppState>) -> ApiJson<Keys> {
    ApiJson(Keys { keys: state.receipt_keys.public().map(kc_attest::PublicKey::info).collect() })
}
