//! `kc pack diff`: what a candidate rule pack changes, in Vietnamese and English.

use std::fmt::Write as _;

use kc_rules::RulePack;
use kc_rules::diff::{ChangeKind, DatedValue, Entry, PackDiff, ValueChange};

use crate::explain::confidence;
use crate::pack::value_text;

/// The diff as text: one block per changed value, national first, then by layer.
pub(crate) fn render(d: &PackDiff<'_>, new: &RulePack) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "SO SÁNH BỘ QUY TẮC / RULE PACK DIFF: {} → {}", d.old_pack, d.new_pack);
    if d.is_empty() {
        let _ = writeln!(s, "Không có thay đổi nào / no changes.");
        return s;
    }
    for id in &d.layers_added {
        let _ = writeln!(s, "+ lớp mới / new layer [{id}] {}", layer_name(new, id));
    }
    for id in &d.layers_removed {
        let _ = writeln!(s, "- lớp bị bỏ / layer removed [{id}]");
    }
    let mut scope = None;
    for v in &d.values {
        if scope != Some(v.layer) {
            scope = Some(v.layer);
            match v.layer {
                None => {
                    let _ = writeln!(s, "\nTRUNG ƯƠNG / NATIONAL");
                }
                Some(id) => {
                    let province = v.province_code.and_then(|c| new.province(c)).map_or("?", |p| p.name.as_str());
                    let _ =
                        writeln!(s, "\nĐỊA PHƯƠNG / LOCAL [{id}] {} — {province}", v.layer_name.unwrap_or_default());
                }
            }
        }
        value(&mut s, v);
    }
    if !d.entries.is_empty() {
        let _ = writeln!(s, "\nDANH MỤC / TABLES");
    }
    for e in &d.entries {
        let (sign, vi, en) = kind_words(e.kind);
        let table = match e.table {
            "sector" => "ngành nghề / sector",
            "paper" => "giấy tờ / paper",
            "province" => "tỉnh / province",
            _ => "xã, phường / commune",
        };
        let _ = writeln!(s, "{sign} {table} {} {} — {vi} / {en}", e.key, e.name);
        if let (Some(o), Some(n)) = (e.old, e.new) {
            for (field, before, after) in fields(o, n) {
                let _ = writeln!(s, "    {field}: {before} → {after}");
            }
        }
    }
    let _ = writeln!(
        s,
        "\nĐộ tin cậy / confidence: [V] văn bản gốc / verified; [S] nguồn thứ cấp / secondary; [R] suy luận / recalled."
    );
    s
}

/// One changed value: what it was, what it becomes, from when, on what basis.
fn value(s: &mut String, v: &ValueChange<'_>) {
    let (sign, vi, en) =
        if v.ends_layer { ("-", "lớp hết hiệu lực", "layer ends") } else { kind_words(v.kind) };
    let _ = writeln!(s, "{sign} {} / {} ({}) — từ / from {}: {vi} / {en}", v.label.vi, v.label.en, v.param, v.from);
    let show = |s: &mut String, tag: &str, x: &DatedValue<'_>| {
        let _ = writeln!(
            s,
            "    {tag}: {} — {} {}",
            value_text(v.value_kind, x.value),
            x.citation,
            confidence(x.confidence)
        );
    };
    if let Some(r) = &v.replaces {
        show(s, "trước đó / before", r);
    }
    if let Some(o) = &v.old {
        show(s, "cũ / old", o);
    }
    if let Some(n) = &v.new {
        show(s, "mới / new", n);
    }
}

fn kind_words(k: ChangeKind) -> (&'static str, &'static str, &'static str) {
    match k {
        ChangeKind::Added => ("+", "thêm", "added"),
        ChangeKind::Changed => ("~", "thay đổi", "changed"),
        ChangeKind::Removed => ("-", "bỏ", "removed"),
    }
}

fn layer_name<'a>(pack: &'a RulePack, id: &str) -> &'a str {
    pack.layers.iter().find(|l| l.id == id).map_or("", |l| l.name.as_str())
}

/// The fields of a table entry that differ, as JSON texts.
fn fields(old: Entry<'_>, new: Entry<'_>) -> Vec<(String, String, String)> {
    let (Ok(serde_json::Value::Object(o)), Ok(serde_json::Value::Object(n))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    let text = |v: Option<&serde_json::Value>| v.map_or_else(|| "—".to_owned(), serde_json::Value::to_string);
    keys.into_iter().filter(|k| o.get(*k) != n.get(*k)).map(|k| (k.clone(), text(o.get(k)), text(n.get(k)))).collect()
}
