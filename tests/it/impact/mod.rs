//! The funders' dashboard: indicators against hand-computed values on a
//! small programme seeded by hand (each business counted once), small-cell
//! hiding, pace against the target, budget lines refusing negative amounts,
//! exports and who may read them.

use tremplin::cases::model::Funder;
use tremplin::dashboard::model::{Dimension, Filter, Indicator};
use tremplin::dashboard::report;
use tremplin::db::now_ms;
use tremplin::kernel::money::Euros;

use crate::both_databases;

mod indicators;
mod territories;
use crate::builders;
use crate::harness::{client, Browser, TestApp, PW};

const ADMIN: &str = "responsable@tremplin-demo.fr";
const FUNDER: &str = "financeur@tremplin-demo.fr";
const DAY: i64 = 86_400_000;

async fn scalar_i64(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn scalar_text(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Six businesses of one partner at workshops (the first at two, with two
/// diagnostics), a seventh only diagnosed, a file with 90 minutes and an
/// application obtained for the second.
async fn seed(app: &TestApp, slug: &str) -> (i64, Vec<i64>) {
    // A partner of our own, so the demo data stays out of the figures.
    let p = builders::partner(slug).create(app).await;
    let commune = scalar_text(
        app,
        "SELECT code FROM territories WHERE level = 'commune' AND parent_code = 'FR-D33' ORDER BY code LIMIT 1",
    )
    .await;
    let sectors: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM sectors WHERE parent_code IS NULL ORDER BY code LIMIT 2",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut ids = vec![];
    for n in 0..7 {
        let sector = &sectors[if n < 3 { 0 } else { 1 }];
        let id = builders::business(&format!("Impact {p} n{n}"))
            .sector(sector)
            .commune(&commune)
            .partner(p)
            .create(app)
            .await;
        ids.push(id);
    }
    let now = now_ms();
    let theme = scalar_text(app, "SELECT slug FROM themes ORDER BY id LIMIT 1").await;
    let s1 = builders::session(&theme)
        .starts_at(now - 20 * DAY)
        .create(app)
        .await;
    let s2 = builders::session(&theme)
        .starts_at(now - 10 * DAY)
        .create(app)
        .await;
    for (n, b) in ids.iter().take(6).enumerate() {
        builders::attendee(s1, &format!("p{n}@{slug}.test"))
            .business(*b)
            .create(app)
            .await;
    }
    // The first business came twice, with someone else the second time.
    builders::attendee(s2, &format!("other@{slug}.test"))
        .business(ids[0])
        .create(app)
        .await;
    let bank = tremplin::diagnostic::store::current_bank(&app.db)
        .await
        .unwrap();
    let dim = bank.dimensions[0].code.clone();
    for (b, at, overall) in [
        (ids[0], now - 15 * DAY, 40.0),
        (ids[0], now - 2 * DAY, 60.0),
        (ids[6], now - 3 * DAY, 50.0),
    ] {
        builders::diagnostic(b)
            .dimension(&dim, overall)
            .overall(overall)
            .at(at)
            .create(app)
            .await;
    }
    let case = builders::case(ids[1])
        .opened_at(now - 5 * DAY)
        .create(app)
        .await;
    builders::hours(app, case, Funder::Region, 90, now - 4 * DAY).await;
    let scheme = scalar_i64(app, "SELECT id FROM funding_schemes ORDER BY id LIMIT 1").await;
    builders::application(ids[1], scheme)
        .case(case)
        .obtained(Euros(500_000))
        .create(app)
        .await;
    (p, ids)
}

/// The value cell of an indicator's row on the page.
fn row_value(html: &str, code: &str) -> String {
    let row = html
        .split(&format!("data-indicator=\"{code}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no row {code}"));
    let cell = row.split("<td class=\"num\">").nth(1).unwrap();
    cell.split("</td>").next().unwrap().to_string()
}

/// Every cell of one sheet of an XLSX file, as text.
fn xlsx_sheet(bytes: &[u8], index: usize) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .expect("an XLSX file");
    let range = wb
        .worksheet_range_at(index)
        .expect("the sheet")
        .expect("readable");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The value of the row whose first four cells are `key`.
fn edih_value(rows: &[Vec<String>], service: &str, breakdown: &str, group: &str) -> String {
    rows.iter()
        .find(|r| r[1] == service && r[2] == breakdown && r[3] == group)
        .unwrap_or_else(|| panic!("no row {service} / {breakdown} / {group} in {rows:?}"))[4]
        .clone()
}
