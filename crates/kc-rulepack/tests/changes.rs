//! Golden rule-change cases: `tests/changes/*.toml`, each a patch to the bundled pack (values
//! added on a date, as a new circular or resolution would), what `kc_rules::diff::diff` must
//! report, and applications decided under both packs with the outcomes and fund totals
//! expected before and after — derived by hand from the domain file, never copied from output.
//!
//! A case may instead start from the bundled pack *without* one of its provincial layers
//! (`without_layer = "<layer id>"`): the rehearsal of adding a resolution's levels, from "the
//! pack without that layer" to the bundled pack (`expected.layers_added` lists it).
//!
//! ```toml
//! without_layer = "…" # optional: the old pack is the bundled one less this layer
//! [[patch]]          # a dated value added to a national parameter or to a layer's
//! layer = "…"        # optional: the layer id
//! param = "machinery.cap"
//! kind = "vnd"       # only for a parameter the layer does not have yet
//! from = "2027-01-01"
//! value = "400000000"
//! citation = { document = "…", provision = "…" }
//! confidence = "R"
//! [[expected.diff]]  # kind, param, from; optional layer, replaces (value), ends_layer,
//!                    # value (the new one), document (its citation's)
//! [[case]]           # as_of, [case.application], outcome_before/after,
//!                    # national_before/after, local_before/after (đồng; 0 = nothing)
//! ```
#![cfg(not(target_arch = "wasm32"))]

use kc_rules::diff::{ChangeKind, diff, impact};
use kc_rules::pack::{Citation, Kind, Param, Value};
use kc_rules::{Application, Confidence, Fund, ParamId, RulePack, Vnd, evaluate};
use serde::Deserialize;
use time::Date;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[allow(dead_code)]
    description: String,
    #[serde(default)]
    without_layer: Option<String>,
    #[serde(default)]
    patch: Vec<Patch>,
    expected: Expected,
    #[serde(default)]
    case: Vec<Decided>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Patch {
    layer: Option<String>,
    param: String,
    kind: Option<Kind>,
    from: String,
    value: String,
    citation: Citation,
    confidence: Confidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    diff: Vec<ExpectedChange>,
    #[serde(default)]
    layers_added: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedChange {
    kind: String,
    layer: Option<String>,
    param: String,
    from: String,
    replaces: Option<String>,
    #[serde(default)]
    ends_layer: bool,
    /// The citation's document, when the case checks it.
    document: Option<String>,
    /// The new value, when the case checks it.
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Decided {
    as_of: String,
    application: toml::Table,
    outcome_before: Option<String>,
    outcome_after: Option<String>,
    national_before: Option<i64>,
    national_after: Option<i64>,
    local_before: Option<i64>,
    local_after: Option<i64>,
}

fn date(d: &str) -> Date {
    Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
}

/// The bundled pack with the case's values added (a value on an existing date replaces it).
fn candidate(case: &Case) -> &'static RulePack {
    let mut pack = kc_rulepack::bundled().clone();
    pack.id = format!("{}+{}", pack.id, case.name);
    for p in &case.patch {
        let value = Value::new(date(&p.from), p.value.clone(), p.citation.clone(), p.confidence);
        let id = ParamId::from_id(&p.param).unwrap_or_else(|| panic!("{}: no parameter id {}", case.name, p.param));
        let params = match &p.layer {
            None => {
                let param = pack.params.get_mut(&id).unwrap_or_else(|| panic!("{}: no param {}", case.name, p.param));
                std::slice::from_mut(param)
            }
            Some(layer_id) => {
                let layer = pack
                    .layers
                    .iter_mut()
                    .find(|l| &l.id == layer_id)
                    .unwrap_or_else(|| panic!("{}: no layer {layer_id}", case.name));
                if !layer.params.iter().any(|q| q.id == id) {
                    let kind =
                        p.kind.unwrap_or_else(|| panic!("{}: new layer param {} needs a kind", case.name, p.param));
                    layer.params.push(Param {
                        id,
                        kind,
                        label_vi: String::new(),
                        label_en: String::new(),
                        values: vec![],
                    });
                }
                &mut layer.params[..]
            }
        };
        let param = params.iter_mut().find(|q| q.id == id).unwrap();
        param.values.retain(|v| v.from != value.from);
        let at = param.values.partition_point(|v| v.from < value.from);
        param.values.insert(at, value);
    }
    Box::leak(Box::new(pack))
}

fn outcome_name(o: kc_rules::Outcome) -> String {
    serde_json::to_value(o).unwrap().as_str().unwrap().to_owned()
}

#[test]
fn golden_rule_changes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/changes");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    assert!(files.len() >= 3, "the cap, layer-end and location cases are there");
    let mut failures = Vec::new();
    for file in &files {
        let case: Case = toml::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let old: &'static RulePack = match &case.without_layer {
            None => kc_rulepack::bundled(),
            Some(layer) => {
                let mut pack = kc_rulepack::bundled().clone();
                let n = pack.layers.len();
                pack.layers.retain(|l| &l.id != layer);
                assert_eq!(pack.layers.len() + 1, n, "{}: the bundled pack has one layer {layer}", case.name);
                pack.id = format!("{}-without-{layer}", pack.id);
                Box::leak(Box::new(pack))
            }
        };
        let new = candidate(&case);
        let d = diff(old, new);
        let mut fail = |what: String| failures.push(format!("{}: {what}", case.name));

        if d.values.len() != case.expected.diff.len() || !d.entries.is_empty() {
            fail(format!(
                "{} value changes and {} entry changes, expected {}",
                d.values.len(),
                d.entries.len(),
                case.expected.diff.len()
            ));
        }
        if d.layers_added != case.expected.layers_added.iter().map(String::as_str).collect::<Vec<_>>() {
            fail(format!("layers added {:?}, expected {:?}", d.layers_added, case.expected.layers_added));
        }
        for e in &case.expected.diff {
            let found = d
                .values
                .iter()
                .find(|v| v.param == e.param && v.layer == e.layer.as_deref() && v.from == date(&e.from));
            let Some(v) = found else {
                fail(format!("no change of {} from {}", e.param, e.from));
                continue;
            };
            let kind = match v.kind {
                ChangeKind::Added => "added",
                ChangeKind::Changed => "changed",
                ChangeKind::Removed => "removed",
            };
            if kind != e.kind || v.ends_layer != e.ends_layer {
                fail(format!(
                    "{}: {kind} (ends layer {}), expected {} ({})",
                    e.param, v.ends_layer, e.kind, e.ends_layer
                ));
            }
            let document = v.new.as_ref().or(v.old.as_ref()).map(|n| &*n.citation.document);
            let value = v.new.as_ref().map(|n| n.value);
            if e.value.is_some() && e.value.as_deref() != value {
                fail(format!("{}: value {value:?}, expected {:?}", e.param, e.value));
            }
            if e.document.is_some() && e.document.as_deref() != document {
                fail(format!("{}: cited {document:?}, expected {:?}", e.param, e.document));
            }
            if e.replaces.as_deref() != v.replaces.as_ref().map(|r| r.value) {
                fail(format!(
                    "{}: replaces {:?}, expected {:?}",
                    e.param,
                    v.replaces.as_ref().map(|r| r.value),
                    e.replaces
                ));
            }
        }

        for (i, c) in case.case.iter().enumerate() {
            let app: Application = serde_json::from_value(serde_json::to_value(&c.application).unwrap())
                .unwrap_or_else(|e| panic!("{} case {i}: {e}", case.name));
            let as_of = date(&c.as_of);
            let before = evaluate(old, &app, as_of).unwrap();
            let after = evaluate(new, &app, as_of).unwrap();
            let im = impact(&before, &after);
            let check = |fail: &mut dyn FnMut(String), what: &str, want: Option<String>, got: String| {
                if want.as_ref().is_some_and(|w| *w != got) {
                    fail(format!("case {i}: {what} {got}, expected {}", want.unwrap()));
                }
            };
            check(&mut fail, "outcome before", c.outcome_before.clone(), outcome_name(im.outcome_before));
            check(&mut fail, "outcome after", c.outcome_after.clone(), outcome_name(im.outcome_after));
            let money = |v: Vnd| v.as_decimal().to_string();
            for (fund, b, a) in
                [(Fund::National, c.national_before, c.national_after), (Fund::Local, c.local_before, c.local_after)]
            {
                check(&mut fail, "before", b.map(|x| x.to_string()), money(before.total(fund)));
                check(&mut fail, "after", a.map(|x| x.to_string()), money(after.total(fund)));
                let delta = a.unwrap_or(0) - b.unwrap_or(0);
                if a.is_some() && b.is_some() && im.delta(fund) != delta.into() {
                    fail(format!("case {i}: {fund:?} delta {}, expected {delta}", im.delta(fund)));
                }
            }
            if (c.outcome_before != c.outcome_after
                || c.national_before != c.national_after
                || c.local_before != c.local_after)
                != im.changed()
            {
                fail(format!("case {i}: changed() is {}", im.changed()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
