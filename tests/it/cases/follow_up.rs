//! Follow-up files: referrals, the coaching inbox, reminders, closing with
//! T1, the API.

use super::*;

both_databases!(
    referrals_move_through_their_statuses_by_private_link,
    the_coaching_inbox_takes_declines_and_opens_files,
    reminders_and_digests_go_out_once_across_two_servers,
    closing_shows_the_gain_from_t0_to_t1,
    the_api_lists_gets_and_changes_files_with_a_version_check,
);

async fn referrals_move_through_their_statuses_by_private_link(app: &TestApp) {
    let biz = business(app, "Menuiserie Garcia et fils").await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let id = open_file(app, &mut adviser, biz, "", "").await;
    let body = id_of(app, "SELECT MIN(id) FROM referral_bodies").await;
    let email: String = sqlx::query_scalar(&format!(
        "SELECT email FROM referral_bodies WHERE id = {body}"
    ))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (status, _, _) = adviser
        .submit(
            &format!("/dossiers/{id}/orientations"),
            &[("body", &body.to_string()), ("note", "Projet de site")],
        )
        .await;
    assert_eq!(status, 303);
    let mail = app.last_mail_to(&email).await;
    let link = link_in(&mail.body_text, "http");
    let link = link[link.find("/orientation/").unwrap()..].to_string();
    let rid = id_of(
        app,
        &format!("SELECT id FROM referrals WHERE case_id = {id}"),
    )
    .await;

    // A forged link is refused.
    let mut visitor = Browser::new(app).await;
    let (status, _) = visitor
        .page("/orientation/forged-token-0123456789abcdef")
        .await;
    assert_eq!(status, 404);
    // The body answers without an account.
    let (status, html) = visitor.page(&link).await;
    assert_eq!(status, 200);
    assert!(html.contains("Menuiserie Garcia"));
    let (status, _, _) = visitor
        .submit(
            &link,
            &[
                ("status", "taken-up"),
                ("answer", "RDV pris"),
                ("link_version", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    // The same submission replayed is refused; nothing changes.
    let (status, _, html) = visitor
        .submit(&link, &[("status", "declined"), ("link_version", "1")])
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("data-referral-status"));
    let st: String = sqlx::query_scalar(&format!("SELECT status FROM referrals WHERE id = {rid}"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(st, "taken-up");
    // Taken up → back to sent is not a move a body may make.
    let (status, _, _) = visitor
        .submit(&link, &[("status", "sent"), ("link_version", "2")])
        .await;
    assert_eq!(status, 422);
    let (status, _, _) = visitor
        .submit(
            &link,
            &[
                ("status", "done"),
                ("answer", "Site livré"),
                ("link_version", "2"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let (_, html) = adviser.page(&format!("/dossiers/{id}")).await;
    assert!(html.contains("data-referral-status=\"done\""));
    assert!(html.contains("Site livré"));

    // Reopened: a new link, the old one stops working; reminders at D+9 once.
    let (status, _, _) = adviser
        .submit(&format!("/dossiers/{id}/orientations/{rid}/rouvrir"), &[])
        .await;
    assert_eq!(status, 303);
    let (status, _) = visitor.page(&link).await;
    assert_eq!(status, 404);
    let sent = id_of(
        app,
        &format!("SELECT sent_at FROM referrals WHERE id = {rid}"),
    )
    .await;
    let env_db = app.db.clone();
    let env = jobs::Env {
        db: &env_db,
        base_url: &app.base,
        programme: "Programme",
        timezone: "Europe/Paris",
        default: tremplin::i18n::Locale::Fr,
    };
    assert_eq!(
        jobs::referral_reminders(&env, sent + 8 * DAY_MS)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        jobs::referral_reminders(&env, sent + 10 * DAY_MS)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        jobs::referral_reminders(&env, sent + 10 * DAY_MS)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        jobs::referral_reminders(&env, sent + 46 * DAY_MS)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        id_of(
            app,
            &format!("SELECT reminders FROM referrals WHERE id = {rid}")
        )
        .await,
        2
    );
}

async fn the_coaching_inbox_takes_declines_and_opens_files(app: &TestApp) {
    // A requester asks to be called back from a diagnostic's results.
    let bank = diag::current_bank(&app.db).await.unwrap();
    let biz = business(app, "Menuiserie Garcia et fils").await;
    let (did, token) = diag::create(
        &app.db,
        &bank,
        &diag::NewDiagnostic {
            business_id: Some(biz),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    diag::submit(&app.db, did, &scores(40.0)).await.unwrap();
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor
        .page(&format!("/diagnostic/d/{token}/resultats"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/diagnostic/d/{token}/rappel")));
    let (status, _, html) = visitor
        .submit(
            &format!("/diagnostic/d/{token}/rappel"),
            &[("name", "Luis Garcia"), ("email", "pas-une-adresse")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Luis Garcia"));
    let (status, _, html) = visitor
        .submit(
            &format!("/diagnostic/d/{token}/rappel"),
            &[
                ("name", "Luis Garcia"),
                ("email", "luis@menuiserie.test"),
                ("phone", "0556000000"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("data-callback=\"done\""));
    let rid = id_of(
        app,
        "SELECT id FROM coaching_requests WHERE email = 'luis@menuiserie.test'",
    )
    .await;

    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (status, html) = adviser.page("/accompagnement/demandes").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("data-request=\"{rid}\"")));
    // Links never lead an adviser to a page they may not open.
    assert!(
        !html.contains("/admin/ateliers/"),
        "session pages are for managers"
    );
    // Declining needs a reason.
    let path = format!("/accompagnement/demandes/{rid}");
    let (status, _, _) = adviser
        .submit(&path, &[("action", "decline"), ("reason", "")])
        .await;
    assert_eq!(status, 422);
    let (status, _, _) = adviser.submit(&path, &[("action", "take")]).await;
    assert_eq!(status, 303);
    let mail = app.last_mail_to("luis@menuiserie.test").await;
    assert!(
        mail.body_text.contains("Karim Conseiller"),
        "{}",
        mail.body_text
    );
    assert!(id_of(app, &format!("SELECT COUNT(*) FROM coaching_requests WHERE id = {rid} AND first_contact_at IS NOT NULL")).await == 1);
    // Open a file from it, with a template.
    let (status, html) = adviser
        .page(&format!(
            "/dossiers/nouveau?origine=coaching-request&ref_id={rid}&entreprise={biz}"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("value=\"{rid}\"")));
    let t = template_id(app, "accompagnement-individuel").await;
    let (status, location, _) = adviser
        .submit(
            "/dossiers/nouveau",
            &[
                ("business", &biz.to_string()),
                ("template", &t),
                ("origin", "coaching-request"),
                ("origin_id", &rid.to_string()),
                (
                    "adviser",
                    &id_of(
                        app,
                        &format!("SELECT id FROM users WHERE email = '{ADVISER}'"),
                    )
                    .await
                    .to_string(),
                ),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let case_id = id_of(
        app,
        &format!("SELECT case_id FROM coaching_requests WHERE id = {rid}"),
    )
    .await;
    assert!(location.starts_with(&format!("/dossiers/{case_id}")));
    let st: String = sqlx::query_scalar(&format!(
        "SELECT status FROM coaching_requests WHERE id = {rid}"
    ))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(st, "file-opened");
    // A contact message about coaching lands in the inbox too; declined with a reason.
    let (status, _, _) = visitor
        .submit(
            "/contact",
            &[
                ("name", "Zoé Martin"),
                ("email", "zoe@exemple.test"),
                ("topic", "coaching"),
                ("message", "Je voudrais un accompagnement pour mon site."),
                ("consent", "on"),
            ],
        )
        .await;
    assert!(status == 303 || status == 200, "{status}");
    let zid = id_of(
        app,
        "SELECT id FROM coaching_requests WHERE email = 'zoe@exemple.test'",
    )
    .await;
    let (status, _, _) = adviser
        .submit(
            &format!("/accompagnement/demandes/{zid}"),
            &[
                ("action", "decline"),
                ("reason", "Hors du territoire du programme"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let mail = app
        .wait_mail_to("zoe@exemple.test", |m| {
            m.body_text.contains("Hors du territoire")
        })
        .await;
    assert!(mail.subject.contains("accompagnement"));
}

async fn reminders_and_digests_go_out_once_across_two_servers(app: &TestApp) {
    let biz = business(app, "Menuiserie Garcia et fils").await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let id = open_file(app, &mut adviser, biz, "", "").await;
    // A meeting tomorrow morning.
    let tomorrow = day_input(now_ms() + DAY_MS);
    let (status, _, _) = adviser
        .submit(
            &format!("/dossiers/{id}/activites"),
            &[
                ("kind", "meeting"),
                ("title", "Atelier devis"),
                ("due", &tomorrow),
                ("time", "23:30"),
                ("minutes", "60"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let aid = id_of(
        app,
        &format!("SELECT id FROM case_activities WHERE case_id = {id}"),
    )
    .await;
    let due = id_of(
        app,
        &format!("SELECT due_at FROM case_activities WHERE id = {aid}"),
    )
    .await;
    // Two servers on the same database run their jobs at the same moment.
    let other = Db::connect(&app.database_url, 2).await.unwrap();
    let at = due - 3_600_000;
    let week_later = at + 7 * DAY_MS;
    let (one, two) = (env(&app.db), env(&other));
    let (a, b) = tokio::join!(
        jobs::activity_reminders(&one, at),
        jobs::activity_reminders(&two, at)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one reminder for one activity");
    let (a, b) = tokio::join!(
        jobs::digests(&one, week_later),
        jobs::digests(&two, week_later)
    );
    let sent = a.unwrap() + b.unwrap();
    let advisers = id_of(app, "SELECT COUNT(DISTINCT adviser_id) FROM cases WHERE status <> 'closed' AND adviser_id IS NOT NULL").await;
    assert_eq!(sent as i64, advisers, "one digest per adviser");
    assert_eq!(
        id_of(
            app,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'cases.activity-reminder'"
        )
        .await,
        1
    );
    let mail = app
        .wait_mail_to(ADVISER, |m| m.subject.contains("Rappel"))
        .await;
    assert!(mail.body_text.contains("Atelier devis"));
    other.pool.close().await;
}

async fn closing_shows_the_gain_from_t0_to_t1(app: &TestApp) {
    let bank = diag::current_bank(&app.db).await.unwrap();
    let biz = business(app, "Menuiserie Garcia et fils").await;
    let new = diag::NewDiagnostic {
        business_id: Some(biz),
        ..Default::default()
    };
    let (t0, _) = diag::create(&app.db, &bank, &new).await.unwrap();
    diag::submit(&app.db, t0, &scores(30.0)).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let t = template_id(app, "suivi-4-mois").await;
    let id = open_file(app, &mut adviser, biz, &t, "").await;
    let (_, html) = adviser.page(&format!("/dossiers/{id}")).await;
    assert!(html.contains("data-event=\"diagnostic\""));
    assert!(html.contains("(T0)"));
    assert!(html.contains("data-t1=\"1\""), "a closing step proposes T1");
    // Ticking a plan step as done.
    let step = html
        .split("data-step=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(str::to_string);
    if let Some(step) = step {
        let (status, _, _) = adviser
            .submit(
                &format!("/dossiers/{id}/plan"),
                &[("step", &step), ("done_on", "2026-03-01")],
            )
            .await;
        assert_eq!(status, 303);
        let (_, html) = adviser.page(&format!("/dossiers/{id}")).await;
        assert!(html.contains(&format!("data-step=\"{step}\" data-done=\"1\"")));
    }
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (t1, _) = diag::create(&app.db, &bank, &new).await.unwrap();
    diag::submit(&app.db, t1, &scores(55.0)).await.unwrap();
    let (_, html) = adviser.page(&format!("/dossiers/{id}")).await;
    assert_eq!(html.matches("data-gain=\"+25\"").count(), 6, "{html}");
    assert!(!html.contains("data-t1=\"1\""));
    // Store check: the series has T0 then T1.
    let series = diag::series(&app.db, Some(biz), None).await.unwrap();
    assert_eq!(series.first().map(|d| d.id), Some(t0));
    assert_eq!(series.last().map(|d| d.id), Some(t1));
    let _ = store::get(&app.db, id).await.unwrap().unwrap();
}

async fn the_api_lists_gets_and_changes_files_with_a_version_check(app: &TestApp) {
    let auth = token(app, ADVISER, "adviser").await;
    let res = client()
        .get(app.url("/api/v1/cases?closed=true"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let list: serde_json::Value = res.json().await.unwrap();
    let first = list.as_array().unwrap().first().unwrap().clone();
    let id = first["id"].as_i64().unwrap();
    let res = client()
        .get(app.url(&format!("/api/v1/cases/{id}")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let case: serde_json::Value = res.json().await.unwrap();
    let version = case["version"].as_i64().unwrap();
    let change = |v: i64| {
        serde_json::json!({
            "status": "paused",
            "adviser_id": case["adviser_id"],
            "summary": "En pause (API)",
            "version": v,
        })
    };
    let res = client()
        .patch(app.url(&format!("/api/v1/cases/{id}")))
        .header("authorization", &auth)
        .json(&change(version))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = client()
        .patch(app.url(&format!("/api/v1/cases/{id}")))
        .header("authorization", &auth)
        .json(&change(version))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409, "a stale version is refused");
    let res = client()
        .patch(app.url(&format!("/api/v1/cases/{id}")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"status": "closed", "version": version + 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "closing needs an outcome");
    let res = client()
        .get(app.url("/api/v1/referral-bodies"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bodies: serde_json::Value = res.json().await.unwrap();
    assert!(bodies.as_array().unwrap().len() >= 3);
    // The OpenAPI document describes them.
    let doc: serde_json::Value = client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/cases"].is_object());
    assert!(doc["paths"]["/api/v1/referral-bodies"].is_object());
    // Opening through the API with an Idempotency-Key: a retry opens nothing more.
    let biz = business(app, "Menuiserie Garcia et fils").await;
    let t: i64 = template_id(app, "suivi-4-mois").await.parse().unwrap();
    let open = || {
        client()
            .post(app.url("/api/v1/cases"))
            .header("authorization", &auth)
            .header("idempotency-key", "ouverture-1")
            .json(&serde_json::json!({"business_id": biz, "template_id": t, "summary": "API"}))
    };
    let res = open().send().await.unwrap();
    assert_eq!(res.status(), 201);
    let res = open().send().await.unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(
        id_of(
            app,
            &format!("SELECT COUNT(*) FROM cases WHERE business_id = {biz}")
        )
        .await,
        2,
        "the demo's file and one opened through the API"
    );
    let res = client()
        .post(app.url("/api/v1/cases"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"business_id": 999999}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // A funder's token gets no file.
    let funder = token(app, FUNDER, "funder").await;
    let res = client()
        .get(app.url("/api/v1/cases"))
        .header("authorization", &funder)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
