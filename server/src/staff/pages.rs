//! The staff pages and exports: handlers, the session extractor, cookies and CSRF.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};

use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use kc_rules::{Application, Decision, Fund, Status, Vnd};
use serde::Deserialize;
use time::OffsetDateTime;

use super::auth::{self, Account, Role, Scope};
use super::db::Db;
use super::export::{self, ExportRow, XlsxExport};
use super::html::{self, Lang, esc, money, url_enc, when};
use super::store::{self, AppRow, Filter, PAGE_SIZE, STATES};
use crate::state::AppState;

/// Session cookie name.
pub const SESSION_COOKIE: &str = "kc_staff";
/// Pre-login CSRF cookie name.
pub const LOGIN_CSRF_COOKIE: &str = "kc_login_csrf";
/// Language cookie name.
pub const LANG_COOKIE: &str = "kc_lang";

// ---- request helpers ------------------------------------------------------------------------

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

fn lang_of(uri: &axum::http::Uri, headers: &HeaderMap) -> Lang {
    query_param(uri, "lang")
        .and_then(|l| Lang::parse(&l))
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(|l| Lang::parse(&l)))
        .unwrap_or(Lang::Vi)
}

/// Whether the request reached us over TLS (directly or through a proxy that says so).
fn behind_tls(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
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
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    if let Some(lang) = lang {
        h.append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.code(), Some(31_536_000), secure));
    }
    res
}

fn html_page(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn internal(e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "staff page failed");
    html_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        html::page(Lang::Vi, "Lỗi / Error", None, "<p>Lỗi máy chủ. / Internal error.</p>"),
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
}

impl Session {
    fn page(&self, status: StatusCode, title: &str, body: &str) -> Response {
        html_page(status, html::page(self.lang, title, Some((&self.account.email, &self.csrf)), body))
    }

    fn forbidden(&self) -> Response {
        let l = self.lang;
        self.page(
            StatusCode::FORBIDDEN,
            l.t("Không có quyền", "Forbidden"),
            l.t("<p>Bạn không có quyền làm việc này.</p>", "<p>You may not do this.</p>"),
        )
    }

    fn not_found(&self) -> Response {
        let l = self.lang;
        self.page(
            StatusCode::NOT_FOUND,
            l.t("Không tìm thấy", "Not found"),
            l.t("<p>Không có hồ sơ này.</p>", "<p>No such application.</p>"),
        )
    }

    /// Rejects a form whose CSRF token is not this session's.
    // The error is the page to send back; it is built once, on the rare failure path.
    #[allow(clippy::result_large_err)]
    fn check_csrf(&self, given: &str) -> Result<(), Response> {
        if auth::constant_time_eq(given, &self.csrf) {
            Ok(())
        } else {
            let l = self.lang;
            Err(self.page(
                StatusCode::FORBIDDEN,
                "CSRF",
                l.t("<p>Biểu mẫu đã hết hạn. Hãy tải lại trang.</p>", "<p>The form expired. Reload the page.</p>"),
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
            Ok(Some((account, csrf))) => Ok(Session { account, csrf, lang, db }),
            Ok(None) => Err(to_login()),
            Err(e) => Err(internal(e)),
        }
    }
}

// ---- login / logout -------------------------------------------------------------------------

fn login_form(lang: Lang, csrf: &str, error: Option<&str>, email: &str) -> String {
    let err = error.map(|e| format!(r#"<p class="err" role="alert">{}</p>"#, esc(e))).unwrap_or_default();
    let body = format!(
        r#"{err}<form method="post" action="/staff/login">
<input type="hidden" name="csrf" value="{csrf}">
<p><label>{email_l}<br><input type="email" name="email" value="{email}" required autofocus autocomplete="username"></label></p>
<p><label>{pw_l}<br><input type="password" name="password" required autocomplete="current-password"></label></p>
<p><button>{go}</button></p></form>"#,
        csrf = esc(csrf),
        email = esc(email),
        email_l = lang.t("Thư điện tử", "E-mail"),
        pw_l = lang.t("Mật khẩu", "Password"),
        go = lang.t("Đăng nhập", "Log in"),
    );
    html::page(lang, lang.t("Đăng nhập cán bộ", "Staff login"), None, &body)
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
                let mut res = Redirect::to("/staff/applications").into_response();
                *res.status_mut() = StatusCode::SEE_OTHER;
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

/// A form that carries only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
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
    let mut res = Redirect::to("/staff/login").into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), behind_tls(&headers)));
    res
}

// ---- filters --------------------------------------------------------------------------------

/// The list's query string, as typed (empty fields are "any").
#[derive(Debug, Default, Deserialize)]
pub struct RawFilter {
    province: Option<String>,
    commune: Option<String>,
    line: Option<String>,
    fund: Option<String>,
    status: Option<String>,
    outcome: Option<String>,
    drift: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl RawFilter {
    /// Parses the filter and the page number, or says which field is wrong.
    pub fn parse(&self) -> Result<(Filter, i64), String> {
        let int = |name: &str, v: &Option<String>| -> Result<Option<i64>, String> {
            nonempty(v).map(|s| s.parse::<i64>().map_err(|_| format!("{name}: {s}"))).transpose()
        };
        let one_of = |name: &str, v: &Option<String>, allowed: &[&str]| -> Result<Option<String>, String> {
            match nonempty(v) {
                None => Ok(None),
                Some(s) if allowed.contains(&s) => Ok(Some(s.to_owned())),
                Some(s) => Err(format!("{name}: {s}")),
            }
        };
        let date = |name: &str, v: &Option<String>| -> Result<Option<time::Date>, String> {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            nonempty(v).map(|s| time::Date::parse(s, &fmt).map_err(|_| format!("{name}: {s}"))).transpose()
        };
        let lines: Vec<&str> = kc_rules::Line::ALL.iter().map(|l| l.id()).collect();
        let filter = Filter {
            province: int("province", &self.province)?,
            commune: int("commune", &self.commune)?,
            line: one_of("line", &self.line, &lines)?,
            fund: one_of("fund", &self.fund, &["national", "local"])?,
            status: one_of("status", &self.status, &STATES)?,
            outcome: one_of("outcome", &self.outcome, &["eligible", "not_eligible", "need_more_answers"])?,
            drift: one_of("drift", &self.drift, &["1", "0"])?.map(|d| d == "1"),
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
        };
        let page = int("page", &self.page)?.unwrap_or(0).max(0);
        Ok((filter, page))
    }
}

/// The filter as a query string (without `page`).
fn filter_query(f: &Filter) -> String {
    let mut q: Vec<String> = Vec::new();
    let mut add = |k: &str, v: String| q.push(format!("{k}={}", url_enc(&v)));
    if let Some(v) = f.province {
        add("province", v.to_string());
    }
    if let Some(v) = f.commune {
        add("commune", v.to_string());
    }
    if let Some(v) = &f.line {
        add("line", v.clone());
    }
    if let Some(v) = &f.fund {
        add("fund", v.clone());
    }
    if let Some(v) = &f.status {
        add("status", v.clone());
    }
    if let Some(v) = &f.outcome {
        add("outcome", v.clone());
    }
    if let Some(v) = f.drift {
        add("drift", if v { "1" } else { "0" }.to_owned());
    }
    if let Some(v) = f.from {
        add("from", v.to_string());
    }
    if let Some(v) = f.to {
        add("to", v.to_string());
    }
    q.join("&")
}

/// The filter in words, for the export's info sheet and the audit log.
fn filter_description(f: &Filter, scope: Scope) -> Vec<(String, String)> {
    let pack = kc_rulepack::bundled();
    let province_name = |c: i64| {
        u16::try_from(c)
            .ok()
            .and_then(|c| pack.province(c))
            .map_or_else(|| c.to_string(), |p| format!("{} ({c})", p.name))
    };
    let mut d = Vec::new();
    if let Scope::Province(p) = scope {
        d.push(("Phạm vi tài khoản".to_owned(), province_name(p)));
    }
    if let Some(p) = f.province {
        d.push(("Tỉnh/thành phố".to_owned(), province_name(p)));
    }
    if let Some(c) = f.commune {
        let name = u32::try_from(c)
            .ok()
            .and_then(|c| pack.commune(c))
            .map_or_else(|| c.to_string(), |x| format!("{} ({c})", x.name));
        d.push(("Xã/phường".to_owned(), name));
    }
    if let Some(l) = &f.line {
        d.push(("Nội dung hỗ trợ".to_owned(), html::line_label(Lang::Vi, l)));
    }
    if let Some(v) = &f.fund {
        d.push((
            "Nguồn kinh phí".to_owned(),
            if v == "national" { "Khuyến công quốc gia" } else { "Khuyến công địa phương" }.to_owned(),
        ));
    }
    if let Some(s) = &f.status {
        d.push(("Trạng thái".to_owned(), html::state_label(Lang::Vi, s)));
    }
    if let Some(o) = &f.outcome {
        d.push(("Kết quả".to_owned(), html::outcome_label(Lang::Vi, o)));
    }
    if let Some(v) = f.drift {
        d.push(("Lệch kết quả".to_owned(), if v { "Có" } else { "Không" }.to_owned()));
    }
    if let Some(v) = f.from {
        d.push(("Nhận từ ngày".to_owned(), v.to_string()));
    }
    if let Some(v) = f.to {
        d.push(("Nhận đến ngày".to_owned(), v.to_string()));
    }
    d
}

fn province_name(code: Option<i64>) -> String {
    code.and_then(|c| u16::try_from(c).ok())
        .and_then(|c| kc_rulepack::bundled().province(c))
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

fn commune_name(code: Option<i64>) -> String {
    code.and_then(|c| u32::try_from(c).ok())
        .and_then(|c| kc_rulepack::bundled().commune(c))
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

fn select(name: &str, label: &str, current: Option<&str>, options: &[(String, String)], lang: Lang) -> String {
    let mut s = format!(
        r#"<label>{} <select name="{name}"><option value="">{}</option>"#,
        esc(label),
        lang.t("— tất cả —", "— any —")
    );
    for (v, l) in options {
        let sel = if current == Some(v.as_str()) { " selected" } else { "" };
        s.push_str(&format!(r#"<option value="{}"{sel}>{}</option>"#, esc(v), esc(l)));
    }
    s.push_str("</select></label>");
    s
}

// ---- list -----------------------------------------------------------------------------------

/// `GET /staff/` and `/staff`.
pub async fn home() -> Redirect {
    Redirect::to("/staff/applications")
}

/// `GET /staff/applications`.
pub async fn list(s: Session, Query(raw): Query<RawFilter>) -> Response {
    let l = s.lang;
    let (f, page) = match raw.parse() {
        Ok(x) => x,
        Err(field) => {
            return s.page(
                StatusCode::BAD_REQUEST,
                l.t("Bộ lọc không hợp lệ", "Invalid filter"),
                &format!("<p class=\"err\">{}</p>", esc(&field)),
            );
        }
    };
    let (rows, totals) = match store::list(&s.db, s.account.scope(), &f, page).await {
        Ok(x) => x,
        Err(e) => return internal(e),
    };
    let pack = kc_rulepack::bundled();
    let provinces: Vec<(String, String)> = pack
        .provinces
        .iter()
        .filter(|p| match s.account.scope() {
            Scope::All => true,
            Scope::Province(c) => i64::from(p.code) == c,
        })
        .map(|p| (p.code.to_string(), p.name.clone()))
        .collect();
    let lines: Vec<(String, String)> =
        kc_rules::Line::ALL.iter().map(|x| (x.id().to_owned(), html::line_label(l, x.id()))).collect();
    let states: Vec<(String, String)> = STATES.iter().map(|x| ((*x).to_owned(), html::state_label(l, x))).collect();
    let outcomes: Vec<(String, String)> = ["eligible", "not_eligible", "need_more_answers"]
        .iter()
        .map(|x| ((*x).to_owned(), html::outcome_label(l, x)))
        .collect();
    let funds = vec![
        ("national".to_owned(), l.t("Khuyến công quốc gia", "National fund").to_owned()),
        ("local".to_owned(), l.t("Khuyến công địa phương", "Local fund").to_owned()),
    ];
    let drifts = vec![
        ("1".to_owned(), l.t("Có lệch", "Drift").to_owned()),
        ("0".to_owned(), l.t("Không lệch", "No drift").to_owned()),
    ];
    let province_cur = f.province.map(|p| p.to_string());
    let drift_cur = f.drift.map(|d| if d { "1" } else { "0" });
    let mut b = String::new();
    b.push_str(r#"<form class="filters" method="get" action="/staff/applications">"#);
    b.push_str(&select("province", l.t("Tỉnh", "Province"), province_cur.as_deref(), &provinces, l));
    b.push_str(&format!(
        r#"<label>{} <input name="commune" size="6" value="{}"></label>"#,
        l.t("Mã xã", "Commune code"),
        f.commune.map(|c| c.to_string()).unwrap_or_default()
    ));
    b.push_str(&select("line", l.t("Nội dung", "Line"), f.line.as_deref(), &lines, l));
    b.push_str(&select("fund", l.t("Nguồn", "Fund"), f.fund.as_deref(), &funds, l));
    b.push_str(&select("status", l.t("Trạng thái", "Status"), f.status.as_deref(), &states, l));
    b.push_str(&select("outcome", l.t("Kết quả", "Eligibility"), f.outcome.as_deref(), &outcomes, l));
    b.push_str(&select("drift", l.t("Lệch", "Drift"), drift_cur, &drifts, l));
    b.push_str(&format!(
        r#"<label>{} <input type="date" name="from" value="{}"></label><label>{} <input type="date" name="to" value="{}"></label>"#,
        l.t("Từ ngày", "From"),
        f.from.map(|d| d.to_string()).unwrap_or_default(),
        l.t("Đến ngày", "To"),
        f.to.map(|d| d.to_string()).unwrap_or_default()
    ));
    b.push_str(&format!("<button>{}</button></form>", l.t("Lọc", "Filter")));
    let q = filter_query(&f);
    b.push_str(&format!(
        r#"<p>{count_l}: <strong>{count}</strong> · {amount_l}: <strong>{amount}</strong> · {by}</p>
<p><a href="/staff/export.xlsx?{q}">{xlsx}</a> · <a href="/staff/export.csv?{q}">{csv}</a></p>"#,
        count_l = l.t("Số hồ sơ", "Applications"),
        count = totals.count,
        amount_l = l.t("Tổng kinh phí hỗ trợ đề nghị", "Total requested support"),
        amount = money(totals.amount),
        by = totals
            .by_status
            .iter()
            .map(|(st, n)| format!("{}: {n}", esc(&html::state_label(l, st))))
            .collect::<Vec<_>>()
            .join(" · "),
        q = esc(&q),
        xlsx = l.t("Xuất Excel (XLSX)", "Export Excel (XLSX)"),
        csv = l.t("Xuất CSV", "Export CSV"),
    ));
    b.push_str(&format!(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.t("Mã hồ sơ", "Receipt"),
        l.t("Ngày nhận", "Received"),
        l.t("Tỉnh / xã", "Province / commune"),
        l.t("Nội dung", "Lines"),
        l.t("Kết quả", "Outcome"),
        l.t("Trạng thái", "Status"),
        l.t("Hỗ trợ", "Support"),
        l.t("Lệch", "Drift"),
    ));
    for r in &rows {
        let amount = r.amount_national.unwrap_or(0).max(r.amount_local.unwrap_or(0));
        b.push_str(&format!(
            r#"<tr><td><a href="/staff/applications/{code_u}">{code}</a></td><td>{when}</td><td>{prov}<br>{comm}</td><td>{lines}</td><td>{outcome}</td><td>{state}</td><td class="num">{amount}</td><td>{drift}</td></tr>"#,
            code_u = url_enc(&r.code),
            code = esc(&r.code),
            when = when(r.received_at),
            prov = esc(&province_name(r.province_code)),
            comm = esc(&commune_name(r.commune_code)),
            lines = esc(&html::lines_label(l, &r.support_lines)),
            outcome = esc(&html::outcome_label(l, &r.outcome)),
            state = esc(&html::state_label(l, &r.status)),
            amount = money(amount),
            drift = if r.drift { format!(r#"<span class="drift">{}</span>"#, l.t("Có", "Yes")) } else { String::new() },
        ));
    }
    b.push_str("</tbody></table>");
    let pages = (totals.count + PAGE_SIZE - 1) / PAGE_SIZE;
    let sep = if q.is_empty() { "" } else { "&" };
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(format!(
            r#"<a href="/staff/applications?{}{sep}page={}">« {}</a>"#,
            esc(&q),
            page - 1,
            l.t("Trước", "Previous")
        ));
    }
    nav.push(format!("{} {} / {}", l.t("Trang", "Page"), page + 1, pages.max(1)));
    if page + 1 < pages {
        nav.push(format!(
            r#"<a href="/staff/applications?{}{sep}page={}">{} »</a>"#,
            esc(&q),
            page + 1,
            l.t("Sau", "Next")
        ));
    }
    b.push_str(&format!("<p>{}</p>", nav.join(" · ")));
    s.page(StatusCode::OK, l.t("Hồ sơ tự kiểm tra", "Self-check applications"), &b)
}

// ---- detail and review ----------------------------------------------------------------------

fn status_mark(lang: Lang, s: Status) -> &'static str {
    match s {
        Status::Met => lang.t("Đạt", "Met"),
        Status::NotMet => lang.t("Không đạt", "Not met"),
        Status::Unknown => lang.t("Chưa rõ", "Unknown"),
    }
}

fn fund_label(lang: Lang, f: Fund) -> &'static str {
    match f {
        Fund::National => lang.t("Khuyến công quốc gia", "National"),
        Fund::Local => lang.t("Khuyến công địa phương", "Local"),
    }
}

fn decision_summary(lang: Lang, d: &Decision) -> String {
    let total = d.total(Fund::National).saturating_add(d.total(Fund::Local));
    format!(
        "{} · {} {} · {}",
        esc(&html::outcome_label(lang, outcome_id(d))),
        lang.t("hỗ trợ", "support"),
        esc(&total.to_string()),
        esc(&d.pack_id)
    )
}

fn outcome_id(d: &Decision) -> &'static str {
    match d.outcome {
        kc_rules::Outcome::Eligible => "eligible",
        kc_rules::Outcome::NotEligible => "not_eligible",
        kc_rules::Outcome::NeedMoreAnswers => "need_more_answers",
    }
}

fn decision_tables(lang: Lang, d: &Decision) -> String {
    let mut b = String::new();
    b.push_str(&format!(
        "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        lang.t("Tiêu chí", "Criteria"),
        lang.t("Tiêu chí", "Criterion"),
        lang.t("Kết quả", "Result"),
        lang.t("Giải thích", "Reason"),
        lang.t("Căn cứ", "Citation"),
        lang.t("Độ tin cậy", "Confidence"),
    ));
    for c in &d.criteria {
        let compared = c
            .compared
            .iter()
            .map(|x| format!("{} {} {} {}", esc(&x.what), esc(&x.actual), esc(&x.op), esc(&x.limit)))
            .collect::<Vec<_>>()
            .join("<br>");
        let reason = match lang {
            Lang::Vi => &c.reason.vi,
            Lang::En => &c.reason.en,
        };
        b.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}<br><small>{compared}</small></td><td>{}</td><td>{:?}</td></tr>",
            esc(&c.id),
            status_mark(lang, c.status),
            esc(reason),
            esc(&c.citation.to_string()),
            c.confidence
        ));
    }
    b.push_str("</tbody></table>");
    b.push_str(&format!(
        "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        lang.t("Hỗ trợ", "Support"),
        lang.t("Nội dung", "Line"),
        lang.t("Nguồn", "Fund"),
        lang.t("Kết quả", "Result"),
        lang.t("Chi phí tính hỗ trợ", "Eligible cost"),
        lang.t("Tỷ lệ", "Rate"),
        lang.t("Mức trần", "Cap"),
        lang.t("Số tiền", "Amount"),
        lang.t("Căn cứ", "Citation"),
    ));
    for s in &d.support {
        let cite = s
            .cap
            .as_ref()
            .map(|c| c.citation.to_string())
            .or_else(|| s.rate.as_ref().map(|r| r.citation.to_string()))
            .unwrap_or_default();
        b.push_str(&format!(
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}{}</td><td class="num">{}</td><td>{}</td></tr>"#,
            esc(&html::line_label(lang, s.line.id())),
            fund_label(lang, s.fund),
            status_mark(lang, s.status),
            s.eligible_cost.map(|v| v.to_string()).unwrap_or_default(),
            s.rate.as_ref().map(|r| r.value.to_string()).unwrap_or_default(),
            s.cap.as_ref().map(|c| c.value.to_string()).unwrap_or_default(),
            if s.cap_applied { lang.t(" (áp trần)", " (cap applied)") } else { "" },
            s.amount.or(s.ceiling).map(|v| v.to_string()).unwrap_or_default(),
            esc(&cite),
        ));
    }
    b.push_str("</tbody></table>");
    b
}

/// `GET /staff/applications/{code}`.
pub async fn detail(s: Session, Path(code): Path<String>) -> Response {
    let l = s.lang;
    let d = match store::detail(&s.db, s.account.scope(), &code).await {
        Ok(Some(d)) => d,
        Ok(None) => return s.not_found(),
        Err(e) => return internal(e),
    };
    let server: Option<Decision> = serde_json::from_str(&d.server_decision_json).ok();
    let client: Option<Decision> = serde_json::from_str(&d.client_decision_json).ok();
    let answers: Option<Application> = serde_json::from_str(&d.row.answers_json).ok();
    let contact: Option<kc_api::Contact> = d.row.contact_json.as_deref().and_then(|c| serde_json::from_str(c).ok());
    let r = &d.row;
    let total = Vnd::new(r.amount_national.unwrap_or(0).max(r.amount_local.unwrap_or(0))).unwrap_or(Vnd::ZERO);
    let mut b = String::new();
    b.push_str(&format!(
        r#"<table>
<tr><th>{code_l}</th><td>{code}</td></tr>
<tr><th>{recv_l}</th><td>{recv}</td></tr>
<tr><th>{place_l}</th><td>{prov} · {comm}</td></tr>
<tr><th>{who_l}</th><td>{who}</td></tr>
<tr><th>{state_l}</th><td><strong>{state}</strong></td></tr>
<tr><th>{outcome_l}</th><td>{outcome}</td></tr>
<tr><th>{amount_l}</th><td><strong>{amount}</strong><br><em>{words}</em></td></tr>
<tr><th>{pack_l}</th><td>{pack}</td></tr>
</table>"#,
        code_l = l.t("Mã hồ sơ", "Receipt"),
        code = esc(&r.code),
        recv_l = l.t("Ngày nhận", "Received"),
        recv = when(r.received_at),
        place_l = l.t("Địa bàn", "Place"),
        prov = esc(&province_name(r.province_code)),
        comm = esc(&commune_name(r.commune_code)),
        who_l = l.t("Người đề nghị", "Applicant"),
        who = contact
            .as_ref()
            .map(|c| format!(
                "{} {} {}",
                esc(&c.name),
                esc(c.phone.as_deref().unwrap_or("")),
                esc(c.email.as_deref().unwrap_or(""))
            ))
            .unwrap_or_default(),
        state_l = l.t("Trạng thái", "Status"),
        state = esc(&html::state_label(l, &r.status)),
        outcome_l = l.t("Kết quả (máy chủ)", "Outcome (server)"),
        outcome = esc(&html::outcome_label(l, &r.outcome)),
        amount_l = l.t("Kinh phí hỗ trợ", "Support amount"),
        amount = esc(&total.to_string()),
        words = esc(&kc_rules::vnd_in_words(total)),
        pack_l = l.t("Bộ quy tắc", "Rule pack"),
        pack = esc(&r.server_pack_id),
    ));
    if r.drift {
        b.push_str(&format!(
            r#"<h2 class="drift">{}</h2><table><tr><th>{}</th><td>{}</td></tr><tr><th>{}</th><td>{}</td></tr></table>"#,
            l.t(
                "Kết quả của máy chủ khác kết quả người nộp đã thấy",
                "The server's result differs from what the applicant saw"
            ),
            l.t("Máy chủ", "Server"),
            server.as_ref().map(|d| decision_summary(l, d)).unwrap_or_default(),
            l.t("Người nộp (widget)", "Applicant (widget)"),
            client.as_ref().map(|d| decision_summary(l, d)).unwrap_or_else(|| esc(&d.client_pack_id)),
        ));
    }
    b.push_str(&format!("<h2>{}</h2>", l.t("Câu trả lời", "Answers")));
    if let Some(a) = &answers {
        b.push_str("<ul>");
        if let Some(sub) = a.subject {
            let id = serde_json::to_value(sub).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            b.push_str(&format!("<li>{}: {}</li>", l.t("Loại hình", "Kind"), esc(&html::subject_label(l, &id))));
        }
        for req in &a.lines {
            b.push_str(&format!(
                "<li>{}: {}{}</li>",
                esc(&html::line_label(l, req.line.id())),
                req.cost.map(|c| c.to_string()).unwrap_or_else(|| "?".to_owned()),
                req.learners.map(|n| format!(" · {n} {}", l.t("học viên", "learners"))).unwrap_or_default()
            ));
        }
        b.push_str("</ul>");
    }
    let pretty = serde_json::from_str::<serde_json::Value>(&r.answers_json)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| r.answers_json.clone());
    b.push_str(&format!("<details><summary>JSON</summary><pre>{}</pre></details>", esc(&pretty)));
    b.push_str(&format!("<h2>{}</h2>", l.t("Quyết định của máy chủ", "Server decision")));
    if let Some(dec) = &server {
        b.push_str(&decision_tables(l, dec));
    }
    b.push_str(&format!(
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.t("Lịch sử xét duyệt", "Review history"),
        l.t("Thời điểm", "When"),
        l.t("Người", "Who"),
        l.t("Thay đổi", "Change"),
        l.t("Ý kiến", "Comment"),
    ));
    for e in &d.history {
        b.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}{}</td></tr>",
            when(e.at),
            esc(&e.actor),
            esc(&html::state_label(l, &e.from_status)),
            esc(&html::state_label(l, &e.to_status)),
            esc(&e.comment),
            if e.for_applicant { l.t(" <em>(gửi người nộp)</em>", " <em>(to the applicant)</em>") } else { "" }
        ));
    }
    b.push_str("</tbody></table>");
    if s.account.role.can_review() {
        let options: Vec<(String, String)> = STATES
            .iter()
            .filter(|to| store::transition_allowed(&r.status, to))
            .map(|to| ((*to).to_owned(), html::state_label(l, to)))
            .collect();
        let opts: String = options
            .iter()
            .map(|(v, t)| {
                format!(
                    r#"<option value="{}"{}>{}</option>"#,
                    esc(v),
                    if *v == r.status { " selected" } else { "" },
                    esc(t)
                )
            })
            .collect();
        b.push_str(&format!(
            r#"<h2>{h}</h2><form method="post" action="/staff/applications/{code}/review">
<input type="hidden" name="csrf" value="{csrf}">
<p><label>{to_l} <select name="to">{opts}</select></label></p>
<p><label>{c_l}<br><textarea name="comment" rows="3" cols="80" required maxlength="2000"></textarea></label></p>
<p><label><input type="checkbox" name="for_applicant" value="1"> {fa_l}</label></p>
<p><button>{save}</button></p></form>"#,
            h = l.t("Xét duyệt", "Review"),
            code = url_enc(&r.code),
            csrf = esc(&s.csrf),
            to_l = l.t("Trạng thái mới", "New status"),
            c_l = l.t("Ý kiến (bắt buộc)", "Comment (required)"),
            fa_l = l.t("Gửi ý kiến này cho người nộp", "Show this comment to the applicant"),
            save = l.t("Lưu", "Save"),
        ));
    }
    s.page(StatusCode::OK, &format!("{} {}", l.t("Hồ sơ", "Application"), r.code), &b)
}

/// The review form.
#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    to: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    for_applicant: Option<String>,
}

/// `POST /staff/applications/{code}/review`.
pub async fn review(s: Session, Path(code): Path<String>, Form(f): Form<ReviewForm>) -> Response {
    let l = s.lang;
    if let Err(r) = s.check_csrf(&f.csrf) {
        return r;
    }
    if !s.account.role.can_review() {
        return s.forbidden();
    }
    let comment = f.comment.trim();
    if !STATES.contains(&f.to.as_str()) || comment.is_empty() || comment.chars().count() > 2000 {
        return s.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            l.t("Thiếu thông tin", "Missing input"),
            l.t(
                "<p class=\"err\">Cần chọn trạng thái và ghi ý kiến (tối đa 2000 ký tự).</p>",
                "<p class=\"err\">Choose a status and write a comment (at most 2000 characters).</p>",
            ),
        );
    }
    let for_applicant = f.for_applicant.is_some();
    match store::review(&s.db, &s.account, &code, &f.to, comment, for_applicant, OffsetDateTime::now_utc()).await {
        Ok(()) => {
            let mut res = Redirect::to(&format!("/staff/applications/{}", url_enc(&code))).into_response();
            *res.status_mut() = StatusCode::SEE_OTHER;
            res
        }
        Err(store::ReviewError::NotFound) => s.not_found(),
        Err(store::ReviewError::Transition(from, to)) => s.page(
            StatusCode::CONFLICT,
            l.t("Không chuyển được trạng thái", "Transition not allowed"),
            &format!(
                "<p class=\"err\">{} → {}</p>",
                esc(&html::state_label(l, &from)),
                esc(&html::state_label(l, &to))
            ),
        ),
        Err(store::ReviewError::Other(e)) => internal(e),
    }
}

// ---- exports --------------------------------------------------------------------------------

/// An application as an export row (Vietnamese labels).
pub fn export_row(r: &AppRow) -> ExportRow {
    let contact: Option<kc_api::Contact> = r.contact_json.as_deref().and_then(|c| serde_json::from_str(c).ok());
    let answers: Option<Application> = serde_json::from_str(&r.answers_json).ok();
    let requested = answers
        .as_ref()
        .map(|a| a.lines.iter().filter_map(|l| l.cost).fold(Vnd::ZERO, Vnd::saturating_add).to_i64())
        .unwrap_or(0);
    let subject = answers
        .as_ref()
        .and_then(|a| a.subject)
        .and_then(|s| serde_json::to_value(s).ok())
        .and_then(|v| v.as_str().map(|s| html::subject_label(Lang::Vi, s)))
        .unwrap_or_default();
    let (applicant, phone, email) =
        contact.map(|c| (c.name, c.phone.unwrap_or_default(), c.email.unwrap_or_default())).unwrap_or_default();
    ExportRow {
        code: r.code.clone(),
        received_at: r.received_at,
        province_code: r.province_code.unwrap_or(0),
        province: province_name(r.province_code),
        commune_code: r.commune_code,
        commune: commune_name(r.commune_code),
        applicant,
        phone,
        email,
        subject,
        lines: html::lines_label(Lang::Vi, &r.support_lines),
        outcome: html::outcome_label(Lang::Vi, &r.outcome),
        state: html::state_label(Lang::Vi, &r.status),
        drift: r.drift,
        requested,
        support_national: r.amount_national.unwrap_or(0),
        support_local: r.amount_local.unwrap_or(0),
        pack_id: r.server_pack_id.clone(),
    }
}

/// Parses the filter, writes the audit entry, and starts streaming the rows.
async fn start_export(
    s: &Session,
    raw: &RawFilter,
    format: &str,
) -> Result<(Filter, tokio::sync::mpsc::Receiver<anyhow::Result<AppRow>>), Response> {
    let (f, _) = raw.parse().map_err(|field| {
        s.page(
            StatusCode::BAD_REQUEST,
            s.lang.t("Bộ lọc không hợp lệ", "Invalid filter"),
            &format!("<p class=\"err\">{}</p>", esc(&field)),
        )
    })?;
    let desc: BTreeMap<String, String> = filter_description(&f, s.account.scope()).into_iter().collect();
    let detail = format!("{format} {}", serde_json::to_string(&desc).unwrap_or_default());
    store::audit(&s.db, &s.account.email, "export", format, &detail).await.map_err(internal)?;
    let (tx, rx) = tokio::sync::mpsc::channel(512);
    let (db, scope, filter) = (s.db.clone(), s.account.scope(), f.clone());
    tokio::spawn(async move {
        if let Err(e) = store::export_rows(&db, scope, &filter, tx).await {
            tracing::error!(error = ?e, "export query failed");
        }
    });
    Ok((f, rx))
}

fn attachment(name: &str) -> HeaderValue {
    let day = OffsetDateTime::now_utc().to_offset(time::UtcOffset::from_hms(7, 0, 0).expect("valid")).date();
    HeaderValue::from_str(&format!("attachment; filename=\"ho-so-{day}.{name}\"")).expect("ascii")
}

/// `GET /staff/export.csv`: RFC 4180, UTF-8 with BOM, streamed.
pub async fn export_csv(s: Session, Query(raw): Query<RawFilter>) -> Response {
    let (_, rx) = match start_export(&s, &raw, "csv").await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let stream = futures_util::stream::unfold((rx, true, false), |(mut rx, first, done)| async move {
        if done {
            return None;
        }
        let mut buf = Vec::with_capacity(64 * 1024);
        if first {
            export::csv_header(&mut buf);
        }
        let mut end = false;
        while buf.len() < 60_000 {
            match rx.recv().await {
                Some(Ok(r)) => export::csv_row(&mut buf, &export_row(&r)),
                Some(Err(e)) => {
                    tracing::error!(error = ?e, "export failed mid-stream");
                    return Some((Err(std::io::Error::other("export failed")), (rx, false, true)));
                }
                None => {
                    end = true;
                    break;
                }
            }
        }
        if buf.is_empty() {
            return None;
        }
        Some((Ok::<_, std::io::Error>(Bytes::from(buf)), (rx, false, end)))
    });
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(header::CONTENT_DISPOSITION, attachment("csv"));
    res
}

/// `GET /staff/export.xlsx`: built in a constant-memory worksheet on a blocking thread, then
/// streamed from a temporary file.
pub async fn export_xlsx(s: Session, Query(raw): Query<RawFilter>) -> Response {
    let (f, mut rx) = match start_export(&s, &raw, "xlsx").await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let desc = filter_description(&f, s.account.scope());
    let who = s.account.email.clone();
    let (btx, mut brx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let built = (|| -> anyhow::Result<std::fs::File> {
            let dir = tempfile::tempdir()?;
            let mut x = XlsxExport::new(dir.path())?;
            while let Some(r) = rx.blocking_recv() {
                x.push(&export_row(&r?))?;
            }
            let mut file = tempfile::tempfile()?;
            x.finish(&desc, OffsetDateTime::now_utc(), &who, &mut file)?;
            file.seek(SeekFrom::Start(0))?;
            Ok(file)
        })();
        match built {
            Ok(mut file) => loop {
                let mut chunk = vec![0u8; 256 * 1024];
                match file.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => {
                        chunk.truncate(n);
                        if btx.blocking_send(Ok(Bytes::from(chunk))).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = btx.blocking_send(Err(e));
                        break;
                    }
                }
            },
            Err(e) => {
                tracing::error!(error = ?e, "xlsx export failed");
                let _ = btx.blocking_send(Err(std::io::Error::other("export failed")));
            }
        }
    });
    // Wait for the first chunk so a failure is still a clean 500.
    let first = match brx.recv().await {
        Some(Ok(b)) => b,
        _ => return internal(anyhow::anyhow!("xlsx export produced nothing")),
    };
    let stream = futures_util::stream::unfold((Some(first), brx), |(first, mut rx)| async move {
        if let Some(b) = first {
            return Some((Ok(b), (None, rx)));
        }
        rx.recv().await.map(|item| (item, (None, rx)))
    });
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    h.insert(header::CONTENT_DISPOSITION, attachment("xlsx"));
    res
}

// ---- audit log and API tokens ----------------------------------------------------------------

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
    let mut b = format!(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.t("Thời điểm", "When"),
        l.t("Người", "Who"),
        l.t("Việc", "Action"),
        l.t("Đối tượng", "Target"),
        l.t("Chi tiết", "Detail"),
    );
    for e in &entries {
        b.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            when(e.at),
            esc(&e.actor),
            esc(&e.action),
            esc(&e.target),
            esc(&e.detail)
        ));
    }
    b.push_str("</tbody></table>");
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(format!(r#"<a href="/staff/audit?page={}">« {}</a>"#, page - 1, l.t("Mới hơn", "Newer")));
    }
    if entries.len() as i64 == PAGE_SIZE * 2 {
        nav.push(format!(r#"<a href="/staff/audit?page={}">{} »</a>"#, page + 1, l.t("Cũ hơn", "Older")));
    }
    b.push_str(&format!("<p>{}</p>", nav.join(" · ")));
    s.page(StatusCode::OK, l.t("Nhật ký hoạt động", "Audit log"), &b)
}

/// `GET /staff/tokens`: create an API token for tools (same scope as the account).
pub async fn tokens_page(s: Session) -> Response {
    let l = s.lang;
    let b = format!(
        r#"<p>{explain}</p><form method="post" action="/staff/tokens"><input type="hidden" name="csrf" value="{csrf}">
<label>{label_l} <input name="label" required maxlength="100"></label> <button>{go}</button></form>"#,
        explain = l.t(
            "Mã truy cập dùng cho công cụ đọc luồng thay đổi (GET /api/v1/changes), với cùng phạm vi tỉnh như tài khoản của bạn.",
            "Tokens let tools read the changes feed (GET /api/v1/changes), with your account's province scope."
        ),
        csrf = esc(&s.csrf),
        label_l = l.t("Tên gợi nhớ", "Label"),
        go = l.t("Tạo mã", "Create token"),
    );
    s.page(StatusCode::OK, l.t("Mã truy cập API", "API tokens"), &b)
}

/// The token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
}

/// `POST /staff/tokens`.
pub async fn create_token(s: Session, Form(f): Form<TokenForm>) -> Response {
    let l = s.lang;
    if let Err(r) = s.check_csrf(&f.csrf) {
        return r;
    }
    let label = f.label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return s.page(StatusCode::UNPROCESSABLE_ENTITY, l.t("Thiếu tên", "Missing label"), "");
    }
    let token = match store::create_api_token(&s.db, s.account.id, label).await {
        Ok(t) => t,
        Err(e) => return internal(e),
    };
    if let Err(e) = store::audit(&s.db, &s.account.email, "token_create", &s.account.email, label).await {
        return internal(e);
    }
    let b = format!(
        "<p>{}</p><pre>{}</pre>",
        l.t("Hãy lưu mã này ngay: nó sẽ không hiện lại.", "Save this token now: it will not be shown again."),
        esc(&token)
    );
    s.page(StatusCode::OK, l.t("Mã truy cập mới", "New API token"), &b)
}
