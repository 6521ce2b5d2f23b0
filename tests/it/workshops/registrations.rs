//! Workshops: registration by link and by API, refusals that keep the form,
//! and waiting lists and offers under concurrency.

use super::*;

both_databases!(
    simultaneous_duplicates_and_a_closed_session_are_refused_alone,
    two_hundred_simultaneous_api_registrations_fill_twenty_seats_fairly,
    a_visitor_registers_confirms_by_mail_and_cancels_through_the_link,
    bad_registrations_are_refused_with_the_form_kept,
    a_full_session_queues_people_and_offers_freed_seats_in_order,
);

/// Requests arriving together (on SQLite they are written in one
/// transaction): a second registration of the same address and one for a
/// session already started are refused on their own, the others booked.
async fn simultaneous_duplicates_and_a_closed_session_are_refused_alone(app: &TestApp) {
    let session = insert_session(
        app,
        "Atelier en rafale",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 10 * DAY,
        5,
    )
    .await;
    let started = insert_session(
        app,
        "Atelier commencé",
        "site-vitrine",
        BORDEAUX,
        now_ms() - 3_600_000,
        5,
    )
    .await;
    let auth = api_auth(app, ADMIN, "admin").await;
    let http = reqwest::Client::new();
    // 30 addresses, the first ten sent twice, and two for the started session.
    let mut sends: Vec<(i64, usize)> = (0..30).map(|i| (session, i)).collect();
    for i in 0..10 {
        sends.insert(2 * i + 1, (session, i));
    }
    sends.push((started, 100));
    sends.push((started, 101));
    let requests = sends.into_iter().map(|(s, i)| {
        let http = http.clone();
        let url = app.url(&format!("/api/v1/workshops/{s}/registrations"));
        let auth = auth.clone();
        async move {
            let res = http
                .post(&url)
                .header("authorization", &auth)
                .json(&serde_json::json!({"name": format!("Rafale {i}"),
                    "email": format!("rafale{i}@exemple.fr"), "business_name": ""}))
                .send()
                .await
                .unwrap();
            (s, i, res.status().as_u16())
        }
    });
    let answers = futures_util::future::join_all(requests).await;
    let count = |s: i64, status: u16| answers.iter().filter(|a| a.0 == s && a.2 == status).count();
    assert_eq!(count(session, 201), 30, "{answers:?}");
    assert_eq!(count(session, 409), 10, "{answers:?}");
    assert_eq!(answers.iter().filter(|a| a.0 == started).count(), 2);
    assert!(
        answers
            .iter()
            .filter(|a| a.0 == started)
            .all(|a| a.2 == 409 || a.2 == 422),
        "{answers:?}"
    );
    let rows = registrations_of(app, session).await;
    assert_eq!(rows.len(), 30, "each address once");
    let seats: BTreeSet<i64> = rows.iter().filter_map(|r| r.3).collect();
    assert_eq!(seats, (1..=5).collect::<BTreeSet<i64>>());
    assert_eq!(rows.iter().filter(|r| r.2 == "waiting").count(), 25);
    let (taken, waiting): (i64, i64) =
        sqlx::query_as("SELECT seats_taken, waiting FROM workshop_sessions WHERE id = $1")
            .bind(session)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((taken, waiting), (5, 25), "the counters agree");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {started}"
        ))
        .await,
        0
    );
    // Every booked person has their mail queued, once.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_addr LIKE 'rafale%'")
            .await,
        30
    );
}

async fn two_hundred_simultaneous_api_registrations_fill_twenty_seats_fairly(app: &TestApp) {
    let session = insert_session(
        app,
        "Atelier très demandé",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 10 * DAY,
        20,
    )
    .await;
    let auth = api_auth(app, ADMIN, "admin").await;
    let http = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/workshops/{session}/registrations"));
    let body = |i: usize| {
        serde_json::json!({"name": format!("Personne {i}"), "email": format!("personne{i}@exemple.fr"),
            "business_name": format!("Entreprise {i}")})
    };
    let requests = (0..200).map(|i| {
        let http = http.clone();
        let url = url.clone();
        let auth = auth.clone();
        let body = body(i);
        async move {
            let res = http
                .post(&url)
                .header("authorization", &auth)
                .header("idempotency-key", format!("inscription-{i}"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            (i, status, text)
        }
    });
    let answers = futures_util::future::join_all(requests).await;

    let mut by_email: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for (i, status, text) in &answers {
        assert_eq!(*status, 201, "request {i}: {text}");
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        by_email.insert(format!("personne{i}@exemple.fr"), v);
    }
    let confirmed_answers = by_email
        .values()
        .filter(|v| v["status"] == "confirmed")
        .count();
    let waiting_answers = by_email
        .values()
        .filter(|v| v["status"] == "waiting")
        .count();
    assert_eq!((confirmed_answers, waiting_answers), (20, 180));

    let rows = registrations_of(app, session).await;
    assert_eq!(rows.len(), 200);
    let confirmed: Vec<_> = rows.iter().filter(|r| r.2 == "confirmed").collect();
    let waiting: Vec<_> = rows.iter().filter(|r| r.2 == "waiting").collect();
    assert_eq!((confirmed.len(), waiting.len()), (20, 180));
    // Seats 1..=20, each held once.
    let seats: BTreeSet<i64> = confirmed.iter().map(|r| r.3.expect("seat_no")).collect();
    assert_eq!(seats, (1..=20).collect::<BTreeSet<i64>>());
    assert!(waiting.iter().all(|r| r.3.is_none()));
    // First come, first served: every seat went to someone who arrived
    // before everyone waiting, and the queue follows arrival order.
    let last_confirmed = confirmed.iter().map(|r| r.0).max().unwrap();
    let first_waiting = waiting.iter().map(|r| r.0).min().unwrap();
    assert!(last_confirmed < first_waiting);
    let seqs: Vec<i64> = waiting.iter().map(|r| r.4.expect("wait_seq")).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "wait_seq in id order: {seqs:?}"
    );
    // The answers match the database: same id, and the position each
    // person was told is their place in the queue.
    let mut queue = waiting.clone();
    queue.sort_by_key(|r| r.4);
    for (pos, r) in queue.iter().enumerate() {
        let answer = &by_email[&r.1];
        assert_eq!(answer["id"].as_i64(), Some(r.0), "{answer}");
        assert_eq!(
            answer["position"].as_i64(),
            Some(pos as i64 + 1),
            "{} told {answer}",
            r.1
        );
    }
    for r in &confirmed {
        let answer = &by_email[&r.1];
        assert_eq!(answer["id"].as_i64(), Some(r.0));
        assert!(answer["position"].is_null(), "{answer}");
    }
    assert_eq!(counters(app, session).await, (20, 180));
    let shown: serde_json::Value = http
        .get(app.url(&format!("/api/v1/workshops/{session}")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (shown["seats_left"].as_i64(), shown["waiting"].as_i64()),
        (Some(0), Some(180)),
        "{shown}"
    );

    // A retry with the same key and body gets the same answer, no new row.
    let last = queue.last().unwrap();
    let i: usize = last
        .1
        .trim_start_matches("personne")
        .split('@')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let res = http
        .post(&url)
        .header("authorization", &auth)
        .header("idempotency-key", format!("inscription-{i}"))
        .json(&body(i))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let again: serde_json::Value = res.json().await.unwrap();
    assert_eq!(again, by_email[&last.1]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session}"
        ))
        .await,
        200
    );
    // Without the key, the same address is a conflict.
    let res = http
        .post(&url)
        .header("authorization", &auth)
        .json(&body(i))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);

    // Three people with a seat cancel: the first three waiting are offered
    // their seats, in order; the fourth still waits.
    for r in confirmed.iter().take(3) {
        let res = http
            .delete(app.url(&format!(
                "/api/v1/workshops/{session}/registrations/{}",
                r.0
            )))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.status());
    }
    for r in confirmed.iter().take(3) {
        assert_eq!(reg_status(app, session, &r.1).await, "cancelled");
    }
    for r in &queue[..3] {
        assert_eq!(reg_status(app, session, &r.1).await, "offered", "{}", r.1);
    }
    assert_eq!(reg_status(app, session, &queue[3].1).await, "waiting");
    assert_eq!(counters(app, session).await, (20, 177));
    let offer = wait_mail(app, &queue[0].1, is_offer).await;
    assert!(
        offer.subject.contains("place") && offer.subject.contains("libérée"),
        "{}",
        offer.subject
    );
    private_link(&offer);
    // Offers went out in queue order.
    let offered: Vec<String> = sqlx::query_scalar(
        "SELECT email FROM workshop_registrations WHERE session_id = $1 AND status = 'offered' ORDER BY wait_seq",
    )
    .bind(session)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        offered,
        queue[..3].iter().map(|r| r.1.clone()).collect::<Vec<_>>()
    );
}

async fn a_visitor_registers_confirms_by_mail_and_cancels_through_the_link(app: &TestApp) {
    let title = "Créer son site vitrine en une matinée";
    let starts = now_ms() + 10 * DAY;
    let session = insert_session(app, title, "site-vitrine", BORDEAUX, starts, 12).await;
    let email = "lea@atelier-martin.fr";
    let mut lea = Browser::new(app).await;
    let (status, html) = lea.page(&format!("/ateliers/{session}")).await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, title), "{html}");
    assert!(html.contains("application/ld+json"));
    assert!(html.contains(&format!("/ateliers/{session}/atelier.ics")));
    assert!(html.contains(&format!("/ateliers/{session}/inscription")));
    assert!(html.contains("12 places restantes"), "{html}");

    let (status, location, body) = lea
        .submit(
            &format!("/ateliers/{session}/inscription"),
            &registration_form("Léa Martin", email, "Atelier Martin", true),
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.split('#').next().unwrap(),
        format!("/ateliers/{session}?inscription=pending")
    );
    assert_eq!(reg_status(app, session, email).await, "pending");
    assert_eq!(counters(app, session).await, (0, 0));
    let (status, _) = lea.page(&location).await;
    assert_eq!(status, 200);

    let mail = app.last_mail_to(email).await;
    assert!(
        mail.subject.starts_with("Confirmez votre inscription"),
        "{}",
        mail.subject
    );
    let link = private_link(&mail);
    let (status, html) = lea.page(&link).await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, title));
    link_action(&mut lea, &link, "confirm").await;
    assert_eq!(reg_status(app, session, email).await, "confirmed");
    assert_eq!(counters(app, session).await, (1, 0));

    // The confirmation carries the event for the person's calendar.
    let mails = wait_mails(app, email, 2).await;
    let confirmed = mails.last().unwrap();
    assert!(
        !confirmed.subject.starts_with("Confirmez"),
        "{}",
        confirmed.subject
    );
    assert_eq!(confirmed.attachments.len(), 1, "{confirmed:?}");
    let ics = &confirmed.attachments[0];
    assert_eq!(ics.filename, format!("atelier-{session}.ics"));
    assert!(ics.mime.starts_with("text/calendar"), "{}", ics.mime);
    let events = parse_ics(&ics.content);
    assert_eq!(events.len(), 1);
    assert_eq!(prop(&events[0], "SUMMARY").as_deref(), Some(title));
    let start = prop(&events[0], "DTSTART").unwrap();
    assert!(start.ends_with('Z'), "{start}");
    assert_eq!(start, ics_utc(starts));
    // A second click on the confirmation link changes nothing.
    link_action(&mut lea, &link, "confirm").await;
    assert_eq!(counters(app, session).await, (1, 0));

    // Cancelling through the link frees the seat...
    let link = private_link(confirmed);
    link_action(&mut lea, &link, "cancel").await;
    assert_eq!(reg_status(app, session, email).await, "cancelled");
    assert_eq!(counters(app, session).await, (0, 0));
    let sent = mails_for(app, email).await.len();
    // ...and doing it again is harmless.
    let (status, location, html) = lea
        .submit(&link, &[("action", "cancel"), ("confirmed", "yes")])
        .await;
    assert!(status == 200 || status == 303, "{status} {location} {html}");
    let (status, html) = lea.page(&link).await;
    assert_eq!(status, 200);
    assert!(html.to_lowercase().contains("annulée"), "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session} AND status = 'cancelled'")).await,
        1
    );
    assert_eq!(mails_for(app, email).await.len(), sent);
    assert_eq!(counters(app, session).await, (0, 0));

    // A made-up link leads nowhere.
    let forged = format!("/ateliers/i/{}", "0".repeat(64));
    assert_eq!(lea.page(&forged).await.0, 404);
    assert_eq!(lea.submit(&forged, &[("action", "cancel")]).await.0, 404);
    assert_eq!(lea.page("/ateliers/i/pas-un-jeton").await.0, 404);
}

async fn bad_registrations_are_refused_with_the_form_kept(app: &TestApp) {
    let open = insert_session(
        app,
        "Être visible en ligne",
        "etre-visible-en-ligne",
        BORDEAUX,
        now_ms() + 5 * DAY,
        10,
    )
    .await;
    let past = insert_session(
        app,
        "Atelier d'hier",
        "etre-visible-en-ligne",
        BORDEAUX,
        now_ms() - 2 * DAY,
        10,
    )
    .await;
    let cancelled = insert_session(
        app,
        "Atelier annulé",
        "etre-visible-en-ligne",
        BORDEAUX,
        now_ms() + 5 * DAY,
        10,
    )
    .await;
    sqlx::query("UPDATE workshop_sessions SET status = 'cancelled' WHERE id = $1")
        .bind(cancelled)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let name = "Élise Dupré";
    let mut b = Browser::new(app).await;
    let post = |id: i64| format!("/ateliers/{id}/inscription");
    let kept = |html: &str| html.contains(&format!("value=\"{name}\""));

    // Malformed address.
    let (status, _, html) = b
        .submit(
            &post(open),
            &registration_form(name, "elise@", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Saisissez une adresse e-mail valide"),
        "{html}"
    );
    assert!(kept(&html), "{html}");
    assert!(html.contains("value=\"elise@\""));

    // Consent not ticked.
    let (status, _, html) = b
        .submit(
            &post(open),
            &registration_form(name, "elise@fleurs-dupre.fr", "Fleurs Dupré", false),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Cochez cette case"), "{html}");
    assert!(kept(&html));

    // Missing name.
    let (status, _, html) = b
        .submit(
            &post(open),
            &registration_form("  ", "elise@fleurs-dupre.fr", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("value=\"elise@fleurs-dupre.fr\""), "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {open}"
        ))
        .await,
        0
    );

    // The same address twice (whatever the case).
    let (status, _, _) = b
        .submit(
            &post(open),
            &registration_form(name, "elise@fleurs-dupre.fr", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, html) = b
        .submit(
            &post(open),
            &registration_form(name, " Elise@Fleurs-Dupre.FR ", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("déjà inscrit"), "{html}");
    assert!(kept(&html));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {open}"
        ))
        .await,
        1
    );

    // A past session and a cancelled one take nobody.
    let (status, _, html) = b
        .submit(
            &post(past),
            &registration_form(name, "elise@fleurs-dupre.fr", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Les inscriptions sont closes"), "{html}");
    let past_page = html;
    let (status, _, html) = b
        .submit(
            &post(cancelled),
            &registration_form(name, "elise@fleurs-dupre.fr", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.to_lowercase().contains("annulée"), "{html}");
    let cancelled_page = html;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id IN ({past}, {cancelled})"
        ))
        .await,
        0
    );
    // Only the one good registration was mailed.
    assert_eq!(mails_for(app, "elise@fleurs-dupre.fr").await.len(), 1);
    // Unknown session.
    assert_eq!(b.page("/ateliers/999999").await.0, 404);
    // What was typed comes back even when registrations are closed.
    assert!(kept(&past_page), "past session: name not kept\n{past_page}");
    assert!(
        kept(&cancelled_page),
        "cancelled session: name not kept\n{cancelled_page}"
    );
}

async fn a_full_session_queues_people_and_offers_freed_seats_in_order(app: &TestApp) {
    let session = insert_session(
        app,
        "Réseaux sociaux pour commerçants",
        "reseaux-sociaux",
        BORDEAUX,
        now_ms() + 7 * DAY,
        2,
    )
    .await;
    let auth = api_auth(app, ADVISER, "adviser").await;
    for (name, email) in [("Anne A", "anne@a.fr"), ("Bruno B", "bruno@b.fr")] {
        let (status, v) = api_register(app, &auth, session, name, email).await;
        assert_eq!(status, 201, "{v}");
        assert_eq!(v["status"], "confirmed");
    }
    assert_eq!(counters(app, session).await, (2, 0));
    let (_, agenda) = Browser::new(app).await.page("/ateliers").await;
    let c = card(&agenda, session).expect("session listed");
    assert!(c.contains("Complet"), "{c}");

    // A visitor registers on the full session: after confirming, they wait.
    let mut chloe = Browser::new(app).await;
    let (status, _, _) = chloe
        .submit(
            &format!("/ateliers/{session}/inscription"),
            &registration_form("Chloé C", "chloe@c.fr", "Café C", true),
        )
        .await;
    assert_eq!(status, 303);
    let link = private_link(&app.last_mail_to("chloe@c.fr").await);
    link_action(&mut chloe, &link, "confirm").await;
    assert_eq!(reg_status(app, session, "chloe@c.fr").await, "waiting");
    for (name, email, pos) in [("David D", "david@d.fr", 2), ("Emma E", "emma@e.fr", 3)] {
        let (status, v) = api_register(app, &auth, session, name, email).await;
        assert_eq!(status, 201, "{v}");
        assert_eq!(v["status"], "waiting");
        assert_eq!(v["position"], pos);
    }
    assert_eq!(counters(app, session).await, (2, 3));

    // Anne cancels through her link: Chloé is offered the seat.
    let mut anne = Browser::new(app).await;
    let anne_link = private_link(&app.last_mail_to("anne@a.fr").await);
    link_action(&mut anne, &anne_link, "cancel").await;
    assert_eq!(reg_status(app, session, "anne@a.fr").await, "cancelled");
    assert_eq!(reg_status(app, session, "chloe@c.fr").await, "offered");
    assert_eq!(reg_status(app, session, "david@d.fr").await, "waiting");
    let offer = wait_mail(app, "chloe@c.fr", is_offer).await;
    assert!(
        offer.subject.contains("place") && offer.subject.contains("libérée"),
        "{}",
        offer.subject
    );
    let offer_link = private_link(&offer);
    let (status, html) = chloe.page(&offer_link).await;
    assert_eq!(status, 200);
    assert!(html.contains("accept"), "{html}");
    link_action(&mut chloe, &offer_link, "accept").await;
    assert_eq!(reg_status(app, session, "chloe@c.fr").await, "confirmed");
    assert_eq!(counters(app, session).await, (2, 2));
    let confirmed = wait_mail(app, "chloe@c.fr", |m| !m.attachments.is_empty()).await;
    assert_eq!(confirmed.attachments.len(), 1, "{confirmed:?}");

    // Bruno is cancelled by the API: David is offered the seat but lets the
    // offer lapse; it goes to Emma.
    let bruno = app
        .count(&format!(
            "SELECT id FROM workshop_registrations WHERE session_id = {session} AND email = 'bruno@b.fr'"
        ))
        .await;
    let res = client()
        .delete(app.url(&format!(
            "/api/v1/workshops/{session}/registrations/{bruno}"
        )))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(reg_status(app, session, "david@d.fr").await, "offered");
    let expires = app
        .count(&format!("SELECT offer_expires_at FROM workshop_registrations WHERE session_id = {session} AND email = 'david@d.fr'"))
        .await;
    let now = now_ms();
    assert!(expires > now + 23 * HOUR && expires <= now + 24 * HOUR + 60_000);
    // Not yet due: nothing changes.
    tick(app, now + HOUR).await;
    assert_eq!(reg_status(app, session, "david@d.fr").await, "offered");
    tick(app, now + 25 * HOUR).await;
    assert_eq!(reg_status(app, session, "david@d.fr").await, "expired");
    assert_eq!(reg_status(app, session, "emma@e.fr").await, "offered");
    assert_eq!(counters(app, session).await, (2, 0));
    let emma = wait_mail(app, "emma@e.fr", is_offer).await;
    assert!(emma.subject.contains("libérée"), "{}", emma.subject);
    // David's old offer link no longer gets him the seat.
    let david_link = private_link(
        mails_for(app, "david@d.fr")
            .await
            .iter()
            .rev()
            .find(|m| m.subject.contains("libérée"))
            .expect("offer mail to David"),
    );
    let mut david = Browser::new(app).await;
    let (status, _, _) = david.submit(&david_link, &[("action", "accept")]).await;
    assert!(status < 500);
    assert_eq!(reg_status(app, session, "david@d.fr").await, "expired");
    assert_eq!(reg_status(app, session, "emma@e.fr").await, "offered");
}
