//! The agenda's pages: every page of a filter in start order with the
//! number of matching sessions, whichever territory, and the past in
//! reverse order; the in-memory index gives the pages SQL gives.

use tremplin::db::now_ms;
use tremplin::workshops::model::{AgendaQuery, Format, Session};
use tremplin::workshops::{listing, store};

use crate::both_databases;
use crate::builders;
use crate::harness::TestApp;

both_databases!(
    every_page_of_a_territory_is_in_start_order_with_its_total,
    the_index_gives_every_filter_the_page_sql_gives,
);

const HOUR: i64 = 3_600_000;

/// A page of the agenda as the pages read it (the index, then the page's
/// rows), checked against the reference statement.
async fn agenda(app: &TestApp, q: &AgendaQuery, limit: i64, offset: i64) -> (Vec<Session>, i64) {
    let (page, total) = listing::agenda(&app.db, &app.state.workshops.listing, q, limit, offset)
        .await
        .unwrap();
    let (reference, expected) = store::agenda(&app.db, q, limit, offset).await.unwrap();
    let ids = |l: &[Session]| l.iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(
        (ids(&page), total),
        (ids(&reference), expected),
        "{q:?}, {limit} from {offset}"
    );
    (page, total)
}

async fn every_page_of_a_territory_is_in_start_order_with_its_total(app: &TestApp) {
    let now = now_ms();
    let query = |territory: &str, past: bool| AgendaQuery {
        territory: Some(territory.to_string()),
        past,
        now,
        ..Default::default()
    };
    let total_of = |q: AgendaQuery| async move { agenda(app, &q, 10, 0).await.1 };
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
        let (page, total) = agenda(app, &gironde, 10, offset).await;
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
    let (page, total) = agenda(app, &gironde, 10, offset).await;
    assert!(page.is_empty());
    assert_eq!(total, expected);

    // The region holds both departments; another department only its own.
    assert_eq!(total_of(query("FR-R75", false)).await, before.1 + 28);
    assert_eq!(total_of(query("FR-D40", false)).await, before.2 + 3);

    // The past, latest first.
    let (past, total) = agenda(app, &query("FR-D33", true), 10, 0).await;
    assert_eq!(total, before.3 + 2);
    assert!(past.windows(2).all(|w| w[0].starts_at >= w[1].starts_at));
}

async fn the_index_gives_every_filter_the_page_sql_gives(app: &TestApp) {
    let now = now_ms();
    // Sessions of two themes in Bordeaux, the Landes and online, to come and
    // past; then one given sectors, one a half-day, one cancelled.
    let mut ids = vec![];
    for i in 0..12 {
        let theme = if i % 3 == 0 {
            "reseaux-sociaux"
        } else {
            "site-vitrine"
        };
        let at = now + (i - 3) * 24 * HOUR + (i % 5) * HOUR;
        let b = builders::session(theme).starts_at(at);
        let b = match i % 3 {
            0 => b.commune("FR-C33063"),
            1 => b.commune("FR-C40192"),
            _ => b.online("https://visio.example/atelier"),
        };
        ids.push(b.create(app).await);
    }
    // Two sessions at the same time: the id decides their order.
    for _ in 0..2 {
        ids.push(
            builders::session("site-vitrine")
                .starts_at(now + 50 * HOUR)
                .commune("FR-C33063")
                .create(app)
                .await,
        );
    }
    let sectors = "INSERT INTO workshop_sectors (session_id, sector_code) VALUES ($1, $2)";
    for (session, sector) in [(ids[4], "47"), (ids[5], "47"), (ids[5], "43")] {
        sqlx::query(sectors)
            .bind(session)
            .bind(sector)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE workshop_sessions SET format = 'halfday' WHERE id = $1")
        .bind(ids[7])
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE workshop_sessions SET status = 'cancelled' WHERE id = $1")
        .bind(ids[8])
        .execute(&app.db.pool)
        .await
        .unwrap();
    // Changed here: the index is read again at once.
    app.state.workshops.sessions_changed();

    let programme = app.state.programme().await.unwrap().id.unwrap_or(1);
    let text = |v: &str| Some(v.to_string());
    let mut queries = vec![];
    for past in [false, true] {
        for include_cancelled in [false, true] {
            let base = AgendaQuery {
                past,
                now,
                include_cancelled,
                ..Default::default()
            };
            queries.extend([
                base.clone(),
                AgendaQuery {
                    theme: text("site-vitrine"),
                    ..base.clone()
                },
                AgendaQuery {
                    theme: text("reseaux-sociaux"),
                    territory: text("FR-D33"),
                    ..base.clone()
                },
                AgendaQuery {
                    territory: text("FR-R75"),
                    ..base.clone()
                },
                AgendaQuery {
                    territory: text("FR-C40192"),
                    ..base.clone()
                },
                AgendaQuery {
                    sector: text("47"),
                    ..base.clone()
                },
                AgendaQuery {
                    sector: text("43"),
                    territory: text("FR-D40"),
                    ..base.clone()
                },
                AgendaQuery {
                    format: Some(Format::HalfDay),
                    ..base.clone()
                },
                AgendaQuery {
                    format: Some(Format::Awareness),
                    ..base.clone()
                },
                AgendaQuery {
                    from_ms: Some(now + 24 * HOUR),
                    to_ms: Some(now + 6 * 24 * HOUR),
                    ..base.clone()
                },
                AgendaQuery {
                    programme: Some(programme),
                    ..base.clone()
                },
                AgendaQuery {
                    programme: Some(programme + 1000),
                    ..base.clone()
                },
                // Values no session holds match nothing.
                AgendaQuery {
                    theme: text("pas-un-theme"),
                    ..base.clone()
                },
                AgendaQuery {
                    territory: text("FR-D99"),
                    ..base.clone()
                },
                AgendaQuery {
                    sector: text("zz"),
                    ..base.clone()
                },
            ]);
        }
    }
    let mut listed = 0;
    for q in &queries {
        for (limit, offset) in [(20, 0), (3, 0), (3, 3), (5, 7), (10, 1000)] {
            listed += agenda(app, q, limit, offset).await.0.len();
        }
    }
    assert!(listed > 100, "the filters list sessions ({listed})");

    // What a visitor sees: the half-day filter lists that session only once
    // it is one, and the cancelled session is gone from the agenda.
    let v = crate::harness::client();
    let get = |path: &'static str| {
        let v = v.clone();
        async move {
            let r = v.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            r.text().await.unwrap()
        }
    };
    let link = |id: i64| format!("href=\"/ateliers/{id}\"");
    let half_days = get("/ateliers?format=halfday").await;
    assert!(half_days.contains(&link(ids[7])), "the half-day is listed");
    assert!(
        !half_days.contains(&link(ids[6])),
        "a one-hour session is not"
    );
    let all = get("/ateliers").await;
    assert!(all.contains(&link(ids[6])), "a session to come is listed");
    assert!(!all.contains(&link(ids[8])), "the cancelled session is not");
}
