//! Issue 13's leftovers on needs and journeys: a reply's amount, delay and
//! quote file; messages between a business and a replying provider, read by
//! the adviser; confirmations before closing a need or declining a reply;
//! the trade picker on the business form; the demo's diagnostics.

use crate::both_databases;
use crate::harness::{client, Browser, TestApp, PW};
use crate::needs::{
    brief, insert_card, provider_account, send_reply, status_of, Card, ADVISER, OWNER, PROVIDER,
};

both_databases!(
    a_reply_carries_an_amount_a_delay_and_a_quote_checked_by_content,
    the_business_and_a_replying_provider_exchange_messages_the_adviser_reads_them,
    closing_a_need_and_declining_a_reply_ask_first,
    the_business_form_offers_trades_in_plain_words_and_stores_nace,
    the_demo_diagnostics_show_the_comparison_once,
    any_official_commune_is_found_by_name_or_postcode_and_filed,
);

/// Post a multipart reply (fields and an optional file) as `b`.
async fn post_reply(
    app: &TestApp,
    b: &Browser,
    need: i64,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> (u16, String, String) {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        form = form.part("quote", part);
    }
    let res = client()
        .post(app.url(&format!(
            "/prestataire/besoins/{need}?csrf_token={}",
            b.csrf()
        )))
        .header("cookie", b.cookie_header())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, location, res.text().await.unwrap())
}

/// A published need of Marie's and a card kept by the demo provider.
async fn published_need(app: &TestApp, title: &str) -> (Browser, i64, i64) {
    let card = insert_card(
        app,
        Card {
            name: "Atelier Devis Test",
            member: Some(PROVIDER),
            ..Default::default()
        },
    )
    .await;
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let id = brief(app, &mut marie, title, "publish").await;
    (marie, id, card)
}

async fn a_reply_carries_an_amount_a_delay_and_a_quote_checked_by_content(app: &TestApp) {
    let (mut marie, id, card) = published_need(app, "Site vitrine avec devis").await;
    let card_s = card.to_string();
    let provider = Browser::signed_in(app, PROVIDER, PW).await;
    let message = "Bonjour, voici notre proposition pour votre site vitrine.";

    // A program renamed as a PDF is refused by its content; what was typed stays.
    let (status, _, html) = post_reply(
        app,
        &provider,
        id,
        &[
            ("message", message),
            ("amount", "2 400,50"),
            ("delay", "30"),
            ("provider_id", &card_s),
        ],
        Some(("devis.pdf", b"MZ\x90\x00 not a pdf".to_vec())),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"quote-error\""), "{html}");
    assert!(html.contains("value=\"2 400,50\""), "{html}");
    assert!(html.contains(message), "{html}");
    // A delay in words is refused with its own message.
    let (status, _, html) = post_reply(
        app,
        &provider,
        id,
        &[
            ("message", message),
            ("delay", "deux semaines"),
            ("provider_id", &card_s),
        ],
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"delay-error\""), "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM need_replies WHERE need_id = {id}"
        ))
        .await,
        0
    );

    // A real PDF goes with the amount and the delay.
    let pdf = b"%PDF-1.7\n% devis de test\n".to_vec();
    let (status, location, html) = post_reply(
        app,
        &provider,
        id,
        &[
            ("message", message),
            ("amount", "2 400,50"),
            ("delay", "30"),
            ("provider_id", &card_s),
        ],
        Some(("Devis 2026.pdf", pdf.clone())),
    )
    .await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(location, format!("/prestataire/besoins/{id}?envoye=1"));
    let reply = app
        .count(&format!("SELECT id FROM need_replies WHERE need_id = {id}"))
        .await;

    // The business sees the amount, the delay and the quote, and downloads it.
    let (_, html) = marie.page(&format!("/besoins/{id}")).await;
    assert!(html.contains("data-amount"), "{html}");
    assert!(
        html.contains("2\u{202f}400,50") || html.contains("2 400,50"),
        "{html}"
    );
    assert!(html.contains("30 jours"), "{html}");
    let quote_path = format!("/besoins/{id}/reponses/{reply}/devis");
    assert!(html.contains(&quote_path), "{html}");
    let res = marie.get(&quote_path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    // Another provider may not download it.
    let mut stranger = provider_account(app, "autre@devis.test").await;
    assert_eq!(
        stranger
            .get(&format!("/prestataire/besoins/{id}/reponses/{reply}/devis"))
            .await
            .status(),
        404
    );

    // Updating the reply as a plain form keeps the quote attached.
    let mut provider = provider;
    let (status, _, _) = provider
        .submit(
            &format!("/prestataire/besoins/{id}"),
            &[
                ("message", "Mise à jour : nous pouvons commencer lundi."),
                ("amount", "2600"),
                ("delay", "21"),
                ("provider_id", &card_s),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = provider.page(&format!("/prestataire/besoins/{id}")).await;
    assert!(html.contains("21 jours"), "{html}");
    assert!(html.contains("Devis 2026.pdf"), "{html}");
    assert_eq!(
        provider
            .get(&format!("/prestataire/besoins/{id}/reponses/{reply}/devis"))
            .await
            .status(),
        200
    );
}

async fn the_business_and_a_replying_provider_exchange_messages_the_adviser_reads_them(
    app: &TestApp,
) {
    let (mut marie, id, card) = published_need(app, "Site avec questions").await;
    let card_s = card.to_string();
    let mut provider = Browser::signed_in(app, PROVIDER, PW).await;
    // No thread before a reply.
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}/messages"),
            &[("provider_id", &card_s), ("body", "Bonjour ?")],
        )
        .await;
    assert_eq!(status, 422);
    let (status, _, _) = send_reply(
        &mut provider,
        id,
        card,
        "Nous pouvons vous aider, voici comment.",
    )
    .await;
    assert_eq!(status, 303);

    // The business asks; the card's people are told by mail.
    let (status, location, _) = marie
        .submit(
            &format!("/besoins/{id}/messages"),
            &[
                ("provider_id", &card_s),
                ("body", "Le nom de domaine est-il compris ?"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/besoins/{id}?message=1#thread-{card}"));
    // The reply's own notice has the same subject and may still be on its
    // way: wait for the message's mail by its content.
    let mail = app
        .wait_mail_to(PROVIDER, |m| {
            m.subject.contains("Boulangerie Dupont") && m.body_text.contains("nom de domaine")
        })
        .await;
    assert!(mail
        .body_text
        .contains(&format!("/prestataire/besoins/{id}")));

    // The provider reads and answers; the business is told.
    let (_, html) = provider.page(&format!("/prestataire/besoins/{id}")).await;
    assert!(html.contains(&format!("data-thread=\"{card}\"")), "{html}");
    assert!(html.contains("nom de domaine"), "{html}");
    let (status, _, _) = provider
        .submit(
            &format!("/prestataire/besoins/{id}/messages"),
            &[
                ("provider_id", &card_s),
                ("body", "Oui, la première année est offerte."),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let mail = app
        .wait_mail_to(OWNER, |m| {
            m.subject.contains("Atelier Devis Test") && m.body_text.contains("première année")
        })
        .await;
    assert!(
        mail.body_text.contains(&format!("/besoins/{id}")),
        "{mail:?}"
    );

    // The adviser reads the whole thread on the need page.
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (status, html) = adviser.page(&format!("/besoins/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("nom de domaine"), "{html}");
    assert!(html.contains("première année"), "{html}");
    assert!(html.contains("data-side=\"provider\""), "{html}");
    assert!(html.contains("data-side=\"business\""), "{html}");

    // An empty message is refused in its thread; another provider sees nothing.
    let (status, _, html) = marie
        .submit(
            &format!("/besoins/{id}/messages"),
            &[("provider_id", &card_s), ("body", "   ")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains(&format!("id=\"body-{card}-error\"")),
        "{html}"
    );
    let mut stranger = provider_account(app, "curieux@messages.test").await;
    let (status, _, _) = stranger
        .submit(
            &format!("/prestataire/besoins/{id}/messages"),
            &[("provider_id", &card_s), ("body", "Je m'invite.")],
        )
        .await;
    assert_eq!(status, 404);

    // Once the need is closed, no one writes on it any more.
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "close"), ("confirmed", "1")],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, _) = provider
        .submit(
            &format!("/prestataire/besoins/{id}/messages"),
            &[("provider_id", &card_s), ("body", "Encore une question ?")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM need_messages WHERE need_id = {id}"
        ))
        .await,
        2
    );
}

async fn closing_a_need_and_declining_a_reply_ask_first(app: &TestApp) {
    let (mut marie, id, card) = published_need(app, "Site à confirmer").await;
    let mut provider = Browser::signed_in(app, PROVIDER, PW).await;
    let (status, _, _) = send_reply(
        &mut provider,
        id,
        card,
        "Voici notre proposition détaillée.",
    )
    .await;
    assert_eq!(status, 303);
    let reply = app
        .count(&format!("SELECT id FROM need_replies WHERE need_id = {id}"))
        .await
        .to_string();

    // The buttons carry the question for the dialog.
    let (_, html) = marie.page(&format!("/besoins/{id}")).await;
    assert!(html.contains("data-confirm=\"Clore le besoin"), "{html}");
    assert!(
        html.contains("data-confirm=\"Décliner la réponse"),
        "{html}"
    );

    // Without JavaScript: a confirmation page, and nothing happens yet.
    let (status, _, html) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "decline"), ("reply", &reply)],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"confirmed\""), "{html}");
    assert!(html.contains("Atelier Devis Test"), "{html}");
    let rs: String = sqlx::query_scalar("SELECT status FROM need_replies WHERE id = $1")
        .bind(reply.parse::<i64>().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rs, "sent");
    let (status, _, html) = marie
        .submit(&format!("/besoins/{id}"), &[("action", "close")])
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"confirmed\""), "{html}");
    assert_eq!(status_of(app, id).await, "in_discussion");

    // "Yes" goes ahead.
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "decline"), ("reply", &reply), ("confirmed", "1")],
        )
        .await;
    assert_eq!(status, 303);
    let rs: String = sqlx::query_scalar("SELECT status FROM need_replies WHERE id = $1")
        .bind(reply.parse::<i64>().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rs, "declined");
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "close"), ("confirmed", "1")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(status_of(app, id).await, "closed");
}

async fn the_business_form_offers_trades_in_plain_words_and_stores_nace(app: &TestApp) {
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (status, html) = adviser.page("/entreprises/nouvelle").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("value=\"metier:boulangerie-patisserie\""),
        "{html}"
    );
    assert!(html.contains("<optgroup"), "{html}");
    assert!(html.contains("data-filter"), "{html}");
    let siren = tremplin::cli::seed::siren_from("73282932");
    let form = |sector: &'static str| {
        vec![
            ("name", "Fournil des Chartrons".to_string()),
            ("country", "FR".to_string()),
            ("legal_id", siren.clone()),
            ("sector_code", sector.to_string()),
            ("size_band", "1-9".to_string()),
            ("commune_code", "FR-C33063".to_string()),
            ("version", "0".to_string()),
        ]
    };
    // Another field refused: the trade stays picked.
    let mut bad = form("metier:boulangerie-patisserie");
    bad[0].1 = String::new();
    let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, html) = adviser.submit("/entreprises/nouvelle", &refs).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("value=\"metier:boulangerie-patisserie\" selected"),
        "{html}"
    );
    let good = form("metier:boulangerie-patisserie");
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, html) = adviser.submit("/entreprises/nouvelle", &refs).await;
    assert_eq!(status, 303, "{html}");
    let sector: String = sqlx::query_scalar(
        "SELECT sector_code FROM businesses WHERE name = 'Fournil des Chartrons'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(sector, "10");
}

async fn the_demo_diagnostics_show_the_comparison_once(app: &TestApp) {
    let seeded = tremplin::diagnostic::demo::seed(&app.db).await.unwrap();
    assert!(seeded.created > 0);
    let link = seeded.link.expect("a results link");
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor.page(&link).await;
    assert_eq!(status, 200);
    assert!(html.contains("Comparaison avec"), "{html}");
    assert!(!html.contains("Pas encore assez de diagnostics"), "{html}");
    // Loading the demo again adds nothing.
    let again = tremplin::diagnostic::demo::seed(&app.db).await.unwrap();
    assert_eq!(again.created, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM diagnostics WHERE status = 'submitted'")
            .await,
        tremplin::diagnostic::demo::DEMO_DIAGNOSTICS
    );
}

async fn any_official_commune_is_found_by_name_or_postcode_and_filed(app: &TestApp) {
    // The search page works without JavaScript, accents and hyphens optional.
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor.page("/communes?q=saint+emilion").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-commune=\"FR-C33394\""), "{html}");
    let (_, html) = visitor.page("/communes?q=98800").await;
    assert!(html.contains("Nouméa"), "{html}");
    let (_, html) = visitor.page("/communes?q=wavre").await;
    assert!(html.contains("data-commune=\"BE-C25112\""), "{html}");
    // The suggestions of commune fields.
    let found: serde_json::Value = visitor
        .get("/communes?q=33330&format=json")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["label"] == "Saint-Émilion (33330)"),
        "{found}"
    );

    // A business is filed under a commune typed by name.
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (_, html) = adviser.page("/entreprises/nouvelle").await;
    assert!(html.contains("data-communes=\"/communes\""), "{html}");
    let siren = tremplin::cli::seed::siren_from("73282940");
    let form = |commune: &'static str| {
        vec![
            ("name", "Château Test".to_string()),
            ("country", "FR".to_string()),
            ("legal_id", siren.clone()),
            ("sector_code", "01".to_string()),
            ("size_band", "1-9".to_string()),
            ("commune_code", commune.to_string()),
            ("version", "0".to_string()),
        ]
    };
    // Several communes bear this name: refused, and what was typed stays.
    let f = form("Saint-Martin");
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, html) = adviser.submit("/entreprises/nouvelle", &refs).await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"commune_code-error\""), "{html}");
    assert!(html.contains("value=\"Saint-Martin\""), "{html}");
    let f = form("saint emilion");
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, location, html) = adviser.submit("/entreprises/nouvelle", &refs).await;
    assert_eq!(status, 303, "{html}");
    let commune: String =
        sqlx::query_scalar("SELECT commune_code FROM businesses WHERE name = 'Château Test'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(commune, "FR-C33394");
    // The edit page reads it back as "Name (postcode)".
    let (_, html) = adviser.page(location.split('?').next().unwrap()).await;
    assert!(html.contains("value=\"Saint-Émilion (33330)\""), "{html}");
}
