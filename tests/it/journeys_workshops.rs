//! Workshops as people walk them (issue 13): what a session page says,
//! "vous êtes inscrit·e" instead of the form, a confirmed cancellation that
//! removes the event from the calendar, held and cancelled sessions named
//! for what they are, series lines with their own length, walk-ins at the
//! check-in, feedback comments shown to staff, sector checkboxes.

use tremplin::db::now_ms;
use tremplin::outbox::SentMail;
use tremplin::workshops::forms::Valid;
use tremplin::workshops::model::Format;
use tremplin::workshops::store;

use crate::both_databases;
use crate::builders;
use crate::harness::{link_in, Browser, TestApp, PW};

both_databases!(
    a_session_page_says_what_happens_and_whom_it_suits,
    once_registered_the_page_says_so_and_cancelling_is_confirmed,
    an_anonymous_registration_hides_the_form_until_someone_else_registers,
    past_sessions_are_labelled_held_or_cancelled_in_lists_and_exports,
    series_lines_keep_their_length_and_the_list_says_how_many,
    walk_ins_are_added_present_and_the_check_in_list_is_searchable,
    feedback_comments_reach_the_session_and_theme_reports,
    sectors_are_grouped_checkboxes_with_a_filter,
);

const ADMIN: &str = "responsable@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
const BORDEAUX: &str = "FR-C33063";

/// A scheduled one-hour session stored through the store; returns its id.
async fn session(app: &TestApp, title: &str, starts_at: i64, sectors: &[&str]) -> i64 {
    let theme_id = store::theme_id(&app.db, "site-vitrine")
        .await
        .unwrap()
        .expect("demo theme");
    let programme = app.state.programme().await.unwrap();
    let v = Valid {
        theme_id,
        format: Format::Awareness,
        title_fr: title.to_string(),
        title_en: String::new(),
        description_fr: "Rendre votre commerce visible sur internet.".into(),
        description_en: String::new(),
        starts_at,
        ends_at: starts_at + HOUR,
        venue: "Salle des fêtes".into(),
        address: "1 place de la Mairie".into(),
        commune_code: Some(BORDEAUX.to_string()),
        online_url: String::new(),
        capacity: 10,
        partner_id: None,
        planned_coaching: 2,
        speakers: vec![],
        sectors: sectors.iter().map(|s| s.to_string()).collect(),
    };
    let mut tx = app.db.begin_write().await.unwrap();
    let id = store::insert_session(&mut tx, &v, programme.id, None)
        .await
        .unwrap();
    store::set_people(&mut tx, id, &[], &v.sectors)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.state.workshops.forget();
    id
}

async fn reg_status(app: &TestApp, session: i64, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT status FROM workshop_registrations WHERE session_id = $1 AND email = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(session)
    .bind(email)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// The value of a property in an iCalendar text (first occurrence).
fn ics_prop(text: &str, name: &str) -> Option<String> {
    let unfolded = text.replace("\r\n ", "");
    unfolded
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_string))
}

/// True when the page holds the registration form.
fn register_form(html: &str) -> bool {
    html.contains("/inscription#register\"")
}

async fn a_session_page_says_what_happens_and_whom_it_suits(app: &TestApp) {
    let id = session(app, "Être visible en ligne", now_ms() + 5 * DAY, &["47"]).await;
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor.page(&format!("/ateliers/{id}")).await;
    assert_eq!(status, 200);
    for marker in [
        "data-fact=\"what\"",
        "data-fact=\"bring\"",
        "data-fact=\"price\"",
        "data-fact=\"suited\"",
        "https://www.openstreetmap.org/search?query=",
    ] {
        assert!(html.contains(marker), "{marker} missing:\n{html}");
    }
    assert!(html.contains("Gratuit"), "{html}");
    assert!(html.contains("Particulièrement adapté à"), "{html}");
    assert!(html.contains("Ouvert à toutes les entreprises"), "{html}");
    assert!(!html.contains("Secteurs visés"), "{html}");
    assert!(html.contains("40 minutes de présentation"), "{html}");
    assert!(html.contains("Place+de+la+Mairie") || html.contains("place+de+la+Mairie"));
}

async fn once_registered_the_page_says_so_and_cancelling_is_confirmed(app: &TestApp) {
    let id = session(app, "Réseaux sociaux", now_ms() + 6 * DAY, &[]).await;
    let page = format!("/ateliers/{id}");
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let (_, html) = marie.page(&page).await;
    assert!(html.contains("/inscription#register"), "form first: {html}");

    // Registering signed in: the page now says so instead of the form...
    let (status, location, body) = marie
        .submit(
            &format!("/ateliers/{id}/inscription"),
            &[
                ("name", "Marie Dupont"),
                ("email", OWNER),
                ("business_name", "Boulangerie Dupont"),
                ("consent", "on"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, html) = marie.page(&location).await;
    assert!(html.contains("data-registered=\"confirmed\""), "{html}");
    assert!(html.contains("Vous êtes inscrit·e"), "{html}");
    assert!(!register_form(&html), "no form once registered: {html}");
    // ...and coming back later shows the same.
    let (_, html) = marie.page(&page).await;
    assert!(html.contains("data-registered=\"confirmed\""), "{html}");
    assert!(!register_form(&html), "{html}");
    assert!(html.contains("/mon-inscription"), "{html}");
    let confirmed = app.wait_mail_to(OWNER, |m| !m.attachments.is_empty()).await;
    let invitation = &confirmed.attachments[0].content;
    let uid = ics_prop(invitation, "UID").expect("UID");
    let seq: i64 = ics_prop(invitation, "SEQUENCE").unwrap().parse().unwrap();

    // Cancelling asks first: the button leads to a confirmation, nothing changes yet.
    let (status, location, _) = marie
        .submit(
            &format!("/ateliers/{id}/mon-inscription"),
            &[("action", "cancel")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("confirmer=cancel"), "{location}");
    let link = location.split('?').next().unwrap().to_string();
    let (_, html) = marie.page(&location).await;
    assert!(html.contains("data-confirm=\"cancel\""), "{html}");
    assert_eq!(reg_status(app, id, OWNER).await, "confirmed");
    // A cancel without the confirmation comes back to the question.
    let (status, location, _) = marie.submit(&link, &[("action", "cancel")]).await;
    assert_eq!(status, 303);
    assert!(location.contains("confirmer=cancel"), "{location}");
    assert_eq!(reg_status(app, id, OWNER).await, "confirmed");
    // Confirmed: cancelled.
    let (status, location, _) = marie
        .submit(&link, &[("action", "cancel"), ("confirmed", "yes")])
        .await;
    assert_eq!(status, 303);
    assert_eq!(reg_status(app, id, OWNER).await, "cancelled");

    // The mail carries a calendar cancellation of the same event.
    let mail: SentMail = app
        .wait_mail_to(OWNER, |m| {
            m.attachments
                .iter()
                .any(|a| a.content.contains("METHOD:CANCEL"))
        })
        .await;
    let ics = &mail.attachments[0];
    assert!(ics.mime.contains("method=CANCEL"), "{}", ics.mime);
    assert_eq!(ics_prop(&ics.content, "UID").as_deref(), Some(uid.as_str()));
    assert_eq!(
        ics_prop(&ics.content, "STATUS").as_deref(),
        Some("CANCELLED")
    );
    let new_seq: i64 = ics_prop(&ics.content, "SEQUENCE").unwrap().parse().unwrap();
    assert!(new_seq > seq, "{new_seq} > {seq}");

    // The cancelled page offers to register again, not the calendar.
    let (_, html) = marie.page(&location).await;
    assert!(html.contains("data-action=\"register-again\""), "{html}");
    assert!(!html.contains("data-action=\"add-calendar\""), "{html}");
    // And the session page shows the form again.
    let (_, html) = marie.page(&page).await;
    assert!(html.contains("/inscription#register"), "{html}");
}

async fn an_anonymous_registration_hides_the_form_until_someone_else_registers(app: &TestApp) {
    let id = session(app, "Fichier clients", now_ms() + 7 * DAY, &[]).await;
    let mut visitor = Browser::new(app).await;
    visitor.page(&format!("/ateliers/{id}")).await;
    let (status, location, body) = visitor
        .submit(
            &format!("/ateliers/{id}/inscription"),
            &[
                ("name", "Paul Martin"),
                ("email", "paul@garage-martin.fr"),
                ("business_name", "Garage Martin"),
                ("consent", "on"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, html) = visitor.page(&location).await;
    assert!(html.contains("data-registered=\"anonymous\""), "{html}");
    assert!(html.contains("presque inscrit"), "{html}");
    assert!(!register_form(&html), "{html}");
    assert!(html.contains("data-action=\"register-another\""), "{html}");
    let (_, html) = visitor.page(&format!("/ateliers/{id}?autre=1")).await;
    assert!(html.contains("/inscription#register"), "{html}");
    let mail = app.wait_mail_to("paul@garage-martin.fr", |_| true).await;
    assert!(link_in(&mail.body_text, "/ateliers/i/").len() > 20);
}

async fn past_sessions_are_labelled_held_or_cancelled_in_lists_and_exports(app: &TestApp) {
    let held = session(app, "Séance tenue", now_ms() - 3 * DAY, &[]).await;
    let cancelled = session(app, "Séance annulée", now_ms() - 2 * DAY, &[]).await;
    sqlx::query("UPDATE workshop_sessions SET status = 'cancelled' WHERE id = $1")
        .bind(cancelled)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let upcoming = session(app, "Séance à venir", now_ms() + 3 * DAY, &[]).await;
    app.state.workshops.forget();
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, html) = admin.page("/admin/ateliers").await;
    let row = |id: i64| {
        html.split(&format!("<tr id=\"session-{id}\""))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or_else(|| panic!("row {id} in {html}"))
            .to_string()
    };
    assert!(row(held).contains("data-state=\"held\""), "{}", row(held));
    assert!(row(held).contains("Tenue"));
    assert!(row(cancelled).contains("data-state=\"cancelled\""));
    assert!(row(upcoming).contains("data-state=\"scheduled\""));
    let (status, csv) = admin.page("/admin/ateliers/export.csv").await;
    assert_eq!(status, 200);
    let line = csv
        .lines()
        .find(|l| l.contains("Séance tenue"))
        .expect("held session exported");
    assert!(line.contains("Tenue"), "{line}");
    assert!(!line.contains("Programmée"), "{line}");
}

async fn series_lines_keep_their_length_and_the_list_says_how_many(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let before = app
        .count("SELECT COALESCE(MAX(id), 0) FROM workshop_sessions")
        .await;
    let theme = app
        .count("SELECT id FROM themes WHERE slug = 'site-vitrine'")
        .await
        .to_string();
    let day = jiff::Timestamp::now()
        .in_tz("Europe/Paris")
        .unwrap()
        .date()
        .checked_add(jiff::Span::new().days(20))
        .unwrap()
        .to_string();
    let lines =
        format!("{day} 18:00; {BORDEAUX}\n{day} 14:00-18:30; {BORDEAUX}\n{day}; {BORDEAUX}");
    let (status, location, html) = admin
        .submit(
            "/admin/ateliers/serie",
            &[
                ("theme_id", theme.as_str()),
                ("format", "custom"),
                ("capacity", "12"),
                ("planned_coaching", "2"),
                ("start", "09:00"),
                ("end", "12:30"),
                ("lines", lines.as_str()),
            ],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    assert!(location.ends_with("serie=3"), "{location}");
    let (_, html) = admin.page(&location).await;
    assert!(html.contains("3 séances créées"), "{html}");
    let mut minutes: Vec<i64> = sqlx::query_scalar(
        "SELECT (ends_at - starts_at) / 60000 FROM workshop_sessions WHERE id > $1 ORDER BY starts_at",
    )
    .bind(before)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    minutes.sort();
    // 09:00–12:30 and 18:00 + the same 3h30; 14:00–18:30 as written.
    assert_eq!(minutes, [210, 210, 270]);

    // An unreadable length is refused with the line named.
    let (status, _, html) = admin
        .submit(
            "/admin/ateliers/serie",
            &[
                ("theme_id", theme.as_str()),
                ("format", "custom"),
                ("capacity", "12"),
                ("start", "09:00"),
                ("end", "12:30"),
                ("lines", &format!("{day} 14:00 longtemps; {BORDEAUX}")),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("14:00 3h30"), "{html}");
}

async fn walk_ins_are_added_present_and_the_check_in_list_is_searchable(app: &TestApp) {
    let id = session(app, "Cybersécurité", now_ms() - 10 * 60_000, &[]).await;
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, before) = admin.page("/tableau-de-bord").await;
    let path = format!("/intervenant/seances/{id}/presence");
    let (status, html) = admin.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"walk-in\""), "{html}");
    for (name, email, business) in [
        ("Jeanne Roux", "jeanne@fleurs-roux.fr", "Fleurs Roux"),
        ("Ali Benali", "ali@plomberie-benali.fr", "Plomberie Benali"),
    ] {
        let (status, location, body) = admin
            .submit(
                &format!("{path}/sur-place"),
                &[
                    ("name", name),
                    ("email", email),
                    ("business_name", business),
                ],
            )
            .await;
        assert_eq!(status, 303, "{body}");
        assert!(location.contains("ajoute=1"), "{location}");
    }
    let present = app
        .count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {id} AND attendance = 'present' AND source = 'staff'"
        ))
        .await;
    assert_eq!(present, 2);
    // A bad walk-in keeps what was typed.
    let (status, _, html) = admin
        .submit(
            &format!("{path}/sur-place"),
            &[
                ("name", "Zoé"),
                ("email", "pas-une-adresse"),
                ("business_name", ""),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("pas-une-adresse"), "{html}");
    // Search, accents and case ignored.
    let (_, html) = admin.page(&format!("{path}?q=PLOMBERIE")).await;
    assert!(html.contains("Ali Benali"), "{html}");
    assert!(!html.contains("Jeanne Roux"), "{html}");
    let (_, html) = admin.page(&format!("{path}?q=zzz")).await;
    assert!(!html.contains("Ali Benali"));
    // Walk-ins count as made aware.
    let (_, after) = admin.page("/tableau-de-bord").await;
    assert_ne!(before, after, "the dashboard counts the walk-ins");
    assert!(after.contains("Fleurs Roux") || after.contains("2"));
}

async fn feedback_comments_reach_the_session_and_theme_reports(app: &TestApp) {
    let id = session(app, "Facturation électronique", now_ms() - 2 * DAY, &[]).await;
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    admin
        .submit(
            &format!("/intervenant/seances/{id}/presence/sur-place"),
            &[
                ("name", "Luc Petit"),
                ("email", "luc@menuiserie-petit.fr"),
                ("business_name", "Menuiserie Petit"),
            ],
        )
        .await;
    let reg = app
        .count(&format!(
            "SELECT id FROM workshop_registrations WHERE session_id = {id}"
        ))
        .await;
    builders::feedback(reg)
        .scores(4, 5)
        .comment("Très concret, j'aurais aimé plus d'exemples de devis.")
        .create(app)
        .await;
    let comment = "plus d&#x27;exemples de devis";
    let alt = "plus d&#39;exemples de devis";
    let (_, html) = admin.page("/admin/ateliers/bilan").await;
    assert!(html.contains("id=\"comments\""), "{html}");
    assert!(html.contains(comment) || html.contains(alt), "{html}");
    assert!(html.contains(&format!("data-session=\"{id}\"")), "{html}");
    let (_, html) = admin.page(&format!("/admin/ateliers/{id}/inscrits")).await;
    assert!(html.contains(comment) || html.contains(alt), "{html}");
}

async fn sectors_are_grouped_checkboxes_with_a_filter(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    for path in ["/admin/ateliers/nouveau", "/admin/ateliers/serie"] {
        let (status, html) = admin.page(path).await;
        assert_eq!(status, 200);
        assert!(!html.contains("<select id=\"sectors\""), "{html}");
        assert!(html.contains("class=\"sector-group\""), "{html}");
        assert!(
            html.contains("type=\"checkbox\" name=\"sectors\" value=\"47\""),
            "{html}"
        );
        assert!(html.contains("data-filter-for=\"sectors\""), "{html}");
        // 88 divisions, in about twenty groups.
        let groups = html.matches("class=\"sector-group\"").count();
        assert!((10..=25).contains(&groups), "{groups}");
    }
}
