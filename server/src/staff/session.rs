//! What every staff page shares: cookies, the language, security headers, the signed-in
//! [`Session`] extractor with its CSRF check, and the HTML responses.

use axum::extract::{FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use super::auth::{self, Account, Role};
use super::db::Db;
use super::html::{self, Lang, Who};
use super::store;
use crate::state::AppState;

/// Session cookie name.
pub const SESSION_COOKIE: &str = "kc_staff";
/// Pre-login CSRF cookie name.
pub const LOGIN_CSRF_COOKIE: &str = "kc_login_csrf";
/// Language cookie name.
pub const LANG_COOKIE: &str = "kc_lang";

/// A cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

fn query_param(parts_uri: &axum::http::Uri, name: &str) -> Option<String> {
    parts_uri.query()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// The page language: `?lang=`, else the cookie, else Vietnamese.
pub fn lang_of(uri: &axum::http::Uri, headers: &HeaderMap) -> Lang {
    query_param(uri, "lang")
        .and_then(|l| Lang::parse(&l))
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(|l| Lang::parse(&l)))
        .unwrap_or(Lang::Vi)
}

/// Whether the request reached us over TLS (directly or through a proxy that says so).
pub fn behind_tls(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value scoped to `/staff`.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/staff; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("cookie values are hex")
}

/// Security headers for every staff response, and the language cookie when `?lang=` is given.
pub async fn staff_headers(req: Request, next: Next) -> Response {
    let lang = query_param(req.uri(), "lang").and_then(|l| Lang::parse(&l));
    let secure = behind_tls(req.headers());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    if let Some(lang) = lang {
        h.append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.code(), Some(31_536_000), secure));
    }
    res
}

/// An HTML response.
pub fn html_page(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// A 303 to `to`.
pub fn see_other(to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res
}

/// The opaque 500 page; the cause is logged.
pub fn internal(e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "staff page failed");
    html_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        html::page(Lang::Vi, "Lỗi / Error", None, html! { p { "Lỗi máy chủ. / Internal error." } }),
    )
}

/// A signed-in staff member, from the session cookie. Pages without one redirect to login.
pub struct Session {
    /// Who.
    pub account: Account,
    /// This session's CSRF token.
    pub csrf: String,
    /// Page language.
    pub lang: Lang,
    /// Database.
    pub db: Db,
    /// The bound on password hashing (shared with logins).
    pub hashing: std::sync::Arc<super::throttle::Hashing>,
    /// The server's receipt keys (public halves), for the receipt check.
    pub receipt_keys: std::sync::Arc<crate::attest::ReceiptKeys>,
    /// The rule pack the server decides with.
    pub pack: &'static kc_rules::RulePack,
    /// Which decision the centre uses once a new pack is adopted.
    pub policy: crate::config::DecisionPolicy,
    /// Largest candidate pack upload, bytes.
    pub upload_limit: usize,
    /// The settings (the centres' names).
    pub settings: std::sync::Arc<crate::config::Settings>,
}

impl Session {
    /// The frame's view of the account.
    pub fn who(&self) -> Who<'_> {
        Who { email: &self.account.email, csrf: &self.csrf, admin: self.account.role == Role::Admin }
    }

    /// Which decision the list, the overview and the exports use (`decision_policy`, the
    /// running pack).
    pub fn decisions(&self) -> store::Decisions {
        store::Decisions::of(&self.pack.id, self.policy)
    }

    /// A framed page.
    pub fn page(&self, status: StatusCode, title: &str, body: Markup) -> Response {
        html_page(status, html::page(self.lang, title, Some(self.who()), body))
    }

    /// 403.
    pub fn forbidden(&self) -> Response {
        let l = self.lang;
        self.page(
            StatusCode::FORBIDDEN,
            l.t("Không có quyền", "Forbidden"),
            html! { p { (l.t("Bạn không có quyền làm việc này.", "You may not do this.")) } },
        )
    }

    /// 404 (also for everything outside the scope).
    pub fn not_found(&self) -> Response {
        let l = self.lang;
        self.page(
            StatusCode::NOT_FOUND,
            l.t("Không tìm thấy", "Not found"),
            html! {
                p { (l.t("Không có hồ sơ này.", "No such application.")) }
                p { a href="/staff/applications" { (l.t("Về danh sách hồ sơ", "Back to the list")) } }
            },
        )
    }

    /// The page for a failed request: 503 with `Retry-After` when every password-hashing slot
    /// was busy, else 500.
    pub fn failed(&self, e: anyhow::Error) -> Response {
        if e.downcast_ref::<super::throttle::Refused>().is_some() {
            let l = self.lang;
            let msg =
                l.t("Máy chủ đang bận, hãy thử lại sau vài giây.", "The server is busy; try again in a few seconds.");
            return super::throttle::busy(self.page(StatusCode::SERVICE_UNAVAILABLE, msg, html! { p { (msg) } }));
        }
        internal(e)
    }

    /// Rejects a form whose CSRF token is not this session's.
    // The error is the page to send back; it is built once, on the rare failure path.
    #[allow(clippy::result_large_err)]
    pub fn check_csrf(&self, given: &str) -> Result<(), Response> {
        if auth::constant_time_eq(given, &self.csrf) {
            Ok(())
        } else {
            let l = self.lang;
            Err(self.page(
                StatusCode::FORBIDDEN,
                "CSRF",
                html! { p { (l.t("Biểu mẫu đã hết hạn. Hãy tải lại trang.", "The form expired. Reload the page.")) } },
            ))
        }
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let db = Db::of(&state.store);
        let lang = lang_of(&parts.uri, &parts.headers);
        let to_login = || Redirect::to("/staff/login").into_response();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else { return Err(to_login()) };
        match store::session(&db, &token).await {
            Ok(Some((account, csrf))) => Ok(Session {
                account,
                csrf,
                lang,
                db,
                hashing: state.hashing.clone(),
                receipt_keys: state.receipt_keys.clone(),
                pack: state.pack,
                policy: state.settings.decision_policy,
                upload_limit: state.settings.pack_upload_limit,
                settings: state.settings.clone(),
            }),
            Ok(None) => Err(to_login()),
            Err(e) => Err(internal(e)),
        }
    }
}

/// A form that carries only the CSRF token.
#[derive(Debug, serde::Deserialize)]
pub struct CsrfForm {
    /// The session's token.
    #[serde(default)]
    pub csrf: String,
}
