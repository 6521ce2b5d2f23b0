//! Calls for projects: mails to jurors and applicants, English pages, the API.

use super::*;

both_databases!(
    jurors_hear_when_a_call_closes_and_applicants_hear_the_decision,
    the_calls_pages_speak_english,
    the_calls_api_lists_published_calls_with_their_grid,
);

async fn jurors_hear_when_a_call_closes_and_applicants_hear_the_decision(app: &TestApp) {
    // An adviser who reads English.
    let english = {
        let mut tx = app.db.begin_write().await.unwrap();
        let id = tremplin::auth::store::create_user(
            &mut tx,
            &tremplin::auth::store::NewUser {
                email: "juror@example.org",
                name: "Jo Juror",
                password_hash: "",
                locale: "en",
                verified_at: None,
            },
        )
        .await
        .unwrap();
        tremplin::auth::store::grant_role(&mut tx, id, tremplin::auth::Role::Adviser, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let business = app
        .count("SELECT MIN(business_id) FROM business_members")
        .await;
    let owner = user_id(app, OWNER).await;
    let text = |title: &str| ApplicationText {
        title: title.into(),
        project: "Un projet décrit assez longuement pour être déposé.".into(),
        submit: true,
    };
    // A call that closed on 2026-03-01, with an application and three jurors.
    let jurors = vec![
        user_id(app, JUROR_A).await,
        user_id(app, JUROR_B).await,
        english,
    ];
    let closed = call_with_jury(app, "2026-01-01", "2026-03-01", jurors).await;
    let AppSaved::Done(winner) =
        store::save_application(&app.db, closed, business, owner, 0, &text("Four solaire"))
            .await
            .unwrap()
    else {
        panic!("not saved")
    };
    // A call closed long ago stays quiet.
    open_call(app, "2025-01-01", "2025-06-30").await;
    let now = tremplin::db::now_ms();
    let base = "https://tremplin.example";
    // The day of the deadline: still open, nobody told.
    let n = store::mail_closed_juries(&app.db, base, "2026-03-01", "2026-02-15", now)
        .await
        .unwrap();
    assert_eq!(n, 0);
    // The next day: each juror of the closed call gets one mail.
    let n = store::mail_closed_juries(&app.db, base, "2026-03-02", "2026-02-16", now)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let jury = mails(app, "calls.jury").await;
    let to: Vec<&str> = jury.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(to, [JUROR_A, "juror@example.org", JUROR_B]);
    let (_, subject, body) = &jury[0];
    assert!(subject.contains("Trophées de l'artisanat") && subject.contains("est clos"));
    assert!(body.contains("Candidatures déposées à noter : 1"), "{body}");
    assert!(body.contains("https://tremplin.example/jury"));
    let (_, subject, body) = &jury[1];
    assert!(
        subject.contains("Craft trophies") && subject.contains("has closed"),
        "{subject}"
    );
    assert!(
        body.contains("Hello Jo Juror,") && body.contains("Submitted applications to score: 1")
    );
    // Another pass (or another server): nothing more; the old call never.
    let n = store::mail_closed_juries(&app.db, base, "2026-03-03", "2026-02-17", now)
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(mails(app, "calls.jury").await.len(), 3);

    // The decision reaches the applicant: awarded, through the manager's page.
    let mut manager = Browser::signed_in(app, MANAGER, PW).await;
    let version = store::application(&app.db, winner)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();
    let winner_s = winner.to_string();
    let (status, _, _) = manager
        .submit(
            &format!("/admin/appels/{closed}/decision"),
            &[
                ("application", winner_s.as_str()),
                ("version", version.as_str()),
                ("decision", "awarded"),
                ("amount", ""),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let awarded = mails(app, "calls.awarded").await;
    assert_eq!(awarded.len(), 1);
    let (to, subject, body) = &awarded[0];
    assert_eq!(to, OWNER);
    assert!(subject.contains("Trophées de l'artisanat") && subject.contains("retenue"));
    assert!(
        body.contains("le jury a retenu votre candidature"),
        "{body}"
    );
    // The link to the call, on the site's own address.
    assert!(body.contains(&format!("/appels/{closed}\n")), "{body}");
    // Not selected: its own mail; a second click sends nothing more.
    let other = open_call(app, "2026-01-01", "2026-03-01").await;
    let AppSaved::Done(loser) =
        store::save_application(&app.db, other, business, owner, 0, &text("Vitrine"))
            .await
            .unwrap()
    else {
        panic!("not saved")
    };
    let row = store::application(&app.db, loser).await.unwrap().unwrap();
    let refuse = Decision {
        to: AppStatus::NotSelected,
        scheme: None,
        amount: None,
        today: "2026-03-05",
        by: None,
        base_url: base,
    };
    for _ in 0..2 {
        store::decide(&app.db, &row, row.version, &refuse)
            .await
            .unwrap();
    }
    let refused = mails(app, "calls.not-selected").await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, OWNER);
    assert!(refused[0].2.contains("n'a pas été retenue"));
    assert_eq!(mails(app, "calls.awarded").await.len(), 1);
}

async fn the_calls_pages_speak_english(app: &TestApp) {
    let call = open_call(app, "2020-01-01", "2099-12-31").await;
    let closed = open_call(app, "2020-01-01", "2020-12-31").await;

    // Public pages.
    let mut visitor = Browser::new(app).await;
    in_english(&mut visitor);
    let (status, list) = visitor.page("/appels").await;
    assert_eq!(status, 200);
    assert!(list.contains("Calls for projects and trophies"));
    assert!(list.contains("Craft trophies") && list.contains("Open for applications"));
    assert!(!list.contains("Trophées de l'artisanat") && !list.contains("Appels à projets"));
    let (_, show) = visitor.page(&format!("/appels/{call}")).await;
    assert!(show.contains("Criteria and scoring grid") && show.contains("Local impact"));
    assert!(show.contains("Maximum points"));

    // The owner applies in English: labels, the too-short refusal, the
    // deadline refusal.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    in_english(&mut marie);
    let apply = format!("/appels/{call}/candidature");
    let (_, form) = marie.page(&apply).await;
    assert!(form.contains("Save the draft") && form.contains(">Submit<"));
    assert!(form.contains("Project description"));
    let (status, _, html) = marie
        .submit(
            &apply,
            &[
                ("version", "0"),
                ("title", "Solar oven"),
                ("project", "Too short"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Enter at least 20 characters."), "{html}");
    assert!(html.contains("Too short</textarea>"));
    let (status, _, html) = marie
        .submit(
            &format!("/appels/{closed}/candidature"),
            &[
                ("version", "0"),
                ("title", "Shared workshop"),
                (
                    "project",
                    "A workshop shared by three craftspeople of the village.",
                ),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(shows(
        &html,
        "Applications are not open: the deadline has passed or the call has not opened yet."
    ));
    assert!(!html.contains("la date limite est passée"));

    // The manager's form in English, with its refusals.
    let mut manager = Browser::signed_in(app, MANAGER, PW).await;
    in_english(&mut manager);
    let (_, html) = manager.page("/admin/appels/nouveau").await;
    assert!(html.contains("Title (English)") && html.contains("Save the call"));
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
    assert!(html.contains("The deadline must be on or after the opening day."));
    assert!(html.contains("Type a whole number of points from 1 to 100."));

    // A juror's sheet in English, and a score off the grid.
    let business = app
        .count("SELECT MIN(business_id) FROM business_members")
        .await;
    let AppSaved::Done(app_id) = store::save_application(
        &app.db,
        call,
        business,
        user_id(app, OWNER).await,
        0,
        &ApplicationText {
            title: "Solar oven".into(),
            project: "A bread oven heated by a solar concentrator.".into(),
            submit: true,
        },
    )
    .await
    .unwrap() else {
        panic!("not saved")
    };
    let mut juror = Browser::signed_in(app, JUROR_A, PW).await;
    in_english(&mut juror);
    let (_, jury) = juror.page("/jury").await;
    assert!(jury.contains("Applications to the calls you sit on the jury of."));
    assert!(jury.contains("To score"));
    let sheet = format!("/jury/candidatures/{app_id}");
    let (_, html) = juror.page(&sheet).await;
    assert!(html.contains("Score sheet") && html.contains("Submit my sheet"));
    let (status, _, html) = juror
        .submit(
            &sheet,
            &[
                ("version", "0"),
                ("points", "25"),
                ("points", "4"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("“Innovation”: the score must be a whole number from 0 to 20."),
        "{html}"
    );

    // A decision read at an old version: the English conflict message.
    let app_s = app_id.to_string();
    let (status, _, html) = manager
        .submit(
            &format!("/admin/appels/{call}/decision"),
            &[
                ("application", app_s.as_str()),
                ("version", "0"),
                ("decision", "awarded"),
                ("amount", ""),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("This application was already decided or changed meanwhile."));
    let (_, html) = manager.page(&format!("/admin/appels/{call}")).await;
    assert!(html.contains("Jury sheets (total)") && html.contains("Record the decision"));
}

async fn the_calls_api_lists_published_calls_with_their_grid(app: &TestApp) {
    let open = open_call(app, "2020-01-01", "2099-12-31").await;
    let closed = open_call(app, "2020-01-01", "2020-06-30").await;
    let draft = store::insert_call(
        &app.db,
        &ValidCall {
            kind: Kind::CallForProjects,
            status: CallStatus::Draft,
            title_fr: "Appel pas encore relu".into(),
            title_en: String::new(),
            description_fr: String::new(),
            description_en: String::new(),
            opens_on: "2020-01-01".into(),
            closes_on: "2099-12-31".into(),
            funding_scheme_id: None,
            criteria: Some(vec![]),
            jurors: vec![],
        },
        None,
    )
    .await
    .unwrap();

    // The list: published calls only, each with its phase and grid.
    let (status, list) = api(app, "/api/v1/calls").await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&open) && ids.contains(&closed), "{list}");
    assert!(!ids.contains(&draft), "{list}");
    let (_, open_only) = api(app, "/api/v1/calls?phase=open").await;
    let ids: Vec<i64> = open_only
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&open) && !ids.contains(&closed), "{open_only}");

    // One call, in French then in English.
    let (status, call) = api(app, &format!("/api/v1/calls/{open}")).await;
    assert_eq!(status, 200);
    assert_eq!(call["title"], "Trophées de l'artisanat");
    assert_eq!(call["kind"], "trophy");
    assert_eq!(call["phase"], "open");
    assert_eq!(call["accepts_applications"], true);
    assert_eq!(call["max_points"], 30);
    assert_eq!(call["criteria"][1]["label"], "Impact local");
    assert_eq!(call["criteria"][1]["max_points"], 10);
    assert!(call["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/appels/{open}")));
    let (_, call) = api(app, &format!("en:/api/v1/calls/{open}")).await;
    assert_eq!(call["title"], "Craft trophies");
    assert_eq!(call["criteria"][1]["label"], "Local impact");
    let (_, call) = api(app, &format!("/api/v1/calls/{closed}")).await;
    assert_eq!(call["phase"], "closed");
    assert_eq!(call["accepts_applications"], false);

    // A draft or a missing call: a problem document, not found.
    for id in [draft, 999_999] {
        let (status, mime, _) = fetch_json(app, &format!("/api/v1/calls/{id}"), "fr").await;
        assert_eq!(status, 404);
        assert!(mime.starts_with("application/problem+json"), "{mime}");
    }

    // Both operations are in the OpenAPI document.
    let (_, doc) = api(app, "/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/calls"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/calls/{id}"]["get"].is_object());
}
