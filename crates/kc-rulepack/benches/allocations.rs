//! `cargo bench -p kc-rulepack --bench allocations`: heap allocations and bytes per
//! `evaluate` call on the benchmark fixtures (the same as `benches/evaluate.rs` and the wasm
//! benchmark), counted by an instrumented global allocator. Printed, never asserted.

use std::alloc::System;
use std::hint::black_box;

use kc_rules::{Application, evaluate};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[path = "support/fixtures.rs"]
mod fixtures;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn main() {
    let pack = kc_rulepack::bundled();
    let as_of = time::macros::date!(2026 - 01 - 01);
    // `cargo bench --bench allocations -- machinery` runs one fixture (e.g. under callgrind).
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let fixtures = [("machinery", fixtures::MACHINERY), ("full_multi_line", fixtures::FULL)];
    for (name, json) in fixtures.into_iter().filter(|(n, _)| only.as_deref().is_none_or(|o| n.contains(o))) {
        let app: Application = serde_json::from_str(json).expect("fixture parses");
        // The first call parses the pack values it reads (once per process).
        drop(evaluate(pack, &app, as_of).expect("fixture evaluates"));
        // `KC_BENCH_N=0` and `KC_BENCH_N=1000` under callgrind: the difference over 1000 is
        // the instructions of one call, its drop included.
        let n: u64 = std::env::var("KC_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        let region = Region::new(GLOBAL);
        for _ in 0..n {
            drop(black_box(evaluate(black_box(pack), black_box(&app), as_of).expect("fixture evaluates")));
        }
        let stats = region.change();
        let n = n.max(1) as usize;
        println!(
            "{name}: {} allocations, {} bytes allocated per evaluation",
            (stats.allocations + stats.reallocations) / n,
            stats.bytes_allocated / n
        );
    }
}
