//! The dashboard's folded facts: live (a write shows on the next read) and
//! exact (the same figures as the SQL computed over the source tables,
//! `dashboard::store`, under many filters, on a bulk-seeded programme).

use std::collections::HashMap;

use tremplin::business::identifiers::{IdKind, LegalId};
use tremplin::business::model::ValidBusiness;
use tremplin::dashboard::facts::SOURCES;
use tremplin::dashboard::model::{Dimension, Filter, Indicator, TerritoryLevel};
use tremplin::dashboard::report;
use tremplin::dashboard::store::{self, Bounds, Source};
use tremplin::db::now_ms;
use tremplin::kernel::money::Euros;

use crate::both_databases;
use crate::builders;
use crate::harness::TestApp;

both_databases!(
    a_write_shows_on_the_next_read,
    folded_facts_give_the_figures_of_the_sql
);

const DAY: i64 = 86_400_000;

async fn text(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn figures(app: &TestApp, filter: &Filter) -> report::Report {
    let programme = app.state.programme().await.unwrap();
    let tr = tremplin::i18n::Tr(tremplin::i18n::Locale::Fr);
    report::build(
        &app.db,
        &app.state.facts,
        &programme,
        tr,
        filter.clone(),
        false,
    )
    .await
    .unwrap()
}

/// Move a business to another sector through its store.
async fn move_sector(app: &TestApp, id: i64, sector: &str) {
    let b = tremplin::business::store::get(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    let valid = ValidBusiness {
        name: b.name.clone(),
        legal_id: LegalId::parse(IdKind::Siren, &b.legal_id).unwrap(),
        sector_code: Some(sector.to_string()),
        size_band: b.size_band.clone(),
        commune_code: b.commune_code.clone(),
        address: b.address.clone(),
        website: b.website.clone(),
        partner_id: None,
        partner_slug: None,
    };
    tremplin::business::store::update(&app.db, id, &valid, b.version, None)
        .await
        .unwrap();
}

async fn a_write_shows_on_the_next_read(app: &TestApp) {
    let p = builders::partner("live").create(app).await;
    let commune = text(
        app,
        "SELECT code FROM territories WHERE level = 'commune' AND parent_code = 'FR-D33' ORDER BY code LIMIT 1",
    )
    .await
    .remove(0);
    let sectors = text(
        app,
        "SELECT code FROM sectors WHERE parent_code IS NULL ORDER BY code LIMIT 2",
    )
    .await;
    let mut ids = vec![];
    for n in 0..4 {
        ids.push(
            builders::business(&format!("Live {p} n{n}"))
                .sector(&sectors[0])
                .commune(&commune)
                .partner(p)
                .create(app)
                .await,
        );
    }
    let theme = text(app, "SELECT slug FROM themes ORDER BY id LIMIT 1")
        .await
        .remove(0);
    let now = now_ms();
    let s = builders::session(&theme)
        .starts_at(now - 3 * DAY)
        .create(app)
        .await;
    builders::attendee(s, "a0@live.test")
        .business(ids[0])
        .create(app)
        .await;
    let filter = Filter {
        partner: Some(p),
        ..Default::default()
    };
    let before = figures(app, &filter).await;
    assert_eq!(before.value(Indicator::Aware), 1.0);
    assert_eq!(before.value(Indicator::Diagnosed), 0.0);
    assert_eq!(before.value(Indicator::Coached), 0.0);
    assert_eq!(before.value(Indicator::Funded), 0.0);

    // An attendance marked, a diagnostic submitted, a file opened, an
    // application obtained: each shows on the very next read.
    builders::attendee(s, "a1@live.test")
        .business(ids[1])
        .create(app)
        .await;
    assert_eq!(figures(app, &filter).await.value(Indicator::Aware), 2.0);
    builders::diagnostic(ids[2])
        .overall(50.0)
        .at(now - DAY)
        .create(app)
        .await;
    assert_eq!(figures(app, &filter).await.value(Indicator::Diagnosed), 1.0);
    let case = builders::case(ids[3])
        .opened_at(now - DAY)
        .create(app)
        .await;
    assert_eq!(figures(app, &filter).await.value(Indicator::Coached), 1.0);
    let scheme: i64 = sqlx::query_scalar("SELECT id FROM funding_schemes ORDER BY id LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    builders::application(ids[3], scheme)
        .case(case)
        .obtained(Euros(120_000))
        .create(app)
        .await;
    let r = figures(app, &filter).await;
    assert_eq!(r.value(Indicator::Funded), 1.0);
    assert_eq!(r.value(Indicator::FundedAmount), 1200.0);

    // A business moving sector moves in the sector breakdown and filter at once.
    let by_sector = |r: &report::Report| -> usize {
        r.breakdowns
            .iter()
            .find(|(d, _)| *d == Dimension::Sector)
            .map(|(_, cells)| cells.len())
            .unwrap()
    };
    assert_eq!(by_sector(&r), 1);
    let in_second = Filter {
        partner: Some(p),
        sector: Some(sectors[1].clone()),
        ..Default::default()
    };
    assert_eq!(figures(app, &in_second).await.value(Indicator::Aware), 0.0);
    move_sector(app, ids[1], &sectors[1]).await;
    let r = figures(app, &filter).await;
    assert_eq!(r.value(Indicator::Aware), 2.0);
    assert_eq!(by_sector(&r), 2);
    assert_eq!(figures(app, &in_second).await.value(Indicator::Aware), 1.0);
}

/// Every figure of `filter` from the folded facts and from the SQL.
async fn compare(app: &TestApp, filter: &Filter, bounds: Bounds, label: &str) {
    let terr = store::territories(&app.db, tremplin::i18n::Locale::Fr)
        .await
        .unwrap();
    let parents = store::sector_parents(&app.db).await.unwrap();
    let now = now_ms();
    let past: Vec<i64> = (0..14).map(|m| now - (13 - m) * 30 * DAY).collect();
    let aware_sources = [Source::Workshop, Source::Diagnostic];
    let mut folded = app.state.facts.snapshot(&app.db).await.unwrap();
    let sieve = folded.sieve(filter, bounds, &terr, &parents);
    for s in SOURCES {
        let a = folded.aggregate(&[s], &sieve);
        let b = store::aggregate(&app.db, &[s], filter, bounds)
            .await
            .unwrap();
        assert_eq!(
            (a.distinct, a.rows, a.sum),
            (b.distinct, b.rows, b.sum),
            "{label} {s:?}"
        );
        match (a.avg, b.avg) {
            (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "{label} {s:?} {x} {y}"),
            (x, y) => assert_eq!(x, y, "{label} {s:?}"),
        }
    }
    for sources in [&aware_sources[..1], &aware_sources[..]] {
        let aware = folded.aware(sources, &sieve, &past);
        let agg = store::aggregate(&app.db, sources, filter, bounds)
            .await
            .unwrap();
        assert_eq!(aware.agg.distinct, agg.distinct, "{label} aware");
        assert_eq!(aware.agg.rows, agg.rows, "{label} aware rows");
        let reached = store::cumulative(&app.db, sources, filter, &past)
            .await
            .unwrap();
        assert_eq!(aware.reached, reached, "{label} cumulative");
        for (d, rows) in aware.breakdowns {
            let sql = store::breakdown(&app.db, sources, filter, bounds, d)
                .await
                .unwrap();
            let a: HashMap<Option<String>, i64> = rows.into_iter().collect();
            let b: HashMap<Option<String>, i64> = sql.into_iter().collect();
            assert_eq!(a, b, "{label} by {d:?}");
        }
    }
}

async fn folded_facts_give_the_figures_of_the_sql(app: &TestApp) {
    tremplin::cli::bulk::activity::activity(
        &app.db,
        tremplin::cli::bulk::activity::Volume {
            businesses: 300,
            held_sessions: 40,
            registrations: 900,
            files: 60,
            activities: 0,
        },
    )
    .await
    .unwrap();
    tremplin::cli::seed::diagnostics(&app.db, 80).await.unwrap();
    let now = now_ms();
    let department = text(
        app,
        "SELECT t.parent_code FROM businesses b JOIN territories t ON t.code = b.commune_code \
         WHERE t.level = 'commune' GROUP BY t.parent_code ORDER BY COUNT(*) DESC, t.parent_code LIMIT 1",
    )
    .await
    .remove(0);
    let region = text(
        app,
        &format!("SELECT parent_code FROM territories WHERE code = '{department}'"),
    )
    .await
    .remove(0);
    let sector = text(
        app,
        "SELECT s.parent_code FROM businesses b JOIN sectors s ON s.code = b.sector_code \
         WHERE s.parent_code IS NOT NULL GROUP BY s.parent_code ORDER BY COUNT(*) DESC, s.parent_code LIMIT 1",
    )
    .await
    .remove(0);
    let partner: i64 = sqlx::query_scalar(
        "SELECT partner_id FROM businesses WHERE partner_id IS NOT NULL GROUP BY partner_id ORDER BY COUNT(*) DESC, partner_id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let adviser: i64 = sqlx::query_scalar(
        "SELECT adviser_id FROM cases GROUP BY adviser_id ORDER BY COUNT(*) DESC, adviser_id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let period = Bounds {
        from_ms: Some(now - 200 * DAY),
        to_ms: Some(now - 20 * DAY),
    };
    let cases: Vec<(Filter, Bounds, &str)> = vec![
        (Filter::default(), Bounds::default(), "everything"),
        (Filter::default(), period, "period"),
        (
            Filter {
                territory: Some(department.clone()),
                ..Default::default()
            },
            period,
            "department",
        ),
        (
            Filter {
                territory: Some(region.clone()),
                ..Default::default()
            },
            Bounds::default(),
            "region",
        ),
        (
            Filter {
                territory: Some("FR".into()),
                level: Some(TerritoryLevel::Region),
                ..Default::default()
            },
            Bounds::default(),
            "country, by region",
        ),
        (
            Filter {
                territory: Some(region.clone()),
                level: Some(TerritoryLevel::Commune),
                ..Default::default()
            },
            period,
            "region, by commune",
        ),
        (
            Filter {
                sector: Some(sector.clone()),
                ..Default::default()
            },
            period,
            "sector",
        ),
        (
            Filter {
                size: Some("1-9".into()),
                partner: Some(partner),
                ..Default::default()
            },
            Bounds::default(),
            "size and partner",
        ),
        (
            Filter {
                adviser: Some(adviser),
                ..Default::default()
            },
            Bounds::default(),
            "adviser",
        ),
        (
            Filter {
                territory: Some(region),
                sector: Some(sector),
                size: Some("1-9".into()),
                partner: Some(partner),
                ..Default::default()
            },
            Bounds {
                from_ms: Some(now - 300 * DAY),
                to_ms: None,
            },
            "all",
        ),
    ];
    for (filter, bounds, label) in &cases {
        compare(app, filter, *bounds, label).await;
    }
    // After writes, the facts folded again by origin still agree.
    let some: Vec<i64> = sqlx::query_scalar("SELECT id FROM businesses ORDER BY id DESC LIMIT 3")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let other_sector = text(
        app,
        "SELECT code FROM sectors WHERE parent_code IS NOT NULL ORDER BY code DESC LIMIT 1",
    )
    .await
    .remove(0);
    move_sector(app, some[0], &other_sector).await;
    builders::diagnostic(some[1])
        .overall(70.0)
        .at(now - 30 * DAY)
        .create(app)
        .await;
    builders::case(some[2])
        .opened_at(now - 40 * DAY)
        .create(app)
        .await;
    for (filter, bounds, label) in &cases {
        compare(app, filter, *bounds, label).await;
    }
}
