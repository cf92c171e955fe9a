//! The canonical JSON text of a value: the same value always gives the same bytes, whatever
//! the key order or spacing it was read with (a PostgreSQL `jsonb` column reorders keys).
//!
//! Rules: no whitespace; object keys sorted by their UTF-8 bytes; strings escaped as
//! `serde_json` writes them (`"` `\` and control characters only, everything else as UTF-8);
//! numbers as `serde_json` writes them (integers in full; the documents hold no fractions);
//! `true`, `false`, `null`. For the ASCII keys of these documents this is RFC 8785 (JCS).

use serde_json::Value;

/// Appends the canonical JSON text of `value` to `out`.
pub fn canonical_json(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical_json(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(key, out);
                out.push(b':');
                canonical_json(item, out);
            }
            out.push(b'}');
        }
    }
}

/// Appends `s` as a JSON string.
pub(crate) fn string(s: &str, out: &mut Vec<u8>) {
    // Writing a &str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}
