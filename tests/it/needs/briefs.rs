//! Needs: briefs validated, published to matching providers once, and
//! scoped to their business.

use super::*;

both_databases!(
    publishing_a_brief_notifies_matching_providers_once,
    a_brief_is_validated_and_kept_and_publishing_says_why_not,
    needs_are_scoped_to_their_business_and_matching_providers,
    the_needs_store_publishes_once_and_keeps_replies_and_quotes,
);

async fn publishing_a_brief_notifies_matching_providers_once(app: &TestApp) {
    let matching = insert_card(
        app,
        Card {
            name: "Atelier Web Gironde",
            email: "contact@atelier-gironde.test",
            ..Default::default()
        },
    )
    .await;
    let other_theme = insert_card(
        app,
        Card {
            name: "Boutiques Express",
            email: "contact@boutiques.test",
            themes: &["boutique-en-ligne"],
            ..Default::default()
        },
    )
    .await;
    insert_card(
        app,
        Card {
            name: "Landes Numérique",
            email: "contact@landes.test",
            territories: &["FR-D40"],
            ..Default::default()
        },
    )
    .await;
    let remote = insert_card(
        app,
        Card {
            name: "Partout Web",
            email: "contact@partout.test",
            remote: true,
            territories: &[],
            ..Default::default()
        },
    )
    .await;
    insert_card(
        app,
        Card {
            name: "Pas encore validé",
            email: "contact@pending.test",
            status: "pending",
            ..Default::default()
        },
    )
    .await;
    insert_card(
        app,
        Card {
            name: "Grands Comptes",
            email: "contact@grands.test",
            sizes: &["50-249"],
            ..Default::default()
        },
    )
    .await;
    let region = insert_card(
        app,
        Card {
            name: "Nouvelle-Aquitaine Digital",
            email: "contact@na-digital.test",
            territories: &["FR-R75"],
            sizes: &["1-9", "10-49"],
            ..Default::default()
        },
    )
    .await;

    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let (status, html) = marie.page("/besoins/nouveau").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"title\""), "{html}");
    let id = brief(
        app,
        &mut marie,
        "Un site vitrine pour la boulangerie",
        "save",
    )
    .await;
    assert_eq!(status_of(app, id).await, "draft");
    assert_eq!(app.mails_to("contact@atelier-gironde.test").await, 0);

    let (status, location, _) = marie
        .submit(&format!("/besoins/{id}"), &[("action", "publish")])
        .await;
    assert_eq!(status, 303);
    // The demo seed may hold more matching cards: count only ours.
    assert!(
        location.starts_with(&format!("/besoins/{id}?publie=")),
        "{location}"
    );
    assert_eq!(status_of(app, id).await, "published");

    let mail = app.last_mail_to("contact@atelier-gironde.test").await;
    assert!(
        mail.subject.contains("Un site vitrine pour la boulangerie"),
        "{mail:?}"
    );
    assert!(
        mail.body_text.contains("Atelier Web Gironde"),
        "{}",
        mail.body_text
    );
    assert!(
        mail.body_text.contains("Être trouvée sur internet"),
        "{}",
        mail.body_text
    );
    assert!(
        mail.body_text
            .contains(&format!("/prestataire/besoins/{id}")),
        "{}",
        mail.body_text
    );
    app.last_mail_to("contact@partout.test").await;
    app.last_mail_to("contact@na-digital.test").await;
    for nobody in [
        "contact@boutiques.test",
        "contact@landes.test",
        "contact@pending.test",
        "contact@grands.test",
    ] {
        assert_eq!(app.mails_to(nobody).await, 0, "{nobody} was told");
    }
    let told: Vec<i64> = sqlx::query_scalar(
        "SELECT provider_id FROM need_notifications WHERE need_id = $1 ORDER BY provider_id",
    )
    .bind(id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    for card in [matching, remote, region] {
        assert!(told.contains(&card), "{card} not told: {told:?}");
    }
    assert!(!told.contains(&other_theme), "{told:?}");
    let total = told.len() as i64;
    let (_, html) = marie.page(&format!("/besoins/{id}")).await;
    assert!(html.contains("prestataires ont été prévenus"), "{html}");

    // Editing the published need, closing and publishing again: nobody is
    // told twice.
    let version = version_of(app, id).await;
    let theme = theme_id(app, "site-vitrine").await;
    let (status, _, body) = marie
        .submit(
            &format!("/besoins/{id}/modifier"),
            &[
                ("title", "Un site vitrine pour la boulangerie (v2)"),
                ("themes", &theme),
                ("territory_code", "FR-C33063"),
                ("size_band", "1-9"),
                ("version", &version),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "close"), ("confirmed", "1")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(status_of(app, id).await, "closed");
    let (status, location, _) = marie
        .submit(&format!("/besoins/{id}"), &[("action", "publish")])
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/besoins/{id}?publie=0"));
    assert_eq!(status_of(app, id).await, "published");
    assert_eq!(app.mails_to("contact@atelier-gironde.test").await, 1);
    assert_eq!(app.mails_to("contact@partout.test").await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM need_notifications WHERE need_id = {id}"
        ))
        .await,
        total
    );
}

async fn a_brief_is_validated_and_kept_and_publishing_says_why_not(app: &TestApp) {
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    // Bad values: each is named, and what was typed stays.
    let (status, _, html) = marie
        .submit(
            "/besoins/nouveau",
            &[
                ("title", "Un site"),
                ("context", "Mon contexte très précis"),
                ("deadline", "31/02/2030"),
                ("budget_band", "beaucoup"),
                ("themes", "999999"),
                ("territory_code", "XX-NOWHERE"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Saisissez une date valide"), "{html}");
    assert!(html.contains("Mon contexte très précis"), "{html}");
    assert!(html.contains("value=\"31/02/2030\""), "{html}");
    assert!(
        html.contains("Choisissez une option dans la liste."),
        "{html}"
    );
    let (status, _, html) = marie
        .submit(
            "/besoins/nouveau",
            &[("title", &"x".repeat(161)), ("action", "save")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("160"), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM needs").await, 0);

    // Saving and publishing at once without themes says why.
    let (status, _, html) = marie
        .submit(
            "/besoins/nouveau",
            &[("title", "Un site vitrine"), ("action", "publish")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Aucun thème n&#39;est choisi") || html.contains("Aucun thème n'est choisi"),
        "{html}"
    );
    assert!(html.contains("value=\"Un site vitrine\""), "{html}");

    // A draft may lack a title and themes; publishing it is refused.
    let (status, location, body) = marie
        .submit(
            "/besoins/nouveau",
            &[("goal", "Vendre en ligne"), ("action", "save")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let id = id_from(&location);
    let (status, _, html) = marie
        .submit(&format!("/besoins/{id}"), &[("action", "publish")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("pas de titre"), "{html}");
    assert!(html.contains("au moins un thème"), "{html}");
    assert_eq!(status_of(app, id).await, "draft");
    // The territory defaulted to the business's commune.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM needs WHERE id = {id} AND territory_code = 'FR-C33063'"
        ))
        .await,
        1
    );

    // A stale save is refused with what was typed kept.
    let stale = version_of(app, id).await;
    let (status, _, _) = marie
        .submit(
            &format!("/besoins/{id}/modifier"),
            &[
                ("title", "Première version"),
                ("version", &stale),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, html) = marie
        .submit(
            &format!("/besoins/{id}/modifier"),
            &[
                ("title", "Version concurrente"),
                ("version", &stale),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("Version concurrente"), "{html}");
    assert!(
        html.contains("Quelqu&#39;un a modifié") || html.contains("Quelqu'un a modifié"),
        "{html}"
    );
    let title: String = sqlx::query_scalar("SELECT title FROM needs WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(title, "Première version");

    // Staff choose the business.
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (status, _, html) = adviser
        .submit(
            "/besoins/nouveau",
            &[("title", "Pour qui ?"), ("action", "save")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("name=\"business_id\""), "{html}");
    let business = app
        .count("SELECT id FROM businesses WHERE name = 'Boulangerie Dupont'")
        .await
        .to_string();
    let (status, location, _) = adviser
        .submit(
            "/besoins/nouveau",
            &[
                ("title", "Pour Marie"),
                ("business_id", &business),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    // Marie sees the need her adviser wrote.
    let (status, html) = marie.page(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Pour Marie"));
}

async fn needs_are_scoped_to_their_business_and_matching_providers(app: &TestApp) {
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let draft = brief(app, &mut marie, "Brouillon privé", "save").await;
    let id = brief(app, &mut marie, "Besoin de la boulangerie", "publish").await;

    // Another business owner.
    let (paul, _) = tremplin::cli::create_user(
        &app.db,
        "paul@menuiserie-garcia.test",
        "Paul Garcia",
        PW,
        &["business".to_string()],
    )
    .await
    .unwrap();
    business_for(app, paul, "Menuiserie Paul Garcia", "52345678").await;
    let mut other = Browser::signed_in(app, "paul@menuiserie-garcia.test", PW).await;
    for path in [
        format!("/besoins/{id}"),
        format!("/besoins/{id}/modifier"),
        format!("/besoins/{id}/cahier-des-charges.pdf"),
        format!("/besoins/{id}/devis"),
        format!("/besoins/{draft}"),
    ] {
        let (status, _) = other.page(&path).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _, _) = other
        .submit(
            &format!("/besoins/{id}"),
            &[("action", "close"), ("confirmed", "1")],
        )
        .await;
    assert_eq!(status, 404);
    let (status, html) = other.page("/besoins").await;
    assert_eq!(status, 200);
    assert!(!html.contains("Besoin de la boulangerie"));
    let (_, html) = marie.page("/besoins").await;
    assert!(html.contains("Besoin de la boulangerie"));

    // Staff see everything, filtered by status.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/besoins?statut=draft").await;
    assert_eq!(status, 200);
    assert!(html.contains("Brouillon privé"));
    assert!(!html.contains("Besoin de la boulangerie"));
    let (status, _) = admin.page(&format!("/besoins/{id}")).await;
    assert_eq!(status, 200);

    // A provider whose card does not match sees nothing; a card published
    // later that matches sees the open need; drafts are never shown.
    let mut provider = provider_account(app, "agence@autre-prestataire.test").await;
    insert_card(
        app,
        Card {
            name: "Carte hors sujet",
            member: Some("agence@autre-prestataire.test"),
            themes: &["boutique-en-ligne"],
            ..Default::default()
        },
    )
    .await;
    let (status, _) = provider.page(&format!("/prestataire/besoins/{id}")).await;
    assert_eq!(status, 404);
    let (_, html) = provider.page("/prestataire/besoins").await;
    assert!(!html.contains("Besoin de la boulangerie"));
    let (status, _, _) = provider
        .submit(
            &format!("/prestataire/besoins/{id}"),
            &[("message", "Je réponds quand même à ce besoin.")],
        )
        .await;
    assert_eq!(status, 404);
    insert_card(
        app,
        Card {
            name: "Carte arrivée ensuite",
            member: Some("agence@autre-prestataire.test"),
            ..Default::default()
        },
    )
    .await;
    let (status, _) = provider.page(&format!("/prestataire/besoins/{id}")).await;
    assert_eq!(status, 200);
    let (status, _) = provider
        .page(&format!("/prestataire/besoins/{draft}"))
        .await;
    assert_eq!(status, 404);
    // Providers have no access to the business side.
    let (status, _) = provider.page(&format!("/besoins/{id}")).await;
    assert_eq!(status, 403);
    // Nor do visitors.
    let res = client()
        .get(app.url(&format!("/besoins/{id}")))
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), 200);
}

async fn the_needs_store_publishes_once_and_keeps_replies_and_quotes(app: &TestApp) {
    let db = &app.db;
    let marie = user_id(app, OWNER).await;
    let business = tremplin::business::store::for_member(db, marie)
        .await
        .unwrap()
        .expect("Marie's business");
    let card = insert_card(
        app,
        Card {
            name: "Atelier du Store",
            email: "contact@atelier-store.test",
            ..Default::default()
        },
    )
    .await;
    let brief = ValidNeed {
        business_id: business.id,
        title: "Un besoin écrit par le store".into(),
        context: String::new(),
        goal: "Être trouvée en ligne".into(),
        audience: String::new(),
        features: String::new(),
        existing_tools: String::new(),
        budget_band: "1k-3k".into(),
        deadline: "2030-09-30".into(),
        constraints_text: String::new(),
        territory_code: "FR-C33063".into(),
        size_band: "1-9".into(),
        themes: vec![theme_id(app, "site-vitrine").await.parse().unwrap()],
    };
    let mut tx = db.begin_write().await.unwrap();
    let id = store::insert(&mut tx, marie, &brief).await.unwrap();
    tx.commit().await.unwrap();
    let draft = need(app, id).await;
    assert_eq!(draft.status, NeedStatus::Draft);
    assert_eq!(draft.themes.len(), 1);
    assert_eq!(draft.business_name, "Boulangerie Dupont");

    // Publishing records each matching card once.
    let mut tx = db.begin_write().await.unwrap();
    let locked = store::lock(&mut tx, db, id).await.unwrap().unwrap();
    assert_eq!(locked.status(), NeedStatus::Draft);
    let told = store::publish(&mut tx, id).await.unwrap();
    assert!(told.contains(&card), "{told:?}");
    assert!(store::publish(&mut tx, id).await.unwrap().is_empty());
    tx.commit().await.unwrap();
    assert_eq!(need(app, id).await.status, NeedStatus::Published);
    assert_eq!(
        store::notified_count(db, id).await.unwrap(),
        told.len() as i64
    );

    // One reply per card, updated in place; choosing it.
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        !store::upsert_reply(&mut tx, id, card, marie, &reply_text("Première réponse"))
            .await
            .unwrap()
    );
    assert!(
        store::upsert_reply(&mut tx, id, card, marie, &reply_text("Réponse mise à jour"))
            .await
            .unwrap()
    );
    store::mark_in_discussion(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    let replies = store::replies(db, id).await.unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].message, "Réponse mise à jour");
    assert_eq!(replies[0].status(), ReplyStatus::Sent);
    let mut tx = db.begin_write().await.unwrap();
    store::choose(&mut tx, id, replies[0].id, card)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let chosen = need(app, id).await;
    assert_eq!(chosen.status, NeedStatus::ProviderChosen);
    assert_eq!(chosen.chosen_provider_id, Some(card));
    assert_eq!(chosen.chosen_name, "Atelier du Store");

    // Quote reviews: a stale save changes nothing.
    let quote = ValidQuote {
        label: "Devis".into(),
        provider_id: Some(card),
        amount: Some(tremplin::kernel::money::Euros(240_050)),
        checklist: "{}".into(),
        notes: String::new(),
    };
    let qid = store::insert_quote(db, id, marie, &quote).await.unwrap();
    assert_eq!(store::quote_count(db, id).await.unwrap(), 1);
    let revised = ValidQuote {
        amount: None,
        ..quote
    };
    assert!(!store::update_quote(db, id, qid, 7, &revised).await.unwrap());
    assert!(store::update_quote(db, id, qid, 1, &revised).await.unwrap());
    let stored = store::quote(db, id, qid).await.unwrap().unwrap();
    assert_eq!(stored.amount(), None);
    assert_eq!(stored.version, 2);
    assert_eq!(stored.provider_name.as_deref(), Some("Atelier du Store"));
}
