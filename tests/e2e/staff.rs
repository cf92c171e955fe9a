//! Staff side: login, scope by province (by URL guessing too), roles, CSRF, lockout, review
//! workflow and the applicant's status view, audit log.

use reqwest::StatusCode;
use server::staff::auth::{self, Role};
use server::staff::db::Db;
use server::staff::store as staff_store;
use tests::{TestApp, sample_submission};

crate::both!(
    pages_need_a_login_and_set_strict_cookies,
    province_staff_cannot_reach_another_province,
    viewer_cannot_change_state,
    forms_without_the_csrf_token_are_rejected,
    wrong_password_is_rejected_audited_and_locks_after_five,
    review_changes_state_and_the_applicant_sees_the_comment,
    pages_speak_vietnamese_and_switch_to_english,
    api_tokens_scope_the_changes_feed,
);

/// A password every test account gets.
pub(crate) const PASSWORD: &str = "mật-khẩu-thử-nghiệm-dài";

/// Two provinces with communes: (province code, commune code) of A and B.
pub(crate) fn two_places() -> ((i64, u32), (i64, u32)) {
    let pack = kc_rulepack::bundled();
    let a = &pack.communes[0];
    let b = pack.communes.iter().find(|c| c.province_code != a.province_code).expect("two provinces");
    ((i64::from(a.province_code), a.code), (i64::from(b.province_code), b.code))
}

/// Creates an account straight in the store.
pub(crate) async fn add_account(app: &TestApp, email: &str, role: Role, province: Option<i64>) {
    let db = Db::of(&app.store);
    let hash = auth::hash_password(PASSWORD).unwrap();
    staff_store::create_account(&db, email, &hash, role, province).await.unwrap();
}

/// Submits an application in `commune` with a contact name; returns the receipt code.
pub(crate) async fn submit_in(app: &TestApp, commune: u32, name: &str) -> String {
    let mut s = sample_submission();
    s.application.location.commune_code = Some(commune);
    s.client_decision = tests::client_decision(&s.application);
    s.contact = Some(kc_api::Contact { name: name.to_owned(), phone: Some("0912 345 678".to_owned()), email: None });
    let response = app.submit(&s).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: kc_api::Receipt = response.json().await.unwrap();
    receipt.code
}

/// A signed-in staff browser: its session cookie and CSRF token.
pub(crate) struct Staff {
    pub(crate) base: String,
    pub(crate) client: reqwest::Client,
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{k}={}", server::staff::html::url_enc(v))).collect::<Vec<_>>().join("&")
}

fn cookie_value(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let first = c.split(';').next()?;
        let (k, v) = first.split_once('=')?;
        (k.trim() == name).then(|| v.to_owned())
    })
}

fn hidden_csrf(html: &str) -> String {
    let i = html.find(r#"name="csrf" value=""#).expect("a csrf field") + r#"name="csrf" value=""#.len();
    html[i..i + 64].to_owned()
}

/// Posts the login form (after fetching it for its CSRF cookie); returns the response.
pub(crate) async fn post_login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let client = no_redirects();
    let page = client.get(format!("{}/staff/login", app.address)).send().await.unwrap();
    let login_csrf = cookie_value(&page, "kc_login_csrf").expect("login csrf cookie");
    client
        .post(format!("{}/staff/login", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("kc_login_csrf={login_csrf}"))
        .body(form_body(&[("email", email), ("password", password), ("csrf", &login_csrf)]))
        .send()
        .await
        .unwrap()
}

/// Logs in and returns the signed-in browser.
pub(crate) async fn login(app: &TestApp, email: &str) -> Staff {
    login_with(app, email, PASSWORD).await
}

/// Logs in with a given password.
pub(crate) async fn login_with(app: &TestApp, email: &str, password: &str) -> Staff {
    let response = post_login(app, email, password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "login of {email}");
    let cookie = cookie_value(&response, "kc_staff").expect("session cookie");
    let mut staff = Staff { base: app.address.clone(), client: no_redirects(), cookie, csrf: String::new() };
    let list = staff.get("/staff/applications").await;
    assert_eq!(list.status(), StatusCode::OK);
    staff.csrf = hidden_csrf(&list.text().await.unwrap());
    staff
}

impl Staff {
    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", format!("kc_staff={}", self.cookie))
            .send()
            .await
            .unwrap()
    }

    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("cookie", format!("kc_staff={}", self.cookie))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(fields))
            .send()
            .await
            .unwrap()
    }

    pub(crate) async fn review(&self, code: &str, to: &str, comment: &str, for_applicant: bool) -> reqwest::Response {
        let mut fields = vec![("csrf", self.csrf.as_str()), ("to", to), ("comment", comment)];
        if for_applicant {
            fields.push(("for_applicant", "1"));
        }
        self.post(&format!("/staff/applications/{code}/review"), &fields).await
    }
}

async fn status_of(app: &TestApp, code: &str) -> kc_api::StatusView {
    app.get(&format!("/applications/{code}")).await.json().await.unwrap()
}

async fn pages_need_a_login_and_set_strict_cookies(app: TestApp) {
    let client = no_redirects();
    for path in [
        "/staff/applications",
        "/staff/applications/KC-AAAA-BBBB-CCCC",
        "/staff/export.csv",
        "/staff/export.xlsx",
        "/staff/audit",
    ] {
        let r = client.get(format!("{}{path}", app.address)).send().await.unwrap();
        assert!(r.status().is_redirection(), "{path}: {}", r.status());
        assert_eq!(r.headers()["location"], "/staff/login", "{path}");
    }
    // A made-up session token is no session.
    let r = client
        .get(format!("{}/staff/applications", app.address))
        .header("cookie", "kc_staff=00ff")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection());

    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    let response = post_login(&app, "admin@kc.vn", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let session = set.iter().find(|c| c.starts_with("kc_staff=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "{session}");
    assert!(!session.contains("Secure"), "plain HTTP on loopback: {session}");
    // Behind a TLS proxy the cookie is Secure.
    let client = no_redirects();
    let page =
        client.get(format!("{}/staff/login", app.address)).header("x-forwarded-proto", "https").send().await.unwrap();
    let c = page.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(c.contains("Secure"), "{c}");

    // Logout ends the session in the database.
    let staff = login(&app, "admin@kc.vn").await;
    let out = staff.post("/staff/logout", &[("csrf", &staff.csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(staff.get("/staff/applications").await.status().is_redirection());
}

async fn province_staff_cannot_reach_another_province(app: TestApp) {
    let ((pa, ca), (pb, cb)) = two_places();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let code_a = submit_in(&app, ca, "Cơ sở A").await;
    let code_b = submit_in(&app, cb, "Cơ sở B").await;
    let staff = login(&app, "a@kc.vn").await;

    // List: only A, even when asking for B's province.
    let list = staff.get("/staff/applications").await.text().await.unwrap();
    assert!(list.contains(&code_a) && !list.contains(&code_b));
    let list = staff.get(&format!("/staff/applications?province={pb}")).await.text().await.unwrap();
    assert!(!list.contains(&code_b));
    // Open by URL guessing: not found, not forbidden (nothing is revealed).
    assert_eq!(staff.get(&format!("/staff/applications/{code_b}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(staff.get(&format!("/staff/applications/{code_a}")).await.status(), StatusCode::OK);
    // Export: only A.
    let csv = staff.get(&format!("/staff/export.csv?province={pb}")).await.text().await.unwrap();
    assert!(!csv.contains(&code_b));
    let csv = staff.get("/staff/export.csv").await.text().await.unwrap();
    assert!(csv.contains(&code_a) && !csv.contains(&code_b));
    let xlsx = staff.get("/staff/export.xlsx").await.bytes().await.unwrap();
    let codes = crate::export::xlsx_codes(&xlsx);
    assert_eq!(codes, vec![code_a.clone()]);
    // Change: not found, and the state is unchanged.
    let r = staff.review(&code_b, "under_review", "thử", true).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let status = status_of(&app, &code_b).await;
    assert_eq!(status.state, kc_api::ReviewState::Received);
    assert_eq!(status.comment, None);
}

async fn viewer_cannot_change_state(app: TestApp) {
    let ((pa, ca), _) = two_places();
    add_account(&app, "v@kc.vn", Role::Viewer, Some(pa)).await;
    let code = submit_in(&app, ca, "Cơ sở A").await;
    let viewer = login(&app, "v@kc.vn").await;
    // The viewer can read and export…
    let detail = viewer.get(&format!("/staff/applications/{code}")).await;
    assert_eq!(detail.status(), StatusCode::OK);
    assert!(!detail.text().await.unwrap().contains("/review\""), "no review form for viewers");
    assert_eq!(viewer.get("/staff/export.csv").await.status(), StatusCode::OK);
    // …but not change anything.
    let r = viewer.review(&code, "under_review", "xem", false).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &code).await.state, kc_api::ReviewState::Received);
}

async fn forms_without_the_csrf_token_are_rejected(app: TestApp) {
    let ((pa, ca), _) = two_places();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let code = submit_in(&app, ca, "Cơ sở A").await;
    let staff = login(&app, "a@kc.vn").await;
    let path = format!("/staff/applications/{code}/review");
    let no_token = staff.post(&path, &[("to", "under_review"), ("comment", "x")]).await;
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    let wrong = staff.post(&path, &[("csrf", &"0".repeat(64)), ("to", "under_review"), ("comment", "x")]).await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &code).await.state, kc_api::ReviewState::Received);
    // Logout and token creation too.
    assert_eq!(staff.post("/staff/logout", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(staff.post("/staff/tokens", &[("label", "x")]).await.status(), StatusCode::FORBIDDEN);
    // A login post without the login-form token is refused before any password check.
    let r = no_redirects()
        .post(format!("{}/staff/login", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[("email", "a@kc.vn"), ("password", PASSWORD)]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // With the token it works.
    assert_eq!(staff.review(&code, "under_review", "bắt đầu xem", false).await.status(), StatusCode::SEE_OTHER);
}

async fn wrong_password_is_rejected_audited_and_locks_after_five(app: TestApp) {
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(two_places().0.0)).await;
    let r = post_login(&app, "a@kc.vn", "sai mật khẩu").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(cookie_value(&r, "kc_staff").is_none());
    let admin = login(&app, "admin@kc.vn").await;
    let audit = admin.get("/staff/audit").await.text().await.unwrap();
    assert!(audit.contains("login_failed") && audit.contains("a@kc.vn"), "{audit}");
    // Non-admins cannot read the audit log.
    let a = login(&app, "a@kc.vn").await;
    assert_eq!(a.get("/staff/audit").await.status(), StatusCode::FORBIDDEN);
    // Five failures lock the e-mail, even for the right password.
    for _ in 0..5 {
        assert_eq!(post_login(&app, "a@kc.vn", "sai").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(post_login(&app, "a@kc.vn", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    let audit = admin.get("/staff/audit").await.text().await.unwrap();
    assert!(audit.contains("login_locked"));
}

async fn review_changes_state_and_the_applicant_sees_the_comment(app: TestApp) {
    let ((pa, ca), _) = two_places();
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let code = submit_in(&app, ca, "Hộ kinh doanh Nguyễn Thị Ánh").await;
    let staff = login(&app, "a@kc.vn").await;
    // A jump the workflow does not allow.
    assert_eq!(staff.review(&code, "accepted", "?", false).await.status(), StatusCode::CONFLICT);
    // A comment is required to reject and to write to the applicant (only there).
    assert_eq!(staff.review(&code, "rejected", "  ", false).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(staff.review(&code, "under_review", "", true).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(staff.review(&code, "under_review", "Nội bộ: đang xem", false).await.status(), StatusCode::SEE_OTHER);
    let s = status_of(&app, &code).await;
    assert_eq!(s.state, kc_api::ReviewState::UnderReview);
    assert_eq!(s.comment, None, "internal comments stay internal");
    let note = "Cần bổ sung hoá đơn mua máy <b>gốc</b>";
    assert_eq!(staff.review(&code, "needs_changes", note, true).await.status(), StatusCode::SEE_OTHER);
    let s = status_of(&app, &code).await;
    assert_eq!(s.state, kc_api::ReviewState::NeedsChanges);
    assert_eq!(s.comment.as_deref(), Some(note));
    // The detail page shows the history, escaped.
    let detail = staff.get(&format!("/staff/applications/{code}")).await.text().await.unwrap();
    assert!(detail.contains("Nội bộ: đang xem"));
    assert!(detail.contains("hoá đơn mua máy &lt;b&gt;gốc&lt;/b&gt;") && !detail.contains("<b>gốc</b>"));
    assert!(detail.contains("Hộ kinh doanh Nguyễn Thị Ánh"));
    // The changes feed saw the update.
    let feed: serde_json::Value = app.changes(0, 100).await.json().await.unwrap();
    let kinds: Vec<&str> = feed["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "updated", "updated"]);
    // The audit log has both changes.
    let admin = login(&app, "admin@kc.vn").await;
    let audit = admin.get("/staff/audit").await.text().await.unwrap();
    assert!(audit.contains("state_change") && audit.contains(&code));
}

async fn pages_speak_vietnamese_and_switch_to_english(app: TestApp) {
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    let staff = login(&app, "admin@kc.vn").await;
    let vi = staff.get("/staff/applications").await.text().await.unwrap();
    assert!(vi.contains("Hồ sơ tự kiểm tra") && vi.contains(r#"lang="vi""#));
    let en = staff.get("/staff/applications?lang=en").await;
    assert!(en.headers()["set-cookie"].to_str().unwrap().starts_with("kc_lang=en"));
    let en = en.text().await.unwrap();
    assert!(en.contains("Self-check applications") && en.contains(r#"lang="en""#));
}

async fn api_tokens_scope_the_changes_feed(app: TestApp) {
    let ((pa, ca), (_, cb)) = two_places();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let code_a = submit_in(&app, ca, "A").await;
    let _code_b = submit_in(&app, cb, "B").await;
    let staff = login(&app, "a@kc.vn").await;
    let page =
        staff.post("/staff/tokens", &[("csrf", &staff.csrf), ("label", "công cụ tỉnh A")]).await.text().await.unwrap();
    let i = page.find("kcs_").expect("token shown once");
    let token = &page[i..i + 4 + 64];
    let feed: serde_json::Value = app
        .client
        .get(app.api("/changes?cursor=0&limit=100"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["application"]["receipt_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [code_a.as_str()]);
    assert_eq!(feed["next_cursor"], 2, "the cursor moves past changes outside the scope");
}
