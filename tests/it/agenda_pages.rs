//! The agenda's pages: every page of a filter in start order with the
//! number of matching sessions, whichever territory, and the past in
//! reverse order.

use tremplin::db::now_ms;
use tremplin::workshops::model::AgendaQuery;
use tremplin::workshops::store;

use crate::both_databases;
use crate::builders;
use crate::harness::TestApp;

both_databases!(every_page_of_a_territory_is_in_start_order_with_its_total);

const HOUR: i64 = 3_600_000;

async fn every_page_of_a_territory_is_in_start_order_with_its_total(app: &TestApp) {
    let now = now_ms();
    let query = |territory: &str, past: bool| AgendaQuery {
        territory: Some(territory.to_string()),
        past,
        now,
        ..Default::default()
    };
    let total_of =
        |q: AgendaQuery| async move { store::agenda(&app.db, &q, 10, 0).await.unwrap().1 };
    // What the demo data already holds.
    let before = (
        total_of(query("FR-D33", false)).await,
        total_of(query("FR-R75", false)).await,
        total_of(query("FR-D40", false)).await,
        total_of(query("FR-D33", true)).await,
    );
    // 25 sessions in Bordeaux, out of start order; 3 in the Landes; 2 past.
    let mut bordeaux = vec![];
    for i in 0..25 {
        let at = now + (1 + (i * 7) % 25) * HOUR;
        bordeaux.push(
            builders::session("site-vitrine")
                .starts_at(at)
                .commune("FR-C33063")
                .create(app)
                .await,
        );
    }
    for i in 0..3 {
        builders::session("site-vitrine")
            .starts_at(now + (30 + i) * HOUR)
            .commune("FR-C40192")
            .create(app)
            .await;
    }
    for i in 0..2 {
        builders::session("site-vitrine")
            .starts_at(now - (10 + i) * 24 * HOUR)
            .commune("FR-C33063")
            .create(app)
            .await;
    }

    // The department, page after page of 10: each page full but the last,
    // each with the total, together every session once, soonest first.
    let gironde = query("FR-D33", false);
    let expected = before.0 + 25;
    let mut seen = vec![];
    let mut offset = 0;
    while offset < expected {
        let (page, total) = store::agenda(&app.db, &gironde, 10, offset).await.unwrap();
        assert_eq!(total, expected, "total on the page at {offset}");
        assert_eq!(
            page.len() as i64,
            (expected - offset).min(10),
            "page at {offset}"
        );
        seen.extend(page.iter().map(|s| (s.starts_at, s.id)));
        offset += 10;
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "start order across pages, each session once");
    assert!(bordeaux.iter().all(|id| seen.iter().any(|s| s.1 == *id)));
    // A page past the end still says how many there are.
    let (page, total) = store::agenda(&app.db, &gironde, 10, offset).await.unwrap();
    assert!(page.is_empty());
    assert_eq!(total, expected);

    // The region holds both departments; another department only its own.
    assert_eq!(total_of(query("FR-R75", false)).await, before.1 + 28);
    assert_eq!(total_of(query("FR-D40", false)).await, before.2 + 3);

    // The past, latest first.
    let (past, total) = store::agenda(&app.db, &query("FR-D33", true), 10, 0)
        .await
        .unwrap();
    assert_eq!(total, before.3 + 2);
    assert!(past.windows(2).all(|w| w[0].starts_at >= w[1].starts_at));
}
