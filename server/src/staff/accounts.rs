//! Accounts in the browser: `/staff/accounts` (admins: add, disable, set role and province,
//! reset a password, list and revoke everyone's API tokens), `/staff/password` (anyone:
//! change one's own password) and `/staff/tokens` (anyone: make, list and revoke one's own
//! API tokens). Every change is audited; the last active admin cannot be disabled or
//! demoted, so nobody locks the centre out.

use axum::extract::{Path, RawForm};
use axum::http::StatusCode;
use axum::http::header::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use serde::Deserialize;

use super::auth::Role;
use super::cli::MIN_PASSWORD;
use super::html::{Lang, when};
use super::labels::{self, Kind};
use super::session::{SESSION_COOKIE, Session, cookie, internal, see_other};
use super::store::{self, AccountError};
use crate::state::AppState;

/// These pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/accounts", get(accounts_page).post(add_account))
        .route("/staff/accounts/{id}", post(update_account))
        .route("/staff/accounts/{id}/password", post(reset_password))
        .route("/staff/password", get(password_page).post(change_password))
        .route("/staff/tokens", get(tokens_page).post(create_token))
        .route("/staff/tokens/{id}/revoke", post(revoke_token))
}

const ROLES: [&str; 3] = ["admin", "province_staff", "viewer"];

fn role_select(l: Lang, id: &str, current: &str) -> Markup {
    html! {
        select id=(id) name="role" {
            @for r in ROLES { option value=(r) selected[current == r] { (labels::label(l, Kind::Role, r)) } }
        }
    }
}

fn province_select(l: Lang, id: &str, current: Option<i64>) -> Markup {
    html! {
        select id=(id) name="province" {
            option value="" { (l.t("— mọi tỉnh (quản trị) —", "— every province (admin) —")) }
            @for p in &kc_rulepack::bundled().provinces {
                option value=(p.code) selected[current == Some(i64::from(p.code))] { (p.name) }
            }
        }
    }
}

/// What the add form had, and the page's message.
#[derive(Debug, Default)]
struct PageState {
    email: String,
    role: String,
    province: Option<i64>,
    error: Option<String>,
    notice: Option<String>,
}

async fn render_accounts(s: &Session, st: PageState, status: StatusCode) -> Response {
    let l = s.lang;
    let (accounts, tokens) = match (store::accounts(&s.db).await, store::api_tokens(&s.db, None).await) {
        (Ok(a), Ok(t)) => (a, t),
        (Err(e), _) | (_, Err(e)) => return internal(e),
    };
    let body = html! {
        @if let Some(e) = &st.error { p.err role="alert" { (e) } }
        @if let Some(n) = &st.notice { p.ok role="status" { (n) } }
        section aria-labelledby="h-list" {
            h2 id="h-list" { (l.t("Tài khoản cán bộ", "Staff accounts")) }
            table {
                thead { tr {
                    th scope="col" { (l.t("Thư điện tử", "E-mail")) }
                    th scope="col" { (l.t("Vai trò, tỉnh và tình trạng", "Role, province and state")) }
                    th scope="col" { (l.t("Đặt lại mật khẩu", "Reset password")) }
                } }
                tbody {
                    @for (a, active) in &accounts {
                        @let rid = format!("role-{}", a.id);
                        @let pid = format!("prov-{}", a.id);
                        @let aid = format!("act-{}", a.id);
                        @let wid = format!("pw-{}", a.id);
                        tr {
                            th scope="row" { (a.email) @if a.id == s.account.id { " " span.muted { (l.t("(bạn)", "(you)")) } } }
                            td {
                                form method="post" action={ "/staff/accounts/" (a.id) } {
                                    input type="hidden" name="csrf" value=(s.csrf);
                                    div.filters {
                                        div.field { label for=(rid) { (l.t("Vai trò", "Role")) } (role_select(l, &rid, a.role.id())) }
                                        div.field { label for=(pid) { (l.t("Tỉnh", "Province")) } (province_select(l, &pid, a.province_code)) }
                                        div.field {
                                            label for=(aid) { (l.t("Tình trạng", "State")) }
                                            select id=(aid) name="active" {
                                                option value="1" selected[*active] { (l.t("Đang dùng", "Active")) }
                                                option value="0" selected[!*active] { (l.t("Đã khoá", "Disabled")) }
                                            }
                                        }
                                        div.field { button.primary { (l.t("Lưu", "Save")) } }
                                    }
                                }
                            }
                            td {
                                form method="post" action={ "/staff/accounts/" (a.id) "/password" } {
                                    input type="hidden" name="csrf" value=(s.csrf);
                                    div.filters {
                                        div.field {
                                            label for=(wid) { (l.t("Mật khẩu mới", "New password")) }
                                            input id=(wid) type="password" name="password" minlength=(MIN_PASSWORD) autocomplete="new-password" required;
                                        }
                                        div.field { button.primary { (l.t("Đặt lại", "Reset")) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="h-add" {
            h2 id="h-add" { (l.t("Thêm tài khoản", "Add an account")) }
            form method="post" action="/staff/accounts" {
                input type="hidden" name="csrf" value=(s.csrf);
                div.filters {
                    div.field { label for="new-email" { (l.t("Thư điện tử", "E-mail")) } input id="new-email" type="email" name="email" value=(st.email) required autocomplete="off"; }
                    div.field { label for="new-role" { (l.t("Vai trò", "Role")) } (role_select(l, "new-role", if st.role.is_empty() { "province_staff" } else { &st.role })) }
                    div.field { label for="new-prov" { (l.t("Tỉnh (cán bộ, chỉ xem)", "Province (officers, viewers)")) } (province_select(l, "new-prov", st.province)) }
                    div.field {
                        label for="new-pw" { (l.t("Mật khẩu ban đầu (ít nhất 10 ký tự)", "Initial password (10+ characters)")) }
                        input id="new-pw" type="password" name="password" minlength=(MIN_PASSWORD) autocomplete="new-password" required;
                    }
                    div.field { button.primary { (l.t("Thêm", "Add")) } }
                }
            }
        }
        section aria-labelledby="h-tokens" {
            h2 id="h-tokens" { (l.t("Mã truy cập API của mọi tài khoản", "Every account's API tokens")) }
            (tokens_table(s, &tokens))
        }
    };
    s.page(status, l.t("Tài khoản", "Accounts"), body)
}

fn tokens_table(s: &Session, tokens: &[store::TokenInfo]) -> Markup {
    let l = s.lang;
    html! {
        table {
            thead { tr {
                th scope="col" { (l.t("Tài khoản", "Account")) }
                th scope="col" { (l.t("Tên gợi nhớ", "Label")) }
                th scope="col" { (l.t("Tạo lúc", "Created")) }
                th scope="col" { (l.t("Tình trạng", "State")) }
            } }
            tbody {
                @for t in tokens {
                    tr {
                        td { (t.email) }
                        td { (t.label) }
                        td { (when(t.created_at)) }
                        td {
                            @if let Some(r) = t.revoked_at { (l.t("Đã thu hồi", "Revoked")) " " (when(r)) }
                            @else {
                                form method="post" action={ "/staff/tokens/" (t.id) "/revoke" } {
                                    input type="hidden" name="csrf" value=(s.csrf);
                                    button.primary aria-label={ (l.t("Thu hồi mã", "Revoke token")) " " (t.label) } { (l.t("Thu hồi", "Revoke")) }
                                }
                            }
                        }
                    }
                }
                @if tokens.is_empty() { tr { td colspan="4" { (l.t("Chưa có mã nào.", "No tokens yet.")) } } }
            }
        }
    }
}

/// `GET /staff/accounts` (admins).
pub async fn accounts_page(s: Session) -> Response {
    if s.account.role != Role::Admin {
        return s.forbidden();
    }
    render_accounts(&s, PageState::default(), StatusCode::OK).await
}

/// The add and update forms.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    active: String,
}

/// Role and province from a form, checked: an admin has no province, everyone else one.
fn role_and_province(l: Lang, f: &AccountForm) -> Result<(Role, Option<i64>), String> {
    let role = Role::parse(&f.role).ok_or_else(|| l.t("Hãy chọn vai trò.", "Choose a role.").to_owned())?;
    let province = match f.province.trim() {
        "" => None,
        p => Some(
            p.parse::<i64>()
                .ok()
                .filter(|c| u16::try_from(*c).ok().and_then(|c| kc_rulepack::bundled().province(c)).is_some())
                .ok_or_else(|| l.t("Tỉnh không có trong danh mục.", "Unknown province.").to_owned())?,
        ),
    };
    match (role, province) {
        (Role::Admin, _) => Ok((role, None)),
        (_, None) => Err(l
            .t("Cán bộ tỉnh và tài khoản chỉ xem cần một tỉnh.", "Officers and viewers need a province.")
            .to_owned()),
        (_, p) => Ok((role, p)),
    }
}

/// `POST /staff/accounts`: add an account.
pub async fn add_account(s: Session, Form(f): Form<AccountForm>) -> Response {
    let l = s.lang;
    if let Err(r) = s.check_csrf(&f.csrf) {
        return r;
    }
    if s.account.role != Role::Admin {
        return s.forbidden();
    }
    let email = f.email.trim().to_lowercase();
    let back = |error: String| PageState {
        email: email.clone(),
        role: f.role.clone(),
        province: f.province.parse().ok(),
        error: Some(error),
        notice: None,
    };
    let checked = (|| {
        if !email.contains('@') || email.chars().count() > 200 {
            return Err(l.t("Thư điện tử không hợp lệ.", "Not an e-mail address.").to_owned());
        }
        if f.password.chars().count() < MIN_PASSWORD {
            return Err(l.t("Mật khẩu cần ít nhất 10 ký tự.", "The password needs at least 10 characters.").to_owned());
        }
        role_and_province(l, &f)
    })();
    let (role, province) = match checked {
        Ok(x) => x,
        Err(e) => return render_accounts(&s, back(e), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match store::account_by_email(&s.db, &email).await {
        Ok(None) => {}
        Ok(Some(_)) => {
            return render_accounts(
                &s,
                back(l.t("Thư điện tử này đã có tài khoản.", "This e-mail has an account.").to_owned()),
                StatusCode::CONFLICT,
            )
            .await;
        }
        Err(e) => return internal(e),
    }
    let result = async {
        let h = s.hashing.hash(f.password.clone()).await?;
        store::create_account(&s.db, &email, &h, role, province).await?;
        store::audit(&s.db, &s.account.email, "account_create", &email, &store::account_detail(role, province)).await
    }
    .await;
    match result {
        Ok(()) => see_other("/staff/accounts"),
        Err(e) if e.downcast_ref::<super::throttle::Refused>().is_some() => s.failed(e),
        // A disabled account with this e-mail exists (the look-up above sees active ones).
        Err(_) => {
            render_accounts(
                &s,
                back(
                    l.t(
                        "Thư điện tử này đã có tài khoản (có thể đang bị khoá).",
                        "This e-mail has an account (perhaps disabled).",
                    )
                    .to_owned(),
                ),
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

/// `POST /staff/accounts/{id}`: role, province, active.
pub async fn update_account(s: Session, Path(id): Path<i64>, Form(f): Form<AccountForm>) -> Response {
    let l = s.lang;
    if let Err(r) = s.check_csrf(&f.csrf) {
        return r;
    }
    if s.account.role != Role::Admin {
        return s.forbidden();
    }
    let (role, province) = match role_and_province(l, &f) {
        Ok(x) => x,
        Err(e) => {
            return render_accounts(
                &s,
                PageState { error: Some(e), ..PageState::default() },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let active = f.active != "0";
    match store::update_account(&s.db, &s.account.email, id, role, province, active).await {
        Ok(()) => see_other("/staff/accounts"),
        Err(AccountError::NotFound) => s.not_found(),
        Err(AccountError::LastAdmin) => {
            let e = l.t(
                "Không thể khoá hoặc hạ quyền quản trị viên cuối cùng: hãy thêm một quản trị viên khác trước.",
                "The last active admin cannot be disabled or demoted: add another admin first.",
            );
            render_accounts(&s, PageState { error: Some(e.to_owned()), ..PageState::default() }, StatusCode::CONFLICT)
                .await
        }
        Err(AccountError::Other(e)) => internal(e),
    }
}

/// `POST /staff/accounts/{id}/password`: an admin sets a new password (the account's
/// sessions end).
pub async fn reset_password(s: Session, Path(id): Path<i64>, Form(f): Form<AccountForm>) -> Response {
    let l = s.lang;
    if let Err(r) = s.check_csrf(&f.csrf) {
        return r;
    }
    if s.account.role != Role::Admin {
        return s.forbidden();
    }
    if f.password.chars().count() < MIN_PASSWORD {
        let e = l.t("Mật khẩu cần ít nhất 10 ký tự.", "The password needs at least 10 characters.");
        return render_accounts(
            &s,
            PageState { error: Some(e.to_owned()), ..PageState::default() },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let target = match store::accounts(&s.db).await {
        Ok(a) => a.into_iter().find(|(a, _)| a.id == id).map(|(a, _)| a),
        Err(e) => return internal(e),
    };
    let Some(target) = target else { return s.not_found() };
    let result = async {
        let h = s.hashing.hash(f.password.clone()).await?;
        store::set_password(&s.db, id, &h, None).await?;
        store::audit(&s.db, &s.account.email, "password_reset", &target.email, "").await
    }
    .await;
    match result {
        Ok(()) => {
            let notice = format!("{} {}", l.t("Đã đặt lại mật khẩu cho", "Password reset for"), target.email);
            render_accounts(&s, PageState { notice: Some(notice), ..PageState::default() }, StatusCode::OK).await
        }
        Err(e) => s.failed(e),
    }
}

fn password_form(s: &Session, error: Option<&str>, notice: Option<&str>) -> Markup {
    let l = s.lang;
    html! {
        @if let Some(e) = error { p.err role="alert" { (e) } }
        @if let Some(n) = notice { p.ok role="status" { (n) } }
        form method="post" action="/staff/password" {
            input type="hidden" name="csrf" value=(s.csrf);
            div.field { label for="current" { (l.t("Mật khẩu hiện tại", "Current password")) } input id="current" type="password" name="current" required autocomplete="current-password"; }
            div.field { label for="new" { (l.t("Mật khẩu mới (ít nhất 10 ký tự)", "New password (10+ characters)")) } input id="new" type="password" name="new" minlength=(MIN_PASSWORD) required autocomplete="new-password"; }
            div.field { label for="repeat" { (l.t("Nhập lại mật khẩu mới", "Repeat the new password")) } input id="repeat" type="password" name="repeat" minlength=(MIN_PASSWORD) required autocomplete="new-password"; }
            p { button.primary { (l.t("Đổi mật khẩu", "Change password")) } }
        }
    }
}

/// `GET /staff/password`.
pub async fn password_page(s: Session) -> Response {
    let title = s.lang.t("Đổi mật khẩu", "Change password");
    s.page(StatusCode::OK, title, password_form(&s, None, None))
}

/// The own-password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

/// `POST /staff/password`: needs the current password; the other sessions end.
pub async fn change_password(s: Session, headers: HeaderMap, Form(f): Form<PasswordForm>) -> Response {
    let l = s.lang;
    if let Err(r) = s.check_csrf(&f.csrf) {
        return r;
    }
    let title = l.t("Đổi mật khẩu", "Change password");
    let fail = |e: &str| s.page(StatusCode::UNPROCESSABLE_ENTITY, title, password_form(&s, Some(e), None));
    if f.new.chars().count() < MIN_PASSWORD {
        return fail(l.t("Mật khẩu mới cần ít nhất 10 ký tự.", "The new password needs at least 10 characters."));
    }
    if f.new != f.repeat {
        return fail(l.t("Hai lần nhập mật khẩu mới không giống nhau.", "The two new passwords differ."));
    }
    let stored = match store::password_hash(&s.db, s.account.id).await {
        Ok(Some(h)) => h,
        Ok(None) => return s.not_found(),
        Err(e) => return internal(e),
    };
    let Ok(ok) = s.hashing.verify(f.current.clone(), Some(stored)).await else {
        return s.failed(super::throttle::Refused::Busy.into());
    };
    if !ok {
        let _ =
            store::audit(&s.db, &s.account.email, "password_change", &s.account.email, "wrong current password").await;
        return fail(l.t("Mật khẩu hiện tại không đúng.", "The current password is wrong."));
    }
    let own = cookie(&headers, SESSION_COOKIE);
    let result = async {
        let h = s.hashing.hash(f.new.clone()).await?;
        store::set_password(&s.db, s.account.id, &h, own.as_deref()).await?;
        store::audit(&s.db, &s.account.email, "password_change", &s.account.email, "").await
    }
    .await;
    match result {
        Ok(()) => s.page(
            StatusCode::OK,
            title,
            password_form(
                &s,
                None,
                Some(l.t(
                    "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.",
                    "Password changed. Your other sessions have ended.",
                )),
            ),
        ),
        Err(e) => s.failed(e),
    }
}

async fn render_tokens(s: &Session, new_token: Option<&str>, error: Option<&str>, status: StatusCode) -> Response {
    let l = s.lang;
    let tokens = match store::api_tokens(&s.db, Some(s.account.id)).await {
        Ok(t) => t,
        Err(e) => return internal(e),
    };
    let body = html! {
        @if let Some(t) = new_token {
            section aria-labelledby="h-new" {
                h2 id="h-new" { (l.t("Mã truy cập mới", "New API token")) }
                p { (l.t("Hãy lưu mã này ngay: nó sẽ không hiện lại.", "Save this token now: it will not be shown again.")) }
                pre { (t) }
            }
        }
        p { (l.t(
            "Mã truy cập dùng cho công cụ đọc luồng thay đổi (GET /api/v1/changes), với cùng phạm vi tỉnh như tài khoản của bạn.",
            "Tokens let tools read the changes feed (GET /api/v1/changes), with your account's province scope."
        )) }
        @if let Some(e) = error { p.err role="alert" { (e) } }
        form method="post" action="/staff/tokens" {
            input type="hidden" name="csrf" value=(s.csrf);
            div.filters {
                div.field { label for="label" { (l.t("Tên gợi nhớ", "Label")) } input id="label" name="label" required maxlength="100"; }
                div.field { button.primary { (l.t("Tạo mã", "Create token")) } }
            }
        }
        h2 { (l.t("Mã của bạn", "Your tokens")) }
        (tokens_table(s, &tokens))
    };
    s.page(status, l.t("Mã truy cập API", "API tokens"), body)
}

/// `GET /staff/tokens`.
pub async fn tokens_page(s: Session) -> Response {
    render_tokens(&s, None, None, StatusCode::OK).await
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
        return render_tokens(
            &s,
            None,
            Some(l.t("Cần một tên gợi nhớ (tối đa 100 ký tự).", "A label is needed (at most 100 characters).")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let token = match store::create_api_token(&s.db, s.account.id, label).await {
        Ok(t) => t,
        Err(e) => return internal(e),
    };
    if let Err(e) = store::audit(&s.db, &s.account.email, "token_create", &s.account.email, label).await {
        return internal(e);
    }
    render_tokens(&s, Some(&token), None, StatusCode::OK).await
}

/// `POST /staff/tokens/{id}/revoke`: one's own token, or any for an admin.
pub async fn revoke_token(s: Session, Path(id): Path<i64>, RawForm(body): RawForm) -> Response {
    let p: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let csrf = p.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
    if let Err(r) = s.check_csrf(csrf) {
        return r;
    }
    let owner = if s.account.role == Role::Admin { None } else { Some(s.account.id) };
    match store::revoke_api_token(&s.db, id, owner).await {
        Ok(Some(label)) => {
            if let Err(e) = store::audit(&s.db, &s.account.email, "token_revoke", &id.to_string(), &label).await {
                return internal(e);
            }
            see_other(if s.account.role == Role::Admin { "/staff/accounts" } else { "/staff/tokens" })
        }
        Ok(None) => s.not_found(),
        Err(e) => internal(e),
    }
}
