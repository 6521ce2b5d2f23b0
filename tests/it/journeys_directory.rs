//! The directory and needs as people walk them (issue 13): synonyms that
//! the programme manager edits, next steps on an empty search, the JSON
//! export kept to the footer's open data, "Envoyer mon besoin à ce
//! prestataire", and a need page that says once how many were told.

use crate::both_databases;
use crate::harness::{Browser, TestApp, PW};

both_databases!(
    common_french_synonyms_find_cards_on_the_demo_directory,
    the_programme_manager_edits_the_synonyms,
    an_empty_search_suggests_what_to_do_next,
    a_business_sends_its_need_to_a_card_it_found,
    a_partner_link_names_the_partner_and_offers_the_diagnostic_first,
    a_new_provider_is_offered_the_card_of_the_same_name_and_a_claim_tells_the_team,
);

const ADMIN: &str = "responsable@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";
const PIXEL: &str = "Atelier Pixel Garonne";

/// The card names of a results page, in order.
fn names(html: &str) -> Vec<String> {
    html.split("<li class=\"card provider-card\">")
        .skip(1)
        .filter_map(|c| {
            c.split("<h3><a href=\"/annuaire/")
                .nth(1)
                .and_then(|a| a.split_once("\">"))
                .map(|(_, rest)| rest.split("</a>").next().unwrap_or("").to_string())
        })
        .collect()
}

async fn search(b: &mut Browser, q: &str) -> Vec<String> {
    let path = format!(
        "/annuaire?q={}",
        url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
    );
    let (status, html) = b.page(&path).await;
    assert_eq!(status, 200, "{path}");
    names(&html)
}

async fn common_french_synonyms_find_cards_on_the_demo_directory(app: &TestApp) {
    let mut visitor = Browser::new(app).await;
    for q in [
        "site internet",
        "webmaster",
        "site web boulangerie",
        "création de site",
    ] {
        let found = search(&mut visitor, q).await;
        assert!(found.contains(&PIXEL.to_string()), "{q}: {found:?}");
    }
    // Word forms still meet: "boutique en ligne" and "e-commerce" alike.
    let found = search(&mut visitor, "e-commerce").await;
    assert!(found.contains(&PIXEL.to_string()), "{found:?}");
    // A one-way rule does not widen the other way: "artisan" is a word of
    // the card, so it is found, but nothing is added for "artisan".
    let found = search(&mut visitor, "domotique").await;
    assert!(!found.contains(&PIXEL.to_string()), "{found:?}");
}

async fn the_programme_manager_edits_the_synonyms(app: &TestApp) {
    let mut visitor = Browser::new(app).await;
    assert!(search(&mut visitor, "photovoltaïque").await.is_empty());

    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/admin/annuaire/synonymes").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-shipped=\"true\""), "{html}");
    assert!(html.contains("webmaster"), "{html}");

    // A bad line is named and nothing is saved.
    let (status, _, html) = admin
        .submit(
            "/admin/annuaire/synonymes",
            &[("body", "site web, webmaster\nphotovoltaïque")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Ligne 2"), "{html}");
    assert!(
        html.contains("photovoltaïque"),
        "what was typed is kept: {html}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM directory_synonyms").await,
        0
    );

    let (status, location, _) = admin
        .submit(
            "/admin/annuaire/synonymes",
            &[(
                "body",
                "site internet, site web\nphotovoltaïque, panneaux solaires => domotique",
            )],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = admin.page(&location).await;
    assert!(html.contains("data-shipped=\"false\""), "{html}");
    let found = search(&mut visitor, "photovoltaïque").await;
    assert!(
        found.iter().any(|n| n.contains("Électriciens Connectés")),
        "{found:?}"
    );
    // The shipped "webmaster" line is gone with the edit.
    assert!(!search(&mut visitor, "webmaster")
        .await
        .contains(&PIXEL.to_string()));
    // Back to the shipped list.
    let (status, _, _) = admin
        .submit(
            "/admin/annuaire/synonymes",
            &[("body", ""), ("action", "reset")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(search(&mut visitor, "webmaster")
        .await
        .contains(&PIXEL.to_string()));
    // Only the programme manager edits the list.
    let mut owner = Browser::signed_in(app, OWNER, PW).await;
    assert_eq!(owner.page("/admin/annuaire/synonymes").await.0, 403);
}

async fn an_empty_search_suggests_what_to_do_next(app: &TestApp) {
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor.page("/annuaire?q=zzzyx&theme=site-vitrine").await;
    assert_eq!(status, 200);
    assert!(names(&html).is_empty());
    for marker in [
        "id=\"next-steps\"",
        "data-next=\"remove-theme\"",
        "data-next=\"need\"",
        "data-next=\"adviser\"",
    ] {
        assert!(html.contains(marker), "{marker}: {html}");
    }
    // The JSON export is open data in the footer, not a button for owners.
    let (_, html) = visitor.page("/annuaire").await;
    let (main, footer) = html.split_once("<footer").expect("a footer");
    assert!(!main.contains("/annuaire/export.json"), "{main}");
    assert!(footer.contains("/annuaire/export.json"), "{footer}");
    assert!(!html.contains("id=\"next-steps\""));
}

async fn a_business_sends_its_need_to_a_card_it_found(app: &TestApp) {
    // A card that no brief about a showcase site in Bordeaux would match.
    let card = crate::needs::insert_card(
        app,
        crate::needs::Card {
            name: "Compta Ciblée des Landes",
            themes: &["facture-electronique"],
            territories: &["FR-D40"],
            ..Default::default()
        },
    )
    .await;
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let (_, html) = marie.page(&format!("/annuaire/{card}")).await;
    assert!(
        html.contains(&format!("href=\"/besoins/nouveau?prestataire={card}\"")),
        "{html}"
    );
    let (status, html) = marie
        .page(&format!("/besoins/nouveau?prestataire={card}"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Compta Ciblée des Landes"), "{html}");
    assert!(
        html.contains(&format!("name=\"prestataire\" value=\"{card}\"")),
        "{html}"
    );
    let theme = app
        .count("SELECT id FROM themes WHERE slug = 'site-vitrine'")
        .await
        .to_string();
    let card_s = card.to_string();
    let (status, location, body) = marie
        .submit(
            "/besoins/nouveau",
            &[
                ("title", "Un site pour la boulangerie"),
                ("themes", &theme),
                ("context", "Boulangerie familiale, deux salariés."),
                ("goal", "Être trouvée par les habitants du quartier."),
                ("budget_band", "1k-3k"),
                ("territory_code", "FR-C33063"),
                ("size_band", "1-9"),
                ("prestataire", &card_s),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let need: i64 = location
        .trim_start_matches("/besoins/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM need_notifications WHERE need_id = {need} AND provider_id = {card}"
        ))
        .await,
        1
    );
    // The page says how many were told once, not twice.
    let (_, html) = marie.page(&location).await;
    let main = html.split("<footer").next().unwrap();
    assert_eq!(main.matches("prévenu").count(), 1, "{main}");
}

async fn a_partner_link_names_the_partner_and_offers_the_diagnostic_first(app: &TestApp) {
    let name: String =
        sqlx::query_scalar("SELECT name FROM partners WHERE slug = 'club-entreprises-medoc'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let mut visitor = Browser::new(app).await;
    let res = visitor.get("/p/club-entreprises-medoc").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let main = html.split("<main").nth(1).unwrap_or(&html);
    assert!(
        main.contains(&name.replace('\'', "&#x27;")) || main.contains(&name),
        "{main}"
    );
    let diagnostic = main
        .find("data-action=\"diagnostic\"")
        .expect("diagnostic offered");
    let signup = main
        .find("data-action=\"signup\"")
        .expect("sign-up offered");
    assert!(diagnostic < signup, "the diagnostic comes first");
    assert!(visitor.cookies.contains_key("tremplin_partner"));
    assert_eq!(visitor.page("/p/inconnu").await.0, 404);
}

async fn a_new_provider_is_offered_the_card_of_the_same_name_and_a_claim_tells_the_team(
    app: &TestApp,
) {
    let pixel = app
        .count("SELECT id FROM providers WHERE name = 'Atelier Pixel Garonne'")
        .await;
    let mut paul = crate::needs::provider_account(app, "paul@pixel-garonne.fr").await;
    let theme = app
        .count("SELECT id FROM themes WHERE slug = 'site-vitrine'")
        .await
        .to_string();
    let siren = tremplin::cli::seed::siren_from("81234598");
    let (status, location, body) = paul
        .submit(
            "/prestataire/fiche/nouvelle",
            &[
                ("name", "ATELIER PIXEL GARONNE"),
                ("country", "FR"),
                ("legal_id", &siren),
                ("kind", "Agence web"),
                ("description", "Sites vitrines."),
                ("themes", &theme),
                ("territories", "FR-D33"),
                ("email", "paul@pixel-garonne.fr"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, html) = paul.page(&location).await;
    assert!(html.contains("id=\"same-name\""), "{html}");
    let own: i64 = location
        .trim_start_matches("/prestataire/fiche/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // The card's town is its commune's when none is typed.
    sqlx::query("UPDATE providers SET town = '' WHERE id = $1")
        .bind(own)
        .execute(&app.db.pool)
        .await
        .unwrap();
    // Submitted for approval: the queue shows services, areas and a preview.
    let (status, _, body) = paul
        .submit(
            &format!("/prestataire/fiche/{own}"),
            &[
                ("name", "ATELIER PIXEL GARONNE"),
                ("country", "FR"),
                ("legal_id", &siren),
                ("kind", "Agence web"),
                ("description", "Sites vitrines."),
                ("themes", &theme),
                ("territories", "FR-D33"),
                ("commune_code", "FR-C33063"),
                ("email", "paul@pixel-garonne.fr"),
                (
                    "version",
                    &app.count(&format!("SELECT version FROM providers WHERE id = {own}"))
                        .await
                        .to_string(),
                ),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, _) = paul
        .submit(
            &format!("/prestataire/fiche/{own}"),
            &[("action", "submit")],
        )
        .await;
    assert_eq!(status, 303);
    let town: String = sqlx::query_scalar("SELECT town FROM providers WHERE id = $1")
        .bind(own)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(town, "Bordeaux");
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, queue) = admin.page("/admin/annuaire").await;
    let entry = queue
        .split(&format!("id=\"card-{own}\""))
        .nth(1)
        .expect("the new card waits for approval");
    let entry = entry.split("</form>").next().unwrap();
    assert!(entry.contains("data-moderation=\"details\""), "{entry}");
    assert!(entry.contains("Gironde"), "{entry}");
    assert!(
        entry.contains(&format!("href=\"/annuaire/{own}\" data-action=\"preview\"")),
        "{entry}"
    );
    assert!(
        html.contains(&format!("href=\"/annuaire/{pixel}#claim\"")),
        "{html}"
    );
    // The claim reaches the team.
    let (_, card) = paul.page(&format!("/annuaire/{pixel}")).await;
    assert!(card.contains("id=\"claim\""), "{card}");
    let (status, _, _) = paul
        .submit(
            &format!("/annuaire/{pixel}/revendiquer"),
            &[("message", "C'est notre agence, je suis le gérant.")],
        )
        .await;
    assert_eq!(status, 303);
    let team: String = sqlx::query_scalar("SELECT contact_email FROM programmes LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mail = app
        .wait_mail_to(&team, |m| m.subject.contains("reprise"))
        .await;
    assert!(
        mail.body_text.contains("paul@pixel-garonne.fr"),
        "{}",
        mail.body_text
    );
    assert!(
        mail.body_text.contains("/admin/annuaire"),
        "{}",
        mail.body_text
    );
}
