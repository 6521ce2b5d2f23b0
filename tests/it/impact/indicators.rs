//! Impact dashboard: indicators, pace against targets, budget lines, exports.

use super::*;

both_databases!(
    indicators_count_each_business_once,
    the_pace_against_the_target_and_the_settings_form,
    budget_lines_refuse_negative_amounts,
    exports_follow_the_filters_and_only_readers_get_them,
);

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
