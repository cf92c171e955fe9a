//! `kc explain`: a decision as readable Vietnamese text.
//!
//! Every id is shown by its label (`kc_rules::vocab`, the pack's names for sectors and
//! layers); no engine id and no English reaches the text.

use std::borrow::Cow;
use std::fmt::Write as _;

use kc_rules::{
    Basis, Comparison, Confidence, Decision, Fund, OldUnit, Outcome, QuestionId, RulePack, SizeSector, Status, Subject,
    SupportResult, Vnd, iso_date, vnd_in_words,
};

fn mark(status: Status) -> &'static str {
    match status {
        Status::Met => "✓",
        Status::NotMet => "✗",
        Status::Unknown => "?",
    }
}

/// A label inside a sentence: its first letter in lower case (`Đạt` → `đạt`).
fn inline(label: &str) -> String {
    let mut c = label.chars();
    c.next().map(|f| kc_rules::lower_vi(f).to_string() + c.as_str()).unwrap_or_default()
}

fn status_vi(status: Status) -> String {
    inline(status.label_vi())
}

pub(crate) fn confidence(c: Confidence) -> &'static str {
    match c {
        Confidence::V => "[V]",
        Confidence::S => "[S]",
        Confidence::R => "[R]",
    }
}

/// An amount in figures and words: `300.000.000 đ (ba trăm triệu đồng)`.
pub(crate) fn money(v: Vnd) -> String {
    format!("{v} ({})", vnd_in_words(v))
}

/// A compared value in words: the question's label and the answer's.
fn compared(pack: &RulePack, c: &Comparison) -> String {
    let what = QuestionId::from_id(&c.what);
    let label = what.map_or(Cow::Borrowed(&*c.what), |q| Cow::Borrowed(q.label_vi()));
    let actual: Cow<'_, str> = match what {
        _ if c.actual == "?" => Cow::Borrowed("chưa trả lời"),
        Some(QuestionId::Subject) => {
            Subject::from_id(&c.actual).map_or(Cow::Borrowed(&*c.actual), |s| s.label_vi().into())
        }
        Some(QuestionId::OldUnit) => {
            OldUnit::from_id(&c.actual).map_or(Cow::Borrowed(&*c.actual), |u| u.label_vi().into())
        }
        Some(QuestionId::SizeSectorGroup) => {
            SizeSector::from_id(&c.actual).map_or(Cow::Borrowed(&*c.actual), |g| g.label_vi().into())
        }
        Some(QuestionId::Sector) => {
            pack.sector(&c.actual).map_or(Cow::Borrowed(&*c.actual), |s| s.label_vi.as_str().into())
        }
        Some(QuestionId::WardConvertedOn) => {
            iso_date::parse(&c.actual).map_or(Cow::Borrowed(&*c.actual), |d| iso_date::vi(d).into())
        }
        _ => Cow::Borrowed(&*c.actual),
    };
    let relation = match &*c.op {
        "=" => "cần",
        "≤" => "tối đa",
        "≥" => "từ",
        _ => "trong số",
    };
    let limit = match what {
        Some(QuestionId::WardConvertedOn) => {
            iso_date::parse(&c.limit).map_or_else(|| c.limit.to_string(), iso_date::vi)
        }
        _ => c.limit.to_string(),
    };
    format!("{label}: {actual} ({relation}: {limit})")
}

/// The whole explanation.
pub(crate) fn render(d: &Decision, pack: &RulePack) -> String {
    let mut s = String::new();
    let outcome = match d.outcome {
        Outcome::Eligible => "ĐỦ ĐIỀU KIỆN (ít nhất một nội dung hỗ trợ đạt mọi tiêu chí)",
        Outcome::NotEligible => "KHÔNG ĐỦ ĐIỀU KIỆN",
        Outcome::NeedMoreAnswers => "CẦN TRẢ LỜI THÊM",
    };
    let _ = writeln!(s, "KẾT QUẢ TỰ KIỂM TRA KHUYẾN CÔNG");
    let _ = writeln!(s, "Ngày áp dụng quy định: {} — bộ quy tắc {}", iso_date::vi(d.as_of), d.pack_id);
    let _ = writeln!(s, "Kết luận: {outcome}");

    let _ = writeln!(s, "\nTIÊU CHÍ");
    if d.criteria.is_empty() {
        let _ = writeln!(s, "  (chưa có tiêu chí nào được xét)");
    }
    for c in &d.criteria {
        let lines = if c.lines.is_empty() {
            String::new()
        } else {
            format!(" (áp dụng cho: {})", c.lines.iter().map(|l| l.label_vi()).collect::<Vec<_>>().join(", "))
        };
        let _ =
            writeln!(s, "  {} {} — {}{}: {}", mark(c.status), c.id.label_vi(), status_vi(c.status), lines, c.reason.vi);
        for cmp in c.compared.iter() {
            let _ = writeln!(s, "      so sánh: {}", compared(pack, cmp));
        }
        let _ = writeln!(s, "      căn cứ: {} {}", c.citation, confidence(c.confidence));
    }

    let _ = writeln!(s, "\nMỨC HỖ TRỢ");
    if d.support.is_empty() {
        let _ = writeln!(s, "  (chưa chọn nội dung hỗ trợ nào)");
    }
    for r in &d.support {
        support(&mut s, pack, r);
    }
    let national = d.total(Fund::National);
    let local = d.total(Fund::Local);
    if !national.as_decimal().is_zero() || !local.as_decimal().is_zero() {
        let _ = writeln!(
            s,
            "  Tổng theo quỹ (tính riêng từng quỹ; cùng một nội dung thường chỉ do một quỹ chi): quốc gia {}; địa phương {}",
            money(national),
            money(local)
        );
    }

    if !d.priorities.is_empty() {
        let _ = writeln!(s, "\nƯU TIÊN (không ảnh hưởng điều kiện)");
        for p in d.priorities.iter() {
            let _ = writeln!(
                s,
                "  {} {}: {} — {} {}",
                mark(p.status),
                p.id.label_vi(),
                p.reason.vi,
                p.citation,
                confidence(p.confidence)
            );
        }
    }

    if !d.missing.is_empty() {
        let _ = writeln!(s, "\nCÂU HỎI CẦN TRẢ LỜI (theo thứ tự)");
        for (i, q) in d.missing.iter().enumerate() {
            let _ = writeln!(s, "  {}. {} — {}", i + 1, q.id.label_vi(), q.why.vi);
        }
    }

    if !d.hints.is_empty() {
        let _ = writeln!(s, "\nGỢI Ý");
        for h in &d.hints {
            let _ = writeln!(s, "  • {}", h.text.vi);
        }
    }

    if !d.papers.is_empty() {
        let _ = writeln!(s, "\nGIẤY TỜ CẦN CHUẨN BỊ");
        for p in d.papers.iter() {
            let _ = writeln!(s, "  • {} — {} {}", p.label.vi, p.citation, confidence(p.confidence));
        }
    }

    let _ = writeln!(
        s,
        "\nĐộ tin cậy: [V] đã đối chiếu văn bản gốc; [S] nguồn thứ cấp (tin chính thức, bản sao của tỉnh); \
         [R] suy luận, chưa kiểm chứng.\nĐây là ước tính tự kiểm tra, không phải quyết định hỗ trợ; \
         mức thực tế do cơ quan có thẩm quyền duyệt theo từng đề án."
    );
    s
}

fn support(s: &mut String, pack: &RulePack, r: &SupportResult) {
    let layer = r
        .layer
        .as_deref()
        .map(|id| format!(" — {}", pack.layer(id).map_or(id, |l| l.name.as_str())))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "  {} {} — {}{} — {} {}",
        mark(r.status),
        r.line.label_vi(),
        inline(r.fund.label_vi()),
        layer,
        status_vi(r.status),
        confidence(r.confidence)
    );
    if let Some(cost) = r.eligible_cost {
        let _ = writeln!(s, "      chi phí: {}", money(cost));
    }
    if let Some(rate) = &r.rate {
        let label = pack.label(rate.param);
        let _ = writeln!(
            s,
            "      tỷ lệ: {} ({}: {} {})",
            rate.value,
            label.vi,
            rate.citation,
            confidence(rate.confidence)
        );
    }
    if let Some(cap) = &r.cap {
        let label = pack.label(cap.param);
        let _ = writeln!(
            s,
            "      mức tối đa: {} ({}: {} {})",
            money(cap.value),
            label.vi,
            cap.citation,
            confidence(cap.confidence)
        );
    }
    if r.multiplier.value != rust_decimal::Decimal::ONE {
        let factor = r.multiplier.value.normalize().to_string().replace('.', ",");
        let _ = writeln!(s, "      hệ số ưu tiên: {factor} ({})", r.multiplier.citation);
    }
    match r.basis {
        Basis::Computed => {
            if let Some(a) = r.amount {
                let bound = if r.cap_applied { " — đã chạm mức tối đa" } else { "" };
                let _ = writeln!(s, "      SỐ TIỀN HỖ TRỢ: {}{bound}", money(a));
            }
            if let Some(a) = r.amount_if_eligible {
                let _ = writeln!(
                    s,
                    "      nếu đủ điều kiện: {} (không phải số tiền hỗ trợ: nội dung này không đạt)",
                    money(a)
                );
            }
            if let Some(above) = r.cap_binds_above {
                let _ = writeln!(s, "      chi phí trên {above} không làm tăng mức hỗ trợ");
            }
        }
        Basis::CeilingOnly => {
            if let Some(c) = r.ceiling {
                let _ = writeln!(s, "      TỐI ĐA: {} (chưa có tỷ lệ được kiểm chứng, không tính số cụ thể)", money(c));
            }
        }
        Basis::SetByProvince => {
            let _ = writeln!(s, "      mức hỗ trợ do tỉnh quy định (bộ quy tắc chưa có số liệu của tỉnh)");
        }
        Basis::NeedCost => {
            let _ = writeln!(s, "      cần nhập chi phí để tính số tiền");
        }
        Basis::NoValue => {
            let _ = writeln!(s, "      không có mức hỗ trợ của quỹ này vào ngày áp dụng");
        }
    }
    for reference in &r.references {
        let amount = reference.amount.map(money).unwrap_or_default();
        let _ = writeln!(
            s,
            "      tham khảo: {} {} ({} {})",
            reference.label.vi,
            amount,
            reference.citation,
            confidence(reference.confidence)
        );
    }
    if let Some(note) = &r.note {
        let _ = writeln!(s, "      ghi chú: {}", note.vi);
    }
}
