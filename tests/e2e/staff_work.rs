//! Staff work as a centre officer does it: search and filter the list, read one application
//! with every label, decide (assign, status singly and in bulk, correct an answer), manage
//! accounts and tokens in the browser, see the overview, export; each within the scope.

use reqwest::StatusCode;
use server::staff::auth::Role;
use server::staff::db::Db;
use tests::{TestApp, sample_submission};

use crate::staff::{PASSWORD, Staff, add_account, login, post_login, two_places};

crate::both!(
    search_finds_code_name_and_phone_within_the_scope_only,
    commune_by_name_sorting_and_bad_filters_keep_the_form,
    detail_labels_every_answer_and_criterion_and_prints,
    bulk_status_change_is_all_or_nothing_and_scoped,
    assignment_filters_and_stays_in_scope,
    a_staff_correction_is_a_new_version_recomputed_and_scoped,
    admins_manage_accounts_passwords_and_tokens_in_the_browser,
    overview_counts_the_scope_only_and_compares_with_the_plan,
    exports_carry_sector_failing_criteria_and_officer,
);

/// Submits an application with a contact and a machinery cost; returns the receipt code.
async fn submit(app: &TestApp, commune: u32, name: &str, phone: &str, cost: i64) -> String {
    let mut s = sample_submission();
    s.application.location.commune_code = Some(commune);
    s.application.lines[0].cost = Some(kc_rules::Vnd::new(cost).unwrap());
    s.client_decision = tests::client_decision(&s.application);
    s.contact = Some(kc_api::Contact { name: name.to_owned(), phone: Some(phone.to_owned()), email: None });
    let response = app.submit(&s).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: kc_api::Receipt = response.json().await.unwrap();
    receipt.code
}

async fn text(staff: &Staff, path: &str) -> (StatusCode, String) {
    let r = staff.get(path).await;
    (r.status(), r.text().await.unwrap())
}

fn enc(s: &str) -> String {
    server::staff::html::url_enc(s)
}

/// The text a reader sees: the page without its tags (attribute values are not shown).
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.split("</style>").last().unwrap_or(html).chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Receipt codes in a list page, in order.
fn codes_in(html: &str) -> Vec<String> {
    html.split("href=\"/staff/applications/KC-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|c| format!("KC-{c}"))
        .collect()
}

async fn search_finds_code_name_and_phone_within_the_scope_only(app: TestApp) {
    let ((pa, ca), (_, cb)) = two_places();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let anh = submit(&app, ca, "Hộ kinh doanh Nguyễn Thị Ánh", "0912 345 678", 500_000_000).await;
    let binh = submit(&app, ca, "Cơ sở mộc Trần Văn Bình", "0987 000 111", 400_000_000).await;
    let other = submit(&app, cb, "Hộ kinh doanh Nguyễn Thị Ánh tỉnh khác", "0912 345 999", 300_000_000).await;
    let a = login(&app, "a@kc.vn").await;

    // The receipt code in any case, dashes optional.
    let loose = anh.to_lowercase().replace('-', "");
    let (st, page) = text(&a, &format!("/staff/applications?q={}", enc(&loose))).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(codes_in(&page), vec![anh.clone()]);
    // Name without diacritics, and the name and phone are shown.
    let (_, page) = text(&a, "/staff/applications?q=nguyen%20thi%20anh").await;
    assert_eq!(codes_in(&page), vec![anh.clone()], "B's namesake stays out of A's search");
    assert!(page.contains("Hộ kinh doanh Nguyễn Thị Ánh") && page.contains("0912 345 678"));
    // Phone, typed with the country code.
    let (_, page) = text(&a, &format!("/staff/applications?q={}", enc("+84 987 000 111"))).await;
    assert_eq!(codes_in(&page), vec![binh.clone()]);
    // B's receipt code finds nothing for A.
    let (_, page) = text(&a, &format!("/staff/applications?q={}", enc(&other))).await;
    assert!(codes_in(&page).is_empty());
    assert!(visible(&page).matches(other.as_str()).count() == 0, "only in the search field's value");
    // The search also filters the export.
    let csv = a.get(&format!("/staff/export.csv?q={}", enc("Bình"))).await.text().await.unwrap();
    assert!(csv.contains(&binh) && !csv.contains(&anh));
}

async fn commune_by_name_sorting_and_bad_filters_keep_the_form(app: TestApp) {
    let pack = kc_rulepack::bundled();
    let ((pa, ca), _) = two_places();
    let c1 = pack.commune(ca).unwrap();
    let c2 = pack.communes.iter().find(|c| i64::from(c.province_code) == pa && c.code != ca).unwrap();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let x = submit(&app, c1.code, "Cơ sở X", "0912 000 001", 100_000_000).await;
    let y = submit(&app, c2.code, "Cơ sở Y", "0912 000 002", 900_000_000).await;
    let a = login(&app, "a@kc.vn").await;

    // The picker offers the scope's communes by name.
    let (_, page) = text(&a, "/staff/applications").await;
    assert!(page.contains("<datalist id=\"communes\"") && page.contains(&c1.name));
    assert!(page.contains("<main"), "a main landmark");
    // A commune by its name (any case, no diacritics) finds its applications.
    let typed = server::staff::filter::fold(&c1.name);
    let (st, page) = text(&a, &format!("/staff/applications?commune={}", enc(&typed))).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(codes_in(&page), vec![x.clone()]);
    // Sorting by support amount, both ways.
    let (_, page) = text(&a, "/staff/applications?sort=amount&dir=desc").await;
    let desc = codes_in(&page);
    let (_, page) = text(&a, "/staff/applications?sort=amount&dir=asc").await;
    let asc = codes_in(&page);
    assert_eq!(desc.len(), 2);
    assert_eq!(desc, asc.iter().rev().cloned().collect::<Vec<_>>());
    let (_, page) = text(&a, "/staff/applications?sort=code&dir=asc").await;
    let mut sorted = vec![x.clone(), y.clone()];
    sorted.sort();
    assert_eq!(codes_in(&page), sorted);
    // A name that is no commune: the same page, the message beside the field, the form kept.
    let (st, page) = text(&a, "/staff/applications?commune=Xã%20Không%20Có&line=machinery&q=abc").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"e-commune\""), "{page}");
    assert!(page.contains("Không có xã, phường, đặc khu “Xã Không Có”"));
    assert!(page.contains("value=\"Xã Không Có\"") && page.contains("value=\"abc\""));
    assert!(page.contains("<option value=\"machinery\" selected"));
    assert!(page.contains("<form class=\"filters"));
    // A bad date too.
    let (st, page) = text(&a, "/staff/applications?from=2025-13-40").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"e-from\"") && page.contains("2025-13-40"));
}

async fn detail_labels_every_answer_and_criterion_and_prints(app: TestApp) {
    let ((pa, ca), _) = two_places();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let mut s = sample_submission();
    s.application.location.commune_code = Some(ca);
    s.application.conditions.no_other_state_funding = Some(true);
    s.application.conditions.counterpart_funding = Some(true);
    s.application.size.employees = Some(12);
    s.application.priority.women_owned = Some(true);
    s.client_decision = tests::client_decision(&s.application);
    let response = app.submit(&s).await;
    let code = response.json::<kc_api::Receipt>().await.unwrap().code;
    let a = login(&app, "a@kc.vn").await;
    let (st, page) = text(&a, &format!("/staff/applications/{code}")).await;
    assert_eq!(st, StatusCode::OK);
    // Every answer with its label.
    for label in [
        "Chi phí: máy móc thiết bị tiên tiến",
        "Loại hình cơ sở",
        "Xã, phường, đặc khu nơi sản xuất",
        "Máy móc, thiết bị mới, chưa qua sử dụng",
        "Không được ngân sách nhà nước khác hỗ trợ cho khoản chi này",
        "Cam kết bố trí vốn đối ứng",
        "Số lao động có BHXH bình quân năm trước",
        "Chủ cơ sở là nữ",
    ] {
        assert!(page.contains(label), "answer label {label}");
    }
    assert!(page.contains("500.000.000 đ") && page.contains("Hộ kinh doanh"));
    // Criteria with labels and marks, never raw ids.
    let decision = tests::client_decision(&s.application);
    for c in &decision.criteria {
        let label = server::staff::labels::label(
            server::staff::html::Lang::Vi,
            server::staff::labels::Kind::Criterion,
            c.id.id(),
        );
        assert_ne!(label, c.id.id(), "criterion {} has a label", c.id);
        assert!(page.contains(&label), "criterion {label}");
    }
    let shown = visible(&page);
    for raw in ["no_double_funding", "conditions.", "có = có", "household_business", "sme_size", "machinery"] {
        assert!(!shown.contains(raw), "raw id {raw} on the page");
    }
    // Each fund has an amount or the reason it has none.
    assert!(page.contains(kc_rules::Fund::National.label_vi()) && page.contains(kc_rules::Fund::Local.label_vi()));
    assert!(page.matches("Không có số tiền").count() + page.matches(" đ</strong>").count() >= 2);
    // The print slip and the A4 print layout.
    assert!(page.contains("@media print") && page.contains("size:A4") && page.contains("class=\"slip\""));
    assert!(page.contains("PHIẾU TIẾP NHẬN HỒ SƠ"));
}

async fn bulk_status_change_is_all_or_nothing_and_scoped(app: TestApp) {
    let ((pa, ca), (_, cb)) = two_places();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    add_account(&app, "v@kc.vn", Role::Viewer, Some(pa)).await;
    let a1 = submit(&app, ca, "A1", "0912 000 001", 100_000_000).await;
    let a2 = submit(&app, ca, "A2", "0912 000 002", 100_000_000).await;
    let b1 = submit(&app, cb, "B1", "0912 000 003", 100_000_000).await;
    let a = login(&app, "a@kc.vn").await;
    let status = |code: String| {
        let app = &app;
        async move { app.get(&format!("/applications/{code}")).await.json::<kc_api::StatusView>().await.unwrap().state }
    };
    // Rejecting without a comment: the list comes back with the message and the ticks kept.
    let r = a
        .post(
            "/staff/applications/bulk",
            &[("csrf", &a.csrf), ("code", &a1), ("code", &a2), ("to", "rejected"), ("comment", ""), ("back", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Cần ghi ý kiến khi từ chối"));
    assert!(page.contains(&format!("value=\"{a1}\" id=\"pick-{a1}\" checked")), "ticks kept");
    // One code outside the scope: not found, and nothing changes.
    let r = a
        .post(
            "/staff/applications/bulk",
            &[("csrf", &a.csrf), ("code", &a1), ("code", &b1), ("to", "under_review"), ("back", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(status(a1.clone()).await, kc_api::ReviewState::Received);
    assert_eq!(status(b1.clone()).await, kc_api::ReviewState::Received);
    // Both of A's, with an empty internal comment: fine.
    let r = a
        .post(
            "/staff/applications/bulk",
            &[
                ("csrf", &a.csrf),
                ("code", &a1),
                ("code", &a2),
                ("to", "under_review"),
                ("comment", ""),
                ("back", "status=received"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/staff/applications?status=received");
    assert_eq!(status(a1.clone()).await, kc_api::ReviewState::UnderReview);
    assert_eq!(status(a2.clone()).await, kc_api::ReviewState::UnderReview);
    // A jump the workflow refuses changes none.
    let r =
        a.post("/staff/applications/bulk", &[("csrf", &a.csrf), ("code", &a1), ("to", "received"), ("back", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A viewer cannot, and no CSRF token is no change.
    let v = login(&app, "v@kc.vn").await;
    let r = v.post("/staff/applications/bulk", &[("csrf", &v.csrf), ("code", &a1), ("to", "accepted")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = a.post("/staff/applications/bulk", &[("code", &a1), ("to", "accepted")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(status(a1.clone()).await, kc_api::ReviewState::UnderReview);
    // The detail's review form: an error keeps the typed comment.
    let r = a.review(&a1, "needs_changes", "", true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"review-error\""));
}

async fn assignment_filters_and_stays_in_scope(app: TestApp) {
    let ((pa, ca), (pb, cb)) = two_places();
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    add_account(&app, "a2@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    add_account(&app, "b@kc.vn", Role::ProvinceStaff, Some(pb)).await;
    let a1 = submit(&app, ca, "A1", "0912 000 001", 100_000_000).await;
    let a2 = submit(&app, ca, "A2", "0912 000 002", 100_000_000).await;
    let b1 = submit(&app, cb, "B1", "0912 000 003", 100_000_000).await;
    let a = login(&app, "a@kc.vn").await;
    let db = Db::of(&app.store);
    let accounts = server::staff::store::accounts(&db).await.unwrap();
    let id = |email: &str| accounts.iter().find(|(x, _)| x.email == email).unwrap().0.id.to_string();
    // The detail offers A's officers (and admins), not B's.
    let (_, page) = text(&a, &format!("/staff/applications/{a1}")).await;
    assert!(page.contains("a2@kc.vn") && !page.contains("b@kc.vn"));
    let r =
        a.post(&format!("/staff/applications/{a1}/assign"), &[("csrf", &a.csrf), ("officer", &id("a2@kc.vn"))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // B's officer cannot take A's application; A cannot assign B's.
    let r =
        a.post(&format!("/staff/applications/{a2}/assign"), &[("csrf", &a.csrf), ("officer", &id("b@kc.vn"))]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r =
        a.post(&format!("/staff/applications/{b1}/assign"), &[("csrf", &a.csrf), ("officer", &id("a@kc.vn"))]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Filter by officer, and by "unassigned".
    let (_, page) = text(&a, &format!("/staff/applications?assigned={}", id("a2@kc.vn"))).await;
    assert_eq!(codes_in(&page), vec![a1.clone()]);
    assert!(page.contains("a2@kc.vn"));
    let (_, page) = text(&a, "/staff/applications?assigned=none").await;
    assert_eq!(codes_in(&page), vec![a2.clone()]);
    // Audited.
    let admin = login(&app, "admin@kc.vn").await;
    let (_, audit) = text(&admin, "/staff/audit").await;
    assert!(audit.contains("Phân công") && audit.contains(&a1));
}

async fn a_staff_correction_is_a_new_version_recomputed_and_scoped(app: TestApp) {
    let ((pa, ca), (_, cb)) = two_places();
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    // A cost of 1 đ that was meant as 700,000,000 đ.
    let code = submit(&app, ca, "Cơ sở Ánh", "0912 000 001", 1).await;
    let other = submit(&app, cb, "Cơ sở B", "0912 000 002", 1).await;
    let a = login(&app, "a@kc.vn").await;
    let before = app.get(&format!("/applications/{code}")).await.json::<serde_json::Value>().await.unwrap();
    let path = format!("/staff/applications/{code}/correct");
    // A reason is required, and a value must parse: the form comes back with its values.
    let r = a
        .post(&path, &[("csrf", &a.csrf), ("field", "lines.machinery.cost"), ("value", "700.000.000"), ("comment", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("value=\"700.000.000\""));
    let r = a
        .post(&path, &[("csrf", &a.csrf), ("field", "lines.machinery.cost"), ("value", "bảy trăm"), ("comment", "x")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The place decides the scope: it is not correctable here.
    let r = a
        .post(
            &path,
            &[("csrf", &a.csrf), ("field", "location.commune_code"), ("value", &cb.to_string()), ("comment", "x")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = a
        .post(
            &path,
            &[
                ("csrf", &a.csrf),
                ("field", "lines.machinery.cost"),
                ("value", "700.000.000"),
                ("comment", "Gõ nhầm, theo hoá đơn"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = text(&a, &format!("/staff/applications/{code}")).await;
    // Both versions shown: the applicant's 1 đ and the corrected 700.000.000 đ.
    assert!(page.contains("1 đ") && page.contains("700.000.000 đ"), "{page}");
    assert!(page.contains("Kết quả trước và sau khi cán bộ sửa"));
    assert!(page.contains("Gõ nhầm, theo hoá đơn"));
    // The stored original is untouched; the version is recomputed by the engine.
    let db = Db::of(&app.store);
    let d = server::staff::store::detail(&db, server::staff::auth::Scope::All, &code).await.unwrap().unwrap();
    let original: kc_rules::Application = serde_json::from_str(&d.original_answers_json).unwrap();
    assert_eq!(original.lines[0].cost, Some(kc_rules::Vnd::new(1).unwrap()));
    assert_eq!(d.versions.len(), 1);
    let corrected: kc_rules::Application = serde_json::from_str(&d.versions[0].answers_json).unwrap();
    assert_eq!(corrected.lines[0].cost, Some(kc_rules::Vnd::new(700_000_000).unwrap()));
    let recomputed: kc_rules::Decision = serde_json::from_str(&d.versions[0].decision_json).unwrap();
    let as_of = time::Date::parse(&d.server_as_of, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
    assert_eq!(recomputed, kc_rules::evaluate(kc_rulepack::bundled(), &corrected, as_of).unwrap());
    assert!(recomputed.total(kc_rules::Fund::National) > kc_rules::Vnd::new(1).unwrap());
    // The applicant's status view follows the centre's current result.
    let after = app.get(&format!("/applications/{code}")).await.json::<serde_json::Value>().await.unwrap();
    assert_ne!(before["amount"], after["amount"]);
    assert_eq!(after["state"], before["state"]);
    // Out of scope: not found.
    let r = a
        .post(
            &format!("/staff/applications/{other}/correct"),
            &[("csrf", &a.csrf), ("field", "lines.machinery.cost"), ("value", "5"), ("comment", "x")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Audited, and the changes feed saw it.
    let admin = login(&app, "admin@kc.vn").await;
    let (_, audit) = text(&admin, "/staff/audit").await;
    assert!(audit.contains("Sửa câu trả lời") && audit.contains(&code));
}

async fn admins_manage_accounts_passwords_and_tokens_in_the_browser(app: TestApp) {
    let ((pa, _), (pb, _)) = two_places();
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let admin = login(&app, "admin@kc.vn").await;
    let a = login(&app, "a@kc.vn").await;
    // Only admins.
    assert_eq!(a.get("/staff/accounts").await.status(), StatusCode::FORBIDDEN);
    let r = a
        .post("/staff/accounts", &[("csrf", &a.csrf), ("email", "x@kc.vn"), ("role", "admin"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Add: a province officer needs a province; the form keeps its values.
    let r = admin
        .post(
            "/staff/accounts",
            &[
                ("csrf", &admin.csrf),
                ("email", "Mới@KC.vn"),
                ("role", "province_staff"),
                ("province", ""),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("value=\"mới@kc.vn\""));
    let pb_s = pb.to_string();
    let r = admin
        .post(
            "/staff/accounts",
            &[
                ("csrf", &admin.csrf),
                ("email", "moi@kc.vn"),
                ("role", "province_staff"),
                ("province", &pb_s),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(post_login(&app, "moi@kc.vn", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let db = Db::of(&app.store);
    let id_of = |email: &'static str| {
        let db = db.clone();
        async move {
            server::staff::store::accounts(&db).await.unwrap().into_iter().find(|(x, _)| x.email == email).unwrap().0
        }
    };
    let moi = id_of("moi@kc.vn").await;
    assert_eq!((moi.role, moi.province_code), (Role::ProvinceStaff, Some(pb)));
    // Set role and province; disable (its sessions end at once).
    let moi_session = login(&app, "moi@kc.vn").await;
    let pa_s = pa.to_string();
    let path = format!("/staff/accounts/{}", moi.id);
    let r = admin.post(&path, &[("csrf", &admin.csrf), ("role", "viewer"), ("province", &pa_s), ("active", "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let moi = id_of("moi@kc.vn").await;
    assert_eq!((moi.role, moi.province_code), (Role::Viewer, Some(pa)));
    let r = admin.post(&path, &[("csrf", &admin.csrf), ("role", "viewer"), ("province", &pa_s), ("active", "0")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(moi_session.get("/staff/applications").await.status().is_redirection());
    assert_eq!(post_login(&app, "moi@kc.vn", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    // Reset a password: the old one stops working, the new one works.
    let r = admin
        .post(
            &format!("/staff/accounts/{}/password", id_of("a@kc.vn").await.id),
            &[("csrf", &admin.csrf), ("password", "mật-khẩu-mới-đặt-lại")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(a.get("/staff/applications").await.status().is_redirection(), "reset ends the sessions");
    assert_eq!(post_login(&app, "a@kc.vn", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(post_login(&app, "a@kc.vn", "mật-khẩu-mới-đặt-lại").await.status(), StatusCode::SEE_OTHER);
    // Change one's own password: the current one is needed, twice the same new one.
    let r = admin
        .post(
            "/staff/password",
            &[
                ("csrf", &admin.csrf),
                ("current", "sai"),
                ("new", "mật-khẩu-quản-trị-2"),
                ("repeat", "mật-khẩu-quản-trị-2"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post(
            "/staff/password",
            &[("csrf", &admin.csrf), ("current", PASSWORD), ("new", "mật-khẩu-quản-trị-2"), ("repeat", "khác")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post(
            "/staff/password",
            &[
                ("csrf", &admin.csrf),
                ("current", PASSWORD),
                ("new", "mật-khẩu-quản-trị-2"),
                ("repeat", "mật-khẩu-quản-trị-2"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(admin.get("/staff/accounts").await.status(), StatusCode::OK, "this session goes on");
    assert_eq!(post_login(&app, "admin@kc.vn", "mật-khẩu-quản-trị-2").await.status(), StatusCode::SEE_OTHER);
    // The last admin cannot disable or demote themselves.
    let me = id_of("admin@kc.vn").await;
    let r = admin
        .post(&format!("/staff/accounts/{}", me.id), &[("csrf", &admin.csrf), ("role", "admin"), ("active", "0")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = admin
        .post(
            &format!("/staff/accounts/{}", me.id),
            &[("csrf", &admin.csrf), ("role", "viewer"), ("province", &pa_s), ("active", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(id_of("admin@kc.vn").await.role, Role::Admin);
    // Tokens: listed and revoked; a revoked token no longer reads the feed.
    let a = crate::staff::login_with(&app, "a@kc.vn", "mật-khẩu-mới-đặt-lại").await;
    let page = a.post("/staff/tokens", &[("csrf", &a.csrf), ("label", "công cụ báo cáo")]).await.text().await.unwrap();
    let i = page.find("kcs_").unwrap();
    let token = page[i..i + 68].to_owned();
    let feed = |t: String| {
        let app = &app;
        async move { app.client.get(app.api("/changes?cursor=0&limit=10")).bearer_auth(t).send().await.unwrap().status() }
    };
    assert_eq!(feed(token.clone()).await, StatusCode::OK);
    let (_, accounts_page) = text(&admin, "/staff/accounts").await;
    assert!(accounts_page.contains("công cụ báo cáo"));
    let tokens = server::staff::store::api_tokens(&db, None).await.unwrap();
    let r = admin.post(&format!("/staff/tokens/{}/revoke", tokens[0].id), &[("csrf", &admin.csrf)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(feed(token).await, StatusCode::UNAUTHORIZED);
    // All audited, Vietnamese first.
    let (_, audit) = text(&admin, "/staff/audit").await;
    for label in
        ["Tạo tài khoản", "Khoá tài khoản", "Đặt lại mật khẩu", "Đổi mật khẩu", "Thu hồi mã API", "Sửa tài khoản"]
    {
        assert!(audit.contains(label), "audit {label}");
    }
    assert!(audit.contains("Đăng nhập sai") && audit.find("Đăng nhập sai") < audit.find("Failed login"));
}

async fn overview_counts_the_scope_only_and_compares_with_the_plan(app: TestApp) {
    let ((pa, ca), (_, cb)) = two_places();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    add_account(&app, "v@kc.vn", Role::Viewer, Some(pa)).await;
    submit(&app, ca, "A1", "0912 000 001", 100_000_000).await;
    submit(&app, ca, "A2", "0912 000 002", 200_000_000).await;
    submit(&app, cb, "B1", "0912 000 003", 400_000_000).await;
    let a = login(&app, "a@kc.vn").await;
    let (st, page) = text(&a, "/staff/overview").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("role=\"img\""));
    // 2 applications, 300,000,000 đ requested: B's are not counted.
    assert!(page.contains("<strong>2</strong>") && page.contains("300.000.000 đ"), "{page}");
    assert!(!page.contains("700.000.000 đ") && !page.contains("400.000.000 đ"));
    // The list's filters apply.
    let (_, page) = text(&a, &format!("/staff/overview?q={}", enc("A2"))).await;
    assert!(page.contains("<strong>1</strong>") && page.contains("200.000.000 đ"));
    // A plan per fund, for the officer's province.
    let r = a
        .post(
            "/staff/overview/plan",
            &[
                ("csrf", &a.csrf),
                ("year", &tests::today().year().to_string()),
                ("fund", "national"),
                ("amount", "5.000.000.000"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = text(&a, "/staff/overview").await;
    assert!(page.contains("5.000.000.000 đ"));
    let v = login(&app, "v@kc.vn").await;
    let r = v
        .post("/staff/overview/plan", &[("csrf", &v.csrf), ("year", "2026"), ("fund", "national"), ("amount", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn exports_carry_sector_failing_criteria_and_officer(app: TestApp) {
    let ((pa, ca), _) = two_places();
    add_account(&app, "a@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let mut s = sample_submission();
    s.application.location.commune_code = Some(ca);
    s.application.conditions.equipment_new = Some(false);
    let sector = kc_rulepack::bundled().sectors.iter().find(|x| x.eligible).unwrap();
    s.application.sector = Some(sector.id.clone());
    s.client_decision = tests::client_decision(&s.application);
    let code = app.submit(&s).await.json::<kc_api::Receipt>().await.unwrap().code;
    let a = login(&app, "a@kc.vn").await;
    let db = Db::of(&app.store);
    let me =
        server::staff::store::accounts(&db).await.unwrap().into_iter().find(|(x, _)| x.email == "a@kc.vn").unwrap().0;
    a.post(&format!("/staff/applications/{code}/assign"), &[("csrf", &a.csrf), ("officer", &me.id.to_string())]).await;
    let csv = a.get("/staff/export.csv").await.text().await.unwrap();
    let mut rd = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = rd.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    let row = rd.records().next().unwrap().unwrap();
    assert_eq!(&row[col("sector")], sector.label_vi.as_str());
    assert!(row[col("failing_criteria")].contains("Máy móc, thiết bị mới"), "{:?}", &row[col("failing_criteria")]);
    assert_eq!(&row[col("assigned_officer")], "a@kc.vn");
    let xlsx = a.get("/staff/export.xlsx").await.bytes().await.unwrap();
    use calamine::Reader as _;
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let range = wb.worksheet_range("Hồ sơ").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let h = &rows[0];
    let at = |name: &str| h.iter().position(|x| x == name).unwrap_or_else(|| panic!("xlsx column {name}"));
    assert_eq!(rows[1][at("Ngành nghề")], sector.label_vi);
    assert!(rows[1][at("Tiêu chí không đạt")].contains("Máy móc, thiết bị mới"));
    assert_eq!(rows[1][at("Cán bộ phụ trách")], "a@kc.vn");
}
