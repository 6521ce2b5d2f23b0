//! The cost of one directory search without any cache, over 20,000 cards.
//!
//! `cargo bench --bench directory` (release profile). Not a Criterion
//! benchmark: timed loops whose figures are printed, no pass/fail.
//!
//! A temporary SQLite database gets the demo data and `BENCH_PROVIDERS`
//! (20,000) cards from `tremplin seed --providers`. `BENCH_QUERIES` (2,000)
//! searches are drawn with a fixed seed: 1 to 3 words taken from the cards'
//! own names and descriptions, half of them with a territory, theme or size
//! filter, some on page 2. Each is timed, in turn:
//!
//! - `sql words`: the query the search used before the inverted index (the
//!   cards holding every word, with their summed weights, from
//!   `provider_terms`): the old cost of the words step alone;
//! - `index`: the search on the in-memory index and snapshot
//!   (`index::search`: matching cards, filters as bit sets, order, counts
//!   per filter value, the page's cards as shown), the snapshot read once
//!   beforehand;
//! - `full`: `public::run`, what a results page calls (the same search,
//!   its results assembled).
//!
//! Printed per step: median, p90, p99, max and mean, in microseconds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tremplin::db::{migrations, now_ms, Db};
use tremplin::directory::index::{self, Snapshots};
use tremplin::directory::public::{self, SearchQuery};
use tremplin::directory::search;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let at = |p: f64| us(times[((times.len() as f64 - 1.0) * p).round() as usize]);
    let mean = times.iter().map(|d| us(*d)).sum::<f64>() / times.len() as f64;
    println!(
        "{name:<10} median {:>9.1} µs   p90 {:>9.1}   p99 {:>9.1}   max {:>9.1}   mean {:>9.1}",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        mean
    );
}

fn main() {
    tremplin::tune_allocator();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let providers = env_usize("BENCH_PROVIDERS", 20_000);
    let count = env_usize("BENCH_QUERIES", 2_000);
    let dir = std::env::temp_dir().join(format!(
        "tremplin-bench-directory-{}-{}",
        std::process::id(),
        now_ms()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    tremplin::i18n::init().expect("i18n");
    let url = format!("sqlite://{}/tremplin.db", dir.display());
    let db = Db::connect(&url, 8).await.expect("connect");
    migrations::migrate(&db).await.expect("migrate");
    tremplin::cli::seed::demo(&db).await.expect("seed --demo");
    let started = Instant::now();
    tremplin::cli::seed::providers(&db, providers)
        .await
        .expect("seed --providers");
    println!(
        "directory bench: {providers} cards seeded in {:.1} s; {count} searches",
        started.elapsed().as_secs_f64()
    );

    // The searches: words from the cards themselves, some filters.
    let texts: Vec<(String, String)> =
        sqlx::query_as("SELECT name, description FROM providers WHERE status = 'published'")
            .fetch_all(&db.pool)
            .await
            .expect("cards");
    let mut words: Vec<String> = texts
        .iter()
        .flat_map(|(n, d)| {
            format!("{n} {d}")
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    words.sort();
    words.dedup();
    let themes: Vec<String> = sqlx::query_scalar("SELECT slug FROM themes")
        .fetch_all(&db.pool)
        .await
        .expect("themes");
    let territories = ["FR-D33", "FR-D24", "FR-D40", "FR-C33063", "FR-R75"];
    let sizes = ["0", "1-9", "10-49", "50-249"];
    let mut rng = StdRng::seed_from_u64(12);
    let queries: Vec<SearchQuery> = (0..count)
        .map(|_| {
            let n = rng.gen_range(1..=3);
            let q = (0..n)
                .map(|_| words[rng.gen_range(0..words.len())].clone())
                .collect::<Vec<_>>()
                .join(" ");
            let mut s = SearchQuery {
                q,
                page: Some(if rng.gen_bool(0.15) { 2 } else { 1 }),
                ..Default::default()
            };
            if rng.gen_bool(0.5) {
                match rng.gen_range(0..3) {
                    0 => s.territory = territories[rng.gen_range(0..territories.len())].into(),
                    1 => s.theme = themes[rng.gen_range(0..themes.len())].clone(),
                    _ => s.size = sizes[rng.gen_range(0..sizes.len())].into(),
                }
            }
            s
        })
        .collect();
    let seed = search::day_seed(search::today());

    // Before: the words step in SQL.
    let mut times = Vec::with_capacity(count);
    let mut found = 0usize;
    for q in &queries {
        let terms = search::query_terms(&q.q);
        let t = Instant::now();
        if !terms.is_empty() {
            let list: Vec<String> = (1..=terms.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "SELECT provider_id, CAST(SUM(weight) AS BIGINT) FROM provider_terms WHERE term IN ({}) \
                 GROUP BY provider_id HAVING COUNT(*) = ${}",
                list.join(", "),
                terms.len() + 1
            );
            let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
            for term in &terms {
                query = query.bind(term.as_str());
            }
            let rows = query
                .bind(terms.len() as i64)
                .fetch_all(&db.pool)
                .await
                .expect("words");
            found += rows.len();
        }
        times.push(t.elapsed());
    }
    report("sql words", times);

    // After: the in-memory index (the snapshot read first, as a server has it).
    let snaps = Arc::new(Snapshots::default());
    let t = Instant::now();
    index::search(&db, &snaps, &SearchQuery::default(), &[], seed, 20, "fr")
        .await
        .expect("snapshot");
    println!("snapshot read in {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let mut times = Vec::with_capacity(count);
    let mut total = 0i64;
    for q in &queries {
        let terms = search::query_terms(&q.q);
        let t = Instant::now();
        let (_, n, facets) = index::search(&db, &snaps, q, &terms, seed, 20, "fr")
            .await
            .expect("search");
        times.push(t.elapsed());
        total += n + facets.themes.len() as i64;
    }
    report("index", times);

    let mut times = Vec::with_capacity(count);
    for q in &queries {
        let t = Instant::now();
        let r = public::run(&db, &snaps, q, "fr", seed).await.expect("run");
        times.push(t.elapsed());
        total += r.total;
    }
    report("full", times);
    println!("(cards matched by words in SQL: {found}; checksum {total})");
    db.pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
