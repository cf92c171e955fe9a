//! `kc explain`: a decision as readable Vietnamese text.

use std::fmt::Write as _;

use kc_rules::{Basis, Confidence, Decision, Fund, Line, Outcome, RulePack, Status, SupportResult, Vnd, vnd_in_words};

/// Vietnamese name of a support line.
pub(crate) fn line_vi(line: Line) -> &'static str {
    match line {
        Line::Machinery => "Ứng dụng máy móc thiết bị tiên tiến",
        Line::TechnologyLine => "Dây chuyền công nghệ",
        Line::DemoModel => "Mô hình trình diễn kỹ thuật",
        Line::ReplicationModel => "Mô hình nhân rộng",
        Line::CleanerProductionModel => "Mô hình thí điểm sản xuất sạch hơn",
        Line::Startup => "Hỗ trợ thành lập doanh nghiệp",
        Line::Training => "Đào tạo nghề, truyền nghề",
    }
}

fn fund_vi(fund: Fund) -> &'static str {
    match fund {
        Fund::National => "khuyến công quốc gia",
        Fund::Local => "khuyến công địa phương",
    }
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Met => "✓",
        Status::NotMet => "✗",
        Status::Unknown => "?",
    }
}

fn status_vi(status: Status) -> &'static str {
    match status {
        Status::Met => "đạt",
        Status::NotMet => "không đạt",
        Status::Unknown => "chưa rõ",
    }
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

/// The whole explanation.
pub(crate) fn render(d: &Decision, _pack: &RulePack) -> String {
    let mut s = String::new();
    let outcome = match d.outcome {
        Outcome::Eligible => "ĐỦ ĐIỀU KIỆN (ít nhất một nội dung hỗ trợ đạt mọi tiêu chí)",
        Outcome::NotEligible => "KHÔNG ĐỦ ĐIỀU KIỆN",
        Outcome::NeedMoreAnswers => "CẦN TRẢ LỜI THÊM",
    };
    let _ = writeln!(s, "KẾT QUẢ TỰ KIỂM TRA KHUYẾN CÔNG");
    let _ = writeln!(s, "Ngày áp dụng quy định: {} — bộ quy tắc {}", d.as_of, d.pack_id);
    let _ = writeln!(s, "Kết luận: {outcome}");

    let _ = writeln!(s, "\nTIÊU CHÍ");
    if d.criteria.is_empty() {
        let _ = writeln!(s, "  (chưa có tiêu chí nào được xét)");
    }
    for c in &d.criteria {
        let lines = if c.lines.is_empty() {
            String::new()
        } else {
            format!(" (áp dụng cho: {})", c.lines.iter().map(|l| line_vi(*l)).collect::<Vec<_>>().join(", "))
        };
        let _ = writeln!(s, "  {} {} — {}{}: {}", mark(c.status), c.id, status_vi(c.status), lines, c.reason.vi);
        for cmp in &c.compared {
            let _ = writeln!(s, "      so sánh: {} = {} {} {}", cmp.what, cmp.actual, cmp.op, cmp.limit);
        }
        let _ = writeln!(s, "      căn cứ: {} {}", c.citation, confidence(c.confidence));
    }

    let _ = writeln!(s, "\nMỨC HỖ TRỢ");
    if d.support.is_empty() {
        let _ = writeln!(s, "  (chưa chọn nội dung hỗ trợ nào)");
    }
    for r in &d.support {
        support(&mut s, r);
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
        for p in &d.priorities {
            let _ = writeln!(
                s,
                "  {} {}: {} — {} {}",
                mark(p.status),
                p.id,
                p.reason.vi,
                p.citation,
                confidence(p.confidence)
            );
        }
    }

    if !d.missing.is_empty() {
        let _ = writeln!(s, "\nCÂU HỎI CẦN TRẢ LỜI (theo thứ tự)");
        for (i, q) in d.missing.iter().enumerate() {
            let _ = writeln!(s, "  {}. {} — {}", i + 1, q.id, q.why.vi);
        }
    }

    if !d.hints.is_empty() {
        let _ = writeln!(s, "\nGỢI Ý");
        for h in &d.hints {
            let _ = writeln!(s, "  • {} ({})", h.text.vi, h.id);
        }
    }

    if !d.papers.is_empty() {
        let _ = writeln!(s, "\nGIẤY TỜ CẦN CHUẨN BỊ");
        for p in &d.papers {
            let _ = writeln!(s, "  • {} {} — {} {}", p.id, p.label.vi, p.citation, confidence(p.confidence));
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

fn support(s: &mut String, r: &SupportResult) {
    let layer = r.layer.as_deref().map(|l| format!(", lớp {l}")).unwrap_or_default();
    let _ = writeln!(
        s,
        "  {} {} — quỹ {}{} — {} {}",
        mark(r.status),
        line_vi(r.line),
        fund_vi(r.fund),
        layer,
        status_vi(r.status),
        confidence(r.confidence)
    );
    if let Some(cost) = r.eligible_cost {
        let _ = writeln!(s, "      chi phí: {}", money(cost));
    }
    if let Some(rate) = &r.rate {
        let _ = writeln!(
            s,
            "      tỷ lệ: {} ({}: {} {})",
            rate.value,
            rate.param,
            rate.citation,
            confidence(rate.confidence)
        );
    }
    if let Some(cap) = &r.cap {
        let _ = writeln!(
            s,
            "      mức tối đa: {} ({}: {} {})",
            money(cap.value),
            cap.param,
            cap.citation,
            confidence(cap.confidence)
        );
    }
    if r.multiplier.value != rust_decimal::Decimal::ONE {
        let _ = writeln!(s, "      hệ số ưu tiên: {} ({})", r.multiplier.value, r.multiplier.citation);
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
