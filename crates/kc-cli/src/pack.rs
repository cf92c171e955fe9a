//! `kc pack`: every national and provincial parameter value in force on a date.

use std::fmt::Write as _;

use kc_rules::pack::{Kind, Param, Value};
use kc_rules::{RulePack, Vnd};
use time::Date;

use crate::explain::{confidence, money};

/// The listing.
pub(crate) fn render(pack: &RulePack, as_of: Date) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "BỘ QUY TẮC {} — giá trị có hiệu lực ngày {as_of}", pack.id);
    let _ = writeln!(s, "\nTRUNG ƯƠNG (khuyến công quốc gia và quy định chung)");
    let mut shown = 0usize;
    for p in pack.params.values() {
        shown += param(&mut s, p, as_of, "  ");
    }
    if shown == 0 {
        let _ = writeln!(s, "  (không có giá trị nào)");
    }
    let _ = writeln!(s, "\nĐỊA PHƯƠNG (lớp của tỉnh)");
    if pack.layers.is_empty() {
        let _ = writeln!(s, "  (bộ quy tắc chưa có lớp tỉnh nào)");
    }
    for layer in &pack.layers {
        let province =
            pack.province(layer.province_code).map_or_else(|| layer.province_code.to_string(), |p| p.name.clone());
        let former = layer
            .former_province
            .as_deref()
            .map(|f| {
                let name = pack
                    .provinces
                    .iter()
                    .flat_map(|p| &p.formed_from)
                    .find(|x| x.codename == f)
                    .map_or(f, |x| x.name.as_str());
                format!(", địa bàn tỉnh {name} cũ ({f})")
            })
            .unwrap_or_default();
        let _ = writeln!(s, "  [{}] {} — {province}{former}", layer.id, layer.name);
        let switch = layer.params.iter().find(|p| p.id == "layer.in_force");
        if let Some(off) = switch.and_then(|p| p.at(as_of)).filter(|v| v.value == "false") {
            let _ = writeln!(
                s,
                "      (không còn áp dụng từ {}: {} {}) / no longer applies",
                off.from,
                off.citation,
                confidence(off.confidence)
            );
            continue;
        }
        let mut n = 0usize;
        for p in &layer.params {
            n += param(&mut s, p, as_of, "      ");
        }
        if n == 0 {
            let _ = writeln!(s, "      (chưa có hiệu lực vào ngày này)");
        }
    }
    let _ =
        writeln!(s, "\nĐộ tin cậy: [V] đã đối chiếu văn bản gốc; [S] nguồn thứ cấp; [R] suy luận, chưa kiểm chứng.");
    s
}

/// One parameter line (1 if it has a value in force, else 0).
fn param(s: &mut String, p: &Param, as_of: Date, indent: &str) -> usize {
    let Some(v) = p.at(as_of) else { return 0 };
    let _ = writeln!(
        s,
        "{indent}{} = {} — {} (từ {}; {} {})",
        p.id,
        value(p.kind, v),
        p.label_vi,
        v.from,
        v.citation,
        confidence(v.confidence)
    );
    if let Some(note) = &v.note {
        let _ = writeln!(s, "{indent}    ghi chú: {note}");
    }
    1
}

fn value(kind: Kind, v: &Value) -> String {
    value_text(kind, &v.value)
}

/// A value string as people read it: money in figures and words, rates as percentages.
pub(crate) fn value_text(kind: Kind, v: &str) -> String {
    match kind {
        Kind::Vnd => v.parse::<i64>().ok().and_then(|n| Vnd::new(n).ok()).map_or_else(|| v.to_owned(), money),
        Kind::Rate => v
            .parse::<kc_rules::Decimal>()
            .ok()
            .and_then(|d| kc_rules::Rate::new(d).ok())
            .map_or_else(|| v.to_owned(), |r| r.to_string()),
        Kind::Bool => match v {
            "true" => "có".to_owned(),
            "false" => "không".to_owned(),
            _ => v.to_owned(),
        },
        _ => v.to_owned(),
    }
}
