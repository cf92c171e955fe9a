//! The decision policy in the staff list, the overview and the exports: applications
//! received under the bundled pack, the server restarted with the machinery cap raised
//! (`pack_file`). Under `decision_policy = current` the list, its totals, the overview's fund
//! totals and the exports use the running pack's adopted decision where it differs; under
//! `received` they use the received one. The exports carry both either way, and say which
//! one the centre uses.

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use server::config::DecisionPolicy;
use server::staff::auth::Role;
use server::staff::html::money;
use tests::TestApp;

use crate::impact::{machinery_900, raised_cap, submit, training};
use crate::staff::{Staff, add_account, login};

crate::both!(the_list_overview_and_exports_follow_the_decision_policy);

const USED_RECEIVED: &str = "Kết quả khi nhận hồ sơ";
const USED_CURRENT: &str = "Kết quả theo quy định hiện hành";

/// The CSV export of `query`: its rows as (header → value) maps, by receipt code.
async fn csv(
    staff: &Staff,
    query: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> {
    let r = staff.get(&format!("/staff/export.csv?{query}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.bytes().await.unwrap();
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(&body[3..]);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: std::collections::BTreeMap<String, String> =
                headers.iter().zip(r.iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect();
            (row["code"].clone(), row)
        })
        .collect()
}

/// The list page's "Total computed support".
fn list_total(page: &str) -> String {
    let at = page.find("Tổng kinh phí hỗ trợ tính được").expect("the totals line");
    let rest = &page[at..];
    let start = rest.find("<strong>").unwrap() + "<strong>".len();
    rest[start..start + rest[start..].find("</strong>").unwrap()].to_owned()
}

/// The overview's national fund card figure.
fn overview_national(page: &str) -> String {
    use server::staff::labels::{Kind, label};
    let card = format!("Hỗ trợ tính được — {}", label(server::staff::html::Lang::Vi, Kind::Fund, "national"));
    let at = page.find(&card).expect("the national fund card");
    let rest = &page[at..];
    let start = rest.find("<strong>").unwrap() + "<strong>".len();
    rest[start..start + rest[start..].find("</strong>").unwrap()].to_owned()
}

async fn page(staff: &Staff, path: &str) -> String {
    let r = staff.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.text().await.unwrap()
}

async fn the_list_overview_and_exports_follow_the_decision_policy(app: TestApp) {
    // Arrange: a 900 tr machine (300 tr at the bundled cap, 400 tr at the candidate's) and a
    // training request that both packs decide alike.
    let a = submit(&app, &machinery_900()).await;
    let t = submit(&app, &training()).await;
    let stored = app.store.changes(0, 1000).await.unwrap();
    let national = |code: &str| stored.iter().find(|c| c.receipt_code == code).unwrap().amount_national.unwrap_or(0);
    let support = |code: &str| {
        let c = stored.iter().find(|c| c.receipt_code == code).unwrap();
        c.amount_national.unwrap_or(0).max(c.amount_local.unwrap_or(0))
    };
    assert_eq!(national(&a.code), 300_000_000);
    let (t_support, t_national) = (support(&t.code), national(&t.code));
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    let candidate = raised_cap();
    let file = app.temp_file("candidate.json", &serde_json::to_vec(candidate).unwrap());

    // Act 1: the candidate deployed under the default policy, `received`.
    let mut received = app.restart_with(|s| s.pack_file = Some(file.clone())).await;
    assert_eq!(received.adopted().await.differ, 1);
    let staff = login(&received, "admin@kc.vn").await;

    // Assert: the list, its totals, the overview and the export use the received decision.
    let list = page(&staff, "/staff/applications").await;
    assert_eq!(list_total(&list), money(300_000_000 + t_support), "received figures in the totals");
    assert!(list.contains(&format!("Theo quy định hiện hành: {}", money(400_000_000))), "the new figure beside it");
    assert!(!list.contains("id=\"decision-used\""));
    let overview = page(&staff, "/staff/overview").await;
    assert_eq!(overview_national(&overview), money(300_000_000 + t_national));
    let rows = csv(&staff, "").await;
    let (ra, rt) = (&rows[&a.code], &rows[&t.code]);
    assert_eq!(ra["support_national_vnd"], "300000000");
    assert_eq!(ra["decision_used"], USED_RECEIVED);
    assert_eq!(ra["received_outcome"], ra["outcome"]);
    assert!(ra["outcome"].starts_with("Đủ điều kiện"), "a Vietnamese label: {}", ra["outcome"]);
    assert_eq!(ra["received_support_national_vnd"], "300000000");
    assert_eq!(ra["current_outcome"], ra["outcome"], "the adopted decision is carried beside it");
    assert_eq!(ra["current_support_national_vnd"], "400000000");
    assert_eq!(ra["current_pack_id"], candidate.id);
    assert_eq!((rt["decision_used"].as_str(), rt["current_support_national_vnd"].as_str()), (USED_RECEIVED, ""));
    // Sorting by amount: received figures (training's support is below 300 tr).
    let by_amount = page(&staff, "/staff/applications?sort=amount&dir=desc").await;
    assert!(by_amount.find(&a.code).unwrap() < by_amount.find(&t.code).unwrap());

    // Act 2: the same pack under `decision_policy = current`.
    let mut current = app
        .restart_with(|s| {
            s.pack_file = Some(file.clone());
            s.decision_policy = DecisionPolicy::Current;
        })
        .await;
    assert_eq!(current.adopted().await.considered, 0, "already adopted");
    let staff = login(&current, "admin@kc.vn").await;

    // Assert: the running pack's decision where it differs, the received one elsewhere.
    let list = page(&staff, "/staff/applications").await;
    assert_eq!(list_total(&list), money(400_000_000 + t_support), "current figures in the totals");
    assert!(list.contains(&format!("Khi nhận hồ sơ: {}", money(300_000_000))), "the received figure beside it");
    assert!(list.contains("id=\"decision-used\""), "the page says which decision it counts");
    let overview = page(&staff, "/staff/overview").await;
    assert_eq!(overview_national(&overview), money(400_000_000 + t_national));
    // Filters and searches run on the same figures.
    let national_only = page(&staff, "/staff/applications?fund=national&outcome=eligible").await;
    assert!(national_only.contains(&a.code));
    let searched = page(&staff, &format!("/staff/applications?q={}", a.code)).await;
    assert_eq!(list_total(&searched), money(400_000_000));
    let rows = csv(&staff, "").await;
    let (ra, rt) = (&rows[&a.code], &rows[&t.code]);
    assert_eq!(ra["support_national_vnd"], "400000000", "the figure the centre plans with");
    assert_eq!(ra["decision_used"], USED_CURRENT);
    assert_eq!(ra["received_support_national_vnd"], "300000000", "what the applicant was told, kept");
    assert_eq!(ra["current_support_national_vnd"], "400000000");
    assert_eq!(ra["pack_id"], kc_rulepack::PACK_ID, "the pack it was received under");
    assert_eq!(ra["current_pack_id"], candidate.id);
    assert_eq!(rt["decision_used"], USED_RECEIVED, "same decision under both packs");
    assert_eq!(rt["support_national_vnd"], t_national.to_string());
    assert_eq!(rt["current_outcome"], "");
    let filtered = csv(&staff, &format!("q={}", a.code)).await;
    assert_eq!(filtered[&a.code]["support_national_vnd"], "400000000");

    // The XLSX has the same columns, in Vietnamese, money as numbers.
    let bytes = staff.get("/staff/export.xlsx").await.bytes().await.unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range("Hồ sơ").unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(ToString::to_string).collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("{h} in {header:?}"));
    let row = range.rows().find(|r| r[0].to_string() == a.code).unwrap();
    assert_eq!(row[col("Hỗ trợ KCQG (đồng)")], Data::Float(400_000_000.0));
    assert_eq!(row[col("Hỗ trợ KCQG khi nhận (đồng)")], Data::Float(300_000_000.0));
    assert_eq!(row[col("Hỗ trợ KCQG theo quy định hiện hành (đồng)")], Data::Float(400_000_000.0));
    assert_eq!(row[col("Kết quả trung tâm sử dụng")], Data::String(USED_CURRENT.into()));

    // A staff correction under the running pack replaces the adopted decision: its own figures
    // count, not the adoption's of the old answers.
    let r = staff
        .post(
            &format!("/staff/applications/{}/correct", a.code),
            &[
                ("csrf", &staff.csrf),
                ("field", "lines.machinery.cost"),
                ("value", "500.000.000"),
                ("comment", "Theo hoá đơn"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rows = csv(&staff, "").await;
    let ra = &rows[&a.code];
    assert_eq!(ra["decision_used"], USED_RECEIVED);
    assert_eq!(ra["support_national_vnd"], ra["received_support_national_vnd"]);
    assert_eq!(ra["current_outcome"], "");
    assert_ne!(ra["support_national_vnd"], "400000000");

    // Under `received` again, the corrected figures too.
    let back = app.restart_with(|s| s.pack_file = Some(file)).await;
    let staff = login(&back, "admin@kc.vn").await;
    let rows = csv(&staff, "").await;
    assert_eq!(rows[&a.code]["support_national_vnd"], ra["support_national_vnd"]);
}
