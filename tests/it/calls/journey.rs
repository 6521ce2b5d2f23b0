//! Calls for projects: from the grid to a funded winner, and what is refused.

use super::*;

both_databases!(
    a_call_goes_from_its_grid_to_a_funded_winner,
    bad_dates_late_applications_and_scores_off_the_grid_are_refused,
    two_saves_of_one_sheet_give_one_success_and_keep_the_other,
    an_award_and_its_grant_application_are_written_together,
);

async fn a_call_goes_from_its_grid_to_a_funded_winner(app: &TestApp) {
    let scheme = app.count("SELECT MIN(id) FROM funding_schemes").await;
    assert!(scheme > 0, "the demo has funding schemes");
    let (ja, jb) = (user_id(app, JUROR_A).await, user_id(app, JUROR_B).await);
    let mut manager = Browser::signed_in(app, MANAGER, PW).await;
    let (status, html) = manager.page("/accueil").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("href=\"/admin/appels\""),
        "linked from the manager's home"
    );

    // The manager creates the call with its grid and jury.
    let (status, _) = manager.page("/admin/appels/nouveau").await;
    assert_eq!(status, 200);
    let (ja_s, jb_s, scheme_s) = (ja.to_string(), jb.to_string(), scheme.to_string());
    let (status, location, _) = manager
        .submit(
            "/admin/appels/nouveau",
            &[
                ("version", "0"),
                ("kind", "call_for_projects"),
                ("status", "published"),
                ("title_fr", "Appel à projets Transition"),
                ("title_en", "Transition call for projects"),
                ("description_fr", "Projets de transition écologique."),
                ("opens_on", "2020-01-01"),
                ("closes_on", "2099-12-31"),
                ("funding_scheme", &scheme_s),
                ("crit_label_fr", "Innovation"),
                ("crit_label_en", ""),
                ("crit_max", "20"),
                ("crit_label_fr", "Impact local"),
                ("crit_label_en", "Local impact"),
                ("crit_max", "10"),
                ("crit_label_fr", ""),
                ("crit_label_en", ""),
                ("crit_max", ""),
                ("jurors", &ja_s),
                ("jurors", &jb_s),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let call: i64 = location
        .trim_start_matches("/admin/appels/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM call_criteria WHERE call_id = {call}"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM call_jurors WHERE call_id = {call}"
        ))
        .await,
        2
    );

    // Public pages: listed, reachable from the funding pages, criteria shown.
    let mut visitor = Browser::new(app).await;
    let (_, aides) = visitor.page("/aides").await;
    assert!(aides.contains("href=\"/appels\""));
    let (status, list) = visitor.page("/appels").await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!("data-call=\"{call}\" data-phase=\"open\"")));
    let (_, show) = visitor.page(&format!("/appels/{call}")).await;
    assert!(show.contains("Impact local") && show.contains("<td>30</td>"));
    assert!(show.contains("tabindex=\"0\" role=\"region\""));

    // The business owner saves a draft, finds it again, then submits.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let apply = format!("/appels/{call}/candidature");
    let (status, form) = marie.page(&apply).await;
    assert_eq!(status, 200);
    assert!(form.contains("Enregistrer le brouillon") && form.contains(">Déposer<"));
    let (status, location, _) = marie
        .submit(
            &apply,
            &[
                ("version", &hidden(&form, "version")),
                ("title", "Four solaire"),
                ("project", ""),
                ("action", "draft"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{apply}?enregistre=brouillon"))
    );
    let (_, list) = marie.page("/appels").await;
    assert!(list.contains(&format!(
        "data-my-application=\"{call}\" data-status=\"draft\""
    )));
    let (_, form) = marie.page(&apply).await;
    assert!(
        form.contains("value=\"Four solaire\""),
        "the draft is resumed"
    );
    let version = hidden(&form, "version");
    // Submitting needs a description: refused, what was typed kept.
    let (status, _, html) = marie
        .submit(
            &apply,
            &[
                ("version", &version),
                ("title", "Four solaire"),
                ("project", "Trop court"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Trop court</textarea>"));
    assert!(html.contains("value=\"Four solaire\""));
    let project =
        "Un four à pain chauffé par concentrateur solaire, pour réduire la facture de gaz.";
    let (status, _, _) = marie
        .submit(
            &apply,
            &[
                ("version", &version),
                ("title", "Four solaire"),
                ("project", project),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, form) = marie.page(&apply).await;
    assert!(form.contains("id=\"application-readonly\""));
    assert!(
        !form.contains("id=\"apply-form\""),
        "submitted: no longer editable"
    );
    let app_id = app
        .count(&format!(
            "SELECT id FROM call_applications WHERE call_id = {call} AND status = 'submitted'"
        ))
        .await;
    assert!(app_id > 0);

    // Each juror scores alone; nobody else's sheet shows before submitting.
    let sheet = format!("/jury/candidatures/{app_id}");
    let mut a = Browser::signed_in(app, JUROR_A, PW).await;
    let (_, jury) = a.page("/jury").await;
    assert!(jury.contains(&format!(
        "data-application=\"{app_id}\" data-sheet=\"todo\""
    )));
    let (status, html) = a.page(&sheet).await;
    assert_eq!(status, 200);
    let (status, _, _) = a
        .submit(
            &sheet,
            &[
                ("version", &hidden(&html, "version")),
                ("points", "15"),
                ("points", "8"),
                ("comment", "Solide."),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let mut b = Browser::signed_in(app, JUROR_B, PW).await;
    let (_, html) = b.page(&sheet).await;
    assert!(
        !html.contains("id=\"jury-average\""),
        "alone until submitted"
    );
    assert!(!html.contains("Solide."));
    let (status, _, _) = b
        .submit(
            &sheet,
            &[
                ("version", &hidden(&html, "version")),
                ("points", "12"),
                ("points", "6"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = b.page(&sheet).await;
    assert!(html.contains("value=\"12\""), "saved, not yet submitted");
    let (status, _, _) = b
        .submit(
            &sheet,
            &[
                ("version", &hidden(&html, "version")),
                ("points", "12"),
                ("points", "6"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = b.page(&sheet).await;
    assert!(html.contains("id=\"sheet-final\""));
    assert!(html.contains("data-my-total=\"18\""));
    assert!(
        html.contains("Fiches validées : 2 · moyenne du jury : 20,5"),
        "{html}"
    );
    // Someone outside the programme's staff is refused the sheet.
    let mut speaker = Browser::signed_in(app, SPEAKER, PW).await;
    assert_eq!(speaker.page(&sheet).await.0, 403);

    // The manager's page: totals by hand, 15 + 8 + 12 + 6 = 41; the
    // average of 23 and 18 is 20.5.
    let (status, html) = manager.page(&format!("/admin/appels/{call}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(
        "data-application=\"{app_id}\" data-status=\"submitted\""
    )));
    assert!(html.contains("data-total=\"41\""), "{html}");
    assert!(html.contains("data-average=\"20,5\""));
    assert!(html.contains(": 23</li>") && html.contains(": 18</li>"));
    let version = app
        .count(&format!(
            "SELECT version FROM call_applications WHERE id = {app_id}"
        ))
        .await
        .to_string();
    let app_s = app_id.to_string();

    // The award: an obtained grant application for the business.
    let decision = [
        ("application", app_s.as_str()),
        ("version", version.as_str()),
        ("decision", "awarded"),
        ("amount", "5 000"),
    ];
    let (status, _, _) = manager
        .submit(&format!("/admin/appels/{call}/decision"), &decision)
        .await;
    assert_eq!(status, 303);
    let business = app
        .count(&format!(
            "SELECT business_id FROM call_applications WHERE id = {app_id}"
        ))
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM funding_applications WHERE business_id = {business} AND scheme_id = {scheme} \
             AND status = 'obtained' AND obtained_cents = 500000"
        ))
        .await,
        1
    );
    let funded = app
        .count(&format!(
            "SELECT funding_application_id FROM call_applications WHERE id = {app_id} AND status = 'awarded'"
        ))
        .await;
    assert!(funded > 0);
    // The same decision again (a second click, a second tab): refused, no
    // second grant application.
    let (status, _, html) = manager
        .submit(&format!("/admin/appels/{call}/decision"), &decision)
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("id=\"calls-refused\""));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM funding_applications WHERE business_id = {business} AND scheme_id = {scheme} AND status = 'obtained'"
        ))
        .await,
        1
    );
    // The business sees it with its other grant applications.
    let (_, mine) = marie.page("/mes-aides").await;
    assert!(mine.contains(&format!("id=\"app-{funded}\" data-status=\"obtained\"")));
    let (_, show) = marie.page(&format!("/appels/{call}")).await;
    assert!(show.contains("data-status=\"awarded\""));
}

async fn bad_dates_late_applications_and_scores_off_the_grid_are_refused(app: &TestApp) {
    let mut manager = Browser::signed_in(app, MANAGER, PW).await;
    // A deadline before the opening, and a criterion worth too much.
    let (status, _, html) = manager
        .submit(
            "/admin/appels/nouveau",
            &[
                ("version", "0"),
                ("kind", "trophy"),
                ("status", "published"),
                ("title_fr", "Trophées de l'apprentissage"),
                ("opens_on", "2027-03-01"),
                ("closes_on", "2027-02-01"),
                ("crit_label_fr", "Pédagogie"),
                ("crit_max", "150"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("La date limite doit être le jour de l&#39;ouverture ou après")
            || html.contains("La date limite doit être le jour de l'ouverture ou après")
    );
    assert!(html.contains("points de 1 à 100"), "{html}");
    assert!(html.contains("id=\"crit-max-0-error\""));
    assert!(html.contains("value=\"2027-02-01\"") && html.contains("value=\"150\""));
    assert!(html.contains("value=\"Pédagogie\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 0);

    // Applying after the deadline: refused, the text kept.
    let closed = open_call(app, "2020-01-01", "2020-12-31").await;
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let (_, show) = marie.page(&format!("/appels/{closed}")).await;
    assert!(show.contains("id=\"call-not-open\""));
    let (status, _, html) = marie
        .submit(
            &format!("/appels/{closed}/candidature"),
            &[
                ("version", "0"),
                ("title", "Atelier partagé"),
                (
                    "project",
                    "Un atelier partagé entre trois artisans du bourg.",
                ),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("id=\"calls-refused\""));
    assert!(html.contains("la date limite est passée"));
    assert!(html.contains("Un atelier partagé entre trois artisans du bourg.</textarea>"));
    assert_eq!(app.count("SELECT COUNT(*) FROM call_applications").await, 0);

    // Scores outside the grid: refused, named, typed values kept.
    let call = open_call(app, "2020-01-01", "2099-12-31").await;
    let business = app
        .count("SELECT MIN(business_id) FROM business_members")
        .await;
    let saved = store::save_application(
        &app.db,
        call,
        business,
        user_id(app, OWNER).await,
        0,
        &ApplicationText {
            title: "Vitrine".into(),
            project: "Refaire la vitrine avec un éclairage sobre.".into(),
            submit: true,
        },
    )
    .await
    .unwrap();
    let AppSaved::Done(app_id) = saved else {
        panic!("{saved:?}")
    };
    let mut juror = Browser::signed_in(app, JUROR_A, PW).await;
    let sheet = format!("/jury/candidatures/{app_id}");
    let (status, _, html) = juror
        .submit(
            &sheet,
            &[
                ("version", "0"),
                ("points", "25"),
                ("points", "4"),
                ("comment", "Très bien"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("« Innovation » : la note doit être un nombre entier de 0 à 20."),
        "{html}"
    );
    assert!(html.contains("href=\"#points-0\""));
    assert!(html.contains("value=\"25\"") && html.contains("value=\"4\""));
    assert!(html.contains("Très bien</textarea>"));
    // Staff who are not on this call's jury are refused the sheet.
    sqlx::query("DELETE FROM call_jurors WHERE call_id = $1 AND user_id = $2")
        .bind(call)
        .bind(user_id(app, JUROR_B).await)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let mut outsider = Browser::signed_in(app, JUROR_B, PW).await;
    assert_eq!(outsider.page(&sheet).await.0, 403);
    // Submitting with a criterion left empty names it.
    let (status, _, html) = juror
        .submit(
            &sheet,
            &[
                ("version", "0"),
                ("points", "12"),
                ("points", ""),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("« Impact local » : indiquez une note"));
    assert_eq!(app.count("SELECT COUNT(*) FROM call_sheets").await, 0);
    // A draft is not shown to the jury.
    let draft_call = open_call(app, "2020-01-01", "2099-12-31").await;
    let draft = store::save_application(
        &app.db,
        draft_call,
        business,
        user_id(app, OWNER).await,
        0,
        &ApplicationText {
            title: String::new(),
            project: String::new(),
            submit: false,
        },
    )
    .await
    .unwrap();
    let AppSaved::Done(draft) = draft else {
        panic!("{draft:?}")
    };
    assert_eq!(
        juror.page(&format!("/jury/candidatures/{draft}")).await.0,
        404
    );
    let row = store::application(&app.db, draft).await.unwrap().unwrap();
    assert_eq!(row.status(), AppStatus::Draft);
}

async fn two_saves_of_one_sheet_give_one_success_and_keep_the_other(app: &TestApp) {
    let call = open_call(app, "2020-01-01", "2099-12-31").await;
    let business = app
        .count("SELECT MIN(business_id) FROM business_members")
        .await;
    let owner = user_id(app, OWNER).await;
    let text = ApplicationText {
        title: "Camion magasin".into(),
        project: "Une tournée hebdomadaire dans les hameaux sans commerce.".into(),
        submit: true,
    };
    let AppSaved::Done(app_id) = store::save_application(&app.db, call, business, owner, 0, &text)
        .await
        .unwrap()
    else {
        panic!("not saved")
    };
    // The same juror in two tabs, both read at the same version.
    let sheet = format!("/jury/candidatures/{app_id}");
    let mut one = Browser::signed_in(app, JUROR_A, PW).await;
    let mut two = Browser::signed_in(app, JUROR_A, PW).await;
    for round in 0..3 {
        let (_, html) = one.page(&sheet).await;
        let version = hidden(&html, "version");
        let (p1, p2) = (format!("{}", 10 + round), format!("{}", 3 + round));
        let f1 = [
            ("version", version.as_str()),
            ("points", p1.as_str()),
            ("points", "5"),
            ("action", "save"),
        ];
        let f2 = [
            ("version", version.as_str()),
            ("points", "17"),
            ("points", p2.as_str()),
            ("comment", "Deuxième onglet"),
            ("action", "save"),
        ];
        let (r1, r2) = tokio::join!(one.submit(&sheet, &f1), two.submit(&sheet, &f2));
        let statuses = [r1.0, r2.0];
        assert!(
            statuses.contains(&303) && statuses.contains(&409),
            "round {round}: {statuses:?}"
        );
        let (loser, typed) = if r1.0 == 409 {
            (&r1.2, &p1)
        } else {
            (&r2.2, &p2)
        };
        assert!(loser.contains("id=\"sheet-refused\""));
        assert!(loser.contains("Rien n&#39;a été écrasé") || loser.contains("Rien n'a été écrasé"));
        assert!(
            loser.contains(&format!("value=\"{typed}\"")),
            "typed values shown back"
        );
        assert!(loser.contains("data-saved-now="), "next to the saved ones");
        // Saving again from the refused form now goes through.
        let winner_version = app
            .count(&format!(
                "SELECT version FROM call_sheets WHERE application_id = {app_id}"
            ))
            .await;
        assert_eq!(hidden(loser, "version"), winner_version.to_string());
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM call_scores WHERE application_id = {app_id}"
        ))
        .await,
        2,
        "one sheet's points, never a mix"
    );
    // The store alone: two saves at one version, one goes through.
    let juror_b = user_id(app, JUROR_B).await;
    for version in [0, 1] {
        let grid = store::criteria(&app.db, call).await.unwrap();
        let sheet = |points: i64| ValidSheet {
            points: vec![(grid[0].id, points)],
            comment: String::new(),
            submit: false,
        };
        let (s1, s2) = (sheet(4), sheet(9));
        let (x, y) = tokio::join!(
            store::save_sheet(&app.db, app_id, juror_b, version, &s1),
            store::save_sheet(&app.db, app_id, juror_b, version, &s2)
        );
        let results = [x.unwrap(), y.unwrap()];
        assert!(
            results.contains(&SheetSaved::Done) && results.contains(&SheetSaved::Stale),
            "{results:?}"
        );
    }
}

async fn an_award_and_its_grant_application_are_written_together(app: &TestApp) {
    let scheme = app.count("SELECT MIN(id) FROM funding_schemes").await;
    let call = open_call(app, "2020-01-01", "2099-12-31").await;
    let business = app
        .count("SELECT MIN(business_id) FROM business_members")
        .await;
    let text = ApplicationText {
        title: "Atelier vélo".into(),
        project: "Un atelier de réparation de vélos ouvert aux habitants.".into(),
        submit: true,
    };
    let AppSaved::Done(app_id) =
        store::save_application(&app.db, call, business, user_id(app, OWNER).await, 0, &text)
            .await
            .unwrap()
    else {
        panic!("not saved")
    };
    let grants =
        format!("SELECT COUNT(*) FROM funding_applications WHERE business_id = {business}");
    let row = store::application(&app.db, app_id).await.unwrap().unwrap();
    let award = |scheme: i64| Decision {
        to: AppStatus::Awarded,
        scheme: Some(scheme),
        amount: None,
        today: "2026-03-02",
        by: None,
        base_url: "https://tremplin.example",
    };
    // The grant application cannot be written (its scheme is gone): the
    // award is not recorded either.
    let failed = store::decide(&app.db, &row, row.version, &award(scheme + 1_000_000)).await;
    assert!(failed.is_err());
    let after = store::application(&app.db, app_id).await.unwrap().unwrap();
    assert_eq!(after.status(), AppStatus::Submitted);
    assert_eq!(after.version, row.version);
    assert_eq!(after.funding_application_id, None);
    assert_eq!(app.count(&grants).await, 0);
    // Decided again, it goes through once, with exactly one grant application.
    let done = store::decide(&app.db, &row, row.version, &award(scheme))
        .await
        .unwrap();
    let Decided::Done(Some(funded)) = done else {
        panic!("{done:?}")
    };
    assert_eq!(
        store::decide(&app.db, &row, row.version, &award(scheme))
            .await
            .unwrap(),
        Decided::Stale
    );
    assert_eq!(app.count(&grants).await, 1);
    let after = store::application(&app.db, app_id).await.unwrap().unwrap();
    assert_eq!(after.status(), AppStatus::Awarded);
    assert_eq!(after.funding_application_id, Some(funded));
}
