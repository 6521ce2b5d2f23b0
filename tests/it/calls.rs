//! Calls for projects and trophies: a call with its grid and jury, a
//! business's draft then submitted application, two jurors scoring on
//! their own, the manager's totals matching the sheets, the winner becoming
//! an obtained grant application; dates, deadlines and scores outside the
//! grid refused with the typed values kept; two saves of one sheet give one
//! success and a clear conflict, nothing lost.

use tremplin::calls::model::{
    AppStatus, ApplicationText, CallStatus, Kind, NewCriterion, ValidCall, ValidSheet,
};
use tremplin::calls::store::{self, AppSaved, Decided, Decision, SheetSaved};

use crate::both_databases;
use crate::harness::{fetch_json, Browser, TestApp, PW};

both_databases!(
    a_call_goes_from_its_grid_to_a_funded_winner,
    bad_dates_late_applications_and_scores_off_the_grid_are_refused,
    two_saves_of_one_sheet_give_one_success_and_keep_the_other,
    an_award_and_its_grant_application_are_written_together,
    jurors_hear_when_a_call_closes_and_applicants_hear_the_decision,
    the_calls_pages_speak_english,
    the_calls_api_lists_published_calls_with_their_grid,
);

const MANAGER: &str = "responsable@tremplin-demo.fr";
const JUROR_A: &str = "conseiller@tremplin-demo.fr";
/// The programme manager sits on the jury too.
const JUROR_B: &str = "responsable@tremplin-demo.fr";
const SPEAKER: &str = "intervenante@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The value of the hidden field `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field in:\n{html}"));
    let rest = &html[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A published call with a two-row grid (20 and 10 points) and both jurors,
/// built through the store.
async fn open_call(app: &TestApp, opens: &str, closes: &str) -> i64 {
    let jurors = vec![user_id(app, JUROR_A).await, user_id(app, JUROR_B).await];
    call_with_jury(app, opens, closes, jurors).await
}

/// [`open_call`] with the given jurors.
async fn call_with_jury(app: &TestApp, opens: &str, closes: &str, jurors: Vec<i64>) -> i64 {
    store::insert_call(
        &app.db,
        &ValidCall {
            kind: Kind::Trophy,
            status: CallStatus::Published,
            title_fr: "Trophées de l'artisanat".into(),
            title_en: "Craft trophies".into(),
            description_fr: String::new(),
            description_en: String::new(),
            opens_on: opens.into(),
            closes_on: closes.into(),
            funding_scheme_id: None,
            criteria: Some(vec![
                NewCriterion {
                    label_fr: "Innovation".into(),
                    label_en: "Innovation".into(),
                    max_points: 20,
                },
                NewCriterion {
                    label_fr: "Impact local".into(),
                    label_en: "Local impact".into(),
                    max_points: 10,
                },
            ]),
            jurors,
        },
        None,
    )
    .await
    .unwrap()
}

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

/// The outbox's messages of `kind`: (recipient, subject, body), in order.
async fn mails(app: &TestApp, kind: &str) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT to_addr, subject, body_text FROM outbox WHERE kind = $1 ORDER BY to_addr, id",
    )
    .bind(kind)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

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

/// `b` reads English from now on (the language picker's cookie).
fn in_english(b: &mut Browser) {
    b.cookies.insert("tremplin_lang".into(), "en".into());
}

/// `html` contains `text`, apostrophes escaped or not.
fn shows(html: &str, text: &str) -> bool {
    html.contains(text) || html.contains(&text.replace('\'', "&#39;"))
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

/// The JSON answer of an API path (`lang:` prefix: in that language):
/// status and body.
async fn api(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let (lang, path) = path.split_once(':').unwrap_or(("fr", path));
    let (status, _, body) = fetch_json(app, path, lang).await;
    (status, body)
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
