//! Routes, one module per resource. Each module's `router()` holds its paths, methods and
//! handlers together; [`api`] merges them under `/api/v1`. Staff routes go in `routes/staff/`
//! (next issue) and are merged the same way.

pub mod applications;
pub mod changes;
pub mod drafts;
pub mod health;
pub mod keys;
pub mod openapi;
pub mod receipt_page;
pub mod rulepack;
pub mod schemas;
pub mod site;

use axum::Router;

use crate::state::AppState;

/// Everything under `/api/v1`.
pub fn api(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(applications::router(state))
        .merge(drafts::router())
        .merge(rulepack::router())
        .merge(keys::router())
        .merge(changes::router())
        .merge(openapi::router())
}
