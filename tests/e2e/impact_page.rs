//! The admin's impact page (`/staff/impact`): a candidate pack uploaded as a file, the totals
//! by fund, province and line, each changed application linked; non-admins get 403, a file
//! that is not a pack a clear 4xx naming where it is wrong; nothing stored changes.

use reqwest::StatusCode;
use server::staff::auth::Role;
use tests::TestApp;

use crate::impact::{machinery_900, raised_cap, submit, training};
use crate::staff::{Staff, add_account, login};

crate::both!(admins_see_a_candidates_impact_and_nothing_changes, non_admins_and_bad_files_are_refused_clearly);

const BOUNDARY: &str = "kc-test-boundary-7f3a9c";

/// A `multipart/form-data` body: text fields, then the file as `pack`.
fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some(file) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"pack\"; filename=\"candidate.json\"\r\nContent-Type: application/json\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

impl Staff {
    async fn upload(&self, fields: &[(&str, &str)], file: Option<&[u8]>) -> (StatusCode, String) {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let r = self
            .client
            .post(format!("{}/staff/impact", self.base))
            .header("cookie", format!("kc_staff={}", self.cookie))
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(multipart(&all, file))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }
}

async fn stored(app: &TestApp) -> Vec<(String, String, String, Option<i64>)> {
    let changes = app.store.changes(0, 1000).await.unwrap();
    changes.into_iter().map(|c| (c.receipt_code, c.server_decision_json, c.outcome, c.amount_national)).collect()
}

async fn admins_see_a_candidates_impact_and_nothing_changes(app: TestApp) {
    // Arrange
    let a = submit(&app, &machinery_900()).await;
    let b = submit(&app, &machinery_900()).await;
    submit(&app, &training()).await;
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    let admin = login(&app, "admin@kc.vn").await;
    let before = stored(&app).await;
    let nav = admin.get("/staff/applications").await.text().await.unwrap();
    assert!(nav.contains("href=\"/staff/impact\""), "admins find it in the navigation");
    let form = admin.get("/staff/impact").await;
    assert_eq!(form.status(), StatusCode::OK);
    assert!(form.text().await.unwrap().contains("enctype=\"multipart/form-data\""));

    // Act
    let candidate = serde_json::to_vec(raised_cap()).unwrap();
    let (st, page) = admin.upload(&[("as_of", ""), ("province", "")], Some(&candidate)).await;

    // Assert: two machinery requests gain 100 tr each; in đồng with thousands dots.
    assert_eq!(st, StatusCode::OK, "{page}");
    for shown in [
        "3</strong> hồ sơ được đánh giá lại",
        "2</strong> hồ sơ thay đổi",
        "Không có gì đã lưu bị thay đổi.",
        "+200.000.000 đ",
        "+100.000.000 đ",
        "Thanh Hóa",
        "Ứng dụng máy móc, thiết bị tiên tiến",
        "Kinh phí khuyến công quốc gia",
        "600.000.000 đ",
        "800.000.000 đ",
    ] {
        assert!(page.contains(shown), "{shown} in the report");
    }
    for code in [&a.code, &b.code] {
        assert!(page.contains(&format!("href=\"/staff/applications/{code}\"")), "{code} linked");
    }
    assert!(!page.contains("machinery") && !page.contains("national"), "no engine ids on screen");
    assert_eq!(stored(&app).await, before, "nothing stored changed");
    let audit = admin.get("/staff/audit").await.text().await.unwrap();
    assert!(audit.contains("Xem ảnh hưởng của bộ quy tắc mới"), "the run is audited");

    // Scoped by province and dated: nothing in Hà Nội; before the candidate's date nothing changes.
    let (st, page) = admin.upload(&[("province", "1")], Some(&candidate)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("0</strong> hồ sơ được đánh giá lại"), "{page}");
    let (st, page) = admin.upload(&[("as_of", "2025-12-31")], Some(&candidate)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("0</strong> hồ sơ thay đổi"));
}

async fn non_admins_and_bad_files_are_refused_clearly(app: TestApp) {
    let ((pa, _), _) = crate::staff::two_places();
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    add_account(&app, "staff@kc.vn", Role::ProvinceStaff, Some(pa)).await;
    let admin = login(&app, "admin@kc.vn").await;
    let officer = login(&app, "staff@kc.vn").await;
    let candidate = serde_json::to_vec(raised_cap()).unwrap();

    // Officers neither see nor use it.
    assert_eq!(officer.get("/staff/impact").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(officer.upload(&[], Some(&candidate)).await.0, StatusCode::FORBIDDEN);
    let nav = officer.get("/staff/applications").await.text().await.unwrap();
    assert!(!nav.contains("href=\"/staff/impact\""));

    // Not a pack: 422 naming where, in Vietnamese.
    let (st, page) = admin.upload(&[], Some(br#"{"id": 7}"#)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Tệp không phải bộ quy tắc: lỗi tại «id»"), "{page}");
    let (st, page) = admin.upload(&[], Some(b"not json at all")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Tệp không phải bộ quy tắc"));
    // A pack without a parameter the engine reads.
    let mut lacking = kc_rulepack::bundled().clone();
    lacking.params.remove(&kc_rules::ParamId::MachineryCap);
    let (st, page) = admin.upload(&[], Some(&serde_json::to_vec(&lacking).unwrap())).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("«params.machinery.cap»"), "{page}");
    // No file; a bad date; an unknown province; a stale form.
    let (st, page) = admin.upload(&[], None).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Hãy chọn tệp bộ quy tắc"));
    assert_eq!(admin.upload(&[("as_of", "31/12/2026")], Some(&candidate)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(admin.upload(&[("province", "999")], Some(&candidate)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = Staff {
        base: admin.base.clone(),
        client: admin.client.clone(),
        cookie: admin.cookie.clone(),
        csrf: "0".repeat(64),
    };
    assert_eq!(forged.upload(&[], Some(&candidate)).await.0, StatusCode::FORBIDDEN);
    // Over the upload limit (4 MiB): 413 before the body is read.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    let head = format!(
        "POST /staff/impact HTTP/1.1\r\nHost: x\r\nCookie: kc_staff={}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n--{BOUNDARY}",
        admin.cookie,
        4 * 1024 * 1024 + 1
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let n = socket.read(&mut answer).await.unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 413"), "{}", String::from_utf8_lossy(&answer[..n]));
}
