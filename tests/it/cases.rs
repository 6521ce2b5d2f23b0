//! Follow-up files: template offsets and overdue activities, bad input,
//! access (owner vs adviser notes vs funder), the version check, documents
//! checked by content, referrals answered through a private link (forged and
//! replayed links refused, reminders once), the coaching inbox, reminders
//! and digests sent once across two servers, and the T0 → T1 gain.

use tremplin::cases::{jobs, model::DAY_MS, store};
use tremplin::db::{now_ms, Db};
use tremplin::diagnostic::scoring::Scores;
use tremplin::diagnostic::store as diag;

use crate::both_databases;
use crate::harness::{client, link_in, Browser, TestApp, PW};

both_databases!(
    a_template_plans_its_activities_and_overdue_ones_are_flagged,
    bad_input_is_answered_clearly_and_kept,
    owners_see_the_shared_part_advisers_the_notes_funders_nothing,
    a_second_adviser_editing_at_once_is_told_and_keeps_what_they_typed,
    documents_are_checked_by_content_and_shared_on_purpose,
    referrals_move_through_their_statuses_by_private_link,
    the_coaching_inbox_takes_declines_and_opens_files,
    reminders_and_digests_go_out_once_across_two_servers,
    closing_shows_the_gain_from_t0_to_t1,
    the_api_lists_gets_and_changes_files_with_a_version_check,
);

const ADMIN: &str = "responsable@tremplin-demo.fr";
const ADVISER: &str = "conseiller@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";
const FUNDER: &str = "financeur@tremplin-demo.fr";

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

/// The business a test works on (not the demo bakery, which has a file).
async fn business(app: &TestApp, name: &str) -> i64 {
    id_of(
        app,
        &format!("SELECT id FROM businesses WHERE name = '{name}'"),
    )
    .await
}

/// Open a file through the form; returns its id.
async fn open_file(
    app: &TestApp,
    b: &mut Browser,
    business: i64,
    template: &str,
    opened_on: &str,
) -> i64 {
    let adviser = id_of(
        app,
        &format!("SELECT id FROM users WHERE email = '{ADVISER}'"),
    )
    .await
    .to_string();
    let adviser = adviser.as_str();
    let (status, location, body) = b
        .submit(
            "/dossiers/nouveau",
            &[
                ("business", &business.to_string()),
                ("template", template),
                ("origin", "manual"),
                ("opened_on", opened_on),
                ("summary", "Accompagnement de test"),
                ("adviser", adviser),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn day_input(ms: i64) -> String {
    let tz = tremplin::kernel::dates::zone("Europe/Paris");
    tremplin::kernel::dates::date_input(&tz, ms)
}

async fn template_id(app: &TestApp, code: &str) -> String {
    id_of(
        app,
        &format!("SELECT id FROM case_templates WHERE code = '{code}'"),
    )
    .await
    .to_string()
}

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

fn scores(level: f64) -> Scores {
    Scores {
        dimensions: tremplin::diagnostic::bank::DIMENSIONS
            .iter()
            .map(|d| (d.to_string(), Some(level)))
            .collect(),
        overall: Some(level),
    }
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

/// What the jobs of one server need.
fn env(db: &Db) -> jobs::Env<'_> {
    jobs::Env {
        db,
        base_url: "http://localhost",
        programme: "Programme",
        timezone: "Europe/Paris",
        default: tremplin::i18n::Locale::Fr,
    }
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

/// A personal API token of `email` with `role`.
async fn token(app: &TestApp, email: &str, role: &str) -> String {
    let mut b = Browser::signed_in(app, email, PW).await;
    let (status, _, html) = b
        .submit("/compte/api", &[("name", "CRM"), ("role", role)])
        .await;
    assert_eq!(status, 200);
    let token = html
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    format!("Bearer {token}")
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
