//! The khuyến công sync API (`/api/v1`): submissions with receipts, the applicant's status
//! view, parked drafts, the rule pack, and a changes feed for tools.
//!
//! - [`app`] builds the router from an [`AppState`]; [`Application::build`] connects,
//!   migrates and binds (port 0 in tests).
//! - Storage is SQLite by default (a file, WAL, created on first start) or PostgreSQL when
//!   the URL says so; handlers only see [`store::Store`].
//! - The server never trusts the client's decision or clock: it recomputes every submission
//!   with `kc-rules` at its own date and records drift.
//! - Every bad input is a 4xx [`kc_api::ErrorBody`]; internal failures are an opaque 500
//!   whose cause is logged.

pub mod adopt;
pub mod attest;
pub mod auth;
pub mod codes;
pub mod config;
pub mod error;
pub mod impact;
pub mod json;
pub mod ratelimit;
pub mod recheck;
pub mod routes;
pub mod serve;
pub mod staff;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;

pub use config::Settings;
pub use startup::{Application, app};
pub use state::AppState;
