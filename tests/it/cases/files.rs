//! Follow-up files: templates and overdue activities, bad input, who sees
//! what, concurrent edits, documents.

use super::*;

both_databases!(
    a_template_plans_its_activities_and_overdue_ones_are_flagged,
    bad_input_is_answered_clearly_and_kept,
    owners_see_the_shared_part_advisers_the_notes_funders_nothing,
    a_second_adviser_editing_at_once_is_told_and_keeps_what_they_typed,
    documents_are_checked_by_content_and_shared_on_purpose,
);

async fn a_template_plans_its_activities_and_overdue_ones_are_flagged(app: &TestApp) {
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let biz = business(app, "Menuiserie Garcia et fils").await;
    let t = template_id(app, "suivi-4-mois").await;
    let id = open_file(
        app,
        &mut adviser,
        biz,
        &t,
        &day_input(now_ms() - 40 * DAY_MS),
    )
    .await;
    let opened = id_of(app, &format!("SELECT opened_at FROM cases WHERE id = {id}")).await;
    let dues: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT due_at FROM case_activities WHERE case_id = {id} ORDER BY due_at"
    ))
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let offsets: Vec<i64> = dues
        .iter()
        .map(|d| (d - opened + DAY_MS / 2) / DAY_MS)
        .collect();
    assert_eq!(offsets, vec![0, 30, 60, 90, 120]);
    let (status, html) = adviser.page(&format!("/dossiers/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("data-planned=\"1\"").count(), 5);
    // D+0 and D+30 are past and not done.
    assert_eq!(html.matches("data-overdue=\"1\"").count(), 2, "{html}");
    let (_, list) = adviser.page("/dossiers?mine=1").await;
    assert!(list.contains(&format!("data-case=\"{id}\"")));
    assert!(list.contains("data-overdue=\"2\""));
    // The programme manager edits the template: files opened later follow it.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, _, _) = admin
        .submit(
            &format!("/admin/modeles-accompagnement/{t}"),
            &[
                ("title_fr", "Suivi 4 mois"),
                ("title_en", "4-month follow-up"),
                ("minutes", "0"),
                (
                    "steps",
                    "0;audit;Audit;Audit;120\n45;meeting;Point;Check-in;60",
                ),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, html) = admin
        .submit(
            &format!("/admin/modeles-accompagnement/{t}"),
            &[
                ("title_fr", "Suivi 4 mois"),
                ("title_en", "4-month follow-up"),
                ("minutes", "0"),
                ("steps", "0;note;Note;Note;0"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("0;note;Note;Note;0"),
        "what was typed is kept"
    );
    let other = business(app, "Boulangerie Dupont").await;
    let id2 = open_file(app, &mut adviser, other, &t, "").await;
    assert_eq!(
        id_of(
            app,
            &format!("SELECT COUNT(*) FROM case_activities WHERE case_id = {id2}")
        )
        .await,
        2
    );
    // Files already open keep their planning.
    assert_eq!(
        id_of(
            app,
            &format!("SELECT COUNT(*) FROM case_activities WHERE case_id = {id}")
        )
        .await,
        5
    );
}

async fn bad_input_is_answered_clearly_and_kept(app: &TestApp) {
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let biz = business(app, "Menuiserie Garcia et fils").await;
    let id = open_file(app, &mut adviser, biz, "", "").await;
    let path = format!("/dossiers/{id}/activites");
    // A due date before the opening.
    let yesterday = day_input(now_ms() - 2 * DAY_MS);
    let (status, _, html) = adviser
        .submit(
            &path,
            &[
                ("kind", "call"),
                ("title", "Rappel tardif"),
                ("due", &yesterday),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("ouverture du dossier"), "{html}");
    assert!(html.contains("Rappel tardif"), "what was typed is kept");
    // Two meetings of the same adviser at the same time.
    let day = day_input(now_ms() + 5 * DAY_MS);
    let meeting = [
        ("kind", "meeting"),
        ("title", "Point"),
        ("date", day.as_str()),
        ("time", "10:00"),
        ("minutes", "60"),
    ];
    let (status, _, _) = adviser.submit(&path, &meeting).await;
    assert_eq!(status, 303);
    let overlapping = [
        ("kind", "meeting"),
        ("title", "Autre point"),
        ("date", day.as_str()),
        ("time", "10:30"),
        ("minutes", "30"),
    ];
    let (status, _, html) = adviser.submit(&path, &overlapping).await;
    assert_eq!(status, 422);
    assert!(html.contains("chevauche"), "{html}");
    // Hours below zero or above a day, an amount that is not one.
    let (status, _, html) = adviser
        .submit(
            &format!("/dossiers/{id}/heures"),
            &[
                ("funder", "fafcea"),
                ("planned", "-2"),
                ("delivered", "25"),
                ("amount", "beaucoup"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("comprises entre 0 et"), "{html}");
    assert!(html.contains("beaucoup"), "what was typed is kept");
    let (status, _, _) = adviser
        .submit(
            &format!("/dossiers/{id}/heures"),
            &[
                ("funder", "fafcea"),
                ("planned", "3,5"),
                ("delivered", "3,5"),
                ("amount", "315"),
                ("reference", "F-1"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = adviser.page(&format!("/dossiers/{id}")).await;
    assert!(html.contains("data-total=\"FAFCEA\""), "{html}");
    assert!(html.contains("3 h 30"));
    // Closing without an outcome.
    let version = id_of(app, &format!("SELECT version FROM cases WHERE id = {id}")).await;
    let (status, _, html) = adviser
        .submit(
            &format!("/dossiers/{id}"),
            &[
                ("status", "closed"),
                ("outcome", ""),
                ("summary", "fin"),
                ("version", &version.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("indiquez son issue"), "{html}");
    // Exports: the hours per funder, and the workbook.
    let (status, csv) = adviser.page("/dossiers/export/heures.csv").await;
    assert_eq!(status, 200);
    // The demo file had 3.5 h with FAFCEA too: programme-wide totals.
    assert!(csv.contains("FAFCEA;7;7;630"), "{csv}");
    let res = adviser.get("/dossiers/export/dossiers.xlsx").await;
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    assert_ne!(funder.page("/dossiers/export/dossiers.csv").await.0, 200);
}

async fn owners_see_the_shared_part_advisers_the_notes_funders_nothing(app: &TestApp) {
    let bakery = business(app, "Boulangerie Dupont").await;
    let id = id_of(
        app,
        &format!("SELECT id FROM cases WHERE business_id = {bakery}"),
    )
    .await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (status, html) = adviser.page(&format!("/dossiers/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("hésite à investir seule"),
        "the adviser reads the note"
    );
    assert!(html.contains("data-kind=\"audit\""));
    assert!(
        id_of(
            app,
            &format!("SELECT COUNT(*) FROM case_reads WHERE case_id = {id}")
        )
        .await
            >= 1
    );

    let mut owner = Browser::signed_in(app, OWNER, PW).await;
    let (status, html) = owner.page("/mon-accompagnement").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("data-shared-file=\"{id}\"")));
    assert!(html.contains("data-kind=\"audit\""), "{html}");
    assert!(html.contains("data-referral-status=\"taken-up\""));
    assert!(
        !html.contains("hésite à investir seule"),
        "never the private note"
    );
    assert!(!html.contains("data-kind=\"note\""));
    let (status, _) = owner.page(&format!("/dossiers/{id}")).await;
    assert_ne!(status, 200, "the staff page stays closed to the owner");
    let (_, home) = owner.page("/accueil").await;
    assert!(home.contains("data-home=\"owner\""));
    assert!(home.contains(&format!("data-shared-file=\"{id}\"")));
    assert!(!home.contains("hésite à investir seule"));

    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    for path in [
        format!("/dossiers/{id}"),
        "/dossiers".to_string(),
        "/mon-accompagnement".to_string(),
        "/accompagnement/demandes".to_string(),
    ] {
        let (status, _) = funder.page(&path).await;
        assert_ne!(status, 200, "{path} is closed to funders");
    }
    let (status, home) = funder.page("/accueil").await;
    assert_eq!(status, 200);
    assert!(home.contains("data-home=\"funder\""));
    assert!(!home.contains("Boulangerie Dupont"), "aggregates only");
    // The adviser's home lists the file.
    let (_, home) = adviser.page("/accueil").await;
    assert!(home.contains("data-home=\"adviser\""));
    assert!(home.contains(&format!("data-case=\"{id}\"")));
    // Logging in lands on the home.
    let mut b = Browser::new(app).await;
    let res = b.login(ADMIN, PW).await;
    assert_eq!(res.headers()["location"], "/accueil");
    let (_, home) = b.page("/accueil").await;
    assert!(home.contains("data-home=\"manager\""));
}

async fn a_second_adviser_editing_at_once_is_told_and_keeps_what_they_typed(app: &TestApp) {
    let biz = business(app, "Menuiserie Garcia et fils").await;
    let mut first = Browser::signed_in(app, ADVISER, PW).await;
    let mut second = Browser::signed_in(app, ADMIN, PW).await;
    let id = open_file(app, &mut first, biz, "", "").await;
    let version = id_of(app, &format!("SELECT version FROM cases WHERE id = {id}"))
        .await
        .to_string();
    let path = format!("/dossiers/{id}");
    let adviser = id_of(
        app,
        &format!("SELECT id FROM users WHERE email = '{ADVISER}'"),
    )
    .await
    .to_string();
    let (status, _, _) = first
        .submit(
            &path,
            &[
                ("status", "active"),
                ("summary", "Version du premier"),
                ("adviser", &adviser),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, html) = second
        .submit(
            &path,
            &[
                ("status", "paused"),
                ("summary", "Version du second"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("data-conflict=\"1\""));
    assert!(html.contains("Version du second"), "what was typed is kept");
    let summary: String = sqlx::query_scalar(&format!("SELECT summary FROM cases WHERE id = {id}"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(summary, "Version du premier");
    // Saving again, knowingly, applies it; the change of adviser is kept in the history.
    let fresh = id_of(app, &format!("SELECT version FROM cases WHERE id = {id}"))
        .await
        .to_string();
    let admin_id = id_of(
        app,
        &format!("SELECT id FROM users WHERE email = '{ADMIN}'"),
    )
    .await
    .to_string();
    let (status, _, _) = second
        .submit(
            &path,
            &[
                ("status", "paused"),
                ("summary", "Version du second"),
                ("adviser", &admin_id),
                ("version", &fresh),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        id_of(
            app,
            &format!("SELECT COUNT(*) FROM case_assignments WHERE case_id = {id}")
        )
        .await,
        2,
        "the adviser at the opening, then the new one"
    );
    // An activity edit keeps the previous text; a stale edit is refused.
    let (status, location, _) = first
        .submit(
            &format!("/dossiers/{id}/activites"),
            &[
                ("kind", "note"),
                ("title", "Note"),
                ("body", "Premier texte"),
                ("date", &day_input(now_ms())),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let aid = location.rsplit("activite-").next().unwrap().to_string();
    let apath = format!("/dossiers/{id}/activites/{aid}");
    let today = day_input(now_ms());
    let edit = |body: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("title", "Note".into()),
            ("body", body.into()),
            ("date", today.clone()),
            ("version", "1".into()),
        ]
    };
    let e1 = edit("Texte corrigé");
    let e1: Vec<(&str, &str)> = e1.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = first.submit(&apath, &e1).await;
    assert_eq!(status, 303);
    let e2 = edit("Texte concurrent");
    let e2: Vec<(&str, &str)> = e2.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, html) = second.submit(&apath, &e2).await;
    assert_eq!(status, 409);
    assert!(html.contains("Texte concurrent"));
    let (_, html) = first.page(&apath).await;
    assert!(html.contains("data-revisions=\"1\""));
    assert!(html.contains("Premier texte"));
}

async fn documents_are_checked_by_content_and_shared_on_purpose(app: &TestApp) {
    let bakery = business(app, "Boulangerie Dupont").await;
    let id = id_of(
        app,
        &format!("SELECT id FROM cases WHERE business_id = {bakery}"),
    )
    .await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let path = format!("/dossiers/{id}/documents");
    let (status, html) = adviser
        .upload(
            &path,
            "document",
            "devis.pdf",
            b"MZ\x90\x00 not a pdf".to_vec(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("ne correspond pas"), "{html}");
    let (status, _) = adviser
        .upload(
            &path,
            "document",
            "cahier-des-charges.pdf",
            b"%PDF-1.4\n%demo\n".to_vec(),
        )
        .await;
    assert_eq!(status, 303);
    let doc = id_of(
        app,
        &format!("SELECT id FROM case_documents WHERE case_id = {id}"),
    )
    .await;
    let (status, body) = adviser
        .page(&format!("/dossiers/{id}/documents/{doc}"))
        .await;
    assert_eq!(status, 200);
    assert!(body.starts_with("%PDF-"));
    // Not shared: the owner cannot fetch it.
    let mut owner = Browser::signed_in(app, OWNER, PW).await;
    let (status, _) = owner.page(&format!("/dossiers/{id}/documents/{doc}")).await;
    assert_eq!(status, 404);
    let (_, html) = owner.page("/mon-accompagnement").await;
    assert!(!html.contains("cahier-des-charges.pdf"));
}
