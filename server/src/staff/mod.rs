//! The staff side: login, province-scoped roles, review, audit log, CSV/XLSX export.
//!
//! Server-rendered pages under `/staff/` (Vietnamese first, `?lang=en` switches and is
//! remembered in a cookie), one module per page with its routes beside its handlers:
//! [`login`], [`list`], [`detail`], [`review`] (decide), [`accounts`], [`audit`],
//! [`overview`], [`exports`], [`impact`] (admins: a candidate pack's effect); templates are maud (escaping by default, see [`html`]). Everything lives in the shared database, so any number of
//! instances can serve the pages:
//!
//! - accounts with argon2id password hashes; roles `admin` (every province),
//!   `province_staff` (one province, reviews) and `viewer` (one province, read and export);
//! - sessions: a random token in an `HttpOnly; SameSite=Strict` cookie (`Secure` behind
//!   TLS), only its SHA-256 stored; a per-session CSRF token in every form;
//! - login attempts are reserved per e-mail and per client address in the database before
//!   any password is checked (`throttle`): 5 per e-mail within 15 minutes, then the e-mail is
//!   locked for the rest of the window; password checks run under a bound sized to the
//!   machine (503 with `Retry-After` when it is full);
//! - a [`auth::Scope`] goes into the SQL of every query over applications, so a province's
//!   staff reach nothing outside it, whatever URL they type (not-found, not forbidden);
//! - every login, failed login, state change, comment, export, token and account change is
//!   written to `staff_audit`.

pub mod accounts;
pub mod answers;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod db;
pub mod decisions;
pub mod detail;
pub mod export;
pub mod exports;
pub mod filter;
pub mod html;
pub mod impact;
pub mod labels;
pub mod list;
pub mod login;
pub mod overview;
pub mod review;
pub mod session;
pub mod store;
pub mod throttle;
pub mod verify;

use axum::{Router, middleware};

use crate::state::AppState;
use crate::store::Store;

/// The staff routes (merged into the app at the root): each page module brings its own.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(login::routes())
        .merge(list::routes())
        .merge(detail::routes())
        .merge(review::routes())
        .merge(accounts::routes())
        .merge(audit::routes())
        .merge(overview::routes())
        .merge(exports::routes())
        .merge(impact::routes())
        .layer(middleware::from_fn(session::staff_headers))
}

/// Logs (and prints) how to create the first admin when there is none.
pub async fn warn_if_no_admin(store: &Store) {
    match store::has_admin(&db::Db::of(store)).await {
        Ok(true) => {}
        Ok(false) => {
            let msg = "no staff admin account yet; create one with: \
                       KC_STAFF_PASSWORD='…' kc-server staff add --email you@example.vn --role admin";
            tracing::warn!("{msg}");
            eprintln!("{msg}");
        }
        Err(e) => tracing::warn!(error = ?e, "could not check for a staff admin"),
    }
}
