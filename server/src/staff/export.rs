//! Exports of the application list: CSV for tools, XLSX for people.
//!
//! Both writers take rows one at a time, so the caller can feed them from a database cursor
//! and memory stays flat however many rows there are.
//!
//! - CSV (RFC 4180): comma-separated, CRLF line ends, fields quoted when they hold a comma, a
//!   quote, CR or LF; UTF-8 with a byte-order mark so Excel reads the diacritics; cells that a
//!   spreadsheet would take for a formula (first character `=`, `+`, `-`, `@`, tab or CR) get
//!   a leading apostrophe. Headers are stable snake_case ids; dates are RFC 3339; money is
//!   whole đồng digits.
//! - Both: `outcome` and `support_*` are the decision the centre uses (`decision_policy`:
//!   the running pack's adopted decision under `current` where it differs, else the received
//!   one); the last columns say which (`decision_used`) and carry both, the received decision
//!   always, the running pack's where it differs (empty otherwise), so nothing is hidden.
//! - XLSX (rust_xlsxwriter, constant-memory worksheet): Vietnamese headers, money as numbers
//!   formatted `#,##0`, receive time as an Excel date-time in Vietnam time (UTC+7), frozen
//!   header row and an auto-filter; a second sheet records the filter, the export time and
//!   the rule-pack ids present.

use std::collections::BTreeSet;
use std::io::{Seek, Write};

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use time::{OffsetDateTime, UtcOffset};

/// One exported application. Money is integer đồng.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    /// Receipt code.
    pub code: String,
    /// Server receive time.
    pub received_at: OffsetDateTime,
    /// Province code (0 when unknown).
    pub province_code: i64,
    /// Province name.
    pub province: String,
    /// Commune code, when answered.
    pub commune_code: Option<i64>,
    /// Commune name.
    pub commune: String,
    /// Establishment or person name.
    pub applicant: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Kind of establishment (label).
    pub subject: String,
    /// Requested support lines (labels, `; `-separated).
    pub lines: String,
    /// Server outcome (label).
    pub outcome: String,
    /// Review state (label).
    pub state: String,
    /// Server and widget results differ.
    pub drift: bool,
    /// Sum of the requested lines' costs.
    pub requested: i64,
    /// Support from the national fund.
    pub support_national: i64,
    /// Support from the local fund.
    pub support_local: i64,
    /// Rule pack of the server decision.
    pub pack_id: String,
    /// Sector of production (label).
    pub sector: String,
    /// The criteria the current decision does not meet (labels, `; `-separated).
    pub failing_criteria: String,
    /// The assigned officer's e-mail.
    pub assigned: String,
    /// Whether `outcome` and `support_*` are the running pack's adopted decision
    /// (`decision_policy = current`) rather than the received one.
    pub uses_current: bool,
    /// The decision the application was received with (what the applicant was told).
    pub received: ExportDecision,
    /// The running pack's decision, when it differs from the received one.
    pub current: Option<ExportDecision>,
}

/// One decision's outcome (label), each fund's support and its rule pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDecision {
    /// Outcome (label).
    pub outcome: String,
    /// Support from the national fund.
    pub support_national: i64,
    /// Support from the local fund.
    pub support_local: i64,
    /// Its rule pack.
    pub pack_id: String,
}

/// The "decision used" column: the received decision's words, or the current rules'.
pub fn used_label(uses_current: bool) -> &'static str {
    if uses_current { USED_CURRENT } else { USED_RECEIVED }
}

/// The "decision used" column's value for the received decision.
pub const USED_RECEIVED: &str = "Kết quả khi nhận hồ sơ";
/// Its value for the running pack's decision.
pub const USED_CURRENT: &str = "Kết quả theo quy định hiện hành";

/// CSV header ids, in column order.
pub const CSV_HEADER: [&str; 29] = [
    "code",
    "received_at",
    "province_code",
    "province",
    "commune_code",
    "commune",
    "applicant",
    "phone",
    "email",
    "subject",
    "lines",
    "outcome",
    "state",
    "drift",
    "requested_vnd",
    "support_national_vnd",
    "support_local_vnd",
    "pack_id",
    "sector",
    "failing_criteria",
    "assigned_officer",
    "decision_used",
    "received_outcome",
    "received_support_national_vnd",
    "received_support_local_vnd",
    "current_outcome",
    "current_support_national_vnd",
    "current_support_local_vnd",
    "current_pack_id",
];

/// XLSX headers (Vietnamese), in column order.
pub const XLSX_HEADER: [&str; 29] = [
    "Mã hồ sơ",
    "Ngày nhận",
    "Mã tỉnh",
    "Tỉnh/thành phố",
    "Mã xã",
    "Xã/phường/đặc khu",
    "Cơ sở / người đề nghị",
    "Điện thoại",
    "Email",
    "Loại hình",
    "Nội dung hỗ trợ",
    "Kết quả tự kiểm tra",
    "Trạng thái xét duyệt",
    "Lệch kết quả",
    "Kinh phí đề nghị (đồng)",
    "Hỗ trợ KCQG (đồng)",
    "Hỗ trợ KCĐP (đồng)",
    "Bộ quy tắc",
    "Ngành nghề",
    "Tiêu chí không đạt",
    "Cán bộ phụ trách",
    "Kết quả trung tâm sử dụng",
    "Kết quả khi nhận",
    "Hỗ trợ KCQG khi nhận (đồng)",
    "Hỗ trợ KCĐP khi nhận (đồng)",
    "Kết quả theo quy định hiện hành",
    "Hỗ trợ KCQG theo quy định hiện hành (đồng)",
    "Hỗ trợ KCĐP theo quy định hiện hành (đồng)",
    "Bộ quy tắc hiện hành",
];

/// The UTF-8 byte-order mark that starts every CSV export.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Appends the BOM and the header line.
pub fn csv_header(out: &mut Vec<u8>) {
    out.extend_from_slice(BOM);
    write_csv_record(out, CSV_HEADER.iter().copied());
}

/// Appends one row.
pub fn csv_row(out: &mut Vec<u8>, r: &ExportRow) {
    let received = r.received_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let commune_code = r.commune_code.map(|c| c.to_string()).unwrap_or_default();
    let cur = r.current.as_ref();
    let (cur_national, cur_local) = match cur {
        Some(c) => (c.support_national.to_string(), c.support_local.to_string()),
        None => (String::new(), String::new()),
    };
    let fields: [&str; 29] = [
        &r.code,
        &received,
        &r.province_code.to_string(),
        &r.province,
        &commune_code,
        &r.commune,
        &r.applicant,
        &r.phone,
        &r.email,
        &r.subject,
        &r.lines,
        &r.outcome,
        &r.state,
        if r.drift { "1" } else { "0" },
        &r.requested.to_string(),
        &r.support_national.to_string(),
        &r.support_local.to_string(),
        &r.pack_id,
        &r.sector,
        &r.failing_criteria,
        &r.assigned,
        used_label(r.uses_current),
        &r.received.outcome,
        &r.received.support_national.to_string(),
        &r.received.support_local.to_string(),
        cur.map_or("", |c| c.outcome.as_str()),
        &cur_national,
        &cur_local,
        cur.map_or("", |c| c.pack_id.as_str()),
    ];
    write_csv_record(out, fields.iter().copied());
}

fn write_csv_record<'a>(out: &mut Vec<u8>, fields: impl Iterator<Item = &'a str>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_csv_field(out, f);
    }
    out.extend_from_slice(b"\r\n");
}

/// Whether a spreadsheet would read a cell starting like this as a formula.
pub fn looks_like_formula(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// Writes one field: neutralised, then quoted when needed (RFC 4180 §2.6–2.7).
fn write_csv_field(out: &mut Vec<u8>, s: &str) {
    let prefix = if looks_like_formula(s) { "'" } else { "" };
    let needs_quotes = s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if needs_quotes {
        out.push(b'"');
        out.extend_from_slice(prefix.as_bytes());
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(s.as_bytes());
    }
}

/// Vietnam time, the offset every date in the XLSX is shown in.
fn vietnam() -> UtcOffset {
    kc_rules::VIETNAM
}

/// A time as an Excel date-time in Vietnam time.
fn excel_time(t: OffsetDateTime) -> Result<ExcelDateTime, XlsxError> {
    let local = t.to_offset(vietnam());
    ExcelDateTime::from_ymd(local.year() as u16, local.month() as u8, local.day())?.and_hms(
        u16::from(local.hour()),
        local.minute(),
        local.second(),
    )
}

/// Writes the XLSX export row by row (constant memory), then the workbook to `out`.
pub struct XlsxExport {
    workbook: Workbook,
    row: u32,
    packs: BTreeSet<String>,
    current_packs: BTreeSet<String>,
    policy_current: bool,
    header: Format,
    money: Format,
    date: Format,
}

impl XlsxExport {
    /// Starts a workbook; temporary sheet data goes to `tempdir`.
    pub fn new(tempdir: &std::path::Path) -> Result<XlsxExport, XlsxError> {
        let mut workbook = Workbook::new();
        workbook.set_tempdir(tempdir)?;
        let header = Format::new().set_bold().set_align(FormatAlign::Center).set_text_wrap();
        let money = Format::new().set_num_format("#,##0");
        let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
        let sheet = workbook.add_worksheet_with_constant_memory();
        sheet.set_name("Hồ sơ")?;
        let widths = [
            20, 17, 8, 22, 9, 26, 30, 14, 24, 18, 40, 18, 18, 10, 18, 18, 18, 24, 28, 36, 24, 24, 18, 18, 18, 24, 22,
            22, 24,
        ];
        for (c, w) in widths.into_iter().enumerate() {
            sheet.set_column_width(c as u16, w)?;
        }
        for (c, h) in XLSX_HEADER.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(XlsxExport {
            workbook,
            row: 0,
            packs: BTreeSet::new(),
            current_packs: BTreeSet::new(),
            policy_current: false,
            header,
            money,
            date,
        })
    }

    /// Says on the info sheet that the main columns follow `decision_policy = current`.
    pub fn policy_current(mut self, current: bool) -> XlsxExport {
        self.policy_current = current;
        self
    }

    fn sheet(&mut self) -> Result<&mut Worksheet, XlsxError> {
        self.workbook.worksheet_from_index(0)
    }

    /// Appends one row.
    pub fn push(&mut self, r: &ExportRow) -> Result<(), XlsxError> {
        self.row += 1;
        let row = self.row;
        if !self.packs.contains(&r.pack_id) {
            self.packs.insert(r.pack_id.clone());
        }
        if let Some(c) = r.current.as_ref().filter(|c| !self.current_packs.contains(&c.pack_id)) {
            self.current_packs.insert(c.pack_id.clone());
        }
        let when = excel_time(r.received_at)?;
        let (money, date) = (self.money.clone(), self.date.clone());
        let s = self.sheet()?;
        s.write_string(row, 0, &r.code)?;
        s.write_datetime_with_format(row, 1, &when, &date)?;
        s.write_number(row, 2, r.province_code as f64)?;
        s.write_string(row, 3, &r.province)?;
        if let Some(c) = r.commune_code {
            s.write_number(row, 4, c as f64)?;
        }
        s.write_string(row, 5, &r.commune)?;
        s.write_string(row, 6, &r.applicant)?;
        s.write_string(row, 7, &r.phone)?;
        s.write_string(row, 8, &r.email)?;
        s.write_string(row, 9, &r.subject)?;
        s.write_string(row, 10, &r.lines)?;
        s.write_string(row, 11, &r.outcome)?;
        s.write_string(row, 12, &r.state)?;
        s.write_string(row, 13, if r.drift { "Có" } else { "Không" })?;
        // Amounts are at most 10^15 đồng, exact in an f64 (2^53 > 9·10^15).
        s.write_number_with_format(row, 14, r.requested as f64, &money)?;
        s.write_number_with_format(row, 15, r.support_national as f64, &money)?;
        s.write_number_with_format(row, 16, r.support_local as f64, &money)?;
        s.write_string(row, 17, &r.pack_id)?;
        s.write_string(row, 18, &r.sector)?;
        s.write_string(row, 19, &r.failing_criteria)?;
        s.write_string(row, 20, &r.assigned)?;
        s.write_string(row, 21, used_label(r.uses_current))?;
        s.write_string(row, 22, &r.received.outcome)?;
        s.write_number_with_format(row, 23, r.received.support_national as f64, &money)?;
        s.write_number_with_format(row, 24, r.received.support_local as f64, &money)?;
        if let Some(c) = &r.current {
            s.write_string(row, 25, &c.outcome)?;
            s.write_number_with_format(row, 26, c.support_national as f64, &money)?;
            s.write_number_with_format(row, 27, c.support_local as f64, &money)?;
            s.write_string(row, 28, &c.pack_id)?;
        }
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u32 {
        self.row
    }

    /// Adds the auto-filter and the "about this export" sheet, and writes the file.
    pub fn finish<W: Write + Seek + Send>(
        mut self,
        filter: &[(String, String)],
        exported_at: OffsetDateTime,
        exported_by: &str,
        out: W,
    ) -> Result<(), XlsxError> {
        let last = self.row;
        self.sheet()?.autofilter(0, 0, last, (XLSX_HEADER.len() - 1) as u16)?;
        let header = self.header.clone();
        let date = self.date.clone();
        let mut packs: Vec<String> = self.packs.iter().cloned().collect();
        packs.extend(self.current_packs.iter().filter(|p| !self.packs.contains(*p)).cloned());
        let info = self.workbook.add_worksheet();
        info.set_name("Thông tin xuất")?;
        info.set_column_width(0, 28)?;
        info.set_column_width(1, 60)?;
        info.write_string_with_format(0, 0, "Mục", &header)?;
        info.write_string_with_format(0, 1, "Giá trị", &header)?;
        let when = excel_time(exported_at)?;
        info.write_string(1, 0, "Thời điểm xuất (giờ Việt Nam)")?;
        info.write_datetime_with_format(1, 1, &when, &date)?;
        info.write_string(2, 0, "Người xuất")?;
        info.write_string(2, 1, exported_by)?;
        info.write_string(3, 0, "Số hồ sơ")?;
        info.write_number(3, 1, f64::from(last))?;
        info.write_string(4, 0, "Bộ quy tắc có trong dữ liệu")?;
        info.write_string(4, 1, packs.join(", "))?;
        info.write_string(5, 0, "Kết quả và hỗ trợ ở các cột chính")?;
        info.write_string(
            5,
            1,
            if self.policy_current {
                "Kết quả theo quy định hiện hành nếu khác kết quả khi nhận (cột \"Kết quả trung tâm sử dụng\")"
            } else {
                "Kết quả khi nhận hồ sơ (người nộp đã được thông báo)"
            },
        )?;
        info.write_string_with_format(6, 0, "Bộ lọc", &header)?;
        if filter.is_empty() {
            info.write_string(7, 0, "(không lọc)")?;
        }
        for (r, (k, v)) in (7..).zip(filter) {
            info.write_string(r, 0, k)?;
            info.write_string(r, 1, v)?;
        }
        self.workbook.save_to_writer(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn row(code: &str, applicant: &str) -> ExportRow {
        ExportRow {
            code: code.to_owned(),
            received_at: datetime!(2025-11-03 02:30:00 UTC),
            province_code: 1,
            province: "Thành phố Hà Nội".to_owned(),
            commune_code: Some(4),
            commune: "Phường Ba Đình".to_owned(),
            applicant: applicant.to_owned(),
            phone: "+84 912 345 678".to_owned(),
            email: "a@b.vn".to_owned(),
            subject: "Hộ kinh doanh".to_owned(),
            lines: "Máy móc thiết bị; Đào tạo nghề".to_owned(),
            outcome: "Đủ điều kiện".to_owned(),
            state: "Đã nhận".to_owned(),
            drift: true,
            requested: 1_234_567_890,
            support_national: 300_000_000,
            support_local: 0,
            pack_id: "2025-10-15+abc".to_owned(),
            sector: "Chế biến nông sản".to_owned(),
            failing_criteria: String::new(),
            assigned: "can.bo@sct.vn".to_owned(),
            uses_current: false,
            received: ExportDecision {
                outcome: "Đủ điều kiện".to_owned(),
                support_national: 300_000_000,
                support_local: 0,
                pack_id: "2025-10-15+abc".to_owned(),
            },
            current: None,
        }
    }

    #[test]
    fn csv_round_trips_with_bom_quotes_diacritics_and_neutralised_formulas() {
        let mut out = Vec::new();
        csv_header(&mut out);
        csv_row(&mut out, &row("KC-1", "Cơ sở \"Mây tre\", Đồng Tháp"));
        csv_row(&mut out, &row("KC-2", "=HYPERLINK(\"http://x\")"));
        csv_row(&mut out, &row("KC-3", "@SUM(A1)"));
        csv_row(&mut out, &row("KC-4", "-1+2"));
        csv_row(&mut out, &row("KC-5", "dòng 1\r\ndòng 2"));
        assert!(out.starts_with(BOM));
        let mut rdr = csv::ReaderBuilder::new().from_reader(&out[3..]);
        let headers = rdr.headers().unwrap().clone();
        assert_eq!(headers.iter().collect::<Vec<_>>(), CSV_HEADER.to_vec());
        let recs: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        assert_eq!(recs.len(), 5);
        assert_eq!(&recs[0][6], "Cơ sở \"Mây tre\", Đồng Tháp");
        assert_eq!(&recs[0][3], "Thành phố Hà Nội");
        assert_eq!(&recs[1][6], "'=HYPERLINK(\"http://x\")");
        assert_eq!(&recs[2][6], "'@SUM(A1)");
        assert_eq!(&recs[3][6], "'-1+2");
        assert_eq!(&recs[4][6], "dòng 1\r\ndòng 2");
        assert_eq!(&recs[0][14], "1234567890");
        assert_eq!(&recs[0][1], "2025-11-03T02:30:00Z");
        for r in &recs {
            assert!(r.iter().all(|f| !looks_like_formula(f)), "{r:?}");
        }
    }

    #[test]
    fn csv_and_xlsx_carry_both_decisions_and_the_one_used() {
        use calamine::{Data, Reader, Xlsx};
        let mut r = row("KC-1", "Cơ sở Hòa Bình");
        r.uses_current = true;
        r.support_national = 400_000_000;
        r.current = Some(ExportDecision {
            outcome: "Đủ điều kiện".to_owned(),
            support_national: 400_000_000,
            support_local: 0,
            pack_id: "moi".to_owned(),
        });
        let plain = row("KC-2", "Cơ sở Ánh");
        let mut out = Vec::new();
        csv_header(&mut out);
        csv_row(&mut out, &r);
        csv_row(&mut out, &plain);
        let mut rdr = csv::ReaderBuilder::new().from_reader(&out[3..]);
        let recs: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        let col = |h: &str| CSV_HEADER.iter().position(|x| *x == h).unwrap();
        assert_eq!(&recs[0][col("support_national_vnd")], "400000000");
        assert_eq!(&recs[0][col("decision_used")], USED_CURRENT);
        assert_eq!(&recs[0][col("received_support_national_vnd")], "300000000");
        assert_eq!(&recs[0][col("current_support_national_vnd")], "400000000");
        assert_eq!(&recs[0][col("current_pack_id")], "moi");
        assert_eq!(&recs[1][col("decision_used")], USED_RECEIVED);
        assert_eq!(&recs[1][col("current_outcome")], "");

        let mut x = XlsxExport::new(&std::env::temp_dir()).unwrap().policy_current(true);
        x.push(&r).unwrap();
        x.push(&plain).unwrap();
        let mut buf = std::io::Cursor::new(Vec::new());
        x.finish(&[], datetime!(2025-11-04 01:00:00 UTC), "admin@kc.vn", &mut buf).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(buf.into_inner())).unwrap();
        let range = wb.worksheet_range("Hồ sơ").unwrap();
        let col = |h: &str| XLSX_HEADER.iter().position(|x| *x == h).unwrap();
        for (c, h) in XLSX_HEADER.iter().enumerate() {
            assert_eq!(range.get((0, c)), Some(&Data::String((*h).into())));
        }
        assert_eq!(range.get((1, col("Kết quả trung tâm sử dụng"))), Some(&Data::String(USED_CURRENT.into())));
        assert_eq!(range.get((1, col("Hỗ trợ KCQG khi nhận (đồng)"))), Some(&Data::Float(300_000_000.0)));
        assert_eq!(
            range.get((1, col("Hỗ trợ KCQG theo quy định hiện hành (đồng)"))),
            Some(&Data::Float(400_000_000.0))
        );
        assert_eq!(range.get((2, col("Kết quả theo quy định hiện hành"))), Some(&Data::Empty));
        let info = wb.worksheet_range("Thông tin xuất").unwrap();
        let text: Vec<String> = info.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("moi")), "the running pack among the packs: {text:?}");
        assert!(text.iter().any(|t| t.starts_with("Kết quả theo quy định hiện hành")), "{text:?}");
    }

    #[test]
    #[allow(clippy::float_arithmetic)]
    fn xlsx_has_vietnamese_headers_numeric_money_dates_and_an_info_sheet() {
        use calamine::{Data, Reader, Xlsx};
        let dir = std::env::temp_dir();
        let mut x = XlsxExport::new(&dir).unwrap();
        x.push(&row("KC-1", "Cơ sở Mây tre Đồng Tháp")).unwrap();
        x.push(&row("KC-2", "=1+1")).unwrap();
        let mut buf = std::io::Cursor::new(Vec::new());
        let filter = vec![("Tỉnh".to_owned(), "Thành phố Hà Nội".to_owned())];
        x.finish(&filter, datetime!(2025-11-04 01:00:00 UTC), "admin@kc.vn", &mut buf).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(buf.into_inner())).unwrap();
        assert_eq!(wb.sheet_names(), vec!["Hồ sơ".to_owned(), "Thông tin xuất".to_owned()]);
        let range = wb.worksheet_range("Hồ sơ").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("Mã hồ sơ".into())));
        assert_eq!(range.get((0, 14)), Some(&Data::String("Kinh phí đề nghị (đồng)".into())));
        assert_eq!(range.get((1, 6)), Some(&Data::String("Cơ sở Mây tre Đồng Tháp".into())));
        assert_eq!(range.get((1, 14)), Some(&Data::Float(1_234_567_890.0)));
        assert_eq!(range.get((2, 6)), Some(&Data::String("=1+1".into())));
        match range.get((1, 1)) {
            Some(Data::DateTime(d)) => {
                // 02:30 UTC is 09:30 in Vietnam; Excel counts days from 1899-12-30.
                let days = (time::macros::date!(2025 - 11 - 03) - time::macros::date!(1899 - 12 - 30)).whole_days();
                let expected = days as f64 + 9.5 / 24.0;
                assert!((d.as_f64() - expected).abs() < 1e-6, "{}", d.as_f64());
            }
            other => panic!("not a date: {other:?}"),
        }
        let formulas = wb.worksheet_formula("Hồ sơ").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
        let info = wb.worksheet_range("Thông tin xuất").unwrap();
        let text: Vec<String> = info.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(text.iter().any(|t| t == "Thành phố Hà Nội"), "{text:?}");
        assert!(text.iter().any(|t| t == "2025-10-15+abc"), "{text:?}");
    }
}
