//! The audit log (`GET /staff/audit`, admins): every entry with its action in Vietnamese
//! first, English second, and the raw code for searching.

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use maud::html;
use serde::Deserialize;

use super::auth::Role;
use super::html::when;
use super::labels::{self, Kind};
use super::session::{Session, internal};
use super::store::{self, PAGE_SIZE};
use crate::state::AppState;

/// This page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/audit", get(audit))
}

/// Audit page query.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

/// `GET /staff/audit` (admins).
pub async fn audit(s: Session, Query(q): Query<PageQuery>) -> Response {
    let l = s.lang;
    if s.account.role != Role::Admin {
        return s.forbidden();
    }
    let page = q.page.unwrap_or(0).max(0);
    let entries = match store::audit_log(&s.db, page).await {
        Ok(e) => e,
        Err(e) => return internal(e),
    };
    let body = html! {
        table {
            thead { tr {
                th scope="col" { (l.t("Thời điểm", "When")) }
                th scope="col" { (l.t("Người", "Who")) }
                th scope="col" { (l.t("Việc", "Action")) }
                th scope="col" { (l.t("Đối tượng", "Target")) }
                th scope="col" { (l.t("Chi tiết", "Detail")) }
            } }
            tbody {
                @for e in &entries {
                    @let (vi, en) = labels::lookup(Kind::Audit, &e.action).unwrap_or((e.action.as_str(), e.action.as_str()));
                    tr {
                        td { (when(e.at)) }
                        td { (e.actor) }
                        td { strong lang="vi" { (vi) } br; span lang="en" { (en) } " " span.muted { "(" code { (e.action) } ")" } }
                        td { (e.target) }
                        td { (e.detail) }
                    }
                }
            }
        }
        nav aria-label=(l.t("Trang", "Pages")) {
            p {
                @if page > 0 { a href={ "/staff/audit?page=" (page - 1) } { "« " (l.t("Mới hơn", "Newer")) } " · " }
                @if entries.len() as i64 == PAGE_SIZE * 2 { a href={ "/staff/audit?page=" (page + 1) } { (l.t("Cũ hơn", "Older")) " »" } }
            }
        }
    };
    s.page(StatusCode::OK, l.t("Nhật ký hoạt động", "Audit log"), body)
}
