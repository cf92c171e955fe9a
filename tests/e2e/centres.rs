//! The centres by name: the `centres` setting names the `centre-id` an embedding page sends,
//! and the applicant's printable receipt and the staff detail page show that name, never the
//! id; an id the settings do not name is shown as the page sent it.

use reqwest::StatusCode;
use server::staff::auth::Role;
use tests::{Backend, TestApp, sample_submission, spawn_app_with};

use crate::staff::{add_account, login};

const NAME: &str = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Thái Nguyên";

fn named(s: &mut server::Settings) {
    s.centres.insert("ttkc-thai-nguyen".to_owned(), NAME.to_owned());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let app = spawn_app_with(Backend::Sqlite, named).await.expect("sqlite always runs");
    the_receipt_and_the_staff_page_name_the_centre(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let Some(app) = spawn_app_with(Backend::Postgres, named).await else { return };
    the_receipt_and_the_staff_page_name_the_centre(app).await;
}

async fn submitted(app: &TestApp, centre: &str) -> String {
    let mut s = sample_submission();
    s.centre_id = Some(centre.to_owned());
    let response = app.submit(&s).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: kc_api::Receipt = response.json().await.unwrap();
    receipt.code
}

async fn the_receipt_and_the_staff_page_name_the_centre(app: TestApp) {
    let code = submitted(&app, "ttkc-thai-nguyen").await;
    let receipt = app.client.get(format!("{}/receipt/{code}", app.address)).send().await.unwrap();
    let receipt = receipt.text().await.unwrap();
    assert!(receipt.contains(NAME), "{receipt}");
    assert!(!receipt.contains("ttkc-thai-nguyen"), "no raw centre id on the receipt");

    add_account(&app, "admin@example.vn", Role::Admin, None).await;
    let staff = login(&app, "admin@example.vn").await;
    let page = staff.get(&format!("/staff/applications/{code}")).await.text().await.unwrap();
    assert!(page.contains("Gửi qua trang của") && page.contains(NAME), "{page}");
    assert!(!page.contains("ttkc-thai-nguyen"), "no raw centre id for staff");

    // A page the settings do not name: its id, as it was sent.
    let other = submitted(&app, "trang-xa-phu-luong").await;
    let receipt = app.client.get(format!("{}/receipt/{other}", app.address)).send().await.unwrap();
    assert!(receipt.text().await.unwrap().contains("trang-xa-phu-luong"));
}
