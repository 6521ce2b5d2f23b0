//! Workshops: attendance taken by speakers, feedback, and registrants
//! attached to the register.

use super::*;

both_databases!(
    speakers_take_attendance_and_attendees_give_feedback,
    staff_attach_a_registrant_to_the_register_and_the_dashboard_follows,
);

async fn speakers_take_attendance_and_attendees_give_feedback(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let title = "Site vitrine : les bases";
    let session = create_session_by_form(app, &mut admin, title, 10, "12").await;

    // Marie, signed in, is booked at once for her business.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let (status, location, html) = marie
        .submit(
            &format!("/ateliers/{session}/inscription"),
            &registration_form("Marie Dupont", OWNER, "Boulangerie Dupont", true),
        )
        .await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(
        location.split('#').next().unwrap(),
        format!("/ateliers/{session}?inscription=confirmed")
    );
    let (reg, business): (i64, Option<i64>) = sqlx::query_as(
        "SELECT id, business_id FROM workshop_registrations WHERE session_id = $1 AND email = $2",
    )
    .bind(session)
    .bind(OWNER)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let marie_business = app
        .count("SELECT id FROM businesses WHERE name = 'Boulangerie Dupont'")
        .await;
    assert_eq!(business, Some(marie_business));
    assert_eq!(reg_status(app, session, OWNER).await, "confirmed");

    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (status, dashboard_before) = funder.page("/tableau-de-bord").await;
    assert_eq!(status, 200);

    // The session took place this morning.
    let now = now_ms();
    sqlx::query("UPDATE workshop_sessions SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(now - 4 * HOUR)
        .bind(now - HOUR / 2)
        .bind(session)
        .execute(&app.db.pool)
        .await
        .unwrap();

    // Sophie, the speaker, sees the session and marks Marie present (twice).
    let mut sophie = Browser::signed_in(app, SPEAKER, PW).await;
    let (status, html) = sophie.page("/intervenant").await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, title), "{html}");
    let (status, html) = sophie
        .page(&format!("/intervenant/seances/{session}"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Marie Dupont"), "{html}");
    let reg_s = reg.to_string();
    let presence = format!("/intervenant/seances/{session}/presence");
    for _ in 0..2 {
        let (status, location, html) = sophie
            .submit(&presence, &[("reg", reg_s.as_str()), ("value", "present")])
            .await;
        assert_eq!(status, 303, "{html}");
        assert!(location.starts_with(&format!("/intervenant/seances/{session}")));
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session} AND attendance = 'present'"
        ))
        .await,
        1
    );
    // Another speaker, who does not speak at this session, cannot.
    tremplin::cli::create_user(
        &app.db,
        "paul@orateurs.fr",
        "Paul Orateur",
        PW,
        &["speaker".to_string()],
    )
    .await
    .unwrap();
    let mut paul = Browser::signed_in(app, "paul@orateurs.fr", PW).await;
    assert_eq!(
        paul.page(&format!("/intervenant/seances/{session}"))
            .await
            .0,
        403
    );
    let (status, _, _) = paul
        .submit(&presence, &[("reg", reg_s.as_str()), ("value", "absent")])
        .await;
    assert!(status == 403 || status == 404, "{status}");
    let attendance: Option<String> =
        sqlx::query_scalar("SELECT attendance FROM workshop_registrations WHERE id = $1")
            .bind(reg)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(attendance.as_deref(), Some("present"));
    let res = sophie
        .get(&format!("/intervenant/seances/{session}/emargement.pdf"))
        .await;
    assert_eq!(res.status(), 200);
    let sheet = res.bytes().await.unwrap();
    assert_eq!(pdf_lang(&sheet), "fr");
    if let Some(title) = pdf_title(&sheet) {
        assert!(title.starts_with("Feuille d"), "{title}");
    }
    if let Some(text) = pdf_text(&sheet) {
        assert!(text.contains("Signature"), "{text}");
    }

    // After the end, the feedback request goes out once.
    let before = mails_for(app, OWNER).await.len();
    tick(app, now_ms()).await;
    tick(app, now_ms()).await;
    let mails = wait_mails(app, OWNER, before + 1).await;
    assert_eq!(mails.len(), before + 1, "one feedback mail");
    let feedback_mail = mails.last().unwrap();
    assert!(
        feedback_mail.body_text.contains("/avis"),
        "{}",
        feedback_mail.body_text
    );
    let avis = format!("{}/avis", private_link(feedback_mail));
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor.page(&avis).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"satisfaction\""), "{html}");
    let wanted = id_of(
        app,
        "SELECT id FROM themes WHERE slug = 'boutique-en-ligne'",
    )
    .await
    .to_string();
    let also = id_of(app, "SELECT id FROM themes WHERE slug = 'avis-en-ligne'")
        .await
        .to_string();
    let answer = [
        ("satisfaction", "5"),
        ("usefulness", "4"),
        ("themes", wanted.as_str()),
        ("themes", also.as_str()),
        ("comment", "Très concret, merci !"),
        ("coaching", "on"),
    ];
    let (status, location, html) = visitor.submit(&avis, &answer).await;
    assert!(status == 303 || status == 200, "{status} {location} {html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_feedback").await
            - app
                .count(&format!(
                    "SELECT COUNT(*) FROM workshop_feedback WHERE session_id <> {session}"
                ))
                .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_feedback_themes WHERE registration_id = {reg}"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM coaching_requests WHERE registration_id = {reg} \
             AND source = 'workshop-feedback' AND status = 'open' AND business_id = {marie_business}"
        ))
        .await,
        1
    );
    let coaching_total = app.count("SELECT COUNT(*) FROM coaching_requests").await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (status, html) = adviser.page("/accompagnement/demandes").await;
    assert_eq!(status, 200);
    assert!(html.contains("Marie Dupont"), "{html}");
    assert!(html.contains("Boulangerie Dupont"));

    // A second answer is refused and adds nothing.
    let (status, _, _) = visitor.submit(&avis, &answer).await;
    assert_eq!(status, 409);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_feedback WHERE registration_id = {reg}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM coaching_requests").await,
        coaching_total
    );
    // A forged feedback link leads nowhere.
    assert_eq!(
        visitor
            .page(&format!("/ateliers/i/{}/avis", "0".repeat(64)))
            .await
            .0,
        404
    );

    // The dashboard counts Boulangerie Dupont as made aware.
    let (status, dashboard_after) = funder.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    assert_ne!(
        made_aware_total(&dashboard_before),
        made_aware_total(&dashboard_after),
        "{dashboard_after}"
    );
    let sector: String = sqlx::query_scalar("SELECT name_fr FROM sectors WHERE code = '10'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(
        contains_text(&dashboard_after, &sector),
        "{dashboard_after}"
    );
    let (status, _) = admin.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    let (status, _) = adviser.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    let (status, _) = marie.page("/tableau-de-bord").await;
    assert_eq!(status, 403);
}

/// The numbers a dashboard page shows, in order (to tell two apart).
fn made_aware_total(html: &str) -> Vec<String> {
    let body = html.split("<main").nth(1).unwrap_or(html);
    let mut numbers = vec![];
    let mut current = String::new();
    let mut in_tag = false;
    for ch in body.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && c.is_ascii_digit() => current.push(c),
            _ => {
                if !current.is_empty() {
                    numbers.push(std::mem::take(&mut current));
                }
            }
        }
    }
    numbers
}

async fn staff_attach_a_registrant_to_the_register_and_the_dashboard_follows(app: &TestApp) {
    // A registrant without an account typed the name of a business that is
    // in the register, without its accents and capitals.
    let (garage, sector): (i64, String) = sqlx::query_as(
        "SELECT b.id, s.name_fr FROM businesses b JOIN sectors s ON s.code = b.sector_code WHERE b.name = 'Garage du Médoc'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let session = insert_session(
        app,
        "Facturation électronique",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 3 * DAY,
        12,
    )
    .await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let list = format!("/admin/ateliers/{session}/inscrits");
    let (status, _, html) = adviser
        .submit(
            &list,
            &[
                ("action", "add"),
                ("name", "Paul Lafon"),
                ("email", "paul.lafon@example.org"),
                ("business_name", "garage du medoc"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    let reg = id_of(
        app,
        &format!("SELECT id FROM workshop_registrations WHERE session_id = {session} AND email = 'paul.lafon@example.org'"),
    )
    .await;

    // Paul came; the dashboard does not know his business's sector yet.
    sqlx::query("UPDATE workshop_registrations SET attendance = 'present' WHERE id = $1")
        .bind(reg)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (status, before) = funder.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    assert!(!contains_text(&before, &sector), "{before}");

    // The list offers to attach him; the page suggests the garage by name.
    let (status, html) = adviser.page(&list).await;
    assert_eq!(status, 200);
    let link = format!("/admin/ateliers/{session}/inscrits/{reg}/entreprise");
    assert!(html.contains(&link), "{html}");
    assert!(contains_text(&html, "Rattacher au registre"), "{html}");
    let (status, html) = adviser.page(&link).await;
    assert_eq!(status, 200, "{html}");
    let suggestions = html.split("id=\"suggestions\"").nth(1).unwrap_or_default();
    assert!(contains_text(suggestions, "Garage du Médoc"), "{html}");
    // The register can be searched too, by name or identifier.
    let (status, html) = adviser.page(&format!("{link}?q=medoc")).await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, "1 entreprise trouvée"), "{html}");
    let (_, html) = adviser.page(&format!("{link}?q=zzzz-introuvable")).await;
    assert!(
        contains_text(&html, "Aucune entreprise du registre ne correspond"),
        "{html}"
    );

    let garage_s = garage.to_string();
    let (status, location, html) = adviser
        .submit(
            &link,
            &[("action", "link"), ("business", garage_s.as_str())],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    assert!(
        location.starts_with(&format!("{list}?fait=linked")),
        "{location}"
    );
    let linked: Option<i64> =
        sqlx::query_scalar("SELECT business_id FROM workshop_registrations WHERE id = $1")
            .bind(reg)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(linked, Some(garage));
    let (_, html) = adviser.page(&location).await;
    assert!(
        contains_text(&html, "rattachée à l'entreprise du registre"),
        "{html}"
    );
    assert!(html.contains(&format!("/entreprises/{garage}")), "{html}");

    let (_, html) = adviser.page(&link).await;
    assert!(html.contains("class=\"linked-business\""), "{html}");
    // The dashboard now counts the garage with its sector.
    let (_, after) = funder.page("/tableau-de-bord").await;
    assert!(contains_text(&after, &sector), "{after}");

    // In English, and a business that does not exist or a registration of
    // another session change nothing.
    let res = client()
        .get(app.url(&link))
        .header("accept-language", "en")
        .header("cookie", adviser.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(contains_text(&html, "Attach to the register"), "{html}");
    assert!(contains_text(&html, "Search the register"), "{html}");
    let (status, _, _) = adviser
        .submit(&link, &[("action", "link"), ("business", "999999")])
        .await;
    assert_eq!(status, 404);
    let other = insert_session(
        app,
        "Autre séance",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 4 * DAY,
        12,
    )
    .await;
    let (status, _, _) = adviser
        .submit(
            &format!("/admin/ateliers/{other}/inscrits/{reg}/entreprise"),
            &[("action", "unlink")],
        )
        .await;
    assert_eq!(status, 404);
    let still: Option<i64> =
        sqlx::query_scalar("SELECT business_id FROM workshop_registrations WHERE id = $1")
            .bind(reg)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(still, Some(garage));

    // Detaching puts it back as it was.
    let (status, location, _) = adviser.submit(&link, &[("action", "unlink")]).await;
    assert_eq!(status, 303);
    assert!(location.contains("fait=unlinked"), "{location}");
    let (_, html) = adviser.page(&link).await;
    assert!(!html.contains("class=\"linked-business\""), "{html}");

    // Someone without a staff role cannot.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    assert_eq!(marie.page(&link).await.0, 403);
}
