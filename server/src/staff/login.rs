//! Login and logout: `/staff/login`, `POST /staff/logout`, and `/staff` itself.

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use maud::html;
use serde::Deserialize;

use super::auth;
use super::db::Db;
use super::html::{self, Lang};
use super::session::{
    CsrfForm, LOGIN_CSRF_COOKIE, SESSION_COOKIE, Session, behind_tls, cookie, html_page, internal, lang_of, see_other,
    set_cookie,
};
use super::store;
use crate::state::AppState;

/// This page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff", get(home))
        .route("/staff/", get(home))
        .route("/staff/login", get(login_page).post(login))
        .route("/staff/logout", post(logout))
}

/// `GET /staff/` and `/staff`.
pub async fn home() -> Redirect {
    Redirect::to("/staff/applications")
}

fn login_form(lang: Lang, csrf: &str, error: Option<&str>, email: &str) -> String {
    let body = html! {
        @if let Some(e) = error { p.err role="alert" { (e) } }
        form method="post" action="/staff/login" {
            input type="hidden" name="csrf" value=(csrf);
            div.field {
                label for="email" { (lang.t("Thư điện tử", "E-mail")) }
                input id="email" type="email" name="email" value=(email) required autofocus autocomplete="username";
            }
            div.field {
                label for="password" { (lang.t("Mật khẩu", "Password")) }
                input id="password" type="password" name="password" required autocomplete="current-password";
            }
            p { button.primary { (lang.t("Đăng nhập", "Log in")) } }
        }
    };
    html::page(lang, lang.t("Đăng nhập cán bộ", "Staff login"), None, body)
}

/// `GET /staff/login`.
pub async fn login_page(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let lang = lang_of(&uri, &headers);
    let csrf = auth::random_token();
    let mut res = html_page(StatusCode::OK, login_form(lang, &csrf, None, ""));
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, &csrf, Some(3600), behind_tls(&headers)));
    res
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /staff/login`.
pub async fn login(
    State(state): State<AppState>,
    crate::ratelimit::ClientAddr(address): crate::ratelimit::ClientAddr,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Form(f): Form<LoginForm>,
) -> Response {
    let db = Db::of(&state.store);
    let lang = lang_of(&uri, &headers);
    let secure = behind_tls(&headers);
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let retry = |status: StatusCode, msg: &str| {
        let csrf = auth::random_token();
        let mut res = html_page(status, login_form(lang, &csrf, Some(msg), &f.email));
        res.headers_mut().append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, &csrf, Some(3600), secure));
        res
    };
    if expected.is_empty() || !auth::constant_time_eq(&expected, &f.csrf) {
        return retry(
            StatusCode::FORBIDDEN,
            lang.t("Biểu mẫu đã hết hạn, hãy thử lại.", "The form expired; try again."),
        );
    }
    let email = f.email.trim().to_lowercase();
    let result: anyhow::Result<Response> = async {
        if super::throttle::reserve(&db, &email, address).await?.is_err() {
            store::audit(&db, &email, "login_locked", &email, "too many failed logins").await?;
            return Ok(retry(
                StatusCode::TOO_MANY_REQUESTS,
                lang.t(
                    "Đăng nhập sai quá nhiều lần. Hãy thử lại sau 15 phút.",
                    "Too many failed logins. Try again in 15 minutes.",
                ),
            ));
        }
        let found = store::account_by_email(&db, &email).await?;
        let hash = found.as_ref().map(|(_, h)| h.clone());
        let Ok(ok) = state.hashing.verify(f.password.clone(), hash).await else {
            super::throttle::give_back(&db, &email, address).await?;
            return Ok(super::throttle::busy(retry(
                StatusCode::SERVICE_UNAVAILABLE,
                lang.t(
                    "Máy chủ đang bận, hãy thử lại sau vài giây.",
                    "The server is busy; try again in a few seconds.",
                ),
            )));
        };
        match found {
            Some((account, _)) if ok => {
                super::throttle::succeeded(&db, &email, address).await?;
                let (token, _csrf) = store::create_session(&db, account.id).await?;
                store::audit(&db, &account.email, "login", &account.email, account.role.id()).await?;
                let mut res = see_other("/staff/applications");
                let h = res.headers_mut();
                h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, None, secure));
                h.append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, "", Some(0), secure));
                Ok(res)
            }
            _ => {
                store::audit(
                    &db,
                    &email,
                    "login_failed",
                    &email,
                    if found.is_some() { "wrong password" } else { "unknown account" },
                )
                .await?;
                // A short pause slows guessing further; the lockout above bounds it.
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                Ok(retry(
                    StatusCode::UNAUTHORIZED,
                    lang.t("Sai thư điện tử hoặc mật khẩu.", "Wrong e-mail or password."),
                ))
            }
        }
    }
    .await;
    result.unwrap_or_else(internal)
}

/// `POST /staff/logout`.
pub async fn logout(s: Session, headers: HeaderMap, Form(f): Form<CsrfForm>) -> Response {
    if let Err(r) = s.check_csrf(&f.csrf) {
        return r;
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = store::delete_session(&s.db, &token).await
    {
        return internal(e);
    }
    if let Err(e) = store::audit(&s.db, &s.account.email, "logout", &s.account.email, "").await {
        return internal(e);
    }
    let mut res = see_other("/staff/login");
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), behind_tls(&headers)));
    res
}
