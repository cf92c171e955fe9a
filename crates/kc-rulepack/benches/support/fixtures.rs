// Shared by `benches/evaluate.rs` (via `benches/support/fixtures.rs`) (criterion, native) and `crates/kc-bench-wasm` (Node), so
// both figures time the same applications.

/// A typical request: a household business buying one machine (national + Đồng Tháp layer).
pub(crate) const MACHINERY: &str = r#"{
  "lines": [{ "line": "machinery", "cost": 700000000 }],
  "subject": "household_business",
  "location": { "commune_code": 29926 },
  "sector": "food_processing",
  "conditions": { "equipment_new": true, "no_other_state_funding": true, "counterpart_funding": true }
}"#;

/// Every line at once, an enterprise with size answers and priority facts.
pub(crate) const FULL: &str = r#"{
  "lines": [
    { "line": "machinery", "cost": 700000000 },
    { "line": "technology_line", "cost": 1200000000 },
    { "line": "demo_model", "cost": 3000000000 },
    { "line": "replication_model", "cost": 150000000 },
    { "line": "cleaner_production_model", "cost": 2000000000 },
    { "line": "startup", "cost": 12000000 },
    { "line": "training", "cost": 90000000, "learners": 30 }
  ],
  "subject": "enterprise",
  "size": { "sector_group": "agriculture_industry_construction", "employees": 45, "revenue": 18000000000, "capital": 9000000000 },
  "location": { "commune_code": 29926, "difficult_area": true, "craft_village": false },
  "sector": "agro_forestry_aquatic_processing",
  "conditions": { "equipment_new": true, "no_other_state_funding": true, "counterpart_funding": true, "technology_new_locally": true },
  "priority": { "women_owned": true, "ethnic_minority_workers": true, "exports": true, "local_materials_percent": 70, "workers": 60 }
}"#;
