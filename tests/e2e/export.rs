//! Exports read back: CSV with a CSV parser, XLSX with calamine. Diacritics, numeric money
//! cells, neutralised formulas, the filter and the audit entry.

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use server::staff::auth::Role;
use tests::TestApp;

use crate::staff::{add_account, login, submit_in, two_places};

crate::both!(
    csv_export_is_rfc4180_with_bom_filtered_and_neutralised,
    xlsx_export_has_numbers_dates_filter_sheet_and_is_audited
);

/// The receipt codes of an XLSX export's first sheet.
pub(crate) fn xlsx_codes(bytes: &[u8]) -> Vec<String> {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid xlsx");
    let range = wb.worksheet_range("Hồ sơ").expect("the data sheet");
    range.rows().skip(1).map(|r| r[0].to_string()).collect()
}

const NAME: &str = "Cơ sở mây tre đan Ấp Phú Hưng, Đồng Tháp";
const EVIL: &str = "=HYPERLINK(\"http://x.example\",\"bấm\")";

async fn csv_export_is_rfc4180_with_bom_filtered_and_neutralised(app: TestApp) {
    let ((pa, ca), (pb, cb)) = two_places();
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    let a1 = submit_in(&app, ca, NAME).await;
    let a2 = submit_in(&app, ca, EVIL).await;
    let b1 = submit_in(&app, cb, "+84 khác tỉnh").await;
    let admin = login(&app, "admin@kc.vn").await;

    let response = admin.get(&format!("/staff/export.csv?province={pa}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"ho-so-"));
    let body = response.bytes().await.unwrap();
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = std::str::from_utf8(&body[3..]).unwrap();
    assert!(text.contains("\r\n"), "CRLF line ends");
    let mut reader = csv::Reader::from_reader(&body[3..]);
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let codes: Vec<&str> = records.iter().map(|r| &r[col("code")]).collect();
    assert_eq!(codes, [a1.as_str(), a2.as_str()], "only province A, oldest first");
    assert!(!text.contains(&b1));
    assert_eq!(&records[0][col("applicant")], NAME, "diacritics and the comma survive");
    assert_eq!(&records[1][col("applicant")], format!("'{EVIL}"), "formula neutralised");
    assert_eq!(&records[0][col("requested_vnd")], "500000000");
    assert_eq!(records[0][col("province_code")].parse::<i64>().unwrap(), pa);
    assert!(!records[0][col("province")].is_empty());
    assert_eq!(&records[0][col("state")], "Đã nhận");
    for r in &records {
        for f in r {
            assert!(!matches!(f.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')), "{f:?}");
        }
    }
    // Other filters: B's province; a state nobody is in.
    let b = admin.get(&format!("/staff/export.csv?province={pb}")).await.text().await.unwrap();
    assert!(b.contains(&b1) && !b.contains(&a1));
    let none = admin.get("/staff/export.csv?status=accepted").await.text().await.unwrap();
    assert_eq!(none.trim_start_matches('\u{feff}').lines().count(), 1, "header only");
    // A bad filter is a 400, not an unfiltered export.
    assert_eq!(admin.get("/staff/export.csv?status=bogus").await.status(), StatusCode::BAD_REQUEST);
}

async fn xlsx_export_has_numbers_dates_filter_sheet_and_is_audited(app: TestApp) {
    let ((pa, ca), (_, cb)) = two_places();
    add_account(&app, "admin@kc.vn", Role::Admin, None).await;
    let a1 = submit_in(&app, ca, NAME).await;
    let a2 = submit_in(&app, ca, EVIL).await;
    let _b1 = submit_in(&app, cb, "B").await;
    let admin = login(&app, "admin@kc.vn").await;

    let response = admin.get(&format!("/staff/export.xlsx?province={pa}&line=machinery")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = response.bytes().await.unwrap();
    assert_eq!(xlsx_codes(&bytes), vec![a1.clone(), a2.clone()]);
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Hồ sơ".to_owned(), "Thông tin xuất".to_owned()]);
    let range = wb.worksheet_range("Hồ sơ").unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(ToString::to_string).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    let row1 = range.rows().nth(1).unwrap();
    let row2 = range.rows().nth(2).unwrap();
    assert_eq!(row1[col("Cơ sở / người đề nghị")], Data::String(NAME.to_owned()));
    assert_eq!(row1[col("Kinh phí đề nghị (đồng)")], Data::Float(500_000_000.0), "money is a number");
    assert!(matches!(row1[col("Ngày nhận")], Data::DateTime(_)), "received is a date: {:?}", row1[col("Ngày nhận")]);
    assert_eq!(row2[col("Cơ sở / người đề nghị")], Data::String(EVIL.to_owned()), "a string, never a formula");
    let formulas = wb.worksheet_formula("Hồ sơ").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    let info = wb.worksheet_range("Thông tin xuất").unwrap();
    let cells: Vec<String> = info.cells().map(|(_, _, c)| c.to_string()).collect();
    let machinery = kc_rules::vocab::Line::Machinery.label_vi();
    assert!(cells.iter().any(|c| c == machinery), "the filter is recorded: {cells:?}");
    assert!(cells.iter().any(|c| c.contains(kc_rulepack::PACK_ID)), "rule-pack ids present: {cells:?}");
    assert!(cells.iter().any(|c| c == "admin@kc.vn"));

    let audit = admin.get("/staff/audit").await.text().await.unwrap();
    assert!(audit.contains("export") && audit.contains("xlsx"), "{audit}");
}
