//! Privacy: erasure, legal holds and retention, keeping every figure.

use super::*;

both_databases!(
    erasure_keeps_every_dashboard_figure,
    erasing_twice_or_unconfirmed_is_answered_clearly,
    legal_holds_block_erasure_with_the_reason,
    retention_runs_once_across_two_servers_and_keeps_figures,
    follow_up_files_are_exported_and_erased_keeping_their_figures,
    an_open_grant_application_holds_the_business_and_its_only_contact,
    retention_covers_files_accounts_and_every_kind,
);

async fn erasure_keeps_every_dashboard_figure(app: &TestApp) {
    // Marie's bakery has an open follow-up file, which would hold her erasure.
    close_files_of(app, "Boulangerie Dupont", tremplin::db::now_ms()).await;
    let before = dashboard(app).await;
    // Half the people who came: two by the manager, one by herself.
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    for email in ["karim@garage-benali.fr", "paul@martin-plomberie.fr"] {
        let (status, html) = erase_by_staff(&mut m, email).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("data-outcome=\"done\""));
    }
    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let (status, html) = marie.page("/compte/donnees/effacer").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"erase-form\""));
    let (status, location, _) = marie
        .submit("/compte/donnees/effacer", &[("confirm", "on")])
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/confidentialite?efface=1");
    // Her session ended with her account.
    assert_ne!(marie.page("/compte").await.0, 200);
    assert_ne!(Browser::new(app).await.login(MARIE, PW).await.status(), 303);

    let after = dashboard(app).await;
    assert_eq!(before, after, "dashboard figures changed");
    for who in ["Karim Benali", "Paul Martin", "Marie Dupont"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM workshop_registrations WHERE name = '{who}'"
            ))
            .await,
            0,
            "{who}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'marie@boulangerie-dupont.fr'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM coaching_requests WHERE email LIKE 'marie@%'")
            .await,
        0
    );
    // Attendance stays: the erased people still count as present.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_registrations WHERE name = '[effacé]' AND attendance = 'present'")
            .await,
        2
    );
    // A business: its name goes, its sector, size and territory stay.
    // Her business, once its coaching request is done (an open one holds it).
    let id = app
        .count("SELECT id FROM businesses WHERE name = 'Boulangerie Dupont'")
        .await;
    sqlx::query("UPDATE coaching_requests SET status = 'done' WHERE business_id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let name_before: String = sqlx::query_scalar("SELECT name FROM businesses WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let profile = format!("SELECT COUNT(*) FROM businesses WHERE id = {id} AND sector_code IS NOT NULL AND commune_code IS NOT NULL");
    assert_eq!(app.count(&profile).await, 1);
    let (status, _, html) = m
        .submit(
            "/admin/donnees-personnelles/entreprise",
            &[("business_id", &id.to_string()), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    let name_after: String = sqlx::query_scalar("SELECT name FROM businesses WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(name_before, name_after);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE business_name = '{}'",
            name_before.replace('\'', "''")
        ))
        .await,
        0
    );
    assert_eq!(app.count(&profile).await, 1);
    assert_eq!(
        before,
        dashboard(app).await,
        "figures changed by a business erasure"
    );
}

async fn erasing_twice_or_unconfirmed_is_answered_clearly(app: &TestApp) {
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    // Without the confirmation box: nothing happens.
    let (status, _, html) = m
        .submit(
            "/admin/donnees-personnelles/effacer",
            &[("email", "sophie@fleurs-laurent.fr")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("data-outcome=\"unconfirmed\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_registrations WHERE name = 'Sophie Laurent'")
            .await,
        1
    );
    let (status, _) = erase_by_staff(&mut m, "sophie@fleurs-laurent.fr").await;
    assert_eq!(status, 200);
    let (status, html) = erase_by_staff(&mut m, "Sophie@Fleurs-Laurent.fr").await;
    assert_eq!(status, 409);
    assert!(html.contains("data-outcome=\"already\""));
    let (status, html) = erase_by_staff(&mut m, "personne@nulle-part.fr").await;
    assert_eq!(status, 404);
    assert!(html.contains("data-outcome=\"nothing\""));
    // The request page says so too.
    let (_, html) = m
        .page("/admin/donnees-personnelles/demande?email=sophie%40fleurs-laurent.fr")
        .await;
    assert!(html.contains("data-erased"));
    let (status, html) = m
        .page("/admin/donnees-personnelles/demande?email=pas-une-adresse")
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"email-error\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'erasure'")
            .await,
        1
    );
}

async fn legal_holds_block_erasure_with_the_reason(app: &TestApp) {
    let business = app
        .count("SELECT id FROM businesses WHERE name = 'Boulangerie Dupont'")
        .await;
    let marie_id = app
        .count(&format!("SELECT id FROM users WHERE email = '{MARIE}'"))
        .await;
    builders::published_need(app, business, marie_id, "Site de commande en ligne").await;
    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let (_, html) = marie.page("/compte/donnees/effacer").await;
    assert!(html.contains("data-held"));
    assert!(html.contains("Site de commande en ligne"));
    let (status, _, html) = marie
        .submit("/compte/donnees/effacer", &[("confirm", "on")])
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("data-held"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE email = '{MARIE}'"
        ))
        .await,
        1
    );
    // The business: held by its open need (and its open coaching request).
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (status, _, html) = m
        .submit(
            "/admin/donnees-personnelles/entreprise",
            &[("business_id", &business.to_string()), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("data-outcome=\"held\""));
    assert!(html.contains("Site de commande en ligne"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'erasure_refused'")
            .await,
        1
    );
}

async fn retention_runs_once_across_two_servers_and_keeps_figures(app: &TestApp) {
    let before = dashboard(app).await;
    // The past demo session took place four years ago.
    let four_years = 4 * 365 * 24 * 3_600_000_i64;
    sqlx::query(
        "UPDATE workshop_sessions SET starts_at = starts_at - $1, ends_at = ends_at - $1 WHERE starts_at < $2",
    )
    .bind(four_years)
    .bind(tremplin::db::now_ms())
    .execute(&app.db.pool)
    .await
    .unwrap();
    let moved = dashboard(app).await;
    let other = TestApp::spawn_on(&app.database_url, &app.data_dir).await;
    // A day to come, so the servers' own ticks have not claimed it.
    let day = tremplin::db::now_ms() + 3 * 24 * 3_600_000;
    let (a, b) = tokio::join!(
        tremplin::privacy::retention_run(&app.db, day, "a"),
        tremplin::privacy::retention_run(&other.db, day, "b"),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.is_some() ^ b.is_some(), "{a:?} {b:?}");
    let report = a.or(b).unwrap();
    assert!(report.contains("registrations: 4 people"), "{report}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_registrations WHERE name = 'Karim Benali'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'retention_run'")
            .await,
        // Start-up ticks ran today's run (finding nothing old then) on each server.
        app.count("SELECT COUNT(*) FROM privacy_runs").await
    );
    assert_eq!(moved, dashboard(app).await, "retention changed the figures");
    let _ = before;
    // The manager sees the report.
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (_, html) = m.page("/admin/donnees-personnelles").await;
    assert!(html.contains("registrations: 4 people"));
    other.finish().await;
}

async fn follow_up_files_are_exported_and_erased_keeping_their_figures(app: &TestApp) {
    // Her export holds her bakery's file: summary, activities, observations, referral, hours.
    let mut marie = Browser::signed_in(app, MARIE, PW).await;
    let json: serde_json::Value = marie
        .get("/compte/donnees.json")
        .await
        .json()
        .await
        .unwrap();
    let cases = export_table(&json, "cases", "cases");
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert!(cases[0]["summary"]
        .as_str()
        .unwrap()
        .contains("fichier clients"));
    assert!(!export_table(&json, "cases", "case_activities").is_empty());
    assert_eq!(export_table(&json, "cases", "case_observations").len(), 2);
    assert_eq!(export_table(&json, "cases", "case_hours").len(), 1);
    assert_eq!(export_table(&json, "cases", "referrals").len(), 1);
    // Karim's export has none of it.
    let mut a = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let karim: serde_json::Value = a
        .get("/admin/donnees-personnelles/demande.json?email=karim%40garage-benali.fr")
        .await
        .json()
        .await
        .unwrap();
    assert!(export_table(&karim, "cases", "cases").is_empty());

    // The file is open and she is the bakery's only contact: answered clearly, nothing erased.
    let (status, html) = marie.page("/compte/donnees/effacer").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("data-held") && html.contains("Boulangerie Dupont"),
        "{html}"
    );
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (status, html) = erase_by_staff(&mut m, MARIE).await;
    assert_eq!(status, 409);
    assert!(html.contains("data-outcome=\"held\""));
    assert!(html.contains("Boulangerie Dupont"));

    // Closed, she is erased: the free text and observations go, the figures stay.
    close_files_of(app, "Boulangerie Dupont", tremplin::db::now_ms()).await;
    let figures =
        "SELECT CAST(COUNT(*) * 1000000 + SUM(a.minutes) AS BIGINT) FROM case_activities a";
    let minutes = app.count(figures).await;
    let hours = app
        .count("SELECT CAST(SUM(delivered_minutes) AS BIGINT) FROM case_hours")
        .await;
    let before = dashboard(app).await;
    let (status, html) = erase_by_staff(&mut m, MARIE).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(before, dashboard(app).await, "figures changed");
    assert_eq!(app.count(figures).await, minutes);
    assert_eq!(
        app.count("SELECT CAST(SUM(delivered_minutes) AS BIGINT) FROM case_hours")
            .await,
        hours
    );
    let bakery = "(SELECT id FROM cases WHERE business_id = (SELECT id FROM businesses WHERE name = 'Boulangerie Dupont'))";
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM cases WHERE id IN {bakery} AND summary = '' AND status = 'closed' AND outcome = 'goals-met'"))
            .await,
        1
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM case_activities WHERE case_id IN {bakery} AND (body <> '' OR attendees <> '' OR place <> '')"))
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM case_observations").await, 0);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM referrals WHERE case_id IN {bakery} AND note = '' AND answer = '' AND status = 'taken-up'"))
            .await,
        app.count(&format!("SELECT COUNT(*) FROM referrals WHERE case_id IN {bakery}"))
            .await
    );
    // Erasing twice is answered clearly.
    let (status, html) = erase_by_staff(&mut m, MARIE).await;
    assert_eq!(status, 409);
    assert!(html.contains("data-outcome=\"already\""));
}

async fn an_open_grant_application_holds_the_business_and_its_only_contact(app: &TestApp) {
    let business = app
        .count("SELECT id FROM businesses WHERE name = 'Boulangerie Dupont'")
        .await;
    close_files_of(app, "Boulangerie Dupont", tremplin::db::now_ms()).await;
    sqlx::query("UPDATE coaching_requests SET status = 'done' WHERE business_id = $1")
        .bind(business)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let scheme = app.count("SELECT MIN(id) FROM funding_schemes").await;
    builders::application(business, scheme)
        .project("Four connecté")
        .submitted()
        .create(app)
        .await;
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (status, _, html) = m
        .submit(
            "/admin/donnees-personnelles/entreprise",
            &[("business_id", &business.to_string()), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("data-outcome=\"held\""));
    let (status, html) = erase_by_staff(&mut m, MARIE).await;
    assert_eq!(status, 409, "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM funding_applications WHERE project = 'Four connecté'")
            .await,
        1
    );
    // Paid: the hold is lifted, the project's text goes, its amounts stay.
    sqlx::query("UPDATE funding_applications SET status = 'paid', obtained_cents = 150000 WHERE business_id = $1")
        .bind(business)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, _, html) = m
        .submit(
            "/admin/donnees-personnelles/entreprise",
            &[("business_id", &business.to_string()), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM funding_applications WHERE project = '' AND obtained_cents = 150000 AND status = 'paid'")
            .await,
        1
    );
}

async fn retention_covers_files_accounts_and_every_kind(app: &TestApp) {
    let day = 24 * 3_600_000_i64;
    let now = tremplin::db::now_ms();
    // The bakery's file closed, and an owner's account last seen, three
    // years ago less two days: kept today (each server's own daily run
    // leaves them), expired at the run five days from now.
    let expiring = now - 36 * tremplin::privacy::model::MONTH_MS + 2 * day;
    close_files_of(app, "Boulangerie Dupont", expiring).await;
    let owner = "ancien-compte@exemple.fr";
    tremplin::cli::create_user(
        &app.db,
        owner,
        "Ancien Compte",
        PW,
        &["business".to_string()],
    )
    .await
    .unwrap();
    sqlx::query("UPDATE users SET created_at = $1, updated_at = $1 WHERE email = $2")
        .bind(expiring)
        .bind(owner)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1)")
        .bind(owner)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let before = dashboard(app).await;
    let other = TestApp::spawn_on(&app.database_url, &app.data_dir).await;
    let at = now + 5 * day;
    let (a, b) = tokio::join!(
        tremplin::privacy::retention_run(&app.db, at, "a"),
        tremplin::privacy::retention_run(&other.db, at, "b"),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.is_some() ^ b.is_some(), "{a:?} {b:?}");
    let report = a.or(b).unwrap();
    for kind in [
        "registrations:",
        "contact:",
        "cases: 1 files",
        "testimonies:",
        "diagnostics:",
        "needs:",
        "directory:",
        "accounts: 1 erased",
        "businesses:",
    ] {
        assert!(report.contains(kind), "{kind} in {report}");
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE email = '{owner}'"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM cases WHERE status = 'closed' AND summary <> ''")
            .await,
        0
    );
    assert_eq!(
        before,
        dashboard(app).await,
        "retention changed the figures"
    );
    // Run again the same day: nothing more.
    assert!(tremplin::privacy::retention_run(&other.db, at, "b")
        .await
        .unwrap()
        .is_none());
    other.finish().await;
}
