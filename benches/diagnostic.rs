//! Scoring and action-plan generation per diagnostic, on the shipped bank.
//!
//! `cargo bench --bench diagnostic`. Target: under 50 µs per diagnostic
//! (scores + ordered plan, `score+plan/*`), quick and full modes;
//! `score-only/*` gives the share of the scores.
//!
//! Each iteration scores one of a fixed pool of realistic answer sets (the
//! generator of `tremplin seed --diagnostics`, fixed seed: mixed checklist
//! ticks, 0–5 scale ratings, triples, a few "not applicable", importance
//! stated for some items) and builds its plan, as the results page does.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::rngs::StdRng;
use rand::SeedableRng;
use tremplin::cli::seed::{random_responses, DIAGNOSTICS_SEED};
use tremplin::diagnostic::scoring::{plan, score, Response};
use tremplin::diagnostic::store::default_bank;

/// Distinct answer sets cycled through, so that branch prediction and
/// caches do not learn one single diagnostic.
const POOL: usize = 256;

fn scoring_and_plan(c: &mut Criterion) {
    let bank = default_bank().expect("the shipped bank is valid");
    let mut group = c.benchmark_group("diagnostic");
    group.throughput(Throughput::Elements(1));
    for (mode, full) in [("quick", false), ("full", true)] {
        let mut rng = StdRng::seed_from_u64(DIAGNOSTICS_SEED);
        let pool: Vec<HashMap<String, Response>> = (0..POOL)
            .map(|_| random_responses(&bank, full, &mut rng))
            .collect();
        let steps: usize = pool
            .iter()
            .map(|r| plan(&bank, full, r, &score(&bank, full, r)).len())
            .sum();
        eprintln!(
            "{mode}: {} questions, {:.1} planned steps on average",
            bank.questions_for(full).len(),
            steps as f64 / POOL as f64
        );
        let mut i = 0;
        group.bench_function(format!("score+plan/{mode}"), |b| {
            b.iter(|| {
                let responses = &pool[i % POOL];
                i += 1;
                let scores = score(&bank, black_box(full), black_box(responses));
                black_box(plan(&bank, full, responses, &scores))
            })
        });
        // Breakdown: the scores alone (the rest of score+plan is the plan).
        let mut i = 0;
        group.bench_function(format!("score-only/{mode}"), |b| {
            b.iter(|| {
                let responses = &pool[i % POOL];
                i += 1;
                black_box(score(&bank, black_box(full), black_box(responses)))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, scoring_and_plan);
criterion_main!(benches);
