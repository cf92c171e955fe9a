//! `cargo bench -p kc-rulepack --bench evaluate`: `evaluate` on the bundled pack, natively.
//! The same applications are timed in WebAssembly under Node by `cargo xtask bench-wasm`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kc_rules::{Application, evaluate};

#[path = "support/fixtures.rs"]
mod fixtures;

fn bench(c: &mut Criterion) {
    let pack = kc_rulepack::bundled();
    let as_of = time::macros::date!(2026 - 01 - 01);
    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(1));
    for (name, json) in [("machinery", fixtures::MACHINERY), ("full_multi_line", fixtures::FULL)] {
        let app: Application = serde_json::from_str(json).expect("fixture parses");
        evaluate(pack, &app, as_of).expect("fixture evaluates");
        group.bench_function(name, |b| b.iter(|| evaluate(black_box(pack), black_box(&app), black_box(as_of))));
        // What a caller that sends the decision gets: the decision and its JSON.
        group.bench_function(format!("{name}_json"), |b| {
            b.iter(|| {
                let d = evaluate(black_box(pack), black_box(&app), black_box(as_of)).expect("fixture evaluates");
                serde_json::to_vec(&d).expect("decision serialises")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
