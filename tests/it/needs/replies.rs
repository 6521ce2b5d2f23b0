//! Needs: providers' replies, the shortlist and choice, quote reviews.

use super::*;

both_databases!(
    providers_reply_once_and_the_business_shortlists_then_chooses,
    quote_reviews_are_kept_with_the_need_and_the_pdf_is_served,
);

async fn providers_reply_once_and_the_business_shortlists_then_chooses(app: &TestApp) {
    let card = insert_card(
        app,
        Card {
            name: "Web Atelier Test",
            member: Some(PROVIDER),
            ..Default::default()
        },
    )
    .await;
    let other = insert_card(
        app,
        Card {
            name: "Deuxième Agence",
            email: "contact@deuxieme.test",
            remote: true,
            ..Default::default()
        },
    )
    .await;
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let id = brief(
        app,
        &mut marie,
        "Refaire le site de la boulangerie",
        "publish",
    )
    .await;
    assert_eq!(status_of(app, id).await, "published");
    // The card has no address: its member is told.
    let mail = app.last_mail_to(PROVIDER).await;
    assert!(mail
        .body_text
        .contains(&format!("/prestataire/besoins/{id}")));

    let mut provider = Browser::signed_in(app, PROVIDER, PW).await;
    let (status, html) = provider.page("/prestataire/besoins").await;
    assert_eq!(status, 200);
    assert!(html.contains("Refaire le site de la boulangerie"), "{html}");
    let (status, html) = provider.page(&format!("/prestataire/besoins/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Commande de gâteaux"), "{html}");

    // Too short: refused, kept.
    let (status, _, html) = send_reply(&mut provider, id, card, "Oui").await;
    assert_eq!(status, 422);
    assert!(html.contains(">Oui</textarea>"), "{html}");

    let (status, location, _) = send_reply(
        &mut provider,
        id,
        card,
        "Bonjour, nous réalisons des sites vitrines depuis 10 ans.",
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/prestataire/besoins/{id}?envoye=1"));
    assert_eq!(status_of(app, id).await, "in_discussion");
    let mail = mail_with(app, OWNER, "Web Atelier Test").await;
    assert!(
        mail.body_text.contains(&format!("/besoins/{id}")),
        "{}",
        mail.body_text
    );
    assert!(mail.body_text.contains("depuis 10 ans"));

    // A second reply from the same card updates the first.
    let (status, _, _) = send_reply(
        &mut provider,
        id,
        card,
        "Mise à jour : devis joint par e-mail, livraison en 6 semaines.",
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM need_replies WHERE need_id = {id}"
        ))
        .await,
        1
    );
    let message: String = sqlx::query_scalar("SELECT message FROM need_replies WHERE need_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(message.starts_with("Mise à jour"));
    let reply = app
        .count(&format!("SELECT id FROM need_replies WHERE need_id = {id}"))
        .await;
    let reply_s = reply.to_string();

    // The business sees the reply, shortlists, then chooses.
    let (_, html) = marie.page(&format!("/besoins/{id}")).await;
    assert!(html.contains("livraison en 6 semaines"), "{html}");
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "shortlist"), ("reply", &reply_s)],
        )
        .await;
    assert_eq!(status, 303);
    let rs: String = sqlx::query_scalar("SELECT status FROM need_replies WHERE id = $1")
        .bind(reply)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rs, "shortlisted");
    assert_eq!(status_of(app, id).await, "in_discussion");
    // A reply of another need cannot be chosen here.
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "choose"), ("reply", "999999")],
        )
        .await;
    assert_eq!(status, 422);
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "choose"), ("reply", &reply_s)],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(status_of(app, id).await, "provider_chosen");
    assert_eq!(
        app.count(&format!(
            "SELECT chosen_provider_id FROM needs WHERE id = {id}"
        ))
        .await,
        card
    );
    let rs: String = sqlx::query_scalar("SELECT status FROM need_replies WHERE id = $1")
        .bind(reply)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rs, "chosen");
    let mail = mail_with(app, PROVIDER, "choisi").await;
    assert!(mail.body_text.contains("Boulangerie Dupont"), "{mail:?}");
    // The other matching provider was not declined by the choice.
    assert_eq!(app.mails_to("contact@deuxieme.test").await, 1);
    let _ = other;

    // Once a provider is chosen, or the need is closed, replies are refused.
    let (status, _, html) =
        send_reply(&mut provider, id, card, "Encore un message pour vous.").await;
    assert_eq!(status, 422);
    assert!(html.contains("déjà choisi un prestataire"), "{html}");
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "close"), ("confirmed", "1")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(status_of(app, id).await, "closed");
    let (status, _, html) =
        send_reply(&mut provider, id, card, "Encore un message pour vous.").await;
    assert_eq!(status, 422);
    assert!(html.contains("Ce besoin est clos"), "{html}");
    assert!(message.starts_with("Mise à jour"));
}

async fn quote_reviews_are_kept_with_the_need_and_the_pdf_is_served(app: &TestApp) {
    let card = insert_card(
        app,
        Card {
            name: "Web Atelier Devis",
            member: Some(PROVIDER),
            ..Default::default()
        },
    )
    .await;
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let id = brief(app, &mut marie, "Site vitrine à chiffrer", "publish").await;
    let mut provider = Browser::signed_in(app, PROVIDER, PW).await;
    let card_s = card.to_string();
    let (status, _, _) =
        send_reply(&mut provider, id, card, "Notre devis arrive par e-mail.").await;
    assert_eq!(status, 303);

    let (status, html) = marie.page(&format!("/besoins/{id}/devis")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Web Atelier Devis"),
        "the repliers are offered: {html}"
    );
    assert!(html.contains("Réversibilité"), "{html}");

    // A bad amount is refused, the rest kept.
    let (status, _, html) = marie
        .submit(
            &format!("/besoins/{id}/devis"),
            &[
                ("label", "Devis du 12 mars"),
                ("amount", "deux mille"),
                ("check_scope", "ok"),
                ("note_scope", "Pages listées"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Saisissez un montant en euros"), "{html}");
    assert!(html.contains("value=\"Devis du 12 mars\""));
    assert!(html.contains("value=\"Pages listées\""));

    let (status, location, _) = marie
        .submit(
            &format!("/besoins/{id}/devis"),
            &[
                ("label", "Devis du 12 mars"),
                ("provider_id", &card_s),
                ("amount", "2 400,50"),
                ("check_scope", "ok"),
                ("note_scope", "Pages listées"),
                ("check_ownership", "ko"),
                ("note_ownership", "Le domaine serait au nom du prestataire"),
                ("check_reversibility", "unknown"),
                ("notes", "À revoir avec le conseiller"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with(&format!("/besoins/{id}/devis?enregistre=1")));
    let (amount, checklist): (Option<i64>, String) =
        sqlx::query_as("SELECT amount_cents, checklist FROM quote_reviews WHERE need_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(amount, Some(240_050));
    let parsed: serde_json::Value = serde_json::from_str(&checklist).unwrap();
    assert_eq!(parsed["ownership"]["value"], "ko");
    assert_eq!(parsed["gdpr"]["value"], "unknown");
    let (_, html) = marie.page(&format!("/besoins/{id}/devis")).await;
    assert!(
        html.contains("Le domaine serait au nom du prestataire"),
        "{html}"
    );
    assert!(html.contains("2\u{202f}400,50\u{a0}€"), "{html}");
    assert!(html.contains("1 point problématique"), "{html}");

    // Edit it; a stale edit is refused with what was typed kept.
    let quote = app
        .count(&format!(
            "SELECT id FROM quote_reviews WHERE need_id = {id}"
        ))
        .await;
    let path = format!("/besoins/{id}/devis/{quote}");
    let (status, html) = marie.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"2400,50\""), "{html}");
    let (status, _, _) = marie
        .submit(
            &path,
            &[
                ("label", "Devis du 12 mars (révisé)"),
                ("amount", "2100"),
                ("version", "1"),
                ("check_ownership", "ok"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, html) = marie
        .submit(&path, &[("label", "Autre version"), ("version", "1")])
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("value=\"Autre version\""));
    assert_eq!(
        app.count(&format!(
            "SELECT amount_cents FROM quote_reviews WHERE id = {quote}"
        ))
        .await,
        210_000
    );

    // The specification as a PDF.
    let res = marie
        .get(&format!("/besoins/{id}/cahier-des-charges.pdf"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // Titled with the need and marked as French for screen readers.
    assert_eq!(pdf_lang(&bytes), "fr");
    if let Some(title) = pdf_title(&bytes) {
        assert_eq!(title, "Site vitrine à chiffrer");
    }
    // The page version too.
    let (_, html) = marie.page(&format!("/besoins/{id}")).await;
    assert!(html.contains("Cahier des charges"));
    assert!(html.contains("Site en français et en anglais"));
}
