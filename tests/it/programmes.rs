//! Several programmes on one instance: a manager creates a second one and
//! works in it, visitors see the programme they choose (or the one of the
//! territory they look at), sessions and files belong to one programme, and
//! a business reached by both counts once for the whole instance.

use tremplin::dashboard::model::{Filter, Indicator};
use tremplin::dashboard::report;
use tremplin::db::now_ms;

use crate::both_databases;
use crate::builders;
use crate::harness::{Browser, TestApp, PW};

both_databases!(
    two_programmes_with_a_shared_business,
    a_new_programme_is_refused_with_what_was_typed_kept,
    a_funder_or_a_team_member_works_in_one_programme
);

const ADMIN: &str = "responsable@tremplin-demo.fr";
const FUNDER: &str = "financeur@tremplin-demo.fr";
const ADVISER: &str = "conseiller@tremplin-demo.fr";
const HOUR: i64 = 3_600_000;

/// A figure of the programme `programme` (None: the whole instance, each
/// business once) for the businesses brought by `partner`.
async fn figure(app: &TestApp, partner: i64, programme: Option<i64>, i: Indicator) -> f64 {
    let info = tremplin::programme::load(&app.db, programme).await.unwrap();
    let filter = Filter {
        partner: Some(partner),
        programme,
        every_programme: programme.is_none(),
        ..Default::default()
    };
    let tr = tremplin::i18n::Tr(tremplin::i18n::Locale::Fr);
    let r = report::build(&app.db, &app.state.facts, &info, tr, filter, false)
        .await
        .unwrap();
    r.value(i)
}

/// The figures of one stage in the coordination view's table of this
/// instance's programmes, column by column.
fn local_row(html: &str, stage: &str) -> Vec<i64> {
    let table = html
        .split("id=\"coord-local\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no table of this instance's programmes: {html}"));
    let row = table
        .split(&format!("data-stage=\"{stage}\""))
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    row.split("<td class=\"num\">")
        .skip(1)
        .map(|c| {
            let digits: String = c
                .split("</td>")
                .next()
                .unwrap()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            digits.parse().unwrap()
        })
        .collect()
}

async fn two_programmes_with_a_shared_business(app: &TestApp) {
    let first: i64 = app.count("SELECT MIN(id) FROM programmes").await;
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    // One programme: no chooser, and the coordination view has no table of
    // this instance's programmes.
    let (_, home) = admin.page("/").await;
    assert!(!home.contains("id=\"programme-choice\""), "{home}");

    // The manager creates the extension across the border and lands in it.
    let (status, location, html) = admin
        .submit(
            "/admin/programmes/nouveau",
            &[
                ("name", "Tremplin Wallonie"),
                ("slug", ""),
                ("operator", "Chambre Wallonie"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    assert!(
        location.starts_with("/programme?programme=tremplin-wallonie&"),
        "{location}"
    );
    let res = admin.get(&location).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        admin.cookies.get("tremplin_programme").map(String::as_str),
        Some("tremplin-wallonie")
    );
    let (_, page) = admin.page("/admin/programme?cree=1").await;
    assert!(
        page.contains("Le programme « Tremplin Wallonie » est créé"),
        "{page}"
    );
    assert!(page.contains("value=\"Tremplin Wallonie\""), "{page}");
    let wallonia: i64 = app
        .count("SELECT id FROM programmes WHERE slug = 'tremplin-wallonie'")
        .await;
    // It covers the province of Luxembourg, across the border.
    let (status, _, html) = admin
        .submit(
            "/admin/programme",
            &[("action", "add_territory"), ("territory", "BE-WLX")],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM programme_territories WHERE programme_id = {wallonia} AND territory_code = 'BE-WLX'"
        ))
        .await,
        1
    );
    // The first programme kept its name and its territories.
    let first_name: String =
        sqlx::query_scalar(&format!("SELECT name FROM programmes WHERE id = {first}"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_ne!(first_name, "Tremplin Wallonie");

    // Businesses of one partner: the first goes to a workshop of each
    // programme, the second only to the extension'.
    let p = builders::partner("deux-programmes").create(app).await;
    let shared = builders::business("Partagée Deux Programmes")
        .partner(p)
        .create(app)
        .await;
    let wallonia_only = builders::business("Wallonne Seule")
        .partner(p)
        .create(app)
        .await;
    let theme: String = sqlx::query_scalar("SELECT slug FROM themes ORDER BY id LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let wallonia_commune: String = sqlx::query_scalar(
        "SELECT code FROM territories WHERE level = 'commune' AND parent_code = 'BE-WLX' ORDER BY code LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let now = now_ms();
    let held_first = builders::session(&theme)
        .starts_at(now - 48 * HOUR)
        .create(app)
        .await;
    builders::attendee(held_first, "partagee@deux.test")
        .business(shared)
        .create(app)
        .await;
    // What is made while working in the extension belongs to it.
    let (held_wallonia, upcoming_wallonia) = tremplin::programme::CURRENT
        .scope(wallonia, async {
            let held = builders::session(&theme)
                .starts_at(now - 24 * HOUR)
                .create(app)
                .await;
            for (b, email) in [
                (shared, "partagee@wallonie.test"),
                (wallonia_only, "seule@wallonie.test"),
            ] {
                builders::attendee(held, email)
                    .business(b)
                    .create(app)
                    .await;
            }
            builders::case(wallonia_only).create(app).await;
            let upcoming = builders::session(&theme)
                .starts_at(now + HOUR)
                .commune(&wallonia_commune)
                .create(app)
                .await;
            (held, upcoming)
        })
        .await;
    let programme_of =
        |id: i64| format!("SELECT programme_id FROM workshop_sessions WHERE id = {id}");
    assert_eq!(app.count(&programme_of(held_first)).await, first);
    assert_eq!(app.count(&programme_of(held_wallonia)).await, wallonia);
    assert_eq!(
        app.count(&format!(
            "SELECT programme_id FROM cases WHERE business_id = {wallonia_only}"
        ))
        .await,
        wallonia
    );

    // Each programme counts its own; the instance counts the shared business once.
    assert_eq!(figure(app, p, Some(first), Indicator::Aware).await, 1.0);
    assert_eq!(figure(app, p, Some(wallonia), Indicator::Aware).await, 2.0);
    assert_eq!(figure(app, p, None, Indicator::Aware).await, 2.0);
    assert_eq!(
        figure(app, p, Some(wallonia), Indicator::Coached).await,
        1.0
    );
    assert_eq!(figure(app, p, Some(first), Indicator::Coached).await, 0.0);

    // The coordination view shows both programmes and the instance without
    // double counting: the first programme's businesses, plus the extension's
    // that the first did not reach (the one that came only to the extension).
    let (status, html) = admin.page("/tableau-de-bord/coordination").await;
    assert_eq!(status, 200, "{html}");
    let row = local_row(&html, "aware");
    assert_eq!(row.len(), 3, "{html}");
    assert_eq!(row[1], 2, "{html}");
    assert_eq!(row[2], row[0] + 1, "{html}");
    assert!(
        html.contains("Toute l&#39;instance, sans double compte"),
        "{html}"
    );

    // Staff see the files of the programme they work in.
    let (_, files) = admin.page("/dossiers").await;
    assert!(files.contains("Wallonne Seule"), "{files}");
    let (_, files) = admin.page("/dossiers?programme=demo").await;
    assert!(!files.contains("Wallonne Seule"), "{files}");

    // The dashboard says which programme it counts.
    let (_, html) = admin.page("/tableau-de-bord").await;
    assert!(
        html.contains("Programme : Tremplin Wallonie (changez-le en bas de page)."),
        "{html}"
    );

    // A visitor sees the first programme's agenda, without the extension's session…
    let mut visitor = Browser::new(app).await;
    let session_link = format!("href=\"/ateliers/{upcoming_wallonia}\"");
    let (_, agenda) = visitor.page("/ateliers").await;
    assert!(!agenda.contains(&session_link), "{agenda}");
    assert!(agenda.contains("id=\"programme-choice\""), "{agenda}");
    // …the extension's when looking at the extension…
    let (_, agenda) = visitor.page("/ateliers?territory=BE-WLX").await;
    assert!(agenda.contains(&session_link), "{agenda}");
    assert!(
        agenda.contains("<option value=\"tremplin-wallonie\" selected>"),
        "{agenda}"
    );
    // …and the one they choose, remembered.
    let res = visitor
        .get("/programme?programme=tremplin-wallonie&next=%2Fateliers")
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/ateliers");
    let (_, agenda) = visitor.page("/ateliers").await;
    assert!(agenda.contains(&session_link), "{agenda}");
    // The chooser speaks English too.
    visitor.get("/lang/en?next=%2Fateliers").await;
    let (_, agenda) = visitor.page("/ateliers").await;
    assert!(agenda.contains("Programme shown"), "{agenda}");
    assert!(agenda.contains(&session_link), "{agenda}");
    // Each programme publishes its own open data, at addresses naming it.
    let (_, catalogue) = visitor.page("/donnees-ouvertes").await;
    assert!(
        catalogue.contains("href=\"/donnees-ouvertes/agenda.json?programme=tremplin-wallonie\""),
        "{catalogue}"
    );
    assert!(
        catalogue.contains("href=\"/donnees-ouvertes?programme=demo\""),
        "{catalogue}"
    );
    let (status, _, doc) = crate::harness::fetch_json(
        app,
        "/donnees-ouvertes/indicateurs.json?programme=tremplin-wallonie",
        "fr",
    )
    .await;
    assert_eq!(status, 200);
    let aware = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "funnel_aware")
        .unwrap()["value"]
        .as_i64()
        .unwrap();
    assert_eq!(aware, 2, "{doc}");
    let (_, _, agenda) = crate::harness::fetch_json(
        app,
        "/donnees-ouvertes/agenda.json?programme=tremplin-wallonie",
        "fr",
    )
    .await;
    assert!(
        agenda
            .to_string()
            .contains(&format!("/ateliers/{upcoming_wallonia}")),
        "{agenda}"
    );
    let (_, _, agenda) =
        crate::harness::fetch_json(app, "/donnees-ouvertes/agenda.json?programme=demo", "fr").await;
    assert!(
        !agenda
            .to_string()
            .contains(&format!("/ateliers/{upcoming_wallonia}\"")),
        "{agenda}"
    );

    // An unknown programme is not kept.
    let res = visitor.get("/programme?programme=inconnu&next=%2F").await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        visitor
            .cookies
            .get("tremplin_programme")
            .map(String::as_str),
        Some("tremplin-wallonie")
    );
}

async fn a_new_programme_is_refused_with_what_was_typed_kept(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/admin/programmes/nouveau").await;
    assert_eq!(status, 200, "{html}");
    // No name; a slug already used; both said, what was typed kept.
    let taken: String = sqlx::query_scalar("SELECT slug FROM programmes ORDER BY id LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, _, html) = admin
        .submit(
            "/admin/programmes/nouveau",
            &[
                ("name", ""),
                ("slug", &taken),
                ("operator", "Chambre Wallonie"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"name-error\""), "{html}");
    assert!(html.contains("Cet identifiant est déjà utilisé"), "{html}");
    assert!(html.contains("value=\"Chambre Wallonie\""), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM programmes").await, 1);
    // In English too.
    admin.get("/lang/en?next=%2F").await;
    let (_, _, html) = admin
        .submit(
            "/admin/programmes/nouveau",
            &[("name", "Tremplin Wallonie"), ("slug", "Pas Valide!")],
        )
        .await;
    assert!(html.contains("id=\"slug-error\""), "{html}");
    assert!(html.contains("Create another programme"), "{html}");
    assert!(html.contains("value=\"Tremplin Wallonie\""), "{html}");
    // Only managers create programmes.
    let mut visitor = Browser::new(app).await;
    let (status, _, _) = visitor
        .submit("/admin/programmes/nouveau", &[("name", "Intrus")])
        .await;
    assert!(status == 303 || status == 403, "{status}");
    assert_eq!(app.count("SELECT COUNT(*) FROM programmes").await, 1);
}

async fn a_funder_or_a_team_member_works_in_one_programme(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, _, html) = admin
        .submit(
            "/admin/programmes/nouveau",
            &[
                ("name", "Tremplin Wallonie"),
                ("operator", "Chambre Wallonie"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    let wallonia = app
        .count("SELECT id FROM programmes WHERE slug = 'tremplin-wallonie'")
        .await;
    let funder = app
        .count(&format!("SELECT id FROM users WHERE email = '{FUNDER}'"))
        .await;
    // The team page offers the limit once there are two programmes.
    let (_, team) = admin.page("/admin/equipe").await;
    assert!(
        team.contains(&format!("data-programme-scope=\"{funder}\"")),
        "{team}"
    );
    let (status, _, html) = admin
        .submit(
            "/admin/equipe/programme",
            &[
                ("user_id", &funder.to_string()),
                ("programme_id", &wallonia.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("ne travaille plus que dans le programme Tremplin Wallonie"),
        "{html}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'role_scoped' AND detail = 'programme #{wallonia}'"
        ))
        .await,
        1
    );
    // An unknown programme is refused, the limit kept.
    let (status, _, _) = admin
        .submit(
            "/admin/equipe/programme",
            &[("user_id", &funder.to_string()), ("programme_id", "999999")],
        )
        .await;
    assert_eq!(status, 422);

    // The funder reads the Wallonia programme whatever they ask for, with no chooser.
    let mut reader = Browser::signed_in(app, FUNDER, PW).await;
    for path in ["/tableau-de-bord", "/tableau-de-bord?programme=demo"] {
        let (status, html) = reader.page(path).await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("Programme : Tremplin Wallonie, le seul auquel vous avez accès."),
            "{html}"
        );
        assert!(!html.contains("id=\"programme-choice\""), "{html}");
    }
    let (_, html) = reader.page("/tableau-de-bord/coordination").await;
    assert!(!html.contains("id=\"coord-local\""), "{html}");
    // An adviser of the Wallonia team works in that programme only.
    let adviser = app
        .count(&format!("SELECT id FROM users WHERE email = '{ADVISER}'"))
        .await;
    let (status, _, html) = admin
        .submit(
            "/admin/equipe/programme",
            &[
                ("user_id", &adviser.to_string()),
                ("programme_id", &wallonia.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    let mut member = Browser::signed_in(app, ADVISER, PW).await;
    let (status, html) = member.page("/dossiers?programme=demo").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Tremplin Wallonie"), "{html}");
    assert!(!html.contains("id=\"programme-choice\""), "{html}");
    // A manager is never limited: the form is not offered for them.
    let admin_id = app
        .count(&format!("SELECT id FROM users WHERE email = '{ADMIN}'"))
        .await;
    let (_, team) = admin.page("/admin/equipe").await;
    assert!(
        !team.contains(&format!("data-programme-scope=\"{admin_id}\"")),
        "{team}"
    );

    // The manager lifts the limit: the funder may choose again.
    admin
        .submit(
            "/admin/equipe/programme",
            &[("user_id", &funder.to_string()), ("programme_id", "")],
        )
        .await;
    let (_, html) = reader.page("/tableau-de-bord?programme=demo").await;
    assert!(html.contains("id=\"programme-choice\""), "{html}");
    assert!(!html.contains("le seul auquel"), "{html}");
}
