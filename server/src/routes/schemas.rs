//! JSON Schemas of the engine's types (`Application`, `Decision` and their parts) for the
//! OpenAPI document.
//!
//! `kc-rules` stays free of any OpenAPI dependency (it builds for wasm on its own), so these
//! are written here, next to the serde shapes they describe, and made exact where the rule
//! pack decides: commune codes, former provinces and sector ids are enumerated from the
//! bundled pack, so a document-valid body is not refused for an unknown code. What a schema
//! cannot say (a line requested twice; `learners` on a line other than training) is still a
//! 422 with the field path. `tests/e2e/openapi.rs` checks a real submission and decision
//! validate, and `cargo xtask schemathesis` checks the server against the whole document.

use serde_json::{Value, json};

/// `#/components/schemas/NAME`.
pub fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn nullable(schema: Value) -> Value {
    json!({ "oneOf": [schema, { "type": "null" }] })
}

fn opt_bool(description: &str) -> Value {
    json!({ "type": "boolean", "description": description })
}

fn enumeration(values: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": values, "description": description })
}

/// Every schema this module defines, by name.
pub fn all() -> Vec<(&'static str, Value)> {
    let pack = kc_rulepack::bundled();
    let communes: Vec<u32> = pack.communes.iter().map(|c| c.code).collect();
    let former: Vec<&str> = pack.provinces.iter().flat_map(|p| &p.formed_from).map(|f| f.codename.as_str()).collect();
    let sectors: Vec<&str> = pack.sectors.iter().map(|s| s.id.as_str()).collect();
    let lines: Vec<&str> = kc_rules::Line::ALL.iter().map(|l| l.id()).collect();
    let u32_ = json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX });
    let date = json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" });
    let mut schemas = vec![
        (
            "Vnd",
            json!({
                "type": "integer", "minimum": 0, "maximum": kc_rules::MAX_VND,
                "description": "Whole đồng, 0 … 10^15 (requests may also send a string of digits).",
                "example": 500_000_000
            }),
        ),
        (
            "Rate",
            json!({
                "type": "string", "pattern": "^(0(\\.[0-9]{1,20})?|1(\\.0{1,20})?)$",
                "description": "A fraction 0 … 1 as a decimal string.", "example": "0.5"
            }),
        ),
        ("Decimal", json!({ "type": "string", "pattern": "^[0-9]{1,12}(\\.[0-9]{1,12})?$", "example": "1" })),
        (
            "Text",
            json!({
                "type": "object", "required": ["vi", "en"],
                "properties": { "vi": { "type": "string" }, "en": { "type": "string" } },
                "description": "Vietnamese and English."
            }),
        ),
        (
            "Citation",
            json!({
                "type": "object", "required": ["document"], "additionalProperties": false,
                "properties": { "document": { "type": "string" }, "provision": { "type": "string" } }
            }),
        ),
        ("Confidence", enumeration(&["R", "S", "V"], "V verified in the legal text, S secondary source, R recalled")),
        ("Line", enumeration(&lines, "Support line")),
        ("Outcome", enumeration(&["eligible", "not_eligible", "need_more_answers"], "Overall answer")),
        ("CriterionStatus", enumeration(&["met", "not_met", "unknown"], "State of a criterion")),
        ("Fund", enumeration(&["national", "local"], "Which fund pays")),
        (
            "Basis",
            enumeration(
                &["computed", "ceiling_only", "set_by_province", "need_cost", "no_value"],
                "How the amount was found",
            ),
        ),
        ("LineRequest", {
            // `learners` only on the training line.
            let others: Vec<&str> = lines.iter().copied().filter(|l| *l != "training").collect();
            json!({
                "type": "object", "required": ["line"],
                "oneOf": [
                    {
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "line": { "type": "string", "enum": ["training"] },
                            "cost": or_null(r("Vnd")),
                            "learners": or_null(json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX }))
                        }
                    },
                    {
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "line": { "type": "string", "enum": others },
                            "cost": or_null(r("Vnd"))
                        }
                    }
                ]
            })
        }),
        (
            "SizeAnswers",
            json!({
                "type": "object", "additionalProperties": false,
                "properties": {
                    "sector_group": enumeration(&["agriculture_industry_construction", "trade_services"], "Sector group of the main business line"),
                    "employees": u32_,
                    "revenue": r("Vnd"),
                    "capital": r("Vnd")
                }
            }),
        ),
        (
            "LocationAnswers",
            json!({
                "type": "object", "additionalProperties": false,
                "properties": {
                    "commune_code": { "type": "integer", "enum": communes, "description": "Official commune-level code" },
                    "craft_village": opt_bool("Inside a recognised craft village"),
                    "former_province": { "type": "string", "enum": former, "description": "Codename of the former province (merged provinces)" },
                    "difficult_area": opt_bool("In a difficult socio-economic area"),
                    "old_unit": enumeration(&["xa", "thi_tran", "thi_xa", "phuong_city_grade2_or3", "phuong_city_grade1", "phuong_quan"], "Before 2025-10-15: the kind of place"),
                    "ward_converted_on": date
                }
            }),
        ),
        (
            "ConditionAnswers",
            json!({
                "type": "object", "additionalProperties": false,
                "properties": {
                    "equipment_new": opt_bool("The equipment is new"),
                    "no_other_state_funding": opt_bool("No other state funding for the same cost"),
                    "counterpart_funding": opt_bool("Funds the rest of the approved cost"),
                    "technology_new_locally": opt_bool("Demonstration model: not yet applied locally")
                }
            }),
        ),
        (
            "PriorityAnswers",
            json!({
                "type": "object", "additionalProperties": false,
                "properties": {
                    "women_owned": opt_bool("Owned by a woman"),
                    "ethnic_minority_owned": opt_bool("Owned by a member of an ethnic minority"),
                    "ethnic_minority_workers": opt_bool("Employs ethnic-minority workers"),
                    "ethnic_minority_area": opt_bool("In an ethnic-minority, highland, border or island area"),
                    "typical_rural_product": opt_bool("Holds a typical rural industrial product certificate"),
                    "exports": opt_bool("Exports"),
                    "local_materials_percent": { "type": "integer", "minimum": 0, "maximum": 100 },
                    "workers": u32_
                }
            }),
        ),
        (
            "Application",
            json!({
                "type": "object", "additionalProperties": false,
                "description": "The applicant's answers; every field is optional. A line may be requested once; `learners` only on `training`.",
                "properties": {
                    "lines": {
                        "type": "array", "items": r("LineRequest"), "maxItems": lines.len(),
                        // Each line at most once.
                        "allOf": lines.iter().map(|l| json!({
                            "contains": { "type": "object", "required": ["line"], "properties": { "line": { "const": l } } },
                            "minContains": 0, "maxContains": 1
                        })).collect::<Vec<_>>()
                    },
                    "subject": enumeration(&["enterprise", "cooperative", "cooperative_group", "union_of_cooperatives", "household_business", "unregistered"], "Kind of establishment"),
                    "size": r("SizeAnswers"),
                    "location": r("LocationAnswers"),
                    "sector": { "type": "string", "enum": sectors, "description": "Sector id of the rule pack" },
                    "fired_clay_manual_kiln": opt_bool("Fired-clay bricks in improved manual or ring kilns"),
                    "conditions": r("ConditionAnswers"),
                    "priority": r("PriorityAnswers")
                }
            }),
        ),
        (
            "Comparison",
            json!({
                "type": "object", "required": ["what", "actual", "op", "limit"],
                "properties": {
                    "what": { "type": "string" }, "actual": { "type": "string" },
                    "op": { "type": "string" }, "limit": { "type": "string" }
                }
            }),
        ),
        (
            "CriterionResult",
            json!({
                "type": "object", "required": ["id", "status", "reason", "citation", "confidence"],
                "properties": {
                    "id": { "type": "string" }, "status": r("CriterionStatus"),
                    "lines": { "type": "array", "items": r("Line") },
                    "reason": r("Text"),
                    "compared": { "type": "array", "items": r("Comparison") },
                    "citation": r("Citation"), "confidence": r("Confidence")
                }
            }),
        ),
        ("UsedRate", used(r("Rate"))),
        ("UsedVnd", used(r("Vnd"))),
        ("UsedDecimal", used(r("Decimal"))),
        (
            "Reference",
            json!({
                "type": "object", "required": ["label", "citation", "confidence"],
                "properties": { "label": r("Text"), "amount": r("Vnd"), "citation": r("Citation"), "confidence": r("Confidence") }
            }),
        ),
        (
            "SupportResult",
            json!({
                "type": "object",
                "required": ["line", "fund", "status", "basis", "multiplier", "cap_applied", "confidence"],
                "properties": {
                    "line": r("Line"), "fund": r("Fund"), "layer": { "type": "string" },
                    "status": r("CriterionStatus"), "basis": r("Basis"),
                    "eligible_cost": r("Vnd"), "rate": r("UsedRate"), "cap": r("UsedVnd"),
                    "multiplier": r("UsedDecimal"), "amount": r("Vnd"), "ceiling": r("Vnd"),
                    "cap_applied": { "type": "boolean" }, "cap_binds_above": r("Vnd"),
                    "note": r("Text"),
                    "references": { "type": "array", "items": r("Reference") },
                    "confidence": r("Confidence")
                }
            }),
        ),
        (
            "PriorityFact",
            json!({
                "type": "object", "required": ["id", "status", "reason", "citation", "confidence"],
                "properties": {
                    "id": { "type": "string" }, "status": r("CriterionStatus"), "reason": r("Text"),
                    "citation": r("Citation"), "confidence": r("Confidence")
                }
            }),
        ),
        (
            "Question",
            json!({ "type": "object", "required": ["id", "why"], "properties": { "id": { "type": "string" }, "why": r("Text") } }),
        ),
        (
            "Hint",
            json!({ "type": "object", "required": ["id", "text"], "properties": { "id": { "type": "string" }, "text": r("Text") } }),
        ),
        (
            "PaperRef",
            json!({
                "type": "object", "required": ["id", "label", "citation", "confidence"],
                "properties": { "id": { "type": "string" }, "label": r("Text"), "citation": r("Citation"), "confidence": r("Confidence") }
            }),
        ),
        (
            "Decision",
            json!({
                "type": "object",
                "required": ["outcome", "criteria", "support", "priorities", "missing", "hints", "papers", "pack_id", "as_of"],
                "description": "What the engine says: outcome, one result per criterion, support per line and fund, questions still worth asking, hints, papers.",
                "properties": {
                    "outcome": r("Outcome"),
                    "criteria": { "type": "array", "items": r("CriterionResult") },
                    "support": { "type": "array", "items": r("SupportResult") },
                    "priorities": { "type": "array", "items": r("PriorityFact") },
                    "missing": { "type": "array", "items": r("Question") },
                    "hints": { "type": "array", "items": r("Hint") },
                    "papers": { "type": "array", "items": r("PaperRef") },
                    "pack_id": { "type": "string" },
                    "as_of": date
                }
            }),
        ),
    ];
    // `Option` fields accept `null` (serde reads it as absent); `#[serde(default)]` structs
    // and lists do not.
    let optional: &[(&str, &[&str])] = &[
        ("SizeAnswers", &["sector_group", "employees", "revenue", "capital"]),
        (
            "LocationAnswers",
            &["commune_code", "craft_village", "former_province", "difficult_area", "old_unit", "ward_converted_on"],
        ),
        (
            "ConditionAnswers",
            &["equipment_new", "no_other_state_funding", "counterpart_funding", "technology_new_locally"],
        ),
        (
            "PriorityAnswers",
            &[
                "women_owned",
                "ethnic_minority_owned",
                "ethnic_minority_workers",
                "ethnic_minority_area",
                "typical_rural_product",
                "exports",
                "local_materials_percent",
                "workers",
            ],
        ),
        ("Application", &["subject", "sector", "fired_clay_manual_kiln"]),
        ("Reference", &["amount"]),
        ("SupportResult", &["layer", "eligible_cost", "rate", "cap", "amount", "ceiling", "cap_binds_above", "note"]),
    ];
    for (name, fields) in optional {
        let (_, schema) = schemas.iter_mut().find(|(n, _)| n == name).expect("a defined schema");
        for field in *fields {
            let slot = &mut schema["properties"][*field];
            assert!(!slot.is_null(), "{name}.{field}");
            *slot = or_null(slot.take());
        }
    }
    schemas
}

fn used(value: Value) -> Value {
    json!({
        "type": "object", "required": ["param", "value", "from", "citation", "confidence"],
        "properties": {
            "param": { "type": "string" }, "value": value,
            "from": { "type": "string", "format": "date" },
            "citation": r("Citation"), "confidence": r("Confidence")
        }
    })
}

/// Wraps `schema` so `null` is allowed too.
pub fn or_null(schema: Value) -> Value {
    nullable(schema)
}
