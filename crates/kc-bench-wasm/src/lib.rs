//! `evaluate` exported to JavaScript for timing under Node (`cargo xtask bench-wasm`).
//! The clock is on the JavaScript side (`performance.now()`); this side only does the work.

use kc_rules::{Application, Fund, evaluate};
use wasm_bindgen::prelude::*;

#[path = "../../kc-rulepack/benches/support/fixtures.rs"]
mod fixtures;

fn fixture(full: bool) -> Application {
    let json = if full { fixtures::FULL } else { fixtures::MACHINERY };
    serde_json::from_str(json).expect("fixture parses")
}

/// Parses the bundled pack once (so it is not part of the timing). Returns the pack id.
#[wasm_bindgen]
pub fn prepare() -> String {
    kc_rulepack::bundled().id.clone()
}

/// Runs `evaluate` `n` times on the typical machinery application (`full = false`) or on the
/// every-line application (`full = true`). Returns the last national total in đồng, so the
/// work cannot be optimised away and the caller can check the answer.
#[wasm_bindgen]
pub fn bench(n: u32, full: bool) -> f64 {
    let pack = kc_rulepack::bundled();
    let app = fixture(full);
    let as_of = time::macros::date!(2026 - 01 - 01);
    let mut total = 0i64;
    for _ in 0..n {
        let d = evaluate(pack, std::hint::black_box(&app), as_of).expect("fixture evaluates");
        total = d.total(Fund::National).to_i64();
    }
    // Exact: totals stay far below 2^53.
    total as f64
}

#[cfg(test)]
mod tests {
    #[test]
    fn bench_returns_the_national_total() {
        assert_eq!(super::bench(2, false), 300_000_000.0_f64);
        assert!(super::bench(1, true) > 0.0_f64);
    }
}
