//! Set-up: the programme, territories, sectors, themes and partners.

use super::*;

both_databases!(
    the_store_keeps_themes_and_partners,
    editing_the_programme_shows_on_the_home_page,
    programme_errors_are_explained_and_keep_what_was_typed,
    covered_territories_can_be_added_and_removed,
    territory_import_keeps_good_rows_and_reports_bad_ones,
    territories_can_be_browsed_down_and_up,
    sector_priority_can_be_switched_on_and_off,
    themes_can_be_added_and_duplicate_slugs_are_refused,
    themes_can_be_edited_archived_and_restored,
    partners_get_a_sign_up_link_that_works,
    only_programme_managers_may_use_set_up_pages,
);

/// The store directly: a theme and a partner built through the model, their
/// slugs then taken.
async fn the_store_keeps_themes_and_partners(app: &TestApp) {
    use tremplin::setup::model::{PartnerForm, PartnerKind, ThemeForm};
    use tremplin::setup::store;
    let db = &app.db;
    let theme = ThemeForm {
        title_fr: "Facturation électronique".into(),
        theme_group: "manage".into(),
        ..Default::default()
    };
    let slug = theme.wanted_slug();
    assert_eq!(slug, "facturation-electronique");
    assert!(!store::theme_slug_taken(db, &slug, None).await.unwrap());
    let valid = theme.parse(false).expect("valid theme");
    assert_eq!(valid.title_en, "Facturation électronique");
    let id = store::insert_theme(db, &valid).await.unwrap();
    assert!(store::theme_slug_taken(db, &slug, None).await.unwrap());
    assert!(!store::theme_slug_taken(db, &slug, Some(id)).await.unwrap());
    store::set_theme_archived(db, id, true).await.unwrap();
    assert!(store::theme(db, id).await.unwrap().unwrap().archived);

    let programme = store::programme_id(db)
        .await
        .unwrap()
        .expect("demo programme");
    let partner = PartnerForm {
        name: "Mairie de Pessac".into(),
        kind: PartnerKind::TownHall.code().into(),
        ..Default::default()
    };
    let valid = partner.parse(false).expect("valid partner");
    let id = store::insert_partner(db, programme, &valid).await.unwrap();
    assert_eq!(
        store::partner_id(db, "mairie-de-pessac").await.unwrap(),
        Some(id)
    );
    let stored = store::partner(db, id).await.unwrap().unwrap();
    assert_eq!((stored.kind.as_str(), stored.brought), ("town_hall", 0));
}

async fn editing_the_programme_shows_on_the_home_page(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let form = admin.page(app, "/admin/programme").await;
    assert!(form.contains("value=\"Tremplin numérique Sud-Ouest\""));
    // The programme is cached: load it before the edit.
    let home = admin.page(app, "/").await;
    assert!(home.contains("Tremplin numérique Sud-Ouest"));

    let res = admin
        .post(
            app,
            "/admin/programme",
            &programme_fields("Tremplin Gironde 2028"),
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/programme?enregistre=1");

    let html = admin.page(app, "/admin/programme?enregistre=1").await;
    assert!(html.contains("Les informations du programme sont enregistrées."));
    assert!(html.contains("value=\"Tremplin Gironde 2028\""));
    assert!(html.contains("value=\"337000,50\""), "budget shown back");
    assert!(html.contains("value=\"1600\""));
    assert!(html.contains("value=\"2028-04-30\""));
    assert_eq!(
        app.count("SELECT budget_cents FROM programmes").await,
        33_700_050
    );
    assert_eq!(app.count("SELECT target_aware FROM programmes").await, 1600);
    assert_eq!(
        text(app, "SELECT start_date FROM programmes").await,
        "2026-01-05"
    );

    // Everyone sees the new name and summary at once.
    let home = client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("Tremplin Gironde 2028"),
        "home page not updated"
    );
    assert!(home.contains("Un programme pour les artisans de Gironde."));
    assert!(!home.contains("Tremplin numérique Sud-Ouest"));

    // In English, the budget is shown with a decimal point.
    let html = admin.english().page(app, "/admin/programme").await;
    assert!(html.contains("value=\"337000.50\""));
    assert!(html.contains("Programme name"));
}

async fn programme_errors_are_explained_and_keep_what_was_typed(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let mut fields = programme_fields("Programme à garder");
    for (k, v) in fields.iter_mut() {
        match *k {
            "start_date" => *v = "2027-03-01",
            "end_date" => *v = "2026-12-31",
            "contact_email" => *v = "equipe@",
            "budget" => *v = "beaucoup",
            "logo_url" => *v = "http://www.example.org/logo.png",
            "target_aware" => *v = "mille",
            _ => {}
        }
    }
    let res = admin.post(app, "/admin/programme", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Le formulaire contient des erreurs"));
    assert!(html.contains("La date de fin doit être postérieure à la date de début."));
    assert!(html.contains("Saisissez une adresse e-mail valide"));
    assert!(html.contains("Saisissez un montant en euros"));
    assert!(html.contains("Saisissez une adresse qui commence par https://"));
    assert!(html.contains("Saisissez un nombre entier positif"));
    // What was typed is still there.
    assert!(html.contains("value=\"Programme à garder\""));
    assert!(html.contains("value=\"equipe@\""));
    assert!(html.contains("value=\"beaucoup\""));
    assert!(html.contains("value=\"2026-12-31\""));
    assert!(html.contains("aria-invalid=\"true\""));
    // Nothing was saved.
    assert_eq!(
        text(app, "SELECT name FROM programmes").await,
        "Tremplin numérique Sud-Ouest"
    );

    // Same in English.
    let res = admin.english().post(app, "/admin/programme", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("The end date must be after the start date."));
    assert!(html.contains("Enter an amount in euros"));

    // A time zone outside the list is refused.
    let mut fields = programme_fields("Programme");
    fields[4].1 = "Mars/Olympus";
    let res = admin.post(app, "/admin/programme", &fields).await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Choisissez une option dans la liste."));
}

async fn covered_territories_can_be_added_and_removed(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/programme").await;
    assert!(html.contains("Territoires couverts"));
    assert!(html.contains("Gironde"), "seeded territory listed");
    assert!(
        html.contains("<option value=\"FR-D47\""),
        "offered in the select"
    );
    assert!(
        !html.contains("<option value=\"FR-C33063\""),
        "communes are not offered"
    );
    assert!(
        !html.contains("<option value=\"FR-D33\""),
        "already covered"
    );

    let res = admin
        .post(
            app,
            "/admin/programme",
            &[("action", "add_territory"), ("territory", "FR-D47")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Territoire ajouté : Lot-et-Garonne."));
    assert!(!html.contains("<option value=\"FR-D47\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM programme_territories WHERE territory_code = 'FR-D47'")
            .await,
        1
    );

    let res = admin
        .post(
            app,
            "/admin/programme",
            &[
                ("action", "remove_territory"),
                ("territory", "FR-D47"),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Territoire retiré : Lot-et-Garonne."));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM programme_territories WHERE territory_code = 'FR-D47'")
            .await,
        0
    );

    // A commune or an unknown code is refused with a message.
    for code in ["FR-C33063", "XX-NOPE"] {
        let res = admin
            .post(
                app,
                "/admin/programme",
                &[("action", "add_territory"), ("territory", code)],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Choisissez un territoire dans la liste."));
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM programme_territories")
            .await,
        4
    );
}

async fn territory_import_keeps_good_rows_and_reports_bad_ones(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/territoires").await;
    assert!(html.contains("code,parent_code,level,name_fr,name_en"));
    assert!(html.contains("Les lignes correctes sont enregistrées"));

    let res = import(app, &admin, TERRITORY_CSV.as_bytes()).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("1 ligne enregistrée."), "{html}");
    assert!(html.contains("1 ligne refusée"));
    assert!(
        html.contains("<td>3</td><td>Territoire parent inconnu.</td><td><code>FR-D99</code></td>")
    );
    assert_eq!(
        text(
            app,
            "SELECT name_fr FROM territories WHERE code = 'FR-C33522'"
        )
        .await,
        "Talence"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM territories WHERE code = 'FR-C99001'")
            .await,
        0
    );

    // In English (the known code is updated, the bad line reported again).
    let en = sign_in(app, MANAGER).await.english();
    let res = import(app, &en, TERRITORY_CSV.as_bytes()).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("1 row saved."));
    assert!(html.contains("1 row refused"));
    assert!(
        html.contains("<td>3</td><td>Unknown parent territory.</td><td><code>FR-D99</code></td>")
    );

    // A file without the required columns, or an empty one, is explained.
    let res = import(app, &admin, b"nom,niveau\nTalence,commune\n").await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Colonnes manquantes dans la première ligne du fichier : code, level, name_fr."));
    let res = import(app, &admin, b"").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Le fichier est vide."));

    // Without the CSRF token the upload is refused.
    let part =
        reqwest::multipart::Part::bytes(TERRITORY_CSV.as_bytes().to_vec()).file_name("t.csv");
    let res = client()
        .post(app.url("/admin/territoires/import"))
        .header("cookie", &admin.cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

async fn territories_can_be_browsed_down_and_up(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/territoires").await;
    for country in ["France", "Belgique", "Luxembourg", "Nouvelle-Calédonie"] {
        assert!(html.contains(country), "{country} listed");
    }
    assert!(html.contains("href=\"/admin/territoires?parent=FR\""));

    let html = admin.page(app, "/admin/territoires?parent=FR-D33").await;
    assert!(html.contains("Territoires : Gironde"));
    // Breadcrumb up to the country and the region.
    assert!(html.contains("href=\"/admin/territoires?parent=FR\">France</a>"));
    assert!(html.contains("href=\"/admin/territoires?parent=FR-R75\">Nouvelle-Aquitaine</a>"));
    // Children: the communes of Gironde.
    assert!(html.contains("Bordeaux"));
    assert!(html.contains("<code>FR-C33063</code>"));

    let html = admin.page(app, "/admin/territoires?parent=FR-R75").await;
    assert!(html.contains("href=\"/admin/territoires?parent=FR-D33\">Gironde</a>"));
    assert!(html.contains("subdivision"));

    let html = admin
        .english()
        .page(app, "/admin/territoires?parent=NC")
        .await;
    assert!(html.contains("South Province"));
    assert!(html.contains("All countries"));

    let res = admin.get(app, "/admin/territoires?parent=XX-NOPE").await;
    assert_eq!(res.status(), 404);
}

async fn sector_priority_can_be_switched_on_and_off(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/secteurs").await;
    assert!(html.contains("Programmation, conseil et autres activités informatiques"));
    assert!(html.contains("13 divisions prioritaires."));
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '62'")
            .await,
        0
    );

    let res = admin
        .post(app, "/admin/secteurs", &[("code", "62"), ("priority", "1")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/secteurs?modifie=62#sector-62");
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '62'")
            .await,
        1
    );
    let html = admin.page(app, "/admin/secteurs?modifie=62").await;
    assert!(html.contains("est désormais prioritaire."));
    assert!(html.contains("14 divisions prioritaires."));

    // Sending the same request twice does not switch it back.
    let res = admin
        .post(app, "/admin/secteurs", &[("code", "62"), ("priority", "1")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '62'")
            .await,
        1
    );

    let res = admin
        .post(app, "/admin/secteurs", &[("code", "47"), ("priority", "0")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '47'")
            .await,
        0
    );
    let html = admin
        .english()
        .page(app, "/admin/secteurs?modifie=47")
        .await;
    assert!(html.contains("is no longer a priority."));

    let res = admin
        .post(app, "/admin/secteurs", &[("code", "ZZ"), ("priority", "1")])
        .await;
    assert_eq!(res.status(), 404);
}

async fn themes_can_be_added_and_duplicate_slugs_are_refused(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/thematiques").await;
    for group in [
        "Vendre et être visible",
        "Gérer et s",
        "Relation client",
        "Sécurité et données",
        "Financer son projet",
    ] {
        assert!(html.contains(group), "group {group}");
    }
    assert!(html.contains("site-vitrine"));

    let theme = [
        ("title_fr", "Facturation électronique obligatoire"),
        ("title_en", ""),
        ("slug", ""),
        ("theme_group", "manage"),
        (
            "description_fr",
            "Ce qui change pour les petites entreprises.",
        ),
        ("description_en", "What changes for small businesses."),
        ("tags", "facture, e-facture,, Facture"),
    ];
    let res = admin.post(app, "/admin/thematiques", &theme).await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Thématique ajoutée : Facturation électronique obligatoire."));
    assert!(html.contains("facturation-electronique-obligatoire"));
    assert_eq!(
        text(
            app,
            "SELECT tags FROM themes WHERE slug = 'facturation-electronique-obligatoire'"
        )
        .await,
        "facture, e-facture"
    );
    // English title falls back to the French one.
    assert_eq!(
        text(
            app,
            "SELECT title_en FROM themes WHERE slug = 'facturation-electronique-obligatoire'"
        )
        .await,
        "Facturation électronique obligatoire"
    );

    // The same title again gives the same slug: refused on the field.
    let res = admin.post(app, "/admin/thematiques", &theme).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Cet identifiant est déjà utilisé."));
    assert!(html.contains("value=\"Facturation électronique obligatoire\""));
    assert!(html.contains("href=\"#slug\""));

    // A typed slug that exists already, in English.
    let mut other = theme;
    other[0].1 = "Un autre site";
    other[2].1 = "site-vitrine";
    let res = admin
        .english()
        .post(app, "/admin/thematiques", &other)
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("This identifier is already in use."));

    // Missing title and group.
    let res = admin
        .post(
            app,
            "/admin/thematiques",
            &[("title_fr", ""), ("theme_group", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Ce champ est obligatoire."));
    assert!(html.contains("Choisissez une option dans la liste."));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM themes WHERE slug = 'facturation-electronique-obligatoire'"
        )
        .await,
        1
    );
}

async fn themes_can_be_edited_archived_and_restored(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let id = app
        .count("SELECT id FROM themes WHERE slug = 'site-vitrine'")
        .await;
    let path = format!("/admin/thematiques/{id}");
    let html = admin.page(app, &path).await;
    assert!(html.contains("value=\"site-vitrine\""));
    assert!(html.contains("Archiver la thématique"));

    let res = admin.post(app, &path, &[("action", "archive")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(&format!("SELECT archived FROM themes WHERE id = {id}"))
            .await,
        1
    );
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("La thématique est archivée."));
    assert!(html.contains("Rétablir la thématique"));
    let list = admin.page(app, "/admin/thematiques").await;
    assert!(list.contains("Archivée"));

    let res = admin.post(app, &path, &[("action", "restore")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(&format!("SELECT archived FROM themes WHERE id = {id}"))
            .await,
        0
    );

    let res = admin
        .post(
            app,
            &path,
            &[
                ("action", "save"),
                ("title_fr", "Créer un site vitrine en une journée"),
                ("title_en", "Building a simple website in a day"),
                ("slug", "site-vitrine"),
                ("theme_group", "sell"),
                ("description_fr", "Quelques pages claires."),
                ("description_en", "A few clear pages."),
                ("tags", "site, vitrine"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Les modifications sont enregistrées."));
    assert_eq!(
        text(app, &format!("SELECT title_fr FROM themes WHERE id = {id}")).await,
        "Créer un site vitrine en une journée"
    );

    // Taking another theme's slug is refused on the field.
    let res = admin
        .post(
            app,
            &path,
            &[
                ("action", "save"),
                ("title_fr", "Créer un site vitrine"),
                ("slug", "boutique-en-ligne"),
                ("theme_group", "sell"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Cet identifiant est déjà utilisé."));
    assert!(html.contains("value=\"boutique-en-ligne\""));
    assert_eq!(
        text(app, &format!("SELECT slug FROM themes WHERE id = {id}")).await,
        "site-vitrine"
    );

    let res = admin.get(app, "/admin/thematiques/999999").await;
    assert_eq!(res.status(), 404);
}

async fn partners_get_a_sign_up_link_that_works(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/partenaires").await;
    assert!(html.contains("Chambre de métiers et de l"));
    assert!(html.contains("/p/cma-gironde</code>"));
    // Half of the demo businesses came through the chamber of trades.
    assert!(html.contains("4 entreprises"), "businesses brought");

    let res = admin
        .post(
            app,
            "/admin/partenaires",
            &[
                ("name", "Club des artisans de Pessac"),
                ("slug", ""),
                ("kind", "association"),
                ("brings", "on"),
                ("contact_email", "contact@club-pessac.fr"),
                ("website", "www.club-pessac.fr"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Partenaire ajouté : Club des artisans de Pessac."));
    let link = format!(
        "{}/p/club-des-artisans-de-pessac",
        app.state.config.base_url.as_str().trim_end_matches('/')
    );
    assert!(
        html.contains(&format!("<code>{link}</code>")),
        "sign-up link shown"
    );
    assert_eq!(
        text(
            app,
            "SELECT website FROM partners WHERE slug = 'club-des-artisans-de-pessac'"
        )
        .await,
        "https://www.club-pessac.fr/"
    );
    assert_eq!(
        app.count("SELECT receives FROM partners WHERE slug = 'club-des-artisans-de-pessac'")
            .await,
        0
    );

    // The link lands on a page naming the partner, diagnostic first, and
    // remembers the partner.
    let res = client()
        .get(app.url("/p/club-des-artisans-de-pessac"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("tremplin_partner=club-des-artisans-de-pessac")));

    // Same slug again, bad e-mail, no kind: field messages, values kept.
    let res = admin
        .post(
            app,
            "/admin/partenaires",
            &[
                ("name", "Club des artisans de Pessac"),
                ("kind", ""),
                ("contact_email", "contact@"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Cet identifiant est déjà utilisé."));
    assert!(html.contains("Choisissez une option dans la liste."));
    assert!(html.contains("Saisissez une adresse e-mail valide"));
    assert!(html.contains("value=\"contact@\""));

    // Editing: receives referrals now, new name.
    let id = app
        .count("SELECT id FROM partners WHERE slug = 'club-des-artisans-de-pessac'")
        .await;
    let path = format!("/admin/partenaires/{id}");
    let html = admin.page(app, &path).await;
    assert!(html.contains(&link));
    let res = admin
        .post(
            app,
            &path,
            &[
                ("name", "Club des artisans de Pessac et Talence"),
                ("slug", "club-des-artisans-de-pessac"),
                ("kind", "association"),
                ("brings", "on"),
                ("receives", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Les modifications sont enregistrées."));
    assert!(html.contains("Club des artisans de Pessac et Talence"));
    assert_eq!(
        app.count(&format!("SELECT receives FROM partners WHERE id = {id}"))
            .await,
        1
    );

    let en = admin.english().page(app, "/admin/partenaires").await;
    assert!(en.contains("Sign-up link"));
    assert!(en.contains("Association or business club"));
}

async fn only_programme_managers_may_use_set_up_pages(app: &TestApp) {
    for email in [ADVISER, OWNER] {
        let who = sign_in(app, email).await;
        for path in PAGES {
            let res = who.get(app, path).await;
            assert_eq!(res.status(), 403, "GET {path} as {email}");
            let res = who.post(app, path, &[("action", "save")]).await;
            assert_eq!(res.status(), 403, "POST {path} as {email}");
        }
        let res = who
            .post(app, "/admin/secteurs", &[("code", "62"), ("priority", "1")])
            .await;
        assert_eq!(res.status(), 403);
    }
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '62'")
            .await,
        0
    );
    // Not signed in: sent to the login page.
    let res = client()
        .get(app.url("/admin/programme"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/connexion"));
    // The manager sees the sub-navigation on every page.
    let admin = sign_in(app, MANAGER).await;
    for path in [
        "/admin/programme",
        "/admin/territoires",
        "/admin/secteurs",
        "/admin/thematiques",
        "/admin/partenaires",
        "/admin/questionnaire",
    ] {
        let html = admin.page(app, path).await;
        assert!(
            html.contains("aria-label=\"Paramétrage du programme\""),
            "{path}"
        );
        assert!(html.contains("href=\"/admin/partenaires\""), "{path}");
        assert!(html.contains("href=\"/admin/questionnaire\""), "{path}");
        assert!(html.contains("aria-current=\"page\""), "{path}");
    }
}
