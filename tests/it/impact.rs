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
use crate::builders;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(
    indicators_count_each_business_once,
    the_pace_against_the_target_and_the_settings_form,
    budget_lines_refuse_negative_amounts,
    exports_follow_the_filters_and_only_readers_get_them,
    new_caledonia_has_its_map_of_provinces,
    the_edih_export_counts_businesses_by_support_type,
    a_partner_reads_only_what_it_brought,
    territories_added_or_renamed_show_on_the_next_dashboard
);

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

async fn indicators_count_each_business_once(app: &TestApp) {
    let (p, _) = seed(app, "once").await;
    let programme = app.state.programme().await.unwrap();
    let tr = tremplin::i18n::Tr(tremplin::i18n::Locale::Fr);
    let filter = Filter {
        partner: Some(p),
        ..Default::default()
    };
    let r = report::build(
        &app.db,
        &app.state.facts,
        &programme,
        tr,
        filter.clone(),
        false,
    )
    .await
    .unwrap();
    // Workshops only (the demo rule): six businesses, the first counted once.
    assert_eq!(r.value(Indicator::Aware), 6.0);
    assert_eq!(r.value(Indicator::Diagnosed), 2.0);
    assert_eq!(r.value(Indicator::Coached), 1.0);
    assert_eq!(r.value(Indicator::Hours), 1.5);
    assert_eq!(r.value(Indicator::Funded), 1.0);
    assert_eq!(r.value(Indicator::FundedAmount), 5000.0);
    assert_eq!(r.value(Indicator::Progressed), 1.0);
    assert_eq!(r.figure(Indicator::Diagnosed).unwrap().percent(), Some(33));
    // Two sessions held, no request from them.
    assert_eq!(r.value(Indicator::RequestsPerWorkshop), 0.0);
    let gain = &r.gains[0];
    assert_eq!((gain.businesses, gain.t0, gain.t1), (1, 40.0, 60.0));
    let territory = &r.breakdowns[0].1;
    assert_eq!(territory.len(), 1);
    assert_eq!(territory[0].count, 6);
    assert_eq!(r.by_area, vec![("FR-D33".to_string(), 6)]);
    // By the workshop's theme and format: the six met at the first theme's
    // sessions, counted once each although one came twice.
    let cells = |d: Dimension| {
        r.breakdowns
            .iter()
            .find(|(x, _)| *x == d)
            .map(|(_, c)| {
                c.iter()
                    .map(|c| (c.label.clone(), c.count))
                    .collect::<Vec<_>>()
            })
            .unwrap()
    };
    let title = scalar_text(app, "SELECT title_fr FROM themes ORDER BY id LIMIT 1").await;
    assert_eq!(cells(Dimension::Theme), vec![(title, 6)]);
    assert_eq!(cells(Dimension::Format).len(), 1);
    assert_eq!(cells(Dimension::Format)[0].1, 6);

    // The manager counts a finished diagnostic too: the seventh business joins, once.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, settings) = admin.page("/tableau-de-bord/reglages").await;
    let field = |name: &str| -> String {
        settings
            .split(&format!("name=\"{name}\" type=\"date\" value=\""))
            .nth(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .unwrap_or_default()
    };
    let (start, end) = (field("start_date"), field("end_date"));
    let (status, _, html) = admin
        .submit(
            "/tableau-de-bord/reglages",
            &[
                ("start_date", &start),
                ("end_date", &end),
                ("target_date", &end),
                ("target_aware", "1600"),
                ("budget", "337 000"),
                ("share_region", "168 500"),
                ("share_sponsors", "168 500"),
                ("aware", "workshop"),
                ("aware", "diagnostic"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    let (status, html) = admin
        .page(&format!("/tableau-de-bord?partenaire={p}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(row_value(&html, "aware"), "7");
    assert_eq!(row_value(&html, "diagnosed"), "2");
    // Admins see every count; funders see small cells hidden.
    let sector_table = html.split("id=\"table-sector\"").nth(1).unwrap();
    assert!(
        sector_table.contains("<td class=\"num\">3</td>"),
        "{sector_table}"
    );
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (status, html) = funder
        .page(&format!("/tableau-de-bord?partenaire={p}"))
        .await;
    assert_eq!(status, 200);
    let sector_table = html.split("id=\"table-sector\"").nth(1).unwrap();
    let sector_table = sector_table.split("</table>").next().unwrap();
    assert!(sector_table.contains("&#60; 5"), "{sector_table}");
    assert!(!sector_table.contains("<td class=\"num\">3</td>"));
    let territory_table = html.split("id=\"table-territory\"").nth(1).unwrap();
    assert!(territory_table.contains("<td class=\"num\">7</td>"));
    // The map of departments: Gironde shaded darkest, with its figure;
    // a department with nobody stays pale; the outlines are credited.
    let map = html
        .split("id=\"map-departments\"")
        .nth(1)
        .expect("the map");
    let map = map.split("</svg>").next().unwrap();
    let gironde = map.split("data-code=\"FR-D33\"").next().unwrap();
    let gironde = &gironde[gironde.rfind("<path").unwrap()..];
    assert!(gironde.contains("fill=\"#1a4f8f\""), "{gironde}");
    assert!(map.contains("<title>Gironde — 7</title>"), "{map}");
    let paris = map.split("data-code=\"FR-D75\"").next().unwrap();
    assert!(paris[paris.rfind("<path").unwrap()..].contains("fill=\"#f1f1f1\""));
    assert!(html.contains("CC BY 4.0"));
    assert!(html.contains("id=\"small-cells-note\""));
    // The whole country, broken down by region: Gironde's seven count under
    // Nouvelle-Aquitaine, and the map stays by department.
    let (status, by_region) = funder
        .page(&format!(
            "/tableau-de-bord?partenaire={p}&territoire=FR&niveau=region"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(row_value(&by_region, "aware"), "7");
    let table = by_region.split("id=\"table-territory\"").nth(1).unwrap();
    let table = table.split("</table>").next().unwrap();
    assert!(
        table.contains("<th scope=\"row\">Nouvelle-Aquitaine</th><td class=\"num\">7</td>"),
        "{table}"
    );
    assert!(!table.contains("Gironde"), "{table}");
    assert!(by_region.contains("<title>Gironde — 7</title>"));
    assert!(by_region.contains("<option value=\"region\" selected>"));
    // Charts are images with a title, followed by their table.
    assert!(html.contains("<svg") && html.contains("role=\"img\""));
    assert!(html.contains("id=\"chart-funnel-title\""));
    // A period that excludes every event counts nobody.
    let (_, html) = funder
        .page(&format!(
            "/tableau-de-bord?partenaire={p}&du=2020-01-01&au=2020-12-31"
        ))
        .await;
    assert_eq!(row_value(&html, "aware"), "0");
}

async fn the_pace_against_the_target_and_the_settings_form(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    // The demo: month 14 of 28, far from 1,600 businesses.
    let (status, html) = admin.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    let main = &html[html.find("<main").unwrap()..];
    assert!(main.contains("data-on-track=\"false\""), "{main}");
    assert!(html.contains("au mois 14 sur 28 : en retard"), "{html}");
    assert!(html.contains("id=\"table-timeline\""));
    // The demo's other targets, each with its pace.
    let targets = html.split("id=\"table-targets\"").nth(1).expect("targets");
    let targets = targets.split("</table>").next().unwrap();
    assert!(
        targets.contains("data-indicator=\"diagnosed\""),
        "{targets}"
    );
    assert!(targets.contains("data-indicator=\"hours\""), "{targets}");
    // A target date outside the period is refused, what was typed kept.
    let (status, _, html) = admin
        .submit(
            "/tableau-de-bord/reglages",
            &[
                ("start_date", "2026-01-01"),
                ("end_date", "2028-04-30"),
                ("target_date", "2029-01-15"),
                ("target_aware", "1 600"),
                ("target_coached", "trois"),
                ("target_hours", "12"),
                ("budget", "337000"),
                ("aware", "workshop"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("doit être comprise dans la période du programme."),
        "{html}"
    );
    assert!(html.contains("value=\"2029-01-15\""));
    assert!(
        html.contains("Saisissez un nombre entier positif ou nul"),
        "{html}"
    );
    assert!(html.contains("value=\"trois\"") && html.contains("value=\"12\""));
    // A modest target is on track.
    let (status, _, _) = admin
        .submit(
            "/tableau-de-bord/reglages",
            &[
                ("start_date", "2026-01-01"),
                ("end_date", "2028-04-30"),
                ("target_date", "2028-04-30"),
                ("target_aware", "1"),
                ("target_diagnosed", "1"),
                ("target_hours", "100 000"),
                ("budget", "337000"),
                ("aware", "workshop"),
                (
                    "report_notes",
                    "Les ateliers d'automne ont eu lieu en visio.\r\n\r\nLa salle de Pessac rouvre en mars.",
                ),
            ],
        )
        .await;
    assert_eq!(status, 303);
    // The notes come back in the form and close the PDF report.
    let (_, html) = admin.page("/tableau-de-bord/reglages").await;
    assert!(
        html.contains("La salle de Pessac rouvre en mars.</textarea>"),
        "{html}"
    );
    let pdf = admin
        .get("/tableau-de-bord/rapport.pdf")
        .await
        .bytes()
        .await
        .unwrap();
    if let Some(text) = crate::harness::pdf_text(&pdf) {
        let notes = text.split("Notes\n").last().unwrap();
        assert!(
            notes.contains("Les ateliers d'automne ont eu lieu en visio."),
            "{text}"
        );
        assert!(
            notes.contains("La salle de Pessac rouvre en mars."),
            "{text}"
        );
    }
    // Notes too long are refused, the text kept.
    let long = "Une phrase de notes. ".repeat(400);
    let (status, _, html) = admin
        .submit(
            "/tableau-de-bord/reglages",
            &[
                ("start_date", "2026-01-01"),
                ("end_date", "2028-04-30"),
                ("target_aware", "1"),
                ("aware", "workshop"),
                ("report_notes", &long),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"report_notes-error\""), "{html}");
    assert!(html.contains(long.trim()), "what was typed is kept");
    let (_, html) = admin.page("/tableau-de-bord").await;
    assert!(html.contains("data-on-track=\"true\""), "{html}");
    assert!(html.contains("dans les temps"));
    // One diagnosed business is on track; 100,000 hours are not; the
    // demo's other targets were cleared with the form.
    let targets = html.split("id=\"table-targets\"").nth(1).expect("targets");
    let targets = targets.split("</table>").next().unwrap();
    assert!(
        targets.contains("data-indicator=\"diagnosed\" data-on-track=\"true\""),
        "{targets}"
    );
    assert!(
        targets.contains("data-indicator=\"hours\" data-on-track=\"false\""),
        "{targets}"
    );
    assert!(targets.contains("En retard"));
    assert!(!targets.contains("data-indicator=\"coached\""));
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, english) = admin.page("/tableau-de-bord").await;
    assert!(english.contains("Reached so far") && english.contains("Behind"));
    assert!(english.contains("Territory breakdown by"));
}

async fn budget_lines_refuse_negative_amounts(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let before = app.count("SELECT COUNT(*) FROM budget_lines").await;
    assert!(before >= 5, "the demo has budget lines");
    let (status, _, html) = admin
        .submit(
            "/tableau-de-bord/budget",
            &[
                ("category", "venues"),
                ("label", "Location de salle Pessac"),
                ("planned", "-1 200"),
                ("spent", "0"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Un montant ne peut pas être négatif."),
        "{html}"
    );
    assert!(html.contains("value=\"Location de salle Pessac\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM budget_lines").await, before);
    let (status, _, _) = admin
        .submit(
            "/tableau-de-bord/budget",
            &[
                ("category", "venues"),
                ("label", "Location de salle Pessac"),
                ("planned", "1 200"),
                ("spent", "300,50"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let id = app
        .count("SELECT id FROM budget_lines WHERE label = 'Location de salle Pessac'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT spent_cents FROM budget_lines WHERE id = {id}"
        ))
        .await,
        30_050
    );
    let (_, html) = admin.page("/tableau-de-bord").await;
    assert!(html.contains("Location de salle Pessac"));
    assert!(html.contains("id=\"table-costs\""));
    // Funders cannot change the budget.
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (status, _, _) = funder
        .submit(&format!("/tableau-de-bord/budget/{id}/supprimer"), &[])
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = admin
        .submit(&format!("/tableau-de-bord/budget/{id}/supprimer"), &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM budget_lines").await, before);
}

async fn exports_follow_the_filters_and_only_readers_get_them(app: &TestApp) {
    let (p, _) = seed(app, "export").await;
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let q = format!("?partenaire={p}");
    let res = funder
        .get(&format!("/tableau-de-bord/indicateurs.csv{q}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let csv = res.text().await.unwrap();
    let aware = csv
        .lines()
        .find(|l| l.starts_with("aware;"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(aware.contains(";Entreprises sensibilisées;6;"), "{aware}");
    // The targets beside their indicator: the demo aims at 1,600 businesses
    // by month 28; this partner's six are far behind the straight line.
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(";Objectif;Atteint à ce jour;Attendu à ce jour;Rythme"),
        "{header}"
    );
    assert!(aware.contains(";1600;6;"), "{aware}");
    assert!(aware.ends_with(";En retard"), "{aware}");
    let diagnosed = csv.lines().find(|l| l.starts_with("diagnosed;")).unwrap();
    assert!(diagnosed.ends_with(";En retard"), "{diagnosed}");
    let requests = csv.lines().find(|l| l.starts_with("requests;"));
    assert!(
        requests.is_none_or(|l| l.ends_with(";;;;")),
        "no target, empty cells: {requests:?}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("hours;") && l.contains(";1.5;")),
        "{csv}"
    );
    let res = funder
        .get(&format!("/tableau-de-bord/indicateurs.xlsx{q}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let res = funder
        .get(&format!("/tableau-de-bord/rapport.pdf{q}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(text) = crate::harness::pdf_text(&pdf) {
        assert!(text.contains("Entreprises sensibilisées"), "{text}");
        assert!(text.contains("Budget"), "{text}");
        // The charts and their figures: the curve against the target line,
        // the funnel as bars, the breakdowns as bars; then the targets.
        for words in [
            "Entreprises sensibilisées, cumul par mois et objectif",
            "Atteint / Objectif (ligne droite)",
            "Parcours des entreprises",
            "Objectifs",
            "Attendu à ce jour",
            "En retard",
        ] {
            assert!(text.contains(words), "{words}: {text}");
        }
    }
    // In English too.
    let mut english = Browser::signed_in(app, FUNDER, PW).await;
    english.cookies.insert("tremplin_lang".into(), "en".into());
    let res = english
        .get(&format!("/tableau-de-bord/rapport.pdf{q}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let pdf = res.bytes().await.unwrap();
    if let Some(text) = crate::harness::pdf_text(&pdf) {
        for words in ["Targets", "Expected by now", "Behind"] {
            assert!(text.contains(words), "{words}: {text}");
        }
    }
    let res = english
        .get(&format!("/tableau-de-bord/indicateurs.csv{q}"))
        .await;
    let csv = res.text().await.unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(";Target;Reached so far;Expected by now;Pace"),
        "{csv}"
    );
    // Anonymous visitors get none of it.
    for path in [
        "/tableau-de-bord",
        "/tableau-de-bord/indicateurs.csv",
        "/tableau-de-bord/indicateurs.xlsx",
        "/tableau-de-bord/rapport.pdf",
        "/tableau-de-bord/reglages",
    ] {
        let res = client().get(app.url(path)).send().await.unwrap();
        assert_ne!(res.status().as_u16(), 200, "{path}");
        let body = res.text().await.unwrap();
        assert!(!body.contains("Entreprises sensibilisées;"), "{path}");
    }
    // Funders read but do not set.
    assert_eq!(funder.page("/tableau-de-bord/reglages").await.0, 403);
}

/// A business in New Caledonia shades its province on a map of its own,
/// beside France's departments, with the outlines credited.
async fn new_caledonia_has_its_map_of_provinces(app: &TestApp) {
    let (p, _) = seed(app, "noumea").await;
    let commune = scalar_text(
        app,
        "SELECT code FROM territories WHERE level = 'commune' AND parent_code = 'NC-PS' ORDER BY code LIMIT 1",
    )
    .await;
    let theme = scalar_text(app, "SELECT slug FROM themes ORDER BY id LIMIT 1").await;
    let session = builders::session(&theme)
        .starts_at(now_ms() - 7 * DAY)
        .create(app)
        .await;
    for n in 0..2 {
        let b = builders::business(&format!("Nouméa {p} n{n}"))
            .commune(&commune)
            .partner(p)
            .create(app)
            .await;
        builders::attendee(session, &format!("nc{n}@noumea.test"))
            .business(b)
            .create(app)
            .await;
    }
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin
        .page(&format!("/tableau-de-bord?partenaire={p}"))
        .await;
    assert_eq!(status, 200);
    let map = html
        .split("id=\"map-provinces\"")
        .nth(1)
        .expect("the map of provinces");
    let map = map.split("</svg>").next().unwrap();
    assert!(map.contains("<title>Province Sud — 2</title>"), "{map}");
    assert_eq!(map.matches(" data-code=").count(), 3);
    let north = map.split("data-code=\"NC-PN\"").next().unwrap();
    assert!(north[north.rfind("<path").unwrap()..].contains("fill=\"#f1f1f1\""));
    assert!(html.contains("Natural Earth"));
    // France's map is still there for the seven in Gironde.
    assert!(html.contains("id=\"map-departments\""));
    // A funder sees a province under five businesses hatched, not counted.
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (_, html) = funder
        .page(&format!("/tableau-de-bord?partenaire={p}"))
        .await;
    let map = html.split("id=\"map-provinces\"").nth(1).unwrap();
    let map = map.split("</svg>").next().unwrap();
    let south = map.split("data-code=\"NC-PS\"").next().unwrap();
    assert!(south[south.rfind("<path").unwrap()..].contains("url(#hidden)"));
    assert!(!map.contains("Province Sud — 2"));
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

async fn the_edih_export_counts_businesses_by_support_type(app: &TestApp) {
    let (p, _) = seed(app, "edih").await;
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, html) = admin.page("/tableau-de-bord").await;
    assert!(html.contains("id=\"export-edih\""), "linked from the page");
    let res = admin
        .get(&format!("/tableau-de-bord/edih.xlsx?partenaire={p}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = res.bytes().await.unwrap();
    let served = xlsx_sheet(&bytes, 0);
    assert_eq!(
        served[0],
        [
            "Type de service",
            "Code du service",
            "Ventilation",
            "Groupe",
            "Entreprises"
        ]
    );
    // Seven businesses served in all, each once although the first came
    // to two workshops and took two diagnostics.
    assert_eq!(edih_value(&served, "all", "Total", ""), "7");
    // Diagnostics (the first and the seventh) and a file (the second).
    assert_eq!(edih_value(&served, "test-before-invest", "Total", ""), "3");
    assert_eq!(edih_value(&served, "skills-and-training", "Total", ""), "6");
    assert_eq!(
        edih_value(&served, "support-to-find-investment", "Total", ""),
        "1"
    );
    assert_eq!(
        edih_value(&served, "innovation-ecosystem-and-networking", "Total", ""),
        "0"
    );
    // By region: all in Gironde, so in Nouvelle-Aquitaine.
    assert_eq!(
        edih_value(&served, "all", "Par région", "Nouvelle-Aquitaine"),
        "7"
    );
    // By NACE section: three and four, under the section's letter.
    let sections: Vec<&Vec<String>> = served
        .iter()
        .filter(|r| r[1] == "all" && r[2] == "Par section NACE")
        .collect();
    assert_eq!(sections.len(), 2, "{sections:?}");
    assert!(
        sections.iter().all(|r| r[3][1..].starts_with(" — ")),
        "{sections:?}"
    );
    let mut counts: Vec<&str> = sections.iter().map(|r| r[4].as_str()).collect();
    counts.sort();
    assert_eq!(counts, ["3", "4"]);
    // The DMA sheet: the first business went from 40 to 60 on the first
    // dimension, named as the DMA names it.
    let dma = xlsx_sheet(&bytes, 1);
    assert_eq!(dma[0][0], "Dimension DMA");
    let first = &dma[1];
    assert_eq!(first[0], "Stratégie numérique de l'entreprise", "{dma:?}");
    assert_eq!(&first[2..], ["1", "40", "60", "20"], "{dma:?}");
    // A funder gets the same export with the small cells hidden.
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let res = funder
        .get(&format!("/tableau-de-bord/edih.xlsx?partenaire={p}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let bytes = res.bytes().await.unwrap();
    let served = xlsx_sheet(&bytes, 0);
    assert_eq!(edih_value(&served, "skills-and-training", "Total", ""), "6");
    assert_eq!(
        edih_value(&served, "test-before-invest", "Total", ""),
        "< 5"
    );
    let dma = xlsx_sheet(&bytes, 1);
    assert_eq!(&dma[1][2..], ["< 5", "", "", ""], "{dma:?}");
    // In English.
    funder.cookies.insert("tremplin_lang".into(), "en".into());
    let res = funder.get("/tableau-de-bord/edih.xlsx").await;
    let served = xlsx_sheet(&res.bytes().await.unwrap(), 0);
    assert_eq!(served[0][0], "Service type");
    assert!(served.iter().any(|r| r[2] == "By NACE section"));
    // Nobody else.
    let mut anonymous = Browser::new(app).await;
    let res = anonymous.get("/tableau-de-bord/edih.xlsx").await;
    assert_ne!(res.status().as_u16(), 200);
}

async fn a_partner_reads_only_what_it_brought(app: &TestApp) {
    let (p, _) = seed(app, "scope").await;
    let partner_name = scalar_text(app, &format!("SELECT name FROM partners WHERE id = {p}")).await;
    let funder_id = scalar_i64(
        app,
        &format!("SELECT id FROM users WHERE email = '{FUNDER}'"),
    )
    .await;
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (_, html) = funder.page("/tableau-de-bord").await;
    let whole: i64 = row_value(&html, "aware").parse().unwrap();
    assert!(whole > 6, "the demo's own businesses count too: {whole}");
    assert!(!html.contains("id=\"partner-scope\""));

    // The manager limits the funder's account to what the partner brought.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, team) = admin.page("/admin/equipe").await;
    assert!(
        team.contains(&format!("data-scope=\"{funder_id}\"")),
        "{team}"
    );
    let (status, _, html) = admin
        .submit(
            "/admin/equipe/perimetre",
            &[
                ("user_id", &funder_id.to_string()),
                ("partner_id", &p.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("ne lit plus que les chiffres des entreprises amenées par"),
        "{html}"
    );
    assert!(
        html.contains(&format!("<option value=\"{p}\" selected>")),
        "{html}"
    );
    // The audit log names the manager and the partner.
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.actor_id \
             WHERE a.action = 'role_scoped' AND u.email = '{ADMIN}' \
             AND a.subject = 'user #{funder_id}' AND a.detail = 'funder: partner #{p}'"
        ))
        .await;
    assert_eq!(audited, 1);

    // The funder now reads the partner's six, even when asking for everything
    // or for another partner, on the page and in every export.
    let (_, html) = funder.page("/tableau-de-bord").await;
    assert_eq!(row_value(&html, "aware"), "6");
    assert!(html.contains("id=\"partner-scope\""));
    assert!(
        html.contains(&partner_name),
        "the page says whose figures these are"
    );
    let other = builders::partner("scope-other").create(app).await;
    let (_, html) = funder
        .page(&format!("/tableau-de-bord?partenaire={other}"))
        .await;
    assert_eq!(row_value(&html, "aware"), "6");
    let partners_select = html.split("id=\"f-partenaire\"").nth(1).unwrap();
    let partners_select = partners_select.split("</select>").next().unwrap();
    assert_eq!(
        partners_select.matches("<option").count(),
        1,
        "{partners_select}"
    );
    let csv = funder
        .get("/tableau-de-bord/indicateurs.csv")
        .await
        .text()
        .await
        .unwrap();
    let aware = csv.lines().find(|l| l.starts_with("aware;")).unwrap();
    assert!(aware.contains(";Entreprises sensibilisées;6;"), "{aware}");
    let res = funder.get("/tableau-de-bord/edih.xlsx").await;
    let served = xlsx_sheet(&res.bytes().await.unwrap(), 0);
    assert_eq!(edih_value(&served, "all", "Total", ""), "7");

    // Bad choices are refused with a message, and nothing changes.
    let (status, _, html) = admin
        .submit(
            "/admin/equipe/perimetre",
            &[
                ("user_id", &funder_id.to_string()),
                ("partner_id", "999999"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("data-refusal=\"1\""), "{html}");
    assert!(html.contains("ce partenaire n&#39;existe pas"), "{html}");
    let adviser = scalar_i64(
        app,
        "SELECT id FROM users WHERE email = 'conseiller@tremplin-demo.fr'",
    )
    .await;
    let (status, _, _) = admin
        .submit(
            "/admin/equipe/perimetre",
            &[
                ("user_id", &adviser.to_string()),
                ("partner_id", &p.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 422, "an adviser reads everything anyway");
    let (_, html) = funder.page("/tableau-de-bord").await;
    assert_eq!(row_value(&html, "aware"), "6");
    // Only a manager may change it.
    let (status, _, _) = funder
        .submit(
            "/admin/equipe/perimetre",
            &[("user_id", &funder_id.to_string()), ("partner_id", "")],
        )
        .await;
    assert_eq!(status, 403);

    // Lifted, in English: the whole programme again.
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (status, _, html) = admin
        .submit(
            "/admin/equipe/perimetre",
            &[("user_id", &funder_id.to_string()), ("partner_id", "")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("reads the whole programme&#39;s figures again")
            || html.contains("reads the whole programme's figures again"),
        "{html}"
    );
    let (_, html) = funder.page("/tableau-de-bord").await;
    assert_eq!(row_value(&html, "aware"), whole.to_string());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'role_scoped'")
            .await,
        2,
        "the refused changes wrote nothing"
    );
}

/// The dashboard keeps the territories in memory between requests: a
/// territory imported or renamed afterwards is on the next page, in the
/// area filter, without a restart.
async fn territories_added_or_renamed_show_on_the_next_dashboard(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, page) = admin.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Pays de Tremplin-sur-Test"));
    assert!(
        page.contains(">Gironde<"),
        "the area filter lists departments"
    );

    let csv = "code,parent_code,level,name_fr,name_en\n\
               FR-RTEST,FR,region,Pays de Tremplin-sur-Test,Tremplin-on-Test Land\n\
               FR-D33,FR-R75,department,Gironde (renommée),Gironde (renamed)\n";
    let report = tremplin::reference::import_territories(&app.db, csv.as_bytes())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(report.stored, 2, "{:?}", report.rejected);

    let (_, page) = admin.page("/tableau-de-bord").await;
    assert!(page.contains("Pays de Tremplin-sur-Test"), "the new region");
    assert!(page.contains("Gironde (renommée)"), "the new name");
    assert!(!page.contains(">Gironde<"));
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, page) = admin.page("/tableau-de-bord").await;
    assert!(page.contains("Tremplin-on-Test Land"));
}
