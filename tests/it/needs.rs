//! Needs: the guided brief, publishing that notifies matching providers
//! once, replies, shortlist and choice, quote reviews, the PDF, scoping;
//! and the store on its own.

use tremplin::directory::model as directory;
use tremplin::needs::model::{NeedStatus, ReplyStatus, ValidNeed};
use tremplin::needs::review::ValidQuote;
use tremplin::needs::store;
use tremplin::outbox::SentMail;

use crate::both_databases;
use crate::harness::{client, pdf_lang, pdf_title, Browser, TestApp, PW};

both_databases!(
    publishing_a_brief_notifies_matching_providers_once,
    a_brief_is_validated_and_kept_and_publishing_says_why_not,
    providers_reply_once_and_the_business_shortlists_then_chooses,
    quote_reviews_are_kept_with_the_need_and_the_pdf_is_served,
    needs_are_scoped_to_their_business_and_matching_providers,
    the_needs_store_publishes_once_and_keeps_replies_and_quotes,
);

pub(crate) const ADMIN: &str = "responsable@tremplin-demo.fr";
pub(crate) const ADVISER: &str = "conseiller@tremplin-demo.fr";
pub(crate) const PROVIDER: &str = "prestataire@tremplin-demo.fr";
pub(crate) const OWNER: &str = "marie@boulangerie-dupont.fr";

/// A provider card, built through the directory's model and store.
pub(crate) struct Card<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub status: &'a str,
    pub remote: bool,
    pub themes: &'a [&'a str],
    pub territories: &'a [&'a str],
    pub sizes: &'a [&'a str],
    pub member: Option<&'a str>,
}

impl Default for Card<'_> {
    fn default() -> Self {
        Card {
            name: "Prestataire",
            email: "",
            status: "published",
            remote: false,
            themes: &["site-vitrine"],
            territories: &["FR-D33"],
            sizes: &[],
            member: None,
        }
    }
}

/// The id of an account, by address.
async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.count(&format!("SELECT id FROM users WHERE email = '{email}'"))
        .await
}

/// Store a card as the directory does (checked, linked, indexed); returns its id.
pub(crate) async fn insert_card(app: &TestApp, c: Card<'_>) -> i64 {
    let mut themes = vec![];
    for slug in c.themes {
        themes.push(theme_id(app, slug).await.parse().unwrap());
    }
    let form = directory::CardForm {
        name: c.name.to_string(),
        country: "FR".into(),
        email: c.email.to_string(),
        remote: c.remote,
        links: directory::Links {
            themes,
            territories: c.territories.iter().map(|t| t.to_string()).collect(),
            sizes: c.sizes.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
        ..Default::default()
    };
    let valid = directory::validate(&app.db, &form, false)
        .await
        .unwrap()
        .unwrap_or_else(|v| panic!("card {}: {v:?}", c.name));
    let member = match c.member {
        Some(email) => Some(user_id(app, email).await),
        None => None,
    };
    tremplin::directory::store::create(&app.db, &valid, c.status, "test", member)
        .await
        .unwrap()
}

/// A business of its own for `owner`, stored through the business model.
async fn business_for(app: &TestApp, owner: i64, name: &str, siren_base: &str) -> i64 {
    let input = tremplin::business::model::BusinessInput {
        name: name.to_string(),
        country: "FR".into(),
        legal_id: tremplin::cli::seed::siren_from(siren_base),
        sector_code: "16".into(),
        size_band: "1-9".into(),
        commune_code: "FR-C33243".into(),
        ..Default::default()
    };
    let valid = tremplin::business::store::validate(&app.db, &input)
        .await
        .unwrap()
        .unwrap_or_else(|v| panic!("business {name}: {v:?}"));
    tremplin::business::store::create(&app.db, None, &valid, None, Some(owner), None)
        .await
        .unwrap_or_else(|e| panic!("business {name}: {e:?}"))
}

/// The latest mail to `to` whose subject contains `needle` (waits for the
/// outbox, which may deliver an earlier mail to the same address first).
pub(crate) async fn mail_with(app: &TestApp, to: &str, needle: &str) -> SentMail {
    app.wait_mail_to(to, |m| m.subject.contains(needle)).await
}

/// A new account with the provider role.
pub(crate) async fn provider_account(app: &TestApp, email: &str) -> Browser {
    tremplin::cli::create_user(
        &app.db,
        email,
        "Autre Prestataire",
        PW,
        &["provider".to_string()],
    )
    .await
    .unwrap();
    Browser::signed_in(app, email, PW).await
}

async fn theme_id(app: &TestApp, slug: &str) -> String {
    app.count(&format!("SELECT id FROM themes WHERE slug = '{slug}'"))
        .await
        .to_string()
}

/// The id at the end of a `/besoins/{id}?…` redirect.
fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/besoins/")
        .split(['?', '/', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no need id in {location:?}"))
}

/// Marie writes a brief about a showcase site; `action` is save or publish.
pub(crate) async fn brief(app: &TestApp, b: &mut Browser, title: &str, action: &str) -> i64 {
    let theme = theme_id(app, "site-vitrine").await;
    let (status, location, body) = b
        .submit(
            "/besoins/nouveau",
            &[
                ("title", title),
                ("themes", &theme),
                (
                    "context",
                    "Boulangerie familiale depuis 1982, deux salariés.",
                ),
                (
                    "goal",
                    "Être trouvée sur internet par les habitants du quartier.",
                ),
                ("audience", "Les habitants et les touristes"),
                ("features", "Horaires\nCommande de gâteaux"),
                ("existing_tools", "Page Facebook"),
                ("budget_band", "1k-3k"),
                ("deadline", "2030-09-30"),
                ("constraints_text", "Site en français et en anglais"),
                ("territory_code", "FR-C33063"),
                ("size_band", "1-9"),
                ("action", action),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    id_from(&location)
}

/// The need as stored.
pub(crate) async fn need(app: &TestApp, id: i64) -> tremplin::needs::model::Need {
    tremplin::needs::store::get(&app.db, id)
        .await
        .unwrap()
        .expect("the need exists")
}

pub(crate) async fn status_of(app: &TestApp, id: i64) -> String {
    need(app, id).await.status.code().to_string()
}

async fn version_of(app: &TestApp, id: i64) -> String {
    need(app, id).await.version.to_string()
}

/// A reply with a message only.
fn reply_text(message: &str) -> tremplin::needs::model::ValidReply {
    tremplin::needs::model::ValidReply {
        message: message.to_string(),
        amount: None,
        delay_days: None,
        quote: None,
    }
}

// ---------------------------------------------------------------- tests

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
    let card_s = card.to_string();
    let (status, _, html) = provider
        .submit(
            &format!("/prestataire/besoins/{id}"),
            &[("message", "Oui"), ("provider_id", &card_s)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(">Oui</textarea>"), "{html}");

    let (status, location, _) = provider
        .submit(
            &format!("/prestataire/besoins/{id}"),
            &[
                (
                    "message",
                    "Bonjour, nous réalisons des sites vitrines depuis 10 ans.",
                ),
                ("provider_id", &card_s),
            ],
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
    let (status, _, _) = provider
        .submit(
            &format!("/prestataire/besoins/{id}"),
            &[
                (
                    "message",
                    "Mise à jour : devis joint par e-mail, livraison en 6 semaines.",
                ),
                ("provider_id", &card_s),
            ],
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
    let (status, _, html) = provider
        .submit(
            &format!("/prestataire/besoins/{id}"),
            &[
                ("message", "Encore un message pour vous."),
                ("provider_id", &card_s),
            ],
        )
        .await;
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
    let (status, _, html) = provider
        .submit(
            &format!("/prestataire/besoins/{id}"),
            &[
                ("message", "Encore un message pour vous."),
                ("provider_id", &card_s),
            ],
        )
        .await;
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
    let (status, _, _) = provider
        .submit(
            &format!("/prestataire/besoins/{id}"),
            &[
                ("message", "Notre devis arrive par e-mail."),
                ("provider_id", &card_s),
            ],
        )
        .await;
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
