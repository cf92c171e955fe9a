//! `GET /rulepack` (what the server decides with) and `GET /rulepack/full` (the pack JSON).

use std::collections::{BTreeMap, BTreeSet};

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use kc_api::{LocalLayerInfo, RulepackInfo};
use kc_rules::RulePack;

use crate::json::ApiJson;
use crate::state::AppState;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/rulepack", get(info)).route("/rulepack/full", get(full))
}

/// Pack id, every effective date, and the provinces with local-fund layers.
#[utoipa::path(get, path = "/api/v1/rulepack", tag = "rulepack",
    responses((status = 200, description = "The rule pack the server runs", body = RulepackInfo)))]
pub async fn info(State(state): State<AppState>) -> ApiJson<RulepackInfo> {
    ApiJson(summary(state.pack))
}

/// The whole rule pack as JSON (for tools).
#[utoipa::path(get, path = "/api/v1/rulepack/full", tag = "rulepack",
    responses((status = 200, description = "The complete rule pack", content_type = "application/json", body = Object)))]
pub async fn full(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], state.pack_json)
}

/// The summary served at `/rulepack`.
pub fn summary(pack: &RulePack) -> RulepackInfo {
    let national = pack.params.values().flat_map(|p| &p.values).map(|v| v.from);
    let local = pack.layers.iter().flat_map(|l| &l.params).flat_map(|p| &p.values).map(|v| v.from);
    let sectors = pack.sectors.iter().map(|s| s.from);
    let effective_dates: BTreeSet<_> = national.chain(local).chain(sectors).collect();
    let mut layers: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for layer in &pack.layers {
        layers.entry(layer.province_code).or_default().push(layer.id.clone());
    }
    RulepackInfo {
        pack_id: pack.id.clone(),
        effective_dates: effective_dates.into_iter().collect(),
        local_layers: layers
            .into_iter()
            .map(|(province_code, layers)| LocalLayerInfo { province_code, layers })
            .collect(),
    }
}
